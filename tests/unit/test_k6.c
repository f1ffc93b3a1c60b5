/*
 * test_k6.c - pieces of the k6 front ends that no real file exercises, or that deserve exact
 * checks of their own:
 *   - the machine-readable summary of k6 >= v1.5: no real file of it was available, so it is
 *     checked against the shape in k6's schema (internal/lib/summary/machinereadable,
 *     SchemaVersion 1.0.0) with the key names k6's own test expects (p90, k6_version);
 *   - --group rules: folding, $1 references, rule order, the match limit;
 *   - timelines: interval assignment, doubling past the cap, and merge equal to recording all.
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

#include "ingest/ingest.h"
#include "ingest/k6.h"
#include "model/model.h"
#include "test_support.h"

static const char machine_readable[] =
	"{\n"
	"    \"config\": {\"duration\": 10.5, \"execution\": \"local\", \"script\": \"s.js\"},\n"
	"    \"metadata\": {\"generated_at\": \"2026-01-01T00:00:00Z\", \"k6_version\": \"1.5.0\"},\n"
	"    \"results\": {\n"
	"        \"checks\": {\"metrics\": [], \"results\": [{\"fails\": 1, \"name\": \"is 200\",\n"
	"                     \"passes\": 9}]},\n"
	"        \"metrics\": [\n"
	"            {\"contains\": \"time\", \"name\": \"http_req_duration\", \"type\": \"trend\",\n"
	"             \"values\": {\"avg\": 12.5, \"max\": 40.25, \"med\": 11, \"min\": 2.5,\n"
	"                        \"p90\": 30.125, \"p95\": 35.5}},\n"
	"            {\"contains\": \"default\", \"name\": \"http_reqs\", \"type\": \"counter\",\n"
	"             \"values\": {\"count\": 100}},\n"
	"            {\"contains\": \"default\", \"name\": \"http_req_failed\", \"type\": \"rate\",\n"
	"             \"values\": {\"matches\": 3, \"rate\": 0.03, \"total\": 100}},\n"
	"            {\"contains\": \"default\", \"name\": \"vus\", \"type\": \"gauge\",\n"
	"             \"values\": {\"max\": 8, \"min\": 1, \"value\": 2}}\n"
	"        ]\n"
	"    },\n"
	"    \"version\": \"1.0.0\"\n"
	"}\n";

static struct series *find(struct run *run, const char *metric, const char *endpoint)
{
	struct series *s = model_find_series(run, metric, endpoint, NULL, 0);
	assert_non_null(s);
	return s;
}

/* Parses a k6 summary held in memory into a new model (diagnostics must be none). */
static struct model *parse_summary(const char *json)
{
	struct diag d;
	char *text;
	size_t len;
	FILE *f = memory_diag(&d, &text, &len);
	struct model *m = model_new();
	struct builder b;
	builder_init(&b, m, "s.json", NULL, &d);
	struct source src;
	source_init(&src, "s.json", json, strlen(json));
	assert_true(k6_summary_parse(&src, &b));
	fclose(f);
	if (d.errors + d.warnings)
		fail_msg("%s", text);
	source_fini(&src);
	free(text);
	return m;
}

static void test_machine_readable_summary(void **state)
{
	(void)state;
	assert_true(k6_summary_sniff(machine_readable, sizeof machine_readable - 1) > 0);
	struct model *m = parse_summary(machine_readable);
	struct run *run = m->runs[0];
	assert_string_equal(run->tool, "k6");
	assert_string_equal(run->tool_version, "1.5.0"); /* metadata.k6_version */
	assert_true(run->duration_s == 10.5);
	assert_true(run->concurrency == 8);

	struct series *latency = find(run, "latency", NULL);
	assert_int_equal(latency->precision, PREC_QUANTILES);
	struct value v = model_series_value_at(latency, 0.9);
	assert_int_equal(v.kind, VALUE_REPORTED);
	assert_true(v.number == 30.125);
	v = model_series_value_at(latency, model_quantile_of_percent(95));
	assert_true(v.kind == VALUE_REPORTED && v.number == 35.5);
	v = model_series_value_at(latency, 0.5);
	assert_true(v.kind == VALUE_REPORTED && v.number == 11);
	assert_true(model_series_stat(latency, STAT_MEAN).number == 12.5);
	assert_int_equal(model_series_value_at(latency, 0.99).kind, VALUE_ESTIMATE);

	assert_true(find(run, "requests", NULL)->total == 100);
	assert_true(find(run, "errors", NULL)->total == 3);
	struct series *vus = find(run, "vus", NULL);
	assert_true(vus->gauge.set && vus->gauge.value == 2 && vus->gauge.max == 8);
	struct tag check = {"check", "is 200"};
	struct series *checks = model_find_series(run, "checks", NULL, &check, 1);
	assert_non_null(checks);
	assert_true(checks->passes == 9 && checks->total == 10);
	model_free(m);
}

