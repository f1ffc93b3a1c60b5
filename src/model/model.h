/*
 * model.h - the model layer: the data every pass agrees on (runs, series, histograms).
 *
 * Audience: everything above util: ingest (through the builder in ingest.h, never by poking
 * fields while parsing), budget, analysis, emit, the drivers. It knows nothing of file formats or outputs.
 * Sections follow the implementing files: model.c, reported.c, timeline.c, k6_names.c,
 * model_json.c (hist.h is its own header).
 *
 * Shape: a model holds runs (one test execution each; inputs given the same label merge into
 * one run). A run holds series keyed by (metric, endpoint, tags). A series is a trend (a
 * distribution: latency, per-second rates) or a counter (a total).
 *
 * Precision is carried, not hidden (DESIGN §3):
 *   exact      built from raw samples into a histogram: within the histogram's relative error;
 *   bucketed   built from a tool's bucket counts (Prometheus, Locust JSON): within bucket width;
 *   quantiles  built only from the percentiles and statistics a tool reported (autocannon, wrk,
 *              k6 summaries): a value the tool reported is returned exactly as reported; any
 *              other (say p95 when the tool printed p90 and p97.5) is interpolated and marked
 *              VALUE_ESTIMATE, and every output says so.
 *
 * Scale: histograms hold integers. series.scale is how many histogram units make one unit of
 * the series (latency: 1000 µs per ms), chosen from the unit so significant digits hold.
 *
 * Text: every name in a model (run labels, metrics, endpoints, tag keys and values) is UTF-8:
 * model_get_run and model_get_series keep the bytes of a name that are not as \xNN text, and
 * model_find_* look names up the same way, so a model sorts, writes and reads back the same.
 *
 * Memory: struct model owns an arena holding runs and strings, each series as one heap block
 * (the struct, its tags and its names), plus heap arrays (histogram counts, series/run/point
 * vectors), all released by model_free. Pointers into a model are valid until model_free, or
 * until model_run_drop_series drops the series they point into.
 */
#ifndef PERFGATE_MODEL_H
#define PERFGATE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"
#include "hist.h"

struct diag;
struct source;
struct jsonw;

enum series_kind {
	SERIES_TREND,   /* a distribution: histogram or reported quantiles */
	SERIES_COUNTER, /* a total */
	SERIES_RATE,    /* a share: `passes` of `total` samples were non-zero (k6 Rate) */
	SERIES_GAUGE,   /* a level sampled over time: last, min, max (k6 Gauge, VUs) */
};

enum precision { PREC_EXACT, PREC_BUCKETED, PREC_QUANTILES };

enum unit {
	UNIT_MS,           /* milliseconds */
	UNIT_PER_S,        /* events (requests) per second */
	UNIT_BYTES_PER_S,  /* bytes per second */
	UNIT_COUNT,        /* a plain count */
	UNIT_BYTES,        /* bytes */
	UNIT_NONE,         /* unitless (e.g. a k6 Trend without isTime) */
	UNIT_RATIO,        /* a share: 1 = 100 % (server utilisation) */
};

enum metric_id {
#define METRIC(id, name, kind, unit) id,
#include "metrics.def"
#undef METRIC
	METRIC__CORE_COUNT,
	METRIC_CUSTOM = METRIC__CORE_COUNT, /* any other name: tool-specific, sorts after core */
};

/* How a value came to be. */
enum value_kind {
	VALUE_MISSING,   /* no data for it (no samples, or the tool did not report it) */
	VALUE_EXACT,     /* computed from exact or bucketed data (within the stated error) */
	VALUE_REPORTED,  /* returned exactly as the tool reported it */
	VALUE_ESTIMATE,  /* derived from reported quantiles by interpolation */
};

struct value {
	double number;        /* in the series' unit; meaningless when kind is VALUE_MISSING */
	enum value_kind kind;
};

enum stat_kind { STAT_COUNT, STAT_MIN, STAT_MEAN, STAT_MAX, STAT_STDDEV, STAT__COUNT };

