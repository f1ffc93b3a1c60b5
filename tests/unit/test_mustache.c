/*
 * test_mustache.c - the Mustache engine (emit/mustache.c).
 *
 * Two CTest entries run this file. `test_mustache spec` runs every case of the six core files
 * of the Mustache specification, read in place from TEST_MUSTACHE_SPEC_DIR (../shared), with
 * HTML escaping and partials from the case's "partials" object; it exits 77 (skipped) when that
 * directory is absent, and fails when it ran fewer cases than the files hold. Without an
 * argument it runs our own cases: Markdown escaping (a hostile endpoint name in a table row),
 * values and falsiness, raw tags in every mode, the exact text and position of each syntax
 * error, the depth and step limits, and partials confined to a directory (made under TMPDIR,
 * a symlink pointing outside included).
 */
#define _XOPEN_SOURCE 700 /* realpath, mkdtemp, symlink */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "emit/mustache.h"
#include "test_support.h"
#include "emit/emit_test.h"

/* ---- helpers ---- */

/* Partials from a JSON object of name -> template text (the spec's "partials"). */
static bool object_load(void *context, const char *name, const struct diag_loc *at,
			struct buf *text, const char **display, bool *failed, struct diag *d)
{
	(void)at, (void)display, (void)failed, (void)d;
	const json_t *p = json_object_get(context, name);
	if (!json_is_string(p))
		return false;
	buf_append(text, json_string_value(p), json_string_length(p));
	return true;
}

struct result {
	bool ok;
	char *out;         /* rendered bytes; owned */
	char *diagnostics; /* everything reported; owned */
	unsigned long errors;
	unsigned long warnings;
};

static void result_fini(struct result *r)
{
	free(r->out);
	free(r->diagnostics);
}

/*
 * Renders template (named "t.mustache") over the JSON text data_json, with partials from the
 * JSON object partials_json (NULL = none) or from loader when given.
 */
static struct result render_with(const char *template, const char *data_json,
				 enum mustache_escape escape, const char *partials_json,
				 const struct mustache_partials *loader)
{
	json_error_t error;
	json_t *data = json_loads(data_json, JSON_DECODE_ANY, &error);
	if (!data)
		fail_msg("bad test data %s: %s", data_json, error.text);
	json_t *partials = partials_json ? json_loads(partials_json, 0, &error) : NULL;
	struct mustache_partials from_object = {object_load, partials};
	struct result r;
	size_t len;
	struct diag d;
	FILE *f = memory_diag(&d, &r.diagnostics, &len);
	struct buf out;
	buf_init(&out);
	r.ok = mustache_render("t.mustache", template, strlen(template), data, escape,
			       loader ? loader : partials ? &from_object : NULL, &out, &d);
	fclose(f);
	r.out = xstrdup(out.data ? out.data : "");
	r.errors = d.errors;
	r.warnings = d.warnings;
	buf_fini(&out);
	json_decref(partials);
	json_decref(data);
	return r;
}

static struct result render(const char *template, const char *data_json,
			    enum mustache_escape escape)
{
	return render_with(template, data_json, escape, NULL, NULL);
}

/* Renders and requires success without diagnostics and exactly the expected bytes. */
static void expect(const char *template, const char *data_json, enum mustache_escape escape,
		   const char *expected)
{
	struct result r = render(template, data_json, escape);
	if (!r.ok || r.errors || r.warnings || strcmp(r.out, expected) != 0)
		fail_msg("template %s over %s\nexpected '%s'\ngot      '%s'\n%s", template,
			 data_json, expected, r.out, r.diagnostics);
	result_fini(&r);
}

/* ---- the specification's cases ---- */

static const char *const spec_files[] = {
	"interpolation", "sections", "inverted", "comments", "partials", "delimiters",
};

/* Prints s as a JSON string, so newlines and control characters show. */
static void print_quoted(const char *label, const char *s, size_t len)
{
	json_t *j = json_stringn_nocheck(s, len);
	char *text = json_dumps(j, JSON_ENCODE_ANY);
	print_message("  %-9s %s\n", label, text ? text : "?");
	free(text);
	json_decref(j);
}

