/*
 * chart_shift.c - the charts of `perfgate compare` (emit.h): what changed, with how sure.
 *
 *   compare-shift    the shift function: the change of each quantile (p1 ... p99.9) of the
 *                    latency, candidate against baseline, with its bootstrap interval as a
 *                    band, for the whole run and up to four endpoints, between the noise
 *                    threshold's lines. A band above +threshold is a regression there; a
 *                    line that climbs only at the right is a tail that moved alone.
 *   compare-spectra  the whole run's latency spectrum of each side (the median over its runs
 *                    at each percentile) with a band: one run's confidence interval of each
 *                    quantile (interval_of_quantile), or the spread of the runs' values.
 *
 * The numbers are the comparison's (analysis/compare.c); nothing is recomputed but the
 * spectra's points, read as compare reads a run (model_series_value_at).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "emit.h"

enum { SHIFT_MAX_ENDPOINTS = 4 };

static const double spectrum_percents[] = {1, 5, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9};

static void endpoint_label(struct buf *out, const char *endpoint)
{
	if (!endpoint) {
		buf_puts(out, "whole run");
		return;
	}
	str_put_visible_cut(out, endpoint, 48);
}

static bool shift_chart(const struct comparison *c, struct chart_spec *spec)
{
	if (c->shift_count == 0)
		return false;
	chart_spec_init(spec, CHART_COMPARE, "compare-shift",
			"Change by percentile: candidate against baseline", "percentile",
			"change (%)");
	spec->x_scale = CHART_X_PERCENTILE;
	struct buf label;
	buf_init(&label);
	for (size_t i = 0; i < c->shift_count && i <= SHIFT_MAX_ENDPOINTS; i++) {
		const struct shift_function *f = &c->shifts[i];
		buf_clear(&label);
		endpoint_label(&label, f->endpoint);
		struct chart_series *s = chart_spec_add_series(spec, label.data, CHART_LINE_POINTS,
							       false, f->count);
		for (size_t k = 0; k < f->count; k++) {
			const struct shift_point *p = &f->points[k];
			chart_series_add_interval(s, p->q * 100, p->change * 100, p->lo * 100,
						  p->hi * 100);
		}
	}
	double t = c->options.threshold[CMP_P50] * 100;
	buf_clear(&label);
	buf_printf(&label, "noise threshold +%g %%", t);
	chart_spec_add_line(spec, label.data, t, false, -1);
	buf_clear(&label);
	buf_printf(&label, "-%g %%", t);
	chart_spec_add_line(spec, label.data, -t, false, -1);
	buf_fini(&label);
	return true;
}

/* One side's spectrum: the median over its runs at each percentile, with a band. */
static void add_side(struct chart_spec *spec, const char *role, const struct model *m,
		     double confidence)
{
	struct buf label;
	buf_init(&label);
	buf_printf(&label, "%s (%zu run%s)", role, m->run_count, m->run_count == 1 ? "" : "s");
	struct chart_series *s = chart_spec_add_series(spec, label.data, CHART_LINE, false,
						       PG_ARRAY_LEN(spectrum_percents));
	buf_fini(&label);
	double *values = xmalloc((m->run_count ? m->run_count : 1) * sizeof *values);
	for (size_t k = 0; k < PG_ARRAY_LEN(spectrum_percents); k++) {
		double q = model_quantile_of_percent(spectrum_percents[k]);
		size_t n = 0;
		const struct series *only = NULL;
		for (size_t r = 0; r < m->run_count; r++) {
			const struct series *lat =
				model_find_series(m->runs[r], "latency", NULL, NULL, 0);
			if (!lat || lat->kind != SERIES_TREND)
				continue;
			struct value v = model_series_value_at(lat, q);
			if (v.kind == VALUE_MISSING || !isfinite(v.number))
				continue;
			values[n++] = v.number;
			only = lat;
		}
		if (n == 0) {
			chart_series_add(s, spectrum_percents[k], NAN);
			continue;
		}
		double lo = NAN, hi = NAN;
		if (n == 1) {
			struct value_interval iv = interval_of_quantile(only, q, confidence);
			if (iv.why == INTERVAL_OK && isfinite(iv.hi)) {
				lo = iv.lo;
				hi = iv.hi;
			}
		} else {
			lo = INFINITY;
			hi = -INFINITY;
			for (size_t i = 0; i < n; i++) {
				lo = fmin(lo, values[i]);
				hi = fmax(hi, values[i]);
			}
		}
		chart_series_add_interval(s, spectrum_percents[k], stats_median(values, n), lo, hi);
	}
	free(values);
}

static bool spectra_chart(const struct comparison *c, const struct model *base,
			  const struct model *cand, struct chart_spec *spec)
{
	if (base->run_count == 0 || cand->run_count == 0)
		return false;
	chart_spec_init(spec, CHART_COMPARE, "compare-spectra",
			"Latency by percentile: baseline and candidate, with intervals",
			"percentile", "latency (ms)");
	spec->x_scale = CHART_X_PERCENTILE;
	spec->y_from_zero = true;
	add_side(spec, "baseline", base, c->options.confidence);
	add_side(spec, "candidate", cand, c->options.confidence);
	return true;
}

size_t compare_chart_specs(const struct comparison *c, const struct model *base,
			   const struct model *cand, struct chart_spec **out)
{
	*out = xcalloc(2, sizeof **out);
	size_t n = 0;
	if (spectra_chart(c, base, cand, &(*out)[n]))
		n++;
	if (shift_chart(c, &(*out)[n]))
		n++;
	return n;
}
