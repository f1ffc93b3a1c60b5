/*
 * eval.c - compiled rules x model (+ baseline) -> results (budget.h, docs/budgets.md).
 *
 * For each rule, select.c gives the targets (a run, an endpoint or the whole run); each
 * assertion is evaluated on each target into one result. An aggregation reads the series of
 * the rule's metric at the target: the series with exactly the selector's tags when the model
 * has it (a k6 summary's submetric), else every tagged series at the target whose tags include
 * them, merged exactly (model_merge_series: histograms and counts add; reported percentiles are
 * never combined). `rps` and `error_rate` read the requests/errors counters the same way and
 * compute them as `show` does (model_totals_of). `baseline` is the comparison's left side evaluated
 * on the baseline model's run of the same label, or its only run (model_baseline_run).
 *
 * A value that cannot be had (no series, an empty one, a percentile the tool did not report
 * and cannot be estimated) makes the result no-data, never a silent pass; the no-data policy
 * (file, rule, --no-data) and the rule's level and waiver then decide its effect. k6 rules
 * follow k6: `rate` of http_req_failed is errors / requests, a counter's rate is per second of
 * the run, and a missing value (which k6 passes) is no-data with a note saying so.
 *
 * `for D` windows evaluate the left side per interval of the series' timeline against the
 * right side (whole run) and fail when consecutive breaching intervals span at least D.
 *
 * Memory: merged series live in a scratch model per target, freed after it (what a result
 * keeps of them, its metric and input names, is copied into the budget's arena); results own
 * their note (heap), everything else they point to belongs to the budget or the models.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "../util/json.h"

/* What an evaluation reads from, and what it learnt for the result. */
struct scope {
	const struct budget *budget;
	const struct rule *rule;
	const struct assertion *assertion;
	const struct model *model;      /* the model read (candidate or baseline) */
	const struct run *run;
	const char *endpoint;           /* the target's endpoint; NULL = whole run */
	struct model *scratch;          /* merged series; NULL until needed */
	struct diag *d;
	const struct eval_options *options;
	/* learnt while evaluating (for the result) */
	double baseline;                /* the last baseline value read */
	bool has_baseline;              /* ... and it was there */
	int64_t samples;
	enum precision precision;
	const char *metric;
	const char *input;
	char *note;                     /* the first reason a value is missing; heap */
	bool unmatched;                 /* ... and it is that the target's endpoint is absent */
	bool failed;                    /* a budget error was reported (exit 2) */
	/* a baseline comparison judged on intervals: the noise of the values read */
	bool want_noise;                /* aggregate() records the noise of what it reads */
	bool has_noise;
	struct noise noise;             /* of the last aggregation read (owned) */
	bool has_base_noise;
	struct noise base_noise;        /* of the baseline's left side (owned) */
	const char *point_why;          /* why there is none (static) */
};

/* A number with its provenance and dimension. */
struct num {
	double value;
	enum value_kind kind;  /* VALUE_MISSING: no data (scope->note says why) */
	enum dim dim;
};

static const struct num missing_num = {0, VALUE_MISSING, DIM_UNKNOWN};

static void set_note(struct scope *s, const char *fmt, ...) PG_PRINTF(2, 3);
static void set_note(struct scope *s, const char *fmt, ...)
{
	if (s->note)
		return;
	va_list ap;
	va_start(ap, fmt);
	s->note = xvasprintf(fmt, ap);
	va_end(ap);
}

static void report_at(struct scope *s, enum diag_id id, size_t offset, size_t len,
		      const char *fmt, ...) PG_PRINTF(5, 6);
static void report_at(struct scope *s, enum diag_id id, size_t offset, size_t len,
		      const char *fmt, ...)
{
	struct diag_loc loc;
	budget_text_locate(&s->assertion->text, offset, len, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(s->d, id, &loc, fmt, ap);
	va_end(ap);
	if (diag_level_of(id) == DIAG_ERROR)
		s->failed = true;
}

/* ---- finding series ---- */

static bool has_tags(const struct series *s, const struct tag *want, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		bool found = false;
		for (size_t j = 0; j < s->tag_count && !found; j++)
			found = strcmp(s->tags[j].key, want[i].key) == 0 &&
				strcmp(s->tags[j].value, want[i].value) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* The endpoint a series must have at the scope's target (exact name, or the k6 name rule). */
static bool endpoint_fits(const struct scope *s, const struct series *series)
{
	const struct selector *sel = &s->rule->selector;
	if (sel->endpoint_kind == ENDPOINT_K6_NAME || (sel->method && !s->endpoint))
		return select_endpoint_matches(sel, series->endpoint, NULL);
	if (!s->endpoint)
		return true; /* whole run: any endpoint (only tagged series are gathered) */
	return series->endpoint && strcmp(series->endpoint, s->endpoint) == 0;
}

/*
 * The series of metric at the scope's target with the selector's tags: the model's own when
 * one has exactly that key, else the tagged ones that fit, merged. NULL (with a note) when
 * there is none or they cannot be combined.
 */
static const struct series *find_series(struct scope *s, const char *metric)
{
	const struct selector *sel = &s->rule->selector;
	const struct run *run = s->run;
	bool gathered = sel->endpoint_kind == ENDPOINT_K6_NAME || (sel->method && !s->endpoint);
	if (!gathered) {
		const struct series *exact = model_find_series(run, metric, s->endpoint, sel->tags,
							       sel->tag_count);
		if (exact)
			return exact;
	}
	if (!s->scratch)
		s->scratch = model_new();
	struct run *into = model_get_run(s->scratch, run->label, run->tool);
	/* gathered once per target: a second look-up (and/or, a window) must not add again */
	const struct series *merged = model_find_series(into, metric, s->endpoint, sel->tags,
							sel->tag_count);
	if (merged)
		return merged;
	size_t count = 0;
	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *c = run->series[i];
		if (strcmp(c->metric, metric) != 0 || !endpoint_fits(s, c) ||
		    !has_tags(c, sel->tags, sel->tag_count))
			continue;
		/*
		 * without tags to filter, endpoint totals are gathered; with tags, the tagged ones.
		 * Server series have no totals: every one the tags match is gathered, as a PromQL
		 * sum over the selector would (histograms bound by bound, counters added).
		 */
		if (!c->server && (sel->tag_count == 0) != (c->tag_count == 0))
			continue;
		if (!c->server && sel->tag_count == 0 && !c->endpoint)
			continue;
		const char *why = model_merge_series(s->scratch, into, c, s->endpoint, sel->tags,
						     sel->tag_count);
		if (why) {
			set_note(s, "the %s series selected cannot be combined: %s", metric, why);
			return NULL;
		}
		count++;
		merged = model_find_series(into, metric, s->endpoint, sel->tags, sel->tag_count);
	}
	return count > 0 ? merged : NULL;
}

/* "no 'latency' series in run 'x' (did you mean 'latncy'?)": why a series is missing. */
/*
 * The distinct values a run's series of metric have for tag key (key NULL: the distinct tag
 * keys of those series; metric NULL: the distinct metric names), in model order. Returns a
 * new array (free) and its length in *count.
 */
static const char **distinct_names(const struct run *run, const char *metric, const char *key,
				   bool keys, size_t *count)
{
	const char **names = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < run->series_count; i++) {
		const struct series *c = run->series[i];
		if (metric && strcmp(c->metric, metric) != 0)
			continue;
		size_t items = metric ? c->tag_count : 1;
		for (size_t t = 0; t < items; t++) {
			const char *name = !metric ? c->metric
					   : keys ? c->tags[t].key
						  : strcmp(c->tags[t].key, key) == 0 ? c->tags[t].value
										      : NULL;
			bool seen = !name;
			for (size_t j = 0; j < n && !seen; j++)
				seen = strcmp(names[j], name) == 0;
			if (seen)
				continue;
			names = xgrow(names, &cap, n + 1, sizeof *names);
			names[n++] = name;
		}
	}
	*count = n;
	return names;
}

