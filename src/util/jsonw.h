/*
 * jsonw.h - a small deterministic JSON writer (model JSON, show --json, later verdict JSON).
 *
 * Audience: model (model_json.c), emit and the cmd_*.c drivers.
 *
 * Why not json_dumps: Jansson prints reals with "%.17g" (0.1 becomes 0.10000000000000001) and
 * cannot mark an array as "keep on one line". This writer prints the shortest round-trip form
 * (str_format_double), writes NaN/Inf as null, keeps keys in the order the caller writes them,
 * and indents with two spaces, so outputs are byte-identical across runs and easy to diff.
 */
#ifndef PERFGATE_JSONW_H
#define PERFGATE_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum { JSONW_MAX_DEPTH = 32 };

struct jsonw {
	struct buf *out;                  /* borrowed; output is appended */
	int depth;                        /* open containers */
	bool first[JSONW_MAX_DEPTH];      /* no member written yet at this depth */
	bool inline_[JSONW_MAX_DEPTH];    /* this container is written on one line */
	char closer[JSONW_MAX_DEPTH];     /* '}' or ']' for each open container */
	bool after_key;                   /* a key was written; the value follows on the same line */
	bool infinity_strings;            /* model JSON: jsonw_number writes ±Inf as "+Inf"/"-Inf" */
};

void jsonw_init(struct jsonw *w, struct buf *out);
/* Containers; an inline container and everything in it stays on one line. */
void jsonw_object(struct jsonw *w);
void jsonw_object_inline(struct jsonw *w);
void jsonw_array(struct jsonw *w);
void jsonw_array_inline(struct jsonw *w);
void jsonw_end(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_string(struct jsonw *w, const char *s);   /* NULL writes null */
void jsonw_double(struct jsonw *w, double v);        /* NaN and Inf write null */
/* A number of the model: as jsonw_double, but with infinity_strings set (model JSON only, so
 * a model reads back as it was) an infinity is the string "+Inf" or "-Inf". */
void jsonw_number(struct jsonw *w, double v);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* Ends the document with a newline. */
void jsonw_finish(struct jsonw *w);

#endif