/* "count", "min", "mean", "max", "stddev": the name of a statistic in every output. */
const char *model_stat_name(enum stat_kind stat);

struct tag {
	const char *key;   /* arena */
	const char *value; /* arena */
};

/* ---- reported.c: what a tool reported about a distribution ---- */

struct quantile_point {
	double q;      /* quantile in [0, 1] (p99.9 -> 0.999) */
	double value;  /* in the series' unit, as reported */
};

struct reported {
	struct quantile_point *points; /* sorted by q, distinct q; owned (heap) */
	size_t point_count;            /* entries in points */
	size_t point_cap;              /* allocated entries */
	double stats[STAT__COUNT];     /* reported statistics (count, min, mean, max, stddev) */
	bool has_stat[STAT__COUNT];    /* which stats the tool reported */
};

/* Adds (or replaces) the reported value at quantile q. */
void reported_add_point(struct reported *r, double q, double value);
void reported_set_stat(struct reported *r, enum stat_kind stat, double value);
/* Value at q: as reported when a point (or min at 0 / max at 1) exists, else interpolated. */
/* The point reported at exactly q (within rounding), else VALUE_MISSING: no estimate. */
struct value reported_point_at(const struct reported *r, double q);
struct value reported_value_at(const struct reported *r, double q);
void reported_fini(struct reported *r);

/* ---- buckets.c: Prometheus histogram buckets, and histogram_quantile exactly ---- */

/* How much the cumulative counter of one bucket grew: count at or below upper. */
struct bucket {
	double upper;  /* the `le` bound as the source wrote it (+Inf for the last) */
	double count;  /* cumulative observations <= upper */
};

struct buckets {
	struct bucket *at; /* sorted by upper, distinct bounds; owned (heap) */
	size_t count;      /* entries in at */
	size_t cap;        /* allocated entries */
	double sum;        /* sum of the observed values (the _sum increase), source unit */
	bool has_sum;
	double factor;     /* series unit per source unit (seconds -> ms: 1000); 0 means 1.
			      Quantiles are computed in the source unit and then multiplied,
			      so they are Prometheus's own doubles times the factor */
};

/* Adds count at bound upper (a bound already there adds up: `sum by (le)`). */
void buckets_add(struct buckets *b, double upper, double count);
void buckets_merge(struct buckets *into, const struct buckets *from);
/*
 * Prometheus's histogram_quantile(q) over these buckets, in the series' unit (times factor):
 * NaN where Prometheus gives NaN.
 */
double buckets_quantile(const struct buckets *b, double q);
/* Series unit per source unit: factor, or 1 when it is 0. */
double buckets_factor(const struct buckets *b);
/* Observations: the +Inf bucket's count after monotonic repair; NaN without +Inf. */
double buckets_total(const struct buckets *b);
/* Whether the counts never decrease from one bound to the next (else they are repaired). */
bool buckets_monotonic(const struct buckets *b);
void buckets_fini(struct buckets *b);

/* ---- timeline.c: per-interval data of a series, for over-time charts and windowed rules ---- */

/*
 * A timeline splits a series' samples by time into intervals of width_us (one second times a
 * power of two). At most TIMELINE_MAX_POINTS intervals are kept: when a sample would widen the
 * span beyond that, the width doubles and neighbouring intervals merge (exactly: every field
 * is a sum, a min, a max or a latest value). Interval i covers
 * [(first + i) * width_us, (first + i + 1) * width_us) in µs since the Unix epoch, so two
 * timelines always line up once brought to the same width. Read interval i through
 * timeline_at; only timeline.c touches the store.
 *
 * Memory is bounded by the interval cap, never by the number of samples, and follows the
 * intervals that hold data: the store is dense (every interval of the span, 64 bytes each) once
 * more than half the span holds data, sparse (only the non-empty intervals, each with its
 * 8-byte index: 72 bytes) once less than a quarter does, and in between keeps the one it has.
 * So a timeline costs at most 256 bytes per non-empty interval (72 while sparse), a quarter
 * more while its array grows, and never more than TIMELINE_MAX_POINTS * 64 bytes (12.8 KB):
 * an endpoint hit a few times across a long run costs a few intervals, not 200. Per-interval
 * histograms come on top. Run totals (timeline_reserve) are always dense.
 *
 * Trends may also keep a histogram per interval (TIMELINE_HIST_DIGITS significant digits, the
 * series' histogram range and scale), stored sparsely as sorted 32-bit words
 * (index << 19 | count; a larger count continues in further words of the same index).
 */
