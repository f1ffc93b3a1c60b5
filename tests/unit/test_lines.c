/*
 * test_lines.c - the streaming line iterator: line ends (\n, \r\n, \r\r\n), BOM, last line
 * without a newline, empty lines, over-long lines, chunk boundaries, gzip input and read
 * errors. Small cases are rows of "input, max_line -> expected lines"; large inputs are checked
 * against a reference split of the same bytes done here. Inputs go through real files in a
 * mkdtemp directory, removed by teardown even when a test fails.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "test_files.h"

#include "util/io.h"
#include "util/lines.h"
#include "util/util.h"
#include "util/util_test.h"

static struct test_input infile; /* the one input file a test writes; removed by teardown */

static int setup(void **state)
{
	(void)state;
	return test_input_make(&infile, "test_lines");
}

static int teardown(void **state)
{
	(void)state;
	test_input_remove(&infile);
	return 0;
}

/* Writes data to the test's input file, plain or as gzip; returns its path. */
static const char *write_input(const char *data, size_t len, bool gzip)
{
	return test_input_write(&infile, data, len, gzip);
}

struct expected_line {
	const char *text;
	uint64_t offset;
	bool truncated;
};

struct lines_case {
	const char *name;
	const char *input;
	size_t input_len;
	size_t max_line; /* 0 = default */
	bool bom;
	size_t count;
	struct expected_line lines[4]; /* numbered 1, 2, ... in order */
};

#define IN(s) s, sizeof(s) - 1

/*
 * The two ways to read lines: lines_next, or lines_take (par_lines.c's way) with a chunk size
 * and a most-lines count small enough to reach its every path (lines across chunks, a buffer
 * handed back with whole lines left in it, long lines whole in a chunk and past it).
 */
struct reading {
	const char *name;
	bool take;
	size_t chunk, max;
};

static const struct reading readings[] = {
	{"lines_next", false, 0, 0},
	{"lines_take", true, 0, 16384},
	{"lines_take chunk 7 max 3", true, 7, 3},
	{"lines_take chunk 64 max 1000", true, 64, 1000},
};

struct taker {
	const struct reading *how;
	struct line *lines;
	size_t cap, count, next;
	char *buffer;   /* the buffer of the last take's lines */
	size_t buffer_cap;
};

static bool get_line(struct lines *ls, struct taker *t, struct line *out)
{
	if (!t->how->take)
		return lines_next(ls, out);
	if (t->next == t->count) {
		t->count = lines_take(ls, &t->lines, &t->cap, t->how->max, &t->buffer,
				      &t->buffer_cap);
		t->next = 0;
		if (t->count == 0)
			return false;
		if (t->count > t->how->max)
			fail_msg("%s: %zu lines, more than %zu", t->how->name, t->count, t->how->max);
	}
	*out = t->lines[t->next++];
	return true;
}

static void taker_fini(struct taker *t)
{
	free(t->lines);
	free(t->buffer);
}

