/*
 * lines.c - streaming line iterator (lines.h) for the line-oriented front ends. A hot path:
 * every byte of a k6 NDJSON stream passes through lines_next, so it scans with memchr, never
 * rescans bytes it has already searched, and copies only the unfinished line when refilling.
 *
 * One buffer holds buffer[start..end), the input not yet returned; `consumed` is the input
 * offset of buffer[0], so a line's offset is consumed + start. When no '\n' is left, the
 * unfinished line moves to the front and the next chunk is read behind it. The buffer grows
 * only while a line is unfinished and at most max_line bytes long, so it never exceeds
 * max_line + one chunk (+1 for the NUL), whatever the input size.
 * A longer line keeps its first max_line bytes at the front and the rest is read and dropped
 * up to the '\n'; if all that was dropped is '\r', only the line end was long (not truncated).
 * Trailing '\r's go before '\n' and at end of input (a CRLF file cut after its '\r'); a '\r'
 * inside a line stays. A read error ends the iteration without the unfinished line, so a cut
 * stream never yields a cut last line as if whole. Ownership: the buffer is ours, the reader
 * is borrowed; the returned text points into the buffer until the next call.
 */
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "lines.h"
#include "util.h"

enum { LINES_CHUNK = 512 * 1024, LINES_DEFAULT_MAX = 16 * 1024 * 1024 };

void lines_init(struct lines *ls, struct io_reader *reader, size_t max_line)
{
	memset(ls, 0, sizeof *ls);
	ls->reader = reader;
	ls->max_line = max_line ? max_line : LINES_DEFAULT_MAX;
	ls->next_number = 1;
}

void lines_fini(struct lines *ls)
{
	free(ls->buffer);
	ls->buffer = NULL;
	ls->cap = ls->start = ls->end = 0;
}

/* Moves the unconsumed bytes to the front of the buffer. */
static void compact(struct lines *ls)
{
	if (ls->start == 0)
		return;
	memmove(ls->buffer, ls->buffer + ls->start, ls->end - ls->start);
	ls->consumed += ls->start;
	ls->end -= ls->start;
	ls->start = 0;
}

/*
 * Reads the next chunk of input to buffer[end], keeping one spare byte for a NUL. Returns
 * false at end of input or on a read error (then ls->error is set).
 */
static bool read_room(struct lines *ls);

static bool read_more(struct lines *ls)
{
	if (ls->eof)
		return false;
	size_t chunk = ls->chunk ? ls->chunk : LINES_CHUNK;
	size_t need = ls->end + chunk + 1;
	if (ls->cap < need) {
		/* double, for few reallocations, but not past the bound in the file comment */
		size_t limit = ls->max_line + chunk + 1;
		size_t cap = ls->cap * 2 > need ? ls->cap * 2 : need;
		ls->cap = cap < limit ? cap : limit > need ? limit : need;
		ls->buffer = xrealloc(ls->buffer, ls->cap);
	}
	return read_room(ls);
}

/* Reads into the room left in the buffer (one spare byte kept), without growing it. */
static bool read_room(struct lines *ls)
{
	long n = io_reader_read(ls->reader, ls->buffer + ls->end, ls->cap - ls->end - 1);
	if (n <= 0) {
		ls->eof = true;
		ls->error = n < 0;
		return false;
	}
	ls->end += (size_t)n;
	return true;
}

/* First call: reads the first chunk and skips a UTF-8 byte order mark. */
static void start_input(struct lines *ls)
{
	/* io_reader_read is short only at end of input, but a BOM must not be split anyway */
	while (ls->end < 3 && read_more(ls))
		;
	if (str_bom_length(ls->buffer, ls->end)) {
		ls->had_bom = true;
		ls->start = 3;
	}
}

/*
 * Finishes a line whose bytes before '\n' (or the end of input) number more than max_line:
 * keeps its first max_line bytes at buffer[0], drops the rest while reading on to the '\n'.
 * Dropped bytes are added to `consumed`, which then describes buffer[max_line..] correctly.
 */
/*
 * The first keep (= max_line) bytes at text make the line; only_cr: all the bytes after them
 * up to the line end are '\r' (the line was not long, only its line end), else it is cut.
 */
static void cut_long(char *text, size_t keep, bool only_cr, struct line *out)
{
	size_t len = keep;
	if (only_cr)
		while (len && text[len - 1] == '\r')
			len--;
	/* text[len] is a kept '\r', a dropped byte of this line, or the spare byte */
	text[len] = '\0';
	out->text = text;
	out->len = len;
	out->truncated = !only_cr;
}

static bool long_line(struct lines *ls, struct line *out)
{
	compact(ls);
	size_t keep = ls->max_line;
	size_t pos = keep;
	bool only_cr = true;
	for (;;) {
		char *nl = memchr(ls->buffer + pos, '\n', ls->end - pos);
		size_t stop = nl ? (size_t)(nl - ls->buffer) : ls->end;
		for (size_t i = pos; i < stop && only_cr; i++)
			only_cr = ls->buffer[i] == '\r';
		if (nl) {
			ls->start = stop + 1;
			break;
		}
		ls->consumed += ls->end - keep;
		ls->end = keep;
		pos = keep;
		if (!read_more(ls)) {
			if (ls->error)
				return false;
			ls->start = ls->end;
			break;
		}
	}
	cut_long(ls->buffer, keep, only_cr, out);
	return true;
}

