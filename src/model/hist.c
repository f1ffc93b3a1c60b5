/*
 * hist.c - log-linear histogram in the HdrHistogram layout (contract and definitions in hist.h).
 *
 * Layout, as HdrHistogram computes it with a lowest discernible value of 1: with d significant
 * digits the values below 2 * 10^d are exact; sub_bucket_count is that bound rounded up to a
 * power of two; bucket 0 covers [0, sub_bucket_count) in unit steps and bucket k >= 1 covers
 * [sub_bucket_half_count << k, sub_bucket_count << k) in steps of 2^k. The lower half of bucket
 * k would repeat bucket k - 1, so after bucket 0 the counts array stores upper halves only, and
 * counts_len = (bucket_count + 1) * sub_bucket_half_count.
 *
 * Hot path: hist_record runs once per raw sample of multi-GB inputs. In range it is one
 * count-leading-zeros (__builtin_clzll on GCC and Clang, a portable loop elsewhere), two shifts,
 * two saturating adds and two conditional moves for min/max; out-of-range values take a
 * separate path, and so does a histogram still in its sparse store (hist.h "Memory": a binary
 * search over at most HIST_SPARSE_MAX words). Counts saturate at INT64_MAX instead of wrapping
 * (9.2e18 samples: unreachable in practice, but a wrapped count would be a silent lie). Only
 * recording and loading allocate; the struct's owner calls hist_fini.
 *
 * Every reader walks the non-empty buckets through next_bucket, which hides the store, so both
 * stores give the same answers bit for bit.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"
#include "hist.h"
#include "model_test.h"

/*
 * Number of bits needed to write value: the position of the highest set bit + 1. value must not
 * be 0 (__builtin_clzll(0) is undefined), and is not: hist_layout passes 2 * 10^d - 1, the
 * index computation ORs in sub_bucket_mask.
 */
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

/* a + b for a, b >= 0, stopping at INT64_MAX instead of overflowing. */
static int64_t saturating_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

bool hist_layout(int64_t highest, int significant_digits, struct hist_layout *out)
{
	if (significant_digits < HIST_DIGITS_MIN || significant_digits > HIST_DIGITS_MAX ||
	    highest < 2)
		return false;
	int64_t single_unit_resolution = 2; /* largest value with single-unit resolution */
	for (int i = 0; i < significant_digits; i++)
		single_unit_resolution *= 10;

	struct hist_layout l;
	memset(&l, 0, sizeof l);
	l.highest_trackable_value = highest;
	l.significant_digits = significant_digits;
	/* ceil(log2(x)) is bit_length(x - 1) for x >= 2 */
	l.sub_bucket_count_magnitude = bit_length((uint64_t)(single_unit_resolution - 1));
	l.sub_bucket_half_count_magnitude =
	    l.sub_bucket_count_magnitude > 1 ? l.sub_bucket_count_magnitude - 1 : 0;
	l.sub_bucket_count = INT32_C(1) << (l.sub_bucket_half_count_magnitude + 1);
	l.sub_bucket_half_count = l.sub_bucket_count / 2;
	l.sub_bucket_mask = (int64_t)l.sub_bucket_count - 1;

	/* double the covered range until it exceeds highest; the last doubling would overflow */
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
	h->min = INT64_MAX;
}

void hist_fini(struct hist *h)
{
	free(h->counts);
	free(h->sparse);
	h->counts = NULL;
	h->sparse = NULL;
	h->counts_lo = h->counts_n = 0;
	h->sparse_n = h->sparse_cap = 0;
}

size_t hist_heap_bytes(const struct hist *h)
{
	return (size_t)h->counts_n * sizeof *h->counts + (size_t)h->sparse_cap * sizeof *h->sparse;
}

/*
 * Widens the window of stored counts to hold index (in [0, counts_len)): at least a quarter
 * more than asked on the side it grows, in steps of 64 entries, within [0, counts_len). The
 * cold path of hist_record; a histogram's values usually span a few buckets, so the window
 * stays a small part of the layout.
 */
