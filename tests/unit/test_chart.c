/*
 * test_chart.c - chart_render (chart.c) on hand-built specs: lines on a percentile axis, two
 * y axes over time, bars with per-category budget lines, points on a number axis, eight
 * series, an empty spec, and hostile ones (invalid UTF-8 and control characters in every
 * label, very long labels, hundreds of categories, huge, negative, Inf and NaN values).
 *
 * Pixels are not compared (renderer versions change them, STYLE §3); the tests check what
 * must hold whatever the pixels: a PNG of CHART_WIDTH x CHART_HEIGHT, an SVG that libxml2
 * parses with an <svg> root of that size, the count of series drawn, and the same bytes for
 * the same spec, twice in one process and in a fresh process (the binary runs itself with
 * --write DIR). With PERFGATE_CHART_SAMPLES set (ctest does), every chart is also written
 * there as <name>.png and <name>.svg, for a human to look at.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>
#include <cmocka.h>
#include <fontconfig/fontconfig.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "emit/chart.h"
#include "emit/chart_draw.h"
#include "util/io.h"
#include "util/util_test.h"

/* Invalid UTF-8, a cut sequence, control characters, markup. */
#define HOSTILE "GET /caf\xC3\xA9\x01\xFF\xFE<b>&\"\t\n\xE2\x82"

/* ---- the specs ---- */

/* Latency spectra of three runs with a budget line (CHART_X_PERCENTILE, lines). */
static void spec_spectrum(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_SPECTRUM, "spectrum", "Latency by percentile",
			"percentile", "latency (ms)");
	spec->x_scale = CHART_X_PERCENTILE;
	spec->y_from_zero = true;
	static const char *const runs[] = {"run 'vu5'", "run 'vu20'", "run 'vu60'"};
	for (size_t r = 0; r < 3; r++) {
		struct chart_series *s = chart_spec_add_series(spec, runs[r], CHART_LINE, false, 0);
		for (int i = 0; i <= 400; i++) {
			double pos = i / 100.0; /* 0 .. 4 decades */
			double p = 100 - 100 / pow(10, pos);
			chart_series_add(s, p, (12 + 6 * r) * (1 + pos * pos * (0.4 + r * 0.3)));
		}
	}
	chart_spec_add_line(spec, "budget p95 < 300 ms", 300, false, -1);
	chart_spec_add_line(spec, "budget p99 < 450 ms", 450, false, -1);
}

/* p50/p95/p99 over 10 minutes with a gap, throughput on the right axis (two axes). */
static void spec_timeline(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_TIMELINE, "timeline", "Latency and throughput over time",
			"time", "latency (ms)");
	chart_spec_set_subtitle(spec, "run 'checkout-api/2026-12-07.json'");
	spec->x_scale = CHART_X_TIME;
	spec->y_from_zero = true;
	spec->y2_label = xstrdup("throughput (req/s)");
	static const char *const labels[] = {"p50", "p95", "p99"};
	for (size_t k = 0; k < 3; k++) {
		struct chart_series *s = chart_spec_add_series(spec, labels[k], CHART_LINE, false,
							       0);
		for (int t = 0; t <= 600; t += 10) {
			double y = (40 + 60 * k) * (1 + 0.3 * sin(t / 60.0 + k)) + t / 10.0;
			chart_series_add(s, t, t >= 300 && t < 340 ? NAN : y);
		}
	}
	struct chart_series *rps = chart_spec_add_series(spec, "throughput", CHART_LINE, true, 0);
	for (int t = 0; t <= 600; t += 10)
		chart_series_add(rps, t, t < 60 ? t * 20 : 1200 + 80 * cos(t / 45.0));
	chart_spec_add_line(spec, "budget p95 < 250 ms", 250, false, -1);
}

