/*
 * ingest.h - the front-end layer: the format registry, the builder API front ends push
 * observations through, and each front end's entry points.
 *
 * Audience: front ends (one file per input format), registry.c, load.c, and the drivers, which
 * call ingest_load (and, for `detect`, the registry). Emit code never includes this (STYLE
 * rule 5).
 *
 * A front end knows one format and nothing else. It gets the whole input as a struct source
 * (whole-document formats) plus a builder, and reports every problem through the builder's
 * diagnostics sink; it never opens files, prints, or exits (STYLE rule 13). It returns false
 * when it reported an error that makes its result unusable.
 *
 * Adding a format: one file here exporting <stem>_sniff and <stem>_parse, one row in
 * registry.c, one reference page in formats/, one folder of cases under tests/e2e/.
 */
#ifndef PERFGATE_INGEST_H
#define PERFGATE_INGEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/model.h"
#include "../util/diag.h"
#include "../util/source.h"

/* ---- builder.c: the narrow API into the model ---- */

struct endpoint_rules;
struct io_reader;
struct server;

struct builder {
	struct model *model;   /* the model of this one input; borrowed */
	const char *path;      /* the input's path as given (provenance); the model's arena */
	const char *label;     /* LABEL from LABEL=PATH, or NULL; borrowed */
	bool label_is_path;    /* label is a file set's path prefix standing in for LABEL */
	struct diag *diag;     /* where problems go; borrowed */
	const struct endpoint_rules *rules; /* --group rules for endpoint names; may be NULL */
	uint64_t skipped;      /* lines skipped so far (builder_vskip, builder_count_skipped) */
	uint64_t skips_shown;  /* of those, reported one by one (at most BUILDER_SKIPS_SHOWN) */
	size_t result_count;   /* results in the input, when a front end of several results set
				  it before builder_run (LABEL lists "a,b,c" need it); else 0 */
	bool label_warned;     /* a LABEL list that does not fit result_count was reported */
	struct server *server; /* server-side formats: the run's sample sink (server.c); borrowed */
	int jobs;              /* worker threads for the line readers (par_lines.h); 1: none; 0:
				  one per processor, none on a small plain file */
	size_t endpoint_memory; /* bytes of per-endpoint series a k6 stream keeps before it folds
				   endpoints (k6_stream.c); SIZE_MAX: no limit */
	bool (*keep_endpoint)(const char *name, const void *ctx); /* never folded; may be NULL */
	const void *keep_ctx;
};

void builder_init(struct builder *b, struct model *model, const char *path, const char *label,
		  struct diag *diag);

/*
 * The run for one result in the input. Its label is, in order of preference: LABEL (with
 * "/title" appended when the input holds several titled results), the result's title, the
 * path (with "#N" for the N-th untitled result of several, 1-based). A LABEL with commas
 * names several results in order ("c10,c50,c100"), when the front end set result_count and
 * the list has exactly that many non-empty names; otherwise the runs are LABEL#N (or
 * LABEL/title) and a warning says why (DIAG_LABEL_COUNT).
 * index is the result's position when the input holds several (multiple true), else ignored.
 */
struct run *builder_run(struct builder *b, const char *tool, const char *title, size_t index,
			bool multiple);

/*
 * The run's own facts, set only through these (model.h: front ends never write a run's
 * fields): its concurrency (unit is static text: "VUs", "connections", "users"), its
 * duration in seconds, its start and end (µs since the Unix epoch, UTC); builder_run_span
 * sets both ends and the duration between them. builder_run_label renames a run (copied);
 * builder_run_source adds an input path (a member of a file set) to its sources;
 * builder_run_threshold records a threshold the tool evaluated (model_run_add_threshold).
 */
void builder_run_concurrency(struct builder *b, struct run *run, double value,
			     const char *unit);
void builder_run_duration(struct builder *b, struct run *run, double seconds);
void builder_run_start(struct builder *b, struct run *run, int64_t us);
void builder_run_end(struct builder *b, struct run *run, int64_t us);
void builder_run_span(struct builder *b, struct run *run, int64_t start_us, int64_t end_us);
void builder_run_label(struct builder *b, struct run *run, const char *label);
void builder_run_source(struct builder *b, struct run *run, const char *path);
void builder_run_threshold(struct builder *b, struct run *run, const char *metric,
			   const char *source, enum threshold_result result, bool abort_on_fail);

