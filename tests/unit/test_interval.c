/*
 * test_interval.c - one run's quantile intervals (src/analysis/interval.c): how the binomial
 * ranks map onto a histogram's buckets and onto Prometheus buckets, and when there is none.
 *
 * The ranks themselves are checked against scipy in tests/stats/check_stats.py; here the
 * samples are known (1 ms, 2 ms, ... 1000 ms), so the order statistics X(983) = 983 ms and
 * X(997) = 997 ms of p99 at 95 % (../shared/ANALYSIS.md's worked example) are known too, and
 * the interval must contain them and be no wider than one bucket at three digits beyond them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis/analysis.h"

static struct series *new_series(struct model *m, enum precision p)
{
	struct run *run = model_get_run(m, "r", "test");
	return model_get_series(m, run, "latency", NULL, NULL, 0, SERIES_TREND, p, UNIT_MS, NULL);
}

static void test_exact_interval_holds_the_order_statistics(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct series *s = new_series(m, PREC_EXACT);
	for (int64_t ms = 1; ms <= 1000; ms++)
		hist_record(&s->hist, ms * 1000, 1);
	struct value_interval iv = interval_of_quantile(s, 0.99, 0.95);
	assert_int_equal(iv.why, INTERVAL_OK);
	assert_int_equal(iv.samples, 1000);
	double bucket = pow(2, -10); /* relative bucket width at 3 significant digits */
	assert_true(iv.lo <= 983 && iv.lo >= 983 * (1 - bucket));
	assert_true(iv.hi >= 997 && iv.hi <= 997 * (1 + bucket));
	/* p50: ranks 469 .. 532 (scipy: binom(1000, 0.5)) */
	iv = interval_of_quantile(s, 0.5, 0.95);
	assert_true(iv.lo <= 469 && iv.lo >= 469 * (1 - bucket));
	assert_true(iv.hi >= 532 && iv.hi <= 532 * (1 + bucket));
	model_free(m);
}

static void test_too_few_samples_is_a_stated_reason(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct series *s = new_series(m, PREC_EXACT);
	for (int64_t ms = 1; ms <= 367; ms++)
		hist_record(&s->hist, ms * 1000, 1);
	struct value_interval iv = interval_of_quantile(s, 0.99, 0.95);
	assert_int_equal(iv.why, INTERVAL_TOO_FEW);
	assert_int_equal(iv.samples, 367);
	assert_int_equal(iv.need, 368);
	hist_record(&s->hist, 368 * 1000, 1); /* one more is enough */
	assert_int_equal(interval_of_quantile(s, 0.99, 0.95).why, INTERVAL_OK);
	struct buf why;
	buf_init(&why);
	iv.samples = 367;
	interval_explain(&iv, 0.99, 0.95, &why);
	assert_string_equal(why.data, "too few samples for a 95 % interval of p99: 367, needs 368");
	buf_fini(&why);
	model_free(m);
}

static void test_prometheus_buckets_map_to_bounds_and_open_above(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct series *s = new_series(m, PREC_BUCKETED);
	s->has_buckets = true;
	s->buckets.factor = 1000; /* seconds -> ms */
	buckets_add(&s->buckets, 0.1, 500);
	buckets_add(&s->buckets, 0.5, 900);
	buckets_add(&s->buckets, INFINITY, 1000);
	/* p30 of 1000: ranks about 272 .. 329, both in the first bucket (cumulative 500) */
	struct value_interval iv = interval_of_quantile(s, 0.3, 0.95);
	assert_int_equal(iv.why, INTERVAL_OK);
	assert_true(iv.lo == 0 && fabs(iv.hi - 100) < 1e-9); /* 0.1 s * 1000 */
	/* p50: ranks 469 .. 532 straddle the first bound: the interval spans two buckets */
	iv = interval_of_quantile(s, 0.5, 0.95);
	assert_true(iv.lo == 0 && fabs(iv.hi - 500) < 1e-9);
	/* p70: ranks about 672 .. 728, in (0.1, 0.5] */
	iv = interval_of_quantile(s, 0.7, 0.95);
	assert_true(fabs(iv.lo - 100) < 1e-9 && fabs(iv.hi - 500) < 1e-9);
	/* p95: ranks past 900 fall in the +Inf bucket: open above */
	iv = interval_of_quantile(s, 0.95, 0.95);
	assert_int_equal(iv.why, INTERVAL_OK);
	assert_true(fabs(iv.lo - 500) < 1e-9 && isinf(iv.hi));
	model_free(m);
}

static void test_reported_percentiles_have_no_interval(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct series *s = new_series(m, PREC_QUANTILES);
	reported_add_point(&s->reported, 0.99, 70);
	assert_int_equal(interval_of_quantile(s, 0.99, 0.95).why, INTERVAL_REPORTED);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_interval_holds_the_order_statistics),
	    cmocka_unit_test(test_too_few_samples_is_a_stated_reason),
	    cmocka_unit_test(test_prometheus_buckets_map_to_bounds_and_open_above),
	    cmocka_unit_test(test_reported_percentiles_have_no_interval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
