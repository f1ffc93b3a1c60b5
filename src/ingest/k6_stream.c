/*
 * k6_stream.c - the sink of k6 raw samples (k6.h): leaves, roll-ups, timelines.
 *
 * Hot path (one call per sample line): k6_stream_find hashes the metric name and the tag text
 * as the tool wrote it and compares bytes with the cached leaf; k6_stream_record then adds the
 * value to at most three series (the leaf, its endpoint total, the run total) through pointers
 * the leaf holds. Only a new tag text takes the slow path (k6_stream_add): tags parsed,
 * endpoint named, series found or created through the run's series index.
 *
 * Memory: the per-endpoint series (their histograms, timelines and structs) and the leaves are
 * weighed now and then (check_memory says when: before the headroom can be used up) against
 * the builder's endpoint_memory (--endpoint-memory); past it, fold_endpoints merges the
 * endpoints with the fewest requests into OTHER_ENDPOINTS, exactly (model_merge_series), until
 * the data is down to half the limit, and from then on their samples, and those of endpoints
 * first seen after a fold, go there. The weighing happens on the calling thread at fixed sample
 * counts, so the outputs are the same for any --jobs.
 *
 * The leaf cache holds at most CACHE_MAX entries and is emptied when full (the series
 * stay; they are found again through the index), so unique tag texts (ids in URLs) cost series,
 * which --group folds, not an ever-growing cache. Its bucket array starts small and doubles
 * with the leaves (up to 2 * CACHE_MAX), and every leaf is also on one list, so a small input
 * never allocates, zeroes or walks 131,072 buckets (the fuzzers read thousands of those).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/io.h"
#include "../util/lines.h"
#include "k6.h"

enum {
	CACHE_MAX = 1 << 16,
	MANY_ENDPOINTS = 500,
	MAX_TARGETS = 3,
	BUCKETS_MIN = 256,
	CHECK_EVERY = 1 << 14, /* samples or new series between two weighings, at least */
	SAMPLE_BYTES = 128,    /* what one sample can add to the per-endpoint data, at most */
};

/* The endpoint that folded endpoints become (DIAG_ENDPOINTS_FOLDED). */
static const char OTHER_ENDPOINTS[] = "(other endpoints)";

struct k6_leaf {
	struct k6_leaf *next;          /* hash chain */
	struct k6_leaf *all;           /* every leaf, newest first (clearing, rehashing) */
	uint64_t hash;
	char *key;                     /* metric bytes then tag bytes; owned */
	size_t metric_len, key_len;
	struct series *targets[MAX_TARGETS]; /* leaf, endpoint total, run total (distinct) */
	int target_count;
	/*
	 * Trend samples of this leaf, recorded once and merged into every target when the leaf
	 * is flushed (flush_leaf), instead of three histogram records per sample; has_own only
	 * when the targets share a layout and scale (builder_same_trends).
	 */
	struct hist own;
	bool has_own;
};

struct declared {
	char *name;
	enum k6_type type;
	enum k6_contains contains;
	bool guessed_reported;
};

struct k6_stream {
	struct builder *b;
	struct run *run;
	struct k6_leaf **buckets;      /* bucket_count buckets, a power of two */
	size_t bucket_count;           /* BUCKETS_MIN .. 2 * CACHE_MAX: twice the leaves at most */
	struct k6_leaf *leaves;        /* every leaf, through leaf->all */
	size_t leaf_count;
	struct declared *metrics;
	size_t metric_count, metric_cap;
	uint64_t samples;
	int64_t first_us, last_us;
	size_t endpoints;              /* distinct endpoints of latency */
	bool many_reported;
	/* --endpoint-memory (see the top of the file) */
	size_t limit;                  /* bytes; SIZE_MAX: none */
	uint64_t next_check;           /* st->samples at which to weigh next */
	size_t next_series;            /* or the run's series count at which to */
	const char **folded;           /* open-addressing set of folded endpoint names (arena
					  strings); NULL until the first fold */
	size_t folded_size;            /* slots, a power of two */
	size_t folded_count;           /* names in the set */
	uint64_t first_fold;           /* samples read when the limit was first passed */
	struct buf scratch;            /* a new leaf's endpoint name (k6_split_tags) */
	size_t folds;                  /* times the limit was passed */
	uint64_t late;                 /* leaves of endpoints first seen after a fold */
};

