/*
 * compare.c - baseline runs against candidate runs, metric by metric (analysis.h).
 *
 * Each side is a set of runs of one workload, never merged: merging repeats would hide the
 * run-to-run noise a verdict must weigh, and reported percentiles cannot be merged at all.
 * For every endpoint on both sides and every metric of the table (p50 ... error rate):
 *
 *   1. each run gives its value and, where the data allows, its own noise: a quantile of a
 *      histogram (the bootstrap distribution of a sample quantile is that of an order
 *      statistic: rank ceil(n U) with U ~ Beta(r, n - r + 1), r = ceil(q n)), the mean of a
 *      histogram (normal, sd / sqrt(n)), throughput over a timeline (normal, the batch-means
 *      standard error of its per-interval rates), an error rate (binomial over the requests);
 *   2. a side's value is the median of its runs' values;
 *   3. the change (relative; for the error rate the difference of the shares) gets a
 *      percentile-bootstrap interval from a two-level bootstrap: each side's runs drawn with
 *      replacement, each drawn run's value drawn from its own noise;
 *   4. the verdict, as criterion.rs reads an interval against its noise threshold: the
 *      interval beyond +threshold the bad way is a regression, beyond it the good way an
 *      improvement, inside ±threshold no change, anything else inconclusive.
 *
 * A metric with no within-run noise in some run (a percentile wrk, autocannon or Locust
 * printed; throughput without a timeline) can only be judged across repeats: it also needs a
 * Mann-Whitney U test at the confidence's alpha, which needs stats_mann_whitney_min_n runs a
 * side (4 at 95 %); with fewer it is inconclusive and says how many. docs/statistics.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

enum { DEFAULT_RESAMPLES = 4000 };

static const char *const metric_names[CMP__COUNT] = {
	"p50", "p90", "p95", "p99", "mean", "throughput", "error_rate",
};
static const double metric_q[CMP__COUNT] = {0.5, 0.9, 0.95, 0.99, NAN, NAN, NAN};

const char *compare_metric_name(enum compare_metric m)
{
	return metric_names[m];
}

bool compare_metric_from_name(const char *name, size_t len, enum compare_metric *out)
{
	for (int m = 0; m < CMP__COUNT; m++)
		if (strlen(metric_names[m]) == len && memcmp(metric_names[m], name, len) == 0) {
			*out = (enum compare_metric)m;
			return true;
		}
	return false;
}

const char *change_verdict_name(enum change_verdict v)
{
	static const char *const names[] = {"no change", "regression", "improvement",
					    "inconclusive", "no data"};
	return names[v];
}

const char *change_verdict_json_name(enum change_verdict v)
{
	static const char *const names[] = {"no_change", "regression", "improvement",
					    "inconclusive", "no_data"};
	return names[v];
}

void compare_options_init(struct compare_options *o)
{
	memset(o, 0, sizeof *o);
	o->confidence = 0.95;
	for (int m = 0; m < CMP__COUNT; m++) {
		o->threshold[m] = m == CMP_ERROR_RATE ? 0.001 : 0.05;
		o->gate[m] = true;
	}
	o->resamples = DEFAULT_RESAMPLES;
}

/* ---- one run's value of a metric, and its noise ---- */

/* One run's value of a metric, and its noise (noise.value is the value). */
struct run_value {
	bool has;
	enum value_kind kind;
	enum precision precision;
	const struct series *series; /* latency: the series (for one run's quantile interval) */
	struct noise noise;
};

/* The trend compared (--metric; "latency" by default) at endpoint of run, or NULL. */
static const struct series *latency_series(const struct run *run, const char *name,
					   const char *endpoint)
{
	const struct series *s = model_find_series(run, name, endpoint, NULL, 0);
	return s && s->kind == SERIES_TREND ? s : NULL;
}

