/*
 * locust_json.c - front end for Locust's JSON statistics (formats/locust.md, "JSON"): the list
 * `locust --headless --json` prints on standard output at the end of a run (Locust 2.14 and
 * later; `--json-file` in later versions writes the same list to a file), one object per
 * (method, name) with requests (`json.dumps(stats.serialize_stats(), indent=4)`).
 *
 * Unlike the --csv files, the list holds Locust's own response-time buckets: `response_times`
 * maps a response time in ms, rounded by magnitude (to 1 ms below 100 ms, 10 ms below 1 s,
 * 100 ms below 10 s, 1 s above; Python writes the rounded ones as "150.0"), to its count. So
 * the latency is a histogram of exact counts, precision `bucketed`. Mapping per entry
 * (endpoint = "METHOD name"; entries that --group folds into one endpoint add up):
 *   response_times              -> trend "latency": each key recorded count times at its value,
 *                                  into the endpoint's series and the run's
 *   the percentiles Locust prints (50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100 %),
 *   computed from those buckets as calculate_response_time_percentile does
 *                               -> reported points of each latency series (the run's from all
 *                                  buckets, as Locust's Aggregated row): a p95 is Locust's p95
 *   min_response_time, max_response_time, total_response_time / (num_requests -
 *   num_none_requests)          -> the latency's reported min, max and mean (exact, not rounded)
 *   num_requests, num_failures, total_content_length
 *                               -> counters "requests", "errors", "bytes_in"; trend
 *                                  "response_size" mean = total_content_length / num_requests
 *   num_reqs_per_sec, num_fail_per_sec {unix second: count}
 *                               -> the timelines of "requests" and "errors"
 *   start_time (first request of the entry), last_request_timestamp
 *                               -> the run's span: earliest start to latest request
 * The list does not say how many users ran: the run's concurrency is unknown.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/json.h"
#include "../util/num.h"
#include "../util/timefmt.h"
#include "ingest.h"

/* Locust's PERCENTILES_TO_REPORT (locust/stats.py): the percentiles of its tables and CSV. */
static const double locust_percents[] = {0.50, 0.66, 0.75,  0.80,   0.90, 0.95,
					 0.98, 0.99, 0.999, 0.9999, 1.0};

/* Latest Unix time accepted, as for the --csv history: 2100-01-01. */
#define LATEST_UNIX_S 4102444800.0

/*
 * The list Locust prints starts with '[' and its first entry holds these keys before its
 * (possibly long) response_times.
 */
int locust_json_sniff(const char *prefix, size_t len)
{
	return sniff_first_char(prefix, len) == '[' &&
			       sniff_contains(prefix, len, "\"num_requests\"") &&
			       sniff_contains(prefix, len, "\"num_none_requests\"")
		       ? 90
		       : 0;
}

struct bucket_count {
	double ms;     /* the key: a rounded response time */
	int64_t count; /* requests in it */
};

/* What the entries folded into one endpoint (or the whole run) hold together. */
struct group {
	struct series *latency;       /* the group's key: one latency series per endpoint */
	struct bucket_count *buckets; /* every entry's, unsorted; owned */
	size_t bucket_count, bucket_cap;
	int64_t requests, none;       /* num_requests, num_none_requests added up */
	double total_ms;              /* total_response_time added up */
	double min, max;              /* of the entries' min/max_response_time */
	bool has_min, has_max;
};

struct reader {
	struct builder *b;
	struct source *src;
	struct run *run;
	struct group *groups; /* [0] is the run's; owned */
	size_t group_count, group_cap;
	int64_t first_us, last_us; /* the run's span; INT64_MAX / INT64_MIN when unknown */
	bool ok;
};

static void bad(struct reader *r, const char *pointer, const char *key, const char *fmt, ...)
	PG_PRINTF(4, 5);
