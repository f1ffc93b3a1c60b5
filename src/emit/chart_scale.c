/*
 * chart_scale.c - the pure maths of chart layout: nice tick values for number and time axes,
 * tick and duration labels, the percentile axis position, the linear map onto pixels.
 *
 * Nothing here knows Cairo, so every rule is unit-tested on plain numbers (test_chart_scale).
 * Ticks are Heckbert's "nice numbers": a step of 1, 2 or 5 times a power of ten (time axes: a
 * table of clock-friendly steps), the one closest to range / (target - 1) on a log scale, then
 * widened while the ticks would be more than CHART_MAX_TICKS. Tick values are computed as
 * index * mantissa / 10^k rather than by repeated addition, so 0.6 is 0.6 and not
 * 0.6000000000000001. Hostile input is made drawable rather than rejected: NaN and Inf ends
 * fall back to the finite one (or to [0, 1]), a range that is empty or too narrow for a double
 * to tell its ticks apart is widened around its middle, and magnitudes beyond 1e300 are clamped
 * so the arithmetic never overflows.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"

/* Beyond this, range arithmetic could overflow; an axis that large is clamped to it. */
#define SCALE_LIMIT 1e300

/* v within +-SCALE_LIMIT, and 0 when it is as small as 1 / SCALE_LIMIT (denormals would
 * make a step of 0) */
static double clamp_limit(double v)
{
	if (fabs(v) < 1 / SCALE_LIMIT)
		return 0;
	return v > SCALE_LIMIT ? SCALE_LIMIT : v < -SCALE_LIMIT ? -SCALE_LIMIT : v;
}

/*
 * Makes [*min, *max] a finite, ordered range at least as wide as a double can split into
 * ticks: NaN/Inf ends fall back to the other end, both bad to [0, 1]; an empty or too narrow
 * range becomes +-10% around its value (+-1 around 0).
 */
static void sane_range(double *min, double *max)
{
	double lo = *min, hi = *max;
	if (!isfinite(lo) && !isfinite(hi)) {
		lo = 0;
		hi = 1;
	} else if (!isfinite(lo)) {
		lo = hi;
	} else if (!isfinite(hi)) {
		hi = lo;
	}
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	lo = clamp_limit(lo);
	hi = clamp_limit(hi);
	double magnitude = fmax(fabs(lo), fabs(hi));
	if (hi - lo <= magnitude * 1e-9) {
		double mid = lo / 2 + hi / 2;
		double half = mid == 0 ? 1 : fabs(mid) * 0.1;
		lo = mid - half;
		hi = mid + half;
	}
	*min = lo;
	*max = hi;
}

static int clamp_target(int target)
{
	return target < 2 ? 2 : target > CHART_MAX_TICKS ? CHART_MAX_TICKS : target;
}

/* The value of tick number index (a multiple of mantissa * 10^exponent), without drift. */
static double tick_value(double index, double mantissa, int exponent)
{
	if (exponent < 0)
		return index * mantissa / pow(10, -exponent);
	return index * mantissa * pow(10, exponent);
}

/* Fills t with the ticks of step mantissa * 10^exponent covering [min, max]; false when they
 * would be more than CHART_MAX_TICKS. */
static bool fill_ticks(double min, double max, double mantissa, int exponent,
		       struct chart_ticks *t)
{
	double step = tick_value(1, mantissa, exponent);
	double first = floor(min / step), last = ceil(max / step);
	/* a value a hair above a tick (0.6000000000000001 / 0.2) still starts on that tick */
	if (tick_value(first + 1, mantissa, exponent) <= min)
		first += 1;
	if (tick_value(last - 1, mantissa, exponent) >= max)
		last -= 1;
	if (last - first + 1 > CHART_MAX_TICKS)
		return false;
	t->count = (size_t)(last - first) + 1;
	for (size_t i = 0; i < t->count; i++) {
		double v = tick_value(first + (double)i, mantissa, exponent);
		t->values[i] = v == 0 ? 0 : v; /* no -0 */
	}
	t->lo = t->values[0];
	t->hi = t->values[t->count - 1];
	t->step = step;
	t->decimals = exponent < 0 ? -exponent : 0;
	return true;
}

void chart_nice_ticks(double min, double max, int target, bool from_zero, struct chart_ticks *t)
{
	memset(t, 0, sizeof *t);
	if (from_zero && isfinite(min) && min > 0)
		min = 0;
	sane_range(&min, &max);
	target = clamp_target(target);
	double rough = (max - min) / (target - 1);
	int exponent = (int)floor(log10(rough));
	double fraction = rough / pow(10, exponent);
	/* nearest of 1, 2, 5, 10 on a log scale: the cut points are their geometric means */
	static const double mantissas[] = {1, 2, 5};
	size_t m = fraction < 1.414 ? 0 : fraction < 3.162 ? 1 : fraction < 7.071 ? 2 : 3;
	if (m == 3) {
		m = 0;
		exponent++;
	}
	while (!fill_ticks(min, max, mantissas[m], exponent, t)) {
		if (++m == 3) {
			m = 0;
			exponent++;
		}
	}
}

