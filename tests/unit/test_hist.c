/*
 * test_hist.c - the HdrHistogram-layout histogram against independent exact computation.
 *
 * Every expected value is computed here, never asked of the code under test: layout numbers
 * come from a hand-derived table, bucket arithmetic from a loop-based reference (the bucket k of
 * v is the smallest k with v < sub_bucket_count << k; its index is k * half + (v >> k)), and
 * percentiles from the sorted samples, taking the ceil(q * N)-th smallest with q = num / den an
 * exact fraction so no floating point decides the rank. Samples come from a seeded splitmix64
 * generator (never rand()) in several shapes; each is recorded at 1..5 significant digits and
 * must land within hist.h's stated error. Merge is checked bucket for bucket against recording
 * the union, and for associativity.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/hist.h"
#include "model/model_test.h"

#define HIGHEST HIST_HIGHEST_DEFAULT

/* ---- helpers ---- */

struct rng {
	uint64_t state;
};

/* splitmix64 (Steele, Lea, Flood 2014) */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1p-53;
}

/* standard normal (Box-Muller; 1 - u keeps the logarithm's argument in (0, 1]) */
static double rng_normal(struct rng *r)
{
	double u = 1 - rng_unit(r), v = rng_unit(r);
	return sqrt(-2 * log(u)) * cos(2 * 3.14159265358979323846 * v);
}

static int64_t at_least_zero(double v)
{
	return v < 0 ? 0 : (int64_t)v;
}

static int compare_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t pow10_i64(int digits)
{
	int64_t p = 1;
	while (digits-- > 0)
		p *= 10;
	return p;
}

static struct hist make(int digits)
{
	struct hist_layout layout;
	assert_true(hist_layout(HIGHEST, digits, &layout));
	struct hist h;
	hist_init(&h, &layout);
	return h;
}

static void record_all(struct hist *h, const int64_t *values, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hist_record(h, values[i], 1);
}

static void assert_same_layout(const struct hist_layout *a, const struct hist_layout *b)
{
	assert_int_equal(a->highest_trackable_value, b->highest_trackable_value);
	assert_int_equal(a->significant_digits, b->significant_digits);
	assert_int_equal(a->sub_bucket_count_magnitude, b->sub_bucket_count_magnitude);
	assert_int_equal(a->sub_bucket_half_count_magnitude, b->sub_bucket_half_count_magnitude);
	assert_int_equal(a->sub_bucket_count, b->sub_bucket_count);
	assert_int_equal(a->sub_bucket_half_count, b->sub_bucket_half_count);
	assert_int_equal(a->sub_bucket_mask, b->sub_bucket_mask);
	assert_int_equal(a->bucket_count, b->bucket_count);
	assert_int_equal(a->counts_len, b->counts_len);
}

/* Bucket for bucket: layout, every count, totals, exact extremes, clamp counts. */
static void assert_same_hist(const struct hist *a, const struct hist *b)
{
	assert_same_layout(&a->layout, &b->layout);
	for (int32_t i = 0; i < a->layout.counts_len; i++)
		if (hist_count_at(a, i) != hist_count_at(b, i))
			fail_msg("count at index %d: %lld != %lld", i, (long long)hist_count_at(a, i),
				 (long long)hist_count_at(b, i));
	assert_int_equal(a->total_count, b->total_count);
	assert_int_equal(a->min, b->min);
	assert_int_equal(a->max, b->max);
	assert_int_equal(a->clamped_low, b->clamped_low);
	assert_int_equal(a->clamped_high, b->clamped_high);
}

/* A deep copy made with the test's own hands (hist_init + memcpy), for "nothing changed". */
static struct hist snapshot(const struct hist *h)
{
	struct hist copy;
	hist_init(&copy, &h->layout);
	if (h->counts_n) {
		copy.counts = malloc((size_t)h->counts_n * sizeof(int64_t));
		memcpy(copy.counts, h->counts, (size_t)h->counts_n * sizeof(int64_t));
		copy.counts_lo = h->counts_lo;
		copy.counts_n = h->counts_n;
	}
	if (h->sparse_n) {
		copy.sparse = malloc((size_t)h->sparse_n * sizeof(uint64_t));
		memcpy(copy.sparse, h->sparse, (size_t)h->sparse_n * sizeof(uint64_t));
		copy.sparse_n = copy.sparse_cap = h->sparse_n;
	}
	copy.total_count = h->total_count;
	copy.min = h->min;
	copy.max = h->max;
	copy.clamped_low = h->clamped_low;
	copy.clamped_high = h->clamped_high;
	return copy;
}

/* ---- reference bucket arithmetic (loops, no bit tricks), for highest = 3.6e9 ---- */

/* sub_bucket_count for digits 1..5, from the table in test_layout_... */
static const int64_t reference_sub_bucket_count[] = {0, 32, 256, 2048, 32768, 262144};

struct reference_bucket {
	int32_t index;
	int64_t lowest, highest, width;
};

static struct reference_bucket reference_bucket_of(int digits, int64_t v)
{
	int64_t sub_bucket_count = reference_sub_bucket_count[digits];
	int64_t half = sub_bucket_count / 2;
	int k = 0;
	while (v >= (sub_bucket_count << k))
		k++;
	struct reference_bucket b;
	b.width = INT64_C(1) << k;
	b.lowest = (v >> k) << k;
	b.highest = b.lowest + b.width - 1;
	b.index = (int32_t)(k * half + (v >> k));
	return b;
}

/* ---- layout ---- */

static void test_layout_matches_hdrhistogram_formulas_for_one_hour(void **state)
{
	(void)state;
	/*
	 * By hand from HdrHistogram's formulas with highest = 3 600 000 000 (1 h in µs):
	 *   single = 2 * 10^d; mag = ceil(log2(single)); half_mag = mag - 1;
	 *   sub_bucket_count = 2^mag; buckets = 1 + the doublings of sub_bucket_count needed to
	 *   exceed highest; counts_len = (buckets + 1) * sub_bucket_count / 2.
	 * 2^31 = 2147483648 <= 3.6e9 < 4294967296 = 2^32, so buckets = 32 - mag + 1.
	 *   d=1: 20     -> 2^5  = 32;     32 - 5 + 1 = 28;  29 * 16     = 464
	 *   d=2: 200    -> 2^8  = 256;    32 - 8 + 1 = 25;  26 * 128    = 3328
	 *   d=3: 2000   -> 2^11 = 2048;   32 - 11 + 1 = 22; 23 * 1024   = 23552
	 *   d=4: 20000  -> 2^15 = 32768;  32 - 15 + 1 = 18; 19 * 16384  = 311296
	 *   d=5: 200000 -> 2^18 = 262144; 32 - 18 + 1 = 15; 16 * 131072 = 2097152
	 */
	static const struct hist_layout rows[] = {
	    {HIGHEST, 1, 5, 4, 32, 16, 31, 28, 464},
	    {HIGHEST, 2, 8, 7, 256, 128, 255, 25, 3328},
	    {HIGHEST, 3, 11, 10, 2048, 1024, 2047, 22, 23552},
	    {HIGHEST, 4, 15, 14, 32768, 16384, 32767, 18, 311296},
	    {HIGHEST, 5, 18, 17, 262144, 131072, 262143, 15, 2097152},
	    /* other tops: below one bucket, exactly at the first doubling, and int64's end
	     * (2^63 - 1 has 63 bits: 63 - 5 + 1 = 59 buckets at d=1, 63 - 18 + 1 = 46 at d=5) */
	    {2, 3, 11, 10, 2048, 1024, 2047, 1, 2048},
	    {2047, 3, 11, 10, 2048, 1024, 2047, 1, 2048},
	    {2048, 3, 11, 10, 2048, 1024, 2047, 2, 3072},
	    {INT64_MAX, 1, 5, 4, 32, 16, 31, 59, 960},
	    {INT64_MAX, 5, 18, 17, 262144, 131072, 262143, 46, 6160384},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct hist_layout got;
		if (!hist_layout(rows[i].highest_trackable_value, rows[i].significant_digits, &got))
			fail_msg("row %zu: layout rejected", i);
		assert_same_layout(&got, &rows[i]);
	}
}

