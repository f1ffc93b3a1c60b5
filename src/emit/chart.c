/*
 * chart.c - draws any struct chart_spec with Cairo, as a PNG or an SVG document.
 *
 * One drawing routine (draw) works on a cairo_t; only the surface differs: an RGB24 image
 * written with cairo_surface_write_to_png_stream, or an SVG 1.1 surface in px units. Layout
 * goes outside in: margins follow from the measured tick labels, axis titles and legend (above
 * the plot, so it never covers data); the plot takes what is left. Text (chart_text.c) is set
 * with explicit font options (grey antialiasing, no hinting), so hinting settings and the
 * format do not move a glyph (what still can: see draw). Series take the palette's styles in
 * order (chart_style.c). Determinism: see chart_svg.c.
 */
#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_draw.h"

enum { TITLE_SIZE = 15, LABEL_SIZE = 12, TICK_SIZE = 11 };
#define PAD 12.0          /* between the image edge and anything drawn */
#define TICK_LENGTH 4.0   /* tick marks, outside the plot */
#define LEGEND_ROWS 3     /* at most; further entries become "+N more" */
#define LEGEND_LABEL_MAX 220.0
#define ROTATED_LABEL_MAX 120.0
/* Where Cairo's 24.8 fixed point stays exact: coordinates are clamped to it. */
#define COORD_LIMIT 1e5

/* Everything the layout decided before drawing. */
struct frame {
	double left, top, right, bottom;  /* the plot area, px */
	struct chart_ticks y, y2;         /* ticks of the left and right axes */
	bool has_y2;                      /* the right axis is drawn */
	struct chart_ticks x;             /* CHART_X_LINEAR / CHART_X_TIME ticks */
	double x_lo, x_hi;                /* x range in axis units (percentile: positions) */
	size_t slots;                     /* CHART_X_CATEGORY: number of categories */
	size_t label_step;                /* CHART_X_CATEGORY: every label_step-th is labelled */
	bool rotate;                      /* CHART_X_CATEGORY: labels at 45 degrees */
	double rotated_width;             /* CHART_X_CATEGORY: their width limit when rotated */
	size_t bar_series;                /* series drawn as bars */
	double title_baseline, legend_baseline;
};

struct legend_entry {
	char *text;       /* cleaned and fitted; heap */
	double width;     /* text width */
	long series;      /* index into spec->series, or -1: a budget line */
};

struct legend {
	struct legend_entry *entries; /* heap */
	size_t count;
	size_t rows;                  /* rows used */
	size_t shown;                 /* entries that fit in LEGEND_ROWS rows */
	char more[32];                /* "+N more" when shown < count */
};

/* ---- data and scales ---- */

static bool point_ok(const struct chart_series *s, size_t i)
{
	return isfinite(s->x[i]) && isfinite(s->y[i]);
}

static bool series_has_data(const struct chart_series *s)
{
	for (size_t i = 0; i < s->count; i++)
		if (point_ok(s, i))
			return true;
	return false;
}

/* Whether budget line l is drawn only over one category's slot: a category index is
 * meaningless on another x scale, where the line goes across the plot. */
static bool line_in_slot(const struct chart_spec *spec, const struct chart_line *l)
{
	return l->category >= 0 && spec->x_scale == CHART_X_CATEGORY;
}

static bool line_ok(const struct chart_spec *spec, const struct chart_line *l)
{
	if (!isfinite(l->y))
		return false;
	return !line_in_slot(spec, l) || (size_t)l->category < spec->category_count;
}

static const char *label_text(const char *label)
{
	return label ? label : "";
}

static double clamp_coord(double v)
{
	return v > COORD_LIMIT ? COORD_LIMIT : v < -COORD_LIMIT ? -COORD_LIMIT : v;
}

/* x in axis units: the percentile axis is logarithmic, the others are as given. */
static double x_unit(const struct chart_spec *spec, double x)
{
	return spec->x_scale == CHART_X_PERCENTILE ? chart_percentile_position(x) : x;
}