enum { TIMELINE_MAX_POINTS = 200, TIMELINE_HIST_DIGITS = 2, TIMELINE_OPEN = 4 };
#define TIMELINE_BIN_COUNT_BITS 19
/* Largest sample count of one interval that model JSON accepts (2^32: 4.3e9 in one interval). */
#define TIMELINE_POINT_MAX (INT64_C(1) << 32)
/* Per-interval histograms need layouts with fewer counts indexes than this. */
#define TIMELINE_BIN_INDEX_LIMIT (INT32_C(1) << (32 - TIMELINE_BIN_COUNT_BITS))

/*
 * sum + value for the interval sums of a load generator's timelines: exact at a millionth of
 * the unit (1 ns for a latency in ms). Each operand is rounded to micro-units (half away from
 * zero) and the integers add, so a sum does not depend on the order its samples came in, nor
 * on how inputs were split and merged: perfgate merge of the parts writes the bytes the whole
 * input gives. Past 2^50 micro-units (about 1.1e9 of the unit) the plain double sum is used.
 * Server metrics (rates of CPU seconds and the like, finer than a millionth) keep plain sums.
 */
double model_sum_add(double sum, double value);

struct interval {
	int64_t count;     /* samples in the interval */
	double sum;        /* sum of the values (counters: the total; rates: non-zero samples) */
	double min;        /* smallest value; meaningless when count is 0 */
	double max;        /* largest value */
	double last;       /* value of the latest sample (gauges) */
	int64_t last_us;   /* its time, µs since the epoch */
	uint32_t *bins;    /* per-interval histogram, (index << 19 | count), sorted; owned */
	uint32_t bin_count;
	uint32_t bin_cap;
};

struct timeline {
	int64_t width_us;          /* interval width: 1 s * 2^k */
	int64_t first;             /* absolute index of interval 0 (time_us / width_us, floored) */
	size_t count;              /* intervals in the span, empty ones included */
	size_t nonempty;           /* intervals holding data */
	bool sparse;               /* the store holds only the non-empty intervals */
	bool reserved;             /* always dense (timeline_reserve) */
	struct interval *store;    /* dense: interval i at store[i], i < count; sparse: the
				      non-empty intervals by time, store_index[k] - first is
				      store[k]'s i; owned; read through timeline_at */
	int64_t *store_index;      /* sparse: each entry's absolute index; owned; NULL if dense */
	size_t cap;                /* entries allocated in store (and store_index) */
	bool has_hist;             /* intervals keep histograms in `layout` */
	bool exact_sums;           /* interval sums add by model_sum_add: a load generator's
				      series, not a server metric (timeline_init sets it) */
	struct hist_layout layout; /* layout of the per-interval histograms */
	/*
	 * The newest intervals count into dense arrays (counts_len words each, reused), folded into
	 * their exact-size sparse bins when a newer interval needs the array or on timeline_flush:
	 * fast recording, and no slack or fragmentation in the bins that stay.
	 */
	uint32_t *open_counts[TIMELINE_OPEN]; /* owned; NULL until needed */
	int64_t open_at[TIMELINE_OPEN];       /* absolute interval index each holds; INT64_MIN: free */
	int32_t open_lo[TIMELINE_OPEN];       /* lowest and highest counts index touched in each */
	int32_t open_hi[TIMELINE_OPEN];       /* (a fold scans only that range) */
	/* the interval of the last sample: absolute index, start (µs), and the width they were
	   for (0: none), so that the next sample in it needs no division */
	int64_t last_at, last_from_us, last_width;
};