static void test_layout_rejects_bad_input_leaving_output_untouched(void **state)
{
	(void)state;
	static const struct {
		int64_t highest;
		int digits;
	} rows[] = {
	    {HIGHEST, 0}, {HIGHEST, 6}, {HIGHEST, -1}, {HIGHEST, 1000},
	    {1, 3},       {0, 3},       {-1, 3},       {INT64_MIN, 3},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct hist_layout out, before;
		memset(&out, 0xA5, sizeof out);
		memcpy(&before, &out, sizeof out);
		if (hist_layout(rows[i].highest, rows[i].digits, &out))
			fail_msg("row %zu: highest %lld digits %d accepted", i,
			         (long long)rows[i].highest, rows[i].digits);
		assert_memory_equal(&out, &before, sizeof out);
	}
}

static void test_layout_up_to_int64_max_does_not_overflow(void **state)
{
	(void)state;
	struct hist_layout l;
	assert_true(hist_layout(INT64_MAX, 1, &l));
	/* 2^63 - 1 = 31 << 58 + (2^58 - 1): bucket 58, sub-bucket 31, index 58 * 16 + 31 */
	assert_int_equal(hist_index_of(&l, INT64_MAX), 58 * 16 + 31);
	assert_int_equal(hist_index_of(&l, INT64_MAX), l.counts_len - 1);
	assert_int_equal(hist_lowest_equivalent(&l, INT64_MAX), INT64_C(31) << 58);
	assert_int_equal(hist_highest_equivalent(&l, INT64_MAX), INT64_MAX);
	assert_int_equal(hist_median_equivalent(&l, INT64_MAX),
	                 (INT64_C(31) << 58) + (INT64_C(1) << 57));
	struct hist h;
	hist_init(&h, &l);
	hist_record(&h, INT64_MAX, 2);
	hist_record(&h, 1, 1);
	assert_int_equal(h.clamped_high, 0);
	assert_int_equal(hist_value_at(&h, 1.0), INT64_MAX);
	assert_int_equal(hist_value_at(&h, 0.5), INT64_MAX);
	assert_int_equal(hist_value_at(&h, 0.0), 1);
	assert_true(hist_mean(&h) <= (double)INT64_MAX);
	hist_fini(&h);
}

/* ---- percentiles, mean and stddev against sorted samples ---- */

/* Sample shapes, values in µs. */
static int64_t draw_uniform(struct rng *r)
{
	return (int64_t)(rng_unit(r) * 2000000); /* 0 .. 2 s */
}

static int64_t draw_lognormal(struct rng *r)
{
	return at_least_zero(exp(log(20000.0) + 1.0 * rng_normal(r))); /* median 20 ms */
}

static int64_t draw_bimodal(struct rng *r)
{
	if (rng_unit(r) < 0.7)
		return at_least_zero(2000 + 300 * rng_normal(r)); /* cache hits, ~2 ms */
	return at_least_zero(250000 + 30000 * rng_normal(r));     /* misses, ~250 ms */
}

static int64_t draw_heavy_outliers(struct rng *r)
{
	if (rng_unit(r) < 0.999)
		return at_least_zero(1000 + 100 * rng_normal(r)); /* ~1 ms */
	return 10000000 + (int64_t)(rng_unit(r) * 50000000);      /* 10 .. 60 s */
}

static int64_t draw_all_equal(struct rng *r)
{
	(void)r;
	return 123457;
}

static int64_t draw_one_sample(struct rng *r)
{
	(void)r;
	return 987654321;
}

static int64_t draw_small_integers(struct rng *r)
{
	return (int64_t)(rng_next(r) % 5000); /* the exact region for 3+ digits, zeros included */
}

static int64_t draw_log_uniform_whole_range(struct rng *r)
{
	int64_t v = (int64_t)exp(rng_unit(r) * log((double)HIGHEST)) - 1; /* every bucket */
	return v > HIGHEST ? HIGHEST : v;
}

static const struct shape {
	const char *name;
	size_t n; /* not all round, so ceil(q * N) is exercised */
	int64_t (*draw)(struct rng *r);
} shapes[] = {
    {"uniform 0-2s", 200000, draw_uniform},
    {"lognormal 20ms", 199999, draw_lognormal},
    {"bimodal 2ms/250ms", 200003, draw_bimodal},
    {"99.9% 1ms, 0.1% 10-60s", 200000, draw_heavy_outliers},
    {"all equal", 1000, draw_all_equal},
    {"one sample", 1, draw_one_sample},
    {"small integers", 100001, draw_small_integers},
    {"log-uniform 0-1h", 200000, draw_log_uniform_whole_range},
};

/* q = num / den exactly, in increasing order */
static const struct {
	int64_t num, den;
} quantiles[] = {
    {0, 1},   {1, 100000}, {1, 1000},   {1, 4},        {1, 3},          {1, 2}, {9, 10},
    {19, 20}, {99, 100},   {999, 1000}, {9999, 10000}, {99999, 100000}, {1, 1},
};

struct exact_stats {
	long double mean, stddev, rms;
};

static struct exact_stats exact_stats_of(const int64_t *values, size_t n)
{
	struct exact_stats s;
	long double sum = 0, squares = 0, deviations = 0;
	for (size_t i = 0; i < n; i++) {
		sum += (long double)values[i]; /* exact: integers below 2^64 */
		squares += (long double)values[i] * (long double)values[i];
	}
	s.mean = sum / (long double)n;
	for (size_t i = 0; i < n; i++) {
		long double d = (long double)values[i] - s.mean;
		deviations += d * d;
	}
	s.stddev = sqrtl(deviations / (long double)n);
	s.rms = sqrtl(squares / (long double)n);
	return s;
}

