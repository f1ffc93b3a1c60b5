/*
 * server.c - Prometheus samples into server-side series of one run (the prom.h sink).
 *
 * The two Prometheus front ends (prom_text.c, prom_api.c) decode syntax; this file gives the
 * samples their meaning, the same for every syntax (formats/prometheus.md is the user's
 * version of this essay):
 *
 *   counter    a cumulative value over time. Its increase over the run's window is computed as
 *              Prometheus's increase() computes it (promql/functions.go, extrapolatedRate, 2.x):
 *              every decrease is a counter reset (the value before it is added back), and the
 *              first-to-last difference is extrapolated towards the window's edges when the
 *              first or last sample lies within 1.1 average scrape intervals of them (else by
 *              half an interval), never below zero. rate = increase / window seconds. Without a
 *              window (no run times) the increase is the plain first-to-last difference.
 *   gauge      a level: last, min, max and the mean over its samples (avg_over_time).
 *   histogram  `_bucket{le}` counters, one per bound: each bound's increase as above, kept as
 *              struct buckets, whose quantiles are histogram_quantile's (model/buckets.c);
 *              `_sum` and `_count` stay counters of their own (rate(x_count) is a request rate)
 *              and lend the histogram its sum.
 *   summary    `{quantile}` samples: the latest value of each quantile in the window, as
 *              reported (the client computed them over its own sliding window).
 *
 * Samples reach one struct server per run label, from every server input given that label, in
 * time order of the inputs (load.c sorts snapshots by the time in their names). A series
 * keeps a constant-size state (first and last sample, reset correction, sample count, a
 * bounded timeline), so memory grows with the number of series, never with the samples.
 * Samples outside the run's window are left out (counted, and said once); a sample at the
 * time of the previous one or before it is dropped with a warning, as Prometheus's storage
 * drops out-of-order samples, except the same series twice in one snapshot, which is an error.
 *
 * Derived standard series (formats/prometheus.md gives each formula) are computed at the end
 * from the series they need, when those were read: cpu_utilization, memory_utilization,
 * process_cpu_utilization, network_{receive,transmit}_bytes_total,
 * disk_{read,written}_bytes_total.
 *
 * Memory: struct server owns its entries (heap); server_finish copies what it keeps into the
 * model; server_free releases everything.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/io.h"
#include "../util/num.h"
#include "../util/timefmt.h"
#include "ingest.h"
#include "prom.h"

/* A cumulative value seen over time: all a counter needs for increase(). */
struct ctr {
	int64_t t0, t1;     /* times of the first and the latest sample, µs */
	double v0, v1;      /* their values */
	double correction;  /* values added back at resets */
	uint64_t n;         /* samples */
	uint32_t input;     /* the input of the latest sample */
};

struct hbucket {
	double le;          /* the bound as written, parsed */
	struct ctr c;
};

struct quantile_seen {
	double q;
	double value;       /* the latest value in the window */
	int64_t t;
};

enum role { ROLE_COUNTER, ROLE_GAUGE, ROLE_HISTOGRAM, ROLE_SUMMARY };

/* One series of the run: a counter, a gauge, a histogram or a summary (by name and labels). */
struct entry {
	char *key;                  /* role, name and sorted labels, length-prefixed; heap */
	size_t key_len;
	uint64_t hash;
	enum role role;
	char *name;                 /* the Prometheus name (a histogram's base name); heap */
	char *metric;               /* the model metric (name, prefixed when it is a core
				       metric's); heap */
	struct tag *tags;           /* sorted by key; heap strings */
	size_t tag_count;
	enum unit unit;
	double factor;              /* series unit per source unit */
	struct ctr c;               /* ROLE_COUNTER */
	struct gauge g;             /* ROLE_GAUGE */
	struct hist h;              /* its samples over time (p95 over time); valid when has_h */
	bool has_h;
	bool h_dropped;             /* a negative sample: no histogram for it */
	int64_t g_t;                /* time of its latest sample */
	uint32_t g_input;
	struct hbucket *buckets;    /* ROLE_HISTOGRAM, sorted by le; heap */
	size_t bucket_count, bucket_cap;
	uint32_t inf_input;         /* the latest input that had its +Inf bucket (+1; 0 none) */
	uint32_t seen_input;        /* the latest input that fed it (+1) */
	bool repaired;              /* its buckets were reported non-monotonic already */
	char *seen_file;            /* where it was first fed in that input, for messages */
	uint64_t seen_line, seen_column;
	struct quantile_seen *quantiles; /* ROLE_SUMMARY; heap */
	size_t quantile_count, quantile_cap;
	struct timeline *timeline;  /* counters: increments; gauges: values; NULL untimed */
	const char *first_source;   /* the first input that fed it (an input name; server's) */
	uint32_t source_count;      /* inputs that fed it */
};

struct server {
	struct diag *diag;
	char *label;                /* the run's label; heap */
	struct entry **entries;     /* in order of first appearance; heap */
	size_t entry_count, entry_cap;
	struct entry **index;       /* open addressing by hash; heap */
	size_t index_size;
	bool has_window;            /* the run's window is known */
	int64_t window_start, window_end;
	int64_t first_us, last_us;  /* span of the samples kept */
	bool any_time;              /* some sample had a time */
	bool untimed;               /* some input had no times at all */
	char **inputs;              /* every input's display name; heap */
	size_t input_count, input_cap;
	/* the input being read */
	uint32_t input;             /* 1-based index of the current input */
	bool input_is_text;         /* a /metrics snapshot (adds job=<target> when absent) */
	char *input_stem;           /* the name without time and extension: the target; heap */
	bool input_has_time;        /* its name carries a time */
	int64_t input_time;         /* that time, µs */
	uint64_t outside;           /* samples outside the window */
	uint64_t dropped;           /* out-of-order or repeated samples dropped */
	uint64_t bad_counters;      /* counter samples that were NaN, infinite or negative */
	uint64_t bad_gauges;        /* gauge samples NaN or infinite (once converted) */
	uint64_t skipped_untimed;   /* samples of inputs whose time could not be placed */
	bool one_point;             /* every series has at most one sample (server_finish) */
	bool input_skipped;         /* the current input's samples are left out (no time) */
	uint64_t unsupported;       /* samples of families perfgate does not read */
	bool failed;                /* an error was reported */
	struct buf scratch;         /* key being built */
	struct buf last_raw;        /* the latest sample's name and labels as the parser gave them */
	struct entry *last_entry;   /* and the entry they led to (a series' samples come in a row) */
	enum role last_role;
	uint32_t last_input;
	struct tag *label_buf;      /* labels being sorted; heap */
	size_t label_cap;
};

/* ---- file names: a snapshot's time and target ---- */

/* Digits d[0..n) as a number (n <= 18). */
static int64_t digits_value(const char *d, size_t n)
{
	int64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (d[i] - '0');
	return v;
}

/* "YYYYMMDDTHHMMSS" with an optional 'Z' at p (basic RFC 3339 / ISO 8601), as µs. */
static bool basic_time(const char *p, const char *end, int64_t *us, size_t *len)
{
	if (end - p < 15 || p[8] != 'T')
		return false;
	for (int i = 0; i < 15; i++)
		if (i != 8 && !isdigit((unsigned char)p[i]))
			return false;
	int64_t y = digits_value(p, 4);
	int mo = (int)digits_value(p + 4, 2), d = (int)digits_value(p + 6, 2);
	int h = (int)digits_value(p + 9, 2), mi = (int)digits_value(p + 11, 2);
	int s = (int)digits_value(p + 13, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > time_days_in_month(y, mo) || h > 23 || mi > 59 ||
	    s > 60)
		return false;
	*us = ((time_days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + s) * INT64_C(1000000);
	*len = 15 + (end - p > 15 && p[15] == 'Z');
	return true;
}

/* An RFC 3339 date-time at p ("2026-12-06T04:30:05Z", fraction and offset allowed). */
static bool extended_time(const char *p, const char *end, int64_t *us, size_t *len)
{
	if (end - p < 20 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != 't'))
		return false;
	size_t n = 19;
	if (p + n < end && p[n] == '.')
		for (n++; p + n < end && isdigit((unsigned char)p[n]); n++)
			;
	if (p + n < end && (p[n] == 'Z' || p[n] == 'z'))
		n++;
	else if (end - (p + n) >= 6 && (p[n] == '+' || p[n] == '-'))
		n += 6;
	else
		return false;
	char text[64];
	if (n >= sizeof text)
		return false;
	memcpy(text, p, n);
	text[n] = '\0';
	if (!time_parse_rfc3339(text, us) || !time_in_range(*us))
		return false;
	*len = n;
	return true;
}

