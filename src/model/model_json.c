/*
 * model_json.c - versioned model JSON: perfgate's own save format (formats/model-json.md,
 * formats/model.schema.json). Written by --save-model, read back as an input or a baseline.
 *
 * Write: keys in a fixed order, numbers in shortest round-trip form (jsonw), histograms as
 * sparse [index, count, ...] pairs of the HdrHistogram layout. The writer is the canonical
 * form, so load -> save reproduces a saved file byte for byte (tests/e2e/model/).
 * Read: Jansson parses (a model of many series one series at a time, most of them without
 * Jansson: read_in_pieces); every field is checked for presence, type and domain, and problems
 * are reported at the JSON Pointer of the offending value with its line:col. A file with an
 * unknown "version" is refused rather than half-understood.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/diag.h"
#include "../util/json.h"
#include "../util/jsonw.h"
#include "../util/num.h"
#include "../util/source.h"
#include "../util/timefmt.h"
#include "model.h"

/*
 * Whether v is a number as model JSON writes one: a JSON number, "+Inf" or "-Inf" (an infinity,
 * jsonw_number), or null (NaN: missing, or what an infinity minus an infinity gave).
 */
static bool is_number(const json_t *v)
{
	return json_is_number(v) || json_is_null(v) ||
	       (json_is_string(v) && (strcmp(json_string_value(v), "+Inf") == 0 ||
				      strcmp(json_string_value(v), "-Inf") == 0));
}

/* The value of a number that is_number accepted; NaN for null, NULL and anything else. */
static double number_value(const json_t *v)
{
	if (v && json_is_number(v))
		return json_number_value(v);
	if (!v || !json_is_string(v) || !is_number(v))
		return NAN;
	return json_string_value(v)[0] == '+' ? INFINITY : -INFINITY;
}

/* A factor, scale or weight: finite and above zero (NaN and "+Inf" are not). */
static bool positive(double x)
{
	return isfinite(x) && x > 0;
}

/*
 * The numbers of a histogram's "counts" or of a timeline's "points": the two arrays that hold
 * nearly all of a large model's values. Read from the Jansson tree, or (read in pieces) from
 * the source text without a Jansson value per number; the checks below see the same either way.
 */
enum num_kind { NUMS_INT, NUMS_REAL, NUMS_OTHER };

struct nums {
	int64_t *ints;        /* value i as written, for NUMS_INT */
	double *reals;        /* value i as a number (is_number/number_value), NaN for others */
	unsigned char *kinds; /* enum num_kind of value i */
	size_t n, cap;
	size_t *ends;         /* points: one past each point's last value; a non-array point is
			       * empty */
	size_t rows, rows_cap;
};

static void nums_clear(struct nums *v)
{
	v->n = v->rows = 0;
}

static void nums_fini(struct nums *v)
{
	free(v->ints);
	free(v->reals);
	free(v->kinds);
	free(v->ends);
}

static void nums_push(struct nums *v, enum num_kind kind, int64_t i, double d)
{
	if (v->n == v->cap) {
		size_t cap = v->cap;
		v->ints = xgrow(v->ints, &cap, v->n + 1, sizeof *v->ints);
		cap = v->cap;
		v->reals = xgrow(v->reals, &cap, v->n + 1, sizeof *v->reals);
		v->kinds = xgrow(v->kinds, &v->cap, v->n + 1, sizeof *v->kinds);
	}
	v->ints[v->n] = i;
	v->reals[v->n] = d;
	v->kinds[v->n++] = (unsigned char)kind;
}

static void nums_end_row(struct nums *v)
{
	v->ends = xgrow(v->ends, &v->rows_cap, v->rows + 1, sizeof *v->ends);
	v->ends[v->rows++] = v->n;
}

static void nums_push_json(struct nums *v, const json_t *x)
{
	if (json_is_integer(x))
		nums_push(v, NUMS_INT, json_integer_value(x), (double)json_integer_value(x));
	else
		nums_push(v, is_number(x) ? NUMS_REAL : NUMS_OTHER, 0, number_value(x));
}

/* counts: [n, n, ...] */
static const struct nums *nums_of_array(struct nums *v, const json_t *array)
{
	nums_clear(v);
	size_t i;
	json_t *x;
	json_array_foreach(array, i, x)
		nums_push_json(v, x);
	return v;
}

/* points: [[n, ...], ...] */
static const struct nums *nums_of_rows(struct nums *v, const json_t *array)
{
	nums_clear(v);
	size_t i, j;
	json_t *row, *x;
	json_array_foreach(array, i, row) {
		json_array_foreach(row, j, x)
			nums_push_json(v, x);
		nums_end_row(v);
	}
	return v;
}

static bool lex_number(struct json_scan *s, enum num_kind *kind, int64_t *iv, double *dv);

/* At "null": moves past it. */
static bool lex_null(struct json_scan *s)
{
	if (s->end - s->p < 4 || memcmp(s->p, "null", 4) != 0)
		return false;
	s->p += 4;
	return true;
}

/*
 * One value of an array as Jansson would take it (a number: lex_number), or null, "+Inf" or
 * "-Inf" (is_number's other spellings). False for anything else (other strings, objects, a
 * number Jansson refuses): the caller then reads the whole document with Jansson, which
 * reports it.
 */
static bool lex_value(struct json_scan *s, struct nums *v)
{
	const char *p = s->p;
	if (lex_null(s)) {
		nums_push(v, NUMS_REAL, 0, NAN);
		return true;
	}
	if (s->end - p >= 6 && (memcmp(p, "\"+Inf\"", 6) == 0 || memcmp(p, "\"-Inf\"", 6) == 0)) {
		s->p += 6;
		nums_push(v, NUMS_REAL, 0, p[1] == '+' ? INFINITY : -INFINITY);
		return true;
	}
	enum num_kind kind;
	int64_t i;
	double d;
	if (!lex_number(s, &kind, &i, &d))
		return false;
	nums_push(v, kind, i, d);
	return true;
}

static bool is_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/*
 * A JSON number as Jansson reads it (see lex_value); false where Jansson would refuse it. The
 * token must follow RFC 8259's grammar (num_parse_* take more: blanks, '+', ".5", "5."); its
 * value is num.h's, exact like strtod's (integers in int64, reals refused when they overflow,
 * as Jansson's "too big integer" and "real number overflow").
 */
static bool lex_number(struct json_scan *s, enum num_kind *kind, int64_t *iv, double *dv)
{
	const char *p = s->p, *end = s->end, *start = p;
	p += p < end && *p == '-';
	if (!is_digit(p, end) || (*p == '0' && is_digit(p + 1, end)))
		return false;
	while (is_digit(p, end))
		p++;
	bool real = false;
	if (p < end && *p == '.') {
		real = true;
		if (!is_digit(++p, end))
			return false;
		while (is_digit(p, end))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = true;
		p++;
		p += p < end && (*p == '+' || *p == '-');
		if (!is_digit(p, end))
			return false;
		while (is_digit(p, end))
			p++;
	}
	s->p = p;
	size_t len = (size_t)(p - start);
	if (!real) {
		*kind = NUMS_INT;
		if (num_parse_int(start, len, iv, NULL) != NUM_OK)
			return false;
		*dv = (double)*iv;
		return true;
	}
	*kind = NUMS_REAL;
	*iv = 0;
	return num_parse_double(start, len, dv, NULL) == NUM_OK;
}

static int value_element(struct json_scan *s, size_t i, void *ctx)
{
	(void)i;
	return lex_value(s, ctx) ? 0 : 1;
}

static int row_element(struct json_scan *s, size_t i, void *ctx)
{
	(void)i;
	if (json_scan_elements(s, value_element, ctx) != 0)
		return 1;
	nums_end_row(ctx);
	return 0;
}

/* The text [from, to) is a whole array of numbers (rows: an array of such arrays). */
static bool lex_nums(const char *from, const char *to, bool rows, struct nums *v)
{
	nums_clear(v);
	struct json_scan s = {from, to, NULL};
	if (json_scan_elements(&s, rows ? row_element : value_element, v) != 0)
		return false;
	json_scan_ws(&s);
	return s.p == s.end;
}

void model_json_write_series_key(struct jsonw *w, const struct series *s)
{
	jsonw_key(w, "metric");
	jsonw_string(w, s->metric);
	jsonw_key(w, "endpoint");
	jsonw_string(w, s->endpoint);
	jsonw_key(w, "tags");
	jsonw_object_inline(w);
	for (size_t i = 0; i < s->tag_count; i++) {
		jsonw_key(w, s->tags[i].key);
		jsonw_string(w, s->tags[i].value);
	}
	jsonw_end(w);
}

static void write_time(struct jsonw *w, bool has, int64_t us);

