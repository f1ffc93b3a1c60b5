/*
 * model.c - model lifetime, runs, series lookup, merging, statistics and output order.
 *
 * Runs are few, so finding one is a linear scan. Series can be many thousands (k6 tag sets,
 * ids in URLs), so each run keeps a hash index of its series by key; samples still go straight
 * into a series' histogram through a pointer the front end keeps. Keys are copied into the
 * model arena; tags are stored sorted by key so equal tag sets compare with one loop.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/diag.h"
#include "model.h"
#include "model_test.h"

static const struct {
	const char *name;
	enum series_kind kind;
	enum unit unit;
} core_metrics[] = {
#define METRIC(id, name, kind, unit) {name, kind, unit},
#include "metrics.def"
#undef METRIC
};

static const char *const stat_names[] = {"count", "min", "mean", "max", "stddev"};
static const char *const unit_names[] = {"ms", "req/s", "B/s", "", "B", "", "%"};
static const char *const precision_names[] = {"exact", "bucketed", "quantiles"};
static const char *const kind_names[] = {"trend", "counter", "rate", "gauge"};

struct model *model_new(void)
{
	struct model *m = xcalloc(1, sizeof *m);
	arena_init(&m->arena);
	m->significant_digits = HIST_DIGITS_DEFAULT;
	return m;
}

static void series_fini(struct series *s)
{
	if (s->has_hist)
		hist_fini(&s->hist);
	reported_fini(&s->reported);
	buckets_fini(&s->buckets);
	if (s->timeline) {
		timeline_fini(s->timeline);
		free(s->timeline);
	}
}

/* Frees what a run holds on the heap (its struct and strings live in the arena). */
static void run_release(struct run *run)
{
	for (size_t j = 0; j < run->series_count; j++) {
		series_fini(run->series[j]);
		free(run->series[j]);
	}
	free(run->series);
	free(run->index);
	free(run->sources);
	free(run->thresholds);
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->run_count; i++)
		run_release(m->runs[i]);
	free(m->runs);
	arena_free(&m->arena);
	free(m);
}

static bool utf8_ok(const char *s)
{
	if (!s)
		return true;
	size_t len = strlen(s);
	return str_utf8_valid(s, len) == len;
}

static char *utf8_copy(const char *s)
{
	struct buf b;
	buf_init(&b);
	str_utf8_clean(&b, s, strlen(s), STR_CLEAN_INVALID_HEX, SIZE_MAX);
	return buf_take(&b);
}

struct run *model_find_run(const struct model *m, const char *label)
{
	if (!utf8_ok(label)) { /* labels are kept UTF-8 like every name (model_get_run) */
		char *clean = utf8_copy(label);
		struct run *run = model_find_run(m, clean);
		free(clean);
		return run;
	}
	for (size_t i = 0; i < m->run_count; i++)
		if (strcmp(m->runs[i]->label, label) == 0)
			return m->runs[i];
	return NULL;
}

const struct run *model_baseline_run(const struct model *baseline, const struct run *candidate)
{
	if (!baseline)
		return NULL;
	const struct run *same = model_find_run(baseline, candidate->label);
	if (same)
		return same;
	/* a single run stands in for any label: one baseline file against labelled candidates */
	return baseline->run_count == 1 ? baseline->runs[0] : NULL;
}

struct run *model_get_run(struct model *m, const char *label, const char *tool)
{
	struct run *run = model_find_run(m, label);
	if (run)
		return run;
	run = arena_alloc(&m->arena, sizeof *run);
	if (utf8_ok(label)) {
		run->label = arena_strdup(&m->arena, label);
	} else {
		char *clean = utf8_copy(label);
		run->label = arena_strdup(&m->arena, clean);
		free(clean);
	}
	run->tool = arena_strdup(&m->arena, tool);
	run->concurrency = NAN;
	run->duration_s = NAN;
	m->runs = xgrow(m->runs, &m->run_cap, m->run_count + 1, sizeof *m->runs);
	m->runs[m->run_count++] = run;
	return run;
}

void model_run_add_source(struct model *m, struct run *run, const char *path)
{
	for (size_t i = 0; i < run->source_count; i++)
		if (strcmp(run->sources[i], path) == 0)
			return;
	run->sources = xgrow(run->sources, &run->source_cap, run->source_count + 1,
			     sizeof *run->sources);
	run->sources[run->source_count++] = arena_strdup(&m->arena, path);
}

/* The position of name in a table of names (the enum's value), false when absent. */
static bool name_index(const char *const *names, size_t count, const char *name, size_t *out)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(names[i], name) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

static const char *const threshold_result_names[] = {"unknown", "passed", "failed"};

const char *model_threshold_result_name(enum threshold_result r)
{
	return threshold_result_names[r];
}

bool model_threshold_result_from_name(const char *name, enum threshold_result *out)
{
	size_t i;
	if (!name_index(threshold_result_names, PG_ARRAY_LEN(threshold_result_names), name, &i))
		return false;
	*out = (enum threshold_result)i;
	return true;
}

void model_run_add_threshold(struct model *m, struct run *run, const char *metric,
			     const char *source, enum threshold_result result, bool abort_on_fail)
{
	for (size_t i = 0; i < run->threshold_count; i++) {
		struct threshold *t = &run->thresholds[i];
		if (strcmp(t->metric, metric) != 0 || strcmp(t->source, source) != 0)
			continue;
		if (result > t->result)
			t->result = result; /* unknown < passed < failed */
		t->abort_on_fail |= abort_on_fail;
		return;
	}
	run->thresholds = xgrow(run->thresholds, &run->threshold_cap, run->threshold_count + 1,
				sizeof *run->thresholds);
	run->thresholds[run->threshold_count++] = (struct threshold){
		arena_strdup(&m->arena, metric), arena_strdup(&m->arena, source), result,
		abort_on_fail};
}

