/*
 * fuzz_budget.c - libFuzzer harness: one budget file, read as JSON and then as YAML, through
 * the loader (JSON shape, k6
 * thresholds, the lexer, parser and checker of every assertion), then, when it compiled,
 * through the evaluator on a small model built here (exact latency with a timeline, request
 * counters) with itself as the baseline, and through the verdict JSON and JUnit writers.
 * Invariants: the loader returns no budget exactly when it reported an error; the verdict JSON
 * written from the evaluation is JSON (Jansson reads it back); the JUnit XML is valid UTF-8.
 */
#include "fuzz_support.h"

#include <jansson.h>

#include "budget/budget.h"
#include "emit/emit.h"
#include "model/model_test.h"
#include "budget/budget_test.h"
#include "emit/emit_test.h"

static struct model *small_model(void)
{
	struct model *m = model_new();
	struct run *run = model_get_run(m, "run", "fuzz");
	run->duration_s = 10;
	const char *endpoints[] = {NULL, "GET /a"};
	for (size_t e = 0; e < 2; e++) {
		struct series *lat = model_get_series(m, run, "latency", endpoints[e], NULL, 0,
						      SERIES_TREND, PREC_EXACT, UNIT_MS, NULL);
		lat->scale = model_unit_scale(UNIT_MS);
		struct series *req = model_get_series(m, run, "requests", endpoints[e], NULL, 0,
						      SERIES_COUNTER, PREC_EXACT, UNIT_COUNT, NULL);
		struct series *err = model_get_series(m, run, "errors", endpoints[e], NULL, 0,
						      SERIES_COUNTER, PREC_EXACT, UNIT_COUNT, NULL);
		struct hist_layout layout;
		hist_layout(HIST_HIGHEST_DEFAULT, 2, &layout);
		lat->timeline = xcalloc(1, sizeof *lat->timeline);
		timeline_init(lat->timeline, &layout);
		req->timeline = xcalloc(1, sizeof *req->timeline);
		timeline_init(req->timeline, NULL);
		err->timeline = xcalloc(1, sizeof *err->timeline);
		timeline_init(err->timeline, NULL);
		for (int i = 0; i < 200; i++) {
			int64_t at = INT64_C(1700000000000000) + i * INT64_C(50000);
			int64_t us = 1000 + (i * 7919) % 90000;
			hist_record(&lat->hist, us, 1);
			timeline_add(lat->timeline, at, us / 1000.0,
				     hist_index_of(&lat->timeline->layout, us));
			req->total += 1;
			timeline_add(req->timeline, at, 1, 0);
			err->total += i % 17 == 0;
			timeline_add(err->timeline, at, i % 17 == 0, 0);
		}
		timeline_flush(lat->timeline);
		timeline_flush(req->timeline);
		timeline_flush(err->timeline);
	}
	model_sort(m);
	return m;
}

static void load_and_judge(const struct model *m, const char *name, const uint8_t *data,
			   size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model *m;
	if (!m)
		m = small_model();
	/* the same bytes as a JSON and as a YAML budget (most JSON is YAML too) */
	for (int yaml = 0; yaml < 2; yaml++)
		load_and_judge(m, yaml ? "fuzz.yaml" : "fuzz.json", data, size);
	return 0;
}

static void load_and_judge(const struct model *m, const char *name, const uint8_t *data,
			   size_t size)
{
	char *text;
	size_t len;
	FILE *sink = open_memstream(&text, &len);
	struct diag d;
	diag_init(&d, sink);
	struct budget *b = budget_load_bytes(name, (const char *)data, size, &d);
	if ((b == NULL) != (d.errors > 0))
		abort();
	if (b) {
		struct eval_options o = {m, false, NO_DATA_FAIL, 20000, 0.95, NULL, NULL};
		struct verdict v;
		eval_budget(b, m, &o, &v, &d);
		struct buf out;
		buf_init(&out);
		verdict_json_write(&v, m, b, v.failures > 0, &out);
		json_t *back = json_loadb(out.data ? out.data : "", out.len, 0, NULL);
		if (!back)
			abort();
		json_decref(back);
		buf_clear(&out);
		junit_render(&v, m, &out);
		if (out.data && str_utf8_valid(out.data, out.len) != out.len)
			abort();
		buf_fini(&out);
		verdict_fini(&v);
	}
	budget_free(b);
	fclose(sink);
	free(text);
}