static void cover(struct hist *h, int32_t index)
{
	int32_t lo = h->counts_n ? h->counts_lo : index, hi = h->counts_lo + h->counts_n;
	if (!h->counts_n)
		hi = index + 1;
	int32_t want_lo = index < lo ? index : lo, want_hi = index + 1 > hi ? index + 1 : hi;
	int32_t slack = (want_hi - want_lo) / 4 + 64;
	if (want_lo < lo)
		want_lo = want_lo > slack ? (want_lo - slack) & ~63 : 0;
	if (want_hi > hi || !h->counts_n)
		want_hi = want_hi + slack;
	if (want_hi > h->layout.counts_len)
		want_hi = h->layout.counts_len;
	int64_t *counts = xcalloc((size_t)(want_hi - want_lo), sizeof *counts);
	if (h->counts_n)
		memcpy(counts + (h->counts_lo - want_lo), h->counts,
		       (size_t)h->counts_n * sizeof *counts);
	free(h->counts);
	h->counts = counts;
	h->counts_lo = want_lo;
	h->counts_n = want_hi - want_lo;
}

/* ---- the sparse store ---- */

static int32_t word_index(uint64_t word)
{
	return (int32_t)(word >> 32);
}

static int64_t word_count(uint64_t word)
{
	return (int64_t)(word & UINT32_MAX);
}

static uint64_t make_word(int32_t index, int64_t count)
{
	return (uint64_t)(uint32_t)index << 32 | (uint64_t)count;
}