/*
 * A submetric of http_req_failed counts requests too (passes + fails: one sample per request),
 * so errors{...} gets requests{...} with the same endpoint and tags, unless an http_reqs
 * submetric with those tags (in any order, before or after it) says it; the whole run's
 * requests stay http_reqs'.
 */
static void test_summary_failed_submetric_gives_requests(void **state)
{
	(void)state;
	static const char *const legacy =
		"{\"root_group\": {\"name\": \"\", \"path\": \"\", \"groups\": {}, \"checks\": {}},\n"
		" \"metrics\": {\n"
		"  \"http_req_failed{name:x}\": {\"passes\": 2, \"fails\": 8, \"value\": 0.2},\n"
		"  \"http_req_failed{name:y,status:500}\": {\"passes\": 3, \"fails\": 0, \"value\": 1},\n"
		"  \"http_reqs{status:500,name:y}\": {\"count\": 4, \"rate\": 0.4},\n"
		"  \"http_reqs{status:>=500}\": {\"count\": 6, \"rate\": 0.6},\n"
		"  \"http_req_failed{status:>=500}\": {\"passes\": 0, \"fails\": 0, \"value\": 0},\n"
		"  \"http_req_failed\": {\"passes\": 5, \"fails\": 9, \"value\": 0.357},\n"
		"  \"http_reqs\": {\"count\": 15, \"rate\": 1.5}}}\n";
	static const char *const handle_summary =
		"{\"root_group\": {\"name\": \"\", \"path\": \"\", \"groups\": [], \"checks\": []},\n"
		" \"state\": {\"testRunDurationMs\": 1000},\n"
		" \"metrics\": {\n"
		"  \"http_req_failed{expected_response:true}\": {\"type\": \"rate\", \"contains\": "
		"\"default\",\n"
		"    \"values\": {\"passes\": 0, \"fails\": 7, \"rate\": 0}},\n"
		"  \"http_req_failed\": {\"type\": \"rate\", \"contains\": \"default\",\n"
		"    \"values\": {\"passes\": 1, \"fails\": 9, \"rate\": 0.1}}}}\n";
	static const char *const machine =
		"{\"config\": {\"duration\": 1}, \"metadata\": {\"k6_version\": \"1.5.0\"},\n"
		" \"results\": {\"checks\": {\"results\": []}, \"metrics\": [\n"
		"  {\"name\": \"http_req_failed{name:z}\", \"type\": \"rate\", \"contains\": "
		"\"default\",\n"
		"   \"values\": {\"matches\": 1, \"rate\": 0.25, \"total\": 4}}]}}\n";
	static const struct {
		const char *const *summary;
		const char *endpoint;       /* NULL: the whole run */
		const char *tag_key;        /* NULL: no tags */
		const char *tag_value;
		double requests;            /* -1: no requests series */
		double errors;
	} rows[] = {
		{&legacy, "x", NULL, NULL, 10, 2},           /* passes + fails */
		{&legacy, "y", "status", "500", 4, 3},       /* http_reqs{...} says it */
		{&legacy, NULL, "status", ">=500", 6, 0},    /* the same, read before the rate */
		{&legacy, NULL, NULL, NULL, 15, 5},          /* the run: http_reqs, unchanged */
		{&handle_summary, NULL, "expected_response", "true", 7, 0},
		{&handle_summary, NULL, NULL, NULL, -1, 1},  /* no http_reqs: none, as before */
		{&machine, "z", NULL, NULL, 4, 1},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct model *m = parse_summary(*rows[i].summary);
		struct run *run = m->runs[0];
		struct tag tag = {rows[i].tag_key, rows[i].tag_value};
		size_t n = rows[i].tag_key ? 1 : 0;
		const struct series *requests =
			model_find_series(run, "requests", rows[i].endpoint, &tag, n);
		const struct series *errors =
			model_find_series(run, "errors", rows[i].endpoint, &tag, n);
		double got = requests ? requests->total : -1;
		if (got != rows[i].requests || !errors || errors->total != rows[i].errors)
			fail_msg("row %zu: requests %g, errors %g; expected %g, %g", i, got,
				 errors ? errors->total : -1, rows[i].requests, rows[i].errors);
		model_free(m);
	}
}

