/*
 * test_io.c - reading plain and gzip inputs through one path, peeking, size caps, errors,
 * standard input and output, atomic writes, the diagnosed open/read/write path every file goes
 * through, and the path helpers (util/path.c). Every test works in its own mkdtemp directory
 * under $TMPDIR (or /tmp), which teardown removes even when the test fails; gzip files are
 * written by the test itself with zlib's gzopen/gzwrite.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "test_support.h"
#include "util/diag.h"
#include "util/io.h"
#include "util/path.h"
#include "util/util.h"
#include "util/util_test.h"

static char dir[512];

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/test_io.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

/* Removes path and everything under it. */
static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *p = xasprintf("%s/%s", path, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(dir);
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
	assert_int_equal(fclose(f), 0);
}

/* Writes data as one gzip member, appended to the file (a second member) when append. */
static void write_gzip(const char *path, const char *data, size_t len, bool append)
{
	gzFile g = gzopen(path, append ? "ab" : "wb");
	assert_non_null(g);
	if (len)
		assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
	assert_int_equal(gzclose(g), Z_OK);
}

static char *read_file_bytes(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b;
	buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_take(&b);
}

/* Text that compresses, but not to nothing: varied digits on every line. */
static char *sample_text(size_t len)
{
	char *s = xmalloc(len + 1);
	uint64_t seed = 7;
	for (size_t i = 0; i < len; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		s[i] = i % 41 == 40 ? '\n' : (char)('0' + (seed >> 60) % 10);
	}
	s[len] = '\0';
	return s;
}

/* Opens path and reads it all; error receives the reader's message. */
static bool read_all(const char *path, struct buf *out, size_t cap, char error[256],
		     bool *compressed)
{
	struct io_reader r;
	bool ok = io_reader_open(&r, path) && io_reader_read_all(&r, out, cap);
	snprintf(error, 256, "%s", r.error);
	if (compressed)
		*compressed = r.compressed;
	io_reader_close(&r);
	return ok;
}

static int count_entries(const char *path)
{
	int n = 0;
	DIR *d = opendir(path);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* One row per file shape: what is written, and whether the reader must call it gzip. */
static void test_plain_gzip_and_two_member_gzip_read_the_same_bytes(void **state)
{
	(void)state;
	size_t len = 700000;
	char *text = sample_text(len);
	static const struct {
		const char *name;
		int members; /* 0 = plain file */
		size_t len;  /* bytes of sample text in the file */
	} rows[] = {
		{"plain.txt", 0, 700000}, {"one.gz", 1, 700000}, {"two.gz", 2, 700000},
		{"empty.txt", 0, 0},      {"empty.gz", 1, 0},    {"tiny.txt", 0, 2},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *path = path_of(rows[i].name);
		size_t n = rows[i].len;
		if (rows[i].members == 0)
			write_file(path, text, n);
		else if (rows[i].members == 1)
			write_gzip(path, text, n, false);
		else {
			write_gzip(path, text, n / 3, false);
			write_gzip(path, text + n / 3, n - n / 3, true);
		}
		struct buf b;
		buf_init(&b);
		char error[256];
		bool compressed;
		if (!read_all(path, &b, SIZE_MAX, error, &compressed))
			fail_msg("row %zu '%s': read failed: %s", i, rows[i].name, error);
		if (b.len != n || memcmp(b.data, text, n) != 0)
			fail_msg("row %zu '%s': read %zu bytes, expected the %zu written", i,
				 rows[i].name, b.len, n);
		if (compressed != (rows[i].members > 0))
			fail_msg("row %zu '%s': compressed is %d", i, rows[i].name, compressed);
		assert_int_equal(b.data[b.len], '\0');
		buf_fini(&b);
		free(path);
	}
	free(text);
}

/*
 * A regular file without gzip's two magic bytes is read directly (no zlib): a file that starts
 * with the first magic byte only, or holds just that byte, still reads back exactly.
 */
static void test_plain_files_near_the_gzip_magic_read_exactly(void **state)
{
	(void)state;
	static const struct {
		const char *name, *text;
		size_t len;
	} rows[] = {{"one-byte.txt", "\x1f", 1}, {"half-magic.txt", "\x1f" "A line\n", 8},
		    {"nul.txt", "a\0b\n", 4}};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *path = path_of(rows[i].name);
		write_file(path, rows[i].text, rows[i].len);
		struct buf b;
		buf_init(&b);
		char error[256];
		bool compressed = true;
		if (!read_all(path, &b, SIZE_MAX, error, &compressed))
			fail_msg("'%s': read failed: %s", rows[i].name, error);
		assert_int_equal(b.len, rows[i].len);
		assert_memory_equal(b.data, rows[i].text, rows[i].len);
		assert_false(compressed);
		buf_fini(&b);
		free(path);
	}
}

