/*
 * util_test.h - util functions public only for the tests (HdrHistogram's hdr_tests.h idea).
 *
 * Audience: tests/ and the util files that define these. Everything else goes through the
 * layer's real interface: files are opened, read and written by io_open, io_read_rest,
 * io_read_file and io_write_output (io.h), which report failures; the primitives below return
 * the reason as text and print nothing, so the tests can check each step on its own.
 */
#ifndef PERFGATE_UTIL_TEST_H
#define PERFGATE_UTIL_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "io.h"

/* ---- io.c ---- */

/*
 * Opens path ("-" means standard input, which is not closed by io_reader_close).
 * Returns false and fills r->error when the file cannot be opened (r must still be closed).
 */
bool io_reader_open(struct io_reader *r, const char *path);

struct buf;
/*
 * Reads the rest of the input into out (appending). Returns false on error (r->error) or when
 * the input exceeds max_bytes (r->error says so); out is then as it was before the call. At
 * most max_bytes + 1 bytes are held in memory, whatever the size of the input.
 */
bool io_reader_read_all(struct io_reader *r, struct buf *out, size_t max_bytes);

/*
 * Writes len bytes to path atomically (temp file in the same directory + rename).
 * Returns false and fills error (a message) on failure; the target is then left untouched.
 * path "-" writes to standard output directly; an existing path that is not a regular file
 * (a device, a FIFO) is written through; a symlink is followed and its target replaced.
 */
bool io_write_atomic(const char *path, const void *data, size_t len, char error[256]);

/* ---- gunzip.c ---- */

/*
 * For decompressors started after the call: read() at most read_size bytes at a time (at most
 * 256 KiB) and fill ring slots of slot_size bytes; 0 restores the default. Tiny sizes put a gzip
 * header, a member's end and a slot's end at every byte offset.
 */
void gunzip_test_sizes(size_t read_size, size_t slot_size);
/*
 * For decompressors started after the call: inflate with zlib even when built with ISA-L
 * (on = true), or with the default again. Returns whether ISA-L is built in.
 */
bool gunzip_test_zlib_only(bool on);

/* ---- diag.c: the name ("DIAG_JSON_SYNTAX") and the docs summary of an id ---- */

const char *diag_name_of(enum diag_id id);
const char *diag_summary_of(enum diag_id id);

#endif
