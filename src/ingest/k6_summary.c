/*
 * k6_summary.c - k6's end-of-test JSON summaries (formats/k6.md), three shapes:
 *
 *   --summary-export (legacy):  metrics{NAME: {flat values[, thresholds{SRC: true=failed}]}},
 *                               root_group with groups/checks as objects; no types given;
 *   handleSummary data:         metrics{NAME: {type, contains, values{...},
 *                               thresholds{SRC: {ok}}}}, state.testRunDurationMs, root_group
 *                               with groups/checks as arrays;
 *   machine-readable (>= v1.5): results{metrics[{name, type, contains, values}],
 *                               checks{results[...]}}, config.duration, version.
 *
 * Trends become `quantiles` series: avg, min, med, max, p(N) and count exactly as k6 printed
 * them (k6 interpolates between ranks; we never recompute them). NAME may be a submetric,
 * "http_req_duration{name:GET /users/:id,status:200}": its tags become the series' endpoint
 * and tags as in the raw outputs (k6.h). A submetric of http_req_failed also gives the
 * `requests` of its endpoint and tags (its samples: one per request) unless an http_reqs
 * submetric with the same tags says it, so error_rate is known wherever errors is.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/json.h"
#include "../util/num.h"
#include "k6.h"

/* The first key of the JSON object at the start of prefix, or an empty span. */
static size_t first_key(const char *prefix, size_t len, const char **key)
{
	size_t i = 0;
	while (i < len && strchr(" \t\r\n", prefix[i]))
		i++;
	if (i >= len || prefix[i++] != '{')
		return 0;
	while (i < len && strchr(" \t\r\n", prefix[i]))
		i++;
	if (i >= len || prefix[i++] != '"')
		return 0;
	const char *end = memchr(prefix + i, '"', len - i);
	*key = prefix + i;
	return end ? (size_t)(end - (prefix + i)) : 0;
}

static bool key_is(const char *key, size_t n, const char *literal)
{
	return n == strlen(literal) && memcmp(key, literal, n) == 0;
}

/*
 * Summaries may be larger than the sniffed prefix (hundreds of submetrics or checks), so the
 * key that comes first is enough when what follows it is k6's: handleSummary data starts with
 * "root_group" (whose id is md5("") in every k6 version), the legacy export with "metrics"
 * holding k6 built-in metric names, the machine-readable shape with "config" or "metadata" and
 * "k6_version".
 */
int k6_summary_sniff(const char *prefix, size_t len)
{
	if (sniff_first_char(prefix, len) != '{')
		return 0;
	if (sniff_contains(prefix, len, "\"metrics\"") &&
	    sniff_contains(prefix, len, "\"root_group\""))
		return 90;
	if (sniff_contains(prefix, len, "\"results\"") && sniff_contains(prefix, len, "\"k6_version\""))
		return 90;
	const char *key = NULL;
	size_t n = first_key(prefix, len, &key);
	if (key_is(key, n, "root_group") &&
	    sniff_contains(prefix, len, "d41d8cd98f00b204e9800998ecf8427e"))
		return 85;
	static const char *const builtins[] = {"\"http_reqs\"", "\"iterations\"",
					       "\"vus_max\"", "\"data_received\"", "\"checks\"",
					       "\"iteration_duration\""};
	if (key_is(key, n, "metrics"))
		for (size_t i = 0; i < PG_ARRAY_LEN(builtins); i++)
			if (sniff_contains(prefix, len, builtins[i]))
				return 80;
	if ((key_is(key, n, "config") || key_is(key, n, "metadata")) &&
	    sniff_contains(prefix, len, "\"k6_version\""))
		return 85;
	return 0;
}

enum shape { SHAPE_EXPORT, SHAPE_HANDLE_SUMMARY, SHAPE_MACHINE };

/* The errors series of an http_req_failed submetric, and how many requests k6 counted in it. */
struct failed_submetric {
	const struct series *errors;
	double requests;       /* passes + fails (machine-readable: total) */
};