static struct run_value run_value_of(const struct run *run, const char *name,
				     const char *endpoint, enum compare_metric metric)
{
	struct run_value v = {0};
	v.precision = PREC_EXACT;
	if (metric == CMP_THROUGHPUT || metric == CMP_ERROR_RATE) {
		struct request_totals t = model_run_totals_at(run, endpoint);
		struct value x = metric == CMP_THROUGHPUT ? t.rps : t.error_rate;
		if (x.kind == VALUE_MISSING || !isfinite(x.number))
			return v;
		v.has = true;
		v.kind = x.kind;
		const struct series *req = model_find_series(run, "requests", endpoint, NULL, 0);
		if (metric == CMP_THROUGHPUT) {
			noise_of_throughput(&v.noise, run, req, x.number);
		} else {
			const struct series *un = model_find_series(run, "unanswered", endpoint, NULL, 0);
			noise_of_share(&v.noise, x.number, t.requests.number + (un ? un->total : 0));
		}
		return v;
	}
	const struct series *s = latency_series(run, name, endpoint);
	if (!s)
		return v;
	struct value x = metric == CMP_MEAN ? model_series_stat(s, STAT_MEAN)
					    : model_series_value_at(s, metric_q[metric]);
	if (x.kind == VALUE_MISSING || !isfinite(x.number))
		return v;
	v.has = true;
	v.kind = x.kind;
	v.precision = s->precision;
	v.series = s;
	if (metric == CMP_MEAN)
		noise_of_mean(&v.noise, s, x.number);
	else
		noise_of_quantile(&v.noise, s, metric_q[metric], x.number);
	return v;
}

/* ---- one side: the values of its runs ---- */

struct side {
	struct run_value *runs; /* those with a value */
	size_t count;
	bool all_noisy;         /* every run knows its own noise */
	double *scratch;        /* count doubles, for medians */
};

static void side_collect(struct side *sd, const struct model *m, const char *name,
			 const char *endpoint, enum compare_metric metric)
{
	memset(sd, 0, sizeof *sd);
	sd->runs = xcalloc(m->run_count ? m->run_count : 1, sizeof *sd->runs);
	sd->all_noisy = true;
	for (size_t i = 0; i < m->run_count; i++) {
		struct run_value v = run_value_of(m->runs[i], name, endpoint, metric);
		if (!v.has)
			continue;
		if (v.noise.kind == NOISE_NONE)
			sd->all_noisy = false;
		sd->runs[sd->count++] = v;
	}
	sd->scratch = xmalloc((sd->count ? sd->count : 1) * sizeof *sd->scratch);
}

static void side_fini(struct side *sd)
{
	for (size_t i = 0; i < sd->count; i++)
		noise_fini(&sd->runs[i].noise);
	free(sd->runs);
	free(sd->scratch);
}

static double side_median(struct side *sd)
{
	for (size_t i = 0; i < sd->count; i++)
		sd->scratch[i] = sd->runs[i].noise.value;
	return stats_median(sd->scratch, sd->count);
}

/* One bootstrap draw of the side's value: runs drawn with replacement, each from its noise. */
static double side_draw(struct side *sd, struct rng *r)
{
	for (size_t i = 0; i < sd->count; i++)
		sd->scratch[i] = noise_draw(&sd->runs[rng_below(r, sd->count)].noise, r);
	return sd->count == 1 ? sd->scratch[0] : stats_median(sd->scratch, sd->count);
}

/* ---- the change between two sides ---- */

static bool relative_metric(enum compare_metric m)
{
	return m != CMP_ERROR_RATE;
}

static double change_of(enum compare_metric m, double base, double cand)
{
	return relative_metric(m) ? cand / base - 1 : cand - base;
}

/* A seed from the row's identity, so one row's numbers do not depend on the others. */
static uint64_t row_seed(const char *endpoint, int metric, double q)
{
	uint64_t h = UINT64_C(1469598103934665603);
	if (endpoint)
		h = str_fnv1a(h, endpoint, strlen(endpoint));
	h = (h ^ (uint64_t)metric) * UINT64_C(1099511628211);
	return h ^ (uint64_t)llround(isfinite(q) ? q * 1e6 : 0);
}