/*
 * Starts an empty timeline of 1 s intervals; hist_layout (may be NULL) enables histograms; its
 * counts_len must be below TIMELINE_BIN_INDEX_LIMIT (else no histograms are kept).
 */
void timeline_init(struct timeline *t, const struct hist_layout *hist_layout);
void timeline_fini(struct timeline *t);
/* Bytes the timeline holds on the heap, its struct included (it is allocated alone). */
size_t timeline_heap_bytes(const struct timeline *t);
/*
 * Allocates all TIMELINE_MAX_POINTS intervals now and keeps the store dense (timelines that
 * will span the whole run, where timeline_add is then an index).
 */
void timeline_reserve(struct timeline *t);
/*
 * Folds the open dense counts into the intervals' bins. Call before reading bins (merge,
 * timeline_value_at, model JSON); builder_finish does it for every series.
 */
void timeline_flush(struct timeline *t);
/* Adds a sample taken at time_us; scaled is the value in histogram units (trends). */
void timeline_add(struct timeline *t, int64_t time_us, double value, int64_t scaled);
/*
 * Merges from (flushed) into into (widths reconciled; histogram layouts must match or into has
 * none).
 */
void timeline_merge(struct timeline *into, const struct timeline *from);
/* Start of interval i, µs since the epoch. */
int64_t timeline_start_us(const struct timeline *t, size_t i);
/*
 * Interval i (< t->count) of t; for an interval without data, a shared all-zero one (so
 * count 0, no bins). Valid until t changes.
 */
const struct interval *timeline_at(const struct timeline *t, size_t i);
/*
 * For readers of stored timelines (model JSON): gives the empty timeline t (just initialised)
 * a span of count intervals (at most TIMELINE_MAX_POINTS) of width_us from absolute index
 * first, all empty; then timeline_put fills the ones with data.
 */
void timeline_set_span(struct timeline *t, int64_t width_us, int64_t first, size_t count);
/*
 * Interval i (< t->count) of t to be given data (a count > 0; an interval without data is
 * simply not put): zeroed if it had none. Valid until the next change to t.
 */
struct interval *timeline_put(struct timeline *t, size_t i);
/*
 * Value at quantile q of one interval's histogram, in histogram units (HdrHistogram's rule as
 * hist_value_at, clamped to the interval's min/max scaled by scale). 0 when empty.
 */
int64_t timeline_value_at(const struct timeline *t, const struct interval *iv, double q,
			  double scale);
/* Adds count at histogram index to an interval (model JSON load and merges). */
void timeline_add_bin(struct interval *iv, int32_t index, int64_t count);
static inline int32_t timeline_bin_index(uint32_t bin)
{
	return (int32_t)(bin >> TIMELINE_BIN_COUNT_BITS);
}
static inline int64_t timeline_bin_count(uint32_t bin)
{
	return (int64_t)(bin & ((UINT32_C(1) << TIMELINE_BIN_COUNT_BITS) - 1));
}

/* ---- model.c: runs and series ---- */

/* A gauge's state: the latest value and the extremes. */
struct gauge {
	double value;      /* latest value (by sample time) */
	double min;
	double max;
	double sum;        /* server gauges: sum of value * weight over the samples */
	double weight;     /* their weight (samples, or seconds); mean over time = sum / weight;
			      0 when no mean is kept (load-generator gauges) */
	int64_t value_us;  /* time of the latest value; INT64_MIN when not known */
	bool set;          /* any value seen */
};

enum threshold_result { THRESHOLD_UNKNOWN, THRESHOLD_PASSED, THRESHOLD_FAILED };

/* A threshold the load tool evaluated (or declared) itself, kept for reports. */
struct threshold {
	const char *metric;   /* the tool's metric key as written: "http_req_duration{name:x}" */
	const char *source;   /* the expression as written: "p(95)<250"; arena */
	enum threshold_result result;
	bool abort_on_fail;   /* k6 abortOnFail */
};

