/*
 * bench_hist.c - records per second into the histogram (hist_record is a hot path: one call
 * per raw sample of multi-GB k6 streams). Not a test: it prints a rate and always exits 0.
 *
 *     build/tests/bench_hist [samples]      (default 200 million)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model/hist.h"

int main(int argc, char **argv)
{
	long long n = argc > 1 ? atoll(argv[1]) : 200000000LL;
	struct hist_layout layout;
	hist_layout(HIST_HIGHEST_DEFAULT, HIST_DIGITS_DEFAULT, &layout);
	struct hist h;
	hist_init(&h, &layout);
	uint64_t x = 88172645463325252ull;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long long i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		hist_record(&h, (int64_t)(x % 5000000), 1); /* 0 .. 5 s in µs */
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%lld records in %.3f s: %.1f million records/s (p99 %lld us)\n", n, seconds,
	       (double)n / seconds / 1e6, (long long)hist_value_at(&h, 0.99));
	hist_fini(&h);
	return 0;
}
