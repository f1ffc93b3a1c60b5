/*
 * test_prom_text.c - the Prometheus text 0.0.4 / OpenMetrics 1.0 parser (prom_text.c) on small
 * real-shaped inputs, through a sink that records every sample: family resolution per type,
 * decoded labels, values as Go's ParseFloat reads them, timestamps in both units, the mode
 * decision (`# EOF`, OpenMetrics cut short), and each syntax error with its file:line:col.
 * Then the public samples in ../shared/samples/prometheus, read in place (skipped without
 * them), against counts taken independently with grep and awk.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "ingest/prom.h"
#include "util/io.h"
#include "util/util.h"
#include "test_support.h"

/* One sample as the sink saw it, copied. labels: "name=value" joined by ','. */
struct rec {
	char *name;
	char *family;
	char *unit; /* NULL when none */
	enum prom_type type;
	char *labels;
	double value;
	int64_t time_us;
	bool has_time;
	size_t offset, span;
};

struct recording {
	struct rec *recs;
	size_t count, cap;
	size_t stop_at; /* the sink refuses sample number stop_at (1-based); 0: never */
};

static bool record(void *ctx, const struct prom_sample *s)
{
	struct recording *r = ctx;
	if (r->stop_at && r->count + 1 == r->stop_at)
		return false;
	r->recs = xgrow(r->recs, &r->cap, r->count + 1, sizeof *r->recs);
	struct rec *c = &r->recs[r->count++];
	c->name = xstrndup(s->name, s->name_len);
	c->family = xstrndup(s->family, s->family_len);
	c->unit = s->unit ? xstrndup(s->unit, s->unit_len) : NULL;
	c->type = s->type;
	struct buf labels;
	buf_init(&labels);
	buf_puts(&labels, "");
	for (size_t i = 0; i < s->label_count; i++) {
		if (i)
			buf_putc(&labels, ',');
		buf_append(&labels, s->labels[i].name, s->labels[i].name_len);
		buf_putc(&labels, '=');
		buf_append(&labels, s->labels[i].value, s->labels[i].value_len);
	}
	c->labels = buf_take(&labels);
	c->value = s->value;
	c->time_us = s->time_us;
	c->has_time = s->has_time;
	assert_ptr_not_equal(s->where.src, NULL);
	c->offset = s->where.offset;
	c->span = s->where.span;
	return true;
}

/* One read: what the parser returned, reported and handed over. */
struct result {
	bool ok;
	char *messages;
	unsigned long errors, warnings, notes;
	struct recording r;
};

static struct result read_bytes(const char *text, size_t len, size_t stop_at)
{
	struct result res;
	memset(&res, 0, sizeof res);
	res.r.stop_at = stop_at;
	struct diag d;
	size_t mlen;
	FILE *f = memory_diag(&d, &res.messages, &mlen);
	struct source src;
	source_init(&src, "in.txt", text, len);
	struct prom_sink sink = {.ctx = &res.r, .sample = record};
	res.ok = prom_text_read(&src, &d, &sink);
	source_fini(&src);
	fclose(f);
	res.errors = d.errors;
	res.warnings = d.warnings;
	res.notes = d.notes;
	if (getenv("TEST_PROM_SHOW"))
		fprintf(stderr, "%s", res.messages);
	/* the contract every caller relies on (and the fuzz harness asserts) */
	assert_int_equal(res.ok, res.errors == 0 && (!stop_at || res.r.count < stop_at - 1));
	return res;
}

static struct result read_text(const char *text)
{
	return read_bytes(text, strlen(text), 0);
}

static void result_fini(struct result *res)
{
	for (size_t i = 0; i < res->r.count; i++) {
		free(res->r.recs[i].name);
		free(res->r.recs[i].family);
		free(res->r.recs[i].unit);
		free(res->r.recs[i].labels);
	}
	free(res->r.recs);
	free(res->messages);
}

/* A read that must succeed without any diagnostic. */
static struct result read_clean(const char *text)
{
	struct result res = read_text(text);
	if (res.errors || res.warnings)
		fprintf(stderr, "unexpected diagnostics:\n%s", res.messages);
	assert_true(res.ok);
	assert_int_equal(res.errors + res.warnings + res.notes, 0);
	return res;
}

static void check_rec(const struct rec *c, const char *name, const char *family,
		      enum prom_type type, const char *labels)
{
	assert_string_equal(c->name, name);
	assert_string_equal(c->family, family);
	assert_string_equal(prom_type_name(c->type), prom_type_name(type));
	assert_string_equal(c->labels, labels);
}

static void assert_message(const struct result *res, const char *text)
{
	if (!strstr(res->messages, text))
		fail_msg("expected '%s' in:\n%s", text, res->messages);
}

/* ---- text format 0.0.4 ---- */

static void test_text_help_and_type_name_each_family(void **state)
{
	(void)state;
	struct result res = read_clean(
		"# HELP http_requests_total The total number of HTTP requests.\n"
		"# TYPE http_requests_total counter\n"
		"http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
		"http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n"
		"# HELP go_goroutines Number of goroutines that currently exist.\n"
		"# TYPE go_goroutines gauge\n"
		"go_goroutines 33\n"
		"# A plain comment\n"
		"metric_without_timestamp_and_labels 12.47\n");
	assert_int_equal(res.r.count, 4);
	const struct rec *c = res.r.recs;
	check_rec(&c[0], "http_requests_total", "http_requests_total", PROM_COUNTER,
		  "method=post,code=200");
	assert_true(c[0].value == 1027);
	check_rec(&c[1], "http_requests_total", "http_requests_total", PROM_COUNTER,
		  "method=post,code=400");
	assert_true(c[1].value == 3);
	check_rec(&c[2], "go_goroutines", "go_goroutines", PROM_GAUGE, "");
	check_rec(&c[3], "metric_without_timestamp_and_labels",
		  "metric_without_timestamp_and_labels", PROM_UNTYPED, "");
	assert_true(c[3].value == 12.47);
	assert_null(c[3].unit);
	assert_false(c[3].has_time);
	result_fini(&res);
}

