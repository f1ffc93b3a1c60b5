/*
 * test_timeline.c - the two stores of a timeline (model.h, "timeline.c"). A timeline that
 * holds only its non-empty intervals (sparse) must read the same, interval for interval and
 * bit for bit, as one that holds every interval of its span (dense) and was fed the same:
 * under adds that grow the span at both ends and double the width, merges in both directions
 * across widths, the fold of per-interval histograms (flush), model JSON write and read, and
 * window cuts. timeline_reserve keeps a timeline dense, so it is the reference. The store must
 * also switch where model.h says: dense past half the span, sparse again below a quarter.
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

static const int64_t second = 1000000;
static const int64_t base = INT64_C(1700000000) * 1000000; /* an even second */

struct sample {
	int64_t time_us;
	double value; /* ms */
};

/* xorshift64: the same sequence every run */
static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * n samples at random times in [from, from + span_s s), values 1 .. 1000 ms, in random order
 * (so spans grow at the front, in the middle and at the end, and some samples come late).
 */
static void make_samples(struct sample *out, size_t n, int64_t from, int64_t span_s,
			 uint64_t seed)
{
	uint64_t x = seed;
	for (size_t i = 0; i < n; i++) {
		out[i].time_us = from + (int64_t)(next_random(&x) % (uint64_t)(span_s * second));
		out[i].value = 1 + (double)(next_random(&x) % 999000) / 1000;
	}
}

static void add_sample(struct timeline *t, const struct sample *s)
{
	timeline_add(t, s->time_us, s->value, (int64_t)llround(s->value * 1000));
}

static const struct hist_layout *layout_of(bool with_hist)
{
	static struct hist_layout layout;
	if (!with_hist)
		return NULL;
	assert_true(hist_layout(HIST_HIGHEST_DEFAULT, TIMELINE_HIST_DIGITS, &layout));
	return &layout;
}

/* Two empty timelines: one always dense (the reference), one left to choose its store. */
static void init_pair(struct timeline *dense, struct timeline *t, bool with_hist)
{
	timeline_init(dense, layout_of(with_hist));
	timeline_reserve(dense);
	timeline_init(t, layout_of(with_hist));
}

/* A timeline fed samples[0..n): always dense (the reference), or left to choose its store. */
static void build(struct timeline *t, bool dense, bool with_hist, const struct sample *samples,
		  size_t n)
{
	timeline_init(t, layout_of(with_hist));
	if (dense)
		timeline_reserve(t);
	for (size_t i = 0; i < n; i++)
		add_sample(t, &samples[i]);
	timeline_flush(t);
}

/* Every interval of a and b the same: counts, the bits of every double, the bins. */
static void assert_same_intervals(const struct timeline *a, const struct timeline *b)
{
	assert_int_equal(a->width_us, b->width_us);
	assert_int_equal(a->first, b->first);
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->has_hist, b->has_hist);
	for (size_t i = 0; i < a->count; i++) {
		const struct interval *x = timeline_at(a, i), *y = timeline_at(b, i);
		assert_int_equal(x->count, y->count);
		assert_memory_equal(&x->sum, &y->sum, sizeof x->sum); /* bits: -0 is not 0 */
		assert_memory_equal(&x->min, &y->min, sizeof x->min);
		assert_memory_equal(&x->max, &y->max, sizeof x->max);
		assert_memory_equal(&x->last, &y->last, sizeof x->last);
		assert_int_equal(x->last_us, y->last_us);
		assert_int_equal(x->bin_count, y->bin_count);
		if (x->bin_count)
			assert_memory_equal(x->bins, y->bins, x->bin_count * sizeof *x->bins);
	}
}

/*
 * 40 samples scattered over 4000 s and 200 more within 5 s of one instant, in random order,
 * with and without per-interval histograms: compared after every sample (the width doubles
 * five times on the way), and after the flush that folds the open histogram counts.
 */
