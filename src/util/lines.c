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
static bool read_more(struct lines *ls)
{
	if (ls->eof)
		return false;
	size_t need = ls->end + LINES_CHUNK + 1;
	if (ls->cap < need) {
		/* double, for few reallocations, but not past the bound in the file comment */
		size_t limit = ls->max_line + LINES_CHUNK + 1;
		size_t cap = ls->cap * 2 > need ? ls->cap * 2 : need;
		ls->cap = cap < limit ? cap : limit > need ? limit : need;
		ls->buffer = xrealloc(ls->buffer, ls->cap);
	}
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
	size_t len = keep;
	if (only_cr)
		while (len && ls->buffer[len - 1] == '\r')
			len--;
	/* buffer[len] is a kept '\r', a dropped byte of this line, or the spare byte */
	ls->buffer[len] = '\0';
	out->text = ls->buffer;
	out->len = len;
	out->truncated = !only_cr;
	return true;
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
	out->number = ls->next_number++;
	out->offset = ls->consumed + ls->start;
	if (len > ls->max_line)
		return long_line(ls, out);
	ls->start += nl ? len + 1 : len;
	while (len && text[len - 1] == '\r')
		len--;
	/* text[len] is a '\r', the '\n', or at end of input the spare byte read_more keeps */
	text[len] = '\0';
	out->text = text;
	out->len = len;
	out->truncated = false;
	return true;
}