static void test_histogram_samples_belong_to_their_family(void **state)
{
	(void)state;
	struct result res = read_clean(
		"# HELP http_request_duration_seconds A histogram of the request duration.\n"
		"# TYPE http_request_duration_seconds histogram\n"
		"http_request_duration_seconds_bucket{le=\"0.05\"} 24054\n"
		"http_request_duration_seconds_bucket{le=\"+Inf\"} 144320\n"
		"http_request_duration_seconds_sum 53423\n"
		"http_request_duration_seconds_count 144320\n"
		"http_request_duration_seconds 1\n"           /* a histogram has no such sample */
		"http_request_duration_seconds_total 2\n"     /* nor this one */
		"# TYPE x_created gauge\n"                     /* Python's separate _created family */
		"x_created 1.725366715137953e+09\n");
	assert_int_equal(res.r.count, 7);
	const struct rec *c = res.r.recs;
	const char *family = "http_request_duration_seconds";
	check_rec(&c[0], "http_request_duration_seconds_bucket", family, PROM_HISTOGRAM, "le=0.05");
	check_rec(&c[1], "http_request_duration_seconds_bucket", family, PROM_HISTOGRAM, "le=+Inf");
	assert_true(c[1].value == 144320);
	check_rec(&c[2], "http_request_duration_seconds_sum", family, PROM_HISTOGRAM, "");
	check_rec(&c[3], "http_request_duration_seconds_count", family, PROM_HISTOGRAM, "");
	check_rec(&c[4], family, family, PROM_UNTYPED, "");
	check_rec(&c[5], "http_request_duration_seconds_total", "http_request_duration_seconds_total",
		  PROM_UNTYPED, "");
	check_rec(&c[6], "x_created", "x_created", PROM_GAUGE, "");
	assert_true(c[6].value == 1725366715.137953);
	result_fini(&res);
}

static void test_summary_quantiles_may_be_nan(void **state)
{
	(void)state;
	struct result res = read_clean(
		"# HELP rpc_duration_seconds A summary of the RPC duration in seconds.\n"
		"# TYPE rpc_duration_seconds summary\n"
		"rpc_duration_seconds{quantile=\"0.5\"} NaN\n"
		"rpc_duration_seconds{quantile=\"0.99\"} NaN\n"
		"rpc_duration_seconds_sum 0\n"
		"rpc_duration_seconds_count 0\n");
	assert_int_equal(res.r.count, 4);
	const struct rec *c = res.r.recs;
	check_rec(&c[0], "rpc_duration_seconds", "rpc_duration_seconds", PROM_SUMMARY,
		  "quantile=0.5");
	assert_true(isnan(c[0].value) && isnan(c[1].value));
	check_rec(&c[2], "rpc_duration_seconds_sum", "rpc_duration_seconds", PROM_SUMMARY, "");
	check_rec(&c[3], "rpc_duration_seconds_count", "rpc_duration_seconds", PROM_SUMMARY, "");
	result_fini(&res);
}

/* node_exporter: families declared `untyped`, and HELP/TYPE pairs that never get a sample. */
static void test_untyped_family_and_types_without_samples(void **state)
{
	(void)state;
	struct result res = read_clean(
		"# HELP go_gc_duration_seconds A summary of the wall-time pause.\n"
		"# TYPE go_gc_duration_seconds summary\n"
		"# HELP go_gc_gogc_percent Heap size target percentage.\n"
		"# TYPE go_gc_gogc_percent gauge\n"
		"go_gc_duration_seconds_count 3\n"             /* the summary's TYPE is gone */
		"# HELP node_netstat_Icmp6_InErrors Statistic Icmp6InErrors.\n"
		"# TYPE node_netstat_Icmp6_InErrors untyped\n"
		"node_netstat_Icmp6_InErrors 0\n"
		"# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
		"# TYPE node_cpu_seconds_total counter\n"
		"node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 10215.02\n");
	assert_int_equal(res.r.count, 3);
	const struct rec *c = res.r.recs;
	check_rec(&c[0], "go_gc_duration_seconds_count", "go_gc_duration_seconds_count",
		  PROM_UNTYPED, "");
	check_rec(&c[1], "node_netstat_Icmp6_InErrors", "node_netstat_Icmp6_InErrors",
		  PROM_UNTYPED, "");
	check_rec(&c[2], "node_cpu_seconds_total", "node_cpu_seconds_total", PROM_COUNTER,
		  "cpu=0,mode=idle");
	assert_true(c[2].value == 10215.02);
	result_fini(&res);
}

static void test_label_values_are_decoded(void **state)
{
	(void)state;
	struct result res = read_clean(
		"msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\","
		"error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n"
		/* an unknown escape is kept as written, as Prometheus keeps it */
		"tabbed{v=\"a\\tb\",empty=\"\"} 1\n"
		/* blanks around the parts, a trailing comma, empty braces, no blank after '}' */
		"spaced { a = \"1\" , b=\"2\", } 2\n"
		"braces{} 3\n"
		"tight{a=\"x\"}4\n"
		"bucket{le=\"+Inf\",} 5\n");
	assert_int_equal(res.r.count, 6);
	const struct rec *c = res.r.recs;
	check_rec(&c[0], "msdos_file_access_time_seconds", "msdos_file_access_time_seconds",
		  PROM_UNTYPED, "path=C:\\DIR\\FILE.TXT,error=Cannot find file:\n\"FILE.TXT\"");
	assert_true(c[0].value == 1458255915);
	assert_string_equal(c[1].labels, "v=a\\tb,empty=");
	assert_string_equal(c[2].labels, "a=1,b=2");
	assert_true(c[2].value == 2);
	assert_string_equal(c[3].labels, "");
	assert_string_equal(c[4].labels, "a=x");
	assert_true(c[4].value == 4);
	assert_string_equal(c[5].labels, "le=+Inf");
	result_fini(&res);
}