static void test_read_all_appends_to_what_the_buffer_holds(void **state)
{
	(void)state;
	char *path = path_of("a.txt");
	write_file(path, "world", 5);
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "hello ");
	char error[256];
	assert_true(read_all(path, &b, 5, error, NULL)); /* the cap counts this input only */
	assert_string_equal(b.data, "hello world");
	buf_fini(&b);
	free(path);
}

static void test_peek_then_read_returns_every_byte_once(void **state)
{
	(void)state;
	size_t len = 100000;
	char *text = sample_text(len);
	char *plain = path_of("peek.txt"), *gz = path_of("peek.gz");
	write_file(plain, text, len);
	write_gzip(gz, text, len, false);
	const char *paths[] = {plain, gz};
	for (int i = 0; i < 2; i++) {
		struct io_reader r;
		assert_true(io_reader_open(&r, paths[i]));
		const char *p;
		assert_int_equal(io_reader_peek(&r, 10, &p), 10);
		assert_memory_equal(p, text, 10);
		assert_int_equal(io_reader_peek(&r, 5000, &p), 5000); /* a larger peek */
		assert_memory_equal(p, text, 5000);
		assert_int_equal(io_reader_peek(&r, 3, &p), 3); /* a smaller one */
		assert_memory_equal(p, text, 3);
		struct buf b;
		buf_init(&b);
		char small[7];
		assert_int_equal(io_reader_read(&r, small, sizeof small), 7);
		buf_append(&b, small, sizeof small);
		/* peeking again after a read starts at the first byte not yet read */
		assert_int_equal(io_reader_peek(&r, 6000, &p), 6000);
		assert_memory_equal(p, text + 7, 6000);
		/* a read across the end of the peeked bytes is not short */
		char *middle = xmalloc(10000);
		assert_int_equal(io_reader_read(&r, middle, 10000), 10000);
		buf_append(&b, middle, 10000);
		free(middle);
		assert_true(io_reader_read_all(&r, &b, SIZE_MAX));
		assert_int_equal(b.len, len);
		assert_memory_equal(b.data, text, len);
		/* at the end, peeks and reads find nothing, without error */
		assert_int_equal(io_reader_peek(&r, 10, &p), 0);
		assert_int_equal(io_reader_read(&r, small, sizeof small), 0);
		assert_string_equal(r.error, "");
		buf_fini(&b);
		io_reader_close(&r);
	}
	free(text);
	free(plain);
	free(gz);
}

static void test_peek_past_the_end_returns_the_whole_input(void **state)
{
	(void)state;
	char *path = path_of("short.gz");
	write_gzip(path, "{\"a\":1}", 7, false);
	struct io_reader r;
	assert_true(io_reader_open(&r, path));
	const char *p;
	assert_int_equal(io_reader_peek(&r, 4096, &p), 7);
	assert_memory_equal(p, "{\"a\":1}", 7);
	assert_true(r.compressed);
	struct buf b;
	buf_init(&b);
	assert_true(io_reader_read_all(&r, &b, SIZE_MAX));
	assert_string_equal(b.data, "{\"a\":1}");
	buf_fini(&b);
	io_reader_close(&r);
	free(path);
}

static void test_missing_file_reports_the_reason(void **state)
{
	(void)state;
	struct io_reader r;
	char *missing = path_of("nope.json");
	assert_false(io_reader_open(&r, missing));
	assert_non_null(strstr(r.error, strerror(ENOENT)));
	io_reader_close(&r);
	io_reader_close(&r); /* closing twice is harmless */
	free(missing);
}

