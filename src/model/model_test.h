/*
 * model_test.h - model functions public only for the tests (HdrHistogram's hdr_tests.h idea).
 *
 * Audience: tests/ and the model files that define these. The rest of the program reads
 * histograms through hist.h and builds series through the builder or model.h, which pick the
 * scale themselves.
 */
#ifndef PERFGATE_MODEL_TEST_H
#define PERFGATE_MODEL_TEST_H

#include <stdint.h>

#include "hist.h"
#include "model.h"

/* ---- hist.c ---- */

/* Empties the histogram, keeping its layout and memory. */
void hist_reset(struct hist *h);

/* The count at a counts index (0 outside the layout or the stored window). */
int64_t hist_count_at(const struct hist *h, int32_t index);

/* The lowest value equivalent to value in the layout (the start of its bucket). */
int64_t hist_lowest_equivalent(const struct hist_layout *l, int64_t value);

#endif