static void test_sparse_reads_as_dense_under_adds_and_coarsening(void **state)
{
	(void)state;
	enum { SCATTERED = 40, CLUSTERED = 200, N = SCATTERED + CLUSTERED };
	struct sample samples[N];
	make_samples(samples, SCATTERED, base, 4000, 88172645463325252u);
	make_samples(samples + SCATTERED, CLUSTERED, base + 1000 * second, 5, 2463534242u);
	uint64_t x = 1234567;
	for (size_t i = N - 1; i > 0; i--) { /* shuffle: the cluster arrives among the others */
		size_t j = (size_t)(next_random(&x) % (i + 1));
		struct sample swap = samples[i];
		samples[i] = samples[j];
		samples[j] = swap;
	}
	for (int with_hist = 0; with_hist <= 1; with_hist++) {
		struct timeline dense, sparse;
		init_pair(&dense, &sparse, with_hist);
		for (size_t i = 0; i < N; i++) {
			add_sample(&dense, &samples[i]);
			add_sample(&sparse, &samples[i]);
			assert_same_intervals(&dense, &sparse);
		}
		assert_true(sparse.sparse);
		assert_false(dense.sparse);
		assert_true(sparse.width_us >= 16 * second);
		timeline_flush(&dense);
		timeline_flush(&sparse);
		assert_same_intervals(&dense, &sparse);
		int64_t total = 0;
		for (size_t i = 0; i < sparse.count; i++)
			total += timeline_at(&sparse, i)->count;
		assert_int_equal(total, N);
		timeline_fini(&dense);
		timeline_fini(&sparse);
	}
}

/* One sample at second s from base into both timelines; they must read the same. */
static void add_at(struct timeline *dense, struct timeline *t, int64_t s)
{
	struct sample one = {base + s * second + 1000, (double)(s % 7 + 1)};
	add_sample(dense, &one);
	add_sample(t, &one);
	assert_same_intervals(dense, t);
}

/*
 * The store switches at the occupancy model.h states: dense once more than half the span holds
 * data, sparse once less than a quarter does, and in between it keeps the one it has.
 */
static void test_store_turns_dense_past_half_and_sparse_below_a_quarter(void **state)
{
	(void)state;
	struct timeline dense, t;
	init_pair(&dense, &t, false);
	add_at(&dense, &t, 0);
	assert_false(t.sparse); /* 1 of 1 */
	add_at(&dense, &t, 99);
	assert_true(t.sparse); /* 2 of 100 */
	for (int64_t s = 1; s <= 48; s++)
		add_at(&dense, &t, s);
	assert_int_equal(t.nonempty, 50);
	assert_true(t.sparse); /* 50 of 100: half, not more */
	add_at(&dense, &t, 49);
	assert_false(t.sparse); /* 51 of 100 */
	add_at(&dense, &t, 199);
	assert_int_equal(t.count, 200);
	assert_false(t.sparse); /* 52 of 200: above a quarter, so it stays dense */
	/* 400 s: 2 s intervals; 0..49 s fold into 25, plus 99 s and 199 s: 27 of 100, dense */
	add_at(&dense, &t, 399);
	assert_int_equal(t.width_us, 2 * second);
	assert_int_equal(t.count, 200);
	assert_int_equal(t.nonempty, 28);
	assert_true(t.sparse); /* 28 of 200: below a quarter */
	timeline_fini(&dense);
	timeline_fini(&t);
}

/*
 * Merges in both directions between a sparse timeline 4000 s long (32 s intervals), a busy one
 * of 150 s (1 s intervals, dense by occupancy) and a sparse one of 150 s: every pairing of
 * stores, with histograms on both sides, on one side only (none kept) or on neither, gives
 * what merging two dense timelines gives.
 */
static void test_merges_read_the_same_whichever_store(void **state)
{
	(void)state;
	struct sample a[40], b[300], c[20];
	make_samples(a, 40, base, 4000, 11);
	make_samples(b, 300, base + 500 * second, 150, 22);
	make_samples(c, 20, base + 2000 * second, 150, 33);
	const struct {
		const struct sample *samples;
		size_t n;
	} sets[] = {{a, 40}, {b, 300}, {c, 20}};
	for (size_t into = 0; into < 3; into++)
		for (size_t from = 0; from < 3; from++)
			for (int hist = 0; hist < 4; hist++)
				for (int stores = 0; stores < 4; stores++) {
					if (into == from)
						continue;
					bool into_hist = hist & 1, from_hist = hist & 2;
					bool into_dense = stores & 1, from_dense = stores & 2;
					struct timeline ref_into, ref_from, x, y;
					build(&ref_into, true, into_hist, sets[into].samples,
					      sets[into].n);
					build(&ref_from, true, from_hist, sets[from].samples,
					      sets[from].n);
					build(&x, into_dense, into_hist, sets[into].samples,
					      sets[into].n);
					build(&y, from_dense, from_hist, sets[from].samples,
					      sets[from].n);
					if (!into_dense && into != 1)
						assert_true(x.sparse);
					if (!from_dense && from != 1)
						assert_true(y.sparse);
					timeline_merge(&ref_into, &ref_from);
					timeline_merge(&x, &y);
					assert_same_intervals(&ref_into, &x);
					timeline_fini(&ref_into);
					timeline_fini(&ref_from);
					timeline_fini(&x);
					timeline_fini(&y);
				}
}

