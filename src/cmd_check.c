/*
 * cmd_check.c - `perfgate check -b BUDGET [--baseline INPUT]... INPUT...`: the gate.
 *
 * Budget first (its "group" rules shape how the inputs are read), then the inputs and the
 * baseline into two models, then eval.c, then the outputs: one diagnostic per rule that did
 * not pass (observed, limit, delta, samples, precision, input; the caret on the assertion),
 * a summary table on standard output, and on request JUnit XML, the verdict JSON, the
 * model JSON and the report outputs `report` writes too (outputs.c: Markdown report, job
 * summary, charts), each written atomically. A document sent to standard output ("-")
 * takes the table's place there.
 *
 * Exit: 2 when the budget, an input or the command line had an error (then nothing is
 * evaluated: a verdict over part of the inputs would mislead) or when the budget does not fit
 * the inputs (a unit, a window; then the table is shown but no output file is written), else
 * 1 when a rule's effect is a failure, else 0 (warnings allowed). Waivers are judged against today's UTC date, or the
 * day of SOURCE_DATE_EPOCH when it is set (reproducible runs and tests).
 */
#include <stdlib.h>
#include <string.h>

#include "budget/budget.h"
#include "cli.h"
#include "emit/emit.h"
#include "exit_code.h"
#include "outputs.h"
#include "pipeline.h"
#include "util/json.h"

struct check_options {
	struct judge_options judge;   /* -b, --baseline, --no-data, --format, --digits, --group */
	const char *junit;
	const char *verdict;
	const char *save_model;
	struct outputs out;           /* --markdown, --summary, --charts ... */
};

enum { OPT_BASELINE, OPT_BUDGET, OPT_CHART_FORMAT, OPT_CHARTS, OPT_DIGITS, OPT_FORMAT,
       OPT_GROUP, OPT_JUNIT, OPT_MARKDOWN, OPT_NO_DATA, OPT_SAVE_MODEL, OPT_SUMMARY,
       OPT_SUMMARY_TEMPLATE, OPT_TEMPLATE, OPT_VERDICT };
static const struct cli_option check_options_table[] = {
	[OPT_BASELINE] = {"baseline", 0, "INPUT",
			  "the run to compare with for 'baseline' in assertions: a model JSON\n"
			  "saved by --save-model, or raw inputs (repeatable, LABEL=PATH allowed)"},
	[OPT_BUDGET] = {"budget", 'b', "FILE",
			"the budget file (formats/budget.md; a k6 options JSON with\n"
			"\"thresholds\" works too); required"},
	[OPT_CHART_FORMAT] = OUTPUTS_OPTION_CHART_FORMAT,
	[OPT_CHARTS] = OUTPUTS_OPTION_CHARTS,
	[OPT_DIGITS] = CLI_OPTION_DIGITS,
	[OPT_FORMAT] = CLI_OPTION_FORMAT,
	[OPT_GROUP] = {"group", 'g', "REGEX=NAME",
		       "fold endpoint names before the rules see them (repeatable; the\n"
		       "budget's own \"group\" rules apply first)"},
	[OPT_JUNIT] = {"junit", 0, "FILE", "write JUnit XML: one testcase per rule and series"},
	[OPT_MARKDOWN] = OUTPUTS_OPTION_MARKDOWN,
	[OPT_NO_DATA] = {"no-data", 0, "POLICY",
			 "what a rule without data counts as: fail (default), warn or pass;\n"
			 "overrides the budget file"},
	[OPT_SAVE_MODEL] = {"save-model", 0, "FILE",
			    "also write the inputs' model as model JSON (a later --baseline)"},
	[OPT_SUMMARY] = OUTPUTS_OPTION_SUMMARY,
	[OPT_SUMMARY_TEMPLATE] = OUTPUTS_OPTION_SUMMARY_TEMPLATE,
	[OPT_TEMPLATE] = OUTPUTS_OPTION_TEMPLATE,
	[OPT_VERDICT] = {"verdict", 0, "FILE", "write every rule result as JSON (formats/verdict.md)"},
};

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	struct check_options *o = context;
	switch (index) {
	case OPT_JUNIT: o->junit = arg; return true;
	case OPT_VERDICT: o->verdict = arg; return true;
	case OPT_SAVE_MODEL: o->save_model = arg; return true;
	case OPT_BUDGET:
	case OPT_BASELINE:
	case OPT_FORMAT:
	case OPT_DIGITS:
	case OPT_GROUP:
	case OPT_NO_DATA:
		return pipeline_judge_option(&o->judge, check_options_table[index].name, arg, d);
	case OPT_CHART_FORMAT:
	case OPT_CHARTS:
	case OPT_MARKDOWN:
	case OPT_SUMMARY:
	case OPT_SUMMARY_TEMPLATE:
	case OPT_TEMPLATE:
		return outputs_option(&o->out, check_options_table[index].name, arg, d);
	}
	return false;
}

