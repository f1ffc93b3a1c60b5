/*
 * cmd_show.c - `perfgate show [--json] [--percentiles LIST] INPUT...`: the model, readable.
 *
 * load (ingest_load) -> emit (emit/show.c: the text dump, or with --json the machine
 * interface of formats/show-json.md); nothing is judged. `--save-model FILE` also writes the
 * model as model JSON (atomically), unless an input had an error. Exit 0, or 2 when an input
 * or the command line had an error (what did load is still shown).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exit_code.h"
#include "options.h"
#include "util/num.h"

struct show_options {
	struct options common;            /* --format, --digits, --group, --save-model */
	bool json;
	bool breakdown;
	double percents[SHOW_MAX_PERCENTILES]; /* in 0..100, sorted, distinct */
	size_t percent_count;
};

enum { OPT_BREAKDOWN, OPT_DIGITS, OPT_ENDPOINT_MEMORY, OPT_FORMAT, OPT_FSYNC, OPT_GROUP, OPT_JOBS,
       OPT_JSON, OPT_PERCENTILES, OPT_QUIET, OPT_SAVE_MODEL, OPT_WINDOW };
static const struct cli_option show_options_table[] = {
	[OPT_BREAKDOWN] = {"breakdown", 0, NULL,
			   "text: also list the series broken down by tags (status, group,\n"
			   "scenario, ...); --json always lists them"},
	[OPT_DIGITS] = OPTIONS_DIGITS,
	[OPT_ENDPOINT_MEMORY] = OPTIONS_ENDPOINT_MEMORY,
	[OPT_FORMAT] = OPTIONS_FORMAT,
	[OPT_FSYNC] = OPTIONS_FSYNC,
	[OPT_GROUP] = {"group", 'g', "REGEX=NAME",
		       "fold endpoint names: every match of the PCRE2 REGEX is replaced by\n"
		       "NAME ($1 for groups), e.g. '/users/\\d+=/users/:id'; repeatable,\n"
		       "applied in order"},
	[OPT_JOBS] = OPTIONS_JOBS,
	[OPT_JSON] = {"json", 0, NULL, "print JSON (formats/show-json.md) instead of text"},
	[OPT_PERCENTILES] = {"percentiles", 'p', "LIST",
			     "extra percentiles to print, comma-separated (e.g. 75,99.99);\n"
			     "p50, p90, p95, p99 and p99.9 are always printed"},
	[OPT_QUIET] = OPTIONS_QUIET,
	[OPT_SAVE_MODEL] = {"save-model", 0, "FILE", "also write the model as model JSON to FILE"},
	[OPT_WINDOW] = OPTIONS_WINDOW,
};

static void add_percent(struct show_options *o, double p)
{
	for (size_t i = 0; i < o->percent_count; i++)
		if (fabs(o->percents[i] - p) < 1e-9)
			return;
	size_t i = o->percent_count++;
	while (i > 0 && o->percents[i - 1] > p) {
		o->percents[i] = o->percents[i - 1];
		i--;
	}
	o->percents[i] = p;
}

static bool parse_percentiles(struct show_options *o, const char *list, struct diag *d)
{
	const char *p = list;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		double v;
		if (len > 0 && (p[0] == 'p' || p[0] == 'P'))
			p++, len--;
		if (num_parse_double(p, len, &v, NULL) != NUM_OK || v < 0 || v > 100) {
			diag_report(d, DIAG_USAGE, NULL,
				    "--percentiles: '%.*s' is not a percentile between 0 and 100",
				    (int)len, p);
			return false;
		}
		if (o->percent_count == SHOW_MAX_PERCENTILES) {
			diag_report(d, DIAG_USAGE, NULL, "--percentiles: at most %d percentiles",
				    SHOW_MAX_PERCENTILES - 5);
			return false;
		}
		add_percent(o, v);
		if (!end)
			return true;
		p = end + 1;
	}
}

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	struct show_options *o = context;
	if (index == OPT_JSON)
		o->json = true;
	else if (index == OPT_BREAKDOWN)
		o->breakdown = true;
	else if (index == OPT_PERCENTILES)
		return parse_percentiles(o, arg, d);
	else
		return options_take(&o->common, show_options_table[index].name, arg, d);
	return true;
}

const struct cli_command_help cli_help_show = {
	.usage = "perfgate show [OPTIONS] INPUT...",
	.about =
		"Prints every run and series read from the inputs: count, rate, error rate, min,\n"
		"mean, max, stddev and percentiles, each with its unit and precision (exact,\n"
		"bucketed, quantiles). '~' marks a value interpolated between reported percentiles.",
	.options = show_options_table,
	.option_count = PG_ARRAY_LEN(show_options_table),
	.inputs = CLI_INPUTS_FORMAT,
};

static void print_show_help(void)
{
	cli_print_command_help(stdout, &cli_help_show);
}

int cmd_show(int argc, char **argv, struct diag *d)
{
	struct show_options o = {0};
	options_init(&o.common);
	static const double defaults[] = {50, 90, 95, 99, 99.9};
	for (size_t i = 0; i < PG_ARRAY_LEN(defaults); i++)
		add_percent(&o, defaults[i]);
	char **args = NULL;
	size_t count = 0;
	int code = EXIT_USAGE;
	struct model *m = NULL;
	enum cli_parsed parsed = cli_parse_command(show_options_table,
						   PG_ARRAY_LEN(show_options_table), argc, argv,
						   handle_option, &o, &args, &count, print_show_help,
						   "show needs at least one INPUT", d);
	if (parsed != CLI_PARSED_RUN) {
		code = parsed == CLI_PARSED_HELP ? EXIT_PASS : EXIT_USAGE;
		goto out;
	}
	bool loaded = ingest_load(args, count, &o.common.input, &m, d);   /* load */
	if (loaded)
		options_apply_window(&o.common, m, d);                      /* window */
	struct show_view view = {o.percents, o.percent_count, o.breakdown};  /* emit */
	struct buf text;
	buf_init(&text);
	/* --save-model - puts the model alone on standard output, as every "-" output does */
	bool model_to_stdout = o.common.save_model && strcmp(o.common.save_model, "-") == 0;
	if (model_to_stdout && o.json) {
		diag_report(d, DIAG_USAGE, NULL,
			    "--json and --save-model - both write to standard output; save the model "
			    "to a file");
		buf_fini(&text);
		goto out;
	}
	if (o.json) {
		/* a JSON document of some of the inputs would pass for all of them: none */
		if (loaded)
			show_write_json(m, &view, &text);
	} else if (!model_to_stdout) {
		show_write_text(m, &view, &text);
	}
	fwrite(text.data ? text.data : "", 1, text.len, stdout);
	fflush(stdout);
	buf_fini(&text);
	if (loaded && (!o.common.save_model ||
		       outputs_save_model(m, o.common.save_model, d)))
		code = EXIT_PASS;
out:
	model_free(m);
	options_fini(&o.common);
	free(args);
	return code;
}