static void check_against_sorted(const struct shape *shape, int digits, const int64_t *sorted,
                                 size_t n, struct exact_stats exact, const struct hist *h)
{
	int64_t scale = pow10_i64(digits);
	assert_int_equal(hist_count(h), (int64_t)n);
	assert_int_equal(hist_min(h), sorted[0]);
	assert_int_equal(hist_max(h), sorted[n - 1]);
	assert_int_equal(h->clamped_low + h->clamped_high, 0);

	int64_t previous = INT64_MIN;
	for (size_t i = 0; i < sizeof quantiles / sizeof quantiles[0]; i++) {
		int64_t num = quantiles[i].num, den = quantiles[i].den;
		int64_t rank = (num * (int64_t)n + den - 1) / den; /* ceil, in integers */
		if (rank < 1)
			rank = 1;
		int64_t want = sorted[rank - 1];
		int64_t got = hist_value_at(h, (double)num / (double)den);
		/* hist.h: want <= got < want + want / 10^d, and exact below 2 * 10^d; the
		 * extremes are recorded exactly */
		bool ok = got >= want && (got - want) * scale <= want;
		if (want < 2 * scale || rank == 1 || rank == (int64_t)n)
			ok = ok && got == want;
		if (!ok || got < previous)
			fail_msg("%s, %d digits, q = %lld/%lld (rank %lld of %zu): got %lld, "
			         "exact %lld, previous quantile %lld",
			         shape->name, digits, (long long)num, (long long)den,
			         (long long)rank, n, (long long)got, (long long)want,
			         (long long)previous);
		previous = got;
	}

	/* one walk for them all (a spectrum's way), and after them a NaN, a step back and the
	 * end: each as hist_value_at alone, which the loop above held to the exact samples */
	enum { QN = sizeof quantiles / sizeof quantiles[0] };
	double qs[QN + 4];
	int64_t walked[QN + 4];
	for (size_t i = 0; i < QN; i++)
		qs[i] = (double)quantiles[i].num / (double)quantiles[i].den;
	qs[QN] = NAN;
	qs[QN + 1] = 0.25;
	qs[QN + 2] = 0.999;
	qs[QN + 3] = 1.0;
	hist_values_at(h, qs, QN + 4, walked);
	for (size_t i = 0; i < QN + 4; i++)
		if (walked[i] != hist_value_at(h, qs[i]))
			fail_msg("%s, %d digits, q = %g (%zu of a walk): %lld, alone %lld",
			         shape->name, digits, qs[i], i, (long long)walked[i],
			         (long long)hist_value_at(h, qs[i]));

	/*
	 * Mean and stddev: every bucket stands for its samples with its midpoint clamped into
	 * [min, max], at most width / 2 <= v / (2 * 10^d) from each sample v. So the mean moves by
	 * at most mean / (2 * 10^d); the stddev, a norm of the centred samples, moves by at most
	 * the norm of those errors, rms / (2 * 10^d) (triangle inequality). The small extra slack
	 * covers the final rounding to double.
	 */
	double mean = hist_mean(h), stddev = hist_stddev(h);
	long double mean_bound = exact.mean / (2 * scale) + exact.mean * 1e-12L + 1e-9L;
	long double stddev_bound = exact.rms / (2 * scale) + exact.rms * 1e-12L + 1e-9L;
	if (fabsl((long double)mean - exact.mean) > mean_bound)
		fail_msg("%s, %d digits: mean %.6f, exact %.6Lf", shape->name, digits, mean,
		         exact.mean);
	if (fabsl((long double)stddev - exact.stddev) > stddev_bound)
		fail_msg("%s, %d digits: stddev %.6f, exact %.6Lf (bound %.6Lf)", shape->name,
		         digits, stddev, exact.stddev, stddev_bound);
	if (sorted[0] == sorted[n - 1]) {
		/* documented: equal values give their exact mean and stddev 0 */
		assert_true(mean == (double)sorted[0]);
		assert_true(stddev == 0);
	}
	assert_true(mean >= (double)sorted[0] && mean <= (double)sorted[n - 1]);
}

static void test_percentiles_mean_and_stddev_match_sorted_samples_within_stated_error(void **state)
{
	(void)state;
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		const struct shape *shape = &shapes[s];
		int64_t *values = malloc(shape->n * sizeof *values);
		assert_non_null(values);
		struct rng r = {UINT64_C(0x5EED) + s};
		for (size_t i = 0; i < shape->n; i++)
			values[i] = shape->draw(&r);
		struct hist hists[HIST_DIGITS_MAX + 1];
		for (int d = HIST_DIGITS_MIN; d <= HIST_DIGITS_MAX; d++) {
			hists[d] = make(d);
			record_all(&hists[d], values, shape->n); /* in generation order */
		}
		struct exact_stats exact = exact_stats_of(values, shape->n);
		qsort(values, shape->n, sizeof *values, compare_i64);
		for (int d = HIST_DIGITS_MIN; d <= HIST_DIGITS_MAX; d++) {
			check_against_sorted(shape, d, values, shape->n, exact, &hists[d]);
			hist_fini(&hists[d]);
		}
		free(values);
	}
}

static void test_rank_is_the_exact_ceiling_despite_binary_rounding(void **state)
{
	(void)state;
	/* values 1..N at 5 digits (exact below 200000), so value_at returns the rank itself */
	static const struct {
		int64_t n;
		double q;
		int64_t rank; /* ceil(q * n) in exact decimal arithmetic, by hand */
	} rows[] = {
	    {100, 0.95, 95}, /* 0.95 * 100 = 95.00000000000001 in doubles */
	    {100, 0.07, 7},  /* 7.000000000000001 */
	    {100, 0.29, 29}, /* 28.999999999999996 */
	    {100, 0.57, 57}, /* 56.99999999999999 */
	    {100, 0.951, 96},
	    {100, 0.001, 1},
	    {100, 0.0, 1},
	    {100, 1.0, 100},
	    {100, -0.5, 1}, /* clamped into [0, 1] */
	    {100, 1.5, 100},
	    {100, -INFINITY, 1},
	    {100, INFINITY, 100},
	    {199999, 0.99999, 199998}, /* 199997.00001: a 1e-9 tolerance would say 199997 */
	    {199999, 0.5, 100000},     /* 99999.5 */
	    {199999, 1.0 / 3, 66667},  /* 66666.33 */
	    {199999, 1e-12, 1},
	    {199999, 0.9999, 199980}, /* 199979.0001 */
	    {100000, 0.9999, 99990},  /* exactly 99990 */
	    {100000, 0.99999, 99999}, /* exactly 99999 */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct hist h = make(5);
		for (int64_t v = 1; v <= rows[i].n; v++)
			hist_record(&h, v, 1);
		int64_t got = hist_value_at(&h, rows[i].q);
		if (got != rows[i].rank)
			fail_msg("row %zu: n %lld q %.17g: got rank %lld, want %lld", i,
			         (long long)rows[i].n, rows[i].q, (long long)got,
			         (long long)rows[i].rank);
		hist_fini(&h);
	}
}

