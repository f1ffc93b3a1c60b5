/*
 * test_prom_api.c - the Prometheus HTTP API reader (prom_api.c): every result type, key orders
 * (Prometheus's own, `jq -S`'s, "metric" after "values"), sample values as Go writes them,
 * exact µs times, the envelope (status "error", warnings, infos), native histograms, and the
 * refusals with their file:line:col. Inputs are real files in a mkdtemp directory (teardown
 * removes them), read through io_reader like the loader does, into a sink that records every
 * sample; streaming is checked with inputs placed across the 64 KiB chunk boundary at every
 * byte and with inputs many chunks long. Real saved responses (fixtures/prometheus/) are read
 * and counted against counts made independently with Python's json module.
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
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "test_files.h"

#include "ingest/prom.h"
#include "test_support.h"
#include "util/io.h"
#include "util/num.h"
#include "util/util.h"
#include "util/util_test.h"

/* The parser's chunk (prom_api.c CHUNK_BYTES): inputs are placed across it. */
enum { CHUNK = 64 * 1024 };

static struct test_input infile; /* the one input file a test writes; removed by teardown */

static int setup(void **state)
{
	(void)state;
	return test_input_make(&infile, "test_prom_api");
}

static int teardown(void **state)
{
	(void)state;
	test_input_remove(&infile);
	return 0;
}

/* ---- a sink that records ---- */

struct recorded {
	char *name;   /* NULL when the sample has none */
	char *labels; /* "k=v,k=v" in input order */
	double value;
	int64_t time_us;
	uint64_t line, column;
};

struct recorder {
	bool store;        /* keep every sample (small inputs) */
	size_t stop_after; /* the sink says stop at this sample; 0 = never */
	struct recorded *samples;
	size_t count, cap;
	size_t total; /* samples seen */
	double value_sum;
	uint64_t time_sum;    /* wraps: a checksum */
	struct recorded last; /* the last sample (name and labels not kept) */
	char *notes[8];       /* input notes, as text */
	uint64_t note_line[8], note_column[8];
	size_t note_count;
};

static bool record_sample(void *ctx, const struct prom_sample *s)
{
	struct recorder *r = ctx;
	/* what every API sample is */
	assert_true(s->family == s->name && s->family_len == s->name_len);
	assert_int_equal(s->type, PROM_UNTYPED);
	assert_null(s->unit);
	assert_true(s->has_time);
	assert_null(s->where.src);
	assert_string_equal(s->where.file, "resp.json");
	assert_true(s->where.line >= 1 && s->where.column >= 1);
	r->total++;
	if (!isnan(s->value))
		r->value_sum += s->value;
	r->time_sum += (uint64_t)s->time_us;
	r->last =
	    (struct recorded){NULL, NULL, s->value, s->time_us, s->where.line, s->where.column};
	if (r->store) {
		struct buf labels;
		buf_init(&labels);
		buf_puts(&labels, "");
		for (size_t i = 0; i < s->label_count; i++)
			buf_printf(&labels, "%s%.*s=%.*s", i ? "," : "", (int)s->labels[i].name_len,
			           s->labels[i].name, (int)s->labels[i].value_len,
			           s->labels[i].value);
		r->samples = xgrow(r->samples, &r->cap, r->count + 1, sizeof *r->samples);
		r->samples[r->count++] =
		    (struct recorded){s->name ? xstrndup(s->name, s->name_len) : NULL,
		                      buf_take(&labels),
		                      s->value,
		                      s->time_us,
		                      s->where.line,
		                      s->where.column};
	}
	return !(r->stop_after && r->total >= r->stop_after);
}

static void record_note(void *ctx, const char *text, size_t len, const struct prom_where *w)
{
	struct recorder *r = ctx;
	assert_true(r->note_count < PG_ARRAY_LEN(r->notes));
	assert_string_equal(w->file, "resp.json");
	r->note_line[r->note_count] = w->line;
	r->note_column[r->note_count] = w->column;
	r->notes[r->note_count++] = xstrndup(text, len);
}

static void recorder_fini(struct recorder *r)
{
	for (size_t i = 0; i < r->count; i++) {
		free(r->samples[i].name);
		free(r->samples[i].labels);
	}
	free(r->samples);
	for (size_t i = 0; i < r->note_count; i++)
		free(r->notes[i]);
	memset(r, 0, sizeof *r);
}

/* ---- reading an input ---- */

struct outcome {
	bool ok;
	char *diags; /* everything reported */
	unsigned long errors, warnings, notes;
};

static void write_input(const char *data, size_t len, bool gzip)
{
	test_input_write(&infile, data, len, gzip);
}

/* Reads path into r; with_notes: the sink takes input notes (else the parser reports them). */
static struct outcome read_path(const char *path, struct recorder *r, bool with_notes)
{
	struct io_reader in;
	assert_true(io_reader_open(&in, path));
	struct diag d;
	struct outcome o = {0};
	size_t len;
	FILE *f = memory_diag(&d, &o.diags, &len);
	struct prom_sink sink = {r, record_sample, with_notes ? record_note : NULL};
	o.ok = prom_api_read(&in, "resp.json", &d, &sink);
	io_reader_close(&in);
	fclose(f);
	o.errors = d.errors;
	o.warnings = d.warnings;
	o.notes = d.notes;
	/* the loader's invariant: false exactly when an error was reported (or the sink said stop)
	 */
	bool stopped = r->stop_after && r->total >= r->stop_after;
	if (o.ok != (o.errors == 0 && !stopped)) {
		print_error("ok=%d errors=%lu stopped=%d\n%s", o.ok, o.errors, stopped, o.diags);
		fail();
	}
	return o;
}

static struct outcome read_bytes(const char *data, size_t len, struct recorder *r, bool with_notes,
                                 bool gzip)
{
	write_input(data, len, gzip);
	return read_path(infile.path, r, with_notes);
}

static struct outcome read_text(const char *text, struct recorder *r)
{
	return read_bytes(text, strlen(text), r, true, false);
}

static void outcome_fini(struct outcome *o)
{
	free(o->diags);
	o->diags = NULL;
}

static void assert_reported(const struct outcome *o, const char *expected)
{
	if (!strstr(o->diags, expected)) {
		print_error("expected to find:\n  %s\nin the diagnostics:\n%s", expected, o->diags);
		fail();
	}
}

/* How often needle occurs in haystack. */
static size_t occurrences(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* "file:line:col" of the first occurrence of needle in text (byte columns, BOM not counted). */
static char *where_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	assert_non_null(at);
	const char *line_start = strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? text + 3 : text;
	unsigned long line = 1;
	for (const char *p = text; p < at; p++)
		if (*p == '\n') {
			line++;
			line_start = p + 1;
		}
	return xasprintf("resp.json:%lu:%lu:", line, (unsigned long)(at - line_start + 1));
}

/* Reports what where_of(text, needle) names, followed by " LEVEL: message". */
static void assert_reported_at(const struct outcome *o, const char *text, const char *needle,
                               const char *level_message)
{
	char *where = where_of(text, needle);
	char *expected = xasprintf("%s %s", where, level_message);
	assert_reported(o, expected);
	free(expected);
	free(where);
}

static void assert_sample(const struct recorder *r, size_t i, const char *name, const char *labels,
                          double value, int64_t time_us)
{
	assert_true(i < r->count);
	const struct recorded *s = &r->samples[i];
	if (name)
		assert_string_equal(s->name, name);
	else
		assert_null(s->name);
	assert_string_equal(s->labels, labels);
	if (isnan(value))
		assert_true(isnan(s->value));
	else
		assert_true(s->value == value);
	assert_int_equal(s->time_us, time_us);
}

