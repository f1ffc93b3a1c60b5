/*
 * csv.h - splitting CSV records into fields, as the load tools' CSV writers produce them.
 *
 * Audience: the CSV front ends (k6 --out csv, Locust --csv).
 *
 * Both writers quote a field only when they must (Go's encoding/csv, Python's csv module with
 * minimal quoting), and Locust 1.0 hand-quoted every string field: a quote opens a field only
 * at the field's start, "" inside a quoted field is a quote, and a quoted field may hold
 * commas and newlines, so a record can span lines. Line splitting is the caller's business:
 * csv_quote_open_after tells whether a line leaves a quoted field open, and the caller joins
 * lines with '\n' until the quotes pair up, then splits the whole record with csv_split.
 */
#ifndef PERFGATE_CSV_H
#define PERFGATE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct csv_field {
	const char *p;   /* the field's text, unquoted; not NUL-terminated */
	size_t len;      /* bytes in p */
	size_t offset;   /* byte offset of the field's first byte (its quote, if quoted) in the
			    record's text: for positions in diagnostics */
};

/*
 * Whether a quoted field is still open at the end of text, given whether one was open at its
 * start.
 */
bool csv_quote_open_after(const char *text, size_t len, bool open);

/*
 * Splits one record into fields; at most max are stored in out, but all are counted. Unquoted
 * fields point into text; quoted ones are unquoted into scratch (cleared first; the pointers
 * stay valid until scratch changes). Returns the number of fields, or -1 when a quoted field
 * is not closed (*bad_at: the offset of its opening quote).
 */
long csv_split(const char *text, size_t len, struct csv_field *out, size_t max,
	       struct buf *scratch, size_t *bad_at);

#endif
