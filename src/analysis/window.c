/*
 * window.c - steady-state and explicit windows: which part of a run the numbers describe
 * (analysis.h, docs/statistics.md §6).
 *
 * A load test starts cold (caches, JIT, connection pools, autoscaling), so its first seconds
 * describe something else than the service under steady load. The steady window is found
 * on the run's per-interval data with MSER-5 (White 1997): the whole-run latency's
 * per-interval means (or, without latency intervals, the requests per interval), batched by
 * five; the truncation point minimising the marginal standard error. MSER-5 decides whether
 * there is a steady state (a cut past half the run is "no steady state found, run longer")
 * and bounds where it starts; batches of five are coarse, and with few of them MSER-5 cuts
 * late (a short tail's statistic is small by chance), so the cut is then placed at the
 * single interval, from the start to five past MSER-5's cut, that minimises the same
 * statistic over the intervals themselves (MSER-1).
 *
 * Cutting a run rebuilds each series from its intervals inside the window: a trend's
 * histogram from the per-interval histograms (TIMELINE_HIST_DIGITS significant digits, so
 * windowed percentiles are within 1 % rather than 0.1 %), counters and rates from interval
 * sums, gauges from interval extremes; the run's duration becomes the window's. A trend
 * whose intervals keep no histogram keeps only its count, mean, min and max (its percentiles
 * then have no value in the window, and say so). A run without intervals at all (wrk,
 * autocannon's whole-run JSON, k6 summaries) cannot be cut: it keeps its whole-run numbers
 * and a warning says so; in a run that is cut, series without intervals (k6's tagged
 * series) are left out, with a note, rather than mix whole-run numbers into the window.
 * Timelines stay whole, so charts can show the warm-up that was left out.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/diag.h"
#include "../util/num.h"
#include "analysis.h"

const char *window_kind_name(enum window_kind k)
{
	return k == WINDOW_STEADY   ? "steady"
	       : k == WINDOW_RANGE  ? "range"
	       : k == WINDOW_STAGES ? "stage"
				    : "whole";
}

/* A duration: "30s", "1.5m", "500ms", "2h", or a bare number of seconds. */
static bool parse_seconds(const char *text, size_t len, double *out)
{
	static const struct {
		const char *suffix;
		double seconds;
	} units[] = {{"ms", 0.001}, {"s", 1}, {"m", 60}, {"h", 3600}};
	double scale = 1;
	for (size_t i = 0; i < PG_ARRAY_LEN(units); i++) {
		size_t n = strlen(units[i].suffix);
		if (len > n && memcmp(text + len - n, units[i].suffix, n) == 0 &&
		    (text[len - n - 1] >= '0' && text[len - n - 1] <= '9')) {
			scale = units[i].seconds;
			len -= n;
			break;
		}
	}
	double v;
	size_t used;
	if (num_parse_double(text, len, &v, &used) != NUM_OK || used != len || v < 0)
		return false;
	*out = v * scale;
	return true;
}

bool window_spec_parse(const char *text, struct window_spec *out)
{
	memset(out, 0, sizeof *out);
	out->from_s = out->to_s = NAN;
	if (strcmp(text, "steady") == 0) {
		out->kind = WINDOW_STEADY;
		return true;
	}
	if (strcmp(text, "whole") == 0) {
		out->kind = WINDOW_WHOLE;
		return true;
	}
	if (strcmp(text, "stages") == 0) {
		out->kind = WINDOW_STAGES;
		return true;
	}
	const char *dots = strstr(text, "..");
	if (!dots)
		return false;
	out->kind = WINDOW_RANGE;
	size_t a = (size_t)(dots - text), b = strlen(dots + 2);
	if (a > 0 && !parse_seconds(text, a, &out->from_s))
		return false;
	if (b > 0 && !parse_seconds(dots + 2, b, &out->to_s))
		return false;
	if (a == 0 && b == 0)
		return false;
	return !(isfinite(out->from_s) && isfinite(out->to_s) && out->to_s <= out->from_s);
}

/* ---- detection ---- */

