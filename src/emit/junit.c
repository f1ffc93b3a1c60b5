/*
 * junit.c - the verdict as JUnit XML, for the test tabs of CI systems (formats/junit.md).
 *
 * One <testsuite> per run that has results (model order), then one for results whose selector
 * matched no run; one <testcase> per (rule, assertion, target). A failure is a <failure> whose
 * message attribute and text both explain it (Jenkins shows the attribute, GitLab the text); a
 * warning passes with its explanation in <system-out>, and so does a pass; a no-data result the
 * policy lets pass is <skipped>. The counts on every suite and on the root are those of the
 * testcases written. The shape validates against the Jenkins junit-4 and the xUnit plugin's
 * junit-10 schemas (tests/junit/validate_junit.sh); formats/junit.md says why not Ant's.
 *
 * libxml2's xmlTextWriter escapes markup ('<', '&', '"'), but XML 1.0 cannot hold most control
 * characters at all and invalid UTF-8 makes the whole file unreadable, so every string is
 * cleaned first (clean()). Times are the constant "0"; nothing comes from the clock or the
 * host, so the bytes depend only on the model and the verdict. The writer and its buffer are
 * created and freed in junit_render.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "../util/io.h"
#include "../util/timefmt.h"
#include "emit.h"
#include "emit_test.h"

/* The suite of results whose selector matched no run. */
#define NO_RUN_SUITE "(no matching run)"

struct xml {
	xmlTextWriterPtr writer;
	struct buf clean;   /* the string clean() made last */
	bool ok;            /* every writer call succeeded */
};

/*
 * s as XML 1.0 character data: a control character other than tab, LF and CR becomes the text
 * \xNN, a byte that starts no valid UTF-8 sequence becomes U+FFFD (as jsonw does), and so do
 * U+FFFE and U+FFFF, which are not XML characters either. Valid until the next call.
 */
static const char *clean(struct xml *x, const char *s)
{
	buf_clear(&x->clean);
	unsigned flags = STR_CLEAN_CONTROL_HEX | STR_CLEAN_NONCHAR;
	str_utf8_clean(&x->clean, s, strlen(s), flags, SIZE_MAX);
	return x->clean.data;
}

static void start(struct xml *x, const char *element)
{
	if (xmlTextWriterStartElement(x->writer, BAD_CAST element) < 0)
		x->ok = false;
}

static void end(struct xml *x)
{
	if (xmlTextWriterEndElement(x->writer) < 0)
		x->ok = false;
}

static void attribute(struct xml *x, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(x->writer, BAD_CAST name, BAD_CAST clean(x, value)) < 0)
		x->ok = false;
}

static void attribute_count(struct xml *x, const char *name, size_t count)
{
	char text[32];
	snprintf(text, sizeof text, "%zu", count);
	attribute(x, name, text);
}

/* <element>text</element> */
static void element_text(struct xml *x, const char *element, const char *text)
{
	start(x, element);
	if (xmlTextWriterWriteString(x->writer, BAD_CAST clean(x, text)) < 0)
		x->ok = false;
	end(x);
}

static void property(struct xml *x, const char *name, const char *value)
{
	start(x, "property");
	attribute(x, "name", name);
	attribute(x, "value", value);
	end(x);
}

/* What the testsuite counts: tests, <failure>s and <skipped>s. */
struct tally {
	size_t tests, failures, skipped;
};

static bool is_skipped(const struct result *r)
{
	/* no data the policy lets pass; an undecided comparison (exit 3 says so) */
	return (r->status == STATUS_NO_DATA && r->effect == EFFECT_OK) ||
	       r->effect == EFFECT_INCONCLUSIVE;
}

static void tally_add(struct tally *t, const struct result *r)
{
	t->tests++;
	if (r->effect == EFFECT_FAILURE)
		t->failures++;
	else if (is_skipped(r))
		t->skipped++;
}

/* The endpoint a result is about: its own, else the rule's pattern; NULL for the whole run. */
static const char *endpoint_label(const struct result *r)
{
	const struct selector *sel = &r->rule->selector;
	if (r->endpoint)
		return r->endpoint;
	if (sel->endpoint_kind != ENDPOINT_RUN && sel->endpoint)
		return sel->endpoint;
	return NULL;
}

