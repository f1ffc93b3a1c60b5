/*
 * report.c - the report context: one JSON document built once from the model, the baseline
 * and the verdict, from which every Markdown output is rendered (formats/report-context.md).
 *
 * The context holds numbers twice: as values (for tools and conditions) and as formatted text
 * with units ("412.3 ms", "~105.3 ms" for an estimate, "-" when missing), so templates only
 * place text and never format. Strings from inputs (run labels, endpoint names, rule names)
 * are stored as they are: escaping is the template engine's job and depends on the output
 * (mustache.h), so the context stays true to the data for `report --context`.
 *
 * What is computed here and nowhere else: the per-run status from its results, the baseline
 * deltas, the load-level table (degradation against the lowest-load run), the precision
 * notes. Everything is in model order or sorted with a tie-breaker, so the context, and every
 * document made from it, is the same for the same inputs. The caller owns the returned json_t.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "../util/jsonw.h"
#include "../util/timefmt.h"

/* Rows in the short lists the job summary shows (problems_head, runs_head). */
enum { REPORT_HEAD = 10 };
/* Throughput growth below which a higher load level counts as saturated (5 %). */
#define REPORT_SATURATION 0.05

/*
 * A JSON string of s (NULL: null). Names, labels and paths come from inputs and need not be
 * UTF-8; Jansson refuses such a string, so each invalid byte becomes U+FFFD instead of the
 * key silently vanishing from the context.
 */
static json_t *text_json(const char *s)
{
	if (!s)
		return json_null();
	size_t len = strlen(s);
	if (str_utf8_valid(s, len) == len)
		return json_string(s);
	struct buf clean;
	buf_init(&clean);
	str_utf8_clean(&clean, s, len, 0, SIZE_MAX);
	json_t *j = json_string(clean.data);
	buf_fini(&clean);
	return j;
}

/* ---- values ---- */

/* {"value": number|null, "text": "412.3 ms", "estimate": bool} */
static json_t *value_json(struct value v, enum dim dim)
{
	char text[72], number[64];
	if (v.kind == VALUE_MISSING || !isfinite(v.number))
		return json_pack("{s:n, s:s, s:b}", "value", "text", "-", "estimate", 0);
	snprintf(text, sizeof text, "%s%s", v.kind == VALUE_ESTIMATE ? "~" : "",
		 dim_format(number, v.number, dim));
	return json_pack("{s:f, s:s, s:b}", "value", v.number, "text", text, "estimate",
			 v.kind == VALUE_ESTIMATE);
}

static json_t *count_json(struct value v)
{
	char text[40];
	if (v.kind == VALUE_MISSING || !isfinite(v.number))
		return json_pack("{s:n, s:s, s:b}", "value", "text", "-", "estimate", 0);
	snprintf(text, sizeof text, "%.0f", v.number);
	return json_pack("{s:f, s:s, s:b}", "value", v.number, "text", text, "estimate", 0);
}

/* "+12.3 %", "-4.5 %", "0 %"; "" when undefined. */
static void change_text(double change, char out[40])
{
	if (!isfinite(change)) {
		out[0] = '\0';
		return;
	}
	char number[32];
	double percent = str_round_significant(change * 100, 3);
	str_format_double(number, percent);
	snprintf(out, 40, "%s%s %%", percent > 0 ? "+" : "", number);
}

/* {"value": fraction|null, "text": "+12.3 %"}; "~+12.3 %" when an operand is an estimate. */
static json_t *change_json(double change, bool estimate)
{
	char text[48];
	change_text(change, text + 1);
	text[0] = '~';
	if (!isfinite(change))
		return json_pack("{s:n, s:s}", "value", "text", "");
	return json_pack("{s:f, s:s}", "value", change, "text", estimate ? text : text + 1);
}

static bool either_estimate(struct value a, struct value b)
{
	return a.kind == VALUE_ESTIMATE || b.kind == VALUE_ESTIMATE;
}

static double ratio_change(struct value now, struct value then)
{
	if (now.kind == VALUE_MISSING || then.kind == VALUE_MISSING || then.number == 0)
		return NAN;
	return now.number / then.number - 1;
}

/* ---- rows: the numbers of a run or an endpoint ---- */

static const struct series *latency_at(const struct run *run, const char *endpoint)
{
	const struct series *s = model_find_series(run, "latency", endpoint, NULL, 0);
	return s && s->kind == SERIES_TREND ? s : NULL;
}

static struct value percentile(const struct series *s, double percent)
{
	return s ? model_series_value_at(s, model_quantile_of_percent(percent))
		 : (struct value){0, VALUE_MISSING};
}

/* The numbers of one row of the breakdown: the whole run (endpoint NULL) or one endpoint. */
static json_t *row_json(const struct run *run, const char *endpoint)
{
	struct request_totals t = model_run_totals_at(run, endpoint);
	const struct series *lat = latency_at(run, endpoint);
	json_t *row = json_object();
	json_object_set_new(row, "name", text_json(endpoint ? endpoint : "whole run"));
	json_object_set_new(row, "endpoint", endpoint ? text_json(endpoint) : json_null());
	json_object_set_new(row, "requests", count_json(t.requests));
	json_object_set_new(row, "errors", count_json(t.errors));
	json_object_set_new(row, "rps", value_json(t.rps, DIM_PER_S));
	json_object_set_new(row, "error_rate", value_json(t.error_rate, DIM_RATIO));
	static const struct {
		const char *key;
		double percent;
	} percentiles[] = {{"p50", 50}, {"p90", 90}, {"p95", 95}, {"p99", 99}};
	for (size_t i = 0; i < PG_ARRAY_LEN(percentiles); i++)
		json_object_set_new(row, percentiles[i].key,
				    value_json(percentile(lat, percentiles[i].percent), DIM_TIME));
	static const struct value missing = {0, VALUE_MISSING};
	json_object_set_new(row, "mean",
			    value_json(lat ? model_series_stat(lat, STAT_MEAN) : missing, DIM_TIME));
	json_object_set_new(row, "max",
			    value_json(lat ? model_series_stat(lat, STAT_MAX) : missing, DIM_TIME));
	json_object_set_new(row, "precision",
			    lat ? text_json(model_precision_name(lat->precision)) : json_null());
	return row;
}

/* The endpoints of run that have a latency or request series, in model order, each once. */
static size_t run_endpoints(const struct run *run, const char ***out)
{
	const char **names = NULL;
	size_t count = 0;
	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *s = run->series[i];
		if (!s->endpoint || s->tag_count > 0)
			continue;
		if (s->metric_id != METRIC_LATENCY && s->metric_id != METRIC_REQUESTS)
			continue;
		bool seen = false;
		for (size_t k = 0; k < count && !seen; k++)
			seen = strcmp(names[k], s->endpoint) == 0;
		if (seen)
			continue;
		names = xrealloc(names, (count + 1) * sizeof *names);
		names[count++] = s->endpoint;
	}
	*out = names;
	return count;
}

/* ---- results ---- */

