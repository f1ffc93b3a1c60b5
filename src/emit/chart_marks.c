/*
 * chart_marks.c - the marks that stand for data in the plot: line series (with a marker at
 * each point for CHART_LINE_POINTS), bar series, and budget lines with their labels.
 *
 * chart.c's draw loop calls these inside the plot's clip, after the grid and before the axes,
 * with each series' style (chart_style.c); positions come from chart_axes_x_px/y_px, so a
 * mark knows nothing of margins or ticks. A non-finite value is a gap, never a zero. Bars of
 * several series share each slot side by side, with a white rim that keeps neighbours apart
 * in grayscale. Budget line labels sit on a translucent box so they read over the series; a
 * limit drawn over one bar is labelled with its rule when that fits, else with the number,
 * whole or not at all (a cut number would mislead).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_draw.h"

/*
 * The interval band of s: each stretch of consecutive points with finite bounds filled as
 * one polygon (upper bounds forward, lower bounds back) in the series' colour, pale.
 */
static void draw_band(cairo_t *cr, const struct chart_spec *spec, const struct chart_frame *f,
		      const struct chart_series *s, const struct chart_style *st)
{
	size_t i = 0;
	while (i < s->count) {
		size_t a = i;
		while (i < s->count && chart_draw_point_ok(s, i) && isfinite(s->lo[i]) &&
		       isfinite(s->hi[i]))
			i++;
		if (i - a >= 2) {
			for (size_t k = a; k < i; k++) {
				double px = chart_axes_x_px(spec, f, s->x[k]);
				double py = chart_axes_y_px(f, s->right_axis, s->hi[k]);
				if (k == a)
					cairo_move_to(cr, px, py);
				else
					cairo_line_to(cr, px, py);
			}
			for (size_t k = i; k-- > a;)
				cairo_line_to(cr, chart_axes_x_px(spec, f, s->x[k]),
					      chart_axes_y_px(f, s->right_axis, s->lo[k]));
			cairo_close_path(cr);
			cairo_set_source_rgba(cr, st->colour.r, st->colour.g, st->colour.b, 0.18);
			cairo_fill(cr);
		}
		if (i == a)
			i++;
	}
}

void chart_marks_draw_line(cairo_t *cr, const struct chart_spec *spec,
			   const struct chart_frame *f, const struct chart_series *s,
			   const struct chart_style *st)
{
	if (s->lo)
		draw_band(cr, spec, f, s, st);
	cairo_set_line_width(cr, 2);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	chart_style_set_dash(cr, st);
	chart_style_set_colour(cr, st->colour);
	size_t run = 0;
	double last_x = 0, last_y = 0;
	for (size_t i = 0; i <= s->count; i++) {
		if (i < s->count && chart_draw_point_ok(s, i)) {
			double px = chart_axes_x_px(spec, f, s->x[i]);
			double py = chart_axes_y_px(f, s->right_axis, s->y[i]);
			if (run++ == 0)
				cairo_move_to(cr, px, py);
			else
				cairo_line_to(cr, px, py);
			last_x = px;
			last_y = py;
			continue;
		}
		if (run == 1 && s->mark == CHART_LINE) {
			cairo_new_path(cr);
			cairo_arc(cr, last_x, last_y, 2.5, 0, 2 * PI);
			cairo_fill(cr);
		} else if (run > 1) {
			cairo_stroke(cr);
		}
		run = 0;
	}
	cairo_new_path(cr);
	if (s->mark == CHART_LINE_POINTS)
		for (size_t i = 0; i < s->count; i++)
			if (chart_draw_point_ok(s, i))
				chart_style_draw_marker(cr, st, chart_axes_x_px(spec, f, s->x[i]),
							chart_axes_y_px(f, s->right_axis, s->y[i]));
}

/* Width of one x slot in px: a category, or for bars on a number axis, the plot shared out. */
static double slot_width(const struct chart_spec *spec, const struct chart_frame *f,
			 const struct chart_series *s)
{
	double plot = f->right - f->left;
	if (spec->x_scale == CHART_X_CATEGORY)
		return plot / (double)f->slots;
	return fmin(plot / (double)(s->count + 1), 60);
}