static void print_check_help(void)
{
	fputs("usage: perfgate check -b BUDGET [OPTIONS] INPUT...\n"
	      "\n"
	      "Checks the inputs against a budget file and exits 1 when a rule at level\n"
	      "'error' fails (docs/budgets.md). Prints one diagnostic per rule that did not\n"
	      "pass and a summary table.\n"
	      "\n", stdout);
	cli_print_options(stdout, check_options_table, PG_ARRAY_LEN(check_options_table));
	fputs("\n", stdout);
	cli_print_inputs_help(stdout);
	fputs("\n"
	      "Exit codes: 0 every error-level rule passed (warnings allowed), 1 a rule\n"
	      "failed, 2 a usage, input or budget-file error.\n"
	      "Waivers are judged against today's date (UTC), or the day of SOURCE_DATE_EPOCH\n"
	      "when it is set.\n", stdout);
}

/* Where a result's diagnostic points: the deciding comparison, else the rule's selector. */
static void result_location(struct budget *b, const struct result *r, struct diag_loc *loc)
{
	const struct rule *rule = r->rule;
	const struct assertion *a = &rule->assertions[r->assertion];
	if (r->unmatched && (rule->selector.endpoint_pointer || rule->selector.run_pointer)) {
		json_locate(&b->src, rule->selector.endpoint_pointer ? rule->selector.endpoint_pointer
								      : rule->selector.run_pointer,
			    loc);
		return;
	}
	const struct expr *e = r->decider ? r->decider : a->expr;
	budget_text_locate(&a->text, e->offset, e->len, loc);
}

/* One diagnostic per result whose effect is not ok. */
static void report_results(struct budget *b, const struct verdict *v, struct diag *d)
{
	for (size_t i = 0; i < v->count; i++) {
		const struct result *r = &v->results[i];
		if (r->effect == EFFECT_OK)
			continue;
		struct buf text;
		buf_init(&text);
		if (r->run && !r->unmatched) {
			result_describe_target(r, &text);
			buf_puts(&text, ": ");
			result_describe(r, &text);
		} else {
			buf_puts(&text, r->note ? r->note : "the selector matches nothing");
		}
		struct diag_loc loc;
		result_location(b, r, &loc);
		const char *what = r->status == STATUS_NO_DATA ? "found no data" : "failed";
		diag_report(d, r->effect == EFFECT_FAILURE ? DIAG_RULE_FAILED : DIAG_RULE_WARNING,
			    &loc, "rule '%s' %s%s: %s", r->rule->name, what,
			    r->rule->level == LEVEL_WARN ? " (level warn)" : "", text.data);
		if (r->waived)
			diag_report(d, DIAG_NOTE, NULL, "waived until %s: %s", r->rule->waiver_until,
				    r->rule->waiver_reason);
		if (r->rule->message)
			diag_report(d, DIAG_NOTE, NULL, "%s", r->rule->message);
		buf_fini(&text);
	}
}

/* The target column of a result: the endpoint, the whole run, or what matched nothing. */
static const char *target_name(const struct result *r)
{
	if (r->endpoint)
		return r->endpoint;
	if (!r->run && r->rule->selector.endpoint)
		return r->rule->selector.endpoint;
	return "whole run";
}

/* "30.45 ms", "~105.3 ms" (an estimate), "-" (no data); and "< 250 ms for 30000 ms". */
static void value_cells(const struct result *r, char observed[80], char limit[160])
{
	char a[64], b[64];
	if (r->status == STATUS_NO_DATA || !r->decider) {
		snprintf(observed, 80, "-");
		snprintf(limit, 160, "-");
		return;
	}
	snprintf(observed, 80, "%s%s", r->observed.kind == VALUE_ESTIMATE ? "~" : "",
		 dim_format(a, r->observed.number, r->dim));
	snprintf(limit, 160, "%s %s%s%s%s", cmp_op_name(r->decider->op),
		 r->limit.kind == VALUE_ESTIMATE ? "~" : "", dim_format(a, r->limit.number, r->dim), r->window_ms > 0 ? " for " : "",
		 r->window_ms > 0 ? dim_format(b, r->window_ms, DIM_TIME) : "");
}

static size_t widest(size_t width, size_t len)
{
	return len > width ? (len > 60 ? 60 : len) : width;
}

static void print_result(const struct result *r, size_t name_width, size_t target_width,
			 size_t observed_width, FILE *out)
{
	char observed[80], limit[160];
	const char *mark = r->effect == EFFECT_FAILURE ? "FAIL"
			   : r->effect == EFFECT_WARNING ? (r->waived ? "waived" : "warn")
							 : "pass";
	if (r->status == STATUS_NO_DATA)
		mark = r->effect == EFFECT_FAILURE ? "NO-DATA" : "no-data";
	value_cells(r, observed, limit);
	fprintf(out, "  %-7s  %-*.*s  %-*.*s  %-*s  %s\n", mark, (int)name_width,
		(int)name_width, r->rule->name, (int)target_width, (int)target_width,
		target_name(r), (int)observed_width, observed, limit);
}