static const char *result_mark(const struct result *r)
{
	if (r->status == STATUS_NO_DATA)
		return r->effect == EFFECT_OK ? "\xe2\x9a\xaa no data" /* ⚪ */
		       : r->effect == EFFECT_WARNING ? "\xe2\x9a\xa0\xef\xb8\x8f no data" /* ⚠️ */
						     : "\xe2\x9d\x8c no data"; /* ❌ */
	if (r->effect == EFFECT_FAILURE)
		return "\xe2\x9d\x8c fail";
	if (r->effect == EFFECT_INCONCLUSIVE)
		return "\xe2\x9d\x94 inconclusive"; /* ❔ */
	if (r->effect == EFFECT_WARNING)
		return r->waived ? "\xe2\x9a\xa0\xef\xb8\x8f waived" : "\xe2\x9a\xa0\xef\xb8\x8f warn";
	return "\xe2\x9c\x85 pass"; /* ✅ */
}

static const char *result_target(const struct result *r)
{
	if (r->endpoint)
		return r->endpoint;
	if (!r->run && r->rule->selector.endpoint)
		return r->rule->selector.endpoint;
	return "whole run";
}

static json_t *result_json(const struct result *r)
{
	char observed[80] = "-", limit[160] = "-", delta[40] = "", a[64], b[64];
	if (r->status != STATUS_NO_DATA && r->decider) {
		snprintf(observed, sizeof observed, "%s%s",
			 r->observed.kind == VALUE_ESTIMATE ? "~" : "",
			 result_format(a, r, r->observed.number));
		snprintf(limit, sizeof limit, "%s %s%s%s%s", cmp_op_name(r->decider->op),
			 r->limit.kind == VALUE_ESTIMATE ? "~" : "",
			 result_format(a, r, r->limit.number), r->window_ms > 0 ? " for " : "",
			 r->window_ms > 0 ? dim_format(b, r->window_ms, DIM_TIME) : "");
		change_text(result_delta(r), delta);
	}
	struct buf text;
	buf_init(&text);
	if (r->run && !r->unmatched)
		result_describe(r, &text);
	else
		buf_puts(&text, r->note ? r->note : "the selector matches nothing");
	json_t *o = json_object();
	json_object_set_new(o, "run", r->run ? text_json(r->run->label) : json_null());
	json_object_set_new(o, "rule", text_json(r->rule->name));
	json_object_set_new(o, "target", text_json(result_target(r)));
	json_object_set_new(o, "assertion", text_json(result_assertion_text(r)));
	json_object_set_new(o, "level", text_json(level_name(r->rule->level)));
	json_object_set_new(o, "status", text_json(status_name(r->status)));
	json_object_set_new(o, "effect", text_json(effect_name(r->effect)));
	json_object_set_new(o, "mark", text_json(result_mark(r)));
	json_object_set_new(o, "observed", text_json(observed));
	json_object_set_new(o, "limit", text_json(limit));
	json_object_set_new(o, "delta", text_json(delta));
	json_object_set_new(o, "estimate", json_boolean(r->observed.kind == VALUE_ESTIMATE ||
							r->limit.kind == VALUE_ESTIMATE));
	json_object_set_new(o, "baseline_relative", json_boolean(r->has_baseline));
	json_object_set_new(o, "waived", json_boolean(r->waived));
	if (r->waived) {
		struct buf w;
		buf_init(&w);
		buf_printf(&w, "until %s: %s", r->rule->waiver_until, r->rule->waiver_reason);
		json_object_set_new(o, "waiver", text_json(w.data));
		buf_fini(&w);
	} else {
		json_object_set_new(o, "waiver", json_null());
	}
	json_object_set_new(o, "message", r->rule->message ? text_json(r->rule->message)
							   : json_null());
	json_object_set_new(o, "description", text_json(text.data));
	buf_fini(&text);
	return o;
}

/* "pass", "warn", "fail" or "none" (no results) for a set of results. */
static const char *status_of(size_t results, size_t warnings, size_t failures)
{
	if (results == 0)
		return "none";
	return failures ? "fail" : warnings ? "warn" : "pass";
}

static const char *status_mark(const char *status)
{
	if (strcmp(status, "fail") == 0)
		return "\xe2\x9d\x8c";
	if (strcmp(status, "warn") == 0)
		return "\xe2\x9a\xa0\xef\xb8\x8f";
	if (strcmp(status, "pass") == 0)
		return "\xe2\x9c\x85";
	if (strcmp(status, "inconclusive") == 0)
		return "\xe2\x9d\x94"; /* ❔ */
	return "\xe2\x9a\xaa"; /* ⚪ */
}

static json_t *verdict_json(const struct verdict *v, int exit_code)
{
	size_t results = v ? v->count : 0, warnings = v ? v->warnings : 0,
	       failures = v ? v->failures : 0;
	const char *status = v ? status_of(results, warnings, failures) : "none";
	if (v && !failures && v->inconclusive) /* exit 3: undecided, not a pass */
		status = "inconclusive";
	const char *label = strcmp(status, "fail") == 0   ? "FAIL"
			    : strcmp(status, "inconclusive") == 0 ? "INCONCLUSIVE"
			    : strcmp(status, "warn") == 0 ? "PASS with warnings"
			    : strcmp(status, "pass") == 0 ? "PASS"
			    : v			      ? "no rules matched"
						      : "no budget";
	json_t *o = json_object();
	json_object_set_new(o, "status", text_json(status));
	json_object_set_new(o, "label", text_json(label));
	json_object_set_new(o, "mark", text_json(status_mark(status)));
	json_object_set_new(o, "exit_code", json_integer(exit_code));
	static const char *const flags[] = {"pass", "warn", "fail", "inconclusive", "none"};
	for (size_t i = 0; i < PG_ARRAY_LEN(flags); i++)
		json_object_set_new(o, flags[i], json_boolean(strcmp(status, flags[i]) == 0));
	json_object_set_new(o, "results", json_integer((json_int_t)results));
	json_object_set_new(o, "passed", json_integer(v ? (json_int_t)v->passed : 0));
	json_object_set_new(o, "warnings", json_integer((json_int_t)warnings));
	json_object_set_new(o, "failures", json_integer((json_int_t)failures));
	json_object_set_new(o, "inconclusive_results",
			    json_integer(v ? (json_int_t)v->inconclusive : 0));
	json_object_set_new(o, "no_data", json_integer(v ? (json_int_t)v->no_data : 0));
	return o;
}

/* ---- runs ---- */

/*
 * "window": the part of the run its numbers describe (null: the whole run); "omission":
 * what its data says about coordinated omission (null when nothing).
 */
static void run_window_json(json_t *o, const struct run *run)
{
	if (run->has_window) {
		char from[32], to[32], text[160];
		str_format_double(from, str_round_significant(run->window_from_s, 4));
		str_format_double(to, str_round_significant(run->window_to_s, 4));
		snprintf(text, sizeof text, "%s window, %s s .. %s s from the start%s",
			 run->window_kind, from, isfinite(run->window_to_s) ? to : "the end",
			 strcmp(run->window_kind, "steady") == 0 ? " (the warm-up before it left out)"
			 : strcmp(run->window_kind, "stage") == 0
				 ? " (one stage of constant VUs, its ramps left out)"
				 : "");
		json_object_set_new(o, "window",
				    json_pack("{s:s, s:f, s:o, s:s}", "kind", run->window_kind,
					      "from_s", run->window_from_s, "to_s",
					      isfinite(run->window_to_s) ? json_real(run->window_to_s)
									 : json_null(),
					      "text", text));
	} else {
		json_object_set_new(o, "window", json_null());
	}
	struct omission co;
	struct buf note;
	buf_init(&note);
	if (omission_note(run, &co, &note))
		json_object_set_new(o, "omission",
				    json_pack("{s:b, s:b, s:o}", "flagged", co.flagged, "corrected",
					      co.corrected, "text", text_json(note.data)));
	else
		json_object_set_new(o, "omission", json_null());
	buf_fini(&note);
}

