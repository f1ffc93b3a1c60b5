/*
 * test_hist.c - the HdrHistogram-layout histogram against exact computation.
 *
 * Samples come from a seeded generator (splitmix64) in several shapes; the expected value of
 * every percentile is computed here from the sorted samples (the ceil(q*N)-th smallest, with q
 * as an exact fraction num/den so no floating point decides the rank), and the histogram must
 * land within its stated relative error: exact <= got < exact + exact / 10^digits (+1 unit for
 * values below the first bucket's resolution). Merge is checked bucket for bucket against
 * recording the union, and for associativity.
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

static uint64_t rng_state;

static uint64_t next_u64(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double next_unit(void)
{
	return (double)(next_u64() >> 11) / 9007199254740992.0; /* [0, 1) */
}

static double next_normal(void)
{
	double u = next_unit(), v = next_unit();
	return sqrt(-2 * log(u + 1e-300)) * cos(2 * 3.14159265358979323846 * v);
}

enum shape { UNIFORM, LOGNORMAL, BIMODAL, HEAVY_OUTLIERS, ALL_EQUAL, ONE_SAMPLE, SHAPE_COUNT };
static const char *const shape_names[] = {"uniform", "lognormal", "bimodal", "heavy outliers",
					  "all equal", "one sample"};

/* Values in µs. */
static int64_t sample(enum shape shape)
{
	switch (shape) {
	case UNIFORM: return (int64_t)(next_unit() * 2000000); /* 0 .. 2 s */
	case LOGNORMAL: return (int64_t)exp(log(20000) + 0.6 * next_normal()); /* ~20 ms */
	case BIMODAL:
		return next_unit() < 0.9 ? 1500 + (int64_t)(next_unit() * 1000)
					 : 80000 + (int64_t)(next_unit() * 20000);
	case HEAVY_OUTLIERS:
		return next_unit() < 0.999 ? 900 + (int64_t)(next_unit() * 200)
					   : 10000000 + (int64_t)(next_unit() * 50000000);
	case ALL_EQUAL: return 123457;
	case ONE_SAMPLE: return 987654321;
	case SHAPE_COUNT: break;
	}
	return 0;
}

static int compare_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static struct hist make(int digits)
{
	struct hist_layout layout;
	assert_true(hist_layout(HIST_HIGHEST_DEFAULT, digits, &layout));
	struct hist h;
	hist_init(&h, &layout);
	return h;
}

static void test_layout_numbers(void **state)
{
	(void)state;
	/*
	 * By hand from the HdrHistogram formulas, highest = 3.6e9:
	 * d=1: 2*10^1 = 20 -> 32 sub-buckets; 32 << k > 3.6e9 first at k = 27 -> 28 buckets;
	 *      counts_len = 29 * 16 = 464.
	 * d=3: 2000 -> 2048; 2048 << 21 = 4294967296 > 3.6e9 -> 22 buckets; 23 * 1024 = 23552.
	 * d=5: 200000 -> 262144; 262144 << 14 = 4294967296 -> 15 buckets; 16 * 131072 = 2097152.
	 */
	static const struct {
		int digits;
		int32_t sub_bucket_count, bucket_count, counts_len;
	} rows[] = {
		{1, 32, 28, 464},
		{2, 256, 25, 26 * 128},
		{3, 2048, 22, 23552},
		{4, 32768, 18, 19 * 16384},
		{5, 262144, 15, 2097152},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct hist_layout l;
		assert_true(hist_layout(HIST_HIGHEST_DEFAULT, rows[i].digits, &l));
		if (l.sub_bucket_count != rows[i].sub_bucket_count ||
		    l.bucket_count != rows[i].bucket_count || l.counts_len != rows[i].counts_len)
			fail_msg("digits %d: %d/%d/%d", rows[i].digits, l.sub_bucket_count,
				 l.bucket_count, l.counts_len);
	}
	struct hist_layout l;
	assert_false(hist_layout(HIST_HIGHEST_DEFAULT, 0, &l));
	assert_false(hist_layout(HIST_HIGHEST_DEFAULT, 6, &l));
	assert_false(hist_layout(1, 3, &l));
}

