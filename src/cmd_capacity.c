/*
 * cmd_capacity.c - `perfgate capacity [--json] [--slo RULE] INPUT...`: runs of one workload
 * at several load levels, read as a capacity series.
 *
 * load (every input a run, a load level: ingest_load) -> analyse (analysis/capacity.c: the
 * degradation against the lowest load, the breaking point, the knee, the SLO crossing, the
 * USL fit) -> emit (emit/capacity_out.c: the table and its readings, or JSON).
 * Exit: 0 when analysed, 2 for a usage or input error or a set of runs that is no series
 * (a run without a load level, fewer than two runs). docs/capacity.md.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "emit/chart.h"
#include "exit_code.h"
#include "options.h"

struct capacity_cli {
	struct options common; /* --format, --digits, --group, --window */
	bool json;
	struct capacity_slo slo;
};

enum { OPT_CHARTS, OPT_CHART_FORMAT, OPT_DIGITS, OPT_ENDPOINT_MEMORY, OPT_FORMAT, OPT_FSYNC,
       OPT_GROUP, OPT_JOBS, OPT_JSON, OPT_OPEN_MODEL, OPT_QUIET, OPT_SLO, OPT_WINDOW };
static const struct cli_option capacity_options_table[] = {
	[OPT_CHART_FORMAT] = OPTIONS_CHART_FORMAT,
	[OPT_CHARTS] = {"charts", 0, "DIR",
			"draw the capacity chart into DIR (created when missing): throughput\n"
			"and p95 against load, the USL's fitted curve, the SLO and its crossing"},
	[OPT_DIGITS] = OPTIONS_DIGITS,
	[OPT_ENDPOINT_MEMORY] = OPTIONS_ENDPOINT_MEMORY,
	[OPT_FORMAT] = OPTIONS_FORMAT,
	[OPT_FSYNC] = OPTIONS_FSYNC,
	[OPT_GROUP] = {"group", 'g', "REGEX=NAME", "fold endpoint names (repeatable)"},
	[OPT_JOBS] = OPTIONS_JOBS,
	[OPT_JSON] = {"json", 0, NULL, "print JSON (formats/capacity.md) instead of text"},
	[OPT_OPEN_MODEL] = OPTIONS_OPEN_MODEL,
	[OPT_QUIET] = OPTIONS_QUIET,
	[OPT_SLO] = {"slo", 0, "RULE",
		     "the SLO to find the crossing of: p95<300ms, p(99)<=1s or error_rate<1%"},
	[OPT_WINDOW] = OPTIONS_WINDOW,
};

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	struct capacity_cli *o = context;
	if (index == OPT_JSON) {
		o->json = true;
		return true;
	}
	if (index == OPT_SLO) {
		if (!capacity_slo_parse(arg, &o->slo)) {
			diag_report(d, DIAG_USAGE, NULL,
				    "--slo: '%s' is not pN < TIME, p(N) <= TIME or error_rate < PCT "
				    "(e.g. p95<300ms)",
				    arg);
			return false;
		}
		return true;
	}
	return options_take(&o->common, capacity_options_table[index].name, arg, d);
}

const struct cli_command_help cli_help_capacity = {
	.usage = "perfgate capacity [--json] [--slo RULE] [OPTIONS] INPUT...",
	.about =
		"Reads runs of one workload at several load levels (each input a run; its\n"
		"concurrency is its level) and says how much load it takes before it breaks:\n"
		"throughput and latency against the lowest level, the breaking point, the\n"
		"latency knee, where an SLO stops holding, and a Universal Scalability Law fit\n"
		"(needs 6 levels or more). docs/capacity.md explains every number.",
	.options = capacity_options_table,
	.option_count = PG_ARRAY_LEN(capacity_options_table),
	.inputs = CLI_INPUTS_FORMAT,
	.exit_codes =
		"Exit codes: 0 analysed, 2 a usage or input error, or runs that are no series.",
};

static void print_capacity_help(void)
{
	cli_print_command_help(stdout, &cli_help_capacity);
}

int cmd_capacity(int argc, char **argv, struct diag *d)
{
	struct capacity_cli o = {0};
	options_init(&o.common);
	char **args = NULL;
	size_t count = 0;
	int code = EXIT_USAGE;
	struct model *m = NULL;
	enum cli_parsed parsed = cli_parse_command(capacity_options_table,
						   PG_ARRAY_LEN(capacity_options_table), argc, argv,
						   handle_option, &o, &args, &count, print_capacity_help,
						   "capacity needs the runs of a series as INPUTs", d);
	if (parsed != CLI_PARSED_RUN) {
		code = parsed == CLI_PARSED_HELP ? EXIT_PASS : EXIT_USAGE;
		goto out;
	}
	if (!ingest_load(args, count, &o.common.input, &m, d))        /* load */
		goto out;
	options_apply_window(&o.common, m, d);
	struct capacity c;
	if (!capacity_analyse(m, &o.slo, &c)) {                          /* analyse */
		diag_report(d, DIAG_USAGE, NULL, "%s", c.problem);
		capacity_fini(&c);
		goto out;
	}
	bool drawn_ok = true;                                            /* emit */
	if (o.common.out.charts) {
		struct chart_spec *specs;
		size_t n = capacity_chart_specs(m, &c, &specs);
		struct drawn_chart *drawn;
		size_t drawn_count;
		if (o.json) /* JSON alone on standard output */
			o.common.out.markdown = "-";
		drawn_ok = outputs_draw(&o.common.out, specs, n, &drawn, &drawn_count, d);
		outputs_drawn_free(drawn, drawn_count);
		chart_specs_free(specs, n);
	}
	struct buf text;
	buf_init(&text);
	if (o.json)
		capacity_write_json(&c, &text);
	else
		capacity_write_text(&c, &text);
	fwrite(text.data, 1, text.len, stdout);
	fflush(stdout);
	buf_fini(&text);
	capacity_fini(&c);
	code = drawn_ok ? EXIT_PASS : EXIT_USAGE;
out:
	model_free(m);
	options_fini(&o.common);
	free(args);
	return code;
}
