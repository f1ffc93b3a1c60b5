/*
 * chart.h - charts drawn with Cairo: what a chart shows (struct chart_spec) and one drawing
 * code for PNG and SVG (chart_render). Which charts a model allows is chart_plan.h's: nothing
 * declared here reads the model or the verdict.
 *
 * Audience: chart_plan.h (and through it outputs.c and the chart kinds), the drawing files,
 * the unit tests. Sections follow the implementing files:
 *   chart_spec.c    building and releasing specs;
 *   chart.c         draws any chart_spec as PNG or SVG (its parts: chart_draw.h, private);
 *   chart_scale.c   pure layout maths (no Cairo): nice ticks, scales, number formatting.
 *
 * A spec is plain data (numbers and strings, heap-owned, freed by chart_spec_fini), so the
 * drawing code knows nothing of the model and the kinds know nothing of Cairo. Rendering is
 * deterministic: the same spec gives the same bytes (fixed size, fixed font "DejaVu Sans", no
 * dates, colours taken in series order from a fixed palette that stays distinguishable in
 * grayscale thanks to distinct lightness plus distinct dash patterns and point markers).
 */
#ifndef PERFGATE_CHART_H
#define PERFGATE_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/util.h"

enum chart_kind {
	CHART_SPECTRUM,  /* latency by percentile, HdrHistogram style (x: percentile, log scale) */
	CHART_TIMELINE,  /* p50/p95/p99 latency over time, throughput on the right axis */
	CHART_ENDPOINTS, /* p95 latency per endpoint (bars) against each endpoint's budget line */
	CHART_COMPARE,   /* baseline vs candidate latency spectra overlaid */
	CHART_CAPACITY,  /* throughput and p95 latency against concurrency over a run series */
	CHART_SERVER,    /* server utilisation (CPU, memory, process CPU) over time, load on y2 */
};
/* "spectrum", "timeline", "endpoints", "compare", "capacity", "server" */
const char *chart_kind_name(enum chart_kind kind);

enum chart_format { CHART_PNG, CHART_SVG };

enum chart_x_scale {
	CHART_X_LINEAR,     /* x as is (concurrency) */
	CHART_X_TIME,       /* x in seconds from the run's start; ticks as 0s, 30s, 1m, 1m30s ... */
	CHART_X_PERCENTILE, /* x a percentile in [0, 99.99]; drawn at log10(100 / (100 - x)),
			     * ticks at 0, 90, 99, 99.9, 99.99 (labelled "0%", "90%", ...) */
	CHART_X_CATEGORY,   /* x an index into categories (bars); labels are the categories */
};

enum chart_mark {
	CHART_LINE,        /* a polyline through the points */
	CHART_LINE_POINTS, /* a polyline with a marker at each point (few points: capacity) */
	CHART_BARS,        /* one bar per point from 0 to y (CHART_X_CATEGORY only) */
};

struct chart_series {
	char *label;      /* legend text ("p95", "run 'vu60'"); heap */
	double *x;        /* heap arrays of count points, in x order; NaN y = gap */
	double *y;
	size_t count;
	size_t capacity;  /* allocated points */
	bool right_axis;  /* measured against the right axis (y2) */
	enum chart_mark mark;
	double *lo, *hi;  /* an interval around each point, drawn as a pale band; NULL when
			     none (chart_series_add_interval), NaN where a point has none */
	char **notes;     /* bars: the value written over each bar ("43.52 ms"); heap, NULL
			     when none, an entry NULL where a bar has none */
	bool *alert;      /* bars: drawn to stand out (over its budget); heap or NULL */
	char *alert_label; /* the legend's entry for those bars ("p95 over its budget"); heap */
};

/* A horizontal reference line: a budget limit. */
struct chart_line {
	char *label;      /* legend / tag text ("budget p95 < 300 ms"); heap */
	double y;
	bool right_axis;
	long category;    /* -1: across the whole plot; else only over that category's bar */
};

/* A shaded vertical band of x values: part of a run left out (the warm-up before a window). */
struct chart_band {
	char *label;      /* written at the band's top ("warm-up, left out"); heap */
	double x0, x1;    /* in x units (seconds on a time axis) */
};

/* The one non-ASCII character of captions (U+2014), besides what inputs bring. */
#define CHART_EM_DASH "\xE2\x80\x94"