/* Position of the first sparse word whose index is >= index (sparse_n when none). */
static int32_t sparse_find(const struct hist *h, int32_t index)
{
	int32_t lo = 0, hi = h->sparse_n;
	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;
		if (word_index(h->sparse[mid]) < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Adds count (>= 1) at index in the sparse store. Returns false, changing nothing, when the
 * histogram should turn dense first: the count no longer fits 32 bits, the store is full, or
 * its buckets are packed closely enough (hist.h "Memory").
 */
static bool sparse_add(struct hist *h, int32_t index, int64_t count)
{
	int32_t at = sparse_find(h, index);
	if (at < h->sparse_n && word_index(h->sparse[at]) == index) {
		if (count > (int64_t)UINT32_MAX - word_count(h->sparse[at]))
			return false;
		/* a busy series of few buckets (a timing that is mostly 0): a small dense window */
		if (h->total_count >= HIST_SPARSE_BUSY &&
		    word_index(h->sparse[h->sparse_n - 1]) - word_index(h->sparse[0]) <
			HIST_SPARSE_BUSY_SPAN)
			return false;
		h->sparse[at] += (uint64_t)count;
		return true;
	}
	int32_t n = h->sparse_n + 1;
	if (count > (int64_t)UINT32_MAX || n > HIST_SPARSE_MAX)
		return false;
	if (n >= HIST_SPARSE_DENSE) {
		int32_t first = at == 0 ? index : word_index(h->sparse[0]);
		int32_t last = at == h->sparse_n ? index : word_index(h->sparse[h->sparse_n - 1]);
		if (last - first < 2 * n)
			return false;
	}
	if (n > h->sparse_cap) {
		int32_t cap = h->sparse_cap ? h->sparse_cap * 2 : 4;
		h->sparse_cap = cap < HIST_SPARSE_MAX ? cap : HIST_SPARSE_MAX;
		h->sparse = xrealloc(h->sparse, (size_t)h->sparse_cap * sizeof *h->sparse);
	}
	memmove(&h->sparse[at + 1], &h->sparse[at], (size_t)(h->sparse_n - at) * sizeof *h->sparse);
	h->sparse[at] = make_word(index, count);
	h->sparse_n = n;
	return true;
}

/*
 * Moves the sparse store's counts into a dense window; dense_slot, its one caller, then covers
 * the index it needs, which also makes the window of an empty store.
 */
static void densify(struct hist *h)
{
	uint64_t *words = h->sparse;
	int32_t n = h->sparse_n;
	h->sparse = NULL;
	h->sparse_n = h->sparse_cap = 0;
	if (n == 0) { /* nothing to move: the caller's cover makes the window where it is needed */
		free(words);
		return;
	}
	cover(h, word_index(words[0]));
	if (word_index(words[n - 1]) >= h->counts_lo + h->counts_n)
		cover(h, word_index(words[n - 1]));
	for (int32_t i = 0; i < n; i++)
		h->counts[word_index(words[i]) - h->counts_lo] = word_count(words[i]);
	free(words);
}

/* The dense slot of index, widening the window (or leaving the sparse store) to hold it. */
static int64_t *dense_slot(struct hist *h, int32_t index)
{
	if (!h->counts)
		densify(h);
	if ((uint32_t)(index - h->counts_lo) >= (uint32_t)h->counts_n)
		cover(h, index);
	return &h->counts[index - h->counts_lo];
}

/* Adds count (>= 1) at a valid counts index, in whichever store the histogram is in. */
static void add_count(struct hist *h, int32_t index, int64_t count)
{
	int64_t *slot;
	if ((uint32_t)(index - h->counts_lo) < (uint32_t)h->counts_n)
		slot = &h->counts[index - h->counts_lo];
	else if (!h->counts && sparse_add(h, index, count))
		return;
	else
		slot = dense_slot(h, index);
	*slot = saturating_add(*slot, count);
}

/*
 * The next non-empty bucket from store position *pos (0 to start): its counts index and count,
 * advancing *pos past it; false when there is none.
 */
static bool next_bucket(const struct hist *h, int32_t *pos, int32_t *index, int64_t *count)
{
	if (!h->counts) {
		if (*pos >= h->sparse_n)
			return false;
		uint64_t word = h->sparse[(*pos)++];
		*index = word_index(word);
		*count = word_count(word);
		return true;
	}
	while (*pos < h->counts_n) {
		int32_t i = (*pos)++;
		if (h->counts[i]) {
			*index = h->counts_lo + i;
			*count = h->counts[i];
			return true;
		}
	}
	return false;
}

int64_t hist_count_at(const struct hist *h, int32_t index)
{
	if (!h->counts) {
		int32_t at = sparse_find(h, index);
		return at < h->sparse_n && word_index(h->sparse[at]) == index
			       ? word_count(h->sparse[at]) : 0;
	}
	if (index < h->counts_lo || index - h->counts_lo >= h->counts_n)
		return 0;
	return h->counts[index - h->counts_lo];
}

void hist_reset(struct hist *h)
{
	if (h->counts)
		memset(h->counts, 0, (size_t)h->counts_n * sizeof *h->counts);
	h->sparse_n = 0;
	h->total_count = 0;
	h->min = INT64_MAX;
	h->max = 0;
	h->clamped_low = 0;
	h->clamped_high = 0;
}

/* ---- bucket arithmetic ---- */

static int64_t clamp_value(const struct hist_layout *l, int64_t value)
{
	if (value < 0)
		return 0;
	return value > l->highest_trackable_value ? l->highest_trackable_value : value;
}

/* Bucket of a value already in [0, highest]: OR-ing the mask puts everything below
 * sub_bucket_count in bucket 0. */
static int32_t bucket_of(const struct hist_layout *l, int64_t value)
{
	return bit_length((uint64_t)(value | l->sub_bucket_mask)) - l->sub_bucket_count_magnitude;
}

/* Counts index of a value already in [0, highest] (the hot path: no clamping). */
static int32_t index_in_range(const struct hist_layout *l, int64_t value)
{
	int32_t bucket = bucket_of(l, value);
	int32_t sub_bucket = (int32_t)(value >> bucket);
	return ((bucket + 1) << l->sub_bucket_half_count_magnitude) +
	       (sub_bucket - l->sub_bucket_half_count);
}

static int32_t clamp_index(const struct hist_layout *l, int32_t index)
{
	if (index < 0)
		return 0;
	return index >= l->counts_len ? l->counts_len - 1 : index;
}

/* Bucket (doubling level) of a valid counts index; indexes below sub_bucket_count are bucket 0. */
static int32_t bucket_of_index(const struct hist_layout *l, int32_t index)
{
	int32_t bucket = (index >> l->sub_bucket_half_count_magnitude) - 1;
	return bucket < 0 ? 0 : bucket;
}

int32_t hist_index_of(const struct hist_layout *l, int64_t value)
{
	return index_in_range(l, clamp_value(l, value));
}

int64_t hist_value_from_index(const struct hist_layout *l, int32_t index)
{
	index = clamp_index(l, index);
	int32_t bucket = (index >> l->sub_bucket_half_count_magnitude) - 1;
	int64_t sub_bucket = (index & (l->sub_bucket_half_count - 1)) + l->sub_bucket_half_count;
	if (bucket < 0) {
		/* bucket 0 stores both halves: the index is the value */
		sub_bucket -= l->sub_bucket_half_count;
		bucket = 0;
	}
	return sub_bucket << bucket;
}

/* Highest value of the bucket at a valid index: lowest + 2^bucket - 1 (cannot overflow, since
 * the top bucket ends at sub_bucket_count << bucket <= 2^63). */
static int64_t highest_of_index(const struct hist_layout *l, int32_t index)
{
	int64_t width = INT64_C(1) << bucket_of_index(l, index);
	return hist_value_from_index(l, index) + (width - 1);
}

static int64_t median_of_index(const struct hist_layout *l, int32_t index)
{
	int64_t width = INT64_C(1) << bucket_of_index(l, index);
	return hist_value_from_index(l, index) + width / 2;
}

int64_t hist_lowest_equivalent(const struct hist_layout *l, int64_t value)
{
	return hist_value_from_index(l, hist_index_of(l, value));
}

int64_t hist_highest_equivalent(const struct hist_layout *l, int64_t value)
{
	return highest_of_index(l, hist_index_of(l, value));
}

int64_t hist_median_equivalent(const struct hist_layout *l, int64_t value)
{
	return median_of_index(l, hist_index_of(l, value));
}

/* ---- recording and merging ---- */

/* The cold path of hist_record: count the clamp and return the value to store. */
static int64_t clamp_recorded(struct hist *h, int64_t value, int64_t count)
{
	if (value < 0) {
		h->clamped_low = saturating_add(h->clamped_low, count);
		return 0;
	}
	h->clamped_high = saturating_add(h->clamped_high, count);
	return h->layout.highest_trackable_value;
}

void hist_record(struct hist *h, int64_t value, int64_t count)
{
	if (count <= 0)
		return;
	/* one unsigned compare catches both negative and too-large values */
	if ((uint64_t)value > (uint64_t)h->layout.highest_trackable_value)
		value = clamp_recorded(h, value, count);
	add_count(h, index_in_range(&h->layout, value), count);
	h->total_count = saturating_add(h->total_count, count);
	h->min = value < h->min ? value : h->min;
	h->max = value > h->max ? value : h->max;
}

/* Every field, so a histogram with a different shape can never be merged bucket by bucket. */
static bool same_layout(const struct hist_layout *a, const struct hist_layout *b)
{
	return a->highest_trackable_value == b->highest_trackable_value &&
	       a->significant_digits == b->significant_digits &&
	       a->sub_bucket_count_magnitude == b->sub_bucket_count_magnitude &&
	       a->sub_bucket_half_count_magnitude == b->sub_bucket_half_count_magnitude &&
	       a->sub_bucket_count == b->sub_bucket_count &&
	       a->sub_bucket_half_count == b->sub_bucket_half_count &&
	       a->sub_bucket_mask == b->sub_bucket_mask && a->bucket_count == b->bucket_count &&
	       a->counts_len == b->counts_len;
}

bool hist_merge(struct hist *into, const struct hist *from)
{
	if (!same_layout(&into->layout, &from->layout))
		return false;
	if (from->counts_n && into->counts) {
		/* dense into dense, the bulk of merging timelines and runs: one pass */
		int32_t first = -1, last = -1;
		for (int32_t i = 0; i < from->counts_n; i++) {
			if (from->counts[i]) {
				first = first < 0 ? i : first;
				last = i;
			}
		}
		if (first >= 0) {
			first += from->counts_lo;
			last += from->counts_lo;
			if ((uint32_t)(first - into->counts_lo) >= (uint32_t)into->counts_n)
				cover(into, first);
			if ((uint32_t)(last - into->counts_lo) >= (uint32_t)into->counts_n)
				cover(into, last);
			for (int32_t i = first; i <= last; i++) {
				int64_t *slot = &into->counts[i - into->counts_lo];
				*slot = saturating_add(*slot, hist_count_at(from, i));
			}
		}
	} else {
		int32_t pos = 0, index;
		int64_t count;
		while (next_bucket(from, &pos, &index, &count))
			add_count(into, index, count);
	}
	if (from->total_count > 0) {
		/* an empty into has min INT64_MAX and max 0, so this takes from's extremes */
		into->min = from->min < into->min ? from->min : into->min;
		into->max = from->max > into->max ? from->max : into->max;
	}
	into->total_count = saturating_add(into->total_count, from->total_count);
	into->clamped_low = saturating_add(into->clamped_low, from->clamped_low);
	into->clamped_high = saturating_add(into->clamped_high, from->clamped_high);
	return true;
}

/* ---- statistics ---- */

/* v clamped to the exact recorded [min, max] (max wins if a loaded model has min > max). */
static int64_t clamp_to_extremes(const struct hist *h, int64_t v)
{
	if (v < h->min)
		v = h->min;
	return v > h->max ? h->max : v;
}

/*
 * rank = ceil(q * N) for q in [0, 1], robust to binary error: 0.95 * 100 is 95.00000000000001
 * in doubles and must give rank 95, not 96. A product within 16 DBL_EPSILON (relative) of an
 * integer is taken as that integer. The rounding of a decimal q and of the product is at most
 * about 1.5 DBL_EPSILON, so the margin is ten-fold; a looser one (say 1e-9) would already
 * misplace q = 0.99999 for N = 199999 (199997.00001 must be rank 199998).
 */
int64_t hist_rank(double q, int64_t total)
{
	if (total <= 0)
		return 0;
	q = isnan(q) || q < 0 ? 0 : q > 1 ? 1 : q;
	double product = q * (double)total;
	if (product >= (double)total)
		return total;
	double nearest = floor(product + 0.5);
	int64_t rank = fabs(product - nearest) <= nearest * 16 * DBL_EPSILON
	                   ? (int64_t)nearest
	                   : (int64_t)ceil(product);
	if (rank < 1)
		return 1;
	return rank > total ? total : rank; /* (double)total may round up above 2^53 */
}

int64_t hist_value_at(const struct hist *h, double q)
{
	if (h->total_count == 0 || isnan(q))
		return 0;
	q = q < 0 ? 0 : q > 1 ? 1 : q;
	int64_t rank = hist_rank(q, h->total_count);
	/* the smallest and largest samples are known exactly (and stay so if counts saturated) */
	if (rank == 1)
		return clamp_to_extremes(h, h->min);
	if (rank == h->total_count)
		return hist_max(h);
	int64_t cumulative = 0, count;
	int32_t pos = 0, index;
	while (next_bucket(h, &pos, &index, &count)) {
		cumulative = saturating_add(cumulative, count);
		if (cumulative >= rank)
			return clamp_to_extremes(h, highest_of_index(&h->layout, index));
	}
	return hist_max(h); /* only if counts and total_count disagree (a bad model load) */
}

void hist_values_at(const struct hist *h, const double *qs, size_t n, int64_t *out)
{
	int64_t cumulative = 0, count = 0, previous = 0;
	int32_t pos = 0, index = 0;
	for (size_t i = 0; i < n; i++) {
		double q = qs[i];
		int64_t rank = h->total_count == 0 || isnan(q) ? 0 : hist_rank(q, h->total_count);
		if (rank <= 1 || rank == h->total_count || rank < previous) {
			out[i] = hist_value_at(h, q); /* the extremes, or out of order */
			continue;
		}
		previous = rank;
		/* the walk of hist_value_at, resumed where the last rank stopped (rank > 1, so
		 * nothing is found before the first bucket) */
		bool found = cumulative >= rank;
		while (!found && next_bucket(h, &pos, &index, &count)) {
			cumulative = saturating_add(cumulative, count);
			found = cumulative >= rank;
		}
		out[i] = found ? clamp_to_extremes(h, highest_of_index(&h->layout, index)) : hist_max(h);
	}
}

/* The value that stands for every sample of a bucket: its midpoint, kept inside [min, max]. */
static long double representative(const struct hist *h, int32_t index)
{
	return (long double)clamp_to_extremes(h, median_of_index(&h->layout, index));
}

double hist_mean(const struct hist *h)
{
	if (h->total_count == 0)
		return 0;
	long double sum = 0, count = 0;
	int32_t pos = 0, index;
	int64_t n;
	while (next_bucket(h, &pos, &index, &n)) {
		sum += representative(h, index) * (long double)n;
		count += (long double)n;
	}
	return count > 0 ? (double)(sum / count) : 0;
}

double hist_stddev(const struct hist *h)
{
	if (h->total_count == 0)
		return 0;
	long double mean = hist_mean(h), sum = 0, count = 0;
	int32_t pos = 0, index;
	int64_t n;
	while (next_bucket(h, &pos, &index, &n)) {
		long double deviation = representative(h, index) - mean;
		sum += deviation * deviation * (long double)n;
		count += (long double)n;
	}
	return count > 0 ? (double)sqrtl(sum / count) : 0;
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

/* ---- iteration ---- */

void hist_iter_init(struct hist_iter *it, const struct hist *h)
{
	memset(it, 0, sizeof *it);
	it->hist = h;
	it->index = -1;
}

bool hist_iter_next(struct hist_iter *it)
{
	const struct hist *h = it->hist;
	int32_t index;
	int64_t count;
	if (it->index < h->layout.counts_len && next_bucket(h, &it->next, &index, &count)) {
		it->index = index;
		it->count = count;
		it->cumulative = saturating_add(it->cumulative, count);
		it->value_lowest = hist_value_from_index(&h->layout, index);
		it->value_highest = highest_of_index(&h->layout, index);
		return true;
	}
	it->index = h->layout.counts_len; /* stays exhausted on further calls */
	it->count = 0;
	return false;
}

/* ---- loading (model JSON) ---- */

bool hist_set_count(struct hist *h, int32_t index, int64_t count)
{
	if (index < 0 || index >= h->layout.counts_len || count < 0)
		return false;
	/* every index in [0, counts_len) is a real bucket: bucket 0 has both halves */
	int64_t old = hist_count_at(h, index);
	if (count == old)
		return true;
	h->total_count = h->total_count >= old ? h->total_count - old : 0;
	h->total_count = saturating_add(h->total_count, count);
	if (!h->counts && old == 0) {
		if (sparse_add(h, index, count))
			return true;
	} else if (!h->counts && count <= (int64_t)UINT32_MAX) {
		int32_t at = sparse_find(h, index); /* old > 0: the word is there */
		if (count > 0) {
			h->sparse[at] = make_word(index, count);
		} else {
			memmove(&h->sparse[at], &h->sparse[at + 1],
				(size_t)(h->sparse_n - at - 1) * sizeof *h->sparse);
			h->sparse_n--;
		}
		return true;
	}
	*dense_slot(h, index) = count;
	return true;
}

void hist_set_extremes(struct hist *h, int64_t min, int64_t max)
{
	if (h->total_count == 0) {
		h->min = INT64_MAX;
		h->max = 0;
		return;
	}
	h->min = clamp_value(&h->layout, min);
	h->max = clamp_value(&h->layout, max);
}

int64_t hist_units_of(double scaled)
{
	if (!(scaled > 0))
		return 0;
	if (scaled >= 9.2e18)
		return INT64_MAX;
	double whole = floor(scaled);
	if (scaled - whole <= 1e-9 * scaled)
		return (int64_t)whole;
	return (int64_t)ceil(scaled);
}
