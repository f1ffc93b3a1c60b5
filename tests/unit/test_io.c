/*
 * test_io.c - reading plain and gzip inputs through one path, peeking, size caps, errors,
 * standard input and output, atomic writes, the diagnosed open/read/write path every file goes
 * through, and the path helpers (util/path.c). Every test works in its own mkdtemp directory
 * under $TMPDIR (or /tmp), which teardown removes even when the test fails; gzip files are
 * written by the test itself with zlib (gzopen/gzwrite, or deflate for exact members).
 * The decompressor (util/gunzip.c) is tested with each inflater built in (ISA-L and zlib, or
 * zlib alone), at tiny buffer sizes that put every boundary at every byte, against zlib's own
 * gzread as the reference for what a cut or damaged file yields.
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
#include <sys/wait.h>
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
	gunzip_test_sizes(0, 0);
	gunzip_test_zlib_only(false);
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

/* ---- the decompressor: members, boundaries, cuts and damage, with each inflater ---- */

/* How many inflaters are built in: 2 (ISA-L, then zlib) or 1 (zlib). */
static int inflater_count(void)
{
	return gunzip_test_zlib_only(false) ? 2 : 1;
}

/* Makes decompressors started from now on use inflater i of inflater_count(); returns its name. */
static const char *use_inflater(int i)
{
	gunzip_test_zlib_only(i == 1);
	return i == 0 && inflater_count() == 2 ? "ISA-L" : "zlib";
}

/*
 * Appends data as one gzip member made with zlib's deflate at level (0: stored blocks);
 * `fields` adds an extra field, a name, a comment and a header CRC.
 */
static void append_gzip_member(struct buf *out, const char *data, size_t len, int level,
			       bool fields)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	gz_header header;
	memset(&header, 0, sizeof header);
	if (fields) {
		header.extra = (Bytef *)"AB\x04\x00" "data"; /* one subfield "AB" of 4 bytes */
		header.extra_len = 8;
		header.name = (Bytef *)"out.json";
		header.comment = (Bytef *)"made by test_io";
		header.hcrc = 1;
		assert_int_equal(deflateSetHeader(&z, &header), Z_OK);
	}
	size_t room = deflateBound(&z, (uLong)len) + 64;
	unsigned char *member = xmalloc(room);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = member;
	z.avail_out = (uInt)room;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	buf_append(out, member, room - z.avail_out);
	assert_int_equal(deflateEnd(&z), Z_OK);
	free(member);
}

/* What a reader made of a file: every byte it returned, and how it ended. */
struct outcome {
	struct buf bytes;  /* all bytes returned, those before an error included */
	char error[256];   /* r->error when a read failed, "" at a clean end */
	bool truncated;    /* r->truncated */
	bool compressed;   /* r->compressed */
};

/* Whether b holds exactly len bytes equal to expected (memcmp may not see NULL, even for 0). */
static bool same_bytes(const struct buf *b, const char *expected, size_t len)
{
	return b->len == len && (len == 0 || memcmp(b->data, expected, len) == 0);
}

static void read_outcome(const char *path, struct outcome *o)
{
	buf_init(&o->bytes);
	struct io_reader r;
	assert_true(io_reader_open(&r, path));
	char chunk[3001];
	long n;
	while ((n = io_reader_read(&r, chunk, sizeof chunk)) > 0)
		buf_append(&o->bytes, chunk, (size_t)n);
	snprintf(o->error, sizeof o->error, "%s", n < 0 ? r.error : "");
	o->truncated = r.truncated;
	o->compressed = r.compressed;
	io_reader_close(&r);
}

/*
 * zlib's gzread on the same file, the reader perfgate used before its decompressor thread:
 * the reference for what a file yields. Returns whether it read to a clean end.
 */
static bool gzread_reference(const char *path, struct buf *out)
{
	buf_init(out);
	gzFile g = gzopen(path, "rb");
	assert_non_null(g);
	char chunk[4096];
	int n, code;
	while ((n = gzread(g, chunk, sizeof chunk)) > 0)
		buf_append(out, chunk, (size_t)n);
	gzerror(g, &code);
	bool ok = n == 0 && (code == Z_OK || code == Z_STREAM_END);
	gzclose(g);
	return ok;
}

/*
 * Three members (the second with every optional header field, the third empty) read at read
 * and slot sizes that put each boundary everywhere: one byte per read (every header byte in a
 * read of its own), the next member's magic bytes split across two reads or starting one, a
 * member's output ending one byte before, at or after a slot's end.
 */