/* The newer quoted names: `{"my.metric", "a.b"="x"}`, in HELP and TYPE too; __name__ inside. */
static void test_quoted_utf8_names(void **state)
{
	(void)state;
	struct result res = read_clean(
		"# HELP \"my.dotted.metric\" A metric with dots.\n"
		"# TYPE \"my.dotted.metric\" counter\n"
		"{\"my.dotted.metric\", \"error.message\"=\"Not Found\"} 1\n"
		"{\"my.dotted.metric\"} 2\n"
		"{\"quote\\\"d\",\"ü\"=\"ö\"} 3\n"
		"{__name__=\"by_label\",a=\"b\"} 4\n"
		"plain{\"dotted.label\"=\"v\"} 5\n");
	assert_int_equal(res.r.count, 5);
	const struct rec *c = res.r.recs;
	check_rec(&c[0], "my.dotted.metric", "my.dotted.metric", PROM_COUNTER,
		  "error.message=Not Found");
	check_rec(&c[1], "my.dotted.metric", "my.dotted.metric", PROM_COUNTER, "");
	check_rec(&c[2], "quote\"d", "quote\"d", PROM_UNTYPED, "ü=ö");
	check_rec(&c[3], "by_label", "by_label", PROM_UNTYPED, "a=b");
	check_rec(&c[4], "plain", "plain", PROM_UNTYPED, "dotted.label=v");
	result_fini(&res);
}

/* Sample values as Go's strconv.ParseFloat reads them. */
static void test_values_as_go_parses_them(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		double value; /* NAN for NaN */
	} cases[] = {
		{"0", 0}, {"-1", -1}, {"2.905512e+06", 2905512}, {"5.8626e-05", 5.8626e-05},
		{"10.0", 10}, {".5", 0.5}, {"5.", 5}, {"+7", 7}, {"1E3", 1000},
		{"NaN", NAN}, {"nan", NAN}, {"+Inf", INFINITY}, {"-Inf", -INFINITY},
		{"Inf", INFINITY}, {"inf", INFINITY}, {"-infinity", -INFINITY}, {"+INF", INFINITY},
		{"1e-400", 0},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		char *text = xasprintf("x %s\n", cases[i].text);
		struct result res = read_clean(text);
		assert_int_equal(res.r.count, 1);
		double v = res.r.recs[0].value;
		if (isnan(cases[i].value))
			assert_true(isnan(v));
		else if (v != cases[i].value)
			fail_msg("'%s' read as %.17g", cases[i].text, v);
		result_fini(&res);
		free(text);
	}
}

/* What Go refuses is an error at the token, and the line is dropped. */
static void test_values_go_refuses(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"12abc", "N/A", "-nan", "+NaN", "1,5", "0x10", "0x1p-2", "1_000", "infin", "1e",
		"--1", "null", "1e309",
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		char *text = xasprintf("x %s\ny 1\n", cases[i]);
		struct result res = read_text(text);
		assert_false(res.ok);
		assert_int_equal(res.errors, 1);
		char *want = xasprintf("in.txt:1:3: error: sample value '%s' is %s", cases[i],
				       strcmp(cases[i], "1e309") == 0 ? "out of range" : "not a number");
		assert_message(&res, want);
		assert_int_equal(res.r.count, 1); /* y still read */
		assert_string_equal(res.r.recs[0].name, "y");
		free(want);
		result_fini(&res);
		free(text);
	}
}

static void test_text_timestamps_are_milliseconds(void **state)
{
	(void)state;
	struct result res = read_clean(
		"a 1 1395066363000\n"
		"something_weird{problem=\"division by zero\"} +Inf -3982045\n"
		"b 2 +5\n"
		"c 3 253402300799999\n"   /* 9999-12-31T23:59:59.999Z */
		"d 4 -60129542144000\n"); /* TIME_MIN_US, 0064-07-27T05:24:16Z */
	assert_int_equal(res.r.count, 5);
	assert_true(res.r.recs[0].has_time);
	assert_true(res.r.recs[0].time_us == INT64_C(1395066363000000));
	assert_true(res.r.recs[1].time_us == INT64_C(-3982045000));
	assert_true(isinf(res.r.recs[1].value) && res.r.recs[1].value > 0);
	assert_true(res.r.recs[2].time_us == 5000);
	assert_true(res.r.recs[3].time_us == INT64_C(253402300799999000));
	assert_true(res.r.recs[4].time_us == INT64_C(-60129542144000000));
	result_fini(&res);

	res = read_text("a 1 1.5\nb 1 253402300800000\nc 1 99999999999999999999\nd 1 2 3\n"
			"e 1 -60129542144001\n");
	assert_false(res.ok);
	assert_int_equal(res.errors, 5);
	assert_message(&res, "in.txt:1:5: error: timestamp '1.5' is not an integer: text format "
			     "0.0.4 writes milliseconds");
	assert_message(&res, "in.txt:2:5: error: timestamp '253402300800000' is out of range");
	assert_message(&res, "in.txt:5:5: error: timestamp '-60129542144001' is out of range");
	assert_message(&res, "in.txt:3:5: error: timestamp '99999999999999999999' is out of range");
	assert_message(&res, "in.txt:4:7: error: unexpected '3' after the sample's timestamp");
	assert_int_equal(res.r.count, 0);
	result_fini(&res);
}