static void test_nan_quantile_returns_zero(void **state)
{
	(void)state;
	struct hist h = make(3);
	hist_record(&h, 500, 3);
	assert_int_equal(hist_value_at(&h, NAN), 0);
	assert_int_equal(hist_value_at(&h, 0.5), 500);
	hist_fini(&h);
}

static void test_extremes_are_exact_outside_the_exact_region(void **state)
{
	(void)state;
	/* at 1 digit, 1000001 and 1000002 share a bucket 32768 wide; p0 and p100 stay exact */
	struct hist h = make(1);
	hist_record(&h, 1000001, 1);
	hist_record(&h, 1000002, 1);
	assert_int_equal(hist_value_at(&h, 0.0), 1000001);
	assert_int_equal(hist_value_at(&h, 0.5), 1000001); /* rank 1 */
	assert_int_equal(hist_value_at(&h, 0.75), 1000002);
	assert_int_equal(hist_value_at(&h, 1.0), 1000002);
	double mean = hist_mean(&h);
	assert_true(mean >= 1000001 && mean <= 1000002);
	hist_fini(&h);
}

/* ---- merge ---- */

static void fill(int64_t *values, size_t n, uint64_t seed, int64_t (*draw)(struct rng *r))
{
	struct rng r = {seed};
	for (size_t i = 0; i < n; i++)
		values[i] = draw(&r);
}

enum { MERGE_N = 30000 };

static void test_merge_equals_recording_the_union(void **state)
{
	(void)state;
	static int64_t a[MERGE_N], b[MERGE_N];
	fill(a, MERGE_N, 1, draw_lognormal);
	fill(b, MERGE_N, 2, draw_heavy_outliers);
	a[10] = -7;              /* clamped low */
	b[20] = HIGHEST + 12345; /* clamped high */
	for (int d = HIST_DIGITS_MIN; d <= HIST_DIGITS_MAX; d++) {
		struct hist ha = make(d), hb = make(d), all = make(d);
		record_all(&ha, a, MERGE_N);
		record_all(&hb, b, MERGE_N);
		record_all(&all, a, MERGE_N);
		record_all(&all, b, MERGE_N);
		assert_true(hist_merge(&ha, &hb));
		assert_same_hist(&ha, &all);
		assert_int_equal(ha.clamped_low, 1);
		assert_int_equal(ha.clamped_high, 1);
		assert_int_equal(ha.total_count, 2 * MERGE_N);
		hist_fini(&ha);
		hist_fini(&hb);
		hist_fini(&all);
	}
}

static void test_merge_is_associative(void **state)
{
	(void)state;
	static int64_t a[MERGE_N], b[MERGE_N], c[MERGE_N];
	fill(a, MERGE_N, 3, draw_bimodal);
	fill(b, MERGE_N, 4, draw_uniform);
	fill(c, MERGE_N, 5, draw_log_uniform_whole_range);
	for (int i = 0; i < MERGE_N; i += 100)
		c[i] = i % 200 ? -i : HIGHEST + i; /* both kinds of clamping */
	struct hist ha = make(3), hb = make(3), hc = make(3);
	record_all(&ha, a, MERGE_N);
	record_all(&hb, b, MERGE_N);
	record_all(&hc, c, MERGE_N);

	struct hist left = make(3), bc = make(3), right = make(3);
	assert_true(hist_merge(&left, &ha));
	assert_true(hist_merge(&left, &hb));
	assert_true(hist_merge(&left, &hc)); /* (A + B) + C */
	assert_true(hist_merge(&bc, &hb));
	assert_true(hist_merge(&bc, &hc));
	assert_true(hist_merge(&right, &ha));
	assert_true(hist_merge(&right, &bc)); /* A + (B + C) */
	assert_same_hist(&left, &right);
	assert_int_equal(left.total_count, 3 * MERGE_N);

	struct hist *all[] = {&ha, &hb, &hc, &left, &bc, &right};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		hist_fini(all[i]);
}

static void test_merge_with_a_different_layout_fails_and_changes_nothing(void **state)
{
	(void)state;
	/* 3.7e9 at 3 digits has the same bucket_count and counts_len as 3.6e9: only the top
	 * differs, which is still a different histogram */
	static const struct {
		int64_t highest;
		int digits;
	} others[] = {{HIGHEST, 2}, {HIGHEST, 4}, {INT64_C(3700000000), 3}, {1000000, 3}};
	struct hist into = make(3);
	hist_record(&into, 1234, 2);
	hist_record(&into, 99999, 1);
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		struct hist_layout l;
		assert_true(hist_layout(others[i].highest, others[i].digits, &l));
		struct hist from;
		hist_init(&from, &l);
		hist_record(&from, 5, 1);
		struct hist before = snapshot(&into), from_before = snapshot(&from);
		if (hist_merge(&into, &from))
			fail_msg("row %zu: merged a different layout", i);
		assert_same_hist(&into, &before);
		assert_same_hist(&from, &from_before);
		hist_fini(&before);
		hist_fini(&from_before);
		hist_fini(&from);
	}
	hist_fini(&into);
}

static void test_merging_an_empty_histogram_is_identity(void **state)
{
	(void)state;
	static int64_t a[MERGE_N];
	fill(a, MERGE_N, 6, draw_bimodal);
	a[0] = -1;
	struct hist h = make(3), empty = make(3);
	record_all(&h, a, MERGE_N);
	struct hist before = snapshot(&h);

	assert_true(hist_merge(&h, &empty)); /* A + {} = A */
	assert_same_hist(&h, &before);

	struct hist into_empty = make(3); /* {} + A = A, min and max included */
	assert_true(hist_merge(&into_empty, &h));
	assert_same_hist(&into_empty, &before);

	struct hist both_empty = make(3), fresh = make(3);
	assert_true(hist_merge(&both_empty, &empty));
	assert_same_hist(&both_empty, &fresh);

	struct hist *all[] = {&h, &empty, &before, &into_empty, &both_empty, &fresh};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		hist_fini(all[i]);
}

/* ---- recording ---- */