/* ---- server-side resources (formats/prometheus.md) ---- */

/* The standard server series the resources table shows, in this order, and their titles. */
static const struct {
	const char *metric;
	const char *title;
} resource_rows[] = {
	{"cpu_utilization", "CPU"},
	{"memory_utilization", "memory"},
	{"process_cpu_utilization", "process CPU (1 = one core)"},
	{"process_resident_memory_bytes", "process memory (RSS)"},
	{"network_receive_bytes_total", "network in"},
	{"network_transmit_bytes_total", "network out"},
	{"disk_read_bytes_total", "disk read"},
	{"disk_written_bytes_total", "disk written"},
};

/* The worst status of the results about metric in run: "pass", "warn", "fail" or "none". */
static const char *metric_status(const struct verdict *v, const struct run *run,
				 const char *metric)
{
	size_t results = 0, warnings = 0, failures = 0;
	for (size_t i = 0; v && i < v->count; i++) {
		const struct result *r = &v->results[i];
		if (r->run != run || !r->metric || strcmp(r->metric, metric) != 0)
			continue;
		results++;
		warnings += r->effect == EFFECT_WARNING || r->effect == EFFECT_INCONCLUSIVE;
		failures += r->effect == EFFECT_FAILURE;
	}
	return status_of(results, warnings, failures);
}

/* "job=node, instance=127.0.0.1:9100": a server series' labels, its target. */
static json_t *labels_text(const struct series *s)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < s->tag_count; i++)
		buf_printf(&b, "%s%s=%s", i ? ", " : "", s->tags[i].key, s->tags[i].value);
	json_t *j = text_json(b.data ? b.data : "");
	buf_fini(&b);
	return j;
}

/* The highest per-second rate over a counter's timeline intervals. */
static struct value counter_peak(const struct run *run, const struct series *s)
{
	struct value v = {0, VALUE_MISSING};
	const struct timeline *t = s->timeline;
	for (size_t i = 0; t && i < t->count; i++) {
		double seconds = model_run_interval_s(run, t, i);
		double rate = timeline_at(t, i)->sum / seconds;
		if (seconds > 0 && (v.kind == VALUE_MISSING || rate > v.number))
			v = (struct value){rate, VALUE_EXACT};
	}
	return v;
}

/* {"value", "text": "464.2/s"}: a count per second of something other than requests. */
static json_t *per_second_json(struct value v)
{
	char text[48], number[32];
	if (v.kind == VALUE_MISSING || !isfinite(v.number))
		return json_pack("{s:n, s:s, s:b}", "value", "text", "-", "estimate", 0);
	str_format_double(number, str_round_significant(v.number, 4));
	snprintf(text, sizeof text, "%s/s", number);
	return json_pack("{s:f, s:s, s:b}", "value", v.number, "text", text, "estimate", 0);
}

/*
 * One row: avg and peak over the run (a gauge's mean and max; a counter's rate and highest
 * interval rate, plus its increase as events), and the status of the rules about it.
 */
static json_t *resource_json(const struct run *run, const struct series *s, const char *title,
			     const struct verdict *v)
{
	json_t *row = json_object();
	json_object_set_new(row, "name", text_json(title));
	json_object_set_new(row, "metric", text_json(s->metric));
	json_object_set_new(row, "target", labels_text(s));
	enum dim dim = dim_of_unit(s->unit);
	struct value avg = {0, VALUE_MISSING}, peak = {0, VALUE_MISSING}, events = avg;
	if (s->kind == SERIES_GAUGE && s->gauge.set) {
		if (s->gauge.weight > 0)
			avg = (struct value){s->gauge.sum / s->gauge.weight, VALUE_EXACT};
		peak = (struct value){s->gauge.max, VALUE_EXACT};
	} else if (s->kind == SERIES_COUNTER) {
		dim = s->unit == UNIT_BYTES ? DIM_BYTES_PER_S : DIM_PER_S;
		if (s->span_s > 0)
			avg = (struct value){s->total / s->span_s, VALUE_EXACT};
		peak = counter_peak(run, s);
		events = (struct value){s->total, VALUE_EXACT};
	}
	if (s->kind == SERIES_COUNTER && s->unit != UNIT_BYTES) {
		/* events per second, not requests: "464.2/s" */
		json_object_set_new(row, "avg", per_second_json(avg));
		json_object_set_new(row, "peak", per_second_json(peak));
	} else {
		json_object_set_new(row, "avg", value_json(avg, dim));
		json_object_set_new(row, "peak", value_json(peak, dim));
	}
	json_object_set_new(row, "events", count_json(events));
	const char *status = metric_status(v, run, s->metric);
	json_object_set_new(row, "status", text_json(status));
	json_object_set_new(row, "mark", text_json(status_mark(status)));
	return row;
}

/*
 * A pool's series: a service's own metric whose name says pool (db_pool_in_use,
 * pool_exhausted_total), not the machine's or a runtime's (node_entropy_pool_size_bits,
 * go_memstats_...).
 */
static bool is_pool_series(const struct series *s)
{
	static const char *const system[] = {"node_", "go_", "process_", "nodejs_", "python_",
					     "jvm_", "prometheus_"};
	if (!s->server || s->kind == SERIES_TREND || !strstr(s->metric, "pool"))
		return false;
	for (size_t i = 0; i < PG_ARRAY_LEN(system); i++)
		if (str_starts_with(s->metric, system[i]))
			return false;
	return true;
}

/* Resource rows of a run: the standard series, then pool series; [] without server data. */
static json_t *resources_json(const struct run *run, const struct verdict *v)
{
	json_t *rows = json_array();
	for (size_t k = 0; k < PG_ARRAY_LEN(resource_rows); k++)
		for (size_t i = 0; i < run->series_count; i++) {
			const struct series *s = run->series[i];
			if (s->server && strcmp(s->metric, resource_rows[k].metric) == 0)
				json_array_append_new(rows,
						      resource_json(run, s, resource_rows[k].title, v));
		}
	for (size_t i = 0; i < run->series_count; i++)
		if (is_pool_series(run->series[i]))
			json_array_append_new(rows, resource_json(run, run->series[i],
								  run->series[i]->metric, v));
	return rows;
}

/* The value of tag key of s, or NULL. */
static const char *tag_of(const struct series *s, const char *key)
{
	for (size_t i = 0; i < s->tag_count; i++)
		if (strcmp(s->tags[i].key, key) == 0)
			return s->tags[i].value;
	return NULL;
}

/* The label naming a server histogram's route, or NULL. */
static const char *route_of(const struct series *s)
{
	static const char *const keys[] = {"route", "handler", "path", "endpoint", "uri", "url"};
	const char *route = NULL;
	for (size_t k = 0; k < PG_ARRAY_LEN(keys) && !route; k++)
		route = tag_of(s, keys[k]);
	return route;
}