static void test_gzip_members_read_whole_at_every_buffer_boundary(void **state)
{
	(void)state;
	size_t len = 30000, first = 12345; /* first: the bytes of text in member 1 */
	char *text = sample_text(len);
	struct buf gz;
	buf_init(&gz);
	append_gzip_member(&gz, text, first, 6, false);
	size_t member1 = gz.len;
	append_gzip_member(&gz, text + first, len - first, 9, true);
	append_gzip_member(&gz, "", 0, 6, false);
	char *path = path_of("three.gz");
	write_file(path, gz.data, gz.len);
	const struct {
		size_t read_size, slot_size; /* 0: the default */
	} rows[] = {
		{1, 1},       {1, 4096},        {2, 3},           {7, 1000},
		{member1 - 1, first}, {member1, first}, {member1 + 1, first - 1},
		{member1 + 2, first + 1}, {member1, 1}, {0, 0},
	};
	for (int f = 0; f < inflater_count(); f++) {
		const char *name = use_inflater(f);
		for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
			gunzip_test_sizes(rows[i].read_size, rows[i].slot_size);
			struct outcome o;
			read_outcome(path, &o);
			if (o.error[0] || !same_bytes(&o.bytes, text, len))
				fail_msg("%s, row %zu (reads of %zu, slots of %zu): %zu bytes, "
					 "error '%s'", name, i, rows[i].read_size,
					 rows[i].slot_size, o.bytes.len, o.error);
			assert_true(o.compressed);
			buf_fini(&o.bytes);
		}
	}
	free(path);
	buf_fini(&gz);
	free(text);
}

/*
 * A two-member file cut after every byte reads as zlib's gzread reads it: the first member
 * alone (also followed by one lone 1f byte) is a whole input, nothing at all or a lone 1f is a
 * plain file, and any other cut is "unexpected end of file" with r->truncated, after the bytes
 * that could be inflated, which are exactly gzread's.
 */
static void test_gzip_cut_at_every_byte_reads_as_gzread_does(void **state)
{
	(void)state;
	size_t len = 3000;
	char *text = sample_text(len);
	struct buf gz;
	buf_init(&gz);
	append_gzip_member(&gz, text, len / 2, 6, false);
	append_gzip_member(&gz, text + len / 2, len - len / 2, 6, true);
	char *path = path_of("cut.gz");
	for (size_t cut = 0; cut < gz.len; cut++) {
		write_file(path, gz.data, cut);
		struct buf reference;
		bool whole = gzread_reference(path, &reference);
		for (int f = 0; f < inflater_count(); f++) {
			const char *name = use_inflater(f);
			gunzip_test_sizes(cut % 2 ? 5 : 0, cut % 2 ? 7 : 0);
			struct outcome o;
			read_outcome(path, &o);
			const char *expected = whole ? "" : "unexpected end of file (gzip data)";
			if (strcmp(o.error, expected) != 0 || o.truncated != !whole)
				fail_msg("%s, cut at %zu of %zu: error '%s', truncated %d", name,
					 cut, gz.len, o.error, o.truncated);
			if (!same_bytes(&o.bytes, reference.data, reference.len))
				fail_msg("%s, cut at %zu: %zu bytes, gzread made %zu", name, cut,
					 o.bytes.len, reference.len);
			buf_fini(&o.bytes);
		}
		buf_fini(&reference);
	}
	free(path);
	buf_fini(&gz);
	free(text);
}

/*
 * Damaged gzip data fails with the same words whichever library inflates it, and gzread
 * rejects each file too: one row per kind of damage, at a known byte.
 */
static void test_damaged_gzip_is_worded_the_same_by_each_inflater(void **state)
{
	(void)state;
	static const char header[] = "invalid gzip header (gzip data)";
	static const char data[] = "invalid compressed data (gzip data)";
	static const char check[] = "incorrect data check (gzip data)";
	static const struct {
		const char *name;
		int level;        /* 0: stored blocks, whose bytes are known */
		bool fields;      /* the header has a name (at byte 20) and a header CRC */
		long at;          /* the byte changed; negative: from the end */
		unsigned char xor;
		const char *append; /* bytes added after the member, or NULL */
		const char *message;
	} rows[] = {
		{"method 7, not deflate", 6, false, 2, 0x08 ^ 0x07, NULL, header},
		{"a reserved flag bit", 6, false, 3, 0x20, NULL, header},
		{"name changed under its header CRC", 6, true, 20, 0x01, NULL, header},
		{"block type 3", 0, false, 10, 0x01 ^ 0x07, NULL, data},
		{"stored length not matching its complement", 0, false, 11, 0xff, NULL, data},
		{"CRC-32 in the trailer", 6, false, -8, 0x01, NULL, check},
		{"length in the trailer", 6, false, -1, 0x01, NULL, check},
		{"magic bytes after the member, then no gzip header", 6, false, 0, 0,
		 "\x1f\x8bXXXXXXXXXXXXXXXXXXXX", header},
	};
	size_t len = 5000;
	char *text = sample_text(len);
	char *path = path_of("damaged.gz");
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct buf gz;
		buf_init(&gz);
		append_gzip_member(&gz, text, len, rows[i].level, rows[i].fields);
		size_t at = rows[i].at < 0 ? gz.len - (size_t)-rows[i].at : (size_t)rows[i].at;
		gz.data[at] ^= (char)rows[i].xor;
		if (rows[i].append)
			buf_puts(&gz, rows[i].append);
		write_file(path, gz.data, gz.len);
		struct buf reference;
		if (gzread_reference(path, &reference))
			fail_msg("row %zu '%s': gzread read it without error", i, rows[i].name);
		buf_fini(&reference);
		for (int f = 0; f < inflater_count(); f++) {
			const char *name = use_inflater(f);
			struct outcome o;
			read_outcome(path, &o);
			if (strcmp(o.error, rows[i].message) != 0 || o.truncated)
				fail_msg("%s, row %zu '%s': error '%s', truncated %d", name, i,
					 rows[i].name, o.error, o.truncated);
			buf_fini(&o.bytes);
		}
		buf_fini(&gz);
	}
	free(path);
	free(text);
}

