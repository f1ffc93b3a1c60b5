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
 * Budget lines: a result draws a line when it judged this run's latency at an endpoint shown
 * (or the whole run: across the plot) with a comparison of p95 against a fixed time limit, the
 * same number the bars show. Left out: baseline-relative limits (they differ per run and say
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

/* The bar of endpoint (NULL: the whole run, -1), or -2 when it has none. */
static long category_of(const struct chart_spec *spec, const struct chart_endpoint *shown,
			const char *endpoint)
{
	if (!endpoint)
		return -1;
	for (size_t i = 0; i < spec->category_count; i++)
		if (strcmp(shown[i].name, endpoint) == 0)
			return (long)i;
	return -2;
}

static void add_budget_lines(struct chart_spec *spec, const struct chart_endpoint *shown,
			     const struct run *run, const struct verdict *v)
{
	for (size_t i = 0; v && i < v->count; i++) {
		const struct result *r = &v->results[i];
		if (!is_p95_budget(r, run))
			continue;
		long category = category_of(spec, shown, r->endpoint);
		if (category == -2)
			continue;
		char limit[64], label[128];
		snprintf(label, sizeof label, "budget p95 %s %s%s", cmp_op_name(r->decider->op),
			 dim_format(limit, r->limit.number, DIM_TIME),
			 category == -1 ? " (whole run)" : "");
		bool seen = false;
		for (size_t j = 0; j < spec->line_count && !seen; j++)
			seen = spec->lines[j].category == category &&
			       spec->lines[j].y == r->limit.number &&
			       strcmp(spec->lines[j].label, label) == 0;
		if (!seen)
			chart_spec_add_line(spec, label, r->limit.number, false, category);
	}
}

/* The chart of the first `kept` endpoints (ranked, each with its p95), at least two. */
static void fill(struct chart_spec *spec, const struct run *run, size_t run_index,
		 const struct chart_endpoint *endpoints, const struct value *p95, size_t kept,
		 const struct verdict *v)
{
	size_t shown = kept < CHART_ENDPOINTS_MAX ? kept : CHART_ENDPOINTS_MAX;
	struct buf label;
	buf_init(&label);
	char name[40];
	snprintf(name, sizeof name, "endpoints-%zu", run_index + 1);
	chart_spec_init(spec, CHART_ENDPOINTS, name, "p95 latency by endpoint", "endpoint",
			"latency (ms)");
	if (shown < kept)
		chart_kinds_run_subtitle(spec, run, " (top %zu of %zu)", shown, kept);
	else
		chart_kinds_run_subtitle(spec, run, NULL);
	spec->x_scale = CHART_X_CATEGORY;
	spec->y_from_zero = true;
	size_t estimates = 0;
	for (size_t i = 0; i < shown; i++) {
		buf_clear(&label);
		chart_kinds_append_label(&label, endpoints[i].name);
		chart_spec_add_category(spec, label.data);
		estimates += p95[i].kind == VALUE_ESTIMATE;
	}
	buf_clear(&label);
	buf_printf(&label, "p95%s", chart_kinds_estimate_note(estimates, shown));
	struct chart_series *bars = chart_spec_add_series(spec, label.data, CHART_BARS, false,
							  shown);
	for (size_t i = 0; i < shown; i++)
		chart_series_add(bars, (double)i, p95[i].number);
	add_budget_lines(spec, endpoints, run, v);
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
	if (kept >= 2)
		fill(spec, run, run_index, endpoints, p95, kept, v);
	free(p95);
	free(endpoints);
	return kept >= 2;
}
