/*
 * num.c - strict, locale-independent number parsing (num.h).
 *
 * Every token is first checked against the grammar here, byte by byte, with ASCII-only digit
 * tests and case folding (never ctype or strcasecmp, whose answers depend on the locale):
 * optional sign, digits with at most one '.', an optional exponent; or a NaN / Inf / missing
 * spelling. Only a token that passed is converted, in one of two ways:
 * - exactly, without libc, when the digits form an integer m <= 2^53 and |e| <= 22 (Clinger's
 *   fast path): m * 10^e or m / 10^-e is one IEEE operation on exact doubles, so correctly
 *   rounded. It covers what tools print ("7382.0", "1.234567e+06", "5.8626e-05");
 * - otherwise strtod, on a copy whose '.' is replaced by the locale's decimal point (from
 *   localeconv), so the result is the same whatever LC_NUMERIC is. The grammar is already
 *   checked, so strtod can only read the whole copy, which is asserted.
 * Underflow (1e-400) is NUM_OK with the nearest double, 0 or a subnormal of the right sign: it
 * is the value the tool wrote, rounded like any other. Nothing is allocated except a copy of
 * a token longer than 250 bytes, freed before returning.
 */
#include <assert.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "util.h"

/* What the grammar check learnt about a decimal token, for the exact conversion. */
struct decimal {
	bool negative;
	uint64_t mantissa; /* significant digits as an integer, while they fit (see exact) */
	bool exact;        /* mantissa holds every significant digit */
	long exponent;     /* value = mantissa * 10^exponent when exact (saturated far out) */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII case-insensitive comparison of text[0..len) with a lower-case word. */
static bool equals_word(const char *text, size_t len, const char *word)
{
	size_t i = 0;
	for (; i < len && word[i]; i++) {
		char c = text[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return i == len && word[i] == '\0';
}

static void trim(const char **text, size_t *len, size_t *lead)
{
	*lead = 0;
	while (*len && is_blank(**text))
		(*text)++, (*len)--, (*lead)++;
	while (*len && is_blank((*text)[*len - 1]))
		(*len)--;
}

static bool is_missing(const char *text, size_t len)
{
	return len == 0 || equals_word(text, len, "n/a") || equals_word(text, len, "null") ||
	       equals_word(text, len, "none");
}

/* NaN and Inf spellings, with an optional sign: returns NUM_NAN, NUM_INF or NUM_OK (neither). */
static enum num_status special_word(const char *text, size_t len, bool *negative)
{
	*negative = len && text[0] == '-';
	if (len && (text[0] == '+' || text[0] == '-'))
		text++, len--;
	if (equals_word(text, len, "nan"))
		return NUM_NAN;
	if (equals_word(text, len, "inf") || equals_word(text, len, "infinity"))
		return NUM_INF;
	return NUM_OK;
}

/*
 * NUM_MISSING, NUM_NAN or NUM_INF (with its sign in *negative) for those spellings, NUM_OK for
 * anything else. A token that starts like a number (a digit or a point, after an optional
 * sign) is none of them, since they all start with a letter: the numbers tools write skip the
 * word comparisons.
 */
static enum num_status word_status(const char *text, size_t len, bool *negative)
{
	size_t sign = len && (text[0] == '+' || text[0] == '-');
	*negative = false;
	if (len > sign && (is_digit(text[sign]) || text[sign] == '.'))
		return NUM_OK;
	if (is_missing(text, len))
		return NUM_MISSING;
	return special_word(text, len, negative);
}

/*
 * Checks that all of text[0..len) is a decimal number: [+-] digits [. digits] [e [+-] digits],
 * with at least one digit before the exponent; the fraction and exponent only when
 * allow_fraction. Fills *d. Otherwise returns false with the offset of the first offending
 * byte in *bad: where a digit was needed, the stray byte, or the 'e' of an exponent without
 * digits.
 */
static bool scan_decimal(const char *text, size_t len, bool allow_fraction, struct decimal *d,
                         size_t *bad)
{
	size_t i = 0, significant = 0;
	long fraction_digits = 0;
	d->negative = false;
	d->mantissa = 0;
	d->exact = true;
	d->exponent = 0;
	if (i < len && (text[i] == '+' || text[i] == '-'))
		d->negative = text[i++] == '-';
	size_t first_digit = i;
	/* leading zeros add nothing */
	while (i < len && text[i] == '0')
		i++;
	for (; i < len && is_digit(text[i]); i++) {
		if (significant == 19) {
			d->exact = false; /* 19 digits always fit in uint64_t, 20 may not */
			fraction_digits--; /* a dropped integer digit still counts as a power of ten */
			continue;
		}
		d->mantissa = d->mantissa * 10 + (uint64_t)(text[i] - '0');
		significant++;
	}
	size_t digits = i - first_digit;
	if (allow_fraction && i < len && text[i] == '.') {
		size_t point = i++;
		if (significant == 0) {
			/* a zero after the point before the first significant digit still scales */
			while (i < len && text[i] == '0')
				i++;
			fraction_digits += (long)(i - point - 1);
		}
		for (; i < len && is_digit(text[i]); i++) {
			if (significant == 19) {
				d->exact = false;
				continue;
			}
			d->mantissa = d->mantissa * 10 + (uint64_t)(text[i] - '0');
			significant++;
			fraction_digits++;
		}
		digits += i - point - 1;
	}
	if (digits == 0) {
		*bad = first_digit;
		return false;
	}
	long exponent = 0;
	if (allow_fraction && i < len && (text[i] == 'e' || text[i] == 'E')) {
		size_t e = i++;
		bool negative = false;
		if (i < len && (text[i] == '+' || text[i] == '-'))
			negative = text[i++] == '-';
		size_t exponent_digits = 0;
		/* saturate far past any double's range, so the sum below cannot overflow */
		for (; i < len && is_digit(text[i]); i++, exponent_digits++)
			if (exponent < 100000)
				exponent = exponent * 10 + (text[i] - '0');
		if (!exponent_digits) {
			*bad = e;
			return false;
		}
		if (negative)
			exponent = -exponent;
	}
	if (i != len) {
		*bad = i;
		return false;
	}
	d->exponent = exponent - fraction_digits;
	return true;
}

/* Clinger's fast path: true and *out when the conversion is a single exact IEEE operation. */
static bool convert_exactly(const struct decimal *d, double *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
	static const double powers[] = {
	    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
	};
	double value;
	if (d->mantissa == 0)
		value = 0; /* exact whatever the exponent, even "0e999" */
	else if (!d->exact || d->mantissa > (UINT64_C(1) << 53) || d->exponent < -22 ||
	         d->exponent > 22)
		return false;
	else if (d->exponent >= 0)
		value = (double)d->mantissa * powers[d->exponent];
	else
		value = (double)d->mantissa / powers[-d->exponent];
	*out = d->negative ? -value : value;
	return true;
#else
	/* extended-precision evaluation could round twice: leave it all to strtod */
	(void)d;
	(void)out;
	return false;
#endif
}

/* Converts a token that passed scan_decimal with strtod, whatever the locale's decimal point. */
static enum num_status convert_with_strtod(const char *text, size_t len, double *out)
{
	const char *point = localeconv()->decimal_point;
	size_t point_len = strlen(point);
	char small[256];
	size_t size = len + point_len + 1; /* at most one '.' is replaced */
	char *copy = size <= sizeof small ? small : xmalloc(size);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '.') {
			memcpy(copy + n, point, point_len);
			n += point_len;
		} else {
			copy[n++] = text[i];
		}
	}
	copy[n] = '\0';
	char *end;
	errno = 0;
	double value = strtod(copy, &end);
	bool overflow = errno == ERANGE && isinf(value);
	assert(end == copy + n);
	if (copy != small)
		free(copy);
	*out = value;
	return overflow ? NUM_OVERFLOW : NUM_OK;
}

/*
 * The token tools write most, digits with at most one point and nothing else (no sign,
 * exponent or blank), of at most 19 digits and within Clinger's fast path: converted in one
 * loop, true. Anything else is left to the general path, which gives the same double for
 * these tokens (the same mantissa and exponent, the same conversion).
 */
static bool parse_plain(const char *text, size_t len, double *out)
{
	uint64_t mantissa = 0;
	size_t digits = 0;
	long fraction_digits = 0;
	bool point = false;
	for (size_t i = 0; i < len; i++) {
		unsigned digit = (unsigned)(unsigned char)text[i] - '0';
		if (digit <= 9) {
			if (++digits > 19)
				return false; /* may not fit in uint64_t */
			mantissa = mantissa * 10 + digit;
			fraction_digits += point;
		} else if (text[i] == '.' && !point) {
			point = true;
		} else {
			return false;
		}
	}
	struct decimal d = {false, mantissa, true, -fraction_digits};
	return digits > 0 && convert_exactly(&d, out);
}

enum num_status num_parse_double(const char *text, size_t len, double *out, size_t *consumed)
{
	size_t lead, bad = 0;
	if (consumed)
		*consumed = len;
	if (parse_plain(text, len, out))
		return NUM_OK;
	trim(&text, &len, &lead);
	bool negative;
	switch (word_status(text, len, &negative)) {
	case NUM_MISSING:
		*out = NAN;
		return NUM_MISSING;
	case NUM_NAN:
		*out = NAN;
		return NUM_NAN;
	case NUM_INF:
		*out = negative ? -INFINITY : INFINITY;
		return NUM_INF;
	default:
		break;
	}
	struct decimal d;
	if (!scan_decimal(text, len, true, &d, &bad)) {
		if (consumed)
			*consumed = lead + bad;
		return NUM_INVALID;
	}
	if (convert_exactly(&d, out))
		return NUM_OK;
	return convert_with_strtod(text, len, out);
}

/*
 * The exact scaling: d * odd * 2^twos * 10^exp10 is one rounding of the exact product when
 * mantissa * odd still fits (the powers of ten only move the exponent, the power of two is
 * applied after rounding, which commutes with rounding for normal results). Otherwise (more
 * than 18 significant digits times a large odd factor) the double product, within an ulp or two.
 */
enum num_status num_parse_scaled(const char *text, size_t len, uint64_t multiplier, int exp10,
				 double *out, size_t *consumed)
{
	double plain;
	enum num_status status = num_parse_double(text, len, &plain, consumed);
	if (status != NUM_OK) {
		if (status != NUM_INVALID)
			*out = plain; /* NaN, +-Inf, +-HUGE_VAL: no scale changes them */
		return status;
	}
	if (multiplier == 0) {
		*out = 0;
		return NUM_OK;
	}
	int twos = 0;
	uint64_t odd = multiplier;
	while (odd % 2 == 0)
		odd /= 2, twos++;
	size_t lead, bad;
	trim(&text, &len, &lead);
	struct decimal d;
	if (!scan_decimal(text, len, true, &d, &bad))
		return NUM_INVALID; /* not reached: num_parse_double accepted the text */
	double value;
	if (d.exact && d.mantissa <= UINT64_MAX / odd) {
		d.mantissa *= odd;
		d.exponent += exp10;
		if (!convert_exactly(&d, &value)) {
			char digits[64];
			snprintf(digits, sizeof digits, "%s%llue%ld", d.negative ? "-" : "",
				 (unsigned long long)d.mantissa, d.exponent);
			status = convert_with_strtod(digits, strlen(digits), &value);
		}
	} else {
		value = plain * (double)odd * pow(10, exp10);
	}
	value = ldexp(value, twos);
	if (isinf(value))
		status = NUM_OVERFLOW;
	*out = value;
	return status;
}

enum num_status num_parse_int(const char *text, size_t len, int64_t *out, size_t *consumed)
{
	size_t lead, bad = 0;
	if (consumed)
		*consumed = len;
	trim(&text, &len, &lead);
	bool negative;
	enum num_status word = word_status(text, len, &negative);
	if (word != NUM_OK)
		return word;
	struct decimal d;
	if (!scan_decimal(text, len, false, &d, &bad)) {
		if (consumed)
			*consumed = lead + bad;
		return NUM_INVALID;
	}
	size_t i = text[0] == '+' || text[0] == '-';
	/* accumulate as a negative number so INT64_MIN fits */
	int64_t v = 0;
	for (; i < len; i++) {
		int digit = text[i] - '0';
		if (v < (INT64_MIN + digit) / 10)
			return NUM_OVERFLOW;
		v = v * 10 - digit;
	}
	if (!d.negative) {
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
