/*
 * cmd_compare.c - `perfgate compare [OPTIONS] BASELINE... -- CANDIDATE...`: is the candidate
 * different from the baseline, beyond noise?
 *
 * load (each side's inputs into a model of its own: every input a run, repeats never
 * merged) -> analyse (analysis/compare.c) -> emit: the table on standard output (or the
 * document sent there), then on request the comparison JSON, JUnit and the Markdown
 * report, each written atomically.
 *
 * The arguments before the first "--" are the baseline's, those after it the candidate's;
 * options may stand on either side. Exit: 2 for a usage or input error (nothing compared),
 * else 1 when a gated metric regressed beyond the threshold, else 3 when a gated metric is
 * inconclusive, else 0.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "emit/chart.h"
#include "exit_code.h"
#include "options.h"
#include "util/io.h"
#include "util/num.h"

struct compare_cli {
	struct options common;          /* --format, --digits, --group, --markdown, --template */
	struct compare_options analysis;
	const char *verdict;            /* --verdict FILE: the comparison JSON */
	const char *junit;              /* --junit FILE */
};

enum { OPT_CHARTS, OPT_CHART_FORMAT, OPT_CONFIDENCE, OPT_DIGITS, OPT_ENDPOINT_MEMORY, OPT_FORMAT,
       OPT_FSYNC, OPT_GATE, OPT_GROUP, OPT_JOBS, OPT_JUNIT, OPT_MARKDOWN, OPT_METRIC, OPT_QUIET,
       OPT_RESAMPLES, OPT_TEMPLATE, OPT_THRESHOLD, OPT_VERDICT, OPT_WINDOW };
static const struct cli_option compare_options_table[] = {
	[OPT_CHART_FORMAT] = OPTIONS_CHART_FORMAT,
	[OPT_CHARTS] = {"charts", 0, "DIR",
			"draw the compare charts into DIR (created when missing): the spectra\n"
			"with intervals and the shift function; --markdown embeds them"},
	[OPT_CONFIDENCE] = {"confidence", 0, "PCT",
			    "confidence of every interval and test, 80..99.9 % (default 95%)"},
	[OPT_DIGITS] = OPTIONS_DIGITS,
	[OPT_ENDPOINT_MEMORY] = OPTIONS_ENDPOINT_MEMORY,
	[OPT_FORMAT] = OPTIONS_FORMAT,
	[OPT_FSYNC] = OPTIONS_FSYNC,
	[OPT_GATE] = {"gate", 0, "LIST",
		      "the metrics that decide the exit code, comma-separated, from p50, p90,\n"
		      "p95, p99, mean, throughput, error_rate (default: all)"},
	[OPT_GROUP] = {"group", 'g', "REGEX=NAME",
		       "fold endpoint names on both sides before comparing (repeatable)"},
	[OPT_JOBS] = OPTIONS_JOBS,
	[OPT_VERDICT] = {"verdict", 0, "FILE",
			 "write the comparison as JSON (formats/compare.md), as check --verdict"},
	[OPT_JUNIT] = {"junit", 0, "FILE", "write JUnit XML: one testcase per gated metric and endpoint"},
	[OPT_MARKDOWN] = {"markdown", 0, "FILE", "write the comparison as a Markdown report"},
	[OPT_METRIC] = {"metric", 'm', "NAME",
			"the trend whose percentiles and mean are compared (default latency):\n"
			"a Prometheus histogram (http_request_duration_seconds), a k6 Trend"},
	[OPT_QUIET] = OPTIONS_QUIET,
	[OPT_RESAMPLES] = {"resamples", 0, "N",
			   "bootstrap resamples per interval, 1000..100000 (default 4000)"},
	[OPT_TEMPLATE] = {"template", 0, "FILE",
			  "render --markdown from this Mustache template (its context is the\n"
			  "--verdict document)"},
	[OPT_THRESHOLD] = {"threshold", 0, "[METRIC=]PCT",
			   "noise threshold: a change inside +-PCT is 'no change' (default 5%);\n"
			   "METRIC=PCT sets one metric's (repeatable); error_rate's is in\n"
			   "percentage points (default 0.1)"},
	[OPT_WINDOW] = OPTIONS_WINDOW,
};

/* "5%", "5" (percent) -> 0.05; false when not a finite number in [lo, hi] percent. */
static bool parse_percent(const char *text, size_t len, double lo, double hi, double *out)
{
	if (len > 0 && text[len - 1] == '%')
		len--;
	double v;
	size_t used;
	if (num_parse_double(text, len, &v, &used) != NUM_OK || used != len || v < lo || v > hi)
		return false;
	*out = v / 100;
	return true;
}

