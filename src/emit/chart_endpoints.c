/*
 * chart_endpoints.c - p95 latency per endpoint of a run, as bars, against the p95 budgets the
 * verdict judged them by. Also ranks a run's endpoints for the spectrum chart.
 *
 * Order: requests descending (the endpoint's `requests` counter, else its latency sample
 * count), then name, so the busiest endpoints come first and equal counts never depend on the
 * input's order. Past CHART_ENDPOINTS_MAX bars the chart stops and its title says "top N of K".
 * A p95 from reported percentiles that the tool did not report is an interpolation: the series
 * label says so ("(estimate)").
 *
 * Labels: when every URL among the names shares one scheme and host, and the names stay apart
 * without it, the bars read "GET /slow" and the x axis title states the host once. Each bar
 * has its value written over it.
 *
 * Budget lines: a result draws a line over an endpoint's bar when it judged this run's latency
 * there with a comparison of p95 against a fixed time limit, the same number the bars show. A
 * budget of the whole run gives the run a bar of its own, first, and its line is drawn over
 * that bar only: across the endpoints' bars it would read as their limit. A bar whose budget
 * failed is drawn red and hatched, with a legend entry. Left out: baseline-relative limits (they differ per run and say
 * "no regression", not "budget"), `for` windows (they judge intervals, not the whole-run p95
 * of the bars), other percentiles (no bar to compare with) and results without data.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_kinds.h"

/* Latency data to draw: a non-empty histogram, or at least one reported percentile or min. */
static bool has_data(const struct series *s)
{
	if (s->has_hist)
		return hist_count(&s->hist) > 0;
	return s->reported.point_count > 0 || s->reported.has_stat[STAT_MIN];
}

static double requests_of(const struct run *run, const struct series *latency)
{
	const struct series *requests = model_find_series(run, "requests", latency->endpoint,
							  NULL, 0);
	if (requests && requests->kind == SERIES_COUNTER)
		return requests->total;
	struct value count = model_series_stat(latency, STAT_COUNT);
	return count.kind == VALUE_MISSING ? 0 : count.number;
}

static int compare_endpoints(const void *a, const void *b)
{
	const struct chart_endpoint *x = a, *y = b;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct chart_endpoint *chart_endpoints_ranked(const struct run *run, size_t *count)
{
	struct chart_endpoint *out = NULL;
	size_t n = 0;
	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *s = run->series[i];
		if (s->metric_id != METRIC_LATENCY || !s->endpoint || s->tag_count > 0 ||
		    s->kind != SERIES_TREND || s->unit != UNIT_MS || !has_data(s))
			continue;
		out = xrealloc(out, (n + 1) * sizeof *out);
		out[n++] = (struct chart_endpoint){s->endpoint, s, requests_of(run, s)};
	}
	if (n > 1)
		qsort(out, n, sizeof *out, compare_endpoints);
	*count = n;
	return out;
}

/* A p95 budget the bars can be read against (see the top of the file). */
static bool is_p95_budget(const struct result *r, const struct run *run)
{
	const struct expr *c = r->decider;
	return r->run == run && r->status != STATUS_NO_DATA && r->metric &&
	       strcmp(r->metric, "latency") == 0 && r->dim == DIM_TIME && !r->has_baseline &&
	       r->limit.kind != VALUE_MISSING && isfinite(r->limit.number) && c &&
	       c->kind == EXPR_CMP && c->window_ms == 0 && c->lhs && c->lhs->kind == EXPR_AGG &&
	       c->lhs->agg == AGG_P && c->lhs->number == 95;
}

/* The bar of endpoint (NULL: the whole run's bar), or -1 when it has none. */
static long category_of(const struct chart_spec *spec, const struct chart_endpoint *shown,
			bool whole, const char *endpoint)
{
	if (!endpoint)
		return whole ? 0 : -1;
	for (size_t i = whole; i < spec->category_count; i++)
		if (strcmp(shown[i - whole].name, endpoint) == 0)
			return (long)i;
	return -1;
}