/* Runs every case of one spec file; returns the number of cases run, counts failures. */
static size_t run_spec_file(const char *file, size_t *expected_cases, size_t *failures)
{
	char *path = xasprintf("%s/%s.json", TEST_MUSTACHE_SPEC_DIR, file);
	json_error_t error;
	json_t *root = json_load_file(path, 0, &error);
	if (!root)
		fail_msg("%s: %s (the spec directory is there, but not this file)", path,
			 error.text);
	const json_t *cases = json_object_get(root, "tests");
	if (!json_is_array(cases) || json_array_size(cases) == 0)
		fail_msg("%s: no \"tests\" array", path);
	*expected_cases += json_array_size(cases);
	size_t ran = 0, passed = 0;
	size_t i;
	const json_t *c;
	json_array_foreach(cases, i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		const json_t *template = json_object_get(c, "template");
		const json_t *want = json_object_get(c, "expected");
		assert_non_null(name);
		assert_true(json_is_string(template) && json_is_string(want));
		struct mustache_partials partials = {object_load, json_object_get(c, "partials")};
		char *diagnostics;
		size_t len;
		struct diag d;
		FILE *f = memory_diag(&d, &diagnostics, &len);
		struct buf out;
		buf_init(&out);
		bool ok = mustache_render(name, json_string_value(template),
					  json_string_length(template), json_object_get(c, "data"),
					  MUSTACHE_ESCAPE_HTML, &partials, &out, &d);
		fclose(f);
		ran++;
		if (ok && d.errors + d.warnings == 0 && out.len == json_string_length(want) &&
		    memcmp(out.data ? out.data : "", json_string_value(want), out.len) == 0) {
			passed++;
		} else {
			print_message("FAIL %s.json: %s\n", file, name);
			print_quoted("template", json_string_value(template),
				     json_string_length(template));
			print_quoted("expected", json_string_value(want), json_string_length(want));
			print_quoted("got", out.data ? out.data : "", out.len);
			if (len)
				print_message("%s", diagnostics);
			++*failures;
		}
		buf_fini(&out);
		free(diagnostics);
	}
	print_message("%s.json: %zu of %zu cases pass\n", file, passed, ran);
	json_decref(root);
	free(path);
	return ran;
}

static bool spec_skipped;

static void test_spec_core_modules(void **state)
{
	(void)state;
	struct stat st;
	if (stat(TEST_MUSTACHE_SPEC_DIR, &st) != 0 || !S_ISDIR(st.st_mode)) {
		print_message("skipped: no Mustache spec directory at %s (%s); it is read in "
			      "place from the shared/ folder beside the checkout\n",
			      TEST_MUSTACHE_SPEC_DIR, strerror(errno));
		spec_skipped = true;
		skip();
	}
	size_t expected_cases = 0, ran = 0, failures = 0;
	for (size_t i = 0; i < PG_ARRAY_LEN(spec_files); i++)
		ran += run_spec_file(spec_files[i], &expected_cases, &failures);
	print_message("%zu spec cases run, %zu failed\n", ran, failures);
	assert_true(ran > 0);
	assert_int_equal(ran, expected_cases);
	assert_int_equal(failures, 0);
}

/* ---- Markdown escaping ---- */

#define IN(s) s, sizeof(s) - 1

