/*
 * test_par_lines.c - lines read ahead on worker threads: for 1, 2, 3 and 8 jobs, plain and
 * gzip, every line comes back in input order with exactly what lines_next gives (text, length,
 * number, offset, truncation), and its record is the one prepared from that very line, across
 * many blocks (inputs of several MiB with line ends of every kind, a BOM, empty and over-long
 * lines, a last line without a newline). Stopping early, with workers still reading, ends
 * cleanly. Inputs go through real files in a mkdtemp directory.
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
#include "util/par_lines.h"
#include "util/util.h"
#include "util/util_test.h"

static struct test_input infile; /* the one input file a test writes; removed by teardown */

static int setup(void **state)
{
	(void)state;
	return test_input_make(&infile, "test_par_lines");
}

static int teardown(void **state)
{
	(void)state;
	test_input_remove(&infile);
	return 0;
}

static void write_input(const struct buf *data, bool gzip)
{
	test_input_write(&infile, data->data, data->len, gzip);
}

/* splitmix64: deterministic line shapes */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/*
 * About `bytes` of lines: a BOM, then lines of 0 to 300 bytes (now and then one of 5000, longer
 * than the max_line of 4096 the test reads with), ended by \n, \r\n or \r\r\n, the last one
 * without a line end.
 */
static void make_input(struct buf *out, size_t bytes, uint64_t seed)
{
	buf_init(out);
	buf_puts(out, "\xEF\xBB\xBF");
	static const char *const ends[] = {"\n", "\r\n", "\r\r\n"};
	uint64_t r = seed;
	for (uint64_t n = 0; out->len < bytes; n++) {
		uint64_t x = next_random(&r);
		size_t len = x % 97 == 0 ? 5000 : (size_t)(x % 301);
		for (size_t i = 0; i < len; i++)
			buf_putc(out, (char)('a' + (n + i) % 26));
		buf_printf(out, "#%llu", (unsigned long long)n);
		buf_puts(out, ends[(x >> 20) % 3]);
	}
	buf_puts(out, "last line, no newline");
}

/* The record: a checksum of the line, its length and number, computed on a worker. */
struct rec {
	uint64_t sum;
	size_t len;
	uint64_t number;
	unsigned calls; /* the scratch's running count, to show it is the worker's own */
	bool ctx_ok;    /* ctx arrived unchanged (no cmocka asserts on worker threads) */
};

static void prepare(const void *ctx, void *scratch, const struct line *l, void *out)
{
	struct rec *r = out;
	r->ctx_ok = ctx == &infile;
	uint64_t sum = 1469598103934665603u;
	for (size_t i = 0; i < l->len; i++)
		sum = (sum ^ (unsigned char)l->text[i]) * 1099511628211u;
	r->sum = sum;
	r->len = l->len;
	r->number = l->number;
	r->calls = ++*(unsigned *)scratch;
}

static uint64_t checksum(const struct line *l)
{
	struct rec r;
	unsigned calls = 0;
	prepare(&infile, &calls, l, &r);
	return r.sum;
}

static void check_against_lines(bool gzip, int jobs)
{
	struct io_reader a, b;
	assert_true(io_reader_open(&a, infile.path));
	assert_true(io_reader_open(&b, infile.path));
	struct lines ls;
	lines_init(&ls, &a, 4096);
	struct par_lines *p = par_lines_new(&b, 4096, jobs, prepare, &infile, sizeof(struct rec),
					    sizeof(unsigned));
	struct line want, got;
	const void *rec;
	uint64_t n = 0;
	while (lines_next(&ls, &want)) {
		n++;
		if (!par_lines_next(p, &got, &rec))
			fail_msg("jobs %d%s: ended before line %llu", jobs, gzip ? " gzip" : "",
				 (unsigned long long)n);
		const struct rec *r = rec;
		if (got.len != want.len || memcmp(got.text, want.text, want.len) != 0 ||
		    got.text[got.len] != '\0' || got.number != want.number ||
		    got.offset != want.offset || got.truncated != want.truncated)
			fail_msg("jobs %d%s: line %llu differs", jobs, gzip ? " gzip" : "",
				 (unsigned long long)n);
		if (r->len != got.len || r->number != got.number || r->sum != checksum(&got) ||
		    r->calls == 0 || !r->ctx_ok)
			fail_msg("jobs %d%s: the record of line %llu is not that line's", jobs,
				 gzip ? " gzip" : "", (unsigned long long)n);
	}
	assert_false(par_lines_next(p, &got, &rec));
	assert_false(par_lines_next(p, &got, &rec)); /* stays at the end */
	assert_false(par_lines_error(p));
	assert_int_equal(par_lines_max_line(p), 4096);
	assert_true(n > 20000); /* several blocks' worth */
	par_lines_free(p);
	lines_fini(&ls);
	io_reader_close(&a);
	io_reader_close(&b);
}

static void test_lines_come_back_in_order_with_their_own_records(void **state)
{
	(void)state;
	struct buf input;
	make_input(&input, 5 * PAR_LINES_BLOCK + 12345, 1);
	static const int jobs[] = {1, 2, 3, 8};
	for (int gzip = 0; gzip <= 1; gzip++) {
		write_input(&input, gzip);
		for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++)
			check_against_lines(gzip, jobs[j]);
	}
	buf_fini(&input);
}

