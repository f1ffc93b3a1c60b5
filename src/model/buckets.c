/*
 * buckets.c - Prometheus histogram buckets in the model, and histogram_quantile exactly.
 *
 * A Prometheus histogram is a set of cumulative counters, one per upper bound (`le`), the
 * last at +Inf. The model keeps, per bound, how much that counter increased over the run's
 * window (server.c computes it as Prometheus's increase() does), with bounds in the series'
 * unit (seconds become ms). Series of one selection merge bound by bound, which is what
 * `sum by (le) (...)` does in PromQL; bounds are compared as numbers, so "1" and "1.0" are one.
 *
 * buckets_quantile is Prometheus's bucketQuantile (promql/quantile.go, 2.x), rule for rule:
 * NaN without a +Inf bucket, with fewer than two buckets or with no observations; counts made
 * non-decreasing (ensureMonotonic); rank = q * count(+Inf); the first bucket whose count
 * reaches the rank; in the +Inf bucket the answer is the bound below it; in the lowest bucket
 * interpolation starts at 0 (or is the bound itself when it is <= 0); else linear
 * interpolation inside the bucket. The same arithmetic in the same order, so the answers are
 * the same doubles Prometheus prints for the same counts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Index of the first bucket whose bound is >= upper (b->count when none). */
static size_t bucket_search(const struct buckets *b, double upper)
{
	size_t lo = 0, hi = b->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->at[mid].upper < upper)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void buckets_add(struct buckets *b, double upper, double count)
{
	size_t i = bucket_search(b, upper);
	if (i < b->count && b->at[i].upper == upper) {
		b->at[i].count += count;
		return;
	}
	b->at = xgrow(b->at, &b->cap, b->count + 1, sizeof *b->at);
	memmove(&b->at[i + 1], &b->at[i], (b->count - i) * sizeof *b->at);
	b->at[i] = (struct bucket){upper, count};
	b->count++;
}

void buckets_merge(struct buckets *into, const struct buckets *from)
{
	for (size_t i = 0; i < from->count; i++)
		buckets_add(into, from->at[i].upper, from->at[i].count);
	if (!into->factor)
		into->factor = from->factor;
	if (from->has_sum) {
		into->sum = into->has_sum ? into->sum + from->sum : from->sum;
		into->has_sum = true;
	}
}

double buckets_factor(const struct buckets *b)
{
	return b->factor ? b->factor : 1;
}

bool buckets_monotonic(const struct buckets *b)
{
	for (size_t i = 1; i < b->count; i++)
		if (b->at[i].count < b->at[i - 1].count)
			return false;
	return true;
}

double buckets_total(const struct buckets *b)
{
	if (b->count == 0 || !isinf(b->at[b->count - 1].upper) || b->at[b->count - 1].upper < 0)
		return NAN;
	double max = 0;
	for (size_t i = 0; i < b->count; i++)
		max = b->at[i].count > max ? b->at[i].count : max;
	return max;
}

double buckets_quantile(const struct buckets *b, double q)
{
	if (isnan(q))
		return NAN;
	if (q < 0)
		return -INFINITY;
	if (q > 1)
		return INFINITY;
	size_t n = b->count;
	if (n == 0 || !(isinf(b->at[n - 1].upper) && b->at[n - 1].upper > 0) || n < 2)
		return NAN;
	/* ensureMonotonic, on a copy of the counts (bounds are distinct already: coalesced) */
	double stack[64];
	double *count = n <= 64 ? stack : xmalloc(n * sizeof *count);
	double max = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		max = b->at[i].count > max ? b->at[i].count : max;
		count[i] = max;
	}
	double result;
	double observations = count[n - 1];
	if (observations == 0 || isnan(observations)) {
		result = NAN;
		goto done;
	}
	double rank = q * observations;
	size_t k = 0;
	while (k < n - 1 && !(count[k] >= rank))
		k++;
	if (k == n - 1) {
		result = b->at[n - 2].upper;
		goto done;
	}
	if (k == 0 && b->at[0].upper <= 0) {
		result = b->at[0].upper;
		goto done;
	}
	double start = 0, end = b->at[k].upper, in_bucket = count[k];
	if (k > 0) {
		start = b->at[k - 1].upper;
		in_bucket -= count[k - 1];
		rank -= count[k - 1];
	}
	result = start + (end - start) * (rank / in_bucket);
done:
	if (count != stack)
		free(count);
	return result * buckets_factor(b);
}

void buckets_fini(struct buckets *b)
{
	free(b->at);
	memset(b, 0, sizeof *b);
}
