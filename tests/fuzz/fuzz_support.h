/*
 * fuzz_support.h - what every fuzz harness shares: feed one input through the real loader
 * (ingest_load) with its format forced, with diagnostics going to a memory stream, then run the
 * model through its writers (model JSON, merge) so the code that reads what a parser built is
 * fuzzed too. Any crash, leak or sanitizer report is a
 * finding; diagnostics are the expected outcome of bad input.
 *
 * Audience: tests/fuzz/fuzz_*.c only.
 */
#ifndef PERFGATE_FUZZ_SUPPORT_H
#define PERFGATE_FUZZ_SUPPORT_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest/ingest.h"

static int64_t fuzz_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/*
 * Invariants on any model a front end built:
 * - reported percentiles are kept at distinct, increasing ranks within 0..1, and each is
 *   returned as stored when asked for at its rank;
 * - a histogram's bucket counts add up to its total count, and its percentiles never decrease
 *   with the percentile, from min to max;
 * - an exact trend's timeline intervals never count more samples than its histogram holds;
 * - a timeline's count of non-empty intervals is what its intervals read, and a sparse store
 *   holds at most half its span (model.h), whichever store it chose.
 */
static void fuzz_check_series(const struct series *s)
{
	const struct timeline *t = s->timeline;
	if (t) {
		size_t nonempty = 0;
		for (size_t i = 0; i < t->count; i++)
			nonempty += timeline_at(t, i)->count > 0 || timeline_at(t, i)->sum != 0;
		if (nonempty != t->nonempty || (t->sparse && nonempty * 2 > t->count))
			abort();
	}
	for (size_t i = 0; i < s->reported.point_count; i++) {
		const struct quantile_point *p = &s->reported.points[i];
		if (!(p->q >= 0 && p->q <= 1) || (i > 0 && !(p->q > s->reported.points[i - 1].q)))
			abort();
		struct value v = reported_value_at(&s->reported, p->q);
		if (v.kind == VALUE_MISSING || !(v.number == p->value || (isnan(v.number) && isnan(p->value))))
			abort();
	}
	if (!s->has_hist)
		return;
	int64_t sum = 0;
	struct hist_iter it;
	hist_iter_init(&it, &s->hist);
	while (hist_iter_next(&it))
		sum = fuzz_add(sum, it.count);
	if (sum != hist_count(&s->hist))
		abort();
	if (sum == 0)
		return;
	static const double qs[] = {0, 0.5, 0.9, 0.99, 0.999, 1};
	int64_t before = hist_min(&s->hist);
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		int64_t v = hist_value_at(&s->hist, qs[i]);
		if (v < before || v > hist_max(&s->hist))
			abort();
		before = v;
	}
	if (hist_value_at(&s->hist, 1) != hist_max(&s->hist))
		abort();
	if (s->precision == PREC_EXACT && s->kind == SERIES_TREND && s->timeline && !s->server) {
		int64_t in_time = 0;
		for (size_t i = 0; i < s->timeline->count; i++)
			in_time += timeline_at(s->timeline, i)->count;
		if (in_time > hist_count(&s->hist))
			abort();
	}
}

/*
 * After model m was merged into its own copy `into` (read from m's JSON): every histogram of m
 * is in the copy with twice its count.
 */
static void fuzz_check_doubled(const struct model *into, const struct model *m)
{
	for (size_t r = 0; r < m->run_count; r++) {
		const struct run *src = m->runs[r], *dst = model_find_run(into, src->label);
		if (!dst)
			abort();
		for (size_t i = 0; i < src->series_count; i++) {
			const struct series *s = src->series[i];
			if (!s->has_hist)
				continue;
			const struct series *t = model_find_series(dst, s->metric, s->endpoint, s->tags,
								   s->tag_count);
			int64_t n = hist_count(&s->hist);
			if (!t || !t->has_hist || hist_count(&t->hist) != fuzz_add(n, n))
				abort();
		}
	}
}

/*
 * After parsing: check every series, write model JSON, read it back into a second model (the
 * reader fuzzed on what the writer made) and write that again: the two JSON texts must be
 * byte-identical (a model written and read back is the same). Then merge the parsed model into
 * the copy, so the same labels take the copying path of model_merge (histograms, timelines,
 * counters), as the commands do: when it merges, every histogram count has doubled. Returns the
 * model JSON (heap).
 */
static char *fuzz_use_model(struct model *m, struct diag *d)
{
	model_sort(m);
	for (size_t r = 0; r < m->run_count; r++)
		for (size_t i = 0; i < m->runs[r]->series_count; i++)
			fuzz_check_series(m->runs[r]->series[i]);
	struct buf json, again;
	buf_init(&json);
	buf_init(&again);
	model_json_write(m, &json);
	struct model *into = model_new();
	struct source src;
	source_init(&src, "fuzz.model.json", json.data ? json.data : "", json.len);
	unsigned long errors = d->errors;
	if (!model_json_read(into, &src, d) || d->errors != errors)
		abort();
	model_sort(into);
	model_json_write(into, &again);
	if (json.len != again.len || memcmp(json.data, again.data, json.len) != 0)
		abort();
	source_fini(&src);
	buf_fini(&again);
	if (model_merge(into, m, d))
		fuzz_check_doubled(into, m);
	model_free(into);
	return json.data ? buf_take(&json) : xstrdup("");
}

/*
 * Runs data through the real loader, ingest_load, as `perfgate --format FORMAT PATH` reads it:
 * the bytes go into an in-memory file, so opening, gzip, the empty-input check, whole-document
 * reading or streaming, the front end, builder_finish and the merge are all the command's own.
 * Invariant: the load fails exactly when an error was reported.
 */
static inline void fuzz_input(const char *format, const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	char *text;
	size_t len;
	FILE *sink = open_memstream(&text, &len);
	struct diag d;
	diag_init(&d, sink);
	struct ingest_options o = {.format = registry_find(format)};
	if (!o.format)
		abort();
	char *args[] = {path};
	struct model *m = NULL;
	bool ok = ingest_load(args, 1, &o, &m, &d);
	if (ok != (d.errors == 0))
		abort();
	free(fuzz_use_model(m, &d));
	model_free(m);
	close(fd);
	fclose(sink);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