/* The summary table: one line per result, grouped by run. */
static void print_summary(const struct budget *b, const struct model *m,
			  const struct verdict *v, FILE *out)
{
	size_t name_width = 4, target_width = 6, observed_width = 8;
	char observed[80], limit[160];
	for (size_t i = 0; i < v->count; i++) {
		const struct result *r = &v->results[i];
		value_cells(r, observed, limit);
		name_width = widest(name_width, strlen(r->rule->name));
		target_width = widest(target_width, strlen(target_name(r)));
		observed_width = widest(observed_width, strlen(observed));
	}
	fprintf(out, "budget %s: %zu rule%s\n", b->src.name, b->rule_count,
		b->rule_count == 1 ? "" : "s");
	/* runs in model order, then what matched no run; results in rule order within each */
	for (size_t k = 0; k <= m->run_count; k++) {
		const struct run *run = k < m->run_count ? m->runs[k] : NULL;
		bool header = false;
		for (size_t i = 0; i < v->count; i++) {
			const struct result *r = &v->results[i];
			if (r->run != run)
				continue;
			if (!header) {
				header = true;
				if (run)
					fprintf(out, "run '%s'\n", run->label);
				else
					fputs("no run matched\n", out);
				fprintf(out, "  %-7s  %-*s  %-*s  %-*s  %s\n", "result", (int)name_width,
					"rule", (int)target_width, "target", (int)observed_width,
					"observed", "limit");
			}
			print_result(r, name_width, target_width, observed_width, out);
		}
	}
	fprintf(out, "%zu result%s: %zu passed, %zu warning%s, %zu failed (%zu without data)\n",
		v->count, v->count == 1 ? "" : "s", v->passed, v->warnings,
		v->warnings == 1 ? "" : "s", v->failures, v->no_data);
}

int cmd_check(int argc, char **argv, struct diag *d)
{
	struct check_options o = {.judge = {.digits = HIST_DIGITS_DEFAULT}};
	char **args = NULL;
	size_t count = 0;
	bool help;
	int code = EXIT_PASS;
	struct judged j = {0};
	if (!cli_parse(check_options_table, PG_ARRAY_LEN(check_options_table), argc, argv,
		       handle_option, &o, &args, &count, &help, d)) {
		code = EXIT_USAGE;
		goto out;
	}
	if (help) {
		print_check_help();
		goto out;
	}
	if (!o.judge.budget || count == 0) {
		diag_report(d, DIAG_USAGE, NULL, "check needs -b BUDGET and at least one INPUT");
		code = EXIT_USAGE;
		goto out;
	}
	enum judgement judgement = pipeline_judge(&o.judge, args, count, &j, d);
	if (judgement == JUDGE_LOAD_FAILED) {
		code = EXIT_USAGE;
		goto out;
	}
	if (judgement == JUDGE_MISFIT)
		code = EXIT_USAGE; /* the budget does not fit the inputs: its errors say why */
	else
		report_results(j.budget, &j.verdict, d);
	/* a document written to standard output replaces the table there */
	bool document_to_stdout = (o.out.markdown && strcmp(o.out.markdown, "-") == 0) ||
				  (o.out.summary && strcmp(o.out.summary, "-") == 0);
	if (!document_to_stdout || code == EXIT_USAGE) /* no document will come: the table */
		print_summary(j.budget, j.model, &j.verdict, stdout);
	fflush(stdout);
	if (code == EXIT_USAGE)
		goto out; /* no verdict files for a budget that does not fit the inputs */
	if (o.junit && !junit_write(&j.verdict, j.model, o.junit, d))
		code = EXIT_USAGE;
	if (o.verdict) {
		struct buf json;
		buf_init(&json);
		verdict_json_write(&j.verdict, j.model, j.budget, &json);
		if (!pipeline_write_output(o.verdict, &json, "the verdict", d))
			code = EXIT_USAGE;
		buf_fini(&json);
	}
	if (o.save_model && !pipeline_save_model(j.model, o.save_model, d))
		code = EXIT_USAGE;
	if (outputs_wanted(&o.out)) {
		struct report_input in = {j.model, o.judge.baseline_count > 0 ? j.baseline : NULL,
					  j.budget, &j.verdict, NULL, 0};
		if (!outputs_emit(&o.out, &in, d))
			code = EXIT_USAGE;
	}
	if (code == EXIT_PASS)
		code = verdict_exit_code(&j.verdict);
out:
	pipeline_judged_fini(&j);
	pipeline_judge_options_fini(&o.judge);
	free(args);
	return code;
}
