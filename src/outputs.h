/*
 * outputs.h - the report outputs `check` and `report` share: Markdown report, job summary,
 * charts and the report context.
 *
 * Audience: cmd_check.c and cmd_report.c. Both commands take the same flags (listed by the
 * OUTPUTS_OPTION_* entries below, documented in docs/cli.md) and hand them to outputs_emit once
 * the model (and the verdict, with a budget) exist.
 */
#ifndef PERFGATE_OUTPUTS_H
#define PERFGATE_OUTPUTS_H

#include <stdbool.h>

#include "cli.h"
#include "emit/emit.h"

struct outputs {
	const char *markdown;         /* --markdown FILE ("-": standard output) */
	const char *summary;          /* --summary FILE */
	const char *charts;           /* --charts DIR */
	const char *template_path;    /* --template FILE: the user's report template */
	const char *summary_template; /* --summary-template FILE */
	bool png, svg;                /* --chart-format (default svg) */
	bool context;                 /* report --context: print the context JSON */
};

#define OUTPUTS_OPTION_CHART_FORMAT                                                          \
	{"chart-format", 0, "FORMAT", "charts as png, svg (default) or both"}
#define OUTPUTS_OPTION_CHARTS                                                                \
	{"charts", 0, "DIR",                                                                 \
	 "draw the charts the inputs allow into DIR (created when missing);\n"               \
	 "the Markdown report embeds them"}
#define OUTPUTS_OPTION_MARKDOWN                                                              \
	{"markdown", 0, "FILE", "write the release-readiness report (Markdown) to FILE"}
#define OUTPUTS_OPTION_SUMMARY                                                               \
	{"summary", 0, "FILE",                                                               \
	 "write the short job / PR summary (Markdown, about 30 lines) to FILE,\n"            \
	 "e.g. --summary \"$GITHUB_STEP_SUMMARY\""}
#define OUTPUTS_OPTION_SUMMARY_TEMPLATE                                                      \
	{"summary-template", 0, "FILE", "render the summary from this Mustache template"}
#define OUTPUTS_OPTION_TEMPLATE                                                              \
	{"template", 0, "FILE",                                                              \
	 "render the report from this Mustache template instead of the built-in\n"           \
	 "one (partials are read from its directory; see formats/report-context.md)"}

/*
 * Takes one of the OUTPUTS_OPTION_* flags by its long name. Returns false after reporting a
 * usage error (a bad --chart-format).
 */
bool outputs_option(struct outputs *o, const char *name, const char *arg, struct diag *d);
/* True when any output was asked for (so a command knows whether to build the context). */
bool outputs_wanted(const struct outputs *o);
/*
 * Draws the charts, builds the context once, renders and writes every output asked for
 * (atomically; charts first, so the report never links a missing image). in->charts is
 * filled here. Prints one line per file written ("wrote charts/spectrum.svg (3 series)") to
 * standard output, unless an output goes there itself ("-", --context).
 * Returns false when anything failed (reported through d).
 */
bool outputs_emit(const struct outputs *o, struct report_input *in, struct diag *d);

#endif