static uint64_t mix(uint64_t h, uint64_t word)
{
	h ^= word;
	h *= UINT64_C(0x9E3779B97F4A7C15);
	return h ^ (h >> 29);
}

/*
 * Four independent lanes over 32-byte stripes, then one over what is left: a tag set is a
 * couple of hundred bytes, and one chain of multiplies would wait on each in turn. In a lane a
 * word only goes in through xor and a multiply (a bijection of the word); the lanes are mixed
 * fully when they are joined.
 */
static uint64_t hash_bytes(uint64_t h, const char *p, size_t len)
{
	size_t i = 0;
	if (len >= 32) {
		uint64_t lane[4] = {h, h ^ UINT64_C(0x13198A2E03707344),
				    h ^ UINT64_C(0xA4093822299F31D0), h ^ UINT64_C(0x082EFA98EC4E6C89)};
		for (; i + 32 <= len; i += 32) {
			uint64_t w[4];
			memcpy(w, p + i, 32);
			for (int k = 0; k < 4; k++)
				lane[k] = (lane[k] ^ w[k]) * UINT64_C(0x9E3779B97F4A7C15);
		}
		h = mix(mix(mix(lane[0], lane[1]), lane[2]), lane[3]);
	}
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = mix(h, w);
	}
	uint64_t tail = 0;
	memcpy(&tail, p + i, len - i);
	return mix(h, tail ^ ((uint64_t)len << 56));
}

/* The hash of a key (the tags as written) alone; k6_stream_hash joins it to the metric's. */
static uint64_t key_hash(const char *key, size_t key_len)
{
	return hash_bytes(UINT64_C(0x243F6A8885A308D3), key, key_len);
}

static uint64_t join_hash(const char *metric, size_t metric_len, uint64_t key)
{
	return mix(hash_bytes(UINT64_C(0xBE5466CF34E90C6C), metric, metric_len), key);
}

uint64_t k6_stream_hash(const char *metric, size_t metric_len, const char *key, size_t key_len)
{
	return join_hash(metric, metric_len, key_hash(key, key_len));
}

uint64_t k6_stream_hash_cached(struct k6_key_cache *c, const char *metric, size_t metric_len,
			       const char *key, size_t key_len)
{
	if (key_len > sizeof c->key)
		return k6_stream_hash(metric, metric_len, key, key_len);
	if (!c->set || c->len != key_len || memcmp(c->key, key, key_len) != 0) {
		c->hash = key_hash(key, key_len);
		memcpy(c->key, key, key_len);
		c->len = key_len;
		c->set = true;
	}
	return join_hash(metric, metric_len, c->hash);
}

struct k6_stream *k6_stream_new(struct builder *b, struct run *run)
{
	struct k6_stream *st = xcalloc(1, sizeof *st);
	st->b = b;
	st->run = run;
	st->bucket_count = BUCKETS_MIN;
	st->buckets = xcalloc(st->bucket_count, sizeof *st->buckets);
	st->first_us = INT64_MAX;
	st->last_us = INT64_MIN;
	buf_init(&st->scratch);
	st->limit = b->endpoint_memory;
	st->next_check = st->limit == SIZE_MAX ? UINT64_MAX : CHECK_EVERY;
	st->next_series = st->limit == SIZE_MAX ? SIZE_MAX : CHECK_EVERY;
	return st;
}

static struct declared *find_declared(struct k6_stream *st, const char *name, size_t len)
{
	for (size_t i = 0; i < st->metric_count; i++)
		if (strlen(st->metrics[i].name) == len && memcmp(st->metrics[i].name, name, len) == 0)
			return &st->metrics[i];
	return NULL;
}

