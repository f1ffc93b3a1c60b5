/*
 * hist.c - log-linear histogram in the HdrHistogram layout (contract and definitions in hist.h).
 *
 * Layout, as published by HdrHistogram: with d significant digits, values below
 * 2 * 10^d are exact; sub_bucket_count is that number rounded up to a power of two; bucket 0
 * covers [0, sub_bucket_count) with unit steps, bucket k >= 1 covers
 * [sub_bucket_half_count << k, sub_bucket_count << k) in steps of 2^k (its lower half would
 * repeat bucket k-1, so the counts array stores only upper halves after bucket 0).
 *
 * Hot path: hist_record runs once per raw sample of multi-GB inputs. It is one clz, two shifts
 * and an add, with no allocation; min/max tracking costs two compares. Counts saturate at
 * INT64_MAX instead of wrapping (unreachable in practice: 9.2e18 samples).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"
#include "hist.h"

/* Position of the highest set bit + 1 (value > 0). */
static int bit_length(uint64_t value)
{
#if defined(__GNUC__)
	return 64 - __builtin_clzll(value);
#else
	int n = 0;
	while (value) {
		value >>= 1;
		n++;
	}
	return n;
#endif
}

bool hist_layout(int64_t highest, int significant_digits, struct hist_layout *out)
{
	if (significant_digits < HIST_DIGITS_MIN || significant_digits > HIST_DIGITS_MAX ||
	    highest < 2)
		return false;
	int64_t single_unit = 2;
	for (int i = 0; i < significant_digits; i++)
		single_unit *= 10;
	struct hist_layout l;
	memset(&l, 0, sizeof l);
	l.highest_trackable_value = highest;
	l.significant_digits = significant_digits;
	/* ceil(log2(single_unit)) */
	l.sub_bucket_count_magnitude = bit_length((uint64_t)(single_unit - 1));
	l.sub_bucket_half_count_magnitude = l.sub_bucket_count_magnitude - 1;
	l.sub_bucket_count = INT32_C(1) << l.sub_bucket_count_magnitude;
	l.sub_bucket_half_count = l.sub_bucket_count / 2;
	l.sub_bucket_mask = (int64_t)l.sub_bucket_count - 1;
	int64_t smallest_untrackable = l.sub_bucket_count;
	int32_t buckets = 1;
	while (smallest_untrackable <= highest) {
		if (smallest_untrackable > INT64_MAX / 2) {
			buckets++;
			break;
		}
		smallest_untrackable <<= 1;
		buckets++;
	}
	l.bucket_count = buckets;
	l.counts_len = (buckets + 1) * l.sub_bucket_half_count;
	*out = l;
	return true;
}

void hist_init(struct hist *h, const struct hist_layout *layout)
{
	memset(h, 0, sizeof *h);
	h->layout = *layout;
	h->counts = xcalloc((size_t)layout->counts_len, sizeof *h->counts);
	h->min = INT64_MAX;
}

void hist_fini(struct hist *h)
{
	free(h->counts);
	h->counts = NULL;
}

void hist_reset(struct hist *h)
{
	memset(h->counts, 0, (size_t)h->layout.counts_len * sizeof *h->counts);
	h->total_count = 0;
	h->min = INT64_MAX;
	h->max = 0;
	h->clamped_low = 0;
	h->clamped_high = 0;
}

static int32_t bucket_index_of(const struct hist_layout *l, int64_t value)
{
	return bit_length((uint64_t)(value | l->sub_bucket_mask)) -
	       (l->sub_bucket_half_count_magnitude + 1);
}

static int32_t counts_index(const struct hist_layout *l, int32_t bucket, int32_t sub_bucket)
{
	return ((bucket + 1) << l->sub_bucket_half_count_magnitude) +
	       (sub_bucket - l->sub_bucket_half_count);
}

int32_t hist_index_of(const struct hist_layout *l, int64_t value)
{
	if (value < 0)
		value = 0;
	if (value > l->highest_trackable_value)
		value = l->highest_trackable_value;
	int32_t bucket = bucket_index_of(l, value);
	int32_t sub_bucket = (int32_t)(value >> bucket);
	return counts_index(l, bucket, sub_bucket);
}

int64_t hist_value_from_index(const struct hist_layout *l, int32_t index)
{
	int32_t bucket = (index >> l->sub_bucket_half_count_magnitude) - 1;
	int32_t sub_bucket = (index & (l->sub_bucket_half_count - 1)) + l->sub_bucket_half_count;
	if (bucket < 0) {
		sub_bucket -= l->sub_bucket_half_count;
		bucket = 0;
	}
	return (int64_t)sub_bucket << bucket;
}

int64_t hist_lowest_equivalent(const struct hist_layout *l, int64_t value)
{
	return hist_value_from_index(l, hist_index_of(l, value));
}

static int64_t equivalent_range(const struct hist_layout *l, int64_t value)
{
	if (value < 0)
		value = 0;
	int32_t bucket = bucket_index_of(l, value);
	int32_t sub_bucket = (int32_t)(value >> bucket);
	if (sub_bucket >= l->sub_bucket_count)
		bucket++;
	return INT64_C(1) << bucket;
}

int64_t hist_highest_equivalent(const struct hist_layout *l, int64_t value)
{
	return hist_lowest_equivalent(l, value) + equivalent_range(l, value) - 1;
}