/*
 * " (did you mean 'route'?)" or " (did you mean route=/work?)" when the run has series of
 * metric but none with the selector's tags: the closest label name, or value, they have.
 */
static void suggest_tag(const struct scope *s, const char *metric, struct buf *b)
{
	const struct selector *sel = &s->rule->selector;
	for (size_t i = 0; i < sel->tag_count; i++) {
		size_t n;
		const char **keys = distinct_names(s->run, metric, NULL, true, &n);
		bool known = false;
		for (size_t k = 0; k < n && !known; k++)
			known = strcmp(keys[k], sel->tags[i].key) == 0;
		const char *close = known ? NULL : str_closest(sel->tags[i].key, keys, n);
		free(keys);
		if (!known) {
			if (close)
				buf_printf(b, " (no series of it has a tag '%s'; did you mean '%s'?)",
					   sel->tags[i].key, close);
			return;
		}
		const char **values = distinct_names(s->run, metric, sel->tags[i].key, false, &n);
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = strcmp(values[k], sel->tags[i].value) == 0;
		close = found ? NULL : str_closest(sel->tags[i].value, values, n);
		free(values);
		if (close) {
			buf_printf(b, " (did you mean %s=%s?)", sel->tags[i].key, close);
			return;
		}
	}
}

static void note_no_series(struct scope *s, const char *metric)
{
	size_t n;
	const char **names = distinct_names(s->run, NULL, NULL, false, &n);
	bool exists = false;
	for (size_t i = 0; i < n && !exists; i++)
		exists = strcmp(names[i], metric) == 0;
	const char *close = exists ? NULL : str_closest(metric, names, n);
	free(names);
	struct buf b;
	buf_init(&b);
	const char *endpoints[256];
	size_t e = 0;
	bool endpoint_seen = !s->endpoint;
	for (size_t i = 0; i < s->run->series_count && !endpoint_seen; i++) {
		const char *name = s->run->series[i]->endpoint;
		endpoint_seen = name && endpoint_fits(s, s->run->series[i]);
		if (name && e < PG_ARRAY_LEN(endpoints) && (e == 0 || strcmp(endpoints[e - 1], name)))
			endpoints[e++] = name;
	}
	if (!endpoint_seen) {
		const char *near = str_closest(s->endpoint, endpoints, e);
		buf_printf(&b, "run '%s' has no endpoint '%s'", s->run->label, s->endpoint);
		if (near)
			buf_printf(&b, " (did you mean '%s'?)", near);
		if (!s->note)
			s->unmatched = true;
		set_note(s, "%s", b.data);
		buf_fini(&b);
		return;
	}
	buf_printf(&b, "run '%s' has no '%s' series", s->run->label, metric);
	if (s->endpoint)
		buf_printf(&b, " at '%s'", s->endpoint);
	if (s->rule->selector.tag_count > 0) {
		buf_puts(&b, " with ");
		for (size_t i = 0; i < s->rule->selector.tag_count; i++)
			buf_printf(&b, "%s%s=%s", i ? "," : "", s->rule->selector.tags[i].key,
				   s->rule->selector.tags[i].value);
	}
	if (close)
		buf_printf(&b, " (did you mean '%s'?)", close);
	else if (exists)
		suggest_tag(s, metric, &b);
	set_note(s, "%s", b.data);
	buf_fini(&b);
}

static void learn(struct scope *s, const struct series *series, int64_t samples)
{
	if (!s->metric) {
		s->metric = series->metric;
		s->input = series->source;
		s->precision = series->precision;
		s->samples = samples;
	}
}

/* ---- aggregations over the whole target ---- */

/* The k6 type of a series, for k6 rules. */
static enum k6_metric_type k6_type_of(const struct series *series)
{
	switch (series->kind) {
	case SERIES_TREND: return K6_TYPE_TREND;
	case SERIES_COUNTER: return K6_TYPE_COUNTER;
	case SERIES_RATE: return K6_TYPE_RATE;
	case SERIES_GAUGE: return K6_TYPE_GAUGE;
	}
	return K6_TYPE_UNKNOWN;
}

/* Apdex from a histogram: samples <= T satisfied, <= 4T tolerating (bucket resolution). */
static struct num apdex_exact(const struct series *series, double target_ms)
{
	const struct hist *h = &series->hist;
	int64_t total = hist_count(h);
	if (total == 0)
		return missing_num;
	double satisfied = 0, tolerating = 0;
	struct hist_iter it;
	hist_iter_init(&it, h);
	while (hist_iter_next(&it)) {
		double v = (double)hist_median_equivalent(&h->layout, it.value_lowest) /
			   series->scale;
		if (v <= target_ms)
			satisfied += (double)it.count;
		else if (v <= 4 * target_ms)
			tolerating += (double)it.count;
	}
	return (struct num){(satisfied + tolerating / 2) / (double)total, VALUE_EXACT, DIM_RATIO};
}

/* The share of samples at or below v from reported percentiles: bisection, an estimate. */
static double share_below(const struct series *series, double v)
{
	struct value lo = model_series_value_at(series, 0), hi = model_series_value_at(series, 1);
	if (lo.kind != VALUE_MISSING && v < lo.number)
		return 0;
	if (hi.kind != VALUE_MISSING && v >= hi.number)
		return 1;
	double a = 0, b = 1;
	for (int i = 0; i < 50; i++) {
		double mid = (a + b) / 2;
		struct value m = model_series_value_at(series, mid);
		if (m.kind == VALUE_MISSING)
			return NAN;
		if (m.number <= v)
			a = mid;
		else
			b = mid;
	}
	return a;
}

static struct num apdex(struct scope *s, const struct series *series, double target_ms)
{
	if (series->has_hist)
		return apdex_exact(series, target_ms);
	double satisfied = share_below(series, target_ms);
	double within = share_below(series, 4 * target_ms);
	if (isnan(satisfied) || isnan(within)) {
		set_note(s, "apdex needs at least two reported percentiles of %s", series->metric);
		return missing_num;
	}
	return (struct num){satisfied + (within - satisfied) / 2, VALUE_ESTIMATE, DIM_RATIO};
}

static struct num from_value(struct value v, enum dim dim)
{
	return (struct num){v.number, v.kind, v.kind == VALUE_MISSING ? DIM_UNKNOWN : dim};
}

static const struct series *rps_series(struct scope *s)
{
	if (s->rule->selector.tag_count > 0)
		return NULL; /* a tool's rps is for the run or an endpoint, never a tag set */
	return model_find_series(s->run, "rps", s->endpoint, NULL, 0);
}

