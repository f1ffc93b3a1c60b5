/*
 * timeline.c - per-interval data of a series (model.h, "timeline.c").
 *
 * The hot path is timeline_add: find the interval by integer division, update five numbers,
 * and for trends bump one bin of a small sorted array (binary search; a new bin is a memmove of
 * at most a few hundred words). Samples arrive roughly in time order (k6 flushes every 200 ms
 * to 1 s), so the interval array mostly grows at its end.
 *
 * Storage: a dense array of every interval of the span, or (sparse) only the non-empty ones,
 * sorted, with their absolute indexes. Thousands of endpoints each hit a few times across a long
 * run would otherwise cost 200 mostly empty intervals apiece. The choice is made whenever the
 * span or the occupancy changes (fit): dense once more than half the span holds data, sparse
 * again below a quarter, so no timeline flips at every sample; run totals (timeline_reserve)
 * are always dense, which keeps their timeline_add to an index. Only this file sees the store:
 * readers go through timeline_at, and the loader through timeline_set_span/timeline_put, so
 * every output is the same whichever store a timeline has.
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
	t->exact_sums = true; /* server.c turns it off for its metrics */
	if (hist_layout && hist_layout->counts_len < TIMELINE_BIN_INDEX_LIMIT) {
		t->has_hist = true;
		t->layout = *hist_layout;
	}
	for (int k = 0; k < TIMELINE_OPEN; k++)
		t->open_at[k] = INT64_MIN;
}

/* ---- the store: dense or sparse ---- */

/* What timeline_at gives for an interval without data that the store does not hold. */
static const struct interval empty_interval;

static bool is_empty(const struct interval *iv)
{
	return iv->count == 0 && iv->sum == 0;
}

/* Entries in the store: every interval of the span (dense), or the non-empty ones (sparse). */
static size_t stored(const struct timeline *t)
{
	return t->sparse ? t->nonempty : t->count;
}

/* Absolute index of store entry k. */
static int64_t stored_at(const struct timeline *t, size_t k)
{
	return t->sparse ? t->store_index[k] : t->first + (int64_t)k;
}