/* q = num / den exactly; rank = ceil(q * n) computed in integers */
struct quantile {
	int64_t num, den;
};

static void check_shape(enum shape shape, int digits, size_t n)
{
	int64_t *values = malloc(n * sizeof *values);
	struct hist h = make(digits);
	rng_state = 42 + (uint64_t)shape * 1000 + (uint64_t)digits;
	long double sum = 0;
	for (size_t i = 0; i < n; i++) {
		values[i] = sample(shape);
		sum += values[i];
		hist_record(&h, values[i], 1);
	}
	qsort(values, n, sizeof *values, compare_i64);
	assert_int_equal(hist_count(&h), (int64_t)n);
	assert_int_equal(hist_min(&h), values[0]);
	assert_int_equal(hist_max(&h), values[n - 1]);

	static const struct quantile qs[] = {{0, 1}, {1, 2}, {9, 10}, {99, 100}, {999, 1000},
					     {9999, 10000}, {1, 1}};
	double tolerance = pow(10, -digits);
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		int64_t rank = (qs[i].num * (int64_t)n + qs[i].den - 1) / qs[i].den;
		if (rank < 1)
			rank = 1;
		int64_t exact = values[rank - 1];
		int64_t got = hist_value_at(&h, (double)qs[i].num / (double)qs[i].den);
		if (got < exact || (double)(got - exact) > (double)exact * tolerance)
			fail_msg("%s, %d digits, q=%lld/%lld: got %lld, exact %lld",
				 shape_names[shape], digits, (long long)qs[i].num,
				 (long long)qs[i].den, (long long)got, (long long)exact);
	}
	/* mean over bucket midpoints: within the relative error of the exact mean */
	double exact_mean = (double)(sum / n);
	assert_true(fabs(hist_mean(&h) - exact_mean) <= exact_mean * tolerance + 1);
	/* stddev: each value moves by at most value * tolerance / 2, so the deviation changes by
	 * at most the mean shift plus that: bound it by max * tolerance */
	long double var = 0;
	for (size_t i = 0; i < n; i++)
		var += ((long double)values[i] - exact_mean) * ((long double)values[i] - exact_mean);
	double exact_stddev = sqrt((double)(var / n));
	assert_true(fabs(hist_stddev(&h) - exact_stddev) <=
		    (double)values[n - 1] * tolerance + 1);
	hist_fini(&h);
	free(values);
}

static void test_percentiles_within_stated_error(void **state)
{
	(void)state;
	static const int digit_list[] = {1, 2, 3, 4, 5};
	for (int s = 0; s < SHAPE_COUNT; s++) {
		for (size_t d = 0; d < sizeof digit_list / sizeof digit_list[0]; d++) {
			size_t n = s == ONE_SAMPLE ? 1 : digit_list[d] == 5 ? 50000 : 200000;
			check_shape((enum shape)s, digit_list[d], n);
		}
	}
}

static void record_all(struct hist *h, const int64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hist_record(h, v[i], 1);
}

static void assert_same(const struct hist *a, const struct hist *b)
{
	assert_memory_equal(a->counts, b->counts, (size_t)a->layout.counts_len * sizeof(int64_t));
	assert_int_equal(a->total_count, b->total_count);
	assert_int_equal(hist_min(a), hist_min(b));
	assert_int_equal(hist_max(a), hist_max(b));
	assert_int_equal(a->clamped_low, b->clamped_low);
	assert_int_equal(a->clamped_high, b->clamped_high);
}

