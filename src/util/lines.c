/*
 * lines.c - streaming line iterator (lines.h) for the line-oriented front ends.
 *
 * One buffer, refilled from the reader as lines are consumed: unconsumed bytes are moved to
 * the front, then the rest is filled. The buffer grows only until it holds max_line bytes plus
 * a read chunk, so memory is bounded whatever the input size; a longer line is returned cut at
 * max_line with `truncated` set, and its remainder is skipped up to the next newline.
 * Line ends: the bytes before '\n' that are '\r' are dropped ("\r\n" and Windows-mangled
 * "\r\r\n"); a lone '\r' inside a line is kept.
 */
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "lines.h"
#include "util.h"

enum { LINES_CHUNK = 64 * 1024, LINES_DEFAULT_MAX = 16 * 1024 * 1024 };

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
}

/* Reads more input after the unconsumed bytes; false at end of input or on error. */
static bool fill(struct lines *ls)
{
	if (ls->eof)
		return false;
	if (ls->start > 0) {
		memmove(ls->buffer, ls->buffer + ls->start, ls->end - ls->start);
		ls->consumed += ls->start;
		ls->end -= ls->start;
		ls->start = 0;
	}
	size_t need = ls->end + LINES_CHUNK + 1;
	if (need > ls->cap) {
		ls->buffer = xrealloc(ls->buffer, need);
		ls->cap = need;
	}
	long n = io_reader_read(ls->reader, ls->buffer + ls->end, ls->cap - ls->end - 1);
	if (n < 0) {
		ls->error = true;
		ls->eof = true;
		return false;
	}
	if (n == 0) {
		ls->eof = true;
		return false;
	}
	bool first = ls->consumed == 0 && ls->end == 0;
	ls->end += (size_t)n;
	if (first) {
		/* a BOM may straddle the first read; get 3 bytes before deciding */
		while (ls->end < 3 && !ls->eof) {
			long more = io_reader_read(ls->reader, ls->buffer + ls->end,
						   ls->cap - ls->end - 1);
			if (more <= 0) {
				ls->eof = true;
				ls->error = more < 0;
				break;
			}
			ls->end += (size_t)more;
		}
		if (ls->end >= 3 && memcmp(ls->buffer, "\xEF\xBB\xBF", 3) == 0) {
			ls->had_bom = true;
			ls->start = 3;
		}
	}
	return true;
}

/* Skips the rest of an over-long line, up to and including its '\n'. */
static void skip_rest_of_line(struct lines *ls)
{
	for (;;) {
		char *nl = memchr(ls->buffer + ls->start, '\n', ls->end - ls->start);
		if (nl) {
			ls->start = (size_t)(nl - ls->buffer) + 1;
			return;
		}
		ls->start = ls->end;
		if (!fill(ls))
			return;
	}
}

bool lines_next(struct lines *ls, struct line *out)
{
	if (!ls->buffer && !fill(ls))
		return false;
	for (;;) {
		char *begin = ls->buffer + ls->start;
		size_t avail = ls->end - ls->start;
		char *nl = memchr(begin, '\n', avail);
		size_t len;
		bool truncated = false;
		if (nl) {
			len = (size_t)(nl - begin);
		} else if (avail > ls->max_line) {
			len = ls->max_line;
			truncated = true;
		} else if (!ls->eof) {
			/* fill may move the buffer even when it finds no more input: recompute */
			fill(ls);
			continue;
		} else if (avail == 0) {
			return false;
		} else {
			len = avail; /* last line without a newline */
		}
		if (len > ls->max_line) {
			len = ls->max_line;
			truncated = true;
		}
		out->offset = ls->consumed + ls->start;
		out->number = ls->next_number++;
		out->truncated = truncated;
		size_t text_len = len;
		if (!truncated)
			while (text_len && begin[text_len - 1] == '\r')
				text_len--;
		if (truncated) {
			/* copy the kept part aside: skipping may refill and move the buffer */
			char *keep = xmalloc(len + 1);
			memcpy(keep, begin, len);
			ls->start += len;
			skip_rest_of_line(ls);
			/* put the kept text at the front of the buffer's free tail */
			if (ls->start > 0) {
				memmove(ls->buffer, ls->buffer + ls->start, ls->end - ls->start);
				ls->consumed += ls->start;
				ls->end -= ls->start;
				ls->start = 0;
			}
			if (ls->cap < ls->end + len + 1) {
				ls->buffer = xrealloc(ls->buffer, ls->end + len + 1);
				ls->cap = ls->end + len + 1;
			}
			memcpy(ls->buffer + ls->end, keep, len);
			ls->buffer[ls->end + len] = '\0';
			free(keep);
			out->text = ls->buffer + ls->end;
			out->len = len;
			return true;
		}
		begin[text_len] = '\0';
		out->text = begin;
		out->len = text_len;
		ls->start += nl ? len + 1 : len;
		return true;
	}
}