/* The run's start: its own, else the first interval's. */
static int64_t run_origin_us(const struct run *run, const struct timeline *t)
{
	return run->has_start ? run->start_us : timeline_start_us(t, 0);
}

/* The series whose intervals detection reads: whole-run latency, else requests. */
static const struct series *detection_series(const struct run *run, bool *is_latency)
{
	const struct series *s = model_find_series(run, "latency", NULL, NULL, 0);
	*is_latency = true;
	if (s && s->kind == SERIES_TREND && s->timeline && s->timeline->count > 0)
		return s;
	*is_latency = false;
	s = model_find_series(run, "requests", NULL, NULL, 0);
	if (s && s->kind == SERIES_COUNTER && s->timeline && s->timeline->count > 0)
		return s;
	return NULL;
}

/* MSER over x[from..n) for cut c: the squared deviations over (n - c)^2. */
static double mser_at(const double *x, size_t n, size_t c)
{
	double mean = 0, ss = 0;
	for (size_t i = c; i < n; i++)
		mean += x[i];
	mean /= (double)(n - c);
	for (size_t i = c; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	return ss / ((double)(n - c) * (double)(n - c));
}

bool window_detect_steady(const struct run *run, double *from_s, double *to_s,
			  const char **why)
{
	bool latency;
	const struct series *s = detection_series(run, &latency);
	if (!s) {
		*why = "no per-interval data (the tool wrote whole-run numbers only)";
		return false;
	}
	const struct timeline *t = s->timeline;
	/* the intervals with data, and where each starts */
	double *x = xmalloc(t->count * sizeof *x);
	size_t *at = xmalloc(t->count * sizeof *at);
	size_t n = 0;
	for (size_t i = 0; i < t->count; i++) {
		const struct interval *iv = timeline_at(t, i);
		if (latency && iv->count == 0)
			continue; /* no completions: no mean to read */
		x[n] = latency ? iv->sum / (double)iv->count
			       : iv->sum / model_run_interval_s(run, t, i);
		at[n++] = i;
	}
	size_t cut5;
	bool found = stats_mser5(x, n, &cut5);
	if (!found) {
		free(x);
		free(at);
		*why = n / 5 < 4 ? "not enough data: MSER-5 needs at least 20 intervals"
				 : "no steady state found: the best truncation lies past half the run "
				   "(run longer)";
		return false;
	}
	/*
	 * refine over single intervals, from the start to five past MSER-5's cut (never past
	 * half): with few batches MSER-5 cuts late by up to a batch or two (the statistic of a
	 * short tail is small by chance), and a batch is five intervals
	 */
	size_t lo = 0, hi = cut5 + 5;
	if (hi > n / 2)
		hi = n / 2;
	size_t best = cut5;
	double best_value = INFINITY;
	for (size_t c = lo; c <= hi && c < n; c++) {
		double v = mser_at(x, n, c);
		if (v < best_value) {
			best_value = v;
			best = c;
		}
	}
	int64_t origin = run_origin_us(run, t);
	int64_t start = timeline_start_us(t, at[best]);
	*from_s = best == 0 ? 0 : (double)(start - origin) / 1e6;
	if (*from_s < 0)
		*from_s = 0;
	*to_s = run->has_end ? (double)(run->end_us - origin) / 1e6
			     : (double)(timeline_start_us(t, t->count - 1) + t->width_us - origin) / 1e6;
	free(x);
	free(at);
	return true;
}

/* ---- cutting a run ---- */

/* Whether interval i of t lies in [from_us, to_us): it starts at or after from_us, before to_us. */
static bool inside(const struct timeline *t, size_t i, int64_t from_us, int64_t to_us)
{
	int64_t start = timeline_start_us(t, i);
	return start >= from_us && start < to_us;
}

static void cut_trend(struct series *s, int64_t from_us, int64_t to_us)
{
	const struct timeline *t = s->timeline;
	if (t->has_hist && !s->has_buckets) {
		struct hist h;
		hist_init(&h, &t->layout);
		double lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < t->count; i++) {
			const struct interval *iv = timeline_at(t, i);
			if (!inside(t, i, from_us, to_us) || iv->count == 0)
				continue;
			for (uint32_t k = 0; k < iv->bin_count; k++) {
				int32_t index = timeline_bin_index(iv->bins[k]);
				hist_record(&h, hist_value_from_index(&t->layout, index),
					    timeline_bin_count(iv->bins[k]));
			}
			lo = fmin(lo, iv->min);
			hi = fmax(hi, iv->max);
		}
		if (hist_count(&h) > 0)
			hist_set_extremes(&h, hist_units_of(lo * s->scale), hist_units_of(hi * s->scale));
		hist_fini(&s->hist);
		s->hist = h;
		s->has_hist = true;
		reported_fini(&s->reported); /* the tool's own whole-run percentiles no longer apply */
		memset(&s->reported, 0, sizeof s->reported);
		return;
	}
	/* no per-interval histograms: count, mean, min and max only */
	double count = 0, sum = 0, lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < t->count; i++) {
		const struct interval *iv = timeline_at(t, i);
		if (!inside(t, i, from_us, to_us) || iv->count == 0)
			continue;
		count += (double)iv->count;
		sum += iv->sum;
		lo = fmin(lo, iv->min);
		hi = fmax(hi, iv->max);
	}
	if (s->has_hist) {
		hist_fini(&s->hist);
		s->has_hist = false;
	}
	if (s->has_buckets) {
		buckets_fini(&s->buckets);
		s->has_buckets = false;
	}
	reported_fini(&s->reported);
	memset(&s->reported, 0, sizeof s->reported);
	s->precision = PREC_QUANTILES;
	reported_set_stat(&s->reported, STAT_COUNT, count);
	if (count > 0) {
		reported_set_stat(&s->reported, STAT_MEAN, sum / count);
		reported_set_stat(&s->reported, STAT_MIN, lo);
		reported_set_stat(&s->reported, STAT_MAX, hi);
	}
}