/*
 * The endpoint name for a request `name` (name[0..len), a URL or a label) and its method (may
 * be NULL or ""): the --group rules applied to name, then "METHOD name" unless name already
 * starts with the method. The result lives in the model's arena.
 */
const char *builder_endpoint(struct builder *b, const char *method, const char *name,
			     size_t len);
/* The same name written into out (cleared first; valid until out changes): no arena. */
const char *builder_endpoint_in(struct builder *b, const char *method, const char *name,
				size_t len, struct buf *out);

/*
 * Any series (metric, endpoint, tags) of the run, created with kind, precision and unit when
 * absent, with provenance set. The caller checks kind of a found series.
 */
struct series *builder_series(struct builder *b, struct run *run, const char *metric,
			      const char *endpoint, const struct tag *tags, size_t tag_count,
			      enum series_kind kind, enum precision precision, enum unit unit);
/* The same, telling whether the series was created (*created may not be NULL here). */
struct series *builder_series_created(struct builder *b, struct run *run, const char *metric,
				      const char *endpoint, const struct tag *tags,
				      size_t tag_count, enum series_kind kind,
				      enum precision precision, enum unit unit, bool *created);

/*
 * Gives s a timeline (per-interval data) if it has none; with_hist also keeps a histogram per
 * interval (trends with a histogram only).
 */
void builder_timeline(struct builder *b, struct series *s, bool with_hist);

/*
 * Records one raw sample taken at time_us into s by its kind: trend -> histogram (value must
 * be finite and >= 0), counter -> total += value, rate -> one more sample, a pass when value is
 * non-zero, gauge -> level. Also into s's timeline when it has one. Returns false for a value
 * the kind cannot take (nothing recorded; the caller reports it with its position).
 */
bool builder_sample(struct builder *b, struct series *s, int64_t time_us, double value);
/*
 * One raw sample of n trends for which builder_same_trends holds (a sample's tagged series,
 * endpoint total and run total): the value is checked and converted to histogram units once,
 * recorded once into `into`, which the caller merges into each series' histogram later (exact:
 * merging histograms is), and added to each series' timeline now. False, with nothing
 * recorded, for a value a trend cannot take (as builder_sample).
 */
bool builder_sample_trends(struct builder *b, struct series *const *s, int n, int64_t time_us,
			   double value, struct hist *into);
/* Whether n series are trends with histograms of one layout and one scale. */
bool builder_same_trends(struct series *const *s, int n);

/*
 * Adds a value at time_us to s's timeline only (created without histograms when absent),
 * leaving the series' totals alone: for tools that report totals and over-time values in
 * separate places (Locust's stats and history files). Non-finite values are ignored.
 */
void builder_timeline_add(struct builder *b, struct series *s, int64_t time_us, double value);

/* A trend series of the run for metric (whole run when endpoint is NULL). */
struct series *builder_trend(struct builder *b, struct run *run, const char *metric,
			     const char *endpoint, enum precision precision, enum unit unit);

/*
 * Records a raw sample (in the series' unit) `count` times into an exact series. Negative or
 * non-finite values are rejected (false; the caller reports with its position). Values
 * beyond the histogram's range are clamped and counted; builder_finish reports them.
 */
bool builder_record(struct builder *b, struct series *s, double value, int64_t count);

/* A quantile (q in [0, 1]) or a statistic exactly as the tool reported it. */
void builder_quantile(struct builder *b, struct series *s, double q, double value);
/* Drops the reported quantiles of s (values that turned out not to be combinable). */
void builder_clear_quantiles(struct builder *b, struct series *s);
void builder_stat(struct builder *b, struct series *s, enum stat_kind stat, double value);

/* Adds value to the counter (metric, endpoint, tags) of run, creating it at 0. */
void builder_count(struct builder *b, struct run *run, const char *metric,
		   const char *endpoint, const struct tag *tags, size_t tag_count, double value);

/*
 * A line (or CSV row) that could not be used: counts it and, for the first BUILDER_SKIPS_SHOWN
 * of the input, reports it (DIAG_LINE_SKIPPED at loc). The front ends wrap it in their own
 * printf-like skip() that adds the position they know.
 */
