/*
 * emit.h - the emit layer: back ends that write one output each from a model and a verdict.
 *
 * Audience: the cmd_*.c drivers (cmd_check.c) and the unit tests. Back ends read the model, the
 * budget and the verdict eval.c produced; they never include ingest/ and never read inputs.
 * Sections follow the implementing files: junit.c, verdict_json.c.
 *
 * Every back end is deterministic (the same model and verdict give the same bytes: no clock, no
 * host name, no hash order) and describes a result with result_describe (budget/result.c), so
 * the terminal, JUnit and the verdict JSON say the same thing. Documents are built in memory and
 * written with io_write_atomic, so a CI never reads half a file.
 */
#ifndef PERFGATE_EMIT_H
#define PERFGATE_EMIT_H

#include <stdbool.h>

#include "../budget/budget.h"
#include "../model/model.h"
#include "../util/diag.h"
#include "../util/util.h"

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

#endif