/*
 * Each p95 budget over its bar (a whole-run budget over the whole run's bar, never across the
 * endpoints' bars); a bar whose budget failed stands out.
 */
static void add_budget_lines(struct chart_spec *spec, struct chart_series *bars,
			     const struct chart_endpoint *shown, bool whole, const struct run *run,
			     const struct verdict *v)
{
	for (size_t i = 0; v && i < v->count; i++) {
		const struct result *r = &v->results[i];
		if (!is_p95_budget(r, run))
			continue;
		long category = category_of(spec, shown, whole, r->endpoint);
		if (category < 0)
			continue;
		char limit[64], label[128];
		snprintf(label, sizeof label, "budget p95 %s %s%s", cmp_op_name(r->decider->op),
			 dim_format(limit, r->limit.number, DIM_TIME),
			 r->endpoint ? "" : " (whole run)");
		if (r->status == STATUS_FAIL)
			chart_series_set_alert(bars, (size_t)category, "p95 over its budget");
		bool seen = false;
		for (size_t j = 0; j < spec->line_count && !seen; j++)
			seen = spec->lines[j].category == category &&
			       spec->lines[j].y == r->limit.number &&
			       strcmp(spec->lines[j].label, label) == 0;
		if (!seen)
			chart_spec_add_line(spec, label, r->limit.number, false, category);
	}
}

/* Some result draws a p95 budget of the whole run (so the run gets a bar of its own). */
static bool has_whole_run_budget(const struct run *run, const struct verdict *v)
{
	for (size_t i = 0; v && i < v->count; i++)
		if (!v->results[i].endpoint && is_p95_budget(&v->results[i], run))
			return true;
	return false;
}

/*
 * The length of the scheme and host ("http://127.0.0.1:8081") of a name "METHOD URL" or
 * "URL" from offset *at (set past the method), or 0 when the name holds no such URL.
 */
static size_t origin_of(const char *name, size_t *at)
{
	size_t m = 0;
	while (name[m] >= 'A' && name[m] <= 'Z')
		m++;
	*at = m > 0 && name[m] == ' ' ? m + 1 : 0;
	const char *url = name + *at;
	size_t scheme = strncmp(url, "http://", 7) == 0 ? 7 : strncmp(url, "https://", 8) == 0 ? 8 : 0;
	if (!scheme)
		return 0;
	size_t len = scheme + strcspn(url + scheme, "/?# ");
	return len > scheme ? len : 0;
}

/*
 * The scheme and host every URL among the first n names shares, when dropping it leaves the
 * names apart ("GET /slow" must not meet a name that already reads so); NULL otherwise.
 * Heap.
 */
static char *common_origin(const struct chart_endpoint *endpoints, size_t n)
{
	char *origin = NULL;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		size_t at, o = origin_of(endpoints[i].name, &at);
		if (!o)
			continue;
		if (!origin) {
			origin = xstrndup(endpoints[i].name + at, o);
			len = o;
		} else if (o != len || strncmp(origin, endpoints[i].name + at, o) != 0) {
			free(origin);
			return NULL;
		}
	}
	if (!origin)
		return NULL;
	/* each name as its bar would read, once; two alike keep the origin in the labels */
	char **bare = xcalloc(n, sizeof *bare);
	bool clash = false;
	for (size_t i = 0; i < n && !clash; i++) {
		size_t at, o = origin_of(endpoints[i].name, &at);
		bare[i] = xasprintf("%.*s%s", (int)at, endpoints[i].name, endpoints[i].name + at + o);
		for (size_t j = 0; j < i && !clash; j++)
			clash = strcmp(bare[i], bare[j]) == 0;
	}
	for (size_t i = 0; i < n; i++)
		free(bare[i]);
	free(bare);
	if (clash) {
		free(origin);
		return NULL;
	}
	return origin;
}

/* A bar's value as written over it: 4 significant digits, "~" for an estimate. */
static void add_note(struct chart_series *bars, size_t index, struct value value)
{
	char text[64], number[80];
	dim_format(text, value.number, DIM_TIME);
	snprintf(number, sizeof number, "%s%s", value.kind == VALUE_ESTIMATE ? "~" : "", text);
	chart_series_set_note(bars, index, number);
}

