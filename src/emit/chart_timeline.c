/*
 * chart_timeline.c - latency percentiles over time with throughput, one chart per run whose
 * whole-run latency kept per-interval histograms (raw streams: k6 --out json/csv).
 *
 * x is seconds from the start of the latency timeline's first interval, each point drawn at
 * its interval's start. p50, p95 and p99 are read from each interval's histogram
 * (timeline_value_at, the rule budget `for` windows use); an interval without samples is a
 * gap (NaN), not a zero. Throughput, on the right axis, is requests per second of each
 * interval: from the run's `requests` counter timeline when it has one, else the latency
 * samples counted per interval; an empty interval there is 0 req/s (an outage, drawn).
 *
 * The first and last intervals are usually cut by the run's start and end: their rate divides
 * by the seconds of the run they cover (model_run_interval_s, the rule budget windows use), so
 * the chart shows no artificial dip at either edge.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_kinds.h"

static const struct {
	const char *label;
	double q;
} percentiles[] = {{"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}};

static void add_throughput(struct chart_spec *spec, const struct run *run,
			   const struct timeline *latency, int64_t origin_us)
{
	const struct series *requests = model_run_counter(run, METRIC_REQUESTS);
	bool counted = requests && requests->timeline && requests->timeline->count > 0;
	const struct timeline *t = counted ? requests->timeline : latency;
	struct chart_series *out = chart_spec_add_series(spec, "throughput (req/s)", CHART_LINE,
							 true, t->count);
	for (size_t i = 0; i < t->count; i++) {
		const struct interval *iv = timeline_at(t, i);
		double n = counted ? iv->sum : (double)iv->count;
		chart_series_add(out, (double)(timeline_start_us(t, i) - origin_us) / 1e6,
				 n / model_run_interval_s(run, t, i));
	}
}

bool chart_timeline_build(const struct model *m, size_t run_index, struct chart_spec *spec)
{
	const struct run *run = m->runs[run_index];
	const struct series *latency = chart_kinds_run_latency(run);
	memset(spec, 0, sizeof *spec);
	if (!latency || !latency->timeline || !latency->timeline->has_hist ||
	    latency->timeline->count == 0)
		return false;
	const struct timeline *t = latency->timeline;
	int64_t origin_us = timeline_start_us(t, 0);

	char name[40];
	snprintf(name, sizeof name, "timeline-%zu", run_index + 1);
	chart_spec_init(spec, CHART_TIMELINE, name, "Latency over time", "time", "latency (ms)");
	chart_kinds_run_subtitle(spec, run, NULL);
	spec->x_scale = CHART_X_TIME;
	spec->y2_label = xstrdup("throughput (req/s)");
	spec->y_from_zero = true;

	for (size_t p = 0; p < PG_ARRAY_LEN(percentiles); p++) {
		struct chart_series *out = chart_spec_add_series(spec, percentiles[p].label,
								 CHART_LINE, false, t->count);
		for (size_t i = 0; i < t->count; i++) {
			const struct interval *iv = timeline_at(t, i);
			double x = (double)(timeline_start_us(t, i) - origin_us) / 1e6;
			if (iv->count == 0) {
				chart_series_add(out, x, NAN);
				continue;
			}
			int64_t value = timeline_value_at(t, iv, percentiles[p].q, latency->scale);
			chart_series_add(out, x, (double)value / latency->scale);
		}
	}
	add_throughput(spec, run, t, origin_us);
	if (run->has_window && run->has_start) { /* what the window left out, shaded */
		double from = (double)(run->start_us - origin_us) / 1e6 + run->window_from_s;
		double end = (double)(timeline_start_us(t, t->count - 1) + t->width_us - origin_us) / 1e6;
		if (run->window_from_s > 0)
			chart_spec_add_band(spec, strcmp(run->window_kind, "steady") == 0
							  ? "warm-up, left out"
							  : "left out",
					    0, from);
		double to = (double)(run->start_us - origin_us) / 1e6 + run->window_to_s;
		if (isfinite(run->window_to_s) && to < end)
			chart_spec_add_band(spec, "left out", to, end);
	}
	return true;
}
