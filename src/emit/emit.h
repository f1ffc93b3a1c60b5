/*
 * emit.h - the emit layer: back ends that write one output each from a model and a verdict.
 *
 * Audience: the cmd_*.c drivers (cmd_check.c) and the unit tests. Back ends read the model, the
 * budget and the verdict eval.c produced; they never include ingest/ and never read inputs.
 * Sections follow the implementing files: junit.c, verdict_json.c, report.c, markdown.c
 * (the template engine and the charts have their own headers: mustache.h, chart.h).
 *
 * Every back end is deterministic (the same model and verdict give the same bytes: no clock, no
 * host name, no hash order) and describes a result with result_describe (budget/result.c), so
 * the terminal, JUnit and the verdict JSON say the same thing. Documents are built in memory and
 * written with io_write_atomic, so a CI never reads half a file.
 */
#ifndef PERFGATE_EMIT_H
#define PERFGATE_EMIT_H

#include <stdbool.h>

#include <jansson.h>

#include "../budget/budget.h"
#include "../model/model.h"
#include "../util/diag.h"
#include "../util/util.h"
#include "mustache.h"

/* ---- junit.c: JUnit XML for CI test tabs (formats/junit.md) ---- */

/*
 * Appends the JUnit XML document for v to out: one <testsuite> per run of m that has results
 * (model order), then one for results that matched no run, one <testcase> per result. Every
 * result's run is NULL or a run of m. Names from inputs are made valid XML 1.0 (control
 * characters as \xNN, invalid UTF-8 as U+FFFD). Returns false only when libxml2's writer
 * failed (out is then unchanged).
 */
bool junit_render(const struct verdict *v, const struct model *m, struct buf *out);

/*
 * Writes junit_render's document to path atomically ("-" = standard output). Reports
 * DIAG_OUTPUT_WRITE through d and returns false when it cannot.
 */
bool junit_write(const struct verdict *v, const struct model *m, const char *path,
		 struct diag *d);

/* ---- verdict_json.c: the machine-readable verdict (formats/verdict.md) ---- */

#define VERDICT_JSON_FORMAT "perfgate-verdict"
#define VERDICT_JSON_VERSION 1

/*
 * Appends the verdict JSON for v to out: the verdict and its exit code, the budget's path
 * (b may be NULL: "budget" is then null), the counts, the runs of m (as in model JSON), and
 * every result with its numbers unrounded. Deterministic key order; NaN/Inf become null.
 */
void verdict_json_write(const struct verdict *v, const struct model *m, const struct budget *b,
			struct buf *out);

/* ---- report.c: the report context (formats/report-context.md) ---- */

#define REPORT_CONTEXT_FORMAT "perfgate-report-context"
#define REPORT_CONTEXT_VERSION 1

/* A chart that was written, as the context lists it. */
struct report_chart {
	const char *kind;   /* chart_kind_name */
	const char *name;   /* file stem */
	const char *title;
	const char *path;   /* the image the Markdown shows, relative to the Markdown file */
	const char *png;    /* the files written, as named on the command line; NULL when not */
	const char *svg;
	size_t series;      /* series drawn */
};

struct report_input {
	const struct model *model;        /* the runs reported on (sorted) */
	const struct model *baseline;     /* NULL without --baseline */
	const struct budget *budget;      /* NULL without -b */
	const struct verdict *verdict;    /* NULL without -b */
	const struct report_chart *charts; /* the charts written, in plan order */
	size_t chart_count;
};

/*
 * Builds the report context (a new reference, the caller json_decref's it): the verdict, each
 * run with its totals, per-endpoint rows and rule results, every result, the problems (failures
 * then warnings), baseline deltas, load levels, precision notes and charts. Deterministic.
 */
json_t *report_context(const struct report_input *in);
/* Appends the context as JSON text (keys in context order, shortest round-trip numbers). */
void report_context_write(const json_t *context, struct buf *out);

/* ---- markdown.c: documents from Mustache templates over the report context ---- */

/* A template compiled into the binary from templates/ (cmake/embed_templates.cmake). */
struct builtin_template {
	const char *name;   /* file name: "report.md.mustache" */
	const char *text;   /* its bytes, NUL-terminated */
	size_t len;
};
extern const struct builtin_template builtin_templates[];
extern const size_t builtin_template_count;
/* The built-in template with that file name, or NULL. */
const struct builtin_template *builtin_template_find(const char *name);

/* The escaping an output gets from its name: HTML for *.html / *.htm, else Markdown. */
enum mustache_escape markdown_escape_for(const char *path);

/*
 * Renders the user's template at template_path, or (template_path NULL) the built-in template
 * named builtin, over context, and appends the document to out. Template errors and unreadable
 * files are reported through d (false; out unchanged).
 */
bool markdown_render(const json_t *context, const char *template_path, const char *builtin,
		     enum mustache_escape escape, struct buf *out, struct diag *d);

#endif
