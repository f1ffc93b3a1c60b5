/*
 * hist.h - log-linear latency histogram in the HdrHistogram layout.
 *
 * Audience: the model layer and anything above it (ingest, budget, analysis, emit, tests).
 *
 * Values are non-negative integers (latency: microseconds; other series choose a scale, see
 * model.h). The layout is HdrHistogram's: the range [0, highest_trackable_value] is split into
 * buckets that each double the range of the previous one; each bucket is split into
 * sub_bucket_half_count linear sub-buckets, so any recorded value v is represented by a bucket
 * whose width is at most v / 10^significant_digits (the first 2 * 10^digits values are exact).
 *
 * Percentile definition (HdrHistogram's): value_at(q) is the highest value equivalent to the
 * bucket that holds the ceil(q * N)-th smallest sample (N = total count, q in [0, 1], rank at
 * least 1), clamped to the exact recorded [min, max]. So value_at(q) >= the exact sorted-sample
 * value and exceeds it by less than value / 10^significant_digits. Rank 1 (q <= 1/N) gives min
 * and rank N gives max exactly, since both are recorded exactly.
 *
 * Values below 0 or above highest_trackable_value are clamped to the range and counted in
 * clamped_low / clamped_high; callers report these counts, nothing is lost silently.
 *
 * Memory: a histogram starts sparse, as a sorted array of (index, count) words, 8 bytes per
 * non-empty bucket, and turns dense when it holds HIST_SPARSE_MAX buckets, or HIST_SPARSE_DENSE
 * buckets packed close enough that a dense window costs no more, or HIST_SPARSE_BUSY samples
 * in buckets close enough that a dense window is small (at most 20 KB): from then on the counts are
 * stored for a window of indexes only, grown on demand. So a series of a few samples (one of
 * thousands of endpoints) costs at most 8 bytes per sample and never more than
 * HIST_SPARSE_MAX * 8 bytes (2 KiB) while sparse; a busy series costs what its values span, never
 * more than the whole layout (180 KB at 3 digits), whatever the number of samples. The store is
 * invisible outside hist.c: every reader sees the same buckets, so outputs do not depend on it.
 * Allocation never fails (xcalloc; out of memory exits 4). hist_fini releases it. A struct hist
 * is owned by whoever holds the storage.
 */
#ifndef PERFGATE_HIST_H
#define PERFGATE_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	HIST_DIGITS_MIN = 1,
	HIST_DIGITS_MAX = 5,
	HIST_DIGITS_DEFAULT = 3,
	HIST_SPARSE_MAX = 256,  /* non-empty buckets a sparse histogram holds before turning dense */
	HIST_SPARSE_DENSE = 32, /* from this many, dense as soon as they span at most twice as many
				   indexes */
	HIST_SPARSE_BUSY = 1024, /* samples after which buckets spanning less than
				    HIST_SPARSE_BUSY_SPAN indexes turn dense (speed) */
	HIST_SPARSE_BUSY_SPAN = 2048,
};

/* One hour in microseconds: the default top of the range. */
#define HIST_HIGHEST_DEFAULT INT64_C(3600000000)

/* The pure arithmetic of a histogram's shape (hist_layout), separate from its memory. */
struct hist_layout {
	int64_t highest_trackable_value; /* largest value recorded without clamping */
	int significant_digits;          /* 1..5 */
	int sub_bucket_count_magnitude;  /* log2(sub_bucket_count) */
	int sub_bucket_half_count_magnitude; /* sub_bucket_count_magnitude - 1 */
	int32_t sub_bucket_count;        /* linear sub-buckets in bucket 0 (a power of two) */
	int32_t sub_bucket_half_count;   /* sub_bucket_count / 2 */
	int64_t sub_bucket_mask;         /* (sub_bucket_count - 1) */
	int32_t bucket_count;            /* number of doubling buckets to cover the range */
	int32_t counts_len;              /* length of the counts array */
};

struct hist {
	struct hist_layout layout;
	int64_t *counts;        /* dense: the window [counts_lo, counts_lo + counts_n) of the
				   layout's counts (outside it: 0), grown on demand; owned; NULL
				   while sparse */
	int32_t counts_lo;      /* counts index of counts[0] */
	int32_t counts_n;       /* entries held; 0 while sparse */
	uint64_t *sparse;       /* sparse: (index << 32 | count) of each non-empty bucket, sorted
				   by index, counts in [1, UINT32_MAX]; owned; NULL when dense */
	int32_t sparse_n;       /* words used */
	int32_t sparse_cap;     /* words allocated */
	int64_t total_count;    /* sum of counts */
	int64_t min;            /* exact smallest recorded (clamped) value; INT64_MAX when empty */
	int64_t max;            /* exact largest recorded (clamped) value; 0 when empty */
	int64_t clamped_low;    /* samples recorded below 0, stored as 0 */
	int64_t clamped_high;   /* samples above highest_trackable_value, stored as it */
};

/*
 * Computes the layout for values 0..highest with the given significant digits.
 * Returns false (and leaves *out untouched) when digits is outside 1..5 or highest < 2.
 */
bool hist_layout(int64_t highest, int significant_digits, struct hist_layout *out);

