/*
 * interval.c - the confidence interval of one run's quantile (analysis.h).
 *
 * From raw samples (an `exact` histogram) the interval is distribution-free: the number of
 * samples below the true q-quantile is Binomial(n, q), so two order statistics X(lo) and
 * X(hi) bound it with the confidence asked for (stats_quantile_ranks). The histogram does
 * not keep X(lo) itself, only the bucket it fell in, so the interval takes that bucket's
 * lowest value for lo and the other bucket's highest for hi: the histogram's relative error
 * (0.1 % at three digits) widens the interval, never narrows it. A `bucketed` series is the
 * same with wider buckets: Prometheus's `le` bounds, where an upper rank in the +Inf bucket
 * leaves the interval open above. A `quantiles` series holds what the tool printed and
 * nothing about how many samples sat near it: one run gives no interval, only repeats can.
 */
#include <math.h>
#include <stdio.h>

#include "analysis.h"

/* The bucket of an exact histogram holding rank (1-based): its lowest and highest values. */
static void hist_bucket_of_rank(const struct hist *h, int64_t rank, int64_t *lo, int64_t *hi)
{
	struct hist_iter it;
	hist_iter_init(&it, h);
	*lo = h->min;
	*hi = h->max;
	while (hist_iter_next(&it))
		if (it.cumulative >= rank) {
			*lo = it.value_lowest;
			*hi = it.value_highest;
			break;
		}
	if (*lo < h->min)
		*lo = h->min;
	if (*hi > h->max)
		*hi = h->max;
}

/* The Prometheus bucket holding rank: its lower bound (the previous `le`, or 0) and `le`. */
static void buckets_of_rank(const struct buckets *b, double rank, double *lo, double *hi)
{
	double below = 0, previous_count = 0;
	*lo = 0;
	*hi = INFINITY;
	for (size_t i = 0; i < b->count; i++) {
		double count = b->at[i].count < previous_count ? previous_count : b->at[i].count;
		if (count >= rank) {
			*lo = below;
			*hi = b->at[i].upper;
			return;
		}
		below = b->at[i].upper;
		previous_count = count;
	}
	*lo = below;
}

struct value_interval interval_of_quantile(const struct series *s, double q, double confidence)
{
	struct value_interval iv = {INTERVAL_NO_DATA, NAN, NAN, 0, 0};
	if (s->kind != SERIES_TREND)
		return iv;
	int64_t lo, hi;
	if (s->has_buckets) {
		double total = buckets_total(&s->buckets);
		if (!(total >= 1))
			return iv;
		iv.samples = (int64_t)floor(total + 0.5);
		if (!stats_quantile_ranks(iv.samples, q, confidence, &lo, &hi)) {
			iv.why = INTERVAL_TOO_FEW;
			iv.need = stats_quantile_min_n(q, confidence);
			return iv;
		}
		double a, b, unused;
		buckets_of_rank(&s->buckets, (double)lo, &a, &unused);
		buckets_of_rank(&s->buckets, (double)hi, &unused, &b);
		double f = buckets_factor(&s->buckets);
		iv.why = INTERVAL_OK;
		iv.lo = a * f;
		iv.hi = isinf(b) ? INFINITY : b * f;
		return iv;
	}
	if (!s->has_hist) {
		iv.why = INTERVAL_REPORTED;
		return iv;
	}
	iv.samples = hist_count(&s->hist);
	if (iv.samples == 0)
		return iv;
	if (!stats_quantile_ranks(iv.samples, q, confidence, &lo, &hi)) {
		iv.why = INTERVAL_TOO_FEW;
		iv.need = stats_quantile_min_n(q, confidence);
		return iv;
	}
	int64_t a, b, unused;
	hist_bucket_of_rank(&s->hist, lo, &a, &unused);
	hist_bucket_of_rank(&s->hist, hi, &unused, &b);
	iv.why = INTERVAL_OK;
	iv.lo = (double)a / s->scale;
	iv.hi = (double)b / s->scale;
	return iv;
}

void interval_explain(const struct value_interval *iv, double q, double confidence,
		      struct buf *out)
{
	switch (iv->why) {
	case INTERVAL_OK:
		break;
	case INTERVAL_NO_DATA:
		buf_printf(out, "no samples");
		break;
	case INTERVAL_REPORTED:
		buf_printf(out, "reported percentiles only: one run gives no interval "
				"(repeat the run)");
		break;
	case INTERVAL_TOO_FEW:
		buf_printf(out, "too few samples for a %g %% interval of p%g: %lld, needs %lld",
			   confidence * 100, q * 100, (long long)iv->samples, (long long)iv->need);
		break;
	}
}
