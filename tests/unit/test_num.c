/*
 * test_num.c - strict number parsing: every spelling tools use, what must be refused, and the
 * same answers whatever the locale. Most cases are rows of "input -> status, value, offset".
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/num.h"
#include "util/timefmt.h"
#include "util/util.h"

struct double_case {
	const char *text;
	enum num_status status;
	double value;    /* compared, sign of zero included, for NUM_OK / NUM_INF / NUM_OVERFLOW */
	size_t consumed; /* offset of the offending byte for NUM_INVALID; strlen(text) otherwise */
};

#define LEN(s) (sizeof(s) - 1)

static const struct double_case double_cases[] = {
	/* NaN and infinity, as C, Go, Python and JavaScript print them */
	{"NaN", NUM_NAN, 0, LEN("NaN")},
	{"-nan", NUM_NAN, 0, LEN("-nan")},
	{"+nan", NUM_NAN, 0, LEN("+nan")},
	{"NAN", NUM_NAN, 0, LEN("NAN")},
	{"inf", NUM_INF, INFINITY, LEN("inf")},
	{"-Inf", NUM_INF, -INFINITY, LEN("-Inf")},
	{"+Infinity", NUM_INF, INFINITY, LEN("+Infinity")},
	{"INFINITY", NUM_INF, INFINITY, LEN("INFINITY")},
	/* missing values */
	{"N/A", NUM_MISSING, 0, LEN("N/A")},
	{"n/a", NUM_MISSING, 0, LEN("n/a")},
	{"", NUM_MISSING, 0, 0},
	{"  ", NUM_MISSING, 0, 2},
	{"null", NUM_MISSING, 0, LEN("null")},
	{"None", NUM_MISSING, 0, LEN("None")},
	/* out of range: overflow is its own status, underflow rounds to the nearest double */
	{"1e309", NUM_OVERFLOW, HUGE_VAL, LEN("1e309")},
	{"-1e309", NUM_OVERFLOW, -HUGE_VAL, LEN("-1e309")},
	{"1e-400", NUM_OK, 0.0, LEN("1e-400")},
	{"-1e-400", NUM_OK, -0.0, LEN("-1e-400")},
	{"4.9406564584124654e-324", NUM_OK, 4.9406564584124654e-324, 23},
	{"1.7976931348623157e308", NUM_OK, 1.7976931348623157e308, 22},
	{"0e999999999999", NUM_OK, 0.0, 14},
	/* numbers as tools write them */
	{"+3", NUM_OK, 3, 2},
	{"-0", NUM_OK, -0.0, 2},
	{"0", NUM_OK, 0.0, 1},
	{" 42 ", NUM_OK, 42, 4},
	{"\t12.51\t", NUM_OK, 12.51, 7},
	{"7382.0", NUM_OK, 7382, 6},
	{"1.234567e+06", NUM_OK, 1234567, 12},
	{"5.8626e-05", NUM_OK, 5.8626e-05, 10},
	{"0.000123", NUM_OK, 0.000123, 8},
	{"1E3", NUM_OK, 1000, 3},
	{".5", NUM_OK, 0.5, 2},
	{"5.", NUM_OK, 5, 2},
	{"-.5e1", NUM_OK, -5, 5},
	{"9007199254740993", NUM_OK, 9007199254740992.0, 16}, /* 2^53 + 1 rounds to even */
	{"123456789012345678901234567890", NUM_OK, 1.2345678901234568e29, 30},
	{"0.1000000000000000055511151231257827", NUM_OK, 0.1, 36},
	/* refused, with the offset of the first offending byte */
	{"1,5", NUM_INVALID, 0, 1},
	{"1.5.2", NUM_INVALID, 0, 3},
	{"0x10", NUM_INVALID, 0, 1},
	{"12abc", NUM_INVALID, 0, 2},
	{"  12abc", NUM_INVALID, 0, 4},
	{"-", NUM_INVALID, 0, 1},
	{"+", NUM_INVALID, 0, 1},
	{".", NUM_INVALID, 0, 0},
	{"-.", NUM_INVALID, 0, 1},
	{"e5", NUM_INVALID, 0, 0},
	{"1e", NUM_INVALID, 0, 1},
	{"1e+", NUM_INVALID, 0, 1},
	{"1e5.0", NUM_INVALID, 0, 3},
	{" 1 2", NUM_INVALID, 0, 2},
	{"--1", NUM_INVALID, 0, 1},
	{"- 1", NUM_INVALID, 0, 1},
	{"1_000", NUM_INVALID, 0, 1},
	{"nan(0x1)", NUM_INVALID, 0, 0},
	{"infinityx", NUM_INVALID, 0, 0},
	{"-N/A", NUM_INVALID, 0, 1},
	{"12\n", NUM_INVALID, 0, 2},
	{"\xd9\xa3", NUM_INVALID, 0, 0}, /* ARABIC-INDIC DIGIT THREE is not a digit here */
};