/* p95 per endpoint, baseline and candidate bars, each endpoint with its budget. */
static void spec_endpoints(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_ENDPOINTS, "endpoints", "p95 latency per endpoint",
			"endpoint", "p95 latency (ms)");
	chart_spec_set_subtitle(spec, "run 'a title long enough to be cut where the subtitle "
				      "meets the right edge of the chart, with an ellipsis, and "
				      "then some more'");
	spec->x_scale = CHART_X_CATEGORY;
	spec->y_from_zero = true;
	static const char *const names[] = {
		"GET /", "GET /api/products", "POST /api/cart", "GET /api/products/{id}/reviews",
		"POST /login", "GET /static/app.js",
	};
	static const double base[] = {35, 120, 210, 260, 90, 12};
	chart_spec_add_series(spec, "baseline", CHART_BARS, false, 0);
	chart_spec_add_series(spec, "candidate", CHART_BARS, false, 0);
	struct chart_series *b = &spec->series[0], *c = &spec->series[1];
	for (size_t i = 0; i < PG_ARRAY_LEN(names); i++) {
		chart_spec_add_category(spec, names[i]);
		chart_series_add(b, (double)i, base[i]);
		chart_series_add(c, (double)i, base[i] * (i % 2 ? 1.25 : 0.9));
	}
	chart_spec_add_line(spec, "budget p95", 150, false, 1);
	chart_spec_add_line(spec, "budget p95", 250, false, 2);
	chart_spec_add_line(spec, "budget p95", 300, false, 3);
	chart_spec_add_line(spec, "budget p95", 100, false, 4);
}

/* Throughput and p95 against concurrency: points, two axes, a number x axis. */
static void spec_capacity(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_CAPACITY, "capacity", "Throughput and latency vs concurrency",
			"concurrency (virtual users)", "throughput (req/s)");
	spec->y2_label = xstrdup("p95 latency (ms)");
	spec->y_from_zero = true;
	/* a series pointer is valid until the next chart_spec_add_series */
	chart_spec_add_series(spec, "throughput", CHART_LINE_POINTS, false, 0);
	chart_spec_add_series(spec, "p95 latency", CHART_LINE_POINTS, true, 0);
	struct chart_series *t = &spec->series[0], *l = &spec->series[1];
	static const double vus[] = {5, 10, 20, 40, 60};
	for (size_t i = 0; i < PG_ARRAY_LEN(vus); i++) {
		chart_series_add(t, vus[i], 180 * vus[i] / (1 + 0.03 * vus[i]));
		chart_series_add(l, vus[i], 20 + 0.08 * vus[i] * vus[i]);
	}
	chart_spec_add_line(spec, "budget p95 < 250 ms", 250, true, -1);
}

/* Eight series, one of each style, plus a series with only NaN (not drawn). */
static void spec_palette(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_COMPARE, "palette", "Eight series: colour, dash and marker",
			"x", "y");
	spec->x_scale = CHART_X_LINEAR;
	char label[32];
	for (int k = 0; k < 8; k++) {
		snprintf(label, sizeof label, "series %d", k + 1);
		struct chart_series *s = chart_spec_add_series(spec, label, CHART_LINE_POINTS,
							       false, 0);
		for (int i = 0; i <= 10; i++)
			chart_series_add(s, i * 10, 10 + k * 10 + 4 * sin(i / 2.0 + k));
	}
	struct chart_series *empty = chart_spec_add_series(spec, "only NaN", CHART_LINE, false, 0);
	chart_series_add(empty, 1, NAN);
	chart_series_add(empty, 2, NAN);
}

/* Forty endpoints: the labels turn and thin out; a budget on every fifth. */
static void spec_many_endpoints(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_ENDPOINTS, "endpoints-many", "p95 latency per endpoint",
			"endpoint", "p95 latency (ms)");
	spec->x_scale = CHART_X_CATEGORY;
	spec->y_from_zero = true;
	struct chart_series *s = chart_spec_add_series(spec, "p95", CHART_BARS, false, 0);
	for (int i = 0; i < 40; i++) {
		char name[64];
		snprintf(name, sizeof name, "GET /api/v2/resource-%02d/items", i);
		chart_spec_add_category(spec, name);
		chart_series_add(s, i, 40 + 30 * (i % 7) + 2.5 * i);
		if (i % 5 == 0)
			chart_spec_add_line(spec, "budget p95", 150 + 10 * i, false, i);
	}
}

