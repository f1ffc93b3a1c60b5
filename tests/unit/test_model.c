/*
 * test_model.c - the model: reported quantiles (as reported vs estimated), statistics of exact
 * series, merging runs (exact histograms, counters, refusal to merge percentiles), and model
 * JSON write -> read -> write byte identity plus its error reports.
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

#include "model/model.h"
#include "util/diag.h"
#include "util/timefmt.h"
#include "test_support.h"
#include "model/model_test.h"

static void test_reported_values_come_back_exactly(void **state)
{
	(void)state;
	struct reported r = {0};
	reported_add_point(&r, 0.5, 14);
	reported_add_point(&r, 0.9, 16);
	reported_add_point(&r, 0.975, 18);
	reported_add_point(&r, 0.999, 27);
	reported_set_stat(&r, STAT_MIN, 1);
	reported_set_stat(&r, STAT_MAX, 64);

	struct value v = reported_value_at(&r, 0.975);
	assert_int_equal(v.kind, VALUE_REPORTED);
	assert_true(v.number == 18);
	v = reported_value_at(&r, 1.0);
	assert_int_equal(v.kind, VALUE_REPORTED);
	assert_true(v.number == 64);
	v = reported_value_at(&r, 0.0);
	assert_int_equal(v.kind, VALUE_REPORTED);
	assert_true(v.number == 1);

	/* p95 lies between p90=16 and p97.5=18: 16 + 2 * (0.05 / 0.075), to the 12 significant
	 * digits an estimate keeps */
	v = reported_value_at(&r, 0.95);
	assert_int_equal(v.kind, VALUE_ESTIMATE);
	assert_true(fabs(v.number - (16 + 2 * (0.05 / 0.075))) < 1e-10);
	/* p99.99 between p99.9=27 and max=64 at q=1 */
	v = reported_value_at(&r, 0.9999);
	assert_int_equal(v.kind, VALUE_ESTIMATE);
	assert_true(fabs(v.number - (27 + 37 * (0.0009 / 0.001))) < 1e-9);
	/* below p50 with min known: between min (q=0) and p50 */
	v = reported_value_at(&r, 0.25);
	assert_int_equal(v.kind, VALUE_ESTIMATE);
	assert_true(fabs(v.number - 7.5) < 1e-12);
	reported_fini(&r);
}

static void test_quantile_of_percent_is_the_nearest_double(void **state)
{
	(void)state;
	/* the literals are the doubles nearest each decimal; 99.9 / 100 is one ulp off */
	assert_true(model_quantile_of_percent(99.9) == 0.999);
	assert_true(model_quantile_of_percent(99.99) == 0.9999);
	assert_true(model_quantile_of_percent(97.5) == 0.975);
	assert_true(model_quantile_of_percent(0.001) == 0.00001);
	assert_true(model_quantile_of_percent(50) == 0.5);
	assert_true(model_quantile_of_percent(100) == 1);
	assert_true(99.9 / 100 != 0.999); /* why the helper exists */
}

static void test_estimate_without_bracketing_points(void **state)
{
	(void)state;
	struct reported r = {0};
	assert_int_equal(reported_value_at(&r, 0.5).kind, VALUE_MISSING);
	/* min and max, or one percentile, are too little to interpolate: no estimate */
	reported_set_stat(&r, STAT_MIN, 1);
	reported_set_stat(&r, STAT_MAX, 100);
	assert_int_equal(reported_value_at(&r, 0.5).kind, VALUE_MISSING);
	reported_add_point(&r, 0.5, 10);
	assert_int_equal(reported_value_at(&r, 0.99).kind, VALUE_MISSING);
	assert_int_equal(reported_value_at(&r, 0.5).kind, VALUE_REPORTED);
	assert_true(reported_value_at(&r, 1).number == 100); /* max is p100 as reported */
	/* two points: between them linear, beyond them up to max */
	reported_add_point(&r, 0.9, 20);
	struct value v = reported_value_at(&r, 0.7);
	assert_int_equal(v.kind, VALUE_ESTIMATE);
	assert_true(v.number == 15);
	v = reported_value_at(&r, 0.95);
	assert_int_equal(v.kind, VALUE_ESTIMATE);
	assert_true(v.number == 60);
	/* a second report of the same quantile replaces the first */
	reported_add_point(&r, 0.5, 11);
	assert_int_equal(r.point_count, 2);
	assert_true(reported_value_at(&r, 0.5).number == 11);
	reported_fini(&r);
}

