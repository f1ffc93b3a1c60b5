/*
 * timeline.c - per-interval data of a series (model.h, "timeline.c").
 *
 * The hot path is timeline_add: find the interval by integer division, update five numbers,
 * and for trends bump one bin of a small sorted array (binary search; a new bin is a memmove of
 * at most a few hundred words). Samples arrive roughly in time order (k6 flushes every 200 ms
 * to 1 s), so the interval array mostly grows at its end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const int64_t second_us = 1000000;

/* floor(a / b) for b > 0 */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

void timeline_init(struct timeline *t, const struct hist_layout *hist_layout)
{
	memset(t, 0, sizeof *t);
	t->width_us = second_us;
	if (hist_layout) {
		t->has_hist = true;
		t->layout = *hist_layout;
	}
}

void timeline_fini(struct timeline *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->points[i].bins);
	free(t->points);
	memset(t, 0, sizeof *t);
}

int64_t timeline_start_us(const struct timeline *t, size_t i)
{
	return (t->first + (int64_t)i) * t->width_us;
}

static const uint64_t count_mask = (UINT64_C(1) << TIMELINE_BIN_COUNT_BITS) - 1;

void interval_add_bin(struct interval *iv, int32_t index, int64_t count)
{
	if (count <= 0)
		return;
	uint32_t lo = 0, hi = iv->bin_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (interval_bin_index(iv->bins[mid]) < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < iv->bin_count && interval_bin_index(iv->bins[lo]) == index) {
		uint64_t sum = (iv->bins[lo] & count_mask) + (uint64_t)count;
		if (sum > count_mask)
			sum = count_mask; /* saturate: 10^12 samples in one interval */
		iv->bins[lo] = ((uint64_t)index << TIMELINE_BIN_COUNT_BITS) | sum;
		return;
	}
	if (iv->bin_count == iv->bin_cap) {
		/* grow by a quarter: a timeline holds hundreds of these, slack adds up */
		uint32_t cap = iv->bin_cap < 16 ? 16 : iv->bin_cap + iv->bin_cap / 4;
		iv->bins = xrealloc(iv->bins, (size_t)cap * sizeof *iv->bins);
		iv->bin_cap = cap;
	}
	memmove(&iv->bins[lo + 1], &iv->bins[lo], (iv->bin_count - lo) * sizeof *iv->bins);
	uint64_t c = (uint64_t)count > count_mask ? count_mask : (uint64_t)count;
	iv->bins[lo] = ((uint64_t)index << TIMELINE_BIN_COUNT_BITS) | c;
	iv->bin_count++;
}

/* Adds the bins of from into into: one pass over both sorted arrays, into an exact-size one. */
static void merge_bins(struct interval *into, const struct interval *from)
{
	if (from->bin_count == 0)
		return;
	uint64_t *out = xmalloc(((size_t)into->bin_count + from->bin_count) * sizeof *out);
	uint32_t i = 0, j = 0, n = 0;
	while (i < into->bin_count || j < from->bin_count) {
		int32_t a = i < into->bin_count ? interval_bin_index(into->bins[i]) : INT32_MAX;
		int32_t b = j < from->bin_count ? interval_bin_index(from->bins[j]) : INT32_MAX;
		if (a < b) {
			out[n++] = into->bins[i++];
		} else if (b < a) {
			out[n++] = from->bins[j++];
		} else {
			uint64_t sum = (into->bins[i] & count_mask) + (from->bins[j] & count_mask);
			if (sum > count_mask)
				sum = count_mask;
			out[n++] = ((uint64_t)a << TIMELINE_BIN_COUNT_BITS) | sum;
			i++, j++;
		}
	}
	free(into->bins);
	into->bins = out;
	into->bin_count = into->bin_cap = n;
}

/* Folds interval `from` into `into` (same timeline width after coarsening). */
static void interval_merge(struct interval *into, const struct interval *from)
{
	if (from->count == 0 && from->sum == 0)
		return;
	if (into->count == 0 && into->sum == 0) {
		into->min = from->min;
		into->max = from->max;
		into->last = from->last;
		into->last_us = from->last_us;
	} else {
		into->min = fmin(into->min, from->min);
		into->max = fmax(into->max, from->max);
		if (from->last_us >= into->last_us) {
			into->last = from->last;
			into->last_us = from->last_us;
		}
	}
	into->count += from->count;
	into->sum += from->sum;
	merge_bins(into, from);
}