static void write_timeline(struct jsonw *w, const struct timeline *t)
{
	jsonw_key(w, "timeline");
	jsonw_object(w);
	jsonw_key(w, "interval_s");
	jsonw_int(w, t->width_us / 1000000);
	jsonw_key(w, "start");
	write_time(w, true, timeline_start_us(t, 0));
	jsonw_key(w, "histogram");
	if (t->has_hist) {
		jsonw_object_inline(w);
		jsonw_key(w, "significant_digits");
		jsonw_int(w, t->layout.significant_digits);
		jsonw_key(w, "highest");
		jsonw_int(w, t->layout.highest_trackable_value);
		jsonw_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "points");
	jsonw_array(w);
	for (size_t i = 0; i < t->count; i++) {
		const struct interval *iv = timeline_at(t, i);
		jsonw_array_inline(w);
		jsonw_int(w, iv->count);
		if (iv->count) {
			jsonw_number(w, iv->sum);
			jsonw_number(w, iv->min);
			jsonw_number(w, iv->max);
			jsonw_number(w, iv->last);
			jsonw_int(w, iv->last_us - timeline_start_us(t, i));
			for (uint32_t j = 0; j < iv->bin_count;) {
				/* a count too large for one word continues in the next ones */
				int32_t index = timeline_bin_index(iv->bins[j]);
				int64_t count = 0;
				for (; j < iv->bin_count && timeline_bin_index(iv->bins[j]) == index; j++)
					count += timeline_bin_count(iv->bins[j]);
				jsonw_int(w, index);
				jsonw_int(w, count);
			}
		}
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_end(w);
}

void model_json_write_scalars(struct jsonw *w, const struct series *s)
{
	switch (s->kind) {
	case SERIES_COUNTER:
		jsonw_key(w, "total");
		jsonw_number(w, s->total);
		break;
	case SERIES_RATE:
		jsonw_key(w, "passes");
		jsonw_number(w, s->passes);
		jsonw_key(w, "total");
		jsonw_number(w, s->total);
		break;
	case SERIES_GAUGE:
		jsonw_key(w, "value");
		jsonw_number(w, s->gauge.set ? s->gauge.value : NAN);
		jsonw_key(w, "min");
		jsonw_number(w, s->gauge.set ? s->gauge.min : NAN);
		jsonw_key(w, "max");
		jsonw_number(w, s->gauge.set ? s->gauge.max : NAN);
		break;
	case SERIES_TREND:
		break;
	}
}

static void write_series_body(struct jsonw *w, const struct series *s);

static void write_series(struct jsonw *w, const struct series *s)
{
	jsonw_object(w);
	model_json_write_series_key(w, s);
	jsonw_key(w, "kind");
	jsonw_string(w, model_kind_name(s->kind));
	jsonw_key(w, "unit");
	jsonw_string(w, model_unit_json_name(s->unit));
	jsonw_key(w, "source");
	jsonw_string(w, s->source);
	if (s->server) {
		jsonw_key(w, "server");
		jsonw_bool(w, true);
	}
	write_series_body(w, s);
	if (s->timeline && s->timeline->count) /* a series whose samples were all rejected: none */
		write_timeline(w, s->timeline);
	jsonw_end(w);
}

/* The histogram of a series: its scale and the counts (trends, and server gauges). */
static void write_hist(struct jsonw *w, const struct series *s)
{
	const struct hist *h = &s->hist;
	jsonw_key(w, "scale");
	jsonw_number(w, s->scale);
	jsonw_key(w, "histogram");
	jsonw_object(w);
	jsonw_key(w, "significant_digits");
	jsonw_int(w, h->layout.significant_digits);
	jsonw_key(w, "highest");
	jsonw_int(w, h->layout.highest_trackable_value);
	jsonw_key(w, "total_count");
	jsonw_int(w, h->total_count);
	jsonw_key(w, "min");
	jsonw_int(w, hist_min(h));
	jsonw_key(w, "max");
	jsonw_int(w, hist_max(h));
	jsonw_key(w, "clamped_low");
	jsonw_int(w, h->clamped_low);
	jsonw_key(w, "clamped_high");
	jsonw_int(w, h->clamped_high);
	jsonw_key(w, "counts");
	jsonw_array_inline(w);
	struct hist_iter it;
	hist_iter_init(&it, h);
	while (hist_iter_next(&it)) {
		jsonw_int(w, it.index);
		jsonw_int(w, it.count);
	}
	jsonw_end(w);
	jsonw_end(w);
}

/* Prometheus buckets: bounds as Prometheus writes `le` ("0.005", "+Inf"), with their counts. */
static void write_buckets(struct jsonw *w, const struct buckets *b)
{
	jsonw_key(w, "buckets");
	jsonw_object(w);
	jsonw_key(w, "factor");
	jsonw_number(w, buckets_factor(b));
	jsonw_key(w, "sum");
	jsonw_number(w, b->has_sum ? b->sum : NAN);
	jsonw_key(w, "counts");
	jsonw_array_inline(w);
	for (size_t i = 0; i < b->count; i++) {
		char le[32];
		if (isinf(b->at[i].upper))
			snprintf(le, sizeof le, "%s", b->at[i].upper > 0 ? "+Inf" : "-Inf");
		else
			str_format_double(le, b->at[i].upper);
		jsonw_string(w, le);
		jsonw_number(w, b->at[i].count);
	}
	jsonw_end(w);
	jsonw_end(w);
}

static void write_series_body(struct jsonw *w, const struct series *s)
{
	if (s->kind != SERIES_TREND) {
		model_json_write_scalars(w, s);
		if (s->kind == SERIES_GAUGE) {
			jsonw_key(w, "value_time");
			write_time(w, s->gauge.set && s->gauge.value_us != INT64_MIN,
				   s->gauge.value_us);
			if (s->gauge.weight > 0) {
				/* a server gauge's mean over time: sum / weight */
				jsonw_key(w, "mean_sum");
				jsonw_number(w, s->gauge.sum);
				jsonw_key(w, "mean_weight");
				jsonw_number(w, s->gauge.weight);
			}
			if (s->has_hist) /* and its samples over time */
				write_hist(w, s);
		}
		if (s->kind == SERIES_COUNTER && s->span_s != 0) {
			jsonw_key(w, "span_s");
			jsonw_number(w, s->span_s);
		}
		return;
	}
	jsonw_key(w, "precision");
	jsonw_string(w, model_precision_name(s->precision));
	if (s->has_buckets) {
		write_buckets(w, &s->buckets);
		return;
	}
	if (s->has_hist)
		write_hist(w, s);
	bool any_stat = false;
	for (int i = 0; i < STAT__COUNT; i++)
		any_stat |= s->reported.has_stat[i];
	/* a bucketed histogram may also carry the statistics the tool printed (wrk2) */
	if (!s->has_hist || any_stat) {
		jsonw_key(w, "reported");
		jsonw_object(w);
		for (int i = 0; i < STAT__COUNT; i++) {
			if (!s->reported.has_stat[i])
				continue;
			jsonw_key(w, model_stat_name((enum stat_kind)i));
			jsonw_number(w, s->reported.stats[i]);
		}
		jsonw_key(w, "quantiles");
		jsonw_array(w);
		for (size_t i = 0; i < s->reported.point_count; i++) {
			jsonw_array_inline(w);
			jsonw_number(w, s->reported.points[i].q);
			jsonw_number(w, s->reported.points[i].value);
			jsonw_end(w);
		}
		jsonw_end(w);
		jsonw_end(w);
	}
}

static void write_time(struct jsonw *w, bool has, int64_t us)
{
	if (!has) {
		jsonw_null(w);
		return;
	}
	char text[40];
	time_format_rfc3339(us, text);
	jsonw_string(w, text);
}

void model_json_write_window(struct jsonw *w, const struct run *run)
{
	jsonw_key(w, "window");
	if (!run->has_window) {
		jsonw_null(w);
		return;
	}
	jsonw_object_inline(w);
	jsonw_key(w, "kind");
	jsonw_string(w, run->window_kind);
	jsonw_key(w, "from_s");
	jsonw_number(w, run->window_from_s);
	jsonw_key(w, "to_s");
	jsonw_number(w, run->window_to_s);
	jsonw_end(w);
}

void model_json_write_run_header(struct jsonw *w, const struct run *run)
{
	jsonw_key(w, "label");
	jsonw_string(w, run->label);
	jsonw_key(w, "tool");
	jsonw_string(w, run->tool);
	if (run->tool_version) { /* only where an input said */
		jsonw_key(w, "tool_version");
		jsonw_string(w, run->tool_version);
	}
	jsonw_key(w, "sources");
	jsonw_array_inline(w);
	for (size_t j = 0; j < run->source_count; j++)
		jsonw_string(w, run->sources[j]);
	jsonw_end(w);
	jsonw_key(w, "concurrency");
	jsonw_number(w, run->concurrency);
	jsonw_key(w, "concurrency_unit");
	jsonw_string(w, run->concurrency_unit);
	if (run->open_model) { /* only when set: older readers and outputs stay as they were */
		jsonw_key(w, "open_model");
		jsonw_bool(w, true);
	}
	jsonw_key(w, "start");
	write_time(w, run->has_start, run->start_us);
	jsonw_key(w, "end");
	write_time(w, run->has_end, run->end_us);
	jsonw_key(w, "duration_s");
	jsonw_number(w, run->duration_s);
	if (run->has_window)
		model_json_write_window(w, run);
	jsonw_key(w, "thresholds");
	jsonw_array(w);
	for (size_t i = 0; i < run->threshold_count; i++) {
		const struct threshold *t = &run->thresholds[i];
		jsonw_object_inline(w);
		jsonw_key(w, "metric");
		jsonw_string(w, t->metric);
		jsonw_key(w, "source");
		jsonw_string(w, t->source);
		jsonw_key(w, "result");
		jsonw_string(w, model_threshold_result_name(t->result));
		jsonw_key(w, "abort_on_fail");
		jsonw_bool(w, t->abort_on_fail);
		jsonw_end(w);
	}
	jsonw_end(w);
}

/* The model JSON of m's runs, or of `only` alone when it is not NULL. */
static void write_model(const struct model *m, const struct run *only, struct buf *out)
{
	struct jsonw w;
	jsonw_init(&w, out);
	w.infinity_strings = true; /* a sum past the largest double reads back as it was */
	jsonw_object(&w);
	jsonw_key(&w, "format");
	jsonw_string(&w, MODEL_JSON_FORMAT);
	jsonw_key(&w, "version");
	jsonw_int(&w, MODEL_JSON_VERSION);
	jsonw_key(&w, "runs");
	jsonw_array(&w);
	for (size_t i = 0; i < m->run_count; i++) {
		const struct run *run = m->runs[i];
		if (only && run != only)
			continue;
		jsonw_object(&w);
		model_json_write_run_header(&w, run);
		jsonw_key(&w, "series");
		jsonw_array(&w);
		for (size_t j = 0; j < run->series_count; j++)
			write_series(&w, run->series[j]);
		jsonw_end(&w);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_finish(&w);
}

void model_json_write(const struct model *m, struct buf *out)
{
	write_model(m, NULL, out);
}

/* ---- reading ---- */

struct pieces;
struct fast;

struct reader {
	struct model *model;
	struct source *src;
	struct diag *diag;
	bool ok;
	const struct pieces *pieces; /* read in pieces: where each run's series are; else NULL */
	bool piece_failed;           /* a series did not parse alone: read it all at once */
	struct nums counts, points;  /* the current series' "counts" and timeline "points" */
	bool lexed_counts;           /* ... lexed from the text already (read in pieces) */
	bool lexed_points;
	struct buf cut;              /* a series' text with those two arrays left out */
	struct fast *fast;           /* read_series_fast's; owned */
};

/*
 * Reports a problem at the value parent/key (at parent itself when key is NULL; an array index
 * is passed as its text) and marks the read as failed.
 */
static void fail(struct reader *r, enum diag_id id, const char *parent, const char *key,
		 const char *fmt, ...) PG_PRINTF(5, 6);
static void fail(struct reader *r, enum diag_id id, const char *parent, const char *key,
		 const char *fmt, ...)
{
	char *pointer = key ? json_pointer_member(parent, key) : xstrdup(parent);
	struct diag_loc loc;
	json_locate(r->src, pointer, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(r->diag, id, &loc, fmt, ap);
	va_end(ap);
	free(pointer);
	r->ok = false;
}

/* An array index as a pointer token. */
static const char *index_text(char out[24], size_t index)
{
	snprintf(out, 24, "%zu", index);
	return out;
}

/* A required member of a given Jansson type (JSON_REAL means any number). NULL if bad. */
static json_t *require(struct reader *r, json_t *obj, const char *pointer, const char *key,
		       json_type type, bool nullable)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		fail(r, DIAG_MISSING_FIELD, pointer, NULL, "model JSON: missing field '%s'", key);
		return NULL;
	}
	if (nullable && json_is_null(v))
		return v;
	bool right = type == JSON_REAL ? is_number(v) : json_typeof(v) == type;
	if (!right) {
		static const char *const names[] = {
			[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
			[JSON_STRING] = "a string", [JSON_INTEGER] = "an integer",
			[JSON_REAL] = "a number", [JSON_TRUE] = "a boolean",
			[JSON_FALSE] = "a boolean", [JSON_NULL] = "null",
		};
		fail(r, DIAG_JSON_TYPE, pointer, key, "model JSON: '%s' must be %s%s", key,
		     names[type], nullable ? " or null" : "");
		return NULL;
	}
	return v;
}

static const char *opt_string(json_t *v)
{
	return v && json_is_string(v) ? json_string_value(v) : NULL;
}

static void read_reported(struct reader *r, json_t *obj, const char *pointer, struct series *s)
{
	for (int i = 0; i < STAT__COUNT; i++) {
		const char *name = model_stat_name((enum stat_kind)i);
		json_t *v = json_object_get(obj, name);
		if (!v)
			continue;
		if (!is_number(v)) {
			fail(r, DIAG_JSON_TYPE, pointer, name, "model JSON: '%s' must be a number", name);
			continue;
		}
		reported_set_stat(&s->reported, (enum stat_kind)i, number_value(v));
	}
	char *qp = json_pointer_member(pointer, "quantiles");
	json_t *points = require(r, obj, pointer, "quantiles", JSON_ARRAY, false);
	size_t i;
	json_t *point;
	if (points) {
		json_array_foreach(points, i, point) {
			json_t *q = json_array_get(point, 0), *value = json_array_get(point, 1);
			if (!json_is_array(point) || json_array_size(point) != 2 ||
			    !is_number(q) || !is_number(value) || json_is_null(value) ||
			    !(number_value(q) >= 0 && number_value(q) <= 1)) {
				char index[24];
				fail(r, DIAG_BAD_VALUE, qp, index_text(index, i),
				     "model JSON: a quantile must be [q, value] with q in 0..1");
				continue;
			}
			reported_add_point(&s->reported, number_value(q),
					   number_value(value));
		}
	}
	free(qp);
}

static bool read_int(struct reader *r, json_t *obj, const char *pointer, const char *key,
		     int64_t min, int64_t *out)
{
	json_t *v = require(r, obj, pointer, key, JSON_INTEGER, false);
	if (!v)
		return false;
	*out = json_integer_value(v);
	if (*out < min) {
		fail(r, DIAG_BAD_VALUE, pointer, key, "model JSON: '%s' must be at least %lld", key,
		     (long long)min);
		return false;
	}
	return true;
}

/* A histogram's integer members, in the writer's order. */
enum { H_DIGITS, H_HIGHEST, H_TOTAL, H_MIN, H_MAX, H_LOW, H_HIGH, H__COUNT };
static const char *const hist_members[H__COUNT] = {
	"significant_digits", "highest", "total_count", "min", "max", "clamped_low",
	"clamped_high",
};

/* s gets an empty histogram of the layout in v; false (reported) if that layout is not valid. */
static bool hist_start(struct reader *r, const char *pointer, const int64_t v[H__COUNT],
		       struct series *s)
{
	struct hist_layout layout;
	if (v[H_DIGITS] > HIST_DIGITS_MAX ||
	    !hist_layout(v[H_HIGHEST], (int)v[H_DIGITS], &layout)) {
		fail(r, DIAG_BAD_VALUE, pointer, NULL,
		     "model JSON: histogram layout (significant_digits 1..5, highest) is not valid");
		return false;
	}
	hist_fini(&s->hist);
	hist_init(&s->hist, &layout);
	s->has_hist = true;
	return true;
}

static void hist_fill(struct reader *r, const char *pointer, const int64_t v[H__COUNT],
		      const struct nums *c, struct series *s);

static void read_histogram(struct reader *r, json_t *obj, const char *pointer, struct series *s)
{
	int64_t v[H__COUNT];
	for (int i = 0; i < H__COUNT; i++)
		if (!read_int(r, obj, pointer, hist_members[i], 0, &v[i]))
			return;
	if (!hist_start(r, pointer, v, s))
		return;
	json_t *counts = require(r, obj, pointer, "counts", JSON_ARRAY, false);
	if (counts)
		hist_fill(r, pointer, v,
			  r->lexed_counts ? &r->counts : nums_of_array(&r->counts, counts), s);
}

/* The counts c ([index, count, ...]) into s's histogram, checked against v's total. */
static void hist_fill(struct reader *r, const char *pointer, const int64_t v[H__COUNT],
		      const struct nums *c, struct series *s)
{
	char *cp = json_pointer_member(pointer, "counts");
	int64_t previous = -1;
	for (size_t i = 0; i < c->n; i += 2) {
		/* an odd-length array fails here too: its last count is missing */
		bool pair = i + 1 < c->n && c->kinds[i] == NUMS_INT && c->kinds[i + 1] == NUMS_INT;
		int64_t index = pair ? c->ints[i] : 0;
		if (!pair || index <= previous || index > INT32_MAX ||
		    !hist_set_count(&s->hist, (int32_t)index, c->ints[i + 1])) {
			char at[24];
			fail(r, DIAG_BAD_VALUE, cp, index_text(at, i),
			     "model JSON: counts must be [index, count, ...] pairs with increasing "
			     "indexes inside the layout and counts >= 0");
			break;
		}
		previous = index;
	}
	if (r->ok && s->hist.total_count != v[H_TOTAL])
		fail(r, DIAG_BAD_VALUE, cp, NULL, "model JSON: 'counts' do not add up to total_count");
	free(cp);
	hist_set_extremes(&s->hist, v[H_MIN], v[H_MAX]);
	s->hist.clamped_low = v[H_LOW];
	s->hist.clamped_high = v[H_HIGH];
}

static void read_time_field(struct reader *r, json_t *obj, const char *pointer,
			    const char *key, int64_t *out, bool *has);

static double read_number(struct reader *r, json_t *obj, const char *pointer, const char *key,
			  bool nullable);

static void read_buckets(struct reader *r, json_t *obj, const char *pointer, struct series *s)
{
	double factor = read_number(r, obj, pointer, "factor", false);
	double sum = read_number(r, obj, pointer, "sum", true);
	json_t *counts = require(r, obj, pointer, "counts", JSON_ARRAY, false);
	if (!r->ok || !counts)
		return;
	if (!positive(factor) || json_array_size(counts) % 2) {
		fail(r, DIAG_BAD_VALUE, pointer, "counts",
		     "model JSON: buckets need a positive factor and [le, count] pairs");
		return;
	}
	if (s->has_hist) {
		hist_fini(&s->hist);
		s->has_hist = false;
	}
	s->has_buckets = true;
	s->buckets.factor = factor;
	s->buckets.sum = sum;
	s->buckets.has_sum = !isnan(sum);
	for (size_t i = 0; i + 1 < json_array_size(counts); i += 2) {
		json_t *le = json_array_get(counts, i), *n = json_array_get(counts, i + 1);
		double bound;
		const char *text = json_is_string(le) ? json_string_value(le) : "";
		enum num_status st = num_parse_double(text, strlen(text), &bound, NULL);
		if ((st != NUM_OK && st != NUM_INF) || !is_number(n) ||
		    !(number_value(n) >= 0)) {
			fail(r, DIAG_BAD_VALUE, pointer, "counts",
			     "model JSON: a bucket is a bound as a string (\"0.5\", \"+Inf\") and a "
			     "count >= 0");
			return;
		}
		buckets_add(&s->buckets, bound, number_value(n));
	}
}

static void read_trend(struct reader *r, json_t *obj, const char *pointer, struct series *s)
{
	json_t *b = json_object_get(obj, "buckets");
	if (b && s->precision == PREC_BUCKETED) {
		char *bp = json_pointer_member(pointer, "buckets");
		if (require(r, obj, pointer, "buckets", JSON_OBJECT, false))
			read_buckets(r, b, bp, s);
		free(bp);
		return;
	}
	if (s->precision == PREC_QUANTILES) {
		json_t *rep = require(r, obj, pointer, "reported", JSON_OBJECT, false);
		char *rp = json_pointer_member(pointer, "reported");
		if (rep)
			read_reported(r, rep, rp, s);
		free(rp);
		return;
	}
	json_t *rep = json_object_get(obj, "reported");
	if (rep) {
		char *rp = json_pointer_member(pointer, "reported");
		if (require(r, obj, pointer, "reported", JSON_OBJECT, false))
			read_reported(r, rep, rp, s);
		free(rp);
	}
	json_t *scale = require(r, obj, pointer, "scale", JSON_REAL, false);
	json_t *h = require(r, obj, pointer, "histogram", JSON_OBJECT, false);
	if (scale && !positive(number_value(scale))) {
		fail(r, DIAG_BAD_VALUE, pointer, "scale", "model JSON: 'scale' must be positive");
	} else if (scale && h) {
		s->scale = number_value(scale);
		char *hp = json_pointer_member(pointer, "histogram");
		read_histogram(r, h, hp, s);
		free(hp);
	}
}

/* A number member that may be null (NaN). */
static double read_number(struct reader *r, json_t *obj, const char *pointer, const char *key,
			  bool nullable)
{
	return number_value(require(r, obj, pointer, key, JSON_REAL, nullable));
}

static void read_scalars(struct reader *r, json_t *obj, const char *pointer, struct series *s)
{
	switch (s->kind) {
	case SERIES_COUNTER:
		s->total = read_number(r, obj, pointer, "total", false);
		if (json_object_get(obj, "span_s"))
			s->span_s = read_number(r, obj, pointer, "span_s", true);
		break;
	case SERIES_RATE:
		s->passes = read_number(r, obj, pointer, "passes", false);
		s->total = read_number(r, obj, pointer, "total", false);
		if (r->ok && !(s->passes >= 0 && s->passes <= s->total))
			fail(r, DIAG_BAD_VALUE, pointer, "passes",
			     "model JSON: 'passes' must lie between 0 and 'total'");
		break;
	case SERIES_GAUGE: {
		double value = read_number(r, obj, pointer, "value", true);
		double min = read_number(r, obj, pointer, "min", true);
		double max = read_number(r, obj, pointer, "max", true);
		int64_t at = INT64_MIN;
		bool has_at = false;
		read_time_field(r, obj, pointer, "value_time", &at, &has_at);
		if (!isnan(value))
			s->gauge = (struct gauge){.value = value, .min = min, .max = max,
						  .value_us = has_at ? at : INT64_MIN, .set = true};
		json_t *h = json_object_get(obj, "histogram");
		if (h) {
			/* a server gauge's samples over time */
			json_t *scale = require(r, obj, pointer, "scale", JSON_REAL, false);
			char *hp = json_pointer_member(pointer, "histogram");
			if (scale && !positive(number_value(scale)))
				fail(r, DIAG_BAD_VALUE, pointer, "scale",
				     "model JSON: 'scale' must be positive");
			else if (scale && require(r, obj, pointer, "histogram", JSON_OBJECT, false)) {
				s->scale = number_value(scale);
				read_histogram(r, h, hp, s);
			}
			free(hp);
		}
		if (json_object_get(obj, "mean_weight")) {
			s->gauge.sum = read_number(r, obj, pointer, "mean_sum", false);
			s->gauge.weight = read_number(r, obj, pointer, "mean_weight", false);
			if (r->ok && !positive(s->gauge.weight))
				fail(r, DIAG_BAD_VALUE, pointer, "mean_weight",
				     "model JSON: 'mean_weight' must be positive");
		}
		break;
	}
	case SERIES_TREND:
		break;
	}
}

/* A timeline's "histogram": null (absent), or its layout's two members (ints: both integers). */
struct timeline_hist {
	bool present, ints;
	int64_t digits, highest;
};

static void timeline_fill(struct reader *r, const char *pointer, int64_t interval_s,
			  const char *start, const struct timeline_hist *th, const struct nums *pv,
			  struct series *s);

static void read_timeline(struct reader *r, json_t *obj, const char *pointer, struct series *s)
{
	json_t *interval = require(r, obj, pointer, "interval_s", JSON_INTEGER, false);
	json_t *start = require(r, obj, pointer, "start", JSON_STRING, false);
	json_t *hist = require(r, obj, pointer, "histogram", JSON_OBJECT, true);
	json_t *points = require(r, obj, pointer, "points", JSON_ARRAY, false);
	if (!interval || !start || !hist || !points)
		return;
	struct timeline_hist th = {json_is_object(hist), false, 0, 0};
	if (th.present) {
		json_t *d = json_object_get(hist, "significant_digits");
		json_t *h = json_object_get(hist, "highest");
		th.ints = json_is_integer(d) && json_is_integer(h);
		th.digits = json_integer_value(d);
		th.highest = json_integer_value(h);
	}
	timeline_fill(r, pointer, json_integer_value(interval), json_string_value(start), &th,
		      r->lexed_points ? &r->points : nums_of_rows(&r->points, points), s);
}

/* The timeline of s from its members (the points pv), checked whole. */
static void timeline_fill(struct reader *r, const char *pointer, int64_t interval_s,
			  const char *start, const struct timeline_hist *th, const struct nums *pv,
			  struct series *s)
{
	int64_t width = interval_s, start_us;
	/* at most 2^32 s (136 years), so every interval's start fits in int64 µs */
	if (width < 1 || width > (INT64_C(1) << 32) || (width & (width - 1)) != 0) {
		fail(r, DIAG_BAD_VALUE, pointer, "interval_s",
		     "model JSON: 'interval_s' must be a power of two seconds, at most 2^32");
		return;
	}
	width *= 1000000;
	if (!time_parse_rfc3339(start, &start_us) || !time_in_range(start_us) ||
	    start_us % width != 0) {
		fail(r, DIAG_BAD_VALUE, pointer, "start",
		     "model JSON: timeline 'start' must be an RFC 3339 time in " TIME_RANGE_TEXT
		     " on an interval boundary");
		return;
	}
	struct hist_layout layout;
	bool has_hist = th->present;
	if (has_hist) {
		if (!th->ints || th->digits > 5 ||
		    !hist_layout(th->highest, (int)th->digits, &layout) ||
		    layout.counts_len >= TIMELINE_BIN_INDEX_LIMIT) {
			fail(r, DIAG_BAD_VALUE, pointer, "histogram",
			     "model JSON: timeline histogram layout is not valid");
			return;
		}
	}
	if (pv->rows > TIMELINE_MAX_POINTS) {
		fail(r, DIAG_BAD_VALUE, pointer, "points",
		     "model JSON: a timeline holds at most %d points", TIMELINE_MAX_POINTS);
		return;
	}
	/* every interval starts in range too: a merge may drop the empty ones before it */
	if (pv->rows > 0 && (int64_t)(pv->rows - 1) > (TIME_MAX_US - start_us) / width) {
		fail(r, DIAG_BAD_VALUE, pointer, "points",
		     "model JSON: the timeline's last interval starts after 9999-12-31T23:59:59Z");
		return;
	}
	struct timeline *t = xcalloc(1, sizeof *t);
	timeline_init(t, has_hist ? &layout : NULL);
	timeline_set_span(t, width, start_us / width, pv->rows);
	s->timeline = t;
	char *pp = json_pointer_member(pointer, "points");
	for (size_t i = 0; i < pv->rows; i++) {
		size_t at = i ? pv->ends[i - 1] : 0, n = pv->ends[i] - at;
		const int64_t *ints = pv->ints + at;
		const unsigned char *kinds = pv->kinds + at;
		bool good = n == 1 || n >= 6;
		for (size_t j = 0; good && j < 6 && j < n; j++)
			good = kinds[j] == NUMS_INT || (j > 0 && j < 5 && kinds[j] != NUMS_OTHER);
		int64_t count = good ? ints[0] : 0, offset = good && n >= 6 ? ints[5] : 0;
		if (n == 1)
			good = good && count == 0;
		else
			good = good && count > 0 && (has_hist ? (n - 6) % 2 == 0 : n == 6) &&
			       offset >= 0 && offset < width;
		/*
		 * Checked whole before anything is stored: a count is at most TIMELINE_POINT_MAX
		 * (bins take count / 2^19 words, so a forged 2^63 would take all memory), and the
		 * bins must add up to it.
		 */
		good = good && count <= TIMELINE_POINT_MAX;
		int64_t binned = 0, previous = -1;
		for (size_t j = 6; good && j + 1 < n; j += 2) {
			good = kinds[j] == NUMS_INT && kinds[j + 1] == NUMS_INT &&
			       ints[j] > previous && ints[j] < layout.counts_len && ints[j + 1] > 0 &&
			       ints[j + 1] <= count - binned;
			if (good) {
				previous = ints[j];
				binned += ints[j + 1];
			}
		}
		if (good && has_hist && n > 6 && binned != count)
			good = false;
		if (!good) {
			char at_text[24];
			fail(r, DIAG_BAD_VALUE, pp, index_text(at_text, i),
			     "model JSON: a timeline point must be [0] or [count, sum, min, max, last, "
			     "last_offset_us, index, count, ...] with bins adding up to count");
			break;
		}
		if (count == 0)
			continue; /* [0]: no data, nothing to store */
		struct interval *iv = timeline_put(t, i);
		for (size_t j = 6; j + 1 < n; j += 2)
			timeline_add_bin(iv, (int32_t)ints[j], ints[j + 1]);
		const double *f = pv->reals + at;
		iv->count = count;
		iv->sum = f[1];
		iv->min = f[2];
		iv->max = f[3];
		iv->last = f[4];
		iv->last_us = timeline_start_us(t, i) + offset;
	}
	free(pp);
}

static void read_series(struct reader *r, struct run *run, json_t *obj, const char *pointer)
{
	json_t *metric = require(r, obj, pointer, "metric", JSON_STRING, false);
	json_t *endpoint = require(r, obj, pointer, "endpoint", JSON_STRING, true);
	json_t *tags = require(r, obj, pointer, "tags", JSON_OBJECT, false);
	json_t *kind = require(r, obj, pointer, "kind", JSON_STRING, false);
	json_t *unit = require(r, obj, pointer, "unit", JSON_STRING, false);
	json_t *source = require(r, obj, pointer, "source", JSON_STRING, true);
	if (!metric || !endpoint || !tags || !kind || !unit || !source)
		return;

	enum unit u;
	if (!model_unit_from_name(json_string_value(unit), &u)) {
		fail(r, DIAG_BAD_VALUE, pointer, "unit", "model JSON: unknown unit '%s'",
		     json_string_value(unit));
		return;
	}
	size_t tag_count = json_object_size(tags), t = 0;
	struct tag *tag_array = xcalloc(tag_count ? tag_count : 1, sizeof *tag_array);
	const char *key;
	json_t *value;
	json_object_foreach(tags, key, value) {
		if (!json_is_string(value)) {
			fail(r, DIAG_JSON_TYPE, pointer, "tags", "model JSON: tag values must be strings");
			free(tag_array);
			return;
		}
		tag_array[t].key = key;
		tag_array[t].value = json_string_value(value);
		t++;
	}

	const char *kind_text = json_string_value(kind);
	enum series_kind k;
	bool created;
	struct series *s = NULL;
	if (!model_kind_from_name(kind_text, &k)) {
		fail(r, DIAG_BAD_VALUE, pointer, "kind",
		     "model JSON: kind must be 'trend', 'counter', 'rate' or 'gauge', not '%s'",
		     kind_text);
	} else if (k == SERIES_TREND) {
		json_t *precision = require(r, obj, pointer, "precision", JSON_STRING, false);
		enum precision p;
		if (precision && !model_precision_from_name(json_string_value(precision), &p)) {
			fail(r, DIAG_BAD_VALUE, pointer, "precision", "model JSON: unknown precision '%s'",
			     json_string_value(precision));
		} else if (precision) {
			s = model_get_series(r->model, run, json_string_value(metric),
					     opt_string(endpoint), tag_array, tag_count,
					     SERIES_TREND, p, u, &created);
			if (created)
				read_trend(r, obj, pointer, s);
		}
	} else {
		s = model_get_series(r->model, run, json_string_value(metric), opt_string(endpoint),
				     tag_array, tag_count, k, PREC_EXACT, u, &created);
		if (created)
			read_scalars(r, obj, pointer, s);
	}
	if (s && !created) {
		fail(r, DIAG_BAD_VALUE, pointer, NULL,
		     "model JSON: series '%s' appears twice in one run", json_string_value(metric));
		s = NULL;
	}
	if (s && json_object_get(obj, "timeline")) {
		json_t *tl = require(r, obj, pointer, "timeline", JSON_OBJECT, false);
		char *tp = json_pointer_member(pointer, "timeline");
		if (tl)
			read_timeline(r, tl, tp, s);
		free(tp);
	}
	json_t *server = json_object_get(obj, "server");
	if (s && server) {
		if (json_is_boolean(server))
			s->server = json_is_true(server);
		else
			fail(r, DIAG_JSON_TYPE, pointer, "server", "model JSON: 'server' is a boolean");
	}
	if (s && s->timeline)
		s->timeline->exact_sums = !s->server; /* its sums add as the front end's did */
	if (s && opt_string(source) && !s->source)
		s->source = arena_strdup(&r->model->arena, opt_string(source));
	free(tag_array);
}

static void read_time_field(struct reader *r, json_t *obj, const char *pointer,
			    const char *key, int64_t *out, bool *has)
{
	json_t *v = require(r, obj, pointer, key, JSON_STRING, true);
	if (!v || json_is_null(v))
		return;
	if (time_parse_rfc3339(json_string_value(v), out) && time_in_range(*out)) {
		*has = true;
		return;
	}
	fail(r, DIAG_BAD_VALUE, pointer, key,
	     "model JSON: '%s' is not an RFC 3339 timestamp in " TIME_RANGE_TEXT, key);
}

/* "window": {"kind": "steady"|"range"|"stage", "from_s": N, "to_s": N|null}, optional. */
static void read_window(struct reader *r, json_t *obj, const char *pointer, struct run *run)
{
	json_t *w = json_object_get(obj, "window");
	if (!w || json_is_null(w))
		return;
	json_t *kind = json_object_get(w, "kind"), *from = json_object_get(w, "from_s");
	json_t *to = json_object_get(w, "to_s");
	const char *k = json_is_string(kind) ? json_string_value(kind) : "";
	static const char *const kinds[] = {"steady", "range", "stage"};
	const char *known = NULL;
	for (size_t i = 0; i < PG_ARRAY_LEN(kinds) && !known; i++)
		if (strcmp(k, kinds[i]) == 0)
			known = kinds[i];
	if (!json_is_object(w) || !known || !json_is_number(from) ||
	    !(json_is_number(to) || json_is_null(to)) || json_number_value(from) < 0) {
		fail(r, DIAG_BAD_VALUE, pointer, "window",
		     "model JSON: a window is {\"kind\": \"steady\", \"range\" or \"stage\", "
		     "\"from_s\": seconds, \"to_s\": seconds or null}");
		return;
	}
	run->has_window = true;
	run->window_kind = known;
	run->window_from_s = json_number_value(from);
	run->window_to_s = json_is_null(to) ? NAN : json_number_value(to);
}

static void read_series_pieces(struct reader *r, struct run *run, size_t index,
			       const char *pointer);

/* Element i of a run's "series" array (at pointer), from the tree or from its piece. */
static void read_series_at(struct reader *r, struct run *run, json_t *v, const char *pointer,
			   size_t i)
{
	char at[24];
	char *p = json_pointer_member(pointer, index_text(at, i));
	if (json_is_object(v))
		read_series(r, run, v, p);
	else
		fail(r, DIAG_JSON_TYPE, p, NULL, "model JSON: a series must be an object");
	free(p);
}

static void read_run(struct reader *r, json_t *obj, const char *pointer, size_t index)
{
	json_t *label = require(r, obj, pointer, "label", JSON_STRING, false);
	json_t *tool = require(r, obj, pointer, "tool", JSON_STRING, false);
	json_t *sources = require(r, obj, pointer, "sources", JSON_ARRAY, false);
	json_t *concurrency = require(r, obj, pointer, "concurrency", JSON_REAL, true);
	json_t *concurrency_unit = require(r, obj, pointer, "concurrency_unit", JSON_STRING, true);
	json_t *duration = require(r, obj, pointer, "duration_s", JSON_REAL, true);
	json_t *series = require(r, obj, pointer, "series", JSON_ARRAY, false);
	if (!label || !tool || !sources || !concurrency || !concurrency_unit || !duration ||
	    !series)
		return;
	if (model_find_run(r->model, json_string_value(label))) {
		fail(r, DIAG_BAD_VALUE, pointer, "label", "model JSON: run label '%s' appears twice",
		     json_string_value(label));
		return;
	}
	struct run *run = model_get_run(r->model, json_string_value(label),
					json_string_value(tool));
	size_t i;
	json_t *v;
	json_array_foreach(sources, i, v) {
		if (json_is_string(v))
			model_run_add_source(r->model, run, json_string_value(v));
	}
	run->concurrency = number_value(concurrency);
	if (opt_string(concurrency_unit))
		run->concurrency_unit = arena_strdup(&r->model->arena,
						     opt_string(concurrency_unit));
	run->duration_s = number_value(duration);
	json_t *version = json_object_get(obj, "tool_version");
	if (version && !json_is_string(version))
		fail(r, DIAG_JSON_TYPE, pointer, "tool_version",
		     "model JSON: tool_version is a string");
	else if (version)
		run->tool_version = arena_strdup(&r->model->arena, json_string_value(version));
	json_t *open = json_object_get(obj, "open_model");
	if (open && !json_is_boolean(open))
		fail(r, DIAG_BAD_VALUE, pointer, "open_model",
		     "model JSON: open_model is true or false");
	run->open_model = json_is_true(open);
	read_time_field(r, obj, pointer, "start", &run->start_us, &run->has_start);
	read_time_field(r, obj, pointer, "end", &run->end_us, &run->has_end);
	read_window(r, obj, pointer, run);
	/* optional: absent means the tool declared none */
	json_t *thresholds = json_object_get(obj, "thresholds")
				     ? require(r, obj, pointer, "thresholds", JSON_ARRAY, false)
				     : NULL;
	char *tp = json_pointer_member(pointer, "thresholds");
	json_array_foreach(thresholds, i, v) {
		json_t *metric = json_object_get(v, "metric"), *source = json_object_get(v, "source");
		json_t *result = json_object_get(v, "result");
		json_t *abort = json_object_get(v, "abort_on_fail");
		enum threshold_result res;
		if (!json_is_string(metric) || !json_is_string(source) || !json_is_string(result) ||
		    !model_threshold_result_from_name(json_string_value(result), &res) ||
		    !json_is_boolean(abort)) {
			char at[24];
			fail(r, DIAG_BAD_VALUE, tp, index_text(at, i),
			     "model JSON: a threshold must be {metric, source, result "
			     "(unknown|passed|failed), abort_on_fail}");
			continue;
		}
		model_run_add_threshold(r->model, run, json_string_value(metric),
					json_string_value(source), res, json_is_true(abort));
	}
	free(tp);
	char *sp = json_pointer_member(pointer, "series");
	json_array_foreach(series, i, v)
		read_series_at(r, run, v, sp, i);
	if (r->pieces)
		read_series_pieces(r, run, index, sp);
	free(sp);
}

/*
 * Reading in pieces. Jansson builds a tree of the whole document, a few hundred bytes for each
 * of its millions of numbers in a large model: more time and memory than the samples it came
 * from. So a structural scan finds, in each run, the elements of its "series" array; the
 * document without them (the skeleton) is parsed as one, and each series alone, read into the
 * model and freed. A series as the writer makes it is read without a tree at all
 * (read_series_fast); any other is parsed by Jansson with the same flags, its two bulky arrays
 * lexed apart (load_piece). Anything the scan does not expect, a piece that does not parse
 * alone, or a value out of its domain in a series read the fast way, sends the whole input
 * down the one-document path instead (model_json_read), which reports every problem as it
 * always did: the pieces are read into a model and a diagnostic sink of their own, kept only
 * on success.
 */
struct span {
	size_t from, to; /* [from, to) of the source's bytes */
};

struct pieces {
	struct span *series;  /* every series element, run by run; owned */
	size_t count, cap;
	size_t *first;        /* runs index -> first element in series (first[n]: count); owned */
	size_t runs, runs_cap;
	struct span *cuts;    /* the series arrays' insides, left out of the skeleton; owned */
	size_t cut_count, cut_cap;
};

struct scan_ctx {
	struct pieces *pc;
	const char *base;
};

/* An element of a run's "series" array: its bytes are a piece. */
static int series_element(struct json_scan *sc, size_t i, void *ctx)
{
	(void)i;
	struct scan_ctx *c = ctx;
	struct pieces *pc = c->pc;
	size_t from = (size_t)(sc->p - c->base);
	if (!json_scan_value(sc))
		return -1;
	pc->series = xgrow(pc->series, &pc->cap, pc->count + 1, sizeof *pc->series);
	pc->series[pc->count++] = (struct span){from, (size_t)(sc->p - c->base)};
	return 0;
}

/* A member of a run: "series" arrays give their elements; the rest is skipped. */
static int run_member(struct json_scan *sc, const char *key, void *ctx)
{
	struct scan_ctx *c = ctx;
	struct pieces *pc = c->pc;
	if (strcmp(key, "series") != 0 || *sc->p != '[')
		return json_scan_value(sc) ? 0 : -1;
	size_t inside = (size_t)(sc->p + 1 - c->base);
	if (json_scan_elements(sc, series_element, ctx) != 0)
		return -1;
	pc->cuts = xgrow(pc->cuts, &pc->cut_cap, pc->cut_count + 1, sizeof *pc->cuts);
	pc->cuts[pc->cut_count++] = (struct span){inside, (size_t)(sc->p - 1 - c->base)};
	return 0;
}

/* An element of "runs": a run object has its series found; anything else is skipped. */
static int run_element(struct json_scan *sc, size_t i, void *ctx)
{
	(void)i;
	struct pieces *pc = ((struct scan_ctx *)ctx)->pc;
	pc->first = xgrow(pc->first, &pc->runs_cap, pc->runs + 2, sizeof *pc->first);
	pc->first[pc->runs++] = pc->count;
	if (*sc->p == '{')
		return json_scan_members(sc, run_member, ctx) == 0 ? 0 : -1;
	return json_scan_value(sc) ? 0 : -1;
}

/* A member of the document: each element of "runs" is a run (its series found). */
static int top_member(struct json_scan *sc, const char *key, void *ctx)
{
	struct pieces *pc = ((struct scan_ctx *)ctx)->pc;
	if (strcmp(key, "runs") != 0 || *sc->p != '[' || pc->runs)
		return json_scan_value(sc) ? 0 : -1;
	if (json_scan_elements(sc, run_element, ctx) != 0)
		return -1;
	pc->first = xgrow(pc->first, &pc->runs_cap, pc->runs + 1, sizeof *pc->first);
	pc->first[pc->runs] = pc->count;
	return 0;
}

static void pieces_fini(struct pieces *pc)
{
	free(pc->series);
	free(pc->first);
	free(pc->cuts);
}

/* Where a series' two bulky arrays are in its piece ({0, 0}: not there). */
struct bulky {
	const char *base;
	struct span counts, points;
};

static int bulky_in(struct json_scan *sc, const char *key, const char *want, struct span *at,
		    const char *base)
{
	if (strcmp(key, want) != 0 || *sc->p != '[')
		return json_scan_value(sc) ? 0 : -1;
	size_t from = (size_t)(sc->p - base);
	if (!json_scan_value(sc))
		return -1;
	*at = (struct span){from, (size_t)(sc->p - base)};
	return 0;
}

static int histogram_member(struct json_scan *sc, const char *key, void *ctx)
{
	struct bulky *b = ctx;
	return bulky_in(sc, key, "counts", &b->counts, b->base);
}

static int timeline_member(struct json_scan *sc, const char *key, void *ctx)
{
	struct bulky *b = ctx;
	return bulky_in(sc, key, "points", &b->points, b->base);
}

static int series_member(struct json_scan *sc, const char *key, void *ctx)
{
	bool histogram = strcmp(key, "histogram") == 0, timeline = strcmp(key, "timeline") == 0;
	if ((!histogram && !timeline) || *sc->p != '{')
		return json_scan_value(sc) ? 0 : -1;
	return json_scan_members(sc, histogram ? histogram_member : timeline_member, ctx);
}

/*
 * Series k's piece as a Jansson tree, with its histogram's "counts" and its timeline's
 * "points" lexed from the text into r->counts and r->points and left out of the tree (as []):
 * those arrays hold nearly all of a large model's numbers. NULL (r->piece_failed) when the
 * piece is not what the writer makes: the whole document is then read with Jansson instead.
 */
static json_t *load_piece(struct reader *r, const char *text, size_t len)
{
	struct bulky b = {text, {0, 0}, {0, 0}};
	struct json_scan sc = {text, text + len, NULL};
	if (json_scan_members(&sc, series_member, &b) != 0)
		return NULL;
	r->lexed_counts = b.counts.to > 0;
	r->lexed_points = b.points.to > 0;
	if ((r->lexed_counts && !lex_nums(text + b.counts.from, text + b.counts.to, false,
					  &r->counts)) ||
	    (r->lexed_points && !lex_nums(text + b.points.from, text + b.points.to, true,
					  &r->points)))
		return NULL;
	/* the two cuts in text order ({0, 0}: none) */
	struct span cuts[2] = {b.counts, b.points};
	if (cuts[1].to > 0 && (cuts[0].to == 0 || cuts[1].from < cuts[0].from))
		cuts[0] = b.points, cuts[1] = b.counts;
	buf_clear(&r->cut);
	size_t at = 0;
	for (size_t i = 0; i < 2; i++) {
		if (cuts[i].to == 0)
			continue;
		buf_append(&r->cut, text + at, cuts[i].from - at);
		buf_puts(&r->cut, "[]");
		at = cuts[i].to;
	}
	buf_append(&r->cut, text + at, len - at);
	json_error_t error;
	return json_loadb(r->cut.data, r->cut.len,
			  JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &error);
}

/*
 * The fast way through a series piece. A series as the writer makes it (a trend with its
 * histogram, a counter or a rate, with or without a timeline) is read straight from its text:
 * each member found by name, each value of the type the writer gives it, no Jansson tree. The
 * first pass only reads; anything else (another member or type, an escape or a byte outside
 * printable ASCII in a string, a duplicate member) leaves the piece to Jansson (load_piece),
 * as before. What is read is then checked by the same code as Jansson's path (hist_fill,
 * timeline_fill); a value out of its domain sends the whole document down Jansson's path,
 * which reports it where it is.
 */
enum fast_member {
	F_METRIC, F_ENDPOINT, F_TAGS, F_KIND, F_UNIT, F_SOURCE, F_PRECISION, F_SCALE,
	F_HISTOGRAM, F_TIMELINE, F_TOTAL, F_PASSES, F_SPAN, F__COUNT
};
static const char *const fast_members[F__COUNT] = {
	"metric", "endpoint", "tags", "kind", "unit", "source", "precision", "scale",
	"histogram", "timeline", "total", "passes", "span_s",
};

struct fast {
	struct reader *r;
	unsigned seen;                 /* 1 << enum fast_member */
	struct buf text;               /* the strings, each NUL-terminated */
	size_t str[F__COUNT];          /* offset in text; SIZE_MAX: null */
	size_t tag_at[64][2];          /* each tag's key and value offsets */
	size_t tag_count;
	double number[F__COUNT];       /* scale, total, passes, span_s */
	int64_t hist[H__COUNT];
	unsigned hist_seen;
	int64_t interval_s;
	size_t start;                  /* the timeline's start string */
	struct timeline_hist th;
	unsigned timeline_seen;
};

/* At '"': a string of printable ASCII without escapes, copied into f->text; false otherwise. */
static bool fast_string(struct json_scan *sc, struct fast *f, size_t *at)
{
	if (sc->p >= sc->end || *sc->p != '"')
		return false;
	const char *from = sc->p + 1, *to = memchr(from, '"', (size_t)(sc->end - from));
	if (!to)
		return false;
	for (const char *c = from; c < to; c++)
		if (*c < 0x20 || *c > 0x7e || *c == '\\')
			return false;
	*at = f->text.len;
	buf_append(&f->text, from, (size_t)(to - from));
	buf_putc(&f->text, '\0');
	sc->p = to + 1;
	return true;
}

/* The raw name of the member sc is at (s->key: its opening '"') is plain, as fast_string. */
static bool fast_key(const struct json_scan *sc)
{
	for (const char *c = sc->key + 1; c < sc->p && *c != '"'; c++)
		if (*c < 0x20 || *c > 0x7e || *c == '\\')
			return false;
	return true;
}

static bool fast_int(struct json_scan *sc, int64_t *out)
{
	enum num_kind kind;
	double d;
	return lex_number(sc, &kind, out, &d) && kind == NUMS_INT;
}

static int fast_tag(struct json_scan *sc, const char *key, void *ctx)
{
	struct fast *f = ctx;
	if (!fast_key(sc) || f->tag_count == PG_ARRAY_LEN(f->tag_at))
		return 1;
	for (size_t i = 0; i < f->tag_count; i++)
		if (strcmp(f->text.data + f->tag_at[i][0], key) == 0)
			return 1; /* a duplicate: Jansson's path reports it */
	f->tag_at[f->tag_count][0] = f->text.len;
	buf_puts(&f->text, key);
	buf_putc(&f->text, '\0');
	if (!fast_string(sc, f, &f->tag_at[f->tag_count][1]))
		return 1;
	f->tag_count++;
	return 0;
}

static int fast_index(const char *key, const char *const *names, int count)
{
	for (int i = 0; i < count; i++)
		if (strcmp(key, names[i]) == 0)
			return i;
	return -1;
}

static int fast_hist_member(struct json_scan *sc, const char *key, void *ctx)
{
	struct fast *f = ctx;
	if (!fast_key(sc))
		return 1;
	if (strcmp(key, "counts") == 0) {
		if (f->hist_seen & 1u << H__COUNT)
			return 1;
		f->hist_seen |= 1u << H__COUNT;
		nums_clear(&f->r->counts);
		return json_scan_elements(sc, value_element, &f->r->counts) == 0 ? 0 : 1;
	}
	int i = fast_index(key, hist_members, H__COUNT);
	if (i < 0 || (f->hist_seen & 1u << i) || !fast_int(sc, &f->hist[i]) || f->hist[i] < 0)
		return 1; /* read_int's minimum is 0 */
	f->hist_seen |= 1u << i;
	return 0;
}

static const char *const timeline_members[] = {"interval_s", "start", "histogram", "points"};

static int fast_layout_member(struct json_scan *sc, const char *key, void *ctx)
{
	struct fast *f = ctx;
	int i = fast_index(key, hist_members, 2); /* significant_digits, highest */
	if (!fast_key(sc) || i < 0 || (f->timeline_seen & 16u << i) ||
	    !fast_int(sc, i ? &f->th.highest : &f->th.digits))
		return 1;
	f->timeline_seen |= 16u << i;
	return 0;
}

static int fast_timeline_member(struct json_scan *sc, const char *key, void *ctx)
{
	struct fast *f = ctx;
	int i = fast_index(key, timeline_members, (int)PG_ARRAY_LEN(timeline_members));
	if (!fast_key(sc) || i < 0 || (f->timeline_seen & 1u << i))
		return 1;
	f->timeline_seen |= 1u << i;
	switch (i) {
	case 0:
		return fast_int(sc, &f->interval_s) ? 0 : 1;
	case 1:
		return fast_string(sc, f, &f->start) ? 0 : 1;
	case 2:
		if (lex_null(sc))
			return 0;
		f->th.present = f->th.ints = true;
		if (json_scan_members(sc, fast_layout_member, f) != 0)
			return 1;
		return (f->timeline_seen & 48u) == 48u ? 0 : 1;
	default:
		nums_clear(&f->r->points);
		return json_scan_elements(sc, row_element, &f->r->points) == 0 ? 0 : 1;
	}
}

static int fast_member(struct json_scan *sc, const char *key, void *ctx)
{
	struct fast *f = ctx;
	int i = fast_index(key, fast_members, F__COUNT);
	if (!fast_key(sc) || i < 0 || (f->seen & 1u << i))
		return 1;
	f->seen |= 1u << i;
	enum num_kind kind;
	int64_t iv;
	switch (i) {
	case F_ENDPOINT:
	case F_SOURCE:
		if (lex_null(sc)) {
			f->str[i] = SIZE_MAX;
			return 0;
		}
		/* fall through */
	case F_METRIC:
	case F_KIND:
	case F_UNIT:
	case F_PRECISION:
		return fast_string(sc, f, &f->str[i]) ? 0 : 1;
	case F_TAGS:
		return json_scan_members(sc, fast_tag, f) == 0 ? 0 : 1;
	case F_HISTOGRAM:
		if (json_scan_members(sc, fast_hist_member, f) != 0)
			return 1;
		return f->hist_seen == (2u << H__COUNT) - 1 ? 0 : 1;
	case F_TIMELINE:
		if (json_scan_members(sc, fast_timeline_member, f) != 0)
			return 1;
		return (f->timeline_seen & 15u) == 15u ? 0 : 1;
	default: /* scale, total, passes, span_s: JSON numbers only */
		return lex_number(sc, &kind, &iv, &f->number[i]) ? 0 : 1;
	}
}

/*
 * Series k of a run's "series" (text, len) read the fast way. 1: read; 0: not the writer's
 * shape, nothing done (Jansson reads it); -1: read, but a value was out of its domain.
 */
static int read_series_fast(struct reader *r, struct run *run, const char *text, size_t len,
			    const char *pointer, size_t k)
{
	if (!r->fast) {
		r->fast = xcalloc(1, sizeof *r->fast);
		buf_init(&r->fast->text);
	}
	struct fast *f = r->fast;
	f->r = r;
	f->seen = f->hist_seen = f->timeline_seen = 0;
	f->tag_count = 0;
	f->th = (struct timeline_hist){false, false, 0, 0};
	buf_clear(&f->text);
	struct json_scan sc = {text, text + len, NULL};
	if (json_scan_members(&sc, fast_member, f) != 0)
		return 0;
	json_scan_ws(&sc);
	unsigned need = 1u << F_METRIC | 1u << F_ENDPOINT | 1u << F_TAGS | 1u << F_KIND |
			1u << F_UNIT | 1u << F_SOURCE;
	if (sc.p != sc.end || (f->seen & need) != need)
		return 0;
	enum series_kind kind;
	enum precision precision = PREC_EXACT;
	enum unit unit;
	const char *t = f->text.data;
	if (!model_kind_from_name(t + f->str[F_KIND], &kind) || kind == SERIES_GAUGE)
		return 0;
	if (kind == SERIES_TREND) {
		if (!(f->seen & 1u << F_PRECISION) || !(f->seen & 1u << F_SCALE) ||
		    !(f->seen & 1u << F_HISTOGRAM) ||
		    !model_precision_from_name(t + f->str[F_PRECISION], &precision) ||
		    precision == PREC_QUANTILES)
			return 0;
	} else if (!(f->seen & 1u << F_TOTAL) ||
		   (kind == SERIES_RATE && !(f->seen & 1u << F_PASSES))) {
		return 0;
	}
	if (!model_unit_from_name(t + f->str[F_UNIT], &unit))
		return 0;
	struct tag tags[PG_ARRAY_LEN(f->tag_at)];
	for (size_t i = 0; i < f->tag_count; i++)
		tags[i] = (struct tag){t + f->tag_at[i][0], t + f->tag_at[i][1]};

	/* the writer's shape: from here on, what Jansson's path would do */
	char at[24];
	char *p = json_pointer_member(pointer, index_text(at, k));
	bool created;
	struct series *s = model_get_series(
		r->model, run, t + f->str[F_METRIC],
		f->str[F_ENDPOINT] == SIZE_MAX ? NULL : t + f->str[F_ENDPOINT], tags, f->tag_count,
		kind, precision, unit, &created);
	if (!created) {
		free(p);
		return -1;
	}
	if (kind == SERIES_TREND) {
		if (!positive(f->number[F_SCALE])) {
			free(p);
			return -1;
		}
		s->scale = f->number[F_SCALE];
		char *hp = json_pointer_member(p, "histogram");
		if (hist_start(r, hp, f->hist, s))
			hist_fill(r, hp, f->hist, &r->counts, s);
		free(hp);
	} else {
		s->total = f->number[F_TOTAL];
		if (kind == SERIES_COUNTER && (f->seen & 1u << F_SPAN))
			s->span_s = f->number[F_SPAN];
		if (kind == SERIES_RATE) {
			s->passes = f->number[F_PASSES];
			if (!(s->passes >= 0 && s->passes <= s->total))
				r->ok = false;
		}
	}
	if (r->ok && (f->seen & 1u << F_TIMELINE)) {
		char *tp = json_pointer_member(p, "timeline");
		timeline_fill(r, tp, f->interval_s, t + f->start, &f->th, &r->points, s);
		free(tp);
	}
	if (f->str[F_SOURCE] != SIZE_MAX && !s->source)
		s->source = arena_strdup(&r->model->arena, t + f->str[F_SOURCE]);
	free(p);
	return r->ok ? 1 : -1;
}

static void reader_fini(struct reader *r)
{
	nums_fini(&r->counts);
	nums_fini(&r->points);
	buf_fini(&r->cut);
	if (r->fast)
		buf_fini(&r->fast->text);
	free(r->fast);
}

static void read_series_pieces(struct reader *r, struct run *run, size_t index,
			       const char *pointer)
{
	const struct pieces *pc = r->pieces;
	if (index >= pc->runs)
		return;
	const char *base = (const char *)r->src->bytes;
	for (size_t k = pc->first[index]; k < pc->first[index + 1] && !r->piece_failed; k++) {
		const char *text = base + pc->series[k].from;
		size_t len = pc->series[k].to - pc->series[k].from;
		/* once a series has failed, the rest go Jansson's way, reported as they always were */
		int fast = r->ok ? read_series_fast(r, run, text, len, pointer, k - pc->first[index])
				 : 0;
		if (fast < 0)
			r->piece_failed = true;
		if (fast != 0)
			continue;
		json_t *v = load_piece(r, text, len);
		if (!v) {
			r->piece_failed = true;
			return;
		}
		read_series_at(r, run, v, pointer, k - pc->first[index]);
		r->lexed_counts = r->lexed_points = false;
		json_decref(v);
	}
}

/* The document's checks and its runs, from its root (whole, or the skeleton of pieces). */
static void read_root(struct reader *r, json_t *root)
{
	if (!json_is_object(root)) {
		fail(r, DIAG_JSON_TYPE, "", NULL, "model JSON must be an object");
		return;
	}
	json_t *format = require(r, root, "", "format", JSON_STRING, false);
	json_t *version = require(r, root, "", "version", JSON_INTEGER, false);
	if (format && strcmp(json_string_value(format), MODEL_JSON_FORMAT) != 0)
		fail(r, DIAG_BAD_VALUE, "", "format", "not a perfgate model: format is '%s'",
		     json_string_value(format));
	if (r->ok && version && json_integer_value(version) != MODEL_JSON_VERSION)
		fail(r, DIAG_MODEL_VERSION, "", "version",
		     "model JSON version %lld is not supported (this perfgate reads version %d)",
		     (long long)json_integer_value(version), MODEL_JSON_VERSION);
	json_t *runs = r->ok ? require(r, root, "", "runs", JSON_ARRAY, false) : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(runs, i, v) {
		char at[24];
		char *p = json_pointer_member("/runs", index_text(at, i));
		if (json_is_object(v))
			read_run(r, v, p, i);
		else
			fail(r, DIAG_JSON_TYPE, p, NULL, "model JSON: a run must be an object");
		free(p);
	}
}

/* 1: read in pieces, true; 0: read in pieces, false; -1: read it whole instead. */
static int read_in_pieces(struct model *m, struct source *src, struct diag *d)
{
	struct pieces pc = {0};
	const char *base = (const char *)src->bytes;
	struct json_scan sc = {base + src->body, base + src->len, NULL};
	struct scan_ctx ctx = {&pc, base};
	bool scanned = json_scan_members(&sc, top_member, &ctx) == 0;
	json_scan_ws(&sc);
	if (!scanned || sc.p != sc.end || pc.count < 64) { /* small: one tree is cheap */
		pieces_fini(&pc);
		return -1;
	}
	struct buf skeleton;
	buf_init(&skeleton);
	size_t at = src->body;
	for (size_t i = 0; i < pc.cut_count; i++) {
		buf_append(&skeleton, base + at, pc.cuts[i].from - at);
		at = pc.cuts[i].to;
	}
	buf_append(&skeleton, base + at, src->len - at);
	json_error_t error;
	json_t *root = json_loadb(skeleton.data, skeleton.len,
				  JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &error);
	buf_fini(&skeleton);
	if (!root) {
		pieces_fini(&pc);
		return -1;
	}
	/* a model and a diagnostic sink of their own, kept only when every piece parsed */
	struct model *tmp = model_new();
	tmp->significant_digits = m->significant_digits;
	char *text = NULL;
	size_t text_len = 0;
	struct diag held = *d;
	held.errors = held.warnings = held.notes = 0;
	held.out = open_memstream(&text, &text_len);
	if (!held.out)
		xalloc_die();
	struct reader r = {.model = tmp, .src = src, .diag = &held, .ok = true, .pieces = &pc};
	buf_init(&r.cut);
	read_root(&r, root);
	reader_fini(&r);
	json_decref(root);
	fclose(held.out);
	int result = -1;
	if (!r.piece_failed) {
		fwrite(text, 1, text_len, d->out);
		d->errors += held.errors;
		d->warnings += held.warnings;
		d->notes += held.notes;
		/* m has no run: every run of tmp moves over, with its arena */
		bool moved = model_merge(m, tmp, d);
		result = r.ok && moved ? 1 : 0;
	}
	free(text);
	pieces_fini(&pc);
	model_free(tmp);
	return result;
}

bool model_json_read(struct model *m, struct source *src, struct diag *d)
{
	if (m->run_count == 0) {
		int got = read_in_pieces(m, src, d);
		if (got >= 0)
			return got == 1;
	}
	json_t *root = json_parse_source(src, d);
	if (!root)
		return false;
	struct reader r = {.model = m, .src = src, .diag = d, .ok = true};
	buf_init(&r.cut);
	read_root(&r, root);
	reader_fini(&r);
	json_decref(root);
	return r.ok;
}

/* A deep copy of m's runs, or of `only` alone, through model JSON. */
static struct model *clone_model(const struct model *m, const struct run *only)
{
	struct buf json;
	buf_init(&json);
	write_model(m, only, &json);
	struct source src;
	source_init(&src, "(model copy)", json.data, json.len);
	struct diag sink;
	diag_init(&sink, stderr);
	struct model *copy = model_new();
	copy->significant_digits = m->significant_digits;
	/* model JSON writes every model it can read back (e2e/model-roundtrip): a failure here
	 * is a broken invariant, exit 4 */
	if (!model_json_read(copy, &src, &sink))
		abort();
	source_fini(&src);
	buf_fini(&json);
	return copy;
}

struct model *model_clone(const struct model *m)
{
	return clone_model(m, NULL);
}

struct model *model_clone_run(const struct model *m, const struct run *run)
{
	return clone_model(m, run);
}
