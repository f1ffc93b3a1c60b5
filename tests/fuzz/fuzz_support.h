/*
 * fuzz_support.h - what every fuzz harness shares: feed one input to one front end, the way
 * pipeline.c does (whole-document parse, or a stream through an io_reader), with diagnostics
 * going to a memory stream, then run the model through its writers (model JSON, merge) so the
 * code that reads what a parser built is fuzzed too. Any crash, leak or sanitizer report is a
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
#include "util/io.h"

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

/* Runs a whole-document front end on data. */
static inline void fuzz_document(bool (*parse)(struct source *, struct builder *),
				 const uint8_t *data, size_t size)
{
	char *text;
	size_t len;
	FILE *sink = open_memstream(&text, &len);
	struct diag d;
	diag_init(&d, sink);
	struct model *m = model_new();
	struct builder b;
	builder_init(&b, m, "fuzz", NULL, &d);
	struct source src;
	source_init(&src, "fuzz", (const char *)data, size);
	parse(&src, &b);
	builder_finish(&b);
	fuzz_use_model(m, &d);
	source_fini(&src);
	model_free(m);
	fclose(sink);
	free(text);
}

/* Runs a streamed front end on data, through an io_reader on an in-memory file. */
static inline void fuzz_stream(bool (*parse)(struct io_reader *, const char *, struct builder *),
			       const uint8_t *data, size_t size)
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
	struct io_reader reader;
	if (io_reader_open(&reader, path)) {
		struct model *m = model_new();
		struct builder b;
		builder_init(&b, m, "fuzz", NULL, &d);
		parse(&reader, "fuzz", &b);
		builder_finish(&b);
		fuzz_use_model(m, &d);
		model_free(m);
	}
	io_reader_close(&reader);
	close(fd);
	fclose(sink);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