enum { SUM_EXACT_BITS = 50 };
#define SUM_UNITS 1e6

/* x in micro-units, rounded half away from zero; |x| is below the exact limit. */
static int64_t to_units(double x)
{
	double y = x * SUM_UNITS;
	return (int64_t)(y < 0 ? y - 0.5 : y + 0.5);
}

double model_sum_add(double sum, double value)
{
	const double limit = (double)(INT64_C(1) << SUM_EXACT_BITS) / SUM_UNITS;
	if (fabs(sum) < limit && fabs(value) < limit) {
		/* below 2^50 units, sum * 1e6 is within 0.25 of the units it was made from */
		int64_t units = to_units(sum) + to_units(value);
		if (units > -(INT64_C(1) << SUM_EXACT_BITS) && units < (INT64_C(1) << SUM_EXACT_BITS))
			return (double)units / SUM_UNITS;
	}
	return sum + value;
}

void model_gauge_update(struct gauge *g, double value, int64_t time_us)
{
	if (!g->set) {
		*g = (struct gauge){.value = value, .min = value, .max = value, .value_us = time_us,
				    .set = true};
		return;
	}
	if (value < g->min)
		g->min = value;
	if (value > g->max)
		g->max = value;
	if (time_us >= g->value_us) {
		g->value = value;
		g->value_us = time_us;
	}
}