/* The bootstrap interval of the change: [*lo, *hi] at the confidence. */
static void bootstrap_change(struct side *b, struct side *c, enum compare_metric m, double q,
			     const char *endpoint, const struct compare_options *o, double *lo,
			     double *hi)
{
	int n = o->resamples > 0 ? o->resamples : DEFAULT_RESAMPLES;
	double *changes = xmalloc((size_t)n * sizeof *changes);
	struct rng r;
	rng_seed(&r, row_seed(endpoint, (int)m, q));
	size_t kept = 0;
	for (int i = 0; i < n; i++) {
		double x = side_draw(b, &r), y = side_draw(c, &r);
		double ch = change_of(m, x, y);
		if (isfinite(ch))
			changes[kept++] = ch;
	}
	stats_sort(changes, kept);
	double a = (1 - o->confidence) / 2;
	*lo = stats_sorted_quantile(changes, kept, a);
	*hi = stats_sorted_quantile(changes, kept, 1 - a);
	free(changes);
}

/* ---- rows ---- */

static void side_summary(struct side *sd, enum compare_metric m, double confidence,
			 struct compare_side *out)
{
	memset(out, 0, sizeof *out);
	out->interval.why = INTERVAL_NO_DATA;
	out->interval.lo = out->interval.hi = NAN;
	out->runs = sd->count;
	if (sd->count == 0)
		return;
	out->has_value = true;
	out->value = side_median(sd);
	out->precision = PREC_EXACT;
	for (size_t i = 0; i < sd->count; i++) {
		if (sd->runs[i].precision > out->precision)
			out->precision = sd->runs[i].precision;
		if (sd->runs[i].kind == VALUE_ESTIMATE)
			out->estimate = true;
	}
	if (sd->count > 1) { /* the spread of the repeats */
		double lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < sd->count; i++) {
			lo = fmin(lo, sd->runs[i].noise.value);
			hi = fmax(hi, sd->runs[i].noise.value);
		}
		out->interval = (struct value_interval){INTERVAL_OK, lo, hi, 0, 0};
		out->interval_is_spread = true;
		return;
	}
	const struct noise *v = &sd->runs[0].noise;
	double z = stats_normal_quantile(1 - (1 - confidence) / 2);
	if (sd->runs[0].series && !isnan(v->q)) {
		out->interval = interval_of_quantile(sd->runs[0].series, v->q, confidence);
	} else if (v->kind == NOISE_NORMAL) {
		out->interval = (struct value_interval){INTERVAL_OK, v->value - z * v->sd,
							v->value + z * v->sd, v->n, 0};
	} else if (v->kind == NOISE_BINOMIAL) {
		double se = sqrt(v->value * (1 - v->value) / (double)v->n);
		out->interval = (struct value_interval){INTERVAL_OK, fmax(0, v->value - z * se),
							fmin(1, v->value + z * se), v->n, 0};
	} else {
		out->interval.why = m == CMP_THROUGHPUT ? INTERVAL_NO_DATA : INTERVAL_REPORTED;
	}
}

static void row_reason(struct compare_row *row, const char *fmt, ...) PG_PRINTF(2, 3);
static void row_reason(struct compare_row *row, const char *fmt, ...)
{
	struct buf b;
	buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(row->reason);
	row->reason = buf_take(&b);
}

/* "+4.1 %" (relative) or "+0.12 points" (error rate). */
static void format_change(char out[48], enum compare_metric m, double x)
{
	if (relative_metric(m))
		snprintf(out, 48, "%+.1f %%", x * 100);
	else
		snprintf(out, 48, "%+.2f points", x * 100);
}

