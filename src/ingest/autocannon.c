/*
 * autocannon.c - front end for autocannon `--json` results (FORMATS.md §3, formats/autocannon.md).
 *
 * Input: one result object (autocannon 0.x to 8.x prints `JSON.stringify(result)` on one line),
 * or an array of them as benchmark harnesses save them (often with a "title"), with or without
 * a UTF-8 BOM. Keys are read by name, never by position: their order changed in v7.
 *
 * autocannon keeps its samples in HdrHistograms but prints only summaries, so every series here
 * has precision `quantiles`: the numbers are kept exactly as printed and anything else is an
 * estimate. Mapping:
 *   latency (ms)                 -> trend "latency" (count = totalCount, else requests.total)
 *   requests per sampleInt window -> trend "rps" in req/s (scaled by 1000 / sampleInt)
 *   throughput per window (bytes) -> trend "throughput" in B/s (same scaling)
 *   requests.total, throughput.total -> counters "requests", "bytes_in"
 *   errors + 4xx + 5xx           -> counter "errors": failed requests (as k6's http_req_failed:
 *                                   no response, or a status >= 400)
 *   errors                       -> counter "unanswered" (autocannon's own "errors": connection
 *                                   errors including timeouts; not part of requests.total)
 *   timeouts, non2xx, mismatches, resets, requests.sent
 *                                -> counters under autocannon's own names
 *   1xx..5xx, statusCodeStats    -> counter "responses" tagged status_class / status
 * Percentile keys of every generation are decoded by one rule (percentile_of_key).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/json.h"
#include "../util/timefmt.h"
#include "ingest.h"

/*
 * Keys of an autocannon result. A JSON document whose first bytes hold at least three of them
 * is autocannon's, even when it is cut short: a truncated file then gets a JSON syntax error
 * at its end rather than "unknown format".
 */
static const char *const sniff_keys[] = {
	"\"latency\"", "\"requests\"", "\"throughput\"", "\"connections\"",
	"\"pipelining\"", "\"non2xx\"", "\"2xx\"", "\"sampleInt\"",
};

/*
 * autocannon's default output, its text table (box-drawing characters, `│ Latency │`), under a
 * `Running 10s test @ URL` line like wrk's: recognised so that it is not read as wrk, and
 * refused with the way to get the JSON perfgate reads.
 */
int autocannon_text_sniff(const char *prefix, size_t len)
{
	return sniff_contains(prefix, len, "Running ") && sniff_contains(prefix, len, "test @") &&
			       sniff_contains(prefix, len, "\xE2\x94\x82 Latency")
		       ? 90
		       : 0;
}

bool autocannon_text_parse(struct source *src, struct builder *b)
{
	struct diag_loc loc;
	source_locate(src, src->body, 1, &loc);
	diag_report(b->diag, DIAG_UNKNOWN_FORMAT, &loc,
		    "this is autocannon's text table (what it prints without --json): it rounds "
		    "latencies to whole ms and keeps only a few percentiles; run autocannon with "
		    "--json (-j) and give perfgate that output");
	return false;
}

int autocannon_sniff(const char *prefix, size_t len)
{
	char first = sniff_first_char(prefix, len);
	if (first != '{' && first != '[')
		return 0;
	int found = 0;
	for (size_t i = 0; i < PG_ARRAY_LEN(sniff_keys); i++)
		found += sniff_contains(prefix, len, sniff_keys[i]);
	return found >= 3 ? 50 + 5 * found : 0;
}

/*
 * Decodes a percentile key into a quantile in [0, 1]:
 *   "p97_5" -> 0.975, "p0_001" -> 0.00001 ('_' is the decimal point, percentiles-obj v2+);
 *   "p999", "p9999", "p99999" -> 0.999, 0.9999, 0.99999 (v1 spellings of 99.9 ...);
 *   "p50" -> 0.5 (any other integer percentile 0..100).
 * Returns 1 when key is a percentile key, 0 when it is not one at all ("average"), and -1 when
 * it looks like one but cannot be read ("p101", "p5_"): the caller warns and ignores it.
 */