static void bad(struct reader *r, const char *pointer, const char *key, const char *fmt, ...)
{
	char *p = key ? json_pointer_member(pointer, key) : NULL;
	struct buf msg;
	buf_init(&msg);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	json_report(r->b->diag, DIAG_BAD_VALUE, r->src, p ? p : pointer, "%s", msg.data);
	buf_fini(&msg);
	free(p);
	r->ok = false;
}

/* A member name that is not what it should be (a bucket key, a second): reported at the name. */
static void bad_key(struct reader *r, const char *pointer, const char *object, const char *key,
		    const char *what)
{
	char *p = json_pointer_member(pointer, key);
	size_t offset;
	struct diag_loc loc;
	if (json_locate_key_offset(r->src, p, &offset))
		source_locate(r->src, offset, strlen(key) + 2, &loc);
	else
		json_locate(r->src, p, &loc);
	diag_report(r->b->diag, DIAG_BAD_VALUE, &loc, "%s key '%s' is not %s", object, key, what);
	free(p);
	r->ok = false;
}

/* obj[key] as a count (an integer >= 0); false when absent or not one (reported). */
static bool get_count(struct reader *r, json_t *obj, const char *pointer, const char *key,
		      int64_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		json_report(r->b->diag, DIAG_MISSING_FIELD, r->src, pointer,
			    "a Locust --json entry has no '%s'", key);
		r->ok = false;
		return false;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		bad(r, pointer, key, "'%s' must be a count (an integer >= 0), not %s", key,
		    json_is_integer(v) ? "a negative number" : json_type_name(v));
		return false;
	}
	*out = (int64_t)json_integer_value(v);
	return true;
}

/*
 * obj[key] as a number of ms or seconds (finite, >= 0); *present false when absent or null
 * (allowed when nullable). False when it is something else (reported).
 */
static bool get_amount(struct reader *r, json_t *obj, const char *pointer, const char *key,
		       bool nullable, double *out, bool *present)
{
	json_t *v = json_object_get(obj, key);
	*present = false;
	if (!v || json_is_null(v)) {
		if (nullable)
			return true;
		json_report(r->b->diag, DIAG_MISSING_FIELD, r->src, pointer,
			    "a Locust --json entry has no '%s'", key);
		r->ok = false;
		return false;
	}
	if (!json_is_number(v) || !(json_number_value(v) >= 0) || !isfinite(json_number_value(v))) {
		bad(r, pointer, key, "'%s' must be a number >= 0, not %s", key,
		    json_is_number(v) ? "a negative one" : json_type_name(v));
		return false;
	}
	*out = json_number_value(v);
	*present = true;
	return true;
}

/* Unix seconds as µs; false (reported) outside 1970 .. 2100. */
static bool unix_us(struct reader *r, const char *pointer, const char *key, double seconds,
		    int64_t *us)
{
	if (!(seconds >= 0 && seconds <= LATEST_UNIX_S)) {
		bad(r, pointer, key, "'%s' is not a Unix time in seconds (1970 to 2100)", key);
		return false;
	}
	*us = (int64_t)llround(seconds * 1e6);
	return true;
}

static struct group *group_of(struct reader *r, struct series *latency)
{
	for (size_t i = r->group_count; i-- > 0;)
		if (r->groups[i].latency == latency)
			return &r->groups[i];
	r->groups = xgrow(r->groups, &r->group_cap, r->group_count + 1, sizeof *r->groups);
	struct group *g = &r->groups[r->group_count++];
	*g = (struct group){.latency = latency};
	return g;
}

static void group_add(struct group *g, double ms, int64_t count)
{
	g->buckets = xgrow(g->buckets, &g->bucket_cap, g->bucket_count + 1, sizeof *g->buckets);
	g->buckets[g->bucket_count++] = (struct bucket_count){ms, count};
}

static int by_ms_descending(const void *a, const void *b)
{
	double x = ((const struct bucket_count *)a)->ms, y = ((const struct bucket_count *)b)->ms;
	return x > y ? -1 : x < y;
}

