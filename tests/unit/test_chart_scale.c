/*
 * test_chart_scale.c - the pure layout maths of charts (chart_scale.c), as tables of
 * input -> expected: nice ticks on number axes, time ticks, tick and duration labels, the
 * percentile axis position and the linear map. A failing row is printed with its inputs.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "emit/chart.h"

#define END NAN /* ends a list of expected ticks */

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(1, fmax(fabs(a), fabs(b)));
}

/* Fails, naming the row, unless t holds exactly the ticks in want (ended by END). */
static void expect_ticks(const char *row, const struct chart_ticks *t, const double *want)
{
	size_t n = 0;
	while (!isnan(want[n]))
		n++;
	bool ok = t->count == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = near(t->values[i], want[i]);
	ok = ok && near(t->lo, want[0]) && near(t->hi, want[n - 1]);
	if (!ok) {
		char got[512] = "";
		for (size_t i = 0; i < t->count; i++)
			snprintf(got + strlen(got), sizeof got - strlen(got), " %.17g",
				 t->values[i]);
		fail_msg("%s: got%s (lo %g, hi %g)", row, got, t->lo, t->hi);
	}
}

static const struct nice_case {
	const char *row;
	double min, max;
	int target;
	bool from_zero;
	double want[CHART_MAX_TICKS + 1];
	int decimals;
} nice_cases[] = {
	{"[0, 9.3] by 5", 0, 9.3, 5, false, {0, 2, 4, 6, 8, 10, END}, 0},
	{"[0.0013, 0.0091] by 5", 0.0013, 0.0091, 5, false,
	 {0, 0.002, 0.004, 0.006, 0.008, 0.01, END}, 3},
	{"[120, 980] by 5", 120, 980, 5, false, {0, 200, 400, 600, 800, 1000, END}, 0},
	{"[120, 980] by 5 from zero", 120, 980, 5, true, {0, 200, 400, 600, 800, 1000, END}, 0},
	{"[312, 348] by 5", 312, 348, 5, false, {310, 320, 330, 340, 350, END}, 0},
	{"[312, 348] by 5 from zero", 312, 348, 5, true,
	 {0, 100, 200, 300, 400, END}, 0},
	{"[-42, -3] by 5", -42, -3, 5, false, {-50, -40, -30, -20, -10, 0, END}, 0},
	{"[-42, -3] from zero ignores a negative range", -42, -3, 5, true,
	 {-50, -40, -30, -20, -10, 0, END}, 0},
	{"[-1, 1] by 5", -1, 1, 5, false, {-1, -0.5, 0, 0.5, 1, END}, 1},
	{"[0.6, 1.4] by 5: 0.6 is a tick, not 0.6000000000000001", 0.6, 1.4, 5, false,
	 {0.6, 0.8, 1, 1.2, 1.4, END}, 1},
	{"ticks on the ends stay the ends", 0, 100, 6, false,
	 {0, 20, 40, 60, 80, 100, END}, 0},
	{"min > max is swapped", 10, 0, 6, false, {0, 2, 4, 6, 8, 10, END}, 0},
	{"equal values: +-10%", 50, 50, 5, false, {44, 46, 48, 50, 52, 54, 56, END}, 0},
	{"equal values from zero", 50, 50, 5, true, {0, 10, 20, 30, 40, 50, END}, 0},
	{"zero range at zero: [-1, 1]", 0, 0, 5, false, {-1, -0.5, 0, 0.5, 1, END}, 1},
	{"NaN min: the max alone", NAN, 20, 5, false, {18, 19, 20, 21, 22, END}, 0},
	{"both NaN: [0, 1]", NAN, NAN, 6, false, {0, 0.2, 0.4, 0.6, 0.8, 1, END}, 1},
	{"Inf max: the min alone", 1, INFINITY, 5, false, {0.9, 0.95, 1, 1.05, 1.1, END}, 2},
	{"denormals count as zero", 1e-320, 3e-320, 5, false, {-1, -0.5, 0, 0.5, 1, END}, 1},
	{"a target over the maximum is the maximum", 0, 1000, 99, false,
	 {0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, END}, 0},
	{"a target under 2 is 2", 0, 1000, 0, false, {0, 1000, END}, 0},
};