/* Cut gzip files and damaged gzip data must fail, never pass for a shorter input. */
static void test_truncated_or_corrupt_gzip_is_a_read_error(void **state)
{
	(void)state;
	size_t len = 200000;
	char *text = sample_text(len);
	char *gz = path_of("full.gz");
	write_gzip(gz, text, len, false);
	size_t gz_len;
	char *bytes = read_file_bytes(gz, &gz_len);
	static const struct {
		const char *name;
		int damage; /* 0 = keep `keep` of 1000 parts; 1 = flip a byte in the middle */
		size_t keep;
	} rows[] = {
		{"half.gz", 0, 500},
		{"no-trailer.gz", 0, 999}, /* all data, the CRC and length missing */
		{"header-only.gz", 0, 5},
		{"flipped.gz", 1, 0},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *path = path_of(rows[i].name);
		if (rows[i].damage == 0) {
			size_t n = rows[i].keep == 999 ? gz_len - 8 : gz_len * rows[i].keep / 1000;
			write_file(path, bytes, n);
		} else {
			char *copy = xmalloc(gz_len);
			memcpy(copy, bytes, gz_len);
			copy[gz_len / 2] ^= 0x55;
			write_file(path, copy, gz_len);
			free(copy);
		}
		struct buf b;
		buf_init(&b);
		char error[256];
		if (read_all(path, &b, SIZE_MAX, error, NULL))
			fail_msg("row %zu '%s': read %zu bytes without error", i, rows[i].name,
				 b.len);
		if (strlen(error) == 0 || strstr(error, "<fd:"))
			fail_msg("row %zu '%s': message '%s'", i, rows[i].name, error);
		if (b.len != 0)
			fail_msg("row %zu '%s': %zu bytes left in the buffer", i, rows[i].name,
				 b.len);
		buf_fini(&b);
		free(path);
	}
	/* the message for a cut file says so */
	char *half = path_of("half.gz");
	struct buf b;
	buf_init(&b);
	char error[256];
	assert_false(read_all(half, &b, SIZE_MAX, error, NULL));
	assert_non_null(strstr(error, "unexpected end of file"));
	buf_fini(&b);
	free(half);
	free(bytes);
	free(text);
	free(gz);
}

static void test_read_all_over_the_cap_fails_and_leaves_the_buffer(void **state)
{
	(void)state;
	char *plain = path_of("big.txt"), *gz = path_of("big.gz");
	char *text = sample_text(5000);
	write_file(plain, text, 5000);
	write_gzip(gz, text, 5000, false); /* the cap counts decompressed bytes */
	const char *paths[] = {plain, gz};
	for (int i = 0; i < 2; i++) {
		struct buf b;
		buf_init(&b);
		buf_puts(&b, "kept");
		char error[256];
		assert_false(read_all(paths[i], &b, 4999, error, NULL));
		assert_non_null(strstr(error, "larger than 4999 bytes"));
		assert_string_equal(b.data, "kept");
		buf_clear(&b);
		assert_true(read_all(paths[i], &b, 5000, error, NULL));
		assert_int_equal(b.len, 5000);
		buf_fini(&b);
	}
	free(text);
	free(plain);
	free(gz);
}