static void test_merge_equals_union_and_is_associative(void **state)
{
	(void)state;
	enum { N = 30000 };
	static int64_t a[N], b[N], c[N];
	rng_state = 7;
	for (int i = 0; i < N; i++) {
		a[i] = sample(LOGNORMAL);
		b[i] = sample(HEAVY_OUTLIERS);
		c[i] = i % 3 ? sample(UNIFORM) : HIST_HIGHEST_DEFAULT + 5; /* some clamped */
	}
	c[1] = -4;
	struct hist ha = make(3), hb = make(3), hc = make(3), all = make(3);
	record_all(&ha, a, N);
	record_all(&hb, b, N);
	record_all(&hc, c, N);
	record_all(&all, a, N);
	record_all(&all, b, N);
	record_all(&all, c, N);

	struct hist left = make(3), right = make(3), bc = make(3);
	assert_true(hist_merge(&left, &ha));
	assert_true(hist_merge(&left, &hb));
	assert_true(hist_merge(&left, &hc)); /* (A + B) + C */
	assert_true(hist_merge(&bc, &hb));
	assert_true(hist_merge(&bc, &hc));
	assert_true(hist_merge(&right, &ha));
	assert_true(hist_merge(&right, &bc)); /* A + (B + C) */
	assert_same(&left, &all);
	assert_same(&right, &all);
	assert_int_equal(all.clamped_low, 1);
	assert_int_equal(all.clamped_high, N / 3);

	/* merging an empty histogram changes nothing */
	struct hist empty = make(3);
	assert_true(hist_merge(&left, &empty));
	assert_same(&left, &all);

	/* different layouts do not merge, and nothing changes */
	struct hist other = make(2);
	hist_record(&other, 5, 1);
	assert_false(hist_merge(&left, &other));
	assert_same(&left, &all);

	struct hist *all_h[] = {&ha, &hb, &hc, &all, &left, &right, &bc, &empty, &other};
	for (size_t i = 0; i < sizeof all_h / sizeof all_h[0]; i++)
		hist_fini(all_h[i]);
}

static void test_out_of_range_values_are_clamped_and_counted(void **state)
{
	(void)state;
	struct hist h = make(3);
	hist_record(&h, -10, 2);
	hist_record(&h, HIST_HIGHEST_DEFAULT * 3, 1);
	hist_record(&h, 500, 1);
	assert_int_equal(h.clamped_low, 2);
	assert_int_equal(h.clamped_high, 1);
	assert_int_equal(hist_count(&h), 4);
	assert_int_equal(hist_min(&h), 0);
	assert_int_equal(hist_value_at(&h, 1.0), HIST_HIGHEST_DEFAULT);
	assert_int_equal(hist_value_at(&h, 0.5), 0);
	assert_int_equal(hist_value_at(&h, 0.75), 500);
	hist_fini(&h);
}

static void test_record_with_count_equals_repeated_records(void **state)
{
	(void)state;
	struct hist a = make(3), b = make(3);
	hist_record(&a, 123456, 5);
	hist_record(&a, 7, 0);
	hist_record(&a, 7, -3);
	for (int i = 0; i < 5; i++)
		hist_record(&b, 123456, 1);
	assert_same(&a, &b);
	hist_fini(&a);
	hist_fini(&b);
}

static void test_iterator_visits_non_empty_buckets_in_order(void **state)
{
	(void)state;
	struct hist h = make(3);
	const int64_t values[] = {5, 5, 2047, 2048, 2049, 1000000, 1000001, 3599999999};
	record_all(&h, values, sizeof values / sizeof values[0]);
	struct hist_iter it;
	hist_iter_init(&it, &h);
	int64_t previous = -1, total = 0;
	int buckets = 0;
	while (hist_iter_next(&it)) {
		assert_true(it.value_lowest > previous);
		assert_true(it.count > 0);
		total += it.count;
		assert_int_equal(it.cumulative, total);
		assert_true(it.value_highest >= it.value_lowest);
		previous = it.value_highest;
		buckets++;
	}
	/* 5 (x2), 2047, 2048+2049 share a bucket of width 2, 1000000 and 1000001 share one
	 * (width 512 there), 3599999999 */
	assert_int_equal(buckets, 5);
	assert_int_equal(total, hist_count(&h));
	hist_fini(&h);
}