int64_t hist_median_equivalent(const struct hist_layout *l, int64_t value)
{
	return hist_lowest_equivalent(l, value) + (equivalent_range(l, value) >> 1);
}

static int64_t saturating_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

void hist_record(struct hist *h, int64_t value, int64_t count)
{
	if (count <= 0)
		return;
	if (value < 0) {
		value = 0;
		h->clamped_low = saturating_add(h->clamped_low, count);
	} else if (value > h->layout.highest_trackable_value) {
		value = h->layout.highest_trackable_value;
		h->clamped_high = saturating_add(h->clamped_high, count);
	}
	int32_t index = hist_index_of(&h->layout, value);
	h->counts[index] = saturating_add(h->counts[index], count);
	h->total_count = saturating_add(h->total_count, count);
	if (value < h->min)
		h->min = value;
	if (value > h->max)
		h->max = value;
}

static bool same_layout(const struct hist_layout *a, const struct hist_layout *b)
{
	return a->highest_trackable_value == b->highest_trackable_value &&
	       a->significant_digits == b->significant_digits &&
	       a->counts_len == b->counts_len && a->bucket_count == b->bucket_count &&
	       a->sub_bucket_count == b->sub_bucket_count;
}

bool hist_merge(struct hist *into, const struct hist *from)
{
	if (!same_layout(&into->layout, &from->layout))
		return false;
	for (int32_t i = 0; i < from->layout.counts_len; i++)
		if (from->counts[i])
			into->counts[i] = saturating_add(into->counts[i], from->counts[i]);
	into->total_count = saturating_add(into->total_count, from->total_count);
	into->clamped_low = saturating_add(into->clamped_low, from->clamped_low);
	into->clamped_high = saturating_add(into->clamped_high, from->clamped_high);
	if (from->total_count) {
		if (from->min < into->min)
			into->min = from->min;
		if (from->max > into->max)
			into->max = from->max;
	}
	return true;
}

int64_t hist_value_at(const struct hist *h, double q)
{
	if (h->total_count == 0 || isnan(q))
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	/*
	 * rank = ceil(q * N), robust to binary error: 0.95 * 100 is 95.00000000000001 in doubles,
	 * which must give rank 95, not 96.
	 */
	double exact = q * (double)h->total_count;
	double nearest = nearbyint(exact);
	int64_t rank = fabs(exact - nearest) <= 1e-9 * (nearest > 1 ? nearest : 1)
			       ? (int64_t)nearest : (int64_t)ceil(exact);
	if (rank < 1)
		rank = 1;
	if (rank > h->total_count)
		rank = h->total_count;
	int64_t cumulative = 0;
	for (int32_t i = 0; i < h->layout.counts_len; i++) {
		cumulative += h->counts[i];
		if (cumulative >= rank) {
			int64_t v = hist_highest_equivalent(&h->layout,
							    hist_value_from_index(&h->layout, i));
			if (v < h->min)
				v = h->min;
			if (v > h->max)
				v = h->max;
			return v;
		}
	}
	return h->max;
}

double hist_mean(const struct hist *h)
{
	if (h->total_count == 0)
		return 0;
	long double sum = 0;
	struct hist_iter it;
	hist_iter_init(&it, h);
	while (hist_iter_next(&it))
		sum += (long double)hist_median_equivalent(&h->layout, it.value_lowest) * it.count;
	return (double)(sum / h->total_count);
}

double hist_stddev(const struct hist *h)
{
	if (h->total_count == 0)
		return 0;
	long double mean = hist_mean(h), sum = 0;
	struct hist_iter it;
	hist_iter_init(&it, h);
	while (hist_iter_next(&it)) {
		long double d = hist_median_equivalent(&h->layout, it.value_lowest) - mean;
		sum += d * d * it.count;
	}
	return (double)sqrtl(sum / h->total_count);
}

int64_t hist_min(const struct hist *h)
{
	return h->total_count ? h->min : 0;
}

int64_t hist_max(const struct hist *h)
{
	return h->total_count ? h->max : 0;
}

int64_t hist_count(const struct hist *h)
{
	return h->total_count;
}

void hist_iter_init(struct hist_iter *it, const struct hist *h)
{
	memset(it, 0, sizeof *it);
	it->hist = h;
	it->index = -1;
}

bool hist_iter_next(struct hist_iter *it)
{
	const struct hist *h = it->hist;
	for (int32_t i = it->index + 1; i < h->layout.counts_len; i++) {
		if (!h->counts[i])
			continue;
		it->index = i;
		it->count = h->counts[i];
		it->cumulative += it->count;
		it->value_lowest = hist_value_from_index(&h->layout, i);
		it->value_highest = hist_highest_equivalent(&h->layout, it->value_lowest);
		return true;
	}
	it->index = h->layout.counts_len;
	return false;
}

bool hist_set_count(struct hist *h, int32_t index, int64_t count)
{
	if (index < 0 || index >= h->layout.counts_len || count < 0)
		return false;
	/* indexes of bucket 0's lower half and of upper halves are all valid counts slots */
	h->total_count = saturating_add(h->total_count - h->counts[index], count);
	h->counts[index] = count;
	return true;
}

void hist_set_extremes(struct hist *h, int64_t min, int64_t max)
{
	h->min = min;
	h->max = max;
}
