/*
 * run_lang.c - runs the expression-language cases in tests/lang/ (*.test files, jq's .test format).
 *
 * A file is a list of cases separated by blank lines; '#' lines are comments. A case is:
 *   [@metric NAME]        the rule's metric (default latency), for dimension checks
 *   [@data FILE]          evaluate on this input (a path under fixtures/, any format), the
 *                         rule applying to the whole run (or @endpoint NAME)
 *   [@baseline FILE]      and with this input as the baseline
 *   EXPRESSION
 *   EXPECTED              the S-expression of the checked tree (without @data), or the
 *                         result line (with @data): "STATUS observed=V limit=V precision=P"
 * An error case starts with a line "%%FAIL" and lists, after the expression, the exact
 * diagnostics (file "<expr>", caret lines included) up to the blank line.
 *
 * Usage: run_lang FIXTURES_DIR FILE.test...   (BLESS=1 rewrites the files with the actual
 * results, comments kept: review the diff like code)   Exit 0 when every case passes; each failure prints
 * the file:line of the case, the expected and the actual text.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget/budget.h"
#include "model/model.h"
#include "ingest/ingest.h"
#include "budget/budget_test.h"

struct lang_case {
	const char *file;
	size_t line;
	bool fail;              /* %%FAIL: expect diagnostics */
	char *metric;
	char *data;
	char *baseline;
	char *endpoint;
	char *expression;
	struct buf expected;
	struct buf head;        /* the case's lines up to its expression, comments included */
};

static FILE *blessed; /* BLESS=1: the file being rewritten with actual results */


/* Reads an input (any format perfgate reads) from the fixtures folder through ingest_load. */
static struct model *load_model(const char *name, struct diag *d)
{
	/* relative to the fixtures folder, the working directory */
	char *args[] = {(char *)name};
	struct ingest_options o = {0};
	struct model *m = NULL;
	if (!ingest_load(args, 1, &o, &m, d)) {
		model_free(m);
		m = NULL;
	}
	return m;
}

/* Evaluates the case's expression as one rule on the whole run of its data model. */
static void evaluate(const struct lang_case *c, struct budget *b, struct diag *d,
		     struct buf *actual)
{
	struct model *m = load_model(c->data, d);
	struct model *base = c->baseline ? load_model(c->baseline, d) : NULL;
	if (m && (!c->baseline || base)) {
		struct eval_options o = {.baseline = base, .today_day = 20000};
		struct verdict v;
		if (eval_budget(b, m, &o, &v, d) && v.count > 0) {
			const struct result *r = &v.results[0];
			char n[32];
			static const char *const kinds[] = {"", "", " (reported)", " (estimate)"};
			buf_printf(actual, "%s", status_name(r->status));
			if (r->observed.kind != VALUE_MISSING) {
				str_format_double(n, r->observed.number);
				buf_printf(actual, " observed=%s%s", n, kinds[r->observed.kind]);
			}
			if (r->limit.kind != VALUE_MISSING) {
				str_format_double(n, r->limit.number);
				buf_printf(actual, " limit=%s", n);
			}
			if (r->status != STATUS_NO_DATA)
				buf_printf(actual, " precision=%s samples=%lld",
					   model_precision_name(r->precision), (long long)r->samples);
			if (r->note)
				buf_printf(actual, "\nnote: %s", r->note);
			buf_putc(actual, '\n');
		}
		verdict_fini(&v);
	}
	model_free(m);
	model_free(base);
}

