/*
 * budget_test.h - budget functions public only for the tests and fuzzers (HdrHistogram's
 * hdr_tests.h idea).
 *
 * Audience: tests/ and the budget files that define these. The program loads budgets from
 * files with budget_load (budget.h) and reads k6 names through the model's k6_names.c.
 */
#ifndef PERFGATE_BUDGET_TEST_H
#define PERFGATE_BUDGET_TEST_H

#include <stddef.h>

#include "budget.h"

/* ---- load.c ---- */

/* The same from bytes in memory (tests, fuzzing); name is used in diagnostics. */
struct budget *budget_load_bytes(const char *name, const char *bytes, size_t len,
				 struct diag *d);
/* A new, empty budget named name (no file behind it): for tests and budget_load_bytes. */
struct budget *budget_new(const char *name);

/* ---- k6_thresholds.c ---- */

/*
 * The model metric a k6 metric name maps to, as the k6 front ends map it (formats/k6.md):
 * http_req_duration -> latency, http_reqs -> requests, http_req_failed -> errors,
 * data_received -> bytes_in, data_sent -> bytes_out, a custom name clashing with a core
 * metric -> "k6:NAME", any other -> itself. Returns a string in arena (or static).
 */
const char *k6_thresholds_model_metric(const char *k6_name, struct arena *arena);

#endif