/* The client's endpoint for a server route: "/work" or "GET /work". */
static const char *client_endpoint(const struct run *run, const char *route)
{
	const char **names;
	size_t count = run_endpoints(run, &names);
	const char *found = NULL;
	for (size_t i = 0; i < count && !found; i++) {
		const char *n = names[i];
		const char *sp = strchr(n, ' ');
		if (strcmp(n, route) == 0 || (sp && strcmp(sp + 1, route) == 0))
			found = n;
	}
	free(names);
	return found;
}

/*
 * Server-side latency per (histogram, route), its label sets (method, status, instance)
 * merged bound by bound, beside the client's percentiles of the same endpoint.
 */
static json_t *server_latency_json(const struct run *run, const struct verdict *v)
{
	json_t *rows = json_array();
	struct model *scratch = model_new();
	struct run *into = model_get_run(scratch, run->label, run->tool);
	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *s = run->series[i];
		if (!s->server || !s->has_buckets || s->unit != UNIT_MS)
			continue;
		const char *route = route_of(s);
		struct tag tag = {"route", route ? route : ""};
		/* every series here is a bucketed histogram: they always merge */
		(void)model_merge_series(scratch, into, s, NULL, &tag, route ? 1 : 0);
	}
	static const struct {
		const char *key;
		double percent;
	} percentiles[] = {{"p50", 50}, {"p95", 95}, {"p99", 99}};
	for (size_t i = 0; i < into->series_count; i++) {
		const struct series *s = into->series[i];
		const char *route = s->tag_count ? s->tags[0].value : NULL;
		json_t *row = json_object();
		json_object_set_new(row, "metric", text_json(s->metric));
		json_object_set_new(row, "route", text_json(route ? route : "all"));
		json_object_set_new(row, "requests", count_json(model_series_stat(s, STAT_COUNT)));
		const char *endpoint = route ? client_endpoint(run, route) : NULL;
		const struct series *client = endpoint ? latency_at(run, endpoint) : NULL;
		json_object_set_new(row, "client_endpoint", text_json(endpoint));
		for (size_t k = 0; k < PG_ARRAY_LEN(percentiles); k++) {
			char key[32];
			json_object_set_new(row, percentiles[k].key,
					    value_json(percentile(s, percentiles[k].percent), DIM_TIME));
			snprintf(key, sizeof key, "client_%s", percentiles[k].key);
			json_object_set_new(row, key,
					    value_json(percentile(client, percentiles[k].percent),
						       DIM_TIME));
		}
		const char *status = metric_status(v, run, s->metric);
		json_object_set_new(row, "status", text_json(status));
		json_object_set_new(row, "mark", text_json(status_mark(status)));
		json_array_append_new(rows, row);
	}
	const char **names;
	size_t endpoints = run_endpoints(run, &names);
	free(names);
	const struct series *client = latency_at(run, NULL);
	if (into->series_count && endpoints == 0 && client) {
		/* the load generator saw one target as a whole: its row, for comparison */
		json_t *row = json_object();
		json_object_set_new(row, "metric", text_json("latency"));
		json_object_set_new(row, "route", text_json("load generator, whole run"));
		json_object_set_new(row, "requests",
				    count_json(model_run_totals_at(run, NULL).requests));
		json_object_set_new(row, "client_endpoint", json_null());
		for (size_t k = 0; k < PG_ARRAY_LEN(percentiles); k++) {
			char key[32];
			json_object_set_new(row, percentiles[k].key,
					    value_json((struct value){0, VALUE_MISSING}, DIM_TIME));
			snprintf(key, sizeof key, "client_%s", percentiles[k].key);
			json_object_set_new(row, key,
					    value_json(percentile(client, percentiles[k].percent),
						       DIM_TIME));
		}
		const char *status = metric_status(v, run, "latency");
		json_object_set_new(row, "status", text_json(status));
		json_object_set_new(row, "mark", text_json(status_mark(status)));
		json_array_append_new(rows, row);
	}
	model_free(scratch);
	return rows;
}

static json_t *run_json(const struct run *run, size_t index, const struct verdict *v)
{
	char text[96], number[32];
	json_t *o = json_object();
	json_object_set_new(o, "index", json_integer((json_int_t)index + 1));
	json_object_set_new(o, "label", text_json(run->label));
	json_object_set_new(o, "tool", text_json(run->tool));
	json_object_set_new(o, "tool_version", text_json(run->tool_version));
	json_t *sources = json_array();
	struct buf joined;
	buf_init(&joined);
	for (size_t i = 0; i < run->source_count; i++) {
		json_array_append_new(sources, text_json(run->sources[i]));
		buf_printf(&joined, "%s%s", i ? ", " : "", run->sources[i]);
	}
	json_object_set_new(o, "sources", sources);
	json_object_set_new(o, "sources_text", text_json(joined.data ? joined.data : ""));
	buf_fini(&joined);
	if (isfinite(run->concurrency)) {
		str_format_double(number, run->concurrency);
		snprintf(text, sizeof text, "%s %s", number,
			 run->concurrency_unit ? run->concurrency_unit : "");
		json_object_set_new(o, "concurrency",
				    json_pack("{s:f, s:o, s:o}", "value", run->concurrency, "unit",
					      text_json(run->concurrency_unit), "text", text_json(text)));
	} else {
		json_object_set_new(o, "concurrency", json_null());
	}
	if (isfinite(run->duration_s)) {
		str_format_double(number, str_round_significant(run->duration_s, 4));
		snprintf(text, sizeof text, "%s s", number);
		json_object_set_new(o, "duration", json_pack("{s:f, s:s}", "value", run->duration_s,
							     "text", text));
	} else {
		json_object_set_new(o, "duration", json_null());
	}
	run_window_json(o, run);
	char when[40];
	if (run->has_start)
		time_format_rfc3339(run->start_us, when);
	json_object_set_new(o, "start", run->has_start ? text_json(when) : json_null());
	if (run->has_end)
		time_format_rfc3339(run->end_us, when);
	json_object_set_new(o, "end", run->has_end ? text_json(when) : json_null());
	json_object_set_new(o, "totals", row_json(run, NULL));

	const char **names;
	size_t count = run_endpoints(run, &names);
	json_t *endpoints = json_array();
	for (size_t i = 0; i < count; i++)
		json_array_append_new(endpoints, row_json(run, names[i]));
	free(names);
	json_object_set_new(o, "endpoints", endpoints);
	json_object_set_new(o, "has_endpoints", json_boolean(count > 0));

	json_t *results = json_array();
	size_t warnings = 0, failures = 0;
	for (size_t i = 0; v && i < v->count; i++) {
		const struct result *r = &v->results[i];
		if (r->run != run)
			continue;
		json_array_append_new(results, result_json(r));
		warnings += r->effect == EFFECT_WARNING || r->effect == EFFECT_INCONCLUSIVE;
		failures += r->effect == EFFECT_FAILURE;
	}
	const char *status = status_of(json_array_size(results), warnings, failures);
	json_object_set_new(o, "has_results", json_boolean(json_array_size(results) > 0));
	json_object_set_new(o, "results", results);
	json_object_set_new(o, "status", text_json(status));
	json_object_set_new(o, "mark", text_json(status_mark(status)));
	json_t *resources = resources_json(run, v), *server = server_latency_json(run, v);
	json_object_set_new(o, "has_resources", json_boolean(json_array_size(resources) > 0));
	json_object_set_new(o, "resources", resources);
	json_object_set_new(o, "has_server_latency", json_boolean(json_array_size(server) > 0));
	json_object_set_new(o, "server_latency", server);
	return o;
}

