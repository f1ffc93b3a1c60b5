/*
 * cmd_report.c - `perfgate report [-b BUDGET] [--baseline INPUT]... [OUTPUTS] INPUT...`: the
 * release-readiness report, without gating.
 *
 * load -> judge -> emit as check does (judge.c; emit/outputs.c: Markdown report, job summary,
 * charts, report context), but the exit code says only whether the report could be made: 0,
 * or 2 for a usage, input, budget or output error. A failed rule is shown in the report, not
 * in the exit code; use `check` to gate a build. Without any output flag the report is printed
 * to standard output.
 */
#include <stdlib.h>

#include "exit_code.h"
#include "judge.h"

enum { OPT_BASELINE, OPT_BUDGET, OPT_CHARTS, OPT_CHART_FORMAT, OPT_CONTEXT, OPT_DIGITS,
       OPT_DUMP_CONTEXT, OPT_ENDPOINT_MEMORY, OPT_FORMAT, OPT_FSYNC, OPT_GROUP, OPT_JOBS, OPT_MARKDOWN, OPT_NO_DATA,
       OPT_OPEN_MODEL, OPT_QUIET, OPT_SLO, OPT_SUMMARY, OPT_SUMMARY_TEMPLATE, OPT_TEMPLATE,
       OPT_WINDOW };
static const struct cli_option report_options_table[] = {
	[OPT_BASELINE] = {"baseline", 0, "INPUT",
			  "the run to compare with: a model JSON saved by --save-model, or raw\n"
			  "inputs (repeatable, LABEL=PATH allowed); adds the baseline comparison"},
	[OPT_BUDGET] = {"budget", 'b', "FILE",
			"judge the inputs against this budget file and show the SLA tables\n"
			"(the exit code stays 0: use check to gate)"},
	[OPT_CHART_FORMAT] = OPTIONS_CHART_FORMAT,
	[OPT_CHARTS] = OPTIONS_CHARTS,
	[OPT_CONTEXT] = OPTIONS_CONTEXT,
	[OPT_DUMP_CONTEXT] = {"dump-context", 0, NULL,
			      "print the report context JSON (formats/report-context.md), the data\n"
			      "every template is rendered from"},
	[OPT_DIGITS] = OPTIONS_DIGITS,
	[OPT_ENDPOINT_MEMORY] = OPTIONS_ENDPOINT_MEMORY,
	[OPT_FORMAT] = OPTIONS_FORMAT,
	[OPT_FSYNC] = OPTIONS_FSYNC,
	[OPT_GROUP] = {"group", 'g', "REGEX=NAME",
		       "fold endpoint names before the report sees them (repeatable)"},
	[OPT_JOBS] = OPTIONS_JOBS,
	[OPT_MARKDOWN] = OPTIONS_MARKDOWN,
	[OPT_NO_DATA] = {"no-data", 0, "POLICY",
			 "what a rule without data counts as: fail (default), warn or pass",
			 "fail warn pass"},
	[OPT_SUMMARY] = OPTIONS_SUMMARY,
	[OPT_SUMMARY_TEMPLATE] = OPTIONS_SUMMARY_TEMPLATE,
	[OPT_OPEN_MODEL] = OPTIONS_OPEN_MODEL,
	[OPT_QUIET] = OPTIONS_QUIET,
	[OPT_SLO] = OPTIONS_SLO,
	[OPT_TEMPLATE] = OPTIONS_TEMPLATE,
	[OPT_WINDOW] = OPTIONS_WINDOW,
};

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	return options_take(context, report_options_table[index].name, arg, d);
}

const struct cli_command_help cli_help_report = {
	.usage = "perfgate report [OPTIONS] INPUT...",
	.about =
		"Writes the release-readiness report of the inputs: Markdown from the built-in\n"
		"templates or your own, and charts drawn as PNG or SVG (docs/reports.md).\n"
		"Without an output option the report goes to standard output.",
	.options = report_options_table,
	.option_count = PG_ARRAY_LEN(report_options_table),
	.inputs = CLI_INPUTS_FORMAT,
	.exit_codes =
		"Exit codes: 0 the report was written (whatever the budget says), 2 a usage,\n"
		"input, budget-file, template or output error.",
};

static void print_report_help(void)
{
	cli_print_command_help(stdout, &cli_help_report);
}

int cmd_report(int argc, char **argv, struct diag *d)
{
	struct options o;
	options_init(&o);
	char **args = NULL;
	size_t count = 0;
	int code = EXIT_USAGE;
	struct judged j = {0};
	enum cli_parsed parsed = cli_parse_command(report_options_table,
						   PG_ARRAY_LEN(report_options_table), argc, argv,
						   handle_option, &o, &args, &count, print_report_help,
						   "report needs at least one INPUT", d);
	if (parsed != CLI_PARSED_RUN) {
		code = parsed == CLI_PARSED_HELP ? EXIT_PASS : EXIT_USAGE;
		goto out;
	}
	if (!options_one_stdout_document(&o, 0, d))
		goto out;
	if (!outputs_wanted(&o.out))
		o.out.markdown = "-";
	bool loaded = judge_load(&o, args, count, &j, d);   /* load */
	/* judge: a report over half the inputs would mislead, so any error stops here */
	if (judge_run(&o, loaded, &j, d) != JUDGE_DONE)
		goto out;
	const struct verdict *v = j.budget ? &j.verdict : NULL;   /* emit */
	struct report_input in = {j.model, j.baseline, j.budget, v, v ? judge_exit_code(v) : 0,
				  NULL, 0, NULL, NULL, 0};
	if (outputs_emit(&o.out, &in, d))
		code = EXIT_PASS;
out:
	judge_fini(&j);
	options_fini(&o);
	free(args);
	return code;
}
