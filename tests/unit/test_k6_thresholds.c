/*
 * test_k6_thresholds.c - k6 `thresholds` objects as budget rules (src/budget/k6_thresholds.c).
 *
 * Each row is one member of a thresholds object, as JSON, and either the dump of the rules it
 * builds or the exact diagnostics it reports (positions are real: the member sits in a budget
 * file `{"thresholds": {MEMBER}}` whose bytes the budget holds). The accepted rows include
 * every threshold string of the k6 summaries in fixtures/k6 and ../shared/samples/k6; the
 * rejected ones follow k6 v0.37+'s parser (metrics/thresholds_parser.go) case by case.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "budget/budget.h"
#include "util/json.h"
#include "test_support.h"
#include "budget/budget_test.h"

/* A budget over doc's bytes, as the loader would hold it. */
static struct budget *budget_over(const char *doc)
{
	struct budget *b = budget_new("budget.json");
	buf_append(&b->bytes, doc, strlen(doc));
	const char *name = b->src.name;
	source_fini(&b->src);
	source_init(&b->src, name, b->bytes.data, b->bytes.len);
	return b;
}

static void dump_number(struct buf *out, double v)
{
	char text[32];
	str_format_double(text, v);
	buf_puts(out, text);
}

/*
 * One line per rule: METRIC [@'ENDPOINT'] [method=M] [{k=v,...}]: AGG OP NUMBER, then the
 * source spans of both sides and the comparison, then the dimension of the left side.
 */
static void dump_rule(const struct rule *r, struct buf *out)
{
	const struct selector *s = &r->selector;
	const struct assertion *a = &r->assertions[0];
	const struct expr *e = a->expr, *lhs = e->lhs, *rhs = e->rhs;
	buf_puts(out, s->metric);
	if (s->endpoint_kind == ENDPOINT_K6_NAME)
		buf_printf(out, " @'%s'", s->endpoint);
	else if (s->endpoint_kind != ENDPOINT_RUN || s->endpoint)
		buf_puts(out, " @?");
	if (s->method)
		buf_printf(out, " method=%s", s->method);
	for (size_t i = 0; i < s->tag_count; i++)
		buf_printf(out, "%s%s=%s", i ? "," : " {", s->tags[i].key, s->tags[i].value);
	if (s->tag_count)
		buf_putc(out, '}');
	buf_puts(out, ": ");
	static const char *const aggs[] = {
		[AGG_P] = "p", [AGG_AVG] = "avg", [AGG_MED] = "med", [AGG_MIN] = "min",
		[AGG_MAX] = "max", [AGG_COUNT] = "count", [AGG_RATE] = "rate", [AGG_VALUE] = "value",
	};
	assert_int_equal(e->kind, EXPR_CMP);
	assert_int_equal(lhs->kind, EXPR_AGG);
	assert_int_equal(rhs->kind, EXPR_NUMBER);
	assert_int_equal(rhs->dim, DIM_BARE);
	buf_puts(out, aggs[lhs->agg] ? aggs[lhs->agg] : "?");
	if (lhs->agg == AGG_P) {
		buf_putc(out, '(');
		dump_number(out, lhs->number);
		buf_putc(out, ')');
	}
	buf_printf(out, " %s ", cmp_op_name(e->op));
	dump_number(out, rhs->number);
	const char *text = a->text.text;
	buf_printf(out, " ['%.*s' '%.*s' '%.*s'] %s\n", (int)lhs->len, text + lhs->offset,
		   (int)rhs->len, text + rhs->offset, (int)e->len, text + e->offset,
		   dim_name(lhs->dim));
}

struct outcome {
	bool ok;
	char *dump;             /* heap */
	char *diagnostics;      /* heap */
	struct budget *budget;  /* for further checks; outcome_free frees it */
};

/* Loads doc's "thresholds" and dumps what came out. */
static struct outcome load_document(const char *doc)
{
	struct outcome o = {0};
	o.budget = budget_over(doc);
	size_t len;
	struct diag d;
	FILE *f = memory_diag(&d, &o.diagnostics, &len);
	json_error_t error;
	json_t *root = json_loads(doc, JSON_DECODE_ANY, &error);
	if (!root)
		fail_msg("not JSON: %s (%s)", doc, error.text);
	o.ok = k6_thresholds_load(o.budget, "/thresholds", json_object_get(root, "thresholds"), &d);
	fclose(f);
	struct buf dump;
	buf_init(&dump);
	buf_puts(&dump, "");
	for (size_t i = 0; i < o.budget->rule_count; i++)
		dump_rule(&o.budget->rules[i], &dump);
	o.dump = buf_take(&dump);
	if (o.ok != (d.errors == 0))
		fail_msg("%s: returned %d with %lu errors", doc, o.ok, d.errors);
	json_decref(root);
	return o;
}

static void outcome_free(struct outcome *o)
{
	free(o->dump);
	free(o->diagnostics);
	budget_free(o->budget);
}