static bool take_threshold(struct compare_cli *o, const char *arg, struct diag *d)
{
	const char *eq = strchr(arg, '=');
	const char *value = eq ? eq + 1 : arg;
	double v;
	if (!parse_percent(value, strlen(value), 0, 1000, &v)) {
		diag_report(d, DIAG_USAGE, NULL,
			    "--threshold: '%s' is not a percentage 0..1000 (e.g. 5%% or p99=10%%)",
			    value);
		return false;
	}
	if (!eq) { /* every relative metric; error_rate keeps its points */
		for (int m = 0; m < CMP__COUNT; m++)
			if (m != CMP_ERROR_RATE)
				o->analysis.threshold[m] = v;
		return true;
	}
	enum compare_metric m;
	if (!compare_metric_from_name(arg, (size_t)(eq - arg), &m)) {
		diag_report(d, DIAG_USAGE, NULL,
			    "--threshold: unknown metric '%.*s' (p50, p90, p95, p99, mean, "
			    "throughput, error_rate)",
			    (int)(eq - arg), arg);
		return false;
	}
	o->analysis.threshold[m] = v;
	return true;
}

static bool take_gate(struct compare_cli *o, const char *arg, struct diag *d)
{
	bool gate[CMP__COUNT] = {false};
	for (const char *p = arg;;) {
		size_t len = strcspn(p, ",");
		enum compare_metric m;
		if (!compare_metric_from_name(p, len, &m)) {
			diag_report(d, DIAG_USAGE, NULL,
				    "--gate: unknown metric '%.*s' (p50, p90, p95, p99, mean, "
				    "throughput, error_rate)",
				    (int)len, p);
			return false;
		}
		gate[m] = true;
		if (!p[len])
			break;
		p += len + 1;
	}
	memcpy(o->analysis.gate, gate, sizeof gate);
	return true;
}

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	struct compare_cli *o = context;
	double v;
	int64_t n;
	switch (index) {
	case OPT_CONFIDENCE:
		if (!parse_percent(arg, strlen(arg), 80, 99.9, &v)) {
			diag_report(d, DIAG_USAGE, NULL,
				    "--confidence: '%s' is not a percentage 80..99.9 (e.g. 95%%)", arg);
			return false;
		}
		o->analysis.confidence = v;
		return true;
	case OPT_GATE:
		return take_gate(o, arg, d);
	case OPT_VERDICT:
		o->verdict = arg;
		return true;
	case OPT_METRIC:
		o->analysis.metric = arg;
		return true;
	case OPT_JUNIT:
		o->junit = arg;
		return true;
	case OPT_RESAMPLES:
		if (num_parse_int(arg, strlen(arg), &n, NULL) != NUM_OK || n < 1000 || n > 100000) {
			diag_report(d, DIAG_USAGE, NULL,
				    "--resamples: '%s' is not a number 1000..100000", arg);
			return false;
		}
		o->analysis.resamples = (int)n;
		return true;
	case OPT_THRESHOLD:
		return take_threshold(o, arg, d);
	default:
		return options_take(&o->common, compare_options_table[index].name, arg, d);
	}
}

const struct cli_command_help cli_help_compare = {
	.usage = "perfgate compare [OPTIONS] BASELINE... -- CANDIDATE...",
	.about =
		"Compares candidate runs with baseline runs, per endpoint and metric (p50, p90,\n"
		"p95, p99, mean, throughput, error rate), and says for each whether it changed\n"
		"beyond noise: 'regression', 'improvement', 'no change' or 'inconclusive'.\n"
		"Each input is one run; several runs on a side are repeats of one workload and\n"
		"are compared run by run, never merged. Raw samples (k6 --out json/csv, Locust\n"
		"--json, model JSON) give intervals from one run; tools that print only\n"
		"percentiles (wrk, autocannon, Locust CSV) need repeats: at 95 % confidence a\n"
		"rank test needs 4 runs a side. docs/statistics.md explains every method.",
	.options = compare_options_table,
	.option_count = PG_ARRAY_LEN(compare_options_table),
	.inputs = CLI_INPUTS_FORMAT,
	.exit_codes =
		"Exit codes: 0 no gated metric regressed or is inconclusive, 1 a gated metric\n"
		"regressed beyond its threshold, 2 a usage or input error, 3 a gated metric is\n"
		"inconclusive (more or longer runs would decide).",
};

static void print_compare_help(void)
{
	cli_print_command_help(stdout, &cli_help_compare);
}

static bool to_stdout(const char *path)
{
	return path && strcmp(path, "-") == 0;
}

static int exit_code_of(const struct comparison *c)
{
	if (c->regressions)
		return EXIT_BUDGET_FAILED;
	if (c->inconclusive)
		return EXIT_INCONCLUSIVE;
	return EXIT_PASS;
}

