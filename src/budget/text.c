/*
 * text.c - positions inside an assertion string, as file:line:col of the budget file.
 *
 * An assertion is a JSON string; Jansson hands us its decoded bytes. A position in the
 * decoded text maps back to the raw file by walking the raw string from its first byte and
 * decoding escapes on the way (json_decode_escape): "\n" or "\"" is two raw bytes for one
 * decoded byte, "\u00b5" six raw bytes for two decoded (UTF-8) bytes, a surrogate pair twelve
 * for four. Text with no file behind it (tests, `lint -e`) is reported as "<expr>" with the
 * text itself as the line.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "budget.h"
#include "../util/json.h"

/* Raw byte offset in the file of decoded offset `offset` of t. */
static size_t raw_position(const struct budget_text *t, size_t offset)
{
	const char *start = t->src->bytes + t->raw_offset;
	const char *end = t->src->bytes + t->src->len;
	const char *p = start;
	size_t decoded = 0;
	while (decoded < offset && p < end && *p != '"') {
		if (*p == '\\' && p + 1 < end) {
			struct json_escape e = json_decode_escape(p, end);
			decoded += e.width;
			p += e.raw;
		} else {
			decoded++;
			p++;
		}
	}
	return (size_t)(p - t->src->bytes);
}

void budget_text_locate(const struct budget_text *t, size_t offset, size_t len,
			struct diag_loc *loc)
{
	if (offset > t->len)
		offset = t->len;
	if (len > t->len - offset)
		len = t->len - offset;
	if (!t->src) {
		/* a character count for the column: the text is one line */
		uint64_t column = 1;
		for (size_t i = 0; i < offset; i++)
			if (((unsigned char)t->text[i] & 0xc0) != 0x80)
				column++;
		*loc = (struct diag_loc){"<expr>", 1, column, t->text, t->len, 0};
		size_t span = 0;
		for (size_t i = offset; i < offset + len; i++)
			if (((unsigned char)t->text[i] & 0xc0) != 0x80)
				span++;
		loc->span = span ? span : 1;
		return;
	}
	size_t from = raw_position(t, offset);
	size_t to = raw_position(t, offset + len);
	source_locate(t->src, from, to > from ? to - from : 1, loc);
}

void budget_text_report(struct diag *d, enum diag_id id, const struct budget_text *t,
			size_t offset, size_t len, const char *fmt, ...)
{
	struct diag_loc loc;
	budget_text_locate(t, offset, len, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, id, &loc, fmt, ap);
	va_end(ap);
}
