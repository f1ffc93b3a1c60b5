/*
 * k6_ndjson.c - k6 `--out json`: one JSON object per line, streamed (formats/k6.md).
 *
 * Lines are `{"type":"Metric","data":{name,type,contains,thresholds,...},"metric":NAME}` once per
 * metric, and `{"type":"Point","data":{"time","value","tags"[,"metadata"]},"metric":NAME}` per
 * sample, keys in either order (k6 < v0.41 wrote type, data, metric; later metric, type, data).
 *
 * Hot path, no JSON DOM: a small scanner walks the line once, taking spans of the strings it
 * needs; the value is parsed by num_parse_double, the time through a cache of its whole-second
 * prefix, and the tags object is not parsed at all when its bytes were seen before (the leaf
 * cache in k6_stream.c). Metric lines are rare and go through Jansson.
 *
 * Bad lines are skipped and counted, each of the first BUILDER_SKIPS_SHOWN with file:line:col, then a
 * total; an input with no usable sample is an error.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/io.h"
#include "../util/json.h"
#include "../util/lines.h"
#include "../util/num.h"
#include "../util/par_lines.h"
#include "../util/timefmt.h"
#include "k6.h"

enum { MAX_DEPTH = 32 };

int k6_ndjson_sniff(const char *prefix, size_t len)
{
	if (sniff_first_char(prefix, len) != '{')
		return 0;
	bool typed = sniff_contains(prefix, len, "\"type\":\"Point\"") ||
		     sniff_contains(prefix, len, "\"type\":\"Metric\"");
	return typed && sniff_contains(prefix, len, "\"data\":") &&
			       sniff_contains(prefix, len, "\"metric\":")
		       ? 95 : 0;
}

/* ---- scanner over one line ---- */

struct span {
	const char *p;
	size_t len;
};

struct scan {
	const char *p, *end;
	const char *error;     /* why the line cannot be used; NULL while fine */
	const char *error_at;  /* where */
};

static bool fail(struct scan *s, const char *at, const char *why)
{
	if (!s->error) {
		s->error = why;
		s->error_at = at;
	}
	return false;
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
		s->p++;
}

static bool expect(struct scan *s, char c)
{
	skip_ws(s);
	if (s->p >= s->end)
		return fail(s, s->p, "the line ends inside a JSON value (file cut short?)");
	if (*s->p != c) {
		switch (c) {
		case '{': return fail(s, s->p, "expected '{' here");
		case '}': return fail(s, s->p, "expected '}' here");
		case ']': return fail(s, s->p, "expected ']' here");
		case ':': return fail(s, s->p, "expected ':' here");
		case ',': return fail(s, s->p, "expected ',' here");
		default: return fail(s, s->p, "expected '\"' here");
		}
	}
	s->p++;
	return true;
}

/* A string at s->p ('"' expected); its raw bytes between the quotes in *out. */
static bool scan_string(struct scan *s, struct span *out)
{
	if (!expect(s, '"'))
		return false;
	const char *start = s->p;
	for (;;) {
		const char *q = memchr(s->p, '"', (size_t)(s->end - s->p));
		if (!q)
			return fail(s, s->end, "the line ends inside a JSON string (file cut short?)");
		size_t backslashes = 0;
		for (const char *b = q; b > start && b[-1] == '\\'; b--)
			backslashes++;
		s->p = q + 1;
		if (backslashes % 2 == 0)
			break;
	}
	out->p = start;
	out->len = (size_t)(s->p - 1 - start);
	return true;
}

/* Whether c ends a number or literal: the delimiters after a number, true or null. */
static bool value_end(char c)
{
	switch (c) {
	case ',': case '}': case ']': case ' ': case '\t': case '\r': case '\n': case '\0':
		return true;
	default:
		return false;
	}
}

