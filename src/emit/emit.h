/*
 * emit.h - the emit layer: back ends that write one output each from a model and a verdict.
 *
 * Audience: the cmd_*.c drivers and the unit tests. Back ends read the model, the budget and the
 * verdict eval.c produced; they never include ingest/ and never read inputs. Sections follow
 * the implementing files: junit.c, verdict_json.c, report.c, markdown.c, outputs.c, show.c,
 * term.c (the template engine and the charts have their own headers: mustache.h, chart.h,
 * chart_plan.h).
 *
 * Every back end is deterministic (the same model and verdict give the same bytes: no clock, no
 * host name, no hash order) and describes a result with result_describe (budget/result.c), so
 * the terminal, JUnit and the verdict JSON say the same thing. Documents are built in memory and
 * written with io_write_output, so a CI never reads half a file.
 */
#ifndef PERFGATE_EMIT_H
#define PERFGATE_EMIT_H

#include <stdbool.h>

#include <jansson.h>

#include "../analysis/analysis.h"
#include "../budget/budget.h"
#include "../model/model.h"
#include "../util/diag.h"
#include "../util/util.h"
#include "mustache.h"

/* ---- junit.c: JUnit XML for CI test tabs (formats/junit.md) ---- */

/*
 * Writes the JUnit XML document for v to path atomically ("-" = standard output;
 * io_write_output): one <testsuite> per run of m that has results (model order), then one for
 * results that matched no run, one <testcase> per result. Every result's run is NULL or a run
 * of m. Names from inputs are made valid XML 1.0 (control characters as \xNN, invalid UTF-8 as
 * U+FFFD). Reports DIAG_OUTPUT_WRITE through d and returns false when it cannot.
 */
bool junit_write(const struct verdict *v, const struct model *m, const char *path,
		 struct diag *d);

/* ---- verdict_json.c: the machine-readable verdict (formats/verdict.md) ---- */

#define VERDICT_JSON_FORMAT "perfgate-verdict"
#define VERDICT_JSON_VERSION 1

/*
 * Appends the verdict JSON for v to out: the verdict and exit_code (what `check` exits with
 * for v; the driver maps verdicts to exit codes), the budget's path (b may be NULL: "budget"
 * is then null), the counts, the runs of m (as in model JSON), and every result with its
 * numbers unrounded. Deterministic key order; NaN/Inf become null.
 */
void verdict_json_write(const struct verdict *v, const struct model *m, const struct budget *b,
			int exit_code, struct buf *out);

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
	int exit_code;                    /* what `check` exits with for verdict; 0 without */
	const struct report_chart *charts; /* the charts written, in plan order */
	size_t chart_count;
	const struct capacity_slo *slo;   /* --slo (outputs_emit sets it); NULL: none */
	const char *const *about;         /* --context KEY=VALUE items (outputs_emit sets them) */
	size_t about_count;
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

/* The escaping an output gets from its name: HTML for *.html / *.htm, else Markdown. */
enum mustache_escape markdown_escape_for(const char *path);

/*
 * Renders the user's template at template_path, or (template_path NULL) the built-in template
 * named builtin, over context, and appends the document to out. Template errors and unreadable
 * files are reported through d (false; out unchanged).
 */
bool markdown_render(const json_t *context, const char *template_path, const char *builtin,
		     enum mustache_escape escape, struct buf *out, struct diag *d);

/* ---- show.c: the model as `show` prints it ---- */

/* Most percentiles `show` prints (the five it always prints included). */
enum { SHOW_MAX_PERCENTILES = 32 };

/* What `show` prints of each trend series. */
struct show_view {
	const double *percents; /* percentiles to print, in 0..100, sorted, distinct; borrowed */
	size_t percent_count;   /* entries in percents, at most SHOW_MAX_PERCENTILES */
	bool breakdown;         /* text: also list the series broken down by tags */
};

/*
 * Appends the text dump of m (sorted) to out: per run its header, totals, a table of trend
 * series (statistics and percentiles with units and precision; '~' marks an estimate) and a
 * line per kind of scalar series; a legend when any value was estimated.
 */
void show_write_text(const struct model *m, const struct show_view *o, struct buf *out);
/* Appends the JSON interface of m (formats/show-json.md) to out; deterministic. */
void show_write_json(const struct model *m, const struct show_view *o, struct buf *out);

/* ---- term.c: check's and lint's terminal output ---- */

/*
 * One diagnostic per result of v whose effect is not ok (a failure or a warning), pointing
 * into the budget file b, with the waiver and the rule's message as notes.
 */
void term_report_results(struct budget *b, const struct verdict *v, struct diag *d);
/* Appends the summary table of v to out: results grouped by run of m, then the counts. */
void term_write_summary(const struct budget *b, const struct model *m, const struct verdict *v,
			struct buf *out);
/*
 * Appends lint's line for a budget that compiled ("FILE: ok: N rules, M assertions") and, with
 * dump, each assertion's tree as an S-expression ("  RULE [METRIC]: (< (p 95) 300ms)").
 */
void term_write_lint(const struct budget *b, bool dump, struct buf *out);

/* ---- outputs.c: the report outputs of check and report, written ---- */