static void check_double_case(size_t row, const struct double_case *c)
{
	double v = -12345;
	size_t consumed = 999;
	enum num_status s = num_parse_double(c->text, strlen(c->text), &v, &consumed);
	if (s != c->status)
		fail_msg("row %zu '%s': status '%s', expected '%s'", row, c->text,
			 num_status_name(s), num_status_name(c->status));
	if ((s == NUM_OK || s == NUM_INF || s == NUM_OVERFLOW) &&
	    (v != c->value || !signbit(v) != !signbit(c->value)))
		fail_msg("row %zu '%s': value %.17g, expected %.17g", row, c->text, v, c->value);
	if (s == NUM_NAN && !isnan(v))
		fail_msg("row %zu '%s': value %.17g, expected NaN", row, c->text, v);
	if (s == NUM_INVALID && v != -12345)
		fail_msg("row %zu '%s': *out was written for an invalid token", row, c->text);
	if (consumed != c->consumed)
		fail_msg("row %zu '%s': consumed %zu, expected %zu", row, c->text, consumed,
			 c->consumed);
}

static void test_double_spellings_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(double_cases); i++)
		check_double_case(i, &double_cases[i]);
}

static void test_integer_table(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		enum num_status status;
		int64_t value;   /* compared for NUM_OK */
		size_t consumed; /* offending byte's offset for NUM_INVALID; strlen otherwise */
	} rows[] = {
		{"123", NUM_OK, 123, 3},
		{"-9223372036854775808", NUM_OK, INT64_MIN, 20},
		{"9223372036854775807", NUM_OK, INT64_MAX, 19},
		{"9223372036854775808", NUM_OVERFLOW, 0, 19},
		{"-9223372036854775809", NUM_OVERFLOW, 0, 20},
		{"99999999999999999999999", NUM_OVERFLOW, 0, 23},
		{"-0", NUM_OK, 0, 2},
		{"007", NUM_OK, 7, 3},
		{" +7 ", NUM_OK, 7, 4},
		{"1.0", NUM_INVALID, 0, 1},
		{"1e3", NUM_INVALID, 0, 1},
		{"3x", NUM_INVALID, 0, 1},
		{"-", NUM_INVALID, 0, 1},
		{"0x10", NUM_INVALID, 0, 1},
		{"1,000", NUM_INVALID, 0, 1},
		{"", NUM_MISSING, 0, 0},
		{"N/A", NUM_MISSING, 0, 3},
		{"null", NUM_MISSING, 0, 4},
		{"NaN", NUM_NAN, 0, 3},
		{"-inf", NUM_INF, 0, 4},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		int64_t v = -1;
		size_t consumed = 999;
		const char *text = rows[i].text;
		enum num_status s = num_parse_int(text, strlen(text), &v, &consumed);
		if (s != rows[i].status)
			fail_msg("row %zu '%s': status '%s', expected '%s'", i, rows[i].text,
				 num_status_name(s), num_status_name(rows[i].status));
		if (s == NUM_OK && v != rows[i].value)
			fail_msg("row %zu '%s': value %lld, expected %lld", i, rows[i].text,
				 (long long)v, (long long)rows[i].value);
		if (s != NUM_OK && v != -1)
			fail_msg("row %zu '%s': *out was written", i, rows[i].text);
		if (consumed != rows[i].consumed)
			fail_msg("row %zu '%s': consumed %zu, expected %zu", i, rows[i].text,
				 consumed, rows[i].consumed);
	}
}