bool server_name_time(const char *path, int64_t *us, size_t *at, size_t *len)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *end = base + strlen(base);
	bool found = false;
	for (const char *p = base; p < end; p++) {
		if (!isdigit((unsigned char)*p) || (p > base && isdigit((unsigned char)p[-1])))
			continue;
		int64_t t;
		size_t n;
		if (extended_time(p, end, &t, &n) || basic_time(p, end, &t, &n)) {
			found = true;
		} else {
			for (n = 0; p + n < end && isdigit((unsigned char)p[n]); n++)
				;
			/* Unix seconds (10 digits) or milliseconds (13 digits) */
			if (n == 10)
				t = digits_value(p, n) * 1000000;
			else if (n == 13)
				t = digits_value(p, n) * 1000;
			else
				continue;
			found = true;
		}
		*us = t;
		*at = (size_t)(p - path);
		*len = n;
		p += n - 1;
	}
	return found;
}

/*
 * The target a snapshot file is of: its base name without the time and the extensions, and
 * without separators left dangling ("node-1765000000.prom" -> "node").
 */
static char *name_stem(const char *path)
{
	int64_t t;
	size_t at, len;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	struct buf b;
	buf_init(&b);
	if (server_name_time(path, &t, &at, &len)) {
		buf_append(&b, base, (size_t)(path + at - base));
		buf_puts(&b, path + at + len);
	} else {
		buf_puts(&b, base);
	}
	char *s = buf_take(&b);
	char *dot = strchr(s, '.');
	if (dot && dot != s)
		*dot = '\0';
	size_t n = strlen(s);
	while (n > 0 && strchr("-_. ", s[n - 1]))
		s[--n] = '\0';
	size_t skip = strspn(s, "-_. ");
	memmove(s, s + skip, n - skip + 1);
	if (!*s) {
		free(s);
		s = xstrdup("target");
	}
	return s;
}

/* ---- entries ---- */

static uint64_t hash_bytes(const char *p, size_t n)
{
	return str_fnv1a(UINT64_C(1469598103934665603), p, n);
}

static void index_put(struct entry **index, size_t size, struct entry *e)
{
	size_t i = e->hash & (size - 1);
	while (index[i])
		i = (i + 1) & (size - 1);
	index[i] = e;
}

static int compare_tag(const void *a, const void *b)
{
	const struct tag *x = a, *y = b;
	return strcmp(x->key, y->key);
}

/* The model metric of a Prometheus name: a core metric's name is given a prefix. */
static char *model_metric_of(const char *name, size_t len)
{
	char *m = xstrndup(name, len);
	if (model_metric_lookup(m) != METRIC_CUSTOM) {
		char *p = xasprintf("prometheus:%s", m);
		free(m);
		return p;
	}
	return m;
}

/* Appends a length-prefixed string to a key (no separator can be confused with content). */
static void key_put(struct buf *k, const char *text, size_t len)
{
	buf_append(k, &len, sizeof len);
	buf_append(k, text, len);
}

/*
 * The entry (role, Prometheus name, tags sorted by key), or NULL; its key is left in
 * s->scratch and its hash in *hash, for entry_get to create it.
 */
static struct entry *entry_find(struct server *s, enum role role, const char *name, size_t len,
				const struct tag *tags, size_t tag_count, uint64_t *hash)
{
	struct buf *k = &s->scratch;
	buf_clear(k);
	buf_putc(k, (char)('0' + role));
	key_put(k, name, len);
	for (size_t i = 0; i < tag_count; i++) {
		key_put(k, tags[i].key, strlen(tags[i].key));
		key_put(k, tags[i].value, strlen(tags[i].value));
	}
	uint64_t h = hash_bytes(k->data, k->len);
	if (hash)
		*hash = h;
	for (size_t i = s->index_size ? h & (s->index_size - 1) : 0; s->index_size && s->index[i];
	     i = (i + 1) & (s->index_size - 1)) {
		struct entry *e = s->index[i];
		if (e->hash == h && e->key_len == k->len && memcmp(e->key, k->data, k->len) == 0)
			return e;
	}
	return NULL;
}

/* Finds or creates the entry (role, name, tags); tags need not be sorted (they are here). */
/*
 * The entry of role, name and tags, made when absent (*created). NULL when another role
 * already has an entry of that name and tags among those that become one model series by name
 * and tags (a gauge, a summary, a histogram's base name): *clash is that role.
 */
static struct entry *entry_get(struct server *s, enum role role, const char *name, size_t len,
			       struct tag *tags, size_t tag_count, bool *created, enum role *clash)
{
	qsort(tags, tag_count, sizeof *tags, compare_tag);
	uint64_t h;
	static const enum role one_series[] = {ROLE_GAUGE, ROLE_HISTOGRAM, ROLE_SUMMARY};
	if (role != ROLE_COUNTER && !entry_find(s, role, name, len, tags, tag_count, &h))
		for (size_t i = 0; i < PG_ARRAY_LEN(one_series); i++)
			if (one_series[i] != role &&
			    entry_find(s, one_series[i], name, len, tags, tag_count, &h)) {
				*clash = one_series[i];
				*created = false;
				return NULL;
			}
	struct entry *found = entry_find(s, role, name, len, tags, tag_count, &h);
	*created = !found;
	if (found)
		return found;
	struct buf *k = &s->scratch;
	struct entry *e = xcalloc(1, sizeof *e);
	e->key = xmalloc(k->len);
	memcpy(e->key, k->data, k->len);
	e->key_len = k->len;
	e->hash = h;
	e->role = role;
	e->name = xstrndup(name, len);
	e->metric = model_metric_of(name, len);
	e->tag_count = tag_count;
	e->tags = xcalloc(tag_count ? tag_count : 1, sizeof *e->tags);
	for (size_t i = 0; i < tag_count; i++) {
		e->tags[i].key = xstrdup(tags[i].key);
		e->tags[i].value = xstrdup(tags[i].value);
	}
	e->unit = UNIT_NONE;
	e->factor = 1;
	if (s->entry_count + 1 > s->index_size / 2) {
		size_t size = s->index_size ? s->index_size * 2 : 64;
		struct entry **index = xcalloc(size, sizeof *index);
		for (size_t i = 0; i < s->entry_count; i++)
			index_put(index, size, s->entries[i]);
		free(s->index);
		s->index = index;
		s->index_size = size;
	}
	index_put(s->index, s->index_size, e);
	s->entries = xgrow(s->entries, &s->entry_cap, s->entry_count + 1, sizeof *s->entries);
	s->entries[s->entry_count++] = e;
	return e;
}

static void entry_free(struct entry *e)
{
	free(e->key);
	free(e->name);
	free(e->metric);
	for (size_t i = 0; i < e->tag_count; i++) {
		free((char *)e->tags[i].key);
		free((char *)e->tags[i].value);
	}
	free(e->tags);
	free(e->buckets);
	free(e->quantiles);
	free(e->seen_file);
	if (e->has_h)
		hist_fini(&e->h);
	if (e->timeline) {
		timeline_fini(e->timeline);
		free(e->timeline);
	}
	free(e);
}

struct server *server_new(const char *label, struct diag *d)
{
	struct server *s = xcalloc(1, sizeof *s);
	s->diag = d;
	s->label = xstrdup(label);
	buf_init(&s->scratch);
	buf_init(&s->last_raw);
	return s;
}

void server_free(struct server *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->entry_count; i++)
		entry_free(s->entries[i]);
	free(s->entries);
	free(s->index);
	for (size_t i = 0; i < s->input_count; i++)
		free(s->inputs[i]);
	free(s->inputs);
	free(s->label);
	free(s->input_stem);
	free(s->label_buf);
	buf_fini(&s->scratch);
	buf_fini(&s->last_raw);
	free(s);
}

void server_set_window(struct server *s, int64_t start_us, int64_t end_us)
{
	s->has_window = true;
	s->window_start = start_us;
	s->window_end = end_us;
}

/* ---- samples ---- */

