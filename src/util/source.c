/*
 * source.c - line map over an in-memory input, for positions in diagnostics.
 *
 * The map (one offset per line start) is built on the first position request, so inputs that
 * never produce a diagnostic pay nothing for it. A line ends at "\n"; the "\r" of a "\r\n" (and
 * of Windows-mangled "\r\r\n") is trimmed from the displayed line text. Columns count UTF-8 code
 * points from the line start (continuation bytes 10xxxxxx do not start a column); invalid UTF-8
 * bytes count one column each, so a position never fails. Streaming front ends that never hold
 * the whole input build their struct diag_loc from struct line instead (lines.h).
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"

void source_init(struct source *s, const char *name, const char *bytes, size_t len)
{
	s->name = name;
	s->bytes = bytes;
	s->len = len;
	s->body = str_bom_length(bytes, len);
	s->line_starts = NULL;
	s->line_count = 0;
	s->positions = NULL;
}

void source_fini(struct source *s)
{
	free(s->line_starts);
	s->line_starts = NULL;
	s->line_count = 0;
}

static void build_line_map(struct source *s)
{
	size_t cap = 0;
	s->line_starts = xgrow(NULL, &cap, 1, sizeof *s->line_starts);
	s->line_starts[0] = s->body;
	s->line_count = 1;
	for (size_t i = s->body; i < s->len; i++) {
		if (s->bytes[i] != '\n')
			continue;
		s->line_starts = xgrow(s->line_starts, &cap, s->line_count + 1,
				       sizeof *s->line_starts);
		s->line_starts[s->line_count++] = i + 1;
	}
}

static uint64_t count_columns(const char *p, size_t n)
{
	uint64_t columns = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			columns++;
	return columns;
}

void source_locate(struct source *s, size_t offset, size_t span_bytes, struct diag_loc *loc)
{
	if (!s->line_starts)
		build_line_map(s);
	if (offset > s->len)
		offset = s->len;
	if (offset < s->body)
		offset = s->body;
	/* binary search: the last line start <= offset */
	size_t lo = 0, hi = s->line_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	size_t start = s->line_starts[lo];
	size_t end = start;
	while (end < s->len && s->bytes[end] != '\n')
		end++;
	size_t text_end = end;
	while (text_end > start && s->bytes[text_end - 1] == '\r')
		text_end--;
	if (offset > text_end)
		offset = text_end;
	size_t span_end = offset + span_bytes;
	if (span_end > text_end)
		span_end = text_end;

	loc->file = s->name;
	loc->line = lo + 1;
	loc->column = count_columns(s->bytes + start, offset - start) + 1;
	loc->line_text = s->bytes + start;
	loc->line_len = text_end - start;
	uint64_t span = count_columns(s->bytes + offset, span_end - offset);
	loc->span = span ? span : 1;
}

struct diag_loc source_file_loc(const char *name)
{
	struct diag_loc loc = {.file = name};
	return loc;
}
