/*
 * test_emit.c - the machine back ends of `check`: JUnit XML (junit.c) and the verdict JSON
 * (verdict_json.c), on one hand-built model, budget and verdict that hold every kind of result:
 * pass, fail, a warn-level failure, a waived failure and one whose waiver expired, no data as a
 * failure, a warning and a skip, a `for` window, a baseline, a selector that matched no run,
 * and an endpoint name full of what breaks XML (markup, "]]>", a control character, invalid
 * UTF-8, U+FFFE).
 *
 * The expected documents are golden files in tests/unit/emit/ (both formats are our own;
 * BLESS=1 rewrites them, and the rewrite is reviewed like code). Beyond the bytes, the
 * tests parse the output (libxml2, Jansson), check that every declared count matches what is
 * inside, and that writing twice gives the same bytes. With PERFGATE_EMIT_SAMPLES set (ctest
 * does), the documents are also written there, for tests/junit/validate_junit.sh (xmllint
 * against the JUnit schemas) and tests/e2e/validate_schemas.py (the verdict schema).
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
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "emit/emit.h"
#include "util/io.h"
#include "util/timefmt.h"
#include "test_support.h"
#include "util/util_test.h"
#include "budget/budget_test.h"
#include "emit/emit_test.h"

/* Markup, the CDATA end, a control character, invalid UTF-8, U+FFFE, a cut sequence. */
#define HOSTILE "GET /caf\xC3\xA9?q=a<b&c=\"d\"]]>\x01\xFF\xFE\t\xEF\xBF\xBE|\xE2\x82"
/*
 * ... as it must read once parsed back from the XML: the model keeps the bytes that are not
 * UTF-8 as \xNN text (model.c), the writer shows the control character as \x01 and replaces
 * the noncharacter
 */
#define HOSTILE_CLEAN "GET /caf\xC3\xA9?q=a<b&c=\"d\"]]>\\x01\\xFF\\xFE\t" \
		      "\xEF\xBF\xBD|\\xE2\\x82"

/* One rule with one assertion "LHS OP RHS[ for W]" (single spaces); RHS a number, or
 * "baseline * N". */
static const struct rule_row {
	const char *name;
	const char *assertion;
	enum agg agg;
	double arg;            /* of the aggregation (p: percent) */
	enum cmp_op op;
	double number;         /* RHS: the limit, or the baseline factor */
	enum dim dim;
	enum level level;
	const char *run;       /* run glob; NULL = every run */
	const char *endpoint;  /* exact endpoint; NULL = the whole run */
	const char *metric;
	const char *message;
	const char *waiver_until;
	const char *waiver_reason;
	bool k6;
} rule_rows[] = {
	{"checkout p95", "p(95) < 300ms", AGG_P, 95, CMP_LT, 300, DIM_TIME, LEVEL_ERROR, NULL,
	 "GET /checkout", "latency", "Checkout must stay under 300 ms at p95", "2024-06-30",
	 "launch week", false},
	{"error budget", "error_rate < 1%", AGG_ERROR_RATE, 0, CMP_LT, 0.01, DIM_RATIO, LEVEL_WARN,
	 NULL, NULL, "latency", NULL, NULL, NULL, false},
	{"search p99", "p99 < 500ms", AGG_P, 99, CMP_LT, 500, DIM_TIME, LEVEL_ERROR, NULL,
	 "GET /search", "latency", NULL, "2099-12-31", "JIRA-42: index rebuild", false},
	{"http_req_duration", "p(99) < 1500", AGG_P, 99, CMP_LT, 1500, DIM_TIME, LEVEL_ERROR, NULL,
	 NULL, "latency", NULL, NULL, NULL, true},
	{"no regression", "p(95) < baseline * 1.3", AGG_P, 95, CMP_LT, 1.3, DIM_TIME, LEVEL_ERROR,
	 NULL, NULL, "latency", NULL, NULL, NULL, false},
	{"throughput", "rps >= 1000rps for 10s", AGG_RPS, 0, CMP_GE, 1000, DIM_PER_S, LEVEL_ERROR,
	 NULL, NULL, "rps", NULL, NULL, NULL, false},
	{"nightly", "p(99) < 1s", AGG_P, 99, CMP_LT, 1000, DIM_TIME, LEVEL_ERROR, "nightly-*",
	 "GET /gone", "latency", NULL, NULL, NULL, false},
	{"queue depth", "max < 50", AGG_MAX, 0, CMP_LT, 50, DIM_SCALAR, LEVEL_ERROR, NULL, NULL,
	 "queue_depth", NULL, NULL, NULL, false},
	{"iterations", "count > 0", AGG_COUNT, 0, CMP_GT, 0, DIM_SCALAR, LEVEL_ERROR, NULL, NULL,
	 "iterations", NULL, NULL, NULL, false},
};