static void report_at(struct server *s, enum diag_id id, const struct prom_where *w,
		      const char *fmt, ...) PG_PRINTF(4, 5);
static void report_at(struct server *s, enum diag_id id, const struct prom_where *w,
		      const char *fmt, ...)
{
	struct diag_loc loc;
	prom_where_locate(w, &loc);
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	diag_report(s->diag, id, &loc, "%s", text);
	free(text);
	if (diag_level_of(id) == DIAG_ERROR)
		s->failed = true;
}

/* "name{a=\"x\",b=\"y\"}" of an entry, for messages (heap). */
static char *entry_display(const struct entry *e)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, e->metric);
	if (e->tag_count) {
		buf_putc(&b, '{');
		for (size_t i = 0; i < e->tag_count; i++)
			buf_printf(&b, "%s%s=\"%s\"", i ? "," : "", e->tags[i].key, e->tags[i].value);
		buf_putc(&b, '}');
	}
	return buf_take(&b);
}

enum feed { FEED_OK, FEED_DUPLICATE, FEED_DROPPED };

/* Whether a sample at t of the current input may follow the latest one (t1, input). */
static enum feed order_check(struct server *s, uint64_t n, int64_t t1, uint32_t input, int64_t t)
{
	if (n == 0 || t > t1)
		return FEED_OK;
	if (t == t1 && input == s->input)
		return FEED_DUPLICATE;
	return FEED_DROPPED;
}

/* Adds a sample to a counter; *increment is what it added (0 for the first sample). */
static void ctr_add(struct ctr *c, int64_t t, double v, uint32_t input, double *increment)
{
	*increment = 0;
	if (c->n == 0) {
		c->t0 = c->t1 = t;
		c->v0 = c->v1 = v;
	} else {
		*increment = v >= c->v1 ? v - c->v1 : v;
		if (v < c->v1)
			c->correction += c->v1;
		c->t1 = t;
		c->v1 = v;
	}
	c->n++;
	c->input = input;
}

/*
 * Prometheus's increase() of c over the window (extrapolatedRate, 2.x, isCounter, not isRate),
 * in the same operations; the plain difference without a window. False with fewer than two
 * samples, except when the run is one point in time (every series has one sample: one
 * snapshot, an instant vector) and has no window: then a sample is taken as the increase
 * since the counter started at 0 (it has no rate: ctr_span_s is NaN).
 */
static bool ctr_increase(const struct server *s, const struct ctr *c, double *out)
{
	if (c->n == 1 && !s->has_window && s->one_point) {
		/* one point in time, no window: everything since the counter started (at 0) */
		*out = c->v0;
		return true;
	}
	if (c->n < 2)
		return false;
	double result = c->v1 - c->v0 + c->correction;
	if (!s->has_window) {
		*out = result;
		return true;
	}
	double to_start = (double)(c->t0 - s->window_start) / 1e6;
	double to_end = (double)(s->window_end - c->t1) / 1e6;
	double sampled = (double)(c->t1 - c->t0) / 1e6;
	double average = sampled / (double)(c->n - 1);
	if (result > 0 && c->v0 >= 0) {
		double to_zero = sampled * (c->v0 / result);
		if (to_zero < to_start)
			to_start = to_zero;
	}
	double threshold = average * 1.1;
	double extrapolate_to = sampled;
	extrapolate_to += to_start < threshold ? to_start : average / 2;
	extrapolate_to += to_end < threshold ? to_end : average / 2;
	*out = result * (extrapolate_to / sampled);
	return true;
}

/* Seconds a counter's increase covers: the window, else its own first-to-last span. */
static double ctr_span_s(const struct server *s, const struct ctr *c)
{
	if (s->untimed || c->n < 2)
		return NAN;
	if (s->has_window)
		return (double)(s->window_end - s->window_start) / 1e6;
	return (double)(c->t1 - c->t0) / 1e6;
}

static struct timeline *entry_timeline(struct entry *e)
{
	if (!e->timeline) {
		e->timeline = xcalloc(1, sizeof *e->timeline);
		timeline_init(e->timeline, NULL);
		e->timeline->exact_sums = false; /* rates of seconds: finer than micro-units */
	}
	return e->timeline;
}

static const struct prom_label *find_label(const struct prom_sample *ps, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < ps->label_count; i++)
		if (ps->labels[i].name_len == n && memcmp(ps->labels[i].name, name, n) == 0)
			return &ps->labels[i];
	return NULL;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* The unit of a family from its OpenMetrics UNIT or its name's suffix. */
static enum unit family_unit(const struct prom_sample *ps, const char *base, size_t len,
			     double *factor)
{
	*factor = 1;
	bool seconds = ends_with(base, len, "_seconds") ||
		       (ps->unit && ps->unit_len == 7 && memcmp(ps->unit, "seconds", 7) == 0);
	if (seconds) {
		*factor = 1000;
		return UNIT_MS;
	}
	if (ends_with(base, len, "_bytes") ||
	    (ps->unit && ps->unit_len == 5 && memcmp(ps->unit, "bytes", 5) == 0))
		return UNIT_BYTES;
	if (ends_with(base, len, "_ratio"))
		return UNIT_RATIO;
	return UNIT_NONE;
}

/* The sample's labels as tags, without `skip` (le, quantile), plus job=<target> for snapshots. */
static size_t sample_tags(struct server *s, const struct prom_sample *ps, const char *skip,
			  struct buf *store)
{
	size_t need = ps->label_count + 1;
	if (need > s->label_cap) {
		s->label_buf = xrealloc(s->label_buf, need * sizeof *s->label_buf);
		s->label_cap = need;
	}
	/* the strings live NUL-terminated in store, offsets fixed up after it stops growing */
	buf_clear(store);
	size_t offsets[2 * 64];
	size_t *offs = ps->label_count + 1 <= 64 ? offsets : xmalloc(2 * need * sizeof *offs);
	size_t n = 0;
	bool has_job = false;
	for (size_t i = 0; i < ps->label_count; i++) {
		const struct prom_label *l = &ps->labels[i];
		if (skip && l->name_len == strlen(skip) && memcmp(l->name, skip, l->name_len) == 0)
			continue;
		has_job |= l->name_len == 3 && memcmp(l->name, "job", 3) == 0;
		offs[2 * n] = store->len;
		buf_append(store, l->name, l->name_len);
		buf_putc(store, '\0');
		offs[2 * n + 1] = store->len;
		buf_append(store, l->value, l->value_len);
		buf_putc(store, '\0');
		n++;
	}
	if (s->input_is_text && !has_job) {
		offs[2 * n] = store->len;
		buf_puts(store, "job");
		buf_putc(store, '\0');
		offs[2 * n + 1] = store->len;
		buf_puts(store, s->input_stem);
		buf_putc(store, '\0');
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		s->label_buf[i].key = store->data + offs[2 * i];
		s->label_buf[i].value = store->data + offs[2 * i + 1];
	}
	if (offs != offsets)
		free(offs);
	return n;
}

/* Notes where an entry was fed in this input (the first time), for later messages. */
static void entry_seen(struct server *s, struct entry *e, const struct prom_sample *ps)
{
	if (e->seen_input == s->input)
		return;
	e->seen_input = s->input;
	struct diag_loc loc;
	prom_where_locate(&ps->where, &loc);
	free(e->seen_file);
	e->seen_file = xstrdup(loc.file ? loc.file : "");
	e->seen_line = loc.line;
	e->seen_column = loc.column;
	if (!e->first_source)
		e->first_source = s->inputs[s->input - 1];
	e->source_count++;
}

/* The order checks every kind shares; true when the sample is to be used. */
static bool sample_in_order(struct server *s, struct entry *e, const struct prom_sample *ps,
			    uint64_t n, int64_t t1, uint32_t input, int64_t t)
{
	enum feed f = order_check(s, n, t1, input, t);
	if (f == FEED_OK)
		return true;
	char *name = entry_display(e);
	if (f == FEED_DUPLICATE)
		report_at(s, DIAG_PROM_INVALID, &ps->where,
			  "%s appears twice at the same time in this input", name);
	else if (s->dropped++ == 0)
		report_at(s, DIAG_PROM_REPAIRED, &ps->where,
			  "a sample of %s is not later than the one before it: dropped, as "
			  "Prometheus drops out-of-order samples (later ones are only counted)",
			  name);
	free(name);
	return false;
}