void k6_stream_declare(struct k6_stream *st, const char *name, size_t len, enum k6_type type,
		       enum k6_contains contains)
{
	struct declared *d = find_declared(st, name, len);
	if (!d) {
		st->metrics = xgrow(st->metrics, &st->metric_cap, st->metric_count + 1,
				    sizeof *st->metrics);
		d = &st->metrics[st->metric_count++];
		d->name = xstrndup(name, len);
		d->guessed_reported = false;
	}
	d->type = type;
	d->contains = contains;
}

struct k6_leaf *k6_stream_find(struct k6_stream *st, uint64_t hash, const char *metric,
			       size_t metric_len, const char *key, size_t key_len)
{
	for (struct k6_leaf *l = st->buckets[hash & (st->bucket_count - 1)]; l; l = l->next)
		if (l->hash == hash && l->metric_len == metric_len && l->key_len == key_len &&
		    memcmp(l->key, metric, metric_len) == 0 &&
		    memcmp(l->key + metric_len, key, key_len) == 0)
			return l;
	return NULL;
}

/* Merges a leaf's own histogram into its targets and empties it. */
static void flush_leaf(struct k6_leaf *l)
{
	if (!l->has_own || l->own.total_count == 0)
		return;
	for (int i = 0; i < l->target_count; i++)
		hist_merge(&l->targets[i]->hist, &l->own); /* same layout: builder_same_trends */
	struct hist_layout layout = l->own.layout;
	hist_fini(&l->own);
	hist_init(&l->own, &layout);
}

static void clear_cache(struct k6_stream *st)
{
	for (struct k6_leaf *l = st->leaves, *next; l; l = next) {
		next = l->all;
		flush_leaf(l);
		hist_fini(&l->own);
		st->buckets[l->hash & (st->bucket_count - 1)] = NULL;
		free(l->key);
		free(l);
	}
	st->leaves = NULL;
	st->leaf_count = 0;
}

/* Doubles the bucket array and rehashes every leaf into it. */
static void grow_buckets(struct k6_stream *st)
{
	size_t count = st->bucket_count * 2;
	struct k6_leaf **buckets = xcalloc(count, sizeof *buckets);
	for (struct k6_leaf *l = st->leaves; l; l = l->all) {
		size_t b = l->hash & (count - 1);
		l->next = buckets[b];
		buckets[b] = l;
	}
	free(st->buckets);
	st->buckets = buckets;
	st->bucket_count = count;
}

/* ---- --endpoint-memory ---- */

static uint64_t name_hash(const char *name)
{
	return hash_bytes(UINT64_C(0x452821E638D01377), name, strlen(name));
}

/* The slot of name in the folded set: where it is, or the empty slot where it would go. */
static size_t folded_slot(const struct k6_stream *st, const char *name)
{
	size_t mask = st->folded_size - 1;
	size_t i = name_hash(name) & mask;
	while (st->folded[i] && strcmp(st->folded[i], name) != 0)
		i = (i + 1) & mask;
	return i;
}

static bool is_folded(const struct k6_stream *st, const char *name)
{
	return st->folded_count && st->folded[folded_slot(st, name)];
}

/* Adds name (a string that lives as long as the model) to the folded set. */
static void add_folded(struct k6_stream *st, const char *name)
{
	if ((st->folded_count + 1) * 2 > st->folded_size) {
		const char **old = st->folded;
		size_t old_size = st->folded_size;
		st->folded_size = old_size ? old_size * 2 : 256;
		st->folded = xcalloc(st->folded_size, sizeof *st->folded);
		for (size_t i = 0; i < old_size; i++)
			if (old[i])
				st->folded[folded_slot(st, old[i])] = old[i];
		free(old);
	}
	size_t slot = folded_slot(st, name);
	if (!st->folded[slot]) {
		st->folded[slot] = name;
		st->folded_count++;
	}
}