static void test_out_of_range_values_are_clamped_and_counted(void **state)
{
	(void)state;
	static const struct {
		int64_t value, count;
		int low, high; /* how the value is counted */
	} rows[] = {
	    {-1, 1, 1, 0},      {INT64_MIN, 2, 1, 0},   {0, 1, 0, 0},
	    {HIGHEST, 1, 0, 0}, {HIGHEST + 1, 1, 0, 1}, {INT64_MAX, 3, 0, 1},
	};
	struct hist h = make(3);
	int64_t low = 0, high = 0, total = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		hist_record(&h, rows[i].value, rows[i].count);
		low += rows[i].low ? rows[i].count : 0;
		high += rows[i].high ? rows[i].count : 0;
		total += rows[i].count;
		assert_int_equal(h.clamped_low, low);
		assert_int_equal(h.clamped_high, high);
		assert_int_equal(hist_count(&h), total);
	}
	assert_int_equal(hist_min(&h), 0);
	assert_int_equal(hist_max(&h), HIGHEST);
	assert_int_equal(hist_count_at(&h, 0), 4); /* -1, INT64_MIN x2, 0 */
	assert_int_equal(hist_count_at(&h, reference_bucket_of(3, HIGHEST).index), 5);
	assert_int_equal(hist_value_at(&h, 1.0), HIGHEST);
	assert_int_equal(hist_value_at(&h, 0.0), 0);

	struct hist one = make(3); /* a single clamped-high sample */
	hist_record(&one, HIGHEST * 2, 1);
	assert_int_equal(one.clamped_high, 1);
	assert_int_equal(hist_value_at(&one, 1.0), HIGHEST);
	assert_int_equal(hist_value_at(&one, 0.5), HIGHEST);
	assert_int_equal(hist_min(&one), HIGHEST);
	hist_fini(&one);
	hist_fini(&h);
}

static void test_record_with_a_count_equals_recording_one_by_one(void **state)
{
	(void)state;
	struct rng r = {7};
	struct hist bulk = make(2), single = make(2);
	for (int i = 0; i < 2000; i++) {
		int64_t value = draw_log_uniform_whole_range(&r);
		if (i % 97 == 0)
			value = -value - 1;
		if (i % 89 == 0)
			value = HIGHEST + value;
		int64_t count = 1 + (int64_t)(rng_next(&r) % 50);
		hist_record(&bulk, value, count);
		for (int64_t c = 0; c < count; c++)
			hist_record(&single, value, 1);
	}
	assert_same_hist(&bulk, &single);
	hist_fini(&bulk);
	hist_fini(&single);
}

static void test_record_ignores_counts_below_one(void **state)
{
	(void)state;
	static const int64_t counts[] = {0, -1, -1000, INT64_MIN};
	static const int64_t values[] = {0, 5, 123456, -3, HIGHEST + 1};
	struct hist h = make(3);
	hist_record(&h, 77, 2);
	struct hist before = snapshot(&h);
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		for (size_t j = 0; j < sizeof values / sizeof values[0]; j++)
			hist_record(&h, values[j], counts[i]);
	assert_same_hist(&h, &before);
	hist_fini(&before);
	hist_fini(&h);
}

static void test_counts_saturate_instead_of_wrapping(void **state)
{
	(void)state;
	struct hist h = make(3);
	hist_record(&h, 1000, INT64_MAX - 1);
	hist_record(&h, 1000, 5);
	hist_record(&h, 5000, 1);
	assert_int_equal(hist_count_at(&h, 1000), INT64_MAX);
	assert_int_equal(hist_count(&h), INT64_MAX);
	assert_int_equal(hist_value_at(&h, 0.5), 1000);
	assert_int_equal(hist_value_at(&h, 1.0), 5000);
	struct hist other = snapshot(&h);
	assert_true(hist_merge(&h, &other));
	assert_int_equal(hist_count_at(&h, 1000), INT64_MAX);
	assert_int_equal(hist_count_at(&h, reference_bucket_of(3, 5000).index), 2);
	assert_int_equal(hist_count(&h), INT64_MAX);
	hist_record(&h, -1, INT64_MAX);
	hist_record(&h, -1, INT64_MAX);
	assert_int_equal(h.clamped_low, INT64_MAX);
	hist_fini(&other);
	hist_fini(&h);
}

static void test_reset_empties_and_keeps_the_layout(void **state)
{
	(void)state;
	struct hist h = make(3), fresh = make(3);
	hist_record(&h, 5, 1);
	hist_record(&h, -5, 1);
	hist_record(&h, HIGHEST + 5, 1);
	hist_reset(&h);
	assert_same_hist(&h, &fresh);
	hist_record(&h, 42, 1);
	assert_int_equal(hist_value_at(&h, 0.5), 42);
	hist_fini(&h);
	hist_reset(&h); /* safe after fini */
	hist_fini(&fresh);
}

/* ---- iteration ---- */

static void test_iterator_visits_exactly_the_non_empty_buckets_in_order(void **state)
{
	(void)state;
	static int64_t values[20000];
	fill(values, 20000, 8, draw_log_uniform_whole_range);
	values[0] = 0;
	values[1] = 2047; /* the end of bucket 0 and the start of bucket 1 */
	values[2] = 2048;
	values[3] = 2049;
	values[4] = HIGHEST;
	for (int d = HIST_DIGITS_MIN; d <= HIST_DIGITS_MAX; d++) {
		struct hist h = make(d);
		record_all(&h, values, 20000);
		/* expected counts per index, from the reference arithmetic */
		int32_t len = h.layout.counts_len;
		int64_t *want = calloc((size_t)len, sizeof *want);
		assert_non_null(want);
		for (int i = 0; i < 20000; i++)
			want[reference_bucket_of(d, values[i]).index]++;

		struct hist_iter it;
		hist_iter_init(&it, &h);
		int32_t next = 0;
		int64_t cumulative = 0, previous_highest = -1;
		while (hist_iter_next(&it)) {
			while (next < len && want[next] == 0)
				next++;
			if (next >= len || it.index != next)
				fail_msg("%d digits: iterator at index %d, expected %d", d,
				         it.index, next);
			struct reference_bucket b = reference_bucket_of(d, it.value_lowest);
			cumulative += want[next];
			assert_int_equal(it.count, want[next]);
			assert_int_equal(it.cumulative, cumulative);
			assert_int_equal(b.index, it.index);
			assert_int_equal(b.lowest, it.value_lowest);
			assert_int_equal(b.highest, it.value_highest);
			assert_true(it.value_lowest > previous_highest);
			previous_highest = it.value_highest;
			next++;
		}
		while (next < len && want[next] == 0)
			next++;
		assert_int_equal(next, len); /* no non-empty bucket was skipped */
		assert_int_equal(cumulative, 20000);
		assert_int_equal(cumulative, hist_count(&h));
		assert_false(hist_iter_next(&it)); /* stays exhausted */
		free(want);
		hist_fini(&h);
	}
}

static void test_empty_histogram_reports_zeros(void **state)
{
	(void)state;
	static const double qs[] = {0, 0.5, 0.99, 1, -1, 2};
	struct hist h = make(3);
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
		assert_int_equal(hist_value_at(&h, qs[i]), 0);
	assert_int_equal(hist_value_at(&h, NAN), 0);
	assert_true(hist_mean(&h) == 0);
	assert_true(hist_stddev(&h) == 0);
	assert_int_equal(hist_min(&h), 0);
	assert_int_equal(hist_max(&h), 0);
	assert_int_equal(hist_count(&h), 0);
	assert_int_equal(h.min, INT64_MAX); /* the documented empty state */
	assert_int_equal(h.max, 0);
	struct hist_iter it;
	hist_iter_init(&it, &h);
	assert_int_equal(it.index, -1);
	assert_false(hist_iter_next(&it));
	hist_fini(&h);
	assert_null(h.counts);
	hist_fini(&h); /* twice is safe */

	struct hist zeroed;
	memset(&zeroed, 0, sizeof zeroed);
	hist_fini(&zeroed); /* so is a zeroed struct */
}

