/*
 * chart_spec.c - building and releasing struct chart_spec, the plain data a chart is drawn from.
 *
 * Every string is copied and every array grown on the heap, so a spec outlives the model it
 * was made from; chart_spec_fini releases all of it. No layout or drawing here (chart.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void chart_spec_init(struct chart_spec *spec, enum chart_kind kind, const char *name,
		     const char *title, const char *x_label, const char *y_label)
{
	memset(spec, 0, sizeof *spec);
	spec->kind = kind;
	spec->name = xstrdup(name);
	spec->title = xstrdup(title);
	spec->caption = xstrdup(title);
	spec->x_label = dup_or_null(x_label);
	spec->y_label = dup_or_null(y_label);
	spec->x_scale = CHART_X_LINEAR;
}

void chart_spec_set_subtitle(struct chart_spec *spec, const char *subtitle)
{
	free(spec->subtitle);
	free(spec->caption);
	spec->subtitle = xstrdup(subtitle);
	spec->caption = xasprintf("%s " CHART_EM_DASH " %s", spec->title, subtitle);
}

struct chart_series *chart_spec_add_series(struct chart_spec *spec, const char *label,
					   enum chart_mark mark, bool right_axis, size_t capacity)
{
	spec->series = xrealloc(spec->series, (spec->series_count + 1) * sizeof *spec->series);
	struct chart_series *s = &spec->series[spec->series_count++];
	memset(s, 0, sizeof *s);
	s->label = xstrdup(label);
	s->mark = mark;
	s->right_axis = right_axis;
	if (capacity > 0) {
		s->x = xmalloc(capacity * sizeof *s->x);
		s->y = xmalloc(capacity * sizeof *s->y);
	}
	s->capacity = capacity;
	return s;
}

void chart_series_add(struct chart_series *s, double x, double y)
{
	if (s->count == s->capacity) {
		s->capacity = s->capacity ? s->capacity * 2 : 16;
		s->x = xrealloc(s->x, s->capacity * sizeof *s->x);
		s->y = xrealloc(s->y, s->capacity * sizeof *s->y);
		if (s->lo) {
			s->lo = xrealloc(s->lo, s->capacity * sizeof *s->lo);
			s->hi = xrealloc(s->hi, s->capacity * sizeof *s->hi);
		}
	}
	if (s->lo)
		s->lo[s->count] = s->hi[s->count] = NAN;
	s->x[s->count] = x;
	s->y[s->count] = y;
	s->count++;
}

void chart_series_add_interval(struct chart_series *s, double x, double y, double lo, double hi)
{
	if (!s->lo) {
		size_t cap = s->capacity ? s->capacity : 16;
		s->lo = xmalloc(cap * sizeof *s->lo);
		s->hi = xmalloc(cap * sizeof *s->hi);
		for (size_t i = 0; i < s->count; i++)
			s->lo[i] = s->hi[i] = NAN;
		if (!s->capacity) {
			s->capacity = cap;
			s->x = xrealloc(s->x, cap * sizeof *s->x);
			s->y = xrealloc(s->y, cap * sizeof *s->y);
		}
	}
	chart_series_add(s, x, y);
	s->lo[s->count - 1] = lo;
	s->hi[s->count - 1] = hi;
}

void chart_series_set_note(struct chart_series *s, size_t index, const char *text)
{
	if (index >= s->count)
		return;
	if (!s->notes)
		s->notes = xcalloc(s->count, sizeof *s->notes);
	free(s->notes[index]);
	s->notes[index] = xstrdup(text);
}

void chart_series_set_alert(struct chart_series *s, size_t index, const char *label)
{
	if (index >= s->count)
		return;
	if (!s->alert)
		s->alert = xcalloc(s->count, sizeof *s->alert);
	s->alert[index] = true;
	free(s->alert_label);
	s->alert_label = xstrdup(label);
}

void chart_spec_add_line(struct chart_spec *spec, const char *label, double y, bool right_axis,
			 long category)
{
	spec->lines = xrealloc(spec->lines, (spec->line_count + 1) * sizeof *spec->lines);
	spec->lines[spec->line_count++] = (struct chart_line){xstrdup(label), y, right_axis,
							      category};
}

void chart_spec_add_category(struct chart_spec *spec, const char *label)
{
	spec->categories = xrealloc(spec->categories,
				    (spec->category_count + 1) * sizeof *spec->categories);
	spec->categories[spec->category_count++] = xstrdup(label);
}

void chart_spec_add_band(struct chart_spec *spec, const char *label, double x0, double x1)
{
	spec->bands = xrealloc(spec->bands, (spec->band_count + 1) * sizeof *spec->bands);
	spec->bands[spec->band_count++] = (struct chart_band){xstrdup(label), x0, x1};
}

void chart_spec_fini(struct chart_spec *spec)
{
	for (size_t i = 0; i < spec->band_count; i++)
		free(spec->bands[i].label);
	free(spec->bands);
	free(spec->name);
	free(spec->title);
	free(spec->subtitle);
	free(spec->caption);
	free(spec->x_label);
	free(spec->y_label);
	free(spec->y2_label);
	for (size_t i = 0; i < spec->category_count; i++)
		free(spec->categories[i]);
	free(spec->categories);
	for (size_t i = 0; i < spec->series_count; i++) {
		free(spec->series[i].label);
		free(spec->series[i].x);
		free(spec->series[i].y);
		free(spec->series[i].lo);
		free(spec->series[i].hi);
		for (size_t k = 0; spec->series[i].notes && k < spec->series[i].count; k++)
			free(spec->series[i].notes[k]);
		free(spec->series[i].notes);
		free(spec->series[i].alert);
		free(spec->series[i].alert_label);
	}
	free(spec->series);
	for (size_t i = 0; i < spec->line_count; i++)
		free(spec->lines[i].label);
	free(spec->lines);
	memset(spec, 0, sizeof *spec);
}

void chart_specs_free(struct chart_spec *specs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		chart_spec_fini(&specs[i]);
	free(specs);
}

const char *chart_kind_name(enum chart_kind kind)
{
	switch (kind) {
	case CHART_SPECTRUM: return "spectrum";
	case CHART_TIMELINE: return "timeline";
	case CHART_ENDPOINTS: return "endpoints";
	case CHART_COMPARE: return "compare";
	case CHART_CAPACITY: return "capacity";
	case CHART_SERVER: return "server";
	}
	return "?";
}
