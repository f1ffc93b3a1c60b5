/*
 * prom.h - what the Prometheus front ends hand over: one sample at a time, through a sink.
 *
 * Audience: the Prometheus front ends (prom_text.c: text exposition 0.0.4 and OpenMetrics 1.0;
 * prom_api.c: HTTP API query / query_range JSON), server.c (the sink that folds samples into
 * server series), and their tests. Nothing else includes it.
 *
 * A parser knows one syntax and nothing of what a metric means: it decodes names, labels
 * (escapes resolved), values and timestamps, says which family a sample belongs to and its
 * declared type when the input declares one, and reports syntax problems with file:line:col.
 * What the samples mean (counter increases, histogram buckets, derived CPU utilisation) is
 * server.c's business, the same for every syntax.
 *
 * Memory: every pointer in a struct prom_sample is borrowed and valid only during the sink
 * call; the sink copies what it keeps.
 */
#ifndef PERFGATE_PROM_H
#define PERFGATE_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"
#include "../util/source.h"
#include "../util/timefmt.h"

/* A family's type as the input declares it (# TYPE); the HTTP API declares none. */
enum prom_type {
	PROM_UNTYPED,        /* no TYPE line, 0.0.4 `untyped`, OpenMetrics `unknown`, the API */
	PROM_COUNTER,
	PROM_GAUGE,
	PROM_HISTOGRAM,
	PROM_GAUGEHISTOGRAM,
	PROM_SUMMARY,
	PROM_STATESET,
	PROM_INFO,
};

/* "untyped", "counter", ... as the text formats spell them. */
const char *prom_type_name(enum prom_type type);

/* One label, decoded: escapes (\\ \" \n) resolved, so value may hold a newline. */
struct prom_label {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

/*
 * Where a sample (or a problem) sits. Whole-document inputs set src and offset (a caret can be
 * drawn); streamed inputs set file, line and column (1-based, columns in bytes).
 */
struct prom_where {
	struct source *src;  /* whole-document inputs; NULL for streamed ones */
	size_t offset;       /* byte offset in src of the sample's first byte */
	size_t span;         /* bytes to underline (>= 1) */
	const char *file;    /* streamed inputs: display name */
	uint64_t line;       /* streamed inputs: 1-based line; 0 = unknown */
	uint64_t column;     /* streamed inputs: 1-based byte column; 0 = unknown */
};

/* Fills *loc for w (source_locate for whole documents). */
void prom_where_locate(const struct prom_where *w, struct diag_loc *loc);

struct prom_sample {
	const char *name;        /* the sample's metric name ("x_bucket"); NULL when the API
				    result has no __name__ (an operator dropped it) */
	size_t name_len;
	const char *family;      /* the family it belongs to by the TYPE lines ("x" for
				    x_bucket of TYPE x histogram); name itself when none */
	size_t family_len;
	enum prom_type type;     /* the family's declared type; PROM_UNTYPED when undeclared */
	const char *unit;        /* OpenMetrics `# UNIT` of the family, or NULL */
	size_t unit_len;
	const struct prom_label *labels; /* every label but __name__, in input order */
	size_t label_count;
	double value;            /* NaN, +Inf, -Inf as written */
	int64_t time_us;         /* µs since the Unix epoch; valid when has_time. 0.0.4 writes
				    ms, OpenMetrics and the API seconds: converted here */
	bool has_time;
	struct prom_where where; /* the sample's position, for the sink's diagnostics */
};

/* What a parser calls; server.c implements it (tests may record). */
struct prom_sink {
	void *ctx;
	/* One sample. Returns false to stop parsing (the sink reported why). */
	bool (*sample)(void *ctx, const struct prom_sample *s);
	/*
	 * A note the input itself carries (an API response's `warnings` and `infos`), passed on
	 * as a diagnostic by the sink; may be NULL (the parser then reports DIAG_NOTE itself).
	 */
	void (*input_note)(void *ctx, const char *text, size_t len, const struct prom_where *w);
};

/*
 * Text exposition 0.0.4 or OpenMetrics 1.0 (told apart by content: `# EOF`, `# UNIT`,
 * OpenMetrics-only types, exemplars), the whole input in src. Reports every problem through d
 * (file:line:col) and returns false when an error makes the input unusable.
 */
bool prom_text_read(struct source *src, struct diag *d, const struct prom_sink *sink);
/* Score for the registry (0..100) from the first bytes of an input. */
int prom_text_score(const char *prefix, size_t len);

struct io_reader;
/*
 * Prometheus HTTP API JSON (/api/v1/query, /api/v1/query_range), streamed from in (memory does
 * not grow with the number of samples). status "error" is an input error quoting the server's
 * errorType and error; warnings and infos go to sink->input_note.
 */
bool prom_api_read(struct io_reader *in, const char *name, struct diag *d,
		   const struct prom_sink *sink);
int prom_api_score(const char *prefix, size_t len);

#endif