/*
 * The chart of the first `kept` endpoints (ranked, each with its p95), at least two, after a
 * bar of the whole run (its p95 whole_p95) when a budget of the whole run is drawn.
 */
static void fill(struct chart_spec *spec, const struct run *run, size_t run_index,
		 const struct chart_endpoint *endpoints, const struct value *p95, size_t kept,
		 const struct value *whole_p95, const struct verdict *v)
{
	size_t shown = kept < CHART_ENDPOINTS_MAX ? kept : CHART_ENDPOINTS_MAX;
	bool whole = whole_p95 != NULL;
	struct buf label;
	buf_init(&label);
	char name[40];
	snprintf(name, sizeof name, "endpoints-%zu", run_index + 1);
	char *origin = common_origin(endpoints, shown);
	if (origin)
		buf_printf(&label, "endpoint (at %s)", origin);
	chart_spec_init(spec, CHART_ENDPOINTS, name, "p95 latency by endpoint",
			origin ? label.data : "endpoint", "latency (ms)");
	if (shown < kept)
		chart_kinds_run_subtitle(spec, run, " (top %zu of %zu)", shown, kept);
	else
		chart_kinds_run_subtitle(spec, run, NULL);
	spec->x_scale = CHART_X_CATEGORY;
	spec->y_from_zero = true;
	if (whole)
		chart_spec_add_category(spec, "(whole run)");
	size_t estimates = 0;
	for (size_t i = 0; i < shown; i++) {
		buf_clear(&label);
		size_t at, o = origin ? origin_of(endpoints[i].name, &at) : 0;
		if (o) { /* "GET /slow": the method, then what follows the origin */
			buf_append(&label, endpoints[i].name, at);
			chart_kinds_append_label(&label, endpoints[i].name + at + o);
		} else {
			chart_kinds_append_label(&label, endpoints[i].name);
		}
		chart_spec_add_category(spec, label.data);
		estimates += p95[i].kind == VALUE_ESTIMATE;
	}
	free(origin);
	buf_clear(&label);
	buf_printf(&label, "p95%s", chart_kinds_estimate_note(estimates, shown));
	struct chart_series *bars = chart_spec_add_series(spec, label.data, CHART_BARS, false,
							  shown + whole);
	if (whole)
		chart_series_add(bars, 0, whole_p95->number);
	for (size_t i = 0; i < shown; i++)
		chart_series_add(bars, (double)(i + whole), p95[i].number);
	if (whole)
		add_note(bars, 0, *whole_p95);
	for (size_t i = 0; i < shown; i++)
		add_note(bars, i + whole, p95[i]);
	add_budget_lines(spec, bars, endpoints, whole, run, v);
	buf_fini(&label);
}

bool chart_endpoints_build(const struct model *m, size_t run_index, const struct verdict *v,
			   struct chart_spec *spec)
{
	const struct run *run = m->runs[run_index];
	memset(spec, 0, sizeof *spec);
	size_t count;
	struct chart_endpoint *endpoints = chart_endpoints_ranked(run, &count);
	/* only endpoints with a p95 get a bar */
	struct value *p95 = xmalloc((count ? count : 1) * sizeof *p95);
	size_t kept = 0;
	for (size_t i = 0; i < count; i++) {
		struct value value = model_series_value_at(endpoints[i].latency, 0.95);
		if (value.kind == VALUE_MISSING)
			continue;
		endpoints[kept] = endpoints[i];
		p95[kept++] = value;
	}
	struct value whole = {0, VALUE_MISSING};
	if (kept >= 2 && has_whole_run_budget(run, v)) {
		const struct series *s = model_find_series(run, "latency", NULL, NULL, 0);
		if (s && has_data(s))
			whole = model_series_value_at(s, 0.95);
	}
	if (kept >= 2)
		fill(spec, run, run_index, endpoints, p95, kept,
		     whole.kind == VALUE_MISSING ? NULL : &whole, v);
	free(p95);
	free(endpoints);
	return kept >= 2;
}