static int compare_tags(const void *a, const void *b)
{
	const struct tag *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

static bool same_endpoint(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* tags of the series are sorted; the probe's are sorted by the caller */
static bool same_tags(const struct series *s, const struct tag *tags, size_t count)
{
	if (s->tag_count != count)
		return false;
	for (size_t i = 0; i < count; i++)
		if (compare_tags(&s->tags[i], &tags[i]) != 0)
			return false;
	return true;
}

static struct tag *sorted_copy(const struct tag *tags, size_t count)
{
	struct tag *copy = xmalloc((count ? count : 1) * sizeof *copy);
	if (count)
		memcpy(copy, tags, count * sizeof *copy);
	qsort(copy, count, sizeof *copy, compare_tags);
	return copy;
}

/* FNV-1a over the key's strings, each with its terminating NUL (so "ab","c" != "a","bc"). */
static uint64_t hash_text(uint64_t h, const char *text)
{
	if (!text)
		return (h ^ 0xff) * UINT64_C(0x100000001b3); /* NULL endpoint: not "" */
	return str_fnv1a(h, text, strlen(text) + 1);
}

/* Hash of a series key; tags sorted by key. */
static uint64_t key_hash(const char *metric, const char *endpoint, const struct tag *tags,
			 size_t tag_count)
{
	uint64_t h = hash_text(UINT64_C(0xcbf29ce484222325), metric);
	h = hash_text(h, endpoint);
	for (size_t i = 0; i < tag_count; i++)
		h = hash_text(hash_text(h, tags[i].key), tags[i].value);
	return h;
}

static void index_insert(struct series **index, size_t size, struct series *s)
{
	size_t i = key_hash(s->metric, s->endpoint, s->tags, s->tag_count) & (size - 1);
	while (index[i])
		i = (i + 1) & (size - 1);
	index[i] = s;
}

/* Keeps the index at most half full. */
static void index_add(struct run *run, struct series *s)
{
	if ((run->series_count + 1) * 2 > run->index_size) {
		size_t size = run->index_size ? run->index_size * 2 : 64;
		struct series **index = xcalloc(size, sizeof *index);
		for (size_t i = 0; i < run->series_count; i++)
			index_insert(index, size, run->series[i]);
		free(run->index);
		run->index = index;
		run->index_size = size;
	}
	index_insert(run->index, run->index_size, s);
}

size_t model_run_drop_series(struct run *run, bool (*drop)(const struct series *s, void *ctx),
			     void *ctx)
{
	size_t kept = 0, dropped = 0;
	for (size_t i = 0; i < run->series_count; i++) {
		if (drop(run->series[i], ctx)) {
			series_fini(run->series[i]);
			free(run->series[i]);
			dropped++;
		} else {
			run->series[kept++] = run->series[i];
		}
	}
	if (dropped == 0)
		return 0;
	run->series_count = kept;
	memset(run->index, 0, run->index_size * sizeof *run->index);
	for (size_t i = 0; i < kept; i++)
		index_insert(run->index, run->index_size, run->series[i]);
	return dropped;
}

size_t model_series_bytes(const struct series *s)
{
	enum { BLOCK = 16 }; /* what malloc adds to each block it hands out (glibc: 8 to 16) */
	size_t bytes = BLOCK + s->block_bytes +
		       3 * sizeof s; /* its slots in the run's array and hash index */
	if (s->reported.point_cap)
		bytes += BLOCK + s->reported.point_cap * sizeof *s->reported.points;
	if (s->buckets.cap)
		bytes += BLOCK + s->buckets.cap * sizeof *s->buckets.at;
	if (s->has_hist && hist_heap_bytes(&s->hist))
		bytes += BLOCK + hist_heap_bytes(&s->hist);
	if (s->timeline)
		bytes += 3 * BLOCK + timeline_heap_bytes(s->timeline);
	return bytes;
}

/*
 * A series key whose names are not all UTF-8 (bytes of a legacy code page, a corrupt input),
 * with those names copied and their stray bytes made \xNN text: the model holds UTF-8 only, so
 * it sorts, writes and reads back the same (model JSON could not hold the raw bytes).
 */
struct clean_key {
	const char *metric, *endpoint;
	const struct tag *tags;
	struct tag *owned_tags; /* heap, with heap strings; NULL when the tags were valid */
	char *owned[2];         /* metric, endpoint copies; NULL when valid */
	size_t tag_count;       /* of tags, after names that became equal are made one */
	size_t owned_count;     /* strings pairs in owned_tags, to free */
};

/* False (nothing to do) when every name is UTF-8; else fills k with cleaned copies. */
static bool clean_key_init(struct clean_key *k, const char *metric, const char *endpoint,
			   const struct tag *tags, size_t tag_count)
{
	bool tags_ok = true;
	for (size_t i = 0; i < tag_count && tags_ok; i++)
		tags_ok = utf8_ok(tags[i].key) && utf8_ok(tags[i].value);
	if (utf8_ok(metric) && utf8_ok(endpoint) && tags_ok)
		return false;
	*k = (struct clean_key){.metric = metric, .endpoint = endpoint, .tags = tags,
				.tag_count = tag_count};
	if (!utf8_ok(metric))
		k->metric = k->owned[0] = utf8_copy(metric);
	if (!utf8_ok(endpoint))
		k->endpoint = k->owned[1] = utf8_copy(endpoint);
	if (!tags_ok) {
		/*
		 * A raw \xFF byte and the text \xFF are one name once cleaned: of tags whose keys
		 * became equal, the last is kept (as JSON keeps the last of a key), so a series
		 * never holds a key twice. The dropped ones move past tag_count, to be freed.
		 */
		k->owned_tags = xcalloc(tag_count, sizeof *k->owned_tags);
		for (size_t i = 0; i < tag_count; i++)
			k->owned_tags[i] = (struct tag){utf8_copy(tags[i].key),
							utf8_copy(tags[i].value)};
		k->owned_count = tag_count;
		size_t kept = 0;
		for (size_t i = 0; i < tag_count; i++) {
			bool later = false;
			for (size_t j = i + 1; j < tag_count && !later; j++)
				later = strcmp(k->owned_tags[i].key, k->owned_tags[j].key) == 0;
			if (later)
				continue;
			struct tag t = k->owned_tags[kept];
			k->owned_tags[kept++] = k->owned_tags[i];
			k->owned_tags[i] = t;
		}
		k->tag_count = kept;
		k->tags = k->owned_tags;
	}
	return true;
}

static void clean_key_fini(struct clean_key *k)
{
	free(k->owned[0]);
	free(k->owned[1]);
	for (size_t i = 0; k->owned_tags && i < k->owned_count; i++) {
		free((char *)k->owned_tags[i].key);
		free((char *)k->owned_tags[i].value);
	}
	free(k->owned_tags);
}

struct series *model_find_series(const struct run *run, const char *metric,
				 const char *endpoint, const struct tag *tags, size_t tag_count)
{
	if (!run->index_size)
		return NULL;
	struct clean_key k;
	if (clean_key_init(&k, metric, endpoint, tags, tag_count)) {
		struct series *found = model_find_series(run, k.metric, k.endpoint, k.tags, k.tag_count);
		clean_key_fini(&k);
		return found;
	}
	struct tag *sorted = sorted_copy(tags, tag_count);
	struct series *found = NULL;
	size_t i = key_hash(metric, endpoint, sorted, tag_count) & (run->index_size - 1);
	for (; run->index[i] && !found; i = (i + 1) & (run->index_size - 1)) {
		struct series *s = run->index[i];
		if (strcmp(s->metric, metric) == 0 && same_endpoint(s->endpoint, endpoint) &&
		    same_tags(s, sorted, tag_count))
			found = s;
	}
	free(sorted);
	return found;
}

enum metric_id model_metric_lookup(const char *name)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(core_metrics); i++)
		if (strcmp(core_metrics[i].name, name) == 0)
			return (enum metric_id)i;
	return METRIC_CUSTOM;
}

const char *model_metric_near_miss(const char *name)
{
	const char *known[PG_ARRAY_LEN(core_metrics) + 64];
	size_t n = 0;
	for (size_t i = 0; i < PG_ARRAY_LEN(core_metrics); i++)
		known[n++] = core_metrics[i].name;
	for (size_t i = 0; n < PG_ARRAY_LEN(known) && k6_names_builtin_name(i); i++)
		known[n++] = k6_names_builtin_name(i);
	for (size_t i = 0; i < n; i++)
		if (strcmp(known[i], name) == 0)
			return NULL;
	return str_closest(name, known, n);
}

enum series_kind model_metric_kind(enum metric_id id)
{
	return core_metrics[id].kind;
}

enum unit model_metric_unit(enum metric_id id)
{
	return core_metrics[id].unit;
}

double model_unit_scale(enum unit unit)
{
	switch (unit) {
	case UNIT_MS: return 1000;         /* µs resolution */
	case UNIT_NONE:                    /* unitless k6 Trends often lie in 0..1 */
	case UNIT_RATIO: return 1000000;
	case UNIT_PER_S:
	case UNIT_BYTES_PER_S:
	case UNIT_COUNT:
	case UNIT_BYTES: return 1;
	}
	return 1;
}