struct reader {
	struct builder *b;
	struct source *src;
	struct run *run;
	enum shape shape;
	bool ok;
	double http_reqs_count, http_reqs_rate; /* NAN until seen (whole-run http_reqs) */
	struct failed_submetric *failed;        /* heap; http_req_failed submetrics, as met */
	size_t failed_count;
	size_t failed_cap;
};

/* "name{k:v,k2:'v2'}" -> base name length and tags (trimmed, quotes removed; arena). */
static size_t split_submetric(struct reader *r, const char *key, struct tag *tags,
			      size_t max, size_t *count)
{
	*count = 0;
	const char *brace = strchr(key, '{');
	size_t len = strlen(key);
	if (!brace || key[len - 1] != '}')
		return len;
	const char *p = brace + 1, *end = key + len - 1;
	while (p < end && *count < max) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		const char *colon = memchr(p, ':', (size_t)(stop - p));
		if (colon) {
			const char *ks = p, *ke = colon, *vs = colon + 1, *ve = stop;
			while (ks < ke && (*ks == ' ' || *ks == '"' || *ks == '\''))
				ks++;
			while (ke > ks && (ke[-1] == ' ' || ke[-1] == '"' || ke[-1] == '\''))
				ke--;
			while (vs < ve && (*vs == ' ' || *vs == '"' || *vs == '\''))
				vs++;
			while (ve > vs && (ve[-1] == ' ' || ve[-1] == '"' || ve[-1] == '\''))
				ve--;
			struct arena *a = &r->b->model->arena;
			tags[(*count)++] = (struct tag){arena_strndup(a, ks, (size_t)(ke - ks)),
							arena_strndup(a, vs, (size_t)(ve - vs))};
		}
		p = comma ? comma + 1 : end;
	}
	return (size_t)(brace - key);
}

/* The type of a legacy-export metric, from its keys (the export does not say). */
static enum k6_type infer_type(json_t *values)
{
	if (json_object_get(values, "passes") && json_object_get(values, "fails"))
		return K6_RATE;
	if (json_object_get(values, "count") && json_object_get(values, "rate"))
		return K6_COUNTER;
	if (json_object_get(values, "value") && !json_object_get(values, "avg"))
		return K6_GAUGE;
	return K6_TREND;
}

/* values[key] as a number; false when absent or null (NaN through JSON.stringify). */
static bool number(struct reader *r, json_t *values, const char *pointer, const char *key,
		   double *out)
{
	enum json_found f = json_get_number(r->b->diag, r->src, pointer, values, key, out);
	if (f == JSON_WRONG)
		r->ok = false;
	return f == JSON_FOUND;
}

/* A count member (passes, fails, a counter's count): a number >= 0, else reported. */
static bool count(struct reader *r, json_t *values, const char *pointer, const char *key,
		  double *out)
{
	if (!number(r, values, pointer, key, out))
		return false;
	if (*out >= 0)
		return true;
	char *p = json_pointer_member(pointer, key);
	json_report(r->b->diag, DIAG_BAD_VALUE, r->src, p, "k6 summary: '%s' is a count and must "
		    "not be negative (%g)", key, *out);
	free(p);
	r->ok = false;
	return false;
}

/* A trend statistic key: "avg", "min", "med", "max", "count", "p(95)", "p95", "p99.9". */
static void trend_value(struct reader *r, struct series *s, const char *key, double v,
			const char *pointer)
{
	if (strcmp(key, "avg") == 0) {
		builder_stat(r->b, s, STAT_MEAN, v);
	} else if (strcmp(key, "min") == 0) {
		builder_stat(r->b, s, STAT_MIN, v);
	} else if (strcmp(key, "max") == 0) {
		builder_stat(r->b, s, STAT_MAX, v);
	} else if (strcmp(key, "count") == 0) {
		builder_stat(r->b, s, STAT_COUNT, v);
	} else if (strcmp(key, "med") == 0) {
		builder_quantile(r->b, s, 0.5, v);
	} else if (key[0] == 'p') {
		const char *n = key + 1;
		size_t len = strlen(n);
		if (len >= 2 && n[0] == '(' && n[len - 1] == ')')
			n++, len -= 2;
		double percent;
		if (num_parse_double(n, len, &percent, NULL) == NUM_OK && percent >= 0 &&
		    percent <= 100) {
			builder_quantile(r->b, s, model_quantile_of_percent(percent), v);
		} else {
			char *p = json_pointer_member(pointer, key);
			json_report(r->b->diag, DIAG_UNKNOWN_PERCENTILE_KEY, r->src, p,
				    "k6 summary: '%s' is not a percentile; ignored", key);
			free(p);
		}
	}
}