static void test_empty_histogram(void **state)
{
	(void)state;
	struct hist h = make(3);
	assert_int_equal(hist_value_at(&h, 0.5), 0);
	assert_true(hist_mean(&h) == 0);
	assert_true(hist_stddev(&h) == 0);
	assert_int_equal(hist_min(&h), 0);
	assert_int_equal(hist_max(&h), 0);
	struct hist_iter it;
	hist_iter_init(&it, &h);
	assert_false(hist_iter_next(&it));
	hist_fini(&h);
	hist_fini(&h); /* twice is safe */
}

static void test_equivalent_values(void **state)
{
	(void)state;
	struct hist_layout l;
	assert_true(hist_layout(HIST_HIGHEST_DEFAULT, 3, &l));
	rng_state = 99;
	for (int i = 0; i < 100000; i++) {
		int64_t v = (int64_t)(next_u64() % (uint64_t)HIST_HIGHEST_DEFAULT);
		if (i < 5000)
			v = i; /* the exact region */
		int32_t index = hist_index_of(&l, v);
		int64_t low = hist_lowest_equivalent(&l, v), high = hist_highest_equivalent(&l, v);
		assert_int_equal(hist_value_from_index(&l, index), low);
		assert_true(low <= v && v <= high);
		assert_true(hist_index_of(&l, high) == index);
		if (high < HIST_HIGHEST_DEFAULT)
			assert_true(hist_index_of(&l, high + 1) == index + 1);
		int64_t mid = hist_median_equivalent(&l, v);
		assert_true(low <= mid && mid <= high);
		/* the width never exceeds value / 1000 beyond the exact region */
		if (v >= 2048)
			assert_true((double)(high - low + 1) <= (double)v / 1000);
		else
			assert_int_equal(high, low);
	}
}

static void test_rebuild_from_iterator_with_set_count(void **state)
{
	(void)state;
	struct hist h = make(3), copy = make(3);
	rng_state = 5;
	for (int i = 0; i < 10000; i++)
		hist_record(&h, sample(BIMODAL), 1 + i % 3);
	struct hist_iter it;
	hist_iter_init(&it, &h);
	while (hist_iter_next(&it))
		assert_true(hist_set_count(&copy, it.index, it.count));
	hist_set_extremes(&copy, h.min, h.max);
	assert_same(&copy, &h);
	assert_false(hist_set_count(&copy, -1, 1));
	assert_false(hist_set_count(&copy, h.layout.counts_len, 1));
	assert_false(hist_set_count(&copy, 3, -1));
	hist_fini(&h);
	hist_fini(&copy);
}

static void test_rank_uses_exact_ceiling(void **state)
{
	(void)state;
	/* 100 samples 1..100: p95 is the 95th (95), not the 96th */
	struct hist h = make(3);
	for (int v = 1; v <= 100; v++)
		hist_record(&h, v, 1);
	assert_int_equal(hist_value_at(&h, 0.95), 95);
	assert_int_equal(hist_value_at(&h, 0.951), 96);
	assert_int_equal(hist_value_at(&h, 0.0), 1);
	assert_int_equal(hist_value_at(&h, 0.29), 29);
	assert_int_equal(hist_value_at(&h, 0.57), 57);
	hist_fini(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_numbers),
		cmocka_unit_test(test_percentiles_within_stated_error),
		cmocka_unit_test(test_merge_equals_union_and_is_associative),
		cmocka_unit_test(test_out_of_range_values_are_clamped_and_counted),
		cmocka_unit_test(test_record_with_count_equals_repeated_records),
		cmocka_unit_test(test_iterator_visits_non_empty_buckets_in_order),
		cmocka_unit_test(test_empty_histogram),
		cmocka_unit_test(test_equivalent_values),
		cmocka_unit_test(test_rebuild_from_iterator_with_set_count),
		cmocka_unit_test(test_rank_uses_exact_ceiling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