/*
 * Locust's calculate_response_time_percentile over the group's buckets: with
 * n = int(num_requests * percent), walk the keys from the largest down, adding their counts,
 * and return the first key at which num_requests minus the counts so far is <= n; 0 when no key
 * qualifies (every request had no response time). Keys equal in value are one key, as in the
 * Python dict.
 */
static double locust_percentile(const struct group *g, double percent)
{
	int64_t n = (int64_t)((double)g->requests * percent);
	int64_t processed = 0;
	for (size_t i = 0; i < g->bucket_count; i++) {
		processed += g->buckets[i].count;
		if (i + 1 < g->bucket_count && g->buckets[i + 1].ms == g->buckets[i].ms)
			continue;
		if (g->requests - processed <= n)
			return g->buckets[i].ms;
	}
	return 0;
}

/* The group's reported statistics and Locust's percentiles, once every entry was read. */
static void group_finish(struct reader *r, struct group *g)
{
	struct builder *b = r->b;
	struct series *s = g->latency;
	int64_t timed = g->requests - g->none;
	if (g->has_min)
		builder_stat(b, s, STAT_MIN, g->min);
	if (g->has_max)
		builder_stat(b, s, STAT_MAX, g->max);
	if (timed > 0)
		builder_stat(b, s, STAT_MEAN, g->total_ms / (double)timed);
	if (g->bucket_count == 0 || g->requests == 0)
		return;
	qsort(g->buckets, g->bucket_count, sizeof *g->buckets, by_ms_descending);
	for (size_t i = 0; i < PG_ARRAY_LEN(locust_percents); i++)
		builder_quantile(b, s, locust_percents[i], locust_percentile(g, locust_percents[i]));
}

/* response_times of one entry into its group and the run's; false when a bucket is bad. */
static bool read_buckets(struct reader *r, json_t *times, const char *pointer, struct group *g,
			 int64_t *recorded)
{
	const char *key;
	json_t *v;
	*recorded = 0;
	json_object_foreach(times, key, v) {
		double ms;
		size_t len = strlen(key);
		if (num_parse_double(key, len, &ms, NULL) != NUM_OK || !(ms >= 0)) {
			bad_key(r, pointer, "response_times", key, "a response time in ms");
			return false;
		}
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			bad(r, pointer, key, "the count of response time %s ms must be an integer >= 0",
			    key);
			return false;
		}
		int64_t count = (int64_t)json_integer_value(v);
		if (count == 0)
			continue;
		if (*recorded > INT64_MAX - count) {
			bad(r, pointer, key, "the counts of response_times add up beyond 2^63");
			return false;
		}
		*recorded += count;
		builder_record(r->b, g->latency, ms, count);
		builder_record(r->b, r->groups[0].latency, ms, count);
		group_add(g, ms, count);
		group_add(&r->groups[0], ms, count);
	}
	return true;
}

/* num_reqs_per_sec or num_fail_per_sec into the timelines of counter metric. */
static void read_per_second(struct reader *r, json_t *entry, const char *pointer,
			    const char *key, const char *metric, const char *endpoint)
{
	json_t *per = json_object_get(entry, key);
	if (!per || json_is_null(per))
		return;
	char *pp = json_pointer_member(pointer, key);
	if (!json_is_object(per)) {
		json_report(r->b->diag, DIAG_JSON_TYPE, r->src, pp, "'%s' must be an object", key);
		r->ok = false;
		free(pp);
		return;
	}
	struct series *mine = builder_series(r->b, r->run, metric, endpoint, NULL, 0,
					     SERIES_COUNTER, PREC_EXACT, UNIT_COUNT);
	struct series *all = builder_series(r->b, r->run, metric, NULL, NULL, 0, SERIES_COUNTER,
					    PREC_EXACT, UNIT_COUNT);
	const char *second;
	json_t *v;
	json_object_foreach(per, second, v) {
		int64_t s;
		int64_t us;
		if (num_parse_int(second, strlen(second), &s, NULL) != NUM_OK || s < 0 ||
		    s > (int64_t)LATEST_UNIX_S) {
			bad_key(r, pp, key, second, "a Unix second (1970 to 2100)");
			break;
		}
		us = s * 1000000;
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			bad(r, pp, second, "the count of second %s must be an integer >= 0", second);
			break;
		}
		double count = (double)json_integer_value(v);
		builder_timeline_add(r->b, mine, us, count);
		builder_timeline_add(r->b, all, us, count);
	}
	free(pp);
}

