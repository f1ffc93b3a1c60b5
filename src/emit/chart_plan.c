/*
 * chart_plan.c - which charts a model (+ baseline + verdict) allows, in the order chart_plan.h
 * documents, and the small helpers the chart kinds share.
 *
 * The plan asks each kind's builder in turn (spectrum; a timeline, an endpoints chart and a
 * compare chart per run; capacity) and keeps the specs they return. A builder that finds
 * nothing to draw returns false, so a report never shows an empty chart: "no data" images are
 * for the drawing code's callers that insist on one. Every kind lives in its own file
 * (chart_<kind>.c) and turns the model's numbers into plain data; nothing here draws.
 *
 * Determinism: runs are taken in model order and every ordering inside a kind has a
 * tie-breaker, so the same inputs always give the same specs.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "chart_kinds.h"
#include "chart_plan.h"

/* U+2026 HORIZONTAL ELLIPSIS */
#define ELLIPSIS "\xE2\x80\xA6"

void chart_plan_append_label(struct buf *out, const char *text)
{
	size_t len = strlen(text);
	if (len <= CHART_LABEL_MAX) {
		buf_append(out, text, len);
		return;
	}
	/* keep room for the ellipsis; back off over continuation bytes (10xxxxxx) */
	size_t cut = CHART_LABEL_MAX - (sizeof ELLIPSIS - 1);
	while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	buf_append(out, text, cut);
	buf_puts(out, ELLIPSIS);
}

void chart_plan_run_title(struct buf *out, const char *what, const struct run *run)
{
	buf_printf(out, "%s " CHART_EM_DASH " run '", what);
	chart_plan_append_label(out, run->label);
	buf_putc(out, '\'');
}

const struct series *chart_plan_run_latency(const struct run *run)
{
	const struct series *s = model_find_series(run, "latency", NULL, NULL, 0);
	/* the axis says ms: a latency loaded in another unit (model JSON) is not drawn on it */
	if (!s || s->kind != SERIES_TREND || s->unit != UNIT_MS)
		return NULL;
	return s;
}

const char *chart_plan_estimate_note(size_t estimates, size_t values)
{
	if (estimates == 0)
		return "";
	return estimates == values ? " (estimate)" : " (some estimated)";
}

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
	for (size_t i = 0; in->baseline && i < m->run_count; i++)
		if (chart_compare_build(m, i, in->baseline, &spec))
			push(&list, &count, &spec);
	if (chart_capacity_build(m, &spec))
		push(&list, &count, &spec);
	*specs = list;
	return count;
}