/* Highest value (histogram units) of new histograms for a unit: 1 h for ms, 2^53 otherwise. */
static int64_t unit_default_highest(enum unit unit)
{
	/* time: 1 h in µs; anything else: 2^53, where doubles still hold every integer */
	return unit == UNIT_MS ? HIST_HIGHEST_DEFAULT : INT64_C(1) << 53;
}

void model_unit_hist_layout(enum unit unit, int digits, struct hist_layout *out)
{
	hist_layout(unit_default_highest(unit), digits, out);
}

/* Copies text to *at and moves *at past its NUL. */
static const char *block_copy(char **at, const char *text)
{
	size_t n = strlen(text) + 1;
	char *copy = memcpy(*at, text, n);
	*at += n;
	return copy;
}

static struct series *add_series(struct model *m, struct run *run, const char *metric,
				 const char *endpoint, const struct tag *tags, size_t tag_count,
				 enum series_kind kind, enum precision precision, enum unit unit)
{
	/* one block: the struct, its tags, then its names (freed whole when dropped) */
	size_t names = strlen(metric) + 1 + (endpoint ? strlen(endpoint) + 1 : 0);
	for (size_t i = 0; i < tag_count; i++)
		names += strlen(tags[i].key) + strlen(tags[i].value) + 2;
	size_t block = sizeof(struct series) + tag_count * sizeof(struct tag) + names;
	struct series *s = xcalloc(1, block);
	s->block_bytes = block;
	s->tags = (struct tag *)(s + 1);
	char *at = (char *)(s->tags + tag_count);
	s->metric = block_copy(&at, metric);
	s->metric_id = model_metric_lookup(metric);
	s->endpoint = endpoint ? block_copy(&at, endpoint) : NULL;
	s->tag_count = tag_count;
	for (size_t i = 0; i < tag_count; i++) {
		s->tags[i].key = block_copy(&at, tags[i].key);
		s->tags[i].value = block_copy(&at, tags[i].value);
	}
	qsort(s->tags, tag_count, sizeof *s->tags, compare_tags);
	s->kind = kind;
	s->precision = precision;
	s->unit = unit;
	s->scale = model_unit_scale(unit);
	if (kind == SERIES_TREND && precision != PREC_QUANTILES) {
		struct hist_layout layout;
		model_unit_hist_layout(unit, m->significant_digits, &layout);
		hist_init(&s->hist, &layout);
		s->has_hist = true;
	}
	index_add(run, s);
	run->series = xgrow(run->series, &run->series_cap, run->series_count + 1,
			    sizeof *run->series);
	run->series[run->series_count++] = s;
	return s;
}

struct series *model_get_series(struct model *m, struct run *run, const char *metric,
				const char *endpoint, const struct tag *tags, size_t tag_count,
				enum series_kind kind, enum precision precision, enum unit unit,
				bool *created)
{
	struct clean_key k;
	if (clean_key_init(&k, metric, endpoint, tags, tag_count)) {
		struct series *s = model_get_series(m, run, k.metric, k.endpoint, k.tags, k.tag_count,
						    kind, precision, unit, created);
		clean_key_fini(&k);
		return s;
	}
	struct series *s = model_find_series(run, metric, endpoint, tags, tag_count);
	if (created)
		*created = !s;
	if (s)
		return s;
	return add_series(m, run, metric, endpoint, tags, tag_count, kind, precision, unit);
}

