/*
 * chart_kinds.h - the chart kinds' builders, which chart_plan.c calls, and the helpers they
 * share (chart_kinds.c); private to the plan, the kinds and their test.
 *
 * Audience: chart_plan.c, chart_kinds.c, chart_spectrum.c, chart_timeline.c,
 * chart_endpoints.c, chart_compare.c, chart_capacity.c, chart_server.c and
 * tests/unit/test_chart_plan.c.
 * Nothing else: the drivers go through chart_plan (chart_plan.h). Calls go one way: plan ->
 * kinds -> helpers (chart_kinds.c) and spec builders (chart_spec.c).
 *
 * Each kind has one builder, `bool chart_<kind>_build(..., struct chart_spec *spec)`: it fills
 * *spec and returns true when the inputs allow that chart, else returns false with *spec zeroed
 * (nothing to free). The builders read the model and never change it; every string they put in
 * a spec is a copy (chart_spec.c), so specs outlive the model.
 */
#ifndef PERFGATE_CHART_KINDS_H
#define PERFGATE_CHART_KINDS_H

#include "../budget/budget.h"
#include "../model/model.h"
#include "chart.h"

/* ---- chart_kinds.c: helpers every kind uses ---- */

/* Labels from inputs (run labels, endpoint names) longer than this many bytes are cut. */
enum { CHART_LABEL_MAX = 60 };

/*
 * Appends text to out as it is (the drawing code sanitises UTF-8), cut to at most
 * CHART_LABEL_MAX bytes when longer: the cut falls on a UTF-8 boundary and ends with "…".
 */
void chart_kinds_append_label(struct buf *out, const char *text);

/*
 * Gives spec the subtitle "run 'LABEL'" and then more (a printf format, or NULL), the label
 * cut as chart_kinds_append_label cuts it.
 */
void chart_kinds_run_subtitle(struct chart_spec *spec, const struct run *run, const char *more,
			      ...) PG_PRINTF(3, 4);

/* The whole-run latency series of run (no endpoint, no tags; a trend in ms), or NULL. */
const struct series *chart_kinds_run_latency(const struct run *run);

/*
 * " (estimate)" when every value counted was an estimate, " (some estimated)" when some were,
 * "" when none: the suffix of a series label whose values came from reported percentiles.
 */
const char *chart_kinds_estimate_note(size_t estimates, size_t values);

/* ---- chart_spectrum.c: latency by percentile (also the compare chart's series) ---- */

/* Starts a spectrum-style spec: percentile x axis, latency (ms) from zero. */
void chart_spectrum_init(struct chart_spec *spec, enum chart_kind kind, const char *name,
			 const char *title);
/*
 * Adds s (a latency trend) as one series labelled label: a histogram sampled densely and
 * evenly on the percentile axis up to 99.99 (model_series_value_at), reported percentiles only at
 * the points the tool reported (and min at 0) with markers. Adds nothing and returns false
 * when s has no value to draw.
 */
bool chart_spectrum_add_series(struct chart_spec *spec, const char *label,
			       const struct series *s);
/* The spectrum chart of every run (see chart_plan in chart_plan.h). */
bool chart_spectrum_build(const struct model *m, struct chart_spec *spec);

/* ---- chart_timeline.c ---- */

/* The timeline of run m->runs[run_index], when its latency has per-interval histograms. */
bool chart_timeline_build(const struct model *m, size_t run_index, struct chart_spec *spec);

/* ---- chart_endpoints.c ---- */

/* An endpoint of a run, with what orders it. */
struct chart_endpoint {
	const char *name;              /* borrowed from the model */
	const struct series *latency;  /* its whole-endpoint latency trend (no tags) */
	double requests;               /* its requests counter, else its latency sample count */
};

/*
 * The endpoints of run that have latency data, by requests descending then name (strcmp).
 * Returns a new array owned by the caller (free) and its length in *count; NULL/0 when none.
 */
struct chart_endpoint *chart_endpoints_ranked(const struct run *run, size_t *count);
/* Most endpoints the endpoints chart shows (the rest are counted in its title). */
enum { CHART_ENDPOINTS_MAX = 20 };
/* p95 per endpoint of run m->runs[run_index] with its budget lines from v (may be NULL). */
bool chart_endpoints_build(const struct model *m, size_t run_index, const struct verdict *v,
			   struct chart_spec *spec);

/* ---- chart_compare.c ---- */

/*
 * Baseline against candidate m->runs[run_index]: the baseline run model_baseline_run picks (the
 * same label, else the baseline's only run); false when there is none.
 */
bool chart_compare_build(const struct model *m, size_t run_index, const struct model *baseline,
			 struct chart_spec *spec);

/* ---- chart_server.c ---- */

/* Server utilisation over time of run m->runs[run_index], with its load on the right axis. */
bool chart_server_build(const struct model *m, size_t run_index, struct chart_spec *spec);

/* ---- chart_capacity.c ---- */

/* Throughput and p95 against the concurrency of m's runs. */
bool chart_capacity_build(const struct model *m, struct chart_spec *spec);
/* The SLO's limit (a p95 SLO only: the chart's curve) and a line at its crossing. */
void chart_capacity_add_slo(struct chart_spec *spec, const struct model *m,
			    const struct capacity_slo *slo);

#endif