/*
 * Spreads what a counter gained between two scrapes, (from, to], over the timeline intervals
 * that gap covers, in proportion to the time of it each covers: a 5 s scrape gap adds a fifth
 * to each of five 1 s intervals, so a rate per interval is the counter's rate, not five times
 * it in one interval and nothing in the others.
 */
static void timeline_spread(struct timeline *t, int64_t from, int64_t to, double amount)
{
	if (to <= from) {
		timeline_add(t, to, amount, 0);
		return;
	}
	double gap = (double)(to - from);
	for (int64_t at = from; at < to;) {
		/* the width may double as the timeline grows: ask for it each step */
		int64_t w = t->width_us;
		int64_t next = (at >= 0 ? at / w + 1 : -((-at - 1) / w)) * w;
		int64_t end = next < to ? next : to;
		double part = amount * (double)(end - at) / gap;
		if (!isfinite(part)) /* amount * width past the largest double: the share first */
			part = amount * ((double)(end - at) / gap);
		timeline_add(t, at, part, 0);
		at = end;
	}
}

/*
 * Whether v can be a counter's value: finite and not negative. Anything else is left out and
 * counted (a NaN a client wrote for a counter with no data, an overflow).
 */
static bool counter_value(struct server *s, double v)
{
	if (isfinite(v) && v >= 0)
		return true;
	s->bad_counters++;
	return false;
}

static bool feed_counter(struct server *s, struct entry *e, const struct prom_sample *ps,
			 int64_t t)
{
	if (!counter_value(s, ps->value))
		return true;
	if (!sample_in_order(s, e, ps, e->c.n, e->c.t1, e->c.input, t))
		return !s->failed;
	int64_t before = e->c.t1;
	double inc;
	ctr_add(&e->c, t, ps->value, s->input, &inc);
	if (!s->untimed && e->c.n > 1)
		timeline_spread(entry_timeline(e), before, t, inc);
	return true;
}

/* The longest a gauge's value stands for the time after it: Prometheus's lookback, 5 min. */
#define SERVER_LOOKBACK_US INT64_C(300000000)

/*
 * Carries a gauge's previous value through the timeline intervals between it and the next
 * sample (from, to), as Prometheus reads a gauge between scrapes (the last value, for up to
 * its 5-minute lookback): a 5 s scrape then leaves no empty 1 s intervals, so a `for` window
 * sees the level the whole time.
 */
static void timeline_carry(struct timeline *t, int64_t from, int64_t to, double value)
{
	int64_t until = to - from > SERVER_LOOKBACK_US ? from + SERVER_LOOKBACK_US : to;
	for (int64_t at = from;;) {
		int64_t w = t->width_us;
		at = (at >= 0 ? at / w + 1 : -((-at - 1) / w)) * w; /* the next interval's start */
		if (at >= until || at >= to)
			break;
		timeline_add(t, at, value, 0);
	}
}

/*
 * Records a gauge sample into the histogram of its samples over time (quantile_over_time,
 * within the histogram's error). Values below zero have no place in it: the histogram is
 * dropped for that gauge, and its percentiles over time have no value.
 */
static void gauge_record(struct entry *e, double v)
{
	if (e->h_dropped || !isfinite(v))
		return;
	if (v < 0) {
		if (e->has_h)
			hist_fini(&e->h);
		e->has_h = false;
		e->h_dropped = true;
		return;
	}
	if (!e->has_h) {
		struct hist_layout layout;
		model_unit_hist_layout(e->unit, HIST_DIGITS_DEFAULT, &layout);
		hist_init(&e->h, &layout);
		e->has_h = true;
	}
	hist_record(&e->h, hist_units_of(v * model_unit_scale(e->unit)), 1);
}

static bool feed_gauge(struct server *s, struct entry *e, const struct prom_sample *ps, int64_t t)
{
	uint64_t n = e->g.set ? 1 : 0;
	if (!sample_in_order(s, e, ps, n, e->g_t, e->g_input, t))
		return !s->failed;
	double v = ps->value * e->factor;
	if (!isfinite(v)) {
		/* NaN, +Inf, or past the largest double once converted (seconds to ms): not a
		 * level (a mean and extremes cannot hold them) */
		s->bad_gauges++;
		return true;
	}
	bool had = e->g.set;
	int64_t before = e->g_t;
	double previous = e->g.value;
	e->g_t = t;
	e->g_input = s->input;
	model_gauge_update(&e->g, v, t);
	e->g.sum += v;
	e->g.weight += 1;
	gauge_record(e, v);
	if (!s->untimed) {
		if (had)
			timeline_carry(entry_timeline(e), before, t, previous);
		timeline_add(entry_timeline(e), t, v, 0);
	}
	return true;
}

static bool feed_bucket(struct server *s, struct entry *e, const struct prom_sample *ps,
			int64_t t)
{
	const struct prom_label *le = find_label(ps, "le");
	double bound;
	enum num_status st = num_parse_double(le->value, le->value_len, &bound, NULL);
	if (st != NUM_OK && !(st == NUM_INF && bound > 0)) {
		report_at(s, DIAG_PROM_SYNTAX, &ps->where,
			  "le=\"%.*s\" is not a bucket bound (a number or +Inf)",
			  (int)le->value_len, le->value);
		return false;
	}
	size_t i = 0;
	while (i < e->bucket_count && e->buckets[i].le < bound)
		i++;
	if (i == e->bucket_count || e->buckets[i].le != bound) {
		e->buckets = xgrow(e->buckets, &e->bucket_cap, e->bucket_count + 1,
				   sizeof *e->buckets);
		memmove(&e->buckets[i + 1], &e->buckets[i],
			(e->bucket_count - i) * sizeof *e->buckets);
		memset(&e->buckets[i], 0, sizeof e->buckets[i]);
		e->buckets[i].le = bound;
		e->bucket_count++;
	}
	struct ctr *c = &e->buckets[i].c;
	if (isinf(bound))
		e->inf_input = s->input;
	if (!counter_value(s, ps->value))
		return true;
	if (!sample_in_order(s, e, ps, c->n, c->t1, c->input, t))
		return !s->failed;
	int64_t before = c->t1;
	double inc;
	ctr_add(c, t, ps->value, s->input, &inc);
	if (isinf(bound) && !s->untimed && c->n > 1)
		timeline_spread(entry_timeline(e), before, t, inc);
	return true;
}

static bool feed_quantile(struct server *s, struct entry *e, const struct prom_sample *ps,
			  int64_t t)
{
	const struct prom_label *ql = find_label(ps, "quantile");
	double q;
	if (num_parse_double(ql->value, ql->value_len, &q, NULL) != NUM_OK || q < 0 || q > 1) {
		report_at(s, DIAG_PROM_SYNTAX, &ps->where,
			  "quantile=\"%.*s\" is not a number from 0 to 1", (int)ql->value_len,
			  ql->value);
		return false;
	}
	size_t i = 0;
	while (i < e->quantile_count && e->quantiles[i].q != q)
		i++;
	if (i == e->quantile_count) {
		e->quantiles = xgrow(e->quantiles, &e->quantile_cap, e->quantile_count + 1,
				     sizeof *e->quantiles);
		e->quantiles[i] = (struct quantile_seen){q, NAN, INT64_MIN};
		e->quantile_count++;
	}
	struct quantile_seen *qs = &e->quantiles[i];
	if (t == qs->t && e->g_input == s->input) {
		char *name = entry_display(e);
		report_at(s, DIAG_PROM_INVALID, &ps->where,
			  "%s{quantile=\"%g\"} appears twice at the same time in this input", name, q);
		free(name);
		return false;
	}
	e->g_input = s->input;
	if (!isfinite(ps->value))
		return true; /* a summary with no observations yet writes NaN */
	if (t >= qs->t) {
		qs->t = t;
		qs->value = ps->value * e->factor;
	} else {
		s->dropped++;
	}
	return true;
}

