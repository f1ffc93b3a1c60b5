/*
 * capacity.c - runs of one workload at several load levels: how much load it takes before
 * it breaks (analysis.h, docs/capacity.md).
 *
 * Each run is a load level (its concurrency: connections, VUs or users, all closed-loop
 * clients and one axis; or, for open-model runs, the arrival rate k6 was asked for, the
 * iterations it started or dropped per second); levels are sorted by load. From them:
 *   degradation   p50, p95, p99 and throughput against the lowest load;
 *   breaking      the first level after which more load adds less than a quarter of the
 *                 throughput it would in proportion (from L to 1.5 L, under +12.5 %; a
 *                 small step of load is judged by its own size), or the first where errors
 *                 (or, open model, the iterations k6 dropped) pass 1 %, whichever comes first;
 *   knee          Kneedle's difference curve (Satopää et al. 2011) on p95 against load:
 *                 both axes normalised to [0, 1], the level farthest below the chord of the
 *                 convex curve, taken at the curve's maximum (the paper's sensitivity
 *                 threshold, S = 1, finds no knee where the curve turns into a straight
 *                 line, as a queue's does; docs/capacity.md);
 *   SLO crossing  the highest level at which the SLO holds, and the load where it stops,
 *                 interpolated linearly between that level and the next (and said so);
 *   USL           usl.c's fit of throughput against load (closed loops only: its N is a
 *                 number of clients, which an open model's arrival rate is not);
 *   Little's law  for a closed loop, N = X (R + Z): the think time Z = N/X − R each level
 *                 implies; a level whose Z is negative beyond rounding (N < X R) is not
 *                 consistent with a closed loop of N clients.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/num.h"
#include "analysis.h"

#define BREAK_GAIN 0.25     /* a step adds under a quarter of its proportional throughput */
#define BREAK_ERRORS 0.01   /* more than 1 % errors: it broke */

bool capacity_slo_parse(const char *text, struct capacity_slo *out)
{
	memset(out, 0, sizeof *out);
	out->text = text;
	const char *p = text;
	while (*p == ' ')
		p++;
	if (strncmp(p, "error_rate", 10) == 0) {
		out->error_rate = true;
		p += 10;
	} else if (*p == 'p') {
		p++;
		bool paren = *p == '(';
		if (paren)
			p++;
		char *end;
		double pct = strtod(p, &end);
		if (end == p || !(pct > 0 && pct < 100))
			return false;
		p = end;
		if (paren && *p++ != ')')
			return false;
		out->q = model_quantile_of_percent(pct);
		out->percent = pct;
	} else {
		return false;
	}
	while (*p == ' ')
		p++;
	if (p[0] == '<' && p[1] == '=') {
		out->inclusive = true;
		p += 2;
	} else if (p[0] == '<') {
		p++;
	} else {
		return false;
	}
	while (*p == ' ')
		p++;
	size_t len = strlen(p);
	while (len && p[len - 1] == ' ')
		len--;
	double scale = 1;
	if (out->error_rate) {
		if (len && p[len - 1] == '%') {
			scale = 0.01;
			len--;
		}
	} else if (len > 2 && strncmp(p + len - 2, "ms", 2) == 0) {
		len -= 2;
	} else if (len > 1 && p[len - 1] == 's') {
		scale = 1000;
		len--;
	}
	double v;
	size_t used;
	if (num_parse_double(p, len, &v, &used) != NUM_OK || used != len || v < 0 ||
	    (v == 0 && !(out->error_rate && out->inclusive)))
		return false;
	out->limit = v * scale;
	if (out->error_rate && out->limit > 1)
		return false; /* a share above 100 % */
	out->set = true;
	return true;
}

/* The value the SLO reads at a level; NaN when it has none. */
static double slo_value(const struct capacity_slo *slo, const struct capacity_level *l)
{
	if (slo->error_rate)
		return l->error_rate;
	const struct series *lat = model_find_series(l->run, "latency", NULL, NULL, 0);
	if (!lat || lat->kind != SERIES_TREND)
		return NAN;
	struct value v = model_series_value_at(lat, slo->q);
	return v.kind == VALUE_MISSING ? NAN : v.number;
}

static bool slo_holds(const struct capacity_slo *slo, double v)
{
	return slo->inclusive ? v <= slo->limit : v < slo->limit;
}

static int level_order(const void *a, const void *b)
{
	double x = ((const struct capacity_level *)a)->load;
	double y = ((const struct capacity_level *)b)->load;
	return (x > y) - (x < y);
}