static void test_group_rules(void **state)
{
	(void)state;
	struct diag d;
	char *text;
	size_t len;
	FILE *f = memory_diag(&d, &text, &len);
	struct endpoint_rules *r = endpoint_rules_new();
	assert_true(endpoint_rules_add(r, "/users/\\d+=/users/:id", &d));
	assert_true(endpoint_rules_add(r, "^https?://[^/]+(/.*)$=$1", &d));
	char *out = endpoint_rules_apply(r, "http://h:1/users/42/posts/users/7", 33, &d);
	assert_string_equal(out, "/users/:id/posts/users/:id");
	free(out);
	assert_null(endpoint_rules_apply(r, "GET /x", 6, &d)); /* no rule matched */

	/* a catastrophic pattern stops at the match limit: reported once, name unchanged */
	struct endpoint_rules *bad = endpoint_rules_new();
	assert_true(endpoint_rules_add(bad, "(a+)+$=x", &d));
	const char *name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
	assert_null(endpoint_rules_apply(bad, name, strlen(name), &d));
	assert_null(endpoint_rules_apply(bad, name, strlen(name), &d));
	assert_int_equal(d.warnings, 1);

	/* bad rules */
	assert_false(endpoint_rules_add(r, "no-equals-sign", &d));
	assert_false(endpoint_rules_add(r, "[a-=x", &d));
	assert_false(endpoint_rules_add(r, "/(\\w+)$=/$2", &d)); /* one group only */
	assert_true(endpoint_rules_add(r, "/(?<id>\\d+)=/${id}$$", &d));
	assert_int_equal(d.errors, 3);
	fclose(f);
	assert_non_null(strstr(text, "--group:1:4: error: --group: invalid regular expression: "
				   "missing terminating ] for character class"));
	assert_non_null(strstr(text, "--group:1:15: error: --group needs REGEX=NAME"));
	assert_non_null(strstr(text, "--group:1:10: error: --group: NAME refers to a group"));
	endpoint_rules_free(r);
	endpoint_rules_free(bad);
	free(text);
}

static int64_t total_count(const struct timeline *t)
{
	int64_t n = 0;
	for (size_t i = 0; i < t->count; i++)
		n += timeline_at(t, i)->count;
	return n;
}

