/*
 * ingest.h - the front-end layer: the format registry, the builder API front ends push
 * observations through, and each front end's entry points.
 *
 * Audience: front ends (one file per input format), registry.c, and the driver (pipeline.c).
 * Emit code never includes this (STYLE rule 5).
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

#include <stdbool.h>
#include <stddef.h>

#include "../model/model.h"
#include "../util/diag.h"
#include "../util/source.h"

/* ---- builder.c: the narrow API into the model ---- */

struct builder {
	struct model *model;   /* the model of this one input; borrowed */
	const char *path;      /* the input's path as given (provenance); borrowed */
	const char *label;     /* LABEL from LABEL=PATH, or NULL; borrowed */
	struct diag *diag;     /* where problems go; borrowed */
};

void builder_init(struct builder *b, struct model *model, const char *path, const char *label,
		  struct diag *diag);

/*
 * The run for one result in the input. Its label is, in order of preference: LABEL (with
 * "/title" appended when the input holds several titled results), the result's title, the
 * path (with "#N" for the N-th untitled result of several, 1-based).
 * index is the result's position when the input holds several (multiple true), else ignored.
 */
struct run *builder_run(struct builder *b, const char *tool, const char *title, size_t index,
			bool multiple);

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
void builder_stat(struct builder *b, struct series *s, enum stat_kind stat, double value);

/* Adds value to the counter (metric, endpoint, tags) of run, creating it at 0. */
void builder_count(struct builder *b, struct run *run, const char *metric,
		   const char *endpoint, const struct tag *tags, size_t tag_count, double value);

/* Reports per-series clamp counts (DIAG_VALUES_CLAMPED) once parsing is done. */
void builder_finish(struct builder *b);

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
};

/* Bytes of an input the sniffers see. */
enum { REGISTRY_SNIFF_BYTES = 64 * 1024 };

size_t registry_count(void);
const struct frontend *registry_at(size_t index);
/* The front end named name, or NULL. */
const struct frontend *registry_find(const char *name);
/* The most confident front end for a prefix, or NULL when none recognises it. */
const struct frontend *registry_sniff(const char *prefix, size_t len);

/* ---- the front ends ---- */

int autocannon_sniff(const char *prefix, size_t len);
bool autocannon_parse(struct source *src, struct builder *b);

int model_input_sniff(const char *prefix, size_t len);
bool model_input_parse(struct source *src, struct builder *b);

/* Helper for sniffers: true when needle occurs in the first len bytes of prefix. */
bool sniff_contains(const char *prefix, size_t len, const char *needle);
/* Helper for sniffers: the first byte that is not JSON whitespace, or 0. */
char sniff_first_char(const char *prefix, size_t len);

#endif
