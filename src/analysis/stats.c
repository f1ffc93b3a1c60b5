/*
 * stats.c - the statistics the analysis layer stands on (analysis.h), over plain numbers.
 *
 * Nothing here knows about runs or series: binomial tails and the order statistics that bound
 * a quantile, the Mann–Whitney U test, a seeded generator with the few distributions the
 * bootstrap draws from, sample quantiles, and MSER-5. tests/stats/check_stats.py checks each
 * against scipy through tests/unit/stats_probe.c.
 *
 * Binomial tails are summed term by term over a window of the distribution wide enough that
 * what lies outside it is below 1e-300 (the terms by the ratio recurrence from the mode, then
 * normalised): exact to rounding for every n we meet, with no incomplete-beta function to get
 * subtly wrong. Above n q (1 - q) =
 * 4e6 (so about 2e7 samples for a median) the window would be large and the normal
 * approximation with continuity correction is within one rank: that is used there.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

#define PI 3.14159265358979323846

/* ---- the normal distribution ---- */

double stats_normal_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/*
 * Acklam's rational approximation (relative error 1.15e-9), then one Halley step on
 * erfc, which brings it to about machine precision.
 */
double stats_normal_quantile(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
				   -2.759285104469687e+02, 1.383577518672690e+02,
				   -3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
				   -1.556989798598866e+02, 6.680131188771972e+01,
				   -1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
				   -2.400758277161838e+00, -2.549732539343734e+00,
				   4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
				   2.445134137142996e+00, 3.754408661907416e+00};
	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	double x;
	if (p < 0.02425) {
		double q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p > 1 - 0.02425) {
		double q = sqrt(-2 * log1p(-p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		double q = p - 0.5, r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	/* Halley on the nearer tail: 1 - p is exact for p >= 0.5, Φ(x) near 1 is not */
	double e = p > 0.5 ? (1 - p) - 0.5 * erfc(x / sqrt(2.0)) : stats_normal_cdf(x) - p;
	double u = e * sqrt(2 * PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

/* ---- binomial tails and quantile ranks ---- */

/* The window [*lo, *hi] of k outside which the binomial's mass is negligible (< 1e-300). */
static void binom_window(int64_t n, double p, int64_t *lo, int64_t *hi)
{
	double mean = (double)n * p, sd = sqrt((double)n * p * (1 - p));
	double a = floor(mean - 40 * sd - 40), b = ceil(mean + 40 * sd + 40);
	*lo = a < 0 ? 0 : (int64_t)a;
	*hi = b > (double)n ? n : (int64_t)b;
}

/*
 * P(B = k) for k in [lo, hi] (the window) into a new array (caller frees): from the mode by
 * the ratio P(k + 1) / P(k) = (n - k) p / ((k + 1) (1 - p)), then divided by the window's
 * sum. No lgamma of a large n (whose rounding, 1e-9 relative at n = 1e6, would be in every
 * term), and the normalisation makes the whole mass 1 to rounding.
 */
static double *binom_pmf_window(int64_t n, double p, int64_t lo, int64_t hi)
{
	size_t len = (size_t)(hi - lo + 1);
	double *w = xmalloc(len * sizeof *w);
	int64_t mode = (int64_t)floor((double)(n + 1) * p);
	if (mode > hi)
		mode = hi;
	if (mode < lo)
		mode = lo;
	double odds = p / (1 - p), sum = 0;
	w[mode - lo] = 1;
	for (int64_t k = mode; k < hi; k++)
		w[k + 1 - lo] = w[k - lo] * ((double)(n - k) / (double)(k + 1)) * odds;
	for (int64_t k = mode; k > lo; k--)
		w[k - 1 - lo] = w[k - lo] * ((double)k / (double)(n - k + 1)) / odds;
	for (size_t i = 0; i < len; i++)
		sum += w[i];
	for (size_t i = 0; i < len; i++)
		w[i] /= sum;
	return w;
}

double stats_binom_cdf(int64_t k, int64_t n, double p)
{
	if (k < 0)
		return 0;
	if (k >= n || p <= 0)
		return 1;
	if (p >= 1)
		return 0;
	int64_t lo, hi;
	binom_window(n, p, &lo, &hi);
	if (k < lo)
		return 0;
	if (k >= hi)
		return 1;
	double *w = binom_pmf_window(n, p, lo, hi);
	/* sum the smaller tail, so a probability near 1 is 1 - (a small sum), not rounding */
	double sum = 0;
	bool lower = (double)k < (double)n * p;
	if (lower)
		for (int64_t j = k; j >= lo; j--)
			sum += w[j - lo];
	else
		for (int64_t j = k + 1; j <= hi; j++)
			sum += w[j - lo];
	free(w);
	return lower ? sum : 1 - sum;
}

/* Past this n q (1 - q) the ranks come from the normal approximation. */
#define QUANTILE_EXACT_VARIANCE 4e6

bool stats_quantile_ranks(int64_t n, double q, double confidence, int64_t *lo, int64_t *hi)
{
	*lo = 0;
	*hi = n + 1;
	if (n <= 0 || !(q > 0 && q < 1) || !(confidence > 0 && confidence < 1))
		return false;
	double a = (1 - confidence) / 2;
	double var = (double)n * q * (1 - q);
	if (var > QUANTILE_EXACT_VARIANCE) {
		/* P(B <= k) ~ Φ((k + 0.5 - nq) / sd), P(B >= k) ~ 1 - Φ((k - 0.5 - nq) / sd) */
		double sd = sqrt(var), z = stats_normal_quantile(1 - a);
		double l = floor((double)n * q - 0.5 - z * sd) + 1;
		double u = ceil((double)n * q + 0.5 + z * sd);
		*lo = l < 0 ? 0 : (int64_t)l;
		*hi = u > (double)n ? n + 1 : (int64_t)u;
		return *lo >= 1 && *hi <= n;
	}
	int64_t wlo, whi;
	binom_window(n, q, &wlo, &whi);
	double *w = binom_pmf_window(n, q, wlo, whi);
	/* lo - 1 is the largest k with P(B <= k) <= a: walk up the lower tail */
	double tail = 0;
	int64_t k = wlo - 1; /* P(B <= wlo - 1) is negligible: a bound when wlo > 0 */
	for (int64_t j = wlo; j <= whi; j++) {
		tail += w[j - wlo];
		if (tail > a)
			break;
		k = j;
	}
	*lo = k + 1;
	/* hi is the smallest k with P(B >= k) <= a: walk down the upper tail */
	tail = 0;
	k = whi + 1;
	for (int64_t j = whi; j >= wlo; j--) {
		tail += w[j - wlo];
		if (tail > a)
			break;
		k = j;
	}
	free(w);
	*hi = k;
	return *lo >= 1 && *hi <= n;
}

int64_t stats_quantile_min_n(double q, double confidence)
{
	if (!(q > 0 && q < 1) || !(confidence > 0 && confidence < 1))
		return 0;
	double a = (1 - confidence) / 2;
	double far = q > 0.5 ? q : 1 - q;
	/* the side nearer the edge needs far^n <= a */
	int64_t n = (int64_t)ceil(log(a) / log(far) - 1e-9);
	return n < 1 ? 1 : n;
}

/* ---- Mann–Whitney U ---- */

struct ranked {
	double value;
	bool from_x;
};

static int ranked_cmp(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->value, y = ((const struct ranked *)b)->value;
	return (x > y) - (x < y);
}

/*
 * P(U >= u) for sizes m and n without ties: the counts of U are the coefficients of the
 * Gaussian binomial [m + n choose m]_t = prod_{i=1..m} (1 - t^(n+i)) / (1 - t^i), built one
 * factor at a time (each partial product is again a Gaussian binomial, with non-negative
 * coefficients), in doubles normalised by C(m + n, m) at the end.
 */
static double mann_whitney_exact_sf(double u, size_t m, size_t n)
{
	size_t top = m * n;
	double *c = xcalloc(top + 1, sizeof *c);
	c[0] = 1;
	for (size_t i = 1; i <= m; i++) {
		size_t up = n + i;
		for (size_t k = top; k >= up; k--) /* times (1 - t^(n+i)) */
			c[k] -= c[k - up];
		for (size_t k = i; k <= top; k++) /* divided by (1 - t^i) */
			c[k] += c[k - i];
	}
	double total = 0, tail = 0;
	for (size_t k = 0; k <= top; k++) {
		total += c[k];
		if ((double)k >= u - 1e-9)
			tail += c[k];
	}
	free(c);
	return tail / total;
}

struct mann_whitney stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny)
{
	struct mann_whitney r = {NAN, NAN, false};
	if (nx == 0 || ny == 0)
		return r;
	size_t n = nx + ny;
	struct ranked *all = xmalloc(n * sizeof *all);
	for (size_t i = 0; i < nx; i++)
		all[i] = (struct ranked){x[i], true};
	for (size_t i = 0; i < ny; i++)
		all[nx + i] = (struct ranked){y[i], false};
	qsort(all, n, sizeof *all, ranked_cmp);
	/* mid-ranks; the sum of x's ranks; the tie term sum(t^3 - t) */
	double rank_sum = 0, tie_term = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && all[j + 1].value == all[i].value)
			j++;
		double mid = (double)(i + j) / 2 + 1, t = (double)(j - i + 1);
		tie_term += t * t * t - t;
		for (size_t k = i; k <= j; k++)
			if (all[k].from_x)
				rank_sum += mid;
		i = j + 1;
	}
	free(all);
	double m1 = (double)nx, m2 = (double)ny;
	r.u = rank_sum - m1 * (m1 + 1) / 2;
	double big = fmax(r.u, m1 * m2 - r.u);
	r.exact = (nx <= 8 || ny <= 8) && tie_term == 0;
	if (r.exact) {
		r.p = 2 * mann_whitney_exact_sf(big, nx, ny);
	} else {
		double nn = m1 + m2;
		double s = sqrt(m1 * m2 / 12 * ((nn + 1) - tie_term / (nn * (nn - 1))));
		double z = (big - m1 * m2 / 2 - 0.5) / s;
		r.p = s > 0 ? 2 * stats_normal_cdf(-z) : 1;
	}
	if (r.p > 1)
		r.p = 1;
	return r;
}

size_t stats_mann_whitney_min_n(double alpha)
{
	double choose = 2; /* C(2n, n) for n = 1 */
	for (size_t n = 1; n < 64; n++) {
		if (2 / choose <= alpha)
			return n;
		/* C(2n + 2, n + 1) = C(2n, n) (2n + 1)(2n + 2) / (n + 1)^2 */
		double k = (double)n;
		choose = choose * (2 * k + 1) * (2 * k + 2) / ((k + 1) * (k + 1));
	}
	return 64;
}

/* ---- the generator ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

size_t rng_below(struct rng *r, size_t n)
{
	return n ? (size_t)(rng_uniform(r) * (double)n) % n : 0;
}

/* Box–Muller (one of the pair; simple, and fast enough for the draws we make). */
double rng_normal(struct rng *r)
{
	double u = 1 - rng_uniform(r), v = rng_uniform(r);
	return sqrt(-2 * log(u)) * cos(2 * PI * v);
}

/* Marsaglia and Tsang (2000); shape < 1 through Gamma(shape + 1) * U^(1 / shape). */
double rng_gamma(struct rng *r, double shape)
{
	if (shape < 1) {
		double u = 1 - rng_uniform(r);
		return rng_gamma(r, shape + 1) * pow(u, 1 / shape);
	}
	double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
	for (;;) {
		double x, v;
		do {
			x = rng_normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		double u = 1 - rng_uniform(r);
		if (u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)))
			return d * v;
	}
}

