/*
 * test_lines.c - the streaming line iterator: line ends (\n, \r\n, \r\r\n), BOM, last line
 * without a newline, empty lines, over-long lines, chunk boundaries and gzip input. Expected
 * lines come from a table, or from a reference split of the same bytes done in the test.
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

#include "util/io.h"
#include "util/lines.h"
#include "util/util.h"

static char *temp_file(const char *data, size_t len, bool gzip)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/test_lines.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	if (gzip) {
		gzFile g = gzopen(path, "wb");
		gzwrite(g, data, (unsigned)len);
		gzclose(g);
	} else {
		FILE *f = fopen(path, "wb");
		fwrite(data, 1, len, f);
		fclose(f);
	}
	return path;
}

struct expected {
	const char *text;
	uint64_t offset;
};

static void check(const char *input, size_t len, const struct expected *want, size_t count,
		  bool bom)
{
	char *path = temp_file(input, len, false);
	struct io_reader r;
	assert_true(io_reader_open(&r, path));
	struct lines ls;
	lines_init(&ls, &r, 0);
	struct line line;
	size_t n = 0;
	while (lines_next(&ls, &line)) {
		if (n >= count)
			fail_msg("extra line %zu: '%s'", n + 1, line.text);
		if (strcmp(line.text, want[n].text) != 0 || line.number != n + 1 ||
		    line.offset != want[n].offset || line.len != strlen(want[n].text))
			fail_msg("line %zu: '%s' at %llu, expected '%s' at %llu", n + 1, line.text,
				 (unsigned long long)line.offset, want[n].text,
				 (unsigned long long)want[n].offset);
		n++;
	}
	assert_int_equal(n, count);
	assert_false(ls.error);
	assert_int_equal(ls.had_bom, bom);
	lines_fini(&ls);
	io_reader_close(&r);
	unlink(path);
	free(path);
}

#define CHECK(input, bom, ...)                                                              \
	do {                                                                                \
		static const struct expected want[] = {__VA_ARGS__};                        \
		check(input, sizeof input - 1, want, sizeof want / sizeof want[0], bom);     \
	} while (0)

static void test_line_end_table(void **state)
{
	(void)state;
	check("", 0, NULL, 0, false);
	CHECK("a", false, {"a", 0});
	CHECK("a\n", false, {"a", 0});
	CHECK("a\nb", false, {"a", 0}, {"b", 2});
	CHECK("a\r\nb\r\n", false, {"a", 0}, {"b", 3});
	CHECK("a\r\r\nb", false, {"a", 0}, {"b", 4});
	CHECK("\xEF\xBB\xBFx\n", true, {"x", 3});
	CHECK("\n\n", false, {"", 0}, {"", 1});
	CHECK("a\rb\n", false, {"a\rb", 0});
}

static void test_long_line_is_truncated_and_next_line_intact(void **state)
{
	(void)state;
	size_t long_len = 300000;
	char *input = xmalloc(long_len + 20);
	memset(input, 'x', long_len);
	memcpy(input + long_len, "\nnext\n", 6);
	char *path = temp_file(input, long_len + 6, false);
	struct io_reader r;
	assert_true(io_reader_open(&r, path));
	struct lines ls;
	lines_init(&ls, &r, 1000);
	struct line line;
	assert_true(lines_next(&ls, &line));
	assert_true(line.truncated);
	assert_int_equal(line.len, 1000);
	assert_int_equal(line.text[999], 'x');
	assert_true(lines_next(&ls, &line));
	assert_false(line.truncated);
	assert_string_equal(line.text, "next");
	assert_int_equal(line.number, 2);
	assert_int_equal(line.offset, long_len + 1);
	assert_false(lines_next(&ls, &line));
	/* memory stayed bounded by max_line plus a read chunk, not the 300 KB line */
	assert_true(ls.cap < 1000 + 200 * 1024);
	lines_fini(&ls);
	io_reader_close(&r);
	unlink(path);
	free(path);
	free(input);
}

/* Many lines of varied lengths across read chunks, plain and gzip, against a reference split. */
static void test_chunk_boundaries_plain_and_gzip(void **state)
{
	(void)state;
	struct buf input;
	buf_init(&input);
	uint64_t seed = 1;
	for (int i = 0; i < 20000; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		size_t len = (size_t)(seed >> 33) % 120;
		for (size_t j = 0; j < len; j++)
			buf_putc(&input, (char)('a' + (j + (size_t)i) % 26));
		buf_puts(&input, i % 7 == 0 ? "\r\n" : "\n");
	}
	for (int gzip = 0; gzip <= 1; gzip++) {
		char *path = temp_file(input.data, input.len, gzip);
		struct io_reader r;
		assert_true(io_reader_open(&r, path));
		struct lines ls;
		lines_init(&ls, &r, 0);
		struct line line;
		size_t pos = 0, number = 0;
		while (lines_next(&ls, &line)) {
			number++;
			char *nl = memchr(input.data + pos, '\n', input.len - pos);
			assert_non_null(nl);
			size_t len = (size_t)(nl - (input.data + pos));
			if (len && input.data[pos + len - 1] == '\r')
				len--;
			assert_int_equal(line.offset, pos);
			assert_int_equal(line.len, len);
			assert_memory_equal(line.text, input.data + pos, len);
			pos = (size_t)(nl - input.data) + 1;
		}
		assert_int_equal(number, 20000);
		assert_int_equal(pos, input.len);
		lines_fini(&ls);
		io_reader_close(&r);
		unlink(path);
		free(path);
	}
	buf_fini(&input);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_end_table),
		cmocka_unit_test(test_long_line_is_truncated_and_next_line_intact),
		cmocka_unit_test(test_chunk_boundaries_plain_and_gzip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