/* Sparse: the position of the first entry at absolute index at or later. */
static size_t sparse_find(const struct timeline *t, int64_t at)
{
	size_t lo = 0, hi = t->nonempty;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->store_index[mid] < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The stored interval at absolute index at, or NULL (outside the span, or a sparse gap). */
static struct interval *lookup(const struct timeline *t, int64_t at)
{
	if (at < t->first || at - t->first >= (int64_t)t->count)
		return NULL;
	if (!t->sparse)
		return &t->store[at - t->first];
	size_t k = sparse_find(t, at);
	return k < t->nonempty && t->store_index[k] == at ? &t->store[k] : NULL;
}

const struct interval *timeline_at(const struct timeline *t, size_t i)
{
	const struct interval *iv = i < t->count ? lookup(t, t->first + (int64_t)i) : NULL;
	return iv ? iv : &empty_interval;
}

/*
 * Room for need entries, growing by a quarter (timelines are many: slack adds up), never past what
 * the store can hold: the span's cap when dense, and when sparse the half of it past which
 * fit() turns the store dense (plus the entry that tips it).
 */
static void grow_store(struct timeline *t, size_t need)
{
	if (need <= t->cap)
		return;
	size_t most = t->sparse ? TIMELINE_MAX_POINTS / 2 + 1 : TIMELINE_MAX_POINTS;
	size_t cap = t->cap + t->cap / 4 + 1;
	if (cap > most)
		cap = most;
	if (cap < need)
		cap = need;
	t->store = xrealloc(t->store, cap * sizeof *t->store);
	if (t->sparse)
		t->store_index = xrealloc(t->store_index, cap * sizeof *t->store_index);
	t->cap = cap;
}

/* Dense to sparse: the non-empty intervals, with their absolute indexes (and room for one more). */
static void make_sparse(struct timeline *t)
{
	size_t cap = t->nonempty + 1, n = 0;
	struct interval *store = xmalloc(cap * sizeof *store);
	int64_t *index = xmalloc(cap * sizeof *index);
	for (size_t i = 0; i < t->count; i++) {
		if (is_empty(&t->store[i])) {
			free(t->store[i].bins); /* none: an empty interval has no samples to bin */
			continue;
		}
		store[n] = t->store[i];
		index[n++] = t->first + (int64_t)i;
	}
	free(t->store);
	t->store = store;
	t->store_index = index;
	t->nonempty = n;
	t->cap = cap;
	t->sparse = true;
}

/* Sparse to dense: every interval of the span, the gaps zeroed. */
static void make_dense(struct timeline *t)
{
	size_t cap = t->count ? t->count : 1;
	struct interval *store = xcalloc(cap, sizeof *store);
	for (size_t k = 0; k < t->nonempty; k++)
		store[t->store_index[k] - t->first] = t->store[k];
	free(t->store);
	free(t->store_index);
	t->store = store;
	t->store_index = NULL;
	t->cap = cap;
	t->sparse = false;
}

/*
 * Whether nonempty intervals with data over a span of count intervals want a sparse store:
 * dense holds count intervals, sparse nonempty ones plus their 8-byte indexes. Dense from more
 * than half the span (memory then differs by at most about half, and dense is an index away),
 * sparse below a quarter: the gap keeps a timeline from switching back and forth.
 */
static bool wants_sparse(const struct timeline *t, size_t nonempty, size_t count)
{
	if (t->reserved)
		return false;
	return t->sparse ? nonempty * 2 <= count : nonempty * 4 < count;
}

/* Switches the store when the span or the occupancy calls for it. */
static void fit(struct timeline *t)
{
	bool sparse = wants_sparse(t, t->nonempty, t->count);
	if (sparse && !t->sparse)
		make_sparse(t);
	else if (!sparse && t->sparse)
		make_dense(t);
}

void timeline_reserve(struct timeline *t)
{
	t->reserved = true;
	if (t->sparse)
		make_dense(t);
	if (t->cap >= TIMELINE_MAX_POINTS)
		return;
	t->store = xrealloc(t->store, TIMELINE_MAX_POINTS * sizeof *t->store);
	/* touched now: a run total's memory is the same for a short run and a long one */
	memset(&t->store[t->count], 0, (TIMELINE_MAX_POINTS - t->count) * sizeof *t->store);
	t->cap = TIMELINE_MAX_POINTS;
}

void timeline_fini(struct timeline *t)
{
	for (int k = 0; k < TIMELINE_OPEN; k++)
		free(t->open_counts[k]);
	for (size_t k = 0; k < stored(t); k++)
		free(t->store[k].bins);
	free(t->store);
	free(t->store_index);
	memset(t, 0, sizeof *t);
}

size_t timeline_heap_bytes(const struct timeline *t)
{
	size_t bytes = sizeof *t + t->cap * sizeof *t->store;
	if (t->store_index)
		bytes += t->cap * sizeof *t->store_index;
	for (size_t k = 0; t->has_hist && k < stored(t); k++)
		bytes += (size_t)t->store[k].bin_cap * sizeof *t->store[k].bins;
	for (int k = 0; k < TIMELINE_OPEN; k++)
		if (t->open_counts[k])
			bytes += (size_t)t->layout.counts_len * sizeof *t->open_counts[k];
	return bytes;
}

int64_t timeline_start_us(const struct timeline *t, size_t i)
{
	return (t->first + (int64_t)i) * t->width_us;
}

/*
 * Bins are 32-bit words, (index << TIMELINE_BIN_COUNT_BITS | count): half the memory of a
 * 64-bit pair, which matters since these are the bulk of a timeline. A count beyond the field's
 * maximum spills into further words of the same index right after it, so nothing saturates;
 * readers add up runs of equal indexes.
 */
static const uint32_t count_max = (UINT32_C(1) << TIMELINE_BIN_COUNT_BITS) - 1;

static uint32_t make_bin(int32_t index, uint32_t count)
{
	return ((uint32_t)index << TIMELINE_BIN_COUNT_BITS) | count;
}

/* Inserts a word at position at. */
static void insert_bin(struct interval *iv, uint32_t at, uint32_t bin)
{
	if (iv->bin_count == iv->bin_cap) {
		/* grow by a quarter: a timeline holds hundreds of these, slack adds up */
		uint32_t cap = iv->bin_cap < 16 ? 16 : iv->bin_cap + iv->bin_cap / 4;
		iv->bins = xrealloc(iv->bins, (size_t)cap * sizeof *iv->bins);
		iv->bin_cap = cap;
	}
	memmove(&iv->bins[at + 1], &iv->bins[at], (iv->bin_count - at) * sizeof *iv->bins);
	iv->bins[at] = bin;
	iv->bin_count++;
}

void timeline_add_bin(struct interval *iv, int32_t index, int64_t count)
{
	if (count <= 0)
		return;
	uint32_t lo = 0, hi = iv->bin_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (timeline_bin_index(iv->bins[mid]) < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* fill the words of this index that have room, then add words */
	for (; lo < iv->bin_count && timeline_bin_index(iv->bins[lo]) == index && count > 0; lo++) {
		uint32_t room = count_max - (uint32_t)timeline_bin_count(iv->bins[lo]);
		uint32_t take = count < (int64_t)room ? (uint32_t)count : room;
		iv->bins[lo] += take;
		count -= take;
	}
	while (count > 0) {
		uint32_t take = count < (int64_t)count_max ? (uint32_t)count : count_max;
		insert_bin(iv, lo++, make_bin(index, take));
		count -= take;
	}
}

/* Appends a word to out[0..*n), joining it with the previous word of the same index. */
static void emit_bin(uint32_t *out, uint32_t *n, uint32_t bin)
{
	if (*n > 0 && timeline_bin_index(out[*n - 1]) == timeline_bin_index(bin)) {
		uint32_t room = count_max - (uint32_t)timeline_bin_count(out[*n - 1]);
		uint32_t count = (uint32_t)timeline_bin_count(bin);
		uint32_t take = count < room ? count : room;
		out[*n - 1] += take;
		if (count == take)
			return;
		bin -= take;
	}
	out[(*n)++] = bin;
}

/* Adds the bins of from into into: one pass over both sorted arrays, into an exact-size one. */
static void merge_bins(struct interval *into, const struct interval *from)
{
	if (from->bin_count == 0)
		return;
	/* each input word adds at most one output word */
	uint32_t *out = xmalloc(((size_t)into->bin_count + from->bin_count) * sizeof *out);
	uint32_t i = 0, j = 0, n = 0;
	while (i < into->bin_count || j < from->bin_count) {
		bool take_into = j >= from->bin_count ||
				 (i < into->bin_count && timeline_bin_index(into->bins[i]) <=
							      timeline_bin_index(from->bins[j]));
		emit_bin(out, &n, take_into ? into->bins[i++] : from->bins[j++]);
	}
	free(into->bins);
	into->bins = out;
	into->bin_count = into->bin_cap = n;
}

/*
 * Folds the dense counts of open array k into its interval's bins (merged with bins a late
 * sample or an earlier fold put there), into one exact-size array; frees the array for reuse.
 */
static void fold_open(struct timeline *t, int k)
{
	int64_t at = t->open_at[k];
	t->open_at[k] = INT64_MIN;
	if (at == INT64_MIN)
		return;
	uint32_t *dense = t->open_counts[k];
	struct interval *iv = lookup(t, at);
	int32_t lo = t->open_lo[k], hi = t->open_hi[k]; /* all other dense counts are 0 */
	size_t words = iv ? iv->bin_count : 0;
	for (int32_t i = lo; i <= hi; i++)
		words += ((size_t)dense[i] + count_max - 1) / count_max; /* no 32-bit wrap */
	uint32_t *out = xmalloc((words ? words : 1) * sizeof *out);
	uint32_t n = 0, j = 0;
	for (int32_t i = lo; i <= hi; i++) {
		for (; iv && j < iv->bin_count && timeline_bin_index(iv->bins[j]) <= i; j++)
			emit_bin(out, &n, iv->bins[j]);
		for (uint32_t c = dense[i]; c > 0;) {
			uint32_t take = c < count_max ? c : count_max;
			emit_bin(out, &n, make_bin(i, take));
			c -= take;
		}
	}
	for (; iv && j < iv->bin_count; j++)
		emit_bin(out, &n, iv->bins[j]);
	if (lo <= hi)
		memset(dense + lo, 0, (size_t)(hi - lo + 1) * sizeof *dense);
	if (!iv) { /* cannot happen: an interval with samples is never dropped while open */
		free(out);
		return;
	}
	free(iv->bins);
	iv->bins = out;
	iv->bin_count = iv->bin_cap = n;
}

void timeline_flush(struct timeline *t)
{
	for (int k = 0; k < TIMELINE_OPEN; k++)
		fold_open(t, k);
}

/* Counts one sample at counts index `index` in interval number `at` (absolute). */
static void count_in_open(struct timeline *t, struct interval *iv, int64_t at, int32_t index)
{
	int k, oldest = 0;
	for (k = 0; k < TIMELINE_OPEN; k++) {
		if (t->open_at[k] == at)
			break;
		if (t->open_at[k] < t->open_at[oldest])
			oldest = k;
	}
	if (k == TIMELINE_OPEN) {
		if (t->open_at[oldest] != INT64_MIN && at < t->open_at[oldest]) {
			timeline_add_bin(iv, index, 1); /* a late sample of an older interval */
			return;
		}
		k = oldest;
		fold_open(t, k);
		if (!t->open_counts[k])
			t->open_counts[k] = xcalloc((size_t)t->layout.counts_len, sizeof(uint32_t));
		t->open_at[k] = at;
		t->open_lo[k] = INT32_MAX;
		t->open_hi[k] = -1;
	}
	if (index < t->open_lo[k])
		t->open_lo[k] = index;
	if (index > t->open_hi[k])
		t->open_hi[k] = index;
	uint32_t *c = &t->open_counts[k][index];
	if (*c == UINT32_MAX)
		timeline_add_bin(iv, index, 1);
	else
		++*c;
}

/* Folds interval `from` into `into` (same timeline width after coarsening). */
/* exact: the sums add by model_sum_add (a load generator's timeline). */
static void interval_merge(struct interval *into, const struct interval *from, bool exact)
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
		if (from->last_us > into->last_us ||
		    (from->last_us == into->last_us && from->last > into->last)) {
			into->last = from->last;
			into->last_us = from->last_us;
		}
	}
	into->count += from->count;
	into->sum = exact ? model_sum_add(into->sum, from->sum) : into->sum + from->sum;
	merge_bins(into, from);
}