static const struct lines_case cases[] = {
	{"empty input has no lines", IN(""), 0, false, 0, {{0}}},
	{"one line without newline", IN("a"), 0, false, 1, {{"a", 0, false}}},
	{"one line with newline", IN("a\n"), 0, false, 1, {{"a", 0, false}}},
	{"last line without newline", IN("a\nb"), 0, false, 2, {{"a", 0, false}, {"b", 2, false}}},
	{"crlf", IN("a\r\nb\r\n"), 0, false, 2, {{"a", 0, false}, {"b", 3, false}}},
	{"cr cr lf", IN("a\r\r\nb"), 0, false, 2, {{"a", 0, false}, {"b", 4, false}}},
	{"bom is skipped, offsets count it", IN("\xEF\xBB\xBFx\n"), 0, true, 1,
	 {{"x", 3, false}}},
	{"bom only", IN("\xEF\xBB\xBF"), 0, true, 0, {{0}}},
	{"bom bytes later are text", IN("a\n\xEF\xBB\xBF"), 0, false, 2,
	 {{"a", 0, false}, {"\xEF\xBB\xBF", 2, false}}},
	{"half a bom is text", IN("\xEF\xBBx"), 0, false, 1, {{"\xEF\xBBx", 0, false}}},
	{"empty lines", IN("\n\n"), 0, false, 2, {{"", 0, false}, {"", 1, false}}},
	{"crlf alone", IN("\r\n"), 0, false, 1, {{"", 0, false}}},
	{"cr inside a line is kept", IN("a\rb\n"), 0, false, 1, {{"a\rb", 0, false}}},
	{"cr at end of input is a line end", IN("a\r"), 0, false, 1, {{"a", 0, false}}},
	{"cr before cr inside is kept", IN("a\r\rb\r\n"), 0, false, 1, {{"a\r\rb", 0, false}}},
	{"long line truncated, next intact", IN("abcdefgh\nxy\n"), 4, false, 2,
	 {{"abcd", 0, true}, {"xy", 9, false}}},
	{"long last line truncated", IN("ab\nabcdefgh"), 4, false, 2,
	 {{"ab", 0, false}, {"abcd", 3, true}}},
	{"exactly max_line with crlf is whole", IN("abcd\r\nxy"), 4, false, 2,
	 {{"abcd", 0, false}, {"xy", 6, false}}},
	{"exactly max_line with cr cr lf is whole", IN("abcd\r\r\n"), 4, false, 1,
	 {{"abcd", 0, false}}},
	{"exactly max_line with cr at end is whole", IN("abcd\r"), 4, false, 1,
	 {{"abcd", 0, false}}},
	{"cr within the limit, text beyond", IN("ab\r\rcd\n1"), 4, false, 2,
	 {{"ab\r\r", 0, true}, {"1", 7, false}}},
	{"max_line 1", IN("a\nbc\n\nd"), 1, false, 4,
	 {{"a", 0, false}, {"b", 2, true}, {"", 5, false}, {"d", 6, false}}},
};

static void check_case(size_t row, const struct lines_case *c, bool gzip,
		       const struct reading *how)
{
	const char *path = write_input(c->input, c->input_len, gzip);
	struct io_reader r;
	assert_true(io_reader_open(&r, path));
	struct lines ls;
	lines_init(&ls, &r, c->max_line);
	ls.chunk = how->chunk;
	struct taker t = {how, NULL, 0, 0, 0, NULL, 0};
	struct line line;
	size_t n = 0;
	while (get_line(&ls, &t, &line)) {
		if (n >= c->count)
			fail_msg("row %zu '%s'%s %s: extra line %zu '%s'", row, c->name,
				 gzip ? " (gzip)" : "", how->name, n + 1, line.text);
		const struct expected_line *want = &c->lines[n];
		size_t want_len = strlen(want->text);
		if (line.len != want_len || memcmp(line.text, want->text, want_len) != 0 ||
		    line.text[line.len] != '\0' || line.number != n + 1 ||
		    line.offset != want->offset || line.truncated != want->truncated)
			fail_msg("row %zu '%s'%s %s: line %llu '%s' (len %zu) at %llu%s, expected "
				 "line %zu '%s' at %llu%s", row, c->name, gzip ? " (gzip)" : "",
				 how->name,
				 (unsigned long long)line.number, line.text, line.len,
				 (unsigned long long)line.offset,
				 line.truncated ? " truncated" : "",
				 n + 1, want->text, (unsigned long long)want->offset,
				 want->truncated ? " truncated" : "");
		n++;
	}
	if (n != c->count || ls.error || ls.had_bom != c->bom || !lines_ended(&ls))
		fail_msg("row %zu '%s'%s %s: %zu lines, error %d, bom %d, ended %d", row, c->name,
			 gzip ? " (gzip)" : "", how->name, n, ls.error, ls.had_bom,
			 lines_ended(&ls));
	/* the end is sticky */
	assert_false(get_line(&ls, &t, &line));
	taker_fini(&t);
	lines_fini(&ls);
	io_reader_close(&r);
}

static void test_line_table_plain_and_gzip(void **state)
{
	(void)state;
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++)
		for (size_t k = 0; k < PG_ARRAY_LEN(readings); k++) {
			check_case(i, &cases[i], false, &readings[k]);
			check_case(i, &cases[i], true, &readings[k]);
		}
}