/* ---- baseline comparison ---- */

/* {"baseline": V, "candidate": V, "change": C, "worse": bool} for one number. */
static json_t *compare_json(struct value before, struct value after, enum dim dim,
			    bool higher_is_worse)
{
	double change = ratio_change(after, before);
	json_t *o = json_object();
	json_object_set_new(o, "baseline", value_json(before, dim));
	json_object_set_new(o, "candidate", value_json(after, dim));
	json_object_set_new(o, "change", change_json(change, either_estimate(before, after)));
	bool worse = isfinite(change) && (higher_is_worse ? change > 0 : change < 0);
	if (before.kind != VALUE_MISSING && after.kind != VALUE_MISSING && before.number == 0 &&
	    after.number > 0)
		worse = higher_is_worse; /* from nothing to something: no ratio, but a change */
	json_object_set_new(o, "worse", json_boolean(worse));
	return o;
}

static json_t *delta_row(const struct run *run, const struct run *base, const char *endpoint)
{
	struct request_totals now = model_run_totals_at(run, endpoint);
	struct request_totals then = model_run_totals_at(base, endpoint);
	const struct series *lat = latency_at(run, endpoint), *blat = latency_at(base, endpoint);
	json_t *o = json_object();
	json_object_set_new(o, "run", text_json(run->label));
	json_object_set_new(o, "baseline_run", text_json(base->label));
	json_object_set_new(o, "target", text_json(endpoint ? endpoint : "whole run"));
	json_object_set_new(o, "p50", compare_json(percentile(blat, 50), percentile(lat, 50),
						   DIM_TIME, true));
	json_object_set_new(o, "p95", compare_json(percentile(blat, 95), percentile(lat, 95),
						   DIM_TIME, true));
	json_object_set_new(o, "p99", compare_json(percentile(blat, 99), percentile(lat, 99),
						   DIM_TIME, true));
	json_object_set_new(o, "rps", compare_json(then.rps, now.rps, DIM_PER_S, false));
	json_object_set_new(o, "error_rate", compare_json(then.error_rate, now.error_rate,
							  DIM_RATIO, true));
	return o;
}

static json_t *baseline_json(const struct model *m, const struct model *baseline)
{
	if (!baseline || baseline->run_count == 0)
		return json_null();
	json_t *o = json_object();
	json_t *runs = json_array();
	for (size_t i = 0; i < baseline->run_count; i++)
		json_array_append_new(runs, text_json(baseline->runs[i]->label));
	json_object_set_new(o, "runs", runs);
	json_t *rows = json_array();
	for (size_t i = 0; i < m->run_count; i++) {
		const struct run *run = m->runs[i];
		const struct run *base = model_baseline_run(baseline, run);
		if (!base)
			continue; /* no run of that label, and no single run to fall back on */
		json_array_append_new(rows, delta_row(run, base, NULL));
		const char **names;
		size_t count = run_endpoints(run, &names);
		for (size_t k = 0; k < count; k++)
			if (latency_at(base, names[k]) ||
			    model_find_series(base, "requests", names[k], NULL, 0))
				json_array_append_new(rows, delta_row(run, base, names[k]));
		free(names);
	}
	json_object_set_new(o, "rows", rows);
	return o;
}

/* ---- load levels ---- */

/* By load level: concurrency, or an open model's arrival rate (capacity_run_load). */
static int by_load(const void *a, const void *b)
{
	const struct run *x = *(const struct run *const *)a, *y = *(const struct run *const *)b;
	const char *unit;
	double lx = capacity_run_load(x, &unit), ly = capacity_run_load(y, &unit);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return 0;
}

/* The runs with a known load, sorted by it (model order among equals: stable). */
static size_t runs_by_load(const struct model *m, const struct run ***out)
{
	const struct run **runs = xmalloc((m->run_count + 1) * sizeof *runs);
	size_t count = 0;
	const char *unit;
	for (size_t i = 0; i < m->run_count; i++)
		if (isfinite(capacity_run_load(m->runs[i], &unit)))
			runs[count++] = m->runs[i];
	/* insertion sort: stable, and run counts are small */
	for (size_t i = 1; i < count; i++)
		for (size_t k = i; k > 0 && by_load(&runs[k - 1], &runs[k]) > 0; k--) {
			const struct run *t = runs[k];
			runs[k] = runs[k - 1];
			runs[k - 1] = t;
		}
	*out = runs;
	return count;
}

static json_t *level_row(const struct run *run, const struct run *lowest,
			 const struct run *previous, const char *endpoint)
{
	struct request_totals t = model_run_totals_at(run, endpoint);
	struct request_totals t0 = model_run_totals_at(lowest, endpoint);
	const struct series *lat = latency_at(run, endpoint), *lat0 = latency_at(lowest, endpoint);
	char text[96], number[32];
	const char *unit;
	double load = capacity_run_load(run, &unit);
	str_format_double(number, str_round_significant(load, 4));
	snprintf(text, sizeof text, "%s %s", number, unit);
	json_t *o = json_object();
	json_object_set_new(o, "run", text_json(run->label));
	json_object_set_new(o, "target", text_json(endpoint ? endpoint : "whole run"));
	json_object_set_new(o, "concurrency", json_pack("{s:f, s:o}", "value", load, "text",
							text_json(text)));
	json_object_set_new(o, "lowest", json_boolean(run == lowest));
	json_object_set_new(o, "rps", value_json(t.rps, DIM_PER_S));
	json_object_set_new(o, "error_rate", value_json(t.error_rate, DIM_RATIO));
	json_object_set_new(o, "p50", value_json(percentile(lat, 50), DIM_TIME));
	json_object_set_new(o, "p95", value_json(percentile(lat, 95), DIM_TIME));
	json_object_set_new(o, "p99", value_json(percentile(lat, 99), DIM_TIME));
	json_object_set_new(o, "rps_change", change_json(ratio_change(t.rps, t0.rps),
							 either_estimate(t.rps, t0.rps)));
	static const double percents[3] = {50, 95, 99};
	static const char *const keys[3] = {"p50_change", "p95_change", "p99_change"};
	for (size_t i = 0; i < 3; i++) {
		struct value now = percentile(lat, percents[i]), then = percentile(lat0, percents[i]);
		json_object_set_new(o, keys[i], change_json(ratio_change(now, then),
							   either_estimate(now, then)));
	}
	/*
	 * Saturated: the load rose over the previous level but throughput rose by less than
	 * REPORT_SATURATION (or fell). Past that point more load only adds queueing latency.
	 */
	bool saturated = false;
	const char *previous_unit;
	if (previous && capacity_run_load(previous, &previous_unit) < load) {
		struct request_totals tp = model_run_totals_at(previous, endpoint);
		saturated = t.rps.kind != VALUE_MISSING && tp.rps.kind != VALUE_MISSING &&
			    tp.rps.number > 0 &&
			    t.rps.number < tp.rps.number * (1 + REPORT_SATURATION);
	}
	json_object_set_new(o, "saturated", json_boolean(saturated));
	return o;
}

