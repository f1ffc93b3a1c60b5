/*
 * chart.c - draws any struct chart_spec with Cairo, as a PNG or an SVG document.
 *
 * One drawing routine (draw) works on a cairo_t; only the surface differs: an RGB24 image
 * written with cairo_surface_write_to_png_stream, or an SVG 1.1 surface in px units. Layout
 * goes outside in: margins follow from the measured tick labels, axis titles and legend (above
 * the plot, so it never covers data); the plot takes what is left. Then draw paints in a fixed
 * order: grid, the marks clipped to the plot, axes, legend, title. Text is set with explicit
 * font options (grey antialiasing, no hinting), so hinting settings and the format do not move
 * a glyph (what still can: see draw).
 *
 * This file conducts; the parts it calls each have a file, declared in chart_draw.h:
 * chart_text.c (strings, font, fitting), chart_style.c (palette, dashes, markers),
 * chart_axes.c (ranges, ticks, grid, axes), chart_marks.c (series and budget lines),
 * chart_legend.c, and chart_svg.c (renumbering ids so that SVG bytes are deterministic).
 * None of them calls back into this file.
 */
#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <string.h>

#include "chart_draw.h"

/* Margins and ticks: everything where it goes, before anything is drawn. */
static void layout(cairo_t *cr, const struct chart_spec *spec, struct chart_frame *f,
		   struct chart_legend *lg, struct buf *scratch)
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

	/* left and right: the tick labels */
	chart_text_set_font(cr, TICK_SIZE, false);
	f->left = PAD + TICK_LENGTH + 3 + chart_axes_tick_labels_width(cr, &f->y) + 1;
	f->right = CHART_WIDTH - 28;
	if (f->has_y2)
		f->right = CHART_WIDTH - PAD - TICK_LENGTH - 3 -
			   chart_axes_tick_labels_width(cr, &f->y2) - 1;
	f->left = round(f->left);
	f->right = round(f->right);

	/* top: the title, the legend rows, then the y axes' titles over their axes */
	f->title_baseline = PAD + TITLE_SIZE;
	chart_legend_init(lg, cr, spec, f->right - f->left, scratch);
	f->legend_baseline = f->title_baseline + 8 + LABEL_SIZE + 2;
	f->top = lg->rows ? f->legend_baseline + (double)(lg->rows - 1) * LEGEND_ROW + 12
			  : f->title_baseline + 14;
	if (spec->y_label || (f->has_y2 && spec->y2_label)) {
		f->axis_title_baseline = round(f->top + LABEL_SIZE);
		f->top = f->axis_title_baseline + 10; /* clear of the top tick label */
	}
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
/* Bands behind the series (linear and time axes): light grey, their label at the top. */
static void draw_bands(cairo_t *cr, const struct chart_spec *spec, const struct chart_frame *f,
		       struct buf *scratch)
{
	if (spec->x_scale != CHART_X_LINEAR && spec->x_scale != CHART_X_TIME)
		return;
	for (size_t i = 0; i < spec->band_count; i++) {
		const struct chart_band *b = &spec->bands[i];
		double a = chart_map(fmax(b->x0, f->x_lo), f->x_lo, f->x_hi, f->left, f->right);
		double z = chart_map(fmin(b->x1, f->x_hi), f->x_lo, f->x_hi, f->left, f->right);
		if (!(z > a))
			continue;
		cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
		cairo_rectangle(cr, a, f->top, z - a, f->bottom - f->top);
		cairo_fill(cr);
		chart_text_set_font(cr, TICK_SIZE, false);
		chart_style_set_colour(cr, chart_style_tick_colour);
		chart_text_fit(cr, b->label, z - a - 6, scratch);
		chart_text_show(cr, scratch->data, a + 3, f->top + 13, 0);
	}
}

/*
 * The title in bold, then the subtitle on its baseline in the regular face, grey: what varies
 * from chart to chart (the run's label) costs no bold glyphs, each of which Cairo's SVG
 * writer spells out as an outline in every document (chart_draw.h).
 */
static void draw_title(cairo_t *cr, const struct chart_spec *spec, const struct chart_frame *f,
		       struct buf *scratch)
{
	double room = CHART_WIDTH - PAD - f->left;
	chart_text_set_font(cr, TITLE_SIZE, true);
	chart_style_set_colour(cr, chart_style_text_colour);
	chart_text_fit(cr, spec->title, room, scratch);
	chart_text_show(cr, scratch->data, f->left, f->title_baseline, 0);
	double gap = 10, used = chart_text_width(cr, scratch->data) + gap;
	if (!spec->subtitle || used >= room)
		return;
	chart_text_set_font(cr, LABEL_SIZE, false);
	chart_style_set_colour(cr, chart_style_tick_colour);
	chart_text_fit(cr, spec->subtitle, room - used, scratch);
	chart_text_show(cr, scratch->data, f->left + used, f->title_baseline, 0);
}

static size_t draw(cairo_t *cr, const struct chart_spec *spec)
{
	struct buf scratch;
	buf_init(&scratch);
	struct chart_frame f;
	struct chart_legend lg;

	/*
	 * Explicit options neutralise fontconfig's hinting settings (tested: hinting, hintstyle,
	 * autohint, lcdfilter rules leave the bytes alone). The faces are made from the font
	 * files (chart_text_set_font), so fontconfig's configuration is never read and a user
	 * rule of target "font" (antialiasing off, a subpixel order, embolden) changes nothing
	 * (tests/e2e/chart_fonts.py). Only where the files are missing does the toy API ask
	 * fontconfig, and such rules count again.
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
	draw_bands(cr, spec, &f, &scratch);
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
	chart_legend_draw(cr, spec, &f, &lg);

	draw_title(cr, spec, &f, &scratch);

	if (drawn == 0) {
		chart_text_set_font(cr, 14, false);
		chart_style_set_colour(cr, chart_style_tick_colour);
		chart_text_show(cr, "no data", (f.left + f.right) / 2, (f.top + f.bottom) / 2 + 5,
				0.5);
	}
	chart_legend_fini(&lg);
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
	chart_text_release_faces();
	cairo_debug_reset_static_data();
	FcFini();
}