/*
 * The classname of a run's test cases: "perfgate." and the run's label as a dotted name, stable
 * whatever machine ran it: a file's extensions dropped (a Jenkins report would take ".json"
 * for the class), each '/' a '.', any character but letters, digits, '-' and '_' a '_', empty
 * parts dropped: "fixtures/k6/mixed-stages/out.json" -> "perfgate.fixtures.k6.mixed-stages.out",
 * "checkout api" -> "perfgate.checkout_api", no matching run -> "perfgate.no_matching_run".
 */
static void classname_of(const char *label, struct buf *out)
{
	static const char *const extensions[] = {".gz", ".json", ".csv", ".txt", ".ndjson"};
	size_t len = strlen(label);
	for (bool cut = true; cut;) {
		cut = false;
		for (size_t i = 0; i < PG_ARRAY_LEN(extensions); i++) {
			size_t n = strlen(extensions[i]);
			if (len > n && memcmp(label + len - n, extensions[i], n) == 0 &&
			    label[len - n - 1] != '/') {
				len -= n;
				cut = true;
			}
		}
	}
	buf_puts(out, "perfgate");
	bool part = false; /* inside a part: a '.' is owed before the next character */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)label[i];
		if (c == '/' || c == '.') {
			part = false;
			continue;
		}
		if (!part)
			buf_putc(out, '.');
		part = true;
		bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_';
		buf_putc(out, word ? (char)c : '_');
	}
}

/*
 * The explanation of a result, one fact per line (the failure text, system-out, skipped):
 *   p(95) = 412.3 ms, limit < 300 ms (+37.43 %); 4210 samples, exact, from k6.json
 *   effect: failure
 *   rule: checkout (/rules/0), level error
 *   assertion: p(95) < 300ms
 *   series: latency at 'GET /checkout' of run 'smoke'
 *   message: ...                                   (when the rule has one)
 *   waiver: until 2026-12-31 (applied): reason     (when the rule has one)
 */
static void explain(struct buf *out, const struct result *r)
{
	const struct rule *rule = r->rule;
	result_describe(r, out);
	buf_printf(out, "\neffect: %s", effect_name(r->effect));
	buf_printf(out, "\nrule: %s", rule->name);
	if (rule->pointer)
		buf_printf(out, " (%s)", rule->pointer);
	buf_printf(out, ", level %s", level_name(rule->level));
	buf_printf(out, "\nassertion: %s", result_assertion_text(r));
	buf_puts(out, "\nseries: ");
	result_describe_target(r, out);
	if (rule->message)
		buf_printf(out, "\nmessage: %s", rule->message);
	if (rule->has_waiver) {
		/* an active waiver turns a failed comparison into a warning (waived), so one that
		 * still fails has a waiver past its day */
		const char *state = "";
		if (r->waived)
			state = " (applied)";
		else if (r->status == STATUS_FAIL && r->effect == EFFECT_FAILURE)
			state = " (expired)";
		buf_printf(out, "\nwaiver: until %s%s", rule->waiver_until, state);
		if (rule->waiver_reason)
			buf_printf(out, ": %s", rule->waiver_reason);
	}
	buf_putc(out, '\n');
}

static void write_testcase(struct xml *x, const struct result *r, const char *classname,
			   struct buf *scratch)
{
	start(x, "testcase");
	buf_clear(scratch);
	const char *endpoint = endpoint_label(r);
	if (endpoint)
		buf_printf(scratch, "%s: %s [%s]", r->rule->name, result_assertion_text(r), endpoint);
	else /* the whole run reads as such, not as a bracketed placeholder */
		buf_printf(scratch, "%s: %s (whole run)", r->rule->name, result_assertion_text(r));
	attribute(x, "name", scratch->data);
	attribute(x, "classname", classname);
	attribute(x, "time", "0");
	buf_clear(scratch);
	if (r->effect == EFFECT_FAILURE) {
		/* the attribute is one line: the finding and the rule's message */
		result_describe(r, scratch);
		if (r->rule->message)
			buf_printf(scratch, " - %s", r->rule->message);
		start(x, "failure");
		attribute(x, "message", scratch->data);
		attribute(x, "type", status_name(r->status));
		buf_clear(scratch);
		explain(scratch, r);
		if (xmlTextWriterWriteString(x->writer, BAD_CAST clean(x, scratch->data)) < 0)
			x->ok = false;
		end(x);
	} else {
		explain(scratch, r);
		element_text(x, is_skipped(r) ? "skipped" : "system-out", scratch->data);
	}
	end(x);
}