/* Bytes held by the per-endpoint series and by the leaf cache. */
static size_t endpoint_bytes(const struct k6_stream *st)
{
	size_t bytes = 0;
	for (size_t i = 0; i < st->run->series_count; i++)
		if (st->run->series[i]->endpoint)
			bytes += model_series_bytes(st->run->series[i]);
	for (const struct k6_leaf *l = st->leaves; l; l = l->all) {
		/*
		 * its histogram, as it will be in each endpoint series it merges into when the
		 * stream ends (and is then freed): where those series' samples really are
		 */
		size_t own = hist_heap_bytes(&l->own), copies = 0;
		for (int i = 0; i < l->target_count; i++)
			copies += l->targets[i]->endpoint != NULL;
		if (copies == 0)
			copies = 1;
		bytes += sizeof *l + l->metric_len + l->key_len + 1 + own * copies +
			 3 * 16; /* malloc: the leaf, its key, its store */
	}
	return bytes;
}

/* The series of one endpoint, and how much it weighs. */
struct endpoint_group {
	const char *name;
	size_t first, count;  /* its series: [first, first + count) of the sorted array */
	double requests;      /* its `requests` total, else its latency samples */
	size_t bytes;
};

static int by_endpoint(const void *a, const void *b)
{
	const struct series *x = *(const struct series *const *)a;
	const struct series *y = *(const struct series *const *)b;
	int c = strcmp(x->endpoint, y->endpoint);
	return c ? c : (x < y ? -1 : x > y);
}

static int by_requests(const void *a, const void *b)
{
	const struct endpoint_group *x = a, *y = b;
	if (x->requests != y->requests)
		return x->requests < y->requests ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const struct series *const *)a;
	uintptr_t y = (uintptr_t) * (const struct series *const *)b;
	return x < y ? -1 : x > y;
}

struct drop_set {
	const struct series **at; /* sorted by address */
	size_t count;
};

static bool in_drop_set(const struct series *s, void *ctx)
{
	const struct drop_set *set = ctx;
	return bsearch(&s, set->at, set->count, sizeof *set->at, by_address) != NULL;
}

/*
 * Folds the endpoints with the fewest requests (ties: by name) into OTHER_ENDPOINTS until the
 * per-endpoint data weighs at most half the limit, or nothing is left to fold. The leaf cache
 * is emptied first (its histograms merged into their series), so no leaf points at a series
 * that goes; the lines after it find their series again through k6_stream_add.
 */
static void fold_endpoints(struct k6_stream *st)
{
	struct run *run = st->run;
	clear_cache(st);
	size_t n = 0;
	const struct series **ss = xmalloc((run->series_count ? run->series_count : 1) * sizeof *ss);
	for (size_t i = 0; i < run->series_count; i++)
		if (run->series[i]->endpoint && strcmp(run->series[i]->endpoint, OTHER_ENDPOINTS) != 0)
			ss[n++] = run->series[i];
	qsort(ss, n, sizeof *ss, by_endpoint);
	struct endpoint_group *g = xmalloc((n ? n : 1) * sizeof *g);
	size_t groups = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(ss[i]->endpoint, ss[i - 1]->endpoint) != 0)
			g[groups++] = (struct endpoint_group){ss[i]->endpoint, i, 0, 0, 0};
		struct endpoint_group *e = &g[groups - 1];
		const struct series *s = ss[i];
		e->count++;
		e->bytes += model_series_bytes(s);
		if (s->tag_count == 0 && s->metric_id == METRIC_REQUESTS)
			e->requests = s->total;
		else if (s->tag_count == 0 && s->metric_id == METRIC_LATENCY && e->requests == 0)
			e->requests = (double)hist_count(&s->hist);
	}
	/* the endpoints a budget rule names are never folded: they go to the end, untouched */
	size_t foldable = 0;
	for (size_t k = 0; k < groups; k++)
		if (!st->b->keep_endpoint || !st->b->keep_endpoint(g[k].name, st->b->keep_ctx))
			g[foldable++] = g[k];
	groups = foldable;
	qsort(g, groups, sizeof *g, by_requests);
	size_t bytes = endpoint_bytes(st); /* the cache is gone */
	size_t target = st->limit / 2, folded = 0, dropping = 0;
	for (; folded < groups && bytes > target; folded++) {
		bytes -= g[folded].bytes < bytes ? g[folded].bytes : bytes;
		dropping += g[folded].count;
	}
	struct drop_set drop = {xmalloc((dropping ? dropping : 1) * sizeof *drop.at), 0};
	for (size_t k = 0; k < folded; k++) {
		for (size_t i = g[k].first; i < g[k].first + g[k].count; i++) {
			/* same kind, unit and layout as the other endpoints' series: cannot fail */
			const char *why = model_merge_series(st->b->model, run, ss[i], OTHER_ENDPOINTS,
							     ss[i]->tags, ss[i]->tag_count);
			(void)why;
			drop.at[drop.count++] = ss[i];
		}
		add_folded(st, arena_strdup(&st->b->model->arena, g[k].name)); /* the series go */
	}
	qsort(drop.at, drop.count, sizeof *drop.at, by_address);
	model_run_drop_series(run, in_drop_set, &drop);
	free(drop.at);
	free(g);
	free(ss);
	if (!st->folds++)
		st->first_fold = st->samples;
}