/* Dense: doubles the width, merging intervals pairwise in place. */
static void coarsen_dense(struct timeline *t, int64_t first)
{
	size_t count = 0;
	for (size_t i = 0; i < t->count; i++) {
		size_t j = (size_t)(floor_div(t->first + (int64_t)i, 2) - first);
		if (j == i) {
			count = j + 1;
			continue;
		}
		if (j >= count) {
			/* first interval landing in slot j: move it there */
			t->store[j] = t->store[i];
			memset(&t->store[i], 0, sizeof t->store[i]);
			count = j + 1;
		} else {
			interval_merge(&t->store[j], &t->store[i], t->exact_sums);
			free(t->store[i].bins);
			memset(&t->store[i], 0, sizeof t->store[i]);
		}
	}
	t->nonempty = 0;
	for (size_t j = 0; j < count; j++)
		t->nonempty += !is_empty(&t->store[j]);
}

/*
 * Sparse: the same, entry by entry. Dense coarsening adds an odd interval into its even
 * neighbour even when that one is empty, which turns a sum of -0 into 0; so does this, so the
 * two stores give the same bits.
 */
static void coarsen_sparse(struct timeline *t)
{
	size_t n = 0;
	for (size_t k = 0; k < t->nonempty; k++) {
		int64_t at = floor_div(t->store_index[k], 2);
		if (n > 0 && t->store_index[n - 1] == at) {
			interval_merge(&t->store[n - 1], &t->store[k], t->exact_sums);
			free(t->store[k].bins);
			continue;
		}
		t->store[n] = t->store[k];
		if (at * 2 != t->store_index[k] && t->store_index[k] > t->first)
			t->store[n].sum += 0.0; /* its even neighbour is in the span, empty */
		t->store_index[n++] = at;
	}
	t->nonempty = n;
}