/* What a sample is by its family's declared type, or by its name when none was declared. */
static enum role sample_role(struct server *s, const struct prom_sample *ps, size_t *base_len,
			     bool *skip)
{
	const char *name = ps->name;
	size_t len = ps->name_len;
	*base_len = len;
	*skip = false;
	bool has_le = find_label(ps, "le") != NULL, has_q = find_label(ps, "quantile") != NULL;
	if (ends_with(name, len, "_created") && ps->type != PROM_COUNTER) {
		/* a start time, not a measurement (the Python client writes it as its own gauge
		 * family in 0.0.4) */
		*skip = true;
		return ROLE_GAUGE;
	}
	switch (ps->type) {
	case PROM_COUNTER:
		*skip = ends_with(name, len, "_created") && len != ps->family_len;
		return ROLE_COUNTER;
	case PROM_GAUGE:
		return ROLE_GAUGE;
	case PROM_HISTOGRAM:
		if (ends_with(name, len, "_bucket") && has_le) {
			*base_len = len - 7;
			return ROLE_HISTOGRAM;
		}
		*skip = ends_with(name, len, "_created");
		return ROLE_COUNTER;
	case PROM_SUMMARY:
		if (len == ps->family_len && has_q)
			return ROLE_SUMMARY;
		*skip = ends_with(name, len, "_created");
		return ROLE_COUNTER;
	case PROM_GAUGEHISTOGRAM:
	case PROM_STATESET:
	case PROM_INFO:
		*skip = true;
		if (s->unsupported++ == 0)
			report_at(s, DIAG_PROM_UNSUPPORTED, &ps->where,
				  "family '%.*s' is a %s, which perfgate does not read: left out "
				  "(later ones are only counted)",
				  (int)ps->family_len, ps->family, prom_type_name(ps->type));
		return ROLE_GAUGE;
	case PROM_UNTYPED:
		break;
	}
	if (ends_with(name, len, "_bucket") && has_le) {
		*base_len = len - 7;
		return ROLE_HISTOGRAM;
	}
	if (has_q)
		return ROLE_SUMMARY;
	if (ends_with(name, len, "_total") || ends_with(name, len, "_count") ||
	    ends_with(name, len, "_sum"))
		return ROLE_COUNTER;
	return ROLE_GAUGE;
}

/* The sample's name and labels, as the parser gave them, for same_as_last. */
static void remember_last(struct server *s, const struct prom_sample *ps)
{
	buf_clear(&s->last_raw);
	key_put(&s->last_raw, ps->name, ps->name_len);
	for (size_t i = 0; i < ps->label_count; i++) {
		key_put(&s->last_raw, ps->labels[i].name, ps->labels[i].name_len);
		key_put(&s->last_raw, ps->labels[i].value, ps->labels[i].value_len);
	}
}

/* Whether key_put-encoded text[0..len) is next in raw at *at (advancing it). */
static bool raw_next(const struct buf *raw, size_t *at, const char *text, size_t len)
{
	if (raw->len - *at < sizeof len)
		return false;
	size_t stored;
	memcpy(&stored, raw->data + *at, sizeof stored);
	if (stored != len || raw->len - *at - sizeof len < len ||
	    memcmp(raw->data + *at + sizeof len, text, len) != 0)
		return false;
	*at += sizeof len + len;
	return true;
}

/*
 * Whether ps has the name and labels of the previous sample: the values of one series come in
 * a row (an API matrix, a histogram's buckets differ only in le), and this check is much
 * cheaper than building the entry's key.
 */
static bool same_as_last(const struct server *s, const struct prom_sample *ps)
{
	size_t at = 0;
	if (!raw_next(&s->last_raw, &at, ps->name, ps->name_len))
		return false;
	for (size_t i = 0; i < ps->label_count; i++)
		if (!raw_next(&s->last_raw, &at, ps->labels[i].name, ps->labels[i].name_len) ||
		    !raw_next(&s->last_raw, &at, ps->labels[i].value, ps->labels[i].value_len))
			return false;
	return at == s->last_raw.len;
}

static bool feed(struct server *s, struct entry *e, enum role role, const struct prom_sample *ps,
		 int64_t t)
{
	if (!s->untimed) {
		if (s->first_us == 0 && s->last_us == 0)
			s->first_us = s->last_us = t;
		s->first_us = t < s->first_us ? t : s->first_us;
		s->last_us = t > s->last_us ? t : s->last_us;
	}
	switch (role) {
	case ROLE_COUNTER: return feed_counter(s, e, ps, t);
	case ROLE_GAUGE: return feed_gauge(s, e, ps, t);
	case ROLE_HISTOGRAM: return feed_bucket(s, e, ps, t);
	case ROLE_SUMMARY: return feed_quantile(s, e, ps, t);
	}
	return true;
}

static bool server_sample(void *ctx, const struct prom_sample *ps)
{
	struct server *s = ctx;
	if (s->input_skipped) {
		s->skipped_untimed++;
		return true;
	}
	bool timed = ps->has_time || s->input_has_time;
	if ((timed && s->untimed) || (!timed && s->any_time)) {
		/* one run's inputs are all placed in time, or all ordered by the command line */
		s->input_skipped = true;
		s->skipped_untimed++;
		report_at(s, DIAG_SERVER_UNALIGNED, &ps->where,
			  "this input %s a time (timestamps or a time in its name) while the inputs "
			  "of run '%s' before it %s: it cannot be placed among them and is left out",
			  timed ? "has" : "has no", s->label, timed ? "have none" : "have one");
		return true;
	}
	int64_t t;
	if (ps->has_time) {
		t = ps->time_us;
		s->any_time = true;
	} else if (s->input_has_time) {
		t = s->input_time;
		s->any_time = true;
	} else {
		/* no time at all: the input's place on the command line orders it */
		t = (int64_t)s->input * 1000000;
		s->untimed = true;
	}
	if (s->has_window && !s->untimed && (t < s->window_start || t > s->window_end)) {
		s->outside++;
		return true;
	}
	if (ps->name && s->last_entry && s->last_input == s->input && same_as_last(s, ps))
		return feed(s, s->last_entry, s->last_role, ps, t);
	struct prom_sample named = *ps;
	if (!named.name) {
		/* an expression whose operator dropped __name__: named after its file */
		named.name = s->input_stem;
		named.name_len = strlen(s->input_stem);
		named.family = named.name;
		named.family_len = named.name_len;
	}
	size_t base_len;
	bool skip;
	enum role role = sample_role(s, &named, &base_len, &skip);
	if (skip)
		return true;
	struct buf store;
	buf_init(&store);
	const char *drop = role == ROLE_HISTOGRAM ? "le" : role == ROLE_SUMMARY ? "quantile" : NULL;
	size_t n = sample_tags(s, &named, drop, &store);
	bool created;
	enum role clash;
	struct entry *e = entry_get(s, role, named.name, base_len, s->label_buf, n, &created, &clash);
	buf_fini(&store);
	if (!e) {
		static const char *const role_names[] = {"counter", "gauge", "histogram", "summary"};
		report_at(s, DIAG_PROM_INVALID, &ps->where,
			  "'%.*s' with these labels is read as a %s here and as a %s before (a family "
			  "without TYPE is told by its samples): one series cannot be both",
			  (int)base_len, named.name, role_names[role], role_names[clash]);
		return false;
	}
	if (created) {
		if (role == ROLE_COUNTER)
			e->unit = ends_with(named.name, named.name_len, "_bytes_total") ? UNIT_BYTES
											: UNIT_COUNT;
		else
			e->unit = family_unit(&named, named.name, base_len, &e->factor);
	}
	entry_seen(s, e, &named);
	if (ps->name) {
		remember_last(s, ps);
		s->last_entry = e;
		s->last_role = role;
		s->last_input = s->input;
	}
	return feed(s, e, role, &named, t);
}

static void server_note(void *ctx, const char *text, size_t len, const struct prom_where *w)
{
	struct server *s = ctx;
	struct diag_loc loc;
	prom_where_locate(w, &loc);
	diag_report(s->diag, DIAG_NOTE, &loc, "the Prometheus response says: %.*s", (int)len, text);
}

/* ---- inputs ---- */

static void input_begin(struct server *s, const char *name, bool is_text)
{
	s->inputs = xgrow(s->inputs, &s->input_cap, s->input_count + 1, sizeof *s->inputs);
	s->inputs[s->input_count++] = xstrdup(name);
	s->input = (uint32_t)s->input_count;
	s->input_is_text = is_text;
	free(s->input_stem);
	s->input_stem = name_stem(name);
	size_t at, len;
	s->input_has_time = server_name_time(name, &s->input_time, &at, &len);
	s->input_skipped = false;
}

