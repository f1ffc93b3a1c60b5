/*
 * model_json.c - versioned model JSON: perfgate's own save format (formats/model-json.md,
 * formats/model.schema.json). Written by --save-model, read back as an input or a baseline.
 *
 * Write: keys in a fixed order, numbers in shortest round-trip form (jsonw), histograms as
 * sparse [index, count, ...] pairs of the HdrHistogram layout. The writer is the canonical
 * form, so load -> save reproduces a saved file byte for byte (tests/e2e/model/).
 * Read: Jansson parses (a model of many series one series at a time: read_in_pieces); every
 * field is checked for presence, type and domain, and problems are reported at the JSON
 * Pointer of the offending value with its line:col. A file with an unknown "version" is
 * refused rather than half-understood.
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

struct reader {
	struct model *model;
	struct source *src;
	struct diag *diag;
	bool ok;
	const struct pieces *pieces; /* read in pieces: where each run's series are; else NULL */
	bool piece_failed;           /* a series did not parse alone: read it all at once */
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

static void read_histogram(struct reader *r, json_t *obj, const char *pointer, struct series *s)
{
	int64_t digits, highest, total, min, max, low, high;
	if (!read_int(r, obj, pointer, "significant_digits", 0, &digits) ||
	    !read_int(r, obj, pointer, "highest", 0, &highest) ||
	    !read_int(r, obj, pointer, "total_count", 0, &total) ||
	    !read_int(r, obj, pointer, "min", 0, &min) ||
	    !read_int(r, obj, pointer, "max", 0, &max) ||
	    !read_int(r, obj, pointer, "clamped_low", 0, &low) ||
	    !read_int(r, obj, pointer, "clamped_high", 0, &high))
		return;
	struct hist_layout layout;
	if (digits > HIST_DIGITS_MAX || !hist_layout(highest, (int)digits, &layout)) {
		fail(r, DIAG_BAD_VALUE, pointer, NULL,
		     "model JSON: histogram layout (significant_digits 1..5, highest) is not valid");
		return;
	}
	hist_fini(&s->hist);
	hist_init(&s->hist, &layout);
	s->has_hist = true;
	json_t *counts = require(r, obj, pointer, "counts", JSON_ARRAY, false);
	if (!counts)
		return;
	char *cp = json_pointer_member(pointer, "counts");
	size_t n = json_array_size(counts);
	int64_t previous = -1;
	for (size_t i = 0; i < n; i += 2) {
		json_t *index = json_array_get(counts, i), *count = json_array_get(counts, i + 1);
		if (!json_is_integer(index) || !json_is_integer(count) ||
		    json_integer_value(index) <= previous ||
		    json_integer_value(index) > INT32_MAX ||
		    !hist_set_count(&s->hist, (int32_t)json_integer_value(index),
				    json_integer_value(count))) {
			/* an odd-length array fails here too: its last count is missing */
			char at[24];
			fail(r, DIAG_BAD_VALUE, cp, index_text(at, i),
			     "model JSON: counts must be [index, count, ...] pairs with increasing "
			     "indexes inside the layout and counts >= 0");
			break;
		}
		previous = json_integer_value(index);
	}
	if (r->ok && s->hist.total_count != total)
		fail(r, DIAG_BAD_VALUE, cp, NULL, "model JSON: 'counts' do not add up to total_count");
	free(cp);
	hist_set_extremes(&s->hist, min, max);
	s->hist.clamped_low = low;
	s->hist.clamped_high = high;
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

static void read_timeline(struct reader *r, json_t *obj, const char *pointer, struct series *s)
{
	json_t *interval = require(r, obj, pointer, "interval_s", JSON_INTEGER, false);
	json_t *start = require(r, obj, pointer, "start", JSON_STRING, false);
	json_t *hist = require(r, obj, pointer, "histogram", JSON_OBJECT, true);
	json_t *points = require(r, obj, pointer, "points", JSON_ARRAY, false);
	if (!interval || !start || !hist || !points)
		return;
	int64_t width = json_integer_value(interval), start_us;
	/* at most 2^32 s (136 years), so every interval's start fits in int64 µs */
	if (width < 1 || width > (INT64_C(1) << 32) || (width & (width - 1)) != 0) {
		fail(r, DIAG_BAD_VALUE, pointer, "interval_s",
		     "model JSON: 'interval_s' must be a power of two seconds, at most 2^32");
		return;
	}
	width *= 1000000;
	if (!time_parse_rfc3339(json_string_value(start), &start_us) || !time_in_range(start_us) ||
	    start_us % width != 0) {
		fail(r, DIAG_BAD_VALUE, pointer, "start",
		     "model JSON: timeline 'start' must be an RFC 3339 time in " TIME_RANGE_TEXT
		     " on an interval boundary");
		return;
	}
	struct hist_layout layout;
	bool has_hist = json_is_object(hist);
	if (has_hist) {
		json_t *d = json_object_get(hist, "significant_digits");
		json_t *h = json_object_get(hist, "highest");
		if (!json_is_integer(d) || !json_is_integer(h) || json_integer_value(d) > 5 ||
		    !hist_layout(json_integer_value(h), (int)json_integer_value(d), &layout) ||
		    layout.counts_len >= TIMELINE_BIN_INDEX_LIMIT) {
			fail(r, DIAG_BAD_VALUE, pointer, "histogram",
			     "model JSON: timeline histogram layout is not valid");
			return;
		}
	}
	if (json_array_size(points) > TIMELINE_MAX_POINTS) {
		fail(r, DIAG_BAD_VALUE, pointer, "points",
		     "model JSON: a timeline holds at most %d points", TIMELINE_MAX_POINTS);
		return;
	}
	/* every interval starts in range too: a merge may drop the empty ones before it */
	if (json_array_size(points) > 0 &&
	    (int64_t)(json_array_size(points) - 1) > (TIME_MAX_US - start_us) / width) {
		fail(r, DIAG_BAD_VALUE, pointer, "points",
		     "model JSON: the timeline's last interval starts after 9999-12-31T23:59:59Z");
		return;
	}
	struct timeline *t = xcalloc(1, sizeof *t);
	timeline_init(t, has_hist ? &layout : NULL);
	timeline_set_span(t, width, start_us / width, json_array_size(points));
	s->timeline = t;
	char *pp = json_pointer_member(pointer, "points");
	size_t i;
	json_t *point;
	json_array_foreach(points, i, point) {
		size_t n = json_is_array(point) ? json_array_size(point) : 0;
		bool good = n == 1 || n >= 6;
		double f[5] = {0};
		int64_t values[2] = {0};
		for (size_t j = 0; good && j < n && j < 6; j++) {
			json_t *v = json_array_get(point, j);
			if (j == 0 || j == 5)
				good = json_is_integer(v), values[j ? 1 : 0] = json_integer_value(v);
			else
				good = is_number(v), f[j - 1] = number_value(v);
		}
		if (n == 1)
			good = good && values[0] == 0;
		else
			good = good && values[0] > 0 && (has_hist ? (n - 6) % 2 == 0 : n == 6) &&
			       values[1] >= 0 && values[1] < width;
		/*
		 * Checked whole before anything is stored: a count is at most TIMELINE_POINT_MAX
		 * (bins take count / 2^19 words, so a forged 2^63 would take all memory), and the
		 * bins must add up to it.
		 */
		good = good && values[0] <= TIMELINE_POINT_MAX;
		int64_t binned = 0, previous = -1;
		for (size_t j = 6; good && j + 1 < n; j += 2) {
			json_t *index = json_array_get(point, j), *count = json_array_get(point, j + 1);
			good = json_is_integer(index) && json_is_integer(count) &&
			       json_integer_value(index) > previous &&
			       json_integer_value(index) < layout.counts_len &&
			       json_integer_value(count) > 0 &&
			       json_integer_value(count) <= values[0] - binned;
			if (good) {
				previous = json_integer_value(index);
				binned += json_integer_value(count);
			}
		}
		if (good && has_hist && n > 6 && binned != values[0])
			good = false;
		if (!good) {
			char at[24];
			fail(r, DIAG_BAD_VALUE, pp, index_text(at, i),
			     "model JSON: a timeline point must be [0] or [count, sum, min, max, last, "
			     "last_offset_us, index, count, ...] with bins adding up to count");
			break;
		}
		if (values[0] == 0)
			continue; /* [0]: no data, nothing to store */
		struct interval *iv = timeline_put(t, i);
		for (size_t j = 6; j + 1 < n; j += 2)
			timeline_add_bin(iv, (int32_t)json_integer_value(json_array_get(point, j)),
					 json_integer_value(json_array_get(point, j + 1)));
		iv->count = values[0];
		iv->sum = f[0];
		iv->min = f[1];
		iv->max = f[2];
		iv->last = f[3];
		iv->last_us = timeline_start_us(t, i) + values[1];
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
 * model and freed. Every byte is still parsed by Jansson, with the same flags. Anything the
 * scan does not expect, or a piece that does not parse alone, sends the whole input down the
 * one-document path instead (read_whole), which reports every problem as it always did: the
 * pieces are read into a model and a diagnostic sink of their own, kept only on success.
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

static void read_series_pieces(struct reader *r, struct run *run, size_t index,
			       const char *pointer)
{
	const struct pieces *pc = r->pieces;
	if (index >= pc->runs)
		return;
	const char *base = (const char *)r->src->bytes;
	for (size_t k = pc->first[index]; k < pc->first[index + 1] && !r->piece_failed; k++) {
		json_error_t error;
		json_t *v = json_loadb(base + pc->series[k].from, pc->series[k].to - pc->series[k].from,
				       JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES,
				       &error);
		if (!v) {
			r->piece_failed = true;
			return;
		}
		read_series_at(r, run, v, pointer, k - pc->first[index]);
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
	struct reader r = {tmp, src, &held, true, &pc, false};
	read_root(&r, root);
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
	struct reader r = {m, src, d, true, NULL, false};
	read_root(&r, root);
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
