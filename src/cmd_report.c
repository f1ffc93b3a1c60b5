/*
 * cmd_report.c - `perfgate report [-b BUDGET] [--baseline INPUT]... [OUTPUTS] INPUT...`: the
 * release-readiness report, without gating.
 *
 * The same steps as check (budget, inputs, baseline, evaluation) and the same outputs
 * (outputs.c: Markdown report, job summary, charts, report context), but the exit code says
 * only whether the report could be made: 0, or 2 for a usage, input, budget or output error.
 * A failed rule is shown in the report, not in the exit code; use `check` to gate a build.
 * Without any output flag the report is printed to standard output.
 */
#include <stdlib.h>
#include <string.h>

#include "budget/budget.h"
#include "cli.h"
#include "exit_code.h"
#include "outputs.h"
#include "pipeline.h"

struct report_options {
	struct judge_options judge;   /* -b, --baseline, --no-data, --format, --digits, --group */
	struct outputs out;           /* --markdown, --summary, --charts, --context ... */
};

enum { OPT_BASELINE, OPT_BUDGET, OPT_CHART_FORMAT, OPT_CHARTS, OPT_CONTEXT, OPT_DIGITS,
       OPT_FORMAT, OPT_GROUP, OPT_MARKDOWN, OPT_NO_DATA, OPT_SUMMARY, OPT_SUMMARY_TEMPLATE,
       OPT_TEMPLATE };
static const struct cli_option report_options_table[] = {
	[OPT_BASELINE] = {"baseline", 0, "INPUT",
			  "the run to compare with: a model JSON saved by --save-model, or raw\n"
			  "inputs (repeatable, LABEL=PATH allowed); adds the baseline comparison"},
	[OPT_BUDGET] = {"budget", 'b', "FILE",
			"judge the inputs against this budget file and show the SLA tables\n"
			"(the exit code stays 0: use check to gate)"},
	[OPT_CHART_FORMAT] = OUTPUTS_OPTION_CHART_FORMAT,
	[OPT_CHARTS] = OUTPUTS_OPTION_CHARTS,
	[OPT_CONTEXT] = {"context", 0, NULL,
			 "print the report context JSON (formats/report-context.md), the data\n"
			 "every template is rendered from"},
	[OPT_DIGITS] = CLI_OPTION_DIGITS,
	[OPT_FORMAT] = CLI_OPTION_FORMAT,
	[OPT_GROUP] = {"group", 'g', "REGEX=NAME",
		       "fold endpoint names before the report sees them (repeatable)"},
	[OPT_MARKDOWN] = OUTPUTS_OPTION_MARKDOWN,
	[OPT_NO_DATA] = {"no-data", 0, "POLICY",
			 "what a rule without data counts as: fail (default), warn or pass"},
	[OPT_SUMMARY] = OUTPUTS_OPTION_SUMMARY,
	[OPT_SUMMARY_TEMPLATE] = OUTPUTS_OPTION_SUMMARY_TEMPLATE,
	[OPT_TEMPLATE] = OUTPUTS_OPTION_TEMPLATE,
};

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	struct report_options *o = context;
	switch (index) {
	case OPT_CONTEXT: o->out.context = true; return true;
	case OPT_BUDGET:
	case OPT_BASELINE:
	case OPT_FORMAT:
	case OPT_DIGITS:
	case OPT_GROUP:
	case OPT_NO_DATA:
		return pipeline_judge_option(&o->judge, report_options_table[index].name, arg, d);
	case OPT_CHART_FORMAT:
	case OPT_CHARTS:
	case OPT_MARKDOWN:
	case OPT_SUMMARY:
	case OPT_SUMMARY_TEMPLATE:
	case OPT_TEMPLATE:
		return outputs_option(&o->out, report_options_table[index].name, arg, d);
	}
	return false;
}

static void print_report_help(void)
{
	fputs("usage: perfgate report [OPTIONS] INPUT...\n"
	      "\n"
	      "Writes the release-readiness report of the inputs: Markdown from the built-in\n"
	      "templates or your own, and charts drawn as PNG or SVG (docs/reports.md).\n"
	      "Without an output option the report goes to standard output.\n"
	      "\n", stdout);
	cli_print_options(stdout, report_options_table, PG_ARRAY_LEN(report_options_table));
	fputs("\n", stdout);
	cli_print_inputs_help(stdout);
	fputs("\n"
	      "Exit codes: 0 the report was written (whatever the budget says), 2 a usage,\n"
	      "input, budget-file, template or output error.\n", stdout);
}

int cmd_report(int argc, char **argv, struct diag *d)
{
	struct report_options o = {.judge = {.digits = HIST_DIGITS_DEFAULT}};
	char **args = NULL;
	size_t count = 0;
	bool help;
	int code = EXIT_PASS;
	struct judged j = {0};
	if (!cli_parse(report_options_table, PG_ARRAY_LEN(report_options_table), argc, argv,
		       handle_option, &o, &args, &count, &help, d)) {
		code = EXIT_USAGE;
		goto out;
	}
	if (help) {
		print_report_help();
		goto out;
	}
	if (count == 0) {
		diag_report(d, DIAG_USAGE, NULL, "report needs at least one INPUT");
		code = EXIT_USAGE;
		goto out;
	}
	if (!outputs_wanted(&o.out))
		o.out.markdown = "-";
	if (pipeline_judge(&o.judge, args, count, &j, d) != JUDGE_DONE) {
		code = EXIT_USAGE; /* the errors say why; a report over half the inputs would mislead */
		goto out;
	}
	struct report_input in = {j.model, o.judge.baseline_count > 0 ? j.baseline : NULL, j.budget,
				  j.budget ? &j.verdict : NULL, NULL, 0};
	if (!outputs_emit(&o.out, &in, d))
		code = EXIT_USAGE;
out:
	pipeline_judged_fini(&j);
	pipeline_judge_options_fini(&o.judge);
	free(args);
	return code;
}
