/*
 * omission.c - coordinated omission: when a run's latencies understate the tail (analysis.h,
 * docs/statistics.md §7).
 *
 * A closed-loop load generator (k6's VU executors, wrk, autocannon, Locust users) waits for
 * each response before it sends the next request, so when the server stalls it sends less,
 * exactly then, and the latencies it would have seen are never measured (Gil Tene, "How NOT
 * to Measure Latency"). What the data can show, per run:
 *
 *   stalls   full intervals (not the run's partial first or last) in which no request
 *            completed while the run went on: every client was waiting (looked for when
 *            the run's median interval has 20 completions or more: in a slow script with
 *            think times a quiet second is not a stall);
 *   spikes   full intervals whose throughput fell below half the run's median interval
 *            throughput while their mean latency rose above twice its median: Little's law
 *            (X = N / R) at work, the generator slowed down with the server;
 *   dropped  k6's dropped_iterations: an arrival-rate (open-model) executor could not start
 *            iterations on time, so the load offered was less than asked for.
 *
 * wrk2 (-R) measures from when each request should have been sent: its latency is already
 * corrected, and its Uncorrected spectrum is kept as latency_uncorrected. A k6 run that
 * recorded dropped_iterations ran an arrival-rate executor: open model, not closed loop.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

/* Completions per interval the median must reach before an empty interval counts as a stall. */
enum { STALL_MIN_MEDIAN = 20 };

static int double_order(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_of(double *v, size_t n)
{
	qsort(v, n, sizeof *v, double_order);
	return n == 0 ? NAN : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Stalls and spikes from the whole run's requests (and latency) timelines. */
static void scan_intervals(const struct run *run, struct omission *o)
{
	const struct series *req = model_find_series(run, "requests", NULL, NULL, 0);
	if (!req || req->kind != SERIES_COUNTER || !req->timeline || req->timeline->count < 3)
		return;
	const struct series *lat = model_find_series(run, "latency", NULL, NULL, 0);
	const struct timeline *t = req->timeline, *lt = lat && lat->timeline ? lat->timeline : NULL;
	if (lt && lt->width_us != t->width_us)
		lt = NULL; /* not aligned: stalls only */
	double width = (double)t->width_us / 1e6;
	double *rates = xmalloc(t->count * sizeof *rates), *means = xmalloc(t->count * sizeof *means);
	double *r_sorted = xmalloc(t->count * sizeof *r_sorted);
	double *m_sorted = xmalloc(t->count * sizeof *m_sorted);
	bool *full = xcalloc(t->count, sizeof *full);
	size_t nr = 0, nm = 0;
	for (size_t i = 0; i < t->count; i++) {
		full[i] = model_run_interval_s(run, t, i) >= width && i > 0 && i + 1 < t->count &&
			  model_run_in_window(run, t, i);
		rates[i] = timeline_at(t, i)->sum / width;
		means[i] = NAN;
		if (lt) {
			int64_t at = timeline_start_us(t, i) / lt->width_us - lt->first;
			const struct interval *iv =
				at >= 0 && (size_t)at < lt->count ? timeline_at(lt, (size_t)at) : NULL;
			if (iv && iv->count > 0)
				means[i] = iv->sum / (double)iv->count;
		}
		if (!full[i])
			continue;
		o->intervals++;
		r_sorted[nr++] = rates[i];
		if (!isnan(means[i]))
			m_sorted[nm++] = means[i];
	}
	o->checked = o->intervals >= 3;
	double median_rate = median_of(r_sorted, nr), median_mean = median_of(m_sorted, nm);
	double gap = 0;
	for (size_t i = 0; o->checked && i < t->count; i++) {
		if (!full[i])
			continue;
		/* an empty interval is a stall only where completions are usually many: a quiet
		 * second of a slow script (think times, a few VUs) is not */
		if (rates[i] == 0 && median_rate * width >= STALL_MIN_MEDIAN) {
			o->stalls++;
			gap += width;
			o->longest_stall_s = fmax(o->longest_stall_s, gap);
			continue;
		}
		gap = 0;
		if (median_rate > 0 && rates[i] < median_rate / 2 && !isnan(means[i]) &&
		    median_mean > 0 && means[i] > 2 * median_mean)
			o->spikes++;
	}
	free(rates);
	free(means);
	free(r_sorted);
	free(m_sorted);
	free(full);
}

void omission_assess(const struct run *run, struct omission *o)
{
	memset(o, 0, sizeof *o);
	o->dropped = NAN;
	const char *tool = run->tool ? run->tool : "";
	const struct series *dropped = model_find_series(run, "dropped_iterations", NULL, NULL, 0);
	if (dropped && dropped->kind == SERIES_COUNTER)
		o->dropped = dropped->total;
	o->corrected = strcmp(tool, "wrk2") == 0;
	o->closed_loop = !o->corrected && isnan(o->dropped) &&
			 (strcmp(tool, "k6") == 0 || strcmp(tool, "wrk") == 0 ||
			  strcmp(tool, "autocannon") == 0 || strcmp(tool, "locust") == 0);
	if (o->closed_loop)
		scan_intervals(run, o);
	o->flagged = o->stalls > 0 || o->spikes > 0 || o->dropped > 0;
}

void omission_describe(const struct omission *o, struct buf *out)
{
	if (o->corrected) {
		buf_puts(out, "latency corrected (wrk2 -R measures from when each request should have "
			      "been sent; the uncorrected spectrum is latency_uncorrected)");
		return;
	}
	if (o->dropped > 0) {
		buf_printf(out, "%.0f iterations dropped: the arrival-rate executor could not start "
				"them on time, so less load was offered than asked for and the "
				"latencies of the requests not sent were never measured",
			   o->dropped);
		return;
	}
	if (!o->flagged)
		return;
	buf_puts(out, "likely: ");
	if (o->stalls)
		buf_printf(out, "%zu interval%s without a completed request (longest %g s)",
			   o->stalls, o->stalls == 1 ? "" : "s", o->longest_stall_s);
	if (o->stalls && o->spikes)
		buf_puts(out, ", ");
	if (o->spikes)
		buf_printf(out, "%zu interval%s where throughput fell below half its median while "
				"latency rose above twice its median",
			   o->spikes, o->spikes == 1 ? "" : "s");
	buf_puts(out, "; a closed-loop generator sends less while the server stalls, so the "
		      "latency tail is understated (an open-model run, k6 arrival-rate or "
		      "wrk2 -R, measures it)");
}

bool omission_note(const struct run *run, struct omission *o, struct buf *out)
{
	omission_assess(run, o);
	if (!o->flagged && !o->corrected)
		return false;
	omission_describe(o, out);
	return true;
}
