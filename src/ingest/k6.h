/*
 * k6.h - what the k6 front ends share: k6's metric model mapped onto ours, endpoint names, and
 * the streaming sink the raw outputs (--out json, --out csv) feed.
 *
 * Audience: k6_summary.c, k6_ndjson.c, k6_csv.c, k6_stream.c. Nothing else includes this.
 *
 * Mapping (formats/k6.md has the full table): http_req_duration -> latency, http_reqs ->
 * requests, http_req_failed -> errors (a counter of the failed samples, so error_rate =
 * errors / requests), data_received / data_sent -> bytes_in / bytes_out; every other metric,
 * built-in or custom, keeps its k6 name and kind (Trend -> trend, Counter -> counter, Rate ->
 * rate, Gauge -> gauge) with its unit from `contains` (time -> ms, data -> B).
 *
 * Series of a raw stream: one per (metric, endpoint, remaining tags) as sampled ("leaves"),
 * plus, per metric, the whole-run series and one per endpoint without tags, which are the
 * totals over all tags. The endpoint is the `name` tag (which k6 sets to the URL unless the
 * script names the request), after --group rules, prefixed with the method when the name does
 * not start with it: "GET /users/:id". `url` and `method` are folded into it and are not kept
 * as tags; tags with empty values are dropped (CSV cannot tell empty from unset).
 */
#ifndef PERFGATE_K6_H
#define PERFGATE_K6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

/* enum k6_type, enum k6_contains and the built-in table are the model's (k6_names.c). */
bool k6_type_from_name(const char *name, size_t len, enum k6_type *out);
bool k6_contains_from_name(const char *name, size_t len, enum k6_contains *out);

struct k6_map {
	const char *metric;     /* model metric name (static, or the k6 name as given) */
	enum series_kind kind;
	enum unit unit;
};
/*
 * How metric `name` of a type lands in the model (the names by k6_names_model_metric). A
 * script's metric whose name is one of perfgate's core names (`errors`, `latency`,
 * `requests`, ...; metrics.def) is renamed `k6:NAME` (in the model's arena), so it never
 * mixes with the core series.
 */
struct k6_map k6_map_metric(struct builder *b, const char *name, enum k6_type type,
			    enum k6_contains contains);

/*
 * Splits a sample's tags: name, url and method make the endpoint (k6_endpoint; NULL when there
 * is none, and then method stays a tag); the others with non-empty values go to kept (room
 * for tag_count entries), sorted by key. Returns the number kept. The endpoint is written into
 * scratch (valid until scratch changes) when it is not NULL, else into the model's arena: the
 * stream, which splits the tags of every new leaf again after its cache is emptied, must not
 * leave a copy in the arena each time.
 */
size_t k6_split_tags(struct builder *b, const struct tag *tags, size_t tag_count,
		     const char **endpoint, struct tag *kept, struct buf *scratch);

/* Sets the run's concurrency to the peak of its vus gauge (else vus_max), in VUs. */
void k6_set_concurrency(struct builder *b, struct run *run);

/* ---- k6_stream.c: the sink of raw samples ---- */

struct k6_stream;
struct k6_leaf;

struct k6_stream *k6_stream_new(struct builder *b, struct run *run);
/* A metric's type as a Metric line declares it (k6 NDJSON). */
void k6_stream_declare(struct k6_stream *st, const char *name, size_t len, enum k6_type type,
		       enum k6_contains contains);

/*
 * Leaves are cached by the raw bytes of (metric, tags as written), so a repeated tag set costs
 * one hash and one memcmp, never a tag parse. k6_stream_find returns the cached leaf or NULL;
 * then the front end parses the tags and calls k6_stream_add.
 */
uint64_t k6_stream_hash(const char *metric, size_t metric_len, const char *key, size_t key_len);
/*
 * The same hash, with the key's part kept from the last call when the key is the same bytes:
 * k6 writes the ten or so metrics of one request one after another with the same tags. c
 * starts zeroed (a worker's scratch); keys longer than its copy are hashed every time.
 */
struct k6_key_cache {
	char key[512];
	size_t len;
	uint64_t hash;
	bool set;
};
uint64_t k6_stream_hash_cached(struct k6_key_cache *c, const char *metric, size_t metric_len,
			       const char *key, size_t key_len);
struct k6_leaf *k6_stream_find(struct k6_stream *st, uint64_t hash, const char *metric,
			       size_t metric_len, const char *key, size_t key_len);
/*
 * Adds a leaf for metric with the given tags (any order; unescaped). Returns NULL, with *why
 * saying why, when the metric's name holds a control character, its type is unknown (no
 * Metric line, not a built-in) and guess is false, or its series were made with another kind
 * before (a guess, then a Metric line saying otherwise); the caller skips the sample. With guess, an unknown metric is read as a unitless trend and
 * reported once (DIAG_METRIC_TYPE_GUESSED).
 */
struct k6_leaf *k6_stream_add(struct k6_stream *st, uint64_t hash, const char *metric,
			      size_t metric_len, const char *key, size_t key_len,
			      const struct tag *tags, size_t tag_count, bool guess,
			      const char **why);
/* Records a sample; false when the value does not fit the metric's kind (NaN, negative trend). */
bool k6_stream_record(struct k6_stream *st, struct k6_leaf *leaf, int64_t time_us, double value);
/* builder_vskip for a line, at its 0-based byte column. */
struct line;
void k6_skip_line(struct k6_stream *st, const struct line *l, size_t column, const char *fmt,
		  ...) PG_PRINTF(4, 5);
/*
 * Ends the input: reports the count of skipped lines; read_error (NULL if none) is a warning
 * (DIAG_INPUT_TRUNCATED) when the input was cut short (cut: gzip data ending early) after
 * samples were read, else an error (corrupt data, I/O); no sample at all is DIAG_NO_DATA. Sets
 * the run's span and concurrency. Returns whether the input is usable.
 */
bool k6_stream_end(struct k6_stream *st, uint64_t lines, const char *read_error, bool cut);
void k6_stream_free(struct k6_stream *st);

#endif
