/*
 * test_files.h - one input file in a mkdtemp directory, for the unit tests that read real
 * files (test_lines, test_par_lines, test_prom_api). Include after <cmocka.h>, in a file that
 * defines _POSIX_C_SOURCE 200809L (mkdtemp) before its first include.
 */
#ifndef PERFGATE_TEST_FILES_H
#define PERFGATE_TEST_FILES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "util/util.h"

struct test_input {
	char dir[512];
	char *path; /* dir/input, the one file a test writes; owned */
};

/* Makes $TMPDIR/NAME.XXXXXX (or under /tmp); 0, or -1 when it cannot (a cmocka group setup). */
static inline int test_input_make(struct test_input *t, const char *name)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(t->dir, sizeof t->dir, "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(t->dir))
		return -1;
	t->path = xasprintf("%s/input", t->dir);
	return 0;
}

/* Removes the file and the directory, even after a failed test. */
static inline void test_input_remove(struct test_input *t)
{
	unlink(t->path);
	free(t->path);
	t->path = NULL;
	rmdir(t->dir);
}

/* Writes len bytes to the input file, plain or as gzip; returns its path. */
static inline const char *test_input_write(const struct test_input *t, const char *data,
					   size_t len, bool gzip)
{
	if (gzip) {
		gzFile g = gzopen(t->path, "wb");
		assert_non_null(g);
		if (len)
			assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
		assert_int_equal(gzclose(g), Z_OK);
	} else {
		FILE *f = fopen(t->path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	return t->path;
}

#endif