/* Weighs the per-endpoint data (see the top of the file) and folds past the limit. */
static void check_memory(struct k6_stream *st)
{
	size_t bytes = endpoint_bytes(st);
	if (bytes > st->limit) {
		fold_endpoints(st);
		bytes = endpoint_bytes(st);
	}
	/*
	 * When to weigh again: before the headroom can be used up, a sample adding at most
	 * SAMPLE_BYTES (a histogram word in the leaf and the series it merges into, a timeline
	 * interval); but a weighing visits every series and leaf, so never sooner than a quarter
	 * of a sample per series and leaf (those cost hundreds of bytes each: the limit is then
	 * overshot by a few per cent at most); or once the series are an eighth more.
	 */
	size_t n = st->run->series_count, headroom = bytes < st->limit ? st->limit - bytes : 0;
	size_t every = headroom / SAMPLE_BYTES, least = (n + st->leaf_count) / 4, more = n / 8;
	if (every < least)
		every = least;
	st->next_check = st->samples + (every > CHECK_EVERY ? every : CHECK_EVERY);
	st->next_series = n + (more > CHECK_EVERY ? more : CHECK_EVERY);
}

/*
 * The endpoint a new leaf's samples go to: OTHER_ENDPOINTS when the endpoint was folded, or is
 * new (no series of it yet) after a fold; else the endpoint itself.
 */
static const char *endpoint_of(struct k6_stream *st, const char *endpoint, const char *metric)
{
	if (!endpoint || !st->folds)
		return endpoint;
	if (is_folded(st, endpoint))
		return OTHER_ENDPOINTS;
	if (model_find_series(st->run, "requests", endpoint, NULL, 0) ||
	    model_find_series(st->run, "latency", endpoint, NULL, 0) ||
	    model_find_series(st->run, metric, endpoint, NULL, 0))
		return endpoint;
	st->late++; /* not kept in the set: unique URLs would make it grow with the input */
	return OTHER_ENDPOINTS;
}

/* Finds or creates the series (metric, endpoint, tags) of the stream's run. */
static struct series *get_series(struct k6_stream *st, const struct k6_map *map,
				 const char *endpoint, const struct tag *tags, size_t n,
				 bool *created)
{
	return builder_series_created(st->b, st->run, map->metric, endpoint, tags, n, map->kind,
				      PREC_EXACT, map->unit, created);
}

