/*
 * chart_style.c - how the marks of a chart look: the palette, dash patterns, point markers.
 *
 * Palette: Okabe-Ito hues (safe for colour-vision deficiencies) and two of Paul Tol's, in an
 * order that alternates dark and light: CIELAB lightness 46, 71, 22, 54, 79, 34, 61, 13, all
 * at least 7 apart; each also has its own dash and marker, so grayscale still tells 8 series
 * apart (the 9th looks like the 1st). Budget lines: thin, in dashes no series uses, dark red
 * first and then three more pens for lines of other labels. Bars over their budget: red, with
 * white hatching that grayscale keeps.
 * Text, ticks, axes and grid take fixed greys. Series take the styles in spec order
 * (chart_style_of_series), so the same spec always looks the same.
 */
#include <math.h>

#include "chart_draw.h"

#define RGB(hex) {((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex)&0xff) / 255.0}

/* The look of series i is styles[i % 8]; the file comment says why these. */
static const struct chart_style styles[] = {
	{RGB(0x0072B2), {0}, 0, MARK_CIRCLE},                  /* blue, L* 46 */
	{RGB(0xE69F00), {7, 3}, 2, MARK_SQUARE},               /* orange, L* 71 */
	{RGB(0x332288), {2, 2}, 2, MARK_TRIANGLE},             /* indigo, L* 22 */
	{RGB(0xD55E00), {9, 3, 2, 3}, 4, MARK_DIAMOND},        /* vermillion, L* 54 */
	{RGB(0x88CCEE), {14, 4}, 2, MARK_TRIANGLE_DOWN},       /* sky, L* 79 */
	{RGB(0x0B5D2A), {9, 3, 2, 3, 2, 3}, 6, MARK_CROSS},    /* dark green, L* 34 */
	{RGB(0xCC79A7), {4, 2}, 2, MARK_PLUS},                 /* reddish purple, L* 61 */
	{RGB(0x222222), {14, 3, 4, 3}, 4, MARK_ASTERISK},      /* near black, L* 13 */
};

const struct chart_rgb chart_style_alert_colour = RGB(0xC0392B);
/* Budget pens: dark red first, then hues and dashes no series uses, apart in grayscale too. */
static const struct {
	struct chart_rgb colour;
	double dash[4];
	int dash_count;
} budget_pens[] = {
	{RGB(0xA50F15), {5, 4}, 2},          /* dark red */
	{RGB(0x7A3E00), {2, 3}, 2},          /* brown, dotted */
	{RGB(0x5B1A8B), {11, 3, 3, 3}, 4},   /* purple, dash-dot */
	{RGB(0x00585A), {8, 2}, 2},          /* dark teal, long dashes */
};
const struct chart_rgb chart_style_text_colour = RGB(0x222222);
const struct chart_rgb chart_style_tick_colour = RGB(0x555555);
const struct chart_rgb chart_style_axis_colour = RGB(0x444444);
const struct chart_rgb chart_style_grid_colour = RGB(0xE3E3E3);

const struct chart_style *chart_style_of_series(size_t index)
{
	return &styles[index % PG_ARRAY_LEN(styles)];
}

void chart_style_set_colour(cairo_t *cr, struct chart_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void chart_style_set_dash(cairo_t *cr, const struct chart_style *st)
{
	cairo_set_dash(cr, st->dash, st->dash_count, 0);
}

struct chart_rgb chart_style_budget_pen_colour(size_t pen)
{
	return budget_pens[pen % PG_ARRAY_LEN(budget_pens)].colour;
}

void chart_style_set_budget_line(cairo_t *cr, size_t pen)
{
	pen %= PG_ARRAY_LEN(budget_pens);
	cairo_set_line_width(cr, 1.5);
	cairo_set_dash(cr, budget_pens[pen].dash, budget_pens[pen].dash_count, 0);
	chart_style_set_colour(cr, budget_pens[pen].colour);
}

static void marker_path(cairo_t *cr, enum chart_marker m, double x, double y, double r)
{
	switch (m) {
	case MARK_CIRCLE:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, r, 0, 2 * PI);
		break;
	case MARK_SQUARE:
		cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
		break;
	case MARK_TRIANGLE:
		cairo_move_to(cr, x, y - r * 1.15);
		cairo_line_to(cr, x + r, y + r * 0.75);
		cairo_line_to(cr, x - r, y + r * 0.75);
		cairo_close_path(cr);
		break;
	case MARK_TRIANGLE_DOWN:
		cairo_move_to(cr, x, y + r * 1.15);
		cairo_line_to(cr, x + r, y - r * 0.75);
		cairo_line_to(cr, x - r, y - r * 0.75);
		cairo_close_path(cr);
		break;
	case MARK_DIAMOND:
		cairo_move_to(cr, x, y - r * 1.2);
		cairo_line_to(cr, x + r, y);
		cairo_line_to(cr, x, y + r * 1.2);
		cairo_line_to(cr, x - r, y);
		cairo_close_path(cr);
		break;
	case MARK_CROSS:
		cairo_move_to(cr, x - r, y - r);
		cairo_line_to(cr, x + r, y + r);
		cairo_move_to(cr, x - r, y + r);
		cairo_line_to(cr, x + r, y - r);
		break;
	case MARK_PLUS:
		cairo_move_to(cr, x - r * 1.2, y);
		cairo_line_to(cr, x + r * 1.2, y);
		cairo_move_to(cr, x, y - r * 1.2);
		cairo_line_to(cr, x, y + r * 1.2);
		break;
	case MARK_ASTERISK:
		for (int k = 0; k < 3; k++) {
			double a = PI / 2 + k * PI / 3;
			cairo_move_to(cr, x - cos(a) * r * 1.2, y - sin(a) * r * 1.2);
			cairo_line_to(cr, x + cos(a) * r * 1.2, y + sin(a) * r * 1.2);
		}
		break;
	}
}

void chart_style_draw_marker(cairo_t *cr, const struct chart_style *st, double x, double y)
{
	cairo_save(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	marker_path(cr, st->marker, x, y, 4);
	if (st->marker == MARK_CROSS || st->marker == MARK_PLUS || st->marker == MARK_ASTERISK) {
		chart_style_set_colour(cr, st->colour);
		cairo_set_line_width(cr, 2);
		cairo_stroke(cr);
	} else {
		chart_style_set_colour(cr, st->colour);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_set_line_width(cr, 1);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}