/* Bytes after the last member that do not start another are ignored, as gzread does. */
static void test_bytes_after_the_last_member_are_ignored_as_gzread_does(void **state)
{
	(void)state;
	static const struct {
		const char *name, *tail;
		size_t tail_len;
	} rows[] = {
		{"text", "garbage\n", 8},
		{"zero padding", "\0\0\0\0\0\0\0\0", 8},
		{"a lone first magic byte", "\x1f", 1},
		{"the first magic byte, then text", "\x1fxyz", 4},
	};
	char *text = sample_text(2000);
	char *path = path_of("tail.gz");
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct buf gz;
		buf_init(&gz);
		append_gzip_member(&gz, text, 2000, 6, false);
		buf_append(&gz, rows[i].tail, rows[i].tail_len);
		write_file(path, gz.data, gz.len);
		struct buf reference;
		assert_true(gzread_reference(path, &reference));
		assert_int_equal(reference.len, 2000);
		for (int f = 0; f < inflater_count(); f++) {
			const char *name = use_inflater(f);
			struct outcome o;
			read_outcome(path, &o);
			if (o.error[0] || !same_bytes(&o.bytes, text, 2000))
				fail_msg("%s, row %zu '%s': %zu bytes, error '%s'", name, i,
					 rows[i].name, o.bytes.len, o.error);
			buf_fini(&o.bytes);
		}
		buf_fini(&reference);
		buf_fini(&gz);
	}
	free(path);
	free(text);
}

/*
 * Makes standard input the read end of a pipe that a child process fills with data and then
 * closes; returns the descriptor that holds the real standard input, for restore_stdin.
 */
static int stdin_from_child(const char *data, size_t len)
{
	int saved = dup(STDIN_FILENO);
	int p[2];
	assert_true(saved >= 0);
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(p[0]);
		while (len) {
			ssize_t n = write(p[1], data, len);
			if (n <= 0)
				_exit(1);
			data += n;
			len -= (size_t)n;
		}
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	return saved;
}

