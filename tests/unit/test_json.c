/*
 * test_json.c - the JSON writer (layout, escaping, shortest numbers) and the JSON Pointer
 * locator (line:col and byte offsets of values and member names inside raw JSON, including BOM,
 * CRLF and escaped keys).
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

#include "util/json.h"
#include "util/jsonw.h"
#include "test_support.h"

static void test_shortest_round_trip_numbers(void **state)
{
	(void)state;
	static const struct {
		double value;
		const char *text;
	} rows[] = {
		{12.51, "12.51"}, {0.1, "0.1"}, {1e-05, "1e-05"}, {0.975, "0.975"},
		{3066910, "3066910"}, {-0.0, "0"}, {1.0 / 3, "0.3333333333333333"},
		{14337433.6, "14337433.6"}, {1e21, "1e+21"}, {5e-324, "4.94065645841247e-324"} /* 15 digits already round-trip */,
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[32];
		str_format_double(out, rows[i].value);
		if (strcmp(out, rows[i].text) != 0)
			fail_msg("row %zu: %s, expected %s", i, out, rows[i].text);
		assert_true(strtod(out, NULL) == rows[i].value || rows[i].value == 0);
	}
}

static void test_writer_layout_and_inline_containers(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	struct jsonw w;
	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "a");
	jsonw_int(&w, 1);
	jsonw_key(&w, "b");
	jsonw_array_inline(&w);
	jsonw_double(&w, 0.5);
	jsonw_double(&w, NAN);
	jsonw_string(&w, NULL);
	jsonw_end(&w);
	jsonw_key(&w, "c");
	jsonw_object(&w);
	jsonw_end(&w);
	jsonw_key(&w, "d");
	jsonw_array(&w);
	jsonw_bool(&w, true);
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_finish(&w);
	assert_string_equal(b.data, "{\n  \"a\": 1,\n  \"b\": [0.5, null, null],\n  \"c\": {},\n"
				    "  \"d\": [\n    true\n  ]\n}\n");
	buf_fini(&b);
}

#define FFFD "\xEF\xBF\xBD"

static void test_writer_escapes_and_repairs_utf8(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	struct jsonw w;
	jsonw_init(&w, &b);
	/* quote, backslash, newline, a control byte, valid UTF-8, a lone GBK byte pair */
	jsonw_string(&w, "a\"b\\c\nd\x01" "\xC3\xA9" "\xB2\xE2");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\u0001\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD\"");
	/* the output parses as JSON */
	json_error_t error;
	json_t *v = json_loads(b.data, JSON_DECODE_ANY, &error);
	assert_non_null(v);
	json_decref(v);

	/*
	 * Lead bytes F5..FF start no UTF-8 sequence (RFC 3629), even before two continuation
	 * bytes: each byte becomes U+FFFD, and Jansson, which rejects invalid UTF-8, reads it.
	 * regression: jsonw passed "\xF5\x80\x80" through, so a saved model with such a name
	 * could not be read back.
	 */
	buf_clear(&b);
	jsonw_init(&w, &b);
	jsonw_string(&w, "x\xF5\x80\x80y\xFF\xBF\xBF");
	assert_string_equal(b.data, "\"x" FFFD FFFD FFFD "y" FFFD FFFD FFFD "\"");
	v = json_loads(b.data, JSON_DECODE_ANY, &error);
	assert_non_null(v);
	assert_string_equal(json_string_value(v), "x" FFFD FFFD FFFD "y" FFFD FFFD FFFD);
	json_decref(v);
	buf_fini(&b);
}

static void locate(const char *text, const char *pointer, uint64_t line, uint64_t column,
		   size_t span)
{
	struct source src;
	source_init(&src, "t.json", text, strlen(text));
	struct diag_loc loc;
	bool found = json_locate(&src, pointer, &loc);
	if (line == 0) {
		assert_false(found);
		assert_int_equal(loc.line, 0);
	} else {
		if (!found || loc.line != line || loc.column != column || loc.span != span)
			fail_msg("%s: found=%d at %llu:%llu span %zu, expected %llu:%llu span %zu",
				 pointer, found, (unsigned long long)loc.line,
				 (unsigned long long)loc.column, loc.span,
				 (unsigned long long)line, (unsigned long long)column, span);
	}
	source_fini(&src);
}

static void test_locator_finds_values_by_pointer(void **state)
{
	(void)state;
	const char *doc = "{\n  \"latency\": {\"p50\": 14, \"p97_5\": \"x\"},\n"
			  "  \"list\": [1, {\"a/b\": true}, \"s\\\"q\"],\n  \"t~\": null\n}";
	locate(doc, "/latency/p50", 2, 22, 2);
	locate(doc, "/latency/p97_5", 2, 35, 3);
	locate(doc, "/latency", 2, 14, 1);
	locate(doc, "/list/0", 3, 12, 1);
	locate(doc, "/list/1/a~1b", 3, 23, 4);
	locate(doc, "/list/2", 3, 30, 6);
	locate(doc, "/t~0", 4, 9, 4);
	locate(doc, "", 1, 1, 1);
	locate(doc, "/missing", 0, 0, 0);
	locate(doc, "/list/3", 0, 0, 0);
	locate(doc, "/list/x", 0, 0, 0);
	locate(doc, "/latency/p50/deeper", 0, 0, 0);
}