static double latency_at(const struct run *run, double q, bool *estimate)
{
	const struct series *lat = model_find_series(run, "latency", NULL, NULL, 0);
	if (!lat || lat->kind != SERIES_TREND)
		return NAN;
	struct value v = model_series_value_at(lat, q);
	if (v.kind == VALUE_ESTIMATE && estimate)
		*estimate = true;
	return v.kind == VALUE_MISSING ? NAN : v.number;
}

static double relative(double x, double x0)
{
	return isfinite(x) && isfinite(x0) && x0 > 0 ? x / x0 - 1 : NAN;
}

bool capacity_run_open(const struct run *run)
{
	return run->open_model || model_find_series(run, "dropped_iterations", NULL, NULL, 0);
}

/* A counter's total of run, or 0 when it has none. */
static double counter_total(const struct run *run, const char *metric)
{
	const struct series *s = model_find_series(run, metric, NULL, NULL, 0);
	return s && s->kind == SERIES_COUNTER ? s->total : 0;
}

double capacity_run_load(const struct run *run, const char **unit)
{
	if (!capacity_run_open(run)) {
		*unit = run->concurrency_unit ? run->concurrency_unit : "clients";
		return run->concurrency > 0 ? run->concurrency : NAN;
	}
	*unit = "it/s";
	double offered = counter_total(run, "iterations") + counter_total(run, "dropped_iterations");
	return offered > 0 && run->duration_s > 0 ? offered / run->duration_s : NAN;
}

static void collect_levels(const struct model *m, struct capacity *c)
{
	c->levels = xcalloc(m->run_count ? m->run_count : 1, sizeof *c->levels);
	for (size_t i = 0; i < m->run_count; i++) {
		const struct run *run = m->runs[i];
		struct capacity_level *l = &c->levels[c->count++];
		const char *unit;
		l->run = run;
		l->load = capacity_run_load(run, &unit);
		double started = counter_total(run, "iterations");
		double dropped = counter_total(run, "dropped_iterations");
		l->dropped = c->open_model && started + dropped > 0 ? dropped / (started + dropped)
								     : NAN;
		struct request_totals t = model_run_totals_at(run, NULL);
		l->throughput = t.rps.kind == VALUE_MISSING ? NAN : t.rps.number;
		l->error_rate = t.error_rate.kind == VALUE_MISSING ? NAN : t.error_rate.number;
		l->p50 = latency_at(run, 0.5, NULL);
		l->p95 = latency_at(run, 0.95, &l->p95_estimate);
		l->p99 = latency_at(run, 0.99, &l->p99_estimate);
		struct value mean = {0, VALUE_MISSING};
		const struct series *lat = model_find_series(run, "latency", NULL, NULL, 0);
		if (lat && lat->kind == SERIES_TREND)
			mean = model_series_stat(lat, STAT_MEAN);
		l->mean = mean.kind == VALUE_MISSING ? NAN : mean.number;
	}
	qsort(c->levels, c->count, sizeof *c->levels, level_order);
	const struct capacity_level *low = &c->levels[0];
	for (size_t i = 0; i < c->count; i++) {
		struct capacity_level *l = &c->levels[i];
		l->d_throughput = relative(l->throughput, low->throughput);
		l->d_p50 = relative(l->p50, low->p50);
		l->d_p95 = relative(l->p95, low->p95);
		l->d_p99 = relative(l->p99, low->p99);
		/* Little's law: the think time the level implies, seconds (a closed loop's) */
		l->think_s = !c->open_model && l->throughput > 0 && isfinite(l->mean)
				     ? l->load / l->throughput - l->mean / 1000
				     : NAN;
	}
}

