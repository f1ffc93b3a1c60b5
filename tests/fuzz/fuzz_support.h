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
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest/ingest.h"

/*
 * After parsing: write model JSON, read it back into a second model (the reader fuzzed on what
 * the writer made) and merge the parsed model into that one, so the same labels take the
 * copying path of model_merge (histograms, timelines, counters), as the commands do.
 */
static void fuzz_use_model(struct model *m, struct diag *d)
{
	model_sort(m);
	struct buf json;
	buf_init(&json);
	model_json_write(m, &json);
	struct model *into = model_new();
	struct source src;
	source_init(&src, "fuzz.model.json", json.data ? json.data : "", json.len);
	model_json_read(into, &src, d);
	source_fini(&src);
	buf_fini(&json);
	model_merge(into, m, d);
	model_free(into);
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
	fuzz_use_model(m, &d);
	model_free(m);
	close(fd);
	fclose(sink);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
