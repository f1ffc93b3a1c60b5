/*
 * reported.c - series known only by the quantiles and statistics a tool reported.
 *
 * A tool such as autocannon prints p50, p90, p97.5 ... but not its samples. Those values are
 * kept as reported and returned unchanged (VALUE_REPORTED). A quantile the tool did not print is
 * interpolated linearly in q between the nearest reported neighbours, using the reported min as
 * q = 0 and max as q = 1 when known, and marked VALUE_ESTIMATE; outside every known point it is
 * the nearest point's value, also an estimate. Percentiles are never averaged across series:
 * merging two quantiles series is refused by model.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Two quantiles are the same point when they differ by less than this (p99.999 vs p99.9999). */
#define Q_EPSILON 1e-12

void reported_add_point(struct reported *r, double q, double value)
{
	size_t i = 0;
	while (i < r->point_count && r->points[i].q < q - Q_EPSILON)
		i++;
	if (i < r->point_count && fabs(r->points[i].q - q) <= Q_EPSILON) {
		r->points[i].value = value;
		return;
	}
	r->points = xgrow(r->points, &r->point_cap, r->point_count + 1, sizeof *r->points);
	for (size_t j = r->point_count; j > i; j--)
		r->points[j] = r->points[j - 1];
	r->points[i].q = q;
	r->points[i].value = value;
	r->point_count++;
}

void reported_set_stat(struct reported *r, enum stat_kind stat, double value)
{
	r->stats[stat] = value;
	r->has_stat[stat] = true;
}

struct value reported_point_at(const struct reported *r, double q)
{
	for (size_t i = 0; i < r->point_count; i++)
		if (fabs(r->points[i].q - q) <= Q_EPSILON)
			return (struct value){r->points[i].value, VALUE_REPORTED};
	return (struct value){0, VALUE_MISSING};
}

struct value reported_value_at(const struct reported *r, double q)
{
	struct value v = reported_point_at(r, q);
	if (v.kind != VALUE_MISSING)
		return v;
	if (q <= Q_EPSILON && r->has_stat[STAT_MIN])
		return (struct value){r->stats[STAT_MIN], VALUE_REPORTED};
	if (q >= 1 - Q_EPSILON && r->has_stat[STAT_MAX])
		return (struct value){r->stats[STAT_MAX], VALUE_REPORTED};
	/*
	 * min and max, or one percentile and min and max, say too little of the shape between
	 * them to interpolate: no estimate
	 */
	if (r->point_count < 2)
		return v;

	/* neighbours: the reported points plus min (q=0) and max (q=1) */
	bool have_lo = false, have_hi = false;
	struct quantile_point lo = {0, 0}, hi = {1, 0};
	if (r->has_stat[STAT_MIN]) {
		lo.value = r->stats[STAT_MIN];
		have_lo = true;
	}
	if (r->has_stat[STAT_MAX]) {
		hi.value = r->stats[STAT_MAX];
		have_hi = true;
	}
	for (size_t i = 0; i < r->point_count; i++) {
		const struct quantile_point *p = &r->points[i];
		if (p->q < q && (!have_lo || p->q >= lo.q)) {
			lo = *p;
			have_lo = true;
		}
		if (p->q > q && (!have_hi || p->q <= hi.q)) {
			hi = *p;
			have_hi = true;
		}
	}
	if (!have_lo && !have_hi)
		return v;
	v.kind = VALUE_ESTIMATE;
	if (!have_lo)
		v.number = hi.value;
	else if (!have_hi)
		v.number = lo.value;
	else if (hi.q - lo.q <= Q_EPSILON)
		v.number = lo.value;
	else
		v.number = lo.value + (hi.value - lo.value) * (q - lo.q) / (hi.q - lo.q);
	/* an estimate keeps 12 significant digits: drops interpolation noise
	 * (47.99999999999999 -> 48) without pretending to precision it never had */
	v.number = str_round_significant(v.number, 12);
	return v;
}

void reported_fini(struct reported *r)
{
	free(r->points);
	r->points = NULL;
	r->point_count = 0;
	r->point_cap = 0;
}