static void read_entry(struct reader *r, json_t *entry, const char *pointer)
{
	struct builder *b = r->b;
	const char *name, *method = NULL;
	enum json_found f = json_get_string(b->diag, r->src, pointer, entry, "name", &name);
	if (f != JSON_FOUND) {
		if (f == JSON_ABSENT)
			json_report(b->diag, DIAG_MISSING_FIELD, r->src, pointer,
				    "a Locust --json entry has no 'name'");
		r->ok = false;
		return;
	}
	if (json_get_string(b->diag, r->src, pointer, entry, "method", &method) == JSON_WRONG) {
		r->ok = false;
		return;
	}
	int64_t requests, failures, none, bytes;
	double total_ms, start_s, last_s;
	bool has_min, has_max, has_start, has_last, present;
	double min = 0, max = 0;
	if (!get_count(r, entry, pointer, "num_requests", &requests) ||
	    !get_count(r, entry, pointer, "num_failures", &failures) ||
	    !get_count(r, entry, pointer, "num_none_requests", &none) ||
	    !get_count(r, entry, pointer, "total_content_length", &bytes) ||
	    !get_amount(r, entry, pointer, "total_response_time", false, &total_ms, &present) ||
	    !get_amount(r, entry, pointer, "min_response_time", true, &min, &has_min) ||
	    !get_amount(r, entry, pointer, "max_response_time", true, &max, &has_max) ||
	    !get_amount(r, entry, pointer, "start_time", true, &start_s, &has_start) ||
	    !get_amount(r, entry, pointer, "last_request_timestamp", true, &last_s, &has_last))
		return;
	if (none > requests) {
		bad(r, pointer, "num_none_requests",
		    "num_none_requests (%lld) is more than num_requests (%lld)", (long long)none,
		    (long long)requests);
		return;
	}
	json_t *times = json_object_get(entry, "response_times");
	if (!json_is_object(times)) {
		char *p = json_pointer_member(pointer, "response_times");
		if (!times)
			json_report(b->diag, DIAG_MISSING_FIELD, r->src, pointer,
				    "a Locust --json entry has no 'response_times'");
		else
			json_report(b->diag, DIAG_JSON_TYPE, r->src, p,
				    "'response_times' must be an object, not %s", json_type_name(times));
		free(p);
		r->ok = false;
		return;
	}
	const char *endpoint = builder_endpoint(b, method, name, strlen(name));
	struct series *lat = builder_trend(b, r->run, "latency", endpoint, PREC_BUCKETED, UNIT_MS);
	struct group *g = group_of(r, lat);
	char *tp = json_pointer_member(pointer, "response_times");
	int64_t recorded;
	bool buckets_ok = read_buckets(r, times, tp, g, &recorded);
	if (buckets_ok && recorded != requests - none)
		bad(r, tp, NULL,
		    "response_times hold %lld requests, but num_requests - num_none_requests is %lld",
		    (long long)recorded, (long long)(requests - none));
	free(tp);
	if (!r->ok)
		return;
	/* sums stay exact doubles (the percentile rank is num_requests * percent) and in int64 */
	const int64_t requests_max = INT64_C(1) << 53;
	if (requests > requests_max - g->requests ||
	    requests > requests_max - r->groups[0].requests) {
		bad(r, pointer, "num_requests",
		    "the num_requests of the entries add up past 2^53, more than can be counted "
		    "exactly");
		return;
	}
	for (size_t i = 0; i < 2; i++) {
		struct group *to = i == 0 ? g : &r->groups[0];
		to->requests += requests;
		to->none += none;
		to->total_ms += total_ms;
		if (has_min && requests > none && (!to->has_min || min < to->min)) {
			to->min = min;
			to->has_min = true;
		}
		if (has_max && requests > none && (!to->has_max || max > to->max)) {
			to->max = max;
			to->has_max = true;
		}
		const char *at = i == 0 ? endpoint : NULL;
		builder_count(b, r->run, "requests", at, NULL, 0, (double)requests);
		builder_count(b, r->run, "errors", at, NULL, 0, (double)failures);
		builder_count(b, r->run, "bytes_in", at, NULL, 0, (double)bytes);
	}
	int64_t us;
	if (has_start && unix_us(r, pointer, "start_time", start_s, &us) && us < r->first_us)
		r->first_us = us;
	if (has_last && unix_us(r, pointer, "last_request_timestamp", last_s, &us) &&
	    us > r->last_us)
		r->last_us = us;
	read_per_second(r, entry, pointer, "num_reqs_per_sec", "requests", endpoint);
	read_per_second(r, entry, pointer, "num_fail_per_sec", "errors", endpoint);
}