/* The verdict of the interval [lo, hi] against ±threshold; bad is the direction of worse. */
static enum change_verdict read_interval(double lo, double hi, double threshold, int bad)
{
	double worse_lo = bad > 0 ? lo : -hi, worse_hi = bad > 0 ? hi : -lo;
	if (worse_lo > threshold)
		return CHANGE_REGRESSION;
	if (worse_hi < -threshold)
		return CHANGE_IMPROVEMENT;
	if (worse_lo >= -threshold && worse_hi <= threshold)
		return CHANGE_NONE;
	return CHANGE_INCONCLUSIVE;
}

/* Why a metric needs repeats, for the reason text. */
static const char *per_run_cause(const struct side *b, const struct side *c,
				 enum compare_metric m)
{
	if (m == CMP_THROUGHPUT)
		return "throughput without a per-interval timeline is one number per run";
	if (m == CMP_MEAN)
		return "a mean the tool reported is one number per run";
	for (int k = 0; k < 2; k++) {
		const struct side *sd = k ? c : b;
		for (size_t i = 0; i < sd->count; i++)
			if (sd->runs[i].noise.kind == NOISE_NONE &&
			    sd->runs[i].precision == PREC_QUANTILES)
				return "reported percentiles are one number per run";
	}
	return "this value is one number per run";
}

static void judge_row(struct compare_row *row, struct side *b, struct side *c,
		      const struct compare_options *o)
{
	enum compare_metric m = row->metric;
	int bad = m == CMP_THROUGHPUT ? -1 : 1;
	double thr = row->threshold;
	char t1[48], t2[48], t3[48];
	row->change = row->change_lo = row->change_hi = row->p_value = NAN;
	if (!row->base.has_value || !row->cand.has_value) {
		row->verdict = CHANGE_NO_DATA;
		row_reason(row, "no value on the %s side",
			   !row->base.has_value ? "baseline" : "candidate");
		return;
	}
	if (relative_metric(m) && !(row->base.value > 0)) {
		row->verdict = CHANGE_NO_DATA;
		row_reason(row, "the baseline's value is 0: no relative change");
		return;
	}
	row->change = change_of(m, row->base.value, row->cand.value);
	row->per_run = !(b->all_noisy && c->all_noisy);
	double alpha = 1 - o->confidence;
	if (b->count >= 2 && c->count >= 2) {
		double *x = xmalloc(b->count * sizeof *x), *y = xmalloc(c->count * sizeof *y);
		for (size_t i = 0; i < b->count; i++)
			x[i] = b->runs[i].noise.value;
		for (size_t i = 0; i < c->count; i++)
			y[i] = c->runs[i].noise.value;
		row->p_value = stats_mann_whitney(x, b->count, y, c->count).p;
		free(x);
		free(y);
	}
	/* a quantile from fewer samples than its interval needs is not judged by a guess */
	double q = metric_q[m];
	int64_t fewest = INT64_MAX;
	for (int k = 0; k < 2 && !isnan(q) && !row->per_run; k++) {
		const struct side *sd = k ? c : b;
		for (size_t i = 0; i < sd->count; i++)
			if (sd->runs[i].noise.n < fewest)
				fewest = sd->runs[i].noise.n;
	}
	int64_t enough = isnan(q) ? 0 : stats_quantile_min_n(q, o->confidence);
	if (fewest < enough) {
		row->verdict = CHANGE_INCONCLUSIVE;
		row_reason(row,
			   "too few samples for a %g %% interval of %s: a run has %lld, needs %lld "
			   "(run longer)",
			   o->confidence * 100, compare_metric_name(m), (long long)fewest,
			   (long long)enough);
		return;
	}
	size_t need = stats_mann_whitney_min_n(alpha);
	if (row->per_run && (b->count < need || c->count < need)) {
		row->verdict = CHANGE_INCONCLUSIVE;
		row->need_runs = need;
		row_reason(row,
			   "%s: a rank test at %g %% confidence needs %zu runs a side "
			   "(baseline %zu, candidate %zu)",
			   per_run_cause(b, c, m), o->confidence * 100, need, b->count, c->count);
		return;
	}
	bootstrap_change(b, c, m, metric_q[m], row->endpoint, o, &row->change_lo,
			 &row->change_hi);
	row->verdict = read_interval(row->change_lo, row->change_hi, thr, bad);
	format_change(t1, m, row->change_lo);
	format_change(t2, m, row->change_hi);
	if (relative_metric(m))
		snprintf(t3, sizeof t3, "%g %%", thr * 100);
	else
		snprintf(t3, sizeof t3, "%g points", thr * 100);
	bool significant = !row->per_run || row->p_value < alpha;
	if ((row->verdict == CHANGE_REGRESSION || row->verdict == CHANGE_IMPROVEMENT) &&
	    !significant) {
		row->verdict = CHANGE_INCONCLUSIVE;
		row_reason(row,
			   "the runs' values differ (interval %s to %s) but not significantly: "
			   "Mann-Whitney p = %.3g >= %g",
			   t1, t2, row->p_value, alpha);
		return;
	}
	switch (row->verdict) {
	case CHANGE_REGRESSION:
	case CHANGE_IMPROVEMENT:
		row_reason(row, "the %g %% interval of the change, %s to %s, lies beyond the %s "
				"threshold",
			   o->confidence * 100, t1, t2, t3);
		break;
	case CHANGE_NONE:
		row_reason(row, "the %g %% interval of the change, %s to %s, lies within ±%s",
			   o->confidence * 100, t1, t2, t3);
		break;
	default:
		row_reason(row,
			   "the %g %% interval of the change, %s to %s, crosses the %s threshold: "
			   "more runs or longer runs would decide",
			   o->confidence * 100, t1, t2, t3);
		break;
	}
}