/* A model with one exact latency series (values in ms) and a counter. */
static struct model *exact_model(const char *label, const double *ms, size_t n, double requests)
{
	struct model *m = model_new();
	struct run *run = model_get_run(m, label, "test");
	model_run_add_source(m, run, "a.json");
	run->concurrency = 10;
	run->concurrency_unit = "VUs";
	struct series *s = model_get_series(m, run, "latency", "GET /x", NULL, 0, SERIES_TREND,
					    PREC_EXACT, UNIT_MS, NULL);
	s->source = "a.json";
	for (size_t i = 0; i < n; i++)
		hist_record(&s->hist, llround(ms[i] * s->scale), 1);
	struct series *c = model_get_series(m, run, "requests", NULL, NULL, 0, SERIES_COUNTER,
					    PREC_EXACT, UNIT_COUNT, NULL);
	c->total = requests;
	return m;
}

static void test_merge_exact_series_equals_recording_both(void **state)
{
	(void)state;
	const double a[] = {1.5, 2.25, 300, 0.001};
	const double b[] = {7, 8.5, 1000.125};
	const double all[] = {1.5, 2.25, 300, 0.001, 7, 8.5, 1000.125};
	struct model *ma = exact_model("run", a, 4, 4);
	struct model *mb = exact_model("run", b, 3, 3);
	struct model *expected = exact_model("run", all, 7, 7);
	struct model *merged = model_new();
	char *out = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &out, &len);
	assert_true(model_merge(merged, ma, &d));
	assert_true(model_merge(merged, mb, &d));
	fclose(f);
	assert_int_equal(d.errors, 0);
	free(out);

	assert_int_equal(merged->run_count, 1);
	const struct run *run = merged->runs[0];
	assert_true(run->concurrency == 20); /* two load generators of 10 */
	const struct series *s = model_find_series(run, "latency", "GET /x", NULL, 0);
	const struct series *e = model_find_series(expected->runs[0], "latency", "GET /x", NULL, 0);
	assert_non_null(s);
	assert_int_equal(s->hist.total_count, 7);
	for (int32_t i = 0; i < e->hist.layout.counts_len; i++)
		assert_int_equal(hist_count_at(&s->hist, i), hist_count_at(&e->hist, i));
	assert_true(model_series_stat(s, STAT_MIN).number == 0.001);
	assert_true(model_series_stat(s, STAT_MAX).number == 1000.125);
	assert_true(model_run_counter(run, METRIC_REQUESTS)->total == 7);
	/*
	 * p50 of 7 samples is the 4th smallest, 7 ms = 7000 µs. Values 4096..8191 µs lie in
	 * buckets 4 µs wide, and the definition returns the bucket's highest value: 7003 µs.
	 */
	struct value p50 = model_series_value_at(s, 0.5);
	assert_int_equal(p50.kind, VALUE_EXACT);
	assert_true(p50.number == 7.003);
	model_free(ma);
	model_free(mb);
	model_free(expected);
	model_free(merged);
}

/*
 * A merge moves runs with new labels and copies the others: afterwards the two models must not
 * depend on each other, whichever is freed first (the sanitizer build checks the memory).
 */
static void test_merge_leaves_the_source_independent(void **state)
{
	(void)state;
	static const double ms[] = {1, 2, 3};
	struct model *into = exact_model("A", ms, 3, 3);
	struct model *from = exact_model("A", ms, 3, 3);
	struct model *b = exact_model("B", ms, 3, 3);
	struct diag d;
	char *text;
	size_t len;
	FILE *f = memory_diag(&d, &text, &len);
	assert_true(model_merge(from, b, &d)); /* from: runs A and B */
	model_free(b);
	assert_true(model_merge(into, from, &d)); /* A copied, B moved */
	assert_int_equal(from->run_count, 0);
	assert_int_equal(into->run_count, 2);
	model_free(into); /* before from, on purpose */
	model_free(from);
	fclose(f);
	free(text);
}