/* "\r\n" line ends are accepted in 0.0.4; so are a missing last "\n", blank lines, a BOM. */
static void test_text_line_ends(void **state)
{
	(void)state;
	struct result res = read_clean("\xEF\xBB\xBF# TYPE a counter\r\n"
				       "\r\n"
				       "a{x=\"1\"} 1\r\n"
				       "   \t\n"
				       "  b 2   \r\n"
				       "c 3 1000");
	assert_int_equal(res.r.count, 3);
	check_rec(&res.r.recs[0], "a", "a", PROM_COUNTER, "x=1");
	assert_true(res.r.recs[1].value == 2);
	assert_true(res.r.recs[2].value == 3 && res.r.recs[2].time_us == 1000000);
	result_fini(&res);
}

/* A sample's position: its first byte and the line's length, without the line end. */
static void test_where_points_at_the_sample(void **state)
{
	(void)state;
	struct result res = read_clean("# TYPE a gauge\n  a{x=\"1\"} 1\r\nbb 2");
	assert_int_equal(res.r.count, 2);
	assert_int_equal(res.r.recs[0].offset, 17);
	assert_int_equal(res.r.recs[0].span, 10);
	assert_int_equal(res.r.recs[1].offset, 29);
	assert_int_equal(res.r.recs[1].span, 4);
	result_fini(&res);
}

/* ---- OpenMetrics 1.0 ---- */

static void test_openmetrics_counter_total_created_and_unit(void **state)
{
	(void)state;
	struct result res = read_clean(
		"# TYPE foo_seconds counter\n"
		"# UNIT foo_seconds seconds\n"
		"# HELP foo_seconds Time spent.\n"
		"foo_seconds_total{a=\"b\"} 17.0\n"
		"foo_seconds_created{a=\"b\"} 1.726839813016397e+09\n"
		"# TYPE bar info\n"
		"bar_info{version=\"1.2\"} 1\n"
		"# TYPE gh gaugehistogram\n"
		"gh_bucket{le=\"+Inf\"} 4\n"
		"gh_gcount 4\n"
		"gh_gsum 2.5\n"
		"# TYPE st stateset\n"
		"st{st=\"a\"} 1\n"
		"# TYPE u unknown\n"
		"u 5\n"
		"# EOF\n");
	assert_int_equal(res.r.count, 8);
	const struct rec *c = res.r.recs;
	check_rec(&c[0], "foo_seconds_total", "foo_seconds", PROM_COUNTER, "a=b");
	assert_string_equal(c[0].unit, "seconds");
	check_rec(&c[1], "foo_seconds_created", "foo_seconds", PROM_COUNTER, "a=b");
	assert_string_equal(c[1].unit, "seconds");
	assert_true(c[1].value == 1726839813.016397);
	check_rec(&c[2], "bar_info", "bar", PROM_INFO, "version=1.2");
	assert_null(c[2].unit);
	check_rec(&c[3], "gh_bucket", "gh", PROM_GAUGEHISTOGRAM, "le=+Inf");
	check_rec(&c[4], "gh_gcount", "gh", PROM_GAUGEHISTOGRAM, "");
	check_rec(&c[5], "gh_gsum", "gh", PROM_GAUGEHISTOGRAM, "");
	check_rec(&c[6], "st", "st", PROM_STATESET, "st=a");
	check_rec(&c[7], "u", "u", PROM_UNTYPED, "");
	result_fini(&res);
}

static void test_openmetrics_exemplars_are_checked_and_dropped(void **state)
{
	(void)state;
	struct result res = read_clean(
		"# TYPE rpc histogram\n"
		"rpc_bucket{le=\"-0.00029\"} 3 # {dummyID=\"17783\"} -0.0003825067330956884 "
		"1.7268398142239082e+09\n"
		"rpc_bucket{le=\"+Inf\"} 15 # {} 1\n"
		"rpc_sum -8.452185437166741e-05\n"
		"rpc_count 15 1520879607.789 # {trace_id=\"oHg5SJYRHA0\",\"a.b\"=\"x\"} 9.8 1520879607.789\n"
		"# EOF");
	assert_int_equal(res.r.count, 4);
	const struct rec *c = res.r.recs;
	check_rec(&c[0], "rpc_bucket", "rpc", PROM_HISTOGRAM, "le=-0.00029");
	assert_true(c[0].value == 3 && !c[0].has_time);
	assert_true(c[2].value == -8.452185437166741e-05);
	check_rec(&c[3], "rpc_count", "rpc", PROM_HISTOGRAM, "");
	assert_true(c[3].has_time && c[3].time_us == INT64_C(1520879607789000));
	result_fini(&res);

	res = read_text("a 1 # {x=\"1\"}\n"
			"b 1 # {x=\"1\" 2\n"
			"c 1 # x\n"
			"d 1 # {x=\"1\"} 2 3 4\n"
			"e 1 # {\"q\"} 2\n"
			"# EOF\n");
	assert_int_equal(res.errors, 5);
	assert_message(&res, "in.txt:1:7: error: exemplar without a value");
	assert_message(&res, "in.txt:2:14: error: ',' or '}' expected after a label, found '2'");
	assert_message(&res, "in.txt:3:5: error: an exemplar is '# {labels} value [timestamp]'");
	assert_message(&res, "in.txt:4:19: error: unexpected '4' after the exemplar's timestamp");
	assert_message(&res, "in.txt:5:11: error: '=' expected after an exemplar's label name");
	result_fini(&res);
}