static struct compare_row *add_row(struct comparison *c)
{
	c->rows = xgrow(c->rows, &c->cap, c->count + 1, sizeof *c->rows);
	struct compare_row *row = &c->rows[c->count++];
	memset(row, 0, sizeof *row);
	return row;
}

static void add_note(struct comparison *c, char *note)
{
	c->notes = xgrow(c->notes, &c->note_cap, c->note_count + 1, sizeof *c->notes);
	c->notes[c->note_count++] = note;
}

static void compare_endpoint_metric(struct comparison *out, const struct model *base,
				    const struct model *cand, const char *endpoint,
				    enum compare_metric m)
{
	struct side b, c;
	side_collect(&b, base, out->options.metric, endpoint, m);
	side_collect(&c, cand, out->options.metric, endpoint, m);
	if (b.count == 0 && c.count == 0) { /* a metric neither side has: no row */
		side_fini(&b);
		side_fini(&c);
		return;
	}
	struct compare_row *row = add_row(out);
	row->endpoint = endpoint;
	row->metric = m;
	row->unit = m == CMP_THROUGHPUT ? UNIT_PER_S : m == CMP_ERROR_RATE ? UNIT_RATIO : UNIT_MS;
	const struct series *one = b.count ? b.runs[0].series : c.count ? c.runs[0].series : NULL;
	if (one) /* the compared trend's own unit (a k6 Trend may be unitless) */
		row->unit = one->unit;
	row->threshold = out->options.threshold[m];
	row->gated = out->options.gate[m];
	side_summary(&b, m, out->options.confidence, &row->base);
	side_summary(&c, m, out->options.confidence, &row->cand);
	judge_row(row, &b, &c, &out->options);
	if (row->gated) {
		if (row->verdict == CHANGE_REGRESSION)
			out->regressions++;
		else if (row->verdict == CHANGE_IMPROVEMENT)
			out->improvements++;
		else if (row->verdict == CHANGE_INCONCLUSIVE)
			out->inconclusive++;
		else if (row->verdict == CHANGE_NONE)
			out->unchanged++;
	}
	side_fini(&b);
	side_fini(&c);
}

/* ---- the shift function ---- */