static void cut_series(struct series *s, int64_t from_us, int64_t to_us, double seconds)
{
	const struct timeline *t = s->timeline;
	double total = 0, count = 0, lo = INFINITY, hi = -INFINITY, last = NAN;
	int64_t last_us = INT64_MIN;
	switch (s->kind) {
	case SERIES_TREND:
		cut_trend(s, from_us, to_us);
		return;
	case SERIES_COUNTER:
	case SERIES_RATE:
	case SERIES_GAUGE:
		for (size_t i = 0; i < t->count; i++) {
			const struct interval *iv = timeline_at(t, i);
			if (!inside(t, i, from_us, to_us) || iv->count == 0)
				continue;
			total += iv->sum;
			count += (double)iv->count;
			lo = fmin(lo, iv->min);
			hi = fmax(hi, iv->max);
			if (iv->last_us >= last_us) {
				last_us = iv->last_us;
				last = iv->last;
			}
		}
		break;
	}
	if (s->kind == SERIES_COUNTER) {
		s->total = total;
		if (s->span_s > 0)
			s->span_s = seconds;
	} else if (s->kind == SERIES_RATE) {
		s->passes = total;
		s->total = count;
	} else if (count > 0) {
		s->gauge.min = lo;
		s->gauge.max = hi;
		s->gauge.value = last;
		s->gauge.value_us = last_us;
	}
}

static bool without_intervals(const struct series *s, void *ctx)
{
	(void)ctx;
	return !s->timeline || s->timeline->count == 0;
}

/*
 * Cuts run to the intervals starting in [cut_from_us, cut_to_us); series without intervals
 * cannot describe the window and are left out. Returns how many.
 */
static size_t cut_run(struct run *run, int64_t cut_from_us, int64_t cut_to_us, double seconds)
{
	size_t dropped = model_run_drop_series(run, without_intervals, NULL);
	for (size_t i = 0; i < run->series_count; i++)
		cut_series(run->series[i], cut_from_us, cut_to_us, seconds);
	return dropped;
}

