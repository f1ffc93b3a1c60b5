/*
 * options.h - the options the commands share, and the one switch that takes them.
 *
 * Audience: the cmd_*.c drivers.
 *
 * Each command has its own option table (name, argument, help: cli.h), because the help text
 * of a flag may say what it means for that command. What a flag does is decided once, here:
 * a command handles its own flags (show --json, check --junit) and hands every other one to
 * options_take by its long name. So `--group` means the same to show, check and report, and
 * check and report cannot drift apart on the budget, baseline and report-output flags.
 */
#ifndef PERFGATE_OPTIONS_H
#define PERFGATE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/analysis.h"
#include "budget/budget.h"
#include "cli.h"
#include "emit/emit.h"
#include "ingest/ingest.h"

struct options {
	struct ingest_options input;   /* --format, --digits; .rules borrows `rules` */
	struct endpoint_rules *rules;  /* --group rules, in order given; NULL when none; owned */
	const char *budget;            /* -b FILE; NULL when none */
	char **baseline;               /* --baseline arguments, in order; heap array */
	size_t baseline_count;
	bool has_no_data;              /* --no-data given */
	enum no_data_policy no_data;
	const char *save_model;        /* --save-model FILE; NULL when none */
	struct window_spec window;     /* --window; WINDOW_WHOLE by default */
	bool open_model;               /* --open-model: every run was loaded by an arrival rate */
	struct outputs out;            /* --markdown, --summary, --charts, ..., --dump-context */
};

/*
 * Marks every run of m (may be NULL) as an open model when --open-model says so
 * (options_mark_open_model), then cuts it to --window (nothing for the whole run); runs that
 * cannot be cut are reported (DIAG_WINDOW_WHOLE_RUN). After ingest_load, in every command.
 */
void options_apply_window(const struct options *o, struct model *m, struct diag *d);
/* Marks every run of m (may be NULL) as an open model when --open-model was given. */
void options_mark_open_model(const struct options *o, struct model *m);

/* Options with their defaults (3 significant digits, nothing else set). */
void options_init(struct options *o);
/* Releases what the options own (the --group rules, the --baseline list). */
void options_fini(struct options *o);

/*
 * Takes a shared option by its long name: format, digits, group, budget, baseline, no-data,
 * save-model, markdown, summary, charts, chart-format, template, summary-template, context,
 * dump-context, window, slo, open-model, fsync, jobs, endpoint-memory.
 * Returns false after reporting a usage error about its argument.
 */
bool options_take(struct options *o, const char *name, const char *arg, struct diag *d);

/*
 * Whether the outputs leave standard output to one document at most: counts the shared ones
 * given as "-" (--markdown, --summary, --save-model; --dump-context) plus `others` (a
 * command's own, check's --junit - and --verdict -) and reports a usage error when there are two or more.
 */
bool options_one_stdout_document(const struct options *o, int others, struct diag *d);

/* Table entries whose help is the same for every command that takes them. */
#define OPTIONS_DIGITS                                                                      \
	{"digits", 0, "N",                                                                  \
	 "significant digits of histograms built from raw samples, 1..5\n"                  \
	 "(default 3: values within 0.1 %)"}
#define OPTIONS_ENDPOINT_MEMORY                                                              \
	{"endpoint-memory", 0, "SIZE",                                                       \
	 "memory a k6 stream may spend on per-endpoint series (128M by default;\n"          \
	 "K, M, G: KiB, MiB, GiB; 0: no limit); past it the endpoints with the\n"           \
	 "fewest requests fold into '(other endpoints)', with a warning"}
#define OPTIONS_FORMAT {"format", 'f', "NAME", "read every input as format NAME (no sniffing)"}
#define OPTIONS_FSYNC                                                                        \
	{"fsync", 0, NULL,                                                                   \
	 "flush each output file to the disk before renaming it into place (slower;\n"      \
	 "without it a crash of the machine may leave an empty file, never a half one)"}
#define OPTIONS_JOBS                                                                         \
	{"jobs", 'j', "N",                                                                   \
	 "threads that read each k6 NDJSON or CSV input, 1..64 (default: one per\n"         \
	 "processor, none for a plain file under 25 MiB; 1: none); the results are\n"       \
	 "the same for any N"}
#define OPTIONS_OPEN_MODEL                                                                   \
	{"open-model", 0, NULL,                                                              \
	 "the runs were loaded by arrival rates (k6 arrival-rate executors), not by\n"       \
	 "a number of clients: a capacity series' load is the rate k6 was asked for\n"      \
	 "(iterations started or dropped per second); docs/capacity.md"}
#define OPTIONS_SLO                                                                          \
	{"slo", 0, "RULE",                                                                   \
	 "for a series of load levels: the SLO whose crossing the report and the capacity\n" \
	 "chart show (p95<300ms, p(99)<=1s, error_rate<1%; docs/capacity.md)"}
#define OPTIONS_WINDOW                                                                       \
	{"window", 0, "WINDOW",                                                              \
	 "the part of each run the numbers describe: steady (warm-up left out, found\n"     \
	 "by MSER-5), FROM..TO from the run's start (30s.., ..2m, 10s..70s), stages\n"     \
	 "(a run per k6 stage of constant VUs, ramps left out) or whole (default);\n"      \
	 "docs/statistics.md"}
#define OPTIONS_QUIET                                                                        \
	{"quiet", 'q', NULL,                                                                 \
	 "no progress line while a long input is read (it is drawn only on a\n"          \
	 "terminal, and never with NO_COLOR set or TERM=dumb)"}
#define OPTIONS_CHART_FORMAT                                                                 \
	{"chart-format", 0, "FORMAT", "charts as png, svg (default) or both", "png svg both"}
#define OPTIONS_CHARTS                                                                       \
	{"charts", 0, "DIR",                                                                 \
	 "draw the charts the inputs allow into DIR (created when missing);\n"               \
	 "the Markdown report embeds them"}
#define OPTIONS_MARKDOWN                                                                     \
	{"markdown", 0, "FILE", "write the release-readiness report (Markdown) to FILE"}
#define OPTIONS_SUMMARY                                                                      \
	{"summary", 0, "FILE",                                                               \
	 "write the short job / PR summary (Markdown, about 30 lines) to FILE,\n"            \
	 "e.g. --summary \"$GITHUB_STEP_SUMMARY\""}
#define OPTIONS_CONTEXT                                                                      \
	{"context", 0, "KEY=VALUE",                                                          \
	 "state KEY=VALUE in the report's header (commit, branch, environment;\n"             \
	 "repeatable, in the order given)"}
#define OPTIONS_SUMMARY_TEMPLATE                                                             \
	{"summary-template", 0, "FILE", "render the summary from this Mustache template"}
#define OPTIONS_TEMPLATE                                                                     \
	{"template", 0, "FILE",                                                              \
	 "render the report from this Mustache template instead of the built-in\n"           \
	 "one (partials are read from its directory; see formats/report-context.md)"}

#endif