/* The checks of one snapshot's histograms once it is read: a +Inf bucket, monotonic counts. */
static void input_end(struct server *s)
{
	for (size_t i = 0; i < s->entry_count; i++) {
		struct entry *e = s->entries[i];
		if (e->role != ROLE_HISTOGRAM || e->seen_input != s->input)
			continue;
		struct diag_loc loc = source_file_loc(e->seen_file);
		loc.line = e->seen_line;
		loc.column = e->seen_column;
		char *name = entry_display(e);
		if (e->inf_input != s->input) {
			diag_report(s->diag, DIAG_PROM_INVALID, &loc,
				    "histogram %s has no le=\"+Inf\" bucket in this input: its total "
				    "is unknown (histogram_quantile gives NaN)", name);
			s->failed = true;
		} else {
			double prev = -INFINITY;
			double at_le = 0;
			for (size_t k = 0; k < e->bucket_count; k++) {
				const struct ctr *c = &e->buckets[k].c;
				if (c->input != s->input || c->n == 0)
					continue;
				if (c->v1 < prev) {
					at_le = e->buckets[k].le;
					break;
				}
				prev = c->v1;
			}
			e->repaired |= at_le != 0;
			if (at_le != 0)
				diag_report(s->diag, DIAG_PROM_REPAIRED, &loc,
					    "the buckets of histogram %s decrease at le=\"%g\": counts are "
					    "made non-decreasing, as histogram_quantile does", name,
					    at_le);
		}
		free(name);
	}
}

static bool read_with(struct builder *b, bool is_text, struct source *src, struct io_reader *in,
		      const char *name)
{
	struct server *s = b->server;
	if (!s) {
		/* only load.c reads these formats, and it always gives a server */
		struct diag_loc loc = source_file_loc(name);
		diag_report(b->diag, DIAG_USAGE, &loc, "server-side metrics need a run to attach to");
		return false;
	}
	input_begin(s, name, is_text);
	bool was_failed = s->failed;
	s->failed = false;
	struct prom_sink sink = {s, server_sample, server_note};
	bool ok = is_text ? prom_text_read(src, b->diag, &sink)
			  : prom_api_read(in, name, b->diag, &sink);
	if (ok)
		input_end(s);
	ok = ok && !s->failed;
	s->failed = was_failed || !ok;
	return ok;
}

bool prom_text_parse(struct source *src, struct builder *b)
{
	return read_with(b, true, src, NULL, src->name);
}

bool prom_api_parse(struct io_reader *in, const char *name, struct builder *b)
{
	return read_with(b, false, NULL, in, name);
}

int prom_text_sniff(const char *prefix, size_t len)
{
	return prom_text_score(prefix, len);
}

int prom_api_sniff(const char *prefix, size_t len)
{
	return prom_api_score(prefix, len);
}

/* ---- the end: entries into series of the run ---- */

static const char *entry_source(struct server *s, struct model *m, const struct entry *e)
{
	if (!e->first_source)
		return s->label;
	if (e->source_count <= 1)
		return arena_strdup(&m->arena, e->first_source);
	return arena_printf(&m->arena, "%s and %u more", e->first_source, e->source_count - 1);
}

static struct series *new_series(struct builder *b, struct run *run, const char *metric,
				 const struct tag *tags, size_t tag_count, enum series_kind kind,
				 enum precision precision, enum unit unit)
{
	struct series *sr = builder_series(b, run, metric, NULL, tags, tag_count, kind,
					   precision, unit);
	if (sr->has_hist) {
		hist_fini(&sr->hist);
		sr->has_hist = false;
	}
	sr->server = true;
	return sr;
}

static void give_timeline(struct series *sr, const struct timeline *t)
{
	if (!t)
		return;
	sr->timeline = xcalloc(1, sizeof *sr->timeline);
	timeline_init(sr->timeline, NULL);
	sr->timeline->exact_sums = false; /* rates of seconds: finer than micro-units */
	timeline_merge(sr->timeline, t);
}

/* The entry of a sibling series: role, Prometheus name, the same (sorted) tags as e. */
static const struct entry *sibling(struct server *s, enum role role, const char *name,
				   const struct entry *e)
{
	return entry_find(s, role, name, strlen(name), e->tags, e->tag_count, NULL);
}

static struct series *finish_histogram(struct server *s, struct builder *b, struct run *run,
				       struct entry *e)
{
	struct series *sr = new_series(b, run, e->metric, e->tags, e->tag_count, SERIES_TREND,
				       PREC_BUCKETED, e->unit);
	sr->has_buckets = true;
	sr->buckets.factor = e->factor;
	for (size_t k = 0; k < e->bucket_count; k++) {
		double inc;
		if (ctr_increase(s, &e->buckets[k].c, &inc))
			buckets_add(&sr->buckets, e->buckets[k].le, inc);
	}
	char *sum_name = xasprintf("%s_sum", e->name);
	const struct entry *sum = sibling(s, ROLE_COUNTER, sum_name, e);
	free(sum_name);
	double inc;
	if (sum && ctr_increase(s, &sum->c, &inc)) {
		sr->buckets.sum = inc;
		sr->buckets.has_sum = true;
	}
	if (!e->repaired && !buckets_monotonic(&sr->buckets)) {
		char *name = entry_display(e);
		struct diag_loc loc = source_file_loc(e->first_source);
		diag_report(s->diag, DIAG_PROM_REPAIRED, &loc,
			    "the increases of histogram %s's buckets decrease from one bound to the "
			    "next: made non-decreasing, as histogram_quantile does", name);
		free(name);
	}
	give_timeline(sr, e->timeline);
	return sr;
}

static struct series *finish_summary(struct server *s, struct builder *b, struct run *run,
				     struct entry *e)
{
	struct series *sr = new_series(b, run, e->metric, e->tags, e->tag_count, SERIES_TREND,
				       PREC_QUANTILES, e->unit);
	/* NaN (no observation yet) and ±Inf are no percentile: left out, as a missing one */
	for (size_t k = 0; k < e->quantile_count; k++)
		if (isfinite(e->quantiles[k].value))
			builder_quantile(b, sr, e->quantiles[k].q, e->quantiles[k].value);
	char *count_name = xasprintf("%s_count", e->name);
	char *sum_name = xasprintf("%s_sum", e->name);
	const struct entry *count = sibling(s, ROLE_COUNTER, count_name, e);
	const struct entry *sum = sibling(s, ROLE_COUNTER, sum_name, e);
	free(count_name);
	free(sum_name);
	double n, total;
	if (count && ctr_increase(s, &count->c, &n)) {
		builder_stat(b, sr, STAT_COUNT, n);
		if (sum && n > 0 && ctr_increase(s, &sum->c, &total))
			builder_stat(b, sr, STAT_MEAN, total / n * e->factor);
	}
	return sr;
}

/* The series an entry becomes (NULL when it has too little data: one counter sample). */
static struct series *finish_entry(struct server *s, struct builder *b, struct run *run,
				   struct entry *e)
{
	struct series *sr = NULL;
	switch (e->role) {
	case ROLE_COUNTER: {
		double inc;
		if (!ctr_increase(s, &e->c, &inc))
			return NULL;
		sr = new_series(b, run, e->metric, e->tags, e->tag_count, SERIES_COUNTER,
				PREC_EXACT, e->unit);
		sr->total = inc;
		sr->span_s = ctr_span_s(s, &e->c);
		give_timeline(sr, e->timeline);
		break;
	}
	case ROLE_GAUGE:
		if (!e->g.set)
			return NULL;
		sr = new_series(b, run, e->metric, e->tags, e->tag_count, SERIES_GAUGE, PREC_EXACT,
				e->unit);
		sr->gauge = e->g;
		/* a value beyond the histogram's range would make its percentiles wrong: none */
		if (e->has_h && !e->h.clamped_high && !e->h.clamped_low) {
			hist_init(&sr->hist, &e->h.layout);
			hist_merge(&sr->hist, &e->h);
			sr->has_hist = true;
		}
		give_timeline(sr, e->timeline);
		break;
	case ROLE_HISTOGRAM: sr = finish_histogram(s, b, run, e); break;
	case ROLE_SUMMARY: sr = finish_summary(s, b, run, e); break;
	}
	sr->source = entry_source(s, b->model, e);
	return sr;
}

/* ---- derived standard series ---- */