/* Loads {"thresholds": {member}}: true when it gives ok, dump and diagnostics (else says so). */
static bool row_matches(size_t row, const char *member, bool ok, const char *dump,
			const char *diagnostics)
{
	char *doc = xasprintf("{\"thresholds\": {%s}}", member);
	struct outcome o = load_document(doc);
	bool matches = o.ok == ok && strcmp(o.dump, dump) == 0 &&
		       strcmp(o.diagnostics, diagnostics) == 0;
	if (!matches)
		fprintf(stderr, "row %zu: %s\nreturned %d\n%s%s\nexpected\n%s%s\n", row, member,
			o.ok, o.dump, o.diagnostics, dump, diagnostics);
	outcome_free(&o);
	free(doc);
	return matches;
}

/* Thresholds k6 accepts: MEMBER -> the rules' dump. */
static void test_accepted_thresholds_build_rules(void **state)
{
	(void)state;
	static const struct {
		const char *member;
		const char *dump;
	} rows[] = {
		/* every threshold of the k6 summaries in fixtures/k6 and ../shared/samples/k6 */
		{"\"http_req_duration\": [\"p(95) < 5000\"]",
		 "latency: p(95) < 5000 ['p(95)' '5000' 'p(95) < 5000'] time\n"},
		{"\"http_req_failed\": [\"rate<0.01\"]",
		 "errors: rate < 0.01 ['rate' '0.01' 'rate<0.01'] share\n"},
		{"\"http_req_failed\": [\"rate < 0.05\"]",
		 "errors: rate < 0.05 ['rate' '0.05' 'rate < 0.05'] share\n"},
		{"\"http_req_failed\": [\"rate<0.05\"]",
		 "errors: rate < 0.05 ['rate' '0.05' 'rate<0.05'] share\n"},
		{"\"successful_bookings\": [\"count>100\"]",
		 "successful_bookings: count > 100 ['count' '100' 'count>100'] unknown\n"},
		{"\"booking_success_rate\": [\"rate<0.05\"]",
		 "booking_success_rate: rate < 0.05 ['rate' '0.05' 'rate<0.05'] unknown\n"},
		{"\"translation_errors\": [\"rate < 0.05\"]",
		 "translation_errors: rate < 0.05 ['rate' '0.05' 'rate < 0.05'] unknown\n"},
		{"\"http_req_failed{status:>=500}\": [\"rate<0.01\"]",
		 "errors {status=>=500}: rate < 0.01 ['rate' '0.01' 'rate<0.01'] share\n"},
		{"\"http_req_duration{expected_response:true}\": [\"p(95)<500\"]",
		 "latency {expected_response=true}: p(95) < 500 ['p(95)' '500' 'p(95)<500'] time\n"},
		{"\"checks{step:Profile API}\": [\"rate>0.99\"]",
		 "checks {step=Profile API}: rate > 0.99 ['rate' '0.99' 'rate>0.99'] share\n"},
		{"\"checks{step:My Orders API}\": [\"rate>0.99\"]",
		 "checks {step=My Orders API}: rate > 0.99 ['rate' '0.99' 'rate>0.99'] share\n"},
		{"\"checks{step:Course Library Nano1 API}\": [\"rate>0.95\"]",
		 "checks {step=Course Library Nano1 API}: rate > 0.95 ['rate' '0.95' 'rate>0.95'] "
		 "share\n"},
		{"\"checks{step:Course Library Nano2 API}\": [\"rate>0.95\"]",
		 "checks {step=Course Library Nano2 API}: rate > 0.95 ['rate' '0.95' 'rate>0.95'] "
		 "share\n"},
		{"\"checks{step:Course Library Podcast1 API}\": [\"rate>0.95\"]",
		 "checks {step=Course Library Podcast1 API}: rate > 0.95 ['rate' '0.95' 'rate>0.95'] "
		 "share\n"},
		{"\"checks{step:Course Library Podcast2 API}\": [\"rate>0.95\"]",
		 "checks {step=Course Library Podcast2 API}: rate > 0.95 ['rate' '0.95' 'rate>0.95'] "
		 "share\n"},
		{"\"checks{step:Course Library MM2 API}\": [\"rate>0.95\"]",
		 "checks {step=Course Library MM2 API}: rate > 0.95 ['rate' '0.95' 'rate>0.95'] "
		 "share\n"},
		{"\"http_req_duration{name:GET /users/:id}\": [\"p(90)<15\"]",
		 "latency @'GET /users/:id': p(90) < 15 ['p(90)' '15' 'p(90)<15'] time\n"},
		{"\"http_req_duration\": [\"p(95)<250\", \"p(99)<500\", \"avg<100\"]",
		 "latency: p(95) < 250 ['p(95)' '250' 'p(95)<250'] time\n"
		 "latency: p(99) < 500 ['p(99)' '500' 'p(99)<500'] time\n"
		 "latency: avg < 100 ['avg' '100' 'avg<100'] time\n"},
		{"\"http_req_duration\": [\"p(95)<50\", \"p(95)<100\", \"p(95)<500\", \"p(95)<1000\", "
		 "\"p(95)<2000\", \"p(99)<1000\", \"p(99)<1200\", \"p(99)<2000\"]",
		 "latency: p(95) < 50 ['p(95)' '50' 'p(95)<50'] time\n"
		 "latency: p(95) < 100 ['p(95)' '100' 'p(95)<100'] time\n"
		 "latency: p(95) < 500 ['p(95)' '500' 'p(95)<500'] time\n"
		 "latency: p(95) < 1000 ['p(95)' '1000' 'p(95)<1000'] time\n"
		 "latency: p(95) < 2000 ['p(95)' '2000' 'p(95)<2000'] time\n"
		 "latency: p(99) < 1000 ['p(99)' '1000' 'p(99)<1000'] time\n"
		 "latency: p(99) < 1200 ['p(99)' '1200' 'p(99)<1200'] time\n"
		 "latency: p(99) < 2000 ['p(99)' '2000' 'p(99)<2000'] time\n"},
		{"\"response_time\": [\"p(95)<300\", \"p(99)<800\"]",
		 "response_time: p(95) < 300 ['p(95)' '300' 'p(95)<300'] unknown\n"
		 "response_time: p(99) < 800 ['p(99)' '800' 'p(99)<800'] unknown\n"},
		{"\"cold_start_time\": [\"p(95)<10\"]",
		 "cold_start_time: p(95) < 10 ['p(95)' '10' 'p(95)<10'] unknown\n"},
		{"\"checkout_latency\": [\"p(95)<50\"]",
		 "checkout_latency: p(95) < 50 ['p(95)' '50' 'p(95)<50'] unknown\n"},
		{"\"orders_created\": [\"count>100\"]",
		 "orders_created: count > 100 ['count' '100' 'count>100'] unknown\n"},
		/* the object form, as k6 writes it in NDJSON Metric lines */
		{"\"http_req_failed\": [{\"threshold\": \"rate<0.01\", \"abortOnFail\": true, "
		 "\"delayAbortEval\": null}]",
		 "errors: rate < 0.01 ['rate' '0.01' 'rate<0.01'] share\n"},
		{"\"http_req_failed\": [{\"Threshold\": \"rate<0.02\", \"delayAbortEval\": \"10s\", "
		 "\"note\": 1}]",
		 "errors: rate < 0.02 ['rate' '0.02' 'rate<0.02'] share\n"},
		/* operators, scanned <=, <, >=, >, ===, ==, != */
		{"\"vus\": [\"value>=1\", \"value<=2\", \"value==3\", \"value===4\", \"value!=5\"]",
		 "vus: value >= 1 ['value' '1' 'value>=1'] count\n"
		 "vus: value <= 2 ['value' '2' 'value<=2'] count\n"
		 "vus: value == 3 ['value' '3' 'value==3'] count\n"
		 "vus: value == 4 ['value' '4' 'value===4'] count\n"
		 "vus: value != 5 ['value' '5' 'value!=5'] count\n"},
		{"\"http_reqs\": [\"count>=-1\", \"rate > 10\"]",
		 "requests: count >= -1 ['count' '-1' 'count>=-1'] count\n"
		 "requests: rate > 10 ['rate' '10' 'rate > 10'] rate per second\n"},
		{"\"data_received\": [\"count<1e9\", \"rate<1e6\"]",
		 "bytes_in: count < 1000000000 ['count' '1e9' 'count<1e9'] size\n"
		 "bytes_in: rate < 1000000 ['rate' '1e6' 'rate<1e6'] bytes per second\n"},
		/* blanks: any Unicode white space around the tokens (strings.TrimSpace) */
		{"\"http_req_duration\": [\" \\tp(99.9)\\u00a0<\\n 1e3 \"]",
		 "latency: p(99.9) < 1000 ['p(99.9)' '1e3' 'p(99.9)\xc2\xa0<\n 1e3'] time\n"},
		/* numbers as Go's strconv.ParseFloat reads them */
		{"\"iteration_duration\": [\"avg<1_000\", \"avg<0x1p4\", \"avg<.5\", \"avg<5.\", "
		 "\"avg<+7\", \"avg<1E-400\", \"max<Inf\", \"min>-infinity\"]",
		 "iteration_duration: avg < 1000 ['avg' '1_000' 'avg<1_000'] time\n"
		 "iteration_duration: avg < 16 ['avg' '0x1p4' 'avg<0x1p4'] time\n"
		 "iteration_duration: avg < 0.5 ['avg' '.5' 'avg<.5'] time\n"
		 "iteration_duration: avg < 5 ['avg' '5.' 'avg<5.'] time\n"
		 "iteration_duration: avg < 7 ['avg' '+7' 'avg<+7'] time\n"
		 "iteration_duration: avg < 0 ['avg' '1E-400' 'avg<1E-400'] time\n"
		 "iteration_duration: max < inf ['max' 'Inf' 'max<Inf'] time\n"
		 "iteration_duration: min > -inf ['min' '-infinity' 'min>-infinity'] time\n"},
		{"\"http_req_waiting\": [\"p(0)<1\", \"p(100)<2\", \"p(99.99)<3\", \"p(1_0)<4\", "
		 "\"med<5\"]",
		 "http_req_waiting: p(0) < 1 ['p(0)' '1' 'p(0)<1'] time\n"
		 "http_req_waiting: p(100) < 2 ['p(100)' '2' 'p(100)<2'] time\n"
		 "http_req_waiting: p(99.99) < 3 ['p(99.99)' '3' 'p(99.99)<3'] time\n"
		 "http_req_waiting: p(10) < 4 ['p(1_0)' '4' 'p(1_0)<4'] time\n"
		 "http_req_waiting: med < 5 ['med' '5' 'med<5'] time\n"},
		/* tags: name (else url) is the endpoint, method apart, the rest sorted; last wins */
		{"\"http_req_duration{status:200,name:x,scenario:'s1',method:GET}\": [\"avg<1\"]",
		 "latency @'x' method=GET {scenario=s1,status=200}: avg < 1 ['avg' '1' 'avg<1'] time\n"},
		{"\"http_req_duration{url:http://h/a?b=1}\": [\"avg<1\"]",
		 "latency @'http://h/a?b=1': avg < 1 ['avg' '1' 'avg<1'] time\n"},
		{"\"http_req_duration{url:http://h/a,name:A}\": [\"avg<1\"]",
		 "latency @'A': avg < 1 ['avg' '1' 'avg<1'] time\n"},
		{"\"http_req_duration{ \\\"name\\\" : \\\"GET x\\\" ,status:200,status:500}\": "
		 "[\"avg<1\"]",
		 "latency @'GET x' {status=500}: avg < 1 ['avg' '1' 'avg<1'] time\n"},
		{"\"http_req_duration{group:::browse}\": [\"avg<1\"]",
		 "latency {group=::browse}: avg < 1 ['avg' '1' 'avg<1'] time\n"},
		{"\"http_req_duration{method:GET}\": [\"avg<1\"]",
		 "latency method=GET: avg < 1 ['avg' '1' 'avg<1'] time\n"},
		/* a value that trims to nothing stays a tag (k6 accepts `{status: }`) */
		{"\"http_req_duration{status: }\": [\"avg<1\"]",
		 "latency {status=}: avg < 1 ['avg' '1' 'avg<1'] time\n"},
		/* a custom metric named like a core metric is k6:NAME, as the front ends name it */
		{"\"errors\": [\"rate<0.1\"], \"latency{name:x}\": [\"p(95)<1\"]",
		 "k6:errors: rate < 0.1 ['rate' '0.1' 'rate<0.1'] unknown\n"
		 "k6:latency @'x': p(95) < 1 ['p(95)' '1' 'p(95)<1'] unknown\n"},
		/* document order across keys, not sorted */
		{"\"vus_max\": [\"value<9\"], \"data_sent\": [\"count>0\"], \"checks\": [\"rate>0\"]",
		 "vus_max: value < 9 ['value' '9' 'value<9'] count\n"
		 "bytes_out: count > 0 ['count' '0' 'count>0'] size\n"
		 "checks: rate > 0 ['rate' '0' 'rate>0'] share\n"},
		/* escapes in the file do not move the spans of the decoded text */
		{"\"checks{step:caf\\u00e9}\": [\"rate\\u003e0.9\"]",
		 "checks {step=caf\xc3\xa9}: rate > 0.9 ['rate' '0.9' 'rate>0.9'] share\n"},
	};
	size_t failed = 0;
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++)
		failed += !row_matches(i, rows[i].member, true, rows[i].dump, "");
	assert_int_equal(failed, 0);
}