enum { BUILDER_SKIPS_SHOWN = 10 };
void builder_vskip(struct builder *b, const struct diag_loc *loc, const char *fmt, va_list ap);
/* Counts further skipped lines without a report (the other lines of a record reported once). */
void builder_count_skipped(struct builder *b, uint64_t lines);
/* At the end of an input of `lines` lines: "N of M lines skipped" (DIAG_LINES_SKIPPED) if any. */
void builder_report_skips(struct builder *b, uint64_t lines);

/*
 * Once parsing is done: folds the timelines' open counts into their intervals
 * (timeline_flush) and reports per-series clamp counts (DIAG_VALUES_CLAMPED).
 */
void builder_finish(struct builder *b);

/* ---- endpoint_rules.c: --group 'REGEX=NAME' rules that fold endpoint names ---- */

/*
 * Rules are PCRE2 patterns applied in order to an endpoint name (k6's `name` tag, a URL):
 * every match is replaced by NAME ($1.. refer to groups), so `/users/\d+=/users/:id` folds
 * /users/1 and /users/2 into /users/:id. Matching is bounded (match and depth limits), so a
 * pathological pattern gives a warning, never a hang.
 */
struct endpoint_rules *endpoint_rules_new(void);
/*
 * Adds a rule from "REGEX=NAME" (split at the last '=' that leaves a non-empty REGEX).
 * Reports a bad rule (no '=', regex error with a caret at the offending character) and
 * returns false.
 */
bool endpoint_rules_add(struct endpoint_rules *r, const char *rule, struct diag *d);
size_t endpoint_rules_count(const struct endpoint_rules *r);
/* The rule at index as it was given ("REGEX=NAME"); borrowed. */
const char *endpoint_rules_text(const struct endpoint_rules *r, size_t index);
/*
 * Applies the rules to name; returns a new string (xmalloc) when any rule matched, else NULL.
 * A rule that hits the match limit is skipped and reported once (DIAG_GROUP_MATCH_LIMIT).
 */
char *endpoint_rules_apply(const struct endpoint_rules *r, const char *name, size_t len,
			   struct diag *d);
void endpoint_rules_free(struct endpoint_rules *r);

/* ---- registry.c: the table of front ends ---- */

struct frontend {
	const char *name;        /* --format name and `detect` output: "autocannon" */
	const char *description; /* one line for --help and docs */
	/*
	 * Confidence that the input is this format, from its first bytes (BOM already skipped):
	 * 0 = no, 100 = certain. Must not read past len.
	 */
	int (*sniff)(const char *prefix, size_t len);
	/* Parses the whole input into the builder's model; false after reporting an error. */
	bool (*parse)(struct source *src, struct builder *b);
	/*
	 * Or, for line-oriented formats that can be larger than memory: reads the input as a
	 * stream (the reader is positioned at its start; name is its display name). Exactly one of
	 * parse and parse_stream is set.
	 */
	bool (*parse_stream)(struct io_reader *in, const char *name, struct builder *b);
	/*
	 * Tools that write one run as several files side by side (Locust's --csv PREFIX): the
	 * endings of the files' names after the PREFIX, NULL-terminated (at most REGISTRY_SET_MAX);
	 * NULL for formats of one file. The members of a set are read into one run: set_begin
	 * once, set_read for each member's text, set_end (false when nothing usable was read).
	 */
	const char *const *set_suffixes;
	const char *set_name;    /* what makes such a set, for messages: "Locust's --csv" */
	void *(*set_begin)(struct builder *b);
	bool (*set_read)(void *set, struct source *src);
	bool (*set_end)(void *set);
	bool server;             /* server-side metrics: read after the load generators' inputs,
				    into the run's struct server (load.c) */
};

/* Bytes of an input the sniffers see. */
enum { REGISTRY_SNIFF_BYTES = 64 * 1024 };

size_t registry_count(void);
const struct frontend *registry_at(size_t index);
/* The front end named name, or NULL. */
const struct frontend *registry_find(const char *name);
/* The front end an input is read with: forced (--format) when given, else registry_sniff. */
const struct frontend *registry_choose(const struct frontend *forced, const char *prefix,
				       size_t len);