/* Doubles the width, merging intervals pairwise. */
static void coarsen(struct timeline *t)
{
	timeline_flush(t); /* open arrays are keyed by the old width's interval numbers */
	int64_t first = floor_div(t->first, 2);
	int64_t count = t->count ? floor_div(t->first + (int64_t)t->count - 1, 2) - first + 1 : 0;
	if (t->sparse)
		coarsen_sparse(t);
	else
		coarsen_dense(t, first);
	t->first = first;
	t->count = (size_t)count;
	t->width_us *= 2;
	fit(t);
}

/*
 * The interval at absolute index at, inside the span, which the caller is about to give data:
 * counted in nonempty if it had none, inserted into a sparse store if not held.
 */
static struct interval *claim(struct timeline *t, int64_t at)
{
	if (!t->sparse) {
		struct interval *iv = &t->store[at - t->first];
		t->nonempty += is_empty(iv);
		return iv;
	}
	/* samples come mostly in time order: the last entry, or a new one after it */
	size_t k = t->nonempty;
	if (k > 0 && t->store_index[k - 1] >= at) {
		if (t->store_index[k - 1] == at)
			return &t->store[k - 1];
		k = sparse_find(t, at);
		if (t->store_index[k] == at)
			return &t->store[k];
	}
	grow_store(t, t->nonempty + 1);
	memmove(&t->store[k + 1], &t->store[k], (t->nonempty - k) * sizeof *t->store);
	memmove(&t->store_index[k + 1], &t->store_index[k],
		(t->nonempty - k) * sizeof *t->store_index);
	memset(&t->store[k], 0, sizeof t->store[k]);
	t->store_index[k] = at;
	t->nonempty++;
	fit(t);
	return t->sparse ? &t->store[k] : &t->store[at - t->first];
}