/*
 * Thresholds k6 rejects, and the other problems of a thresholds object: MEMBER -> the exact
 * diagnostics. The file is `{"thresholds": {MEMBER}}`, so MEMBER starts at column 17.
 */
static void test_rejected_thresholds_report_where(void **state)
{
	(void)state;
	static const struct {
		const char *member;
		const char *diagnostics;
	} rows[] = {
		/* aggregations */
		{"\"http_req_duration\": [\"p95<300\"]",
		 "budget.json:1:40: error: unknown k6 aggregation 'p95'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p95<300\"]}}\n"
		 "                                         ^~~\n"
		 "perfgate: note: k6 writes p(95)\n"},
		{"\"http_req_duration\": [\"p99.9 < 300\"]",
		 "budget.json:1:40: error: unknown k6 aggregation 'p99.9'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p99.9 < 300\"]}}\n"
		 "                                         ^~~~~\n"
		 "perfgate: note: k6 writes p(99.9)\n"},
		{"\"http_req_duration\": [\"mean<100\"]",
		 "budget.json:1:40: error: unknown k6 aggregation 'mean'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"mean<100\"]}}\n"
		 "                                         ^~~~\n"
		 "perfgate: note: k6 writes avg\n"},
		{"\"http_req_duration\": [\"stddev<100\"]",
		 "budget.json:1:40: error: unknown k6 aggregation 'stddev'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"stddev<100\"]}}\n"
		 "                                         ^~~~~~\n"
		 "perfgate: note: 'stddev' is an aggregation of perfgate rules, not of k6 "
		 "thresholds, which have value, count, rate, avg, min, med, max and p(N)\n"},
		{"\"http_req_duration\": [\"Avg<100\"]",
		 "budget.json:1:40: error: unknown k6 aggregation 'Avg'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"Avg<100\"]}}\n"
		 "                                         ^~~\n"
		 "perfgate: note: did you mean 'avg'?\n"},
		{"\"http_req_duration\": [\"percentile<100\"]",
		 "budget.json:1:40: error: unknown k6 aggregation 'percentile'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"percentile<100\"]}}\n"
		 "                                         ^~~~~~~~~~\n"
		 "perfgate: note: k6 thresholds have value, count, rate, avg, min, med, max and "
		 "p(N)\n"},
		/* percentiles */
		{"\"http_req_duration\": [\"p(101)<300\"]",
		 "budget.json:1:42: error: percentile '101' is not between 0 and 100\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p(101)<300\"]}}\n"
		 "                                           ^~~\n"},
		{"\"http_req_duration\": [\"p( 95)<300\"]",
		 "budget.json:1:42: error: ' 95' in 'p( 95)' is not a number as k6 reads it (Go's "
		 "strconv.ParseFloat; no blanks inside the parentheses)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p( 95)<300\"]}}\n"
		 "                                           ^~~\n"},
		{"\"http_req_duration\": [\"p()<300\"]",
		 "budget.json:1:41: error: no percentile in 'p()': k6 writes p(N), N from 0 to 100\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p()<300\"]}}\n"
		 "                                          ^~\n"},
		{"\"http_req_duration\": [\"p(NaN)<300\"]",
		 "budget.json:1:42: error: percentile 'NaN' is not between 0 and 100\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p(NaN)<300\"]}}\n"
		 "                                           ^~~\n"},
		/* numbers */
		{"\"http_req_duration\": [\"p(95)<300ms\"]",
		 "budget.json:1:46: error: '300ms' has a unit; k6 thresholds take a plain number "
		 "(times in milliseconds, rates as fractions: 300, 0.01)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p(95)<300ms\"]}}\n"
		 "                                               ^~~~~\n"},
		{"\"http_req_duration\": [\"avg < 1,000\"]",
		 "budget.json:1:46: error: '1,000' is not a number as k6 reads it (Go's "
		 "strconv.ParseFloat)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"avg < 1,000\"]}}\n"
		 "                                               ^~~~~\n"},
		{"\"http_req_duration\": [\"avg<1__0\", \"avg<0x10\", \"avg<+nan\"]",
		 "budget.json:1:44: error: '1__0' is not a number as k6 reads it (Go's "
		 "strconv.ParseFloat)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"avg<1__0\", \"avg<0x10\", "
		 "\"avg<+nan\"]}}\n"
		 "                                             ^~~~\n"
		 "budget.json:1:56: error: '0x10' is not a number as k6 reads it (Go's "
		 "strconv.ParseFloat)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"avg<1__0\", \"avg<0x10\", "
		 "\"avg<+nan\"]}}\n"
		 "                                                         ^~~~\n"
		 "budget.json:1:68: error: '+nan' is not a number as k6 reads it (Go's "
		 "strconv.ParseFloat)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"avg<1__0\", \"avg<0x10\", "
		 "\"avg<+nan\"]}}\n"
		 "                                                                     ^~~~\n"},
		{"\"http_req_duration\": [\"avg<NaN\"]",
		 "budget.json:1:44: error: k6 takes 'NaN' here, but nothing compares true with NaN: "
		 "the threshold could never pass (with '!=', never fail)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"avg<NaN\"]}}\n"
		 "                                             ^~~\n"},
		{"\"http_req_duration\": [\"avg<1e400\"]",
		 "budget.json:1:44: error: '1e400' is beyond the range of a double\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"avg<1e400\"]}}\n"
		 "                                             ^~~~~\n"},
		/* the shape of the string */
		{"\"http_req_duration\": [\"p(95)\"]",
		 "budget.json:1:40: error: no comparison operator (<, <=, >, >=, ==, ===, !=) in k6 "
		 "threshold 'p(95)'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p(95)\"]}}\n"
		 "                                         ^~~~~\n"},
		{"\"http_req_duration\": [\"p(95) <\"]",
		 "budget.json:1:46: error: no number after '<' in k6 threshold 'p(95) <'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p(95) <\"]}}\n"
		 "                                               ^\n"},
		{"\"http_req_duration\": [\"p(95) < \"]",
		 "budget.json:1:46: error: no number after '<' in k6 threshold 'p(95) < '\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p(95) < \"]}}\n"
		 "                                               ^\n"},
		{"\"http_req_duration\": [\" < 300\"]",
		 "budget.json:1:41: error: no aggregation before '<' in k6 threshold ' < 300'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\" < 300\"]}}\n"
		 "                                          ^\n"},
		{"\"http_req_duration\": [\"\"]",
		 "budget.json:1:40: error: empty k6 threshold: write AGGREGATION OPERATOR NUMBER, "
		 "e.g. 'p(95)<500'\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"\"]}}\n"
		 "                                         ^\n"},
		/* `<` is scanned before `>`: "value=<3" splits at '<', "value => 3" at '>' */
		{"\"vus\": [\"value=<3\"]",
		 "budget.json:1:26: error: unknown k6 aggregation 'value='\n"
		 "  {\"thresholds\": {\"vus\": [\"value=<3\"]}}\n"
		 "                           ^~~~~~\n"
		 "perfgate: note: did you mean 'value'?\n"},
		{"\"vus\": [\"value => 3\"]",
		 "budget.json:1:26: error: unknown k6 aggregation 'value ='\n"
		 "  {\"thresholds\": {\"vus\": [\"value => 3\"]}}\n"
		 "                           ^~~~~~~\n"
		 "perfgate: note: did you mean 'value'?\n"},
		/* pre-v0.37 JavaScript thresholds */
		{"\"http_reqs\": [\"rate=200\"]",
		 "budget.json:1:32: error: 'rate=200' is a JavaScript expression, which k6 evaluated "
		 "before v0.37; k6 v0.37 and later reject it too\n"
		 "  {\"thresholds\": {\"http_reqs\": [\"rate=200\"]}}\n"
		 "                                 ^~~~~~~~\n"
		 "perfgate: note: a k6 threshold is one comparison, AGGREGATION OPERATOR NUMBER "
		 "('p(95)<400'); write one string per comparison\n"},
		{"\"http_req_duration\": [\"avg<200 && p(95)<400\"]",
		 "budget.json:1:40: error: 'avg<200 && p(95)<400' is a JavaScript expression, which "
		 "k6 evaluated before v0.37; k6 v0.37 and later reject it too\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"avg<200 && p(95)<400\"]}}\n"
		 "                                         ^~~~~~~~~~~~~~~~~~~~\n"
		 "perfgate: note: a k6 threshold is one comparison, AGGREGATION OPERATOR NUMBER "
		 "('p(95)<400'); write one string per comparison\n"},
		/* aggregations k6 refuses on a built-in metric's type, in k6's words */
		{"\"http_req_duration\": [\"count>100\"]",
		 "budget.json:1:40: error: unsupported aggregation method 'count' on metric "
		 "http_req_duration of type trend; supported aggregation methods for this metric are: "
		 "avg, min, max, med, p(N)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"count>100\"]}}\n"
		 "                                         ^~~~~\n"},
		{"\"http_reqs{name:x}\": [\"p(95)<1\"]",
		 "budget.json:1:40: error: unsupported aggregation method 'p(95)' on metric "
		 "http_reqs of type counter; supported aggregation methods for this metric are: count, "
		 "rate\n"
		 "  {\"thresholds\": {\"http_reqs{name:x}\": [\"p(95)<1\"]}}\n"
		 "                                         ^~~~~\n"},
		{"\"http_req_failed\": [\"count<1\"]",
		 "budget.json:1:38: error: unsupported aggregation method 'count' on metric "
		 "http_req_failed of type rate; supported aggregation methods for this metric are: "
		 "rate\n"
		 "  {\"thresholds\": {\"http_req_failed\": [\"count<1\"]}}\n"
		 "                                       ^~~~~\n"},
		{"\"vus\": [\"max<10\"]",
		 "budget.json:1:26: error: unsupported aggregation method 'max' on metric vus of "
		 "type gauge; supported aggregation methods for this metric are: value\n"
		 "  {\"thresholds\": {\"vus\": [\"max<10\"]}}\n"
		 "                           ^~~\n"},
		/* keys */
		{"\"http_req_duration{name:x\": [\"avg<1\"]",
		 "budget.json:1:35: error: unmatched '{' in k6 thresholds key "
		 "'http_req_duration{name:x'\n"
		 "  {\"thresholds\": {\"http_req_duration{name:x\": [\"avg<1\"]}}\n"
		 "                                    ^\n"},
		{"\"http_req_duration}\": [\"avg<1\"]",
		 "budget.json:1:35: error: unmatched '}' in k6 thresholds key 'http_req_duration}'\n"
		 "  {\"thresholds\": {\"http_req_duration}\": [\"avg<1\"]}}\n"
		 "                                    ^\n"},
		{"\"a}b{c:d\": [\"avg<1\"]",
		 "budget.json:1:19: error: '}' before '{' in k6 thresholds key 'a}b{c:d'\n"
		 "  {\"thresholds\": {\"a}b{c:d\": [\"avg<1\"]}}\n"
		 "                    ^\n"},
		{"\"http_req_duration{a:1}x\": [\"avg<1\"]",
		 "budget.json:1:40: error: k6 thresholds key 'http_req_duration{a:1}x' must end with "
		 "its '}'\n"
		 "  {\"thresholds\": {\"http_req_duration{a:1}x\": [\"avg<1\"]}}\n"
		 "                                         ^\n"},
		{"\"{name:x}\": [\"avg<1\"]",
		 "budget.json:1:18: error: no metric name before '{' in k6 thresholds key "
		 "'{name:x}'\n"
		 "  {\"thresholds\": {\"{name:x}\": [\"avg<1\"]}}\n"
		 "                   ^\n"},
		{"\"http_req_duration{status,name:}\": [\"avg<1\"]",
		 "budget.json:1:36: error: 'status' is not a TAG:VALUE pair (k6 thresholds key "
		 "'http_req_duration{status,name:}')\n"
		 "  {\"thresholds\": {\"http_req_duration{status,name:}\": [\"avg<1\"]}}\n"
		 "                                     ^~~~~~\n"
		 "budget.json:1:43: error: 'name:' is not a TAG:VALUE pair (k6 thresholds key "
		 "'http_req_duration{status,name:}')\n"
		 "  {\"thresholds\": {\"http_req_duration{status,name:}\": [\"avg<1\"]}}\n"
		 "                                            ^~~~~\n"},
		{"\"http_req_duration{}\": [\"avg<1\"]",
		 "budget.json:1:35: error: '' is not a TAG:VALUE pair (k6 thresholds key "
		 "'http_req_duration{}')\n"
		 "  {\"thresholds\": {\"http_req_duration{}\": [\"avg<1\"]}}\n"
		 "                                    ^~\n"},
		{"\"\": [\"avg<1\"]",
		 "budget.json:1:18: error: a k6 thresholds key must name a metric\n"
		 "  {\"thresholds\": {\"\": [\"avg<1\"]}}\n"
		 "                   ^\n"},
		/* JSON shapes */
		{"\"http_req_duration\": \"p(95)<1\"",
		 "budget.json:1:38: error: the k6 thresholds of 'http_req_duration' must be an array "
		 "(of strings or {\"threshold\": ...} objects), not a string\n"
		 "  {\"thresholds\": {\"http_req_duration\": \"p(95)<1\"}}\n"
		 "                                       ^~~~~~~~~\n"},
		{"\"http_req_duration\": [42, null]",
		 "budget.json:1:39: error: a k6 threshold must be a string or an object "
		 "{\"threshold\": ...}, not a number\n"
		 "  {\"thresholds\": {\"http_req_duration\": [42, null]}}\n"
		 "                                        ^~\n"
		 "budget.json:1:43: error: a k6 threshold must be a string or an object "
		 "{\"threshold\": ...}, not null\n"
		 "  {\"thresholds\": {\"http_req_duration\": [42, null]}}\n"
		 "                                            ^~~~\n"},
		{"\"http_req_duration\": [{\"abortOnFail\": true}]",
		 "budget.json:1:39: error: a k6 threshold object needs \"threshold\": "
		 "\"AGGREGATION OPERATOR NUMBER\"\n"
		 "  {\"thresholds\": {\"http_req_duration\": [{\"abortOnFail\": true}]}}\n"
		 "                                        ^\n"},
		{"\"http_req_duration\": [{\"threshold\": 5, \"abortOnFail\": \"yes\", "
		 "\"delayAbortEval\": true}]",
		 "budget.json:1:71: error: 'abortOnFail' must be a boolean, not a string\n"
		 "  {\"thresholds\": {\"http_req_duration\": [{\"threshold\": 5, \"abortOnFail\": "
		 "\"yes\", \"delayAbortEval\": true}]}}\n"
		 "                                                                        ^~~~~\n"
		 "budget.json:1:96: error: 'delayAbortEval' must be a duration (\"10s\", or a number "
		 "of milliseconds), not a boolean\n"
		 "  {\"thresholds\": {\"http_req_duration\": [{\"threshold\": 5, \"abortOnFail\": "
		 "\"yes\", \"delayAbortEval\": true}]}}\n"
		 "                                                                                "
		 "                 ^~~~\n"
		 "budget.json:1:53: error: 'threshold' must be a string, not a number\n"
		 "  {\"thresholds\": {\"http_req_duration\": [{\"threshold\": 5, \"abortOnFail\": "
		 "\"yes\", \"delayAbortEval\": true}]}}\n"
		 "                                                      ^\n"},
		/* every problem of a file is reported, and a bad key does not hide its thresholds' */
		{"\"http_req_duration{x\": [\"p95<1\"], \"http_reqs\": [\"avg<1\"]",
		 "budget.json:1:35: error: unmatched '{' in k6 thresholds key 'http_req_duration{x'\n"
		 "  {\"thresholds\": {\"http_req_duration{x\": [\"p95<1\"], \"http_reqs\": "
		 "[\"avg<1\"]}}\n"
		 "                                    ^\n"
		 "budget.json:1:42: error: unknown k6 aggregation 'p95'\n"
		 "  {\"thresholds\": {\"http_req_duration{x\": [\"p95<1\"], \"http_reqs\": "
		 "[\"avg<1\"]}}\n"
		 "                                           ^~~\n"
		 "perfgate: note: k6 writes p(95)\n"
		 "budget.json:1:66: error: unsupported aggregation method 'avg' on metric http_reqs "
		 "of type counter; supported aggregation methods for this metric are: count, rate\n"
		 "  {\"thresholds\": {\"http_req_duration{x\": [\"p95<1\"], \"http_reqs\": "
		 "[\"avg<1\"]}}\n"
		 "                                                                   ^~~\n"},
		/* an escape before the error moves the caret in the file, not in the text */
		{"\"http_req_duration\": [\"p(95)\\t<\\u0020300ms\"]",
		 "budget.json:1:54: error: '300ms' has a unit; k6 thresholds take a plain number "
		 "(times in milliseconds, rates as fractions: 300, 0.01)\n"
		 "  {\"thresholds\": {\"http_req_duration\": [\"p(95)\\t<\\u0020300ms\"]}}\n"
		 "                                                       ^~~~~\n"},
	};
	size_t failed = 0;
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++)
		failed += !row_matches(i, rows[i].member, false, "", rows[i].diagnostics);
	assert_int_equal(failed, 0);
}