/* The run's start: its own, else the earliest interval start of its timelines. */
static bool run_origin(const struct run *run, int64_t *origin_us)
{
	if (run->has_start) {
		*origin_us = run->start_us;
		return true;
	}
	bool found = false;
	for (size_t i = 0; i < run->series_count; i++) {
		const struct timeline *t = run->series[i]->timeline;
		if (t && t->count && (!found || timeline_start_us(t, 0) < *origin_us)) {
			*origin_us = timeline_start_us(t, 0);
			found = true;
		}
	}
	return found;
}

/* The window on interval boundaries, clipped to the run (µs since the epoch). */
struct bounds {
	int64_t cut_from, cut_to;  /* intervals starting in [cut_from, cut_to) are kept */
	int64_t lo, hi;            /* what they cover of the run */
};

/*
 * The whole-run latency's intervals that [from_s, to_s) seconds from the run's start
 * selects: from the first starting at or after from_s (the run's own first, partial, one
 * when from_s is 0) to the last starting before to_s (NaN: to the end). False when none.
 */
static bool window_bounds(const struct run *run, const struct timeline *t, int64_t origin,
			  double from_s, double to_s, struct bounds *b)
{
	int64_t run_hi = run->has_end ? run->end_us
				      : timeline_start_us(t, t->count - 1) + t->width_us;
	int64_t want_from = origin + (int64_t)llround(from_s * 1e6);
	int64_t want_to = isfinite(to_s) ? origin + (int64_t)llround(to_s * 1e6) : INT64_MAX;
	size_t first = t->count, last = 0;
	bool any = false;
	for (size_t i = 0; i < t->count; i++) {
		int64_t start = timeline_start_us(t, i);
		bool starts_in = from_s <= 0 ? true : start >= want_from;
		if (starts_in && start < want_to && start < run_hi) {
			if (!any)
				first = i;
			last = i;
			any = true;
		}
	}
	if (!any)
		return false;
	b->cut_from = timeline_start_us(t, first);
	b->cut_to = timeline_start_us(t, last) + t->width_us;
	b->lo = b->cut_from < origin ? origin : b->cut_from;
	b->hi = b->cut_to > run_hi ? run_hi : b->cut_to;
	return b->hi > b->lo;
}

/* ---- stages ---- */

/* Intervals a stage keeps once its first and last are left out. */
enum { STAGE_MIN_INTERVALS = 3 };

struct stage {
	double vus;
	int64_t cut_from, cut_to; /* the run's intervals starting in [cut_from, cut_to) */
};

/* The widest interval of run's timelines (they widen independently past 200 intervals). */
static int64_t widest_interval(const struct run *run)
{
	int64_t widest = 0;
	for (size_t i = 0; i < run->series_count; i++) {
		const struct timeline *t = run->series[i]->timeline;
		if (t && t->count && t->width_us > widest)
			widest = t->width_us;
	}
	return widest;
}

/* x rounded up (or down) to a multiple of width (µs since the epoch, either sign). */
static int64_t snap(int64_t x, int64_t width, bool up)
{
	int64_t q = x / width - (x % width < 0);
	int64_t down = q * width;
	return up && down < x ? down + width : down;
}

/*
 * The steady stages of run from its VU gauge (k6 samples `vus` once a second): stretches of
 * consecutive intervals in which every sample is one count V > 0 (a single empty interval
 * between two such counts, a sample late by a moment, counts as V; two or more end it: the
 * load stopped), less their first and last interval (the change of VUs falls in one of them,
 * and new VUs start cold). Each stage is then narrowed to whole intervals of the run's widest
 * timeline, so every series is cut at the same instants, and kept when STAGE_MIN_INTERVALS
 * intervals of the VU gauge remain. Returns how many (*out: heap, the caller frees); 0 with
 * *why when none.
 */
