/*
 * str.c - small string helpers and the one double formatter used by every output.
 *
 * str_format_double picks the shortest "%.Ng" (N = 15..17) that reads back to the same double,
 * so a value that a tool wrote as 12.51 is written back as 12.51, and outputs are byte-stable.
 * It uses snprintf/strtod, which follow the "C" locale perfgate sets in main().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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