/* Run metadata as <property> elements; "run" always, the rest when known. */
static void write_properties(struct xml *x, const struct run *run)
{
	struct buf value;
	buf_init(&value);
	char number[32], time[40];
	start(x, "properties");
	property(x, "run", run->label);
	if (run->tool)
		property(x, "tool", run->tool);
	for (size_t i = 0; i < run->source_count; i++)
		buf_printf(&value, "%s%s", i ? ", " : "", run->sources[i]);
	if (run->source_count)
		property(x, "sources", value.data);
	if (!isnan(run->concurrency)) {
		str_format_double(number, run->concurrency);
		property(x, "concurrency", number);
		if (run->concurrency_unit)
			property(x, "concurrency_unit", run->concurrency_unit);
	}
	if (!isnan(run->duration_s)) {
		str_format_double(number, run->duration_s);
		property(x, "duration_s", number);
	}
	if (run->has_start) {
		time_format_rfc3339(run->start_us, time);
		property(x, "start", time);
	}
	if (run->has_end) {
		time_format_rfc3339(run->end_us, time);
		property(x, "end", time);
	}
	end(x);
	buf_fini(&value);
}

/* One <testsuite> with the results of run (NULL: of no run); returns the testcases written. */
static size_t write_testsuite(struct xml *x, const struct verdict *v, const struct run *run)
{
	struct tally t = {0};
	for (size_t i = 0; i < v->count; i++)
		if (v->results[i].run == run)
			tally_add(&t, &v->results[i]);
	if (t.tests == 0)
		return 0;
	const char *name = run ? run->label : NO_RUN_SUITE;
	struct buf classname, scratch;
	buf_init(&classname);
	buf_init(&scratch);
	classname_of(run ? run->label : "no matching run", &classname);

	start(x, "testsuite");
	attribute(x, "name", name);
	attribute_count(x, "tests", t.tests);
	attribute_count(x, "failures", t.failures);
	attribute(x, "errors", "0");
	attribute_count(x, "skipped", t.skipped);
	attribute(x, "time", "0");
	if (run)
		write_properties(x, run);
	for (size_t i = 0; i < v->count; i++)
		if (v->results[i].run == run)
			write_testcase(x, &v->results[i], classname.data, &scratch);
	end(x);

	buf_fini(&scratch);
	buf_fini(&classname);
	return t.tests;
}