double rng_beta(struct rng *r, double a, double b)
{
	double x = rng_gamma(r, a), y = rng_gamma(r, b);
	return x / (x + y);
}

/*
 * Exact for small means (waiting times between successes), a rounded normal draw where
 * n p (1 - p) is large enough for it to be within a fraction of one count.
 */
int64_t rng_binomial(struct rng *r, int64_t n, double p)
{
	if (n <= 0 || p <= 0)
		return 0;
	if (p >= 1)
		return n;
	if (p > 0.5)
		return n - rng_binomial(r, n, 1 - p);
	double var = (double)n * p * (1 - p);
	if (var > 50) {
		double k = round((double)n * p + sqrt(var) * rng_normal(r));
		return k < 0 ? 0 : k > (double)n ? n : (int64_t)k;
	}
	/* the gaps between successes are geometric: count how many fit in n trials */
	double lq = log1p(-p);
	int64_t count = 0;
	double at = 0;
	for (;;) {
		at += floor(log(1 - rng_uniform(r)) / lq) + 1;
		if (at > (double)n)
			return count;
		count++;
	}
}

/* ---- sample quantiles ---- */

static int double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof *v, double_cmp);
}

double stats_sorted_quantile(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	double at = q * (double)(n - 1);
	size_t i = (size_t)floor(at);
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (v[i + 1] - v[i]) * (at - (double)i);
}