static void add_metric(struct reader *r, const char *key, enum k6_type type,
		       enum k6_contains contains, json_t *values, const char *pointer)
{
	struct tag raw[32], kept[32];
	size_t raw_count;
	size_t base_len = split_submetric(r, key, raw, PG_ARRAY_LEN(raw), &raw_count);
	char *base = xstrndup(key, base_len);
	const char *endpoint;
	size_t n = k6_split_tags(r->b, raw, raw_count, &endpoint, kept, NULL);
	struct k6_map map = k6_map_metric(r->b, base, type, contains);
	double v, w;
	if (type == K6_TREND) {
		struct series *s = builder_series(r->b, r->run, map.metric, endpoint, kept, n,
						  SERIES_TREND, PREC_QUANTILES, map.unit);
		const char *k;
		json_t *value;
		json_object_foreach(values, k, value) {
			if (json_is_number(value)) {
				trend_value(r, s, k, json_number_value(value), pointer);
			} else if (!json_is_null(value) && strcmp(k, "thresholds") != 0) {
				/* null is NaN through JSON.stringify; thresholds sit beside the
				 * values in the legacy export */
				char *p = json_pointer_member(pointer, k);
				json_report(r->b->diag, DIAG_JSON_TYPE, r->src, p,
					    "k6 summary: '%s' must be a number", k);
				free(p);
				r->ok = false;
			}
		}
	} else if (type == K6_COUNTER) {
		if (count(r, values, pointer, "count", &v)) {
			struct series *s = builder_series(r->b, r->run, map.metric, endpoint, kept, n,
							  map.kind, PREC_EXACT, map.unit);
			s->total += v;
		}
		if (strcmp(base, "http_reqs") == 0 && !endpoint && n == 0 &&
		    number(r, values, pointer, "count", &v) &&
		    number(r, values, pointer, "rate", &w)) {
			r->http_reqs_count = v;
			r->http_reqs_rate = w;
		}
	} else if (type == K6_RATE) {
		/* legacy and handleSummary: passes/fails; machine-readable: matches/total */
		bool ok = count(r, values, pointer, "passes", &v) &&
			  count(r, values, pointer, "fails", &w) && ((w += v), true);
		if (!ok && r->ok) {
			ok = count(r, values, pointer, "matches", &v) &&
			     count(r, values, pointer, "total", &w);
			if (ok && v > w) {
				/* k6 counts a match among the total: more is a damaged file */
				char *p = json_pointer_member(pointer, "matches");
				json_report(r->b->diag, DIAG_BAD_VALUE, r->src, p,
					    "k6 summary: 'matches' (%g) is more than 'total' (%g)", v,
					    w);
				free(p);
				r->ok = ok = false;
			}
		}
		if (ok) {
			struct series *s = builder_series(r->b, r->run, map.metric, endpoint, kept, n,
							  map.kind, PREC_EXACT, map.unit);
			if (s->kind == SERIES_COUNTER) {
				s->total += v; /* http_req_failed -> errors: the failed requests */
				if (endpoint || n) {
					r->failed = xgrow(r->failed, &r->failed_cap,
							  r->failed_count + 1, sizeof *r->failed);
					r->failed[r->failed_count++] = (struct failed_submetric){s, w};
				}
			} else {
				s->passes += v;
				s->total += w;
			}
		}
	} else if (type == K6_GAUGE) {
		double lo, hi;
		if (number(r, values, pointer, "value", &v)) {
			struct series *s = builder_series(r->b, r->run, map.metric, endpoint, kept, n,
							  SERIES_GAUGE, PREC_EXACT, map.unit);
			if (!number(r, values, pointer, "min", &lo))
				lo = v;
			if (!number(r, values, pointer, "max", &hi))
				hi = v;
			s->gauge = (struct gauge){.value = v, .min = lo, .max = hi,
						  .value_us = INT64_MIN, .set = true};
		}
	}
	free(base);
}