/* rps and error_rate: the request counters at the target, as show computes them. */
static struct num request_rate(struct scope *s, enum agg agg, const struct expr *e)
{
	const struct series *requests = find_series(s, "requests");
	const struct series *errors = agg == AGG_ERROR_RATE ? find_series(s, "errors") : NULL;
	const struct series *unanswered = agg == AGG_ERROR_RATE ? find_series(s, "unanswered")
								: NULL;
	const struct series *rps = agg == AGG_RPS ? rps_series(s) : NULL;
	struct request_totals t = model_totals_of(requests, errors, unanswered, rps, s->run->duration_s);
	struct value v = agg == AGG_RPS ? t.rps : t.error_rate;
	if (v.kind == VALUE_MISSING) {
		if (!requests && !rps)
			note_no_series(s, "requests");
		else if (agg == AGG_ERROR_RATE && !errors)
			note_no_series(s, "errors");
		else if (agg == AGG_RPS)
			set_note(s, "the duration of run '%s' is not known", s->run->label);
		else
			set_note(s, "no requests at the target");
		(void)e;
		return missing_num;
	}
	const struct series *basis = requests ? requests : rps;
	learn(s, basis, requests ? (int64_t)requests->total : -1);
	if (s->want_noise && agg == AGG_RPS && !(rps && t.rps.kind == VALUE_REPORTED))
		s->has_noise = noise_of_throughput(&s->noise, s->run, requests, v.number);
	else if (s->want_noise && agg == AGG_ERROR_RATE)
		s->has_noise = noise_of_share(&s->noise, v.number,
					      requests->total + (unanswered ? unanswered->total : 0));
	if (agg == AGG_RPS && rps && !requests)
		s->precision = rps->precision;
	return from_value(v, agg == AGG_RPS ? DIM_PER_S : DIM_RATIO);
}

static struct num aggregate(struct scope *s, const struct expr *e)
{
	const struct rule *rule = s->rule;
	if (e->agg == AGG_RPS || e->agg == AGG_ERROR_RATE)
		return request_rate(s, e->agg, e);
	/* k6: the rate of http_req_failed (perfgate's errors counter) is errors / requests */
	if (rule->k6 && e->agg == AGG_RATE && strcmp(rule->k6_metric, "http_req_failed") == 0)
		return request_rate(s, AGG_ERROR_RATE, e);
	const char *metric = rule->selector.metric;
	const struct series *series = find_series(s, metric);
	if (!series) {
		note_no_series(s, metric);
		return missing_num;
	}
	struct check_context c = {metric, true, series->kind, dim_of_unit(series->unit),
				  series->server};
	const char *why;
	enum dim dim = agg_result_dim(e->agg, &c, &why);
	if (rule->k6 && !why) {
		/* k6 allows: counter count/rate, gauge value, rate rate, trend avg/min/max/med/p */
		enum k6_metric_type type = k6_type_of(series);
		bool allowed;
		switch (e->agg) {
		case AGG_COUNT: allowed = type == K6_TYPE_COUNTER; break;
		case AGG_RATE: allowed = type == K6_TYPE_COUNTER || type == K6_TYPE_RATE; break;
		case AGG_VALUE: allowed = type == K6_TYPE_GAUGE; break;
		default: allowed = type == K6_TYPE_TREND; break;
		}
		if (!allowed)
			why = "k6 allows count and rate on a counter, value on a gauge, rate on a "
			      "rate, and avg, min, med, max, p(N) on a trend";
	}
	if (why) {
		report_at(s, DIAG_BUDGET_DIMENSION, e->offset, e->len, "'%.*s' does not apply to %s (a %s)",
			  (int)e->len, s->assertion->text.text + e->offset, metric,
			  model_kind_name(series->kind));
		diag_report(s->d, DIAG_NOTE, NULL, "%s", why);
		return missing_num;
	}
	struct value count = model_series_stat(series, STAT_COUNT);
	int64_t samples = series->kind == SERIES_TREND
				  ? (count.kind == VALUE_MISSING ? -1 : (int64_t)count.number)
				  : (int64_t)series->total;
	/* a server series' numbers are increases over a window, not counted samples */
	learn(s, series, series->kind == SERIES_GAUGE || series->server ? -1 : samples);
	struct num out = missing_num;
	switch (series->kind) {
	case SERIES_TREND:
		if (count.kind != VALUE_MISSING && count.number == 0) {
			set_note(s, "the %s series has no samples", metric);
			return missing_num;
		}
		switch (e->agg) {
		case AGG_P:
			out = from_value(model_series_value_at(series, model_quantile_of_percent(e->number)), dim);
			if (s->want_noise && out.kind != VALUE_MISSING)
				s->has_noise = noise_of_quantile(&s->noise, series,
								 model_quantile_of_percent(e->number),
								 out.value);
			break;
		case AGG_MED:
			out = from_value(model_series_value_at(series, 0.5), dim);
			if (s->want_noise && out.kind != VALUE_MISSING)
				s->has_noise = noise_of_quantile(&s->noise, series, 0.5, out.value);
			break;
		case AGG_AVG:
			out = from_value(model_series_stat(series, STAT_MEAN), dim);
			if (s->want_noise && out.kind != VALUE_MISSING)
				s->has_noise = noise_of_mean(&s->noise, series, out.value);
			break;
		case AGG_MIN: out = from_value(model_series_stat(series, STAT_MIN), dim); break;
		case AGG_MAX: out = from_value(model_series_stat(series, STAT_MAX), dim); break;
		case AGG_STDDEV: out = from_value(model_series_stat(series, STAT_STDDEV), dim); break;
		case AGG_COUNT: out = from_value(count, DIM_SCALAR); break;
		case AGG_APDEX: out = apdex(s, series, e->number); break;
		default: break;
		}
		break;
	case SERIES_COUNTER:
		if (e->agg == AGG_COUNT)
			out = (struct num){series->total, VALUE_EXACT, dim};
		else if (isnan(series->span_s))
			set_note(s, "%s has no rate: its samples span no time (one point in time, or "
				 "inputs with no times)", metric);
		else if (series->span_s > 0)
			/* a server counter: its increase over the window it was computed for */
			out = (struct num){series->total / series->span_s, VALUE_EXACT, dim};
		else if (!(s->run->duration_s > 0))
			set_note(s, "the duration of run '%s' is not known", s->run->label);
		else
			out = (struct num){series->total / s->run->duration_s, VALUE_EXACT, dim};
		break;
	case SERIES_RATE:
		if (e->agg == AGG_COUNT)
			out = (struct num){series->total, VALUE_EXACT, DIM_SCALAR};
		else if (series->total > 0)
			out = (struct num){series->passes / series->total, VALUE_EXACT, DIM_RATIO};
		else
			set_note(s, "the %s rate has no samples", metric);
		break;
	case SERIES_GAUGE:
		if (!series->gauge.set)
			break;
		out.kind = VALUE_EXACT;
		out.dim = dim;
		if (e->agg == AGG_P || e->agg == AGG_MED) {
			/* a server gauge's samples over time (quantile_over_time) */
			double q = e->agg == AGG_MED ? 0.5 : model_quantile_of_percent(e->number);
			out = from_value(model_series_value_at(series, q), dim);
			break;
		}
		if (e->agg == AGG_AVG) {
			/* a server gauge keeps its mean over time; a load generator's does not */
			if (!(series->gauge.weight > 0)) {
				out.kind = VALUE_MISSING;
				break;
			}
			out.value = series->gauge.sum / series->gauge.weight;
			break;
		}
		out.value = e->agg == AGG_MIN ? series->gauge.min
			    : e->agg == AGG_MAX ? series->gauge.max
						: series->gauge.value;
		break;
	}
	if (out.kind == VALUE_MISSING)
		set_note(s, "%s reported no '%.*s' for %s", series->source ? series->source : "the input",
			 (int)e->len, s->assertion->text.text + e->offset, metric);
	return out;
}