static double x_px(const struct chart_spec *spec, const struct frame *f, double x)
{
	return clamp_coord(chart_map(x_unit(spec, x), f->x_lo, f->x_hi, f->left, f->right));
}

static double y_px(const struct frame *f, bool right_axis, double y)
{
	const struct chart_ticks *t = right_axis ? &f->y2 : &f->y;
	return clamp_coord(chart_map(y, t->lo, t->hi, f->bottom, f->top));
}

/* Ticks for one y axis: every finite y of its series and budget lines (bars from 0). */
static void y_axis_ticks(const struct chart_spec *spec, bool right_axis, struct chart_ticks *t)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < spec->series_count; i++) {
		const struct chart_series *s = &spec->series[i];
		if (s->right_axis != right_axis)
			continue;
		for (size_t j = 0; j < s->count; j++) {
			if (!point_ok(s, j))
				continue;
			lo = fmin(lo, s->y[j]);
			hi = fmax(hi, s->y[j]);
		}
		if (s->mark == CHART_BARS && series_has_data(s)) {
			lo = fmin(lo, 0);
			hi = fmax(hi, 0);
		}
	}
	for (size_t i = 0; i < spec->line_count; i++) {
		const struct chart_line *l = &spec->lines[i];
		if (l->right_axis == right_axis && line_ok(spec, l)) {
			lo = fmin(lo, l->y);
			hi = fmax(hi, l->y);
		}
	}
	if (lo > hi) /* nothing on this axis */
		lo = hi = NAN;
	/* y_from_zero holds for the right axis too: what a chart puts there (throughput,
	 * latency) is as much a quantity from 0 as what it puts on the left */
	chart_nice_ticks(lo, hi, 6, spec->y_from_zero, t);
}

static bool right_axis_used(const struct chart_spec *spec)
{
	for (size_t i = 0; i < spec->series_count; i++)
		if (spec->series[i].right_axis && series_has_data(&spec->series[i]))
			return true;
	for (size_t i = 0; i < spec->line_count; i++)
		if (spec->lines[i].right_axis && line_ok(spec, &spec->lines[i]))
			return true;
	return false;
}

/* The widest tick label of t, at the current font. */
static double tick_labels_width(cairo_t *cr, const struct chart_ticks *t)
{
	double w = 0;
	char label[32];
	for (size_t i = 0; i < t->count; i++) {
		chart_format_tick(t->values[i], t->decimals, label);
		w = fmax(w, chart_text_width(cr, label));
	}
	return w;
}

/* The percentile axis: ticks at 0%, 90%, 99% ... up to what the data reaches (4 to 6 nines
 * at most); 50% is a labelled minor tick. */
static const char *const percentile_labels[] = {
	"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%",
};

static void x_range(const struct chart_spec *spec, struct frame *f)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t categories = spec->category_count;
	for (size_t i = 0; i < spec->series_count; i++) {
		const struct chart_series *s = &spec->series[i];
		for (size_t j = 0; j < s->count; j++) {
			if (!isfinite(s->x[j]))
				continue;
			double x = x_unit(spec, s->x[j]);
			lo = fmin(lo, x);
			hi = fmax(hi, x);
		}
	}
	switch (spec->x_scale) {
	case CHART_X_PERCENTILE:
		f->x_lo = 0;
		f->x_hi = hi > 1 ? fmin(ceil(hi - 1e-9), 6) : 1;
		break;
	case CHART_X_CATEGORY:
		/* categories are given; without them the slots follow the largest index */
		if (categories == 0 && hi >= 0)
			categories = hi < 9999 ? (size_t)hi + 1 : 10000;
		if (categories == 0)
			categories = 1;
		f->slots = categories;
		f->x_lo = -0.5;
		f->x_hi = (double)categories - 0.5;
		break;
	case CHART_X_LINEAR:
	case CHART_X_TIME:
		if (lo > hi)
			lo = hi = NAN;
		f->x_lo = lo;
		f->x_hi = hi;
		break;
	}
}