/*
 * FORMATS.md §1.0: every sample of http_req_failed is one HTTP request, so a submetric's
 * passes + fails are the requests of its endpoint and tags. A summary rarely holds the
 * matching http_reqs submetric (k6 adds submetrics only for thresholds), so without this
 * errors{status=...} would have no requests to be a share of. An http_reqs submetric with the
 * same tags, in any order in the file, is what k6 counted directly and wins. The whole run's
 * requests always come from http_reqs.
 */
static void add_failed_requests(struct reader *r)
{
	for (size_t i = 0; i < r->failed_count; i++) {
		const struct series *e = r->failed[i].errors;
		if (model_find_series(r->run, "requests", e->endpoint, e->tags, e->tag_count))
			continue;
		builder_count(r->b, r->run, "requests", e->endpoint, e->tags, e->tag_count,
			      r->failed[i].requests);
	}
}

static void add_thresholds(struct reader *r, const char *metric, json_t *thresholds,
			   const char *pointer)
{
	const char *source;
	json_t *value;
	json_object_foreach(thresholds, source, value) {
		json_t *ok = json_object_get(value, "ok");
		enum threshold_result result;
		if (json_is_boolean(value)) /* legacy export: true means FAILED */
			result = json_is_true(value) ? THRESHOLD_FAILED : THRESHOLD_PASSED;
		else if (json_is_boolean(ok)) /* handleSummary: {"ok": bool} */
			result = json_is_true(ok) ? THRESHOLD_PASSED : THRESHOLD_FAILED;
		else {
			char *p = json_pointer_member(pointer, source);
			json_report(r->b->diag, DIAG_JSON_TYPE, r->src, p,
				    "k6 summary: a threshold result must be a boolean or {\"ok\": "
				    "boolean}");
			free(p);
			r->ok = false;
			continue;
		}
		builder_run_threshold(r->b, r->run, metric, source, result, false);
	}
}

/* --summary-export and handleSummary: metrics is an object keyed by metric name. */
static void read_metric_object(struct reader *r, json_t *metrics)
{
	const char *key;
	json_t *m;
	json_object_foreach(metrics, key, m) {
		char *pointer = json_pointer_member("/metrics", key);
		if (!json_is_object(m)) {
			json_report(r->b->diag, DIAG_JSON_TYPE, r->src, pointer,
				    "k6 summary: a metric must be an object");
			r->ok = false;
			free(pointer);
			continue;
		}
		json_t *values = m;
		char *values_pointer = xstrdup(pointer);
		enum k6_type type;
		enum k6_contains contains = K6_DEFAULT;
		json_t *t = json_object_get(m, "type"), *c = json_object_get(m, "contains");
		if (r->shape == SHAPE_HANDLE_SUMMARY) {
			values = json_object_get(m, "values");
			free(values_pointer);
			values_pointer = json_pointer_member(pointer, "values");
			if (!json_is_string(t) ||
			    !k6_type_from_name(json_string_value(t), json_string_length(t), &type) ||
			    !json_is_object(values)) {
				json_report(r->b->diag, DIAG_MISSING_FIELD, r->src, pointer,
					    "k6 handleSummary: a metric needs \"type\" (counter, gauge, "
					    "trend, rate) and a \"values\" object");
				r->ok = false;
				free(pointer);
				free(values_pointer);
				continue;
			}
			if (json_is_string(c))
				k6_contains_from_name(json_string_value(c), json_string_length(c),
						      &contains);
		} else {
			type = infer_type(m);
			/* the export does not say contains: built-ins are known, time otherwise */
			enum k6_type ignored;
			size_t base = strcspn(key, "{");
			if (!k6_names_builtin(key, base, &ignored, &contains))
				contains = type == K6_TREND ? K6_TIME : K6_DEFAULT;
		}
		add_metric(r, key, type, contains, values, values_pointer);
		json_t *thresholds = json_object_get(m, "thresholds");
		if (json_is_object(thresholds)) {
			char *tp = json_pointer_member(pointer, "thresholds");
			add_thresholds(r, key, thresholds, tp);
			free(tp);
		}
		free(pointer);
		free(values_pointer);
	}
}

