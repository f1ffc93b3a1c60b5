/*
 * usl.c - the Universal Scalability Law fitted to throughput against load (analysis.h,
 * docs/capacity.md).
 *
 * Gunther's model: X(N) = λN / (1 + σ(N−1) + κN(N−1)), σ contention, κ coherency; the peak
 * is at N* = sqrt((1−σ)/κ) (dX/dN = 0), and κ = 0 is Amdahl's law (no peak). The fit is
 * nonlinear least squares on the throughputs, as the R package `usl` does, started from the
 * linearised solution of usl4j (λ from the lowest load; x = N−1, y = N/(X/λ) − 1 =
 * (σ+κ)x + κx², a quadratic through the origin), then Levenberg–Marquardt with σ, κ kept in
 * [0, 1] and λ > 0 (a step that leaves the box is projected back onto it). Standard errors
 * come from (JᵀJ)⁻¹ · RSS / (n − 3); the intervals are ± t(0.975, n − 3) standard errors,
 * N*'s by the delta method. Fewer than 6 points is refused with a reason (usl4j and the R
 * package both ask for 6: three parameters need room to be told apart from noise).
 */
#include <math.h>
#include <string.h>

#include "analysis.h"

enum { USL_MIN_POINTS = 6, USL_MAX_ITERATIONS = 200 };

/* D(N) = 1 + σ(N−1) + κN(N−1) */
static double usl_denominator(double n, double sigma, double kappa)
{
	return 1 + sigma * (n - 1) + kappa * n * (n - 1);
}

double usl_throughput(const struct usl_fit *f, double n)
{
	return f->lambda * n / usl_denominator(n, f->sigma, f->kappa);
}

static double residual_sum(const double *n, const double *x, size_t count, double lambda,
			   double sigma, double kappa)
{
	double rss = 0;
	for (size_t i = 0; i < count; i++) {
		double e = x[i] - lambda * n[i] / usl_denominator(n[i], sigma, kappa);
		rss += e * e;
	}
	return rss;
}

/* Solves the 3x3 system a z = b (Gaussian elimination with pivoting); false if singular. */
static bool solve3(double a[3][3], double b[3], double z[3])
{
	int p[3] = {0, 1, 2};
	for (int c = 0; c < 3; c++) {
		int best = c;
		for (int r = c + 1; r < 3; r++)
			if (fabs(a[p[r]][c]) > fabs(a[p[best]][c]))
				best = r;
		int t = p[c];
		p[c] = p[best];
		p[best] = t;
		if (fabs(a[p[c]][c]) < 1e-300)
			return false;
		for (int r = c + 1; r < 3; r++) {
			double f = a[p[r]][c] / a[p[c]][c];
			for (int k = c; k < 3; k++)
				a[p[r]][k] -= f * a[p[c]][k];
			b[p[r]] -= f * b[p[c]];
		}
	}
	for (int c = 2; c >= 0; c--) {
		double s = b[p[c]];
		for (int k = c + 1; k < 3; k++)
			s -= a[p[c]][k] * z[k];
		z[c] = s / a[p[c]][c];
	}
	return true;
}

/* The inverse of a symmetric 3x3 matrix into inv; false if singular. */
static bool invert3(double m[3][3], double inv[3][3])
{
	for (int c = 0; c < 3; c++) {
		double a[3][3], e[3] = {0, 0, 0}, z[3];
		memcpy(a, m, sizeof a);
		e[c] = 1;
		if (!solve3(a, e, z))
			return false;
		for (int r = 0; r < 3; r++)
			inv[r][c] = z[r];
	}
	return true;
}

/* t(0.975, df): a table to 30, the normal quantile's series in 1/df beyond. */
static double t975(size_t df)
{
	static const double table[] = {0,      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
				       2.306,  2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
				       2.120,  2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
				       2.064,  2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
	if (df < PG_ARRAY_LEN(table))
		return table[df];
	double z = 1.959964, d = (double)df;
	return z + (z * z * z + z) / (4 * d) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * d * d);
}

