/*
 * cmd_check.c - `perfgate check -b BUDGET [--baseline INPUT]... INPUT...`: the gate.
 *
 * load (the budget, then the inputs and the baseline: judge_load) -> judge (judge_run) ->
 * emit: one diagnostic per rule that did not pass and the summary table (emit/term.c), then on
 * request JUnit XML, the verdict JSON, the model JSON and the report outputs `report` writes
 * too (emit/outputs.c: Markdown report, job summary, charts), each written atomically. A
 * document sent to standard output ("-") takes the table's place there.
 *
 * Exit: 2 when the budget, an input or the command line had an error (then nothing is
 * evaluated: a verdict over part of the inputs would mislead) or when the budget does not fit
 * the inputs (a unit, a window; then the table is shown but no output file is written), else
 * 1 when a rule's effect is a failure, else 3 when one is inconclusive (a baseline rule whose
 * interval straddles its limit), else 0 (warnings allowed).
 */
#include <stdlib.h>
#include <string.h>

#include "exit_code.h"
#include "judge.h"
#include "util/io.h"

struct check_options {
	struct options common;        /* inputs, budget, baseline, report outputs, --save-model */
	const char *junit;
	const char *verdict;
};

enum { OPT_BASELINE, OPT_BUDGET, OPT_CHARTS, OPT_CHART_FORMAT, OPT_CONTEXT, OPT_DIGITS,
       OPT_ENDPOINT_MEMORY, OPT_FORMAT, OPT_FSYNC, OPT_GROUP, OPT_JOBS, OPT_JUNIT, OPT_MARKDOWN,
       OPT_NO_DATA,
       OPT_OPEN_MODEL, OPT_QUIET, OPT_SAVE_MODEL, OPT_SLO, OPT_SUMMARY, OPT_SUMMARY_TEMPLATE,
       OPT_TEMPLATE, OPT_VERDICT, OPT_WINDOW };
static const struct cli_option check_options_table[] = {
	[OPT_BASELINE] = {"baseline", 0, "INPUT",
			  "the run to compare with for 'baseline' in assertions: a model JSON\n"
			  "saved by --save-model, or raw inputs (repeatable, LABEL=PATH allowed)"},
	[OPT_BUDGET] = {"budget", 'b', "FILE",
			"the budget file, JSON or YAML (.yaml, .yml; formats/budget.md; a k6\n"
			"options JSON with \"thresholds\" works too); required"},
	[OPT_CHART_FORMAT] = OPTIONS_CHART_FORMAT,
	[OPT_CHARTS] = OPTIONS_CHARTS,
	[OPT_CONTEXT] = OPTIONS_CONTEXT,
	[OPT_DIGITS] = OPTIONS_DIGITS,
	[OPT_ENDPOINT_MEMORY] = OPTIONS_ENDPOINT_MEMORY,
	[OPT_FORMAT] = OPTIONS_FORMAT,
	[OPT_FSYNC] = OPTIONS_FSYNC,
	[OPT_GROUP] = {"group", 'g', "REGEX=NAME",
		       "fold endpoint names before the rules see them (repeatable; the\n"
		       "budget's own \"group\" rules apply first)"},
	[OPT_JOBS] = OPTIONS_JOBS,
	[OPT_JUNIT] = {"junit", 0, "FILE", "write JUnit XML: one testcase per rule and series"},
	[OPT_MARKDOWN] = OPTIONS_MARKDOWN,
	[OPT_NO_DATA] = {"no-data", 0, "POLICY",
			 "what a rule without data counts as: fail (default), warn or pass;\n"
			 "overrides the budget file",
			 "fail warn pass"},
	[OPT_OPEN_MODEL] = OPTIONS_OPEN_MODEL,
	[OPT_QUIET] = OPTIONS_QUIET,
	[OPT_SAVE_MODEL] = {"save-model", 0, "FILE",
			    "also write the inputs' model as model JSON (a later --baseline)"},
	[OPT_SLO] = OPTIONS_SLO,
	[OPT_SUMMARY] = OPTIONS_SUMMARY,
	[OPT_SUMMARY_TEMPLATE] = OPTIONS_SUMMARY_TEMPLATE,
	[OPT_TEMPLATE] = OPTIONS_TEMPLATE,
	[OPT_VERDICT] = {"verdict", 0, "FILE", "write every rule result as JSON (formats/verdict.md)"},
	[OPT_WINDOW] = OPTIONS_WINDOW,
};

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	struct check_options *o = context;
	if (index == OPT_JUNIT)
		o->junit = arg;
	else if (index == OPT_VERDICT)
		o->verdict = arg;
	else
		return options_take(&o->common, check_options_table[index].name, arg, d);
	return true;
}