/* ---- values ---- */

static enum value_kind combine_kinds(enum value_kind a, enum value_kind b)
{
	if (a == VALUE_MISSING || b == VALUE_MISSING)
		return VALUE_MISSING;
	if (a == VALUE_ESTIMATE || b == VALUE_ESTIMATE)
		return VALUE_ESTIMATE;
	return VALUE_EXACT;
}

static struct num evaluate(struct scope *s, const struct expr *e, const struct expr *lhs);

/* The left side of a comparison on the baseline run. */
static struct num on_baseline(struct scope *s, const struct expr *lhs, const struct model *base,
			      double *baseline_value)
{
	if (!base) {
		set_note(s, "no --baseline was given");
		return missing_num;
	}
	const struct run *run = model_baseline_run(base, s->run);
	if (!run) {
		set_note(s, "the baseline has no run '%s' (and more than one run)", s->run->label);
		return missing_num;
	}
	struct scope b = *s;
	b.model = base;
	b.run = run;
	b.scratch = NULL;
	b.note = NULL;
	b.metric = NULL;
	b.has_noise = false;
	memset(&b.noise, 0, sizeof b.noise);
	struct num v = evaluate(&b, lhs, NULL);
	if (b.has_noise) { /* it owns copies: it outlives the scratch series */
		noise_fini(&s->base_noise);
		s->base_noise = b.noise;
		s->has_base_noise = true;
	} else {
		noise_fini(&b.noise);
	}
	model_free(b.scratch);
	if (b.failed)
		s->failed = true;
	if (v.kind == VALUE_MISSING)
		set_note(s, "baseline: %s", b.note ? b.note : "no data");
	free(b.note);
	*baseline_value = v.value;
	return v;
}

static struct num evaluate(struct scope *s, const struct expr *e, const struct expr *lhs)
{
	struct num a, b;
	switch (e->kind) {
	case EXPR_NUMBER:
		return (struct num){e->number, VALUE_EXACT, e->dim};
	case EXPR_BASELINE: {
		struct num v = on_baseline(s, lhs, s->options->baseline, &s->baseline);
		s->has_baseline = v.kind != VALUE_MISSING;
		if (v.kind == VALUE_REPORTED)
			v.kind = VALUE_EXACT; /* a limit derived from a reported value */
		return v;
	}
	case EXPR_AGG:
		return aggregate(s, e);
	case EXPR_NEG:
		a = evaluate(s, e->lhs, lhs);
		a.value = -a.value;
		return a;
	case EXPR_ADD:
	case EXPR_SUB:
	case EXPR_MUL:
	case EXPR_DIV:
	case EXPR_RELATIVE: {
		a = evaluate(s, e->lhs, lhs);
		b = evaluate(s, e->rhs, lhs);
		struct num out = {0, combine_kinds(a.kind, b.kind), a.dim};
		if (out.kind == VALUE_MISSING)
			return missing_num;
		switch (e->kind) {
		case EXPR_ADD: out.value = a.value + b.value; break;
		case EXPR_SUB: out.value = a.value - b.value; break;
		case EXPR_MUL: out.value = a.value * b.value; break;
		case EXPR_DIV: out.value = a.value / b.value; break;
		case EXPR_RELATIVE:
			/* X + N%: N percent more than X; on a share, N percentage points */
			out.value = a.dim == DIM_RATIO ? a.value + b.value : a.value * (1 + b.value);
			break;
		default: break;
		}
		if (e->kind == EXPR_MUL && (a.dim == DIM_BARE || a.dim == DIM_SCALAR))
			out.dim = b.dim;
		else if ((e->kind == EXPR_ADD || e->kind == EXPR_SUB) && a.dim == DIM_BARE)
			out.dim = b.dim;
		else if (e->kind == EXPR_DIV && b.dim != DIM_BARE && b.dim != DIM_SCALAR)
			out.dim = DIM_BARE;
		if (!isfinite(out.value)) {
			set_note(s, "'%.*s' has no finite value", (int)e->len,
				 s->assertion->text.text + e->offset);
			return missing_num;
		}
		return out;
	}
	case EXPR_CMP:
	case EXPR_AND:
	case EXPR_OR:
		break;
	}
	return missing_num;
}

/* ---- comparisons ---- */

static bool compare(double a, enum cmp_op op, double b)
{
	switch (op) {
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	}
	return false;
}

/* What one comparison found. */
struct outcome {
	enum status status;
	int64_t samples;        /* what the comparison's first series said (for the result) */
	enum precision precision;
	const char *metric;
	const char *input;
	const struct expr *decider;
	struct num observed, limit;
	bool has_baseline;
	double baseline;
	double breach_ms;
	int64_t breach_start_us;
	bool has_interval;
	double change, change_lo, change_hi, limit_change;
	const char *point_why;
};

static bool dims_fit(struct scope *s, const struct expr *c, struct num *l, struct num *r)
{
	enum dim out;
	if (l->dim == DIM_UNKNOWN || r->dim == DIM_UNKNOWN)
		return true;
	if (dim_unify(l->dim, r->dim, &out)) {
		l->dim = r->dim = out == DIM_BARE ? DIM_SCALAR : out;
		return true;
	}
	report_at(s, DIAG_BUDGET_DIMENSION, c->rhs->offset, c->rhs->len,
		  "'%.*s' is a %s, but %s is a %s",
		  (int)c->rhs->len, s->assertion->text.text + c->rhs->offset, dim_name(r->dim),
		  s->metric ? s->metric : "the series", dim_name(l->dim));
	return false;
}

/* Per-interval values of an aggregation; false (reported) when the series has none. */
static bool window_outcome(struct scope *s, const struct expr *c, struct outcome *o);

/* ---- baseline comparisons on intervals (docs/statistics.md, docs/budgets.md) ---- */

enum { BASELINE_RESAMPLES = 4000 };

/*
 * Whether comparison c is judged on intervals: its right side reads the baseline, its left
 * side is one aggregation, it is an ordering (< <= > >=) without a `for` window, and the rule
 * did not ask for "comparison": "point".
 */
static bool wants_interval(const struct scope *s, const struct expr *c)
{
	return !s->rule->point_comparison && !s->rule->k6 && c->window_ms == 0 &&
	       c->lhs->kind == EXPR_AGG && expr_uses_baseline(c->rhs) && c->op != CMP_EQ &&
	       c->op != CMP_NE;
}

/*
 * The right side with the baseline's value b: numbers, `baseline` and arithmetic only; NaN
 * when it reads anything else (an aggregation of the candidate), which has no interval here.
 */
static double limit_of(const struct expr *e, double b, enum dim dim)
{
	double l, r;
	switch (e->kind) {
	case EXPR_NUMBER: return e->number;
	case EXPR_BASELINE: return b;
	case EXPR_NEG: return -limit_of(e->lhs, b, dim);
	case EXPR_ADD:
	case EXPR_SUB:
	case EXPR_MUL:
	case EXPR_DIV:
	case EXPR_RELATIVE:
		l = limit_of(e->lhs, b, dim);
		r = limit_of(e->rhs, b, dim);
		switch (e->kind) {
		case EXPR_ADD: return l + r;
		case EXPR_SUB: return l - r;
		case EXPR_MUL: return l * r;
		case EXPR_DIV: return l / r;
		default: return dim == DIM_RATIO ? l + r : l * (1 + r);
		}
	default:
		return NAN;
	}
}

