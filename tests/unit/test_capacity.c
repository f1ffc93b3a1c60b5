/*
 * test_capacity.c - capacity series of open-model runs (analysis/capacity.c): the load is
 * the arrival rate k6 was asked for, (iterations + dropped_iterations) / duration; dropped
 * iterations past 1 % are a breaking point; the USL is not fitted; open and closed runs do
 * not mix; a run without k6's iteration counters has no arrival rate.
 *
 * The only real open-model run there is (fixtures/k6/arrival-rate-over) is one level, so the
 * series here are built in memory, with counts chosen so every expected value is exact
 * arithmetic on them. Closed-loop series are checked on real runs (tests/e2e/capacity_real.py).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/analysis.h"
#include "model/model.h"
#include "test_support.h"

static struct series *counter(struct model *m, struct run *run, const char *metric, double total)
{
	struct series *s = model_get_series(m, run, metric, NULL, NULL, 0, SERIES_COUNTER,
					    PREC_EXACT, UNIT_COUNT, NULL);
	s->total = total;
	return s;
}

/*
 * A k6 run of `seconds` at an arrival rate: `started` iterations of one request each, `dropped`
 * dropped (a dropped_iterations series only when dropped >= 0), every latency `ms`.
 */
static struct run *open_run(struct model *m, const char *label, double seconds, double started,
			    double dropped, double ms)
{
	struct run *run = model_get_run(m, label, "k6");
	run->concurrency = 40; /* k6's VUs: not the load of an open model */
	run->concurrency_unit = "VUs";
	run->duration_s = seconds;
	counter(m, run, "iterations", started);
	if (dropped >= 0)
		counter(m, run, "dropped_iterations", dropped);
	counter(m, run, "requests", started);
	counter(m, run, "errors", 0);
	struct series *s = model_get_series(m, run, "latency", NULL, NULL, 0, SERIES_TREND,
					    PREC_EXACT, UNIT_MS, NULL);
	hist_record(&s->hist, llround(ms * s->scale), (int64_t)started);
	return run;
}

static void test_open_model_levels_are_arrival_rates(void **state)
{
	(void)state;
	struct model *m = model_new();
	/* 500, 1000 and 1500 it/s kept up (the first two dropped nothing, so only --open-model
	 * says they are open: k6 writes dropped_iterations when it drops); 2000 it/s dropped a
	 * quarter of its iterations */
	open_run(m, "r1000", 10, 10000, -1, 20)->open_model = true;
	open_run(m, "r500", 10, 5000, -1, 10)->open_model = true;
	open_run(m, "r1500", 10, 14950, 50, 30);
	open_run(m, "r2000", 10, 15000, 5000, 80);
	struct capacity_slo slo;
	assert_true(capacity_slo_parse("p95<50ms", &slo));
	struct capacity c;
	assert_true(capacity_analyse(m, &slo, &c));
	assert_true(c.open_model);
	assert_string_equal(c.load_unit, "it/s");
	assert_int_equal(c.count, 4);
	const double loads[] = {500, 1000, 1500, 2000};
	const double dropped[] = {0, 0, 50.0 / 15000, 0.25};
	for (size_t i = 0; i < 4; i++) {
		assert_true(c.levels[i].load == loads[i]);
		assert_true(fabs(c.levels[i].dropped - dropped[i]) < 1e-15);
		assert_true(isnan(c.levels[i].think_s)); /* Little's law's think time: closed only */
	}
	assert_true(c.levels[3].throughput == 1500);
	/* 1500 it/s dropped 0.33 %, under 1 %; 2000 it/s dropped 25 %: it stops keeping up */
	assert_true(c.has_breaking && c.breaking_load == 2000);
	assert_non_null(strstr(c.breaking_text, "dropped 25 %"));
	/* p95 30 ms at 1500 it/s holds, 80 ms at 2000 does not: 50 ms is 2/5 of the way */
	assert_true(c.has_crossing && c.slo_highest_ok == 1500);
	assert_true(fabs(c.slo_crossing - 1700) < 1e-9);
	assert_false(c.usl.ok);
	assert_non_null(strstr(c.usl.why, "arrival rates"));
	capacity_fini(&c);
	model_free(m);
}

static void test_open_and_closed_runs_do_not_mix(void **state)
{
	(void)state;
	struct model *m = model_new();
	open_run(m, "open", 10, 15000, 5000, 80);
	struct run *closed = open_run(m, "closed", 10, 1000, -1, 10);
	closed->concurrency = 8;
	struct capacity c;
	assert_false(capacity_analyse(m, NULL, &c));
	assert_non_null(strstr(c.problem, "mixed load units: run 'open' is an open model"));
	assert_non_null(strstr(c.problem, "--open-model"));
	capacity_fini(&c);
	closed->open_model = true; /* --open-model: both are arrival rates */
	assert_true(capacity_analyse(m, NULL, &c));
	assert_true(c.levels[0].load == 100 && c.levels[1].load == 2000);
	capacity_fini(&c);
	/* the mark survives model JSON (a saved model, a windowed copy) */
	struct model *copy = model_clone(m);
	assert_true(model_find_run(copy, "closed")->open_model);
	assert_false(model_find_run(copy, "open")->open_model); /* open by its drops alone */
	model_free(copy);
	model_free(m);
}

static void test_an_open_run_without_iteration_counts_has_no_rate(void **state)
{
	(void)state;
	struct model *m = model_new();
	open_run(m, "k6", 10, 15000, 5000, 80);
	struct run *wrk = model_get_run(m, "wrk", "wrk");
	wrk->concurrency = 10;
	wrk->duration_s = 10;
	wrk->open_model = true;
	counter(m, wrk, "requests", 5000);
	struct capacity c;
	assert_false(capacity_analyse(m, NULL, &c));
	assert_non_null(strstr(c.problem, "run 'wrk' has no arrival rate"));
	capacity_fini(&c);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_model_levels_are_arrival_rates),
		cmocka_unit_test(test_open_and_closed_runs_do_not_mix),
		cmocka_unit_test(test_an_open_run_without_iteration_counts_has_no_rate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
