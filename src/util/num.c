/*
 * num.c - strict number parsing (num.h).
 *
 * The token's grammar is checked here, byte by byte, before any conversion: optional sign,
 * digits with at most one '.', an optional exponent; or one of the NaN / Inf / missing
 * spellings. Only a token that passed is handed to strtod, after being copied into a buffer
 * with '.' as the decimal point, which strtod reads correctly in the "C" locale that main()
 * sets (and tests run in). Underflow (1e-400) yields the nearest double, 0 or a subnormal, and
 * NUM_OK: a tiny value is still the number the tool wrote, to double precision.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "num.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool equals_fold(const char *text, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(text, word, len) == 0;
}

static void trim(const char **text, size_t *len, size_t *lead)
{
	*lead = 0;
	while (*len && is_blank(**text))
		(*text)++, (*len)--, (*lead)++;
	while (*len && is_blank((*text)[*len - 1]))
		(*len)--;
}

/* True when all of text is a decimal number (sign, digits, '.', exponent); otherwise false
 * with the offset of the first offending byte in *bad. */
static bool scan_decimal(const char *text, size_t len, bool allow_fraction, size_t *bad)
{
	size_t i = 0, digits = 0;
	if (i < len && (text[i] == '+' || text[i] == '-'))
		i++;
	while (i < len && isdigit((unsigned char)text[i]))
		i++, digits++;
	if (allow_fraction && i < len && text[i] == '.') {
		i++;
		while (i < len && isdigit((unsigned char)text[i]))
			i++, digits++;
	}
	if (digits == 0) {
		*bad = i; /* after a lone sign, the offending spot is where digits should be */
		return false;
	}
	if (allow_fraction && i < len && (text[i] == 'e' || text[i] == 'E')) {
		size_t e = i++;
		if (i < len && (text[i] == '+' || text[i] == '-'))
			i++;
		size_t exponent_digits = 0;
		while (i < len && isdigit((unsigned char)text[i]))
			i++, exponent_digits++;
		if (!exponent_digits) {
			*bad = e;
			return false;
		}
	}
	if (i != len) {
		*bad = i;
		return false;
	}
	return true;
}

enum num_status num_parse_double(const char *text, size_t len, double *out, size_t *consumed)
{
	size_t lead, bad = 0;
	size_t original = len;
	trim(&text, &len, &lead);
	if (consumed)
		*consumed = original;
	if (len == 0 || equals_fold(text, len, "N/A") || equals_fold(text, len, "null") ||
	    equals_fold(text, len, "None")) {
		*out = NAN;
		return NUM_MISSING;
	}
	const char *word = text;
	size_t word_len = len;
	bool negative = false;
	if (*word == '+' || *word == '-') {
		negative = *word == '-';
		word++, word_len--;
	}
	if (equals_fold(word, word_len, "nan")) {
		*out = NAN;
		return NUM_NAN;
	}
	if (equals_fold(word, word_len, "inf") || equals_fold(word, word_len, "infinity")) {
		*out = negative ? -INFINITY : INFINITY;
		return NUM_INF;
	}
	if (!scan_decimal(text, len, true, &bad)) {
		if (consumed)
			*consumed = lead + bad;
		return NUM_INVALID;
	}
	char small[128];
	char *copy = len < sizeof small ? small : malloc(len + 1);
	if (!copy)
		return NUM_INVALID;
	memcpy(copy, text, len);
	copy[len] = '\0';
	errno = 0;
	double v = strtod(copy, NULL);
	bool overflow = errno == ERANGE && isinf(v);
	if (copy != small)
		free(copy);
	*out = v;
	return overflow ? NUM_OVERFLOW : NUM_OK;
}

enum num_status num_parse_int(const char *text, size_t len, int64_t *out, size_t *consumed)
{
	size_t lead, bad = 0, original = len;
	trim(&text, &len, &lead);
	if (consumed)
		*consumed = original;
	if (len == 0)
		return NUM_MISSING;
	if (!scan_decimal(text, len, false, &bad)) {
		if (consumed)
			*consumed = lead + bad;
		return NUM_INVALID;
	}
	size_t i = 0;
	bool negative = false;
	if (text[i] == '+' || text[i] == '-')
		negative = text[i++] == '-';
	/* accumulate as a negative number so INT64_MIN fits */
	int64_t v = 0;
	for (; i < len; i++) {
		int digit = text[i] - '0';
		if (v < (INT64_MIN + digit) / 10)
			return NUM_OVERFLOW;
		v = v * 10 - digit;
	}
	if (!negative) {
		if (v == INT64_MIN)
			return NUM_OVERFLOW;
		v = -v;
	}
	*out = v;
	return NUM_OK;
}

const char *num_status_name(enum num_status status)
{
	switch (status) {
	case NUM_OK: return "a number";
	case NUM_NAN: return "not a number (NaN)";
	case NUM_INF: return "infinite";
	case NUM_MISSING: return "missing";
	case NUM_OVERFLOW: return "out of range";
	case NUM_INVALID: return "not a number";
	}
	return "not a number";
}