/*
 * A timeline read from model JSON may hold a sum of -0 (a count of samples of -0). Coarsening
 * a dense store adds an odd interval into its empty even neighbour, 0 + -0 = 0; the sparse
 * store must give the same bits, and keep -0 where the neighbour lies outside the span.
 */
static void test_coarsening_a_stored_negative_zero_sum_matches(void **state)
{
	(void)state;
	struct timeline dense, sparse;
	init_pair(&dense, &sparse, false);
	struct timeline *both[] = {&dense, &sparse};
	for (int k = 0; k < 2; k++) {
		struct timeline *t = both[k];
		/* intervals 11 .. 18 of 1 s: 11 has no neighbour in the span, 13's is empty */
		timeline_set_span(t, second, base / second + 11, 8);
		const size_t at[] = {0, 2, 5};
		for (size_t j = 0; j < PG_ARRAY_LEN(at); j++) {
			struct interval *iv = timeline_put(t, at[j]);
			iv->count = 1;
			iv->sum = iv->min = iv->max = iv->last = -0.0;
			iv->last_us = timeline_start_us(t, at[j]);
		}
	}
	assert_true(sparse.sparse);
	assert_same_intervals(&dense, &sparse);
	add_at(&dense, &sparse, 11 + 300); /* the width doubles */
	assert_int_equal(sparse.width_us, 2 * second);
	assert_true(signbit(timeline_at(&sparse, 0)->sum));  /* 11 alone: -0 kept */
	assert_false(signbit(timeline_at(&sparse, 1)->sum)); /* 12 (empty) + 13 */
	timeline_fini(&dense);
	timeline_fini(&sparse);
}

/* ---- in a model: model JSON and window cuts ---- */

/* A series of m's run with a timeline, always dense or left to choose its store. */
static struct series *timed_series(struct model *m, struct run *run, const char *metric,
				   const char *endpoint, enum series_kind kind, enum unit unit,
				   bool dense)
{
	struct series *s = model_get_series(m, run, metric, endpoint, NULL, 0, kind, PREC_EXACT,
					    unit, NULL);
	struct hist_layout layout;
	bool with_hist = s->has_hist && !endpoint &&
			 hist_layout(s->hist.layout.highest_trackable_value, TIMELINE_HIST_DIGITS,
				     &layout);
	s->timeline = xcalloc(1, sizeof *s->timeline);
	timeline_init(s->timeline, with_hist ? &layout : NULL);
	if (dense)
		timeline_reserve(s->timeline);
	return s;
}

/* A sample into s and its timeline, as the builder records one. */
static void record(struct series *s, int64_t time_us, double value)
{
	int64_t scaled = 0;
	if (s->kind == SERIES_TREND) {
		scaled = hist_units_of(value * s->scale);
		hist_record(&s->hist, scaled, 1);
	} else {
		s->total += value;
	}
	timeline_add(s->timeline, time_us, value, scaled);
}

enum { ENDPOINTS = 6 };

/*
 * A 300 s run: whole-run latency (slow for the first 40 s) and requests every 0.5 s, and six
 * endpoints hit 8 times each at random moments (latency, requests, errors), as k6 gives them.
 */
