/*
 * fuzz_mustache.c - libFuzzer harness for the Mustache engine. The input is a template, then a
 * NUL byte and a JSON document for the data (a fixed report-like document when there is no NUL
 * or the JSON does not parse). It is rendered in the three escape modes with partials from
 * memory: "self" is the template itself (recursion, the depth and step limits), "row" a fixed
 * table row, any other name is missing.
 * Invariants: rendering returns false exactly when it reported an error; the same input
 * renders to the same bytes twice; Markdown escaping of the template bytes yields valid UTF-8
 * with no control character and no special character left unescaped.
 */
#include "fuzz_support.h"

#include <string.h>

#include "emit/mustache.h"
#include "emit/emit_test.h"

static const char fixed_data[] =
	"{\"title\": \"a|b`c<d>&\\n\", \"n\": 3, \"x\": 1.25, \"ok\": true,"
	" \"no\": false, \"none\": null, \"empty\": [], \"s\": \"\","
	" \"rows\": [{\"name\": \"GET /a\", \"p95\": 12, \"rows\": []},"
	" {\"name\": \"\\u0000\\u00ff\", \"p95\": 0.5}], \"obj\": {\"k\": {\"v\": 1}}}";

struct memory_partials {
	const char *template;
	size_t len;
};

static bool memory_load(void *context, const char *name, const struct diag_loc *at,
			struct buf *text, const char **display, bool *failed, struct diag *d)
{
	(void)at, (void)failed, (void)d;
	const struct memory_partials *m = context;
	if (strcmp(name, "self") == 0)
		buf_append(text, m->template, m->len);
	else if (strcmp(name, "row") == 0)
		buf_puts(text, "  | {{name}} | {{#p95}}{{.}}{{/p95}}{{^p95}}-{{/p95}} |\n");
	else
		return false;
	*display = name;
	return true;
}

/* The length of the run of backticks at s[i..len). */
static size_t backticks(const char *s, size_t i, size_t len)
{
	size_t n = 0;
	while (i + n < len && s[i + n] == '`')
		n++;
	return n;
}

/*
 * A code span (a URL) that starts at out[i]: closed by a run of as many backticks, with every
 * '|' inside escaped (a table cell keeps it). Returns the index of its last byte.
 */
static size_t check_code_span(const char *out, size_t i, size_t len)
{
	size_t n = backticks(out, i, len);
	for (size_t j = i + n; j < len;) {
		size_t m = backticks(out, j, len);
		if (m == n)
			return j + m - 1;
		if (m == 0 && out[j] == '|' && out[j - 1] != '\\')
			abort();
		j += m ? m : 1;
	}
	abort(); /* never closed */
}

/*
 * Every byte of a Markdown-escaped string is safe: no controls, specials escaped outside the
 * code spans URLs become, UTF-8.
 */
static void check_markdown(const char *s, size_t len)
{
	struct buf out;
	buf_init(&out);
	mustache_escape_markdown(s, len, &out);
	if (str_utf8_valid(out.data ? out.data : "", out.len) != out.len)
		abort();
	for (size_t i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];
		if (c < 0x20 || c == 0x7f)
			abort();
		if (c == 0xC2 && i + 1 < out.len && (unsigned char)out.data[i + 1] < 0xA0)
			abort(); /* a C1 control, U+0080..U+009F (mustache.c makes them spaces) */
		if (c == '\\') {
			i++; /* an escape and the byte it escapes */
			if (i == out.len || out.data[i] == '\0' || !strchr("\\`*_[]<>|&~#", out.data[i]))
				abort();
		} else if (c == '`') {
			i = check_code_span(out.data, i, out.len);
		} else if (strchr("*_[]<>|&~#", c)) {
			abort();
		}
	}
	buf_fini(&out);
}

static void render(const char *template, size_t len, const json_t *data,
		   enum mustache_escape escape, const struct mustache_partials *partials,
		   struct buf *out)
{
	char *text;
	size_t text_len;
	FILE *sink = open_memstream(&text, &text_len);
	struct diag d;
	diag_init(&d, sink);
	bool ok = mustache_render("fuzz.mustache", template, len, data, escape, partials, out, &d);
	if (ok != (d.errors == 0))
		abort();
	fclose(sink);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *template = size ? (const char *)data : ""; /* the replay passes NULL, 0 */
	const char *nul = memchr(template, '\0', size);
	size_t len = nul ? (size_t)(nul - template) : size;
	json_t *doc = NULL;
	if (nul)
		doc = json_loadb(nul + 1, size - len - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!doc)
		doc = json_loads(fixed_data, 0, NULL);
	struct memory_partials memory = {template, len};
	struct mustache_partials partials = {memory_load, &memory};
	static const enum mustache_escape modes[] = {
		MUSTACHE_ESCAPE_HTML, MUSTACHE_ESCAPE_MARKDOWN, MUSTACHE_ESCAPE_NONE,
	};
	struct buf first, second;
	buf_init(&first);
	buf_init(&second);
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		buf_clear(&first);
		render(template, len, doc, modes[i], &partials, &first);
	}
	render(template, len, doc, MUSTACHE_ESCAPE_NONE, &partials, &second);
	if (first.len != second.len || (first.len && memcmp(first.data, second.data, first.len)))
		abort();
	check_markdown(template, len);
	buf_fini(&second);
	buf_fini(&first);
	json_decref(doc);
	return 0;
}
