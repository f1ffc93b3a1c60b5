/*
 * io.h - reading inputs (file or "-", plain or gzip, transparently) and writing outputs
 * atomically.
 *
 * Audience: the driver (pipeline.c, cmd_*.c) and util. Parsers never call these: they get a
 * struct source or a struct lines (STYLE rule 13).
 *
 * Reading: io_reader_open opens a path ("-" = standard input) through zlib's gzdopen, which
 * inflates gzip data (also several concatenated gzip members) and passes anything else through
 * unchanged, so callers never look at the compression. The first bytes can be peeked (for format
 * sniffing) without losing them: io_reader_read returns them again.
 *
 * Errors are returned as a message string (strerror or zlib's text) in reader->error, never
 * printed here: the caller reports them through the diagnostics sink with the input's name.
 *
 * Writing: io_write_atomic writes to "<path>.tmp.<pid>" in the same directory, fsyncs, and
 * renames over the target, so a reader never sees a half-written file.
 */
#ifndef PERFGATE_IO_H
#define PERFGATE_IO_H

#include <stdbool.h>
#include <stddef.h>

struct io_reader {
	char *name;          /* path as given, "-" for stdin; owned */
	void *gz;            /* gzFile; NULL once closed */
	bool compressed;     /* true when the input was gzip data (known after the first read) */
	char *peek;          /* peeked bytes not yet returned by io_reader_read; owned */
	size_t peek_len;     /* bytes valid in peek */
	size_t peek_pos;     /* bytes of peek already returned */
	bool eof;            /* the underlying stream reported end of file */
	bool truncated;      /* the error was gzip data ending early (a cut .gz), not corruption */
	char error[256];     /* message of the first error, "" when none */
};

/*
 * Opens path ("-" means standard input, which is not closed by io_reader_close).
 * Returns false and fills r->error when the file cannot be opened (r must still be closed).
 */
bool io_reader_open(struct io_reader *r, const char *path);

/*
 * Makes at least min(want, size of the input) bytes available at *out (decompressed) without
 * consuming them; returns the number of bytes available (may be less than want at end of input),
 * or -1 on a read/decompression error (r->error says which). The pointer is valid until the
 * next call on r.
 */
long io_reader_peek(struct io_reader *r, size_t want, const char **out);

/*
 * Reads up to len decompressed bytes; returns bytes read, 0 at end of input, -1 on error. Fewer
 * than len bytes are returned only at the end of the input.
 */
long io_reader_read(struct io_reader *r, void *dst, size_t len);

/*
 * Reads the rest of the input into out (appending). Returns false on error (r->error) or when
 * the input exceeds max_bytes (r->error says so); out is then as it was before the call. At
 * most max_bytes + 1 bytes are held in memory, whatever the size of the input.
 */
struct buf;
bool io_reader_read_all(struct io_reader *r, struct buf *out, size_t max_bytes);

void io_reader_close(struct io_reader *r);

/*
 * Writes len bytes to path atomically (temp file in the same directory + rename).
 * Returns false and fills error (a message) on failure; the target is then left untouched.
 * path "-" writes to standard output directly.
 */
bool io_write_atomic(const char *path, const void *data, size_t len, char error[256]);

#endif