static struct model *endpoint_model(bool dense)
{
	struct model *m = model_new();
	struct run *run = model_get_run(m, "run", "k6");
	run->has_start = run->has_end = true;
	run->start_us = base;
	run->end_us = base + 300 * second;
	run->duration_s = 300;
	struct series *lat = timed_series(m, run, "latency", NULL, SERIES_TREND, UNIT_MS, dense);
	struct series *req = timed_series(m, run, "requests", NULL, SERIES_COUNTER, UNIT_COUNT,
					  dense);
	for (int i = 0; i < 600; i++) {
		int64_t at = base + i * (second / 2) + 1000;
		record(lat, at, (i < 80 ? 90 : 20) + i % 7);
		record(req, at, 1);
	}
	uint64_t x = 99991;
	for (int e = 0; e < ENDPOINTS; e++) {
		char name[32];
		snprintf(name, sizeof name, "GET /items/%d", e);
		struct series *elat = timed_series(m, run, "latency", name, SERIES_TREND, UNIT_MS,
						   dense);
		struct series *ereq = timed_series(m, run, "requests", name, SERIES_COUNTER,
						   UNIT_COUNT, dense);
		struct series *eerr = timed_series(m, run, "errors", name, SERIES_COUNTER,
						   UNIT_COUNT, dense);
		for (int k = 0; k < 8; k++) {
			int64_t at = base + (int64_t)(next_random(&x) % (uint64_t)(300 * second));
			record(elat, at, 5 + (double)(next_random(&x) % 100));
			record(ereq, at, 1);
			record(eerr, at, k % 3 == 0);
		}
	}
	for (size_t i = 0; i < run->series_count; i++)
		timeline_flush(run->series[i]->timeline);
	model_sort(m);
	return m;
}

static char *json_of(const struct model *m)
{
	struct buf b;
	buf_init(&b);
	model_json_write(m, &b);
	return buf_take(&b);
}

/* Whether the endpoint timelines of m (all but the run totals) are sparse. */
static bool endpoints_sparse(const struct model *m)
{
	const struct run *run = m->runs[0];
	size_t sparse = 0;
	for (size_t i = 0; i < run->series_count; i++)
		if (run->series[i]->endpoint)
			sparse += run->series[i]->timeline->sparse;
	return sparse == 3 * ENDPOINTS;
}

/*
 * Sparse and dense endpoint timelines write the same model JSON, which reads back into sparse
 * timelines holding the same intervals and writes the same bytes again.
 */
static void test_model_json_is_the_same_from_either_store(void **state)
{
	(void)state;
	struct model *dense = endpoint_model(true), *sparse = endpoint_model(false);
	assert_true(endpoints_sparse(sparse));
	char *from_dense = json_of(dense), *from_sparse = json_of(sparse);
	assert_string_equal(from_dense, from_sparse);
	struct model *copy = model_clone(sparse);
	assert_true(endpoints_sparse(copy));
	for (size_t i = 0; i < copy->runs[0]->series_count; i++)
		assert_same_intervals(dense->runs[0]->series[i]->timeline,
				      copy->runs[0]->series[i]->timeline);
	char *again = json_of(copy);
	assert_string_equal(again, from_dense);
	free(from_dense);
	free(from_sparse);
	free(again);
	model_free(copy);
	model_free(dense);
	model_free(sparse);
}

/* A window cut (a range, the steady state) reads the same numbers from either store. */
static void test_window_cuts_are_the_same_from_either_store(void **state)
{
	(void)state;
	const char *windows[] = {"30s..2m", "100s..", "steady"};
	for (size_t w = 0; w < PG_ARRAY_LEN(windows); w++) {
		struct window_spec spec;
		assert_true(window_spec_parse(windows[w], &spec));
		struct model *models[2] = {endpoint_model(true), endpoint_model(false)};
		char *json[2], *said[2];
		for (int k = 0; k < 2; k++) {
			size_t len = 0;
			struct diag d;
			FILE *f = memory_diag(&d, &said[k], &len);
			window_apply(models[k], &spec, &d);
			fclose(f);
			assert_true(models[k]->runs[0]->has_window);
			json[k] = json_of(models[k]);
		}
		assert_string_equal(said[0], said[1]);
		assert_string_equal(json[0], json[1]);
		for (int k = 0; k < 2; k++) {
			free(json[k]);
			free(said[k]);
			model_free(models[k]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sparse_reads_as_dense_under_adds_and_coarsening),
		cmocka_unit_test(test_store_turns_dense_past_half_and_sparse_below_a_quarter),
		cmocka_unit_test(test_merges_read_the_same_whichever_store),
		cmocka_unit_test(test_coarsening_a_stored_negative_zero_sum_matches),
		cmocka_unit_test(test_model_json_is_the_same_from_either_store),
		cmocka_unit_test(test_window_cuts_are_the_same_from_either_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
