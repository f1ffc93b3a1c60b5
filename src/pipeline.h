/*
 * pipeline.h - steps shared by several subcommands: turn the command line's inputs into a model.
 *
 * Audience: the cmd_*.c drivers.
 *
 * Each input is opened (plain or gzip, file or "-"), its format sniffed from its first bytes
 * (or forced with --format), and parsed by its front end, whole-document formats from memory
 * and line formats (k6 NDJSON and CSV) as a stream, into a model of its own, and merged into the
 * command's model; inputs given the same LABEL merge into one run. An input with errors is
 * reported and left out; the others still load, so every problem is shown in one go.
 */
#ifndef PERFGATE_PIPELINE_H
#define PERFGATE_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/ingest.h"
#include "budget/budget.h"
#include "model/model.h"
#include "util/diag.h"

struct input {
	const char *path;   /* "-" for standard input; borrowed from argv */
	const char *label;  /* from LABEL=PATH, or NULL; owned by the input (pipeline_inputs_free) */
};

/*
 * Splits each argument into an input: "LABEL=PATH" unless the whole argument names an existing
 * file (a path may contain '='). Returns a new array owned by the caller (pipeline_inputs_free).
 */
struct input *pipeline_inputs(char **args, size_t count);
void pipeline_inputs_free(struct input *inputs, size_t count);

/* Largest whole-document input read into memory (streamed formats have no limit). */
#define PIPELINE_MAX_DOCUMENT ((size_t)1 << 30)

/*
 * Opens an input and finds its format from its first bytes (REGISTRY_SNIFF_BYTES), or takes
 * forced (may be NULL). On success *reader is open and still at the start of the input (the
 * caller closes it; reader->compressed says whether it is gzip data). Reports and returns
 * false on failure (the reader is then closed).
 */
struct io_reader;
bool pipeline_open(const struct input *in, const struct frontend *forced,
		   struct io_reader *reader, const struct frontend **frontend, struct diag *d);

/* Loads every input into m (see above). Returns false when any input had an error. */
bool pipeline_load(struct model *m, const struct input *inputs, size_t count,
		   const struct frontend *forced, const struct endpoint_rules *rules, struct diag *d);

/*
 * The files of the set an input names (Locust's --csv PREFIX, given as the prefix or as one
 * member with siblings beside it): stores them in members (new strings, the caller frees) and
 * returns their number; 0 when the input is not such a set.
 */
enum { PIPELINE_SET_MAX = 8 };
size_t pipeline_input_set(const char *path, char *members[PIPELINE_SET_MAX]);

/* --format NAME: the front end, or a reported DIAG_FORMAT_NAME (false). */
bool pipeline_option_format(const char *name, const struct frontend **out, struct diag *d);
/* --digits N: 1..5, or a reported usage error (false). */
bool pipeline_option_digits(const char *arg, int *out, struct diag *d);
/* Writes bytes to path atomically (temp file + rename); reports DIAG_OUTPUT_WRITE on failure. */
bool pipeline_write_output(const char *path, const struct buf *bytes, const char *what,
			   struct diag *d);
/* --save-model FILE: the model (sorted) as model JSON, atomically. */
bool pipeline_save_model(const struct model *m, const char *path, struct diag *d);

/* Display name of an input: the path, or "<stdin>" for "-". */
const char *pipeline_input_name(const struct input *in);

/* ---- judging: the options and steps `check` and `report` share ---- */

struct budget;

/* What to judge and against what: -b, --baseline, --no-data, --format, --digits, --group. */
struct judge_options {
	const char *budget;           /* -b FILE; NULL when none */
	char **baseline;              /* --baseline arguments, in order; heap array */
	size_t baseline_count;
	bool has_no_data;             /* --no-data given */
	enum no_data_policy no_data;
	const struct frontend *format;
	struct endpoint_rules *rules; /* --group, then (after loading) the budget's group rules */
	int digits;
};

/*
 * Takes one of those options by its long name ("budget", "baseline", "no-data", "format",
 * "digits", "group"). Returns false after reporting a usage error.
 */
bool pipeline_judge_option(struct judge_options *o, const char *name, const char *arg,
			   struct diag *d);

/* The outcome of pipeline_judge. */
enum judgement {
	JUDGE_LOAD_FAILED,  /* the budget, an input or the baseline had an error: nothing judged */
	JUDGE_MISFIT,       /* the budget does not fit the inputs (a unit, a window): reported */
	JUDGE_DONE,         /* judged (or nothing to judge without a budget) */
};

/* What pipeline_judge made; pipeline_judged_fini releases it. */
struct judged {
	struct budget *budget;   /* NULL without -b */
	struct model *model;     /* the inputs, sorted */
	struct model *baseline;  /* the --baseline inputs, sorted; empty without */
	struct verdict verdict;  /* empty without a budget */
};

/*
 * Loads the budget (when o->budget), the inputs and the baseline, then evaluates the budget.
 * A rule that reads the baseline when none was given is a load error. Everything found is left
 * in *j (release with pipeline_judged_fini whatever the outcome).
 */
enum judgement pipeline_judge(struct judge_options *o, char **args, size_t count,
			      struct judged *j, struct diag *d);
void pipeline_judged_fini(struct judged *j);
/* Releases what the options own (the --baseline list, the group rules). */
void pipeline_judge_options_fini(struct judge_options *o);


#endif