/*
 * The capacity readings of the series (analysis/capacity.c, as `perfgate capacity` prints
 * them): the breaking point, the knee and the USL fit with its one-line reading; null when
 * the runs are no series (a run without concurrency).
 */
static json_t *capacity_json(const struct model *m, const struct capacity_slo *slo)
{
	struct capacity c;
	if (!capacity_analyse(m, slo, &c)) {
		capacity_fini(&c);
		return json_null();
	}
	json_t *o = json_object();
	json_object_set_new(o, "breaking", text_json(c.breaking_text));
	json_object_set_new(o, "slo", slo && slo->set ? text_json(c.slo_text) : json_null());
	char text[200];
	if (c.has_knee) {
		snprintf(text, sizeof text, "p95 latency bends upward at %g %s (Kneedle)",
			 c.knee_load, c.load_unit);
		json_object_set_new(o, "knee", text_json(text));
	} else {
		json_object_set_new(o, "knee", json_null());
	}
	const struct usl_fit *f = &c.usl;
	if (f->ok) {
		snprintf(text, sizeof text,
			 "λ = %.4g req/s [%.4g, %.4g], σ = %.3g [%.3g, %.3g], κ = %.3g [%.3g, %.3g], "
			 "R² = %.4f",
			 f->lambda, f->lambda_lo, f->lambda_hi, f->sigma, f->sigma_lo, f->sigma_hi,
			 f->kappa, f->kappa_lo, f->kappa_hi, f->r2);
		json_object_set_new(o, "usl", text_json(text));
		struct buf reading;
		buf_init(&reading);
		usl_reading(f, c.load_unit, &reading);
		json_object_set_new(o, "usl_reading", text_json(reading.data));
		buf_fini(&reading);
		json_object_set_new(o, "usl_why", json_null());
	} else {
		json_object_set_new(o, "usl", json_null());
		json_object_set_new(o, "usl_reading", json_null());
		if (c.open_model)
			snprintf(text, sizeof text, "%s", f->why);
		else
			snprintf(text, sizeof text, "%s (has %zu)", f->why, f->points);
		json_object_set_new(o, "usl_why", text_json(text));
	}
	capacity_fini(&c);
	return o;
}

static json_t *load_levels_json(const struct model *m, const struct capacity_slo *slo)
{
	const struct run **runs;
	size_t count = runs_by_load(m, &runs);
	const char *unit, *other;
	size_t open = 0;
	for (size_t i = 0; i < count; i++)
		open += capacity_run_open(runs[i]);
	/* arrival rates and numbers of clients share no axis (as capacity and its chart) */
	if (count < 2 || (open > 0 && open < count) ||
	    capacity_run_load(runs[0], &unit) == capacity_run_load(runs[count - 1], &other)) {
		free(runs);
		return json_null();
	}
	for (size_t i = 1; i < count && unit; i++) {
		capacity_run_load(runs[i], &other);
		if (strcmp(other, unit) != 0)
			unit = NULL;
	}
	json_t *o = json_object();
	json_object_set_new(o, "unit", unit ? text_json(unit) : json_null());
	json_object_set_new(o, "lowest", text_json(runs[0]->label));
	json_t *rows = json_array();
	for (size_t i = 0; i < count; i++)
		json_array_append_new(rows, level_row(runs[i], runs[0], i ? runs[i - 1] : NULL, NULL));
	json_object_set_new(o, "rows", rows);
	/* per endpoint: the endpoints of the lowest-load run that every other level has too */
	json_t *endpoint_rows = json_array();
	const char **names;
	size_t name_count = run_endpoints(runs[0], &names);
	for (size_t k = 0; k < name_count; k++) {
		bool everywhere = latency_at(runs[0], names[k]) != NULL;
		for (size_t i = 1; i < count && everywhere; i++)
			everywhere = latency_at(runs[i], names[k]) != NULL;
		for (size_t i = 0; everywhere && i < count; i++)
			json_array_append_new(endpoint_rows, level_row(runs[i], runs[0],
								       i ? runs[i - 1] : NULL,
								       names[k]));
	}
	free(names);
	json_object_set_new(o, "has_endpoint_rows", json_boolean(json_array_size(endpoint_rows)));
	json_object_set_new(o, "endpoint_rows", endpoint_rows);
	json_object_set_new(o, "analysis", capacity_json(m, slo));
	free(runs);
	return o;
}

/* ---- precision notes ---- */

static void add_note(json_t *notes, const char *text)
{
	json_array_append_new(notes, json_pack("{s:o}", "text", text_json(text)));
}

/* "p50, p90, p99" of the percentiles a tool reported. */
static void reported_list(const struct series *s, struct buf *out)
{
	for (size_t i = 0; i < s->reported.point_count; i++) {
		char number[32];
		str_format_double(number, s->reported.points[i].q * 100);
		buf_printf(out, "%sp%s", i ? ", " : "", number);
	}
}

static json_t *precision_notes_json(const struct model *m, const struct model *baseline)
{
	json_t *notes = json_array();
	struct buf text;
	buf_init(&text);
	const struct model *models[2] = {m, baseline};
	for (size_t k = 0; k < 2; k++) {
		if (!models[k])
			continue;
		for (size_t i = 0; i < models[k]->run_count; i++) {
			const struct run *run = models[k]->runs[i];
			const struct series *lat = latency_at(run, NULL);
			if (!lat)
				continue;
			buf_clear(&text);
			buf_printf(&text, "%srun '%s' (%s): ", k ? "baseline " : "", run->label,
				   run->tool);
			switch (lat->precision) {
			case PREC_EXACT:
				buf_printf(&text, "latency percentiles come from every raw sample "
						  "(%.0f) in a histogram of %d significant digits: "
						  "each is within %g %% of the exact value",
					   model_series_stat(lat, STAT_COUNT).number,
					   lat->hist.layout.significant_digits,
					   100 * pow(10, -lat->hist.layout.significant_digits));
				break;
			case PREC_BUCKETED:
				buf_puts(&text, "latency percentiles come from the tool's bucket "
						"counts: each is exact to within its bucket's width");
				break;
			case PREC_QUANTILES:
				buf_puts(&text, "the tool reported only some latency percentiles (");
				reported_list(lat, &text);
				buf_puts(&text, "); those are shown as reported, any other is "
						"interpolated between them and marked ~");
				break;
			}
			add_note(notes, text.data);
		}
	}
	if (m->run_count > 1)
		add_note(notes, "runs are never averaged: each row is computed from its own "
				"histogram or reported values, and inputs that share a label are "
				"merged histogram by histogram");
	buf_fini(&text);
	return notes;
}

/* ---- charts ---- */

