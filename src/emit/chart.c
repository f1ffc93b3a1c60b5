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

#define LEGEND_ROWS 3     /* at most; further entries become "+N more" */
#define LEGEND_LABEL_MAX 220.0

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

static const char *label_text(const char *label)
{
	return label ? label : "";
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
		if (chart_draw_series_has_data(&spec->series[i]))
			legend_add(lg, cr, spec->series[i].label, (long)i, scratch);
	for (size_t i = 0; i < spec->line_count; i++) {
		const struct chart_line *l = &spec->lines[i];
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = chart_draw_line_ok(spec, &spec->lines[j]) &&
			       strcmp(label_text(spec->lines[j].label), label_text(l->label)) == 0;
		if (chart_draw_line_ok(spec, l) && !seen)
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

static void draw_legend(cairo_t *cr, const struct chart_spec *spec, const struct chart_frame *f,
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
static void layout(cairo_t *cr, const struct chart_spec *spec, struct chart_frame *f,
		   struct legend *lg, struct buf *scratch)
{
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < spec->series_count; i++)
		if (spec->series[i].mark == CHART_BARS &&
		    chart_draw_series_has_data(&spec->series[i]))
			f->bar_series++;
	chart_axes_y_ticks(spec, false, &f->y);
	f->has_y2 = chart_axes_right_used(spec);
	if (f->has_y2)
		chart_axes_y_ticks(spec, true, &f->y2);

	/* left and right: tick labels, then the rotated axis titles */
	chart_text_set_font(cr, TICK_SIZE, false);
	f->left = PAD + TICK_LENGTH + 3 + chart_axes_tick_labels_width(cr, &f->y) + 1;
	if (spec->y_label)
		f->left += LABEL_SIZE + 8;
	f->right = CHART_WIDTH - 28;
	if (f->has_y2) {
		f->right = CHART_WIDTH - PAD - TICK_LENGTH - 3 -
			   chart_axes_tick_labels_width(cr, &f->y2) - 1;
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
	chart_axes_x_range(spec, f);
	chart_text_set_font(cr, TICK_SIZE, false);
	double labels = TICK_SIZE + 2;
	if (spec->x_scale == CHART_X_CATEGORY) {
		chart_axes_category_layout(cr, spec, f, scratch);
		if (f->rotate)
			labels = (f->rotated_width + TICK_SIZE) * sqrt(0.5);
	} else if (spec->x_scale != CHART_X_PERCENTILE) {
		chart_axes_x_ticks(cr, spec, f);
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
	struct chart_frame f;
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
		left_used |= !spec->series[i].right_axis &&
			     chart_draw_series_has_data(&spec->series[i]);
	for (size_t i = 0; i < spec->line_count; i++)
		left_used |= !spec->lines[i].right_axis &&
			     chart_draw_line_ok(spec, &spec->lines[i]);
	chart_axes_draw_grid(cr, spec, &f, f.has_y2 && !left_used);

	/* series, clipped to the plot (with room for markers on its edges) */
	size_t drawn = 0, bar_index = 0;
	cairo_save(cr);
	cairo_rectangle(cr, f.left - 6, f.top - 6, f.right - f.left + 12, f.bottom - f.top + 12);
	cairo_clip(cr);
	for (size_t i = 0; i < spec->series_count; i++) {
		const struct chart_series *s = &spec->series[i];
		if (!chart_draw_series_has_data(s))
			continue;
		const struct chart_style *st = chart_style_of_series(i);
		if (s->mark == CHART_BARS)
			chart_marks_draw_bars(cr, spec, &f, s, st, bar_index++);
		else
			chart_marks_draw_line(cr, spec, &f, s, st);
		drawn++;
	}
	chart_marks_draw_budget_lines(cr, spec, &f, &scratch);
	cairo_restore(cr);

	chart_axes_draw_y(cr, &f, false, spec->y_label, &scratch);
	if (f.has_y2)
		chart_axes_draw_y(cr, &f, true, spec->y2_label, &scratch);
	chart_axes_draw_x(cr, spec, &f, &scratch);
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