static int percentile_of_key(const char *key, double *q)
{
	if (key[0] != 'p' || !isdigit((unsigned char)key[1]))
		return 0;
	const char *p = key + 1;
	char number[64];
	size_t n = 0;
	bool fraction = false;
	for (; *p && n + 1 < sizeof number; p++) {
		if (isdigit((unsigned char)*p)) {
			number[n++] = *p;
		} else if (*p == '_' && !fraction && isdigit((unsigned char)p[1])) {
			number[n++] = '.';
			fraction = true;
		} else {
			return -1;
		}
	}
	if (*p)
		return -1;
	number[n] = '\0';
	double percent;
	if (!fraction && strcmp(number, "999") == 0)
		percent = 99.9;
	else if (!fraction && strcmp(number, "9999") == 0)
		percent = 99.99;
	else if (!fraction && strcmp(number, "99999") == 0)
		percent = 99.999;
	else
		percent = strtod(number, NULL);
	if (!(percent >= 0 && percent <= 100))
		return -1;
	*q = model_quantile_of_percent(percent);
	return 1;
}

/* Everything one result object needs while it is parsed. */
struct result {
	struct builder *b;
	struct source *src;
	json_t *object;
	const char *pointer;   /* JSON Pointer of the object: "" or "/3" */
	bool ok;
};

/* Reads a non-negative number member of obj (pointer names obj). Absent is allowed. */
static bool get_count(struct result *r, const char *pointer, json_t *obj, const char *key,
		      double *out)
{
	enum json_found f = json_get_number(r->b->diag, r->src, pointer, obj, key, out);
	if (f == JSON_WRONG)
		r->ok = false;
	if (f != JSON_FOUND)
		return false;
	if (*out < 0) {
		char *p = json_pointer_member(pointer, key);
		json_report(r->b->diag, DIAG_BAD_VALUE, r->src, p, "'%s' must not be negative (%g)",
			    key, *out);
		free(p);
		r->ok = false;
		return false;
	}
	return true;
}

/*
 * Reads one summary object (latency, requests or throughput) into a quantiles series:
 * mean ("mean", else "average"), stddev, min, max and every percentile key, each value times
 * factor (1 for latency; 1000 / sampleInt for per-window counts).
 */
static void read_summary(struct result *r, json_t *summary, const char *pointer,
			 struct series *s, double factor)
{
	static const struct {
		const char *key;
		enum stat_kind stat;
	} stats[] = {
		{"mean", STAT_MEAN}, {"average", STAT_MEAN}, {"stddev", STAT_STDDEV},
		{"min", STAT_MIN}, {"max", STAT_MAX},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(stats); i++) {
		double v;
		if (stats[i].stat == STAT_MEAN && s->reported.has_stat[STAT_MEAN])
			continue; /* "average" only when "mean" is absent (autocannon < 2) */
		if (get_count(r, pointer, summary, stats[i].key, &v))
			builder_stat(r->b, s, stats[i].stat, v * factor);
	}
	const char *key;
	json_t *value;
	json_object_foreach(summary, key, value) {
		double q;
		int kind = percentile_of_key(key, &q);
		if (kind == 0)
			continue;
		if (kind < 0) {
			char *p = json_pointer_member(pointer, key);
			json_report(r->b->diag, DIAG_UNKNOWN_PERCENTILE_KEY, r->src, p,
				    "'%s' looks like a percentile key but is not one; ignored", key);
			free(p);
		} else {
			double v;
			if (get_count(r, pointer, summary, key, &v))
				builder_quantile(r->b, s, q, v * factor);
		}
	}
}

/* Looks up a required summary object; reports when it is missing or not an object. */
static json_t *summary_object(struct result *r, const char *key, char **pointer_out)
{
	*pointer_out = json_pointer_member(r->pointer, key);
	json_t *v = json_object_get(r->object, key);
	if (!v) {
		json_report(r->b->diag, DIAG_MISSING_FIELD, r->src, r->pointer,
			    "autocannon result has no '%s' object", key);
		r->ok = false;
		return NULL;
	}
	if (!json_is_object(v)) {
		json_report(r->b->diag, DIAG_JSON_TYPE, r->src, *pointer_out,
			    "'%s' must be an object", key);
		r->ok = false;
		return NULL;
	}
	return v;
}

static bool read_time(struct result *r, const char *key, int64_t *out)
{
	const char *text;
	enum json_found f = json_get_string(r->b->diag, r->src, r->pointer, r->object, key, &text);
	if (f == JSON_WRONG)
		r->ok = false;
	if (f != JSON_FOUND)
		return false;
	if (time_parse_rfc3339(text, out) && time_in_range(*out))
		return true;
	char *p = json_pointer_member(r->pointer, key);
	json_report(r->b->diag, DIAG_BAD_VALUE, r->src, p,
		    "'%s' is not an RFC 3339 timestamp in " TIME_RANGE_TEXT ": '%s'", key, text);
	free(p);
	r->ok = false;
	return false;
}