/* Seconds with a fraction or exponent become µs exactly, rounded half away from zero. */
static void test_openmetrics_timestamps_are_exact_seconds(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t us;
	} cases[] = {
		{"1520879607.789", INT64_C(1520879607789000)},
		{"1520879607", INT64_C(1520879607000000)},
		{"1.7268398142239082e+09", INT64_C(1726839814223908)},
		{"1.7268398142239085e9", INT64_C(1726839814223909)},
		{"0.0000005", 1},
		{"-0.0000005", -1},
		{"0.00000049999", 0},
		{"-1.5", -1500000},
		{".000001", 1},
		{"5e-7", 1},
		{"4e-8", 0},
		{"0e99999999", 0},
		{"000000000000000000000000000001", 1000000},
		{"253402300799.999999", INT64_C(253402300799999999)}, /* 9999-12-31T23:59:59.999999Z */
		{"-60129542144", INT64_C(-60129542144000000)},        /* TIME_MIN_US */
		{"1E3", 1000000000},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		char *text = xasprintf("x 1 %s\n# EOF\n", cases[i].text);
		struct result res = read_clean(text);
		assert_int_equal(res.r.count, 1);
		if (res.r.recs[0].time_us != cases[i].us)
			fail_msg("'%s' read as %lld us", cases[i].text,
				 (long long)res.r.recs[0].time_us);
		result_fini(&res);
		free(text);
	}
	static const char *const bad[] = {
		"9223372036854.7758075", "253402300800", "-60129542144.000001", "-62167219200",
		"9223372036854.775807", "-9223372036854.775808", "1e30", "NaN", "+Inf", "1.2.3", "1e", "abc", "-",
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(bad); i++) {
		char *text = xasprintf("x 1 %s\n# EOF\n", bad[i]);
		struct result res = read_text(text);
		assert_int_equal(res.errors, 1);
		char *want = xasprintf("in.txt:1:5: error: timestamp '%s' is", bad[i]);
		assert_message(&res, want);
		free(want);
		result_fini(&res);
		free(text);
	}
}

/* OpenMetrics-only content without the final `# EOF`: the file is cut short. */
static void test_openmetrics_without_eof_is_cut_short(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *where; /* the note's position */
	} cases[] = {
		{"# TYPE a counter\n# UNIT a seconds\na_total 1\n", "in.txt:2:1: note: read as "
		 "OpenMetrics because of the UNIT line here"},
		{"# TYPE a info\na_info 1\n", "in.txt:1:10: note: read as OpenMetrics because of "
		 "this OpenMetrics type here"},
		{"a_bucket{le=\"1\"} 1 # {id=\"#\"} 1\n", "in.txt:1:20: note: read as OpenMetrics "
		 "because of the exemplar here"},
		/* prom-client: a counter family named without the _total of its samples */
		{"# HELP a_seconds CPU time\n# TYPE a_seconds counter\na_seconds_total 1\n",
		 "in.txt:2:1: note: read as OpenMetrics because of a counter TYPE line whose samples "
		 "end in _total here"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		struct result res = read_text(cases[i].text);
		assert_false(res.ok);
		assert_int_equal(res.errors, 1);
		assert_int_equal(res.r.count, 0);
		size_t lines = 0;
		for (const char *s = cases[i].text; *s; s++)
			lines += *s == '\n';
		char *want = xasprintf("error: OpenMetrics input ends at line %zu without `# EOF`: "
				       "the file is cut short", lines);
		assert_message(&res, want);
		assert_message(&res, cases[i].where);
		free(want);
		result_fini(&res);
	}
	/* the error sits at the end of the last line that is not blank */
	struct result res = read_text("# TYPE a unknown\na 1\n\n\n");
	assert_message(&res, "in.txt:2:4: error: OpenMetrics input ends at line 2 without `# EOF`");
	result_fini(&res);
	/* a '#' inside a label value or after a plain comment is no exemplar */
	res = read_clean("a{x=\" # {\"} 1\n# note # {x} 1\n");
	assert_int_equal(res.r.count, 1);
	result_fini(&res);
}

static void test_openmetrics_content_after_eof(void **state)
{
	(void)state;
	struct result res = read_text("a 1\n# EOF\n\nb 2\nc 3\n");
	assert_false(res.ok);
	assert_int_equal(res.errors, 1);
	assert_message(&res, "in.txt:4:1: error: content after `# EOF`: an OpenMetrics input ends "
			     "there\n  b 2\n  ^~~\n");
	assert_int_equal(res.r.count, 1);
	result_fini(&res);
	/* blank lines after it are fine, and the last "\n" may be missing */
	res = read_clean("# TYPE a gauge\na 1\n# EOF\n\n");
	assert_int_equal(res.r.count, 1);
	result_fini(&res);
}

static void test_openmetrics_refuses_carriage_returns_and_untyped(void **state)
{
	(void)state;
	struct result res = read_text("a 1\r\nb 2\r\n# TYPE c untyped\n# EOF\r\n");
	assert_false(res.ok);
	assert_int_equal(res.errors, 2); /* the carriage return once, whatever the count */
	assert_message(&res, "in.txt:1:4: error: carriage return at the end of a line: "
			     "OpenMetrics lines end with '\\n' alone");
	assert_message(&res, "in.txt:3:10: error: unknown metric type 'untyped': OpenMetrics has "
			     "counter, gauge, histogram, gaugehistogram, stateset, info, summary "
			     "and unknown");
	assert_int_equal(res.r.count, 2);
	result_fini(&res);
}

/* ---- errors ---- */

static void test_bad_value_is_reported_at_its_token(void **state)
{
	(void)state;
	struct result res = read_text("# TYPE a gauge\na{x=\"1\"} 12abc\na 2\n");
	assert_false(res.ok);
	assert_int_equal(res.errors, 1);
	assert_string_equal(res.messages,
			    "in.txt:2:10: error: sample value '12abc' is not a number\n"
			    "  a{x=\"1\"} 12abc\n"
			    "           ^~~~~\n");
	assert_int_equal(res.r.count, 1);
	result_fini(&res);
}

