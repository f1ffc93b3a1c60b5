/*
 * str.c - small string helpers and the one double formatter used by every output.
 *
 * str_format_double picks the shortest "%.Ng" (N = 15..17) that reads back to the same double,
 * so a value that a tool wrote as 12.51 is written back as 12.51, and outputs are byte-stable.
 * It uses snprintf/strtod, which follow the "C" locale perfgate sets in main().
 *
 * str_utf8_clean is the one place that turns untrusted bytes into valid UTF-8 for an output:
 * the writers (jsonw, the report context, JUnit, Markdown, chart text) call it with flags for
 * their own control-character rules, then do their own escaping on the clean text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

uint64_t str_fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * UINT64_C(1099511628211);
	return h;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t str_bom_length(const char *bytes, size_t len)
{
	return len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

double str_round_significant(double value, int digits)
{
	if (value == 0 || !isfinite(value))
		return value;
	char text[40];
	snprintf(text, sizeof text, "%.*g", digits, value);
	return strtod(text, NULL);
}

int str_format_double(char out[32], double value)
{
	if (isnan(value))
		return snprintf(out, 32, "nan");
	if (isinf(value))
		return snprintf(out, 32, value < 0 ? "-inf" : "inf");
	if (value == 0)
		return snprintf(out, 32, "0"); /* also folds -0 */
	int n = 0;
	for (int precision = 15; precision <= 17; precision++) {
		n = snprintf(out, 32, "%.*g", precision, value);
		if (strtod(out, NULL) == value)
			break;
	}
	return n;
}

size_t str_utf8_sequence(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

size_t str_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		/* ASCII, the usual case, eight bytes at a time: no byte has its high bit */
		for (uint64_t w; len - i >= 8; i += 8) {
			memcpy(&w, s + i, sizeof w);
			if (w & UINT64_C(0x8080808080808080))
				break;
		}
		if (i == len)
			break;
		size_t n = str_utf8_sequence(s + i, len - i);
		if (!n)
			break;
		i += n;
	}
	return i;
}

/*
 * Whether the well-formed sequence s[0..n) is a Unicode noncharacter: U+FDD0..U+FDEF, or the
 * last two code points of any plane (U+FFFE, U+FFFF, U+1FFFE ... U+10FFFF).
 */
static bool is_noncharacter(const unsigned char *s, size_t n)
{
	uint32_t cp;
	if (n == 3)
		cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	else if (n == 4)
		cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
		     (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	else
		return false;
	return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

/* A C0 control or DEL as text: \n, \r, \t, else \xNN. */
static void put_control_escape(struct buf *out, unsigned char c)
{
	switch (c) {
	case '\n': buf_puts(out, "\\n"); break;
	case '\r': buf_puts(out, "\\r"); break;
	case '\t': buf_puts(out, "\\t"); break;
	default: buf_printf(out, "\\x%02x", c);
	}
}

void str_utf8_clean(struct buf *out, const char *text, size_t len, unsigned flags, size_t limit)
{
	const unsigned char *s = (const unsigned char *)text;
	buf_append(out, "", 0); /* a string even when nothing is appended */
	size_t start = out->len;
	for (size_t i = 0; i < len && limit - (out->len - start) >= 4;) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7F) { /* printable ASCII needs nothing: copy the run at once */
			size_t room = limit - (out->len - start) - 3, n = 1;
			while (n < room && i + n < len && s[i + n] >= 0x20 && s[i + n] < 0x7F)
				n++;
			buf_append(out, text + i, n);
			i += n;
			continue;
		}
		size_t n = str_utf8_sequence(text + i, len - i), before = out->len;
		if (n == 0) {
			if (flags & STR_CLEAN_INVALID_HEX)
				buf_printf(out, "\\x%02X", c);
			else
				buf_puts(out, "\xEF\xBF\xBD");
			i++;
			if (out->len - start > limit) { /* an escape that does not fit: not cut in two */
				out->len = before;
				out->data[before] = '\0';
				break;
			}
			continue;
		}
		if ((flags & STR_CLEAN_ESCAPE) && (c < 0x20 || c == 0x7F))
			put_control_escape(out, c);
		else if ((flags & STR_CLEAN_ESCAPE) && n == 2 && c == 0xC2 && s[i + 1] < 0xA0)
			buf_printf(out, "\\u%04x", s[i + 1]);
		else if ((flags & STR_CLEAN_CONTROL_HEX) && c < 0x20 && c != '\t' && c != '\n' &&
			 c != '\r')
			buf_printf(out, "\\x%02X", c);
		else if ((flags & STR_CLEAN_CONTROL_SPACE) && (c < 0x20 || c == 0x7F))
			buf_putc(out, ' ');
		else if ((flags & STR_CLEAN_C1_SPACE) && n == 2 && c == 0xC2 && s[i + 1] < 0xA0)
			buf_putc(out, ' ');
		else if ((flags & STR_CLEAN_NONCHAR) && is_noncharacter(s + i, n))
			buf_puts(out, "\xEF\xBF\xBD");
		else
			buf_append(out, text + i, n);
		i += n;
		if (out->len - start > limit) {
			out->len = before;
			out->data[before] = '\0';
			break;
		}
	}
}

void str_put_visible(struct buf *out, const char *s)
{
	str_utf8_clean(out, s, strlen(s), STR_CLEAN_ESCAPE, SIZE_MAX);
}

void str_put_visible_cut(struct buf *out, const char *s, size_t max_bytes)
{
	size_t start = out->len;
	str_utf8_clean(out, s, strlen(s), STR_CLEAN_ESCAPE, max_bytes + 8);
	if (out->len - start <= max_bytes)
		return;
	/* too long: again, to 3 bytes less, then the ellipsis (U+2026) */
	out->len = start;
	out->data[start] = '\0';
	str_utf8_clean(out, s, strlen(s), STR_CLEAN_ESCAPE, max_bytes - 3);
	buf_puts(out, "\xE2\x80\xA6");
}

long str_hex4(const char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Levenshtein distance between two strings, in bytes. */
static size_t str_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xmalloc((lb + 1) * sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diagonal + cost;
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

const char *str_closest(const char *word, const char *const *names, size_t count)
{
	const char *best = NULL;
	size_t best_distance = (size_t)-1;
	size_t len = strlen(word);
	size_t limit = len < 3 ? 1 : len / 3 + 1;
	for (size_t i = 0; i < count; i++) {
		if (!names[i] || strcmp(names[i], word) == 0)
			continue;
		size_t d = str_edit_distance(word, names[i]);
		if (d <= limit && d < best_distance) {
			best = names[i];
			best_distance = d;
		}
	}
	return best;
}
