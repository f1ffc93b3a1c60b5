/*
 * test_num.c - strict number parsing: every spelling tools use, and what must be refused.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/num.h"

static void test_doubles_table(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum num_status status;
		double value;    /* checked for NUM_OK / NUM_INF / NUM_OVERFLOW */
		size_t consumed; /* checked for NUM_INVALID */
	} rows[] = {
		{"NaN", NUM_NAN, 0, 0}, {"-nan", NUM_NAN, 0, 0}, {"+nan", NUM_NAN, 0, 0},
		{"NAN", NUM_NAN, 0, 0}, {"inf", NUM_INF, INFINITY, 0},
		{"-Inf", NUM_INF, -INFINITY, 0}, {"+Infinity", NUM_INF, INFINITY, 0},
		{"N/A", NUM_MISSING, 0, 0}, {"", NUM_MISSING, 0, 0}, {"  ", NUM_MISSING, 0, 0},
		{"null", NUM_MISSING, 0, 0}, {"None", NUM_MISSING, 0, 0},
		{"1e309", NUM_OVERFLOW, HUGE_VAL, 0}, {"-1e309", NUM_OVERFLOW, -HUGE_VAL, 0},
		{"1e-400", NUM_OK, 0, 0}, {"+3", NUM_OK, 3, 0}, {"-0", NUM_OK, 0, 0},
		{" 42 ", NUM_OK, 42, 0}, {"7382.0", NUM_OK, 7382, 0},
		{"1.234567e+06", NUM_OK, 1234567, 0}, {"5.8626e-05", NUM_OK, 5.8626e-05, 0},
		{".5", NUM_OK, 0.5, 0}, {"5.", NUM_OK, 5, 0}, {"\t12.51", NUM_OK, 12.51, 0},
		{"1,5", NUM_INVALID, 0, 1}, {"1.5.2", NUM_INVALID, 0, 3},
		{"0x10", NUM_INVALID, 0, 1}, {"12abc", NUM_INVALID, 0, 2}, {"-", NUM_INVALID, 0, 1},
		{"e5", NUM_INVALID, 0, 0}, {"1e", NUM_INVALID, 0, 1}, {" 1 2", NUM_INVALID, 0, 2},
		{"nan(0x1)", NUM_INVALID, 0, 0}, {"infinityx", NUM_INVALID, 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		double v = -12345;
		size_t consumed = 999;
		enum num_status s = num_parse_double(rows[i].text, strlen(rows[i].text), &v,
						     &consumed);
		if (s != rows[i].status)
			fail_msg("row %zu '%s': status %s, expected %s", i, rows[i].text,
				 num_status_name(s), num_status_name(rows[i].status));
		if ((s == NUM_OK || s == NUM_INF || s == NUM_OVERFLOW) && v != rows[i].value)
			fail_msg("row %zu '%s': value %.17g", i, rows[i].text, v);
		if (s == NUM_NAN && !isnan(v))
			fail_msg("row %zu: not NaN", i);
		if (s == NUM_INVALID && consumed != rows[i].consumed)
			fail_msg("row %zu '%s': consumed %zu, expected %zu", i, rows[i].text,
				 consumed, rows[i].consumed);
	}
}

static void test_integers_table(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum num_status status;
		int64_t value;
	} rows[] = {
		{"123", NUM_OK, 123}, {"-9223372036854775808", NUM_OK, INT64_MIN},
		{"9223372036854775807", NUM_OK, INT64_MAX},
		{"9223372036854775808", NUM_OVERFLOW, 0}, {"-9223372036854775809", NUM_OVERFLOW, 0},
		{"1.0", NUM_INVALID, 0}, {"1e3", NUM_INVALID, 0}, {"", NUM_MISSING, 0},
		{" +7 ", NUM_OK, 7}, {"3x", NUM_INVALID, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t v = -1;
		enum num_status s = num_parse_int(rows[i].text, strlen(rows[i].text), &v, NULL);
		if (s != rows[i].status || (s == NUM_OK && v != rows[i].value))
			fail_msg("row %zu '%s': %s %lld", i, rows[i].text, num_status_name(s),
				 (long long)v);
	}
}

static void test_length_bounds_the_token(void **state)
{
	(void)state;
	double v;
	/* only the first 2 bytes are the token: "12" */
	assert_int_equal(num_parse_double("12345", 2, &v, NULL), NUM_OK);
	assert_true(v == 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubles_table),
		cmocka_unit_test(test_integers_table),
		cmocka_unit_test(test_length_bounds_the_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