/* Widens the span to [lo, hi] (at most TIMELINE_MAX_POINTS), for one more non-empty interval. */
static void extend(struct timeline *t, int64_t lo, int64_t hi)
{
	size_t count = (size_t)(hi - lo) + 1;
	if (!t->sparse && wants_sparse(t, t->nonempty + 1, count))
		make_sparse(t);
	if (!t->sparse) {
		/*
		 * grown as the span grows (an endpoint seen once costs one interval), or allocated
		 * whole for timelines that will span the run (timeline_reserve)
		 */
		size_t front = t->count ? (size_t)(t->first - lo) : 0;
		grow_store(t, count);
		if (front) { /* a span grown at its end (the usual case) moves nothing */
			memmove(&t->store[front], &t->store[0], t->count * sizeof *t->store);
			memset(&t->store[0], 0, front * sizeof *t->store);
		}
		memset(&t->store[front + t->count], 0,
		       (count - front - t->count) * sizeof *t->store);
	}
	t->first = lo;
	t->count = count;
}

/*
 * The interval holding time_us (its absolute index in *at), growing the span or coarsening;
 * the caller gives it data.
 */
static struct interval *slot(struct timeline *t, int64_t time_us, int64_t *at)
{
	for (;;) {
		/* samples come mostly in time order: the last interval's bounds spare a division */
		if (t->last_width == t->width_us &&
		    (uint64_t)time_us - (uint64_t)t->last_from_us < (uint64_t)t->width_us) {
			*at = t->last_at;
		} else {
			*at = floor_div(time_us, t->width_us);
			if (time_us > INT64_MIN / 2 && time_us < INT64_MAX / 2) {
				t->last_at = *at;
				t->last_from_us = *at * t->width_us;
				t->last_width = t->width_us;
			}
		}
		if (*at >= t->first && *at - t->first < (int64_t)t->count)
			return claim(t, *at);
		int64_t last = t->first + (int64_t)t->count - 1;
		int64_t lo = t->count == 0 || *at < t->first ? *at : t->first;
		int64_t hi = t->count == 0 || *at > last ? *at : last;
		if (hi - lo + 1 > TIMELINE_MAX_POINTS) {
			coarsen(t);
			continue;
		}
		extend(t, lo, hi);
		return claim(t, *at);
	}
}