/* ---- result types and key orders ---- */

static const char matrix_doc[] =
    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n"
    "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"},"
    "\"values\":[[1733456789.123,\"1\"],[1733456790.123,\"0\"]]},\n"
    "{\"metric\":{\"__name__\":\"x\",\"job\":\"api\"},\"values\":[[1733456789,\"12.5\"]]}]}}\n";

static void test_matrix_several_series(void **state)
{
	(void)state;
	struct recorder r = {.store = true};
	struct outcome o = read_text(matrix_doc, &r);
	assert_true(o.ok);
	assert_string_equal(o.diags, "");
	assert_int_equal(r.count, 3);
	assert_sample(&r, 0, "up", "instance=a:9100,job=node", 1, 1733456789123000);
	assert_sample(&r, 1, "up", "instance=a:9100,job=node", 0, 1733456790123000);
	assert_sample(&r, 2, "x", "job=api", 12.5, 1733456789000000);
	/* each sample is placed at its pair's '[' */
	char *where = where_of(matrix_doc, "[1733456790.123");
	char *got = xasprintf("resp.json:%llu:%llu:", (unsigned long long)r.samples[1].line,
	                      (unsigned long long)r.samples[1].column);
	assert_string_equal(got, where);
	free(got);
	free(where);
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_name_absent_is_null(void **state)
{
	(void)state;
	struct recorder r = {.store = true};
	struct outcome o = read_text("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	                             "\"result\":[{\"metric\":{\"job\":\"node\"},\"values\":"
	                             "[[1,\"2\"]]},{\"metric\":{},\"values\":[[3,\"4\"]]}]}}",
	                             &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 2);
	assert_sample(&r, 0, NULL, "job=node", 2, 1000000);
	assert_sample(&r, 1, NULL, "", 4, 3000000);
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_metric_after_values_is_buffered(void **state)
{
	(void)state;
	const char *doc =
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"values\":[[1,\"1\"],[2,\"2\"]],\"metric\":{\"__name__\":\"a\",\"k\":\"v\"}},"
	    "{\"metric\":{\"__name__\":\"b\"},\"values\":[[3,\"3\"]]},"
	    "{\"values\":[[4,\"4\"]],\"metric\":{}}]}}";
	struct recorder r = {.store = true};
	struct outcome o = read_text(doc, &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 4);
	assert_sample(&r, 0, "a", "k=v", 1, 1000000);
	assert_sample(&r, 1, "a", "k=v", 2, 2000000);
	assert_sample(&r, 2, "b", "", 3, 3000000);
	assert_sample(&r, 3, NULL, "", 4, 4000000);
	/* a buffered sample keeps its own position */
	char *where = where_of(doc, "[2,\"2\"]");
	char *got = xasprintf("resp.json:%llu:%llu:", (unsigned long long)r.samples[1].line,
	                      (unsigned long long)r.samples[1].column);
	assert_string_equal(got, where);
	free(got);
	free(where);
	outcome_fini(&o);
	recorder_fini(&r);
}

/* Values waiting for their "metric" are capped: memory stays bounded. */
static void test_values_waiting_for_metric_are_capped(void **state)
{
	(void)state;
	enum { LIMIT = 1024 * 1024 };
	struct buf doc;
	buf_init(&doc);
	buf_puts(&doc, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
	               "\"result\":[{\"values\":[");
	for (int i = 0; i < LIMIT + 5; i++)
		buf_printf(&doc, "%s[%d,\"1\"]", i ? "," : "", i);
	buf_puts(&doc, "],\"metric\":{\"__name__\":\"late\"}}]}}");
	struct recorder r = {0};
	struct outcome o = read_bytes(doc.data, doc.len, &r, true, false);
	assert_false(o.ok);
	assert_int_equal(o.errors, 1);
	assert_reported(&o, "error: more than 1048576 values of one series before its \"metric\", "
	                    "more than perfgate keeps");
	assert_int_equal(r.total, LIMIT);
	outcome_fini(&o);
	recorder_fini(&r);
	buf_fini(&doc);
}

static void test_vector(void **state)
{
	(void)state;
	struct recorder r = {.store = true};
	struct outcome o = read_text(
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	    "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"value\":[1733456789.5,\"1\"]},"
	    "{\"value\":[1733456789.5,\"0\"],\"metric\":{\"__name__\":\"up\",\"job\":\"b\"}}]}}",
	    &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 2);
	assert_sample(&r, 0, "up", "job=a", 1, 1733456789500000);
	assert_sample(&r, 1, "up", "job=b", 0, 1733456789500000);
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_scalar(void **state)
{
	(void)state;
	struct recorder r = {.store = true};
	struct outcome o = read_text("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
	                             "\"result\":[1733456789.123,\"42\"]}}",
	                             &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 1);
	assert_sample(&r, 0, NULL, "", 42, 1733456789123000);
	outcome_fini(&o);
	recorder_fini(&r);
}

/* `jq -S` sorts keys: data before status, result before resultType. */
static void test_sorted_keys(void **state)
{
	(void)state;
	struct recorder r = {.store = true};
	struct outcome o = read_text(
	    "{\"data\":{\"result\":[{\"metric\":{\"__name__\":\"m\"},\"values\":[[1,\"1\"]]}],"
	    "\"resultType\":\"matrix\"},\"status\":\"success\"}",
	    &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 1);
	assert_sample(&r, 0, "m", "", 1, 1000000);
	outcome_fini(&o);
	recorder_fini(&r);

	r = (struct recorder){.store = true};
	o = read_text("{\"data\":{\"result\":[5,\"7\"],\"resultType\":\"scalar\"},"
	              "\"status\":\"success\"}",
	              &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 1);
	assert_sample(&r, 0, NULL, "", 7, 5000000);
	outcome_fini(&o);
	recorder_fini(&r);

	/* a value the type later says is a scalar is checked then */
	r = (struct recorder){.store = true};
	const char *doc = "{\"data\":{\"result\":[5,\"seven\"],\"resultType\":\"scalar\"},"
	                  "\"status\":\"success\"}";
	o = read_text(doc, &r);
	assert_false(o.ok);
	assert_int_equal(r.count, 0);
	assert_reported_at(&o, doc, "\"seven\"", "error: 'seven' is not a sample value");
	outcome_fini(&o);
	recorder_fini(&r);

	r = (struct recorder){.store = true};
	doc = "{\"data\":{\"result\":[5,\"7\"],\"resultType\":\"matrix\"},\"status\":\"success\"}";
	o = read_text(doc, &r);
	assert_false(o.ok);
	assert_reported_at(&o, doc, "\"matrix\"",
	                   "error: resultType 'matrix' does not match the result before it, which "
	                   "is [time, \"value\"]");
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_string_result_warns(void **state)
{
	(void)state;
	static const char *const docs[] = {
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"string\","
	    "\"result\":[1733456789,\"hello\"]}}",
	    "{\"data\":{\"result\":[1733456789,\"hello\"],\"resultType\":\"string\"},"
	    "\"status\":\"success\"}",
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(docs); i++) {
		struct recorder r = {.store = true};
		struct outcome o = read_text(docs[i], &r);
		assert_true(o.ok);
		assert_int_equal(r.count, 0);
		assert_int_equal(o.warnings, 1);
		assert_reported_at(&o, docs[i], "\"string\"",
		                   "warning: a string result holds no samples");
		outcome_fini(&o);
		recorder_fini(&r);
	}
}

/* ---- values and times ---- */

/* A scalar response around one [time, value]. */
static char *scalar_doc(const char *time, const char *value)
{
	return xasprintf("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
	                 "\"result\":[%s,%s]}}",
	                 time, value);
}

static void test_values_as_go_writes_them(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		double value;
	} rows[] = {
	    {"NaN", NAN},
	    {"+Inf", INFINITY},
	    {"-Inf", -INFINITY},
	    {"Inf", INFINITY},
	    {"12.5", 12.5},
	    {"0", 0},
	    {"-0", -0.0},
	    {"1e-07", 1e-07},
	    {"1.5e+21", 1.5e+21},
	    {"2.905512e+06", 2905512},
	    {"0.1", 0.1},
	    {"-3.25", -3.25},
	    {"123456789012345678901234567890", 123456789012345678901234567890.0},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *value = xasprintf("\"%s\"", rows[i].text);
		char *doc = scalar_doc("1", value);
		struct recorder r = {.store = true};
		struct outcome o = read_text(doc, &r);
		if (!o.ok || r.count != 1) {
			print_error("row %zu (%s): %s", i, rows[i].text, o.diags);
			fail();
		}
		assert_sample(&r, 0, NULL, "", rows[i].value, 1000000);
		if (rows[i].value == 0)
			assert_int_equal(signbit(r.samples[0].value), signbit(rows[i].value));
		outcome_fini(&o);
		recorder_fini(&r);
		free(doc);
		free(value);
	}
}

/*
 * Whatever path a value takes (the hot path's plain decimals, the general one), it is the
 * double num_parse_double gives, bit for bit: random decimals of 1 to 19 digits, the point
 * anywhere, signs, exponents, written compact (hot path) and spaced (general path).
 */
static void test_values_match_num_parse_double(void **state)
{
	(void)state;
	enum { COUNT = 4000 };
	char(*texts)[40] = xcalloc(COUNT, sizeof *texts);
	uint64_t seed = 0x9e3779b97f4a7c15u;
	for (size_t i = 0; i < COUNT; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		uint64_t bits = seed >> 11;
		int digits = 1 + (int)(bits % 19),
		    point = (int)((bits >> 5) % (unsigned)(digits + 1));
		char *t = texts[i];
		if ((bits >> 10) % 4 == 0)
			*t++ = '-';
		for (int k = 0; k < digits; k++) {
			if (k == point && k > 0)
				*t++ = '.';
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			*t++ =
			    (char)('0' + (k == 0 && digits > 1 && point != 1 ? 1 + (seed >> 33) % 9
			                                                     : (seed >> 33) % 10));
		}
		if ((bits >> 14) % 8 == 0)
			t += sprintf(t, "e%d", (int)((bits >> 20) % 40) - 20);
		*t = '\0';
	}
	for (int spaced = 0; spaced < 2; spaced++) {
		struct buf doc;
		buf_init(&doc);
		buf_puts(&doc, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		               "\"result\":[{\"metric\":{},\"values\":[");
		for (size_t i = 0; i < COUNT; i++)
			buf_printf(&doc, spaced ? "%s[ %zu, \"%s\" ]" : "%s[%zu,\"%s\"]",
			           i ? "," : "", i, texts[i]);
		buf_puts(&doc, "]}]}}");
		struct recorder r = {.store = true};
		struct outcome o = read_text(doc.data, &r);
		assert_true(o.ok);
		assert_int_equal(r.count, COUNT);
		for (size_t i = 0; i < COUNT; i++) {
			double expected;
			assert_int_equal(
			    num_parse_double(texts[i], strlen(texts[i]), &expected, NULL), NUM_OK);
			if (memcmp(&expected, &r.samples[i].value, sizeof expected) != 0) {
				print_error("'%s': %.17g, num_parse_double %.17g\n", texts[i],
				            r.samples[i].value, expected);
				fail();
			}
		}
		outcome_fini(&o);
		recorder_fini(&r);
		buf_fini(&doc);
	}
	free(texts);
}

static void test_values_refused(void **state)
{
	(void)state;
	static const struct {
		const char *value; /* as it stands in the JSON */
		const char *message;
	} rows[] = {
	    {"\"abc\"", "error: 'abc' is not a sample value (a decimal number, NaN, +Inf or -Inf)"},
	    {"\"\"", "error: '' is not a sample value"},
	    {"\" 1\"", "error: ' 1' is not a sample value"},
	    {"\"1 \"", "error: '1 ' is not a sample value"},
	    {"\"+NaN\"", "error: '+NaN' is not a sample value"},
	    {"\"1e309\"", "error: '1e309' is not a sample value"},
	    {"\"0x10\"", "error: '0x10' is not a sample value"},
	    {"\"1,5\"", "error: '1,5' is not a sample value"},
	    {"\"N/A\"", "error: 'N/A' is not a sample value"},
	    {"\"a\\nb\"", "error: 'a b' is not a sample value"},
	    {"12.5", "error: a sample's value must be a string such as \"12.5\", found the "
	             "number 12.5"},
	    {"null", "error: a sample's value must be a string such as \"12.5\", found null"},
	    {"[1]", "error: a sample's value must be a string such as \"12.5\", found an array"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *doc = scalar_doc("1", rows[i].value);
		struct recorder r = {.store = true};
		struct outcome o = read_text(doc, &r);
		assert_false(o.ok);
		assert_int_equal(r.count, 0);
		assert_int_equal(o.errors, 1);
		char *needle = xasprintf(",%s]", rows[i].value);
		char *where = where_of(doc, needle);
		/* the value's own column: one after the ',' */
		char *colon = strrchr(where, ':');
		*colon = '\0';
		colon = strrchr(where, ':');
		char *expected = xasprintf("%.*s:%lu: %s", (int)(colon - where), where,
		                           strtoul(colon + 1, NULL, 10) + 1, rows[i].message);
		assert_reported(&o, expected);
		free(expected);
		free(where);
		free(needle);
		outcome_fini(&o);
		recorder_fini(&r);
		free(doc);
	}
}

/* Times: exact from the decimal digits, half away from zero beyond the µs. */
static void test_times_exact_microseconds(void **state)
{
	(void)state;
	static const struct {
		const char *time;
		int64_t us;          /* when message is NULL */
		const char *message; /* the refusal */
	} rows[] = {
	    {"1733456789.123", 1733456789123000, NULL},
	    {"1733456789", 1733456789000000, NULL},
	    {"1733456789.1", 1733456789100000, NULL},
	    {"1733456789.123456", 1733456789123456, NULL},
	    {"1733456789.1234565", 1733456789123457, NULL},
	    {"1733456789.12345649999", 1733456789123456, NULL},
	    {"1.7334567891235e9", 1733456789123500, NULL},
	    {"1.7334567891235E+9", 1733456789123500, NULL},
	    {"17334567891230e-4", 1733456789123000, NULL},
	    {"0.0000005", 1, NULL},
	    {"0.0000004999", 0, NULL},
	    {"1e-7", 0, NULL},
	    {"1e-99999999999999", 0, NULL},
	    {"0", 0, NULL},
	    {"-0", 0, NULL},
	    {"-0.0", 0, NULL},
	    {"1E3", 1000000000, NULL},
	    {"253402300799.999999", 253402300799999999, NULL}, /* 9999-12-31T23:59:59.999999Z */
	    {"253402300800", 0, "error: the time 253402300800 is out of range (after the year 9999)"},
	    {"253402300799.9999995", 0, "error: the time 253402300799.9999995 is out of range"},
	    {"1e400", 0, "error: the time 1e400 is out of range"},
	    {"1e99999999999999", 0, "error: the time 1e99999999999999 is out of range"},
	    {"99999999999999999999999", 0, "error: the time 99999999999999999999999 is out"},
	    {"-1", 0, "error: the time -1 is before 1970 (negative Unix seconds)"},
	    {"-0.0000001", 0, "error: the time -0.0000001 is before 1970"},
	    {"\"1733456789\"", 0,
	     "error: a sample's time must be a JSON number of seconds, "
	     "found a string"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *doc = scalar_doc(rows[i].time, "\"1\"");
		struct recorder r = {.store = true};
		struct outcome o = read_text(doc, &r);
		if (!rows[i].message) {
			if (!o.ok || r.count != 1 || r.samples[0].time_us != rows[i].us) {
				print_error("row %zu (%s): %s %lld", i, rows[i].time, o.diags,
				            r.count ? (long long)r.samples[0].time_us : -1LL);
				fail();
			}
		} else {
			assert_false(o.ok);
			assert_int_equal(r.count, 0);
			assert_reported_at(&o, doc, rows[i].time, rows[i].message);
		}
		outcome_fini(&o);
		recorder_fini(&r);
		free(doc);
	}
}

/* Bad pairs are reported where they stand; the good ones around them still arrive. */
static void test_bad_pairs_reported_at_line_column(void **state)
{
	(void)state;
	const char *doc =
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n"
	    "{\"metric\":{\"__name__\":\"m\"},\"values\":[\n"
	    "[1,\"1\"],\n"
	    "[2,\"abc\"],\n"
	    "[3,\"\"],\n"
	    "[4,12.5],\n"
	    "[\"5\",\"1\"],\n"
	    "[-6,\"1\"],\n"
	    "[7,\"2\",3],\n"
	    "[8],\n"
	    "[],\n"
	    "{},\n"
	    "[9,\"9\"]]}]}}\n";
	struct recorder r = {.store = true};
	struct outcome o = read_text(doc, &r);
	assert_false(o.ok);
	assert_int_equal(r.count, 2);
	assert_sample(&r, 0, "m", "", 1, 1000000);
	assert_sample(&r, 1, "m", "", 9, 9000000);
	assert_int_equal(o.errors, 9);
	assert_reported(&o, "resp.json:4:4: error: 'abc' is not a sample value");
	assert_reported(&o, "resp.json:5:4: error: '' is not a sample value");
	assert_reported(&o, "resp.json:6:4: error: a sample's value must be a string such as "
	                    "\"12.5\", found the number 12.5");
	assert_reported(&o, "resp.json:7:2: error: a sample's time must be a JSON number of "
	                    "seconds, found a string");
	assert_reported(&o, "resp.json:8:2: error: the time -6 is before 1970");
	assert_reported(&o, "resp.json:9:8: error: a sample is [time, \"value\"] and nothing "
	                    "more, found the number 3");
	assert_reported(&o, "resp.json:10:1: error: a sample is [time, \"value\"]; this one has 1 "
	                    "element\n");
	assert_reported(&o, "resp.json:11:1: error: a sample is [time, \"value\"]; this one is "
	                    "empty");
	assert_reported(&o, "resp.json:12:1: error: a sample must be [time, \"value\"], found an "
	                    "object");
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_problems_after_ten_are_counted(void **state)
{
	(void)state;
	struct buf doc;
	buf_init(&doc);
	buf_puts(&doc, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
	               "[{\"metric\":{},\"values\":[");
	for (int i = 0; i < 15; i++)
		buf_printf(&doc, "%s[%d,\"bad%d\"]", i ? "," : "", i, i);
	buf_puts(&doc, ",[99,\"1\"]]}]}}");
	struct recorder r = {.store = true};
	struct outcome o = read_text(doc.data, &r);
	assert_false(o.ok);
	assert_int_equal(r.count, 1);
	assert_int_equal(occurrences(o.diags, "error:"), 10);
	assert_reported(&o, "'bad9' is not a sample value");
	assert_int_equal(occurrences(o.diags, "'bad10'"), 0);
	assert_reported(&o, "resp.json: note: 15 problems in all; the first 10 are shown\n");
	outcome_fini(&o);
	recorder_fini(&r);
	buf_fini(&doc);
}

/* ---- the envelope ---- */

static void test_status_error_quotes_the_server(void **state)
{
	(void)state;
	/* status first: data is not read; errorType and error after it are still quoted */
	const char *doc = "{\"status\":\"error\",\"data\":{\"resultType\":\"vector\",\"result\":"
	                  "[{\"metric\":{},\"value\":[1,\"1\"]}]},\"errorType\":\"bad_data\","
	                  "\"error\":\"invalid parameter \\\"query\\\": 1:1: parse error: "
	                  "unexpected end of input\"}";
	struct recorder r = {.store = true};
	struct outcome o = read_text(doc, &r);
	assert_false(o.ok);
	assert_int_equal(r.count, 0);
	assert_int_equal(o.errors, 1);
	assert_reported_at(&o, doc, "\"error\",",
	                   "error: the saved response is a Prometheus error: bad_data: invalid "
	                   "parameter \"query\": 1:1: parse error: unexpected end of input\n");
	outcome_fini(&o);
	recorder_fini(&r);

	/* status last, only one of the two */
	r = (struct recorder){.store = true};
	doc = "{\"error\":\"query timed out in expression evaluation\",\"status\":\"error\"}";
	o = read_text(doc, &r);
	assert_false(o.ok);
	assert_reported_at(&o, doc, "\"error\"}",
	                   "error: the saved response is a Prometheus error: query timed out in "
	                   "expression evaluation\n");
	outcome_fini(&o);
	recorder_fini(&r);

	r = (struct recorder){.store = true};
	o = read_text("{\"status\":\"error\"}", &r);
	assert_false(o.ok);
	assert_reported(&o, "resp.json:1:11: error: the saved response is a Prometheus error: "
	                    "(it gives no errorType or error)");
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_warnings_and_infos_passed_on(void **state)
{
	(void)state;
	const char *doc =
	    "{\"status\":\"success\",\n\"warnings\":[\"PromQL warning: \\\"rate\\\" on a gauge\","
	    "\"second\\tone\"],\n\"infos\":[\"PromQL info: metric might not be a counter\"],"
	    "\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
	struct recorder r = {.store = true};
	struct outcome o = read_bytes(doc, strlen(doc), &r, true, false);
	assert_true(o.ok);
	assert_string_equal(o.diags, "");
	assert_int_equal(r.note_count, 3);
	assert_string_equal(r.notes[0], "PromQL warning: \"rate\" on a gauge");
	assert_string_equal(r.notes[1], "second\tone");
	assert_string_equal(r.notes[2], "PromQL info: metric might not be a counter");
	char *where = where_of(doc, "\"PromQL info");
	char *got = xasprintf("resp.json:%llu:%llu:", (unsigned long long)r.note_line[2],
	                      (unsigned long long)r.note_column[2]);
	assert_string_equal(got, where);
	free(got);
	free(where);
	outcome_fini(&o);
	recorder_fini(&r);

	/* a sink without input_note: the parser reports them as notes */
	r = (struct recorder){.store = true};
	o = read_bytes(doc, strlen(doc), &r, false, false);
	assert_true(o.ok);
	assert_int_equal(o.notes, 3);
	assert_reported_at(&o, doc, "\"PromQL warning",
	                   "note: the response carries a Prometheus warning: PromQL warning: "
	                   "\"rate\" on a gauge\n");
	assert_reported(&o, "note: the response carries a Prometheus warning: second one\n");
	assert_reported_at(&o, doc, "\"PromQL info",
	                   "note: the response carries a Prometheus info: PromQL info: metric "
	                   "might not be a counter\n");
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_native_histograms_skipped_with_one_warning(void **state)
{
	(void)state;
	const char *doc =
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n"
	    "{\"metric\":{\"__name__\":\"h\"},\"histograms\":[[1,{\"count\":\"2\",\"sum\":\"3\","
	    "\"buckets\":[[0,\"0\",\"1\",\"2\"]]}]]},\n"
	    "{\"metric\":{\"__name__\":\"f\"},\"values\":[[1,\"1\"]]},\n"
	    "{\"metric\":{\"__name__\":\"mixed\"},\"values\":[[1,\"5\"]],\"histograms\":"
	    "[[2,{\"count\":\"1\",\"sum\":\"1\"}]]}]}}";
	struct recorder r = {.store = true};
	struct outcome o = read_text(doc, &r);
	assert_true(o.ok);
	assert_int_equal(o.warnings, 1);
	assert_reported_at(&o, doc, "\"histograms\"",
	                   "warning: 2 series hold native histograms, which perfgate does not "
	                   "read\n");
	/* the float samples of a series that also holds histograms are floats all the same */
	assert_int_equal(r.count, 2);
	assert_sample(&r, 0, "f", "", 1, 1000000);
	assert_sample(&r, 1, "mixed", "", 5, 1000000);
	outcome_fini(&o);
	recorder_fini(&r);

	r = (struct recorder){.store = true};
	o = read_text("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	              "{\"metric\":{},\"histogram\":[1,{\"count\":\"2\",\"sum\":\"3\"}]}]}}",
	              &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 0);
	assert_reported(&o, "warning: 1 series holds native histograms");
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_missing_and_misplaced_fields(void **state)
{
	(void)state;
	static const struct {
		const char *doc;
		const char *at; /* where the error stands: first occurrence in doc */
		const char *message;
	} rows[] = {
	    {"{\"data\":{\"resultType\":\"vector\",\"result\":[]}}", "{",
	     "error: the response has no \"status\" (\"success\" or \"error\")"},
	    {"{\"status\":\"success\"}", "{",
	     "error: the response has status \"success\" but no \"data\""},
	    {"{\"status\":\"success\",\"data\":{\"result\":[]}}", "{\"result",
	     "error: \"data\" without \"resultType\""},
	    {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"}}", "{\"resultType",
	     "error: \"data\" without \"result\""},
	    {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
	     "[{\"values\":[[1,\"1\"]]}]}}",
	     "{\"values", "error: a series without \"metric\" (its labels)"},
	    {"{\"status\":\"success\",\"data\":{\"resultType\":\"table\",\"result\":[]}}",
	     "\"table\"",
	     "error: unknown resultType 'table' (Prometheus answers matrix, vector, "
	     "scalar or string)"},
	    {"{\"status\":\"ok\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", "\"ok\"",
	     "error: \"status\" must be \"success\" or \"error\", not 'ok'"},
	    {"{\"status\":\"success\",\"data\":[]}", "[]",
	     "error: \"data\" must be an object {\"resultType\": ..., \"result\": ...}, found an "
	     "array"},
	    {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":{}}}", "{}}",
	     "error: \"result\" must be an array, found an object"},
	    {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[1,\"2\"]}}",
	     "[1", "error: a matrix result is a list of series, not [time, \"value\"]"},
	    {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[{}]}}", "[{",
	     "error: a scalar result is [time, \"value\"], not a list of series"},
	    {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
	     "{},\"values\":{}}]}}",
	     "{}}",
	     "error: \"values\" must be an array of [time, \"value\"] pairs, found an object"},
	    {"{\"status\":\"success\",\"warnings\":\"w\",\"data\":{\"resultType\":\"matrix\","
	     "\"result\":[]}}",
	     "\"w\"",
	     "error: the warnings must be an array of strings, found "
	     "a string"},
	    {"{\"status\":\"success\",\"infos\":[1],\"data\":{\"resultType\":\"matrix\","
	     "\"result\":[]}}",
	     "1]", "error: a info must be a string, found the number 1"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct recorder r = {.store = true};
		struct outcome o = read_text(rows[i].doc, &r);
		if (o.ok || o.errors != 1) {
			print_error("row %zu: ok=%d\n%s", i, o.ok, o.diags);
			fail();
		}
		assert_int_equal(r.count, 0);
		assert_reported_at(&o, rows[i].doc, rows[i].at, rows[i].message);
		outcome_fini(&o);
		recorder_fini(&r);
	}
}

/* ---- labels ---- */

static void test_labels_decoded(void **state)
{
	(void)state;
	struct recorder r = {.store = true};
	struct outcome o = read_text(
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
	    "{\"__name__\":\"\\u0078_total\",\"path\":\"/a\\\"b\\\\c\\nd\\u00e9\\ud83d\\ude00\","
	    "\"slash\":\"\\/\"},\"value\":[1,\"1\"]}]}}",
	    &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 1);
	assert_sample(&r, 0, "x_total", "path=/a\"b\\c\nd\xC3\xA9\xF0\x9F\x98\x80,slash=/", 1,
	              1000000);
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_label_problems_drop_the_series(void **state)
{
	(void)state;
	static const struct {
		const char *metric;
		const char *at;
		const char *message;
	} rows[] = {
	    {"{\"a\":\"1\",\"a\":\"2\"}", "\"a\":\"2",
	     "error: label 'a' appears twice in one metric"},
	    {"{\"__name__\":\"x\",\"__name__\":\"y\"}", "\"__name__\":\"y",
	     "error: label '__name__' appears twice in one metric"},
	    {"{\"a\":1}", "1}", "error: label 'a' must have a string value, found the number 1"},
	    {"{\"a\":[[[{}]]]}", "[[[",
	     "error: label 'a' must have a string value, found an "
	     "array"},
	    {"{\"a\":\"\xff\"}", "\"a\"", "error: label 'a' is not valid UTF-8"},
	    {"[]", "[]",
	     "error: \"metric\" must be an object of label names and values, found "
	     "an array"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *doc =
		    xasprintf("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		              "\"result\":[{\"metric\":%s,\"values\":[[1,\"1\"]]},"
		              "{\"metric\":{\"__name__\":\"ok\"},\"values\":[[2,\"2\"]]}]}}",
		              rows[i].metric);
		struct recorder r = {.store = true};
		struct outcome o = read_text(doc, &r);
		assert_false(o.ok);
		assert_int_equal(o.errors, 1);
		/* the next series is read as usual */
		assert_int_equal(r.count, 1);
		assert_sample(&r, 0, "ok", "", 2, 2000000);
		assert_reported_at(&o, doc, rows[i].at, rows[i].message);
		outcome_fini(&o);
		recorder_fini(&r);
		free(doc);
	}
}

/* ---- malformed JSON ---- */

static void test_malformed_json(void **state)
{
	(void)state;
	static const struct {
		const char *doc;
		const char *at; /* the error stands at its first occurrence */
		const char *message;
	} rows[] = {
	    {"{\"status\":\"success\",\"x\":\"\\q\",\"data\":{}}", "\\q",
	     "error: '\\q' is not a JSON escape"},
	    {"{\"status\":\"success\",\"x\":\"a\tb\",\"data\":{}}", "\tb",
	     "error: a control character (0x09) inside a string: JSON needs it escaped"},
	    {"{\"status\":\"success\",\"x\":\"\\ud800\",\"data\":{}}", "\\ud800",
	     "error: '\\uD800' is half of a UTF-16 surrogate pair, alone"},
	    {"{\"status\":\"success\",\"x\":\"\\u12\",\"data\":{}}", "\\u12",
	     "error: '\\u' must be followed by four hex digits"},
	    {"{\"status\":\"success\",\"x\":[1,,2],\"data\":{}}", ",2",
	     "error: expected a JSON value, found ','"},
	    {"{\"status\":\"success\",\"x\":[1 2],\"data\":{}}", "2]",
	     "error: expected ',' or ']' after an array element, found the number 2"},
	    {"{\"status\":\"success\",\"x\":{\"a\" 1},\"data\":{}}", "1}",
	     "error: expected ':' after a member name, found the number 1"},
	    {"{\"status\":\"success\",\"x\":{\"a\":1,},\"data\":{}}", "},",
	     "error: expected a member name (a string), found '}'"},
	    {"{\"status\":\"success\",\"x\":{\"a\":1 \"b\":2},\"data\":{}}", "\"b\"",
	     "error: expected ',' or '}' after an object member, found a string"},
	    {"{\"status\":\"success\",\"x\":01,\"data\":{}}", "01",
	     "error: '01' is not a JSON number"},
	    {"{\"status\":\"success\",\"x\":1.,\"data\":{}}", "1.",
	     "error: '1.' is not a JSON number"},
	    {"{\"status\":\"success\",\"x\":-,\"data\":{}}", "-,",
	     "error: '-' is not a JSON number"},
	    {"{\"status\":\"success\",\"x\":tru,\"data\":{}}", "tru",
	     "error: expected a JSON value, found 'tru'"},
	    {"{\"status\":\"success\",\"x\":NaN,\"data\":{}}", "NaN",
	     "error: expected a JSON value, found 'NaN'"},
	    {"{\"status\":\"success\",\"x\":'a',\"data\":{}}", "'a'",
	     "error: expected a JSON value, found '''"},
	    {"{\"status\":\"success\" \"data\":{}}", "\"data\"",
	     "error: expected ',' or '}' after an object member, found a string"},
	    {"{status:\"success\"}", "status",
	     "error: expected a member name (a string), found 'status'"},
	    {"{\"status\":\"success\"}\n\n x", "x", "error: 'x' after the end of the JSON object"},
	    {"{\"status\":\"success\"} {}", "{}",
	     "error: an object after the end of the JSON "
	     "object"},
	    {"{\"status\":\"success\"}\x01", "\x01",
	     "error: the byte 0x01 after the end of the JSON object"},
	    {"", "", "error: the input holds no JSON value"},
	    {"[{\"status\":\"success\"}]", "[",
	     "error: a Prometheus HTTP API response is a JSON "
	     "object {\"status\": ..., \"data\": ...}; this "
	     "input starts with an array"},
	    {"42", "42",
	     "error: a Prometheus HTTP API response is a JSON object "
	     "{\"status\": ..., \"data\": ...}; this input starts with the number "
	     "42"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct recorder r = {.store = true};
		struct outcome o = read_text(rows[i].doc, &r);
		if (o.ok || o.errors != 1) {
			print_error("row %zu: ok=%d\n%s", i, o.ok, o.diags);
			fail();
		}
		assert_reported_at(&o, rows[i].doc, rows[i].at, rows[i].message);
		outcome_fini(&o);
		recorder_fini(&r);
	}
	struct recorder r = {.store = true};
	struct outcome o = read_text("{\"status\":\"success\"}}", &r);
	assert_false(o.ok);
	assert_reported(&o, "resp.json:1:21: error: '}' after the end of the JSON object\n");
	outcome_fini(&o);
	recorder_fini(&r);
}

/* A cut at every byte: never a crash, always an error, never a sample after the cut. */
static void test_truncated_anywhere(void **state)
{
	(void)state;
	size_t len = strlen(matrix_doc);
	for (size_t cut = 0; cut < len - 1; cut++) {
		struct recorder r = {.store = true};
		struct outcome o = read_bytes(matrix_doc, cut, &r, true, false);
		if (o.ok || o.errors == 0) {
			print_error("cut at %zu: ok=%d\n%s", cut, o.ok, o.diags);
			fail();
		}
		assert_true(r.count <= 3);
		outcome_fini(&o);
		recorder_fini(&r);
	}
	/* the last byte is a newline: without it the input is whole */
	struct recorder r = {.store = true};
	struct outcome o = read_bytes(matrix_doc, len - 1, &r, true, false);
	assert_true(o.ok);
	assert_int_equal(r.count, 3);
	outcome_fini(&o);
	recorder_fini(&r);

	r = (struct recorder){.store = true};
	const char *doc = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	                  "{\"metric\":{\"__name__\":\"up\",\"jo";
	o = read_text(doc, &r);
	assert_reported_at(&o, doc, "\"jo",
	                   "error: the input ends inside a string (file cut "
	                   "short?)\n");
	outcome_fini(&o);
	recorder_fini(&r);

	r = (struct recorder){.store = true};
	doc = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[\n";
	o = read_text(doc, &r);
	assert_reported(&o, "resp.json:2:1: error: expected a JSON value, found the end of the "
	                    "input (file cut short?)\n");
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_deep_nesting_in_unknown_key(void **state)
{
	(void)state;
	static const struct {
		size_t depth;
		bool ok;
	} rows[] = {{20000, true}, {65536, true}, {65537, false}, {300000, false}};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct buf doc;
		buf_init(&doc);
		buf_puts(&doc, "{\"status\":\"success\",\"stats\":");
		for (size_t k = 0; k < rows[i].depth; k++)
			buf_puts(&doc, k % 2 ? "{\"k\":" : "[");
		buf_puts(&doc, "null");
		for (size_t k = rows[i].depth; k-- > 0;)
			buf_puts(&doc, k % 2 ? "}" : "]");
		buf_puts(&doc, ",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}");
		struct recorder r = {.store = true};
		struct outcome o = read_text(doc.data, &r);
		assert_int_equal(o.ok, rows[i].ok);
		assert_int_equal(r.count, rows[i].ok ? 1 : 0);
		if (!rows[i].ok)
			assert_reported(&o, "error: JSON nested more than 65536 levels deep");
		outcome_fini(&o);
		recorder_fini(&r);
		buf_fini(&doc);
	}
}

/* ---- streaming ---- */

/*
 * Every byte of a response on the chunk boundary: escapes (one of 12 bytes), numbers with
 * exponents, literals, strings kept and skipped, notes. Whatever is cut, the same samples.
 */
static void test_tokens_straddle_chunks(void **state)
{
	(void)state;
	const char *doc =
	    "{\"status\":\"success\",\"warnings\":[\"w\\u00e9\\ud83d\\ude00\"],\"x\":[true,false,"
	    "null,-1.5e+10,\"skip\\\"ped\"],\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{\"__name__\":\"n\\u0061me\",\"path\":\"/a\\\\b\\ud83d\\ude00\","
	    "\"k\":\"a long enough value\"},\"values\":[[1.7334567891235e9,\"NaN\"],"
	    "[1733456790.5,\"-1.25e-3\"],[17334567910E-1,\"+Inf\"]]},"
	    "{\"values\":[[1,\"1\"]],\"metric\":{\"__name__\":\"late\"}}]}}";
	struct recorder expected = {.store = true};
	struct outcome o = read_text(doc, &expected);
	assert_true(o.ok);
	assert_int_equal(expected.count, 4);
	assert_sample(&expected, 0, "name", "path=/a\\b\xF0\x9F\x98\x80,k=a long enough value", NAN,
	              1733456789123500);
	assert_sample(&expected, 1, "name", "path=/a\\b\xF0\x9F\x98\x80,k=a long enough value",
	              -1.25e-3, 1733456790500000);
	assert_sample(&expected, 3, "late", "", 1, 1000000);
	assert_string_equal(expected.notes[0], "w\xC3\xA9\xF0\x9F\x98\x80");
	outcome_fini(&o);

	size_t len = strlen(doc);
	char *input = xmalloc(CHUNK + len);
	for (size_t shift = 0; shift <= len; shift++) {
		size_t pad = CHUNK - shift;
		memset(input, ' ', pad);
		memcpy(input + pad, doc, len);
		struct recorder r = {.store = true};
		o = read_bytes(input, pad + len, &r, true, false);
		if (!o.ok || r.count != expected.count) {
			print_error("shift %zu: %s", shift, o.diags);
			fail();
		}
		for (size_t i = 0; i < r.count; i++)
			assert_sample(&r, i, expected.samples[i].name, expected.samples[i].labels,
			              expected.samples[i].value, expected.samples[i].time_us);
		assert_int_equal(r.note_count, 1);
		assert_string_equal(r.notes[0], expected.notes[0]);
		/* positions count the padding: all on line 1 */
		assert_int_equal(r.samples[0].line, 1);
		assert_int_equal(r.samples[0].column, expected.samples[0].column + pad);
		outcome_fini(&o);
		recorder_fini(&r);
	}
	free(input);
	recorder_fini(&expected);
}

/* A string that straddles many chunks, and one over the limit. */
static void test_long_strings(void **state)
{
	(void)state;
	size_t long_len = 3 * CHUNK + 17;
	struct buf doc;
	buf_init(&doc);
	buf_puts(&doc, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	               "{\"metric\":{\"long\":\"");
	for (size_t i = 0; i < long_len; i++)
		buf_putc(&doc, (char)('a' + i % 26));
	buf_puts(&doc, "\"},\"value\":[1,\"1\"]}]}}");
	struct recorder r = {.store = true};
	struct outcome o = read_text(doc.data, &r);
	assert_true(o.ok);
	assert_int_equal(r.count, 1);
	assert_int_equal(strlen(r.samples[0].labels), 5 + long_len);
	assert_int_equal(memcmp(r.samples[0].labels, "long=abcdefghijklmnopqrstuvwxyzabc", 34), 0);
	outcome_fini(&o);
	recorder_fini(&r);
	buf_fini(&doc);

	/* over 1 MiB: refused in a kept string, read through in a skipped one */
	for (int skipped = 0; skipped < 2; skipped++) {
		buf_init(&doc);
		buf_printf(&doc, "{\"status\":\"success\",\"%s\":\"", skipped ? "x" : "error");
		for (size_t i = 0; i < 1024 * 1024 + 1; i++)
			buf_putc(&doc, 'e');
		buf_puts(&doc, "\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
		r = (struct recorder){.store = true};
		o = read_text(doc.data, &r);
		assert_int_equal(o.ok, skipped);
		if (!skipped)
			assert_reported(&o, "resp.json:1:29: error: a string longer than 1048576 "
			                    "bytes, more than perfgate reads");
		outcome_fini(&o);
		recorder_fini(&r);
		buf_fini(&doc);
	}
}

/* Many chunks, pretty-printed: every sample arrives, with its line. */
static void test_large_input_every_sample_arrives(void **state)
{
	(void)state;
	enum { SERIES = 12, VALUES = 2500 };
	struct buf doc;
	buf_init(&doc);
	buf_puts(&doc, "\xEF\xBB\xBF{\n  \"status\": \"success\",\n  \"data\": {\n"
	               "    \"resultType\": \"matrix\",\n    \"result\": [\n");
	double value_sum = 0;
	uint64_t time_sum = 0; /* wraps, as the recorder's */
	for (int s = 0; s < SERIES; s++) {
		buf_printf(&doc,
		           "      {\n        \"metric\": {\"__name__\": \"m%d\", \"instance\": "
		           "\"host-%d:9100\"},\n        \"values\": [\n",
		           s, s);
		for (int v = 0; v < VALUES; v++) {
			buf_printf(&doc, "          [%d.%03d, \"%d.25\"]%s\n", 1733456789 + v,
			           (s * 7 + v) % 1000, v, v + 1 < VALUES ? "," : "");
			value_sum += v + 0.25;
			time_sum +=
			    (uint64_t)(1733456789 + v) * 1000000 + (s * 7 + v) % 1000 * 1000;
		}
		buf_printf(&doc, "        ]\n      }%s\n", s + 1 < SERIES ? "," : "");
	}
	buf_puts(&doc, "    ]\n  }\n}\n");
	assert_true(doc.len > 10 * CHUNK);
	struct recorder r = {0};
	struct outcome o = read_bytes(doc.data, doc.len, &r, true, false);
	assert_true(o.ok);
	assert_int_equal(r.total, SERIES * VALUES);
	assert_true(r.value_sum == value_sum);
	assert_int_equal(r.time_sum, time_sum);
	/* the last pair: on the fifth line from the end, column 11 */
	size_t lines = occurrences(doc.data, "\n");
	assert_int_equal(r.last.line, lines - 5);
	assert_int_equal(r.last.column, 11);
	outcome_fini(&o);
	recorder_fini(&r);

	/* the same through gzip */
	r = (struct recorder){0};
	o = read_bytes(doc.data, doc.len, &r, true, true);
	assert_true(o.ok);
	assert_int_equal(r.total, SERIES * VALUES);
	assert_int_equal(r.time_sum, time_sum);
	outcome_fini(&o);
	recorder_fini(&r);

	/* a .gz cut short: a read error, reported */
	gzFile g = gzopen(infile.path, "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, doc.data, (unsigned)doc.len), (int)doc.len);
	assert_int_equal(gzclose(g), Z_OK);
	struct stat st;
	assert_int_equal(stat(infile.path, &st), 0);
	assert_int_equal(truncate(infile.path, st.st_size / 2), 0);
	r = (struct recorder){0};
	o = read_path(infile.path, &r, true);
	assert_false(o.ok);
	assert_reported(&o, "error: cannot read input: ");
	assert_true(r.total < SERIES * VALUES);
	outcome_fini(&o);
	recorder_fini(&r);
	buf_fini(&doc);
}

static void test_bom_skipped(void **state)
{
	(void)state;
	const char *doc = "\xEF\xBB\xBF{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
	                  "\"result\":[1,\"x\"]}}";
	struct recorder r = {.store = true};
	struct outcome o = read_text(doc, &r);
	assert_false(o.ok);
	/* columns start after the BOM, as an editor shows them */
	assert_reported_at(&o, doc, "\"x\"", "error: 'x' is not a sample value");
	outcome_fini(&o);
	recorder_fini(&r);
}

static void test_sink_stop_stops(void **state)
{
	(void)state;
	struct recorder r = {.store = true, .stop_after = 2};
	struct outcome o = read_text(matrix_doc, &r);
	assert_false(o.ok);
	assert_int_equal(r.count, 2);
	assert_int_equal(o.errors, 0); /* the sink reports why it stopped */
	outcome_fini(&o);
	recorder_fini(&r);
}

/* ---- sniffing ---- */

static void test_score(void **state)
{
	(void)state;
	static const struct {
		const char *prefix;
		bool claimed;
	} rows[] = {
	    {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[", true},
	    {"  {\n  \"status\" : \"error\", \"errorType\":\"bad_data\"", true},
	    {"\xEF\xBB\xBF{\"status\":\"success\"", true},
	    {"{\"data\":{\"result\":[{\"metric\":{\"__name__\":\"up\"}", true},
	    {"{\"data\": {\"resultType\": \"vector\"", true},
	    {"{\"isPartial\":false,\"data\":{\"result\":[],\"resultType\":\"vector\"}", false},
	    {"{\"error\":\"query timed out\",\"errorType\":\"timeout\",\"status\":\"error\"}",
	     true},
	    {"{\"warnings\":[\"w\"],\"status\":\"success\",\"data\":{\"resultType\":\"vector\"",
	     true},
	    {"{\n \"start\": 1796531473.607,\n \"queries\": [{\"response\": {\"status\": "
	     "\"success\", "
	     "\"data\": {\"resultType\": \"vector\"",
	     false},
	    {"{\"status\":\"pending\"}", false},
	    {"[{\"status\":\"success\"}]", false},
	    {"status: success", false},
	    {"", false},
	    {"# HELP up 1 if the target is up\n# TYPE up gauge\nup 1\n", false},
	    {"{\"root_group\":{\"name\":\"\",\"path\":\"\",\"id\":"
	     "\"d41d8cd98f00b204e9800998ecf8427e\""
	     "},\"metrics\":{\"http_reqs\":{\"count\":1}}}",
	     false},
	    {"{\"title\":null,\"url\":\"http://localhost:3000\",\"socketPath\":null,\"connections\""
	     ":10,\"statusCodeStats\":{\"200\":{\"count\":5}}}",
	     false},
	    {"{\"format\":\"perfgate-model\",\"version\":1,\"runs\":[]}", false},
	    {"{\"format\":\"perfgate-model\",\"tags\":{\"resultType\":\"x\"}}", false},
	    {"{\"type\":\"Metric\",\"data\":{\"name\":\"http_reqs\",\"type\":\"counter\"},"
	     "\"metric\":\"http_reqs\"}\n",
	     false},
	    {"{\"metric\":\"http_reqs\",\"type\":\"Point\",\"data\":{\"time\":\"2024-01-01T00:00:"
	     "00Z\""
	     ",\"value\":1,\"tags\":{\"status\":\"200\"}}}\n",
	     false},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		int score = prom_api_score(rows[i].prefix, strlen(rows[i].prefix));
		if (rows[i].claimed ? score < 90 : score != 0) {
			print_error("row %zu: score %d for %s\n", i, score, rows[i].prefix);
			fail();
		}
	}
}

/* ---- real responses (fixtures/prometheus/) ---- */

/* The checkout's fixtures/ folder (tests/CMakeLists.txt defines it). */
static char *fixtures_dir(void)
{
	return xstrdup(TEST_FIXTURES_DIR);
}

/* Reads the first bytes of a file, as the registry sniffs it. */
static int score_file(const char *path)
{
	struct io_reader in;
	assert_true(io_reader_open(&in, path));
	const char *prefix;
	long got = io_reader_peek(&in, 64 * 1024, &prefix);
	assert_true(got >= 0);
	int score = prom_api_score(prefix, (size_t)got);
	io_reader_close(&in);
	return score;
}

static void test_real_responses(void **state)
{
	(void)state;
	/*
	 * Counts made independently with Python from the fixtures as of 2026-12-06 04:32 UTC
	 * (recompute them when make-fixtures.sh runs again), for each file:
	 *   d = json.load(open(f), parse_float=Decimal); r = d["data"]["result"]
	 *   series = len(r)
	 *   samples = sum(len(s.get("values", [])) + ("value" in s) for s in r)
	 *   times = sum(int((t * 10**6).quantize(Decimal(1), ROUND_HALF_UP))
	 *               for s in r for t, _ in s["values"])
	 *   values = math.fsum(float(v) for s in r for _, v in s["values"])
	 * (none holds NaN or a native histogram)
	 */
	static const struct {
		const char *file;
		size_t series, samples;
		uint64_t time_sum;
		double value_sum;
	} rows[] = {
	    {"steady/range-http_request_duration_seconds_bucket.json", 22, 550,
	     988092315983850000ULL, 50446363.0},
	    {"steady/raw-http_request_duration_seconds_bucket.json", 22, 440, 790473852757160000ULL,
	     42226947.0},
	    {"steady/raw-node_cpu_seconds_total.json", 16, 320, 574890074635280000ULL, 181158.16},
	    {"steady/range-http_requests_total.json", 3, 75, 134739861270525000ULL, 4609185.0},
	    {"restart/raw-http_requests_total.json", 3, 48, 86233513045872000ULL, 2661902.0},
	    {"restart/range-process_cpu_seconds_total.json", 2, 46, 82640449976188000ULL,
	     142.41652},
	};
	char *fixtures = fixtures_dir();
	if (!fixtures)
		skip();
	char *probe = xasprintf("%s/prometheus/steady", fixtures);
	struct stat st;
	bool present = stat(probe, &st) == 0;
	free(probe);
	if (!present) {
		free(fixtures);
		skip();
	}
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *path = xasprintf("%s/prometheus/%s", fixtures, rows[i].file);
		assert_int_equal(score_file(path), 95);
		struct recorder r = {.store = true};
		struct outcome o = read_path(path, &r, true);
		size_t series = 0;
		for (size_t k = 0; k < r.count; k++)
			series += k == 0 ||
			          strcmp(r.samples[k].labels, r.samples[k - 1].labels) != 0 ||
			          strcmp(r.samples[k].name, r.samples[k - 1].name) != 0;
		assert_int_equal(series, rows[i].series);
		if (!o.ok || r.total != rows[i].samples || r.time_sum != rows[i].time_sum ||
		    fabs(r.value_sum - rows[i].value_sum) > 1e-9 * fabs(rows[i].value_sum)) {
			print_error(
			    "%s: ok=%d samples %zu (%zu) time sum %llu (%llu) value sum %.17g "
			    "(%.17g)\n%s",
			    rows[i].file, o.ok, r.total, rows[i].samples,
			    (unsigned long long)r.time_sum, (unsigned long long)rows[i].time_sum,
			    r.value_sum, rows[i].value_sum, o.diags);
			fail();
		}
		outcome_fini(&o);
		recorder_fini(&r);
		free(path);
	}
	/* nothing else in fixtures/ is claimed */
	static const char *const others[] = {
	    "prometheus/steady/truth.json", /* quotes responses; is none */
	    "prometheus/restart/truth.json",  "prometheus/steady/autocannon-work.json",
	    "autocannon/fast-c10-d3.json",    "autocannon/bimodal-c8-d3.json",
	    "autocannon/fast-c10-d3.json.gz",
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(others); i++) {
		char *path = xasprintf("%s/%s", fixtures, others[i]);
		if (stat(path, &st) == 0)
			assert_int_equal(score_file(path), 0);
		free(path);
	}
	free(fixtures);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_matrix_several_series, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_name_absent_is_null, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_metric_after_values_is_buffered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_values_waiting_for_metric_are_capped, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_vector, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scalar, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sorted_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_string_result_warns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_values_as_go_writes_them, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_values_match_num_parse_double, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_values_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_times_exact_microseconds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_pairs_reported_at_line_column, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_problems_after_ten_are_counted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_status_error_quotes_the_server, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_warnings_and_infos_passed_on, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_native_histograms_skipped_with_one_warning, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_missing_and_misplaced_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_labels_decoded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_label_problems_drop_the_series, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_json, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncated_anywhere, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deep_nesting_in_unknown_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tokens_straddle_chunks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_strings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large_input_every_sample_arrives, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bom_skipped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sink_stop_stops, setup, teardown),
	    cmocka_unit_test(test_score),
	    cmocka_unit_test_setup_teardown(test_real_responses, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