/* machine-readable: results.metrics is an array of {name, type, contains, values}. */
static void read_metric_array(struct reader *r, json_t *metrics)
{
	size_t i;
	json_t *m;
	json_array_foreach(metrics, i, m) {
		char index[24];
		snprintf(index, sizeof index, "%zu", i);
		char *pointer = json_pointer_member("/results/metrics", index);
		json_t *name = json_object_get(m, "name"), *t = json_object_get(m, "type");
		json_t *c = json_object_get(m, "contains"), *values = json_object_get(m, "values");
		enum k6_type type;
		enum k6_contains contains = K6_DEFAULT;
		if (!json_is_string(name) || !json_is_string(t) || !json_is_object(values) ||
		    !k6_type_from_name(json_string_value(t), json_string_length(t), &type)) {
			json_report(r->b->diag, DIAG_MISSING_FIELD, r->src, pointer,
				    "k6 summary: a metric needs \"name\", \"type\" and \"values\"");
			r->ok = false;
		} else {
			if (json_is_string(c))
				k6_contains_from_name(json_string_value(c), json_string_length(c),
						      &contains);
			char *vp = json_pointer_member(pointer, "values");
			add_metric(r, json_string_value(name), type, contains, values, vp);
			free(vp);
		}
		free(pointer);
	}
}

/* A check at JSON pointer `pointer` (its parent's pointer and its key or index). */
static void add_check(struct reader *r, json_t *check, const char *group_path,
		      const char *parent, const char *key)
{
	json_t *name = json_object_get(check, "name");
	json_t *passes = json_object_get(check, "passes"), *fails = json_object_get(check, "fails");
	if (!json_is_string(name) || !json_is_number(passes) || !json_is_number(fails))
		return;
	if (json_number_value(passes) < 0 || json_number_value(fails) < 0) {
		char *pointer = json_pointer_member(parent, key);
		char *at = json_pointer_member(pointer, json_number_value(passes) < 0 ? "passes"
										    : "fails");
		json_report(r->b->diag, DIAG_BAD_VALUE, r->src, at,
			    "k6 summary: check '%s' has a negative count (passes %g, fails %g)",
			    json_string_value(name), json_number_value(passes),
			    json_number_value(fails));
		free(at);
		free(pointer);
		r->ok = false;
		return;
	}
	struct tag tags[2] = {{"check", json_string_value(name)}, {"group", group_path}};
	size_t n = group_path && *group_path ? 2 : 1;
	struct series *s = builder_series(r->b, r->run, "checks", NULL, tags, n, SERIES_RATE,
					  PREC_EXACT, UNIT_NONE);
	s->passes += json_number_value(passes);
	s->total += json_number_value(passes) + json_number_value(fails);
}

static void read_group(struct reader *r, json_t *group, const char *parent, const char *key,
		       int depth);

/*
 * The members or elements of a group's "checks" or "groups" (objects in the export, arrays in
 * handleSummary), each with its key or index as text.
 */
static void each_member(struct reader *r, json_t *container, const char *group_path,
			const char *pointer, int depth, bool checks)
{
	size_t i;
	const char *k;
	json_t *v;
	char index[24];
	if (json_is_array(container)) {
		json_array_foreach(container, i, v) {
			snprintf(index, sizeof index, "%zu", i);
			if (checks)
				add_check(r, v, group_path, pointer, index);
			else
				read_group(r, v, pointer, index, depth + 1);
		}
	} else if (json_is_object(container)) {
		json_object_foreach(container, k, v) {
			if (checks)
				add_check(r, v, group_path, pointer, k);
			else
				read_group(r, v, pointer, k, depth + 1);
		}
	}
}