/* Thirty series with long labels: the legend keeps to its rows and says how many more. */
static void spec_legend_overflow(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_COMPARE, "legend-overflow", "Thirty runs", "percentile",
			"latency (ms)");
	spec->x_scale = CHART_X_PERCENTILE;
	for (int k = 0; k < 30; k++) {
		char label[64];
		snprintf(label, sizeof label, "run 'nightly-build-%d'", 1000 + k);
		struct chart_series *s = chart_spec_add_series(spec, label, CHART_LINE, false, 0);
		for (int i = 0; i <= 20; i++)
			chart_series_add(s, 100 - 100 / pow(10, i / 5.0), 10 + k + i * i * 0.1);
	}
}

/* Nothing to draw: one empty series, one all-NaN series. */
static void spec_empty(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_TIMELINE, "empty", "A run without data", "time",
			"latency (ms)");
	spec->x_scale = CHART_X_TIME;
	spec->y_from_zero = true;
	chart_spec_add_series(spec, "p95", CHART_LINE, false, 0);
	struct chart_series *s = chart_spec_add_series(spec, "p99", CHART_LINE, false, 0);
	chart_series_add(s, 0, NAN);
}

/* Hostile labels everywhere, 300 categories, values of every size and kind. */
static void spec_hostile(struct chart_spec *spec)
{
	char longer[4096];
	memset(longer, 'W', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	chart_spec_init(spec, CHART_ENDPOINTS, "hostile", HOSTILE HOSTILE HOSTILE HOSTILE HOSTILE,
			HOSTILE, longer);
	chart_spec_set_subtitle(spec, HOSTILE);
	spec->y2_label = xstrdup(HOSTILE);
	spec->x_scale = CHART_X_CATEGORY;
	chart_spec_add_series(spec, HOSTILE, CHART_BARS, false, 0);
	chart_spec_add_series(spec, longer, CHART_LINE_POINTS, true, 0);
	struct chart_series *a = &spec->series[0], *b = &spec->series[1];
	for (size_t i = 0; i < 300; i++) {
		char name[64];
		snprintf(name, sizeof name, "%s/%zu" HOSTILE, i % 7 ? "GET" : longer + 4060, i);
		chart_spec_add_category(spec, name);
		static const double values[] = {1e308, -1e300, INFINITY, -INFINITY, NAN, 0, -5,
						3e-310};
		chart_series_add(a, (double)i, values[i % PG_ARRAY_LEN(values)]);
		chart_series_add(b, (double)i, values[(i + 3) % PG_ARRAY_LEN(values)]);
	}
	for (long i = -2; i < 320; i += 9)
		chart_spec_add_line(spec, i % 2 ? HOSTILE : longer, (double)i * 1e306, i % 3 == 0,
				    i);
	chart_spec_add_line(spec, "nan budget", NAN, false, -1);
}

/* One point, all values equal, x of a single value. */
static void spec_one_point(struct chart_spec *spec)
{
	chart_spec_init(spec, CHART_CAPACITY, "one-point", "One point", "concurrency", "rps");
	struct chart_series *s = chart_spec_add_series(spec, "throughput", CHART_LINE, false, 0);
	chart_series_add(s, 10, 42);
	struct chart_series *flat = chart_spec_add_series(spec, "flat", CHART_LINE, false, 0);
	chart_series_add(flat, 10, 42);
	chart_series_add(flat, 10, 42);
}

static const struct spec_case {
	const char *name;
	void (*build)(struct chart_spec *spec);
	size_t drawn; /* series with at least one finite point */
} cases[] = {
	{"spectrum", spec_spectrum, 3},
	{"timeline", spec_timeline, 4},
	{"endpoints", spec_endpoints, 2},
	{"capacity", spec_capacity, 2},
	{"palette", spec_palette, 8},
	{"endpoints-many", spec_many_endpoints, 1},
	{"legend-overflow", spec_legend_overflow, 30},
	{"empty", spec_empty, 0},
	{"hostile", spec_hostile, 2},
	{"one-point", spec_one_point, 2},
};

/* ---- helpers ---- */

static void render(const struct spec_case *c, enum chart_format format, struct buf *out,
		   size_t *drawn)
{
	struct chart_spec spec;
	c->build(&spec);
	buf_init(out);
	bool ok = chart_render(&spec, format, out, drawn);
	chart_spec_fini(&spec);
	if (!ok)
		fail_msg("%s: chart_render failed", c->name);
}

static void write_sample(const char *dir, const char *name, const char *ext,
			 const struct buf *b)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s", path);
	fwrite(b->data, 1, b->len, f);
	fclose(f);
}