/* k6 takes a bare `p` as p(0), the minimum: kept with that meaning, and a warning. */
static void test_bare_p_is_p0_with_a_warning(void **state)
{
	(void)state;
	assert_true(row_matches(0, "\"http_req_duration\": [\"p<300\"]", true,
				"latency: p(0) < 300 ['p' '300' 'p<300'] time\n",
				"budget.json:1:40: warning: k6 reads a bare 'p' as p(0), the minimum; a "
				"percentile is written p(N)\n"
				"  {\"thresholds\": {\"http_req_duration\": [\"p<300\"]}}\n"
				"                                         ^\n"));
}

/* Not an object at all. */
static void test_thresholds_must_be_an_object(void **state)
{
	(void)state;
	struct outcome o = load_document("{\"thresholds\": [\"p(95)<1\"]}");
	assert_false(o.ok);
	assert_string_equal(o.diagnostics,
			    "budget.json:1:16: error: 'thresholds' must be an object of k6 "
			    "thresholds, not an array\n"
			    "  {\"thresholds\": [\"p(95)<1\"]}\n"
			    "                 ^\n");
	assert_int_equal(o.budget->rule_count, 0);
	outcome_free(&o);
}

/* The fields a rule gets besides its selector and expression, in a k6 options file. */
static void test_rule_names_pointers_and_k6_fields(void **state)
{
	(void)state;
	struct outcome o = load_document(
		"{\n  \"stages\": [{\"duration\": \"3s\", \"target\": 10}],\n"
		"  \"thresholds\": {\n"
		"    \"http_req_duration{name:a/b}\": [\"p(95)<250\",\n"
		"      {\"threshold\": \"avg<100\", \"abortOnFail\": true}]\n  }\n}\n");
	assert_true(o.ok);
	assert_string_equal(o.diagnostics, "");
	const struct budget *b = o.budget;
	assert_int_equal(b->rule_count, 2);
	const struct rule *r = &b->rules[1];
	assert_int_equal(r->index, 1);
	assert_string_equal(r->name, "http_req_duration{name:a/b}: avg<100");
	assert_string_equal(r->pointer, "/thresholds/http_req_duration{name:a~1b}/1");
	assert_string_equal(r->assertions[0].pointer,
			    "/thresholds/http_req_duration{name:a~1b}/1/threshold");
	assert_string_equal(r->selector.metric_pointer, "/thresholds/http_req_duration{name:a~1b}");
	assert_true(r->k6);
	assert_string_equal(r->k6_metric, "http_req_duration");
	assert_string_equal(r->k6_key, "http_req_duration{name:a/b}");
	assert_int_equal(r->level, LEVEL_ERROR);
	assert_int_equal(r->no_data, b->no_data);
	assert_null(r->selector.run);
	assert_int_equal(r->assertion_count, 1);
	/* the assertion's text is located in the file: line 5, after `{"threshold": "` */
	struct diag_loc loc;
	budget_text_locate(&r->assertions[0].text, 0, 3, &loc);
	assert_int_equal(loc.line, 5);
	assert_int_equal(loc.column, 22);
	assert_int_equal(loc.span, 3);
	assert_string_equal(b->rules[0].name, "http_req_duration{name:a/b}: p(95)<250");
	assert_string_equal(b->rules[0].pointer, "/thresholds/http_req_duration{name:a~1b}/0");
	budget_text_locate(&b->rules[0].assertions[0].text, 0, 5, &loc);
	assert_int_equal(loc.line, 4);
	assert_int_equal(loc.column, 38);
	outcome_free(&o);
}