static void test_nul_bytes_stay_inside_the_line(void **state)
{
	(void)state;
	static const char input[] = {'a', '\0', 'b', '\n', 'c'};
	struct io_reader r;
	assert_true(io_reader_open(&r, write_input(input, sizeof input, false)));
	struct lines ls;
	lines_init(&ls, &r, 0);
	struct line line;
	assert_true(lines_next(&ls, &line));
	assert_int_equal(line.len, 3);
	assert_memory_equal(line.text, "a\0b", 3);
	assert_true(lines_next(&ls, &line));
	assert_string_equal(line.text, "c");
	assert_int_equal(line.offset, 4);
	assert_false(lines_next(&ls, &line));
	lines_fini(&ls);
	io_reader_close(&r);
}

static void test_long_line_is_truncated_with_bounded_memory(void **state)
{
	(void)state;
	size_t long_len = 3000000; /* many read chunks */
	char *input = xmalloc(long_len + 20);
	memset(input, 'x', long_len);
	memcpy(input + long_len, "\r\nnext\n", 7);
	struct io_reader r;
	assert_true(io_reader_open(&r, write_input(input, long_len + 7, false)));
	struct lines ls;
	lines_init(&ls, &r, 1000);
	struct line line;
	assert_true(lines_next(&ls, &line));
	assert_true(line.truncated);
	assert_int_equal(line.len, 1000);
	assert_int_equal(line.number, 1);
	assert_int_equal(line.offset, 0);
	assert_int_equal(line.text[999], 'x');
	assert_int_equal(line.text[1000], '\0');
	assert_true(lines_next(&ls, &line));
	assert_false(line.truncated);
	assert_string_equal(line.text, "next");
	assert_int_equal(line.number, 2);
	assert_int_equal(line.offset, long_len + 2);
	assert_false(lines_next(&ls, &line));
	assert_false(ls.error);
	/* memory stayed near max_line plus a read chunk (512 KiB), far below the 3 MB line */
	assert_true(ls.cap < 1000 + 600 * 1024);
	lines_fini(&ls);
	io_reader_close(&r);
	free(input);
}

/*
 * Reference split: lines end at '\n' (or the end of input); trailing '\r's are dropped; a line
 * whose remaining bytes number more than max_line is cut to its first max_line raw bytes.
 */
static void check_against_reference(const struct buf *input, size_t body, size_t max_line,
				    bool gzip, const struct reading *how)
{
	struct io_reader r;
	assert_true(io_reader_open(&r, write_input(input->data, input->len, gzip)));
	struct lines ls;
	lines_init(&ls, &r, max_line);
	ls.chunk = how->chunk;
	struct taker t = {how, NULL, 0, 0, 0, NULL, 0};
	size_t limit = max_line ? max_line : SIZE_MAX;
	struct line line;
	size_t pos = body;
	uint64_t number = 0;
	while (get_line(&ls, &t, &line)) {
		number++;
		if (pos >= input->len)
			fail_msg("max_line %zu%s %s: extra line %llu", max_line,
				 gzip ? " gzip" : "", how->name, (unsigned long long)number);
		const char *start = input->data + pos;
		const char *nl = memchr(start, '\n', input->len - pos);
		size_t raw = nl ? (size_t)(nl - start) : input->len - pos;
		size_t len = raw;
		while (len && start[len - 1] == '\r')
			len--;
		bool truncated = len > limit;
		if (truncated)
			len = limit;
		if (line.number != number || line.offset != pos || line.len != len ||
		    line.truncated != truncated || memcmp(line.text, start, len) != 0 ||
		    line.text[len] != '\0')
			fail_msg("max_line %zu%s %s: line %llu at %llu (len %zu%s), expected at %zu "
				 "(len %zu%s)", max_line, gzip ? " gzip" : "", how->name,
				 (unsigned long long)number, (unsigned long long)line.offset,
				 line.len, line.truncated ? ", truncated" : "", pos, len,
				 truncated ? ", truncated" : "");
		pos += raw + (nl != NULL);
	}
	if (pos != input->len || ls.error || ls.had_bom != (body == 3) || !lines_ended(&ls))
		fail_msg("max_line %zu%s %s: stopped at %zu of %zu, error %d", max_line,
			 gzip ? " gzip" : "", how->name, pos, input->len, ls.error);
	taker_fini(&t);
	lines_fini(&ls);
	io_reader_close(&r);
}

