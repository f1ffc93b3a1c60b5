/*
 * io.h - reading inputs (file or "-", plain or gzip, transparently) and writing outputs
 * atomically.
 *
 * Audience: whatever reads or writes files: the input loader (ingest/load.c), the budget
 * loader, the template reader, the writers of outputs, the drivers. Parsers never call these:
 * they get a struct source or a struct lines (STYLE rule 13).
 *
 * Reading: io_open opens a path ("-" = standard input). A regular file that does not start
 * with gzip's magic bytes is read directly; anything else goes through a decompressor thread
 * (gunzip.h) that inflates gzip data (also several concatenated gzip members) ahead of the
 * reader and passes anything else through unchanged, so callers never look at the
 * compression. The first bytes can be peeked (for format sniffing) without losing them:
 * io_reader_read returns them again. A reader is used by one thread at a time.
 *
 * Errors: io_open, io_read_rest, io_read_file and io_write_output are the one "open, read,
 * diagnose" path: they report a failure through the diagnostics sink as
 * "cannot open|read|write WHAT: REASON" at the file. The reader's own calls (peek, read) leave
 * the reason in reader->error for the caller to report with its position. The undiagnosed
 * primitives behind them are in util_test.h, for the tests.
 *
 * Writing: io_write_output writes to "<path>.tmp.<pid>" in the same directory and renames it
 * over the target, so a reader never sees a half-written file; with io_set_fsync(true)
 * (--fsync) it also fsyncs the file before the rename, so a crash of the machine right after
 * cannot leave an empty file in its place.
 */
#ifndef PERFGATE_IO_H
#define PERFGATE_IO_H

#include <stdbool.h>
#include <stddef.h>

struct gunzip;

struct io_reader {
	char *name;          /* path as given, "-" for stdin; owned */
	struct gunzip *gunzip; /* decompressor thread (gzip, stdin, pipes); owned; NULL once
			          closed, and for a plain regular file */
	int fd;              /* a plain regular file read directly; -1 otherwise */
	bool compressed;     /* true when the input was gzip data (known after the first read) */
	char *peek;          /* peeked bytes not yet returned by io_reader_read; owned */
	size_t peek_len;     /* bytes valid in peek */
	size_t peek_pos;     /* bytes of peek already returned */
	bool eof;            /* the underlying stream reported end of file */
	bool truncated;      /* the error was gzip data ending early (a cut .gz), not corruption */
	bool failed;         /* error is set: every later read returns -1 */
	bool progress;       /* a load input: its reads move the progress line (io_reader_track) */
	long long consumed;  /* bytes read so far (decompressed for gzip) */
	char error[256];     /* message of the first error, "" when none */
};

struct buf;

/*
 * Makes at least min(want, size of the input) bytes available at *out (decompressed) without
 * consuming them; returns the number of bytes available (may be less than want at end of input),
 * or -1 on a read/decompression error (r->error says which). The pointer is valid until the
 * next call on r.
 */
long io_reader_peek(struct io_reader *r, size_t want, const char **out);

/*
 * Makes r a load input shown on the progress line (progress.h) until io_reader_close: its size
 * (the file's, compressed for gzip) and how far its reads have come.
 */
void io_reader_track(struct io_reader *r);

/*
 * Reads up to len decompressed bytes; returns bytes read, 0 at end of input, -1 on error. Fewer
 * than len bytes are returned only at the end of the input.
 */
long io_reader_read(struct io_reader *r, void *dst, size_t len);


/*
 * Bytes not yet returned by io_reader_read of a plain regular file (its size is known), or -1
 * for anything else (gzip, a pipe, standard input, an error).
 */
long long io_reader_left(const struct io_reader *r);

void io_reader_close(struct io_reader *r);


/* ---- the same, diagnosed: what every reader and writer of files goes through ---- */

struct diag;
struct diag_loc;

/* How a path is named in messages: the path itself, "<stdin>" for "-". */
const char *io_display_name(const char *path);

/*
 * Opens path ("-" means standard input, which io_reader_close does not close), reporting a
 * failure as "cannot open WHAT: REASON" (DIAG_INPUT_OPEN) at `at`, or at the file itself when
 * at is NULL. r must be closed either way.
 */
bool io_open(struct io_reader *r, const char *path, const char *what, const struct diag_loc *at,
	     struct diag *d);
/*
 * Reads the rest of the input into out (appending; at most max_bytes, and never more than
 * max_bytes + 1 held in memory), reporting a failure or an input over the limit as
 * "cannot read WHAT: REASON" (DIAG_INPUT_READ) at `at`, or at the file when at is NULL; out is
 * then as it was.
 */
bool io_read_rest(struct io_reader *r, const char *what, size_t max_bytes,
		  const struct diag_loc *at, struct buf *out, struct diag *d);
/*
 * Reports a failure met after opening (a peek, a stream's read) as "cannot read WHAT: REASON"
 * (DIAG_INPUT_READ) at `at`, or at the file path names when at is NULL: the same words as
 * io_read_rest, for callers that read piecewise.
 */
void io_report_read(const char *path, const char *what, const char *reason,
		    const struct diag_loc *at, struct diag *d);
/* Both, on a whole file: appends its contents (at most max_bytes) to out; false when reported. */
bool io_read_file(const char *path, const char *what, size_t max_bytes, const struct diag_loc *at,
		  struct buf *out, struct diag *d);

/*
 * Removes the temporary file of a write in progress, if any: for the driver's SIGINT/SIGTERM
 * handler (async-signal-safe: it only calls unlink).
 */
void io_remove_temp(void);

/*
 * Writes bytes to path atomically (temp file + rename; "-" is standard output; a device,
 * FIFO or socket is written through; a symlink's target is replaced). A failure is
 * reported as "cannot write WHAT: REASON" (DIAG_OUTPUT_WRITE) at path; the target is then left
 * as it was.
 */
bool io_write_output(const char *path, const struct buf *bytes, const char *what, struct diag *d);
/* Whether outputs are fsynced before their rename (off by default; --fsync). */
void io_set_fsync(bool on);

#endif