static void write_all(const char *dir)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		struct buf png, svg;
		render(&cases[i], CHART_PNG, &png, NULL);
		render(&cases[i], CHART_SVG, &svg, NULL);
		write_sample(dir, cases[i].name, "png", &png);
		write_sample(dir, cases[i].name, "svg", &svg);
		buf_fini(&png);
		buf_fini(&svg);
	}
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* ---- tests ---- */

static void test_png_has_signature_and_size(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		struct buf png;
		render(&cases[i], CHART_PNG, &png, NULL);
		assert_true(png.len > 33);
		assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n", 8);
		assert_memory_equal(png.data + 12, "IHDR", 4);
		assert_int_equal(be32(png.data + 16), CHART_WIDTH);
		assert_int_equal(be32(png.data + 20), CHART_HEIGHT);
		buf_fini(&png);
	}
}

static void test_svg_is_well_formed_with_size(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		struct buf svg;
		render(&cases[i], CHART_SVG, &svg, NULL);
		xmlDocPtr doc = xmlReadMemory(svg.data, (int)svg.len, "chart.svg", NULL,
					      XML_PARSE_NONET | XML_PARSE_NOERROR);
		if (!doc)
			fail_msg("%s: the SVG does not parse", cases[i].name);
		xmlNodePtr root = xmlDocGetRootElement(doc);
		assert_non_null(root);
		assert_string_equal((const char *)root->name, "svg");
		xmlChar *width = xmlGetProp(root, (const xmlChar *)"width");
		xmlChar *height = xmlGetProp(root, (const xmlChar *)"height");
		assert_non_null(width);
		assert_non_null(height);
		assert_int_equal(strtol((const char *)width, NULL, 10), CHART_WIDTH);
		assert_int_equal(strtol((const char *)height, NULL, 10), CHART_HEIGHT);
		xmlFree(width);
		xmlFree(height);
		xmlFreeDoc(doc);
		buf_fini(&svg);
	}
}

static void test_rendering_twice_gives_the_same_bytes(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		for (int f = 0; f < 2; f++) {
			enum chart_format format = f ? CHART_SVG : CHART_PNG;
			struct buf first, second;
			render(&cases[i], format, &first, NULL);
			render(&cases[i], format, &second, NULL);
			if (first.len != second.len || memcmp(first.data, second.data, first.len))
				fail_msg("%s.%s: two renders differ", cases[i].name,
					 f ? "svg" : "png");
			buf_fini(&first);
			buf_fini(&second);
		}
	}
}

/*
 * Cairo's process-wide ids, "surface<N>" and "image<N>", renumbered from 1 in order of first
 * appearance where an id is defined (id="...") or referenced (after '#'); everything else is
 * left alone. Each pair is Cairo-like input and the output worked out by hand.
 */