/* root_group (at parent/key): groups and checks are objects (export) or arrays (handleSummary). */
static void read_group(struct reader *r, json_t *group, const char *parent, const char *key,
		       int depth)
{
	if (!json_is_object(group) || depth > 64)
		return;
	json_t *path = json_object_get(group, "path");
	const char *group_path = json_is_string(path) ? json_string_value(path) : "";
	char *pointer = json_pointer_member(parent, key);
	char *checks = json_pointer_member(pointer, "checks");
	char *groups = json_pointer_member(pointer, "groups");
	each_member(r, json_object_get(group, "checks"), group_path, checks, depth, true);
	each_member(r, json_object_get(group, "groups"), group_path, groups, depth, false);
	free(groups);
	free(checks);
	free(pointer);
}

bool k6_summary_parse(struct source *src, struct builder *b)
{
	json_t *root = json_parse_source(src, b->diag);
	if (!root)
		return false;
	struct reader r = {b, src, NULL, SHAPE_EXPORT, true, NAN, NAN, NULL, 0, 0};
	json_t *metrics = json_object_get(root, "metrics");
	json_t *results = json_object_get(root, "results");
	if (json_is_object(results) && json_is_array(json_object_get(results, "metrics"))) {
		r.shape = SHAPE_MACHINE;
		metrics = json_object_get(results, "metrics");
	} else if (json_is_object(metrics)) {
		const char *key;
		json_t *m;
		json_object_foreach(metrics, key, m) {
			if (json_is_object(json_object_get(m, "values")) &&
			    json_is_string(json_object_get(m, "type")))
				r.shape = SHAPE_HANDLE_SUMMARY;
			break;
		}
	} else {
		json_report(b->diag, DIAG_MISSING_FIELD, src, "",
			    "k6 summary: no \"metrics\" object (nor \"results.metrics\" array)");
		json_decref(root);
		return false;
	}
	r.run = builder_run(b, "k6", NULL, 0, false);
	json_t *version = json_object_get(json_object_get(root, "metadata"), "k6_version");
	if (json_is_string(version) && json_string_length(version) > 0)
		r.run->tool_version = arena_strdup(&b->model->arena, json_string_value(version));
	if (r.shape == SHAPE_MACHINE) {
		read_metric_array(&r, metrics);
		size_t i;
		json_t *check;
		char index[24];
		json_array_foreach(json_object_get(json_object_get(results, "checks"), "results"), i,
				   check) {
			snprintf(index, sizeof index, "%zu", i);
			add_check(&r, check, NULL, "/results/checks/results", index);
		}
	} else {
		read_metric_object(&r, metrics);
		read_group(&r, json_object_get(root, "root_group"), "", "root_group", 0);
	}
	add_failed_requests(&r);
	free(r.failed);

	/* duration: as k6 measured it, else from http_reqs count / rate (the export omits it) */
	json_t *state = json_object_get(root, "state"), *config = json_object_get(root, "config");
	json_t *ms = json_object_get(state, "testRunDurationMs");
	json_t *seconds = json_object_get(config, "duration");
	if (json_is_number(ms))
		builder_run_duration(b, r.run, json_number_value(ms) / 1000);
	else if (json_is_number(seconds))
		builder_run_duration(b, r.run, json_number_value(seconds));
	else if (r.http_reqs_rate > 0)
		builder_run_duration(b, r.run, r.http_reqs_count / r.http_reqs_rate);
	if (r.http_reqs_rate >= 0) {
		struct series *rps = builder_trend(b, r.run, "rps", NULL, PREC_QUANTILES, UNIT_PER_S);
		builder_stat(b, rps, STAT_MEAN, r.http_reqs_rate); /* as k6 printed it */
	}
	k6_set_concurrency(b, r.run);
	json_decref(root);
	return r.ok;
}
