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
 * false (not enough data) when k < 4 or when the best d lies past half the batches.
 */
bool stats_mser5(const double *x, size_t n, size_t *cut);

#endif