const struct cli_command_help cli_help_check = {
	.usage = "perfgate check -b BUDGET [OPTIONS] INPUT...",
	.about =
		"Checks the inputs against a budget file and exits 1 when a rule at level\n"
		"'error' fails (docs/budgets.md). Prints one diagnostic per rule that did not\n"
		"pass and a summary table.",
	.options = check_options_table,
	.option_count = PG_ARRAY_LEN(check_options_table),
	.inputs = CLI_INPUTS_FORMAT,
	.exit_codes =
		"Exit codes: 0 every error-level rule passed (warnings allowed), 1 a rule\n"
		"failed, 2 a usage, input or budget-file error, 3 a rule against the baseline\n"
		"is inconclusive: the interval of the change straddles its limit (and none\n"
		"failed).",
	.notes =
		"Waivers are judged against today's date (UTC), or the day of SOURCE_DATE_EPOCH\n"
		"when it is set.",
};

static void print_check_help(void)
{
	cli_print_command_help(stdout, &cli_help_check);
}

/* Whether path is "-": a document then owns standard output. */
static bool to_stdout(const char *path)
{
	return path && strcmp(path, "-") == 0;
}

/*
 * The summary table on standard output, unless a document goes there instead (--junit -,
 * --verdict -, --save-model -, --markdown -, --summary -: the document alone, so a consumer
 * reading it gets valid XML or JSON).
 */
static void print_table(const struct check_options *o, const struct judged *j, bool misfit)
{
	bool document = outputs_document_to_stdout(&o->common.out) || to_stdout(o->junit) ||
			to_stdout(o->verdict) || to_stdout(o->common.save_model);
	if (!document || misfit) { /* no document: the table */
		struct buf table;
		buf_init(&table);
		term_write_summary(j->budget, j->model, &j->verdict, &table);
		fwrite(table.data, 1, table.len, stdout);
		buf_fini(&table);
	}
	fflush(stdout);
}

/*
 * "wrote PATH (WHAT)" on standard output for a file written, as the report outputs say theirs;
 * nothing when a document goes to standard output (it would be in the document).
 */
static void tell(const struct check_options *o, bool written, const char *path, const char *what)
{
	if (!written || to_stdout(path) || outputs_document_to_stdout(&o->common.out) ||
	    to_stdout(o->junit) || to_stdout(o->verdict) || to_stdout(o->common.save_model))
		return;
	struct buf line;
	buf_init(&line);
	buf_puts(&line, "wrote ");
	str_put_visible(&line, path);
	buf_printf(&line, " (%s)\n", what);
	fwrite(line.data, 1, line.len, stdout);
	buf_fini(&line);
}

/* The files check writes: JUnit, verdict JSON, model JSON, the report outputs. */
static bool write_files(const struct check_options *o, const struct judged *j, struct diag *d)
{
	bool ok = true, written;
	int code = judge_exit_code(&j->verdict);
	if (o->junit) {
		written = junit_write(&j->verdict, j->model, o->junit, d);
		tell(o, written, o->junit, "the JUnit report");
		ok = written && ok;
	}
	if (o->verdict) {
		struct buf json;
		buf_init(&json);
		verdict_json_write(&j->verdict, j->model, j->budget, code, &json);
		written = io_write_output(o->verdict, &json, "the verdict", d);
		tell(o, written, o->verdict, "the verdict");
		ok = written && ok;
		buf_fini(&json);
	}
	if (o->common.save_model) {
		written = outputs_save_model(j->model, o->common.save_model, d);
		tell(o, written, o->common.save_model, "the model");
		ok = written && ok;
	}
	if (outputs_wanted(&o->common.out)) {
		struct report_input in = {j->model, j->baseline, j->budget, &j->verdict, code,
					  NULL, 0, NULL, NULL, 0};
		ok = outputs_emit(&o->common.out, &in, d) && ok;
	}
	return ok;
}

int cmd_check(int argc, char **argv, struct diag *d)
{
	struct check_options o = {0};
	options_init(&o.common);
	char **args = NULL;
	size_t count = 0;
	bool help;
	int code = EXIT_USAGE;
	struct judged j = {0};
	if (!cli_parse(check_options_table, PG_ARRAY_LEN(check_options_table), argc, argv,
		       handle_option, &o, &args, &count, &help, d))
		goto out;
	if (help) {
		print_check_help();
		code = EXIT_PASS;
		goto out;
	}
	if (!o.common.budget || count == 0) {
		diag_report(d, DIAG_USAGE, NULL, "check needs -b BUDGET and at least one INPUT");
		goto out;
	}
	if (!options_one_stdout_document(&o.common, to_stdout(o.junit) + to_stdout(o.verdict), d))
		goto out;
	bool loaded = judge_load(&o.common, args, count, &j, d);          /* load */
	enum judgement judgement = judge_run(&o.common, loaded, &j, d);   /* judge */
	if (judgement == JUDGE_LOAD_FAILED)
		goto out;
	if (judgement == JUDGE_DONE)                                      /* emit */
		term_report_results(j.budget, &j.verdict, d);
	print_table(&o, &j, judgement == JUDGE_MISFIT);
	/* no verdict files for a budget that does not fit the inputs: its errors say why */
	if (judgement == JUDGE_DONE && write_files(&o, &j, d))
		code = judge_exit_code(&j.verdict);
out:
	judge_fini(&j);
	options_fini(&o.common);
	free(args);
	return code;
}
