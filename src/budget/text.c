/*
 * text.c - positions inside an assertion string, as file:line:col of the budget file.
 *
 * An assertion is a JSON or a YAML string; its reader hands us the decoded bytes. A position
 * in the decoded text maps back to the raw file by walking the raw string from its first byte
 * and decoding on the way, as its style says: in JSON (json_decode_escape) "\n" or "\"" is two
 * raw bytes for one decoded byte, "\u00b5" six raw bytes for two decoded (UTF-8) bytes, a
 * surrogate pair twelve for four; in YAML, line breaks fold, '' is one quote, double-quoted
 * escapes decode to their code point, and a block's indentation is left out. Text with no file behind it (tests, `lint -e`) is reported as "<expr>" with the
 * text itself as the line.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "budget.h"
#include "../util/json.h"

/* A JSON string: escapes decode by json_decode_escape; the closing quote ends it. */
static const char *walk_json(const char *p, const char *end, size_t offset)
{
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
	return p;
}

static bool line_break(const char *p, const char *end)
{
	return p < end && (*p == '\n' || *p == '\r');
}

/* Past one line break ("\r\n" counts once) and the blanks that indent the next line. */
static const char *past_break(const char *p, const char *end)
{
	p += p + 1 < end && p[0] == '\r' && p[1] == '\n' ? 2 : 1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* UTF-8 bytes of code point cp (what a YAML escape decodes to). */
static size_t utf8_width(unsigned long cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/*
 * A flow scalar of YAML (plain, 'single' or "double"): a line break and the blanks around it
 * fold into one decoded space (each further empty line into a line feed), '' is one quote,
 * and a double-quoted backslash escape decodes to its code point (an escaped line break to
 * nothing).
 */
static const char *walk_flow(const char *p, const char *end, size_t offset,
			     enum json_text_style style)
{
	size_t decoded = 0;
	while (decoded < offset && p < end) {
		const char *blanks = p;
		while (blanks < end && (*blanks == ' ' || *blanks == '\t'))
			blanks++;
		if (line_break(blanks, end)) { /* blanks that end a line fold away with it */
			p = past_break(blanks, end);
			decoded++;
			while (line_break(p, end)) /* an empty line is a line feed of its own */
				p = past_break(p, end);
		} else if (style == JSON_TEXT_SINGLE && *p == '\'' && p + 1 < end && p[1] == '\'') {
			p += 2;
			decoded++;
		} else if (style == JSON_TEXT_DOUBLE && *p == '\\' && p + 1 < end) {
			char c = p[1];
			size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
			if (line_break(p + 1, end)) {
				p = past_break(p + 1, end);
				continue;
			}
			unsigned long cp = 0;
			for (size_t i = 0; i < digits && p + 2 + i < end; i++) {
				char h = (char)(p[2 + i] | 0x20);
				cp = cp * 16 + (unsigned long)(h <= '9' ? h - '0' : h - 'a' + 10);
			}
			/* \N (U+0085) and \_ (U+00A0) are two bytes, \L and \P (U+2028/9) three */
			decoded += digits ? utf8_width(cp) : c == 'N' || c == '_' ? 2
							  : c == 'L' || c == 'P' ? 3 : 1;
			p += 2 + digits;
		} else {
			decoded++;
			p++;
		}
	}
	return p;
}

/*
 * A block scalar (| or >), from the first byte of its first content line: each line's
 * indentation (the first line's) is left out; a line break is a line feed, or in a > block a
 * space between two lines of text.
 */
static const char *walk_block(const char *p, const char *end, size_t offset)
{
	size_t indent = 0;
	while (p + indent < end && p[indent] == ' ')
		indent++;
	p += indent;
	size_t decoded = 0;
	while (decoded < offset && p < end) {
		if (line_break(p, end)) {
			p += p + 1 < end && p[0] == '\r' && p[1] == '\n' ? 2 : 1;
			for (size_t i = 0; i < indent && p < end && *p == ' '; i++)
				p++;
			decoded++; /* > folds it into a space: one byte either way */
		} else {
			decoded++;
			p++;
		}
	}
	return p;
}

/* Raw byte offset in the file of decoded offset `offset` of t. */
static size_t raw_position(const struct budget_text *t, size_t offset)
{
	const char *start = t->src->bytes + t->raw_offset;
	const char *end = t->src->bytes + t->src->len;
	const char *p;
	switch (t->style) {
	case JSON_TEXT_PLAIN:
	case JSON_TEXT_SINGLE:
	case JSON_TEXT_DOUBLE:
		p = walk_flow(start, end, offset, t->style);
		break;
	case JSON_TEXT_LITERAL:
	case JSON_TEXT_FOLDED:
		p = walk_block(start, end, offset);
		break;
	case JSON_TEXT_JSON:
	default:
		p = walk_json(start, end, offset);
		break;
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