/* LINEAR / TIME ticks for a plot width: as many as fit with their labels apart. */
static void x_ticks(cairo_t *cr, const struct chart_spec *spec, struct frame *f)
{
	double lo = f->x_lo, hi = f->x_hi;
	for (int target = (int)((f->right - f->left) / 100); ; target--) {
		if (spec->x_scale == CHART_X_TIME)
			chart_time_ticks(lo, hi, target, &f->x);
		else
			chart_nice_ticks(lo, hi, target, false, &f->x);
		if (target <= 2 || f->x.count < 2)
			break;
		double widest = 0;
		char label[32];
		for (size_t i = 0; i < f->x.count; i++) {
			if (spec->x_scale == CHART_X_TIME)
				chart_format_seconds(f->x.values[i], label);
			else
				chart_format_tick(f->x.values[i], f->x.decimals, label);
			widest = fmax(widest, chart_text_width(cr, label));
		}
		double spacing = (f->right - f->left) / (double)(f->x.count - 1);
		if (widest + 12 <= spacing)
			break;
	}
	f->x_lo = f->x.lo;
	f->x_hi = f->x.hi;
}

/* Category labels: level, at 45 degrees when they do not fit their slot, and only every
 * label_step-th one when even that is too crowded. */
static void category_layout(cairo_t *cr, const struct chart_spec *spec, struct frame *f,
			    struct buf *scratch)
{
	double slot = (f->right - f->left) / (double)f->slots;
	f->label_step = 1;
	f->rotate = false;
	f->rotated_width = 0;
	if (slot >= 24 && spec->category_count <= 64) {
		double widest = 0;
		for (size_t i = 0; i < spec->category_count; i++) {
			const char *label = chart_text_clean(spec->categories[i], scratch);
			widest = fmax(widest, chart_text_width(cr, label));
		}
		if (widest + 6 <= slot)
			return;
		/* a little truncation beats rotating a few labels */
		if (slot >= 80 && spec->category_count <= 8)
			return;
	}
	f->rotate = true;
	double spacing = TICK_SIZE + 5; /* between rotated labels, along the axis */
	if (slot < spacing)
		f->label_step = (size_t)ceil(spacing / slot);
	for (size_t i = 0; i < spec->category_count; i += f->label_step) {
		chart_text_fit(cr, spec->categories[i], ROTATED_LABEL_MAX, scratch);
		double w = chart_text_width(cr, scratch->data);
		f->rotated_width = fmax(f->rotated_width, w);
	}
}

/* ---- legend ---- */

static void legend_add(struct legend *lg, cairo_t *cr, const char *label, long series,
		       struct buf *scratch)
{
	lg->entries = xrealloc(lg->entries, (lg->count + 1) * sizeof *lg->entries);
	struct legend_entry *e = &lg->entries[lg->count++];
	e->text = xstrdup(chart_text_fit(cr, label, LEGEND_LABEL_MAX, scratch));
	e->width = chart_text_width(cr, e->text);
	e->series = series;
}

enum { SWATCH = 26, SWATCH_GAP = 6, ENTRY_GAP = 18, LEGEND_ROW = 18 };

static double entry_width(const struct legend_entry *e)
{
	return SWATCH + SWATCH_GAP + e->width + ENTRY_GAP;
}