/* The files of one set (see set_suffixes), as registry_find_set found them. */
enum { REGISTRY_SET_MAX = 8 };
struct registry_set {
	const struct frontend *frontend; /* the front end whose set it is */
	char *prefix;                    /* the PREFIX as spelt in the path ("results/run"); heap */
	char *members[REGISTRY_SET_MAX]; /* the files that exist, in the row's suffix order; heap */
	size_t member_count;             /* entries in members (at least 1) */
};
/*
 * Whether path names a file set of some front end: its PREFIX (then no such file exists), or
 * one of its files with at least one sibling beside it. Never with forced (--format) or for
 * "-". Fills *set (release with registry_set_fini) and returns true; false when path is an
 * ordinary input (set zeroed).
 */
bool registry_find_set(const char *path, const struct frontend *forced,
		       struct registry_set *set);
void registry_set_fini(struct registry_set *set);

/* ---- load.c: the command line's inputs into one model ---- */

/* One input argument: "PATH" or "LABEL=PATH". */
struct input {
	const char *path;   /* "-" for standard input; borrowed from the argument */
	const char *label;  /* from LABEL=PATH, or NULL; owned by the array (ingest_inputs_free) */
};

/*
 * Splits each argument into an input: "LABEL=PATH" unless the whole argument names an existing
 * file (a path may contain '='). Returns a new array owned by the caller (ingest_inputs_free).
 */
struct input *ingest_inputs(char **args, size_t count);
void ingest_inputs_free(struct input *inputs, size_t count);

/* Largest whole-document input read into memory (streamed formats have no limit). */
#define INGEST_MAX_DOCUMENT ((size_t)1 << 30)

/*
 * Opens an input and picks its front end from its first bytes (registry_choose). On success
 * *reader is open and still at the start of the input (the caller closes it;
 * reader->compressed says whether it is gzip data). An empty input, or one no front end
 * recognises, is reported; then false, with the reader closed.
 */
bool ingest_open(const struct input *in, const struct frontend *forced, struct io_reader *reader,
		 const struct frontend **frontend, struct diag *d);

/* How ingest_load reads: the options of every command that takes inputs. */
struct ingest_options {
	const struct frontend *format;      /* --format: read every input so; NULL: sniffed */
	const struct endpoint_rules *rules; /* --group rules (and a budget's); NULL when none */
	int digits;                         /* significant digits of exact histograms; 0: default */
	int jobs;                           /* --jobs: worker threads of the k6 line readers
					       (par_lines.h); 0: one per processor */
	size_t endpoint_memory;             /* --endpoint-memory in bytes; 0: the default
					       (INGEST_ENDPOINT_MEMORY_DEFAULT); SIZE_MAX: none */
	/* endpoints never folded under --endpoint-memory (a budget's named ones); may be NULL */
	bool (*keep_endpoint)(const char *name, const void *ctx);
	const void *keep_ctx;
	bool path_labels;                   /* keep labels made of paths whole (the caller runs
					       ingest_short_labels over several models) */
};

/* The default of --endpoint-memory: 128 MiB. */
#define INGEST_ENDPOINT_MEMORY_DEFAULT ((size_t)128 << 20)

/*
 * Reads every argument (PATH or LABEL=PATH; '-' is standard input) into a new model, sorted,
 * stored in *out and owned by the caller (model_free). Each input is read into a model of its
 * own by its front end and merged only when it had no error (a bad input is left out whole);
 * inputs given the same LABEL merge into one run; the files of a set (registry_find_set) make
 * one run, read once however often the command line names them under one label (under two
 * labels, it is two runs). Every input is tried, so one run reports every problem. Returns
 * false when any input had an error.
 */
/*
 * Shortens every run label made of an input's path (run.label_path_len) to the path's shortest
 * suffix of whole components that no other such path in the models shares ("run.json" for
 * "results/run.json", "a/run.json" and "b/run.json" for two of that name), keeping what
 * follows the path ("#2", "/title"). A shortened label never equals another run's label, nor
 * any run's label as it was, in its own model, or in any of the models when they are to be
 * merged; such a run keeps a longer suffix. ingest_load does this itself unless
 * o->path_labels; the models read for one command (candidate and baseline: ingest_load_pair;
 * a merge's inputs) are shortened together, so that two files of one name keep apart.
 */
