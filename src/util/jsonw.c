/*
 * jsonw.c - deterministic JSON writer (see jsonw.h for why it exists).
 *
 * Strings are escaped per RFC 8259: '"', '\\' and control characters; bytes >= 0x80 pass through
 * unchanged (inputs are UTF-8; str_utf8_clean first replaces invalid sequences by U+FFFD so the
 * output is valid UTF-8 JSON even when a tool wrote Latin-1 or GBK names).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"

void jsonw_init(struct jsonw *w, struct buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
}

static bool is_inline(const struct jsonw *w)
{
	return w->depth > 0 && w->inline_[w->depth - 1];
}

static void newline_indent(struct jsonw *w, int depth)
{
	static const char spaces[] = "                                ";
	buf_putc(w->out, '\n');
	for (size_t left = 2 * (size_t)depth; left;) {
		size_t n = left < sizeof spaces - 1 ? left : sizeof spaces - 1;
		buf_append(w->out, spaces, n);
		left -= n;
	}
}

/* Separator and indentation before a value or a key. */
static void before_item(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth - 1])
		buf_putc(w->out, ',');
	w->first[w->depth - 1] = false;
	if (is_inline(w)) {
		if (w->out->len && w->out->data[w->out->len - 1] == ',')
			buf_putc(w->out, ' ');
	} else {
		newline_indent(w, w->depth);
	}
}

static void open_container(struct jsonw *w, char c, bool inline_)
{
	before_item(w);
	buf_putc(w->out, c);
	bool parent_inline = is_inline(w);
	/* writers in perfgate nest a handful of levels; deeper is a bug, not an input problem */
	assert(w->depth < JSONW_MAX_DEPTH);
	w->first[w->depth] = true;
	w->inline_[w->depth] = inline_ || parent_inline;
	w->closer[w->depth] = c == '{' ? '}' : ']';
	w->depth++;
}

void jsonw_object(struct jsonw *w) { open_container(w, '{', false); }
void jsonw_object_inline(struct jsonw *w) { open_container(w, '{', true); }
void jsonw_array(struct jsonw *w) { open_container(w, '[', false); }
void jsonw_array_inline(struct jsonw *w) { open_container(w, '[', true); }

void jsonw_end(struct jsonw *w)
{
	assert(w->depth > 0);
	bool was_inline = is_inline(w);
	bool empty = w->first[w->depth - 1];
	char closer = w->closer[w->depth - 1];
	w->depth--;
	if (!empty && !was_inline)
		newline_indent(w, w->depth);
	buf_putc(w->out, closer);
}

/* The length of s when it is all printable ASCII with no '"' or '\\' (most names and keys:
 * written as they are), else SIZE_MAX. */
static size_t plain_length(const char *s)
{
	size_t n = 0;
	for (unsigned char c; (c = (unsigned char)s[n]) != '\0'; n++)
		if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
			return SIZE_MAX;
	return n;
}

static void put_string(struct buf *b, const char *s)
{
	size_t n = plain_length(s);
	if (n != SIZE_MAX) {
		buf_putc(b, '"');
		buf_append(b, s, n);
		buf_putc(b, '"');
		return;
	}
	struct buf clean;
	buf_init(&clean);
	str_utf8_clean(&clean, s, strlen(s), 0, SIZE_MAX);
	buf_putc(b, '"');
	for (size_t i = 0; i < clean.len;) {
		size_t plain = 0; /* bytes from i that need no escape, copied at once */
		while (i + plain < clean.len && (unsigned char)clean.data[i + plain] >= 0x20 &&
		       clean.data[i + plain] != '"' && clean.data[i + plain] != '\\')
			plain++;
		buf_append(b, clean.data + i, plain);
		i += plain;
		if (i == clean.len)
			break;
		unsigned char c = (unsigned char)clean.data[i++];
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default: buf_printf(b, "\\u%04x", c);
		}
	}
	buf_putc(b, '"');
	buf_fini(&clean);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	before_item(w);
	put_string(w->out, key);
	buf_puts(w->out, ": ");
	w->after_key = true;
}

void jsonw_string(struct jsonw *w, const char *s)
{
	before_item(w);
	if (s)
		put_string(w->out, s);
	else
		buf_puts(w->out, "null");
}

void jsonw_double(struct jsonw *w, double v)
{
	before_item(w);
	if (!isfinite(v)) {
		buf_puts(w->out, "null");
		return;
	}
	char text[32];
	str_format_double(text, v);
	buf_puts(w->out, text);
}

void jsonw_number(struct jsonw *w, double v)
{
	if (w->infinity_strings && isinf(v))
		jsonw_string(w, v > 0 ? "+Inf" : "-Inf");
	else
		jsonw_double(w, v);
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	before_item(w);
	char text[24], *p = text + sizeof text; /* digits written backwards, without printf */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_append(w->out, p, (size_t)(text + sizeof text - p));
}

void jsonw_bool(struct jsonw *w, bool v)
{
	before_item(w);
	buf_puts(w->out, v ? "true" : "false");
}

void jsonw_null(struct jsonw *w)
{
	before_item(w);
	buf_puts(w->out, "null");
}

void jsonw_finish(struct jsonw *w)
{
	buf_putc(w->out, '\n');
}