static void test_merge_refuses_to_combine_reported_percentiles(void **state)
{
	(void)state;
	struct model *into = model_new(), *from = model_new();
	struct model *both[] = {into, from};
	for (int i = 0; i < 2; i++) {
		struct run *run = model_get_run(both[i], "same", "autocannon");
		model_run_add_source(both[i], run, i ? "b.json" : "a.json");
		struct series *s = model_get_series(both[i], run, "latency", NULL, NULL, 0,
						    SERIES_TREND, PREC_QUANTILES, UNIT_MS, NULL);
		s->source = i ? "b.json" : "a.json";
		reported_add_point(&s->reported, 0.5, 10 + i);
	}
	struct model *m = model_new();
	char *out = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &out, &len);
	assert_true(model_merge(m, into, &d));
	assert_false(model_merge(m, from, &d));
	fclose(f);
	assert_int_equal(d.errors, 1);
	assert_non_null(strstr(out, "b.json: error: cannot merge series 'latency' of run 'same' "
				    "into the run of that label from a.json"));
	assert_non_null(strstr(out, "LABEL=PATH"));
	/* the first input's values are kept, not averaged */
	const struct series *s = model_find_series(m->runs[0], "latency", NULL, NULL, 0);
	assert_true(model_series_value_at(s, 0.5).number == 10);
	free(out);
	model_free(into);
	model_free(from);
	model_free(m);
}

static void test_series_key_includes_sorted_tags(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct run *run = model_get_run(m, "r", "t");
	struct tag ab[] = {{"a", "1"}, {"b", "2"}}, ba[] = {{"b", "2"}, {"a", "1"}};
	bool created;
	struct series *x = model_get_series(m, run, "responses", NULL, ab, 2, SERIES_COUNTER,
					    PREC_EXACT, UNIT_COUNT, &created);
	assert_true(created);
	struct series *y = model_get_series(m, run, "responses", NULL, ba, 2, SERIES_COUNTER,
					    PREC_EXACT, UNIT_COUNT, &created);
	assert_false(created);
	assert_ptr_equal(x, y);
	assert_null(model_find_series(run, "responses", NULL, ab, 1));
	model_free(m);
}

static bool endpoint_is(const struct series *s, void *ctx)
{
	return s->endpoint && strcmp(s->endpoint, ctx) == 0;
}

/*
 * A series is one heap block with its names: they read back as given, it weighs what its
 * stores hold, and dropping it frees it (ASan checks that nothing leaks or is read after) and
 * leaves the others findable.
 */
static void test_series_block_weight_and_drop(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct run *run = model_get_run(m, "r", "t");
	struct tag tags[] = {{"status", "200"}, {"group", "::a"}};
	struct series *a = model_get_series(m, run, "latency", "GET /a", tags, 2, SERIES_TREND,
					    PREC_EXACT, UNIT_MS, NULL);
	struct series *b = model_get_series(m, run, "latency", "GET /b", NULL, 0, SERIES_TREND,
					    PREC_EXACT, UNIT_MS, NULL);
	assert_string_equal(a->metric, "latency");
	assert_string_equal(a->endpoint, "GET /a");
	assert_string_equal(a->tags[0].key, "group"); /* sorted */
	assert_string_equal(a->tags[1].value, "200");
	size_t empty = model_series_bytes(a);
	assert_true(empty >= sizeof *a + 2 * sizeof *a->tags + strlen("latencyGET /a") + 2);
	for (int i = 1; i <= 100; i++)
		hist_record(&a->hist, i * 1000, 1);
	assert_true(model_series_bytes(a) >= empty + hist_heap_bytes(&a->hist));
	assert_true(hist_heap_bytes(&a->hist) >= 100 * 8); /* 100 buckets, sparse */
	assert_int_equal(model_run_drop_series(run, endpoint_is, "GET /a"), 1);
	assert_int_equal(run->series_count, 1);
	assert_null(model_find_series(run, "latency", "GET /a", tags, 2));
	assert_ptr_equal(model_find_series(run, "latency", "GET /b", NULL, 0), b);
	assert_int_equal(model_run_drop_series(run, endpoint_is, "GET /a"), 0);
	model_free(m);
}

static char *save(const struct model *m)
{
	struct buf b;
	buf_init(&b);
	model_json_write(m, &b);
	return buf_take(&b);
}

/* Reads model JSON back (no diagnostic allowed) into a new model, sorted; *second: it written. */
static struct model *read_back(const char *json, char **second)
{
	struct model *loaded = model_new();
	struct source src;
	source_init(&src, "saved.json", json, strlen(json));
	char *out = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &out, &len);
	bool ok = model_json_read(loaded, &src, &d);
	fclose(f);
	if (!ok || d.errors != 0)
		fail_msg("%s", out);
	model_sort(loaded);
	*second = save(loaded);
	free(out);
	source_fini(&src);
	return loaded;
}