/*
 * The generator's seed: the rule, the assertion and the endpoint, never the run's label (a
 * path: the same inputs read from another directory must give the same verdict).
 */
static uint64_t interval_seed(const struct scope *s)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ ((uint64_t)s->rule->index << 20) ^
		     (uint64_t)(s->assertion - s->rule->assertions);
	return s->endpoint ? str_fnv1a(h, s->endpoint, strlen(s->endpoint)) : h;
}

/*
 * Decides comparison c from the two values' bootstrap distributions: D = observed - limit
 * (the limit computed from each drawn baseline value); with a ceiling (< <=) the result
 * fails when D's interval lies above 0, passes when it lies at or below it, and is
 * inconclusive when it straddles 0; a floor (> >=) mirrors it. Returns false, with
 * s->point_why set, when a value has no within-run noise (then the caller compares points).
 */
static bool interval_outcome(struct scope *s, const struct expr *c, const struct noise *cand,
			     struct outcome *o)
{
	if (!cand || !s->has_base_noise) {
		s->point_why = !cand ? "the candidate's value has no interval (reported by the tool)"
				     : "the baseline's value has no interval (reported by the tool)";
		return false;
	}
	double base = s->base_noise.value;
	if (!(base > 0) || !isfinite(limit_of(c->rhs, base, o->observed.dim))) {
		s->point_why = "the limit is not a multiple of a positive baseline value";
		return false;
	}
	double confidence = s->options->confidence > 0 ? s->options->confidence : 0.95;
	double *d = xmalloc(BASELINE_RESAMPLES * sizeof *d);
	double *ch = xmalloc(BASELINE_RESAMPLES * sizeof *ch);
	struct rng r;
	rng_seed(&r, interval_seed(s));
	size_t n = 0;
	for (int i = 0; i < BASELINE_RESAMPLES; i++) {
		double x = noise_draw(cand, &r), b = noise_draw(&s->base_noise, &r);
		double limit = limit_of(c->rhs, b, o->observed.dim);
		if (!isfinite(limit) || !(b > 0))
			continue;
		d[n] = x - limit;
		ch[n++] = x / b - 1;
	}
	stats_sort(d, n);
	stats_sort(ch, n);
	double a = (1 - confidence) / 2;
	double lo = stats_sorted_quantile(d, n, a), hi = stats_sorted_quantile(d, n, 1 - a);
	o->has_interval = true;
	o->change = o->observed.value / base - 1;
	o->change_lo = stats_sorted_quantile(ch, n, a);
	o->change_hi = stats_sorted_quantile(ch, n, 1 - a);
	o->limit_change = o->limit.value / base - 1;
	free(d);
	free(ch);
	bool ceiling = c->op == CMP_LT || c->op == CMP_LE;
	if (ceiling)
		o->status = lo > 0 ? STATUS_FAIL
			    : (c->op == CMP_LE ? hi <= 0 : hi < 0) ? STATUS_PASS
								    : STATUS_INCONCLUSIVE;
	else
		o->status = hi < 0 ? STATUS_FAIL
			    : (c->op == CMP_GE ? lo >= 0 : lo > 0) ? STATUS_PASS
								    : STATUS_INCONCLUSIVE;
	return n > 0;
}

static struct outcome comparison(struct scope *s, const struct expr *c)
{
	struct outcome o = {.status = STATUS_NO_DATA, .decider = c, .observed = missing_num,
			    .limit = missing_num};
	s->has_baseline = false;
	s->metric = NULL; /* learn() records this comparison's series */
	s->samples = -1;
	s->precision = PREC_EXACT;
	s->input = NULL;
	bool intervals = wants_interval(s, c);
	s->want_noise = intervals;
	s->has_noise = s->has_base_noise = false;
	s->point_why = NULL;
	o.observed = evaluate(s, c->lhs, c->lhs);
	struct noise cand = s->noise;
	bool has_cand = s->has_noise;
	memset(&s->noise, 0, sizeof s->noise);
	s->has_noise = false;
	o.limit = evaluate(s, c->rhs, c->lhs);
	s->want_noise = false;
	noise_fini(&s->noise);
	bool decided = false;
	if (intervals && o.observed.kind != VALUE_MISSING && o.limit.kind != VALUE_MISSING &&
	    s->has_baseline && !isnan(o.observed.value) && !isnan(o.limit.value))
		decided = interval_outcome(s, c, has_cand ? &cand : NULL, &o);
	noise_fini(&cand);
	noise_fini(&s->base_noise);
	s->has_base_noise = false;
	if (intervals && !decided && s->has_baseline)
		o.point_why = s->point_why;
	o.has_baseline = s->has_baseline;
	o.baseline = s->baseline;
	o.samples = s->samples;
	o.precision = s->precision;
	o.metric = s->metric;
	o.input = s->input;
	if (o.observed.kind == VALUE_MISSING || o.limit.kind == VALUE_MISSING)
		return o;
	/* NaN (an infinity minus an infinity in the inputs, DIAG_NOT_FINITE) is no value */
	if (isnan(o.observed.value) || isnan(o.limit.value)) {
		set_note(s, "the value is not a number: the inputs' values summed past the largest "
			    "double");
		if (isnan(o.observed.value))
			o.observed = missing_num;
		if (isnan(o.limit.value))
			o.limit = missing_num;
		return o;
	}
	if (!dims_fit(s, c, &o.observed, &o.limit)) {
		o.observed = missing_num;
		return o;
	}
	if (c->window_ms > 0) {
		if (!window_outcome(s, c, &o))
			o.status = STATUS_NO_DATA;
		return o;
	}
	if (!decided)
		o.status = compare(o.observed.value, c->op, o.limit.value) ? STATUS_PASS
										 : STATUS_FAIL;
	return o;
}

/*
 * and / or over four outcomes, the left one first on a tie. and: a failure decides, then no
 * data, then an inconclusive comparison (it may fail), else both passed. or: a pass decides,
 * then no data, then an inconclusive one (it may pass), else both failed.
 */
static int and_rank(enum status s)
{
	return s == STATUS_FAIL ? 3 : s == STATUS_NO_DATA ? 2 : s == STATUS_INCONCLUSIVE ? 1 : 0;
}

static int or_rank(enum status s)
{
	return s == STATUS_PASS ? 3 : s == STATUS_NO_DATA ? 2 : s == STATUS_INCONCLUSIVE ? 1 : 0;
}

static struct outcome condition(struct scope *s, const struct expr *e)
{
	if (e->kind == EXPR_CMP)
		return comparison(s, e);
	struct outcome l = condition(s, e->lhs);
	struct outcome r = condition(s, e->rhs);
	int (*rank)(enum status) = e->kind == EXPR_AND ? and_rank : or_rank;
	return rank(r.status) > rank(l.status) ? r : l;
}

/* ---- windows ---- */

/* Sum and count of the intervals of t that start within [from, to). */
static void interval_span(const struct timeline *t, int64_t from, int64_t to, double *sum,
			  int64_t *count)
{
	*sum = 0;
	*count = 0;
	for (size_t i = 0; i < t->count; i++) {
		int64_t at = timeline_start_us(t, i);
		if (at >= from && at < to) {
			*sum += timeline_at(t, i)->sum;
			*count += timeline_at(t, i)->count;
		}
	}
}