static void test_svg_ids_are_renumbered(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
	    {"<g id=\"surface6\"><use xlink:href=\"#surface6\"/><rect fill=\"url(#image9)\"/>"
	     "<g id=\"image3\">",
	     "<g id=\"surface1\"><use xlink:href=\"#surface1\"/><rect fill=\"url(#image1)\"/>"
	     "<g id=\"image2\">"},
	    /* first appearance decides, references included */
	    {"#surface9\" id=\"surface2\" #surface9) #surface2\"",
	     "#surface1\" id=\"surface2\" #surface1) #surface2\""},
	    /* an id right after a '#' or an id=" that started nothing */
	    {"##surface4\" id=\"id=\"surface5\" #id=\"image7\"",
	     "##surface1\" id=\"id=\"surface2\" #id=\"image1\""},
	    /* no digits, other ends, other prefixes, the text's end: untouched */
	    {"id=\"surface\" #surface12x #image3- id=\"glyph0-1\" #glyph1-2\" #Surface3\" #surface7",
	     "id=\"surface\" #surface12x #image3- id=\"glyph0-1\" #glyph1-2\" #Surface3\" #surface7"},
	    {"", ""},
	    {"#", "#"},
	    {"id=\"", "id=\""},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(pairs); i++) {
		struct buf out;
		buf_init(&out);
		chart_svg_renumber_ids(pairs[i][0], strlen(pairs[i][0]), &out);
		buf_append(&out, "", 1);
		assert_string_equal(out.data, pairs[i][1]);
		buf_fini(&out);
	}
}

/*
 * Each size and angle of text is a font whose glyph outlines Cairo writes into the SVG
 * (<symbol id="glyph<font>-<glyph>">), and formatting them is most of a chart's cost: the
 * charts whose category labels are not crowded use two, the bold title and one regular size,
 * whatever the axes (the timeline and capacity specs have titles on both) and the subtitle.
 */
static void test_svg_text_uses_two_fonts(void **state)
{
	(void)state;
	static const char *const names[] = {"spectrum", "timeline", "endpoints", "capacity",
					    "palette"};
	for (size_t n = 0; n < PG_ARRAY_LEN(names); n++) {
		const struct spec_case *c = NULL;
		for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++)
			if (strcmp(cases[i].name, names[n]) == 0)
				c = &cases[i];
		assert_non_null(c);
		struct buf svg;
		render(c, CHART_SVG, &svg, NULL);
		buf_append(&svg, "", 1);
		bool font[64] = {false};
		size_t fonts = 0;
		for (const char *p = svg.data; (p = strstr(p, "id=\"glyph")) != NULL; p++) {
			long id = strtol(p + 9, NULL, 10);
			assert_in_range(id, 0, 63);
			fonts += !font[id];
			font[id] = true;
		}
		if (fonts != 2)
			fail_msg("%s: the SVG has glyphs of %zu fonts, expected 2", c->name, fonts);
		buf_fini(&svg);
	}
}

/* This process has rendered many charts; a fresh one (this binary, --write DIR) must give
 * the very same bytes. */
static void test_a_fresh_process_gives_the_same_bytes(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/test_chart.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/proc/self/exe", "test_chart", "--write", dir, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		for (int f = 0; f < 2; f++) {
			struct buf mine;
			render(&cases[i], f ? CHART_SVG : CHART_PNG, &mine, NULL);
			char path[4200];
			snprintf(path, sizeof path, "%s/%s.%s", dir, cases[i].name,
				 f ? "svg" : "png");
			struct io_reader in;
			struct buf theirs;
			buf_init(&theirs);
			assert_true(io_reader_open(&in, path));
			assert_true(io_reader_read_all(&in, &theirs, 1 << 24));
			io_reader_close(&in);
			unlink(path);
			if (mine.len != theirs.len || memcmp(mine.data, theirs.data, mine.len))
				fail_msg("%s: differs from a fresh process's", path);
			buf_fini(&mine);
			buf_fini(&theirs);
		}
	}
	rmdir(dir);
}