static void test_length_bounds_the_token(void **state)
{
	(void)state;
	double v;
	int64_t i;
	/* only the first 2 bytes are the token, and nothing past them is read */
	assert_int_equal(num_parse_double("12345", 2, &v, NULL), NUM_OK);
	assert_true(v == 12);
	assert_int_equal(num_parse_int("12345", 2, &i, NULL), NUM_OK);
	assert_int_equal(i, 12);
	char exact[3] = {'4', '.', '5'}; /* no NUL anywhere: ASan catches an overread */
	assert_int_equal(num_parse_double(exact, sizeof exact, &v, NULL), NUM_OK);
	assert_true(v == 4.5);
	assert_int_equal(num_parse_double(exact, 0, &v, NULL), NUM_MISSING);
}

/* Tokens longer than the parser's stack buffer take the heap path and give the same values. */
static void test_long_tokens(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "0.");
	for (int i = 0; i < 299; i++)
		buf_putc(&b, '0');
	buf_putc(&b, '1');
	double v;
	assert_int_equal(num_parse_double(b.data, b.len, &v, NULL), NUM_OK);
	assert_true(v == 1e-300);
	buf_clear(&b);
	buf_putc(&b, '1');
	for (int i = 0; i < 299; i++)
		buf_putc(&b, '0');
	assert_int_equal(num_parse_double(b.data, b.len, &v, NULL), NUM_OK);
	assert_true(v == 1e299);
	buf_putc(&b, 'x');
	size_t consumed;
	assert_int_equal(num_parse_double(b.data, b.len, &v, &consumed), NUM_INVALID);
	assert_int_equal(consumed, 300);
	buf_fini(&b);
}

/*
 * The exact conversion (no libc) and strtod must agree to the bit on everything tools print:
 * random values in the shapes %.17g, %.6e, %g, %.3f and %.1f, read back both ways.
 */
static void test_exact_path_agrees_with_strtod(void **state)
{
	(void)state;
	static const char *const formats[] = {"%.17g", "%.6e", "%g", "%.3f", "%.1f", "%.15g"};
	uint64_t seed = 42;
	char text[64];
	for (int i = 0; i < 200000; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		double magnitude = pow(10, (double)((int)(seed >> 40) % 40 - 20));
		double value = (double)(seed >> 11) / 9007199254740992.0 * magnitude;
		if (seed & 1)
			value = -value;
		snprintf(text, sizeof text, formats[(seed >> 20) % PG_ARRAY_LEN(formats)], value);
		double parsed, expected = strtod(text, NULL);
		enum num_status s = num_parse_double(text, strlen(text), &parsed, NULL);
		if (s != NUM_OK || memcmp(&parsed, &expected, sizeof parsed) != 0)
			fail_msg("'%s': status '%s', %.17g, strtod says %.17g", text,
				 num_status_name(s), parsed, expected);
	}
}

/*
 * Plain digit tokens take a one-loop path up to 19 digits and the general one past it: at
 * every length around that border, with leading zeros, a point anywhere or none, the value is
 * strtod's to the bit, and what the plain path must refuse still fails or takes the long way.
 */