struct k6_leaf *k6_stream_add(struct k6_stream *st, uint64_t hash, const char *metric,
			      size_t metric_len, const char *key, size_t key_len,
			      const struct tag *tags, size_t tag_count, bool guess,
			      const char **why)
{
	for (size_t i = 0; i < metric_len; i++) {
		if ((unsigned char)metric[i] < 0x20) {
			*why = "has a control character in its name";
			return NULL;
		}
	}
	struct declared *d = find_declared(st, metric, metric_len);
	enum k6_type type;
	enum k6_contains contains;
	if (d) {
		type = d->type, contains = d->contains;
	} else if (!k6_names_builtin(metric, metric_len, &type, &contains)) {
		if (!guess) {
			*why = "has no Metric line to say its type";
			return NULL;
		}
		k6_stream_declare(st, metric, metric_len, K6_TREND, K6_DEFAULT);
		d = find_declared(st, metric, metric_len);
		struct diag_loc loc = source_file_loc(st->b->path);
		diag_report(st->b->diag, DIAG_METRIC_TYPE_GUESSED, &loc,
			    "k6 does not write the type of custom metric '%s' here; its samples are "
			    "read as a unitless trend", d->name);
		type = K6_TREND, contains = K6_DEFAULT;
	}
	char *name = xstrndup(metric, metric_len);
	struct k6_map map = k6_map_metric(st->b, name, type, contains);

	struct tag *kept = xmalloc((tag_count ? tag_count : 1) * sizeof *kept);
	const char *endpoint;
	size_t n = k6_split_tags(st->b, tags, tag_count, &endpoint, kept, &st->scratch);
	endpoint = endpoint_of(st, endpoint, map.metric);

	/* every metric has its run total: a kind clash shows there before anything is created */
	const struct series *total = model_find_series(st->run, map.metric, NULL, NULL, 0);
	if (total && total->kind != map.kind) {
		free(kept);
		free(name);
		*why = "has samples of another type earlier in the input";
		return NULL;
	}
	struct k6_leaf *leaf = xcalloc(1, sizeof *leaf);
	bool created;
	struct series *targets[MAX_TARGETS];
	int count = 0;
	targets[count++] = get_series(st, &map, endpoint, kept, n, &created);
	if (endpoint && n > 0)
		targets[count++] = get_series(st, &map, endpoint, NULL, 0, &created);
	if (endpoint && created && map.kind == SERIES_TREND && strcmp(map.metric, "latency") == 0)
		st->endpoints++;
	if (endpoint || n > 0)
		targets[count++] = get_series(st, &map, NULL, NULL, 0, &created);
	/*
	 * Timelines (bounded memory, but per series): every metric's run total, and the endpoint
	 * totals of latency, requests and errors; per-interval histograms for the run's latency.
	 */
	bool core = strcmp(map.metric, "latency") == 0 || strcmp(map.metric, "requests") == 0 ||
		    strcmp(map.metric, "errors") == 0;
	for (int i = 0; i < count; i++) {
		struct series *t = targets[i];
		if (t->tag_count == 0 && (!t->endpoint || core))
			builder_timeline(st->b, t, !t->endpoint && strcmp(map.metric, "latency") == 0);
	}
	memcpy(leaf->targets, targets, sizeof targets);
	leaf->target_count = count;
	leaf->has_own = count > 1 && builder_same_trends(targets, count);
	if (leaf->has_own)
		hist_init(&leaf->own, &targets[0]->hist.layout);
	free(kept);
	free(name);

	if (st->endpoints > MANY_ENDPOINTS && !st->many_reported) {
		struct diag_loc loc = source_file_loc(st->b->path);
		diag_report(st->b->diag, DIAG_MANY_ENDPOINTS, &loc,
			    "more than %d distinct endpoint names, e.g. '%s'; ids in URLs? fold "
			    "them with --group 'REGEX=NAME'", MANY_ENDPOINTS, endpoint);
		st->many_reported = true;
	}

	if (st->leaf_count >= CACHE_MAX)
		clear_cache(st);
	leaf->hash = hash;
	leaf->metric_len = metric_len;
	leaf->key_len = key_len;
	leaf->key = xmalloc(metric_len + key_len + 1);
	memcpy(leaf->key, metric, metric_len);
	memcpy(leaf->key + metric_len, key, key_len);
	leaf->key[metric_len + key_len] = '\0';
	if (st->leaf_count * 2 >= st->bucket_count && st->bucket_count < CACHE_MAX * 2)
		grow_buckets(st);
	size_t bucket = hash & (st->bucket_count - 1);
	leaf->next = st->buckets[bucket];
	st->buckets[bucket] = leaf;
	leaf->all = st->leaves;
	st->leaves = leaf;
	st->leaf_count++;
	return leaf;
}