/* The metric names and built-in types the evaluator asks for. */
static void test_model_metric_and_builtin_type(void **state)
{
	(void)state;
	static const struct {
		const char *k6;
		const char *metric;
		enum k6_metric_type type;
	} rows[] = {
		{"http_req_duration", "latency", K6_TYPE_TREND},
		{"http_reqs", "requests", K6_TYPE_COUNTER},
		{"http_req_failed", "errors", K6_TYPE_RATE},
		{"data_received", "bytes_in", K6_TYPE_COUNTER},
		{"data_sent", "bytes_out", K6_TYPE_COUNTER},
		{"checks", "checks", K6_TYPE_RATE},
		{"vus", "vus", K6_TYPE_GAUGE},
		{"vus_max", "vus_max", K6_TYPE_GAUGE},
		{"iterations", "iterations", K6_TYPE_COUNTER},
		{"http_req_waiting", "http_req_waiting", K6_TYPE_TREND},
		{"grpc_req_duration", "grpc_req_duration", K6_TYPE_TREND},
		{"checkout_latency", "checkout_latency", K6_TYPE_UNKNOWN},
		{"errors", "k6:errors", K6_TYPE_UNKNOWN},
		{"rps", "k6:rps", K6_TYPE_UNKNOWN},
		{"error_rate", "k6:error_rate", K6_TYPE_UNKNOWN},
		{"concurrency", "k6:concurrency", K6_TYPE_UNKNOWN},
	};
	struct arena arena;
	arena_init(&arena);
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		const char *metric = k6_thresholds_model_metric(rows[i].k6, &arena);
		if (strcmp(metric, rows[i].metric) != 0 ||
		    k6_thresholds_builtin_type(rows[i].k6) != rows[i].type)
			fail_msg("row %zu: %s -> %s, type %d", i, rows[i].k6, metric,
				 (int)k6_thresholds_builtin_type(rows[i].k6));
	}
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted_thresholds_build_rules),
		cmocka_unit_test(test_rejected_thresholds_report_where),
		cmocka_unit_test(test_bare_p_is_p0_with_a_warning),
		cmocka_unit_test(test_rule_names_pointers_and_k6_fields),
		cmocka_unit_test(test_thresholds_must_be_an_object),
		cmocka_unit_test(test_model_metric_and_builtin_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
