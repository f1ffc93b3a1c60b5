/*
 * test_str.c - str_utf8_clean, the one UTF-8 cleaner of every writer: rows of "input, flags,
 * limit -> expected bytes", one flag at a time, then how the limit cuts and how it appends;
 * str_utf8_valid's ASCII words against a walk of one sequence at a time; str_fnv1a against the
 * published test vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/util.h"

#define FFFD "\xEF\xBF\xBD"
/* A string literal as (bytes, length), so rows may hold NUL bytes. */
#define IN(s) s, sizeof(s) - 1
#define NO_LIMIT SIZE_MAX

struct clean_case {
	const char *in;
	size_t in_len;
	unsigned flags;
	size_t limit;
	const char *out;
	size_t out_len;
};

static const struct clean_case clean_cases[] = {
	/* valid UTF-8 is copied, control characters included, when no flag says otherwise */
	{IN(""), 0, NO_LIMIT, IN("")},
	{IN("caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80"), 0, NO_LIMIT,
	 IN("caf\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x98\x80")},
	{IN("a\0b\x01\t\x7F\xC2\x85\xEF\xBF\xBE"), 0, NO_LIMIT,
	 IN("a\0b\x01\t\x7F\xC2\x85\xEF\xBF\xBE")},
	/* each byte that starts no valid sequence is one U+FFFD, and the next byte is tried */
	{IN("\xFF"), 0, NO_LIMIT, IN(FFFD)},
	{IN("x\xE2\x82"), 0, NO_LIMIT, IN("x" FFFD FFFD)},               /* cut short */
	{IN("\xE2\x82x"), 0, NO_LIMIT, IN(FFFD FFFD "x")},               /* broken off */
	{IN("\xC0\xAF"), 0, NO_LIMIT, IN(FFFD FFFD)},                    /* overlong '/' */
	{IN("\xE0\x80\x80"), 0, NO_LIMIT, IN(FFFD FFFD FFFD)},           /* overlong NUL */
	{IN("\xED\xA0\x80"), 0, NO_LIMIT, IN(FFFD FFFD FFFD)},           /* a surrogate */
	{IN("\xF4\x90\x80\x80"), 0, NO_LIMIT, IN(FFFD FFFD FFFD FFFD)},  /* above U+10FFFF */
	{IN("\xF5\x80\x80"), 0, NO_LIMIT, IN(FFFD FFFD FFFD)},
	{IN("\x80\xBF\xC2"), 0, NO_LIMIT, IN(FFFD FFFD FFFD)},
	/* STR_CLEAN_CONTROL_SPACE: C0 and DEL are one space each (chart text, Markdown) */
	{IN("a\tb\n\x01\x1F\x7F"), STR_CLEAN_CONTROL_SPACE, NO_LIMIT, IN("a b    ")},
	{IN("a\0b\r\n"), STR_CLEAN_CONTROL_SPACE, NO_LIMIT, IN("a b  ")},
	{IN("\xC2\x85~"), STR_CLEAN_CONTROL_SPACE, NO_LIMIT, IN("\xC2\x85~")},
	/* STR_CLEAN_C1_SPACE: U+0080..U+009F are one space each, U+00A0 is not a control */
	{IN("\xC2\x80\xC2\x9F\xC2\xA0"), STR_CLEAN_C1_SPACE, NO_LIMIT, IN("  \xC2\xA0")},
	{IN("\x01\xC2\x85\xFF"), STR_CLEAN_CONTROL_SPACE | STR_CLEAN_C1_SPACE, NO_LIMIT,
	 IN("  " FFFD)},
	/* STR_CLEAN_CONTROL_HEX: C0 but tab, LF, CR as \xNN (XML 1.0 cannot hold them) */
	{IN("a\x01\tb\n\r\x1F\x7F"), STR_CLEAN_CONTROL_HEX, NO_LIMIT,
	 IN("a\\x01\tb\n\r\\x1F\x7F")},
	{IN("\0"), STR_CLEAN_CONTROL_HEX, NO_LIMIT, IN("\\x00")},
	/* STR_CLEAN_NONCHAR: U+FFFE and U+FFFF are not characters in XML either */
	{IN("\xEF\xBF\xBE\xEF\xBF\xBF\xEF\xBF\xBC"), STR_CLEAN_NONCHAR, NO_LIMIT,
	 IN(FFFD FFFD "\xEF\xBF\xBC")},
	/* nor U+FDD0..U+FDEF and the last two of every plane (Cairo refuses them all) */
	{IN("\xEF\xB7\x90\xEF\xB7\xAF\xEF\xB7\xB0\xF0\x9F\xBF\xBE\xF4\x8F\xBF\xBF\xF0\x9F\x98\x80"),
	 STR_CLEAN_NONCHAR, NO_LIMIT, IN(FFFD FFFD "\xEF\xB7\xB0" FFFD FFFD "\xF0\x9F\x98\x80")},
	/* STR_CLEAN_ESCAPE: every C0 and DEL escaped, C1 as \u00NN, for a terminal or a CI log */
	{IN("a\nb\r\t\x1b[31m\x07\x7F\xC2\x9B\xC2\xA0"), STR_CLEAN_ESCAPE, NO_LIMIT,
	 IN("a\\nb\\r\\t\\x1b[31m\\x07\\x7f\\u009b\xC2\xA0")},
	/* lead bytes F5..FF start nothing, whatever follows */
	{IN("\xFF\xBF\xBFz"), 0, NO_LIMIT, IN(FFFD FFFD FFFD "z")},
	/* a limit stops before any character that might not fit (4 bytes, the longest) */
	{IN("abcdef"), 0, 6, IN("abc")},
	{IN("abcdef"), 0, 3, IN("")},
	{IN("\xC3\xA9\xC3\xA9\xC3\xA9"), 0, 7, IN("\xC3\xA9\xC3\xA9")},
	{IN("\xFF\xFF\xFF"), 0, 8, IN(FFFD FFFD)},
	{IN("\x01\x01\x01"), STR_CLEAN_CONTROL_HEX, 9, IN("\\x01\\x01")},
	/* an escape longer than 4 bytes that would not fit is left out whole */
	{IN("ab\xC2\x9B"), STR_CLEAN_ESCAPE, 7, IN("ab")},
	{IN("ab\xC2\x9B"), STR_CLEAN_ESCAPE, 8, IN("ab\\u009b")},
};

