/*
 * test_io.c - reading plain and gzip inputs through one path, peeking, size caps, errors, and
 * atomic writes. Files are made in $TMPDIR by the test itself (gzip with zlib's gzwrite).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
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
#include "util/util.h"

static char dir[512];

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/test_io.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			char *p = xasprintf("%s/%s", dir, e->d_name);
			unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

static char *path_of(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void write_gzip(const char *path, const char *data, size_t len, bool append)
{
	gzFile g = gzopen(path, append ? "ab" : "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
	gzclose(g);
}

static char *sample_text(size_t len)
{
	char *s = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		s[i] = (char)("latency p99 12.5 ms\n"[i % 20] + (i / 20) % 3);
	s[len] = '\0';
	return s;
}

static bool read_all(const char *path, struct buf *out, size_t cap, char *error)
{
	struct io_reader r;
	bool ok = io_reader_open(&r, path) && io_reader_read_all(&r, out, cap);
	snprintf(error, 256, "%s", r.error);
	io_reader_close(&r);
	return ok;
}

static void test_plain_and_gzip_read_the_same_bytes(void **state)
{
	(void)state;
	size_t len = 700000;
	char *text = sample_text(len);
	char *plain = path_of("plain.txt"), *gz = path_of("data.gz"), *two = path_of("two.gz");
	write_file(plain, text, len);
	write_gzip(gz, text, len, false);
	write_gzip(two, text, len / 2, false);
	write_gzip(two, text + len / 2, len - len / 2, true); /* two gzip members */
	const char *paths[] = {plain, gz, two};
	for (int i = 0; i < 3; i++) {
		struct buf b;
		buf_init(&b);
		char error[256];
		assert_true(read_all(paths[i], &b, SIZE_MAX, error));
		assert_int_equal(b.len, len);
		assert_memory_equal(b.data, text, len);
		buf_fini(&b);
	}
	struct io_reader r;
	assert_true(io_reader_open(&r, gz));
	char c;
	assert_int_equal(io_reader_read(&r, &c, 1), 1);
	assert_true(r.compressed);
	io_reader_close(&r);
	free(text);
	free(plain);
	free(gz);
	free(two);
}

static void test_peek_then_read_returns_every_byte_once(void **state)
{
	(void)state;
	size_t len = 100000;
	char *text = sample_text(len);
	char *gz = path_of("peek.gz");
	write_gzip(gz, text, len, false);
	struct io_reader r;
	assert_true(io_reader_open(&r, gz));
	const char *p;
	assert_int_equal(io_reader_peek(&r, 10, &p), 10);
	assert_memory_equal(p, text, 10);
	assert_int_equal(io_reader_peek(&r, 5000, &p), 5000); /* a larger peek */
	assert_memory_equal(p, text, 5000);
	struct buf b;
	buf_init(&b);
	char small[7];
	long n = io_reader_read(&r, small, sizeof small);
	assert_int_equal(n, 7);
	buf_append(&b, small, 7);
	assert_true(io_reader_read_all(&r, &b, SIZE_MAX));
	assert_int_equal(b.len, len);
	assert_memory_equal(b.data, text, len);
	/* peeking past the end returns what there is */
	assert_int_equal(io_reader_peek(&r, 10, &p), 0);
	buf_fini(&b);
	io_reader_close(&r);
	free(text);
	free(gz);
}

static void test_missing_file_reports_the_reason(void **state)
{
	(void)state;
	struct io_reader r;
	char *missing = path_of("nope.json");
	assert_false(io_reader_open(&r, missing));
	assert_non_null(strstr(r.error, "No such file"));
	io_reader_close(&r);
	free(missing);
}

static void test_truncated_gzip_is_an_error(void **state)
{
	(void)state;
	size_t len = 200000;
	char *text = sample_text(len);
	char *gz = path_of("full.gz"), *cut = path_of("cut.gz");
	write_gzip(gz, text, len, false);
	FILE *f = fopen(gz, "rb");
	char *bytes = xmalloc(len);
	size_t n = fread(bytes, 1, len, f);
	fclose(f);
	write_file(cut, bytes, n / 2);
	struct buf b;
	buf_init(&b);
	char error[256];
	assert_false(read_all(cut, &b, SIZE_MAX, error));
	assert_true(strlen(error) > 0);
	buf_fini(&b);
	free(bytes);
	free(text);
	free(gz);
	free(cut);
}

static void test_read_all_over_the_cap_fails(void **state)
{
	(void)state;
	char *plain = path_of("big.txt");
	char *text = sample_text(5000);
	write_file(plain, text, 5000);
	struct buf b;
	buf_init(&b);
	char error[256];
	assert_false(read_all(plain, &b, 4999, error));
	assert_non_null(strstr(error, "larger than"));
	buf_clear(&b);
	assert_true(read_all(plain, &b, 5000, error));
	buf_fini(&b);
	free(text);
	free(plain);
}

static int count_entries(void)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_atomic_write_creates_replaces_and_cleans_up(void **state)
{
	(void)state;
	char *target = path_of("out.json");
	char error[256];
	int before = count_entries();
	assert_true(io_write_atomic(target, "first", 5, error));
	assert_true(io_write_atomic(target, "second!", 7, error));
	struct buf b;
	buf_init(&b);
	assert_true(read_all(target, &b, SIZE_MAX, error));
	assert_string_equal(b.data, "second!");
	assert_int_equal(count_entries(), before + 1); /* no temp files left */
	buf_fini(&b);

	char *bad = path_of("no-such-dir/out.json");
	assert_false(io_write_atomic(bad, "x", 1, error));
	assert_non_null(strstr(error, "No such file"));
	assert_int_equal(count_entries(), before + 1);
	free(bad);
	free(target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_and_gzip_read_the_same_bytes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_peek_then_read_returns_every_byte_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_reports_the_reason, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_truncated_gzip_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_all_over_the_cap_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_write_creates_replaces_and_cleans_up,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