static void test_drawn_counts_series_with_data(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		for (int f = 0; f < 2; f++) {
			struct buf out;
			size_t drawn = 99;
			render(&cases[i], f ? CHART_SVG : CHART_PNG, &out, &drawn);
			if (drawn != cases[i].drawn)
				fail_msg("%s: drawn %zu, expected %zu", cases[i].name, drawn,
					 cases[i].drawn);
			buf_fini(&out);
		}
	}
}

static void test_render_appends_to_out(void **state)
{
	(void)state;
	struct chart_spec spec;
	spec_one_point(&spec);
	struct buf out;
	buf_init(&out);
	buf_puts(&out, "kept");
	assert_true(chart_render(&spec, CHART_SVG, &out, NULL));
	assert_memory_equal(out.data, "kept", 4);
	assert_true(strstr(out.data + 4, "<svg") != NULL);
	buf_fini(&out);
	chart_spec_fini(&spec);
}

/* Every single-series shape that could trip the layout: no points, one, equal values,
 * only infinities, on each x scale and mark. */
static void test_degenerate_series_render(void **state)
{
	(void)state;
	static const double ys[][3] = {
		{NAN, NAN, NAN}, {1, NAN, NAN}, {5, 5, 5}, {INFINITY, -INFINITY, NAN},
		{-1e300, 1e300, 0}, {1e-320, 2e-320, 0}, {-3, -2, -1}, {0, 0, 0},
	};
	for (int scale = CHART_X_LINEAR; scale <= CHART_X_CATEGORY; scale++) {
		for (int mark = CHART_LINE; mark <= CHART_BARS; mark++) {
			for (size_t k = 0; k < PG_ARRAY_LEN(ys); k++) {
				struct chart_spec spec;
				chart_spec_init(&spec, CHART_CAPACITY, "d", "degenerate", "x", "y");
				spec.x_scale = (enum chart_x_scale)scale;
				spec.y_from_zero = k % 2;
				struct chart_series *s = chart_spec_add_series(
					&spec, "s", (enum chart_mark)mark, k % 3 == 0, 0);
				for (int i = 0; i < 3; i++)
					chart_series_add(s, k == 4 ? 1e300 * (i - 1) : i, ys[k][i]);
				struct buf out;
				buf_init(&out);
				size_t drawn = 99;
				assert_true(chart_render(&spec, CHART_PNG, &out, &drawn));
				assert_true(drawn <= 1);
				buf_fini(&out);
				chart_spec_fini(&spec);
			}
		}
	}
}

/* Cairo keeps font and pattern caches for the life of the process, and fontconfig its
 * configuration: released at the end so that LeakSanitizer sees only what perfgate leaks. */
static void release_font_caches(void)
{
	chart_release_caches();
	FcFini();
}

static int teardown_cairo(void **state)
{
	(void)state;
	release_font_caches();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0) {
		write_all(argv[2]);
		release_font_caches();
		return 0;
	}
	const char *samples = getenv("PERFGATE_CHART_SAMPLES");
	if (samples && *samples)
		write_all(samples);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_has_signature_and_size),
		cmocka_unit_test(test_svg_is_well_formed_with_size),
		cmocka_unit_test(test_rendering_twice_gives_the_same_bytes),
		cmocka_unit_test(test_a_fresh_process_gives_the_same_bytes),
		cmocka_unit_test(test_svg_ids_are_renumbered),
		cmocka_unit_test(test_svg_text_uses_two_fonts),
		cmocka_unit_test(test_drawn_counts_series_with_data),
		cmocka_unit_test(test_render_appends_to_out),
		cmocka_unit_test(test_degenerate_series_render),
	};
	int failed = cmocka_run_group_tests(tests, NULL, teardown_cairo);
	xmlCleanupParser();
	return failed;
}
