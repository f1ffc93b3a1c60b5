/*
 * chart_draw.h - what the chart drawing files share, and nothing else may use.
 *
 * Audience: the chart drawing files only: chart.c (layout, the draw loop, surfaces) and the
 * helpers it draws with, chart_text.c, chart_style.c, chart_axes.c, chart_marks.c,
 * chart_legend.c and chart_svg.c. Everything else draws through chart_render (chart.h); the
 * plan and the kinds never include this header, since they know nothing of Cairo. Sections
 * follow the implementing files.
 *
 * Calls go one way: chart.c -> axes, marks, legend, svg; marks -> axes; all of them -> text
 * and style. What every file must agree on (which points and budget lines are drawn) is the
 * static inline functions below, so that no drawing file depends on another for it.
 */
#ifndef PERFGATE_CHART_DRAW_H
#define PERFGATE_CHART_DRAW_H

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include <cairo.h>

#include "chart.h"

#define PI 3.14159265358979323846
/*
 * Font sizes, px. All regular text (legend, axis titles, tick and budget labels) is one size
 * and none of it is rotated, except crowded category labels: Cairo's SVG surface writes the
 * outlines of every glyph once per size and angle into each document, and formatting those
 * numbers was most of the time spent writing a chart (docs/performance.md, "A small CI job").
 */
enum { TITLE_SIZE = 15, LABEL_SIZE = 12, TICK_SIZE = LABEL_SIZE };
#define PAD 12.0          /* between the image edge and anything drawn */
#define TICK_LENGTH 4.0   /* tick marks, outside the plot */

/* ---- what of a spec is drawn: the same answer in every drawing file ---- */

/* Point i of s is drawn: both coordinates are finite. */
static inline bool chart_draw_point_ok(const struct chart_series *s, size_t i)
{
	return isfinite(s->x[i]) && isfinite(s->y[i]);
}

/* s has at least one point to draw (else it is neither drawn nor in the legend). */
static inline bool chart_draw_series_has_data(const struct chart_series *s)
{
	for (size_t i = 0; i < s->count; i++)
		if (chart_draw_point_ok(s, i))
			return true;
	return false;
}

/* Whether budget line l is drawn only over one category's slot: a category index is
 * meaningless on another x scale, where the line goes across the plot. */
static inline bool chart_draw_line_in_slot(const struct chart_spec *spec,
					   const struct chart_line *l)
{
	return l->category >= 0 && spec->x_scale == CHART_X_CATEGORY;
}

/* Budget line l is drawn: a finite y, and a category that exists when it has one. */
static inline bool chart_draw_line_ok(const struct chart_spec *spec, const struct chart_line *l)
{
	if (!isfinite(l->y))
		return false;
	return !chart_draw_line_in_slot(spec, l) || (size_t)l->category < spec->category_count;
}

/*
 * The pen of budget line index: the place of its label among the distinct labels of the drawn
 * lines, so lines of one label look alike and lines of different labels differ (legend).
 */
/* Line index is the first drawn line of its label. */
static inline bool chart_draw_line_first(const struct chart_spec *spec, size_t index)
{
	for (size_t j = 0; j < index; j++)
		if (chart_draw_line_ok(spec, &spec->lines[j]) &&
		    strcmp(spec->lines[j].label, spec->lines[index].label) == 0)
			return false;
	return true;
}

static inline size_t chart_draw_line_pen(const struct chart_spec *spec, size_t index)
{
	size_t pen = 0;
	for (size_t i = 0; i < index; i++) {
		if (!chart_draw_line_ok(spec, &spec->lines[i]))
			continue;
		if (strcmp(spec->lines[i].label, spec->lines[index].label) == 0)
			return pen; /* its label's first line: the pens of labels before */
		pen += chart_draw_line_first(spec, i);
	}
	return pen;
}

/* ---- chart.c: what the layout decided, read by every drawing step ---- */

struct chart_frame {
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
	double axis_title_baseline;       /* the y axis titles, above the plot */
};

/* ---- chart_text.c: text that Cairo can take, measured, fitted and drawn ---- */

/*
 * s as text Cairo can take: valid UTF-8 (a bad byte becomes U+FFFD), control characters as
 * spaces, at most 512 bytes (cut on a character boundary). Into out (cleared first); returns
 * out->data. s may be NULL (empty text).
 */
const char *chart_text_clean(const char *s, struct buf *out);
/* Selects "DejaVu Sans" at size px, bold or regular. */
void chart_text_set_font(cairo_t *cr, double size, bool bold);
/* Frees the faces chart_text_set_font made from the font files (chart_release_caches). */
void chart_text_release_faces(void);
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

/* The fixed colours: text, tick labels, axis and grid lines. */
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
/* The colour of budget pen (chart_draw_line_pen; the pens repeat after 4). */
struct chart_rgb chart_style_budget_pen_colour(size_t pen);
/* Sets the pen of a budget line: 1.5 px, the pen's colour and dash. */
void chart_style_set_budget_line(cairo_t *cr, size_t pen);
/* The fill of bars that stand out (chart_series.alert), and its hatching. */
extern const struct chart_rgb chart_style_alert_colour;
/*
 * Draws st's marker at (x, y): filled shapes with a white rim (they stay apart where points
 * crowd), strokes for the open ones. Call it with no path pending (it strokes its own); the
 * source, dash and line width are restored afterwards.
 */
void chart_style_draw_marker(cairo_t *cr, const struct chart_style *st, double x, double y);

/* ---- chart_axes.c: ranges, ticks, data to pixels, grid and axes ---- */