static void test_timeline_intervals_and_doubling(void **state)
{
	(void)state;
	struct hist_layout layout;
	assert_true(hist_layout(HIST_HIGHEST_DEFAULT, TIMELINE_HIST_DIGITS, &layout));
	struct timeline t;
	timeline_init(&t, &layout);
	const int64_t s = 1000000, base = INT64_C(1700000000) * s;
	timeline_add(&t, base + s / 2, 5, 5000);  /* second 0 */
	timeline_add(&t, base + 3 * s, 7, 7000);  /* second 3 */
	timeline_add(&t, base - 1, 1, 1000);      /* earlier: grows at the front */
	assert_int_equal(t.width_us, s);
	assert_int_equal(t.count, 5);
	assert_true(timeline_start_us(&t, 0) == base - s);
	assert_int_equal(timeline_at(&t, 1)->count, 1);
	assert_true(timeline_at(&t, 1)->sum == 5);
	assert_int_equal(timeline_at(&t, 4)->count, 1);
	/* 1000 s later: the width doubles until the span fits in TIMELINE_MAX_POINTS */
	timeline_add(&t, base + 1000 * s, 9, 9000);
	int64_t width = s; /* the smallest power-of-two seconds that fits 1002 s in the cap */
	while ((base + 1000 * s) / width - (base - 1) / width + 1 > TIMELINE_MAX_POINTS)
		width *= 2;
	assert_true(width > s);
	assert_int_equal(t.width_us, width);
	assert_true(t.count <= TIMELINE_MAX_POINTS);
	assert_int_equal(total_count(&t), 4);
	assert_true(timeline_start_us(&t, 0) % t.width_us == 0);

	/* merging two halves equals recording everything in one */
	struct timeline a, b, all;
	timeline_init(&a, &layout);
	timeline_init(&b, &layout);
	timeline_init(&all, &layout);
	for (int i = 0; i < 2000; i++) {
		int64_t at = base + (int64_t)i * 397 * 1000; /* every 0.397 s */
		double v = 1 + (i * 7919) % 1000;
		timeline_add(i % 2 ? &a : &b, at, v, (int64_t)(v * 1000));
		timeline_add(&all, at, v, (int64_t)(v * 1000));
	}
	timeline_flush(&a);
	timeline_flush(&b);
	timeline_flush(&all);
	timeline_merge(&a, &b);
	assert_int_equal(a.width_us, all.width_us);
	assert_int_equal(a.count, all.count);
	for (size_t i = 0; i < a.count; i++) {
		const struct interval *x = timeline_at(&a, i), *y = timeline_at(&all, i);
		assert_int_equal(x->count, y->count);
		assert_true(x->sum == y->sum);
		assert_true(x->min == y->min);
		assert_true(x->max == y->max);
		assert_int_equal(x->bin_count, y->bin_count);
		assert_memory_equal(x->bins, y->bins, x->bin_count * sizeof *x->bins);
		assert_true(timeline_value_at(&a, x, 0.95, 1000) ==
			    timeline_value_at(&all, y, 0.95, 1000));
	}
	timeline_fini(&t);
	timeline_fini(&a);
	timeline_fini(&b);
	timeline_fini(&all);
}

/*
 * Samples out of time order (late by up to 20 s, as k6's buffered flushes can be), spanning
 * several doublings of the width: dense open arrays, late samples into folded intervals and
 * coarsening all meet. Every interval's bins must add up to its count, and two halves merged
 * must equal everything recorded into one timeline, bin for bin.
 */
static void test_timeline_out_of_order_with_late_samples(void **state)
{
	(void)state;
	struct hist_layout layout;
	assert_true(hist_layout(HIST_HIGHEST_DEFAULT, TIMELINE_HIST_DIGITS, &layout));
	struct timeline a, b, all;
	timeline_init(&a, &layout);
	timeline_init(&b, &layout);
	timeline_init(&all, &layout);
	const int64_t base = INT64_C(1700000000) * 1000000;
	uint64_t x = 88172645463325252u; /* xorshift: the same sequence every run */
	for (int i = 0; i < 60000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int64_t late = (int64_t)(x % 20000000);
		int64_t at = base + (int64_t)i * 15000 - late; /* 900 s in all */
		int64_t v = 1 + (int64_t)((x >> 20) % 5000000);
		timeline_add(i % 3 ? &a : &b, at, (double)v / 1000, v);
		timeline_add(&all, at, (double)v / 1000, v);
	}
	timeline_flush(&a);
	timeline_flush(&b);
	timeline_flush(&all);
	timeline_merge(&a, &b);
	assert_true(all.width_us > 1000000);
	assert_int_equal(a.width_us, all.width_us);
	assert_int_equal(a.count, all.count);
	int64_t total = 0;
	for (size_t i = 0; i < all.count; i++) {
		const struct interval *mine = timeline_at(&a, i), *y = timeline_at(&all, i);
		int64_t binned = 0;
		for (uint32_t j = 0; j < y->bin_count; j++) {
			binned += timeline_bin_count(y->bins[j]);
			if (j)
				assert_true(timeline_bin_index(y->bins[j - 1]) <
					    timeline_bin_index(y->bins[j]));
		}
		assert_int_equal(binned, y->count);
		assert_int_equal(mine->count, y->count);
		assert_int_equal(mine->bin_count, y->bin_count);
		assert_memory_equal(mine->bins, y->bins, y->bin_count * sizeof *y->bins);
		total += y->count;
	}
	assert_int_equal(total, 60000);
	timeline_fini(&a);
	timeline_fini(&b);
	timeline_fini(&all);
}