/* Returns the line that ends at nl, a '\n' in buffer[start..end), at most max_line bytes away. */
static void cut_line(struct lines *ls, char *nl, struct line *out)
{
	char *text = ls->buffer + ls->start;
	size_t len = (size_t)(nl - text);
	out->number = ls->next_number++;
	out->offset = ls->consumed + ls->start;
	ls->start += len + 1;
	while (len && text[len - 1] == '\r')
		len--;
	text[len] = '\0'; /* a '\r' or the '\n' */
	out->text = text;
	out->len = len;
	out->truncated = false;
}

size_t lines_take(struct lines *ls, struct line **lines, size_t *lines_cap, size_t max,
		  char **buffer, size_t *cap)
{
	if (!ls->buffer)
		start_input(ls);
	if (!ls->error && !ls->eof) {
		/* what the last call left is an unfinished line: a chunk goes behind it */
		if (!memchr(ls->buffer + ls->start, '\n', ls->end - ls->start)) {
			compact(ls);
			read_more(ls);
		}
		/* a read short of the room is the end of the input (io_reader_read): one more
		 * read says so now, or reports the error, so the caller knows without a call */
		if (!ls->eof && ls->end + 1 < ls->cap)
			read_room(ls);
	}
	/* every line that ends in the buffer; on an error, they go out before it (lines_next) */
	size_t n = 0;
	char *nl;
	while (n < max && (nl = memchr(ls->buffer + ls->start, '\n', ls->end - ls->start))) {
		if (n == *lines_cap)
			*lines = xgrow(*lines, lines_cap, n + 1, sizeof **lines);
		char *text = ls->buffer + ls->start;
		if ((size_t)(nl - text) <= ls->max_line) {
			cut_line(ls, nl, &(*lines)[n++]);
			continue;
		}
		/* too long, but whole: cut where long_line would, no read needed */
		struct line *out = &(*lines)[n++];
		out->number = ls->next_number++;
		out->offset = ls->consumed + ls->start;
		bool only_cr = true;
		for (char *c = text + ls->max_line; c < nl && only_cr; c++)
			only_cr = *c == '\r';
		ls->start += (size_t)(nl - text) + 1;
		cut_long(text, ls->max_line, only_cr, out);
	}
	if (n == 0) { /* the last line without '\n', a long one past the buffer, the end */
		if (*lines_cap == 0)
			*lines = xgrow(*lines, lines_cap, 1, sizeof **lines);
		if (!lines_next(ls, &(*lines)[0]))
			return 0;
		n = 1;
	}
	/* the lines stay in this buffer, which goes to the caller; the rest moves to *buffer */
	size_t chunk = ls->chunk ? ls->chunk : LINES_CHUNK;
	size_t rest = ls->end - ls->start;
	char *next = *buffer;
	size_t next_cap = *cap;
	if (next_cap < rest + chunk + 1) {
		next_cap = rest + chunk + 1;
		next = xrealloc(next, next_cap);
	}
	memcpy(next, ls->buffer + ls->start, rest);
	*buffer = ls->buffer;
	*cap = ls->cap;
	ls->buffer = next;
	ls->cap = next_cap;
	ls->consumed += ls->start;
	ls->start = 0;
	ls->end = rest;
	return n;
}

bool lines_ended(const struct lines *ls)
{
	return ls->error || (ls->eof && ls->start == ls->end);
}

bool lines_next(struct lines *ls, struct line *out)
{
	if (!ls->buffer)
		start_input(ls);
	if (ls->error)
		return false;
	size_t scanned = 0; /* bytes after start already known to hold no '\n' */
	char *nl;
	for (;;) {
		nl = memchr(ls->buffer + ls->start + scanned, '\n', ls->end - ls->start - scanned);
		if (nl)
			break;
		scanned = ls->end - ls->start;
		if (scanned > ls->max_line || ls->eof)
			break;
		compact(ls);
		if (!read_more(ls) && ls->error)
			return false;
	}
	char *text = ls->buffer + ls->start;
	size_t len = nl ? (size_t)(nl - text) : ls->end - ls->start;
	if (!nl && len == 0)
		return false; /* end of input */
	if (len > ls->max_line) {
		out->number = ls->next_number++;
		out->offset = ls->consumed + ls->start;
		return long_line(ls, out);
	}
	if (nl) {
		cut_line(ls, nl, out);
		return true;
	}
	/* the last line, without '\n': text[len] is the spare byte read_more keeps */
	out->number = ls->next_number++;
	out->offset = ls->consumed + ls->start;
	ls->start += len;
	while (len && text[len - 1] == '\r')
		len--;
	text[len] = '\0';
	out->text = text;
	out->len = len;
	out->truncated = false;
	return true;
}