/* Skips any JSON value; its bytes in *out. */
static bool skip_value(struct scan *s, struct span *out, int depth)
{
	skip_ws(s);
	const char *start = s->p;
	if (s->p >= s->end)
		return fail(s, s->p, "the line ends inside a JSON value (file cut short?)");
	if (depth > MAX_DEPTH)
		return fail(s, s->p, "JSON nested too deeply");
	char c = *s->p;
	struct span ignored;
	if (c == '"') {
		if (!scan_string(s, &ignored))
			return false;
	} else if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		s->p++;
		skip_ws(s);
		if (s->p < s->end && *s->p == close) {
			s->p++;
		} else {
			for (;;) {
				if (c == '{' && (!scan_string(s, &ignored) || !expect(s, ':')))
					return false;
				if (!skip_value(s, &ignored, depth + 1))
					return false;
				skip_ws(s);
				if (s->p >= s->end)
					return fail(s, s->p, "the line ends inside a JSON value "
							     "(file cut short?)");
				if (*s->p == ',') {
					s->p++;
					continue;
				}
				if (!expect(s, close))
					return false;
				break;
			}
		}
	} else {
		/* number or literal: up to a delimiter */
		while (s->p < s->end && !value_end(*s->p))
			s->p++;
		if (s->p == start)
			return fail(s, s->p, "expected a JSON value here");
	}
	out->p = start;
	out->len = (size_t)(s->p - start);
	return true;
}

/* Iterates the members of an object: call with *first true; false at '}' or on error. */
static bool next_member(struct scan *s, bool *first, struct span *key)
{
	skip_ws(s);
	if (*first) {
		if (!expect(s, '{'))
			return false;
		skip_ws(s);
		*first = false;
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return false;
		}
	} else {
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return false;
		}
		if (!expect(s, ','))
			return false;
	}
	return scan_string(s, key) && expect(s, ':');
}

static bool span_is(struct span sp, const char *literal)
{
	size_t n = strlen(literal);
	return sp.len == n && memcmp(sp.p, literal, n) == 0;
}

/* ---- JSON string unescaping (tags on the slow path only) ---- */

/*
 * Appends the unescaped string and a NUL; false on a bad escape (json_decode_escape's strict
 * reading), on \u0000 (NUL would cut the name) and on a lone surrogate (not a character).
 */
static bool unescape(struct span in, struct buf *out)
{
	for (size_t i = 0; i < in.len; i++) {
		char c = in.p[i];
		if (c != '\\') {
			buf_putc(out, c);
			continue;
		}
		if (i + 1 >= in.len)
			return false;
		struct json_escape e = json_decode_escape(in.p + i, in.p + in.len);
		if (e.status != JSON_ESCAPE_OK || e.cp == 0)
			return false;
		if (e.width == 1)
			buf_putc(out, (char)e.cp); /* \" \/ \t ...: one byte, as fast as before */
		else
			buf_put_utf8(out, e.cp);
		i += e.raw - 1;
	}
	buf_putc(out, '\0');
	return true;
}

/* ---- the front end ---- */

struct time_cache {
	char key[48];     /* "YYYY-MM-DDTHH:MM:SS" + zone */
	size_t key_len;
	int64_t base_us;  /* that second, µs since the epoch */
};

struct ndjson {
	struct builder *b;
	struct k6_stream *stream;
	struct run *run;
	const char *name;
	const struct line *line;
	uint64_t lines;
	struct time_cache time;
	struct buf tag_text;   /* unescaped tag strings, NUL-separated */
	struct tag *tags;
	size_t tag_cap;
};

/* Skips the current line with a message pointing at `at` (a pointer into the line). */
#define skip_line(n, at, ...) \
	k6_skip_line((n)->stream, (n)->line, (size_t)((at) - (n)->line->text), __VA_ARGS__)

/* "2024-08-21T23:39:10.148784098-03:00" -> µs; the whole-second part is cached. */
static bool parse_time(struct time_cache *c, struct span t, int64_t *out)
{
	if (t.len < 20 || t.len > 40)
		return false;
	const char *frac = t.p + 19, *zone = frac;
	int64_t us = 0;
	if (*frac == '.') {
		size_t digits = time_parse_fraction(frac + 1, t.p + t.len, &us);
		if (digits == 0)
			return false;
		zone = frac + 1 + digits;
	}
	size_t zone_len = (size_t)(t.p + t.len - zone);
	if (zone_len == 0 || zone_len > 6)
		return false;
	size_t key_len = 19 + zone_len;
	if (c->key_len != key_len || memcmp(c->key, t.p, 19) != 0 ||
	    memcmp(c->key + 19, zone, zone_len) != 0) {
		char text[48];
		memcpy(text, t.p, 19);
		memcpy(text + 19, zone, zone_len);
		text[key_len] = '\0';
		int64_t base;
		if (!time_parse_rfc3339(text, &base))
			return false;
		memcpy(c->key, text, key_len + 1);
		c->key_len = key_len;
		c->base_us = base;
	}
	*out = c->base_us + us;
	return time_in_range(*out);
}