/* x (data units) as a pixel column of the plot; clamped to what Cairo draws exactly. */
double chart_axes_x_px(const struct chart_spec *spec, const struct chart_frame *f, double x);
/* y (data units, on the left or right axis) as a pixel row of the plot; clamped likewise. */
double chart_axes_y_px(const struct chart_frame *f, bool right_axis, double y);
/* Ticks for one y axis: every finite y of its series and budget lines (bars from 0). */
void chart_axes_y_ticks(const struct chart_spec *spec, bool right_axis, struct chart_ticks *t);
/* Some series with data or some drawn budget line is measured against the right axis. */
bool chart_axes_right_used(const struct chart_spec *spec);
/* The widest tick label of t, at the current font. */
double chart_axes_tick_labels_width(cairo_t *cr, const struct chart_ticks *t);
/*
 * Sets f->x_lo and f->x_hi from the data: the percentile axis from 0% to the first of 90%,
 * 99% ... 99.9999% at or past the data's largest percentile, the category axis one slot per
 * category (f->slots), else the data's range.
 */
void chart_axes_x_range(const struct chart_spec *spec, struct chart_frame *f);
/*
 * LINEAR / TIME ticks for the plot width f->left..f->right: as many as fit with their labels
 * apart. Widens f->x_lo and f->x_hi to the outer ticks.
 */
void chart_axes_x_ticks(cairo_t *cr, const struct chart_spec *spec, struct chart_frame *f);
/*
 * Category labels: level, at 45 degrees when they do not fit their slot, and only every
 * label_step-th one when even that is too crowded (sets label_step, rotate, rotated_width).
 */
void chart_axes_category_layout(cairo_t *cr, const struct chart_spec *spec,
				struct chart_frame *f, struct buf *scratch);
/* Grid lines at the ticks of the left axis (of the right one when grid_on_right) and of x. */
void chart_axes_draw_grid(cairo_t *cr, const struct chart_spec *spec,
			  const struct chart_frame *f, bool grid_on_right);
/* The left or right axis: line, ticks, tick labels, and title (may be NULL) turned 90 degrees. */
void chart_axes_draw_y(cairo_t *cr, const struct chart_frame *f, bool right_axis,
		       const char *title, struct buf *scratch);
/* The x axis: line, ticks, tick or category labels, and spec->x_label at the image's foot. */
void chart_axes_draw_x(cairo_t *cr, const struct chart_spec *spec, const struct chart_frame *f,
		       struct buf *scratch);

/* ---- chart_marks.c: line series, bar series, budget lines ---- */

/*
 * Series s in style st as a polyline broken at every non-finite point; a point alone between
 * gaps is a dot. CHART_LINE_POINTS adds st's marker at every finite point.
 */
void chart_marks_draw_line(cairo_t *cr, const struct chart_spec *spec,
			   const struct chart_frame *f, const struct chart_series *s,
			   const struct chart_style *st);
/*
 * Bar series s as the bar_index-th of f->bar_series bars side by side within each slot, from 0
 * to y, in st's colour (its alert bars red and hatched), each note written over its bar when
 * it fits the bar's width (inside the bar's top when the plot's top is near).
 */
void chart_marks_draw_bars(cairo_t *cr, const struct chart_spec *spec,
			   const struct chart_frame *f, const struct chart_series *s,
			   const struct chart_style *st, size_t bar_index);
/* White diagonal stripes over a rectangle: an alert bar stands out in grayscale too. */
void chart_marks_hatch(cairo_t *cr, double x, double y, double w, double h);
/*
 * Every drawn budget line of spec (chart_draw_line_ok) with its label: across the plot with
 * the label at its right end, or over its category's slot. scratch is working space.
 */
void chart_marks_draw_budget_lines(cairo_t *cr, const struct chart_spec *spec,
				   const struct chart_frame *f, struct buf *scratch);

/* ---- chart_legend.c: the legend above the plot ---- */

enum { LEGEND_ROW = 18 }; /* px from one legend row's baseline to the next */

struct chart_legend_entry {
	char *text;       /* cleaned and fitted; heap */
	double width;     /* text width */
	long series;      /* index into spec->series, or -1: a budget line */
	bool alert;       /* the entry of the series' bars that stand out */
	size_t pen;       /* a budget line's pen (chart_draw_line_pen) */
};

struct chart_legend {
	struct chart_legend_entry *entries; /* heap */
	size_t count;
	size_t rows;                        /* rows used */
	size_t shown;                       /* entries that fit in the rows allowed */
	char more[32];                      /* "+N more" when shown < count */
};

/*
 * Measures the legend of spec into *lg: drawn series, then each distinct budget line label;
 * flowed into rows of width px. Release with chart_legend_fini.
 */
void chart_legend_init(struct chart_legend *lg, cairo_t *cr, const struct chart_spec *spec,
		       double width, struct buf *scratch);
void chart_legend_fini(struct chart_legend *lg);
/* Draws lg from f->left at f->legend_baseline, as chart_legend_init flowed it. */
void chart_legend_draw(cairo_t *cr, const struct chart_spec *spec, const struct chart_frame *f,
		       const struct chart_legend *lg);

/* ---- chart_svg.c: the SVG post-pass ---- */

/*
 * Appends the SVG document svg (len bytes, as Cairo wrote it) to out with its "surface<N>" and
 * "image<N>" ids renumbered from 1 in order of first appearance, so that the bytes do not
 * depend on how many surfaces the process made before. Everything else is copied unchanged.
 */
void chart_svg_renumber_ids(const char *svg, size_t len, struct buf *out);

#endif