struct series {
	const char *metric;        /* "latency", "requests", or a tool's own name; in the block */
	enum metric_id metric_id;  /* core metric, or METRIC_CUSTOM */
	const char *endpoint;      /* "GET /users/:id", a title...; NULL = the whole run; in the
				      series' block, as are the tags */
	struct tag *tags;          /* other tags, sorted by key */
	size_t tag_count;          /* entries in tags */
	enum series_kind kind;
	enum precision precision;  /* how the distribution was obtained (trends) */
	enum unit unit;            /* unit of every value of the series */
	double scale;              /* histogram units per series unit (latency: 1000) */
	const char *source;        /* provenance: the input(s) it came from, ", "-joined; arena */
	struct hist hist;          /* PREC_EXACT / PREC_BUCKETED trends, and server gauges (their
				      samples over time, for quantile_over_time); counts owned */
	bool has_hist;             /* hist is initialised */
	struct reported reported;  /* PREC_QUANTILES trends */
	struct buckets buckets;    /* Prometheus histograms (PREC_BUCKETED); owned */
	bool has_buckets;          /* quantiles come from buckets (histogram_quantile) */
	double span_s;             /* server counters: seconds their total covers (rate =
				      total / span_s); 0 = the run's duration; NaN = unknown */
	bool server;               /* server-side metrics (Prometheus), not the load generator */
	double total;              /* counters: the total; rates: the number of samples */
	double passes;             /* rates: samples that were non-zero (k6 `passes`) */
	struct gauge gauge;        /* gauges */
	struct timeline *timeline; /* per-interval data, NULL when the source has no times; owned */
	size_t block_bytes;        /* of the series' heap block: the struct, its tags, its names */
};

struct run {
	const char *label;         /* unique in the model; arena */
	size_t label_path_len;     /* label made of an input's path (its first label_path_len
				      bytes, then "#N" or "/title"), to be shortened to the
				      path's shortest distinct suffix (ingest_short_labels); 0:
				      a label given, or a title */
	const char *tool;          /* "autocannon", "k6", ...; arena */
	const char *tool_version;  /* the tool's version where the input says ("1.0.0"); arena or
				      NULL */
	const char **sources;      /* input paths, in the order given; heap array of arena strings */
	size_t source_count;       /* entries in sources */
	size_t source_cap;         /* allocated entries */
	double concurrency;        /* connections / VUs / users; NAN when unknown */
	bool open_model;           /* loaded by an arrival rate (--open-model); model JSON
				      "open_model" */
	const char *concurrency_unit; /* "connections", "VUs", "users"; arena; NULL when unknown */
	int64_t start_us;          /* start, µs since the Unix epoch (UTC); valid when has_start */
	int64_t end_us;            /* end, µs since the epoch; valid when has_end */
	bool has_start;
	bool has_end;
	double duration_s;         /* seconds; NAN when unknown (a window's length once cut) */
	bool has_window;           /* cut to a window (analysis/window.c): the numbers describe
				      window_from_s .. window_to_s seconds from start_us */
	const char *window_kind;   /* "steady", "range" or "stage"; static */
	double window_from_s;
	double window_to_s;        /* NaN: to the end */
	struct threshold *thresholds; /* the tool's own thresholds, in order met; heap */
	size_t threshold_count;
	size_t threshold_cap;
	struct series **series;    /* heap array of arena series */
	size_t series_count;       /* entries in series */
	size_t series_cap;         /* allocated entries */
	struct series **index;     /* hash index of series by key (open addressing); heap */
	size_t index_size;         /* slots in index: a power of two, or 0 */
};

struct model {
	struct arena arena;        /* owns runs and strings (a series is a heap block) */
	struct run **runs;         /* heap array, in order of first appearance */
	size_t run_count;          /* entries in runs */
	size_t run_cap;            /* allocated entries */
	int significant_digits;    /* for new exact histograms; HIST_DIGITS_DEFAULT */
};