/* ---- bucket arithmetic ---- */

static void check_value(const struct hist_layout *l, int64_t v)
{
	int d = l->significant_digits;
	struct reference_bucket b = reference_bucket_of(d, v);
	int32_t index = hist_index_of(l, v);
	int64_t low = hist_lowest_equivalent(l, v), high = hist_highest_equivalent(l, v);
	int64_t median = hist_median_equivalent(l, v);
	if (index != b.index || low != b.lowest || high != b.highest ||
	    hist_value_from_index(l, index) != low || median != b.lowest + b.width / 2)
		fail_msg("%d digits, value %lld: index %d (want %d), lowest %lld (want %lld), "
		         "highest %lld (want %lld), median %lld",
		         d, (long long)v, index, b.index, (long long)low, (long long)b.lowest,
		         (long long)high, (long long)b.highest, (long long)median);
	assert_true(low <= v && v <= high && low <= median && median <= high);
	if (high < l->highest_trackable_value)
		assert_int_equal(hist_index_of(l, high + 1), index + 1);
	if (low > 0)
		assert_int_equal(hist_index_of(l, low - 1), index - 1);
	/* hist.h's promise: exact below 2 * 10^d, width at most v / 10^d above */
	int64_t scale = pow10_i64(d);
	if (v < 2 * scale)
		assert_int_equal(b.width, 1);
	else
		assert_true(b.width * scale <= v);
}

static void test_bucket_arithmetic_matches_the_reference(void **state)
{
	(void)state;
	for (int d = HIST_DIGITS_MIN; d <= HIST_DIGITS_MAX; d++) {
		struct hist_layout l;
		assert_true(hist_layout(HIGHEST, d, &l));
		int64_t sub_bucket_count = reference_sub_bucket_count[d];
		for (int64_t v = 0; v < 2 * sub_bucket_count + 5; v++)
			check_value(&l, v); /* bucket 0, bucket 1 and the seam between them */
		for (int k = 0; (sub_bucket_count << k) <= HIGHEST; k++) {
			int64_t edge = sub_bucket_count << k; /* bucket k + 1 starts here */
			check_value(&l, edge - 1);
			check_value(&l, edge);
			check_value(&l, edge + 1);
		}
		struct rng r = {100 + (uint64_t)d};
		for (int i = 0; i < 20000; i++)
			check_value(&l, draw_log_uniform_whole_range(&r));
		check_value(&l, HIGHEST - 1);
		check_value(&l, HIGHEST);

		/* every index is a real bucket: value_from_index maps back, values increase */
		int64_t previous = -1;
		for (int32_t i = 0; i < l.counts_len; i++) {
			int64_t v = hist_value_from_index(&l, i);
			assert_true(v > previous);
			previous = v;
			if (v <= HIGHEST) {
				assert_int_equal(hist_index_of(&l, v), i);
				assert_int_equal(reference_bucket_of(d, v).index, i);
			}
		}

		/* out of range: values and indexes are clamped */
		int32_t top = hist_index_of(&l, HIGHEST);
		assert_int_equal(hist_index_of(&l, -1), 0);
		assert_int_equal(hist_index_of(&l, INT64_MIN), 0);
		assert_int_equal(hist_index_of(&l, HIGHEST + 1), top);
		assert_int_equal(hist_index_of(&l, INT64_MAX), top);
		assert_true(top < l.counts_len);
		assert_int_equal(hist_lowest_equivalent(&l, -5), 0);
		assert_int_equal(hist_highest_equivalent(&l, INT64_MAX),
		                 reference_bucket_of(d, HIGHEST).highest);
		assert_int_equal(hist_value_from_index(&l, -1), 0);
		assert_int_equal(hist_value_from_index(&l, l.counts_len),
		                 hist_value_from_index(&l, l.counts_len - 1));
	}
}

/* ---- loading ---- */

static void test_rebuild_from_iterator_with_set_count_is_identical(void **state)
{
	(void)state;
	for (int d = HIST_DIGITS_MIN; d <= HIST_DIGITS_MAX; d++) {
		struct hist h = make(d), copy = make(d);
		struct rng r = {200 + (uint64_t)d};
		for (int i = 0; i < 10000; i++)
			hist_record(&h, draw_bimodal(&r), 1 + i % 3);
		hist_record(&h, -3, 1);
		hist_record(&h, HIGHEST + 3, 2);

		struct hist_iter it;
		hist_iter_init(&it, &h);
		while (hist_iter_next(&it))
			assert_true(hist_set_count(&copy, it.index, it.count));
		hist_set_extremes(&copy, hist_min(&h), hist_max(&h));
		copy.clamped_low = h.clamped_low; /* set directly by model JSON load */
		copy.clamped_high = h.clamped_high;
		assert_same_hist(&copy, &h);
		for (size_t i = 0; i < sizeof quantiles / sizeof quantiles[0]; i++) {
			double q = (double)quantiles[i].num / (double)quantiles[i].den;
			assert_int_equal(hist_value_at(&copy, q), hist_value_at(&h, q));
		}
		assert_true(hist_mean(&copy) == hist_mean(&h));
		assert_true(hist_stddev(&copy) == hist_stddev(&h));
		hist_fini(&h);
		hist_fini(&copy);
	}
}

static void test_set_count_rejects_bad_input_and_replaces_counts(void **state)
{
	(void)state;
	struct hist h = make(3);
	static const struct {
		int32_t index;
		int64_t count;
	} bad[] = {{-1, 1}, {23552, 1}, {INT32_MAX, 1}, {INT32_MIN, 1}, {0, -1}, {5, INT64_MIN}};
	hist_record(&h, 5, 1);
	struct hist before = snapshot(&h);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (hist_set_count(&h, bad[i].index, bad[i].count))
			fail_msg("row %zu: index %d count %lld accepted", i, bad[i].index,
			         (long long)bad[i].count);
		assert_same_hist(&h, &before);
	}
	assert_true(hist_set_count(&h, 23551, 4)); /* the last slot is valid */
	assert_int_equal(hist_count(&h), 5);
	assert_true(hist_set_count(&h, 23551, 2)); /* replaces, not adds */
	assert_int_equal(hist_count(&h), 3);
	assert_true(hist_set_count(&h, 23551, 0));
	assert_int_equal(hist_count(&h), 1);
	hist_fini(&before);
	hist_fini(&h);
}