/* Parses the tags object (or null) into n->tags; false on a bad escape. */
static bool parse_tags(struct ndjson *n, struct span raw, size_t *count)
{
	*count = 0;
	if (span_is(raw, "null"))
		return true;
	struct scan s = {raw.p, raw.p + raw.len, NULL, NULL};
	buf_clear(&n->tag_text);
	size_t offsets[256][2];
	size_t k = 0;
	bool first = true;
	struct span key;
	while (next_member(&s, &first, &key)) {
		struct span value;
		if (!scan_string(&s, &value))
			return false;
		if (k == PG_ARRAY_LEN(offsets))
			continue; /* more than 256 tags: the rest are dropped */
		offsets[k][0] = n->tag_text.len;
		if (!unescape(key, &n->tag_text))
			return false;
		offsets[k][1] = n->tag_text.len;
		if (!unescape(value, &n->tag_text))
			return false;
		k++;
	}
	if (s.error)
		return false;
	n->tags = xgrow(n->tags, &n->tag_cap, k ? k : 1, sizeof *n->tags);
	for (size_t i = 0; i < k; i++)
		n->tags[i] = (struct tag){n->tag_text.data + offsets[i][0],
					  n->tag_text.data + offsets[i][1]};
	*count = k;
	return true;
}

/* The members of a Point's data object. */
struct point_fields {
	struct span time, value, tags;
	bool has_tags;
};

/* Scans a Point's data object at s->p (advancing s past it). */
static bool scan_point_data(struct scan *s, struct point_fields *f)
{
	*f = (struct point_fields){{NULL, 0}, {NULL, 0}, {"null", 4}, false};
	struct span key;
	bool first = true;
	while (next_member(s, &first, &key)) {
		bool ok;
		if (span_is(key, "time")) {
			ok = scan_string(s, &f->time);
		} else if (span_is(key, "value")) {
			ok = skip_value(s, &f->value, 0);
		} else if (span_is(key, "tags")) {
			ok = skip_value(s, &f->tags, 0);
			f->has_tags = true;
		} else {
			struct span ignored;
			ok = skip_value(s, &ignored, 0);
		}
		if (!ok)
			return false;
	}
	return !s->error;
}

static void point(struct ndjson *n, struct span metric, const struct point_fields *f,
		  const char *data)
{
	struct span time = f->time, value = f->value, tags = f->tags;
	if (!value.p || !time.p) {
		skip_line(n, data, "k6 NDJSON: a Point needs data.time and data.value");
		return;
	}
	double v;
	enum num_status st = num_parse_double(value.p, value.len, &v, NULL);
	if (st != NUM_OK) {
		const char *what = value.p[0] == '"' ? "a string, not a number"
				   : st == NUM_NAN ? "NaN"
				   : st == NUM_INF ? "infinite"
				   : st == NUM_OVERFLOW ? "a number beyond the range of a double"
				   : value.p[0] == 'n' ? "null" : "not a number";
		skip_line(n, value.p, "k6 NDJSON: the sample's value is %s", what);
		return;
	}
	int64_t at;
	if (!parse_time(&n->time, time, &at)) {
		skip_line(n, time.p, "k6 NDJSON: '%.*s' is not an RFC 3339 time in " TIME_RANGE_TEXT,
			  (int)time.len,
			  time.p);
		return;
	}
	if (f->has_tags && tags.p[0] != '{' && !span_is(tags, "null")) {
		skip_line(n, tags.p, "k6 NDJSON: data.tags must be an object or null");
		return;
	}
	uint64_t hash = k6_stream_hash(metric.p, metric.len, tags.p, tags.len);
	struct k6_leaf *leaf = k6_stream_find(n->stream, hash, metric.p, metric.len, tags.p,
					      tags.len);
	if (!leaf) {
		size_t count;
		if (!parse_tags(n, tags, &count)) {
			skip_line(n, tags.p, "k6 NDJSON: data.tags must map names to strings");
			return;
		}
		const char *why;
		leaf = k6_stream_add(n->stream, hash, metric.p, metric.len, tags.p, tags.len,
				     n->tags, count, true, &why);
		if (!leaf) {
			skip_line(n, metric.p, "k6 NDJSON: metric '%.*s' %s", (int)metric.len,
				  metric.p, why);
			return;
		}
	}
	if (!k6_stream_record(n->stream, leaf, at, v))
		skip_line(n, value.p, "k6 NDJSON: value %.*s does not fit metric '%.*s' (a trend "
				      "takes values >= 0)", (int)value.len, value.p,
			  (int)metric.len, metric.p);
}