static void test_nice_ticks_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(nice_cases); i++) {
		const struct nice_case *c = &nice_cases[i];
		struct chart_ticks t;
		chart_nice_ticks(c->min, c->max, c->target, c->from_zero, &t);
		expect_ticks(c->row, &t, c->want);
		if (t.decimals != c->decimals)
			fail_msg("%s: decimals %d, expected %d", c->row, t.decimals, c->decimals);
	}
}

/* Whatever the input, the ticks are ordered, within the maximum count, and cover the data. */
static void test_nice_ticks_cover_any_range(void **state)
{
	(void)state;
	static const double ends[] = {
		0, 1, -1, 0.1, 7, 1e-9, 3.3e-5, 1234567, -98765, 1e15, 1e15 + 1, 1e300, -1e300,
		1.7e308, 5e-324, 999.9999,
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(ends); i++) {
		for (size_t j = 0; j < PG_ARRAY_LEN(ends); j++) {
			for (int target = 2; target <= CHART_MAX_TICKS; target += 3) {
				struct chart_ticks t;
				double lo = fmin(ends[i], ends[j]), hi = fmax(ends[i], ends[j]);
				chart_nice_ticks(lo, hi, target, false, &t);
				assert_true(t.count >= 2 && t.count <= CHART_MAX_TICKS);
				assert_true(t.step > 0 && isfinite(t.step));
				for (size_t k = 1; k < t.count; k++)
					assert_true(t.values[k] > t.values[k - 1]);
				/* not checked: clamped ends (beyond 1e300, or denormals taken as 0)
				 * and ranges too narrow for their magnitude (widened) */
				bool tiny = (lo != 0 && fabs(lo) < 1e-300) ||
					    (hi != 0 && fabs(hi) < 1e-300);
				if (!tiny && fabs(hi) <= 1e300 && fabs(lo) <= 1e300 &&
				    (hi - lo) > 1e-9 * fmax(fabs(lo), fabs(hi))) {
					if (!(t.lo <= lo && t.hi >= hi))
						fail_msg("[%g, %g] by %d: ticks [%g, %g]", lo, hi,
							 target, t.lo, t.hi);
				}
			}
		}
	}
}

static const struct time_case {
	const char *row;
	double min, max;
	int target;
	double want[CHART_MAX_TICKS + 1];
} time_cases[] = {
	{"0..75 s by 6: every 15 s", 0, 75, 6, {0, 15, 30, 45, 60, 75, END}},
	{"0..600 s by 6: every 2 min", 0, 600, 6, {0, 120, 240, 360, 480, 600, END}},
	{"0..2 h by 5: every 30 min", 0, 7200, 5, {0, 1800, 3600, 5400, 7200, END}},
	{"0..2 h by 3: every hour", 0, 7200, 3, {0, 3600, 7200, END}},
	{"0..8 s by 5: every 2 s", 0, 8, 5, {0, 2, 4, 6, 8, END}},
	{"0..1.2 s by 5: decimal seconds", 0, 1.2, 5, {0, 0.2, 0.4, 0.6, 0.8, 1, 1.2, END}},
	{"10..50 s by 5: every 10 s", 10, 50, 5, {10, 20, 30, 40, 50, END}},
	{"0..3 days by 4: whole days", 0, 3 * 86400, 4, {0, 86400, 172800, 259200, END}},
	{"no time at all: the first minute", NAN, NAN, 6, {0, 10, 20, 30, 40, 50, 60, END}},
	{"one instant: the minute around it", 100, 100, 6,
	 {70, 80, 90, 100, 110, 120, 130, END}},
	{"one instant near the start: from 0", 5, 5, 6, {0, 10, 20, 30, 40, 50, 60, END}},
};