bool k6_stream_record(struct k6_stream *st, struct k6_leaf *leaf, int64_t time_us, double value)
{
	if (leaf->has_own) {
		if (!builder_sample_trends(st->b, leaf->targets, leaf->target_count, time_us, value,
					   &leaf->own))
			return false;
	} else {
		if (!builder_sample(st->b, leaf->targets[0], time_us, value))
			return false;
		for (int i = 1; i < leaf->target_count; i++)
			builder_sample(st->b, leaf->targets[i], time_us, value);
	}
	if (time_us < st->first_us)
		st->first_us = time_us;
	if (time_us > st->last_us)
		st->last_us = time_us;
	if (++st->samples >= st->next_check || st->run->series_count >= st->next_series)
		check_memory(st); /* may empty the cache: the caller holds no leaf after this */
	return true;
}

void k6_skip_line(struct k6_stream *st, const struct line *l, size_t column, const char *fmt,
		  ...)
{
	if (column > l->len)
		column = 0;
	struct diag_loc loc = {st->b->path, l->number, column + 1, l->text, l->len, 1};
	va_list ap;
	va_start(ap, fmt);
	builder_vskip(st->b, &loc, fmt, ap);
	va_end(ap);
}

bool k6_stream_end(struct k6_stream *st, uint64_t lines, const char *read_error, bool cut)
{
	struct diag_loc loc = source_file_loc(st->b->path);
	for (struct k6_leaf *l = st->leaves; l; l = l->all)
		flush_leaf(l);
	builder_report_skips(st->b, lines);
	if (st->folds) {
		size_t kept = 0;
		for (size_t i = 0; i < st->run->series_count; i++) {
			const struct series *s = st->run->series[i];
			kept += s->endpoint && s->tag_count == 0 && s->metric_id == METRIC_REQUESTS &&
				strcmp(s->endpoint, OTHER_ENDPOINTS) != 0;
		}
		int shift = st->limit % (1u << 20) == 0 ? 20 : st->limit % 1024 == 0 ? 10 : 0;
		diag_report(st->b->diag, DIAG_ENDPOINTS_FOLDED, &loc,
			    "the per-endpoint series passed --endpoint-memory (%zu %s) after %llu "
			    "samples: %zu endpoints with the fewest requests were folded into '%s'%s "
			    "(exactly: their samples are all there), %zu kept; raise the limit "
			    "(--endpoint-memory 1G, 0: none) or fold ids in URLs with --group",
			    st->limit >> shift, shift == 20 ? "MiB" : shift == 10 ? "KiB" : "bytes",
			    (unsigned long long)st->first_fold, st->folded_count, OTHER_ENDPOINTS,
			    st->late ? ", and so were the endpoints first seen after that" : "", kept);
	}
	bool ok = true;
	if (read_error && cut && st->samples) {
		/* a k6 run killed mid-write leaves a cut .gz: keep what was read, as for plain */
		diag_report(st->b->diag, DIAG_INPUT_TRUNCATED, &loc,
			    "the input ends early (%s) after line %llu; the complete lines before it "
			    "were used", read_error, (unsigned long long)lines);
	} else if (read_error) {
		io_report_read(st->b->path, "input", read_error, NULL, st->b->diag);
		ok = false;
	} else if (st->samples == 0) {
		diag_report(st->b->diag, DIAG_NO_DATA, &loc,
			    "no k6 sample could be read from %llu lines", (unsigned long long)lines);
		ok = false;
	}
	struct run *run = st->run;
	if (st->samples)
		builder_run_span(st->b, run, st->first_us, st->last_us);
	k6_set_concurrency(st->b, run);
	return ok;
}

void k6_stream_free(struct k6_stream *st)
{
	if (!st)
		return;
	clear_cache(st);
	free(st->buckets);
	free(st->folded);
	buf_fini(&st->scratch);
	for (size_t i = 0; i < st->metric_count; i++)
		free(st->metrics[i].name);
	free(st->metrics);
	free(st);
}