/*
 * The value of aggregation agg in interval i of series (driving the window). An interval with
 * no samples has a count, rps and counter rate of 0 (an outage is a breach of `rps > N`), and
 * no value for anything else.
 */
static bool interval_value(const struct run *run, const struct series *series,
			   const struct series *errors, const struct expr *agg, size_t i,
			   double *out)
{
	const struct timeline *t = series->timeline;
	const struct interval *iv = timeline_at(t, i);
	double width_s = model_run_interval_s(run, t, i);
	bool counted = series->kind == SERIES_COUNTER;
	if (iv->count == 0 && !(counted && (agg->agg == AGG_RPS || agg->agg == AGG_COUNT ||
					     agg->agg == AGG_RATE)))
		return false;
	switch (agg->agg) {
	case AGG_P:
	case AGG_MED:
		*out = (double)timeline_value_at(t, iv, agg->agg == AGG_MED
								? 0.5
								: model_quantile_of_percent(agg->number),
						 series->scale) /
		       series->scale;
		return true;
	case AGG_AVG: *out = iv->sum / (double)iv->count; return true;
	case AGG_MIN: *out = iv->min; return true;
	case AGG_MAX: *out = iv->max; return true;
	case AGG_COUNT: *out = counted ? iv->sum : (double)iv->count; return true;
	case AGG_VALUE: *out = iv->last; return true;
	case AGG_RPS: *out = iv->sum / width_s; return true;
	case AGG_RATE:
		*out = series->kind == SERIES_RATE ? iv->sum / (double)iv->count : iv->sum / width_s;
		return true;
	case AGG_ERROR_RATE: {
		if (!(iv->sum > 0))
			return false;
		double failed;
		int64_t n;
		int64_t start = timeline_start_us(t, i);
		interval_span(errors->timeline, start, start + t->width_us, &failed, &n);
		*out = failed / iv->sum;
		return true;
	}
	default:
		return false;
	}
}

static bool window_outcome(struct scope *s, const struct expr *c, struct outcome *o)
{
	const struct expr *agg = c->lhs;
	if (agg->kind != EXPR_AGG || agg->agg == AGG_STDDEV || agg->agg == AGG_APDEX) {
		report_at(s, DIAG_BUDGET_WINDOW, agg->offset, agg->len,
			  "a 'for' window needs one aggregation on the left: p(N), med, avg, min, "
			  "max, count, rate, rps, error_rate or value");
		return false;
	}
	const char *metric = s->rule->selector.metric;
	if (agg->agg == AGG_RPS || agg->agg == AGG_ERROR_RATE ||
	    (s->rule->k6 && agg->agg == AGG_RATE &&
	     strcmp(s->rule->k6_metric, "http_req_failed") == 0))
		metric = "requests";
	const struct series *series = find_series(s, metric);
	const struct series *errors = strcmp(metric, "requests") == 0 ? find_series(s, "errors")
								      : NULL;
	bool needs_hist = agg->agg == AGG_P || agg->agg == AGG_MED;
	const char *lacking = NULL;
	if (!series || !series->timeline || (strcmp(metric, "requests") == 0 && agg->agg !=
					     AGG_RPS && (!errors || !errors->timeline)))
		lacking = s->rule->selector.tag_count > 0 ? "per-interval data (series selected by "
							    "tags keep none)"
							  : "per-interval data";
	else if (needs_hist && !series->timeline->has_hist)
		lacking = "per-interval histograms";
	if (lacking) {
		report_at(s, DIAG_BUDGET_WINDOW, c->window_offset, c->window_len,
			  "'%.*s' needs %s of %s%s%s, which %s does not have",
			  (int)c->window_len, s->assertion->text.text + c->window_offset, lacking,
			  metric, s->endpoint ? " at " : "", s->endpoint ? s->endpoint : "",
			  series && series->source ? series->source : "the input");
		diag_report(s->d, DIAG_NOTE, NULL,
			    "per-interval data comes from raw streams (k6 --out json/csv) and Locust's "
			    "--csv-full-history; summaries keep whole-run numbers only");
		return false;
	}
	const struct timeline *t = series->timeline;
	double width_ms = (double)t->width_us / 1000;
	/* consecutive breaching intervals; the longest run decides */
	double run_ms = 0, longest_ms = 0, level = 0, longest_level = 0, worst = NAN;
	int64_t run_start = 0, longest_start = 0;
	bool lower_is_worse = c->op == CMP_GT || c->op == CMP_GE;
	for (size_t i = 0; i < t->count; i++) {
		double v;
		if (!model_run_in_window(s->run, t, i))
			continue; /* a run cut to a window: only its intervals count */
		bool have = interval_value(s->run, series, errors, agg, i, &v);
		if (have && (isnan(worst) || (lower_is_worse ? v < worst : v > worst)))
			worst = v;
		if (have && !compare(v, c->op, o->limit.value)) {
			if (run_ms == 0) {
				run_start = timeline_start_us(t, i);
				level = v;
			}
			/* the level held through the breach: the least bad interval in it */
			level = lower_is_worse ? fmax(level, v) : fmin(level, v);
			run_ms += width_ms;
			if (run_ms > longest_ms) {
				longest_ms = run_ms;
				longest_start = run_start;
				longest_level = level;
			}
		} else {
			run_ms = 0;
		}
	}
	if (isnan(worst)) {
		set_note(s, "no interval of %s has data", metric);
		return false;
	}
	o->breach_ms = longest_ms;
	o->breach_start_us = longest_start;
	o->status = longest_ms >= c->window_ms ? STATUS_FAIL : STATUS_PASS;
	o->observed.value = o->status == STATUS_FAIL ? longest_level : worst;
	o->observed.kind = VALUE_EXACT;
	char a[64];
	if (o->status == STATUS_PASS && longest_ms > 0)
		set_note(s, "the longest breach lasted %s, shorter than the window",
			 dim_format(a, longest_ms, DIM_TIME));
	else if (o->status == STATUS_PASS)
		set_note(s, "worst interval (%s wide) shown; no interval breached",
			 dim_format(a, width_ms, DIM_TIME));
	return true;
}

/* ---- rules ---- */

static enum no_data_policy policy_of(const struct budget *b, const struct rule *r,
				     const struct eval_options *o)
{
	if (o->has_no_data)
		return o->no_data;
	return r->has_no_data ? r->no_data : b->no_data;
}

static void push(struct verdict *v, const struct result *r)
{
	v->results = xgrow(v->results, &v->cap, v->count + 1, sizeof *v->results);
	v->results[v->count++] = *r;
	switch (r->effect) {
	case EFFECT_OK: v->passed++; break;
	case EFFECT_WARNING: v->warnings++; break;
	case EFFECT_FAILURE: v->failures++; break;
	case EFFECT_INCONCLUSIVE: v->inconclusive++; break;
	}
	if (r->status == STATUS_NO_DATA)
		v->no_data++;
}