void ingest_short_labels(struct model **models, size_t count, bool merged);

/*
 * ingest_load of first into *first_out, then (when second_count > 0, else *second_out is
 * NULL) of second into *second_out, with their path labels shortened together: a candidate
 * and its baseline, whose files may share a name. False when either had an error.
 */
bool ingest_load_pair(char **first, size_t first_count, char **second, size_t second_count,
		      const struct ingest_options *o, struct model **first_out,
		      struct model **second_out, struct diag *d);

bool ingest_load(char **args, size_t count, const struct ingest_options *o, struct model **out,
		 struct diag *d);

/* ---- the front ends ---- */

/* wrk and wrk2 text output, every `Running ... test @` block of a capture (wrk.c) */
int wrk_sniff(const char *prefix, size_t len);
bool wrk_parse(struct source *src, struct builder *b);

int autocannon_sniff(const char *prefix, size_t len);
bool autocannon_parse(struct source *src, struct builder *b);
/* autocannon's text table: recognised (not read as wrk) and refused with how to get JSON */
int autocannon_text_sniff(const char *prefix, size_t len);
bool autocannon_text_parse(struct source *src, struct builder *b);

/* k6: the JSON summaries (k6_summary.c), --out json (k6_ndjson.c), --out csv (k6_csv.c) */
int k6_summary_sniff(const char *prefix, size_t len);
bool k6_summary_parse(struct source *src, struct builder *b);
int k6_ndjson_sniff(const char *prefix, size_t len);
bool k6_ndjson_parse(struct io_reader *in, const char *name, struct builder *b);
int k6_csv_sniff(const char *prefix, size_t len);
bool k6_csv_parse(struct io_reader *in, const char *name, struct builder *b);

/*
 * Locust --csv (locust.c): one file alone (locust_parse), or the files of one --csv PREFIX
 * read into one run: locust_begin, locust_read for each file (its kind comes from its header),
 * locust_end (derives totals and concurrency; false when nothing usable was read).
 */
int locust_sniff(const char *prefix, size_t len);
int locust_json_sniff(const char *prefix, size_t len);
bool locust_json_parse(struct source *src, struct builder *b);
bool locust_parse(struct source *src, struct builder *b);
struct locust;
struct locust *locust_begin(struct builder *b);
bool locust_read(struct locust *l, struct source *src);
bool locust_end(struct locust *l);

/*
 * Server-side metrics (server.c, with the parsers prom_text.c and prom_api.c behind prom.h):
 * Prometheus text 0.0.4 / OpenMetrics snapshots and HTTP API JSON. Their samples go to the
 * builder's struct server, one per run label, which load.c creates, feeds every server input
 * of that label in time order, and ends with server_finish.
 */
int prom_text_sniff(const char *prefix, size_t len);
bool prom_text_parse(struct source *src, struct builder *b);
int prom_api_sniff(const char *prefix, size_t len);
bool prom_api_parse(struct io_reader *in, const char *name, struct builder *b);
struct server *server_new(const char *label, struct diag *d);
void server_free(struct server *s);
/* Clips every series to [start_us, end_us] (the run's window) and extrapolates to it. */
void server_set_window(struct server *s, int64_t start_us, int64_t end_us);
/*
 * The series read into the run of s's label in m (created when m has none). Reports what
 * could not be aligned or was left out; false when nothing usable was read or a series
 * cannot join the run.
 */
bool server_finish(struct server *s, struct model *m);
/*
 * A time in a file's base name: RFC 3339 ("2026-12-06T04:30:05Z", or the basic
 * "20261206T043005Z"), or Unix seconds (10 digits) or milliseconds (13 digits); the last one
 * when several. *at and *len give where it is in path.
 */
bool server_name_time(const char *path, int64_t *us, size_t *at, size_t *len);

int model_input_sniff(const char *prefix, size_t len);
bool model_input_parse(struct source *src, struct builder *b);

/* Helper for sniffers: true when needle occurs in the first len bytes of prefix. */
bool sniff_contains(const char *prefix, size_t len, const char *needle);
/* Helper for sniffers: the first byte that is not JSON whitespace, or 0. */
char sniff_first_char(const char *prefix, size_t len);

#endif