/* One result of the verdict; run and endpoint name strings of the model. */
static const struct result_row {
	size_t rule;
	const char *run;          /* label; NULL = no run matched */
	const char *endpoint;     /* NULL = the whole run */
	enum status status;
	enum effect effect;
	bool waived;
	struct value observed;
	struct value limit;
	double baseline;          /* NAN = no baseline */
	int64_t samples;
	enum precision precision;
	const char *input;
	double window_ms;
	double breach_ms;
	const char *breach_start; /* RFC 3339 */
	const char *note;
} result_rows[] = {
	{0, "smoke", "GET /checkout", STATUS_FAIL, EFFECT_FAILURE, false,
	 {412.3456, VALUE_EXACT}, {300, VALUE_EXACT}, NAN, 4210, PREC_EXACT, "results/k6.ndjson",
	 0, 0, NULL, NULL},
	{1, "smoke", NULL, STATUS_FAIL, EFFECT_WARNING, false, {0.0123, VALUE_EXACT},
	 {0.01, VALUE_EXACT}, NAN, 5000, PREC_EXACT, "results/k6.ndjson", 0, 0, NULL, NULL},
	{2, "smoke", "GET /search", STATUS_FAIL, EFFECT_WARNING, true, {612.5, VALUE_ESTIMATE},
	 {500, VALUE_EXACT}, NAN, -1, PREC_QUANTILES, "results/summary.json", 0, 0, NULL, NULL},
	{3, "smoke", HOSTILE, STATUS_PASS, EFFECT_OK, false, {120.25, VALUE_REPORTED},
	 {1500, VALUE_EXACT}, NAN, 800, PREC_QUANTILES, "results/summary.json", 0, 0, NULL, NULL},
	{4, "wrk-c20", NULL, STATUS_PASS, EFFECT_OK, false, {105, VALUE_REPORTED},
	 {110.5, VALUE_EXACT}, 85, 24000, PREC_QUANTILES, "wrk-c20.txt", 0, 0, NULL, NULL},
	{5, "wrk-c20", NULL, STATUS_FAIL, EFFECT_FAILURE, false, {850, VALUE_EXACT},
	 {1000, VALUE_EXACT}, NAN, 30, PREC_EXACT, "wrk-c20.txt", 10000, 12000,
	 "2025-03-01T10:00:05Z", NULL},
	{6, NULL, NULL, STATUS_NO_DATA, EFFECT_FAILURE, false, {0, VALUE_MISSING},
	 {1000, VALUE_EXACT}, NAN, -1, PREC_EXACT, NULL, 0, 0, NULL, "no run matches 'nightly-*'"},
	{7, "smoke", NULL, STATUS_NO_DATA, EFFECT_WARNING, false, {0, VALUE_MISSING},
	 {50, VALUE_EXACT}, NAN, -1, PREC_EXACT, NULL, 0, 0, NULL,
	 "run 'smoke' has no series 'queue_depth'"},
	{8, "wrk-c20", NULL, STATUS_NO_DATA, EFFECT_OK, false, {0, VALUE_MISSING},
	 {0, VALUE_EXACT}, NAN, -1, PREC_EXACT, NULL, 0, 0, NULL,
	 "run 'wrk-c20' has no series 'iterations'"},
};

struct fixture {
	struct model *m;
	struct budget *b;
	struct verdict v;
	struct verdict empty;
};

static struct expr *node(struct arena *a, enum expr_kind kind, size_t offset, size_t len)
{
	struct expr *e = arena_alloc(a, sizeof *e);
	e->kind = kind;
	e->offset = offset;
	e->len = len;
	return e;
}