/* Top-level counters: autocannon's key -> our metric name. */
static const struct {
	const char *key;
	const char *metric;
} raw_counters[] = {
	{"errors", "unanswered"}, {"timeouts", "timeouts"}, {"non2xx", "non2xx"},
	{"mismatches", "mismatches"}, {"resets", "resets"},
};
static const char *const status_classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

static void read_status_codes(struct result *r, struct run *run)
{
	char *pointer = json_pointer_member(r->pointer, "statusCodeStats");
	json_t *codes = json_object_get(r->object, "statusCodeStats");
	if (codes && !json_is_object(codes)) {
		json_report(r->b->diag, DIAG_JSON_TYPE, r->src, pointer,
			    "'statusCodeStats' must be an object");
		r->ok = false;
	} else if (codes) {
		const char *code;
		json_t *entry;
		json_object_foreach(codes, code, entry) {
			char *p = json_pointer_member(pointer, code);
			double count;
			if (!json_is_object(entry)) {
				json_report(r->b->diag, DIAG_JSON_TYPE, r->src, p,
					    "status code entry must be an object like "
					    "{\"count\": N}");
				r->ok = false;
			} else if (get_count(r, p, entry, "count", &count)) {
				struct tag tag = {"status", code};
				builder_count(r->b, run, "responses", NULL, &tag, 1, count);
			}
			free(p);
		}
	}
	free(pointer);
}

static void read_result(struct builder *b, struct source *src, json_t *object,
			const char *pointer, size_t index, bool multiple, bool *ok)
{
	struct result r = {b, src, object, pointer, true};
	const char *title = NULL;
	if (json_get_string(b->diag, src, pointer, object, "title", &title) == JSON_WRONG)
		r.ok = false;
	struct run *run = builder_run(b, "autocannon", title, index, multiple);

	double v;
	if (get_count(&r, pointer, object, "connections", &v))
		builder_run_concurrency(b, run, v, "connections");
	if (get_count(&r, pointer, object, "duration", &v))
		builder_run_duration(b, run, v);
	int64_t at;
	if (read_time(&r, "start", &at))
		builder_run_start(b, run, at);
	if (read_time(&r, "finish", &at))
		builder_run_end(b, run, at);

	double sample_ms = 1000;
	if (get_count(&r, pointer, object, "sampleInt", &v) && v > 0)
		sample_ms = v;
	double per_second = 1000 / sample_ms;

	char *latency_ptr, *requests_ptr, *throughput_ptr;
	json_t *latency = summary_object(&r, "latency", &latency_ptr);
	json_t *requests = summary_object(&r, "requests", &requests_ptr);
	json_t *throughput = summary_object(&r, "throughput", &throughput_ptr);

	double total_requests = NAN;
	if (requests && !get_count(&r, requests_ptr, requests, "total", &total_requests)) {
		if (r.ok)
			json_report(b->diag, DIAG_MISSING_FIELD, src, requests_ptr,
				    "'requests' has no 'total'");
		r.ok = false;
	}
	if (latency) {
		struct series *s = builder_trend(b, run, "latency", NULL, PREC_QUANTILES, UNIT_MS);
		read_summary(&r, latency, latency_ptr, s, 1);
		if (get_count(&r, latency_ptr, latency, "totalCount", &v))
			builder_stat(b, s, STAT_COUNT, v);
		else if (!isnan(total_requests))
			builder_stat(b, s, STAT_COUNT, total_requests);
	}
	if (requests) {
		struct series *s = builder_trend(b, run, "rps", NULL, PREC_QUANTILES, UNIT_PER_S);
		read_summary(&r, requests, requests_ptr, s, per_second);
		if (get_count(&r, pointer, object, "samples", &v))
			builder_stat(b, s, STAT_COUNT, v);
		if (!isnan(total_requests))
			builder_count(b, run, "requests", NULL, NULL, 0, total_requests);
		if (get_count(&r, requests_ptr, requests, "sent", &v))
			builder_count(b, run, "sent", NULL, NULL, 0, v);
	}
	if (throughput) {
		struct series *s = builder_trend(b, run, "throughput", NULL, PREC_QUANTILES,
						 UNIT_BYTES_PER_S);
		read_summary(&r, throughput, throughput_ptr, s, per_second);
		if (get_count(&r, pointer, object, "samples", &v))
			builder_stat(b, s, STAT_COUNT, v);
		if (get_count(&r, throughput_ptr, throughput, "total", &v))
			builder_count(b, run, "bytes_in", NULL, NULL, 0, v);
	}

	/* failed requests: transport errors (incl. timeouts) plus 4xx and 5xx responses */
	double failed = 0;
	bool any_failure_field = false;
	for (size_t i = 0; i < PG_ARRAY_LEN(raw_counters); i++) {
		if (!get_count(&r, pointer, object, raw_counters[i].key, &v))
			continue;
		builder_count(b, run, raw_counters[i].metric, NULL, NULL, 0, v);
		if (strcmp(raw_counters[i].key, "errors") == 0) {
			failed += v;
			any_failure_field = true;
		}
	}
	for (size_t i = 0; i < PG_ARRAY_LEN(status_classes); i++) {
		if (!get_count(&r, pointer, object, status_classes[i], &v))
			continue;
		struct tag tag = {"status_class", status_classes[i]};
		builder_count(b, run, "responses", NULL, &tag, 1, v);
		if (i >= 3) {
			failed += v;
			any_failure_field = true;
		}
	}
	if (any_failure_field)
		builder_count(b, run, "errors", NULL, NULL, 0, failed);
	read_status_codes(&r, run);

	free(latency_ptr);
	free(requests_ptr);
	free(throughput_ptr);
	if (!r.ok)
		*ok = false;
}