void chart_marks_hatch(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.55);
	cairo_set_line_width(cr, 2);
	for (double d = -h; d < w; d += 8) {
		cairo_move_to(cr, x + d, y + h);
		cairo_line_to(cr, x + d + h, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* Bar i of s as a rectangle: left x, top y, width w, height h (px). */
static void bar_rect(const struct chart_spec *spec, const struct chart_frame *f,
		     const struct chart_series *s, size_t bar_index, size_t i, double r[4])
{
	double group = slot_width(spec, f, s) * 0.8;
	double width = group / (double)f->bar_series;
	double zero = chart_axes_y_px(f, s->right_axis, 0);
	double cx = chart_axes_x_px(spec, f, s->x[i]);
	double y = chart_axes_y_px(f, s->right_axis, s->y[i]);
	r[0] = cx - group / 2 + width * (double)bar_index;
	r[1] = fmin(y, zero);
	r[2] = width;
	r[3] = fabs(zero - y);
}

void chart_marks_draw_bars(cairo_t *cr, const struct chart_spec *spec,
			   const struct chart_frame *f, const struct chart_series *s,
			   const struct chart_style *st, size_t bar_index)
{
	double r[4] = {0, 0, 1, 0};
	for (int alert = 0; alert < 2; alert++) {
		bool any = false;
		for (size_t i = 0; i < s->count; i++) {
			if (!chart_draw_point_ok(s, i) || (s->alert && s->alert[i]) != alert)
				continue;
			bar_rect(spec, f, s, bar_index, i, r);
			cairo_rectangle(cr, r[0], r[1], r[2], r[3]);
			any = true;
		}
		if (!any)
			continue;
		chart_style_set_colour(cr, alert ? chart_style_alert_colour : st->colour);
		cairo_fill_preserve(cr);
		/* a thin white rim keeps neighbouring bars apart in any palette and in grayscale */
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_set_line_width(cr, r[2] > 6 ? 1 : 0.25);
		cairo_stroke(cr);
	}
	for (size_t i = 0; s->alert && i < s->count; i++)
		if (chart_draw_point_ok(s, i) && s->alert[i]) {
			bar_rect(spec, f, s, bar_index, i, r);
			chart_marks_hatch(cr, r[0], r[1], r[2], r[3]);
		}
	/* each bar's value over it, or inside its top when the plot's top is too near */
	chart_text_set_font(cr, TICK_SIZE, false);
	for (size_t i = 0; s->notes && i < s->count; i++) {
		if (!chart_draw_point_ok(s, i) || !s->notes[i])
			continue;
		bar_rect(spec, f, s, bar_index, i, r);
		/* the note, else its number alone (the axis has the unit), else nothing: a cut
		 * number would mislead */
		const char *note = s->notes[i];
		char number[64];
		if (chart_text_width(cr, note) > r[2]) {
			snprintf(number, sizeof number, "%.*s", (int)strcspn(note, " "), note);
			note = number;
		}
		if (chart_text_width(cr, note) > r[2])
			continue;
		bool inside = r[1] - 4 - TICK_SIZE < f->top && r[3] > TICK_SIZE + 6;
		if (inside)
			cairo_set_source_rgb(cr, 1, 1, 1);
		else
			chart_style_set_colour(cr, chart_style_text_colour);
		chart_text_show(cr, note, r[0] + r[2] / 2,
				inside ? r[1] + TICK_SIZE + 3 : r[1] - 4, 0.5);
	}
}

/* A label with a translucent white box behind it, so it reads over the series. */
static void boxed_label(cairo_t *cr, const char *text, double x, double y, double align,
			size_t pen)
{
	if (!*text)
		return;
	double w = chart_text_width(cr, text);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_rectangle(cr, x - w * align - 2, y - TICK_SIZE, w + 4, TICK_SIZE + 3);
	cairo_fill(cr);
	chart_style_set_colour(cr, chart_style_budget_pen_colour(pen));
	chart_text_show(cr, text, x, y, align);
}

void chart_marks_draw_budget_lines(cairo_t *cr, const struct chart_spec *spec,
				   const struct chart_frame *f, struct buf *scratch)
{
	double previous_label_y = -1e9;
	for (size_t i = 0; i < spec->line_count; i++) {
		const struct chart_line *l = &spec->lines[i];
		if (!chart_draw_line_ok(spec, l))
			continue;
		double y = round(chart_axes_y_px(f, l->right_axis, l->y)) + 0.5;
		double x0 = f->left, x1 = f->right;
		if (chart_draw_line_in_slot(spec, l)) {
			double c = (double)l->category;
			x0 = chart_map(c - 0.47, f->x_lo, f->x_hi, f->left, f->right);
			x1 = chart_map(c + 0.47, f->x_lo, f->x_hi, f->left, f->right);
		}
		size_t pen = chart_draw_line_pen(spec, i);
		chart_style_set_budget_line(cr, pen);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x1, y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		chart_text_set_font(cr, TICK_SIZE, false);
		if (chart_draw_line_in_slot(spec, l)) {
			/* over one slot: the line's label when it fits ("budget p95 < 100 ms"),
			 * else only the limit itself, whole or not at all (a cut number would
			 * mislead), above the line unless that leaves the plot */
			char value[32];
			str_format_double(value, str_round_significant(l->y, 6));
			chart_text_clean(l->label, scratch);
			bool label_fits = chart_text_width(cr, scratch->data) <= x1 - x0;
			const char *shown = label_fits ? scratch->data : value;
			if (chart_text_width(cr, shown) <= x1 - x0) {
				double label_y = y - 3 - TICK_SIZE < f->top ? y + TICK_SIZE + 3
									    : y - 3;
				boxed_label(cr, shown, (x0 + x1) / 2, label_y, 0.5, pen);
			}
			continue;
		}
		/* across the plot: the label at the right end, above the line (below it when
		 * the top is near, or another label is just above) */
		double label_y = y - 4;
		bool crowded = fabs(label_y - previous_label_y) < TICK_SIZE + 2;
		if (label_y - TICK_SIZE < f->top || crowded)
			label_y = y + TICK_SIZE + 3;
		chart_text_fit(cr, l->label, (f->right - f->left) / 2, scratch);
		boxed_label(cr, scratch->data, f->right - 4, label_y, 1, pen);
		previous_label_y = label_y;
	}
}