/* The tags of e without the keys in drop (NULL-terminated), into out (borrowed strings). */
static size_t tags_without(const struct entry *e, const char *const *drop, struct tag *out)
{
	size_t n = 0;
	for (size_t i = 0; i < e->tag_count; i++) {
		bool dropped = false;
		for (const char *const *d = drop; *d && !dropped; d++)
			dropped = strcmp(e->tags[i].key, *d) == 0;
		if (!dropped)
			out[n++] = e->tags[i];
	}
	return n;
}

static bool same_tags(const struct tag *a, size_t an, const struct tag *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (strcmp(a[i].key, b[i].key) != 0 || strcmp(a[i].value, b[i].value) != 0)
			return false;
	return true;
}

static const char *tag_value(const struct entry *e, const char *key)
{
	for (size_t i = 0; i < e->tag_count; i++)
		if (strcmp(e->tags[i].key, key) == 0)
			return e->tags[i].value;
	return NULL;
}

/*
 * A group of counters a derived series is made of: the counters of one metric (and mode)
 * whose labels are the same once `drop` are removed (the CPUs of one machine, its devices).
 */
struct group {
	struct tag *tags;   /* the labels they share (borrowed strings); heap */
	size_t tag_count;
	struct entry **members; /* heap */
	size_t count;
};

/* Whether e is a counter of metric (with label mode=mode when mode is not NULL). */
static bool group_fits(const struct entry *e, const char *metric, const char *mode)
{
	if (e->role != ROLE_COUNTER || strcmp(e->metric, metric) != 0)
		return false;
	return !mode || (tag_value(e, "mode") && strcmp(tag_value(e, "mode"), mode) == 0);
}

/*
 * The group of entries[i] (which must fit), every member marked in done. Release with
 * group_fini.
 */
static void group_of(struct server *s, size_t i, const char *metric, const char *mode,
		     const char *const *drop, bool *done, struct group *g)
{
	const struct entry *e = s->entries[i];
	g->tags = xcalloc(e->tag_count ? e->tag_count : 1, sizeof *g->tags);
	g->tag_count = tags_without(e, drop, g->tags);
	g->members = xcalloc(s->entry_count, sizeof *g->members);
	g->count = 0;
	struct tag *other = NULL;
	size_t other_cap = 0;
	for (size_t j = i; j < s->entry_count; j++) {
		struct entry *f = s->entries[j];
		if (done[j] || !group_fits(f, metric, mode))
			continue;
		other = xgrow(other, &other_cap, f->tag_count ? f->tag_count : 1, sizeof *other);
		size_t on = tags_without(f, drop, other);
		if (!same_tags(g->tags, g->tag_count, other, on))
			continue;
		done[j] = true;
		g->members[g->count++] = f;
	}
	free(other);
}

static void group_fini(struct group *g)
{
	free(g->tags);
	free(g->members);
}

/*
 * A utilisation from busy (or idle) seconds counters, one per group: the average over the
 * group of increase / window seconds, as `avg without (cpu) (rate(...))` gives it (1 - that
 * for idle seconds). Per timeline interval the same from the interval's share of each
 * counter's increase (spread over its scrape gaps) over the seconds of the interval the
 * samples cover: its min, max and last, and the series' timeline.
 */
static void derive_utilization(struct server *s, struct builder *b, struct run *run,
			       const char *source_metric, const char *mode, bool idle,
			       const char *const *drop, const char *metric)
{
	bool *done = xcalloc(s->entry_count ? s->entry_count : 1, sizeof *done);
	for (size_t i = 0; i < s->entry_count; i++) {
		if (done[i] || !group_fits(s->entries[i], source_metric, mode))
			continue;
		struct group g;
		group_of(s, i, source_metric, mode, drop, done, &g);
		double rate_sum = 0, span = NAN;
		size_t members = 0;
		int64_t first = INT64_MAX, last = INT64_MIN;
		struct timeline t;
		timeline_init(&t, NULL);
		t.exact_sums = false; /* rates of seconds: finer than micro-units */
		const char *source = NULL;
		for (size_t k = 0; k < g.count; k++) {
			const struct entry *f = g.members[k];
			double inc, f_span = ctr_span_s(s, &f->c);
			if (!ctr_increase(s, &f->c, &inc) || !(f_span > 0))
				continue;
			rate_sum += inc / f_span;
			members++;
			span = isnan(span) || f_span > span ? f_span : span;
			first = f->c.t0 < first ? f->c.t0 : first;
			last = f->c.t1 > last ? f->c.t1 : last;
			if (f->timeline)
				timeline_merge(&t, f->timeline);
			source = source ? source : f->first_source;
		}
		if (members > 0) {
			double average = rate_sum / (double)members;
			double value = idle ? 1 - average : average;
			struct series *sr = new_series(b, run, metric, g.tags, g.tag_count,
						       SERIES_GAUGE, PREC_EXACT, UNIT_RATIO);
			sr->timeline = xcalloc(1, sizeof *sr->timeline);
			timeline_init(sr->timeline, NULL);
			sr->timeline->exact_sums = false; /* finer than 1e-6 */
			for (size_t k = 0; k < t.count; k++) {
				/* the seconds of this interval the samples cover, on every member */
				int64_t from = timeline_start_us(&t, k), to = from + t.width_us;
				from = from > first ? from : first;
				to = to < last ? to : last;
				if (to <= from)
					continue;
				double seconds = (double)(to - from) / 1e6 * (double)members;
				double busy = timeline_at(&t, k)->sum / seconds;
				double u = idle ? 1 - busy : busy;
				model_gauge_update(&sr->gauge, u, timeline_start_us(&t, k));
				timeline_add(sr->timeline, timeline_start_us(&t, k), u, 0);
			}
			if (!sr->gauge.set) /* too few samples for intervals: the window's value */
				model_gauge_update(&sr->gauge, value, s->last_us);
			/* the mean over time is the window's value: sum / weight, the span as weight */
			sr->gauge.sum = value * span;
			sr->gauge.weight = span;
			sr->source = source ? arena_strdup(&b->model->arena, source) : NULL;
		}
		timeline_fini(&t);
		group_fini(&g);
	}
	free(done);
}

/* memory_utilization = 1 - MemAvailable / MemTotal, per instance (MemTotal's mean). */
static void derive_memory(struct server *s, struct builder *b, struct run *run)
{
	for (size_t i = 0; i < s->entry_count; i++) {
		struct entry *avail = s->entries[i];
		if (avail->role != ROLE_GAUGE ||
		    strcmp(avail->metric, "node_memory_MemAvailable_bytes") != 0 || !avail->g.set)
			continue;
		const struct entry *total = sibling(s, ROLE_GAUGE, "node_memory_MemTotal_bytes",
						    avail);
		if (!total || !total->g.set || !(total->g.weight > 0))
			continue;
		double t = total->g.sum / total->g.weight;
		/* an infinite mean (samples summed past the largest double, which the loader warns
		 * about) would make every ratio 0 or NaN: no figure rather than a wrong one */
		if (!(t > 0) || !isfinite(t) || !isfinite(avail->g.sum))
			continue;
		struct series *sr = new_series(b, run, "memory_utilization", avail->tags,
					       avail->tag_count, SERIES_GAUGE, PREC_EXACT,
					       UNIT_RATIO);
		sr->gauge = (struct gauge){.value = 1 - avail->g.value / t,
					   .min = 1 - avail->g.max / t,
					   .max = 1 - avail->g.min / t,
					   .value_us = avail->g.value_us,
					   .set = true,
					   .sum = (1 - avail->g.sum / avail->g.weight / t) * avail->g.weight,
					   .weight = avail->g.weight};
		if (avail->timeline) {
			const struct timeline *at = avail->timeline;
			sr->timeline = xcalloc(1, sizeof *sr->timeline);
			timeline_init(sr->timeline, NULL);
			sr->timeline->exact_sums = false; /* finer than 1e-6 */
			for (size_t k = 0; k < at->count; k++) {
				const struct interval *iv = timeline_at(at, k);
				if (iv->count > 0)
					timeline_add(sr->timeline, iv->last_us,
						     1 - iv->sum / (double)iv->count / t, 0);
			}
		}
		sr->source = avail->first_source ? arena_strdup(&b->model->arena, avail->first_source)
						 : NULL;
	}
}

