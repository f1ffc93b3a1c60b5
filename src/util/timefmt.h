/*
 * timefmt.h - RFC 3339 timestamps <-> microseconds since the Unix epoch (UTC).
 *
 * Audience: front ends (autocannon start/finish, k6 times), model JSON, reports, budget waivers.
 * Pure arithmetic (days-from-civil), no time zone database and no locale: "2022-04-12T09:48:13.498Z"
 * and "2024-08-21T23:39:10.148784098-03:00" both parse; fractions beyond µs are truncated.
 */
#ifndef PERFGATE_TIMEFMT_H
#define PERFGATE_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Days from 1970-01-01 to year y, month m (1..12), day d in the proleptic Gregorian calendar
 * (negative before 1970). The program's one calendar: every date becomes a day count here.
 */
int64_t time_days_from_civil(int64_t y, int m, int d);
/* Days in month m (1..12) of year y: 28 to 31, from time_days_from_civil. */
int time_days_in_month(int64_t y, int m);

/*
 * Reads the digits of a fraction of a second (after the '.') at p, at most up to end, as
 * microseconds (digits beyond the sixth truncated). Returns the number of digits read; 0 means
 * there were none (malformed).
 */
size_t time_parse_fraction(const char *p, const char *end, int64_t *out_us);

/*
 * The range of every time in a model, in µs since the epoch, within what RFC 3339 can write
 * (years 0000 to 9999). It starts at -14 * 2^32 s, the first multiple of 2^32 s after year 0:
 * a timeline interval is floored to its width (a power of two seconds, at most 2^32) from the
 * epoch, so an interval holding a time in range starts in range too, and model JSON can write
 * it. Front ends refuse times outside the range, so model JSON can hold what they read.
 */
#define TIME_MIN_US (INT64_C(-14) * (INT64_C(1) << 32) * 1000000) /* 0064-07-27T05:24:16Z */
#define TIME_MAX_US INT64_C(253402300799999999) /* 9999-12-31T23:59:59.999999Z */
#define TIME_RANGE_TEXT "0064-07-27T05:24:16Z to 9999-12-31T23:59:59Z"

/* Whether us lies in TIME_MIN_US .. TIME_MAX_US. */
static inline bool time_in_range(int64_t us)
{
	return us >= TIME_MIN_US && us <= TIME_MAX_US;
}

/* Parses an RFC 3339 date-time ('T' or ' ' separator, 'Z' or ±HH:MM). False when malformed. */
bool time_parse_rfc3339(const char *text, int64_t *out_us);

/*
 * Formats as UTC "YYYY-MM-DDTHH:MM:SS[.fff[fff]]Z": milliseconds when the value has no finer
 * part, microseconds otherwise, no fraction for whole seconds. out needs 40 bytes.
 */
void time_format_rfc3339(int64_t us, char out[40]);

#endif