/* The linearised start (usl4j): λ from the lowest load, then σ+κ and κ by least squares. */
static void start_values(const double *n, const double *x, size_t count, double p[3])
{
	size_t lo = 0;
	for (size_t i = 1; i < count; i++)
		if (n[i] < n[lo])
			lo = i;
	double lambda = x[lo] / n[lo];
	double s11 = 0, s12 = 0, s22 = 0, t1 = 0, t2 = 0;
	for (size_t i = 0; i < count; i++) {
		double u = n[i] - 1, y = n[i] / (x[i] / lambda) - 1;
		s11 += u * u;
		s12 += u * u * u;
		s22 += u * u * u * u;
		t1 += u * y;
		t2 += u * u * y;
	}
	double det = s11 * s22 - s12 * s12, a = 0, b = 0;
	if (fabs(det) > 1e-300) {
		a = (t1 * s22 - t2 * s12) / det; /* σ + κ */
		b = (s11 * t2 - s12 * t1) / det; /* κ */
	}
	p[0] = lambda;
	p[2] = b > 0 ? b : 0;
	p[1] = a - p[2] > 0 ? a - p[2] : 0;
	p[1] = p[1] > 1 ? 1 : p[1];
	p[2] = p[2] > 1 ? 1 : p[2];
}

static void clamp_params(double p[3])
{
	if (!(p[0] > 1e-12))
		p[0] = 1e-12;
	p[1] = p[1] < 0 ? 0 : p[1] > 1 ? 1 : p[1];
	p[2] = p[2] < 0 ? 0 : p[2] > 1 ? 1 : p[2];
}

/*
 * Levenberg–Marquardt on the parameters marked free (the others stay as they are), each
 * step projected back into the box; returns the residual sum of squares at the end.
 */
static double levenberg_marquardt(const double *n, const double *x, size_t count, double p[3],
				  const bool free_params[3])
{
	double rss = residual_sum(n, x, count, p[0], p[1], p[2]), mu = 1e-3;
	for (int it = 0; it < USL_MAX_ITERATIONS; it++) {
		double jtj[3][3] = {{0}}, jtr[3] = {0};
		for (size_t i = 0; i < count; i++) {
			double d = usl_denominator(n[i], p[1], p[2]);
			double j[3] = {n[i] / d, -p[0] * n[i] * (n[i] - 1) / (d * d),
				       -p[0] * n[i] * n[i] * (n[i] - 1) / (d * d)};
			double r = x[i] - p[0] * n[i] / d;
			for (int a = 0; a < 3; a++) {
				jtr[a] += j[a] * r;
				for (int b = 0; b < 3; b++)
					jtj[a][b] += j[a] * j[b];
			}
		}
		for (int a = 0; a < 3; a++) /* a fixed parameter: its row and column say "no step" */
			if (!free_params[a]) {
				for (int b = 0; b < 3; b++)
					jtj[a][b] = jtj[b][a] = 0;
				jtj[a][a] = 1;
				jtr[a] = 0;
			}
		bool improved = false;
		for (int tries = 0; tries < 30 && !improved; tries++) {
			double a[3][3], b[3], step[3];
			memcpy(a, jtj, sizeof a);
			memcpy(b, jtr, sizeof b);
			for (int k = 0; k < 3; k++)
				a[k][k] += mu * (jtj[k][k] > 0 ? jtj[k][k] : 1);
			if (!solve3(a, b, step)) {
				mu *= 10;
				continue;
			}
			double q[3] = {p[0] + step[0], p[1] + step[1], p[2] + step[2]};
			clamp_params(q);
			double next = residual_sum(n, x, count, q[0], q[1], q[2]);
			if (next < rss) {
				bool small = rss - next < 1e-12 * rss;
				memcpy(p, q, sizeof q);
				rss = next;
				mu = mu > 1e-12 ? mu / 10 : mu;
				improved = true;
				if (small)
					it = USL_MAX_ITERATIONS;
			} else {
				mu *= 10;
			}
		}
		if (!improved)
			break;
	}
	return rss;
}