static void find_breaking(struct capacity *c)
{
	for (size_t i = 0; i < c->count; i++) {
		const struct capacity_level *l = &c->levels[i];
		if (l->error_rate > BREAK_ERRORS) {
			c->has_breaking = true;
			c->breaking_load = l->load;
			snprintf(c->breaking_text, sizeof c->breaking_text,
				 "errors start at %g %s (%.3g %%)", l->load, c->load_unit,
				 l->error_rate * 100);
			return;
		}
		if (l->dropped > BREAK_ERRORS) {
			c->has_breaking = true;
			c->breaking_load = l->load;
			snprintf(c->breaking_text, sizeof c->breaking_text,
				 "it stops keeping up at %.4g %s: k6 dropped %.3g %% of the "
				 "iterations (no VU was free to start them)",
				 l->load, c->load_unit, l->dropped * 100);
			return;
		}
		const struct capacity_level *next = i + 1 < c->count ? &c->levels[i + 1] : NULL;
		if (next && isfinite(l->throughput) && isfinite(next->throughput) &&
		    next->throughput <
			    l->throughput * (1 + BREAK_GAIN * (next->load / l->load - 1)) &&
		    !(next->error_rate > BREAK_ERRORS) && !(next->dropped > BREAK_ERRORS)) {
			c->has_breaking = true;
			c->breaking_load = l->load;
			snprintf(c->breaking_text, sizeof c->breaking_text,
				 "throughput stops growing at %g %s (%.4g req/s; %.4g req/s at %g)",
				 l->load, c->load_unit, l->throughput, c->levels[i + 1].throughput,
				 c->levels[i + 1].load);
			return;
		}
	}
	snprintf(c->breaking_text, sizeof c->breaking_text,
		 "none: every step of load still adds at least a quarter of its proportional "
		 "throughput, without errors");
}

/* Kneedle on p95 (p50 when p95 is missing) against load, a convex increasing curve. */
static void find_knee(struct capacity *c)
{
	c->knee_why = NULL;
	if (c->count < 3) {
		c->knee_why = "Kneedle needs at least 3 levels";
		return;
	}
	double lo_x = c->levels[0].load, hi_x = c->levels[c->count - 1].load;
	double lo_y = INFINITY, hi_y = -INFINITY;
	for (size_t i = 0; i < c->count; i++) {
		double y = isfinite(c->levels[i].p95) ? c->levels[i].p95 : c->levels[i].p50;
		if (!isfinite(y)) {
			c->knee_why = "a level has no latency percentile";
			return;
		}
		lo_y = fmin(lo_y, y);
		hi_y = fmax(hi_y, y);
	}
	if (!(hi_x > lo_x) || !(hi_y > lo_y)) {
		c->knee_why = "latency does not change with load";
		return;
	}
	/* convex increasing: distance below the chord, i.e. x_n - y_n, largest at the knee */
	double best = 0;
	size_t at = 0;
	for (size_t i = 0; i < c->count; i++) {
		double y = isfinite(c->levels[i].p95) ? c->levels[i].p95 : c->levels[i].p50;
		double xn = (c->levels[i].load - lo_x) / (hi_x - lo_x), yn = (y - lo_y) / (hi_y - lo_y);
		if (xn - yn > best) {
			best = xn - yn;
			at = i;
		}
	}
	if (best <= 0.05) {
		c->knee_why = "no knee: latency grows about linearly with load";
		return;
	}
	c->has_knee = true;
	c->knee_load = c->levels[at].load;
}

static void find_slo(struct capacity *c, const struct capacity_slo *slo)
{
	c->slo = *slo;
	double last_ok = NAN, last_ok_v = NAN;
	for (size_t i = 0; i < c->count; i++) {
		bool estimate = false;
		if (!slo->error_rate)
			latency_at(c->levels[i].run, slo->q, &estimate);
		c->slo_estimate = c->slo_estimate || estimate;
		double v = slo_value(slo, &c->levels[i]);
		if (!isfinite(v)) {
			snprintf(c->slo_text, sizeof c->slo_text, "%s: the level at %g has no value",
				 slo->text, c->levels[i].load);
			return;
		}
		if (slo_holds(slo, v)) {
			last_ok = c->levels[i].load;
			last_ok_v = v;
			continue;
		}
		if (isnan(last_ok)) {
			snprintf(c->slo_text, sizeof c->slo_text,
				 "%s fails from the lowest level (%g %s)", slo->text,
				 c->levels[i].load, c->load_unit);
			c->slo_failed_all = true;
			return;
		}
		/* linear between the last level that held and this one */
		double at = last_ok + (slo->limit - last_ok_v) * (c->levels[i].load - last_ok) /
					      (v - last_ok_v);
		c->has_crossing = true;
		c->slo_highest_ok = last_ok;
		c->slo_crossing = at;
		/* it may hold again at a higher level (noise, or a server that recovers) */
		double again = NAN;
		for (size_t k = i + 1; k < c->count && isnan(again); k++) {
			double w = slo_value(slo, &c->levels[k]);
			if (isfinite(w) && slo_holds(slo, w))
				again = c->levels[k].load;
		}
		char tail[80] = "";
		if (isfinite(again))
			snprintf(tail, sizeof tail, "; it holds again at %g", again);
		snprintf(c->slo_text, sizeof c->slo_text,
			 "%s holds up to %g %s and stops at about %.3g %s (interpolated between %g "
			 "and %g)%s%s",
			 slo->text, last_ok, c->load_unit, at, c->load_unit, last_ok,
			 c->levels[i].load, tail,
			 c->slo_estimate ? " (from percentiles interpolated between reported ones)"
					 : "");
		return;
	}
	c->slo_held_all = true;
	c->slo_highest_ok = last_ok;
	snprintf(c->slo_text, sizeof c->slo_text, "%s holds at every level, up to %g %s",
		 slo->text, last_ok, c->load_unit);
}