static void test_set_extremes_clamps_and_keeps_empty_histograms_empty(void **state)
{
	(void)state;
	/* model JSON writes min 0 / max 0 for an empty histogram and loads them back */
	struct hist loaded = make(3), fresh = make(3), a = make(3);
	hist_set_extremes(&loaded, 0, 0);
	assert_same_hist(&loaded, &fresh);
	hist_record(&a, 700, 1);
	hist_record(&a, 900, 1);
	assert_true(hist_merge(&loaded, &a));
	assert_int_equal(hist_min(&loaded), 700);
	assert_int_equal(hist_max(&loaded), 900);

	hist_set_extremes(&loaded, -5, HIGHEST * 2);
	assert_int_equal(hist_min(&loaded), 0);
	assert_int_equal(hist_max(&loaded), HIGHEST);
	hist_fini(&loaded);
	hist_fini(&fresh);
	hist_fini(&a);
}

/*
 * Counts are stored for a window of indexes grown on demand: growing down, up, across the
 * whole layout, and merging histograms whose windows are disjoint or nested must all equal
 * recording every value into one histogram.
 */
static void test_count_window_grows_both_ways_and_merges(void **state)
{
	(void)state;
	static const int64_t values[] = {1000000000, 1, 1000000, 5, HIGHEST, 0, 2047, 2048, 77777};
	struct hist all = make(3), a = make(3), b = make(3);
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		hist_record(&all, values[i], (int64_t)i + 1);
		hist_record(i % 3 ? &a : &b, values[i], (int64_t)i + 1);
	}
	assert_true(a.counts_n < a.layout.counts_len || b.counts_n < b.layout.counts_len);
	struct hist merged = make(3);
	assert_true(hist_merge(&merged, &b)); /* into an empty histogram */
	assert_true(hist_merge(&merged, &a));
	assert_same_hist(&merged, &all);
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		assert_int_equal(hist_count_at(&all, hist_index_of(&all.layout, values[i])) > 0, 1);
	assert_int_equal(hist_count_at(&all, -1), 0);
	assert_int_equal(hist_count_at(&all, all.layout.counts_len), 0);
	/* a value far below a narrow window, then set_count far above it */
	struct hist c = make(3);
	hist_record(&c, 5000000, 1);
	hist_record(&c, 3, 1);
	assert_true(hist_set_count(&c, c.layout.counts_len - 1, 4));
	assert_int_equal(hist_count(&c), 6);
	assert_int_equal(hist_count_at(&c, hist_index_of(&c.layout, 3)), 1);
	assert_int_equal(hist_count_at(&c, c.layout.counts_len - 1), 4);
	hist_fini(&all);
	hist_fini(&a);
	hist_fini(&b);
	hist_fini(&merged);
	hist_fini(&c);
}

/*
 * A sample in histogram units is rounded up, never down, so no percentile reads below it: the
 * issue's case, 1.4004 ms is 1400.4 µs and must not become 1400; a product's rounding noise
 * (0.1 ms * 1000 = 100.00000000000001) is not a part of a unit.
 */
static void test_units_of_a_sample_round_up_without_float_noise(void **state)
{
	(void)state;
	assert_int_equal(hist_units_of(1.4004 * 1000), 1401);
	assert_int_equal(hist_units_of(0.441), 1);
	assert_int_equal(hist_units_of(0.1 * 1000), 100);
	assert_int_equal(hist_units_of(12.0 * 1000), 12000);
	assert_int_equal(hist_units_of(30.435134 * 1000), 30436);
	assert_int_equal(hist_units_of(0), 0);
	assert_int_equal(hist_units_of(-3), 0);
	assert_int_equal(hist_units_of(NAN), 0);
	assert_true(hist_units_of(1e300) == INT64_MAX);
}

/* ---- the sparse store (hist.h "Memory") ---- */

/* A histogram forced into the dense store: filled past HIST_SPARSE_MAX buckets, then reset. */
static struct hist make_dense(int digits)
{
	struct hist h = make(digits);
	for (int64_t v = 0; v <= HIST_SPARSE_MAX; v++)
		hist_record(&h, v * 1000, 1);
	assert_non_null(h.counts);
	hist_reset(&h);
	assert_non_null(h.counts); /* reset keeps the store */
	return h;
}

/* Every reader gives the same answer for both stores. */
static void assert_same_answers(const struct hist *a, const struct hist *b)
{
	assert_same_hist(a, b);
	static const double qs[] = {0, 0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1};
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
		assert_int_equal(hist_value_at(a, qs[i]), hist_value_at(b, qs[i]));
	assert_true(hist_mean(a) == hist_mean(b));
	assert_true(hist_stddev(a) == hist_stddev(b));
	struct hist_iter x, y;
	hist_iter_init(&x, a);
	hist_iter_init(&y, b);
	for (;;) {
		bool more = hist_iter_next(&x);
		assert_int_equal(more, hist_iter_next(&y));
		if (!more)
			break;
		assert_int_equal(x.index, y.index);
		assert_int_equal(x.count, y.count);
		assert_int_equal(x.cumulative, y.cumulative);
	}
}

/*
 * A few samples stay in the sparse store, 8 bytes a bucket, and every statistic equals the
 * dense store's; the store turns dense at its limit, bucket for bucket the same.
 */
static void test_sparse_store_answers_like_the_dense_one_and_turns_dense_at_its_limit(
    void **state)
{
	(void)state;
	struct rng r = {42};
	struct hist sparse = make(3), dense = make_dense(3);
	int64_t distinct = 0;
	for (int i = 0; i < 5000 && sparse.counts == NULL; i++) {
		/* lognormal around 20 ms, some repeats: spread over many doublings */
		int64_t v = at_least_zero(20000 * exp(1.5 * rng_normal(&r)));
		int64_t before = hist_count_at(&sparse, hist_index_of(&sparse.layout, v));
		distinct += before == 0;
		hist_record(&sparse, v, 1 + i % 3);
		hist_record(&dense, v, 1 + i % 3);
		if (sparse.counts == NULL) {
			assert_int_equal(sparse.sparse_n, distinct);
			assert_true(sparse.sparse_cap <= HIST_SPARSE_MAX);
			if (i % 37 == 0)
				assert_same_answers(&sparse, &dense);
		}
	}
	/* it left the sparse store at the bucket past its limit, and lost nothing */
	assert_non_null(sparse.counts);
	assert_null(sparse.sparse);
	assert_int_equal(distinct, HIST_SPARSE_MAX + 1);
	assert_same_answers(&sparse, &dense);
	hist_fini(&sparse);
	hist_fini(&dense);
}

/* Closely packed buckets turn dense early; far-apart ones stay sparse up to the limit. */
static void test_sparse_store_turns_dense_early_when_buckets_are_packed(void **state)
{
	(void)state;
	struct hist packed = make(3), apart = make(3);
	for (int64_t v = 0; v < HIST_SPARSE_DENSE - 1; v++)
		hist_record(&packed, v, 1); /* adjacent exact values: adjacent buckets */
	assert_null(packed.counts);
	hist_record(&packed, HIST_SPARSE_DENSE - 1, 1);
	assert_non_null(packed.counts);
	for (int32_t k = 0; k < HIST_SPARSE_MAX; k++)
		hist_record(&apart, hist_value_from_index(&apart.layout, k * 64), 1);
	assert_null(apart.counts);
	assert_int_equal(apart.sparse_n, HIST_SPARSE_MAX);
	hist_fini(&packed);
	hist_fini(&apart);

	/* a busy series of one bucket (a timing that is always 0) turns dense for speed */
	struct hist busy = make(3);
	hist_record(&busy, 0, HIST_SPARSE_BUSY - 1);
	hist_record(&busy, 0, 1);
	assert_null(busy.counts);
	hist_record(&busy, 0, 1);
	assert_non_null(busy.counts);
	assert_int_equal(hist_count_at(&busy, 0), HIST_SPARSE_BUSY + 1);
	hist_fini(&busy);
}