static const double shift_qs[] = {0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999};

/* Whether every run of m has a histogram of the compared trend at endpoint. */
static bool all_histograms(const struct model *m, const char *name, const char *endpoint)
{
	for (size_t i = 0; i < m->run_count; i++) {
		const struct series *s = latency_series(m->runs[i], name, endpoint);
		if (!s || !s->has_hist || s->has_buckets || hist_count(&s->hist) == 0)
			return false;
	}
	return m->run_count > 0;
}

static struct run_value quantile_value(const struct run *run, const char *name,
				      const char *endpoint, double q)
{
	struct run_value v = {0};
	const struct series *s = latency_series(run, name, endpoint);
	v.has = true;
	v.series = s;
	noise_of_quantile(&v.noise, s, q, (double)hist_value_at(&s->hist, q) / s->scale);
	return v;
}

static void shift_side(struct side *sd, const struct model *m, const char *name,
		       const char *endpoint, double q)
{
	memset(sd, 0, sizeof *sd);
	sd->runs = xcalloc(m->run_count, sizeof *sd->runs);
	for (size_t i = 0; i < m->run_count; i++)
		sd->runs[sd->count++] = quantile_value(m->runs[i], name, endpoint, q);
	sd->all_noisy = true;
	sd->scratch = xmalloc(sd->count * sizeof *sd->scratch);
}

static void compare_shift(struct comparison *out, const struct model *base,
			  const struct model *cand, const char *endpoint)
{
	const char *name = out->options.metric;
	if (!all_histograms(base, name, endpoint) || !all_histograms(cand, name, endpoint))
		return;
	out->shifts = xgrow(out->shifts, &out->shift_cap, out->shift_count + 1,
			    sizeof *out->shifts);
	struct shift_function *f = &out->shifts[out->shift_count++];
	f->endpoint = endpoint;
	f->count = PG_ARRAY_LEN(shift_qs);
	f->points = xcalloc(f->count, sizeof *f->points);
	f->tail_only = false;
	for (size_t i = 0; i < f->count; i++) {
		struct side b, c;
		shift_side(&b, base, name, endpoint, shift_qs[i]);
		shift_side(&c, cand, name, endpoint, shift_qs[i]);
		struct shift_point *p = &f->points[i];
		p->q = shift_qs[i];
		p->base = side_median(&b);
		p->cand = side_median(&c);
		p->change = p->base > 0 ? p->cand / p->base - 1 : NAN;
		/* the shift points share the p-rows' seeds only by accident of q: keep them apart */
		bootstrap_change(&b, &c, CMP__COUNT, shift_qs[i], endpoint, &out->options, &p->lo,
				 &p->hi);
		side_fini(&b);
		side_fini(&c);
	}
}

/* ---- endpoints ---- */

static int endpoint_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The endpoints with a series of the trend name in some run of m, sorted, distinct (heap). */
static const char **endpoints_of(const struct model *m, const char *name, size_t *count)
{
	const char **names = NULL;
	size_t n = 0, cap = 0;
	for (size_t r = 0; r < m->run_count; r++)
		for (size_t i = 0; i < m->runs[r]->series_count; i++) {
			const struct series *s = m->runs[r]->series[i];
			if (!s->endpoint || s->tag_count != 0 || strcmp(s->metric, name) != 0)
				continue;
			names = xgrow(names, &cap, n + 1, sizeof *names);
			names[n++] = s->endpoint;
		}
	if (n)
		qsort(names, n, sizeof *names, endpoint_cmp);
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (out == 0 || strcmp(names[out - 1], names[i]) != 0)
			names[out++] = names[i];
	*count = out;
	return names;
}

static bool contains(const char **names, size_t count, const char *name)
{
	return count > 0 && bsearch(&name, names, count, sizeof *names, endpoint_cmp) != NULL;
}

/* Endpoints only on one side: the first few by name, then how many more. */
enum { ONE_SIDE_NAMED = 5 };

