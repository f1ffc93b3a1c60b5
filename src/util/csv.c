/*
 * csv.c - CSV record splitting (csv.h).
 *
 * The common case, a record without any quote, is split with memchr and copies nothing; a
 * record with quotes is unquoted into a scratch buffer in one pass.
 */
#include <string.h>

#include "csv.h"

bool csv_quote_open_after(const char *text, size_t len, bool open)
{
	if (!open && !memchr(text, '"', len))
		return false; /* the common row: no quote at all (memchr is vectorised) */
	bool field_start = !open;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (open) {
			if (ch == '"') {
				if (i + 1 < len && text[i + 1] == '"')
					i++;
				else
					open = false;
			}
		} else if (ch == '"' && field_start) {
			open = true;
		}
		field_start = !open && ch == ',';
	}
	return open;
}

long csv_split(const char *text, size_t len, struct csv_field *out, size_t max,
	       struct buf *scratch, size_t *bad_at)
{
	size_t n = 0;
	if (!memchr(text, '"', len)) {
		/* fields are short: one pass over the bytes beats a memchr call per field */
		size_t start = 0;
		for (size_t i = 0; i <= len; i++) {
			if (i < len && text[i] != ',')
				continue;
			if (n < max)
				out[n] = (struct csv_field){text + start, i - start, start};
			n++;
			start = i + 1;
		}
		return (long)n;
	}
	/*
	 * Unquoting never lengthens the text, so once scratch holds len + 1 bytes it does not move
	 * and the field pointers taken below stay valid.
	 */
	buf_clear(scratch);
	if (scratch->cap < len + 1) {
		buf_append(scratch, text, len);
		buf_clear(scratch);
	}
	size_t i = 0;
	for (;;) {
		size_t start = scratch->len, field_at = i;
		if (i < len && text[i] == '"') {
			size_t open = i++;
			for (;;) {
				if (i >= len) {
					*bad_at = open;
					return -1;
				}
				if (text[i] == '"') {
					if (i + 1 < len && text[i + 1] == '"') {
						buf_putc(scratch, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				buf_putc(scratch, text[i++]);
			}
		}
		while (i < len && text[i] != ',')
			buf_putc(scratch, text[i++]);
		if (n < max)
			out[n] = (struct csv_field){scratch->data + start, scratch->len - start,
						    field_at};
		n++;
		if (i >= len)
			break;
		i++; /* the comma */
	}
	return (long)n;
}