static void test_time_ticks_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(time_cases); i++) {
		const struct time_case *c = &time_cases[i];
		struct chart_ticks t;
		chart_time_ticks(c->min, c->max, c->target, &t);
		expect_ticks(c->row, &t, c->want);
	}
	/* huge and hostile ranges still end within the maximum count */
	static const double ends[][2] = {{0, 1e12}, {0, 1e300}, {-1e300, 1e300}, {NAN, NAN},
					 {5, 5}, {0, INFINITY}, {1e9, 1e9 + 0.5}};
	for (size_t i = 0; i < PG_ARRAY_LEN(ends); i++) {
		struct chart_ticks t;
		chart_time_ticks(ends[i][0], ends[i][1], 6, &t);
		assert_true(t.count >= 2 && t.count <= CHART_MAX_TICKS);
		for (size_t k = 1; k < t.count; k++)
			assert_true(t.values[k] > t.values[k - 1]);
	}
}

static const struct tick_label_case {
	double value;
	int decimals;
	const char *want;
} tick_labels[] = {
	{0.5, 1, "0.5"},         {250, 0, "250"},     {1200, 0, "1200"},
	{0.002, 3, "0.002"},     {-0.0, 1, "0.0"},    {-1e-17, 2, "0.00"},
	{-40, 0, "-40"},         {2.5e12, 0, "2.5e+12"}, {1e-8, 8, "1e-08"},
	{0, 8, "0"},             {NAN, 0, "nan"},     {-INFINITY, 0, "-inf"},
	{1e308, 0, "1e+308"},    {3, -2, "3"},
};

static void test_format_tick_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(tick_labels); i++) {
		char out[32];
		chart_format_tick(tick_labels[i].value, tick_labels[i].decimals, out);
		if (strcmp(out, tick_labels[i].want) != 0)
			fail_msg("%g with %d decimals: '%s', expected '%s'", tick_labels[i].value,
				 tick_labels[i].decimals, out, tick_labels[i].want);
	}
}

static const struct seconds_case {
	double seconds;
	const char *want;
} seconds_labels[] = {
	{0, "0s"},        {45, "45s"},       {60, "1m"},        {90, "1m30s"},
	{3600, "1h"},     {7500, "2h5m"},    {3605, "1h5s"},    {0.5, "0.5s"},
	{1.25, "1.25s"},  {59.9999, "1m"},   {-30, "-30s"},     {86400, "24h"},
	{NAN, "nan"},     {1e20, "1e+20s"},  {0.0001, "0s"},
};

static void test_format_seconds_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(seconds_labels); i++) {
		char out[32];
		chart_format_seconds(seconds_labels[i].seconds, out);
		if (strcmp(out, seconds_labels[i].want) != 0)
			fail_msg("%g s: '%s', expected '%s'", seconds_labels[i].seconds, out,
				 seconds_labels[i].want);
	}
}

static void test_percentile_position_table(void **state)
{
	(void)state;
	static const double rows[][2] = {
		{0, 0}, {50, 0.30102999566398120}, {90, 1}, {99, 2}, {99.9, 3}, {99.99, 4},
		{100, 6}, {-5, 0}, {99.9999, 6},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		double got = chart_percentile_position(rows[i][0]);
		if (!near(got, rows[i][1]))
			fail_msg("p%g: position %.17g, expected %g", rows[i][0], got, rows[i][1]);
	}
	assert_true(isnan(chart_percentile_position(NAN)));
}

static void test_map_table(void **state)
{
	(void)state;
	static const double rows[][6] = {
		/* v, lo, hi, a, b, expected */
		{5, 0, 10, 100, 200, 150},
		{0, 0, 10, 400, 40, 400},   /* y axes run downwards */
		{10, 0, 10, 400, 40, 40},
		{-5, 0, 10, 0, 100, -50},   /* outside the range: extrapolated */
		{3, 3, 3, 0, 100, 50},      /* empty range: the middle */
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		const double *r = rows[i];
		double got = chart_map(r[0], r[1], r[2], r[3], r[4]);
		if (!near(got, r[5]))
			fail_msg("map %g from [%g, %g] to [%g, %g]: %g, expected %g", r[0], r[1],
				 r[2], r[3], r[4], got, r[5]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_ticks_table),
		cmocka_unit_test(test_nice_ticks_cover_any_range),
		cmocka_unit_test(test_time_ticks_table),
		cmocka_unit_test(test_format_tick_table),
		cmocka_unit_test(test_format_seconds_table),
		cmocka_unit_test(test_percentile_position_table),
		cmocka_unit_test(test_map_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