bool capacity_analyse(const struct model *m, const struct capacity_slo *slo,
		      struct capacity *c)
{
	memset(c, 0, sizeof *c);
	c->breaking_load = c->knee_load = c->slo_crossing = c->slo_highest_ok = NAN;
	c->load_unit = "clients";
	/*
	 * An open-model run (k6 arrival-rate) is loaded by an arrival rate, not by a number of
	 * clients: it cannot share an axis with closed loops.
	 */
	const struct run *open = NULL, *closed = NULL;
	for (size_t i = 0; i < m->run_count; i++) {
		if (capacity_run_open(m->runs[i]))
			open = open ? open : m->runs[i];
		else
			closed = closed ? closed : m->runs[i];
	}
	if (open && closed) {
		c->problem = xasprintf(
			 "mixed load units: run '%s' is an open model (an arrival rate%s) and run "
			 "'%s' a closed loop of clients; a series is one or the other (an "
			 "arrival-rate run that kept up drops no iterations, so nothing in k6's "
			 "output tells it from a closed loop: say --open-model)",
			 open->label, open->open_model ? "" : ": it dropped iterations",
			 closed->label);
		return false;
	}
	c->open_model = open != NULL;
	for (size_t i = 0; i < m->run_count; i++) {
		const struct run *run = m->runs[i];
		const char *unit;
		if (isnan(capacity_run_load(run, &unit))) {
			c->problem =
				c->open_model
					? xasprintf("run '%s' has no arrival rate: perfgate reads an "
						    "open model's from k6's iterations and "
						    "dropped_iterations, which its %s output does not "
						    "have",
						    run->label, run->tool ? run->tool : "tool's")
					: xasprintf("run '%s' has no load level: its tool did not say "
						    "its concurrency",
						    run->label);
			return false;
		}
		if (i == 0)
			c->load_unit = unit;
		else if (strcmp(unit, c->load_unit) != 0)
			c->load_unit = "clients"; /* connections, VUs, users: all closed-loop clients */
	}
	if (m->run_count < 2) {
		const char *unit = "";
		double load = m->run_count ? capacity_run_load(m->runs[0], &unit) : NAN;
		c->problem = m->run_count
				     ? xasprintf("a capacity series needs runs at two or more load "
						 "levels (has 1: '%s' at %.4g %s)",
						 m->runs[0]->label, load, unit)
				     : xasprintf("a capacity series needs runs at two or more load "
						 "levels (has 0)");
		return false;
	}
	collect_levels(m, c);
	for (size_t i = 1; i < c->count; i++)
		if (c->levels[i].load == c->levels[i - 1].load) {
			c->problem = xasprintf(
				 "runs '%s' and '%s' are both at load %g: a series has one run per "
				 "level (compare repeats with perfgate compare)",
				 c->levels[i - 1].run->label, c->levels[i].run->label,
				 c->levels[i].load);
			return false;
		}
	find_breaking(c);
	find_knee(c);
	if (slo && slo->set)
		find_slo(c, slo);
	double *n = xmalloc(c->count * sizeof *n), *x = xmalloc(c->count * sizeof *x);
	size_t k = 0;
	for (size_t i = 0; i < c->count; i++)
		if (isfinite(c->levels[i].throughput)) {
			n[k] = c->levels[i].load;
			x[k++] = c->levels[i].throughput;
		}
	if (c->open_model) {
		memset(&c->usl, 0, sizeof c->usl);
		c->usl.why = "an open-model series is loaded by arrival rates, and the USL's N is a "
			     "number of clients (closed loops)";
	} else {
		usl_fit(n, x, k, &c->usl);
	}
	free(n);
	free(x);
	for (size_t i = 0; i < c->count; i++)
		if (c->levels[i].think_s < -0.002)
			c->little_inconsistent++;
	return true;
}

void capacity_fini(struct capacity *c)
{
	free(c->problem);
	free(c->levels);
	memset(c, 0, sizeof *c);
}