static void test_model_json_round_trips_byte_for_byte(void **state)
{
	(void)state;
	const double ms[] = {0.001, 1.5, 2.25, 300, 59999.999, 3600000.5 /* clamped */};
	struct model *m = exact_model("exact run", ms, 6, 6);
	struct run *run = model_get_run(m, "quantile run", "autocannon");
	run->has_start = true;
	run->start_us = 1649756893498000;
	run->duration_s = 40.01;
	run->tool_version = "7.10.0"; /* static: the model JSON keeps it where an input said */
	struct series *q = model_get_series(m, run, "latency", NULL, NULL, 0, SERIES_TREND,
					    PREC_QUANTILES, UNIT_MS, NULL);
	reported_add_point(&q->reported, 0.00001, 2);
	reported_add_point(&q->reported, 0.975, 18);
	reported_set_stat(&q->reported, STAT_MEAN, 12.51);
	struct tag tag = {"status", "403"};
	struct series *c = model_get_series(m, run, "responses", NULL, &tag, 1, SERIES_COUNTER,
					    PREC_EXACT, UNIT_COUNT, NULL);
	c->total = 6500;
	model_sort(m);
	char *first = save(m), *second;
	struct model *loaded = read_back(first, &second);
	assert_string_equal(first, second);
	assert_non_null(strstr(first, "\"start\": \"2022-04-12T09:48:13.498Z\""));
	assert_non_null(strstr(first, "[1e-05, 2]"));
	assert_non_null(strstr(first, "\"clamped_high\": 1"));
	assert_non_null(strstr(first, "\"tool_version\": \"7.10.0\""));
	assert_null(strstr(strstr(first, "\"tool_version\"") + 1, "\"tool_version\"")); /* once */
	assert_string_equal(model_find_run(loaded, "quantile run")->tool_version, "7.10.0");
	assert_null(model_find_run(loaded, "exact run")->tool_version);

	const struct series *s = model_find_series(loaded->runs[0], "latency", "GET /x", NULL, 0);
	assert_int_equal(s->hist.total_count, 6);
	assert_true(model_series_stat(s, STAT_MIN).number == 0.001);
	free(first);
	free(second);
	model_free(m);
	model_free(loaded);
}

/* m, written as model JSON, read back and written again, gives the same bytes. */
static void assert_round_trips(struct model *m)
{
	model_sort(m);
	char *first = save(m), *second;
	struct model *loaded = read_back(first, &second);
	assert_string_equal(first, second);
	free(first);
	free(second);
	model_free(loaded);
}

/*
 * A timeline spanning the whole time range a model holds (a k6 run with a sample in year 64
 * and one in 9999) coarsens to wide intervals whose first still starts in range: it is written,
 * read back and written again the same (the fuzzer found year -4 written once).
 */
static void test_timeline_over_the_whole_time_range_round_trips(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct run *run = model_get_run(m, "wide", "k6");
	struct series *s = model_get_series(m, run, "latency", NULL, NULL, 0, SERIES_TREND,
					    PREC_EXACT, UNIT_MS, NULL);
	s->timeline = xcalloc(1, sizeof *s->timeline);
	timeline_init(s->timeline, NULL);
	const int64_t times[] = {TIME_MIN_US, TIME_MIN_US + 86400000000, INT64_C(1795394819000000),
				 TIME_MAX_US};
	for (size_t i = 0; i < PG_ARRAY_LEN(times); i++) {
		hist_record(&s->hist, 1000, 1);
		timeline_add(s->timeline, times[i], 1, 1000);
	}
	timeline_flush(s->timeline);
	assert_true(s->timeline->first * s->timeline->width_us >= TIME_MIN_US);
	assert_round_trips(m);
	model_free(m);
}

/*
 * A raw \xFF byte and the text \xFF are one tag name once cleaned (the model holds UTF-8 only):
 * the series holds the key once, with the last value, and its model JSON reads back the same.
 */