/* Drawn series, then each distinct budget line label; flowed into rows of width. */
static void legend_build(struct legend *lg, cairo_t *cr, const struct chart_spec *spec,
			 double width, struct buf *scratch)
{
	memset(lg, 0, sizeof *lg);
	chart_text_set_font(cr, LABEL_SIZE, false);
	for (size_t i = 0; i < spec->series_count; i++)
		if (series_has_data(&spec->series[i]))
			legend_add(lg, cr, spec->series[i].label, (long)i, scratch);
	for (size_t i = 0; i < spec->line_count; i++) {
		const struct chart_line *l = &spec->lines[i];
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = line_ok(spec, &spec->lines[j]) &&
			       strcmp(label_text(spec->lines[j].label), label_text(l->label)) == 0;
		if (line_ok(spec, l) && !seen)
			legend_add(lg, cr, l->label, -1, scratch);
	}
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

static void legend_free(struct legend *lg)
{
	for (size_t i = 0; i < lg->count; i++)
		free(lg->entries[i].text);
	free(lg->entries);
}

/* ---- marks ---- */

/* A polyline broken at every non-finite point; a point alone between gaps is a dot. */
static void draw_line_series(cairo_t *cr, const struct chart_spec *spec, const struct frame *f,
			     const struct chart_series *s, const struct chart_style *st)
{
	cairo_set_line_width(cr, 2);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	chart_style_set_dash(cr, st);
	chart_style_set_colour(cr, st->colour);
	size_t run = 0;
	double last_x = 0, last_y = 0;
	for (size_t i = 0; i <= s->count; i++) {
		if (i < s->count && point_ok(s, i)) {
			double px = x_px(spec, f, s->x[i]), py = y_px(f, s->right_axis, s->y[i]);
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
			if (point_ok(s, i))
				chart_style_draw_marker(cr, st, x_px(spec, f, s->x[i]),
							y_px(f, s->right_axis, s->y[i]));
}

/* Width of one x slot in px: a category, or for bars on a number axis, the plot shared out. */
static double slot_width(const struct chart_spec *spec, const struct frame *f,
			 const struct chart_series *s)
{
	double plot = f->right - f->left;
	if (spec->x_scale == CHART_X_CATEGORY)
		return plot / (double)f->slots;
	return fmin(plot / (double)(s->count + 1), 60);
}

/* Bars of bar series number bar_index side by side within each slot, from 0 to y. */
static void draw_bar_series(cairo_t *cr, const struct chart_spec *spec, const struct frame *f,
			    const struct chart_series *s, const struct chart_style *st,
			    size_t bar_index)
{
	double group = slot_width(spec, f, s) * 0.8;
	double width = group / (double)f->bar_series;
	double zero = y_px(f, s->right_axis, 0);
	for (size_t i = 0; i < s->count; i++) {
		if (!point_ok(s, i))
			continue;
		double cx = x_px(spec, f, s->x[i]);
		double x0 = cx - group / 2 + width * (double)bar_index;
		double y = y_px(f, s->right_axis, s->y[i]);
		cairo_rectangle(cr, x0, fmin(y, zero), width, fabs(zero - y));
	}
	chart_style_set_colour(cr, st->colour);
	cairo_fill_preserve(cr);
	/* a thin white rim keeps neighbouring bars apart in any palette and in grayscale */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, width > 6 ? 1 : 0.25);
	cairo_stroke(cr);
}

/* ---- budget lines ---- */

/* A label with a translucent white box behind it, so it reads over the series. */
static void boxed_label(cairo_t *cr, const char *text, double x, double y, double align)
{
	if (!*text)
		return;
	double w = chart_text_width(cr, text);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_rectangle(cr, x - w * align - 2, y - TICK_SIZE, w + 4, TICK_SIZE + 3);
	cairo_fill(cr);
	chart_style_set_colour(cr, chart_style_budget_colour);
	chart_text_show(cr, text, x, y, align);
}

static void draw_budget_lines(cairo_t *cr, const struct chart_spec *spec, const struct frame *f,
			      struct buf *scratch)
{
	double previous_label_y = -1e9;
	for (size_t i = 0; i < spec->line_count; i++) {
		const struct chart_line *l = &spec->lines[i];
		if (!line_ok(spec, l))
			continue;
		double y = round(y_px(f, l->right_axis, l->y)) + 0.5;
		double x0 = f->left, x1 = f->right;
		if (line_in_slot(spec, l)) {
			double c = (double)l->category;
			x0 = chart_map(c - 0.47, f->x_lo, f->x_hi, f->left, f->right);
			x1 = chart_map(c + 0.47, f->x_lo, f->x_hi, f->left, f->right);
		}
		chart_style_set_budget_line(cr);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x1, y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		chart_text_set_font(cr, TICK_SIZE, false);
		if (line_in_slot(spec, l)) {
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
				boxed_label(cr, shown, (x0 + x1) / 2, label_y, 0.5);
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
		boxed_label(cr, scratch->data, f->right - 4, label_y, 1);
		previous_label_y = label_y;
	}
}

/* ---- axes ---- */

static void draw_grid(cairo_t *cr, const struct chart_spec *spec, const struct frame *f,
		      bool grid_on_right)
{
	cairo_set_line_width(cr, 1);
	chart_style_set_colour(cr, chart_style_grid_colour);
	const struct chart_ticks *t = grid_on_right ? &f->y2 : &f->y;
	for (size_t i = 0; i < t->count; i++) {
		double y = round(y_px(f, grid_on_right, t->values[i])) + 0.5;
		cairo_move_to(cr, f->left, y);
		cairo_line_to(cr, f->right, y);
	}
	if (spec->x_scale == CHART_X_PERCENTILE) {
		for (int i = 1; i <= (int)f->x_hi; i++) {
			double x = round(chart_map(i, f->x_lo, f->x_hi, f->left, f->right)) + 0.5;
			cairo_move_to(cr, x, f->top);
			cairo_line_to(cr, x, f->bottom);
		}
		double x = round(chart_map(log10(2), f->x_lo, f->x_hi, f->left, f->right)) + 0.5;
		cairo_move_to(cr, x, f->top);
		cairo_line_to(cr, x, f->bottom);
	} else if (spec->x_scale != CHART_X_CATEGORY) {
		for (size_t i = 0; i < f->x.count; i++) {
			double x = round(x_px(spec, f, f->x.values[i])) + 0.5;
			cairo_move_to(cr, x, f->top);
			cairo_line_to(cr, x, f->bottom);
		}
	}
	cairo_stroke(cr);
}

static void draw_y_axis(cairo_t *cr, const struct frame *f, bool right_axis, const char *title,
			struct buf *scratch)
{
	const struct chart_ticks *t = right_axis ? &f->y2 : &f->y;
	double edge = (right_axis ? f->right : f->left) + 0.5;
	double out = right_axis ? 1 : -1;
	cairo_set_line_width(cr, 1);
	chart_style_set_colour(cr, chart_style_axis_colour);
	cairo_move_to(cr, edge, f->top);
	cairo_line_to(cr, edge, f->bottom + 0.5);
	for (size_t i = 0; i < t->count; i++) {
		double y = round(y_px(f, right_axis, t->values[i])) + 0.5;
		cairo_move_to(cr, edge, y);
		cairo_line_to(cr, edge + out * TICK_LENGTH, y);
	}
	cairo_stroke(cr);
	chart_text_set_font(cr, TICK_SIZE, false);
	chart_style_set_colour(cr, chart_style_tick_colour);
	double widest = 0;
	char label[32];
	for (size_t i = 0; i < t->count; i++) {
		chart_format_tick(t->values[i], t->decimals, label);
		double y = y_px(f, right_axis, t->values[i]);
		chart_text_show(cr, label, edge + out * (TICK_LENGTH + 3), y + TICK_SIZE * 0.36,
				right_axis ? 0 : 1);
		widest = fmax(widest, chart_text_width(cr, label));
	}
	if (!title)
		return;
	chart_text_set_font(cr, LABEL_SIZE, false);
	chart_style_set_colour(cr, chart_style_text_colour);
	chart_text_fit(cr, title, f->bottom - f->top, scratch);
	double x = edge + out * (TICK_LENGTH + 3 + widest + 8);
	cairo_save(cr);
	cairo_translate(cr, x, (f->top + f->bottom) / 2);
	cairo_rotate(cr, right_axis ? PI / 2 : -PI / 2);
	chart_text_show(cr, scratch->data, 0, 0, 0.5);
	cairo_restore(cr);
}

static void draw_x_axis(cairo_t *cr, const struct chart_spec *spec, const struct frame *f,
			struct buf *scratch)
{
	double base = f->bottom + 0.5;
	cairo_set_line_width(cr, 1);
	chart_style_set_colour(cr, chart_style_axis_colour);
	cairo_move_to(cr, f->left, base);
	cairo_line_to(cr, f->right + 1, base);
	cairo_stroke(cr);
	chart_text_set_font(cr, TICK_SIZE, false);
	double label_y = base + TICK_LENGTH + 3 + TICK_SIZE;
	char label[32];
	switch (spec->x_scale) {
	case CHART_X_PERCENTILE:
		for (int i = 0; i <= (int)f->x_hi; i++) {
			double x = chart_map(i, f->x_lo, f->x_hi, f->left, f->right);
			chart_style_set_colour(cr, chart_style_axis_colour);
			cairo_move_to(cr, round(x) + 0.5, base);
			cairo_line_to(cr, round(x) + 0.5, base + TICK_LENGTH);
			cairo_stroke(cr);
			chart_style_set_colour(cr, chart_style_tick_colour);
			chart_text_show(cr, percentile_labels[i], x, label_y, 0.5);
		}
		/* the median, when the first decade is wide enough to hold its label */
		if (chart_map(1, f->x_lo, f->x_hi, f->left, f->right) - f->left > 120) {
			double x = chart_map(log10(2), f->x_lo, f->x_hi, f->left, f->right);
			chart_text_show(cr, "50%", x, label_y, 0.5);
		}
		break;
	case CHART_X_CATEGORY:
		chart_style_set_colour(cr, chart_style_tick_colour);
		for (size_t i = 0; i < spec->category_count; i += f->label_step) {
			double x = chart_map((double)i, f->x_lo, f->x_hi, f->left, f->right);
			if (!f->rotate) {
				double slot = (f->right - f->left) / (double)f->slots;
				chart_text_fit(cr, spec->categories[i], slot - 6, scratch);
				chart_text_show(cr, scratch->data, x, label_y, 0.5);
				continue;
			}
			/* no further left than the image's edge */
			double room = (x - PAD) * sqrt(2) - TICK_SIZE;
			chart_text_fit(cr, spec->categories[i], fmin(ROTATED_LABEL_MAX, room),
				       scratch);
			cairo_save(cr);
			cairo_translate(cr, x + TICK_SIZE * 0.3, base + TICK_LENGTH + 2);
			cairo_rotate(cr, -PI / 4);
			chart_text_show(cr, scratch->data, 0, 0, 1);
			cairo_restore(cr);
		}
		break;
	case CHART_X_LINEAR:
	case CHART_X_TIME:
		for (size_t i = 0; i < f->x.count; i++) {
			double x = x_px(spec, f, f->x.values[i]);
			chart_style_set_colour(cr, chart_style_axis_colour);
			cairo_move_to(cr, round(x) + 0.5, base);
			cairo_line_to(cr, round(x) + 0.5, base + TICK_LENGTH);
			cairo_stroke(cr);
			if (spec->x_scale == CHART_X_TIME)
				chart_format_seconds(f->x.values[i], label);
			else
				chart_format_tick(f->x.values[i], f->x.decimals, label);
			chart_style_set_colour(cr, chart_style_tick_colour);
			chart_text_show(cr, label, x, label_y, 0.5);
		}
		break;
	}
	if (!spec->x_label)
		return;
	chart_text_set_font(cr, LABEL_SIZE, false);
	chart_style_set_colour(cr, chart_style_text_colour);
	chart_text_fit(cr, spec->x_label, f->right - f->left, scratch);
	chart_text_show(cr, scratch->data, (f->left + f->right) / 2, CHART_HEIGHT - PAD - 2, 0.5);
}

static void draw_legend(cairo_t *cr, const struct chart_spec *spec, const struct frame *f,
			const struct legend *lg)
{
	chart_text_set_font(cr, LABEL_SIZE, false);
	double x = f->left, y = f->legend_baseline;
	double width = f->right - f->left;
	for (size_t i = 0; i <= lg->shown; i++) {
		if (i == lg->shown) {
			if (lg->shown < lg->count) {
				/* legend_build left room for it, on this row or the next */
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
		const struct legend_entry *e = &lg->entries[i];
		double w = entry_width(e);
		if (x > f->left && x - f->left + w > width) {
			x = f->left;
			y += LEGEND_ROW;
		}
		double mid = y - LABEL_SIZE * 0.36;
		if (e->series < 0) {
			chart_style_set_budget_line(cr);
			cairo_move_to(cr, x, round(mid) + 0.5);
			cairo_line_to(cr, x + SWATCH, round(mid) + 0.5);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		} else {
			const struct chart_series *s = &spec->series[e->series];
			const struct chart_style *st = chart_style_of_series((size_t)e->series);
			if (s->mark == CHART_BARS) {
				chart_style_set_colour(cr, st->colour);
				cairo_rectangle(cr, x + 5, mid - 6, SWATCH - 10, 12);
				cairo_fill(cr);
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

/* ---- the whole chart ---- */

/* Margins and ticks: everything where it goes, before anything is drawn. */
static void layout(cairo_t *cr, const struct chart_spec *spec, struct frame *f,
		   struct legend *lg, struct buf *scratch)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < spec->series_count; i++)
		if (spec->series[i].mark == CHART_BARS && series_has_data(&spec->series[i]))
			f->bar_series++;
	y_axis_ticks(spec, false, &f->y);
	f->has_y2 = right_axis_used(spec);
	if (f->has_y2)
		y_axis_ticks(spec, true, &f->y2);

	/* left and right: tick labels, then the rotated axis titles */
	chart_text_set_font(cr, TICK_SIZE, false);
	f->left = PAD + TICK_LENGTH + 3 + tick_labels_width(cr, &f->y) + 1;
	if (spec->y_label)
		f->left += LABEL_SIZE + 8;
	f->right = CHART_WIDTH - 28;
	if (f->has_y2) {
		f->right = CHART_WIDTH - PAD - TICK_LENGTH - 3 - tick_labels_width(cr, &f->y2) - 1;
		if (spec->y2_label)
			f->right -= LABEL_SIZE + 8;
	}
	f->left = round(f->left);
	f->right = round(f->right);

	/* top: the title, then the legend rows */
	f->title_baseline = PAD + TITLE_SIZE;
	legend_build(lg, cr, spec, f->right - f->left, scratch);
	f->legend_baseline = f->title_baseline + 8 + LABEL_SIZE + 2;
	f->top = lg->rows ? f->legend_baseline + (double)(lg->rows - 1) * LEGEND_ROW + 12
			  : f->title_baseline + 14;
	f->top = round(f->top);

	/* bottom: the x axis title, then the tick labels (rotated categories need more) */
	x_range(spec, f);
	chart_text_set_font(cr, TICK_SIZE, false);
	double labels = TICK_SIZE + 2;
	if (spec->x_scale == CHART_X_CATEGORY) {
		category_layout(cr, spec, f, scratch);
		if (f->rotate)
			labels = (f->rotated_width + TICK_SIZE) * sqrt(0.5);
	} else if (spec->x_scale != CHART_X_PERCENTILE) {
		x_ticks(cr, spec, f);
	}
	f->bottom = CHART_HEIGHT - PAD - (spec->x_label ? LABEL_SIZE + 8 : 0) - labels -
		    TICK_LENGTH - 4;
	f->bottom = round(f->bottom);
}

/* Draws spec on cr; returns the number of series drawn. */
static size_t draw(cairo_t *cr, const struct chart_spec *spec)
{
	struct buf scratch;
	buf_init(&scratch);
	struct frame f;
	struct legend lg;

	/*
	 * Explicit options neutralise fontconfig's hinting settings (tested: hinting, hintstyle,
	 * autohint, lcdfilter rules leave the bytes alone). Cairo gives fontconfig's own answer
	 * the last word on a few others, and the toy API always asks fontconfig: a user rule of
	 * target "font" that turns antialiasing off or sets a subpixel order changes the PNG, one
	 * that sets embolden changes both formats. Only a face built from the font file
	 * (cairo_ft_font_face_create_for_pattern with FC_FILE) would shut those out.
	 */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_subpixel_order(fo, CAIRO_SUBPIXEL_ORDER_DEFAULT);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	layout(cr, spec, &f, &lg, &scratch);

	bool left_used = false;
	for (size_t i = 0; i < spec->series_count; i++)
		left_used |= !spec->series[i].right_axis && series_has_data(&spec->series[i]);
	for (size_t i = 0; i < spec->line_count; i++)
		left_used |= !spec->lines[i].right_axis && line_ok(spec, &spec->lines[i]);
	draw_grid(cr, spec, &f, f.has_y2 && !left_used);

	/* series, clipped to the plot (with room for markers on its edges) */
	size_t drawn = 0, bar_index = 0;
	cairo_save(cr);
	cairo_rectangle(cr, f.left - 6, f.top - 6, f.right - f.left + 12, f.bottom - f.top + 12);
	cairo_clip(cr);
	for (size_t i = 0; i < spec->series_count; i++) {
		const struct chart_series *s = &spec->series[i];
		if (!series_has_data(s))
			continue;
		const struct chart_style *st = chart_style_of_series(i);
		if (s->mark == CHART_BARS)
			draw_bar_series(cr, spec, &f, s, st, bar_index++);
		else
			draw_line_series(cr, spec, &f, s, st);
		drawn++;
	}
	draw_budget_lines(cr, spec, &f, &scratch);
	cairo_restore(cr);

	draw_y_axis(cr, &f, false, spec->y_label, &scratch);
	if (f.has_y2)
		draw_y_axis(cr, &f, true, spec->y2_label, &scratch);
	draw_x_axis(cr, spec, &f, &scratch);
	draw_legend(cr, spec, &f, &lg);

	chart_text_set_font(cr, TITLE_SIZE, true);
	chart_style_set_colour(cr, chart_style_text_colour);
	chart_text_fit(cr, spec->title, CHART_WIDTH - 2 * PAD - (f.left - PAD), &scratch);
	chart_text_show(cr, scratch.data, f.left, f.title_baseline, 0);

	if (drawn == 0) {
		chart_text_set_font(cr, 14, false);
		chart_style_set_colour(cr, chart_style_tick_colour);
		chart_text_show(cr, "no data", (f.left + f.right) / 2, (f.top + f.bottom) / 2 + 5,
				0.5);
	}
	legend_free(&lg);
	buf_fini(&scratch);
	return drawn;
}

static cairo_status_t write_to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	buf_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

bool chart_render(const struct chart_spec *spec, enum chart_format format, struct buf *out,
		  size_t *drawn)
{
	struct buf bytes;
	buf_init(&bytes);
	cairo_surface_t *surface;
	if (format == CHART_PNG) {
		surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CHART_WIDTH, CHART_HEIGHT);
	} else {
		surface = cairo_svg_surface_create_for_stream(write_to_buf, &bytes, CHART_WIDTH,
							      CHART_HEIGHT);
		cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1);
		cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX);
	}
	cairo_t *cr = cairo_create(surface);
	size_t count = draw(cr, spec);
	cairo_status_t status = cairo_status(cr);
	cairo_destroy(cr);
	if (status == CAIRO_STATUS_SUCCESS && format == CHART_PNG)
		status = cairo_surface_write_to_png_stream(surface, write_to_buf, &bytes);
	cairo_surface_finish(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	bool ok = status == CAIRO_STATUS_SUCCESS;
	if (ok) {
		if (format == CHART_SVG)
			chart_svg_renumber_ids(bytes.data, bytes.len, out);
		else
			buf_append(out, bytes.data, bytes.len);
		if (drawn)
			*drawn = count;
	}
	buf_fini(&bytes);
	return ok;
}

void chart_release_caches(void)
{
	/* cairo's own test suite does the same, in this order: cairo holds fontconfig objects */
	cairo_debug_reset_static_data();
	FcFini();
}