/*
 * A dense open count near 2^32 (2^32 - 1 samples of one value in one interval) folds into
 * thousands of 19-bit words: the word count must not wrap in 32 bits (it did, and the fold
 * wrote past its buffer). The state is set directly instead of recording 4e9 samples.
 */
static void test_timeline_fold_of_a_huge_dense_count(void **state)
{
	(void)state;
	struct hist_layout layout;
	assert_true(hist_layout(HIST_HIGHEST_DEFAULT, TIMELINE_HIST_DIGITS, &layout));
	struct timeline t;
	timeline_init(&t, &layout);
	timeline_add(&t, 0, 1, 1000);
	int32_t index = hist_index_of(&layout, 1000);
	assert_true(t.open_at[0] == 0 || t.open_at[1] == 0);
	int k = t.open_at[0] == 0 ? 0 : 1;
	t.open_counts[k][index] = UINT32_MAX;
	timeline_flush(&t);
	int64_t total = 0;
	const struct interval *iv = timeline_at(&t, 0);
	for (uint32_t j = 0; j < iv->bin_count; j++) {
		assert_int_equal(timeline_bin_index(iv->bins[j]), index);
		total += timeline_bin_count(iv->bins[j]);
	}
	assert_int_equal(total, (int64_t)UINT32_MAX);
	timeline_fini(&t);
}

/*
 * The cached hash of a key equals the hash computed afresh, whatever came before: the same key
 * again (kept), another key, a key that differs only in its last byte or its length, and one
 * too long for the cache's copy.
 */
static void test_key_hash_cache_answers_as_the_hash(void **state)
{
	(void)state;
	static struct k6_key_cache cache; /* zeroed, as a worker's scratch */
	char long_key[700];
	memset(long_key, 'k', sizeof long_key);
	const struct {
		const char *metric, *key;
		size_t key_len;
	} seq[] = {
		{"http_reqs", "{\"name\":\"a\"}", 12},
		{"http_req_duration", "{\"name\":\"a\"}", 12},
		{"http_req_duration", "{\"name\":\"b\"}", 12},
		{"http_req_duration", "{\"name\":\"b\"}x", 13},
		{"http_req_duration", "{\"name\":\"b\"}", 12},
		{"vus", long_key, sizeof long_key},
		{"vus", long_key, sizeof long_key - 1},
		{"vus", "", 0},
		{"http_reqs", "{\"name\":\"a\"}", 12},
	};
	for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
		size_t metric_len = strlen(seq[i].metric);
		assert_true(k6_stream_hash_cached(&cache, seq[i].metric, metric_len, seq[i].key,
						   seq[i].key_len) ==
			    k6_stream_hash(seq[i].metric, metric_len, seq[i].key, seq[i].key_len));
	}
	/* and the metric counts: the same key under two metrics hashes apart */
	assert_true(k6_stream_hash("a", 1, "{}", 2) != k6_stream_hash("b", 1, "{}", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_machine_readable_summary),
		cmocka_unit_test(test_key_hash_cache_answers_as_the_hash),
		cmocka_unit_test(test_summary_failed_submetric_gives_requests),
		cmocka_unit_test(test_group_rules),
		cmocka_unit_test(test_timeline_intervals_and_doubling),
		cmocka_unit_test(test_timeline_out_of_order_with_late_samples),
		cmocka_unit_test(test_timeline_fold_of_a_huge_dense_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