static void test_tag_names_equal_once_cleaned_are_one(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct run *run = model_get_run(m, "r", "k6");
	struct tag tags[] = {{"a\xff", "1"}, {"b", "2"}, {"a\\xFF", "3"}};
	struct series *s = model_get_series(m, run, "requests", NULL, tags, 3, SERIES_COUNTER,
					    PREC_EXACT, UNIT_COUNT, NULL);
	assert_int_equal(s->tag_count, 2);
	assert_string_equal(s->tags[0].key, "a\\xFF");
	assert_string_equal(s->tags[0].value, "3");
	assert_ptr_equal(model_find_series(run, "requests", NULL, tags, 3), s);
	assert_round_trips(m);
	model_free(m);
}

static void expect_read_error(const char *json, const char *message)
{
	struct model *m = model_new();
	struct source src;
	source_init(&src, "m.json", json, strlen(json));
	char *out = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &out, &len);
	assert_false(model_json_read(m, &src, &d));
	fclose(f);
	if (!strstr(out, message))
		fail_msg("expected '%s' in:\n%s", message, out);
	free(out);
	source_fini(&src);
	model_free(m);
}

/*
 * A bucketed series (rebuilt from a tool's buckets, as wrk2's spectrum) returns the statistics
 * the tool printed instead of its histogram's, keeps them through model JSON, and loses them
 * when merged with another histogram (they would describe only one input).
 */
static void test_bucketed_series_returns_reported_statistics(void **state)
{
	(void)state;
	struct model *m[2];
	struct series *s[2];
	for (int i = 0; i < 2; i++) {
		m[i] = model_new();
		struct run *run = model_get_run(m[i], "wrk2 run", "wrk2");
		s[i] = model_get_series(m[i], run, "latency", NULL, NULL, 0, SERIES_TREND,
					PREC_BUCKETED, UNIT_MS, NULL);
		hist_record(&s[i]->hist, 1000, 9);
		hist_record(&s[i]->hist, 3000, 1);
	}
	reported_set_stat(&s[0]->reported, STAT_MEAN, 1.138);
	struct value v = model_series_stat(s[0], STAT_MEAN);
	assert_int_equal(v.kind, VALUE_REPORTED);
	assert_true(v.number == 1.138);
	v = model_series_stat(s[0], STAT_MAX); /* not reported: the histogram's */
	assert_int_equal(v.kind, VALUE_EXACT);
	assert_true(v.number == 3);

	char *first = save(m[0]);
	assert_non_null(strstr(first, "\"reported\": {\n"));
	struct model *loaded = model_new();
	struct source src;
	source_init(&src, "saved.json", first, strlen(first));
	char *out = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &out, &len);
	assert_true(model_json_read(loaded, &src, &d));
	char *second = save(loaded);
	assert_string_equal(first, second);
	assert_true(model_series_stat(loaded->runs[0]->series[0], STAT_MEAN).number == 1.138);

	assert_true(model_merge(loaded, m[1], &d));
	fclose(f);
	v = model_series_stat(loaded->runs[0]->series[0], STAT_MEAN);
	assert_int_equal(v.kind, VALUE_EXACT);
	assert_true(fabs(v.number - 1.2) < 0.01);
	source_fini(&src);
	free(first);
	free(second);
	free(out);
	model_free(loaded);
	model_free(m[0]);
	model_free(m[1]);
}

static void test_model_json_read_errors_have_positions(void **state)
{
	(void)state;
	expect_read_error("{\"format\": \"perfgate-model\", \"version\": 2, \"runs\": []}",
			  "m.json:1:41: error: model JSON version 2 is not supported");
	expect_read_error("{\"format\": \"other\", \"version\": 1, \"runs\": []}",
			  "m.json:1:12: error: not a perfgate model");
	expect_read_error("{\"format\": \"perfgate-model\", \"version\": 1}",
			  "missing field 'runs'");
	expect_read_error("{\"format\": \"perfgate-model\", \"version\": 1, \"runs\": [\n"
			  "{\"label\": \"r\", \"tool\": \"t\", \"sources\": [], \"concurrency\": null,\n"
			  "\"concurrency_unit\": null, \"start\": null, \"end\": null,\n"
			  "\"duration_s\": null, \"series\": [{\"metric\": \"latency\",\n"
			  "\"endpoint\": null, \"tags\": {}, \"kind\": \"trend\", \"unit\": \"ms\",\n"
			  "\"source\": null, \"precision\": \"exact\", \"scale\": 1000,\n"
			  "\"histogram\": {\"significant_digits\": 3, \"highest\": 3600000000,\n"
			  "\"total_count\": 5, \"min\": 1, \"max\": 1, \"clamped_low\": 0,\n"
			  "\"clamped_high\": 0, \"counts\": [1, 4]}}]}]}",
			  "m.json:9:30: error: model JSON: 'counts' do not add up to total_count");
}