/* The comparison tree of row's assertion, with the spans result_describe quotes. */
static struct expr *comparison(struct arena *a, const struct rule_row *row)
{
	const char *text = row->assertion;
	size_t lhs_len = (size_t)(strchr(text, ' ') - text);
	size_t rhs_offset = (size_t)(strchr(text + lhs_len + 1, ' ') + 1 - text);
	const char *window = strstr(text, " for ");
	size_t rhs_len = (window ? (size_t)(window - text) : strlen(text)) - rhs_offset;

	struct expr *cmp = node(a, EXPR_CMP, 0, strlen(text));
	cmp->op = row->op;
	cmp->dim = DIM_BARE;
	cmp->lhs = node(a, EXPR_AGG, 0, lhs_len);
	cmp->lhs->agg = row->agg;
	cmp->lhs->number = row->arg;
	cmp->lhs->dim = row->dim;
	if (str_starts_with(text + rhs_offset, "baseline")) {
		cmp->rhs = node(a, EXPR_MUL, rhs_offset, rhs_len);
		cmp->rhs->lhs = node(a, EXPR_BASELINE, rhs_offset, strlen("baseline"));
		cmp->rhs->rhs = node(a, EXPR_NUMBER, rhs_offset + rhs_len - 3, 3);
		cmp->rhs->rhs->number = row->number;
		cmp->rhs->rhs->dim = DIM_BARE;
	} else {
		cmp->rhs = node(a, EXPR_NUMBER, rhs_offset, rhs_len);
		cmp->rhs->number = row->number;
	}
	cmp->rhs->dim = row->dim;
	if (window) {
		cmp->window_offset = (size_t)(window - text) + 1;
		cmp->window_len = strlen(window) - 1;
		cmp->window_ms = 10000; /* the one window of the table, "for 10s" */
	}
	return cmp;
}

static struct budget *make_budget(void)
{
	struct budget *b = budget_new("budgets/perf.json");
	for (size_t i = 0; i < PG_ARRAY_LEN(rule_rows); i++) {
		const struct rule_row *row = &rule_rows[i];
		struct rule *r = budget_add_rule(b);
		r->name = row->name;
		r->pointer = row->k6 ? arena_printf(&b->arena, "/thresholds/%s", row->name)
				     : arena_printf(&b->arena, "/rules/%zu", i);
		r->level = row->level;
		r->message = row->message;
		r->k6 = row->k6;
		r->selector.run = row->run;
		r->selector.endpoint_kind = row->endpoint ? ENDPOINT_EXACT : ENDPOINT_RUN;
		r->selector.endpoint = row->endpoint;
		r->selector.metric = row->metric;
		if (row->waiver_until) {
			r->has_waiver = true;
			r->waiver_until = row->waiver_until;
			r->waiver_reason = row->waiver_reason;
		}
		r->assertions = arena_alloc(&b->arena, sizeof *r->assertions);
		r->assertion_count = 1;
		struct assertion *a = &r->assertions[0];
		a->text = (struct budget_text){row->assertion, strlen(row->assertion), NULL, 0,
					    JSON_TEXT_JSON};
		a->pointer = arena_printf(&b->arena, row->k6 ? "%s/0" : "%s/assert/0", r->pointer);
		a->expr = comparison(&b->arena, row);
	}
	return b;
}

static struct model *make_model(void)
{
	struct model *m = model_new();
	struct run *smoke = model_get_run(m, "smoke", "k6");
	model_run_add_source(m, smoke, "results/k6.ndjson");
	model_run_add_source(m, smoke, "results/summary.json");
	smoke->concurrency = 50;
	smoke->concurrency_unit = "VUs";
	smoke->duration_s = 60.5;
	assert_true(time_parse_rfc3339("2025-03-01T10:00:00Z", &smoke->start_us));
	assert_true(time_parse_rfc3339("2025-03-01T10:01:00.5Z", &smoke->end_us));
	smoke->has_start = smoke->has_end = true;
	struct run *wrk = model_get_run(m, "wrk-c20", "wrk");
	model_run_add_source(m, wrk, "wrk-c20.txt");
	wrk->concurrency = 20;
	wrk->concurrency_unit = "connections";
	wrk->duration_s = 30;
	struct run *unused = model_get_run(m, "unused", "autocannon"); /* no results: no suite */
	unused->concurrency = NAN;
	unused->duration_s = NAN;
	static const char *const endpoints[] = {NULL, "GET /checkout", "GET /search", HOSTILE};
	for (size_t i = 0; i < PG_ARRAY_LEN(endpoints); i++)
		model_get_series(m, smoke, "latency", endpoints[i], NULL, 0, SERIES_TREND,
				 PREC_EXACT, UNIT_MS, NULL);
	model_get_series(m, wrk, "latency", NULL, NULL, 0, SERIES_TREND, PREC_QUANTILES, UNIT_MS,
			 NULL);
	return m;
}