static void test_unclosed_label_value_points_at_its_quote(void **state)
{
	(void)state;
	struct result res = read_text("b{path=\"abc} 1\nc{a=\"x\\\"} 1\nd 1\n");
	assert_false(res.ok);
	assert_int_equal(res.errors, 2);
	assert_message(&res, "in.txt:1:8: error: label value not closed: the line ends inside its "
			     "quotes\n  b{path=\"abc} 1\n         ^\n");
	assert_message(&res, "in.txt:2:5: error: label value not closed");
	assert_int_equal(res.r.count, 1);
	result_fini(&res);
}

static void test_duplicate_label_names(void **state)
{
	(void)state;
	struct result res = read_text("c{a=\"1\",a=\"2\"} 1\n");
	assert_int_equal(res.errors, 1);
	assert_message(&res, "in.txt:1:9: error: label 'a' appears twice in one sample");
	result_fini(&res);
	/* past 16 labels the check hashes: the same answers */
	struct buf text;
	buf_init(&text);
	buf_puts(&text, "many{");
	for (int i = 0; i < 200; i++)
		buf_printf(&text, "l%d=\"%d\",", i, i);
	buf_puts(&text, "} 1\nmany{");
	for (int i = 0; i < 200; i++)
		buf_printf(&text, "l%d=\"%d\",", i, i);
	buf_puts(&text, "l150=\"again\"} 2\nfew{l1=\"a\",__name__=\"x\"} 3\n");
	res = read_text(text.data);
	assert_int_equal(res.errors, 2);
	assert_message(&res, "in.txt:2:");
	assert_message(&res, "error: label 'l150' appears twice in one sample");
	assert_message(&res, "in.txt:3:12: error: the sample's metric name is given twice");
	assert_int_equal(res.r.count, 1);
	assert_int_equal(strlen(res.r.recs[0].labels) > 0, 1);
	result_fini(&res);
	buf_fini(&text);
}

/* One line each for the other syntax errors, with their positions. */
static void test_other_syntax_errors(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		{"foo.bar 1", "1:1: error: 'foo.bar' is not a metric name"},
		{"9x 1", "1:1: error: a sample starts with a metric name or '{', not '9x'"},
		{"x", "1:1: error: sample 'x' has no value"},
		{"x{a=\"1\"}", "1:1: error: sample 'x' has no value"},
		{"x{a=\"1\" 1", "1:9: error: ',' or '}' expected after a label, found '1'"},
		{"x{a=\"1\",", "1:2: error: label list not closed: '}' expected"},
		{"x{a 1", "1:5: error: '=' expected after label name 'a'"},
		{"x{a=1} 1", "1:5: error: label value expected after 'a=': a string in double quotes"},
		{"x{,} 1", "1:3: error: label name expected, found ',}'"},
		{"x{9=\"1\"} 1", "1:3: error: label name expected, found '9=\"1\"}'"},
		{"{a=\"1\"} 1", "1:1: error: sample without a metric name"},
		{"x{\"q\"} 1", "1:3: error: the sample's metric name is given twice"},
		{"{a=\"1\",\"q\"} 1", "1:8: error: a quoted metric name must come first"},
		{"{\"\"} 1", "1:2: error: empty metric name"},
		{"x{\"\"=\"v\"} 1", "1:3: error: empty label name"},
		{"# TYPE x", "1:1: error: TYPE line without a type"},
		{"# TYPE x countr", "1:10: error: unknown metric type 'countr': text format 0.0.4 has "
		 "counter, gauge, histogram, summary and untyped"},
		{"# TYPE x counter extra", "1:18: error: unexpected 'extra' after the type"},
		{"# HELP ", "1:1: error: HELP line without a metric name"},
		{"# HELP x-y z", "1:8: error: 'x-y' is not a metric name"},
		{"# TYPE \"x counter", "1:8: error: metric name not closed"},
		{"x 1 #", "1:5: error: timestamp '#' is not an integer"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		char *text = xasprintf("%s\n", cases[i].line);
		struct result res = read_text(text);
		if (res.errors != 1 || !strstr(res.messages, cases[i].message))
			fail_msg("'%s': expected '%s', got:\n%s", cases[i].line, cases[i].message,
				 res.messages);
		assert_false(res.ok);
		assert_int_equal(res.r.count, 0);
		result_fini(&res);
		free(text);
	}
}

/* A line with a bad TYPE leaves no family current: the samples after it are untyped. */
static void test_bad_metadata_leaves_no_family(void **state)
{
	(void)state;
	struct result res = read_text("# TYPE h histogram\n# TYPE h histgram\nh_bucket{le=\"1\"} 1\n");
	assert_int_equal(res.errors, 1);
	assert_int_equal(res.r.count, 1);
	check_rec(&res.r.recs[0], "h_bucket", "h_bucket", PROM_UNTYPED, "le=1");
	result_fini(&res);
}

static void test_errors_past_ten_are_counted(void **state)
{
	(void)state;
	struct buf text;
	buf_init(&text);
	for (int i = 0; i < 15; i++)
		buf_printf(&text, "x%d bad\n", i);
	buf_puts(&text, "ok 1\n");
	struct result res = read_text(text.data);
	assert_false(res.ok);
	assert_int_equal(res.errors, 10);
	assert_int_equal(res.notes, 1);
	assert_message(&res, "in.txt:10:4: error: sample value 'bad' is not a number");
	assert_null(strstr(res.messages, "in.txt:11:"));
	assert_message(&res, "in.txt: note: 5 more syntax errors in this input not shown\n");
	assert_int_equal(res.r.count, 1);
	result_fini(&res);
	buf_fini(&text);
}