static void test_clean_rows_per_flag(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(clean_cases); i++) {
		const struct clean_case *c = &clean_cases[i];
		struct buf out;
		buf_init(&out);
		str_utf8_clean(&out, c->in, c->in_len, c->flags, c->limit);
		assert_non_null(out.data);
		if (out.len != c->out_len || memcmp(out.data, c->out, c->out_len) != 0)
			fail_msg("row %zu: expected %zu bytes '%s', got %zu bytes '%s'", i, c->out_len,
				 c->out, out.len, out.data);
		assert_int_equal(out.data[out.len], '\0');
		buf_fini(&out);
	}
}

/* Chart titles: at most 512 bytes, never half a character (chart_text_clean's rule). */
static void test_limit_cuts_long_text_on_a_character_boundary(void **state)
{
	(void)state;
	char text[600];
	for (size_t i = 0; i + 2 <= sizeof text; i += 2)
		memcpy(text + i, "\xC3\xA9", 2);
	struct buf out;
	buf_init(&out);
	str_utf8_clean(&out, text, sizeof text, STR_CLEAN_CONTROL_SPACE, 512);
	assert_int_equal(out.len, 510); /* at 508 bytes, 4 were left: room for one more */
	assert_int_equal(str_utf8_valid(out.data, out.len), out.len);
	buf_fini(&out);
}

/* The cleaner appends: what out held stays, and the limit counts only what it adds. */
static void test_clean_appends_after_what_out_holds(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out);
	buf_puts(&out, "xyz");
	str_utf8_clean(&out, "abcdef", 6, 0, 6);
	assert_string_equal(out.data, "xyzabc");
	buf_fini(&out);
}

/* A cut name (a table cell) is never longer than asked, escapes and ellipsis included. */
static void test_visible_cut_stays_within_its_bytes(void **state)
{
	(void)state;
	for (size_t max = 4; max < 40; max++) {
		struct buf out;
		buf_init(&out);
		str_put_visible_cut(&out, "\xC2\x9B\xC2\x9B\xC2\x9B\xC2\x9B\xC2\x9B\xC2\x9B\xC2\x9B", max);
		assert_true(out.len <= max);
		buf_fini(&out);
	}
}

/* str_utf8_valid as a walk of one sequence at a time (str_utf8_sequence). */
static size_t valid_by_sequences(const char *s, size_t len)
{
	size_t i = 0, n;
	while (i < len && (n = str_utf8_sequence(s + i, len - i)) > 0)
		i += n;
	return i;
}

/*
 * str_utf8_valid skips ASCII eight bytes at a time: a non-ASCII byte (a valid sequence, a cut
 * one, a stray continuation byte, 0xFF) at every position of 40 bytes of ASCII, with the text's
 * end at every place, gives the length the sequence walk gives.
 */
static void test_valid_prefix_across_ascii_words(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
	} inserts[] = {{IN("\xC3\xA9")}, {IN("\xE6\x97\xA5")}, {IN("\xF0\x9F\x98\x80")},
		       {IN("\xE2\x82")},  {IN("\x80")},           {IN("\xFF")},
		       {IN("\xC0\xAF")}};
	for (size_t k = 0; k < sizeof inserts / sizeof inserts[0]; k++) {
		for (size_t at = 0; at <= 40; at++) {
			char text[48];
			memset(text, 'a', sizeof text);
			memcpy(text + at, inserts[k].bytes, inserts[k].len);
			size_t total = at + inserts[k].len + (at % 9);
			for (size_t len = 0; len <= total && len <= sizeof text; len++)
				if (str_utf8_valid(text, len) != valid_by_sequences(text, len))
					fail_msg("insert %zu at %zu, length %zu: %zu, want %zu", k, at,
						 len, str_utf8_valid(text, len),
						 valid_by_sequences(text, len));
		}
	}
}

/*
 * str_fnv1a against the FNV-1a 64-bit test vectors of the algorithm's authors (from the offset
 * basis 0xcbf29ce484222325), and one call continuing another.
 */
static void test_fnv1a_vectors(void **state)
{
	(void)state;
	const uint64_t basis = UINT64_C(0xcbf29ce484222325);
	assert_true(str_fnv1a(basis, "", 0) == basis);
	assert_true(str_fnv1a(basis, "a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(str_fnv1a(basis, "foobar", 6) == UINT64_C(0x85944171f73967e8));
	assert_true(str_fnv1a(str_fnv1a(basis, "foo", 3), "bar", 3) == UINT64_C(0x85944171f73967e8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_rows_per_flag),
		cmocka_unit_test(test_limit_cuts_long_text_on_a_character_boundary),
		cmocka_unit_test(test_clean_appends_after_what_out_holds),
		cmocka_unit_test(test_visible_cut_stays_within_its_bytes),
		cmocka_unit_test(test_valid_prefix_across_ascii_words),
		cmocka_unit_test(test_fnv1a_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
