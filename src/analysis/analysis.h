/*
 * analysis.h - the analysis layer: how sure a number is, and how two sets of runs differ.
 *
 * Audience: the drivers (cmd_compare.c, judge.c) and the emit back ends that print what it
 * found (which read struct comparison). Front ends never include it. It reads the model and
 * knows nothing of file formats or outputs.
 * Sections follow the implementing files: stats.c (the statistics, model-free), interval.c
 * (a series' quantile intervals), compare.c (baseline runs against candidate runs).
 * docs/statistics.md states every method, its formula and its assumptions.
 */
#ifndef PERFGATE_ANALYSIS_H
#define PERFGATE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/model.h"

/* ---- stats.c: statistics over plain numbers, independent of the model ---- */

/* P(B <= k) for B ~ Binomial(n, p): exact to rounding (stats.c says how). */
double stats_binom_cdf(int64_t k, int64_t n, double p);

/* The standard normal's quantile Φ⁻¹(p) for p in (0, 1) (relative error below 1e-13). */
double stats_normal_quantile(double p);
/* Φ(z), the standard normal's distribution function. */
double stats_normal_cdf(double z);

/*
 * The order statistics that bound the q-quantile of n samples with at least the given
 * confidence (0.95), distribution-free: the number of samples below the true quantile is
 * Binomial(n, q), so P(X(lo) <= Q <= X(hi)) >= confidence when P(B < lo) <= a and
 * P(B >= hi) <= a with a = (1 - confidence) / 2; lo is the largest and hi the smallest such
 * rank (1-based). A side the sample cannot bound is 0 (lo) or n + 1 (hi). Exact for
 * n q (1 - q) <= 4e6, the normal approximation with continuity correction above.
 * Returns true when both sides are bounded.
 */
bool stats_quantile_ranks(int64_t n, double q, double confidence, int64_t *lo, int64_t *hi);
/*
 * The smallest n for which both ranks above are bounded: ceil(log(a) / log(max(q, 1 - q))),
 * a = (1 - confidence) / 2 (p99 at 95 %: 368). 0 for q outside (0, 1).
 */
int64_t stats_quantile_min_n(double q, double confidence);

/* The Mann–Whitney U test of x against y, two-sided, as scipy.stats.mannwhitneyu computes it. */
struct mann_whitney {
	double u;       /* U of x: the pairs (x_i, y_j) with x_i > y_j, ties counting 1/2 */
	double p;       /* two-sided p-value */
	bool exact;     /* exact distribution (a side of 8 or fewer and no ties), else normal with
			   tie and continuity corrections */
};
struct mann_whitney stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny);
/*
 * The smallest n such that n runs against n can give a two-sided exact p-value <= alpha:
 * 2 / C(2n, n) <= alpha (alpha 0.05: 4; three against three can reach only 0.1).
 */
size_t stats_mann_whitney_min_n(double alpha);

