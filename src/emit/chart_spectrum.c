/*
 * chart_spectrum.c - latency by percentile, HdrHistogram style: the whole-run latency of every
 * run on one chart (with a single run, its busiest endpoints too). The compare chart draws its
 * two series with the same code (chart_spectrum_add_series).
 *
 * A histogram (exact or bucketed) is sampled at percentiles evenly spread on the log axis the
 * chart draws (p = 100 - 100 / 10^(k/40), 40 steps per nine), plus the percentiles people read
 * (p50, p75, p95, p99.5, p99.95) so the line passes through the values every other output
 * prints. The axis, and so the sampling, stops at 99.99.
 *
 * A series made only of reported percentiles is drawn at those points and nowhere else (plus
 * min at 0 when reported), with markers: interpolating between them would invent a shape the
 * tool never measured, and the reader should see where the tool's numbers are.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "chart_kinds.h"

enum {
	STEPS_PER_NINE = 40,          /* samples per factor of ten of (100 - p) */
	NINES = 4,                    /* up to 99.99 */
	SPECTRUM_ENDPOINTS_MAX = 6,   /* endpoints drawn beside a single run */
};
#define PERCENT_MAX 99.99

static const double named_percents[] = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
#define GRID_MAX (STEPS_PER_NINE * NINES + 1 + PG_ARRAY_LEN(named_percents))

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The sampled percentiles, ascending and distinct, and the quantile each one means. */
struct grid {
	size_t n;
	double percents[GRID_MAX];
	double qs[GRID_MAX];
};

static struct grid the_grid;
static pthread_once_t grid_once = PTHREAD_ONCE_INIT;

/*
 * Fills the_grid, once per process: it depends on nothing but the constants above, and each
 * of its quantiles is a decimal conversion (model_quantile_of_percent) that costs more than
 * looking the value up in the histogram.
 */
static void make_grid(void)
{
	double *out = the_grid.percents;
	size_t n = 0;
	for (int k = 0; k <= STEPS_PER_NINE * NINES; k++)
		/* 6 significant digits: the nines come out as 90, 99, 99.9, 99.99 exactly, and
		 * no libm's last bit of pow() reaches the output */
		out[n++] = str_round_significant(100 - 100 / pow(10, (double)k / STEPS_PER_NINE),
						 6);
	for (size_t i = 0; i < PG_ARRAY_LEN(named_percents); i++)
		out[n++] = named_percents[i];
	qsort(out, n, sizeof *out, compare_doubles);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (kept == 0 || out[i] != out[kept - 1])
			out[kept++] = out[i];
	for (size_t i = 0; i < kept; i++)
		the_grid.qs[i] = model_quantile_of_percent(out[i]);
	the_grid.n = kept;
}

static bool add_histogram(struct chart_spec *spec, const char *label, const struct series *s)
{
	if (hist_count(&s->hist) == 0)
		return false;
	pthread_once(&grid_once, make_grid);
	const struct grid *g = &the_grid;
	struct chart_series *out = chart_spec_add_series(spec, label, CHART_LINE, false, g->n);
	struct value values[GRID_MAX];
	model_series_values_at(s, g->qs, g->n, values);
	for (size_t i = 0; i < g->n; i++)
		chart_series_add(out, g->percents[i], values[i].number);
	return true;
}

static bool add_reported(struct chart_spec *spec, const char *label, const struct series *s)
{
	const struct reported *r = &s->reported;
	size_t in_range = 0;
	while (in_range < r->point_count && r->points[in_range].q * 100 <= PERCENT_MAX + 1e-9)
		in_range++;
	bool has_zero = in_range > 0 && r->points[0].q == 0;
	bool min_point = r->has_stat[STAT_MIN] && !has_zero;
	if (in_range == 0 && !min_point)
		return false;
	struct chart_series *out = chart_spec_add_series(spec, label, CHART_LINE_POINTS, false,
							 in_range + min_point);
	if (min_point)
		chart_series_add(out, 0, r->stats[STAT_MIN]);
	for (size_t i = 0; i < in_range; i++)
		/* 12 digits: 0.999 * 100 is 99.9, not 99.90000000000001 */
		chart_series_add(out, str_round_significant(r->points[i].q * 100, 12),
				 r->points[i].value);
	return true;
}

void chart_spectrum_init(struct chart_spec *spec, enum chart_kind kind, const char *name,
			 const char *title)
{
	chart_spec_init(spec, kind, name, title, "percentile", "latency (ms)");
	spec->x_scale = CHART_X_PERCENTILE;
	spec->y_from_zero = true;
}

bool chart_spectrum_add_series(struct chart_spec *spec, const char *label,
			       const struct series *s)
{
	if (s->has_hist)
		return add_histogram(spec, label, s);
	return add_reported(spec, label, s);
}

/* Adds s labelled with text (cut to CHART_LABEL_MAX). */
static void add_labelled(struct chart_spec *spec, const char *text, const struct series *s)
{
	struct buf label;
	buf_init(&label);
	chart_kinds_append_label(&label, text);
	chart_spectrum_add_series(spec, label.data, s);
	buf_fini(&label);
}

bool chart_spectrum_build(const struct model *m, struct chart_spec *spec)
{
	chart_spectrum_init(spec, CHART_SPECTRUM, "spectrum", "Latency by percentile");
	if (m->run_count == 1)
		chart_kinds_run_subtitle(spec, m->runs[0], NULL);

	for (size_t i = 0; i < m->run_count; i++) {
		const struct series *s = chart_kinds_run_latency(m->runs[i]);
		if (s)
			add_labelled(spec, m->runs[i]->label, s);
	}
	if (m->run_count == 1) {
		size_t count;
		struct chart_endpoint *endpoints = chart_endpoints_ranked(m->runs[0], &count);
		for (size_t i = 0; i < count && i < SPECTRUM_ENDPOINTS_MAX; i++)
			add_labelled(spec, endpoints[i].name, endpoints[i].latency);
		free(endpoints);
	}
	if (spec->series_count == 0) {
		chart_spec_fini(spec);
		return false;
	}
	return true;
}