/*
 * About 1.5 MB of lines of varied lengths (0 to 150 KB, so some span several read chunks),
 * with \n, \r\n and \r\r\n ends, runs of '\r' at chunk-sized distances and no final newline;
 * read with several max_line values, plain and gzip, against the reference split.
 */
static void test_chunk_boundaries_against_a_reference_split(void **state)
{
	(void)state;
	struct buf input;
	buf_init(&input);
	buf_puts(&input, "\xEF\xBB\xBF");
	uint64_t seed = 1;
	while (input.len < 1500000) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		size_t len = (size_t)(seed >> 33) % 200;
		if ((seed >> 20) % 50 == 0)
			len = (size_t)(seed >> 33) % 150000; /* now and then a very long line */
		for (size_t j = 0; j < len; j++)
			buf_putc(&input, j % 61 == 60 ? '\r' : (char)('a' + (j + input.len) % 26));
		static const char *const ends[] = {"\n", "\r\n", "\r\r\n", "\n\n", "\r\r\r\n"};
		buf_puts(&input, ends[(seed >> 40) % PG_ARRAY_LEN(ends)]);
	}
	buf_puts(&input, "last line without newline");
	static const size_t max_lines[] = {0, 1, 7, 100, 4096, 65535, 65536, 65537, 100000};
	for (size_t i = 0; i < PG_ARRAY_LEN(max_lines); i++)
		for (int gzip = 0; gzip <= 1; gzip++)
			for (size_t k = 0; k < PG_ARRAY_LEN(readings); k++)
				check_against_reference(&input, 3, max_lines[i], gzip, &readings[k]);
	buf_fini(&input);
}

/* A gzip stream cut in half: lines until the cut, then an error, never a cut line as whole. */
static void test_truncated_gzip_ends_with_an_error(void **state)
{
	(void)state;
	struct buf input;
	buf_init(&input);
	for (int i = 0; i < 50000; i++)
		buf_printf(&input, "{\"metric\":\"http_req_duration\",\"value\":%d}\n",
			   i * 7919 % 10007);
	write_input(input.data, input.len, true);
	FILE *f = fopen(infile.path, "rb");
	assert_non_null(f);
	char *gz = xmalloc(input.len);
	size_t gz_len = fread(gz, 1, input.len, f);
	fclose(f);
	write_input(gz, gz_len / 2, false);
	size_t counts[PG_ARRAY_LEN(readings)];
	for (size_t k = 0; k < PG_ARRAY_LEN(readings); k++) {
		struct io_reader r;
		assert_true(io_reader_open(&r, infile.path));
		struct lines ls;
		lines_init(&ls, &r, 0);
		ls.chunk = readings[k].chunk;
		struct taker t = {&readings[k], NULL, 0, 0, 0, NULL, 0};
		struct line line;
		size_t pos = 0, count = 0;
		while (get_line(&ls, &t, &line)) {
			/* every line returned is a whole line of the original */
			assert_true(pos + line.len < input.len);
			assert_memory_equal(line.text, input.data + pos, line.len);
			assert_int_equal(input.data[pos + line.len], '\n');
			pos += line.len + 1;
			count++;
		}
		assert_true(ls.error);
		assert_true(lines_ended(&ls));
		assert_true(strlen(r.error) > 0);
		assert_true(count > 0 && count < 50000);
		assert_false(get_line(&ls, &t, &line)); /* the error is sticky */
		counts[k] = count; /* every way gives the same lines before the error */
		assert_int_equal(counts[k], counts[0]);
		taker_fini(&t);
		lines_fini(&ls);
		io_reader_close(&r);
	}
	free(gz);
	buf_fini(&input);
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_line_table_plain_and_gzip),
		TEST(test_nul_bytes_stay_inside_the_line),
		TEST(test_long_line_is_truncated_with_bounded_memory),
		TEST(test_chunk_boundaries_against_a_reference_split),
		TEST(test_truncated_gzip_ends_with_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
