/*
 * timefmt.c - RFC 3339 parsing and formatting in UTC microseconds (see timefmt.h).
 *
 * Civil-date arithmetic uses the days_from_civil / civil_from_days algorithms (proleptic
 * Gregorian, valid for years 0..9999), so nothing depends on the TZ variable or timegm. They
 * are the program's one calendar: budget waiver dates are counted by time_days_from_civil too.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "timefmt.h"

int64_t time_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int time_days_in_month(int64_t y, int m)
{
	int64_t first = time_days_from_civil(y, m, 1);
	int64_t next = m == 12 ? time_days_from_civil(y + 1, 1, 1)
			       : time_days_from_civil(y, m + 1, 1);
	return (int)(next - first);
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool digits(const char **p, int count, int *out)
{
	int v = 0;
	for (int i = 0; i < count; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += count;
	*out = v;
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define EIGHT_DIGITS
/*
 * Eight digits read at once, the first at the lowest byte (a little-endian load): true and
 * *value when every byte of x is '0'..'9'. A byte is a digit when its high nibble is 3 and
 * adding 6 leaves it 3 (so the low nibble is at most 9). Then neighbours are joined: bytes into
 * two-digit numbers, those into four, those into eight, each step a multiply and a shift.
 */
static bool eight_digits(uint64_t x, uint32_t *value)
{
	const uint64_t nibbles = 0xF0F0F0F0F0F0F0F0u;
	if ((x & nibbles) != 0x3030303030303030u ||
	    ((x + 0x0606060606060606u) & nibbles) != 0x3030303030303030u)
		return false;
	x -= 0x3030303030303030u;
	x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFu;
	x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFu;
	x = (x * 10000 + (x >> 32)) & 0xFFFFFFFFu;
	*value = (uint32_t)x;
	return true;
}
#endif

size_t time_parse_fraction(const char *p, const char *end, int64_t *out_us)
{
	size_t n = 0;
	int64_t micros = 0;
#ifdef EIGHT_DIGITS
	/* k6 writes nine digits (nanoseconds): the first eight in one step */
	if (end - p >= 8) {
		uint64_t x;
		uint32_t value;
		memcpy(&x, p, sizeof x);
		if (eight_digits(x, &value)) {
			for (n = 8; p + n < end && p[n] >= '0' && p[n] <= '9'; n++)
				;
			*out_us = value / 100;
			return n;
		}
	}
#endif
	for (; p + n < end && p[n] >= '0' && p[n] <= '9'; n++)
		if (n < 6)
			micros = micros * 10 + (p[n] - '0');
	for (size_t k = n; k < 6; k++)
		micros *= 10;
	*out_us = micros;
	return n;
}

bool time_parse_rfc3339(const char *text, int64_t *out_us)
{
	const char *p = text;
	int year, month, day, hour, minute, second;
	if (!digits(&p, 4, &year) || !expect(&p, '-') || !digits(&p, 2, &month) ||
	    !expect(&p, '-') || !digits(&p, 2, &day))
		return false;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return false;
	p++;
	if (!digits(&p, 2, &hour) || !expect(&p, ':') || !digits(&p, 2, &minute) ||
	    !expect(&p, ':') || !digits(&p, 2, &second))
		return false;
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
	    second > 60)
		return false;
	int64_t micros = 0;
	if (*p == '.') {
		size_t n = time_parse_fraction(p + 1, p + 1 + strlen(p + 1), &micros);
		if (n == 0)
			return false;
		p += 1 + n;
	}
	int64_t offset_s = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;
		p++;
		if (!digits(&p, 2, &oh) || !expect(&p, ':') || !digits(&p, 2, &om) || oh > 23 ||
		    om > 59)
			return false;
		offset_s = sign * (oh * 3600 + om * 60);
	} else {
		return false;
	}
	if (*p != '\0')
		return false;
	int64_t days = time_days_from_civil(year, month, day);
	int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
	*out_us = seconds * 1000000 + micros;
	return true;
}

void time_format_rfc3339(int64_t us, char out[40])
{
	int64_t seconds = us / 1000000, micros = us % 1000000;
	if (micros < 0) {
		micros += 1000000;
		seconds--;
	}
	int64_t days = seconds / 86400, rest = seconds % 86400;
	if (rest < 0) {
		rest += 86400;
		days--;
	}
	int64_t year;
	int month, day;
	civil_from_days(days, &year, &month, &day);
	int n = snprintf(out, 40, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)year, month, day,
			 (int)(rest / 3600), (int)(rest % 3600 / 60), (int)(rest % 60));
	if (micros % 1000 == 0 && micros)
		n += snprintf(out + n, (size_t)(40 - n), ".%03d", (int)(micros / 1000));
	else if (micros)
		n += snprintf(out + n, (size_t)(40 - n), ".%06d", (int)micros);
	snprintf(out + n, (size_t)(40 - n), "Z");
}