static size_t find_stages(const struct run *run, struct stage **out, const char **why,
			  int64_t *width_us)
{
	*out = NULL;
	const struct series *vus = model_find_series(run, "vus", NULL, NULL, 0);
	const struct series *lat = model_find_series(run, "latency", NULL, NULL, 0);
	if (!vus || vus->kind != SERIES_GAUGE || !vus->timeline || vus->timeline->count == 0) {
		*why = "it has no VU counts over time (k6's NDJSON and CSV outputs have them; "
		       "summaries and other tools do not)";
		return 0;
	}
	if (!lat || lat->kind != SERIES_TREND || !lat->timeline || lat->timeline->count == 0) {
		*why = "its latency has no per-interval data";
		return 0;
	}
	const struct timeline *t = vus->timeline;
	int64_t widest = widest_interval(run);
	*width_us = t->width_us;
	struct stage *stages = NULL;
	size_t count = 0, cap = 0;
	for (size_t i = 0; i < t->count;) {
		const struct interval *iv = timeline_at(t, i);
		if (iv->count == 0 || iv->min != iv->max || !(iv->min > 0)) {
			i++;
			continue;
		}
		size_t last = i; /* the stretch's last interval with a sample */
		for (size_t j = i + 1; j < t->count && j <= last + 2; j++) {
			const struct interval *next = timeline_at(t, j);
			if (next->count == 0)
				continue;
			if (next->min != iv->min || next->max != iv->min)
				break;
			last = j;
		}
		if (last - i + 1 >= STAGE_MIN_INTERVALS + 2) {
			int64_t from = snap(timeline_start_us(t, i + 1), widest, true);
			int64_t to = snap(timeline_start_us(t, last), widest, false);
			if (to - from >= STAGE_MIN_INTERVALS * t->width_us) {
				stages = xgrow(stages, &cap, count + 1, sizeof *stages);
				stages[count++] = (struct stage){iv->min, from, to};
			}
		}
		i = last + 1;
	}
	if (count == 0)
		*why = "no stage holds one VU count for 5 intervals or more (its first and last "
		       "are left out, 3 must stay)";
	*out = stages;
	return count;
}

/* One stage of run (a deep copy, cut to it) into `into`, as "LABEL@NVUs" ("#2" for a repeat). */
static void add_stage(struct model *into, const struct model *m, const struct run *run,
		      const struct stage *st, size_t repeat, int64_t origin, struct diag *d)
{
	struct model *copy = model_clone_run(m, run);
	struct run *c = copy->runs[0];
	char vus[32];
	str_format_double(vus, st->vus);
	c->label = repeat > 1 ? arena_printf(&copy->arena, "%s@%sVUs#%zu", run->label, vus, repeat)
			      : arena_printf(&copy->arena, "%s@%sVUs", run->label, vus);
	int64_t lo = st->cut_from < origin ? origin : st->cut_from;
	int64_t hi = run->has_end && run->end_us < st->cut_to ? run->end_us : st->cut_to;
	c->window_from_s = (double)(lo - origin) / 1e6;
	c->window_to_s = (double)(hi - origin) / 1e6;
	c->duration_s = c->window_to_s - c->window_from_s;
	cut_run(c, st->cut_from, st->cut_to, c->duration_s);
	c->has_window = true;
	c->window_kind = window_kind_name(WINDOW_STAGES);
	c->concurrency = st->vus;
	c->concurrency_unit = arena_strdup(&copy->arena, "VUs");
	model_merge(into, copy, d);
	model_free(copy);
}

/*
 * Replaces each run of m that has stages by one run per stage, in order; a run without
 * stages is kept whole, with a warning, and a run already cut to a stage (a saved model) is
 * kept as it is. The runs are rebuilt through model JSON into a new model whose contents
 * then take m's place.
 */