struct chart_spec {
	enum chart_kind kind;
	char *name;       /* file stem, unique within one plan: "spectrum", "timeline-2" ...; heap */
	char *title;      /* the chart's name, drawn bold: "Latency over time"; heap */
	char *subtitle;   /* what it shows, after the title in grey: "run 'x'"; heap or NULL */
	char *caption;    /* both in one line for the reports: "Latency over time — run 'x'"; heap */
	char *x_label;    /* axis titles with their units: "percentile", "latency (ms)"; heap */
	char *y_label;
	char *y2_label;   /* NULL when nothing uses the right axis */
	enum chart_x_scale x_scale;
	char **categories;      /* CHART_X_CATEGORY: the label of each x index; heap */
	size_t category_count;
	struct chart_series *series; /* heap */
	size_t series_count;
	struct chart_line *lines;    /* heap */
	size_t line_count;
	bool y_from_zero;       /* the left axis starts at 0 (latency, throughput) */
	struct chart_band *bands;    /* heap; drawn behind the series */
	size_t band_count;
};

/* ---- chart_spec.c: builders for specs (every string copied) ---- */

void chart_spec_init(struct chart_spec *spec, enum chart_kind kind, const char *name,
		     const char *title, const char *x_label, const char *y_label);
/* Sets the subtitle, and the caption to "TITLE — SUBTITLE". */
void chart_spec_set_subtitle(struct chart_spec *spec, const char *subtitle);
/* Adds a series with room for capacity points (chart_series_add appends them). */
struct chart_series *chart_spec_add_series(struct chart_spec *spec, const char *label,
					   enum chart_mark mark, bool right_axis, size_t capacity);
void chart_series_add(struct chart_series *s, double x, double y);
/* Appends a point with its interval [lo, hi] (the series then draws a band). */
void chart_series_add_interval(struct chart_series *s, double x, double y, double lo, double hi);
/* Writes text over bar index of s (every point already added). */
void chart_series_set_note(struct chart_series *s, size_t index, const char *text);
/* Makes bar index of s stand out, with legend entry label (every point already added). */
void chart_series_set_alert(struct chart_series *s, size_t index, const char *label);
void chart_spec_add_line(struct chart_spec *spec, const char *label, double y, bool right_axis,
			 long category);
void chart_spec_add_category(struct chart_spec *spec, const char *label);
void chart_spec_add_band(struct chart_spec *spec, const char *label, double x0, double x1);
void chart_spec_fini(struct chart_spec *spec);
/* Releases count specs (chart_spec_fini) and the array (a chart_plan result). */
void chart_specs_free(struct chart_spec *specs, size_t count);

/* ---- chart.c ---- */

/* Size of every chart, in pixels (PNG) and in px units (SVG): reads well in a GitHub page. */
enum { CHART_WIDTH = 880, CHART_HEIGHT = 440 };

/*
 * Draws spec into out as a PNG or an SVG document. *drawn (may be NULL) is set to the number
 * of series that had at least one finite point and were drawn (reference lines not counted).
 * A spec with nothing to draw still gives a valid image saying "no data". Returns false only
 * when Cairo failed (out is then unchanged).
 */
bool chart_render(const struct chart_spec *spec, enum chart_format format, struct buf *out,
		  size_t *drawn);

/*
 * Releases the caches Cairo and fontconfig keep for the whole process (font faces, patterns,
 * the fontconfig configuration). Call once when no more charts will be drawn, before exit:
 * LeakSanitizer then sees a clean process. Drawing again afterwards is allowed (they reload).
 */
void chart_release_caches(void);

/* ---- chart_scale.c: pure layout maths, unit-tested without Cairo ---- */

/* Up to CHART_MAX_TICKS tick values covering [min, max], at 1, 2 or 5 times a power of ten. */
enum { CHART_MAX_TICKS = 12 };
struct chart_ticks {
	double lo, hi;                  /* the axis range: lo <= min, hi >= max, both on ticks */
	double step;                    /* distance between ticks */
	double values[CHART_MAX_TICKS];
	size_t count;
	int decimals;                   /* digits after the point that tell the ticks apart */
};
/*
 * Nice ticks for data in [min, max] with about target ticks (2..CHART_MAX_TICKS). A degenerate
 * range (min == max, or NaN/Inf) gets a small range around it; from_zero extends lo to 0 when
 * min >= 0.
 */
void chart_nice_ticks(double min, double max, int target, bool from_zero, struct chart_ticks *t);
/* Time ticks (seconds) at 1/2/5/10/15/30 s, 1/2/5/10/15/30 min, 1/2/... h steps. */
void chart_time_ticks(double min_s, double max_s, int target, struct chart_ticks *t);
/* A tick label: fixed decimals, thousands not grouped ("0.5", "250", "1200"). */
void chart_format_tick(double value, int decimals, char out[32]);
/* "0s", "45s", "1m", "1m30s", "2h5m" */
void chart_format_seconds(double seconds, char out[32]);
/* Position of percentile p (0..99.99) on the percentile axis: log10(100 / (100 - p)). */
double chart_percentile_position(double percent);
/* Linear map of v from [lo, hi] onto [a, b] (hi == lo maps to the middle). */
double chart_map(double v, double lo, double hi, double a, double b);

#endif
