/*
 * fuzz_prom_series.c - libFuzzer harness for what joins several server inputs into one run:
 * after a first byte of options, the input is split at lines "----" into up to 4 Prometheus
 * snapshots, written as files whose names carry times 5 s apart (the order and time rule of
 * load.c), and read with the real autocannon fixture's run under one label when the first byte
 * is odd (so series are clipped to its window and extrapolated to it), through ingest_load as
 * `perfgate show` reads them.
 *
 * Invariants: those of every harness (fuzz_use_model), and reading the same files
 * twice gives byte-identical model JSON when they load (server.c's order-dependent state is
 * deterministic).
 */
#include "fuzz_support.h"

#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_WINDOW_RUN
#error "FUZZ_WINDOW_RUN must name fixtures/prometheus/steady/autocannon-work.json"
#endif

enum { PARTS = 4 };

/*
 * Loads args and returns the model JSON (heap), or NULL when the load failed (then nothing is
 * written, and there is nothing to compare); aborts when the invariant breaks.
 */
static char *load_json(char **args, size_t count)
{
	char *text = NULL;
	size_t len = 0;
	FILE *sink = open_memstream(&text, &len);
	struct diag d;
	diag_init(&d, sink);
	struct ingest_options o = {0};
	struct model *m = NULL;
	bool ok = ingest_load(args, count, &o, &m, &d);
	if (ok != (d.errors == 0))
		abort();
	if (!ok) {
		model_free(m);
		fclose(sink);
		free(text);
		return NULL;
	}
	char *json = fuzz_use_model(m, &d); /* the invariants on every model */
	model_free(m);
	fclose(sink);
	free(text);
	return json;
}

static char dir[64];

/* Removes the snapshot files and their folder when the process ends. */
static void remove_files(void)
{
	for (int i = 0; i < PARTS; i++) {
		char path[96];
		snprintf(path, sizeof path, "%s/snap-%d.prom", dir, 1796531470 + 5 * i);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		/* memory-backed when there is /dev/shm: the files are written for every input */
		struct stat st;
		const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof dir, "%s/fuzz-prom-series-%d", base, (int)getpid());
		mkdir(dir, 0700);
		atexit(remove_files);
	}
	if (size == 0)
		return 0;
	bool windowed = data[0] & 1;
	char *args[PARTS + 1];
	size_t count = 0;
	if (windowed)
		args[count++] = xstrdup("r=" FUZZ_WINDOW_RUN);
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	for (int i = 0; i < PARTS && p <= end; i++) {
		const char *cut = NULL;
		for (const char *q = p; q + 6 <= end && !cut; q++)
			if (memcmp(q, "\n----\n", 6) == 0)
				cut = q;
		const char *stop = cut ? cut + 1 : end;
		char *path = xasprintf("%s/snap-%d.prom", dir, 1796531470 + 5 * i);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(p, 1, (size_t)(stop - p), f) != (size_t)(stop - p))
			abort();
		fclose(f);
		args[count++] = windowed ? xasprintf("r=%s", path) : xstrdup(path);
		free(path);
		if (!cut)
			break;
		p = cut + 6;
	}
	char *a = load_json(args, count), *b = a ? load_json(args, count) : NULL;
	if (a && (!b || strcmp(a, b) != 0))
		abort();
	free(a);
	free(b);
	for (size_t i = 0; i < count; i++)
		free(args[i]);
	return 0;
}
