/*
 * options.c - the shared option switch (options.h).
 *
 * Every flag that more than one command takes is interpreted here and nowhere else: the
 * argument checks (--digits 1..5, --no-data fail|warn|pass, --chart-format png|svg|both, a
 * non-empty --charts, a known --format, a valid --group regex) and the usage errors they give.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "util/io.h"
#include "util/num.h"
#include "util/progress.h"

void options_init(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->input.digits = HIST_DIGITS_DEFAULT;
}

void options_mark_open_model(const struct options *o, struct model *m)
{
	for (size_t i = 0; m && o->open_model && i < m->run_count; i++)
		m->runs[i]->open_model = true;
}

void options_apply_window(const struct options *o, struct model *m, struct diag *d)
{
	options_mark_open_model(o, m);
	if (m && o->window.kind != WINDOW_WHOLE)
		window_apply(m, &o->window, d);
}

void options_fini(struct options *o)
{
	endpoint_rules_free(o->rules);
	free(o->baseline);
	free(o->out.about);
	o->rules = NULL;
	o->baseline = NULL;
	o->out.about = NULL;
	o->out.about_count = 0;
	o->input.rules = NULL;
}

/* --context KEY=VALUE: an item of the report's header (commit, branch, environment). */
static bool take_context(struct outputs *out, const char *arg, struct diag *d)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		diag_report(d, DIAG_USAGE, NULL,
			    "--context: '%s' is not KEY=VALUE (e.g. --context commit=4f2a9c1)", arg);
		diag_report(d, DIAG_NOTE, NULL,
			    "the report context JSON, printed by --context in earlier versions, is "
			    "now --dump-context");
		return false;
	}
	out->about = xrealloc(out->about, (out->about_count + 1) * sizeof *out->about);
	out->about[out->about_count++] = arg;
	return true;
}

static bool take_format(struct options *o, const char *name, struct diag *d)
{
	o->input.format = registry_find(name);
	if (!o->input.format) {
		diag_report(d, DIAG_FORMAT_NAME, NULL, "unknown format '%s'", name);
		diag_report(d, DIAG_NOTE, NULL, "`perfgate show --help` lists the formats");
	}
	return o->input.format != NULL;
}

static bool take_digits(struct options *o, const char *arg, struct diag *d)
{
	int64_t digits;
	if (num_parse_int(arg, strlen(arg), &digits, NULL) != NUM_OK || digits < HIST_DIGITS_MIN ||
	    digits > HIST_DIGITS_MAX) {
		diag_report(d, DIAG_USAGE, NULL, "--digits: '%s' is not a number 1..5", arg);
		return false;
	}
	o->input.digits = (int)digits;
	return true;
}

static bool take_chart_format(struct outputs *out, const char *arg, struct diag *d)
{
	out->png = strcmp(arg, "png") == 0 || strcmp(arg, "both") == 0;
	out->svg = strcmp(arg, "svg") == 0 || strcmp(arg, "both") == 0;
	if (!out->png && !out->svg) {
		diag_report(d, DIAG_USAGE, NULL, "--chart-format: '%s' is not png, svg or both", arg);
		return false;
	}
	return true;
}

static bool take_jobs(struct options *o, const char *arg, struct diag *d)
{
	int64_t jobs;
	if (num_parse_int(arg, strlen(arg), &jobs, NULL) != NUM_OK || jobs < 1 || jobs > 64) {
		diag_report(d, DIAG_USAGE, NULL, "--jobs: '%s' is not a number 1..64", arg);
		return false;
	}
	o->input.jobs = (int)jobs;
	return true;
}

/* --endpoint-memory SIZE: bytes, or K, M, G (KiB, MiB, GiB; "iB" or "B" may follow) */
static bool take_endpoint_memory(struct options *o, const char *arg, struct diag *d)
{
	size_t digits = strspn(arg, "0123456789");
	int64_t n = -1;
	const char *unit = arg + digits;
	int shift = 0;
	if (*unit == 'K' || *unit == 'k')
		shift = 10;
	else if (*unit == 'M' || *unit == 'm')
		shift = 20;
	else if (*unit == 'G' || *unit == 'g')
		shift = 30;
	if (shift)
		unit++;
	if (shift && strcmp(unit, "iB") == 0)
		unit += 2;
	else if (strcmp(unit, "B") == 0)
		unit++;
	if (digits == 0 || digits > 15 || *unit ||
	    num_parse_int(arg, digits, &n, NULL) != NUM_OK || n > (INT64_C(1) << 40) >> shift) {
		diag_report(d, DIAG_USAGE, NULL,
			    "--endpoint-memory: '%s' is not a size such as 256M, 1G or 0 (no limit)",
			    arg);
		return false;
	}
	o->input.endpoint_memory = n == 0 ? SIZE_MAX : (size_t)n << shift;
	return true;
}