/*
 * autocannon 9 with --warmup prints two documents, one per line: the warm-up result, then the
 * measured result, which nests the warm-up under "warmup". When src is that (a second JSON
 * object after the first), *measured is a copy of src with the first document blanked out
 * (newlines kept, so positions stay those of the file) and true is returned; the caller
 * checks that the second is a measured run. Any other input: false, nothing set.
 */
static bool second_document(const struct source *src, struct buf *measured)
{
	json_error_t error;
	json_t *first = json_loadb(src->bytes + src->body, src->len - src->body,
				   JSON_DISABLE_EOF_CHECK, &error);
	if (!first)
		return false;
	json_decref(first);
	size_t end = src->body + (size_t)error.position, next = end;
	while (next < src->len && strchr(" \t\r\n", src->bytes[next]))
		next++;
	if (next >= src->len || src->bytes[next] != '{')
		return false;
	buf_append(measured, src->bytes, src->len);
	for (size_t i = src->body; i < end; i++)
		if (measured->data[i] != '\n')
			measured->data[i] = ' ';
	return true;
}

bool autocannon_parse(struct source *src, struct builder *b)
{
	struct buf measured;
	buf_init(&measured);
	struct source second;
	bool warmup = second_document(src, &measured);
	if (warmup) {
		source_init(&second, src->name, measured.data, measured.len);
		src = &second;
	}
	json_t *root = json_parse_source(src, b->diag);
	if (!root) {
		if (warmup)
			source_fini(&second);
		buf_fini(&measured);
		return false;
	}
	bool ok = true;
	if (warmup) {
		/* only autocannon's --warmup pair is read so: the second nests the first */
		struct diag_loc loc;
		json_locate(src, "", &loc);
		if (json_is_object(root) && json_is_object(json_object_get(root, "warmup"))) {
			diag_report(b->diag, DIAG_NOTE, &loc,
				    "the first document is the --warmup run (also under \"warmup\" in "
				    "this one): left out, the measured run is read");
		} else {
			diag_report(b->diag, DIAG_JSON_SYNTAX, &loc,
				    "not valid JSON: a second document follows the first, and it is not "
				    "an autocannon --warmup result");
			ok = false;
		}
	}
	if (!ok) {
		/* said above */
	} else if (json_is_object(root)) {
		read_result(b, src, root, "", 0, false, &ok);
	} else if (json_is_array(root) && json_array_size(root) > 0) {
		b->result_count = json_array_size(root);
		size_t i;
		json_t *element;
		json_array_foreach(root, i, element) {
			char pointer[32];
			snprintf(pointer, sizeof pointer, "/%zu", i);
			if (!json_is_object(element)) {
				json_report(b->diag, DIAG_JSON_TYPE, src, pointer,
					    "element %zu of the array is not an autocannon result "
					    "object", i);
				ok = false;
				continue;
			}
			read_result(b, src, element, pointer, i, true, &ok);
		}
	} else {
		struct diag_loc loc;
		json_locate(src, "", &loc);
		diag_report(b->diag, DIAG_JSON_TYPE, &loc,
			    "expected an autocannon result object or a non-empty array of them");
		ok = false;
	}
	json_decref(root);
	if (warmup)
		source_fini(&second);
	buf_fini(&measured);
	return ok;
}
