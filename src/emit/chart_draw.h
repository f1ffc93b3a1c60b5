/*
 * chart_draw.h - what the chart drawing files share, and nothing else may use.
 *
 * Audience: the chart drawing files only: chart.c (layout, the draw loop, surfaces) and the
 * helpers it draws with, chart_text.c, chart_style.c and chart_svg.c. Everything else draws
 * through chart_render (chart.h); the plan and the kinds never include this header, since they
 * know nothing of Cairo. Sections follow the implementing files.
 */
#ifndef PERFGATE_CHART_DRAW_H
#define PERFGATE_CHART_DRAW_H

#include <stdbool.h>

#include <cairo.h>

#include "chart.h"

#define PI 3.14159265358979323846

/* ---- chart_text.c: text that Cairo can take, measured, fitted and drawn ---- */

/*
 * s as text Cairo can take: valid UTF-8 (a bad byte becomes U+FFFD), control characters as
 * spaces, at most 512 bytes (cut on a character boundary). Into out (cleared first); returns
 * out->data. s may be NULL (empty text).
 */
const char *chart_text_clean(const char *s, struct buf *out);
/* Selects "DejaVu Sans" at size px, bold or regular. */
void chart_text_set_font(cairo_t *cr, double size, bool bold);
/* Advance width of s (clean) in px at the current font. */
double chart_text_width(cairo_t *cr, const char *s);
/*
 * Clean s, then cut it to at most max_width px with an ellipsis ("" when not even that fits).
 * Into out; returns out->data. The cut is found by bisection over character boundaries.
 */
const char *chart_text_fit(cairo_t *cr, const char *s, double max_width, struct buf *out);
/* Draws s with its baseline at y; align 0 puts its start at x, 0.5 its middle, 1 its end. */
void chart_text_show(cairo_t *cr, const char *s, double x, double y, double align);

/* ---- chart_style.c: the palette, dash patterns and point markers ---- */

struct chart_rgb {
	double r, g, b;     /* 0 to 1 */
};

enum chart_marker { MARK_CIRCLE, MARK_SQUARE, MARK_TRIANGLE, MARK_DIAMOND, MARK_TRIANGLE_DOWN,
		    MARK_CROSS, MARK_PLUS, MARK_ASTERISK };

/* The look of one series: all three differ between the palette's 8 styles. */
struct chart_style {
	struct chart_rgb colour;
	double dash[6];     /* on/off lengths in px; dash_count 0 is a solid line */
	int dash_count;
	enum chart_marker marker;
};

/* The fixed colours: budget lines and their labels, text, tick labels, axis and grid lines. */
extern const struct chart_rgb chart_style_budget_colour;
extern const struct chart_rgb chart_style_text_colour;
extern const struct chart_rgb chart_style_tick_colour;
extern const struct chart_rgb chart_style_axis_colour;
extern const struct chart_rgb chart_style_grid_colour;

/* The style of the series at index in spec->series (the palette repeats after 8). */
const struct chart_style *chart_style_of_series(size_t index);
/* Makes c Cairo's source colour. */
void chart_style_set_colour(cairo_t *cr, struct chart_rgb c);
/* Sets st's dash pattern (none: solid). */
void chart_style_set_dash(cairo_t *cr, const struct chart_style *st);
/* Sets the pen of a budget line: 1.5 px, its colour and its dash. */
void chart_style_set_budget_line(cairo_t *cr);
/*
 * Draws st's marker at (x, y): filled shapes with a white rim (they stay apart where points
 * crowd), strokes for the open ones. Call it with no path pending (it strokes its own); the
 * source, dash and line width are restored afterwards.
 */
void chart_style_draw_marker(cairo_t *cr, const struct chart_style *st, double x, double y);

/* ---- chart_svg.c: the SVG post-pass ---- */

/*
 * Appends the SVG document svg (len bytes, as Cairo wrote it) to out with its "surface<N>" and
 * "image<N>" ids renumbered from 1 in order of first appearance, so that the bytes do not
 * depend on how many surfaces the process made before. Everything else is copied unchanged.
 */
void chart_svg_renumber_ids(const char *svg, size_t len, struct buf *out);

#endif
