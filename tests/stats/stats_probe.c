/*
 * stats_probe.c - runs src/analysis/stats.c's routines on commands read from standard input,
 * one per line, and prints each answer on one line, so that tests/stats/check_stats.py can
 * compare them with scipy's (an implementation independent of ours).
 *
 *   cdf K N P            -> P(B <= K), B ~ Binomial(N, P)
 *   ranks N Q CONF       -> LO HI BOUNDED (the order statistics bounding the Q-quantile)
 *   minn Q CONF          -> the smallest N for which both are bounded
 *   nq P                 -> Φ⁻¹(P)
 *   mwu X... ; Y...      -> U P EXACT (two-sided)
 *   mwumin ALPHA         -> runs a side for an exact two-sided p <= ALPHA
 *   beta A B COUNT SEED  -> COUNT draws of Beta(A, B), space-separated
 *   binom N P COUNT SEED -> COUNT draws of Binomial(N, P)
 *   gamma K COUNT SEED   -> COUNT draws of Gamma(K, 1)
 *   mser X...            -> FOUND CUT
 *   usl N X N X ...      -> LAMBDA SIGMA KAPPA LAMBDA_SE SIGMA_SE KAPPA_SE N_STAR PEAK R2 OK
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

enum { MAX_VALUES = 100000 };

/* Reads numbers from strtok until NULL or ";" (returned through *semicolon). */
static size_t read_numbers(double *out, bool *semicolon)
{
	size_t n = 0;
	*semicolon = false;
	for (char *t; (t = strtok(NULL, " \t\n")) != NULL;) {
		if (strcmp(t, ";") == 0) {
			*semicolon = true;
			break;
		}
		if (n < MAX_VALUES)
			out[n++] = strtod(t, NULL);
	}
	return n;
}

static double next_number(void)
{
	char *t = strtok(NULL, " \t\n");
	return t ? strtod(t, NULL) : 0;
}

int main(void)
{
	static char line[1 << 20];
	static double x[MAX_VALUES], y[MAX_VALUES];
	while (fgets(line, sizeof line, stdin)) {
		char *cmd = strtok(line, " \t\n");
		if (!cmd)
			continue;
		if (strcmp(cmd, "cdf") == 0) {
			double k = next_number(), n = next_number(), p = next_number();
			printf("%.17g\n", stats_binom_cdf((int64_t)k, (int64_t)n, p));
		} else if (strcmp(cmd, "ranks") == 0) {
			double n = next_number(), q = next_number(), c = next_number();
			int64_t lo, hi;
			bool b = stats_quantile_ranks((int64_t)n, q, c, &lo, &hi);
			printf("%lld %lld %d\n", (long long)lo, (long long)hi, b);
		} else if (strcmp(cmd, "minn") == 0) {
			double q = next_number(), c = next_number();
			printf("%lld\n", (long long)stats_quantile_min_n(q, c));
		} else if (strcmp(cmd, "nq") == 0) {
			printf("%.17g\n", stats_normal_quantile(next_number()));
		} else if (strcmp(cmd, "mwu") == 0) {
			bool semi;
			size_t nx = read_numbers(x, &semi);
			size_t ny = read_numbers(y, &semi);
			struct mann_whitney r = stats_mann_whitney(x, nx, y, ny);
			printf("%.17g %.17g %d\n", r.u, r.p, r.exact);
		} else if (strcmp(cmd, "mwumin") == 0) {
			printf("%zu\n", stats_mann_whitney_min_n(next_number()));
		} else if (strcmp(cmd, "beta") == 0 || strcmp(cmd, "binom") == 0 ||
			   strcmp(cmd, "gamma") == 0) {
			double a = next_number(), b = cmd[0] == 'g' ? 0 : next_number();
			long count = (long)next_number();
			struct rng r;
			rng_seed(&r, (uint64_t)next_number());
			for (long i = 0; i < count; i++) {
				if (cmd[0] == 'g')
					printf("%s%.17g", i ? " " : "", rng_gamma(&r, a));
				else if (cmd[1] == 'e')
					printf("%s%.17g", i ? " " : "", rng_beta(&r, a, b));
				else
					printf("%s%lld", i ? " " : "",
					       (long long)rng_binomial(&r, (int64_t)a, b));
			}
			printf("\n");
		} else if (strcmp(cmd, "usl") == 0) {
			bool semi;
			size_t n = read_numbers(x, &semi) / 2;
			for (size_t i = 0; i < n; i++) {
				y[i] = x[2 * i + 1];
				x[i] = x[2 * i];
			}
			struct usl_fit f;
			bool ok = usl_fit(x, y, n, &f);
			printf("%.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %.10g %d\n", f.lambda,
			       f.sigma, f.kappa, f.lambda_se, f.sigma_se, f.kappa_se, f.n_star,
			       f.peak_throughput, f.r2, ok);
		} else if (strcmp(cmd, "mser") == 0) {
			bool semi;
			size_t n = read_numbers(x, &semi);
			size_t cut;
			bool found = stats_mser5(x, n, &cut);
			printf("%d %zu\n", found, cut);
		} else {
			fprintf(stderr, "stats_probe: unknown command '%s'\n", cmd);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}