/* Percent-encodes a path for a Markdown link target (unreserved characters and '/' stay). */
static void url_encode(const char *path, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_putc(out, (char)*p);
		else
			buf_printf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

static json_t *charts_json(const struct report_chart *charts, size_t count)
{
	json_t *list = json_array();
	for (size_t i = 0; i < count; i++) {
		const struct report_chart *c = &charts[i];
		struct buf url;
		buf_init(&url);
		url_encode(c->path, &url);
		json_t *o = json_object();
		json_object_set_new(o, "kind", text_json(c->kind));
		json_object_set_new(o, "name", text_json(c->name));
		json_object_set_new(o, "title", text_json(c->title));
		json_object_set_new(o, "path", text_json(c->path));
		json_object_set_new(o, "url", text_json(url.data));
		if (c->png) /* absent when not written (formats/report-context.md) */
			json_object_set_new(o, "png", text_json(c->png));
		if (c->svg)
			json_object_set_new(o, "svg", text_json(c->svg));
		json_object_set_new(o, "series", json_integer((json_int_t)c->series));
		json_array_append_new(list, o);
		buf_fini(&url);
	}
	return list;
}

/* ---- the report's header: when, with what, and the --context items ---- */

/* {"value": RFC 3339, "text": "2026-11-23 00:46:59 UTC"} of the earliest run start, or null. */
static json_t *started_json(const struct model *m)
{
	bool any = false;
	int64_t first = 0;
	for (size_t i = 0; i < m->run_count; i++)
		if (m->runs[i]->has_start && (!any || m->runs[i]->start_us < first)) {
			first = m->runs[i]->start_us;
			any = true;
		}
	if (!any)
		return json_null();
	char when[40], text[48];
	time_format_rfc3339(first, when);
	/* "2026-11-23T00:46:59.569Z" read as a person writes it: to the second, in UTC */
	snprintf(text, sizeof text, "%.10s %.8s UTC", when, when + 11);
	return json_pack("{s:s, s:s}", "value", when, "text", text);
}

/* "k6 0.46.0, wrk, perfgate 0.1.0": each tool of the runs once, with its version when known. */
static json_t *tools_text(const struct model *m)
{
	struct buf text;
	buf_init(&text);
	for (size_t i = 0; i < m->run_count; i++) {
		const struct run *run = m->runs[i];
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(m->runs[k]->tool, run->tool) == 0 &&
			       !m->runs[k]->tool_version == !run->tool_version &&
			       (!run->tool_version ||
				strcmp(m->runs[k]->tool_version, run->tool_version) == 0);
		if (seen)
			continue;
		buf_printf(&text, "%s%s", run->tool, run->tool_version ? " " : "");
		if (run->tool_version)
			buf_puts(&text, run->tool_version);
		buf_puts(&text, ", ");
	}
	buf_puts(&text, "perfgate " PERFGATE_VERSION);
	json_t *j = text_json(text.data);
	buf_fini(&text);
	return j;
}

/* [{"key": "commit", "value": "abc123"}] from the --context KEY=VALUE items, in order. */
static json_t *about_json(const char *const *items, size_t count)
{
	json_t *list = json_array();
	for (size_t i = 0; i < count; i++) {
		const char *eq = strchr(items[i], '=');
		char *key = xstrndup(items[i], eq ? (size_t)(eq - items[i]) : strlen(items[i]));
		json_array_append_new(list, json_pack("{s:o, s:o}", "key", text_json(key), "value",
						      text_json(eq ? eq + 1 : "")));
		free(key);
	}
	return list;
}

/* ---- errors by status and message ---- */

struct error_row {
	const struct run *run;
	const char *endpoint; /* NULL: the whole run */
	const char *status;   /* "500", "non-2xx/3xx"; "" when the input does not say */
	char *message;        /* heap; "" when none */
	double count;
};

static void add_error_row(struct error_row **rows, size_t *n, const struct run *run,
			  const char *endpoint, const char *status, const char *message,
			  double count)
{
	*rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
	(*rows)[(*n)++] = (struct error_row){run, endpoint, status ? status : "",
					     xstrdup(message ? message : ""), count};
}

/* A status code of 400 and above, as a tag value ("500"). */
static bool error_status(const char *status)
{
	char *end;
	long code = status ? strtol(status, &end, 10) : 0;
	return status && *status && !*end && code >= 400 && code <= 599;
}

/*
 * The run's failed requests by endpoint, status and message, from what its inputs keep:
 * errors counters tagged by status or message (k6's status, error and error_code tags;
 * Locust's failures file), per endpoint where the input has them, else for the whole run;
 * responses by status code of 400 and above (autocannon); wrk's non-2xx/3xx count and its
 * socket errors by kind.
 */
static void run_errors(const struct run *run, struct error_row **rows, size_t *n)
{
	bool per_endpoint = false, by_status = false;
	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *s = run->series[i];
		if (s->metric_id == METRIC_ERRORS && s->kind == SERIES_COUNTER && s->tag_count > 0 &&
		    s->endpoint)
			per_endpoint = true;
	}
	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *s = run->series[i];
		if (s->kind != SERIES_COUNTER || !(s->total > 0) || s->server)
			continue;
		if (s->metric_id == METRIC_ERRORS && s->tag_count > 0 && !s->endpoint == !per_endpoint) {
			const char *error = tag_of(s, "error"), *code = tag_of(s, "error_code");
			char *message = error ? xstrdup(error)
					      : code ? xasprintf("error_code %s", code) : xstrdup("");
			add_error_row(rows, n, run, s->endpoint, tag_of(s, "status"), message,
				      s->total);
			free(message);
		} else if (strcmp(s->metric, "responses") == 0 && error_status(tag_of(s, "status"))) {
			add_error_row(rows, n, run, s->endpoint, tag_of(s, "status"), NULL, s->total);
			by_status = true;
		} else if (strcmp(s->metric, "socket_errors") == 0 && tag_of(s, "type")) {
			char *message = xasprintf("socket error: %s", tag_of(s, "type"));
			add_error_row(rows, n, run, s->endpoint, NULL, message, s->total);
			free(message);
		}
	}
	for (size_t i = 0; i < run->series_count && !by_status; i++) {
		const struct series *s = run->series[i];
		if (s->kind == SERIES_COUNTER && strcmp(s->metric, "non2xx") == 0 && s->total > 0 &&
		    s->tag_count == 0)
			add_error_row(rows, n, run, s->endpoint, "non-2xx/3xx", NULL, s->total);
	}
}

static int compare_error_rows(const void *a, const void *b)
{
	const struct error_row *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	int c = strcmp(x->run->label, y->run->label);
	if (c)
		return c;
	if ((c = model_compare_endpoints(x->endpoint, y->endpoint)))
		return c;
	if ((c = strcmp(x->status, y->status)))
		return c;
	return strcmp(x->message, y->message);
}

/* The rows of every run, the largest counts first, each with its share of the run's requests. */
static json_t *errors_json(const struct model *m)
{
	struct error_row *rows = NULL;
	size_t n = 0;
	for (size_t i = 0; i < m->run_count; i++)
		run_errors(m->runs[i], &rows, &n);
	if (n > 1)
		qsort(rows, n, sizeof *rows, compare_error_rows);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		struct request_totals t = model_run_totals_at(rows[i].run, NULL);
		struct value share = {0, VALUE_MISSING};
		if (t.requests.kind != VALUE_MISSING && t.requests.number > 0)
			share = (struct value){rows[i].count / t.requests.number, VALUE_EXACT};
		json_array_append_new(
			list, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "run",
					text_json(rows[i].run->label), "endpoint",
					text_json(rows[i].endpoint), "endpoint_text",
					text_json(rows[i].endpoint ? rows[i].endpoint : "whole run"),
					"status", text_json(rows[i].status), "message",
					text_json(rows[i].message), "count",
					count_json((struct value){rows[i].count, VALUE_EXACT}),
					"share", value_json(share, DIM_RATIO)));
		free(rows[i].message);
	}
	free(rows);
	return list;
}

