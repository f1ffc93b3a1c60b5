/*
 * chart_legend.c - the legend: one entry per drawn series (and one for its bars that stand
 * out, when some do), then one per distinct budget line label in that label's pen, flowed into
 * rows above the plot.
 *
 * chart.c's layout builds the legend first (chart_legend_init measures every entry and counts
 * the rows the plot's width allows), so the plot starts below it and the legend never covers
 * data. At most LEGEND_ROWS rows are shown; the entries that do not fit are counted in a
 * "+N more" at the end of the last row, for which room is kept. Each entry shows a swatch in
 * the series' style (a bar, or a line with its dash and marker) or the budget line's pen,
 * then its label, cleaned and cut to LEGEND_LABEL_MAX px. The entries' texts are heap copies
 * owned by the legend (chart_legend_fini).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_draw.h"

#define LEGEND_ROWS 3     /* at most; further entries become "+N more" */
#define LEGEND_LABEL_MAX 220.0

static struct chart_legend_entry *legend_add(struct chart_legend *lg, cairo_t *cr,
					     const char *label, long series, struct buf *scratch)
{
	lg->entries = xrealloc(lg->entries, (lg->count + 1) * sizeof *lg->entries);
	struct chart_legend_entry *e = &lg->entries[lg->count++];
	e->text = xstrdup(chart_text_fit(cr, label, LEGEND_LABEL_MAX, scratch));
	e->width = chart_text_width(cr, e->text);
	e->series = series;
	e->alert = false;
	e->pen = 0;
	return e;
}

/* Some drawn bar of s stands out. */
static bool has_alert(const struct chart_series *s)
{
	for (size_t i = 0; s->alert && i < s->count; i++)
		if (s->alert[i] && chart_draw_point_ok(s, i))
			return true;
	return false;
}

enum { SWATCH = 26, SWATCH_GAP = 6, ENTRY_GAP = 18 };

static double entry_width(const struct chart_legend_entry *e)
{
	return SWATCH + SWATCH_GAP + e->width + ENTRY_GAP;
}

void chart_legend_init(struct chart_legend *lg, cairo_t *cr, const struct chart_spec *spec,
		       double width, struct buf *scratch)
{
	memset(lg, 0, sizeof *lg);
	chart_text_set_font(cr, LABEL_SIZE, false);
	for (size_t i = 0; i < spec->series_count; i++) {
		if (chart_draw_series_has_data(&spec->series[i]))
			legend_add(lg, cr, spec->series[i].label, (long)i, scratch);
		if (has_alert(&spec->series[i]))
			legend_add(lg, cr, spec->series[i].alert_label, (long)i, scratch)->alert =
				true;
	}
	for (size_t i = 0; i < spec->line_count; i++)
		if (chart_draw_line_ok(spec, &spec->lines[i]) && chart_draw_line_first(spec, i))
			legend_add(lg, cr, spec->lines[i].label, -1, scratch)->pen =
				chart_draw_line_pen(spec, i);
	/* flow: count the rows, keeping room for "+N more" on the last one */
	double x = 0;
	lg->rows = lg->count ? 1 : 0;
	lg->shown = 0;
	for (size_t i = 0; i < lg->count; i++) {
		double w = entry_width(&lg->entries[i]);
		if (x > 0 && x + w > width) {
			if (lg->rows == LEGEND_ROWS)
				break;
			lg->rows++;
			x = 0;
		}
		x += w;
		lg->shown++;
	}
	if (lg->shown < lg->count) {
		double more_width = 0;
		do {
			lg->shown--;
			snprintf(lg->more, sizeof lg->more, "+%zu more", lg->count - lg->shown);
			more_width = chart_text_width(cr, lg->more);
			/* the width of the last row without the removed entries */
			x = 0;
			size_t row = 1;
			for (size_t i = 0; i < lg->shown; i++) {
				double w = entry_width(&lg->entries[i]);
				if (x > 0 && x + w > width) {
					row++;
					x = 0;
				}
				x += w;
			}
			if (row < LEGEND_ROWS)
				x = 0;
		} while (lg->shown > 0 && x + more_width > width);
	}
}

void chart_legend_fini(struct chart_legend *lg)
{
	for (size_t i = 0; i < lg->count; i++)
		free(lg->entries[i].text);
	free(lg->entries);
}

void chart_legend_draw(cairo_t *cr, const struct chart_spec *spec, const struct chart_frame *f,
		       const struct chart_legend *lg)
{
	chart_text_set_font(cr, LABEL_SIZE, false);
	double x = f->left, y = f->legend_baseline;
	double width = f->right - f->left;
	for (size_t i = 0; i <= lg->shown; i++) {
		if (i == lg->shown) {
			if (lg->shown < lg->count) {
				/* chart_legend_init left room for it, on this row or the next */
				if (x > f->left &&
				    x - f->left + chart_text_width(cr, lg->more) > width) {
					x = f->left;
					y += LEGEND_ROW;
				}
				chart_style_set_colour(cr, chart_style_tick_colour);
				chart_text_show(cr, lg->more, x, y, 0);
			}
			break;
		}
		const struct chart_legend_entry *e = &lg->entries[i];
		double w = entry_width(e);
		if (x > f->left && x - f->left + w > width) {
			x = f->left;
			y += LEGEND_ROW;
		}
		double mid = y - LABEL_SIZE * 0.36;
		if (e->series < 0) {
			chart_style_set_budget_line(cr, e->pen);
			cairo_move_to(cr, x, round(mid) + 0.5);
			cairo_line_to(cr, x + SWATCH, round(mid) + 0.5);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		} else {
			const struct chart_series *s = &spec->series[e->series];
			const struct chart_style *st = chart_style_of_series((size_t)e->series);
			if (s->mark == CHART_BARS) {
				chart_style_set_colour(cr, e->alert ? chart_style_alert_colour
								    : st->colour);
				cairo_rectangle(cr, x + 5, mid - 6, SWATCH - 10, 12);
				cairo_fill(cr);
				if (e->alert)
					chart_marks_hatch(cr, x + 5, mid - 6, SWATCH - 10, 12);
			} else {
				cairo_set_line_width(cr, 2);
				chart_style_set_dash(cr, st);
				chart_style_set_colour(cr, st->colour);
				cairo_move_to(cr, x, mid);
				cairo_line_to(cr, x + SWATCH, mid);
				cairo_stroke(cr);
				cairo_set_dash(cr, NULL, 0, 0);
				if (s->mark == CHART_LINE_POINTS)
					chart_style_draw_marker(cr, st, x + SWATCH / 2.0, mid);
			}
		}
		chart_style_set_colour(cr, chart_style_text_colour);
		chart_text_show(cr, e->text, x + SWATCH + SWATCH_GAP, y, 0);
		x += w;
	}
}