static void test_plain_digits_at_the_19_digit_border(void **state)
{
	(void)state;
	char text[64];
	for (size_t len = 1; len <= 24; len++) {
		for (size_t zeros = 0; zeros <= len; zeros++) {
			for (size_t point = 0; point <= len; point++) {
				size_t n = 0;
				for (size_t i = 0; i < len; i++) {
					if (i == point && point < len)
						text[n++] = '.';
					text[n++] = i < zeros ? '0' : (char)('1' + (i * 7 + len) % 9);
				}
				text[n] = '\0';
				double parsed, expected = strtod(text, NULL);
				enum num_status s = num_parse_double(text, n, &parsed, NULL);
				if (s != NUM_OK || memcmp(&parsed, &expected, sizeof parsed) != 0)
					fail_msg("'%s': status '%s', %.17g, strtod says %.17g", text,
						 num_status_name(s), parsed, expected);
			}
		}
	}
	static const char *const refused[] = {".", "1.2.3", "1..", "12a", "1 2", "--1", "0x1"};
	double v;
	for (size_t i = 0; i < PG_ARRAY_LEN(refused); i++)
		assert_int_equal(num_parse_double(refused[i], strlen(refused[i]), &v, NULL),
				 NUM_INVALID);
	assert_int_equal(num_parse_double("5.", 2, &v, NULL), NUM_OK);
	assert_true(v == 5);
	/* 2^64 + 1: twenty digits that would wrap a 64-bit mantissa round to 1 */
	assert_int_equal(num_parse_double("18446744073709551617", 20, &v, NULL), NUM_OK);
	assert_true(v == 18446744073709551616.0);
}

/*
 * With a locale whose decimal point is ',' (if one is installed), '.' is still the decimal
 * point and "1,5" is still refused. Skipped when no such locale exists.
 */
static void test_decimal_point_ignores_the_locale(void **state)
{
	(void)state;
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8",
		"nl_NL.UTF-8", "de_DE", "fr_FR",
	};
	const char *found = NULL;
	for (size_t i = 0; i < PG_ARRAY_LEN(names) && !found; i++) {
		if (setlocale(LC_NUMERIC, names[i]) &&
		    strcmp(localeconv()->decimal_point, ".") != 0)
			found = names[i];
	}
	if (!found) {
		setlocale(LC_NUMERIC, "C");
		skip();
	}
	for (size_t i = 0; i < PG_ARRAY_LEN(double_cases); i++)
		check_double_case(i, &double_cases[i]);
	setlocale(LC_NUMERIC, "C");
}

static void test_status_names_are_distinct(void **state)
{
	(void)state;
	static const enum num_status all[] = {NUM_OK,      NUM_NAN,      NUM_INF,
					     NUM_MISSING, NUM_OVERFLOW, NUM_INVALID};
	for (size_t i = 0; i < PG_ARRAY_LEN(all); i++) {
		assert_true(strlen(num_status_name(all[i])) > 0);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(num_status_name(all[i]), num_status_name(all[j]));
	}
}

/*
 * num_parse_scaled: a value printed in one unit, converted to another with one rounding of
 * the exact decimal product (the double nearest 0.35573, which 355.73 / 1000 need not be).
 */
static void test_scaled_parsing_is_exact(void **state)
{
	(void)state;
	double v;
	assert_int_equal(num_parse_scaled("355.73", 6, 1, -3, &v, NULL), NUM_OK);
	assert_true(v == strtod("0.35573", NULL));
	assert_int_equal(num_parse_scaled("1.52", 4, 6, 4, &v, NULL), NUM_OK);
	assert_true(v == 91200);
	assert_int_equal(num_parse_scaled("0.85", 4, 36, 5, &v, NULL), NUM_OK);
	assert_true(v == 3060000);
	assert_int_equal(num_parse_scaled("58.16", 5, UINT64_C(1) << 20, 0, &v, NULL), NUM_OK);
	assert_true(v == strtod("60985180.16", NULL));
	assert_int_equal(num_parse_scaled("-nan", 4, 1, -3, &v, NULL), NUM_NAN);
	assert_int_equal(num_parse_scaled("inf", 3, 1, 0, &v, NULL), NUM_INF);
	assert_int_equal(num_parse_scaled("1e308", 5, 1024, 0, &v, NULL), NUM_OVERFLOW);
	assert_int_equal(num_parse_scaled("1.2.3", 5, 1, 0, &v, NULL), NUM_INVALID);
	/* more digits than fit in 64 bits still scale (through strtod) */
	assert_int_equal(num_parse_scaled("123456789012345678901.5", 23, 6, 4, &v, NULL), NUM_OK);
	assert_true(fabs(v / 7407407340740740734090000.0 - 1) < 1e-15); /* within an ulp or two */
}