/* Returns a new, empty model owned by the caller (model_free). */
struct model *model_new(void);
/* Frees the model and everything in it. Accepts NULL. */
void model_free(struct model *m);

/* Finds the run with label, or NULL. */
struct run *model_find_run(const struct model *m, const char *label);
/*
 * The run of baseline that candidate is compared with, wherever a baseline is read (budget
 * rules, the report's baseline table, the compare chart): the run with candidate's label,
 * else baseline's only run. NULL when baseline is NULL, or it has no run of that label and
 * not exactly one run. Borrows from baseline.
 */
const struct run *model_baseline_run(const struct model *baseline, const struct run *candidate);
/* Finds or creates the run with label (copied into the arena). */
struct run *model_get_run(struct model *m, const char *label, const char *tool);
void model_run_add_source(struct model *m, struct run *run, const char *path);
/*
 * Records a tool threshold (copied). A second one with the same metric and source updates the
 * result: a known result replaces unknown, and failed wins over passed (several inputs).
 */
void model_run_add_threshold(struct model *m, struct run *run, const char *metric,
			     const char *source, enum threshold_result result, bool abort_on_fail);
/* "unknown", "passed", "failed" */
const char *model_threshold_result_name(enum threshold_result r);
bool model_threshold_result_from_name(const char *name, enum threshold_result *out);

/*
 * Finds the series (metric, endpoint, tags) of run, or NULL. tags need not be sorted.
 */
struct series *model_find_series(const struct run *run, const char *metric,
				 const char *endpoint, const struct tag *tags, size_t tag_count);
/*
 * Finds or creates a series; on creation, copies the key into the arena and sets kind,
 * precision and unit (and an empty histogram for PREC_EXACT/PREC_BUCKETED). *created (may be
 * NULL) tells which happened. The caller checks kind/precision of a found series.
 */
struct series *model_get_series(struct model *m, struct run *run, const char *metric,
				const char *endpoint, const struct tag *tags, size_t tag_count,
				enum series_kind kind, enum precision precision, enum unit unit,
				bool *created);

/*
 * DIAG_LOAD_DIFFERS, once, when a run of cand ran at another concurrency than its baseline run
 * in base (model_baseline_run; else any run of base): the change would mix the load's effect
 * with the code's.
 */
void model_warn_load_differs(const struct model *base, const struct model *cand,
			     struct diag *d);

/*
 * Merges every run of `from` into the run of `into` with the same label; a run whose label
 * `into` lacks is moved over whole (no copy). `from` is left empty and independent of `into`
 * (free it as usual, in any order):
 * sources are appended, histograms merged exactly, counters added, concurrency added (several
 * load generators under one label), the time span widened. Two quantiles series with the same
 * key cannot be merged (percentiles do not add up): each such pair is reported as
 * DIAG_MERGE_CONFLICT and the series of `into` is kept. Returns false when an error was reported.
 */
bool model_merge(struct model *into, struct model *from, struct diag *d);

/* How the runs of one label combine (perfgate merge). */
enum merge_mode {
	MERGE_PARALLEL,    /* load generators side by side: concurrency and gauge levels add */
	MERGE_TIME_SLICES, /* consecutive slices of one run: concurrency is the largest, a gauge
			      keeps its latest value and its extremes, server gauges combine */
};
/* model_merge, with the semantics of mode for concurrency and gauges. */
bool model_merge_mode(struct model *into, struct model *from, enum merge_mode mode,
		      struct diag *d);

/*
 * Adds the series `from` (of any model) into the series (from's metric, endpoint, tags) of run,
 * creating it when absent, by model_merge's rules (histograms merged exactly, counters and
 * rates added, quantiles series never combined). Returns NULL, or why the two cannot be
 * merged (nothing is changed then). Used to combine the series a tag filter selects.
 */
const char *model_merge_series(struct model *m, struct run *run, const struct series *from,
			       const char *endpoint, const struct tag *tags, size_t tag_count);