/* Starts a document in memory: the writer, indented by two spaces, and the XML declaration. */
static xmlBufferPtr document_start(struct xml *x)
{
	x->ok = true;
	buf_init(&x->clean);
	xmlBufferPtr bytes = xmlBufferCreate();
	if (!bytes)
		xalloc_die();
	x->writer = xmlNewTextWriterMemory(bytes, 0);
	if (!x->writer)
		xalloc_die();
	if (xmlTextWriterSetIndent(x->writer, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->writer, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(x->writer, "1.0", "UTF-8", NULL) < 0)
		x->ok = false;
	return bytes;
}

/* Ends the document and appends it to out when every writer call succeeded. */
static bool document_finish(struct xml *x, xmlBufferPtr bytes, struct buf *out)
{
	if (xmlTextWriterEndDocument(x->writer) < 0)
		x->ok = false;
	xmlFreeTextWriter(x->writer); /* flushes into bytes */
	if (x->ok)
		buf_append(out, xmlBufferContent(bytes), (size_t)xmlBufferLength(bytes));
	xmlBufferFree(bytes);
	buf_fini(&x->clean);
	return x->ok;
}

/* <testsuites name="perfgate" tests=... failures=... errors="0" time="0"> (left open) */
static void testsuites_start(struct xml *x, size_t tests, size_t failures)
{
	/* the root has no "skipped": neither schema declares it on <testsuites> */
	start(x, "testsuites");
	attribute(x, "name", "perfgate");
	attribute_count(x, "tests", tests);
	attribute_count(x, "failures", failures);
	attribute(x, "errors", "0");
	attribute(x, "time", "0");
}

bool junit_render(const struct verdict *v, const struct model *m, struct buf *out)
{
	struct xml x;
	xmlBufferPtr bytes = document_start(&x);
	struct tally all = {0};
	for (size_t i = 0; i < v->count; i++)
		tally_add(&all, &v->results[i]);
	testsuites_start(&x, all.tests, all.failures);
	size_t written = 0;
	for (size_t i = 0; i < m->run_count; i++)
		written += write_testsuite(&x, v, m->runs[i]);
	written += write_testsuite(&x, v, NULL);
	assert(written == v->count); /* every result's run is NULL or a run of m */
	(void)written;
	end(&x);
	return document_finish(&x, bytes, out);
}

/*
 * The comparison: one <testsuite name="compare">, one <testcase> per gated row ("p95 [GET
 * /slow]", class perfgate.compare). A regression is a <failure>; an inconclusive row is
 * <skipped> with its reason (it was not decided; the exit code 3 says so); no change and
 * improvements pass with their reason in <system-out>.
 */
bool junit_render_comparison(const struct comparison *c, const struct model *base,
			     const struct model *cand, struct buf *out)
{
	struct xml x;
	xmlBufferPtr bytes = document_start(&x);
	size_t tests = 0, failures = 0, skipped = 0;
	for (size_t i = 0; i < c->count; i++) {
		if (!c->rows[i].gated)
			continue;
		tests++;
		failures += c->rows[i].verdict == CHANGE_REGRESSION;
		skipped += c->rows[i].verdict == CHANGE_INCONCLUSIVE ||
			   c->rows[i].verdict == CHANGE_NO_DATA;
	}
	testsuites_start(&x, tests, failures);
	start(&x, "testsuite");
	attribute(&x, "name", "compare");
	attribute_count(&x, "tests", tests);
	attribute_count(&x, "failures", failures);
	attribute(&x, "errors", "0");
	attribute_count(&x, "skipped", skipped);
	attribute(&x, "time", "0");
	start(&x, "properties");
	for (int side = 0; side < 2; side++) {
		const struct model *m = side ? cand : base;
		for (size_t i = 0; i < m->run_count; i++)
			property(&x, side ? "candidate" : "baseline", m->runs[i]->label);
	}
	end(&x);
	struct buf name;
	buf_init(&name);
	for (size_t i = 0; i < c->count; i++) {
		const struct compare_row *row = &c->rows[i];
		if (!row->gated)
			continue;
		buf_clear(&name);
		buf_printf(&name, "%s [%s]", compare_metric_name(row->metric),
			   row->endpoint ? row->endpoint : "whole run");
		start(&x, "testcase");
		attribute(&x, "name", name.data);
		attribute(&x, "classname", "perfgate.compare");
		attribute(&x, "time", "0");
		buf_clear(&name);
		buf_printf(&name, "%s: %s", change_verdict_name(row->verdict),
			   row->reason ? row->reason : "");
		if (row->verdict == CHANGE_REGRESSION) {
			start(&x, "failure");
			attribute(&x, "message", name.data);
			attribute(&x, "type", "regression");
			if (xmlTextWriterWriteString(x.writer, BAD_CAST clean(&x, name.data)) < 0)
				x.ok = false;
			end(&x);
		} else if (row->verdict == CHANGE_INCONCLUSIVE || row->verdict == CHANGE_NO_DATA) {
			element_text(&x, "skipped", name.data); /* Jenkins' schema: no message */
		} else {
			element_text(&x, "system-out", name.data);
		}
		end(&x);
	}
	buf_fini(&name);
	end(&x);
	end(&x);
	return document_finish(&x, bytes, out);
}

/* Writes a rendered document to path (atomically), or says the XML writer failed. */
static bool write_rendered(bool rendered, const struct buf *xml, const char *path,
			   struct diag *d)
{
	if (rendered)
		return io_write_output(path, xml, "the JUnit report", d);
	struct diag_loc loc = source_file_loc(path);
	diag_report(d, DIAG_OUTPUT_WRITE, &loc, "cannot write the JUnit report: the XML writer failed");
	return false;
}

bool junit_write_comparison(const struct comparison *c, const struct model *base,
			    const struct model *cand, const char *path, struct diag *d)
{
	struct buf xml;
	buf_init(&xml);
	bool ok = write_rendered(junit_render_comparison(c, base, cand, &xml), &xml, path, d);
	buf_fini(&xml);
	return ok;
}

bool junit_write(const struct verdict *v, const struct model *m, const char *path,
		 struct diag *d)
{
	struct buf xml;
	buf_init(&xml);
	bool ok = write_rendered(junit_render(v, m, &xml), &xml, path, d);
	buf_fini(&xml);
	return ok;
}