/* A counter summed over the members of a group (devices): network and disk bytes. */
static void derive_sum(struct server *s, struct builder *b, struct run *run,
		       const char *source_metric, const char *const *drop, const char *metric)
{
	bool *done = xcalloc(s->entry_count ? s->entry_count : 1, sizeof *done);
	for (size_t i = 0; i < s->entry_count; i++) {
		if (done[i] || !group_fits(s->entries[i], source_metric, NULL))
			continue;
		struct group g;
		group_of(s, i, source_metric, NULL, drop, done, &g);
		struct series *sr = NULL;
		for (size_t k = 0; k < g.count; k++) {
			const struct entry *f = g.members[k];
			double inc;
			if (!ctr_increase(s, &f->c, &inc))
				continue;
			if (!sr) {
				sr = new_series(b, run, metric, g.tags, g.tag_count, SERIES_COUNTER,
						PREC_EXACT, f->unit);
				sr->span_s = ctr_span_s(s, &f->c);
				sr->source = f->first_source
					? arena_strdup(&b->model->arena, f->first_source) : NULL;
			}
			sr->total += inc;
			if (f->timeline) {
				if (!sr->timeline) {
					sr->timeline = xcalloc(1, sizeof *sr->timeline);
					timeline_init(sr->timeline, NULL);
					sr->timeline->exact_sums = false; /* finer than 1e-6 */
				}
				timeline_merge(sr->timeline, f->timeline);
			}
		}
		group_fini(&g);
	}
	free(done);
}

static void derive(struct server *s, struct builder *b, struct run *run)
{
	static const char *const cpu_drop[] = {"cpu", "mode", NULL};
	static const char *const none[] = {NULL};
	static const char *const device[] = {"device", NULL};
	derive_utilization(s, b, run, "node_cpu_seconds_total", "idle", true, cpu_drop,
			   "cpu_utilization");
	derive_utilization(s, b, run, "process_cpu_seconds_total", NULL, false, none,
			   "process_cpu_utilization");
	derive_memory(s, b, run);
	derive_sum(s, b, run, "node_network_receive_bytes_total", device,
		   "network_receive_bytes_total");
	derive_sum(s, b, run, "node_network_transmit_bytes_total", device,
		   "network_transmit_bytes_total");
	derive_sum(s, b, run, "node_disk_read_bytes_total", device, "disk_read_bytes_total");
	derive_sum(s, b, run, "node_disk_written_bytes_total", device, "disk_written_bytes_total");
}

static void report_summary(struct server *s, bool attached)
{
	struct diag_loc loc = source_file_loc(s->input_count ? s->inputs[0] : s->label);
	if (s->untimed && s->input_count > 1)
		diag_report(s->diag, DIAG_SERVER_UNALIGNED, &loc,
			    "server samples of run '%s' carry no times (no timestamps, no time in "
			    "the file name): counters give only the difference of the first and the "
			    "last input, with no rate%s", s->label,
			    attached ? ", and cannot be clipped to the run's window" : "");
	else if (s->untimed && attached && s->has_window)
		diag_report(s->diag, DIAG_SERVER_UNALIGNED, &loc,
			    "the server snapshot of run '%s' carries no time (no timestamps, no time "
			    "in the file name), so it cannot be clipped to the run's window", s->label);
	else if (attached && !s->has_window)
		diag_report(s->diag, DIAG_SERVER_UNALIGNED, &loc,
			    "run '%s' has no start and end times, so its server series cover their "
			    "own span and are not clipped to the load test", s->label);
	if (s->one_point && !s->has_window)
		diag_report(s->diag, DIAG_NOTE, &loc,
			    "one point in time: counters and histograms hold what the process counted "
			    "since it started");
	if (s->skipped_untimed)
		diag_report(s->diag, DIAG_NOTE, &loc,
			    "%llu server sample(s) of run '%s' were left out: their input could not be "
			    "placed in time among the others", (unsigned long long)s->skipped_untimed,
			    s->label);
	if (s->outside)
		diag_report(s->diag, DIAG_NOTE, &loc,
			    "%llu server sample(s) of run '%s' lay outside the run's window and were "
			    "left out", (unsigned long long)s->outside, s->label);
	if (s->dropped > 1)
		diag_report(s->diag, DIAG_NOTE, &loc,
			    "%llu out-of-order or repeated server sample(s) of run '%s' were dropped",
			    (unsigned long long)s->dropped, s->label);
	if (s->unsupported > 1)
		diag_report(s->diag, DIAG_NOTE, &loc,
			    "%llu sample(s) of families perfgate does not read were left out",
			    (unsigned long long)s->unsupported);
	if (s->bad_counters)
		diag_report(s->diag, DIAG_NOTE, &loc,
			    "%llu counter sample(s) of run '%s' were NaN, infinite or negative and were "
			    "left out", (unsigned long long)s->bad_counters, s->label);
	if (s->bad_gauges)
		diag_report(s->diag, DIAG_NOTE, &loc,
			    "%llu gauge sample(s) of run '%s' were NaN, infinite, or beyond a double once "
			    "converted to the series' unit, and were left out",
			    (unsigned long long)s->bad_gauges, s->label);
}

/* Whether every series of s has at most one sample: the run is one point in time. */
static bool one_point(const struct server *s)
{
	for (size_t i = 0; i < s->entry_count; i++) {
		const struct entry *e = s->entries[i];
		if (e->c.n > 1 || e->g.weight > 1)
			return false;
		for (size_t k = 0; k < e->bucket_count; k++)
			if (e->buckets[k].c.n > 1)
				return false;
	}
	return true;
}

bool server_finish(struct server *s, struct model *m)
{
	s->one_point = one_point(s);
	struct run *existing = model_find_run(m, s->label);
	struct model *scratch = model_new();
	scratch->significant_digits = m->significant_digits;
	struct builder b;
	builder_init(&b, scratch, s->input_count ? s->inputs[0] : s->label, s->label, s->diag);
	struct run *run = builder_run(&b, "prometheus", NULL, 0, false);
	for (size_t i = 0; i < s->input_count; i++)
		builder_run_source(&b, run, s->inputs[i]);
	if (s->has_window)
		builder_run_span(&b, run, s->window_start, s->window_end);
	else if (!s->untimed && s->any_time)
		builder_run_span(&b, run, s->first_us, s->last_us);
	size_t thin = 0;
	const char *thin_name = NULL;
	for (size_t i = 0; i < s->entry_count; i++) {
		struct entry *e = s->entries[i];
		finish_entry(s, &b, run, e);
		double unused;
		bool counted = e->role == ROLE_COUNTER ? ctr_increase(s, &e->c, &unused)
			       : e->role == ROLE_HISTOGRAM && e->bucket_count
				       ? ctr_increase(s, &e->buckets[e->bucket_count - 1].c, &unused)
				       : true;
		if (!counted && thin++ == 0)
			thin_name = e->metric;
	}
	if (thin) {
		struct diag_loc loc = source_file_loc(s->input_count ? s->inputs[0] : s->label);
		diag_report(s->diag, DIAG_NOTE, &loc,
			    "%zu counter or histogram series of run '%s' (the first: '%s') had fewer "
			    "than two samples%s and have no value: an increase needs two",
			    thin, s->label, thin_name, s->has_window ? " in the run's window" : "");
	}
	derive(s, &b, run);
	report_summary(s, existing != NULL);
	builder_finish(&b);
	bool ok = true;
	if (run->series_count == 0) {
		struct diag_loc loc = source_file_loc(s->input_count ? s->inputs[0] : s->label);
		diag_report(s->diag, DIAG_NO_DATA, &loc,
			    "no server series of run '%s' has data in %s", s->label,
			    s->has_window ? "the run's window" : "these inputs");
		ok = false;
	} else if (existing) {
		for (size_t i = 0; i < run->source_count; i++)
			model_run_add_source(m, existing, run->sources[i]);
		for (size_t i = 0; i < run->series_count; i++) {
			const struct series *sr = run->series[i];
			const char *why = model_merge_series(m, existing, sr, sr->endpoint, sr->tags,
							     sr->tag_count);
			if (why) {
				struct diag_loc loc = source_file_loc(sr->source);
				diag_report(s->diag, DIAG_MERGE_CONFLICT, &loc,
					    "server series '%s' cannot join run '%s': %s", sr->metric,
					    s->label, why);
				ok = false;
			}
		}
	} else {
		ok = model_merge(m, scratch, s->diag);
	}
	model_free(scratch);
	return ok;
}
