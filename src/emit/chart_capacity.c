/*
 * chart_capacity.c - throughput and p95 latency against concurrency over the runs of a model
 * (a capacity series: the same test at 10, 50, 100 connections), one chart when at least two
 * runs have distinct known concurrency.
 *
 * Points are sorted by concurrency. Runs with the same concurrency (a repeated level, two
 * tools at one level) give one point: the first such run in model order, so the chart never
 * draws a vertical zigzag and the choice does not depend on sorting. Throughput is the run's
 * rps as `show` and budget rules compute it (model_totals_of: the tool's own rps when it reported
 * one, else requests over the duration), on the right axis; p95 is the whole-run latency's,
 * an estimate when the tool did not report p95 (the series label says so). A value a run
 * lacks is a gap (NaN). With 6 levels or more, the Universal Scalability Law's fitted
 * throughput (analysis/usl.c, as `perfgate capacity` fits it) is drawn over the points.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_kinds.h"
#include "emit.h"

struct load_level {
	const struct run *run;
	size_t index;   /* in the model: the tie-breaker */
	double load;    /* capacity_run_load: concurrency, or an open model's arrival rate */
	const char *unit;
};

static int compare_levels(const void *a, const void *b)
{
	const struct load_level *x = a, *y = b;
	if (x->load != y->load)
		return x->load < y->load ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The run's throughput, as show and the report's tables give it. */
static double rps_of(const struct run *run)
{
	struct request_totals t = model_run_totals_at(run, NULL);
	return t.rps.kind == VALUE_MISSING ? NAN : t.rps.number;
}

/*
 * "concurrency (VUs)" when every level has the same unit, else "concurrency"; "arrival rate
 * (it/s)" for an open model.
 */
static char *x_label(const struct load_level *levels, size_t count)
{
	const char *unit = levels[0].unit;
	for (size_t i = 1; i < count && unit; i++)
		if (strcmp(levels[i].unit, unit) != 0)
			unit = NULL;
	if (unit && strcmp(unit, "it/s") == 0)
		return xstrdup("arrival rate (it/s)");
	return unit ? xasprintf("concurrency (%s)", unit) : xstrdup("concurrency");
}

static void fill(struct chart_spec *spec, const struct load_level *levels, size_t count)
{
	char *label = x_label(levels, count);
	chart_spec_init(spec, CHART_CAPACITY, "capacity",
			strncmp(label, "arrival", 7) == 0
				? "Throughput and p95 latency vs arrival rate"
				: "Throughput and p95 latency vs concurrency",
			label, "latency (ms)");
	free(label);
	spec->y2_label = xstrdup("throughput (req/s)");
	spec->y_from_zero = true;

	struct chart_series *throughput = chart_spec_add_series(spec, "throughput (req/s)",
								CHART_LINE_POINTS, true, count);
	for (size_t i = 0; i < count; i++)
		chart_series_add(throughput, levels[i].load, rps_of(levels[i].run));

	struct value *p95 = xmalloc(count * sizeof *p95);
	size_t values = 0, estimates = 0;
	for (size_t i = 0; i < count; i++) {
		const struct series *latency = chart_kinds_run_latency(levels[i].run);
		p95[i] = latency ? model_series_value_at(latency, 0.95)
				 : (struct value){0, VALUE_MISSING};
		values += p95[i].kind != VALUE_MISSING;
		estimates += p95[i].kind == VALUE_ESTIMATE;
	}
	struct buf name;
	buf_init(&name);
	buf_printf(&name, "p95 latency (ms)%s", chart_kinds_estimate_note(estimates, values));
	struct chart_series *latency = chart_spec_add_series(spec, name.data, CHART_LINE_POINTS,
							     false, count);
	buf_fini(&name);
	for (size_t i = 0; i < count; i++)
		chart_series_add(latency, levels[i].load,
				 p95[i].kind == VALUE_MISSING ? NAN : p95[i].number);
	free(p95);
}

enum { FIT_POINTS = 60 };

/* The USL's fitted throughput from the lowest load to the highest, when it could be fitted. */
static void add_fit(struct chart_spec *spec, const struct model *m)
{
	struct capacity c;
	if (capacity_analyse(m, NULL, &c) && c.usl.ok) {
		struct buf label;
		buf_init(&label);
		if (c.usl.amdahl)
			buf_printf(&label, "USL fit (no peak)");
		else
			buf_printf(&label, "USL fit (peak near N* = %.3g)", c.usl.n_star);
		double lo = c.levels[0].load, hi = c.levels[c.count - 1].load;
		struct chart_series *s = chart_spec_add_series(spec, label.data, CHART_LINE, true,
							       FIT_POINTS + 1);
		for (int i = 0; i <= FIT_POINTS; i++) {
			double n = lo + (hi - lo) * i / FIT_POINTS;
			chart_series_add(s, n, usl_throughput(&c.usl, n));
		}
		buf_fini(&label);
	}
	capacity_fini(&c);
}

bool chart_capacity_build(const struct model *m, struct chart_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	struct load_level *levels = xmalloc((m->run_count ? m->run_count : 1) * sizeof *levels);
	size_t count = 0;
	for (size_t i = 0; i < m->run_count; i++) {
		const char *unit;
		double load = capacity_run_load(m->runs[i], &unit);
		if (isfinite(load))
			levels[count++] = (struct load_level){m->runs[i], i, load, unit};
	}
	/* arrival rates and numbers of clients share no axis (capacity.c refuses them too) */
	size_t rates = 0;
	for (size_t i = 0; i < count; i++)
		rates += strcmp(levels[i].unit, "it/s") == 0;
	if (rates > 0 && rates < count)
		count = 0;
	qsort(levels, count, sizeof *levels, compare_levels);
	/* one point per load: sorted by (load, model order), keep the first */
	size_t kept = 0;
	for (size_t i = 0; i < count; i++)
		if (kept == 0 || levels[i].load != levels[kept - 1].load)
			levels[kept++] = levels[i];
	if (kept >= 2) {
		fill(spec, levels, kept);
		add_fit(spec, m);
	}
	free(levels);
	return kept >= 2;
}

void chart_capacity_add_slo(struct chart_spec *spec, const struct model *m,
			    const struct capacity_slo *slo)
{
	/* the chart's latency curve is p95: another SLO's line would read against the wrong one */
	if (!slo->set || slo->error_rate || slo->q != 0.95)
		return;
	struct capacity c;
	if (!capacity_analyse(m, slo, &c)) {
		capacity_fini(&c);
		return;
	}
	struct buf label;
	buf_init(&label);
	buf_printf(&label, "SLO %s", slo->text);
	chart_spec_add_line(spec, label.data, slo->limit, false, -1);
	if (c.has_crossing) {
		buf_clear(&label);
		buf_printf(&label, "SLO crossing ≈ %.3g (interpolated)", c.slo_crossing);
		struct chart_series *s = chart_spec_add_series(spec, label.data, CHART_LINE, false, 2);
		chart_series_add(s, c.slo_crossing, 0);
		chart_series_add(s, c.slo_crossing, slo->limit);
	}
	buf_fini(&label);
	capacity_fini(&c);
}

size_t capacity_chart_specs(const struct model *m, const struct capacity *c,
			    struct chart_spec **out)
{
	*out = xcalloc(1, sizeof **out);
	if (!chart_capacity_build(m, &(*out)[0])) {
		free(*out);
		*out = NULL;
		return 0;
	}
	if (c->slo.set)
		chart_capacity_add_slo(&(*out)[0], m, &c->slo);
	return 1;
}
