/*
 * chart_plan.h - which charts the inputs allow: model (+ baseline + verdict) -> chart specs.
 *
 * Audience: outputs.c (which draws and writes the planned charts), chart_plan.c and
 * tests/unit/test_chart_plan.c. This is the one chart header that reads the model and the
 * verdict, so that chart.h (specs and drawing) stays below them: the drawing code cannot see
 * the model. The kinds that chart_plan asks, and their shared helpers, are private to the plan
 * (chart_kinds.h).
 * Sections follow the implementing files:
 *   chart_plan.c    the plan: every chart kind asked in a fixed order.
 */
#ifndef PERFGATE_CHART_PLAN_H
#define PERFGATE_CHART_PLAN_H

#include <stddef.h>

#include "../budget/budget.h"
#include "../model/model.h"
#include "chart.h"

/* ---- chart_plan.c ---- */

struct chart_inputs {
	const struct model *model;     /* the candidate runs (sorted) */
	const struct model *baseline;  /* NULL without --baseline */
	const struct verdict *verdict; /* NULL without a budget: no budget lines */
	const struct capacity_slo *slo; /* --slo: on the capacity chart; NULL without */
};

/*
 * Every chart the inputs allow, in this order: the spectrum of each run's whole-run latency
 * (one chart, one series per run; with a single run, also its endpoints), a timeline per run
 * with per-interval latency data, an endpoints chart per run with at least two endpoints, a
 * server chart per run with server utilisation over time (formats/prometheus.md), a
 * compare chart per candidate run when a baseline is given, a capacity chart when at least two
 * runs have distinct known concurrency. Stores a new array in *specs (chart_specs_free) and
 * returns its length (0: nothing to draw; *specs is then NULL).
 */
size_t chart_plan(const struct chart_inputs *in, struct chart_spec **specs);

#endif