/* time_parse_fraction as a byte loop: the digits up to end, the first six as microseconds. */
static size_t fraction_by_bytes(const char *p, const char *end, int64_t *out_us)
{
	size_t n = 0;
	int64_t us = 0;
	for (; p + n < end && p[n] >= '0' && p[n] <= '9'; n++)
		if (n < 6)
			us = us * 10 + (p[n] - '0');
	for (size_t k = n; k < 6; k++)
		us *= 10;
	*out_us = us;
	return n;
}

/*
 * The eight-digits-at-once path of time_parse_fraction against the byte loop: runs of 0 to 12
 * digits followed by each byte that borders the digits ('/' and ':' around them, '@', 0xB9,
 * 0x39 + 0x80...), with the end of the text at every place, so both paths and the handover
 * between them are taken.
 */
static void test_fraction_digits_eight_at_a_time(void **state)
{
	(void)state;
	static const char after[] = {'Z', '/', ':', '+', '@', ' ', '\0', (char)0xB9, (char)0xB0,
				     (char)0x3F, (char)0x7F, (char)0xF9};
	uint64_t seed = 12345;
	for (size_t run = 0; run <= 12; run++) {
		for (size_t a = 0; a < sizeof after; a++) {
			for (int trial = 0; trial < 20; trial++) {
				char text[24];
				for (size_t i = 0; i < run; i++) {
					seed = seed * 6364136223846793005u + 1442695040888963407u;
					text[i] = (char)('0' + (seed >> 33) % 10);
				}
				if (trial == 0)
					memset(text, '9', run); /* the largest digits */
				if (trial == 1)
					memset(text, '0', run);
				memset(text + run, after[a], sizeof text - run);
				for (size_t len = 0; len <= sizeof text; len++) {
					int64_t want = -1, got = -2;
					size_t n_want = fraction_by_bytes(text, text + len, &want);
					size_t n_got = time_parse_fraction(text, text + len, &got);
					if (n_got != n_want || got != want)
						fail_msg("run %zu, after 0x%02x, len %zu: %zu digits %lld "
							 "µs, want %zu and %lld", run,
							 (unsigned char)after[a], len, n_got, (long long)got,
							 n_want, (long long)want);
				}
			}
		}
	}
	static const char k6_time[] = "569302285Z"; /* as k6 writes it: nanoseconds, truncated */
	int64_t us;
	assert_int_equal(time_parse_fraction(k6_time, k6_time + sizeof k6_time - 1, &us), 9);
	assert_int_equal(us, 569302);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_spellings_table),
		cmocka_unit_test(test_integer_table),
		cmocka_unit_test(test_length_bounds_the_token),
		cmocka_unit_test(test_long_tokens),
		cmocka_unit_test(test_exact_path_agrees_with_strtod),
		cmocka_unit_test(test_plain_digits_at_the_19_digit_border),
		cmocka_unit_test(test_decimal_point_ignores_the_locale),
		cmocka_unit_test(test_status_names_are_distinct),
		cmocka_unit_test(test_scaled_parsing_is_exact),
		cmocka_unit_test(test_fraction_digits_eight_at_a_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