static void test_locator_with_bom_and_crlf(void **state)
{
	(void)state;
	locate("\xEF\xBB\xBF{\r\n\"a\": 1,\r\n\"b\": [2]\r\n}\r\n", "/b/0", 3, 7, 1);
	locate("[{\"title\": \"t\"}, {\"title\": 5}]", "/1/title", 1, 28, 1);
}

/* Byte offsets of values and of member names, for positions inside strings (budget files). */
static void test_locator_offsets_of_values_and_keys(void **state)
{
	(void)state;
	static const struct {
		const char *doc;
		const char *pointer;
		long value;  /* offset of the value's first byte; -1: not found */
		long key;    /* offset of its member name's '"'; -1: none */
	} rows[] = {
		{"{\"a\": \"xy\"}", "/a", 6, 1},
		{"{\"a\": [1, \"s\"]}", "/a/1", 10, -1},
		{"{\"a\": [1, \"s\"]}", "", 0, -1},
		{"{\"a\": 1}", "/b", -1, -1},
		/* \u escapes in keys decode to UTF-8 as Jansson decodes them */
		{"{\"\\u00e9t\\u00e9\": 1, \"x\": 2}", "/\xc3\xa9t\xc3\xa9", 18, 1},
		{"{\"\\ud83d\\ude00\": 1}", "/\xf0\x9f\x98\x80", 17, 1},
		{"{\"a\\/b\": {\"c\": 3}}", "/a~1b/c", 15, 10},
		{"\xEF\xBB\xBF{\"k\": \"v\"}", "/k", 9, 4},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct source src;
		source_init(&src, "t.json", rows[i].doc, strlen(rows[i].doc));
		size_t value = 0, key = 0;
		long got_value = json_locate_offset(&src, rows[i].pointer, &value) ? (long)value : -1;
		long got_key = json_locate_key_offset(&src, rows[i].pointer, &key) ? (long)key : -1;
		if (got_value != rows[i].value || got_key != rows[i].key)
			fail_msg("row %zu (%s): value %ld key %ld, expected %ld %ld", i,
				 rows[i].pointer, got_value, got_key, rows[i].value, rows[i].key);
		source_fini(&src);
	}
}

static void test_parse_reports_syntax_error_position(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &out, &len);
	const char *text = "{\n  \"a\": 1,\n  \"b\": tru\n}";
	struct source src;
	source_init(&src, "t.json", text, strlen(text));
	assert_null(json_parse_source(&src, &d));
	fclose(f);
	assert_int_equal(d.errors, 1);
	assert_true(strncmp(out, "t.json:3:", 9) == 0);
	assert_non_null(strstr(out, "error: not valid JSON"));
	free(out);
	source_fini(&src);
}

static void test_typed_getter_reports_wrong_type_at_value(void **state)
{
	(void)state;
	char *out = NULL;
	size_t len = 0;
	struct diag d;
	FILE *f = memory_diag(&d, &out, &len);
	const char *text = "{\"latency\": {\"p50\": \"14\", \"p90\": 15}}";
	struct source src;
	source_init(&src, "t.json", text, strlen(text));
	json_t *root = json_parse_source(&src, &d);
	json_t *latency = json_object_get(root, "latency");
	double v = 0;
	assert_int_equal(json_get_number(&d, &src, "/latency", latency, "p90", &v), JSON_FOUND);
	assert_true(v == 15);
	assert_int_equal(json_get_number(&d, &src, "/latency", latency, "p99", &v), JSON_ABSENT);
	assert_int_equal(json_get_number(&d, &src, "/latency", latency, "p50", &v), JSON_WRONG);
	fclose(f);
	assert_string_equal(out, "t.json:1:21: error: 'p50' must be a number, not a string\n"
				 "  {\"latency\": {\"p50\": \"14\", \"p90\": 15}}\n"
				 "                      ^~~~\n");
	json_decref(root);
	free(out);
	source_fini(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shortest_round_trip_numbers),
		cmocka_unit_test(test_writer_layout_and_inline_containers),
		cmocka_unit_test(test_writer_escapes_and_repairs_utf8),
		cmocka_unit_test(test_locator_finds_values_by_pointer),
		cmocka_unit_test(test_locator_with_bom_and_crlf),
		cmocka_unit_test(test_locator_offsets_of_values_and_keys),
		cmocka_unit_test(test_parse_reports_syntax_error_position),
		cmocka_unit_test(test_typed_getter_reports_wrong_type_at_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