/*
 * Removes (and releases) every series of run for which drop(series, ctx) returns true; returns
 * how many. Pointers to the removed series, and to their names, become invalid: a series is
 * one heap block with its tags and names. (window.c: series that cannot be cut; k6_stream.c:
 * endpoints folded under --endpoint-memory.)
 */
size_t model_run_drop_series(struct run *run, bool (*drop)(const struct series *s, void *ctx),
			     void *ctx);
/*
 * Memory a series holds: its struct, its tag array and every store (histogram, timeline,
 * reported points, buckets). The names in the arena are not counted.
 */
size_t model_series_bytes(const struct series *s);

/* Sorts every run's series into output order (core metrics first, then name, endpoint, tags). */
void model_sort(struct model *m);
/* Endpoint order: the whole run (NULL) first, then names by strcmp. */
int model_compare_endpoints(const char *a, const char *b);

/* The gauge of s updated with a value taken at time_us (INT64_MIN: unknown, counts as latest). */
void model_gauge_update(struct gauge *g, double value, int64_t time_us);

/*
 * The quantile for a percentile: the double nearest percent / 100 in decimal (99.9 -> 0.999),
 * which plain division misses by one ulp (0.9990000000000001). Every caller that turns a
 * percentile into a quantile goes through here, so stored and asked-for quantiles agree.
 */
double model_quantile_of_percent(double percent);
/* Statistics of a trend series: exact from a histogram, else as reported (or missing). */
struct value model_series_stat(const struct series *s, enum stat_kind stat);
/*
 * Value at quantile q of a trend series (see the precision rules above), or of a server
 * gauge's samples over time when it keeps them (within the histogram's error).
 */
struct value model_series_value_at(const struct series *s, double q);
/* model_series_value_at(s, qs[i]) into out[i] for each i: one walk of a histogram when the
 * qs ascend (a percentile spectrum). */
void model_series_values_at(const struct series *s, const double *qs, size_t n,
			    struct value *out);
/*
 * Request totals, the same for `show` and for budget rules: requests and errors are the
 * counters; rps is the mean of an `rps` trend when the tool reported one (as it printed it),
 * else requests / duration_s; error_rate is errors / (requests + unanswered). Each series may
 * be NULL (then what needs it is VALUE_MISSING).
 */
struct request_totals {
	struct value requests, errors, rps, error_rate;
};
struct request_totals model_totals_of(const struct series *requests,
				      const struct series *errors, const struct series *unanswered,
				      const struct series *rps, double duration_s);

/*
 * The totals at an endpoint of run (NULL: the whole run) from its untagged requests, errors
 * and unanswered counters and rps trend there: what `show`, the report and the charts print.
 */
struct request_totals model_run_totals_at(const struct run *run, const char *endpoint);
/* The counter series (metric, whole run, no tags) of run, or NULL. */
const struct series *model_run_counter(const struct run *run, enum metric_id metric);
/*
 * Seconds of run that interval i (< t->count) of timeline t covers: the interval's width, less
 * what lies before the run's start or after its end when the run knows them (has_start,
 * has_end). The first and last intervals of a run are usually partial: a per-second rate
 * over this is not understated at the edges. Positive whenever t->width_us is. The one
 * rule for the timeline chart's throughput and for budget `for` windows.
 */
double model_run_interval_s(const struct run *run, const struct timeline *t, size_t i);

/*
 * Whether interval i of timeline t lies in the window run was cut to (analysis/window.c):
 * it overlaps it. Always true for a run without one.
 */
bool model_run_in_window(const struct run *run, const struct timeline *t, size_t i);

/* Scale (histogram units per series unit) of new histograms for a unit (ms: 1000, µs). */
double model_unit_scale(enum unit unit);
/* The layout of new histograms of a unit's values with digits significant digits. */
void model_unit_hist_layout(enum unit unit, int digits, struct hist_layout *out);