static void test_sink_can_stop_the_read(void **state)
{
	(void)state;
	static const char text[] = "a 1\nb 2\nc 3\n";
	struct result res = read_bytes(text, strlen(text), 2);
	assert_false(res.ok);
	assert_int_equal(res.r.count, 1);
	result_fini(&res);
}

/*
 * Invalid UTF-8 in label values: one warning, the stray bytes kept as \xNN text (the model holds
 * UTF-8 only), valid sequences around them as they are. A NUL byte is read as a byte, not as the
 * end, and is an error at it in a quoted string (a name or value would end there) as anywhere.
 */
static void test_invalid_utf8_and_nul_bytes(void **state)
{
	(void)state;
	struct result res = read_text("a{v=\"\xff\xfe\"} 1\nb{v=\"\xc3\"} 2\nc{v=\"\x1c\xc3\xa9\"} 3\n");
	assert_true(res.ok);
	assert_int_equal(res.warnings, 1);
	assert_message(&res, "in.txt:1:5: warning: label value is not valid UTF-8");
	assert_int_equal(res.r.count, 3);
	assert_string_equal(res.r.recs[0].labels, "v=\\xFF\\xFE");
	assert_string_equal(res.r.recs[1].labels, "v=\\xC3");
	assert_string_equal(res.r.recs[2].labels, "v=\x1c\xc3\xa9");
	result_fini(&res);
	static const char nul[] = "a{v=\"x\0y\"} 1\nb\0 2\n";
	res = read_bytes(nul, sizeof nul - 1, 0);
	assert_int_equal(res.errors, 2);
	assert_int_equal(res.r.count, 0);
	assert_message(&res, "in.txt:1:7: error: label value holds a NUL byte");
	result_fini(&res);
}

static void test_empty_and_comment_only_inputs(void **state)
{
	(void)state;
	static const char *const cases[] = {"", "\n\n", "# just a comment\n", "# EOF\n", "# EOF",
					    "#\n#TYPE x counter\n"};
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		struct result res = read_clean(cases[i]);
		assert_int_equal(res.r.count, 0);
		result_fini(&res);
	}
}

/* ---- sniffing ---- */

static void test_score(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int score;
	} cases[] = {
		{"# HELP go_goroutines Number of goroutines.\n# TYPE go_goroutines gauge\n", 90},
		{"\n\n# TYPE go_goroutines gauge\ngo_goroutines 33\n", 90},
		{"# TYPE \"my.metric\" counter\n", 90},
		{"# TYPE x untyped\n", 90},
		{"# TYPE x unknown\n", 90},
		{"# HELP x", 90},
		{"# some comment\nhttp_requests_total{code=\"200\"} 1027 1395066363000\n", 70},
		{"x 1", 70},
		{"{\"my.metric\"} 1\n", 70},
		{"a_bucket{le=\"1\"} 1 # {id=\"x\"} 1\n", 70},
		{"# TYPE x blah\n", 0},
		{"{\"type\":\"Point\",\"data\":{\"time\":\"2024\",\"value\":1},\"metric\":\"vus\"}\n", 0},
		{"{\"metrics\": {}}\n", 0},
		{"[1, 2]\n", 0},
		{"metric_name,timestamp,metric_value,check\n", 0},
		{"Type,Name,Request Count\n", 0},
		{"Running 10s test @ http://localhost:8080/\n  2 threads and 10 connections\n", 0},
		{"$ wrk -t2 http://h/\nRunning 1m test @ http://h/\n", 0},
		{"# benchmark log\nRunning 10s test @ http://h\n", 0},
		{"", 0},
		{"\n \n", 0},
		{"hello world\n", 0},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(cases); i++) {
		int score = prom_text_score(cases[i].text, strlen(cases[i].text));
		if (score != cases[i].score)
			fail_msg("'%s' scored %d, not %d", cases[i].text, score, cases[i].score);
	}
	/* never past len: a sample line cut by the prefix is judged on what is there */
	static const char cut[] = "abc 12x";
	assert_int_equal(prom_text_score(cut, 6), 70);
	assert_int_equal(prom_text_score(cut, 7), 0);
}

/* ---- the public samples ---- */

/* What grep and awk (FORMATS.md §5 rules, one map of TYPE lines) count in each sample file. */
static const struct {
	const char *file;
	size_t samples, nan, counter, gauge, histogram, summary, untyped;
} sample_files[] = {
	{"text/1_prometheus-demo-server-scrape-237-families.prom.txt", 1857, 12, 319, 193, 1209,
	 136, 0},
	{"text/2_prometheus-2017-scrape-summaries.prom.txt", 410, 147, 37, 25, 0, 348, 0},
	{"text/3_node-exporter-e2e-output.prom.txt", 3027, 0, 1429, 1208, 0, 0, 390},
	{"text/4_blocky-metrics-verification.prom.txt", 60, 0, 15, 38, 0, 7, 0},
	{"text/5_ayder-summary-microseconds.prom.txt", 20, 0, 13, 2, 0, 5, 0},
	{"text/6_weather-service-python-client-created.prom.txt", 2, 0, 1, 1, 0, 0, 0},
	{"openmetrics/1_prometheus-alltypes-5mfs.om.txt", 53, 0, 10, 1, 24, 18, 0},
	{"openmetrics/2_prometheus-1histogram.om.txt", 42, 0, 0, 0, 42, 0, 0},
};

static const struct rec *find_rec(const struct result *res, const char *name, const char *labels)
{
	for (size_t i = 0; i < res->r.count; i++)
		if (strcmp(res->r.recs[i].name, name) == 0 &&
		    strcmp(res->r.recs[i].labels, labels) == 0)
			return &res->r.recs[i];
	fail_msg("no sample %s{%s}", name, labels);
	return NULL;
}