/* Steps of a time axis, in seconds, up to half a day; beyond, days at 1, 2, 5 x 10^k. */
static const double time_steps[] = {
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
};

void chart_time_ticks(double min_s, double max_s, int target, struct chart_ticks *t)
{
	memset(t, 0, sizeof *t);
	/* no time at all: the first minute; one instant: the minute around it, not before 0 */
	if (!isfinite(min_s) && !isfinite(max_s)) {
		min_s = 0;
		max_s = 60;
	} else if (!isfinite(min_s) || !isfinite(max_s) || min_s == max_s) {
		double at = isfinite(min_s) ? min_s : max_s;
		min_s = at >= 0 && at < 30 ? 0 : at - 30;
		max_s = min_s + 60;
	}
	sane_range(&min_s, &max_s);
	target = clamp_target(target);
	double rough = (max_s - min_s) / (target - 1);
	if (rough < 0.7) {
		/* under a second per tick: plain decimal seconds */
		chart_nice_ticks(min_s, max_s, target, false, t);
		return;
	}
	if (rough < 1.5 * 43200) {
		size_t i = 0;
		while (i + 1 < PG_ARRAY_LEN(time_steps) &&
		       fabs(log(time_steps[i + 1] / rough)) < fabs(log(time_steps[i] / rough)))
			i++;
		for (; i < PG_ARRAY_LEN(time_steps); i++)
			if (fill_ticks(min_s, max_s, time_steps[i], 0, t))
				return;
	}
	/* days: the ticks of a number axis counted in days */
	chart_nice_ticks(min_s / 86400, max_s / 86400, target, false, t);
	for (size_t i = 0; i < t->count; i++)
		t->values[i] *= 86400;
	t->lo = t->values[0];
	t->hi = t->values[t->count - 1];
	t->step *= 86400;
	t->decimals = 0;
}

void chart_format_tick(double value, int decimals, char out[32])
{
	if (!isfinite(value)) {
		snprintf(out, 32, "%s", isnan(value) ? "nan" : value > 0 ? "inf" : "-inf");
		return;
	}
	if (decimals < 0)
		decimals = 0;
	/* beyond 12 integer digits or 6 decimals, fixed notation stops being readable */
	if (fabs(value) >= 1e12 || (decimals > 6 && value != 0)) {
		snprintf(out, 32, "%.4g", value);
		return;
	}
	if (decimals > 6)
		decimals = 0;
	snprintf(out, 32, "%.*f", decimals, value);
	/* "-0", "-0.00": a value that rounds to zero has no sign */
	if (out[0] == '-' && strspn(out + 1, "0.") == strlen(out + 1))
		memmove(out, out + 1, strlen(out));
}

void chart_format_seconds(double seconds, char out[32])
{
	if (!isfinite(seconds)) {
		snprintf(out, 32, "%s", isnan(seconds) ? "nan" : seconds > 0 ? "inf" : "-inf");
		return;
	}
	const char *sign = seconds < 0 ? "-" : "";
	double a = fabs(seconds);
	if (a >= 1e15) {
		snprintf(out, 32, "%s%.3gs", sign, a);
		return;
	}
	double whole = round(a);
	if (fabs(a - whole) >= 0.0005 && a < 60) {
		/* a fraction of a second: up to milliseconds, trailing zeros dropped */
		snprintf(out, 32, "%s%.3f", sign, a);
		char *end = out + strlen(out);
		while (end[-1] == '0')
			*--end = '\0';
		if (end[-1] == '.')
			*--end = '\0';
		strcat(out, "s");
		return;
	}
	if (whole == 0) {
		snprintf(out, 32, "0s");
		return;
	}
	double h = floor(whole / 3600);
	double rest = whole - h * 3600;
	int m = (int)(rest / 60), s = (int)(rest - m * 60);
	int n = snprintf(out, 32, "%s", sign);
	if (h > 0)
		n += snprintf(out + n, 32 - (size_t)n, "%.0fh", h);
	if (m > 0)
		n += snprintf(out + n, 32 - (size_t)n, "%dm", m);
	if (s > 0)
		snprintf(out + n, 32 - (size_t)n, "%ds", s);
}

double chart_percentile_position(double percent)
{
	if (isnan(percent))
		return percent;
	/* 100 itself (the maximum) would sit at infinity: it is drawn at 99.9999 */
	if (percent > 99.9999)
		percent = 99.9999;
	if (percent < 0)
		percent = 0;
	return log10(100 / (100 - percent));
}

double chart_map(double v, double lo, double hi, double a, double b)
{
	if (hi == lo)
		return (a + b) / 2;
	return a + (v - lo) / (hi - lo) * (b - a);
}
