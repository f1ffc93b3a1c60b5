/*
 * chart_server.c - server-side utilisation over time beside the load, one chart per run that
 * has server series with times (formats/prometheus.md).
 *
 * Left axis: every server series whose values are shares (cpu_utilization,
 * memory_utilization, process_cpu_utilization, a `_ratio` gauge), in percent, one line per
 * series (its target's labels in the legend), each point the mean of its timeline interval.
 * Right axis: the load generator's throughput per interval, as the latency timeline chart
 * draws it (the run's `requests` counter timeline), so a CPU plateau lines up with the load
 * that caused it. x is seconds from the run's start (else from the earliest interval), so
 * every line shares one clock; an interval without samples is a gap.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_kinds.h"

/* Series of run drawn on the left axis: server shares with a timeline. */
static bool drawn_share(const struct series *s)
{
	return s->server && s->unit == UNIT_RATIO && s->timeline && s->timeline->count > 0;
}

/* "cpu_utilization job=node" (the legend keeps the labels that tell series apart). */
static void series_label(struct buf *out, const struct series *s)
{
	buf_puts(out, s->metric);
	for (size_t i = 0; i < s->tag_count; i++)
		if (strcmp(s->tags[i].key, "instance") != 0)
			buf_printf(out, " %s=%s", s->tags[i].key, s->tags[i].value);
}

bool chart_server_build(const struct model *m, size_t run_index, struct chart_spec *spec)
{
	const struct run *run = m->runs[run_index];
	memset(spec, 0, sizeof *spec);
	int64_t origin = INT64_MAX;
	size_t shares = 0;
	for (size_t i = 0; i < run->series_count; i++)
		if (drawn_share(run->series[i])) {
			shares++;
			int64_t first = timeline_start_us(run->series[i]->timeline, 0);
			origin = first < origin ? first : origin;
		}
	if (shares == 0)
		return false;
	if (run->has_start)
		origin = run->start_us;

	char name[40];
	snprintf(name, sizeof name, "server-%zu", run_index + 1);
	chart_spec_init(spec, CHART_SERVER, name, "Server utilisation over time", "time",
			"utilisation (%)");
	chart_kinds_run_subtitle(spec, run, NULL);
	spec->x_scale = CHART_X_TIME;
	spec->y_from_zero = true;

	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *s = run->series[i];
		if (!drawn_share(s))
			continue;
		const struct timeline *t = s->timeline;
		struct buf label;
		buf_init(&label);
		series_label(&label, s);
		struct chart_series *out = chart_spec_add_series(spec, label.data, CHART_LINE, false,
								 t->count);
		buf_fini(&label);
		for (size_t k = 0; k < t->count; k++) {
			const struct interval *iv = timeline_at(t, k);
			double x = (double)(timeline_start_us(t, k) - origin) / 1e6;
			chart_series_add(out, x, iv->count ? 100 * iv->sum / (double)iv->count : NAN);
		}
	}
	const struct series *requests = model_run_counter(run, METRIC_REQUESTS);
	if (requests && requests->timeline && requests->timeline->count > 0) {
		const struct timeline *t = requests->timeline;
		spec->y2_label = xstrdup("throughput (req/s)");
		struct chart_series *out = chart_spec_add_series(spec, "throughput (req/s)",
								 CHART_LINE, true, t->count);
		for (size_t k = 0; k < t->count; k++)
			chart_series_add(out, (double)(timeline_start_us(t, k) - origin) / 1e6,
					 timeline_at(t, k)->sum / model_run_interval_s(run, t, k));
	}
	return true;
}