double stats_median(double *v, size_t n)
{
	stats_sort(v, n);
	return stats_sorted_quantile(v, n, 0.5);
}

/* ---- MSER-5 ---- */

/* |t| of the slope of the batch means after the cut beyond which they still trend. */
#define MSER_TREND_T 4.5

bool stats_mser5(const double *x, size_t n, size_t *cut)
{
	*cut = 0;
	size_t k = n / 5;
	if (k < 4)
		return false;
	double *z = xmalloc(k * sizeof *z);
	for (size_t j = 0; j < k; j++) {
		double s = 0;
		for (size_t i = 0; i < 5; i++)
			s += x[5 * j + i];
		z[j] = s / 5;
	}
	size_t keep = k / 4 < 5 ? k / 4 : 5;
	size_t best = 0;
	double best_value = INFINITY;
	for (size_t d = 0; d + keep < k; d++) {
		double mean = 0;
		for (size_t j = d; j < k; j++)
			mean += z[j];
		mean /= (double)(k - d);
		double ss = 0;
		for (size_t j = d; j < k; j++)
			ss += (z[j] - mean) * (z[j] - mean);
		double value = ss / ((double)(k - d) * (double)(k - d));
		if (value < best_value) {
			best_value = value;
			best = d;
		}
	}
	/*
	 * No steady state: the batch means after the cut still trend (a least-squares slope
	 * with |t| > MSER_TREND_T over 4 or more batches). Not "the cut lies past half the
	 * run": on stationary data the minimum falls there by chance (a third of 30-interval
	 * runs), while a series that keeps rising or falling shows its trend whatever the cut.
	 */
	bool trending = false;
	size_t m = k - best;
	if (m >= 4) {
		double sx = 0, sy = 0, sxx = 0, sxy = 0;
		for (size_t j = best; j < k; j++) {
			double at = (double)(j - best), y = z[j];
			sx += at;
			sy += y;
			sxx += at * at;
			sxy += at * y;
		}
		double mm = (double)m, vx = sxx - sx * sx / mm;
		double slope = (sxy - sx * sy / mm) / vx, icpt = (sy - slope * sx) / mm, rss = 0;
		for (size_t j = best; j < k; j++) {
			double e = z[j] - (icpt + slope * (double)(j - best));
			rss += e * e;
		}
		double se = sqrt(rss / (mm - 2) / vx);
		trending = se > 0 ? fabs(slope / se) > MSER_TREND_T : slope != 0;
	}
	free(z);
	if (trending)
		return false;
	*cut = 5 * best;
	return true;
}
