/*
 * diag.h - the diagnostics sink: every error, warning and note perfgate prints goes through here.
 *
 * Audience: every layer. Nothing else writes to stderr (STYLE rule 14).
 *
 * Shape, compiler-style:
 *     file:line:col: error: message
 *       <the source line>
 *       ^~~~~
 * with file/line/col/caret left out when unknown. Colour only when the stream is a terminal and
 * NO_COLOR is unset or empty (no-color.org). With GITHUB_ACTIONS=true every error and warning is
 * also written as a workflow-command line (`::error file=F,line=L,col=C::message`) so it shows
 * up as an annotation; the runner reads these from stderr as well as stdout.
 *
 * The sink counts errors and warnings; the driver maps them to the exit code (errors -> 2).
 * Ids and levels come from diag.def, documented in docs/diagnostics.md.
 */
#ifndef PERFGATE_DIAG_H
#define PERFGATE_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "source.h"
#include "util.h"

enum diag_level { DIAG_NOTE_LEVEL, DIAG_WARNING, DIAG_ERROR };

enum diag_id {
#define DIAG(id, level, summary) id,
#include "diag.def"
#undef DIAG
	DIAG__COUNT
};

struct diag {
	FILE *out;            /* where diagnostics go (stderr); borrowed */
	bool color;           /* ANSI colour on */
	bool github;          /* also emit GitHub Actions annotation lines */
	bool ids;             /* "error[DIAG_JSON_SYNTAX]:": PERFGATE_DIAG_IDS set and not "0" */
	const char *program;  /* prefix for messages without a file: "perfgate" */
	unsigned long errors;   /* errors reported so far */
	unsigned long warnings; /* warnings reported so far */
	unsigned long notes;    /* notes reported so far */
};

/*
 * Sets up a sink on out. Colour: on when out is a terminal and NO_COLOR is unset or empty.
 * GitHub annotations: on when GITHUB_ACTIONS is "true". Identifiers after the level: when
 * PERFGATE_DIAG_IDS is set, not empty and not "0". All can be changed afterwards.
 */
void diag_init(struct diag *d, FILE *out);

/* Reports one diagnostic. loc may be NULL (a message about no file). */
void diag_report(struct diag *d, enum diag_id id, const struct diag_loc *loc,
		 const char *fmt, ...) PG_PRINTF(4, 5);
void diag_vreport(struct diag *d, enum diag_id id, const struct diag_loc *loc,
		  const char *fmt, va_list ap);

/* Prints "perfgate: N errors, M warnings" when any were reported; nothing otherwise. */
void diag_summary(struct diag *d);

/* The level of an id (its name and docs summary: util_test.h). */
enum diag_level diag_level_of(enum diag_id id);

#endif
