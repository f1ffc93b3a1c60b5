/*
 * chart_axes.c - the frame a chart's data is drawn in: axis ranges and ticks, the map from
 * data to pixels, the grid, and the axes with their tick labels and titles.
 *
 * chart.c's layout asks this file, margin by margin, what the axes need (the y ticks and the
 * widest tick label, the x range, the x ticks that fit the plot's width, whether category
 * labels must turn 45 degrees or thin out) and records the answers in struct chart_frame; the
 * drawing functions then only read the frame. Tick values come from chart_scale.c (pure maths);
 * this file measures their labels and places them. The percentile axis is logarithmic
 * (chart_percentile_position); every pixel coordinate is clamped to where Cairo's 24.8 fixed
 * point stays exact, so huge or infinite values in a spec cannot break the drawing.
 */
#include <math.h>

#include "chart_draw.h"

#define ROTATED_LABEL_MAX 120.0
/* Where Cairo's 24.8 fixed point stays exact: coordinates are clamped to it. */
#define COORD_LIMIT 1e5

static double clamp_coord(double v)
{
	return v > COORD_LIMIT ? COORD_LIMIT : v < -COORD_LIMIT ? -COORD_LIMIT : v;
}

/* x in axis units: the percentile axis is logarithmic, the others are as given. */
static double x_unit(const struct chart_spec *spec, double x)
{
	return spec->x_scale == CHART_X_PERCENTILE ? chart_percentile_position(x) : x;
}

double chart_axes_x_px(const struct chart_spec *spec, const struct chart_frame *f, double x)
{
	return clamp_coord(chart_map(x_unit(spec, x), f->x_lo, f->x_hi, f->left, f->right));
}

double chart_axes_y_px(const struct chart_frame *f, bool right_axis, double y)
{
	const struct chart_ticks *t = right_axis ? &f->y2 : &f->y;
	return clamp_coord(chart_map(y, t->lo, t->hi, f->bottom, f->top));
}

void chart_axes_y_ticks(const struct chart_spec *spec, bool right_axis, struct chart_ticks *t)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < spec->series_count; i++) {
		const struct chart_series *s = &spec->series[i];
		if (s->right_axis != right_axis)
			continue;
		for (size_t j = 0; j < s->count; j++) {
			if (!chart_draw_point_ok(s, j))
				continue;
			lo = fmin(lo, s->y[j]);
			hi = fmax(hi, s->y[j]);
			if (s->lo && isfinite(s->lo[j]) && isfinite(s->hi[j])) {
				lo = fmin(lo, s->lo[j]);
				hi = fmax(hi, s->hi[j]);
			}
		}
		if (s->mark == CHART_BARS && chart_draw_series_has_data(s)) {
			lo = fmin(lo, 0);
			hi = fmax(hi, 0);
		}
	}
	for (size_t i = 0; i < spec->line_count; i++) {
		const struct chart_line *l = &spec->lines[i];
		if (l->right_axis == right_axis && chart_draw_line_ok(spec, l)) {
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

bool chart_axes_right_used(const struct chart_spec *spec)
{
	for (size_t i = 0; i < spec->series_count; i++)
		if (spec->series[i].right_axis && chart_draw_series_has_data(&spec->series[i]))
			return true;
	for (size_t i = 0; i < spec->line_count; i++)
		if (spec->lines[i].right_axis && chart_draw_line_ok(spec, &spec->lines[i]))
			return true;
	return false;
}

double chart_axes_tick_labels_width(cairo_t *cr, const struct chart_ticks *t)
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

void chart_axes_x_range(const struct chart_spec *spec, struct chart_frame *f)
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

void chart_axes_x_ticks(cairo_t *cr, const struct chart_spec *spec, struct chart_frame *f)
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

void chart_axes_category_layout(cairo_t *cr, const struct chart_spec *spec,
				struct chart_frame *f, struct buf *scratch)
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

void chart_axes_draw_grid(cairo_t *cr, const struct chart_spec *spec,
			  const struct chart_frame *f, bool grid_on_right)
{
	cairo_set_line_width(cr, 1);
	chart_style_set_colour(cr, chart_style_grid_colour);
	const struct chart_ticks *t = grid_on_right ? &f->y2 : &f->y;
	for (size_t i = 0; i < t->count; i++) {
		double y = round(chart_axes_y_px(f, grid_on_right, t->values[i])) + 0.5;
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
			double x = round(chart_axes_x_px(spec, f, f->x.values[i])) + 0.5;
			cairo_move_to(cr, x, f->top);
			cairo_line_to(cr, x, f->bottom);
		}
	}
	cairo_stroke(cr);
}

void chart_axes_draw_y(cairo_t *cr, const struct chart_frame *f, bool right_axis,
		       const char *title, struct buf *scratch)
{
	const struct chart_ticks *t = right_axis ? &f->y2 : &f->y;
	double edge = (right_axis ? f->right : f->left) + 0.5;
	double out = right_axis ? 1 : -1;
	cairo_set_line_width(cr, 1);
	chart_style_set_colour(cr, chart_style_axis_colour);
	cairo_move_to(cr, edge, f->top);
	cairo_line_to(cr, edge, f->bottom + 0.5);
	for (size_t i = 0; i < t->count; i++) {
		double y = round(chart_axes_y_px(f, right_axis, t->values[i])) + 0.5;
		cairo_move_to(cr, edge, y);
		cairo_line_to(cr, edge + out * TICK_LENGTH, y);
	}
	cairo_stroke(cr);
	chart_text_set_font(cr, TICK_SIZE, false);
	chart_style_set_colour(cr, chart_style_tick_colour);
	char label[32];
	for (size_t i = 0; i < t->count; i++) {
		chart_format_tick(t->values[i], t->decimals, label);
		double y = chart_axes_y_px(f, right_axis, t->values[i]);
		chart_text_show(cr, label, edge + out * (TICK_LENGTH + 3), y + TICK_SIZE * 0.36,
				right_axis ? 0 : 1);
	}
	if (!title)
		return;
	/* the title reads across, over its axis from the image's padding: left-aligned on the
	 * left, right-aligned on the right, each in its half of the width */
	chart_text_set_font(cr, LABEL_SIZE, false);
	chart_style_set_colour(cr, chart_style_text_colour);
	chart_text_fit(cr, title, CHART_WIDTH / 2.0 - PAD - 8, scratch);
	chart_text_show(cr, scratch->data, right_axis ? CHART_WIDTH - PAD : PAD,
			f->axis_title_baseline, right_axis ? 1 : 0);
}

void chart_axes_draw_x(cairo_t *cr, const struct chart_spec *spec, const struct chart_frame *f,
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
			double x = chart_axes_x_px(spec, f, f->x.values[i]);
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