static void make_verdict(struct verdict *v, const struct model *m, const struct budget *b)
{
	*v = (struct verdict){0};
	for (size_t i = 0; i < PG_ARRAY_LEN(result_rows); i++) {
		const struct result_row *row = &result_rows[i];
		const struct rule *rule = &b->rules[row->rule];
		v->results = xgrow(v->results, &v->cap, v->count + 1, sizeof *v->results);
		struct result *r = &v->results[v->count++];
		*r = (struct result){0};
		r->rule = rule;
		r->run = row->run ? model_find_run(m, row->run) : NULL;
		assert_true(!row->run || r->run);
		if (row->endpoint) {
			const struct series *s = model_find_series(r->run, "latency", row->endpoint,
								   NULL, 0);
			assert_non_null(s);
			r->endpoint = s->endpoint; /* borrowed from the model, as eval.c does */
		}
		r->status = row->status;
		r->effect = row->effect;
		r->waived = row->waived;
		r->decider = row->status == STATUS_NO_DATA ? NULL : rule->assertions[0].expr;
		r->observed = row->observed;
		r->limit = row->limit;
		r->dim = rule_rows[row->rule].dim;
		r->has_baseline = !isnan(row->baseline);
		r->baseline = row->baseline;
		r->samples = row->samples;
		r->precision = row->precision;
		r->metric = r->run ? rule->selector.metric : NULL;
		r->input = row->input;
		r->window_ms = row->window_ms;
		r->breach_ms = row->breach_ms;
		if (row->breach_start)
			assert_true(time_parse_rfc3339(row->breach_start, &r->breach_start_us));
		r->note = row->note ? xstrdup(row->note) : NULL;
		v->passed += r->effect == EFFECT_OK;
		v->warnings += r->effect == EFFECT_WARNING;
		v->failures += r->effect == EFFECT_FAILURE;
		v->no_data += r->status == STATUS_NO_DATA;
	}
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->m = make_model();
	f->b = make_budget();
	make_verdict(&f->v, f->m, f->b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	verdict_fini(&f->v);
	verdict_fini(&f->empty);
	budget_free(f->b);
	model_free(f->m);
	free(f);
	return 0;
}

static char *render_junit(const struct verdict *v, const struct model *m)
{
	struct buf out;
	buf_init(&out);
	assert_true(junit_render(v, m, &out));
	return buf_take(&out);
}

static char *render_verdict(const struct verdict *v, const struct model *m, const struct budget *b)
{
	struct buf out;
	buf_init(&out);
	verdict_json_write(v, m, b, v->failures > 0, &out);
	return buf_take(&out);
}

/* The whole of a file as a string owned by the caller, or NULL. */
static char *read_file(const char *path)
{
	struct buf b;
	buf_init(&b);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	buf_append(&b, "", 0);
	return b.data ? buf_take(&b) : xstrdup("");
}

/*
 * Compares actual with the golden file tests/unit/emit/name; BLESS=1 rewrites the file instead
 * (review the diff like code, as for the e2e cases).
 */
static void check_golden(const char *name, const char *actual)
{
	char *path = xasprintf("%s/%s", TEST_EMIT_GOLDEN_DIR, name);
	char error[256];
	if (getenv("BLESS") && *getenv("BLESS")) {
		assert_true(io_write_atomic(path, actual, strlen(actual), error));
		free(path);
		return;
	}
	char *expected = read_file(path);
	if (!expected)
		fail_msg("cannot read %s (BLESS=1 writes it)", path);
	if (strcmp(expected, actual) != 0) {
		size_t i = 0;
		while (expected[i] && expected[i] == actual[i])
			i++;
		size_t line = 1;
		for (size_t j = 0; j < i; j++)
			line += expected[j] == '\n';
		fail_msg("%s differs from the output at line %zu (BLESS=1 rewrites it)", path,
			 line);
	}
	free(expected);
	free(path);
}

/* Writes doc into $PERFGATE_EMIT_SAMPLES/name for the schema checks, when that is set. */
static void write_sample(const char *name, const char *doc)
{
	const char *dir = getenv("PERFGATE_EMIT_SAMPLES");
	if (!dir || !*dir)
		return;
	char *path = xasprintf("%s/%s", dir, name);
	char error[256];
	if (!io_write_atomic(path, doc, strlen(doc), error))
		fail_msg("%s: %s", path, error);
	free(path);
}

static void test_junit_matches_golden(void **state)
{
	struct fixture *f = *state;
	char *xml = render_junit(&f->v, f->m);
	check_golden("mixed.xml", xml);
	write_sample("junit-mixed.xml", xml);
	free(xml);
	xml = render_junit(&f->empty, f->m);
	check_golden("empty.xml", xml);
	write_sample("junit-empty.xml", xml);
	free(xml);
}

static void test_verdict_json_matches_golden(void **state)
{
	struct fixture *f = *state;
	char *json = render_verdict(&f->v, f->m, f->b);
	check_golden("mixed.json", json);
	write_sample("verdict-mixed.json", json);
	free(json);
	json = render_verdict(&f->empty, f->m, NULL);
	check_golden("empty.json", json);
	write_sample("verdict-empty.json", json);
	free(json);
}

/* The value of attribute name of node as a number (-1 when absent). */
static long xml_count(xmlNode *node, const char *name)
{
	xmlChar *value = xmlGetProp(node, BAD_CAST name);
	long n = value ? strtol((const char *)value, NULL, 10) : -1;
	xmlFree(value);
	return n;
}

static bool is_element(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

static bool has_child(xmlNode *node, const char *name)
{
	for (xmlNode *c = node->children; c; c = c->next)
		if (is_element(c, name))
			return true;
	return false;
}

static void test_junit_parses_and_counts_agree(void **state)
{
	struct fixture *f = *state;
	char *xml = render_junit(&f->v, f->m);
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	assert_non_null(doc);
	xmlNode *root = xmlDocGetRootElement(doc);
	assert_true(is_element(root, "testsuites"));
	long tests = 0, failures = 0, suites = 0;
	for (xmlNode *suite = root->children; suite; suite = suite->next) {
		if (!is_element(suite, "testsuite"))
			continue;
		long cases = 0, failed = 0, skipped = 0;
		for (xmlNode *c = suite->children; c; c = c->next) {
			if (!is_element(c, "testcase"))
				continue;
			cases++;
			failed += has_child(c, "failure");
			skipped += has_child(c, "skipped");
		}
		assert_int_equal(xml_count(suite, "tests"), cases);
		assert_int_equal(xml_count(suite, "failures"), failed);
		assert_int_equal(xml_count(suite, "skipped"), skipped);
		assert_int_equal(xml_count(suite, "errors"), 0);
		tests += cases;
		failures += failed;
		suites++;
	}
	/* smoke, wrk-c20 and the results of no run; "unused" has no results */
	assert_int_equal(suites, 3);
	assert_int_equal(xml_count(root, "tests"), tests);
	assert_int_equal(xml_count(root, "failures"), failures);
	assert_int_equal(tests, (long)f->v.count);
	assert_int_equal(failures, (long)f->v.failures);
	xmlFreeDoc(doc);
	free(xml);
}

/* The testcase of the hostile endpoint, read back by libxml2, names it cleaned. */
static void test_junit_cleans_hostile_names(void **state)
{
	struct fixture *f = *state;
	char *xml = render_junit(&f->v, f->m);
	assert_non_null(strstr(xml, "a&lt;b&amp;c=&quot;d&quot;]]&gt;\\x01"));
	assert_null(strstr(xml, "]]>"));
	assert_null(strchr(xml, '\x01'));
	assert_int_equal(str_utf8_valid(xml, strlen(xml)), strlen(xml));
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	assert_non_null(doc);
	xmlNode *smoke = xmlDocGetRootElement(doc)->children;
	while (!is_element(smoke, "testsuite"))
		smoke = smoke->next;
	bool found = false;
	for (xmlNode *c = smoke->children; c; c = c->next) {
		if (!is_element(c, "testcase"))
			continue;
		xmlChar *name = xmlGetProp(c, BAD_CAST "name");
		if (str_starts_with((const char *)name, "http_req_duration: ")) {
			assert_string_equal(name,
					    "http_req_duration: p(99) < 1500 [" HOSTILE_CLEAN "]");
			found = true;
		}
		xmlFree(name);
	}
	assert_true(found);
	xmlFreeDoc(doc);
	free(xml);
}

static void test_verdict_json_parses_and_counts_agree(void **state)
{
	struct fixture *f = *state;
	char *text = render_verdict(&f->v, f->m, f->b);
	json_error_t error;
	json_t *doc = json_loads(text, 0, &error);
	if (!doc)
		fail_msg("line %d: %s", error.line, error.text);
	json_t *results = json_object_get(doc, "results");
	json_t *counts = json_object_get(doc, "counts");
	size_t effects[3] = {0}, no_data = 0, i;
	json_t *r;
	json_array_foreach(results, i, r) {
		const char *effect = json_string_value(json_object_get(r, "effect"));
		effects[strcmp(effect, "ok") == 0 ? 0 : strcmp(effect, "warning") == 0 ? 1 : 2]++;
		no_data += strcmp(json_string_value(json_object_get(r, "status")), "no-data") == 0;
	}
	assert_int_equal(json_integer_value(json_object_get(counts, "results")),
			 json_array_size(results));
	assert_int_equal(json_integer_value(json_object_get(counts, "passed")), effects[0]);
	assert_int_equal(json_integer_value(json_object_get(counts, "warnings")), effects[1]);
	assert_int_equal(json_integer_value(json_object_get(counts, "failures")), effects[2]);
	assert_int_equal(json_integer_value(json_object_get(counts, "no_data")), no_data);
	assert_string_equal(json_string_value(json_object_get(doc, "verdict")), "fail");
	assert_int_equal(json_integer_value(json_object_get(doc, "exit_code")), 1);
	/* numbers are unrounded: the message rounds 412.3456 to 412.3 */
	json_t *first = json_array_get(results, 0);
	assert_true(json_real_value(json_object_get(json_object_get(first, "observed"), "value")) ==
		    412.3456);
	json_decref(doc);
	free(text);
}

static void test_writing_twice_gives_the_same_bytes(void **state)
{
	struct fixture *f = *state;
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/test_emit.%ld.xml", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	struct diag d;
	char *messages = NULL;
	size_t len = 0;
	FILE *sink = memory_diag(&d, &messages, &len);
	assert_true(junit_write(&f->v, f->m, path, &d));
	char *first = read_file(path);
	assert_true(junit_write(&f->v, f->m, path, &d));
	char *second = read_file(path);
	fclose(sink);
	assert_int_equal(d.errors, 0);
	assert_non_null(first);
	assert_string_equal(first, second);
	char *rendered = render_junit(&f->v, f->m);
	assert_string_equal(first, rendered);
	char *json1 = render_verdict(&f->v, f->m, f->b);
	char *json2 = render_verdict(&f->v, f->m, f->b);
	assert_string_equal(json1, json2);
	unlink(path);
	free(json1);
	free(json2);
	free(rendered);
	free(first);
	free(second);
	free(messages);
	free(path);
}

static void test_junit_write_reports_an_unwritable_path(void **state)
{
	struct fixture *f = *state;
	struct diag d;
	char *messages = NULL;
	size_t len = 0;
	FILE *sink = memory_diag(&d, &messages, &len);
	/* a missing folder is made (test_io); a "folder" that is a device cannot be */
	assert_false(junit_write(&f->v, f->m, "/dev/null/junit.xml", &d));
	fclose(sink);
	assert_int_equal(d.errors, 1);
	assert_string_equal(messages, "/dev/null/junit.xml: error: cannot write the JUnit "
				      "report: Not a directory\n");
	free(messages);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_junit_matches_golden),
		cmocka_unit_test(test_verdict_json_matches_golden),
		cmocka_unit_test(test_junit_parses_and_counts_agree),
		cmocka_unit_test(test_junit_cleans_hostile_names),
		cmocka_unit_test(test_verdict_json_parses_and_counts_agree),
		cmocka_unit_test(test_writing_twice_gives_the_same_bytes),
		cmocka_unit_test(test_junit_write_reports_an_unwritable_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
