/*
 * chart_plan.c - which charts a model (+ baseline + verdict) allows, in the order chart_plan.h
 * documents.
 *
 * The plan asks each kind's builder in turn (spectrum; a timeline, an endpoints chart, a
 * server chart and a compare chart per run; capacity) and keeps the specs they return. A builder that finds
 * nothing to draw returns false, so a report never shows an empty chart: "no data" images are
 * for the drawing code's callers that insist on one. Every kind lives in its own file
 * (chart_<kind>.c) and turns the model's numbers into plain data; nothing here draws, and
 * nothing here is called back by the kinds (what they share is chart_kinds.c).
 *
 * Determinism: runs are taken in model order and every ordering inside a kind has a
 * tie-breaker, so the same inputs always give the same specs.
 */
#include <assert.h>
#include <string.h>

#include "chart_kinds.h"
#include "chart_plan.h"

/* Appends *spec to the plan (taking over what it holds). */
static void push(struct chart_spec **specs, size_t *count, struct chart_spec *spec)
{
	*specs = xrealloc(*specs, (*count + 1) * sizeof **specs);
	(*specs)[(*count)++] = *spec;
	memset(spec, 0, sizeof *spec);
}

size_t chart_plan(const struct chart_inputs *in, struct chart_spec **specs)
{
	const struct model *m = in->model;
	struct chart_spec *list = NULL;
	size_t count = 0;
	struct chart_spec spec;
	assert(m);

	if (chart_spectrum_build(m, &spec))
		push(&list, &count, &spec);
	for (size_t i = 0; i < m->run_count; i++)
		if (chart_timeline_build(m, i, &spec))
			push(&list, &count, &spec);
	for (size_t i = 0; i < m->run_count; i++)
		if (chart_endpoints_build(m, i, in->verdict, &spec))
			push(&list, &count, &spec);
	for (size_t i = 0; i < m->run_count; i++)
		if (chart_server_build(m, i, &spec))
			push(&list, &count, &spec);
	for (size_t i = 0; in->baseline && i < m->run_count; i++)
		if (chart_compare_build(m, i, in->baseline, &spec))
			push(&list, &count, &spec);
	if (chart_capacity_build(m, &spec)) {
		if (in->slo)
			chart_capacity_add_slo(&spec, m, in->slo);
		push(&list, &count, &spec);
	}
	*specs = list;
	return count;
}