/* Which report outputs a command writes (options.c fills it from the command line). */
struct outputs {
	const char *markdown;         /* --markdown FILE ("-": standard output) */
	const char *summary;          /* --summary FILE */
	const char *charts;           /* --charts DIR */
	const char *template_path;    /* --template FILE: the user's report template */
	const char *summary_template; /* --summary-template FILE */
	bool png, svg;                /* --chart-format (default svg) */
	bool dump_context;            /* report --dump-context: print the context JSON */
	const char **about;           /* --context KEY=VALUE items, in order; heap array of
					 borrowed arguments (options_fini frees it) */
	size_t about_count;
	struct capacity_slo slo;      /* --slo: the SLO the load-levels section and the capacity
				         chart read (docs/capacity.md); .set false without */
};

/* True when any output was asked for (so a command knows whether to build the context). */
bool outputs_wanted(const struct outputs *o);
/* True when the report or the summary goes to standard output ("-"). */
bool outputs_document_to_stdout(const struct outputs *o);
/*
 * Draws the charts, builds the context once, renders and writes every output asked for
 * (atomically; charts first, so the report never links a missing image). in->charts is
 * filled here. Prints one line per file written ("wrote charts/spectrum.svg (3 series)") to
 * standard output, unless an output goes there itself ("-", --context).
 * Returns false when anything failed (reported through d).
 */
bool outputs_emit(const struct outputs *o, struct report_input *in, struct diag *d);
/* A chart outputs_draw wrote: its file stem, title and the image path for the Markdown. */
struct drawn_chart {
	char *name, *title;
	char *path;         /* relative to o->markdown's directory when there is one; heap */
};
struct chart_spec;
/*
 * Draws specs (chart_plan's or compare's) into o->charts, created when missing, as
 * --chart-format says (SVG by default); prints a "wrote" line per file unless a document goes
 * to standard output. *out (heap, outputs_drawn_free) lists the charts written.
 */
bool outputs_draw(const struct outputs *o, struct chart_spec *specs, size_t count,
		  struct drawn_chart **out, size_t *drawn_count, struct diag *d);
void outputs_drawn_free(struct drawn_chart *charts, size_t count);

/* --save-model FILE: m (sorted) as model JSON, written atomically; false when reported. */
bool outputs_save_model(const struct model *m, const char *path, struct diag *d);

/* ---- compare_out.c, and junit.c's part: what `compare` prints and writes ---- */

/* "regression" (exit 1), "inconclusive" (exit 3), "pass" (0). */
const char *compare_outcome_name(int exit_code);
/* The table, the reasons behind every verdict other than "no change", notes and a total. */
void compare_write_text(const struct comparison *c, const struct model *base,
			const struct model *cand, int exit_code, struct buf *out);
/*
 * The comparison JSON (formats/compare.md); also the Markdown template's context. charts
 * (may be NULL) are the charts drawn for it (compare_chart_specs, outputs_draw).
 */
struct drawn_chart;
void compare_write_json(const struct comparison *c, const struct model *base,
			const struct model *cand, int exit_code, const struct drawn_chart *charts,
			size_t chart_count, struct buf *out);
/* The compare charts (chart_shift.c): spectra with intervals, the shift function. */
struct chart_spec;
size_t compare_chart_specs(const struct comparison *c, const struct model *base,
			   const struct model *cand, struct chart_spec **out);
/*
 * Renders the Markdown comparison (templates/compare.md.mustache, or the user's template)
 * over the comparison JSON document json and writes it to path atomically.
 */
bool compare_write_markdown(const struct buf *json, const char *template_path,
			    const char *path, struct diag *d);
/* JUnit XML of a comparison: one testcase per gated row (junit.c). */
bool junit_render_comparison(const struct comparison *c, const struct model *base,
			     const struct model *cand, struct buf *out);
bool junit_write_comparison(const struct comparison *c, const struct model *base,
			    const struct model *cand, const char *path, struct diag *d);

/* ---- capacity_out.c: what `capacity` prints ---- */

/* The degradation table, the breaking point, the knee, the SLO crossing and the USL. */
void capacity_write_text(const struct capacity *c, struct buf *out);
/* The same as JSON (formats/capacity.md). */
void capacity_write_json(const struct capacity *c, struct buf *out);
/*
 * The capacity chart of m (chart_capacity.c: throughput and p95 against load with the USL's
 * fitted curve), with c's latency SLO as a line and its crossing; 0 or 1 specs into *out.
 */
size_t capacity_chart_specs(const struct model *m, const struct capacity *c,
			    struct chart_spec **out);

/* ---- text_table.c: aligned text tables for the terminal (show, compare) ---- */

/*
 * Rows of cells, each a heap copy of any length (endpoint names can be long URLs). Printed
 * with three spaces of indent and one before each cell; the first `left` columns are
 * left-aligned (names), the others right-aligned (numbers).
 */
struct text_table {
	char **cells;      /* rows * columns; NULL: an empty cell; owned */
	size_t rows, cap;  /* rows used and allocated */
	size_t columns;
	size_t left;
};
void text_table_init(struct text_table *t, size_t columns, size_t left);
size_t text_table_add_row(struct text_table *t);
void text_table_set(struct text_table *t, size_t row, size_t column, const char *text);
void text_table_print(const struct text_table *t, struct buf *out);
void text_table_fini(struct text_table *t);

#endif