/* A small, fast, seeded generator (xoshiro256**): the bootstrap is reproducible run to run. */
struct rng {
	uint64_t s[4];
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
double rng_uniform(struct rng *r);            /* in [0, 1) */
double rng_normal(struct rng *r);             /* standard normal */
double rng_gamma(struct rng *r, double shape); /* Gamma(shape, 1), shape > 0 */
double rng_beta(struct rng *r, double a, double b);
int64_t rng_binomial(struct rng *r, int64_t n, double p);
size_t rng_below(struct rng *r, size_t n);    /* uniform in [0, n) */

/* The q-quantile of sorted v[0..n) by linear interpolation (numpy's default); NaN when n = 0. */
double stats_sorted_quantile(const double *v, size_t n, double q);
/* Sorts v[0..n) in place (ascending; NaNs last). */
void stats_sort(double *v, size_t n);
/* The median of v[0..n) (sorts v). */
double stats_median(double *v, size_t n);

/*
 * MSER-5 (White 1997): the warm-up to cut from a series of per-interval values x[0..n).
 * Batches of five consecutive values are averaged into Z_1..Z_k (a partial batch at the end
 * is dropped); the truncation d (in batches) minimises
 *     MSER(d) = (1 / (k - d)^2) * sum_{j > d} (Z_j - mean(Z_{d+1..k}))^2
 * over d in [0, k - min(5, k / 4)) (the last batches never decide: their few values make the
 * statistic small by chance). Sets *cut to 5 d (values to drop) and returns true; returns
 * false when k < 4 (not enough data) or when the batch means after the cut still trend
 * (no steady state: a least-squares slope over 4+ batches with |t| > 4.5).
 */
bool stats_mser5(const double *x, size_t n, size_t *cut);

/* ---- noise.c: one run's value and how it would vary if the run were repeated ---- */

enum noise_kind {
	NOISE_NONE,      /* only the value: repeats alone can show its noise */
	NOISE_HIST,      /* a quantile of a histogram: an order statistic's bootstrap */
	NOISE_BUCKETS,   /* a quantile over Prometheus buckets, the same way */
	NOISE_NORMAL,    /* value + sd * Z (a histogram's mean; throughput over a timeline) */
	NOISE_BINOMIAL,  /* Binomial(n, value) / n (an error rate over n requests) */
};

/*
 * A value with its within-run bootstrap distribution (docs/statistics.md §2). It owns copies
 * of what a draw needs (a histogram's running counts, Prometheus bounds), so it outlives the
 * series it came from. Zero-initialised is NOISE_NONE with value 0.
 */
struct noise {
	enum noise_kind kind;
	double value;            /* the point value, in the series' unit */
	double q;                /* NOISE_HIST, NOISE_BUCKETS: the quantile */
	int64_t n;               /* samples (histograms) or attempts (shares) */
	double sd;               /* NOISE_NORMAL: standard error */
	int64_t *cumulative;     /* NOISE_HIST: running counts of the non-empty buckets */
	double *bucket_value;    /* ... the value a rank in each stands for (series unit) */
	size_t buckets;
	double min_value, max_value; /* NOISE_HIST: the exact extremes (ranks 1 and n) */
	struct buckets bounds;   /* NOISE_BUCKETS: a copy of the series' buckets */
};

/*
 * The noise of value, the q-quantile of trend series s: NOISE_HIST from a histogram,
 * NOISE_BUCKETS from Prometheus buckets, else NOISE_NONE (reported percentiles). Returns
 * whether it has a within-run distribution.
 */
bool noise_of_quantile(struct noise *n, const struct series *s, double q, double value);
/* value, the mean of s: NOISE_NORMAL (sd / sqrt(n)) from a histogram of 2+ samples. */
bool noise_of_mean(struct noise *n, const struct series *s, double value);
/*
 * value, a throughput (per second) of run whose request counter `requests` keeps a
 * timeline: NOISE_NORMAL with the batch-means standard error of the full intervals' rates
 * (at least five; the run's first and last intervals, and any outside its window, left out).
 */
bool noise_of_throughput(struct noise *n, const struct run *run, const struct series *requests,
			 double value);
/* value, a share of attempts (an error rate): NOISE_BINOMIAL when attempts >= 1. */
bool noise_of_share(struct noise *n, double value, double attempts);
/* One draw from the value's bootstrap distribution (the value itself for NOISE_NONE). */
double noise_draw(const struct noise *n, struct rng *r);
void noise_fini(struct noise *n);

/* ---- window.c: steady-state and explicit windows (docs/statistics.md §6) ---- */

enum window_kind {
	WINDOW_WHOLE,   /* the whole run (no window) */
	WINDOW_STEADY,  /* from where MSER-5 finds the warm-up over, to the end */
	WINDOW_RANGE,   /* from_s .. to_s seconds from the run's start (either may be open) */
	WINDOW_STAGES,  /* each steady stage of VUs of a run becomes a run of its own */
};
struct window_spec {
	enum window_kind kind;
	double from_s, to_s;  /* WINDOW_RANGE: seconds from the run's start; NaN = open */
};
/* "whole", "steady", "range", "stage" (the kind of each run a stages window makes) */
const char *window_kind_name(enum window_kind k);
/*
 * "steady", "whole", "stages", or a range "FROM..TO" of durations from the run's start
 * ("30s..", "..2m", "10s..70s"; ms, s, m, h, bare numbers are seconds). False when malformed.
 */
bool window_spec_parse(const char *text, struct window_spec *out);
/*
 * The steady window of run by MSER-5 on its per-interval data, refined to one interval:
 * seconds from the run's start. False with *why (a sentence) when there is no per-interval
 * data, too little of it, or no steady state in the first half.
 */
bool window_detect_steady(const struct run *run, double *from_s, double *to_s,
			  const char **why);
/*
 * Cuts every run of m to the window (the file comment of window.c says how each series is
 * rebuilt) and records it in the run (has_window, window_*). A run that cannot be cut keeps
 * its whole-run numbers, with a DIAG_WINDOW_WHOLE_RUN warning saying why. A stages window
 * replaces each run that has stages by one run per stage, "LABEL@NVUs", in place.
 */
struct diag;
void window_apply(struct model *m, const struct window_spec *spec, struct diag *d);

/* ---- omission.c: coordinated omission (docs/statistics.md §7) ---- */

struct omission {
	bool closed_loop;       /* the tool waits for each response (k6 VUs, wrk, autocannon,
				   Locust): its latencies can understate the tail */
	bool corrected;         /* wrk2: latency measured from the intended send time */
	double dropped;         /* k6 dropped_iterations; NaN when none was recorded */
	bool checked;           /* closed loop with 3+ full intervals of requests to look at */
	size_t intervals;       /* the full intervals looked at */
	size_t stalls;          /* full intervals without a completed request */
	double longest_stall_s; /* the longest run of them, seconds */
	size_t spikes;          /* full intervals: throughput < median / 2, latency > 2 x median */
	bool flagged;           /* stalls, spikes or dropped iterations: the tail is understated */
};
/* What run's data says about coordinated omission (omission.c's comment has the rules). */
void omission_assess(const struct run *run, struct omission *o);
/* A sentence for people: what was found and what it means; nothing when there is nothing. */
void omission_describe(const struct omission *o, struct buf *out);
/*
 * Assesses run into *o and, when it is flagged or corrected, appends the sentence to out and
 * returns true (the one rule for show and the report); else false and out is left alone.
 */
bool omission_note(const struct run *run, struct omission *o, struct buf *out);

/* ---- usl.c: the Universal Scalability Law (docs/capacity.md) ---- */

struct usl_fit {
	bool ok;                 /* fitted; else why says why not */
	const char *why;         /* static */
	size_t points;           /* load levels used */
	double lambda, sigma, kappa;     /* X(N) = λN / (1 + σ(N−1) + κN(N−1)) */
	double lambda_se, sigma_se, kappa_se; /* standard errors */
	double lambda_lo, lambda_hi, sigma_lo, sigma_hi, kappa_lo, kappa_hi; /* 95 % intervals */
	double n_star;           /* sqrt((1−σ)/κ): the load of peak throughput; NaN when κ = 0 */
	double n_star_lo, n_star_hi, n_star_se;
	double peak_throughput;  /* X(N*) */
	double r2;               /* 1 − RSS/TSS of the throughputs */
	bool amdahl;             /* κ = 0: no peak (throughput tends to λ/σ) */
};
/*
 * Fits the USL to throughputs x[i] at loads n[i] (usl.c's comment has the method). Returns
 * false, with f->why, below 6 points or for a non-positive load or throughput.
 */
bool usl_fit(const double *n, const double *x, size_t count, struct usl_fit *f);
/* The fitted throughput at load n. */
double usl_throughput(const struct usl_fit *f, double n);
/* One sentence reading the fit ("throughput peaks near N* ≈ 30.7 VUs at ≈ 1408 req/s; ..."). */
void usl_reading(const struct usl_fit *f, const char *unit, struct buf *out);

/* ---- capacity.c: a series of load levels (docs/capacity.md) ---- */

/* An SLO a series is read against: "p95 < 300ms", "p(99) <= 1s", "error_rate < 1%". */
struct capacity_slo {
	bool set;
	const char *text;        /* as given; borrowed */
	bool error_rate;         /* else a latency percentile */
	double q, percent;       /* the percentile (0.95, 95) */
	double limit;            /* ms, or a share */
	bool inclusive;          /* <= */
};
/* Parses an SLO; false when it is not one of the forms above. */
bool capacity_slo_parse(const char *text, struct capacity_slo *out);

struct capacity_level {
	const struct run *run;
	double load;             /* concurrency: connections, VUs, users */
	double throughput;       /* req/s; NaN when unknown */
	double p50, p95, p99, mean; /* ms; NaN when missing */
	bool p95_estimate, p99_estimate; /* interpolated between reported percentiles */
	double error_rate;       /* share; NaN when unknown */
	double d_throughput, d_p50, d_p95, d_p99; /* against the lowest load (0.3 = +30 %) */
	double think_s;          /* Little's law: N/X − R, the think time the level implies;
				    NaN for an open model */
	double dropped;          /* open model: share of the iterations k6 dropped; else NaN */
};

struct capacity {
	char *problem;           /* why there is no analysis (capacity_analyse false); heap */
	const char *load_unit;   /* "connections", "VUs", "users", or "clients" when mixed;
				    "it/s" for an open model */
	bool open_model;         /* loaded by arrival rates (capacity_run_open) */
	struct capacity_level *levels; /* heap, by load */
	size_t count;
	bool has_breaking;
	double breaking_load;
	char breaking_text[200]; /* what broke, or why nothing did */
	bool has_knee;
	double knee_load;
	const char *knee_why;    /* why there is none; static */
	struct capacity_slo slo; /* the SLO read, when set */
	bool has_crossing, slo_held_all, slo_failed_all;
	bool slo_estimate;       /* a level's percentile was interpolated, not reported */
	double slo_highest_ok;   /* the highest level at which it holds */
	double slo_crossing;     /* interpolated load where it stops holding */
	char slo_text[240];
	struct usl_fit usl;
	size_t little_inconsistent; /* levels with N < X R: not a closed loop of N clients */
};

/*
 * Whether run was loaded by an arrival rate (an open model), not by a number of clients: it
 * dropped iterations (k6 counts dropped_iterations only then), or --open-model says so.
 */
bool capacity_run_open(const struct run *run);
/*
 * The load level of run: for an open model the arrival rate k6 was asked for, the iterations
 * it started or dropped per second (*unit "it/s"); else its concurrency (*unit "VUs",
 * "connections", "users" or "clients"). NaN when the run does not say.
 */
double capacity_run_load(const struct run *run, const char **unit);
/*
 * Reads every run of m as a load level (capacity.c's comment has the rules). False, with
 * c->problem, when a run has no load level, open and closed models are mixed, or there are
 * fewer than two runs.
 */
bool capacity_analyse(const struct model *m, const struct capacity_slo *slo,
		      struct capacity *c);
void capacity_fini(struct capacity *c);

/* ---- interval.c: how sure one run's quantile is ---- */

/* Why a value has no interval. */
enum interval_why {
	INTERVAL_OK,          /* lo..hi hold the interval */
	INTERVAL_NO_DATA,     /* the series has no samples */
	INTERVAL_REPORTED,    /* a `quantiles` series: the tool reported only the percentile */
	INTERVAL_TOO_FEW,     /* fewer samples than a two-sided interval of that quantile needs */
};

struct value_interval {
	enum interval_why why;
	double lo;            /* in the series' unit */
	double hi;            /* INFINITY when the upper rank falls in a +Inf bucket */
	int64_t samples;      /* behind the value */
	int64_t need;         /* INTERVAL_TOO_FEW: the samples a two-sided interval needs */
};

/*
 * The confidence interval of a trend series' q-quantile (0 < q < 1), distribution-free:
 * the order-statistic ranks of stats_quantile_ranks mapped to the histogram, the lower rank
 * to the lowest value of its bucket and the upper rank to the highest (which is how the
 * histogram's bucket error widens it), both kept inside the exact [min, max]; for Prometheus
 * buckets the lower rank maps to the bucket's lower bound and the upper rank to its `le`
 * bound (+Inf: open-ended). A `quantiles` series has none (INTERVAL_REPORTED).
 */
struct value_interval interval_of_quantile(const struct series *s, double q, double confidence);
/* A sentence saying why there is no interval ("reported percentiles only: ..."), to out. */
void interval_explain(const struct value_interval *iv, double q, double confidence,
		      struct buf *out);

/* ---- compare.c: baseline runs against candidate runs ---- */

/* The metrics `compare` judges, in table order. */
enum compare_metric {
	CMP_P50, CMP_P90, CMP_P95, CMP_P99, CMP_MEAN, CMP_THROUGHPUT, CMP_ERROR_RATE,
	CMP__COUNT,
};
/* "p50", ..., "mean", "throughput", "error_rate" */
const char *compare_metric_name(enum compare_metric m);
bool compare_metric_from_name(const char *name, size_t len, enum compare_metric *out);

enum change_verdict {
	CHANGE_NONE,          /* the change's interval lies within ±threshold: "no change" */
	CHANGE_REGRESSION,    /* the interval lies beyond the threshold, the bad way */
	CHANGE_IMPROVEMENT,   /* beyond it, the good way */
	CHANGE_INCONCLUSIVE,  /* the interval straddles the threshold, or too few runs/samples */
	CHANGE_NO_DATA,       /* a side has no value for the metric */
};
/* "no change", "regression", "improvement", "inconclusive", "no data" */
const char *change_verdict_name(enum change_verdict v);
/* the same for JSON: "no_change", "regression", ... */
const char *change_verdict_json_name(enum change_verdict v);

/* One side (the baseline or the candidate) of a row. */
struct compare_side {
	double value;            /* one run's value, or the median of the runs' values */
	bool has_value;
	size_t runs;             /* runs with a value */
	enum precision precision; /* of the series read (the loosest over the runs) */
	bool estimate;           /* a value interpolated between reported percentiles */
	struct value_interval interval; /* one run: its own interval (quantiles of histograms);
				     several: the spread of the runs' values (min..max) */
	bool interval_is_spread; /* interval holds the runs' min..max, not a confidence interval */
};

struct compare_row {
	const char *endpoint;     /* NULL = the whole run; borrowed from a model */
	enum compare_metric metric;
	enum unit unit;           /* of the sides' values */
	struct compare_side base, cand;
	double change;            /* candidate against baseline: relative (0.3 = +30 %), except
				     error_rate: the difference of the shares (0.01 = +1 point) */
	double change_lo, change_hi; /* its interval at the confidence; NaN when none */
	double p_value;           /* Mann-Whitney over the runs' values; NaN when not run */
	bool per_run;             /* judged on the runs' values alone (no within-run noise known) */
	double threshold;         /* the noise threshold applied (relative, or share for errors) */
	bool gated;               /* counts for the exit code */
	enum change_verdict verdict;
	size_t need_runs;         /* inconclusive for want of repeats: runs needed a side; else 0 */
	char *reason;             /* one sentence behind the verdict; heap */
};

/* A point of the shift function: a quantile's change across the distribution. */
struct shift_point {
	double q;
	double base, cand;        /* the sides' values (series unit) */
	double change, lo, hi;    /* relative change and its interval */
};

/* The shift function of one endpoint's latency (sources with histograms only). */
struct shift_function {
	const char *endpoint;     /* NULL = whole run */
	struct shift_point *points; /* heap */
	size_t count;
	bool tail_only;           /* p50 did not move (no change) while the tail regressed */
};

struct compare_options {
	double confidence;               /* 0.95 */
	double threshold[CMP__COUNT];    /* relative for latency and throughput, a share (points)
					    for error_rate */
	bool gate[CMP__COUNT];           /* which metrics decide the exit code */
	int resamples;                   /* bootstrap resamples (0: the default, 4000) */
	const char *metric;              /* the trend whose quantiles and mean are compared:
					    "latency" (NULL) or --metric's (a Prometheus histogram,
					    a k6 Trend); borrowed */
};
/* 95 %, 5 % (error rate 0.1 point), every metric gated. */
void compare_options_init(struct compare_options *o);

struct comparison {
	struct compare_options options;
	size_t base_runs, cand_runs;
	struct compare_row *rows;        /* heap; by endpoint (whole run first), then metric */
	size_t count, cap;
	struct shift_function *shifts;   /* heap; one per endpoint with histograms on both sides */
	size_t shift_count, shift_cap;
	char **notes;                    /* heap strings: endpoints on one side only, ... */
	size_t note_count, note_cap;
	size_t regressions, improvements, inconclusive, unchanged; /* gated rows */
};

/*
 * Compares the runs of base (each a repeat of the baseline workload) with those of cand, per
 * endpoint present on both sides and per metric (docs/statistics.md):
 *   - a run whose metric has a known within-run noise (a quantile or the mean of a histogram,
 *     throughput over a timeline, an error rate over a request count) is resampled in a
 *     two-level bootstrap: runs drawn with replacement, then each drawn run's value from its
 *     own bootstrap distribution; a side's value is the median over its runs;
 *   - otherwise (reported percentiles, throughput without a timeline) only the runs' values
 *     speak: a Mann-Whitney U test and a bootstrap over runs, with at least
 *     stats_mann_whitney_min_n runs a side.
 * Deterministic: every row's generator is seeded from its endpoint and metric.
 */
void compare_models(const struct model *base, const struct model *cand,
		    const struct compare_options *o, struct comparison *out);
void comparison_fini(struct comparison *c);

#endif