static void test_markdown_escaping_table(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} rows[] = {
		{IN("plain text, 1.5 (ok) -+=!"), "plain text, 1.5 (ok) -+=!"},
		{IN("a|b"), "a\\|b"},
		{IN("`code`"), "\\`code\\`"},
		{IN("<script>"), "\\<script\\>"},
		{IN("\\`*_[]<>|&~#"), "\\\\\\`\\*\\_\\[\\]\\<\\>\\|\\&\\~\\#"},
		{IN("[link](http://x)"), "\\[link\\](`http://x)`"},
		/* URLs become code spans: GitHub shows them and links nothing */
		{IN("GET http://127.0.0.1:8081/slow"), "GET `http://127.0.0.1:8081/slow`"},
		{IN("HTTPS://x/a_b*c d"), "`HTTPS://x/a_b*c` d"},
		{IN("see www.example.com."), "see `www.example.com.`"},
		{IN("http://x/`a``b"), "```http://x/`a``b```"},
		{IN("http://x/a|b"), "`http://x/a\\|b`"},
		{IN("`http://x`"), "\\``` http://x` ``"}, /* ends with a backtick: padded */
		{IN("xhttp://y"), "xhttp://y"},
		{IN("http:// x"), "http:// x"},
		{IN("http://"), "http://"},
		{IN("a\nb"), "a b"},
		{IN("a\r\nb"), "a  b"},
		{IN("a\rb"), "a b"},
		{IN("a\tb"), "a b"},
		{IN("\x01\x1f\x7f"), "   "},
		{IN("a\0b"), "a b"},
		{IN("\xC2\x85 \xC2\x9F"), "   "},                 /* C1 controls NEL, APC */
		{IN("caf\xC3\xA9 \xE6\x97\xA5 \xC2\xA0 \xF0\x9F\x98\x80"),
		 "caf\xC3\xA9 \xE6\x97\xA5 \xC2\xA0 \xF0\x9F\x98\x80"}, /* é, 日, NBSP, emoji */
		{IN("\xFF"), "\xEF\xBF\xBD"},
		{IN("x\xE2\x82"), "x\xEF\xBF\xBD\xEF\xBF\xBD"},     /* a cut sequence */
		{IN("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD"},       /* overlong '/' */
		{IN("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* a surrogate */
		{IN(""), ""},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct buf out;
		buf_init(&out);
		mustache_escape_markdown(rows[i].in, rows[i].len, &out);
		const char *got = out.data ? out.data : "";
		if (out.len != strlen(rows[i].out) || strcmp(got, rows[i].out) != 0)
			fail_msg("row %zu: expected '%s', got '%s'", i, rows[i].out, got);
		buf_fini(&out);
	}
}

/* A hostile endpoint name in a table row stays inside its cell, on its line. */
static void test_markdown_hostile_name_stays_in_its_table_cell(void **state)
{
	(void)state;
	struct result r = render("| {{name}} | 1 |\n", "{\"name\": \"a|b`c<script>\\n| x |\"}",
				 MUSTACHE_ESCAPE_MARKDOWN);
	assert_true(r.ok);
	assert_string_equal(r.out, "| a\\|b\\`c\\<script\\> \\| x \\| | 1 |\n");
	size_t newlines = 0, pipes = 0;
	for (size_t i = 0; r.out[i]; i++) {
		newlines += r.out[i] == '\n';
		pipes += r.out[i] == '|' && (i == 0 || r.out[i - 1] != '\\');
	}
	assert_int_equal(newlines, 1);
	assert_int_equal(pipes, 3); /* the template's own three */
	result_fini(&r);
}

static void test_escape_modes(void **state)
{
	(void)state;
	const char *data = "{\"x\": \"<a href='u'>&\\\"|`*</a>\"}";
	expect("{{x}}", data, MUSTACHE_ESCAPE_HTML,
	       "&lt;a href=&#39;u&#39;&gt;&amp;&quot;|`*&lt;/a&gt;");
	expect("{{x}}", data, MUSTACHE_ESCAPE_MARKDOWN, "\\<a href='u'\\>\\&\"\\|\\`\\*\\</a\\>");
	expect("{{x}}", data, MUSTACHE_ESCAPE_NONE, "<a href='u'>&\"|`*</a>");
}

static void test_triple_and_ampersand_are_never_escaped(void **state)
{
	(void)state;
	const char *data = "{\"x\": \"<b>|\\n&</b>\", \"list\": [\"<\", \"|\"]}";
	static const enum mustache_escape modes[] = {
		MUSTACHE_ESCAPE_HTML, MUSTACHE_ESCAPE_MARKDOWN, MUSTACHE_ESCAPE_NONE,
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(modes); i++) {
		expect("{{{x}}} {{&x}} {{{ x }}} {{& x }}", data, modes[i],
		       "<b>|\n&</b> <b>|\n&</b> <b>|\n&</b> <b>|\n&</b>");
		expect("{{#list}}{{{.}}}{{&.}}{{/list}}", data, modes[i], "<<||");
		expect("{{=<% %>=}}<%{x}%><%&x%>", data, modes[i], "<b>|\n&</b><b>|\n&</b>");
	}
}

/* ---- values and falsiness ---- */

static void test_values_interpolate_as_documented(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		const char *out;
	} rows[] = {
		{"85", "85"},
		{"-7", "-7"},
		{"9007199254740993", "9007199254740993"},
		{"1.210", "1.21"},
		{"0.1", "0.1"},
		{"2.0", "2"},
		{"1e300", "1e+300"},
		{"-0.0", "0"},
		{"true", "true"},
		{"false", "false"},
		{"null", ""},
		{"{\"a\": 1}", ""},
		{"[1, 2]", ""},
		{"\"\"", ""},
		{"\"caf\\u00e9\"", "caf\xC3\xA9"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *data = xasprintf("{\"v\": %s}", rows[i].json);
		expect("{{v}}", data, MUSTACHE_ESCAPE_NONE, rows[i].out);
		free(data);
	}
}

/* Falsy: false, null, [] and "" (and a missing name); everything else is truthy, 0 too. */
static void test_falsy_values(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		bool truthy;
	} rows[] = {
		{"false", false}, {"null", false}, {"[]", false}, {"\"\"", false},
		{"true", true},   {"0", true},     {"0.0", true}, {"\"0\"", true},
		{"\" \"", true},  {"{}", true},    {"[0]", true}, {"[false]", true},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *data = xasprintf("{\"v\": %s}", rows[i].json);
		expect("{{#v}}yes{{/v}}{{^v}}no{{/v}}", data, MUSTACHE_ESCAPE_NONE,
		       rows[i].truthy ? "yes" : "no");
		free(data);
	}
	expect("{{#missing}}yes{{/missing}}{{^missing}}no{{/missing}}", "{}",
	       MUSTACHE_ESCAPE_NONE, "no");
}

static void test_bom_is_not_copied(void **state)
{
	(void)state;
	expect("\xEF\xBB\xBF{{a}}\n", "{\"a\": 1}", MUSTACHE_ESCAPE_NONE, "1\n");
}

/* ---- partial indentation beyond the spec's cases ---- */

static void test_partial_indentation_nests_and_inline_partials_have_none(void **state)
{
	(void)state;
	const char *partials = "{\"outer\": \"o1\\n  {{>inner}}\\no2 {{>inline}}\\n\","
			       " \"inner\": \"i1\\ni2\\n\", \"inline\": \"x\\ny\"}";
	struct result r = render_with("> \n  {{>outer}}\nend\n", "{}", MUSTACHE_ESCAPE_NONE,
				      partials, NULL);
	assert_true(r.ok);
	assert_string_equal(r.out, "> \n  o1\n    i1\n    i2\n  o2 x\ny\nend\n");
	result_fini(&r);
}

/* Inside an indented partial, a diagnostic gives the partial's own line and column. */
static void test_diagnostic_in_indented_partial_has_its_own_position(void **state)
{
	(void)state;
	struct result r = render_with("\t\t{{>p}}\n", "{}", MUSTACHE_ESCAPE_NONE,
				      "{\"p\": \"ok\\n  {{#x}}\\n\"}", NULL);
	assert_false(r.ok);
	assert_string_equal(r.diagnostics, "p:2:3: error: unclosed section 'x'\n"
					   "    {{#x}}\n"
					   "    ^~~~~~\n");
	result_fini(&r);
}

/* ---- syntax errors: exact text and position ---- */

static void test_syntax_errors(void **state)
{
	(void)state;
	static const struct {
		const char *template;
		const char *diagnostics;
	} rows[] = {
		{"a {{b", "t.mustache:1:3: error: unclosed tag: no '}}' after '{{'\n"
			  "  a {{b\n"
			  "    ^~\n"},
		{"{{{b}}", "t.mustache:1:1: error: unclosed tag: no '}}}' after '{{'\n"
			   "  {{{b}}\n"
			   "  ^~\n"},
		{"x\n{{#rows}}\n{{name}}\n", "t.mustache:2:1: error: unclosed section 'rows'\n"
					     "  {{#rows}}\n"
					     "  ^~~~~~~~~\n"},
		{"{{#a}}\n  {{/b}}\n",
		 "t.mustache:2:3: error: closing tag 'b' does not match the open section 'a'\n"
		 "    {{/b}}\n"
		 "    ^~~~~~\n"
		 "t.mustache:1:1: note: section 'a' opened here\n"
		 "  {{#a}}\n"
		 "  ^~~~~~\n"},
		{"ok {{/a}}", "t.mustache:1:4: error: closing tag 'a' has no open section\n"
			      "  ok {{/a}}\n"
			      "     ^~~~~~\n"},
		{"{{=<%=}}", "t.mustache:1:1: error: a set-delimiter tag needs two delimiters "
			     "without whitespace, as in '{{=<% %>=}}'\n"
			     "  {{=<%=}}\n"
			     "  ^~~~~~~~\n"},
		{"{{=a b c=}}", "t.mustache:1:1: error: a set-delimiter tag needs two delimiters "
				"without whitespace, as in '{{=<% %>=}}'\n"
				"  {{=a b c=}}\n"
				"  ^~~~~~~~~~~\n"},
		{"{{=<% %>}}", "t.mustache:1:1: error: unclosed tag: no '=}}' after '{{'\n"
			       "  {{=<% %>}}\n"
			       "  ^~\n"},
		{"{{=<% %>=}}\n<%a", "t.mustache:2:1: error: unclosed tag: no '%>' after '<%'\n"
				     "  <%a\n"
				     "  ^~\n"},
		{"{{ }}", "t.mustache:1:1: error: tag has no name\n"
			  "  {{ }}\n"
			  "  ^~~~~\n"},
		{"{{#a b}}{{/a b}}", "t.mustache:1:1: error: tag name contains whitespace or a "
				     "control character\n"
				     "  {{#a b}}{{/a b}}\n"
				     "  ^~~~~~~~\n"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct result r = render(rows[i].template, "{}", MUSTACHE_ESCAPE_HTML);
		if (r.ok || r.errors != 1 || strcmp(r.diagnostics, rows[i].diagnostics) != 0)
			fail_msg("row %zu (%s): ok=%d errors=%lu\nexpected:\n%sgot:\n%s", i,
				 rows[i].template, r.ok, r.errors, rows[i].diagnostics,
				 r.diagnostics);
		result_fini(&r);
	}
}

/* ---- limits ---- */

static void test_self_including_partial_stops_at_max_depth(void **state)
{
	(void)state;
	struct result r = render_with("{{>self}}", "{}", MUSTACHE_ESCAPE_NONE,
				      "{\"self\": \"x{{>self}}\"}", NULL);
	assert_false(r.ok);
	assert_int_equal(r.errors, 1);
	assert_string_equal(r.diagnostics, "self:1:2: error: partials nested deeper than 64 "
					   "(does 'self' include itself?)\n"
					   "  x{{>self}}\n"
					   "   ^~~~~~~~~\n");
	/* the 64 accepted levels rendered before the error */
	assert_int_equal(strlen(r.out), MUSTACHE_MAX_DEPTH);
	result_fini(&r);
}

/*
 * JSON text of objects nested levels deep under key (each in a one-element list when
 * in_lists), the innermost holding last (taken) under key.
 */
static char *nested_data(const char *key, int levels, bool in_lists, json_t *last)
{
	json_t *data = json_object(), *at = data;
	for (int i = 0; i < levels; i++) {
		json_t *child = json_object();
		json_object_set_new(at, key, in_lists ? json_pack("[o]", child) : child);
		at = child;
	}
	json_object_set_new(at, key, last);
	char *text = json_dumps(data, 0);
	json_decref(data);
	return text;
}

static void test_partial_recursion_ended_by_data_renders(void **state)
{
	(void)state;
	/*
	 * 60 levels of nested lists, each level one partial and one section. The last has an
	 * empty list: without it, "kids" would be found further down the stack, forever.
	 */
	char *text = nested_data("kids", 60, true, json_array());
	struct result r = render_with("{{>node}}", text, MUSTACHE_ESCAPE_NONE,
				      "{\"node\": \"<{{#kids}}{{>node}}{{/kids}}>\"}", NULL);
	if (!r.ok)
		fail_msg("%s", r.diagnostics);
	assert_int_equal(strlen(r.out), 2 * 61);
	result_fini(&r);
	free(text);
}

static char *repeat(const char *s, int times, const char *tail)
{
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < times; i++)
		buf_puts(&b, s);
	buf_puts(&b, tail);
	return buf_take(&b);
}

static void test_section_nesting_is_limited(void **state)
{
	(void)state;
	char *open = repeat("{{#a}}", MUSTACHE_MAX_SECTIONS, "x");
	char *ok = repeat("{{/a}}", MUSTACHE_MAX_SECTIONS, "");
	char *template = xasprintf("%s%s", open, ok);
	expect(template, "{\"a\": true}", MUSTACHE_ESCAPE_NONE, "x");
	free(template);

	template = xasprintf("{{#a}}%s%s{{/a}}", open, ok);
	struct result r = render(template, "{\"a\": true}", MUSTACHE_ESCAPE_NONE);
	assert_false(r.ok);
	assert_int_equal(r.errors, 1);
	assert_non_null(strstr(r.diagnostics, "t.mustache:1:1537: error: sections nested deeper "
					      "than 256\n"));
	result_fini(&r);
	free(template);
	free(open);
	free(ok);

	/* through partials: five sections per level reach 256 before 64 partials */
	r = render_with("{{>p}}", "{\"a\": true}", MUSTACHE_ESCAPE_NONE,
			"{\"p\": \"{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{>p}}{{/a}}{{/a}}{{/a}}{{/a}}"
			"{{/a}}\"}", NULL);
	assert_false(r.ok);
	assert_int_equal(r.errors, 1);
	assert_non_null(strstr(r.diagnostics, "p:1:7: error: sections nested deeper than 256 "
					      "through partials\n"));
	result_fini(&r);
}

/*
 * A partial that includes itself twice, on data 40 levels deep (the last level ends it), would
 * take 2^40 steps: the step limit stops it.
 */
static void test_exponential_partials_stop_at_the_step_limit(void **state)
{
	(void)state;
	char *text = nested_data("k", 40, false, json_false());
	struct result r = render_with("{{>twice}}", text, MUSTACHE_ESCAPE_NONE,
				      "{\"twice\": \"{{#k}}{{>twice}}{{>twice}}{{/k}}\"}", NULL);
	assert_false(r.ok);
	assert_int_equal(r.errors, 1);
	assert_non_null(strstr(r.diagnostics, "error: rendering takes more than 16777216 steps "
					      "(does a partial include itself twice?)\n"));
	result_fini(&r);
	free(text);
}

/* A long list renders in one pass: 200000 rows, well inside the step limit. */
static void test_long_list_renders(void **state)
{
	(void)state;
	json_t *rows = json_array();
	for (int i = 0; i < 200000; i++)
		json_array_append_new(rows, json_pack("{s:i, s:s}", "n", i, "name", "GET /x|y"));
	json_t *data = json_pack("{s:o}", "rows", rows);
	char *text = json_dumps(data, 0);
	struct result r = render("{{#rows}}\n| {{name}} | {{n}} |\n{{/rows}}\n", text,
				 MUSTACHE_ESCAPE_MARKDOWN);
	assert_true(r.ok);
	assert_non_null(strstr(r.out, "| GET /x\\|y | 199999 |\n"));
	assert_true(strncmp(r.out, "| GET /x\\|y | 0 |\n| GET /x\\|y | 1 |\n", 36) == 0);
	result_fini(&r);
	free(text);
	json_decref(data);
}

/* ---- partials confined to a directory ---- */

struct tree {
	char root[4000]; /* the temporary directory */
	char tpl[4096];  /* root/tpl: the template directory */
};

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void make_link(const char *dir, const char *name, const char *target)
{
	char *path = xasprintf("%s/%s", dir, name);
	assert_int_equal(symlink(target, path), 0);
	free(path);
}

static void make_tree(struct tree *t)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(t->root, sizeof t->root, "%s/mustache-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	assert_non_null(mkdtemp(t->root));
	snprintf(t->tpl, sizeof t->tpl, "%s/tpl", t->root);
	assert_int_equal(mkdir(t->tpl, 0755), 0);
	char *sub = xasprintf("%s/sub", t->tpl);
	assert_int_equal(mkdir(sub, 0755), 0);
	char *dirpart = xasprintf("%s/dirpart", t->tpl);
	assert_int_equal(mkdir(dirpart, 0755), 0);
	write_file(t->root, "secret.txt", "SECRET");
	write_file(t->tpl, "report.mustache", "unused");
	write_file(t->tpl, "row", "row:{{x}}");
	write_file(t->tpl, "row.mustache", "never read: 'row' exists");
	write_file(t->tpl, "cell.mustache", "cell");
	write_file(t->tpl, "dirpart.mustache", "file beside a directory");
	write_file(t->tpl, "bad.mustache", "ok\n{{#x}}\n");
	write_file(sub, "inner.mustache", "inner");
	make_link(t->tpl, "evil", "../secret.txt");
	make_link(t->tpl, "evil-absolute.mustache", "/etc/passwd");
	make_link(t->tpl, "alias.mustache", "cell.mustache");
	free(dirpart);
	free(sub);
}

static void remove_tree(struct tree *t)
{
	static const char *const files[] = {
		"tpl/report.mustache", "tpl/row", "tpl/row.mustache", "tpl/cell.mustache",
		"tpl/dirpart.mustache", "tpl/bad.mustache", "tpl/sub/inner.mustache", "tpl/evil",
		"tpl/evil-absolute.mustache", "tpl/alias.mustache", "secret.txt",
		"tpl/sub", "tpl/dirpart", "tpl", "",
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(files); i++) {
		char *path = xasprintf("%s/%s", t->root, files[i]);
		assert_int_equal(remove(path), 0);
		free(path);
	}
}

static struct result render_in(struct tree *t, const char *template)
{
	struct mustache_dir dir;
	char *path = xasprintf("%s/report.mustache", t->tpl);
	mustache_dir_init(&dir, path);
	assert_non_null(dir.dir);
	struct mustache_partials partials = {mustache_dir_load, &dir};
	struct result r = render_with(template, "{\"x\": \"<1>\"}", MUSTACHE_ESCAPE_HTML, NULL,
				      &partials);
	mustache_dir_fini(&dir);
	free(path);
	return r;
}

static void test_dir_partials_are_found(void **state)
{
	(void)state;
	struct tree t;
	make_tree(&t);
	struct result r = render_in(&t, "{{>row}} {{>cell}} {{>sub/inner}} {{>alias}} "
					"{{>dirpart}}");
	assert_true(r.ok);
	assert_int_equal(r.errors + r.warnings, 0);
	assert_string_equal(r.out, "row:&lt;1&gt; cell inner cell file beside a directory");
	result_fini(&r);

	/* a syntax error inside a partial is shown under the partial's path */
	r = render_in(&t, "{{>bad}}");
	assert_false(r.ok);
	char *want = xasprintf("%s/bad.mustache:2:1: error: unclosed section 'x'\n", t.tpl);
	assert_true(strncmp(r.diagnostics, want, strlen(want)) == 0);
	free(want);
	result_fini(&r);
	remove_tree(&t);
}

static void test_dir_partials_outside_the_directory_are_refused(void **state)
{
	(void)state;
	struct tree t;
	make_tree(&t);
	char real_root[4096];
	assert_non_null(realpath(t.root, real_root));
	static const struct {
		const char *template;
		const char *message; /* %s: the real path of the temporary directory */
	} rows[] = {
		{"{{>../secret.txt}}", "partial name has a '..' component"},
		{"{{>sub/../../secret.txt}}", "partial name has a '..' component"},
		{"{{>/etc/passwd}}", "partial name is an absolute path"},
		{"{{>sub\\inner}}", "partial name contains a backslash"},
		{"{{>evil}}", "partial 'evil' resolves to '%s/secret.txt', outside the template "
			      "directory"},
		{"{{>evil-absolute}}", "partial 'evil-absolute.mustache' resolves to "
				       "'/etc/passwd', outside the template directory"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		struct result r = render_in(&t, rows[i].template);
		char *message = xasprintf(rows[i].message, real_root);
		char *want = xasprintf("t.mustache:1:1: error: %s\n", message);
		if (r.ok || r.errors != 1 || strncmp(r.diagnostics, want, strlen(want)) != 0)
			fail_msg("row %zu: expected\n%sgot\n%s", i, want, r.diagnostics);
		assert_string_equal(r.out, "");
		free(want);
		free(message);
		result_fini(&r);
	}
	remove_tree(&t);
}

/* Names the parser never passes on (empty, control characters) are refused by the loader too. */
static void test_dir_load_refuses_empty_and_control_names(void **state)
{
	(void)state;
	struct mustache_dir dir;
	mustache_dir_init(&dir, "report.mustache");
	assert_string_equal(dir.shown, ".");
	assert_non_null(dir.dir);
	static const struct {
		const char *name;
		const char *diagnostics;
	} rows[] = {
		{"", "perfgate: error: partial name is empty\n"},
		{"a\x01" "b", "perfgate: error: partial name contains a control character\n"},
		{"a\nb", "perfgate: error: partial name contains a control character\n"},
		{"..", "perfgate: error: partial name has a '..' component\n"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(rows); i++) {
		char *text;
		size_t len;
		struct diag d;
		FILE *f = memory_diag(&d, &text, &len);
		struct buf out;
		buf_init(&out);
		const char *display = NULL;
		bool failed = false;
		assert_false(mustache_dir_load(&dir, rows[i].name, NULL, &out, &display, &failed,
					       &d));
		fclose(f);
		assert_true(failed);
		assert_string_equal(text, rows[i].diagnostics);
		assert_int_equal(out.len, 0);
		buf_fini(&out);
		free(text);
	}
	mustache_dir_fini(&dir);
}

static void test_dir_missing_partial_warns_once_and_renders_nothing(void **state)
{
	(void)state;
	struct tree t;
	make_tree(&t);
	struct result r = render_in(&t, "[{{>nothere}}]\n[{{>nothere}}]");
	assert_true(r.ok);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 1);
	assert_string_equal(r.out, "[]\n[]");
	char *want = xasprintf("t.mustache:1:2: warning: partial 'nothere' not found: no file "
			       "'%s/nothere' or '%s/nothere.mustache'\n", t.tpl, t.tpl);
	assert_true(strncmp(r.diagnostics, want, strlen(want)) == 0);
	free(want);
	result_fini(&r);
	remove_tree(&t);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "spec") == 0) {
		const struct CMUnitTest spec[] = {
			cmocka_unit_test(test_spec_core_modules),
		};
		int failed = cmocka_run_group_tests_name("mustache-spec", spec, NULL, NULL);
		return failed ? failed : spec_skipped ? 77 : 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_escaping_table),
		cmocka_unit_test(test_markdown_hostile_name_stays_in_its_table_cell),
		cmocka_unit_test(test_escape_modes),
		cmocka_unit_test(test_triple_and_ampersand_are_never_escaped),
		cmocka_unit_test(test_values_interpolate_as_documented),
		cmocka_unit_test(test_falsy_values),
		cmocka_unit_test(test_bom_is_not_copied),
		cmocka_unit_test(test_partial_indentation_nests_and_inline_partials_have_none),
		cmocka_unit_test(test_diagnostic_in_indented_partial_has_its_own_position),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_self_including_partial_stops_at_max_depth),
		cmocka_unit_test(test_partial_recursion_ended_by_data_renders),
		cmocka_unit_test(test_section_nesting_is_limited),
		cmocka_unit_test(test_exponential_partials_stop_at_the_step_limit),
		cmocka_unit_test(test_long_list_renders),
		cmocka_unit_test(test_dir_partials_are_found),
		cmocka_unit_test(test_dir_partials_outside_the_directory_are_refused),
		cmocka_unit_test(test_dir_load_refuses_empty_and_control_names),
		cmocka_unit_test(test_dir_missing_partial_warns_once_and_renders_nothing),
	};
	return cmocka_run_group_tests_name("mustache", tests, NULL, NULL);
}