/* Parses one half of the command line (options and that side's inputs). */
static bool parse_half(struct compare_cli *o, int argc, char **argv, char ***args,
		       size_t *count, bool *help, struct diag *d)
{
	bool h = false;
	bool ok = cli_parse(compare_options_table, PG_ARRAY_LEN(compare_options_table), argc, argv,
			    handle_option, o, args, count, &h, d);
	*help = *help || h;
	return ok;
}

static bool write_outputs(const struct compare_cli *o, const struct comparison *c,
			  const struct model *base, const struct model *cand, int code,
			  struct diag *d)
{
	bool ok = true;
	struct drawn_chart *drawn = NULL;
	size_t drawn_count = 0;
	if (o->common.out.charts) { /* first: the JSON and the Markdown list them */
		struct chart_spec *specs;
		size_t n = compare_chart_specs(c, base, cand, &specs);
		ok = outputs_draw(&o->common.out, specs, n, &drawn, &drawn_count, d);
		chart_specs_free(specs, n);
	}
	struct buf json;
	buf_init(&json);
	compare_write_json(c, base, cand, code, drawn, drawn_count, &json);
	if (o->verdict)
		ok = io_write_output(o->verdict, &json, "the comparison", d) && ok;
	if (o->junit)
		ok = junit_write_comparison(c, base, cand, o->junit, d) && ok;
	if (o->common.out.markdown)
		ok = compare_write_markdown(&json, o->common.out.template_path,
					    o->common.out.markdown, d) && ok;
	buf_fini(&json);
	outputs_drawn_free(drawn, drawn_count);
	return ok;
}

int cmd_compare(int argc, char **argv, struct diag *d)
{
	struct compare_cli o = {0};
	options_init(&o.common);
	compare_options_init(&o.analysis);
	char **base_args = NULL, **cand_args = NULL;
	size_t base_count = 0, cand_count = 0;
	bool help = false;
	int code = EXIT_USAGE;
	struct model *base = NULL, *cand = NULL;
	int split = 0;
	while (split < argc && strcmp(argv[split], "--") != 0)
		split++;
	bool parsed = parse_half(&o, split, argv, &base_args, &base_count, &help, d);
	if (split < argc)
		parsed = parse_half(&o, argc - split - 1, argv + split + 1, &cand_args, &cand_count,
				    &help, d) && parsed;
	if (!parsed)
		goto out;
	if (help) {
		print_compare_help();
		code = EXIT_PASS;
		goto out;
	}
	if (split >= argc || base_count == 0 || cand_count == 0) {
		diag_report(d, DIAG_USAGE, NULL,
			    "compare needs BASELINE... -- CANDIDATE...: at least one input on each "
			    "side of '--'");
		goto out;
	}
	if (o.common.window.kind == WINDOW_STAGES) {
		diag_report(d, DIAG_USAGE, NULL,
			    "--window stages makes a run per load level, and compare reads the runs "
			    "of a side as repeats of one load: use perfgate capacity for stages");
		goto out;
	}
	int documents = to_stdout(o.verdict) + to_stdout(o.junit) + to_stdout(o.common.out.markdown);
	if (documents > 1) {
		diag_report(d, DIAG_USAGE, NULL, "only one output can go to standard output ('-')");
		goto out;
	}
	bool ok = ingest_load_pair(base_args, base_count, cand_args, cand_count,      /* load */
				   &o.common.input, &base, &cand, d);
	if (!ok)
		goto out;
	options_apply_window(&o.common, base, d);                                /* window */
	options_apply_window(&o.common, cand, d);
	model_warn_load_differs(base, cand, d);
	struct comparison c;
	compare_models(base, cand, &o.analysis, &c);                              /* analyse */
	if (c.count == 0) { /* a pass over nothing would mislead */
		diag_report(d, DIAG_USAGE, NULL,
			    "nothing to compare: no run on either side has '%s', requests or "
			    "errors (--metric NAME picks another trend; `perfgate show` lists them)",
			    o.analysis.metric ? o.analysis.metric : "latency");
		comparison_fini(&c);
		goto out;
	}
	code = exit_code_of(&c);
	if (documents == 0) {                                                     /* emit */
		struct buf text;
		buf_init(&text);
		compare_write_text(&c, base, cand, code, &text);
		fwrite(text.data, 1, text.len, stdout);
		fflush(stdout);
		buf_fini(&text);
	}
	if (!write_outputs(&o, &c, base, cand, code, d))
		code = EXIT_USAGE;
	comparison_fini(&c);
out:
	model_free(base);
	model_free(cand);
	options_fini(&o.common);
	free(base_args);
	free(cand_args);
	return code;
}