static void append_source(struct model *m, struct series *into, const char *source)
{
	if (!source)
		return;
	if (!into->source) {
		into->source = arena_strdup(&m->arena, source);
		return;
	}
	/* already listed? sources are ", "-joined */
	size_t n = strlen(source);
	for (const char *p = into->source; (p = strstr(p, source)); p += n)
		if ((p == into->source || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
			return;
	into->source = arena_printf(&m->arena, "%s, %s", into->source, source);
}

/*
 * Gauges of several inputs under one label are parallel load generators: their levels add
 * (10 VUs + 10 VUs = 20 VUs), and so do their extremes: the summed maxima bound the combined
 * peak from above, the summed minima the combined low from below.
 */
static void merge_gauges(struct gauge *into, const struct gauge *from)
{
	if (!from->set)
		return;
	if (!into->set) {
		*into = *from;
		return;
	}
	into->value += from->value;
	into->min += from->min;
	into->max += from->max;
	if (from->value_us > into->value_us)
		into->value_us = from->value_us;
}

/*
 * The statistics two series' tools reported, combined: the extremes are the extremes of both,
 * the mean is weighted by the samples n1 and n2 it was taken over, and a count adds; what
 * cannot be combined exactly (a stddev, a statistic one side lacks) is dropped. False,
 * changing nothing, when the counts are not known (NaN): a series known only by what a tool
 * reported weighs by its reported count, one with a histogram by the histogram's.
 */
static bool merge_reported_stats(struct reported *into, const struct reported *from, double n1,
				 double n2)
{
	if (isnan(n1) || isnan(n2))
		return false;
	bool mean = into->has_stat[STAT_MEAN] && from->has_stat[STAT_MEAN] && n1 + n2 > 0;
	if (mean)
		into->stats[STAT_MEAN] = (n1 * into->stats[STAT_MEAN] + n2 * from->stats[STAT_MEAN]) /
					 (n1 + n2);
	into->has_stat[STAT_MEAN] = mean;
	into->has_stat[STAT_COUNT] = into->has_stat[STAT_COUNT] && from->has_stat[STAT_COUNT];
	into->stats[STAT_COUNT] += from->stats[STAT_COUNT];
	into->has_stat[STAT_MIN] = into->has_stat[STAT_MIN] && from->has_stat[STAT_MIN];
	into->stats[STAT_MIN] = fmin(into->stats[STAT_MIN], from->stats[STAT_MIN]);
	into->has_stat[STAT_MAX] = into->has_stat[STAT_MAX] && from->has_stat[STAT_MAX];
	into->stats[STAT_MAX] = fmax(into->stats[STAT_MAX], from->stats[STAT_MAX]);
	into->has_stat[STAT_STDDEV] = false;
	return true;
}

/* A reported count, or NaN. */
static double reported_count(const struct series *s)
{
	return s->reported.has_stat[STAT_COUNT] ? s->reported.stats[STAT_COUNT] : NAN;
}

/*
 * Gauges of consecutive slices of one run: the level is the one sampled last, the extremes are
 * the extremes of all; a server gauge's time-weighted sum and weight add (its mean over the
 * whole run).
 */
static void slice_gauges(struct gauge *into, const struct gauge *from)
{
	if (!from->set)
		return;
	if (!into->set) {
		*into = *from;
		return;
	}
	if (from->value_us > into->value_us ||
	    (from->value_us == into->value_us && from->value > into->value)) {
		into->value = from->value;
		into->value_us = from->value_us;
	}
	into->min = fmin(into->min, from->min);
	into->max = fmax(into->max, from->max);
	into->sum += from->sum;
	into->weight += from->weight;
}

/*
 * Merges one series into run. Returns NULL, or why it cannot be merged (the caller reports,
 * once per run, every series that failed).
 */
static const char *copy_series(struct model *m, struct run *run, const struct series *from,
			       const char *endpoint, const struct tag *tags, size_t tag_count,
			       enum merge_mode mode)
{
	bool created;
	struct series *into = model_get_series(m, run, from->metric, endpoint, tags, tag_count,
					       from->kind, from->precision, from->unit, &created);
	if (created) {
		into->scale = from->scale;
		into->total = from->total;
		into->passes = from->passes;
		into->gauge = from->gauge;
		into->span_s = from->span_s;
		into->server = from->server;
		if (from->has_buckets) {
			buckets_merge(&into->buckets, &from->buckets);
			into->has_buckets = true;
		}
		if (from->timeline) {
			into->timeline = xcalloc(1, sizeof *into->timeline);
			timeline_init(into->timeline,
				      from->timeline->has_hist ? &from->timeline->layout : NULL);
			into->timeline->exact_sums = from->timeline->exact_sums;
			timeline_merge(into->timeline, from->timeline);
		}
		if (from->has_hist) {
			/* layouts may differ (digits of the file that made it): take the source's */
			hist_fini(&into->hist);
			hist_init(&into->hist, &from->hist.layout);
			into->has_hist = true;
			hist_merge(&into->hist, &from->hist);
		}
		for (size_t i = 0; i < from->reported.point_count; i++)
			reported_add_point(&into->reported, from->reported.points[i].q,
					   from->reported.points[i].value);
		for (int i = 0; i < STAT__COUNT; i++)
			if (from->reported.has_stat[i])
				reported_set_stat(&into->reported, (enum stat_kind)i,
						  from->reported.stats[i]);
		append_source(m, into, from->source);
		return NULL;
	}
	const char *what = NULL;
	/* the samples each side's reported mean was taken over, before the histograms merge */
	double n_into = into->has_hist ? (double)hist_count(&into->hist) : NAN;
	double n_from = from->has_hist ? (double)hist_count(&from->hist) : NAN;
	bool stats_only = false; /* two series of reported statistics alone, combined */
	if (into->kind != from->kind || into->unit != from->unit)
		what = "they differ in kind or unit";
	else if (into->has_buckets != from->has_buckets)
		what = "one is a Prometheus histogram and the other is not";
	else if (into->has_buckets)
		buckets_merge(&into->buckets, &from->buckets);
	else if (into->kind == SERIES_COUNTER) {
		into->total += from->total;
		if (from->span_s > into->span_s)
			into->span_s = from->span_s;
	} else if (into->kind == SERIES_RATE) {
		into->total += from->total;
		into->passes += from->passes;
	} else if (into->kind == SERIES_GAUGE && mode == MERGE_TIME_SLICES)
		slice_gauges(&into->gauge, &from->gauge);
	else if (into->kind == SERIES_GAUGE && (into->server || from->server))
		what = "server gauges are levels of different targets (a CPU, a pool): adding or "
		       "averaging them is for the rule to say; select one with tags";
	else if (into->kind == SERIES_GAUGE)
		merge_gauges(&into->gauge, &from->gauge);
	else if (into->precision == PREC_QUANTILES && from->precision == PREC_QUANTILES &&
		 into->reported.point_count == 0 && from->reported.point_count == 0 &&
		 merge_reported_stats(&into->reported, &from->reported, reported_count(into),
				      reported_count(from)))
		stats_only = true;
	else if (into->precision == PREC_QUANTILES || from->precision == PREC_QUANTILES)
		what = "a series known only by reported percentiles cannot be combined with "
		       "another (percentiles must not be averaged)";
	else if (into->scale != from->scale || !hist_merge(&into->hist, &from->hist))
		what = "their histograms have different layouts";
	if (what)
		return what;
	/*
	 * Percentiles a tool printed describe one input, not the merged histogram; its count,
	 * extremes and mean combine exactly (merge_reported_stats), the rest is dropped.
	 */
	if (into->kind == SERIES_TREND && !stats_only) {
		if (!merge_reported_stats(&into->reported, &from->reported, n_into, n_from))
			for (int i = 0; i < STAT__COUNT; i++)
				into->reported.has_stat[i] = false;
		into->reported.point_count = 0;
	}
	if (into->precision == PREC_EXACT && from->precision == PREC_BUCKETED)
		into->precision = PREC_BUCKETED;
	if (from->timeline) {
		if (!into->timeline) {
			into->timeline = xcalloc(1, sizeof *into->timeline);
			timeline_init(into->timeline, NULL);
			into->timeline->exact_sums = from->timeline->exact_sums;
		}
		timeline_merge(into->timeline, from->timeline);
	}
	append_source(m, into, from->source);
	return NULL;
}

const char *model_merge_series(struct model *m, struct run *run, const struct series *from,
			       const char *endpoint, const struct tag *tags, size_t tag_count)
{
	return copy_series(m, run, from, endpoint, tags, tag_count, MERGE_PARALLEL);
}

/* One diagnostic for all the series of a run that could not be merged. */
static void report_conflicts(struct diag *d, const struct run *src, const struct run *dst,
			     const struct buf *names, const char *why)
{
	struct diag_loc loc = source_file_loc(src->source_count ? src->sources[0] : NULL);
	diag_report(d, DIAG_MERGE_CONFLICT, &loc,
		    "cannot merge %s of run '%s' into the run of that label from %s: %s",
		    names->data, dst->label, dst->source_count ? dst->sources[0] : "an earlier input",
		    why);
	diag_report(d, DIAG_NOTE, NULL,
		    "give each input its own label with LABEL=PATH to keep them apart");
}

void model_warn_load_differs(const struct model *base, const struct model *cand,
			     struct diag *d)
{
	if (!base || !cand)
		return;
	for (size_t i = 0; i < cand->run_count; i++) {
		const struct run *c = cand->runs[i], *paired = model_baseline_run(base, c);
		for (size_t k = 0; k < base->run_count; k++) {
			const struct run *b = paired ? paired : base->runs[k];
			if (!isnan(b->concurrency) && !isnan(c->concurrency) &&
			    b->concurrency != c->concurrency) {
				char x[32], y[32];
				str_format_double(x, b->concurrency);
				str_format_double(y, c->concurrency);
				diag_report(d, DIAG_LOAD_DIFFERS, NULL,
					    "the baseline '%s' ran at %s %s and '%s' at %s %s: a change "
					    "is partly the load's, not the code's",
					    b->label, x, b->concurrency_unit ? b->concurrency_unit : "",
					    c->label, y, c->concurrency_unit ? c->concurrency_unit : "");
				return;
			}
			if (paired)
				break;
		}
	}
}

bool model_merge(struct model *into, struct model *from, struct diag *d)
{
	return model_merge_mode(into, from, MERGE_PARALLEL, d);
}

bool model_merge_mode(struct model *into, struct model *from, enum merge_mode mode,
		      struct diag *d)
{
	bool ok = true;
	size_t kept = 0;
	for (size_t i = 0; i < from->run_count; i++) {
		struct run *src = from->runs[i];
		if (!model_find_run(into, src->label)) {
			/* a new label: the run moves over whole, nothing is copied */
			into->runs = xgrow(into->runs, &into->run_cap, into->run_count + 1,
					   sizeof *into->runs);
			into->runs[into->run_count++] = src;
			continue;
		}
		from->runs[kept++] = src;
		struct run *dst = model_find_run(into, src->label);
		for (size_t j = 0; j < src->source_count; j++)
			model_run_add_source(into, dst, src->sources[j]);
		for (size_t j = 0; j < src->threshold_count; j++)
			model_run_add_threshold(into, dst, src->thresholds[j].metric,
						src->thresholds[j].source, src->thresholds[j].result,
						src->thresholds[j].abort_on_fail);
		if (!isnan(src->concurrency) && isnan(dst->concurrency))
			dst->concurrency = src->concurrency;
		else if (!isnan(src->concurrency) && mode == MERGE_TIME_SLICES)
			dst->concurrency = fmax(dst->concurrency, src->concurrency);
		else if (!isnan(src->concurrency))
			dst->concurrency += src->concurrency;
		if (!dst->tool_version && src->tool_version)
			dst->tool_version = arena_strdup(&into->arena, src->tool_version);
		if (!dst->concurrency_unit && src->concurrency_unit)
			dst->concurrency_unit = arena_strdup(&into->arena, src->concurrency_unit);
		dst->open_model = dst->open_model || src->open_model;
		if (src->has_start && (!dst->has_start || src->start_us < dst->start_us))
			dst->start_us = src->start_us, dst->has_start = true;
		if (src->has_end && (!dst->has_end || src->end_us > dst->end_us))
			dst->end_us = src->end_us, dst->has_end = true;
		if (dst->has_start && dst->has_end)
			dst->duration_s = (double)(dst->end_us - dst->start_us) / 1e6;
		else if (!isnan(src->duration_s) &&
			 (isnan(dst->duration_s) || src->duration_s > dst->duration_s))
			dst->duration_s = src->duration_s;
		struct buf names;
		buf_init(&names);
		const char *why = NULL;
		size_t conflicts = 0;
		for (size_t j = 0; j < src->series_count; j++) {
			const struct series *s = src->series[j];
			const char *what = copy_series(into, dst, s, s->endpoint, s->tags,
							 s->tag_count, mode);
			if (!what)
				continue;
			why = why ? why : what;
			buf_printf(&names, "%s'%s%s%s'", conflicts ? ", " : "", s->metric,
				   s->endpoint ? " " : "", s->endpoint ? s->endpoint : "");
			conflicts++;
		}
		if (conflicts) {
			struct buf label;
			buf_init(&label);
			buf_printf(&label, "series %s", names.data);
			report_conflicts(d, src, dst, &label, why);
			buf_fini(&label);
			ok = false;
		}
		buf_fini(&names);
	}
	/*
	 * from is left empty: the runs merged by copy are released here, and its arena (which
	 * holds the moved runs) goes to into, so the two models never depend on each other.
	 */
	for (size_t i = 0; i < kept; i++)
		run_release(from->runs[i]);
	from->run_count = 0;
	arena_adopt(&into->arena, &from->arena);
	return ok;
}

int model_compare_endpoints(const char *a, const char *b)
{
	if (!a != !b)
		return a ? 1 : -1;
	return a ? strcmp(a, b) : 0;
}

static int compare_series(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	if (x->metric_id != y->metric_id)
		return x->metric_id < y->metric_id ? -1 : 1;
	int c = strcmp(x->metric, y->metric);
	if (c)
		return c;
	if ((c = model_compare_endpoints(x->endpoint, y->endpoint)))
		return c;
	for (size_t i = 0; i < x->tag_count && i < y->tag_count; i++)
		if ((c = compare_tags(&x->tags[i], &y->tags[i])))
			return c;
	return x->tag_count < y->tag_count ? -1 : x->tag_count > y->tag_count;
}

void model_sort(struct model *m)
{
	for (size_t i = 0; i < m->run_count; i++)
		if (m->runs[i]->series_count > 1) /* a run without series has no array */
			qsort(m->runs[i]->series, m->runs[i]->series_count,
			      sizeof(struct series *), compare_series);
}

double model_quantile_of_percent(double percent)
{
	char text[40];
	int n = str_format_double(text, percent);
	snprintf(text + n, sizeof text - (size_t)n, "e-2");
	return strtod(text, NULL);
}

struct value model_series_stat(const struct series *s, enum stat_kind stat)
{
	struct value v = {0, VALUE_MISSING};
	if (s->kind == SERIES_COUNTER) {
		if (stat == STAT_COUNT)
			v = (struct value){s->total, VALUE_EXACT};
		return v;
	}
	if (s->has_buckets) {
		/* a Prometheus histogram keeps a count and a sum, no extremes */
		double count = buckets_total(&s->buckets);
		if (stat == STAT_COUNT && !isnan(count))
			v = (struct value){count, VALUE_EXACT};
		else if (stat == STAT_MEAN && s->buckets.has_sum && count > 0)
			v = (struct value){s->buckets.sum / count * buckets_factor(&s->buckets),
					   VALUE_EXACT};
		return v;
	}
	/*
	 * A histogram rebuilt from a tool's buckets (wrk2's percentile spectrum) places each
	 * sample at its bucket's edge, so its mean and stddev are off by up to a bucket width; the
	 * statistics the tool computed from its own data win when it printed them.
	 */
	if (s->has_hist && s->precision == PREC_BUCKETED && s->reported.has_stat[stat])
		return (struct value){s->reported.stats[stat], VALUE_REPORTED};
	if (s->has_hist) {
		const struct hist *h = &s->hist;
		if (hist_count(h) == 0)
			return stat == STAT_COUNT ? (struct value){0, VALUE_EXACT} : v;
		switch (stat) {
		case STAT_COUNT: v.number = (double)hist_count(h); break;
		case STAT_MIN: v.number = (double)hist_min(h) / s->scale; break;
		case STAT_MEAN: v.number = hist_mean(h) / s->scale; break;
		case STAT_MAX: v.number = (double)hist_max(h) / s->scale; break;
		case STAT_STDDEV: v.number = hist_stddev(h) / s->scale; break;
		case STAT__COUNT: return v;
		}
		v.kind = VALUE_EXACT;
		return v;
	}
	if (s->reported.has_stat[stat]) {
		v.number = s->reported.stats[stat];
		v.kind = VALUE_REPORTED;
	}
	return v;
}

/*
 * The histogram whose value at q is s's value at q as it stands (divided by s->scale): a server
 * gauge's samples over time (quantile_over_time), or a trend's exact histogram. NULL for the
 * rest, whose values come from buckets or from what the tool reported.
 */
static const struct hist *plain_hist(const struct series *s)
{
	bool plain = s->has_hist && hist_count(&s->hist) > 0 &&
		     (s->kind == SERIES_GAUGE ||
		      (s->kind == SERIES_TREND && !s->has_buckets && s->precision != PREC_BUCKETED));
	return plain ? &s->hist : NULL;
}

struct value model_series_value_at(const struct series *s, double q)
{
	const struct hist *h = plain_hist(s);
	if (h)
		return (struct value){(double)hist_value_at(h, q) / s->scale, VALUE_EXACT};
	if (s->kind != SERIES_TREND)
		return (struct value){0, VALUE_MISSING};
	if (s->has_buckets) {
		double v = buckets_quantile(&s->buckets, q);
		return isfinite(v) ? (struct value){v, VALUE_EXACT} : (struct value){0, VALUE_MISSING};
	}
	if (s->has_hist) {
		if (hist_count(&s->hist) == 0)
			return (struct value){0, VALUE_MISSING};
		/* a percentile the tool computed from these buckets itself (Locust JSON) wins */
		struct value v = reported_point_at(&s->reported, q);
		if (v.kind != VALUE_MISSING)
			return v;
		return (struct value){(double)hist_value_at(&s->hist, q) / s->scale, VALUE_EXACT};
	}
	return reported_value_at(&s->reported, q);
}

void model_series_values_at(const struct series *s, const double *qs, size_t n,
			    struct value *out)
{
	const struct hist *h = plain_hist(s);
	if (!h) {
		for (size_t i = 0; i < n; i++)
			out[i] = model_series_value_at(s, qs[i]);
		return;
	}
	int64_t values[256]; /* one walk of the buckets per 256 quantiles */
	for (size_t from = 0; from < n; from += PG_ARRAY_LEN(values)) {
		size_t count = n - from < PG_ARRAY_LEN(values) ? n - from : PG_ARRAY_LEN(values);
		hist_values_at(h, qs + from, count, values);
		for (size_t i = 0; i < count; i++)
			out[from + i] = (struct value){(double)values[i] / s->scale, VALUE_EXACT};
	}
}

struct request_totals model_totals_of(const struct series *requests,
				      const struct series *errors, const struct series *unanswered,
				      const struct series *rps, double duration_s)
{
	static const struct value missing = {0, VALUE_MISSING};
	struct request_totals t = {missing, missing, missing, missing};
	if (requests)
		t.requests = (struct value){requests->total, VALUE_EXACT};
	if (errors)
		t.errors = (struct value){errors->total, VALUE_EXACT};
	if (rps)
		t.rps = model_series_stat(rps, STAT_MEAN);
	if (t.rps.kind == VALUE_MISSING && requests && duration_s > 0)
		t.rps = (struct value){requests->total / duration_s, VALUE_EXACT};
	double attempts = (requests ? requests->total : 0) + (unanswered ? unanswered->total : 0);
	if (requests && errors && attempts > 0)
		t.error_rate = (struct value){errors->total / attempts, VALUE_EXACT};
	return t;
}

const struct series *model_run_counter(const struct run *run, enum metric_id metric)
{
	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *s = run->series[i];
		if (s->metric_id == metric && s->kind == SERIES_COUNTER && !s->endpoint &&
		    s->tag_count == 0)
			return s;
	}
	return NULL;
}

bool model_run_in_window(const struct run *run, const struct timeline *t, size_t i)
{
	if (!run->has_window || !run->has_start)
		return true;
	double from = (double)(timeline_start_us(t, i) - run->start_us) / 1e6;
	double to = from + (double)t->width_us / 1e6;
	/* the interval overlaps the window (whose bounds lie on interval boundaries or on
	 * the run's own start and end) */
	return to > run->window_from_s + 1e-6 &&
	       (!isfinite(run->window_to_s) || from < run->window_to_s - 1e-6);
}

double model_run_interval_s(const struct run *run, const struct timeline *t, size_t i)
{
	int64_t from = timeline_start_us(t, i), to = from + t->width_us;
	if (run->has_start && run->start_us > from && run->start_us < to)
		from = run->start_us;
	if (run->has_end && run->end_us > from && run->end_us < to)
		to = run->end_us;
	return (double)(to - from) / 1e6;
}

struct request_totals model_run_totals_at(const struct run *run, const char *endpoint)
{
	const struct series *found[4] = {NULL, NULL, NULL, NULL};
	static const char *const names[4] = {"requests", "errors", "unanswered", "rps"};
	for (size_t i = 0; i < 4; i++) {
		const struct series *s = model_find_series(run, names[i], endpoint, NULL, 0);
		if (s && s->kind == (i == 3 ? SERIES_TREND : SERIES_COUNTER))
			found[i] = s;
	}
	return model_totals_of(found[0], found[1], found[2], found[3], run->duration_s);
}

const char *model_stat_name(enum stat_kind stat)
{
	return stat_names[stat];
}

const char *model_unit_name(enum unit unit)
{
	return unit_names[unit];
}

const char *model_precision_name(enum precision p)
{
	return precision_names[p];
}

const char *model_kind_name(enum series_kind kind)
{
	return kind_names[kind];
}

bool model_kind_from_name(const char *name, enum series_kind *out)
{
	size_t i;
	if (!name_index(kind_names, PG_ARRAY_LEN(kind_names), name, &i))
		return false;
	*out = (enum series_kind)i;
	return true;
}

bool model_precision_from_name(const char *name, enum precision *out)
{
	size_t i;
	if (!name_index(precision_names, PG_ARRAY_LEN(precision_names), name, &i))
		return false;
	*out = (enum precision)i;
	return true;
}

/* Unit names for model JSON: "" is ambiguous between count and none, so JSON uses these. */
static const char *const unit_json_names[] = {"ms", "req/s", "B/s", "count", "B", "none",
						   "ratio"};

bool model_unit_from_name(const char *name, enum unit *out)
{
	size_t i;
	if (!name_index(unit_json_names, PG_ARRAY_LEN(unit_json_names), name, &i))
		return false;
	*out = (enum unit)i;
	return true;
}

const char *model_unit_json_name(enum unit unit)
{
	return unit_json_names[unit];
}