/* A Metric line: declare the type, keep the thresholds. */
static void metric_line(struct ndjson *n)
{
	const struct line *l = n->line;
	json_error_t error;
	json_t *root = json_loadb(l->text, l->len, 0, &error);
	json_t *data = json_object_get(root, "data");
	json_t *name = json_object_get(data, "name");
	if (!json_is_string(name))
		name = json_object_get(root, "metric");
	json_t *type = json_object_get(data, "type"), *contains = json_object_get(data, "contains");
	enum k6_type t;
	enum k6_contains c = K6_DEFAULT;
	if (!root) {
		skip_line(n, l->text + (error.position > 0 ? error.position - 1 : 0),
			  "k6 NDJSON: %s", error.text);
	} else if (!json_is_string(name) || !json_is_string(type) ||
		   !k6_type_from_name(json_string_value(type), json_string_length(type), &t) ||
		   (json_is_string(contains) &&
		    !k6_contains_from_name(json_string_value(contains),
					   json_string_length(contains), &c))) {
		skip_line(n, l->text, "k6 NDJSON: a Metric line needs data.name, data.type "
				      "(counter, gauge, trend, rate) and data.contains");
	} else {
		k6_stream_declare(n->stream, json_string_value(name), json_string_length(name), t,
				  c);
		size_t i;
		json_t *th;
		json_array_foreach(json_object_get(data, "thresholds"), i, th) {
			json_t *src = json_is_object(th) ? json_object_get(th, "threshold") : th;
			if (json_is_string(src))
				builder_run_threshold(n->b, n->run, json_string_value(name),
						      json_string_value(src), THRESHOLD_UNKNOWN,
						      json_is_true(json_object_get(th, "abortOnFail")));
		}
	}
	json_decref(root);
}

/* ---- the fast path: a Point line exactly as k6 writes it ---- */

/* Whether the len bytes at p are literal. */
#define AT(p, end, literal) \
	((size_t)((end) - (p)) >= sizeof literal - 1 && memcmp((p), literal, sizeof literal - 1) == 0)

/*
 * The closing quote of the string whose body starts at p, or NULL when the string has an
 * escape or does not end in the line (the generic path then reads it, and says what is wrong).
 * Strings here are short (a metric name, a time): a memchr call costs more than they do, and a
 * byte loop was 17 % of reading a k6 file, so eight bytes are tested at a time. In a word x,
 * (x - 0x01...01) & ~x & 0x80...80 sets the high bit of each zero byte, and of no byte below
 * the first zero (a borrow only runs upwards): on a little-endian machine its lowest set bit
 * is the first zero byte of x ^ '"'...'"' or x ^ '\\'...'\\'. Elsewhere, bytes one at a time.
 */
static const char *plain_string_end(const char *p, const char *end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	while (end - p >= 8) {
		uint64_t x, quote, backslash;
		memcpy(&x, p, sizeof x);
		quote = x ^ (ones * '"');
		backslash = x ^ (ones * '\\');
		uint64_t hits = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
		hits &= highs;
		if (hits) {
			p += __builtin_ctzll(hits) / 8;
			return *p == '"' ? p : NULL;
		}
		p += sizeof x;
	}
#endif
	while (p < end && *p != '"' && *p != '\\')
		p++;
	return p < end && *p == '"' ? p : NULL;
}

/* The end of a flat object of strings `{"k":"v",...}` at p, or NULL for anything else. */
static const char *flat_object_end(const char *p, const char *end)
{
	if (p >= end || *p++ != '{')
		return NULL;
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p >= end || *p != '"' || !(p = plain_string_end(p + 1, end)))
			return NULL;
		p++;
		if (p >= end || *p++ != ':' || p >= end || *p != '"' ||
		    !(p = plain_string_end(p + 1, end)))
			return NULL;
		p++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		return p < end && *p == '}' ? p + 1 : NULL;
	}
}