static struct result read_sample_file(const char *file, struct buf *bytes)
{
	char *path = xasprintf("%s/%s", TEST_PROM_SAMPLES_DIR, file);
	struct diag d;
	diag_init(&d, stderr);
	assert_true(io_read_file(path, "sample", SIZE_MAX, NULL, bytes, &d));
	free(path);
	return read_bytes(bytes->data, bytes->len, 0);
}

static void test_public_samples(void **state)
{
	(void)state;
	struct stat st;
	if (stat(TEST_PROM_SAMPLES_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) {
		print_message("skipped: no samples at %s (%s); they are read in place from the "
			      "shared/ folder beside the checkout\n",
			      TEST_PROM_SAMPLES_DIR, strerror(errno));
		skip();
	}
	for (size_t i = 0; i < PG_ARRAY_LEN(sample_files); i++) {
		struct buf bytes;
		buf_init(&bytes);
		struct result res = read_sample_file(sample_files[i].file, &bytes);
		if (!res.ok || res.errors || res.warnings)
			fail_msg("%s:\n%s", sample_files[i].file, res.messages);
		size_t nan = 0, types[PROM_INFO + 1] = {0};
		for (size_t j = 0; j < res.r.count; j++) {
			nan += isnan(res.r.recs[j].value);
			types[res.r.recs[j].type]++;
		}
		if (res.r.count != sample_files[i].samples || nan != sample_files[i].nan ||
		    types[PROM_COUNTER] != sample_files[i].counter ||
		    types[PROM_GAUGE] != sample_files[i].gauge ||
		    types[PROM_HISTOGRAM] != sample_files[i].histogram ||
		    types[PROM_SUMMARY] != sample_files[i].summary ||
		    types[PROM_UNTYPED] != sample_files[i].untyped)
			fail_msg("%s: %zu samples, %zu NaN, counter %zu gauge %zu histogram %zu "
				 "summary %zu untyped %zu",
				 sample_files[i].file, res.r.count, nan, types[PROM_COUNTER],
				 types[PROM_GAUGE], types[PROM_HISTOGRAM], types[PROM_SUMMARY],
				 types[PROM_UNTYPED]);
		/* a few values, read off the files by eye */
		if (i == 0) {
			const struct rec *c = find_rec(&res, "go_gc_duration_seconds_sum", "");
			assert_string_equal(c->family, "go_gc_duration_seconds");
			assert_true(c->value == 44.985611511);
			c = find_rec(&res, "prometheus_tsdb_head_chunks_created_total", "");
			assert_true(c->value == 4893432 && c->type == PROM_COUNTER);
		} else if (i == 2) {
			const struct rec *c = find_rec(&res, "node_netstat_Icmp6_InErrors", "");
			assert_true(c->type == PROM_UNTYPED);
		} else if (i == 4) {
			const struct rec *c = find_rec(&res, "ramforge_latency_microseconds",
						       "quantile=0.99");
			assert_true(c->value == 2000 && c->type == PROM_SUMMARY);
		} else if (i == 6) {
			const struct rec *c = find_rec(&res, "rpc_durations_histogram_seconds_sum", "");
			assert_true(c->value == -8.452185437166741e-05);
			assert_string_equal(c->family, "rpc_durations_histogram_seconds");
			c = find_rec(&res, "promhttp_metric_handler_errors_created", "cause=encoding");
			assert_string_equal(c->family, "promhttp_metric_handler_errors");
			assert_true(c->type == PROM_COUNTER && c->value == 1726839813.016397);
		} else if (i == 7) {
			const struct rec *c = &res.r.recs[res.r.count - 1];
			assert_string_equal(c->name, "golang_manual_histogram_seconds_count");
			assert_string_equal(c->labels, "address=0.0.0.0,generation=20,port=5003");
		}
		result_fini(&res);
		buf_fini(&bytes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_help_and_type_name_each_family),
		cmocka_unit_test(test_histogram_samples_belong_to_their_family),
		cmocka_unit_test(test_summary_quantiles_may_be_nan),
		cmocka_unit_test(test_untyped_family_and_types_without_samples),
		cmocka_unit_test(test_label_values_are_decoded),
		cmocka_unit_test(test_quoted_utf8_names),
		cmocka_unit_test(test_values_as_go_parses_them),
		cmocka_unit_test(test_values_go_refuses),
		cmocka_unit_test(test_text_timestamps_are_milliseconds),
		cmocka_unit_test(test_text_line_ends),
		cmocka_unit_test(test_where_points_at_the_sample),
		cmocka_unit_test(test_openmetrics_counter_total_created_and_unit),
		cmocka_unit_test(test_openmetrics_exemplars_are_checked_and_dropped),
		cmocka_unit_test(test_openmetrics_timestamps_are_exact_seconds),
		cmocka_unit_test(test_openmetrics_without_eof_is_cut_short),
		cmocka_unit_test(test_openmetrics_content_after_eof),
		cmocka_unit_test(test_openmetrics_refuses_carriage_returns_and_untyped),
		cmocka_unit_test(test_bad_value_is_reported_at_its_token),
		cmocka_unit_test(test_unclosed_label_value_points_at_its_quote),
		cmocka_unit_test(test_duplicate_label_names),
		cmocka_unit_test(test_other_syntax_errors),
		cmocka_unit_test(test_bad_metadata_leaves_no_family),
		cmocka_unit_test(test_errors_past_ten_are_counted),
		cmocka_unit_test(test_sink_can_stop_the_read),
		cmocka_unit_test(test_invalid_utf8_and_nul_bytes),
		cmocka_unit_test(test_empty_and_comment_only_inputs),
		cmocka_unit_test(test_score),
		cmocka_unit_test(test_public_samples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