static void split_stages(struct model *m, struct diag *d)
{
	struct model *out = model_new();
	out->significant_digits = m->significant_digits;
	for (size_t r = 0; r < m->run_count; r++) {
		const struct run *run = m->runs[r];
		struct stage *stages = NULL;
		const char *why = NULL;
		int64_t origin = 0, width = 0;
		bool cut = run->has_window && strcmp(run->window_kind, "stage") == 0;
		size_t n = cut ? 0 : find_stages(run, &stages, &why, &width);
		if (n > 0 && !run_origin(run, &origin)) {
			n = 0;
			why = "it has no start";
		}
		if (n == 0) {
			if (!cut)
				diag_report(d, DIAG_WINDOW_WHOLE_RUN, NULL,
					    "run '%s': the stages window cannot be applied: %s; its "
					    "numbers are the whole run's",
					    run->label, why);
			struct model *copy = model_clone_run(m, run);
			model_merge(out, copy, d);
			model_free(copy);
			free(stages);
			continue;
		}
		struct buf levels;
		buf_init(&levels);
		for (size_t k = 0; k < n; k++) {
			size_t repeat = 1;
			for (size_t e = 0; e < k; e++)
				repeat += stages[e].vus == stages[k].vus;
			add_stage(out, m, run, &stages[k], repeat, origin, d);
			char v[32];
			str_format_double(v, stages[k].vus);
			buf_printf(&levels, "%s%s", k ? ", " : "", v);
		}
		char w[32];
		str_format_double(w, (double)width / 1e6);
		diag_report(d, DIAG_NOTE, NULL,
			    "run '%s': %zu stage%s at %s VUs (ramps, and the first and last "
			    "%s s interval of each stage, left out)",
			    run->label, n, n == 1 ? "" : "s", levels.data, w);
		buf_fini(&levels);
		free(stages);
	}
	struct model swap = *m;
	*m = *out;
	*out = swap;
	model_free(out);
}

void window_apply(struct model *m, const struct window_spec *spec, struct diag *d)
{
	if (spec->kind == WINDOW_WHOLE)
		return;
	if (spec->kind == WINDOW_STAGES) {
		split_stages(m, d);
		return;
	}
	for (size_t r = 0; r < m->run_count; r++) {
		struct run *run = m->runs[r];
		double from_s = 0, to_s = NAN;
		const char *why = NULL;
		int64_t origin = 0;
		const struct series *lat = model_find_series(run, "latency", NULL, NULL, 0);
		bool intervals = lat && lat->kind == SERIES_TREND && lat->timeline &&
				 lat->timeline->count > 0;
		struct bounds b = {0, 0, 0, 0};
		bool detected = false; /* a steady state found, but the run cannot be cut */
		if (!run_origin(run, &origin)) {
			why = "no per-interval data (the tool wrote whole-run numbers only)";
		} else if (spec->kind == WINDOW_STEADY &&
			   !window_detect_steady(run, &from_s, &to_s, &why)) {
			/* why says it */
		} else if (!intervals) {
			detected = spec->kind == WINDOW_STEADY;
			why = "its latency has no per-interval data (reported percentiles only, "
			      "e.g. Locust's _stats.csv and history, autocannon's JSON)";
		} else {
			if (spec->kind == WINDOW_RANGE) {
				from_s = isfinite(spec->from_s) ? spec->from_s : 0;
				to_s = spec->to_s;
			} else {
				to_s = NAN;
			}
			if (!window_bounds(run, lat->timeline, origin, from_s, to_s, &b))
				why = "the window holds no interval of the run";
		}
		if (why) {
			diag_report(d, DIAG_WINDOW_WHOLE_RUN, NULL,
				    "run '%s': the %s window cannot be applied: %s; its numbers are the "
				    "whole run's",
				    run->label, window_kind_name(spec->kind), why);
			if (detected)
				diag_report(d, DIAG_NOTE, NULL,
					    "MSER-5 on its requests per interval finds a steady state "
					    "from %g s after the start",
					    str_round_significant(from_s, 4));
			continue;
		}
		run->window_from_s = (double)(b.lo - origin) / 1e6;
		run->window_to_s = (double)(b.hi - origin) / 1e6;
		size_t whole = cut_run(run, b.cut_from, b.cut_to,
				       run->window_to_s - run->window_from_s);
		run->has_window = true;
		run->window_kind = window_kind_name(spec->kind);
		run->duration_s = run->window_to_s - run->window_from_s;
		if (whole)
			diag_report(d, DIAG_NOTE, NULL,
				    "run '%s': %zu series without per-interval data (tagged series, "
				    "summaries) were left out of the %s window",
				    run->label, whole, window_kind_name(spec->kind));
	}
}
