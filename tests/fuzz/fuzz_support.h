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

/*
 * Invariants on any model a front end built:
 * - a quantiles series returns each percentile the tool reported exactly as reported;
 * - a histogram's percentiles never decrease with the percentile and stay within min..max;
 * - its timeline's interval counts never add up to more than the histogram holds.
 */
static void fuzz_check_series(const struct series *s)
{
	for (size_t i = 0; i < s->reported.point_count; i++) {
		const struct quantile_point *p = &s->reported.points[i];
		struct value v = reported_value_at(&s->reported, p->q);
		if (v.kind == VALUE_MISSING || !(v.number == p->value || (isnan(v.number) && isnan(p->value))))
			abort();
	}
	if (!s->has_hist || hist_count(&s->hist) == 0)
		return;
	static const double qs[] = {0, 0.5, 0.9, 0.99, 0.999, 1};
	int64_t before = hist_min(&s->hist);
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		int64_t v = hist_value_at(&s->hist, qs[i]);
		if (v < before || v > hist_highest_equivalent(&s->hist.layout, hist_max(&s->hist)))
			abort();
		before = v;
	}
	if (s->precision == PREC_EXACT && s->kind == SERIES_TREND && s->timeline && !s->server) {
		int64_t in_time = 0;
		for (size_t i = 0; i < s->timeline->count; i++)
			in_time += s->timeline->points[i].count;
		if (in_time > hist_count(&s->hist))
			abort();
	}
}

/*
 * After parsing: check every series, write model JSON, read it back into a second model (the
 * reader fuzzed on what the writer made) and write that again: the two JSON texts must be
 * byte-identical (a model written and read back is the same). Then merge the parsed model into
 * the copy, so the same labels take the copying path of model_merge (histograms, timelines,
 * counters), as the commands do. Returns the model JSON (heap).
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
	model_merge(into, m, d);
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