static void decide_effect(const struct budget *b, const struct rule *rule,
			  const struct eval_options *o, struct result *r)
{
	bool failing = r->status == STATUS_FAIL;
	if (r->status == STATUS_NO_DATA) {
		enum no_data_policy p = policy_of(b, rule, o);
		if (p == NO_DATA_PASS) {
			r->effect = EFFECT_OK;
			return;
		}
		if (p == NO_DATA_WARN) {
			r->effect = EFFECT_WARNING;
			return;
		}
		failing = true;
	}
	bool unsure = r->status == STATUS_INCONCLUSIVE;
	if (!failing && !unsure) {
		r->effect = EFFECT_OK;
		return;
	}
	if (rule->has_waiver && o->today_day <= rule->waiver_until_day) {
		r->waived = true;
		r->effect = EFFECT_WARNING;
		return;
	}
	if (rule->level == LEVEL_WARN)
		r->effect = EFFECT_WARNING;
	else
		r->effect = unsure ? EFFECT_INCONCLUSIVE : EFFECT_FAILURE;
}

/*
 * What k6 makes of a threshold without data (FORMATS.md §1.5): a rate with no samples has no
 * value and passes; a trend without samples reads 0, as does a counter's count and rate.
 */
/*
 * Why a rule has no target at all. select_targets gives every run the selector picks a
 * target (a missing endpoint is judged per run), so only the run selection can be empty.
 */
static char *no_target_note(const struct rule *rule)
{
	if (rule->selector.run)
		return xasprintf("no run matches '%s'", rule->selector.run);
	return xstrdup("the inputs hold no run");
}

static const char *k6_without_data(const struct rule *rule, const struct expr *e)
{
	if (e->kind != EXPR_CMP || e->lhs->kind != EXPR_AGG || e->rhs->kind != EXPR_NUMBER)
		return "k6 itself has no value for it either";
	enum k6_metric_type type = k6_thresholds_builtin_type(rule->k6_metric);
	if (e->lhs->agg == AGG_RATE && type != K6_TYPE_COUNTER)
		return "k6 itself would have passed this threshold (a rate without samples has no "
		       "value, and k6 passes it)";
	return compare(0, e->op, e->rhs->number)
		       ? "k6 itself would have passed this threshold (k6 reads it as 0)"
		       : "k6 itself would have failed this threshold (k6 reads it as 0)";
}

static void evaluate_target(struct budget *b, const struct rule *rule, size_t a,
			    const struct target *target, const struct eval_options *o,
			    struct verdict *v, bool *ok, struct diag *d)
{
	struct scope scope = {.budget = b, .rule = rule, .assertion = &rule->assertions[a],
			      .d = d, .options = o, .samples = -1, .precision = PREC_EXACT};
	struct scope *s = &scope;
	struct result r = {.rule = rule, .assertion = a, .samples = -1, .status = STATUS_NO_DATA,
			   .metric = rule->selector.metric};
	if (target) {
		s->model = NULL;
		s->run = target->run;
		s->endpoint = target->endpoint;
		r.run = target->run;
		r.endpoint = target->endpoint;
		struct outcome out = condition(s, rule->assertions[a].expr);
		r.status = out.status;
		r.decider = out.decider;
		r.observed = (struct value){out.observed.value, out.observed.kind};
		r.limit = (struct value){out.limit.value, out.limit.kind};
		r.dim = out.observed.dim != DIM_UNKNOWN ? out.observed.dim : out.limit.dim;
		if (r.dim == DIM_BARE)
			r.dim = DIM_SCALAR;
		r.has_baseline = out.has_baseline;
		r.baseline = out.baseline;
		r.window_ms = out.decider ? out.decider->window_ms : 0;
		r.breach_ms = out.breach_ms;
		r.breach_start_us = out.breach_start_us;
		if (r.status == STATUS_NO_DATA) {
			r.observed.kind = VALUE_MISSING;
		}
		r.samples = out.samples;
		r.precision = out.precision;
		r.has_interval = out.has_interval;
		r.confidence = o->confidence > 0 ? o->confidence : 0.95;
		r.change = out.change;
		r.change_lo = out.change_lo;
		r.change_hi = out.change_hi;
		r.limit_change = out.limit_change;
		r.point_why = out.point_why;
		r.has_window = target->run->has_window;
		r.window_kind = target->run->window_kind;
		r.window_from_s = target->run->window_from_s;
		r.window_to_s = target->run->window_to_s;
		/* a merged series lives in the scratch model, freed below: keep copies */
		if (out.metric)
			r.metric = arena_strdup(&b->arena, out.metric);
		if (out.input)
			r.input = arena_strdup(&b->arena, out.input);
		if (s->failed)
			*ok = false;
	}
	if (!target)
		s->note = no_target_note(rule);
	else if (r.status == STATUS_NO_DATA && !s->note)
		set_note(s, "no data");
	r.note = s->note;
	r.unmatched = s->unmatched || !target;
	if (r.status == STATUS_NO_DATA && rule->k6) {
		char *note = xasprintf("%s; %s", r.note,
				       k6_without_data(rule, rule->assertions[a].expr));
		free(r.note);
		r.note = note;
	}
	model_free(s->scratch);
	decide_effect(b, rule, o, &r);
	push(v, &r);
}

/* ---- capacity rules: the runs are the load levels of a series (docs/budgets.md) ---- */

/* One comparison on one run: its outcome (the scope's note, if any, into *note). */
static struct outcome outcome_on(struct budget *b, const struct rule *rule, size_t a,
				 const struct run *run, const struct eval_options *o, char **note,
				 bool *ok, struct diag *d)
{
	struct scope scope = {.budget = b, .rule = rule, .assertion = &rule->assertions[a],
			      .d = d, .options = o, .samples = -1, .precision = PREC_EXACT,
			      .run = run};
	struct outcome out = comparison(&scope, rule->assertions[a].expr);
	if (out.metric) /* the scratch model goes below: keep copies */
		out.metric = arena_strdup(&b->arena, out.metric);
	if (out.input)
		out.input = arena_strdup(&b->arena, out.input);
	model_free(scope.scratch);
	if (scope.failed)
		*ok = false;
	*note = scope.note;
	return out;
}

/* The load level of a target's run (capacity_run_load), or NaN. */
static double load_of(const struct target *t)
{
	const char *unit;
	return capacity_run_load(t->run, &unit);
}

static int by_load(const void *x, const void *y)
{
	double a = load_of(*(const struct target *const *)x);
	double c = load_of(*(const struct target *const *)y);
	return (a > c) - (a < c);
}

/*
 * A capacity rule: its one comparison at load `at` of the series the selected runs make
 * (that level's value, or linear between the levels around it, said so), or at the level
 * where the comparison's left side is highest (peak). One result, on the run it read.
 */
