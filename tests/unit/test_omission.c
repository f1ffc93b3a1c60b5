/*
 * test_omission.c - the coordinated-omission rules of src/analysis/omission.c on runs built
 * here, where the answer is known: a closed loop with a 2 s stall (no completions), one whose
 * throughput halves while latency triples, a steady one, and an open-model k6 run that
 * dropped iterations. (tests/e2e/omission.py checks the same on real runs.)
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "analysis/analysis.h"

#define SECOND INT64_C(1000000)
#define T0 (INT64_C(1796000000) * SECOND)

/* A closed-loop run of ten 1 s intervals: rate[i] requests at latency ms[i] in interval i. */
static struct model *closed_loop(const char *tool, const double rate[10], const double ms[10])
{
	struct model *m = model_new();
	struct run *run = model_get_run(m, "r", tool);
	run->has_start = run->has_end = true;
	run->start_us = T0;
	run->end_us = T0 + 10 * SECOND;
	run->duration_s = 10;
	struct series *req = model_get_series(m, run, "requests", NULL, NULL, 0, SERIES_COUNTER,
					      PREC_EXACT, UNIT_COUNT, NULL);
	struct series *lat = model_get_series(m, run, "latency", NULL, NULL, 0, SERIES_TREND,
					      PREC_EXACT, UNIT_MS, NULL);
	req->timeline = xcalloc(1, sizeof *req->timeline);
	lat->timeline = xcalloc(1, sizeof *lat->timeline);
	timeline_init(req->timeline, NULL);
	timeline_init(lat->timeline, NULL);
	for (int i = 0; i < 10; i++) {
		int64_t at = T0 + i * SECOND + SECOND / 2;
		timeline_add(req->timeline, T0 + i * SECOND, 0, 0); /* the interval exists */
		for (int k = 0; k < (int)rate[i]; k++) {
			timeline_add(req->timeline, at, 1, 0);
			timeline_add(lat->timeline, at, ms[i], 0);
		}
	}
	return m;
}

static void test_stall_is_flagged(void **state)
{
	(void)state;
	const double rate[10] = {100, 100, 100, 0, 0, 100, 100, 100, 100, 100};
	const double ms[10] = {20, 20, 20, 20, 20, 20, 20, 20, 20, 20};
	struct model *m = closed_loop("wrk", rate, ms);
	struct omission o;
	omission_assess(m->runs[0], &o);
	assert_true(o.closed_loop && o.checked && o.flagged);
	assert_int_equal(o.stalls, 2);
	assert_true(o.longest_stall_s == 2);
	assert_int_equal(o.intervals, 8); /* the first and last are the run's edges */
	model_free(m);
}

static void test_slowdown_with_fewer_completions_is_flagged(void **state)
{
	(void)state;
	const double rate[10] = {100, 100, 100, 40, 40, 40, 100, 100, 100, 100};
	const double ms[10] = {20, 20, 20, 60, 60, 60, 20, 20, 20, 20};
	struct model *m = closed_loop("locust", rate, ms);
	struct omission o;
	omission_assess(m->runs[0], &o);
	assert_true(o.flagged);
	assert_int_equal(o.stalls, 0);
	assert_int_equal(o.spikes, 3);
	model_free(m);
}

static void test_steady_run_and_open_model(void **state)
{
	(void)state;
	const double rate[10] = {100, 95, 105, 100, 98, 102, 100, 97, 103, 100};
	const double ms[10] = {20, 22, 19, 21, 20, 20, 23, 20, 19, 21};
	struct model *m = closed_loop("k6", rate, ms);
	struct omission o;
	omission_assess(m->runs[0], &o);
	assert_true(o.closed_loop && o.checked && !o.flagged);
	/* the same k6 run with dropped iterations ran an arrival-rate executor */
	struct series *d = model_get_series(m, m->runs[0], "dropped_iterations", NULL, NULL, 0,
					    SERIES_COUNTER, PREC_EXACT, UNIT_COUNT, NULL);
	d->total = 12;
	omission_assess(m->runs[0], &o);
	assert_true(!o.closed_loop && o.flagged && o.dropped == 12);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stall_is_flagged),
	    cmocka_unit_test(test_slowdown_with_fewer_completions_is_flagged),
	    cmocka_unit_test(test_steady_run_and_open_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