/*
 * A Point line in k6's own layout, `{"metric":"M","type":"Point","data":{"time":"T","value":V,
 * "tags":{...}}}` (v0.41 and later) or `{"type":"Point","data":{...},"metric":"M"}` (before),
 * without whitespace, escapes or other members: recorded as the generic scanner would, and
 * true. Anything else returns false untouched, for the generic scanner (which also words the
 * errors): this path only skips the work of a general JSON walk on the lines k6 writes.
 *
 * The tags object is delimited from the end of the line (the `}}` that close data and the line,
 * or the `},"metric":"M"}` of the old layout). check_tags also makes sure it is a flat object
 * of plain strings; without it, the span is only good for looking up a series that already
 * exists: a series is keyed by the exact bytes of a tags value that was checked (or read by
 * the generic scanner) when it was created, so an equal span is that same object, and any
 * other span finds nothing and goes the checked way.
 */
struct fast_fields {
	struct span metric;
	struct point_fields f;
	const char *data; /* the data object */
};

static bool fast_fields(const char *p, const char *end, bool check_tags, struct fast_fields *out)
{
	struct span metric = {NULL, 0};
	bool metric_first = AT(p, end, "{\"metric\":\"");
	if (metric_first) {
		metric.p = p + 11;
		const char *q = plain_string_end(metric.p, end);
		if (!q)
			return false;
		metric.len = (size_t)(q - metric.p);
		p = q + 1;
		if (!AT(p, end, ",\"type\":\"Point\",\"data\":"))
			return false;
		p += 23;
	} else {
		if (!AT(p, end, "{\"type\":\"Point\",\"data\":"))
			return false;
		p += 24;
	}
	const char *data = p;
	if (!AT(p, end, "{\"time\":\""))
		return false;
	struct point_fields f = {{p + 9, 0}, {NULL, 0}, {NULL, 0}, true};
	const char *q = plain_string_end(f.time.p, end);
	if (!q)
		return false;
	f.time.len = (size_t)(q - f.time.p);
	p = q + 1;
	if (!AT(p, end, ",\"value\":"))
		return false;
	p += 9;
	f.value.p = p;
	if (p < end && (*p == '"' || *p == '{' || *p == '['))
		return false; /* not a number: the generic path says what it is */
	while (p < end && !value_end(*p))
		p++;
	f.value.len = (size_t)(p - f.value.p);
	if (f.value.len == 0 || !AT(p, end, ",\"tags\":"))
		return false;
	p += 8;
	f.tags.p = p;
	if (metric_first) {
		if (end - p < 3 || end[-1] != '}' || end[-2] != '}')
			return false;
		q = end - 2;
	} else {
		/* the metric name has no quote, so the last `},"metric":"` is the one after tags */
		static const char tail[] = "},\"metric\":\"";
		q = end - (sizeof tail - 1);
		while (q >= p && memcmp(q, tail, sizeof tail - 1) != 0)
			q--;
		if (q < p)
			return false;
		metric.p = q + 11;
		const char *close = plain_string_end(metric.p, end);
		if (!close || end - close != 2 || close[1] != '}')
			return false;
		metric.len = (size_t)(close - metric.p);
	}
	f.tags.len = (size_t)(q - p);
	if (f.tags.len == 0)
		return false;
	if (check_tags && !(span_is(f.tags, "null") || flat_object_end(p, end) == q))
		return false;
	*out = (struct fast_fields){metric, f, data};
	return true;
}

static bool fast_point(struct ndjson *n)
{
	struct fast_fields ff;
	if (!fast_fields(n->line->text, n->line->text + n->line->len, true, &ff))
		return false;
	point(n, ff.metric, &ff.f, ff.data);
	return true;
}

/*
 * A line read ahead on a worker thread (par_lines.h): when `ready`, it is a Point in k6's
 * layout whose value and time parsed, and only finding its series and recording are left.
 */
struct prepared {
	bool ready;
	const char *metric;
	size_t metric_len;
	const char *tags;
	size_t tags_len;
	uint64_t hash;
	int64_t at;
	double value;
};

/* A worker's own: the last second's time and the last key's hash. */
struct prepare_scratch {
	struct time_cache time;
	struct k6_key_cache key;
};

/* par_prepare_fn: the pure part of fast_point and point, on a worker. */
static void prepare_line(const void *ctx, void *scratch_v, const struct line *l, void *out)
{
	struct prepare_scratch *scratch = scratch_v;
	(void)ctx;
	struct prepared *r = out;
	struct fast_fields ff;
	if (l->truncated || !fast_fields(l->text, l->text + l->len, false, &ff) ||
	    num_parse_double(ff.f.value.p, ff.f.value.len, &r->value, NULL) != NUM_OK ||
	    !parse_time(&scratch->time, ff.f.time, &r->at))
		return;
	r->metric = ff.metric.p;
	r->metric_len = ff.metric.len;
	r->tags = ff.f.tags.p;
	r->tags_len = ff.f.tags.len;
	r->hash = k6_stream_hash_cached(&scratch->key, r->metric, r->metric_len, r->tags,
					r->tags_len);
	r->ready = true;
}

