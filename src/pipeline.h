/*
 * pipeline.h - steps shared by several subcommands: turn the command line's inputs into a model.
 *
 * Audience: the cmd_*.c drivers.
 *
 * Each input is read whole (plain or gzip, file or "-"), its format sniffed from content (or
 * forced with --format), parsed by its front end into a model of its own, and merged into the
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

/* Largest whole-document input read into memory. */
#define PIPELINE_MAX_DOCUMENT ((size_t)1 << 30)

/*
 * Reads an input and finds its format. On success fills *text (owned by the caller, buf_fini),
 * *frontend and *compressed (may be NULL: whether the input was gzip data). forced (may be
 * NULL) skips sniffing. Reports and returns false on failure.
 */
struct buf;
bool pipeline_read(const struct input *in, const struct frontend *forced, struct buf *text,
		   const struct frontend **frontend, bool *compressed, struct diag *d);

/* Loads every input into m (see above). Returns false when any input had an error. */
bool pipeline_load(struct model *m, const struct input *inputs, size_t count,
		   const struct frontend *forced, struct diag *d);

/* Display name of an input: the path, or "<stdin>" for "-". */
const char *pipeline_input_name(const struct input *in);

#endif