/* An input smaller than a block, and an empty one, give the same lines without threads. */
static void test_small_and_empty_inputs(void **state)
{
	(void)state;
	struct buf input;
	buf_init(&input);
	buf_puts(&input, "a\r\n\nb");
	write_input(&input, false);
	struct io_reader r;
	assert_true(io_reader_open(&r, infile.path));
	struct par_lines *p = par_lines_new(&r, 0, 4, prepare, &infile, sizeof(struct rec),
					    sizeof(unsigned));
	struct line l;
	const void *rec;
	assert_true(par_lines_next(p, &l, &rec));
	assert_string_equal(l.text, "a");
	assert_true(par_lines_next(p, &l, &rec));
	assert_string_equal(l.text, "");
	assert_int_equal(l.number, 2);
	assert_true(par_lines_next(p, &l, &rec));
	assert_string_equal(l.text, "b");
	assert_int_equal(((const struct rec *)rec)->number, 3);
	assert_false(par_lines_next(p, &l, &rec));
	par_lines_free(p);
	io_reader_close(&r);

	buf_clear(&input);
	write_input(&input, false);
	assert_true(io_reader_open(&r, infile.path));
	p = par_lines_new(&r, 0, 4, prepare, &infile, sizeof(struct rec), sizeof(unsigned));
	assert_false(par_lines_next(p, &l, &rec));
	par_lines_free(p);
	io_reader_close(&r);
	buf_fini(&input);
}

/* Stopping after a few lines, while workers are still reading ahead, ends cleanly. */
static void test_stopping_early_with_workers_running(void **state)
{
	(void)state;
	struct buf input;
	make_input(&input, 8 * PAR_LINES_BLOCK, 2);
	write_input(&input, false);
	for (int stop_after = 0; stop_after < 3; stop_after++) {
		struct io_reader r;
		assert_true(io_reader_open(&r, infile.path));
		struct par_lines *p = par_lines_new(&r, 4096, 2, prepare, &infile,
						    sizeof(struct rec), sizeof(unsigned));
		struct line l;
		const void *rec;
		/* past the first block (the workers start there), then stop */
		size_t lines = stop_after == 0 ? 1 : (size_t)stop_after * 20000;
		for (size_t i = 0; i < lines; i++)
			assert_true(par_lines_next(p, &l, &rec));
		assert_int_equal(l.number, lines);
		par_lines_free(p);
		io_reader_close(&r);
	}
	buf_fini(&input);
}

/* A gzip input cut short: the lines before the cut, then the read error, as lines_next. */
static void test_read_error_ends_the_input(void **state)
{
	(void)state;
	struct buf input;
	make_input(&input, 3 * PAR_LINES_BLOCK, 3);
	write_input(&input, true);
	FILE *f = fopen(infile.path, "rb+");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long size = ftell(f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(truncate(infile.path, size / 2), 0);

	struct io_reader a, b;
	assert_true(io_reader_open(&a, infile.path));
	assert_true(io_reader_open(&b, infile.path));
	struct lines ls;
	lines_init(&ls, &a, 4096);
	struct par_lines *p = par_lines_new(&b, 4096, 2, prepare, &infile, sizeof(struct rec),
					    sizeof(unsigned));
	struct line want, got;
	const void *rec;
	uint64_t n = 0;
	while (lines_next(&ls, &want)) {
		assert_true(par_lines_next(p, &got, &rec));
		assert_int_equal(got.number, want.number);
		n++;
	}
	assert_true(ls.error);
	assert_true(n > 1000);
	assert_false(par_lines_next(p, &got, &rec));
	assert_true(par_lines_error(p));
	par_lines_free(p);
	lines_fini(&ls);
	io_reader_close(&a);
	io_reader_close(&b);
	buf_fini(&input);
}

/* Reads the whole input with jobs (0: the default); returns how many workers it started. */
static int workers_for(int jobs, bool gzip, const struct buf *input)
{
	write_input(input, gzip);
	struct io_reader r;
	assert_true(io_reader_open(&r, infile.path));
	struct par_lines *p = par_lines_new(&r, 4096, jobs, prepare, &infile, sizeof(struct rec),
					    sizeof(unsigned));
	struct line l;
	const void *rec;
	size_t n = 0;
	while (par_lines_next(p, &l, &rec))
		n++;
	assert_true(n > 1000);
	int workers = par_lines_workers(p);
	par_lines_free(p);
	io_reader_close(&r);
	return workers;
}

/*
 * The default (jobs 0) reads a plain file with less than 24 MiB after its first block on the
 * calling thread alone, and a larger one, or gzip data (whose size is not known), with one
 * worker per processor; an explicit number is always obeyed.
 */
static void test_default_jobs_skip_threads_on_a_small_plain_file(void **state)
{
	(void)state;
	int cores = par_lines_default_jobs();
	int many = cores > 1 ? cores : 0;
	struct buf input;
	make_input(&input, 3 * PAR_LINES_BLOCK, 3);
	assert_int_equal(workers_for(0, false, &input), 0);
	assert_int_equal(workers_for(2, false, &input), 2);
	assert_int_equal(workers_for(0, true, &input), many);
	buf_fini(&input);
	make_input(&input, 26 * PAR_LINES_BLOCK, 4);
	assert_int_equal(workers_for(0, false, &input), many);
	buf_fini(&input);
}

static void test_default_jobs_is_at_least_one(void **state)
{
	(void)state;
	int jobs = par_lines_default_jobs();
	assert_true(jobs >= 1 && jobs <= 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines_come_back_in_order_with_their_own_records),
	    cmocka_unit_test(test_small_and_empty_inputs),
	    cmocka_unit_test(test_stopping_early_with_workers_running),
	    cmocka_unit_test(test_read_error_ends_the_input),
	    cmocka_unit_test(test_default_jobs_skip_threads_on_a_small_plain_file),
	    cmocka_unit_test(test_default_jobs_is_at_least_one),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