/* Doubles the width, merging intervals pairwise. */
static void coarsen(struct timeline *t)
{
	int64_t first = floor_div(t->first, 2);
	size_t count = 0;
	for (size_t i = 0; i < t->count; i++) {
		size_t j = (size_t)(floor_div(t->first + (int64_t)i, 2) - first);
		if (j == i) {
			count = j + 1;
			continue;
		}
		if (j >= count) {
			/* first interval landing in slot j: move it there */
			t->points[j] = t->points[i];
			memset(&t->points[i], 0, sizeof t->points[i]);
			count = j + 1;
		} else {
			interval_merge(&t->points[j], &t->points[i]);
			free(t->points[i].bins);
			memset(&t->points[i], 0, sizeof t->points[i]);
		}
	}
	t->first = first;
	t->count = count;
	t->width_us *= 2;
}

/* The interval holding absolute index `at` of the current width, growing or coarsening. */
static struct interval *slot(struct timeline *t, int64_t time_us)
{
	for (;;) {
		int64_t at = floor_div(time_us, t->width_us);
		if (!t->points) {
			/* the whole cap at once: no reallocation, untouched pages cost nothing */
			t->cap = TIMELINE_MAX_POINTS;
			t->points = xcalloc(t->cap, sizeof *t->points);
		}
		if (t->count == 0) {
			memset(&t->points[0], 0, sizeof t->points[0]);
			t->first = at;
			t->count = 1;
			return &t->points[0];
		}
		int64_t last = t->first + (int64_t)t->count - 1;
		int64_t lo = at < t->first ? at : t->first;
		int64_t hi = at > last ? at : last;
		if (hi - lo + 1 > TIMELINE_MAX_POINTS) {
			coarsen(t);
			continue;
		}
		if (at < t->first) {
			size_t grow = (size_t)(t->first - at);
			memmove(&t->points[grow], &t->points[0], t->count * sizeof *t->points);
			memset(&t->points[0], 0, grow * sizeof *t->points);
			t->first = at;
			t->count += grow;
		} else if (at > last) {
			size_t need = (size_t)(at - t->first) + 1;
			memset(&t->points[t->count], 0, (need - t->count) * sizeof *t->points);
			t->count = need;
		}
		return &t->points[at - t->first];
	}
}

void timeline_add(struct timeline *t, int64_t time_us, double value, int64_t scaled)
{
	struct interval *iv = slot(t, time_us);
	if (iv->count == 0 && iv->sum == 0) {
		iv->min = iv->max = iv->last = value;
		iv->last_us = time_us;
	} else {
		if (value < iv->min)
			iv->min = value;
		if (value > iv->max)
			iv->max = value;
		if (time_us >= iv->last_us) {
			iv->last = value;
			iv->last_us = time_us;
		}
	}
	iv->count++;
	iv->sum += value;
	if (t->has_hist)
		interval_add_bin(iv, hist_index_of(&t->layout, scaled), 1);
}

void timeline_merge(struct timeline *into, const struct timeline *from)
{
	while (into->width_us < from->width_us)
		coarsen(into);
	for (size_t i = 0; i < from->count; i++) {
		const struct interval *src = &from->points[i];
		if (src->count == 0 && src->sum == 0)
			continue;
		/* coarsening may happen inside slot(); the start time keeps us aligned */
		struct interval *dst = slot(into, timeline_start_us(from, i));
		if (!into->has_hist) {
			struct interval copy = *src;
			copy.bins = NULL;
			copy.bin_count = 0;
			interval_merge(dst, &copy);
		} else {
			interval_merge(dst, src);
		}
	}
}

int64_t interval_value_at(const struct timeline *t, const struct interval *iv, double q,
			  double scale)
{
	int64_t total = 0;
	for (uint32_t i = 0; i < iv->bin_count; i++)
		total += interval_bin_count(iv->bins[i]);
	if (total == 0 || !t->has_hist)
		return 0;
	int64_t rank = hist_rank(q, total);
	int64_t lo = (int64_t)llround(iv->min * scale), hi = (int64_t)llround(iv->max * scale);
	if (rank == 1)
		return lo;
	if (rank >= total)
		return hi;
	int64_t seen = 0;
	for (uint32_t i = 0; i < iv->bin_count; i++) {
		seen += interval_bin_count(iv->bins[i]);
		if (seen >= rank) {
			int64_t lowest = hist_value_from_index(&t->layout,
								interval_bin_index(iv->bins[i]));
			int64_t v = hist_highest_equivalent(&t->layout, lowest);
			return v < lo ? lo : v > hi ? hi : v;
		}
	}
	return hi;
}