static bool run_case(const struct lang_case *c)
{
	char *captured = NULL;
	size_t captured_len = 0;
	FILE *out = open_memstream(&captured, &captured_len);
	struct diag d;
	diag_init(&d, out);
	d.color = false;
	d.github = false;

	struct budget *b = budget_new("<expr>");
	struct rule *r = budget_add_rule(b);
	r->name = "case";
	r->selector.metric = c->metric ? c->metric : "latency";
	if (c->endpoint) {
		r->selector.endpoint_kind = ENDPOINT_EXACT;
		r->selector.endpoint = c->endpoint;
	}
	r->assertions = arena_alloc(&b->arena, sizeof *r->assertions);
	r->assertion_count = 1;
	struct assertion *a = &r->assertions[0];
	a->text = (struct budget_text){c->expression, strlen(c->expression), NULL, 0,
					    JSON_TEXT_JSON};
	a->pointer = "";
	struct buf actual;
	buf_init(&actual);
	a->expr = parse_assertion(&a->text, &b->arena, &d);
	if (a->expr) {
		struct check_context context = check_context_of_metric(r->selector.metric);
		if (!check_assertion(a->expr, &a->text, &context, &d))
			a->expr = NULL;
	}
	if (a->expr && c->data && !c->fail)
		evaluate(c, b, &d, &actual);
	else if (a->expr && !c->fail) {
		expr_dump(a->expr, &actual);
		buf_putc(&actual, '\n');
	}
	fclose(out);
	if (c->fail || d.errors > 0)
		buf_append(&actual, captured, captured_len);
	if (blessed)
		fprintf(blessed, "%s%s\n", c->head.data, actual.data ? actual.data : "");
	bool ok = actual.len == c->expected.len &&
		  memcmp(actual.data ? actual.data : "", c->expected.data ? c->expected.data : "",
			 actual.len) == 0;
	if (!ok)
		printf("FAIL %s:%zu: %s\n--- expected\n%s--- actual\n%s---\n", c->file, c->line,
		       c->expression, c->expected.data ? c->expected.data : "",
		       actual.data ? actual.data : "");
	buf_fini(&actual);
	free(captured);
	budget_free(b);
	return ok;
}

static void reset(struct lang_case *c)
{
	free(c->metric);
	free(c->data);
	free(c->baseline);
	free(c->endpoint);
	free(c->expression);
	buf_fini(&c->expected);
	buf_fini(&c->head);
	*c = (struct lang_case){0};
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: run_lang FIXTURES_DIR FILE.test...\n");
		return 2;
	}
	/* inputs are named relative to fixtures/, so messages hold no machine paths */
	char **files = argv + 2;
	for (int i = 2; i < argc; i++)
		files[i - 2] = realpath(argv[i], NULL);
	if (chdir(argv[1]) != 0) {
		perror(argv[1]);
		return 2;
	}
	size_t passed = 0, failed = 0;
	for (int i = 0; i < argc - 2; i++) {
		FILE *f = files[i] ? fopen(files[i], "r") : NULL;
		if (!f) {
			perror(argv[i + 2]);
			return 2;
		}
		const char *shown = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 : files[i];
		char *blessed_path = NULL;
		if (getenv("BLESS")) {
			blessed_path = xasprintf("%s.new", files[i]);
			blessed = fopen(blessed_path, "w");
		}
		char *line = NULL;
		size_t cap = 0, number = 0;
		struct lang_case c = {0};
		for (;;) {
			ssize_t n = getline(&line, &cap, f);
			bool end = n < 0;
			if (!end) {
				number++;
				if (n > 0 && line[n - 1] == '\n')
					line[--n] = '\0';
			}
			if (end || n == 0) {
				if (!c.expression && c.head.len > 0 && blessed)
					fprintf(blessed, "%s\n", c.head.data); /* a comment block */
				if (c.expression) {
					if (run_case(&c))
						passed++;
					else
						failed++;
				}
				reset(&c);
				if (end)
					break;
				continue;
			}
			if (!c.expression) {
				buf_puts(&c.head, line);
				buf_putc(&c.head, '\n');
			}
			if (line[0] == '#' && !c.expression)
				continue;
			if (!c.line)
				c.line = number, c.file = shown;
			if (!c.expression && strcmp(line, "%%FAIL") == 0)
				c.fail = true;
			else if (!c.expression && strncmp(line, "@metric ", 8) == 0)
				c.metric = xstrdup(line + 8);
			else if (!c.expression && strncmp(line, "@data ", 6) == 0)
				c.data = xstrdup(line + 6);
			else if (!c.expression && strncmp(line, "@baseline ", 10) == 0)
				c.baseline = xstrdup(line + 10);
			else if (!c.expression && strncmp(line, "@endpoint ", 10) == 0)
				c.endpoint = xstrdup(line + 10);
			else if (!c.expression)
				c.expression = xstrdup(line);
			else {
				buf_puts(&c.expected, line);
				buf_putc(&c.expected, '\n');
			}
		}
		free(line);
		fclose(f);
		if (blessed) {
			/* one blank line separates cases; none at the end */
			long size = ftell(blessed);
			fclose(blessed);
			blessed = NULL;
			if (size > 0 && truncate(blessed_path, size - 1) != 0)
				perror(blessed_path);
			if (rename(blessed_path, files[i]) != 0)
				perror(files[i]);
		}
		free(blessed_path);
	}
	for (int i = 0; i < argc - 2; i++)
		free(files[i]);
	printf("%zu cases passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