/* Initialises *h (storage provided by the caller) empty, with the layout; allocates nothing. */
void hist_init(struct hist *h, const struct hist_layout *layout);

/* Releases the counts. Safe on a zeroed struct and when called twice. */
void hist_fini(struct hist *h);
/* Bytes of counts the histogram holds on the heap now (its store; not the struct itself). */
size_t hist_heap_bytes(const struct hist *h);

/*
 * Records value `count` times (count >= 1; count <= 0 is ignored). Clamps out-of-range values.
 * Counts and totals saturate at INT64_MAX instead of wrapping.
 */
void hist_record(struct hist *h, int64_t value, int64_t count);
/*
 * The histogram units of a value already multiplied by its scale (µs for a time in ms): the
 * smallest integer at or above it, so a percentile read back is never below the exact sample
 * (1400.4 µs is recorded as 1401, not 1400); a product's rounding noise (below 1e-9 relative:
 * 0.1 ms * 1000 = 100.00000000000001) does not count as a part. 0 for values <= 0 or NaN,
 * INT64_MAX past the int64 range.
 */
int64_t hist_units_of(double scaled);

/*
 * Adds every count of `from` into `into`. Both must have identical layouts; returns false and
 * changes nothing otherwise. Exact: merge(A, B) equals recording A and B into one histogram,
 * bucket for bucket, including min, max, totals and clamp counts; merge is associative.
 */
bool hist_merge(struct hist *into, const struct hist *from);

/*
 * Value at quantile q in [0, 1] (see the definition above); 0 when empty. q outside [0, 1] is
 * clamped into it; a NaN q returns 0. ceil(q * N) treats a product within 16 DBL_EPSILON
 * (relative) of an integer as that integer, so 0.95 of 100 samples is rank 95 despite binary
 * rounding; a q with D decimals is exact as long as N < 2.8e14 / 10^D (p99.999: 2.8e9 samples).
 */
int64_t hist_value_at(const struct hist *h, double q);

/* hist_value_at(h, qs[i]) into out[i] for each i, in one walk when the qs ascend. */
void hist_values_at(const struct hist *h, const double *qs, size_t n, int64_t *out);

/*
 * The rank behind value_at: ceil(q * total) with the tolerance above, in [1, total] (q clamped
 * into [0, 1], NaN as 0); 0 when total <= 0. For other stores of counts (timeline intervals).
 */
int64_t hist_rank(double q, int64_t total);

/*
 * Mean and population standard deviation over the bucket midpoints (HdrHistogram's); 0 if empty.
 * Unlike HdrHistogram, a midpoint outside the exact [min, max] is clamped into it, so
 * min <= mean <= max always holds and a histogram of equal values has their exact mean and
 * stddev 0. Error of the mean: at most mean / (2 * 10^significant_digits).
 */
double hist_mean(const struct hist *h);
double hist_stddev(const struct hist *h);

int64_t hist_min(const struct hist *h); /* 0 when empty */
int64_t hist_max(const struct hist *h); /* 0 when empty */
int64_t hist_count(const struct hist *h);

/*
 * Bucket arithmetic, exposed for model JSON and tests. Values are clamped into
 * [0, highest_trackable_value] first and indexes into [0, counts_len). The highest equivalent
 * value of the top bucket may exceed highest_trackable_value (the bucket is wider).
 */
int32_t hist_index_of(const struct hist_layout *l, int64_t value);  /* value clamped first */
int64_t hist_value_from_index(const struct hist_layout *l, int32_t index); /* lowest equivalent */
int64_t hist_highest_equivalent(const struct hist_layout *l, int64_t value);
int64_t hist_median_equivalent(const struct hist_layout *l, int64_t value);

/*
 * Iteration over non-empty buckets, in increasing value order, with the iterator on the stack:
 *     struct hist_iter it;
 *     hist_iter_init(&it, h);
 *     while (hist_iter_next(&it)) use(it.index, it.value_lowest, it.value_highest, it.count);
 */
struct hist_iter {
	const struct hist *hist;
	int32_t index;          /* counts index of the current bucket; -1 before the first */
	int64_t count;          /* samples in the current bucket */
	int64_t cumulative;     /* samples in this and all earlier buckets */
	int64_t value_lowest;   /* lowest value equivalent to the bucket */
	int64_t value_highest;  /* highest value equivalent to the bucket */
	int32_t next;           /* private: where the next bucket is looked for in the store */
};

void hist_iter_init(struct hist_iter *it, const struct hist *h);
bool hist_iter_next(struct hist_iter *it);

/*
 * Sets the count at one counts index (used by model JSON load). Returns false when index is out
 * of range or count < 0. Updates total_count; min/max must be set by the caller afterwards with
 * hist_set_extremes since they are exact values, not bucket values.
 */
bool hist_set_count(struct hist *h, int32_t index, int64_t count);
/*
 * Sets the exact extremes after the counts are loaded; both are clamped into
 * [0, highest_trackable_value]. On an empty histogram it restores the empty state (min
 * INT64_MAX, max 0) whatever is passed, so a later merge is not disturbed. The caller checks
 * that min <= max and that they lie in the first and last non-empty buckets.
 */
void hist_set_extremes(struct hist *h, int64_t min, int64_t max);

#endif