void timeline_add(struct timeline *t, int64_t time_us, double value, int64_t scaled)
{
	int64_t at;
	struct interval *iv = slot(t, time_us, &at);
	if (iv->count == 0 && iv->sum == 0) {
		iv->min = iv->max = iv->last = value;
		iv->last_us = time_us;
	} else {
		if (value < iv->min)
			iv->min = value;
		if (value > iv->max)
			iv->max = value;
		/* of samples at one time, the larger: the same whatever order they came in */
		if (time_us > iv->last_us || (time_us == iv->last_us && value > iv->last)) {
			iv->last = value;
			iv->last_us = time_us;
		}
	}
	iv->count++;
	iv->sum = t->exact_sums ? model_sum_add(iv->sum, value) : iv->sum + value;
	if (t->has_hist)
		count_in_open(t, iv, at, hist_index_of(&t->layout, scaled));
}

void timeline_merge(struct timeline *into, const struct timeline *from)
{
	timeline_flush(into);
	if (into->has_hist && (!from->has_hist ||
			       from->layout.counts_len != into->layout.counts_len ||
			       from->layout.highest_trackable_value !=
				       into->layout.highest_trackable_value ||
			       from->layout.significant_digits != into->layout.significant_digits)) {
		/* histograms of part of the samples would give wrong percentiles: none */
		for (size_t k = 0; k < stored(into); k++) {
			free(into->store[k].bins);
			into->store[k].bins = NULL;
			into->store[k].bin_count = into->store[k].bin_cap = 0;
		}
		into->has_hist = false;
	}
	while (into->width_us < from->width_us)
		coarsen(into);
	for (size_t k = 0; k < stored(from); k++) {
		const struct interval *src = &from->store[k];
		if (is_empty(src))
			continue;
		/* coarsening may happen inside slot(); the start time keeps us aligned */
		int64_t at;
		struct interval *dst = slot(into, stored_at(from, k) * from->width_us, &at);
		if (!into->has_hist) {
			struct interval copy = *src;
			copy.bins = NULL;
			copy.bin_count = 0;
			interval_merge(dst, &copy, into->exact_sums);
		} else {
			interval_merge(dst, src, into->exact_sums);
		}
	}
}

void timeline_set_span(struct timeline *t, int64_t width_us, int64_t first, size_t count)
{
	t->width_us = width_us;
	t->first = first;
	if (t->reserved) { /* already dense and zeroed */
		t->count = count;
		return;
	}
	t->sparse = count > 0; /* nothing held yet: the puts turn it dense if they fill it */
	t->count = count;
}

struct interval *timeline_put(struct timeline *t, size_t i)
{
	return claim(t, t->first + (int64_t)i);
}

/* value * scale as histogram units, saturating (a clamped sample may be 1e300 ms) */
static int64_t to_units(double value, double scale)
{
	double x = value * scale;
	if (!(x > 0))
		return 0;
	return x >= 9.2e18 ? INT64_MAX : (int64_t)llround(x);
}

int64_t timeline_value_at(const struct timeline *t, const struct interval *iv, double q,
			  double scale)
{
	int64_t total = 0;
	for (uint32_t i = 0; i < iv->bin_count; i++)
		total += timeline_bin_count(iv->bins[i]);
	if (total == 0 || !t->has_hist)
		return 0;
	int64_t rank = hist_rank(q, total);
	int64_t lo = to_units(iv->min, scale), hi = to_units(iv->max, scale);
	if (rank == 1)
		return lo;
	if (rank >= total)
		return hi;
	int64_t seen = 0;
	for (uint32_t i = 0; i < iv->bin_count; i++) {
		seen += timeline_bin_count(iv->bins[i]);
		if (seen >= rank) {
			int64_t lowest = hist_value_from_index(&t->layout,
								timeline_bin_index(iv->bins[i]));
			int64_t v = hist_highest_equivalent(&t->layout, lowest);
			return v < lo ? lo : v > hi ? hi : v;
		}
	}
	return hi;
}
