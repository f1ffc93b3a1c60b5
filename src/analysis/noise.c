/*
 * noise.c - how one run's value would vary if the run were repeated (analysis.h).
 *
 * The bootstrap resamples a run's n samples with replacement. For a quantile of a histogram
 * it need not: the q-quantile of a resample is its r-th smallest value, r = ceil(q n), and
 * the r-th smallest of n uniform draws is Beta(r, n - r + 1), so the resampled quantile is
 * the sample of rank ceil(n U) with U ~ Beta(r, n - r + 1): one draw instead of n, exactly
 * the bootstrap distribution. A mean is normal with sd / sqrt(n) (the central limit theorem,
 * for the sample sizes of load tests); throughput over a timeline is normal with the batch
 * means' standard error (each interval a batch); an error rate is binomial. docs/statistics.md.
 *
 * Used by compare.c (each run of each side) and by budget rules against a baseline
 * (budget/eval.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

/*
 * The running counts of h's non-empty buckets and the value hist_value_at gives for a rank
 * in each (the highest equivalent value, inside [min, max]), so a draw is a binary search.
 */
static void prepare_hist(struct noise *n, const struct hist *h, double scale)
{
	struct hist_iter it;
	size_t cap = 0, vcap = 0;
	hist_iter_init(&it, h);
	while (hist_iter_next(&it)) {
		n->cumulative = xgrow(n->cumulative, &cap, n->buckets + 1, sizeof *n->cumulative);
		n->bucket_value = xgrow(n->bucket_value, &vcap, n->buckets + 1,
					sizeof *n->bucket_value);
		int64_t value = it.value_highest > h->max ? h->max : it.value_highest;
		n->cumulative[n->buckets] = it.cumulative;
		n->bucket_value[n->buckets++] = (double)(value < h->min ? h->min : value) / scale;
	}
	n->min_value = (double)(h->min < h->max ? h->min : h->max) / scale;
	n->max_value = (double)h->max / scale;
}

/* The histogram's value at rank (1-based), as hist_value_at defines it. */
static double value_of_rank(const struct noise *n, int64_t rank)
{
	if (rank <= 1)
		return n->min_value;
	if (rank >= n->n)
		return n->max_value;
	size_t lo = 0, hi = n->buckets - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (n->cumulative[mid] >= rank)
			hi = mid;
		else
			lo = mid + 1;
	}
	return n->bucket_value[lo];
}

static void noise_start(struct noise *n, double value)
{
	memset(n, 0, sizeof *n);
	n->kind = NOISE_NONE;
	n->value = value;
	n->q = NAN;
}

bool noise_of_quantile(struct noise *n, const struct series *s, double q, double value)
{
	noise_start(n, value);
	n->q = q;
	if (s->kind != SERIES_TREND)
		return false;
	if (s->has_buckets) {
		double total = buckets_total(&s->buckets);
		if (!(total >= 1))
			return false;
		n->n = (int64_t)floor(total + 0.5);
		n->bounds = s->buckets;
		n->bounds.at = xmalloc((s->buckets.count ? s->buckets.count : 1) * sizeof *n->bounds.at);
		memcpy(n->bounds.at, s->buckets.at, s->buckets.count * sizeof *n->bounds.at);
		n->bounds.cap = s->buckets.count;
		n->kind = NOISE_BUCKETS;
		return true;
	}
	if (!s->has_hist || hist_count(&s->hist) == 0)
		return false;
	n->n = hist_count(&s->hist);
	prepare_hist(n, &s->hist, s->scale);
	n->kind = NOISE_HIST;
	return true;
}

bool noise_of_mean(struct noise *n, const struct series *s, double value)
{
	noise_start(n, value);
	if (s->kind != SERIES_TREND || !s->has_hist || s->has_buckets || hist_count(&s->hist) < 2)
		return false;
	n->n = hist_count(&s->hist);
	n->sd = model_series_stat(s, STAT_STDDEV).number / sqrt((double)n->n);
	n->kind = NOISE_NORMAL;
	return true;
}

bool noise_of_throughput(struct noise *n, const struct run *run, const struct series *requests,
			 double value)
{
	noise_start(n, value);
	if (!requests || requests->kind != SERIES_COUNTER || !requests->timeline)
		return false;
	const struct timeline *t = requests->timeline;
	double width = (double)t->width_us / 1e6, sum = 0, sum2 = 0;
	size_t m = 0;
	for (size_t i = 0; i < t->count; i++) {
		/* the run's first and last intervals (partial, or a ramp: Locust's users stop in
		 * its last) and those outside its window say nothing of the steady rate */
		if (i == 0 || i + 1 == t->count || model_run_interval_s(run, t, i) < width ||
		    !model_run_in_window(run, t, i))
			continue;
		double rate = timeline_at(t, i)->sum / width;
		sum += rate;
		sum2 += rate * rate;
		m++;
	}
	double mean = m ? sum / (double)m : 0;
	if (m < 5 || !(mean > 0))
		return false;
	double var = (sum2 - sum * sum / (double)m) / (double)(m - 1);
	/* the same relative error for the run's own throughput figure */
	n->sd = value * (sqrt(var > 0 ? var : 0) / sqrt((double)m)) / mean;
	n->n = (int64_t)m;
	n->kind = NOISE_NORMAL;
	return true;
}

bool noise_of_share(struct noise *n, double value, double attempts)
{
	noise_start(n, value);
	if (!(attempts >= 1) || !(value >= 0 && value <= 1))
		return false;
	n->n = (int64_t)floor(attempts + 0.5);
	n->kind = NOISE_BINOMIAL;
	return true;
}

double noise_draw(const struct noise *n, struct rng *r)
{
	switch (n->kind) {
	case NOISE_NONE:
		break;
	case NOISE_HIST: {
		int64_t rank = hist_rank(n->q, n->n);
		double u = rng_beta(r, (double)rank, (double)(n->n - rank + 1));
		int64_t j = (int64_t)ceil(u * (double)n->n);
		return value_of_rank(n, j < 1 ? 1 : j > n->n ? n->n : j);
	}
	case NOISE_BUCKETS: {
		int64_t rank = hist_rank(n->q, n->n);
		double u = rng_beta(r, (double)rank, (double)(n->n - rank + 1));
		double x = buckets_quantile(&n->bounds, u);
		return isfinite(x) ? x : n->value;
	}
	case NOISE_NORMAL:
		return n->value + n->sd * rng_normal(r);
	case NOISE_BINOMIAL:
		return (double)rng_binomial(r, n->n, n->value) / (double)n->n;
	}
	return n->value;
}

void noise_fini(struct noise *n)
{
	free(n->cumulative);
	free(n->bucket_value);
	free(n->bounds.at);
	memset(n, 0, sizeof *n);
}