bool options_take(struct options *o, const char *name, const char *arg, struct diag *d)
{
	if (strcmp(name, "format") == 0)
		return take_format(o, arg, d);
	if (strcmp(name, "digits") == 0)
		return take_digits(o, arg, d);
	if (strcmp(name, "group") == 0) {
		if (!o->rules)
			o->rules = endpoint_rules_new();
		o->input.rules = o->rules;
		return endpoint_rules_add(o->rules, arg, d);
	}
	if (strcmp(name, "budget") == 0) {
		o->budget = arg;
	} else if (strcmp(name, "baseline") == 0) {
		o->baseline = xrealloc(o->baseline, (o->baseline_count + 1) * sizeof *o->baseline);
		o->baseline[o->baseline_count++] = (char *)arg;
	} else if (strcmp(name, "no-data") == 0) {
		o->has_no_data = no_data_policy_from_name(arg, &o->no_data);
		if (!o->has_no_data)
			diag_report(d, DIAG_USAGE, NULL,
				    "--no-data: '%s' is not fail, warn or pass", arg);
		return o->has_no_data;
	} else if (strcmp(name, "save-model") == 0) {
		o->save_model = arg;
	} else if (strcmp(name, "markdown") == 0) {
		o->out.markdown = arg;
	} else if (strcmp(name, "summary") == 0) {
		o->out.summary = arg;
	} else if (strcmp(name, "charts") == 0) {
		o->out.charts = arg; /* never "": cli_parse refuses empty FILE and DIR arguments */
	} else if (strcmp(name, "chart-format") == 0) {
		return take_chart_format(&o->out, arg, d);
	} else if (strcmp(name, "template") == 0) {
		o->out.template_path = arg;
	} else if (strcmp(name, "summary-template") == 0) {
		o->out.summary_template = arg;
	} else if (strcmp(name, "dump-context") == 0) {
		o->out.dump_context = true;
	} else if (strcmp(name, "context") == 0) {
		return take_context(&o->out, arg, d);
	} else if (strcmp(name, "slo") == 0) {
		if (!capacity_slo_parse(arg, &o->out.slo)) {
			diag_report(d, DIAG_USAGE, NULL,
				    "--slo: '%s' is not pN < TIME, p(N) <= TIME or error_rate < PCT "
				    "(e.g. p95<300ms)",
				    arg);
			return false;
		}
	} else if (strcmp(name, "fsync") == 0) {
		io_set_fsync(true);
	} else if (strcmp(name, "quiet") == 0) {
		progress_enable(false);
	} else if (strcmp(name, "jobs") == 0) {
		return take_jobs(o, arg, d);
	} else if (strcmp(name, "endpoint-memory") == 0) {
		return take_endpoint_memory(o, arg, d);
	} else if (strcmp(name, "open-model") == 0) {
		o->open_model = true;
	} else if (strcmp(name, "window") == 0) {
		if (!window_spec_parse(arg, &o->window)) {
			diag_report(d, DIAG_USAGE, NULL,
				    "--window: '%s' is not steady, stages, whole or FROM..TO (30s.., "
				    "..2m, 10s..70s)",
				    arg);
			return false;
		}
	} else {
		assert(!"an option table lists a flag that nothing takes");
		return false;
	}
	return true;
}

/* Whether path is "-": a document then owns standard output. */
static int is_stdout(const char *path)
{
	return path && strcmp(path, "-") == 0;
}

bool options_one_stdout_document(const struct options *o, int others, struct diag *d)
{
	int documents = others + is_stdout(o->out.markdown) + is_stdout(o->out.summary) +
			is_stdout(o->save_model) + (o->out.dump_context ? 1 : 0);
	if (documents <= 1)
		return true;
	diag_report(d, DIAG_USAGE, NULL,
		    "%d outputs go to standard output (given as '-'%s): it holds one document; "
		    "write the others to files", documents, o->out.dump_context ? ", or --dump-context" : "");
	return false;
}