/* For text: "ms", "req/s", "B/s", "", "B", "", "%" */
const char *model_unit_name(enum unit unit);
const char *model_unit_json_name(enum unit unit);   /* for JSON: ... "count", "B", "none" */
const char *model_precision_name(enum precision p); /* "exact", "bucketed", "quantiles" */
const char *model_kind_name(enum series_kind kind); /* "trend", "counter", "rate", "gauge" */
bool model_kind_from_name(const char *name, enum series_kind *out);
bool model_unit_from_name(const char *name, enum unit *out);
bool model_precision_from_name(const char *name, enum precision *out);
enum metric_id model_metric_lookup(const char *name);
/* The kind and unit metrics.def gives a core metric (id < METRIC__CORE_COUNT). */
enum series_kind model_metric_kind(enum metric_id id);
enum unit model_metric_unit(enum metric_id id);

/* ---- k6_names.c: k6's metric names, one table for the k6 front ends and k6 thresholds ---- */

/* k6's metric types and value types (FORMATS.md §1.0). */
enum k6_type { K6_UNKNOWN, K6_COUNTER, K6_GAUGE, K6_TREND, K6_RATE };
enum k6_contains { K6_DEFAULT, K6_TIME, K6_DATA };

/* A k6 metric that becomes a core series of the model. */
struct k6_names_core {
	const char *k6;         /* k6's name: "http_req_duration" */
	const char *metric;     /* the model metric: "latency" */
	enum series_kind kind;  /* of the model series (http_req_failed, a Rate, is a counter) */
	enum unit unit;
};

/*
 * For a misspelled metric name: a name perfgate or k6 knows (the model's metrics, k6's
 * built-in ones) close to name (str_closest), or NULL when name is one of them or near none.
 */
const char *model_metric_near_miss(const char *name);

/* The i-th of k6's built-in metric names, NULL past the last. */
const char *k6_names_builtin_name(size_t i);
/* Type and contains of k6's built-in metric name[0..len); false for any other (custom) name. */
bool k6_names_builtin(const char *name, size_t len, enum k6_type *type,
		      enum k6_contains *contains);
/* The core mapping of a k6 metric name, or NULL when it is not one (static). */
const struct k6_names_core *k6_names_core(const char *name);
/*
 * The model metric a k6 metric name lands in: the core name (http_req_duration -> latency),
 * "k6:NAME" (in arena) for a custom name that clashes with a core metric (metrics.def,
 * error_rate, concurrency), else name itself (borrowed).
 */
const char *k6_names_model_metric(const char *name, struct arena *arena);

/* ---- model_json.c: versioned model JSON (formats/model-json.md) ---- */

#define MODEL_JSON_FORMAT "perfgate-model"
#define MODEL_JSON_VERSION 1

/*
 * The JSON members shared by model JSON and `show --json`, written into an open object:
 * a run's label, tool, sources, concurrency, concurrency_unit, start, end, duration_s; a
 * series' metric, endpoint, tags. One writer, so the two formats cannot drift apart.
 */
void model_json_write_run_header(struct jsonw *w, const struct run *run);
/*
 * "window": {"kind", "from_s", "to_s"} of a run cut to a window, or null (show --json writes
 * it for every run; the run header above only for a run that has one).
 */
void model_json_write_window(struct jsonw *w, const struct run *run);
void model_json_write_series_key(struct jsonw *w, const struct series *s);
/* The values of a counter (total), rate (passes, total) or gauge (value, min, max). */
void model_json_write_scalars(struct jsonw *w, const struct series *s);

/* Appends the model as JSON to out (deterministic; call model_sort first). */
void model_json_write(const struct model *m, struct buf *out);
/*
 * Reads model JSON from src into m (runs with labels already in m merge into them).
 * Reports problems through d; returns false when any error was reported.
 */
bool model_json_read(struct model *m, struct source *src, struct diag *d);
/*
 * A deep copy of m (sorted), through model JSON, which is lossless (load -> save is
 * byte-identical): for a budget rule that reads a differently windowed model. Caller frees.
 */
struct model *model_clone(const struct model *m);
/* A deep copy of one run of m, alone in a new model (window.c: the stages of a run). */
struct model *model_clone_run(const struct model *m, const struct run *run);

#endif
