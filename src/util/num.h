/*
 * num.h - strict, locale-independent number parsing for every front end.
 *
 * Audience: ingest, budget, util.
 *
 * Tools write numbers in many shapes (FORMATS.md §0): Go's 1.234567e+06, Python's 7382.0, C's
 * -nan and inf, Locust's N/A. num_parse_double accepts a complete token and classifies it; it
 * never silently turns garbage into 0 the way atof does. The decimal separator is always '.',
 * whatever the process locale ("1,5" is rejected).
 */
#ifndef PERFGATE_NUM_H
#define PERFGATE_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum num_status {
	NUM_OK,        /* a finite number; *out set */
	NUM_NAN,       /* NaN, nan, -nan, +nan (any case); *out = NAN */
	NUM_INF,       /* inf, +inf, -inf, Inf, infinity (any case); *out = +/-INFINITY */
	NUM_MISSING,   /* empty, N/A, n/a, null, None (after trimming blanks) */
	NUM_OVERFLOW,  /* a number, but out of double range (1e309); *out = +/-HUGE_VAL */
	NUM_INVALID,   /* anything else: trailing garbage, "1,5", "0x10", lone "-" ... */
};

/*
 * Parses text[0..len) as a decimal floating-point number. Leading and trailing blanks (space,
 * tab) are ignored; a leading '+' is allowed; hexadecimal and "nan(...)" payloads are rejected.
 * ".5" and "5." are numbers. Underflow ("1e-400") is NUM_OK with the nearest double (0 or a
 * subnormal). *out is left untouched for NUM_INVALID.
 * *consumed (may be NULL) receives the offset of the first offending byte for NUM_INVALID
 * (for diagnostics' columns), or len otherwise.
 */
enum num_status num_parse_double(const char *text, size_t len, double *out, size_t *consumed);

/*
 * Parses text[0..len) as a decimal integer (optional sign, digits only, blanks trimmed).
 * NUM_OVERFLOW when it does not fit in int64_t; NUM_INVALID for "1.0", "1e3" and garbage.
 * The missing, NaN and Inf spellings are classified as for num_parse_double. *out is set only
 * for NUM_OK; *consumed as for num_parse_double.
 */
enum num_status num_parse_int(const char *text, size_t len, int64_t *out, size_t *consumed);

/*
 * Parses text[0..len) like num_parse_double and returns it times multiplier * 10^exp10, rounded
 * once from the exact decimal product (so "1.52" minutes as ms, 1.52 * 6 * 10^4, is the double
 * nearest 91200, and "355.73" us as ms is the double nearest 0.35573): for converting a value
 * printed in one unit into another. Statuses and *consumed as for num_parse_double; a product
 * beyond double range is NUM_OVERFLOW.
 */
enum num_status num_parse_scaled(const char *text, size_t len, uint64_t multiplier, int exp10,
				 double *out, size_t *consumed);

/* A short lower-case name for a status ("not a number", "out of range", ...), for messages. */
const char *num_status_name(enum num_status status);

#endif
