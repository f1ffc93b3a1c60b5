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

/* ---- budgets: the steps `check` and `report` share ---- */

struct budget;
/*
 * -b FILE: loads the budget; when it has "group" rules, *rules is rebuilt with them first and
 * the command line's --group rules after. NULL when the budget had errors (reported).
 */
struct budget *pipeline_load_budget(const char *path, struct endpoint_rules **rules,
				    struct diag *d);
/* A rule that reads the baseline when none was given is a budget error (reported; false). */
bool pipeline_baseline_needed(const struct budget *b, bool have, struct diag *d);
/* Loads the inputs into m and the --baseline inputs into base, then sorts both. */
bool pipeline_load_models(char **args, size_t count, char **baseline, size_t baseline_count,
			  const struct frontend *format, const struct endpoint_rules *rules,
			  struct model *m, struct model *base, struct diag *d);
/* Today in days since 1970-01-01 UTC, or the day of SOURCE_DATE_EPOCH when it is set. */
int64_t pipeline_today_day(void);

#endif
