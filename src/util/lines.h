/*
 * lines.h - streaming line iterator over an io_reader: the line-oriented front ends' input.
 *
 * Audience: ingest (line-based front ends) and tests.
 *
 * Handles: a UTF-8 BOM at the start of the input (skipped, and reported through
 * lines.had_bom), "\n", "\r\n" and "\r\r\n" line ends (all the trailing '\r' before '\n' are
 * dropped from the line), a last line without a newline, lines split across read chunks, and
 * very long lines (kept whole up to max_line bytes; a longer line is returned truncated with
 * line.truncated set, and the rest of it is skipped, so memory stays bounded).
 *
 * Memory: one buffer owned by struct lines, reused; each returned line points into it and is
 * valid until the next lines_next call (lines_take hands its buffer over instead). Memory does
 * not grow with the input size.
 */
#ifndef PERFGATE_LINES_H
#define PERFGATE_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct io_reader;

struct line {
	const char *text;    /* the line without its end-of-line bytes; NUL-terminated */
	size_t len;          /* bytes in text */
	uint64_t number;     /* 1-based line number */
	uint64_t offset;     /* byte offset of the line start in the (decompressed) input */
	bool truncated;      /* the line was longer than max_line and was cut */
};

struct lines {
	struct io_reader *reader; /* borrowed */
	char *buffer;             /* owned */
	size_t cap;               /* bytes allocated in buffer */
	size_t start;             /* start of unconsumed data in buffer */
	size_t end;               /* end of valid data in buffer */
	size_t max_line;          /* longest line kept whole */
	uint64_t next_number;     /* number of the next line */
	uint64_t consumed;        /* bytes of input before buffer[start] */
	bool eof;                 /* reader is exhausted */
	bool had_bom;             /* the input started with a UTF-8 BOM */
	size_t chunk;             /* bytes read at a time; 0: the default (512 KiB) */
	bool error;               /* a read error occurred; the reader's error says which */
};

/* max_line 0 means the default (16 MiB). */
void lines_init(struct lines *ls, struct io_reader *reader, size_t max_line);

/*
 * Returns the next line in *out, false at end of input or on a read error (then ls->error is
 * set, and the unfinished line before the error is not returned). An empty input has no lines;
 * "a\n" has one line; "a\nb" has two. Trailing '\r's are also dropped from a last line that
 * has no '\n' ("a\r" is the line "a"). A line is truncated only when the bytes before its
 * line end number more than max_line.
 */
bool lines_next(struct lines *ls, struct line *out);

/*
 * For a reader that keeps lines after the next call (par_lines.c), without copying them: reads
 * a chunk of input (ls->chunk) and returns its whole lines, at most max of them (at least one
 * unless the input ended: a line too long, or the last one without a line end, comes alone),
 * in (*lines)[0..n), growing the array (*lines_cap entries) as needed; each is what lines_next
 * would have returned. The buffer they point into goes to the caller in *buffer (*cap bytes),
 * which gives in exchange its old *buffer (NULL: none), reused for the rest of the input. 0 at
 * the end of the input or after a read error (as lines_next).
 */
size_t lines_take(struct lines *ls, struct line **lines, size_t *lines_cap, size_t max,
		  char **buffer, size_t *cap);
/* Whether nothing is left to read: the input ended (with every line returned) or failed. */
bool lines_ended(const struct lines *ls);
void lines_fini(struct lines *ls);

#endif