/* A bucket count past 32 bits leaves the sparse store, and is still exact. */
static void test_sparse_counts_past_32_bits_turn_dense_exactly(void **state)
{
	(void)state;
	struct hist h = make(3), reference = make_dense(3);
	hist_record(&h, 5000, INT64_C(4294967295));
	hist_record(&reference, 5000, INT64_C(4294967295));
	assert_null(h.counts);
	hist_record(&h, 5000, 2);
	hist_record(&reference, 5000, 2);
	assert_non_null(h.counts);
	assert_int_equal(hist_count_at(&h, hist_index_of(&h.layout, 5000)), INT64_C(4294967297));
	hist_record(&h, 70000, INT64_C(1) << 40); /* a new bucket past 32 bits at once */
	hist_record(&reference, 70000, INT64_C(1) << 40);
	assert_same_answers(&h, &reference);
	struct hist fresh = make(3);
	hist_record(&fresh, 9, INT64_C(1) << 33);
	assert_non_null(fresh.counts);
	assert_int_equal(hist_count_at(&fresh, 9), INT64_C(1) << 33);
	/* a count past 32 bits loaded into an empty store: a window near its index, not from 0 */
	struct hist loaded = make(3);
	assert_true(hist_set_count(&loaded, 20000, INT64_C(1) << 33));
	assert_non_null(loaded.counts);
	assert_true(loaded.counts_lo > 10000);
	assert_int_equal(hist_count_at(&loaded, 20000), INT64_C(1) << 33);
	hist_fini(&loaded);
	hist_fini(&h);
	hist_fini(&reference);
	hist_fini(&fresh);
}

/* set_count (model JSON load) adds, replaces and removes sparse words; merging mixes stores. */
static void test_set_count_and_merge_across_stores(void **state)
{
	(void)state;
	struct hist h = make(3);
	assert_true(hist_set_count(&h, 3000, 7));
	assert_true(hist_set_count(&h, 100, 2));
	assert_true(hist_set_count(&h, 3000, 5)); /* replace */
	assert_int_equal(h.sparse_n, 2);
	assert_true(hist_set_count(&h, 100, 0)); /* remove */
	assert_int_equal(h.sparse_n, 1);
	assert_int_equal(hist_count_at(&h, 100), 0);
	assert_int_equal(hist_count_at(&h, 3000), 5);
	assert_int_equal(h.total_count, 5);
	assert_true(hist_set_count(&h, 3000, INT64_C(1) << 35)); /* past 32 bits: dense */
	assert_non_null(h.counts);
	assert_int_equal(hist_count_at(&h, 3000), INT64_C(1) << 35);
	assert_int_equal(h.total_count, INT64_C(1) << 35);
	hist_fini(&h);

	/* sparse + dense, dense + sparse, sparse + sparse: each equals one recording of all */
	struct rng r = {7};
	struct hist few = make(3), many = make(3), other = make(3), all = make_dense(3);
	for (int i = 0; i < 3000; i++) {
		int64_t v = at_least_zero(30000 * exp(rng_normal(&r)));
		hist_record(i < 20 ? &few : i < 40 ? &other : &many, v, 1);
		hist_record(&all, v, 1);
	}
	assert_null(few.counts);
	assert_null(other.counts);
	assert_non_null(many.counts);
	struct hist a = make(3), b = make(3);
	assert_true(hist_merge(&a, &few));   /* sparse into empty */
	assert_true(hist_merge(&a, &other)); /* sparse into sparse */
	assert_true(hist_merge(&a, &many));  /* dense into sparse */
	assert_true(hist_merge(&b, &many));  /* dense into empty */
	assert_true(hist_merge(&b, &few));   /* sparse into dense */
	assert_true(hist_merge(&b, &other));
	assert_same_answers(&a, &all);
	assert_same_answers(&b, &all);
	hist_fini(&few);
	hist_fini(&many);
	hist_fini(&other);
	hist_fini(&all);
	hist_fini(&a);
	hist_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout_matches_hdrhistogram_formulas_for_one_hour),
	    cmocka_unit_test(test_layout_rejects_bad_input_leaving_output_untouched),
	    cmocka_unit_test(test_layout_up_to_int64_max_does_not_overflow),
	    cmocka_unit_test(
	        test_percentiles_mean_and_stddev_match_sorted_samples_within_stated_error),
	    cmocka_unit_test(test_rank_is_the_exact_ceiling_despite_binary_rounding),
	    cmocka_unit_test(test_nan_quantile_returns_zero),
	    cmocka_unit_test(test_extremes_are_exact_outside_the_exact_region),
	    cmocka_unit_test(test_merge_equals_recording_the_union),
	    cmocka_unit_test(test_merge_is_associative),
	    cmocka_unit_test(test_merge_with_a_different_layout_fails_and_changes_nothing),
	    cmocka_unit_test(test_merging_an_empty_histogram_is_identity),
	    cmocka_unit_test(test_out_of_range_values_are_clamped_and_counted),
	    cmocka_unit_test(test_record_with_a_count_equals_recording_one_by_one),
	    cmocka_unit_test(test_record_ignores_counts_below_one),
	    cmocka_unit_test(test_counts_saturate_instead_of_wrapping),
	    cmocka_unit_test(test_reset_empties_and_keeps_the_layout),
	    cmocka_unit_test(test_count_window_grows_both_ways_and_merges),
	    cmocka_unit_test(test_iterator_visits_exactly_the_non_empty_buckets_in_order),
	    cmocka_unit_test(test_empty_histogram_reports_zeros),
	    cmocka_unit_test(test_bucket_arithmetic_matches_the_reference),
	    cmocka_unit_test(test_rebuild_from_iterator_with_set_count_is_identical),
	    cmocka_unit_test(test_set_count_rejects_bad_input_and_replaces_counts),
	    cmocka_unit_test(test_set_extremes_clamps_and_keeps_empty_histograms_empty),
	    cmocka_unit_test(
	        test_sparse_store_answers_like_the_dense_one_and_turns_dense_at_its_limit),
	    cmocka_unit_test(test_sparse_store_turns_dense_early_when_buckets_are_packed),
	    cmocka_unit_test(test_sparse_counts_past_32_bits_turn_dense_exactly),
	    cmocka_unit_test(test_set_count_and_merge_across_stores),
	    cmocka_unit_test(test_units_of_a_sample_round_up_without_float_noise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