/* ---- the context ---- */

/* The first REPORT_HEAD entries of list (a new reference), and how many were left out. */
static json_t *head_of(json_t *list, const char *more_key, json_t *into, const char *key)
{
	json_t *head = json_array();
	size_t n = json_array_size(list);
	for (size_t i = 0; i < n && i < REPORT_HEAD; i++)
		json_array_append(head, json_array_get(list, i));
	json_object_set_new(into, key, head);
	json_object_set_new(into, more_key, n > REPORT_HEAD ? json_integer((json_int_t)(n - REPORT_HEAD))
							    : json_null());
	return head;
}

json_t *report_context(const struct report_input *in)
{
	const struct model *m = in->model;
	const struct verdict *v = in->verdict;
	json_t *c = json_object();
	json_object_set_new(c, "format", text_json(REPORT_CONTEXT_FORMAT));
	json_object_set_new(c, "version", json_integer(REPORT_CONTEXT_VERSION));
	json_object_set_new(c, "tool", json_pack("{s:s, s:s}", "name", "perfgate", "version",
						 PERFGATE_VERSION));
	json_object_set_new(c, "verdict", verdict_json(v, in->exit_code));
	json_object_set_new(c, "started", started_json(m));
	json_object_set_new(c, "tools_text", tools_text(m));
	json_t *about = about_json(in->about, in->about_count);
	json_object_set_new(c, "has_about", json_boolean(json_array_size(about) > 0));
	struct buf about_text; /* "commit: 4f2a9c1, branch: main", for one-line headers */
	buf_init(&about_text);
	for (size_t i = 0; i < json_array_size(about); i++) {
		json_t *item = json_array_get(about, i);
		buf_printf(&about_text, "%s%s: %s", i ? ", " : "",
			   json_string_value(json_object_get(item, "key")),
			   json_string_value(json_object_get(item, "value")));
	}
	json_object_set_new(c, "about_text", text_json(about_text.data ? about_text.data : ""));
	buf_fini(&about_text);
	json_object_set_new(c, "about", about);
	if (in->budget)
		json_object_set_new(c, "budget", json_pack("{s:o, s:I}", "path", text_json(in->budget->src.name),
							   "rules",
							   (json_int_t)in->budget->rule_count));
	else
		json_object_set_new(c, "budget", json_null());

	json_t *runs = json_array();
	for (size_t i = 0; i < m->run_count; i++)
		json_array_append_new(runs, run_json(m->runs[i], i, v));
	json_object_set_new(c, "run_count", json_integer((json_int_t)m->run_count));
	/* every input once (one file can hold several runs: an autocannon array) */
	struct buf sources;
	buf_init(&sources);
	size_t source_count = 0;
	for (size_t i = 0; i < m->run_count; i++)
		for (size_t k = 0; k < m->runs[i]->source_count; k++) {
			const char *path = m->runs[i]->sources[k];
			bool seen = false;
			for (size_t a = 0; a <= i && !seen; a++)
				for (size_t b = 0; b < (a < i ? m->runs[a]->source_count : k) && !seen; b++)
					seen = strcmp(m->runs[a]->sources[b], path) == 0;
			if (seen)
				continue;
			buf_printf(&sources, "%s%s", source_count ? ", " : "", path);
			source_count++;
		}
	json_object_set_new(c, "sources_text", text_json(sources.data ? sources.data : ""));
	buf_fini(&sources);
	json_object_set_new(c, "source_count", json_integer((json_int_t)source_count));
	json_object_set_new(c, "one_source", json_boolean(source_count == 1));
	buf_fini(&sources);
	bool resources = false, server_latency = false;
	for (size_t i = 0; i < json_array_size(runs); i++) {
		json_t *r = json_array_get(runs, i);
		resources |= json_is_true(json_object_get(r, "has_resources"));
		server_latency |= json_is_true(json_object_get(r, "has_server_latency"));
	}
	json_object_set_new(c, "has_resources", json_boolean(resources));
	json_object_set_new(c, "has_server_latency", json_boolean(server_latency));
	json_object_set_new(c, "runs", runs);
	head_of(runs, "runs_more", c, "runs_head");

	json_t *results = json_array(), *problems = json_array();
	for (int pass = 0; v && pass < 2; pass++)
		for (size_t i = 0; i < v->count; i++) {
			const struct result *r = &v->results[i];
			if (pass == 0)
				json_array_append_new(results, result_json(r));
			/* failures first, then warnings, each in verdict order */
			if (r->effect == (pass == 0 ? EFFECT_FAILURE : EFFECT_WARNING))
				json_array_append_new(problems, result_json(r));
		}
	json_object_set_new(c, "has_results", json_boolean(json_array_size(results) > 0));
	json_object_set_new(c, "results", results);
	json_object_set_new(c, "has_problems", json_boolean(json_array_size(problems) > 0));
	json_object_set_new(c, "problems", problems);
	head_of(problems, "problems_more", c, "problems_head");

	json_t *errors = errors_json(m);
	json_object_set_new(c, "has_errors", json_boolean(json_array_size(errors) > 0));
	json_object_set_new(c, "errors", errors);
	head_of(errors, "errors_more", c, "errors_head");

	json_object_set_new(c, "baseline", baseline_json(m, in->baseline));
	json_object_set_new(c, "load_levels", load_levels_json(m, in->slo));
	json_t *notes = precision_notes_json(m, in->baseline);
	json_object_set_new(c, "has_precision_notes", json_boolean(json_array_size(notes) > 0));
	json_object_set_new(c, "precision_notes", notes);
	json_object_set_new(c, "has_charts", json_boolean(in->chart_count > 0));
	json_object_set_new(c, "charts", charts_json(in->charts, in->chart_count));
	return c;
}

/* ---- writing the context as JSON text ---- */

static void write_value(struct jsonw *w, const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *member;
		jsonw_object(w);
		json_object_foreach((json_t *)j, key, member) {
			jsonw_key(w, key);
			write_value(w, member);
		}
		jsonw_end(w);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *member;
		jsonw_array(w);
		json_array_foreach(j, i, member)
			write_value(w, member);
		jsonw_end(w);
		break;
	}
	case JSON_STRING: jsonw_string(w, json_string_value(j)); break;
	case JSON_INTEGER: jsonw_int(w, json_integer_value(j)); break;
	case JSON_REAL: jsonw_double(w, json_real_value(j)); break;
	case JSON_TRUE: jsonw_bool(w, true); break;
	case JSON_FALSE: jsonw_bool(w, false); break;
	case JSON_NULL: jsonw_null(w); break;
	}
}

void report_context_write(const json_t *context, struct buf *out)
{
	struct jsonw w;
	jsonw_init(&w, out);
	write_value(&w, context);
	jsonw_finish(&w);
}