/* Records a prepared sample whose series exists; false leaves the line to one_line. */
static bool apply_prepared(struct ndjson *n, const struct prepared *r)
{
	struct k6_leaf *leaf = k6_stream_find(n->stream, r->hash, r->metric, r->metric_len,
					      r->tags, r->tags_len);
	return leaf && k6_stream_record(n->stream, leaf, r->at, r->value);
}

#undef AT

static void one_line(struct ndjson *n)
{
	const struct line *l = n->line;
	if (fast_point(n))
		return;
	struct scan s = {l->text, l->text + l->len, NULL, NULL};
	skip_ws(&s);
	if (s.p == s.end)
		return; /* blank */
	struct span key, type = {NULL, 0}, metric = {NULL, 0}, data = {NULL, 0};
	struct point_fields fields;
	bool first = true, scanned = false;
	while (next_member(&s, &first, &key)) {
		bool ok;
		if (span_is(key, "type")) {
			ok = scan_string(&s, &type);
		} else if (span_is(key, "metric")) {
			/* k6 metric names are [A-Za-z0-9_]: an escape means this is not k6's */
			ok = scan_string(&s, &metric) &&
			     (!memchr(metric.p, '\\', metric.len) ||
			      fail(&s, metric.p, "a metric name with escapes"));
		} else if (span_is(key, "data")) {
			skip_ws(&s);
			data.p = s.p;
			/* the type comes first in every k6 version: scan a Point's data in place */
			if (type.p && span_is(type, "Point") && s.p < s.end && *s.p == '{')
				ok = scanned = scan_point_data(&s, &fields);
			else
				ok = skip_value(&s, &data, 0);
			data.len = (size_t)(s.p - data.p);
		} else {
			ok = skip_value(&s, &key, 0);
		}
		if (!ok)
			break;
	}
	if (!s.error) {
		skip_ws(&s);
		if (s.p != s.end)
			fail(&s, s.p, "text after the JSON object");
	}
	if (s.error) {
		skip_line(n, s.error_at, "k6 NDJSON: %s", s.error);
	} else if (type.p && span_is(type, "Point")) {
		if (!metric.p || !data.p || data.p[0] != '{') {
			skip_line(n, l->text, "k6 NDJSON: a Point needs \"metric\" and a \"data\" object");
			return;
		}
		if (!scanned) {
			struct scan ds = {data.p, data.p + data.len, NULL, NULL};
			if (!scan_point_data(&ds, &fields)) {
				skip_line(n, ds.error_at, "k6 NDJSON: %s", ds.error);
				return;
			}
		}
		point(n, metric, &fields, data.p);
	} else if (type.p && span_is(type, "Metric")) {
		metric_line(n);
	} else {
		skip_line(n, type.p ? type.p : l->text,
			  "k6 NDJSON: not a k6 line (\"type\" must be \"Point\" or \"Metric\")");
	}
}

bool k6_ndjson_parse(struct io_reader *in, const char *name, struct builder *b)
{
	struct ndjson n = {0};
	n.b = b;
	n.name = name;
	n.run = builder_run(b, "k6", NULL, 0, false);
	n.stream = k6_stream_new(b, n.run);
	buf_init(&n.tag_text);
	struct par_lines *ls = par_lines_new(in, 0, b->jobs, prepare_line, NULL,
					     sizeof(struct prepared), sizeof(struct prepare_scratch));
	struct line line;
	const void *rec;
	while (par_lines_next(ls, &line, &rec)) {
		n.lines++;
		n.line = &line;
		if (line.truncated)
			skip_line(&n, line.text, "k6 NDJSON: line longer than %zu bytes",
				  par_lines_max_line(ls));
		else if (!((const struct prepared *)rec)->ready || !apply_prepared(&n, rec))
			one_line(&n);
	}
	bool ok = k6_stream_end(n.stream, n.lines, par_lines_error(ls) ? in->error : NULL,
				in->truncated);
	k6_stream_free(n.stream);
	par_lines_free(ls);
	buf_fini(&n.tag_text);
	free(n.tags);
	return ok;
}