bool usl_fit(const double *n, const double *x, size_t count, struct usl_fit *f)
{
	memset(f, 0, sizeof *f);
	f->points = count;
	f->n_star = f->peak_throughput = NAN;
	if (count < USL_MIN_POINTS) {
		f->why = "the USL has three parameters: a fit needs at least 6 load levels";
		return false;
	}
	for (size_t i = 0; i < count; i++)
		if (!(n[i] > 0) || !(x[i] > 0)) {
			f->why = "a load level without positive load and throughput";
			return false;
		}
	double p[3];
	start_values(n, x, count, p);
	/*
	 * The optimum may lie inside the box or on a face of it (κ = 0: Amdahl; σ = 0: no
	 * contention; a bound of 1), where projected steps stall short of it. So each of the
	 * nine ways of holding σ and κ (free, at 0, at 1) is fitted from the start values, and
	 * the least residual sum of squares wins: an exhaustive active-set search, cheap for
	 * three parameters.
	 */
	double start[3], rss = INFINITY;
	memcpy(start, p, sizeof start);
	static const double held[3] = {NAN, 0, 1};
	for (int si = 0; si < 3; si++)
		for (int ki = 0; ki < 3; ki++) {
			double q[3] = {start[0], isnan(held[si]) ? start[1] : held[si],
				       isnan(held[ki]) ? start[2] : held[ki]};
			bool free_params[3] = {true, isnan(held[si]), isnan(held[ki])};
			double r = levenberg_marquardt(n, x, count, q, free_params);
			if (r < rss * (1 - 1e-12)) {
				rss = r;
				memcpy(p, q, sizeof q);
			}
		}
	f->lambda = p[0];
	f->sigma = p[1];
	f->kappa = p[2];
	double mean = 0, tss = 0;
	for (size_t i = 0; i < count; i++)
		mean += x[i];
	mean /= (double)count;
	for (size_t i = 0; i < count; i++)
		tss += (x[i] - mean) * (x[i] - mean);
	f->r2 = tss > 0 ? 1 - rss / tss : NAN;
	/* standard errors from the Jacobian at the solution */
	double jtj[3][3] = {{0}}, cov[3][3];
	for (size_t i = 0; i < count; i++) {
		double d = usl_denominator(n[i], p[1], p[2]);
		double j[3] = {n[i] / d, -p[0] * n[i] * (n[i] - 1) / (d * d),
			       -p[0] * n[i] * n[i] * (n[i] - 1) / (d * d)};
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++)
				jtj[a][b] += j[a] * j[b];
	}
	double s2 = rss / (double)(count - 3), t = t975(count - 3);
	bool have_cov = invert3(jtj, cov);
	double se[3] = {NAN, NAN, NAN};
	for (int k = 0; k < 3 && have_cov; k++)
		se[k] = sqrt(fmax(cov[k][k] * s2, 0));
	f->lambda_se = se[0];
	f->sigma_se = se[1];
	f->kappa_se = se[2];
	f->lambda_lo = p[0] - t * se[0];
	f->lambda_hi = p[0] + t * se[0];
	f->sigma_lo = fmax(0, p[1] - t * se[1]);
	f->sigma_hi = fmin(1, p[1] + t * se[1]);
	f->kappa_lo = fmax(0, p[2] - t * se[2]);
	f->kappa_hi = fmin(1, p[2] + t * se[2]);
	f->n_star_lo = f->n_star_hi = NAN;
	if (p[2] > 0) {
		f->n_star = sqrt((1 - p[1]) / p[2]);
		/* below one client (σ near 1): throughput is highest at the first client */
		f->peak_throughput = usl_throughput(f, f->n_star < 1 ? 1 : f->n_star);
		if (have_cov) { /* delta method on (σ, κ) */
			double gs = -1 / (2 * p[2] * f->n_star);
			double gk = -(1 - p[1]) / (2 * p[2] * p[2] * f->n_star);
			double var = (gs * gs * cov[1][1] + 2 * gs * gk * cov[1][2] +
				      gk * gk * cov[2][2]) * s2;
			double sn = sqrt(fmax(var, 0));
			f->n_star_se = sn;
			f->n_star_lo = fmax(0, f->n_star - t * sn);
			f->n_star_hi = f->n_star + t * sn;
		}
	} else {
		f->amdahl = true; /* κ = 0: throughput approaches λ/σ, no peak */
	}
	f->ok = true;
	return true;
}

void usl_reading(const struct usl_fit *f, const char *unit, struct buf *out)
{
	if (!f->ok) {
		buf_printf(out, "not fitted: %s", f->why);
		return;
	}
	if (f->amdahl && f->sigma <= 0) {
		buf_puts(out, "throughput grows in proportion to load: no contention or coherency "
			      "cost was measured, so no peak or ceiling can be read");
		return;
	}
	if (f->amdahl) {
		buf_printf(out, "no peak (κ = 0, Amdahl): throughput levels off towards %.4g req/s "
				"as contention grows",
			   f->lambda / f->sigma);
		return;
	}
	if (f->n_star < 1) {
		buf_printf(out, "throughput is highest with one client (%.4g req/s) and falls as "
				"clients are added: contention and coherency costs dominate",
			   f->peak_throughput);
		return;
	}
	buf_printf(out, "throughput peaks near N* ≈ %.3g %s at ≈ %.4g req/s; beyond it, coherency "
			"costs make it fall",
		   f->n_star, unit, f->peak_throughput);
}