static void restore_stdin(int saved)
{
	dup2(saved, STDIN_FILENO);
	close(saved);
	int status;
	while (wait(&status) > 0)
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * Standard input from a pipe goes through the decompressor whether it is gzip or not: plain
 * bytes come through unchanged (even one that looks like half of gzip's magic), at every slot
 * size, and r->compressed tells which it was.
 */
static void test_stdin_pipe_plain_or_gzip_reads_exactly(void **state)
{
	(void)state;
	size_t len = 20000;
	char *text = sample_text(len);
	struct buf gz, lone;
	buf_init(&gz);
	append_gzip_member(&gz, text, len / 3, 6, false);
	append_gzip_member(&gz, text + len / 3, len - len / 3, 1, true);
	buf_init(&lone);
	buf_append(&lone, "\x1f", 1);
	const struct {
		const char *name;
		const char *bytes;
		size_t bytes_len;
		const char *expected;
		size_t expected_len;
		bool compressed;
	} rows[] = {
		{"plain", text, len, text, len, false},
		{"gzip, two members", gz.data, gz.len, text, len, true},
		{"empty", "", 0, "", 0, false},
		{"one 1f byte", lone.data, 1, lone.data, 1, false},
	};
	static const size_t slot_sizes[] = {1, 999, 0};
	for (int f = 0; f < inflater_count(); f++) {
		const char *name = use_inflater(f);
		for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++)
			for (size_t s = 0; s < PG_ARRAY_LEN(slot_sizes); s++) {
				gunzip_test_sizes(s == 0 ? 3 : 0, slot_sizes[s]);
				int saved = stdin_from_child(rows[i].bytes, rows[i].bytes_len);
				struct outcome o;
				read_outcome("-", &o);
				restore_stdin(saved);
				if (o.error[0] ||
				    !same_bytes(&o.bytes, rows[i].expected, rows[i].expected_len) ||
				    o.compressed != rows[i].compressed)
					fail_msg("%s, '%s', slots of %zu: %zu bytes, error '%s', "
						 "compressed %d", name, rows[i].name, slot_sizes[s],
						 o.bytes.len, o.error, o.compressed);
				buf_fini(&o.bytes);
			}
	}
	buf_fini(&lone);
	buf_fini(&gz);
	free(text);
}

/*
 * Closing a reader before the end stops its thread, whether the thread waits for room (a
 * large file of which 10 bytes were read) or for input (a pipe whose writer stays, as a
 * `tail -f` would). An alarm ends the test if a close hangs; the sanitizer builds check that
 * nothing leaks or races.
 */
static void test_close_before_the_end_stops_the_decompressor(void **state)
{
	(void)state;
	alarm(60);
	size_t len = 6 * 1024 * 1024;
	char *text = sample_text(len);
	char *big = path_of("big.gz");
	write_gzip(big, text, len, false);
	for (int f = 0; f < inflater_count(); f++) {
		use_inflater(f);
		struct io_reader r;
		assert_true(io_reader_open(&r, big));
		char first[10];
		assert_int_equal(io_reader_read(&r, first, sizeof first), 10);
		assert_memory_equal(first, text, 10);
		io_reader_close(&r);
	}

	struct buf gz;
	buf_init(&gz);
	append_gzip_member(&gz, text, 40, 6, false); /* two slots and a half: all in the ring */
	int saved = dup(STDIN_FILENO);
	gunzip_test_sizes(0, 16); /* a slot is published before the thread blocks */
	for (int f = 0; f < inflater_count(); f++) {
		use_inflater(f);
		int p[2];
		assert_int_equal(pipe(p), 0);
		assert_int_equal(write(p[1], gz.data, gz.len), (ssize_t)gz.len);
		assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
		close(p[0]);
		struct io_reader r;
		assert_true(io_reader_open(&r, "-"));
		const char *peeked;
		assert_int_equal(io_reader_peek(&r, 16, &peeked), 16);
		assert_memory_equal(peeked, text, 16);
		io_reader_close(&r); /* the thread waits in poll() for the rest */
		close(p[1]);
	}
	dup2(saved, STDIN_FILENO);
	close(saved);
	alarm(0);
	buf_fini(&gz);
	free(big);
	free(text);
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
	/* under a regular file, no folder can be made: diagnosed, and nothing is left */
	char *plain = path_of("plain");
	FILE *pf = fopen(plain, "w");
	assert_non_null(pf);
	fclose(pf);
	char *target = path_of("plain/junit.xml");
	struct captured c;
	capture_start(&c);
	assert_false(io_write_output(target, &bytes, "the JUnit report", &c.d));
	capture_end(&c);
	char *expected = xasprintf("%s: error: cannot write the JUnit report: %s\n", target,
				   strerror(ENOTDIR));
	assert_string_equal(c.text, expected);
	assert_int_equal(count_entries(dir), 1); /* plain alone */
	free(expected);
	free(c.text);
	remove(plain);
	free(plain);

	/* a folder that does not exist yet is made, as --charts makes its own */
	char *nested = path_of("new-dir/deeper/junit.xml");
	capture_start(&c);
	assert_true(io_write_output(nested, &bytes, "the JUnit report", &c.d));
	capture_end(&c);
	assert_string_equal(c.text, "");
	size_t nested_len;
	char *nested_got = read_file_bytes(nested, &nested_len);
	assert_int_equal(nested_len, bytes.len);
	free(nested_got);
	free(c.text);
	remove(nested);
	char *deeper = path_of("new-dir/deeper"), *newdir = path_of("new-dir");
	rmdir(deeper);
	rmdir(newdir);
	free(deeper);
	free(newdir);
	free(nested);

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
		TEST(test_gzip_members_read_whole_at_every_buffer_boundary),
		TEST(test_gzip_cut_at_every_byte_reads_as_gzread_does),
		TEST(test_damaged_gzip_is_worded_the_same_by_each_inflater),
		TEST(test_bytes_after_the_last_member_are_ignored_as_gzread_does),
		TEST(test_stdin_pipe_plain_or_gzip_reads_exactly),
		TEST(test_close_before_the_end_stops_the_decompressor),
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