/* response_size: the mean size Locust reports (total_content_length / num_requests). */
static void sizes(struct reader *r)
{
	for (size_t i = 0; i < r->run->series_count; i++) {
		struct series *bytes = r->run->series[i];
		if (strcmp(bytes->metric, "bytes_in") != 0)
			continue;
		struct series *req = model_find_series(r->run, "requests", bytes->endpoint, NULL, 0);
		if (!req || !(req->total > 0))
			continue;
		struct series *size = builder_trend(r->b, r->run, "response_size", bytes->endpoint,
						    PREC_QUANTILES, UNIT_BYTES);
		builder_stat(r->b, size, STAT_MEAN, bytes->total / req->total);
		builder_stat(r->b, size, STAT_COUNT, req->total);
	}
}

bool locust_json_parse(struct source *src, struct builder *b)
{
	json_t *root = json_parse_source(src, b->diag);
	if (!root)
		return false;
	struct reader r = {.b = b, .src = src, .first_us = INT64_MAX, .last_us = INT64_MIN,
			   .ok = true};
	if (!json_is_array(root)) {
		json_report(b->diag, DIAG_JSON_TYPE, src, "",
			    "a Locust --json output is a list of entries, not %s",
			    json_type_name(root));
		json_decref(root);
		return false;
	}
	if (json_array_size(root) == 0) {
		json_report(b->diag, DIAG_NO_DATA, src, "",
			    "the Locust --json list is empty: the run made no requests");
		json_decref(root);
		return false;
	}
	r.run = builder_run(b, "locust", NULL, 0, false);
	struct series *all = builder_trend(b, r.run, "latency", NULL, PREC_BUCKETED, UNIT_MS);
	group_of(&r, all);
	size_t i;
	json_t *entry;
	json_array_foreach(root, i, entry) {
		char pointer[32];
		snprintf(pointer, sizeof pointer, "/%zu", i);
		if (!json_is_object(entry)) {
			json_report(b->diag, DIAG_JSON_TYPE, src, pointer,
				    "element %zu of the list is not a Locust stats entry (an object)",
				    i);
			r.ok = false;
			continue;
		}
		read_entry(&r, entry, pointer);
	}
	if (r.ok) {
		for (size_t k = 0; k < r.group_count; k++)
			group_finish(&r, &r.groups[k]);
		sizes(&r);
		if (r.first_us != INT64_MAX && r.last_us != INT64_MIN && r.last_us >= r.first_us)
			builder_run_span(b, r.run, r.first_us, r.last_us);
	}
	for (size_t k = 0; k < r.group_count; k++)
		free(r.groups[k].buckets);
	free(r.groups);
	json_decref(root);
	return r.ok;
}