/* "-" reads standard input (gzip too) and leaves fd 0 open after close. */
static void test_dash_reads_stdin_and_keeps_it_open(void **state)
{
	(void)state;
	char *gz = path_of("stdin.gz");
	write_gzip(gz, "from stdin\n", 11, false);
	int saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	int fd = open(gz, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	struct buf b;
	buf_init(&b);
	char error[256];
	bool compressed = false;
	bool ok = read_all("-", &b, SIZE_MAX, error, &compressed);
	bool stdin_open = fcntl(STDIN_FILENO, F_GETFD) != -1;
	dup2(saved, STDIN_FILENO);
	close(saved);
	assert_true(ok);
	assert_true(stdin_open);
	assert_true(compressed);
	assert_string_equal(b.data, "from stdin\n");
	buf_fini(&b);
	free(gz);
}

static void test_atomic_write_creates_and_replaces_with_exact_contents(void **state)
{
	(void)state;
	char *target = path_of("out.json");
	char error[256];
	static const char binary[] = {'a', '\0', 'b', '\n', '\xff'};
	assert_true(io_write_atomic(target, "first version, longer", 21, error));
	assert_string_equal(error, "");
	size_t len;
	char *got = read_file_bytes(target, &len);
	assert_int_equal(len, 21);
	assert_memory_equal(got, "first version, longer", 21);
	free(got);
	assert_true(io_write_atomic(target, binary, sizeof binary, error));
	got = read_file_bytes(target, &len);
	assert_int_equal(len, sizeof binary);
	assert_memory_equal(got, binary, sizeof binary);
	free(got);
	assert_true(io_write_atomic(target, "", 0, error));
	got = read_file_bytes(target, &len);
	assert_int_equal(len, 0);
	free(got);
	assert_int_equal(count_entries(dir), 1); /* the target, and no temporary file */
	free(target);
}

/* Failures: no directory (open fails), target is a directory (rename fails late). */
static void test_atomic_write_fails_cleanly(void **state)
{
	(void)state;
	char error[256];
	char *missing_dir = path_of("no-such-dir/out.json");
	assert_false(io_write_atomic(missing_dir, "x", 1, error));
	assert_non_null(strstr(error, strerror(ENOENT)));
	assert_int_equal(count_entries(dir), 0);

	char *sub = path_of("taken");
	assert_int_equal(mkdir(sub, 0700), 0);
	error[0] = '\0';
	assert_false(io_write_atomic(sub, "x", 1, error));
	assert_true(strlen(error) > 0);
	assert_int_equal(count_entries(dir), 1); /* "taken" only: the temporary file is gone */
	assert_int_equal(count_entries(sub), 0);
	free(sub);
	free(missing_dir);
}

/* A stale "<path>.tmp.<pid>" (a crashed run that had our pid) does not block the write. */
static void test_atomic_write_replaces_a_stale_temporary_file(void **state)
{
	(void)state;
	char *target = path_of("report.md");
	char *stale = xasprintf("%s.tmp.%ld", target, (long)getpid());
	write_file(stale, "stale", 5);
	char error[256];
	assert_true(io_write_atomic(target, "fresh", 5, error));
	size_t len;
	char *got = read_file_bytes(target, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(got, "fresh", 5);
	assert_int_equal(count_entries(dir), 1);
	free(got);
	free(stale);
	free(target);
}

static void test_atomic_write_of_dash_goes_to_stdout(void **state)
{
	(void)state;
	char *capture = path_of("stdout.txt");
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	int fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	char error[256];
	bool ok = io_write_atomic("-", "to stdout\n", 10, error);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_true(ok);
	size_t len;
	char *got = read_file_bytes(capture, &len);
	assert_int_equal(len, 10);
	assert_memory_equal(got, "to stdout\n", 10);
	assert_int_equal(count_entries(dir), 1); /* no "-.tmp.<pid>" anywhere near */
	free(got);
	free(capture);
}

/* Runs one diagnosed call's diagnostics into a string (owned by the caller). */
struct captured {
	struct diag d;
	FILE *f;
	char *text;
	size_t len;
};

static void capture_start(struct captured *c)
{
	c->text = NULL;
	c->len = 0;
	c->f = memory_diag(&c->d, &c->text, &c->len);
}

static void capture_end(struct captured *c)
{
	fclose(c->f);
}

/* Every failure names the file, says open or read, and names what the file was for. */
static void test_read_file_diagnoses_open_and_read_failures(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out);
	char *missing = path_of("missing.json");
	struct captured c;
	capture_start(&c);
	assert_false(io_read_file(missing, "budget file", 100, NULL, &out, &c.d));
	capture_end(&c);
	char *expected = xasprintf("%s: error: cannot open budget file: %s\n", missing,
				   strerror(ENOENT));
	assert_string_equal(c.text, expected);
	assert_int_equal(c.d.errors, 1);
	free(expected);
	free(c.text);

	/* over the cap: a read error, and the buffer as it was */
	char *big = path_of("big.txt");
	write_file(big, "0123456789", 10);
	struct diag_loc at = {.file = "template.md", .line = 3, .column = 5};
	capture_start(&c);
	assert_false(io_read_file(big, "partial 'row'", 4, &at, &out, &c.d));
	capture_end(&c);
	assert_non_null(strstr(c.text, "template.md:3:5: error: cannot read partial 'row': "));
	assert_int_equal(out.len, 0);
	free(c.text);

	capture_start(&c);
	assert_true(io_read_file(big, "input", 100, NULL, &out, &c.d));
	capture_end(&c);
	assert_int_equal(c.len, 0);
	assert_int_equal(out.len, 10);
	assert_memory_equal(out.data, "0123456789", 10);
	free(c.text);
	buf_fini(&out);
	free(big);
	free(missing);
}

static void test_write_output_diagnoses_and_leaves_no_file(void **state)
{
	(void)state;
	struct buf bytes;
	buf_init(&bytes);
	buf_puts(&bytes, "<xml/>");
	char *target = path_of("no-such-dir/junit.xml");
	struct captured c;
	capture_start(&c);
	assert_false(io_write_output(target, &bytes, "the JUnit report", &c.d));
	capture_end(&c);
	char *expected = xasprintf("%s: error: cannot write the JUnit report: %s\n", target,
				   strerror(ENOENT));
	assert_string_equal(c.text, expected);
	assert_int_equal(count_entries(dir), 0);
	free(expected);
	free(c.text);

	char *good = path_of("junit.xml");
	capture_start(&c);
	assert_true(io_write_output(good, &bytes, "the JUnit report", &c.d));
	capture_end(&c);
	size_t len;
	char *got = read_file_bytes(good, &len);
	assert_int_equal(len, bytes.len);
	assert_memory_equal(got, bytes.data, len);
	free(got);
	free(c.text);
	free(good);
	free(target);
	buf_fini(&bytes);
}

static void test_dir_of_and_relative_paths(void **state)
{
	(void)state;
	static const struct {
		const char *path, *dir;
	} dirs[] = {{"report.md", "."}, {"out/report.md", "out"}, {"/report.md", "/"},
		    {"a/b/c.md", "a/b"}};
	for (size_t i = 0; i < PG_ARRAY_LEN(dirs); i++) {
		char *got = path_dir_of(dirs[i].path);
		assert_string_equal(got, dirs[i].dir);
		free(got);
	}
	/* dir/out, dir/out/charts, dir/docs: the links a report in each would use */
	char *out = path_of("out"), *charts = path_of("out/charts"), *docs = path_of("docs");
	struct captured c;
	capture_start(&c);
	assert_true(path_make_dirs(charts, &c.d));
	assert_true(path_make_dirs(docs, &c.d));
	assert_true(path_make_dirs(charts, &c.d)); /* already there: fine */
	capture_end(&c);
	assert_int_equal(c.d.errors, 0);
	free(c.text);
	static const struct {
		int from; /* 0: out, 1: out/charts, 2: docs */
		const char *expected;
	} links[] = {{0, "charts/s.svg"}, {1, "s.svg"}, {2, "../out/charts/s.svg"}};
	const char *froms[] = {out, charts, docs};
	for (size_t i = 0; i < PG_ARRAY_LEN(links); i++) {
		char *got = path_relative_to(charts, "s.svg", froms[links[i].from]);
		assert_non_null(got);
		assert_string_equal(got, links[i].expected);
		free(got);
	}
	assert_null(path_relative_to(charts, "s.svg", "/no/such/dir/at/all"));
	char *file = path_of("out/report.md");
	write_file(file, "#", 1);
	assert_true(path_is_file(file));
	assert_false(path_is_file(charts)); /* a directory */
	free(file);
	free(out);
	free(charts);
	free(docs);
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_plain_gzip_and_two_member_gzip_read_the_same_bytes),
		TEST(test_plain_files_near_the_gzip_magic_read_exactly),
		TEST(test_read_all_appends_to_what_the_buffer_holds),
		TEST(test_peek_then_read_returns_every_byte_once),
		TEST(test_peek_past_the_end_returns_the_whole_input),
		TEST(test_missing_file_reports_the_reason),
		TEST(test_truncated_or_corrupt_gzip_is_a_read_error),
		TEST(test_read_all_over_the_cap_fails_and_leaves_the_buffer),
		TEST(test_dash_reads_stdin_and_keeps_it_open),
		TEST(test_atomic_write_creates_and_replaces_with_exact_contents),
		TEST(test_atomic_write_fails_cleanly),
		TEST(test_atomic_write_replaces_a_stale_temporary_file),
		TEST(test_atomic_write_of_dash_goes_to_stdout),
		TEST(test_read_file_diagnoses_open_and_read_failures),
		TEST(test_write_output_diagnoses_and_leaves_no_file),
		TEST(test_dir_of_and_relative_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