/*
 * Prometheus's bucketQuantile (promql/quantile.go), worked by hand from its rules on small
 * bucket sets: interpolation inside the bucket that holds the rank, the lowest bucket from 0,
 * the +Inf bucket answering with the bound below, repair of decreasing counts, NaN cases.
 */
static void test_buckets_follow_histogram_quantile(void **state)
{
	(void)state;
	struct buckets b = {0};
	buckets_add(&b, 1.0, 2);
	buckets_add(&b, 0.1, 3);
	buckets_add(&b, INFINITY, 5);
	buckets_add(&b, 1, 3); /* "1" and "1.0" are one bound: 5 */
	assert_int_equal(b.count, 3);
	assert_true(b.at[1].upper == 1 && b.at[1].count == 5);
	assert_true(buckets_quantile(&b, 0.5) == 0.1 * (2.5 / 3));       /* lowest: from 0 */
	assert_true(buckets_quantile(&b, 0.9) == 0.1 + 0.9 * (1.5 / 2)); /* inside (0.1, 1] */
	assert_true(buckets_quantile(&b, 1) == 1);
	assert_true(buckets_total(&b) == 5);
	assert_true(isinf(buckets_quantile(&b, 1.5)) && buckets_quantile(&b, 1.5) > 0);
	assert_true(isinf(buckets_quantile(&b, -0.5)) && buckets_quantile(&b, -0.5) < 0);
	b.factor = 1000; /* seconds shown in ms: Prometheus's double times 1000 */
	assert_true(buckets_quantile(&b, 0.9) == (0.1 + 0.9 * (1.5 / 2)) * 1000);
	b.factor = 0;
	buckets_add(&b, INFINITY, 5); /* the rank now falls in +Inf: the bound below it */
	assert_true(buckets_quantile(&b, 0.9) == 1);
	buckets_fini(&b);

	/* counts that decrease are made non-decreasing: 5, 3, 7 is read as 5, 5, 7 */
	buckets_add(&b, 0.1, 5);
	buckets_add(&b, 1, 3);
	buckets_add(&b, INFINITY, 7);
	assert_false(buckets_monotonic(&b));
	assert_true(buckets_quantile(&b, 0.5) == 0.1 * (3.5 / 5));
	buckets_fini(&b);

	/* a lowest bound <= 0 is the answer itself */
	buckets_add(&b, -1, 2);
	buckets_add(&b, INFINITY, 4);
	assert_true(buckets_quantile(&b, 0.25) == -1);
	buckets_fini(&b);

	/* NaN: no +Inf bucket, a single bucket, no observations */
	buckets_add(&b, 0.1, 3);
	assert_true(isnan(buckets_quantile(&b, 0.5)) && isnan(buckets_total(&b)));
	buckets_fini(&b);
	buckets_add(&b, INFINITY, 3);
	assert_true(isnan(buckets_quantile(&b, 0.5)));
	buckets_add(&b, 1, 0);
	buckets_fini(&b);
	buckets_add(&b, 1, 0);
	buckets_add(&b, INFINITY, 0);
	assert_true(isnan(buckets_quantile(&b, 0.5)));
	buckets_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reported_values_come_back_exactly),
		cmocka_unit_test(test_quantile_of_percent_is_the_nearest_double),
		cmocka_unit_test(test_estimate_without_bracketing_points),
		cmocka_unit_test(test_merge_exact_series_equals_recording_both),
		cmocka_unit_test(test_merge_leaves_the_source_independent),
		cmocka_unit_test(test_merge_refuses_to_combine_reported_percentiles),
		cmocka_unit_test(test_series_key_includes_sorted_tags),
		cmocka_unit_test(test_model_json_round_trips_byte_for_byte),
		cmocka_unit_test(test_timeline_over_the_whole_time_range_round_trips),
		cmocka_unit_test(test_tag_names_equal_once_cleaned_are_one),
		cmocka_unit_test(test_bucketed_series_returns_reported_statistics),
		cmocka_unit_test(test_model_json_read_errors_have_positions),
		cmocka_unit_test(test_buckets_follow_histogram_quantile),
		cmocka_unit_test(test_series_block_weight_and_drop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