static void evaluate_capacity(struct budget *b, const struct rule *rule, size_t a,
			      const struct target *targets, size_t count,
			      const struct eval_options *o, struct verdict *v, bool *ok,
			      struct diag *d)
{
	struct result r = {.rule = rule, .assertion = a, .samples = -1, .status = STATUS_NO_DATA,
			   .metric = rule->selector.metric, .capacity_load = NAN,
			   .capacity_lo = NAN, .capacity_hi = NAN};
	const struct expr *c = rule->assertions[a].expr;
	const struct target **levels = xcalloc(count ? count : 1, sizeof *levels);
	size_t n = 0;
	for (size_t i = 0; i < count; i++)
		if (!targets[i].endpoint && load_of(&targets[i]) > 0)
			levels[n++] = &targets[i];
	qsort(levels, n, sizeof *levels, by_load);
	double *loads = xcalloc(n ? n : 1, sizeof *loads);
	for (size_t i = 0; i < n; i++)
		loads[i] = load_of(levels[i]);
	struct outcome *outs = xcalloc(n ? n : 1, sizeof *outs);
	char *note = NULL;
	if (c->kind != EXPR_CMP) {
		note = xstrdup("a capacity rule's assertion is one comparison (no and/or)");
		goto done;
	}
	if (n < 2) {
		note = xasprintf("a capacity rule needs runs at two or more load levels (has %zu)", n);
		goto done;
	}
	for (size_t i = 1; i < n; i++)
		if (loads[i] == loads[i - 1]) { /* as capacity_analyse: one run per level */
			note = xasprintf("runs '%s' and '%s' are both at load %g: a series has one "
					 "run per level",
					 levels[i - 1]->run->label, levels[i]->run->label, loads[i]);
			goto done;
		}
	for (size_t i = 0; i < n; i++) {
		char *why = NULL;
		if (capacity_run_open(levels[i]->run) != capacity_run_open(levels[0]->run)) {
			const struct run *open = capacity_run_open(levels[0]->run) ? levels[0]->run
										     : levels[i]->run;
			note = xasprintf("mixed load units: run '%s' is an open model (an arrival "
					 "rate), and run '%s' a closed loop of clients "
					 "(docs/capacity.md)",
					 open->label,
					 open == levels[0]->run ? levels[i]->run->label
								: levels[0]->run->label);
			goto done;
		}
		outs[i] = outcome_on(b, rule, a, levels[i]->run, o, &why, ok, d);
		if (outs[i].observed.kind == VALUE_MISSING || outs[i].limit.kind == VALUE_MISSING) {
			note = xasprintf("the level at %g has no value: %s", loads[i],
					 why ? why : "no data");
			free(why);
			goto done;
		}
		free(why);
	}
	size_t at = 0;
	double observed = outs[0].observed.value, limit = NAN;
	const char *unit;
	capacity_run_load(levels[0]->run, &unit);
	if (isnan(rule->capacity_at)) { /* the peak: the level with the highest left side */
		for (size_t i = 1; i < n; i++)
			if (outs[i].observed.value > outs[at].observed.value)
				at = i;
		observed = outs[at].observed.value;
		note = xasprintf("the peak over %zu levels, at %g %s", n, loads[at], unit);
		r.capacity_load = loads[at];
	} else {
		double load = rule->capacity_at;
		size_t hi = 0;
		while (hi < n && loads[hi] < load)
			hi++;
		if (hi == n) {
			note = xasprintf("the series stops at %g %s, below %g", loads[n - 1], unit,
					 load);
			goto done;
		}
		if (loads[hi] == load || hi == 0) {
			if (loads[hi] != load) {
				note = xasprintf("the series starts at %g %s, above %g", loads[0],
						 unit, load);
				goto done;
			}
			at = hi;
			observed = outs[at].observed.value;
			note = xasprintf("measured at %g %s", load, unit);
			r.capacity_load = load;
		} else {
			size_t lo = hi - 1;
			double l0 = loads[lo], l1 = loads[hi];
			double v0 = outs[lo].observed.value, v1 = outs[hi].observed.value;
			observed = v0 + (load - l0) * (v1 - v0) / (l1 - l0);
			/* a limit that depends on the level (the baseline's value) too */
			limit = outs[lo].limit.value + (load - l0) *
							   (outs[hi].limit.value - outs[lo].limit.value) /
							   (l1 - l0);
			at = lo;
			char a0[64], a1[64];
			result_format(a0, &(struct result){.dim = outs[lo].observed.dim}, v0);
			result_format(a1, &(struct result){.dim = outs[hi].observed.dim}, v1);
			note = xasprintf("at %g %s, interpolated between %g (%s) and %g (%s)", load,
					 unit, l0, a0, l1, a1);
			r.capacity_load = load;
			r.interpolated = true;
			r.capacity_lo = l0;
			r.capacity_hi = l1;
		}
	}
	struct outcome *out = &outs[at];
	r.run = levels[at]->run;
	r.decider = out->decider;
	r.observed = (struct value){observed, out->observed.kind == VALUE_ESTIMATE
						      ? VALUE_ESTIMATE
						      : VALUE_EXACT};
	if (isnan(limit))
		limit = out->limit.value;
	r.limit = (struct value){limit, out->limit.kind};
	r.dim = out->observed.dim != DIM_UNKNOWN ? out->observed.dim : out->limit.dim;
	if (r.dim == DIM_BARE)
		r.dim = DIM_SCALAR;
	r.precision = out->precision;
	r.metric = out->metric ? out->metric : rule->selector.metric;
	r.input = out->input;
	r.status = compare(observed, c->op, limit) ? STATUS_PASS : STATUS_FAIL;
done:
	r.has_capacity = true;
	if (!r.run && n > 0) /* no value: the result is about the series, shown with its top */
		r.run = levels[n - 1]->run;
	r.note = note;
	r.unmatched = n == 0;
	decide_effect(b, rule, o, &r);
	push(v, &r);
	free(outs);
	free(loads);
	free(levels);
}

bool eval_budget(struct budget *b, const struct model *m, const struct eval_options *o,
		 struct verdict *v, struct diag *d)
{
	*v = (struct verdict){0};
	bool ok = true;
	for (size_t i = 0; i < b->rule_count; i++) {
		const struct rule *rule = &b->rules[i];
		if (rule->has_waiver && o->today_day > rule->waiver_until_day) {
			char *pointer = xasprintf("%s/waiver/until", rule->pointer);
			json_report(d, DIAG_WAIVER_EXPIRED, &b->src, pointer,
				    "the waiver of rule '%s' ended on %s; the rule counts in full",
				    rule->name, rule->waiver_until);
			free(pointer);
		}
		/* a rule with its own window reads the models cut to it */
		const struct model *rm = m;
		struct eval_options ro = *o;
		if (rule->has_window && o->windowed) {
			rm = o->windowed(o->windowed_context, &rule->window, false);
			ro.baseline = o->baseline ? o->windowed(o->windowed_context, &rule->window,
								true)
						  : NULL;
		}
		size_t first = v->count;
		size_t count;
		int regex_error = 0;
		struct target *targets = select_targets(&rule->selector, rm, &count, &regex_error);
		if (regex_error) {
			/* a regex that gave up would pass for "matches nothing": an error instead */
			char why[256];
			select_regex_error_text(regex_error, why);
			char *pointer = xasprintf("%s/regex", rule->selector.endpoint_pointer);
			json_report(d, DIAG_BUDGET_SELECTOR, &b->src, pointer,
				    "the endpoint regex of rule '%s' gave up on an endpoint name (%s): "
				    "which endpoints it selects is unknown; make it backtrack less",
				    rule->name, why);
			free(pointer);
			ok = false;
		}
		for (size_t a = 0; a < rule->assertion_count; a++) {
			if (!rule->assertions[a].expr)
				continue;
			if (rule->capacity) {
				evaluate_capacity(b, rule, a, targets, count, &ro, v, &ok, d);
				continue;
			}
			if (count == 0)
				evaluate_target(b, rule, a, NULL, &ro, v, &ok, d);
			for (size_t t = 0; t < count; t++)
				evaluate_target(b, rule, a, &targets[t], &ro, v, &ok, d);
		}
		/* results name m's runs (the outputs group by them), not the windowed copy's */
		for (size_t k = first; rm != m && k < v->count; k++)
			if (v->results[k].run)
				v->results[k].run = model_find_run(m, v->results[k].run->label);
		free(targets);
	}
	return ok;
}