static void note_one_side(struct comparison *out, const char **names, size_t count,
			  const char **other, size_t other_count, const char *side)
{
	size_t named = 0, more = 0;
	for (size_t i = 0; i < count; i++) {
		if (contains(other, other_count, names[i]))
			continue;
		if (named == ONE_SIDE_NAMED) {
			more++;
			continue;
		}
		struct buf b;
		buf_init(&b);
		buf_printf(&b, "endpoint '%s' is only in the %s: not compared", names[i], side);
		add_note(out, buf_take(&b));
		named++;
	}
	if (more) {
		struct buf b;
		buf_init(&b);
		buf_printf(&b, "... and %zu more endpoint%s only in the %s", more,
			   more == 1 ? "" : "s", side);
		add_note(out, buf_take(&b));
	}
}

static void note_tail_only(struct comparison *out)
{
	for (size_t i = 0; i < out->count; i++) {
		const struct compare_row *p50 = &out->rows[i];
		if (p50->metric != CMP_P50 || p50->verdict != CHANGE_NONE)
			continue;
		for (size_t j = i + 1; j < out->count && out->rows[j].endpoint == p50->endpoint;
		     j++) {
			const struct compare_row *tail = &out->rows[j];
			if ((tail->metric != CMP_P95 && tail->metric != CMP_P99) ||
			    tail->verdict != CHANGE_REGRESSION)
				continue;
			struct buf b;
			buf_init(&b);
			buf_printf(&b, "only the tail moved at %s: p50 did not change while %s rose "
				       "by %.1f %%",
				   p50->endpoint ? p50->endpoint : "the whole run",
				   compare_metric_name(tail->metric), tail->change * 100);
			add_note(out, buf_take(&b));
			for (size_t k = 0; k < out->shift_count; k++)
				if (out->shifts[k].endpoint == p50->endpoint)
					out->shifts[k].tail_only = true;
			break;
		}
	}
}

void compare_models(const struct model *base, const struct model *cand,
		    const struct compare_options *o, struct comparison *out)
{
	memset(out, 0, sizeof *out);
	out->options = *o;
	out->base_runs = base->run_count;
	out->cand_runs = cand->run_count;
	size_t nb, nc;
	if (!out->options.metric)
		out->options.metric = "latency";
	const char *name = out->options.metric;
	const char **eb = endpoints_of(base, name, &nb), **ec = endpoints_of(cand, name, &nc);
	for (int m = 0; m < CMP__COUNT; m++)
		compare_endpoint_metric(out, base, cand, NULL, (enum compare_metric)m);
	compare_shift(out, base, cand, NULL);
	/* one endpoint, the same on both sides: its rows would repeat the whole run's */
	bool one = nb == 1 && nc == 1 && strcmp(eb[0], ec[0]) == 0;
	if (one) {
		struct buf b;
		buf_init(&b);
		buf_printf(&b, "every run has one endpoint, '%s': the whole-run rows are its rows",
			   eb[0]);
		add_note(out, buf_take(&b));
	}
	for (size_t i = 0; i < nb && !one; i++) {
		if (!contains(ec, nc, eb[i]))
			continue;
		for (int m = 0; m < CMP__COUNT; m++)
			compare_endpoint_metric(out, base, cand, eb[i], (enum compare_metric)m);
		compare_shift(out, base, cand, eb[i]);
	}
	note_one_side(out, eb, nb, ec, nc, "baseline");
	note_one_side(out, ec, nc, eb, nb, "candidate");
	note_tail_only(out);
	free(eb);
	free(ec);
}

void comparison_fini(struct comparison *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->rows[i].reason);
	free(c->rows);
	for (size_t i = 0; i < c->shift_count; i++)
		free(c->shifts[i].points);
	free(c->shifts);
	for (size_t i = 0; i < c->note_count; i++)
		free(c->notes[i]);
	free(c->notes);
	memset(c, 0, sizeof *c);
}
