/*
 * locust.c - front end for Locust's --csv files (FORMATS.md §2, formats/locust.md).
 *
 * `locust --csv PREFIX` writes PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv
 * and PREFIX_exceptions.csv (Locust < 0.13.3: PREFIX_requests.csv and
 * PREFIX_distribution.csv). The registry finds the files of one PREFIX and load.c feeds them, one
 * source each, to one struct locust, so they make one run; a single file works alone too. Which
 * file a source is comes from its header, never from its name; columns are found by name
 * (case-insensitive, every version's spelling), and percentile columns are whatever the header
 * lists ("50%", "99.9%", and 0.13's "99.999" without '%').
 *
 * Quoting differs by version (hand-quoted in 1.0, Python's csv module after), line ends are
 * "\n", "\r\n" or "\r\r\n", a BOM may lead, and a quoted field may span lines (exceptions'
 * Traceback): records are found on the whole document and split with util/csv.
 *
 * Mapping (every number as Locust wrote it; all series of a stats file are `quantiles`):
 *   stats row (METHOD name | Aggregated) -> trend latency (count, min, mean, max, percentile
 *       columns), counters requests, errors (Failure Count), bytes_in (Average Content Size x
 *       count), trends rps and failures_per_s (mean = Requests/s, Failures/s), response_size
 *   history rows -> timelines: requests and errors per interval (differences of the Total
 *       columns), gauge concurrency (User Count, run only), gauges history_rps,
 *       history_failures_per_s and history_pNN (the row's current rate and percentile columns)
 *   failures rows -> counter errors tagged error=MESSAGE, per endpoint and for the run
 *   exceptions rows -> counter exceptions (and tagged message=MESSAGE)
 * Totals come from the stats file; without one, from the last history row of each endpoint;
 * without that either, errors are the sum of the failures file.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/csv.h"
#include "../util/num.h"
#include "../util/timefmt.h"
#include "ingest.h"

enum col {
	C_TYPE, C_NAME, C_COUNT, C_FAILS, C_MEDIAN, C_AVG, C_MIN, C_MAX, C_SIZE, C_RPS, C_FPS,
	C_TIME, C_USERS, C_T_COUNT, C_T_FAILS, C_T_MEDIAN, C_T_AVG, C_T_MIN, C_T_MAX, C_T_SIZE,
	C_ERROR, C_OCCURRENCES, C_EXC_COUNT, C_MESSAGE, C_TRACEBACK, C_NODES, C_FIRST_SEEN,
	C_LAST_SEEN, C__COUNT
};

/* Header spellings of every version, matched case-insensitively. */
static const struct {
	const char *name;
	enum col col;
} col_names[] = {
	{"Type", C_TYPE}, {"Method", C_TYPE}, {"Name", C_NAME},
	{"Request Count", C_COUNT}, {"# requests", C_COUNT},
	{"Failure Count", C_FAILS}, {"# failures", C_FAILS},
	{"Median Response Time", C_MEDIAN}, {"Average Response Time", C_AVG},
	{"Min Response Time", C_MIN}, {"Max Response Time", C_MAX},
	{"Average Content Size", C_SIZE}, {"Requests/s", C_RPS},
	{"Failures/s", C_FPS}, {"Requests Failed/s", C_FPS},
	{"Timestamp", C_TIME}, {"User Count", C_USERS},
	{"Total Request Count", C_T_COUNT}, {"Total Failure Count", C_T_FAILS},
	{"Total Median Response Time", C_T_MEDIAN}, {"Total Average Response Time", C_T_AVG},
	{"Total Min Response Time", C_T_MIN}, {"Total Max Response Time", C_T_MAX},
	{"Total Average Content Size", C_T_SIZE},
	{"Error", C_ERROR}, {"Occurrences", C_OCCURRENCES},
	{"Count", C_EXC_COUNT}, {"Message", C_MESSAGE}, {"Traceback", C_TRACEBACK},
	{"Nodes", C_NODES}, {"First Seen", C_FIRST_SEEN}, {"Last Seen", C_LAST_SEEN},
};

enum file_kind { F_UNKNOWN, F_STATS, F_HISTORY, F_FAILURES, F_EXCEPTIONS };

static const char *const kind_names[] = {
	"unknown", "stats", "stats history", "failures", "exceptions",
};

enum { MAX_COLUMNS = 128, MAX_PERCENTILES = 64, MAX_RECORD_LINES = 1000 };

/*
 * What is known of one endpoint name: the Total columns of its last history row (keyed by the
 * name as Locust wrote it), and which stats file filled it (keyed by the name after --group).
 */
struct totals {
	const char *endpoint;  /* the key: NULL = the run; arena */
	bool used;             /* slot in use */
	unsigned stats_file;   /* 1-based index of the stats file whose row filled it; 0: none */
	unsigned counted_file; /* the stats file whose rows set its counters (0.x: two files) */
	const char *folded;    /* history: the endpoint after --group; arena */
	double requests, failures, median, avg, min, max, size;
	int64_t time_us;       /* when the row was written */
	/*
	 * History: the series its rows feed (enum history_slot, then one per percentile column),
	 * found once per header and run instead of once per row; owned
	 */
	struct series **history;
	unsigned history_header;
	const struct run *history_run;
	size_t pct_count;      /* percentile columns of that header */
	/*
	 * History rows not yet given to those series (history_flush): each row's time, and one
	 * value per series (NAN: the row has none); owned, allocated with `history`
	 */
	int64_t *pending_at;
	double *pending;
	unsigned pending_len;
};

enum history_slot { H_CONCURRENCY, H_RPS, H_FPS, H_REQUESTS, H_ERRORS, H_PERCENTILES };

/*
 * History rows a name holds back before its series take them, one series at a time: a wide
 * history (a row per name each second, each row feeding 15 series) otherwise touches every
 * series of every name in turn and spends most of its time waiting for memory. 64 rows are
 * 8.5 KB a name, about 4 % of its timelines when full; against 32 the wide benchmark history
 * takes 0.92x the CPU and 3 MB more, and 128 would take 0.87x and 11 MB more.
 */
enum { HISTORY_BATCH = 64 };

struct locust {
	struct builder *b;
	struct run *run;
	bool have_stats;         /* a stats file gave the totals */
	bool have_history_totals;
	double failure_sum;      /* failures file: occurrences, for runs without totals */
	bool have_failures;
	bool any_data;
	int64_t first_us, last_us;
	double max_users;
	double history_total;    /* the Aggregated history row's Total Request Count, latest */
	int64_t history_total_us; /* its time; INT64_MIN: none */
	const char *history_name; /* the history file's name, for messages; the source's */
	struct totals *table;    /* open addressing by endpoint; heap */
	size_t table_size;       /* slots: a power of two */
	size_t table_used;
	/* the file being read */
	struct source *src;
	enum file_kind kind;
	size_t col[C__COUNT];    /* column index of each role; SIZE_MAX: absent */
	bool is_number[MAX_COLUMNS]; /* the column holds numbers (checked by row_numbers_ok) */
	size_t columns;
	struct {
		size_t col;
		double q;
		const char *suffix;  /* "p95", "p99.9": for history_pNN names; arena */
	} pcts[MAX_PERCENTILES];
	size_t pct_count;
	unsigned header_count;   /* headers read so far: a history cache is for one header */
	bool legacy_encoding;   /* the file is not UTF-8: names are escaped */
	unsigned file_index;    /* 1-based index of the file being read */
	bool warned_fold;       /* DIAG_PERCENTILES_DROPPED said for this file */
	struct buf scratch;      /* unquoted fields */
	struct buf text;         /* escaped names */
	/* row_endpoint's answers for the file being read, open addressing by the cells' bytes */
	struct name_memo *memo;
	size_t memo_size;        /* slots: 0 or a power of two */
	size_t memo_used;
};

/*
 * What the (Type, Name) cells of a row name: a history repeats each name every second, and
 * naming it (escapes, the method, the --group rules) once per row, each time into the model's
 * arena, was a tenth of a wide history's time and an arena growing with the rows.
 */
struct name_memo {
	char *cells;             /* the Type cell's bytes, then the Name cell's; owned; NULL: free */
	size_t type_len, name_len;
	bool has_type;           /* the row had a Type cell */
	uint64_t hash;
	const char *endpoint;    /* row_endpoint's result, and its *raw */
	const char *raw;
};

/* ---- sniffing ---- */

/* The role of a header cell, or C__COUNT when it has none. */
static enum col column_role(const char *p, size_t len)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(col_names); i++)
		if (strlen(col_names[i].name) == len && strncasecmp(col_names[i].name, p, len) == 0)
			return col_names[i].col;
	return C__COUNT;
}

/* A percentile header ("95%", "99.9%", "100%", 0.13's "99.999"): its percent, else -1. */
static double column_percent(const char *p, size_t len)
{
	if (len && p[len - 1] == '%')
		len--;
	if (len == 0 || len > 16 || p[0] < '0' || p[0] > '9')
		return -1;
	double v;
	if (num_parse_double(p, len, &v, NULL) != NUM_OK || v < 0 || v > 100)
		return -1;
	return v;
}

/* The file kind a set of column roles makes. */
static enum file_kind kind_of(const bool *has)
{
	if (has[C_TIME] && has[C_NAME])
		return F_HISTORY;
	if (has[C_ERROR] && has[C_OCCURRENCES] && has[C_NAME])
		return F_FAILURES;
	if (has[C_EXC_COUNT] && has[C_MESSAGE])
		return F_EXCEPTIONS;
	if (has[C_NAME] && has[C_COUNT])
		return F_STATS;
	return F_UNKNOWN;
}

int locust_sniff(const char *prefix, size_t len)
{
	const char *nl = memchr(prefix, '\n', len);
	size_t n = nl ? (size_t)(nl - prefix) : len;
	while (n && prefix[n - 1] == '\r')
		n--;
	struct csv_field f[MAX_COLUMNS];
	struct buf scratch;
	buf_init(&scratch);
	size_t bad;
	long count = csv_split(prefix, n, f, MAX_COLUMNS, &scratch, &bad);
	bool has[C__COUNT + 1] = {0};
	int known = 0;
	for (long i = 0; i < count && i < MAX_COLUMNS; i++) {
		enum col c = column_role(f[i].p, f[i].len);
		has[c] = true;
		known += c != C__COUNT;
	}
	buf_fini(&scratch);
	return count > 0 && kind_of(has) != F_UNKNOWN && known >= 2 ? 90 : 0;
}

/* ---- per-endpoint totals of the history file ---- */

static const uint64_t hash_start = UINT64_C(1469598103934665603);

static uint64_t hash_name(const char *s)
{
	return s ? str_fnv1a(hash_start, s, strlen(s)) : 0;
}

static bool same_endpoint(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static struct totals *totals_for(struct locust *l, const char *endpoint)
{
	if (2 * (l->table_used + 1) > l->table_size) {
		size_t size = l->table_size ? 2 * l->table_size : 64;
		struct totals *t = xcalloc(size, sizeof *t);
		for (size_t i = 0; i < l->table_size; i++) {
			if (!l->table[i].used)
				continue;
			size_t j = hash_name(l->table[i].endpoint) & (size - 1);
			while (t[j].used)
				j = (j + 1) & (size - 1);
			t[j] = l->table[i];
		}
		free(l->table);
		l->table = t;
		l->table_size = size;
	}
	size_t j = hash_name(endpoint) & (l->table_size - 1);
	while (l->table[j].used && !same_endpoint(l->table[j].endpoint, endpoint))
		j = (j + 1) & (l->table_size - 1);
	struct totals *t = &l->table[j];
	if (!t->used) {
		*t = (struct totals){.endpoint = endpoint, .used = true, .time_us = INT64_MIN};
		t->median = t->avg = t->min = t->max = t->size = NAN;
		l->table_used++;
	}
	return t;
}

/* ---- records ---- */

struct record {
	const char *text;  /* the record: one line, or several joined by their own line ends */
	size_t len;
	size_t offset;     /* of text in the source */
	struct csv_field f[MAX_COLUMNS];
	long n;            /* fields, or -1 for an unclosed quote */
	size_t bad_at;
	double value[MAX_COLUMNS]; /* number columns, parsed once by row_numbers_ok */
	bool has_value[MAX_COLUMNS]; /* the cell holds a number (not N/A, empty or NaN) */
};

static void locate(struct locust *l, const struct record *r, size_t field_offset,
		   struct diag_loc *loc)
{
	source_locate(l->src, r->offset + field_offset, 1, loc);
}

/* Reports a record that cannot be used and counts its lines as skipped. */
static void skip(struct locust *l, const struct record *r, size_t field_offset, const char *fmt,
		 ...) PG_PRINTF(4, 5);
static void skip(struct locust *l, const struct record *r, size_t field_offset, const char *fmt,
		 ...)
{
	struct diag_loc loc;
	locate(l, r, field_offset, &loc);
	va_list ap;
	va_start(ap, fmt);
	builder_vskip(l->b, &loc, fmt, ap);
	va_end(ap);
	size_t lines = 0;
	for (size_t i = 0; i < r->len; i++)
		lines += r->text[i] == '\n';
	builder_count_skipped(l->b, lines);
}

/*
 * The next record from *pos: a line, joined with the following ones while a quoted field is
 * open (at most MAX_RECORD_LINES). Returns false at the end of the source.
 */
static bool next_record(struct locust *l, size_t *pos, struct record *r)
{
	const char *s = l->src->bytes;
	size_t len = l->src->len;
	if (*pos >= len)
		return false;
	size_t start = *pos, end = start;
	bool open = false;
	for (int lines = 0;; lines++) {
		const char *nl = memchr(s + end, '\n', len - end);
		size_t line_end = nl ? (size_t)(nl - s) : len;
		open = csv_quote_open_after(s + end, line_end - end, open);
		end = line_end;
		if (!nl || !open || lines + 1 >= MAX_RECORD_LINES) {
			*pos = nl ? line_end + 1 : len;
			break;
		}
		end = line_end + 1;
	}
	/* line ends, also the last ones of a record still open at the end of the input */
	while (end > start && (s[end - 1] == '\r' || s[end - 1] == '\n'))
		end--;
	r->text = s + start;
	r->len = end - start;
	r->offset = start;
	r->n = csv_split(r->text, r->len, r->f, MAX_COLUMNS, &l->scratch, &r->bad_at);
	return true;
}

static const struct csv_field *field(struct locust *l, const struct record *r, enum col c)
{
	return l->col[c] == SIZE_MAX ? NULL : &r->f[l->col[c]];
}

/* Whether column c holds numbers. */
static bool numeric_role(enum col c)
{
	return c != C_TYPE && c != C_NAME && c != C_ERROR && c != C_MESSAGE && c != C_TRACEBACK &&
	       c != C_NODES && c != C_FIRST_SEEN && c != C_LAST_SEEN && c != C__COUNT;
}

/*
 * Checks every number cell of a row before anything of it is recorded, so a row is used
 * whole or skipped whole: a number >= 0, or missing (N/A, empty, NaN). Reports the first bad
 * cell and returns false.
 */
static bool row_numbers_ok(struct locust *l, struct record *r)
{
	for (size_t i = 0; i < l->columns; i++) {
		const struct csv_field *f = &r->f[i];
		r->has_value[i] = false;
		if (!l->is_number[i])
			continue;
		double v;
		enum num_status st = num_parse_double(f->p, f->len, &v, NULL);
		r->value[i] = v;
		r->has_value[i] = st == NUM_OK && v >= 0;
		if (r->has_value[i] || st == NUM_MISSING || st == NUM_NAN)
			continue;
		skip(l, r, f->offset, "Locust CSV: '%.*s' is not a usable number (%s)", (int)f->len,
		     f->p, st == NUM_OK ? "negative" : num_status_name(st));
		return false;
	}
	return true;
}

/*
 * A number cell of r (as parsed by row_numbers_ok): false for an absent column (f NULL) or a
 * missing cell.
 */
static bool number(const struct record *r, const struct csv_field *f, double *out)
{
	if (!f || !r->has_value[f - r->f])
		return false;
	*out = r->value[f - r->f];
	return true;
}

/*
 * Text of a cell as a NUL-terminated string in l->text. Control bytes (NUL, newlines) and, in
 * a file that is not UTF-8, every non-ASCII byte are written as \xNN (locust_read warns once),
 * so no name is cut short or turned into wrong characters.
 */
static const char *cell_text(struct locust *l, const struct csv_field *f)
{
	buf_clear(&l->text);
	for (size_t i = 0; f && i < f->len; i++) {
		unsigned char c = (unsigned char)f->p[i];
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && l->legacy_encoding))
			buf_printf(&l->text, "\\x%02X", c);
		else
			buf_putc(&l->text, (char)c);
	}
	buf_putc(&l->text, '\0');
	return l->text.data;
}

/*
 * The endpoint of a row: NULL for the whole run (Name "Aggregated" or "Total" with no type or
 * type "None"), else "TYPE name" with the --group rules applied to name. *raw (may be NULL) gets
 * the name before the rules, the same pointer when no rule changed it.
 */
static const char *name_endpoint(struct locust *l, const struct csv_field *type,
				 const struct csv_field *name, bool no_type, const char **raw)
{
	char *method = no_type ? NULL : xstrdup(cell_text(l, type));
	char *text = xstrdup(cell_text(l, name));
	/* 0.x _distribution.csv has no Type column: its names are "METHOD path" */
	size_t word = strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (!type && word > 0 && text[word] == ' ' && text[word + 1]) {
		method = xstrndup(text, word);
		memmove(text, text + word + 1, strlen(text + word + 1) + 1);
	}
	const char *endpoint = builder_endpoint(l->b, method, text, strlen(text));
	*raw = endpoint;
	if (l->b->rules) {
		const struct endpoint_rules *rules = l->b->rules;
		l->b->rules = NULL;
		*raw = builder_endpoint(l->b, method, text, strlen(text));
		l->b->rules = rules;
		if (strcmp(*raw, endpoint) == 0)
			*raw = endpoint;
	}
	free(method);
	free(text);
	return endpoint;
}

static void memo_clear(struct locust *l)
{
	for (size_t i = 0; i < l->memo_size; i++)
		free(l->memo[i].cells);
	free(l->memo);
	l->memo = NULL;
	l->memo_size = l->memo_used = 0;
}

/* The slot of the cells (type may be NULL): where they are, or the free slot for them. */
static struct name_memo *memo_slot(struct name_memo *memo, size_t size, uint64_t hash,
				   const struct csv_field *type, const struct csv_field *name)
{
	size_t type_len = type ? type->len : 0;
	for (size_t i = hash & (size - 1);; i = (i + 1) & (size - 1)) {
		struct name_memo *m = &memo[i];
		if (!m->cells || (m->hash == hash && m->has_type == (type != NULL) &&
				  m->type_len == type_len && m->name_len == name->len &&
				  memcmp(m->cells, type ? type->p : "", type_len) == 0 &&
				  memcmp(m->cells + type_len, name->p, name->len) == 0))
			return m;
	}
}

static void memo_grow(struct locust *l)
{
	size_t size = l->memo_size ? 2 * l->memo_size : 64;
	struct name_memo *memo = xcalloc(size, sizeof *memo);
	for (size_t i = 0; i < l->memo_size; i++) {
		struct name_memo *m = &l->memo[i];
		if (!m->cells)
			continue;
		size_t j = m->hash & (size - 1);
		while (memo[j].cells)
			j = (j + 1) & (size - 1);
		memo[j] = *m;
	}
	free(l->memo);
	l->memo = memo;
	l->memo_size = size;
}

static const char *row_endpoint(struct locust *l, const struct record *r, const char **raw)
{
	const struct csv_field *type = field(l, r, C_TYPE), *name = field(l, r, C_NAME);
	bool no_type = !type || type->len == 0 || (type->len == 4 && memcmp(type->p, "None", 4) == 0);
	if (raw)
		*raw = NULL;
	if (no_type && (( name->len == 10 && memcmp(name->p, "Aggregated", 10) == 0) ||
			(name->len == 5 && memcmp(name->p, "Total", 5) == 0)))
		return NULL;
	uint64_t hash = str_fnv1a(hash_start, type ? type->p : "", type ? type->len : 0);
	hash = str_fnv1a(hash ^ (type != NULL), name->p, name->len);
	if (2 * (l->memo_used + 1) > l->memo_size)
		memo_grow(l);
	struct name_memo *m = memo_slot(l->memo, l->memo_size, hash, type, name);
	if (!m->cells) {
		size_t type_len = type ? type->len : 0;
		m->endpoint = name_endpoint(l, type, name, no_type, &m->raw);
		m->cells = xmalloc(type_len + name->len + 1);
		memcpy(m->cells, type ? type->p : "", type_len);
		memcpy(m->cells + type_len, name->p, name->len);
		m->type_len = type_len;
		m->name_len = name->len;
		m->has_type = type != NULL;
		m->hash = hash;
		l->memo_used++;
	}
	if (raw)
		*raw = m->raw;
	return m->endpoint;
}

/* ---- the files ---- */

/*
 * Sets a counter from a stats row unless another stats file of the run already did: 0.x wrote
 * the request count into both _requests.csv and _distribution.csv.
 */
static void count_once(struct locust *l, const char *metric, const char *endpoint, double value)
{
	if (!model_find_series(l->run, metric, endpoint, NULL, 0))
		builder_count(l->b, l->run, metric, endpoint, NULL, 0, value);
}

/* new mean of a series that had `before` samples and gets `count` more with mean `mean` */
static double combined_mean(const struct series *s, double before, double count, double mean)
{
	struct value old = model_series_stat(s, STAT_MEAN);
	if (old.kind == VALUE_MISSING || before + count <= 0)
		return mean;
	return (old.number * before + mean * count) / (before + count);
}

/*
 * A second row of one stats file for one endpoint: --group folded two names into it. Counts,
 * rates and sums add, means are weighted by count, min and max combine; percentiles of
 * different rows cannot be combined, so they are dropped (warned once per file).
 */
static void fold_stats_row(struct locust *l, const struct record *r, const char *endpoint,
			   double count, const struct totals *seen)
{
	/* counters belong to the file that set them (0.x writes counts into two files) */
	bool counters = seen->counted_file == l->file_index;
	struct builder *b = l->b;
	struct series *lat = builder_trend(b, l->run, "latency", endpoint, PREC_QUANTILES, UNIT_MS);
	struct value c0 = model_series_stat(lat, STAT_COUNT);
	double before = c0.kind == VALUE_MISSING ? 0 : c0.number, v;
	if (!l->warned_fold) {
		l->warned_fold = true;
		struct diag_loc loc;
		locate(l, r, 0, &loc);
		diag_report(b->diag, DIAG_PERCENTILES_DROPPED, &loc,
			    "--group folds several Locust rows into '%s'; their counts, means, min and "
			    "max are combined, but percentiles of different rows cannot be, so the "
			    "folded endpoints have none", endpoint);
	}
	builder_clear_quantiles(b, lat);
	builder_stat(b, lat, STAT_COUNT, before + count);
	if (counters)
		builder_count(b, l->run, "requests", endpoint, NULL, 0, count);
	if (counters && number(r, field(l, r, C_FAILS), &v))
		builder_count(b, l->run, "errors", endpoint, NULL, 0, v);
	if (count > 0) {
		struct value lo = model_series_stat(lat, STAT_MIN), hi = model_series_stat(lat, STAT_MAX);
		if (number(r, field(l, r, C_MIN), &v))
			builder_stat(b, lat, STAT_MIN, lo.kind == VALUE_MISSING ? v : fmin(lo.number, v));
		if (number(r, field(l, r, C_MAX), &v))
			builder_stat(b, lat, STAT_MAX, hi.kind == VALUE_MISSING ? v : fmax(hi.number, v));
		if (number(r, field(l, r, C_AVG), &v))
			builder_stat(b, lat, STAT_MEAN, combined_mean(lat, before, count, v));
		if (number(r, field(l, r, C_SIZE), &v)) {
			struct series *size = builder_trend(b, l->run, "response_size", endpoint,
							    PREC_QUANTILES, UNIT_BYTES);
			builder_stat(b, size, STAT_MEAN, combined_mean(size, before, count, v));
			builder_stat(b, size, STAT_COUNT, before + count);
			if (counters)
				builder_count(b, l->run, "bytes_in", endpoint, NULL, 0,
					      round(v * count));
		}
	}
	static const struct {
		enum col col;
		const char *metric;
	} rates[] = {{C_RPS, "rps"}, {C_FPS, "failures_per_s"}};
	for (size_t i = 0; i < PG_ARRAY_LEN(rates); i++) {
		if (!number(r, field(l, r, rates[i].col), &v))
			continue;
		struct series *s = builder_trend(b, l->run, rates[i].metric, endpoint,
						 PREC_QUANTILES, UNIT_PER_S);
		struct value old = model_series_stat(s, STAT_MEAN);
		builder_stat(b, s, STAT_MEAN, (old.kind == VALUE_MISSING ? 0 : old.number) + v);
	}
}

static bool stats_row(struct locust *l, const struct record *r)
{
	const char *endpoint = row_endpoint(l, r, NULL);
	double count, v;
	if (!number(r, field(l, r, C_COUNT), &count)) {
		skip(l, r, field(l, r, C_COUNT)->offset, "Locust CSV: the row has no request count");
		return false;
	}
	struct totals *seen = totals_for(l, endpoint);
	if (seen->stats_file == l->file_index) {
		fold_stats_row(l, r, endpoint, count, seen);
		return true;
	}
	seen->stats_file = l->file_index;
	if (!model_find_series(l->run, "requests", endpoint, NULL, 0))
		seen->counted_file = l->file_index;
	struct builder *b = l->b;
	struct series *lat = builder_trend(b, l->run, "latency", endpoint, PREC_QUANTILES, UNIT_MS);
	builder_stat(b, lat, STAT_COUNT, count);
	count_once(l, "requests", endpoint, count);
	if (number(r, field(l, r, C_FAILS), &v))
		count_once(l, "errors", endpoint, v);
	if (count > 0) {
		/* a row without requests has 0 for min/max/mean: not values of any request */
		if (number(r, field(l, r, C_MIN), &v))
			builder_stat(b, lat, STAT_MIN, v);
		if (number(r, field(l, r, C_MAX), &v))
			builder_stat(b, lat, STAT_MAX, v);
		if (number(r, field(l, r, C_AVG), &v))
			builder_stat(b, lat, STAT_MEAN, v);
		bool has_p50 = false;
		for (size_t i = 0; i < l->pct_count; i++) {
			if (!number(r, &r->f[l->pcts[i].col], &v))
				continue;
			builder_quantile(b, lat, l->pcts[i].q, v);
			has_p50 = has_p50 || l->pcts[i].q == 0.5;
		}
		/* Median Response Time only where no 50% column says it (0.x _requests.csv) */
		if (!has_p50 && number(r, field(l, r, C_MEDIAN), &v))
			builder_quantile(b, lat, 0.5, v);
		if (number(r, field(l, r, C_SIZE), &v)) {
			struct series *size = builder_trend(b, l->run, "response_size", endpoint,
							    PREC_QUANTILES, UNIT_BYTES);
			builder_stat(b, size, STAT_MEAN, v);
			builder_stat(b, size, STAT_COUNT, count);
			count_once(l, "bytes_in", endpoint, round(v * count));
		}
	}
	if (number(r, field(l, r, C_RPS), &v))
		builder_stat(b, builder_trend(b, l->run, "rps", endpoint, PREC_QUANTILES,
					      UNIT_PER_S), STAT_MEAN, v);
	if (number(r, field(l, r, C_FPS), &v))
		builder_stat(b, builder_trend(b, l->run, "failures_per_s", endpoint, PREC_QUANTILES,
					      UNIT_PER_S), STAT_MEAN, v);
	l->have_stats = true;
	l->any_data = true;
	return true;
}

/* Values per pending row of t: one per series slot. */
static size_t history_slots(const struct totals *t)
{
	return H_PERCENTILES + t->pct_count;
}

/*
 * Gives t's pending history rows to their series, series by series and each in row order: a
 * series is fed by one name only (without --group rules), so it gets the same samples in the
 * same order as if each row had been given at once, and the same bits.
 */
static void history_flush(struct locust *l, struct totals *t)
{
	size_t slots = history_slots(t);
	for (size_t k = 0; k < slots && t->pending_len > 0; k++) {
		struct series *s = t->history[k];
		if (!s)
			continue;
		for (unsigned i = 0; i < t->pending_len; i++) {
			double v = t->pending[i * slots + k];
			if (isnan(v))
				continue;
			if (k == H_REQUESTS || k == H_ERRORS)
				builder_timeline_add(l->b, s, t->pending_at[i], v);
			else
				builder_sample(l->b, s, t->pending_at[i], v);
		}
	}
	t->pending_len = 0;
}

static void history_flush_all(struct locust *l)
{
	for (size_t i = 0; i < l->table_size; i++)
		if (l->table[i].used && l->table[i].pending_len > 0)
			history_flush(l, &l->table[i]);
}

static void history_free(struct totals *t)
{
	free(t->history);
	free(t->pending_at);
	free(t->pending);
	t->history = NULL;
	t->pending_at = NULL;
	t->pending = NULL;
}

/* Starts a pending row of t at time_us, every value absent (NAN). */
static void history_row_start(struct locust *l, struct totals *t, int64_t time_us)
{
	if (t->history_header != l->header_count || t->history_run != l->run) {
		history_flush(l, t);
		history_free(t);
		t->pct_count = l->pct_count;
		t->history = xcalloc(history_slots(t), sizeof *t->history);
		t->pending_at = xcalloc(HISTORY_BATCH, sizeof *t->pending_at);
		t->pending = xcalloc(HISTORY_BATCH * history_slots(t), sizeof *t->pending);
		t->history_header = l->header_count;
		t->history_run = l->run;
	}
	t->pending_at[t->pending_len] = time_us;
	double *row = &t->pending[t->pending_len * history_slots(t)];
	for (size_t k = 0; k < history_slots(t); k++)
		row[k] = NAN;
}

/* Ends t's pending row: the batch is given to the series when full, or at once with rules. */
static void history_row_end(struct locust *l, struct totals *t, bool at_once)
{
	t->pending_len++;
	if (at_once || t->pending_len == HISTORY_BATCH)
		history_flush(l, t);
}

/*
 * The series of t's history slot k, found in the model the first time (a name's rows come
 * once a second: looking each one up again was most of a wide history's time), with a
 * timeline; value is its sample in the pending row.
 */
static void history_value(struct locust *l, struct totals *t, size_t k, const char *metric,
			  const char *endpoint, enum series_kind kind, enum unit unit, double value)
{
	if (!t->history[k]) {
		t->history[k] = builder_series(l->b, l->run, metric, endpoint, NULL, 0, kind,
					       PREC_EXACT, unit);
		builder_timeline(l->b, t->history[k], false);
	}
	t->pending[t->pending_len * history_slots(t) + k] = value;
}

/* A gauge series (slot k of t's) sampled in the pending row. */
static void gauge_sample(struct locust *l, struct totals *t, size_t k, const char *metric,
			 const char *endpoint, enum unit unit, double value)
{
	history_value(l, t, k, metric, endpoint, SERIES_GAUGE, unit, value);
}

/* The growth of a cumulative Total column, for a counter's (slot k of t's) timeline. */
static void counter_growth(struct locust *l, struct totals *t, size_t k, const char *metric,
			   const char *endpoint, double now, double *before)
{
	/* a total that shrank was reset (--reset-stats): everything since counts */
	double growth = now >= *before ? now - *before : now;
	*before = now;
	history_value(l, t, k, metric, endpoint, SERIES_COUNTER, UNIT_COUNT, growth);
}

static bool history_row(struct locust *l, const struct record *r)
{
	double stamp, v;
	const struct csv_field *tf = field(l, r, C_TIME);
	if (!number(r, tf, &stamp) || stamp < 0 || stamp > 4102444800.0 /* 2100 */) {
		skip(l, r, tf->offset, "Locust CSV: Timestamp '%.*s' is not Unix seconds",
			     (int)tf->len, tf->p);
		return false;
	}
	int64_t at = (int64_t)llround(stamp * 1e6);
	const char *raw;
	const char *endpoint = row_endpoint(l, r, &raw);
	if (at < l->first_us)
		l->first_us = at;
	if (at > l->last_us)
		l->last_us = at;
	l->any_data = true;
	/* cumulative totals are per name as written; their growth goes to the folded series */
	struct totals *t = totals_for(l, raw);
	history_row_start(l, t, at);
	if (!endpoint && number(r, field(l, r, C_USERS), &v)) {
		gauge_sample(l, t, H_CONCURRENCY, "concurrency", NULL, UNIT_COUNT, v);
		if (!(v <= l->max_users))
			l->max_users = v;
	}
	/*
	 * rates and percentiles of rows that --group folds together cannot be combined, and a
	 * name a rule leaves alone may share its endpoint with renamed ones: with rules, only
	 * the run's (Aggregated) gauges are kept
	 */
	bool rules = l->b->rules && endpoint_rules_count(l->b->rules) > 0;
	bool folded = endpoint && rules;
	if (!folded && number(r, field(l, r, C_RPS), &v))
		gauge_sample(l, t, H_RPS, "history_rps", endpoint, UNIT_PER_S, v);
	if (!folded && number(r, field(l, r, C_FPS), &v))
		gauge_sample(l, t, H_FPS, "history_failures_per_s", endpoint, UNIT_PER_S, v);
	for (size_t i = 0; i < l->pct_count && !folded; i++)
		if (number(r, &r->f[l->pcts[i].col], &v))
			gauge_sample(l, t, H_PERCENTILES + i, l->pcts[i].suffix, endpoint, UNIT_MS, v);
	/* a history row carries the same Total columns as the stats file, cumulative */
	const struct csv_field *count = field(l, r, C_T_COUNT) ? field(l, r, C_T_COUNT)
							       : field(l, r, C_COUNT);
	if (number(r, count, &v))
		counter_growth(l, t, H_REQUESTS, "requests", endpoint, v, &t->requests);
	if (!endpoint && number(r, count, &v) && at >= l->history_total_us) {
		l->history_total = v;
		l->history_total_us = at;
		l->history_name = l->src->name;
	}
	const struct csv_field *fails = field(l, r, C_T_FAILS) ? field(l, r, C_T_FAILS)
							       : field(l, r, C_FAILS);
	if (number(r, fails, &v))
		counter_growth(l, t, H_ERRORS, "errors", endpoint, v, &t->failures);
	/* with rules, several names feed one series: given at once, in row order */
	history_row_end(l, t, rules);
	static const enum col stat_cols[] = {C_T_MEDIAN, C_T_AVG, C_T_MIN, C_T_MAX, C_T_SIZE};
	double *stat_out[] = {&t->median, &t->avg, &t->min, &t->max, &t->size};
	t->folded = endpoint;
	for (size_t i = 0; i < PG_ARRAY_LEN(stat_cols); i++)
		*stat_out[i] = number(r, field(l, r, stat_cols[i]), &v) ? v : NAN;
	t->time_us = at;
	l->have_history_totals = true;
	return true;
}

/* Totals from the last history row of each endpoint, for a run without a stats file. */
static void totals_from_history(struct locust *l)
{
	struct builder *b = l->b;
	for (size_t i = 0; i < l->table_size; i++) {
		const struct totals *t = &l->table[i];
		if (!t->used || t->time_us == INT64_MIN)
			continue; /* not a name of the history file */
		struct series *lat = builder_trend(b, l->run, "latency", t->folded,
						   PREC_QUANTILES, UNIT_MS);
		/* several names folded by --group into one endpoint add up */
		struct value c0 = model_series_stat(lat, STAT_COUNT);
		double before = c0.kind == VALUE_MISSING ? 0 : c0.number;
		builder_stat(b, lat, STAT_COUNT, before + t->requests);
		builder_count(b, l->run, "requests", t->folded, NULL, 0, t->requests);
		builder_count(b, l->run, "errors", t->folded, NULL, 0, t->failures);
		if (t->requests <= 0)
			continue;
		struct value lo = model_series_stat(lat, STAT_MIN), hi = model_series_stat(lat, STAT_MAX);
		if (!isnan(t->min))
			builder_stat(b, lat, STAT_MIN, before && lo.kind != VALUE_MISSING
							      ? fmin(lo.number, t->min) : t->min);
		if (!isnan(t->max))
			builder_stat(b, lat, STAT_MAX, before && hi.kind != VALUE_MISSING
							      ? fmax(hi.number, t->max) : t->max);
		if (!isnan(t->avg))
			builder_stat(b, lat, STAT_MEAN, combined_mean(lat, before, t->requests, t->avg));
		if (before == 0 && !isnan(t->median))
			builder_quantile(b, lat, 0.5, t->median);
		else
			builder_clear_quantiles(b, lat);
	}
}

/* Adds value to counter metric for the endpoint and the run, tagged key=text and untagged. */
static void breakdown(struct locust *l, const char *metric, const char *endpoint,
		      const char *key, const char *text, double value, bool totals)
{
	struct tag tag = {key, text};
	if (endpoint)
		builder_count(l->b, l->run, metric, endpoint, &tag, 1, value);
	builder_count(l->b, l->run, metric, NULL, &tag, 1, value);
	if (totals) {
		if (endpoint)
			builder_count(l->b, l->run, metric, endpoint, NULL, 0, value);
		builder_count(l->b, l->run, metric, NULL, NULL, 0, value);
	}
}

static bool failures_row(struct locust *l, const struct record *r)
{
	double count;
	const struct csv_field *occ = field(l, r, C_OCCURRENCES);
	if (!number(r, occ, &count)) {
		skip(l, r, occ->offset, "Locust CSV: Occurrences is empty");
		return false;
	}
	const char *endpoint = row_endpoint(l, r, NULL);
	/* the run's error totals come from the stats file when there is one (see locust_end) */
	breakdown(l, "errors", endpoint, "error", cell_text(l, field(l, r, C_ERROR)), count,
		  false);
	l->failure_sum += count;
	l->have_failures = true;
	l->any_data = true;
	return true;
}

static bool exceptions_row(struct locust *l, const struct record *r)
{
	double count;
	const struct csv_field *cf = field(l, r, C_EXC_COUNT);
	if (!number(r, cf, &count)) {
		skip(l, r, cf->offset, "Locust CSV: Count is empty");
		return false;
	}
	breakdown(l, "exceptions", NULL, "message", cell_text(l, field(l, r, C_MESSAGE)),
		  count, true);
	l->any_data = true;
	return true;
}

/* Reads the header record; reports and returns false when it is not a Locust header. */
static bool read_header(struct locust *l, const struct record *r)
{
	bool has[C__COUNT + 1] = {0};
	for (size_t c = 0; c < C__COUNT; c++)
		l->col[c] = SIZE_MAX;
	l->pct_count = 0;
	l->header_count++;
	if (r->n > 0 && r->n <= MAX_COLUMNS) {
		for (size_t i = 0; i < (size_t)r->n; i++) {
			const struct csv_field *f = &r->f[i];
			enum col c = column_role(f->p, f->len);
			if (c != C__COUNT && l->col[c] == SIZE_MAX) {
				l->col[c] = i;
				has[c] = true;
				continue;
			}
			double percent = column_percent(f->p, f->len);
			if (percent >= 0 && l->pct_count < MAX_PERCENTILES) {
				char digits[32];
				str_format_double(digits, percent);
				l->pcts[l->pct_count].col = i;
				l->pcts[l->pct_count].q = model_quantile_of_percent(percent);
				l->pcts[l->pct_count].suffix =
					arena_printf(&l->b->model->arena, "history_p%s", digits);
				l->pct_count++;
			}
		}
	}
	l->columns = r->n > 0 ? (size_t)r->n : 0;
	for (size_t i = 0; i < MAX_COLUMNS; i++) {
		bool number_col = false;
		for (size_t c = 0; c < C__COUNT && !number_col; c++)
			number_col = l->col[c] == i && numeric_role((enum col)c);
		for (size_t k = 0; k < l->pct_count && !number_col; k++)
			number_col = l->pcts[k].col == i;
		l->is_number[i] = number_col;
	}
	l->kind = kind_of(has);
	/* a header alone is a complete failures or exceptions file: there were none */
	if (l->kind == F_FAILURES || l->kind == F_EXCEPTIONS)
		l->any_data = true;
	if (l->kind == F_EXCEPTIONS)
		builder_count(l->b, l->run, "exceptions", NULL, NULL, 0, 0);
	if (l->kind != F_UNKNOWN)
		return true;
	struct diag_loc loc;
	locate(l, r, 0, &loc);
	diag_report(l->b->diag, DIAG_MISSING_FIELD, &loc,
		    "not a Locust CSV header: a stats file needs the columns Name and Request "
		    "Count, a history file Timestamp and Name, a failures file Name, Error and "
		    "Occurrences, an exceptions file Count and Message");
	return false;
}

/* Columns a file of its kind normally has; their absence is worth a warning. */
static void check_columns(struct locust *l, const struct record *r)
{
	static const struct {
		enum file_kind kind;
		enum col col;
		const char *name;
		const char *lost;
	} expected[] = {
		{F_STATS, C_FAILS, "Failure Count", "errors are unknown"},
		{F_HISTORY, C_USERS, "User Count", "concurrency is unknown"},
		{F_HISTORY, C_T_COUNT, "Total Request Count", "requests over time are unknown"},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(expected); i++) {
		if (expected[i].kind != l->kind || l->col[expected[i].col] != SIZE_MAX)
			continue;
		/* 0.x files name the column differently or lack it by design */
		if (expected[i].col == C_FAILS && l->col[C_MEDIAN] == SIZE_MAX)
			continue;
		if (expected[i].col == C_T_COUNT && l->col[C_COUNT] != SIZE_MAX)
			continue;
		struct diag_loc loc;
		locate(l, r, 0, &loc);
		diag_report(l->b->diag, DIAG_COLUMN_MISSING, &loc,
			    "Locust %s file without a '%s' column: %s", kind_names[l->kind],
			    expected[i].name, expected[i].lost);
	}
}

/* Whether s[0..len) is the start of one UTF-8 sequence cut by the end of the file. */
static bool utf8_cut_tail(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t need = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
		    : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (len >= need)
		return false;
	for (size_t i = 1; i < len; i++)
		if ((unsigned char)s[i] < 0x80 || (unsigned char)s[i] > 0xBF)
			return false;
	return true;
}

struct locust *locust_begin(struct builder *b)
{
	struct locust *l = xcalloc(1, sizeof *l);
	l->b = b;
	l->run = builder_run(b, "locust", NULL, 0, false);
	l->first_us = INT64_MAX;
	l->last_us = INT64_MIN;
	l->history_total_us = INT64_MIN;
	l->max_users = NAN;
	buf_init(&l->scratch);
	buf_init(&l->text);
	return l;
}

bool locust_read(struct locust *l, struct source *src)
{
	l->src = src;
	l->file_index++;
	memo_clear(l); /* names are read by each file's rules (its encoding, its columns) */
	l->warned_fold = false;
	size_t body = src->len - src->body;
	size_t valid = str_utf8_valid(src->bytes + src->body, body);
	l->legacy_encoding = valid != body && !utf8_cut_tail(src->bytes + src->body + valid,
							    body - valid);
	if (l->legacy_encoding) {
		struct diag_loc loc;
		source_locate(src, src->body + valid, 1, &loc);
		diag_report(l->b->diag, DIAG_NOT_UTF8, &loc,
			    "Locust CSV: the file is not UTF-8 (Locust 1.0 on Windows wrote the "
			    "system code page, such as GBK); non-ASCII bytes of names are kept as "
			    "\\xNN escapes");
	}
	l->b->path = src->name;
	builder_run_source(l->b, l->run, src->name);
	/* skips are counted and shown per file */
	uint64_t skipped_before = l->b->skipped, shown_before = l->b->skips_shown;
	l->b->skipped = l->b->skips_shown = 0;
	size_t pos = src->body;
	struct record r;
	bool header = false, ok = true;
	uint64_t rows = 0, rows_used = 0, lines = 0;
	while (next_record(l, &pos, &r)) {
		for (size_t i = 0; i < r.len; i++)
			lines += r.text[i] == '\n';
		lines++;
		if (r.len == 0)
			continue;
		if (!header) {
			header = true;
			if (!read_header(l, &r)) {
				ok = false;
				break;
			}
			check_columns(l, &r);
			continue;
		}
		rows++;
		if (r.n < 0) {
			skip(l, &r, r.bad_at, "Locust CSV: a quoted field is not closed");
			continue;
		}
		if ((size_t)r.n != l->columns) {
			skip(l, &r, (size_t)r.n < l->columns || l->columns >= MAX_COLUMNS
					    ? r.len : r.f[l->columns].offset,
			     "Locust CSV: %ld fields, the header has %zu", r.n, l->columns);
			continue;
		}
		if (!row_numbers_ok(l, &r))
			continue;
		bool used = false;
		switch (l->kind) {
		case F_STATS:
			used = stats_row(l, &r);
			break;
		case F_HISTORY:
			used = history_row(l, &r);
			break;
		case F_FAILURES:
			used = failures_row(l, &r);
			break;
		case F_EXCEPTIONS:
			used = exceptions_row(l, &r);
			break;
		case F_UNKNOWN:
			break;
		}
		rows_used += used;
	}
	history_flush_all(l);
	if (!header) {
		struct diag_loc loc = source_file_loc(src->name);
		diag_report(l->b->diag, DIAG_NO_DATA, &loc, "Locust CSV: no header line");
		ok = false;
	}
	builder_report_skips(l->b, lines);
	if (ok && rows > 0 && rows_used == 0) {
		struct diag_loc loc = source_file_loc(src->name);
		diag_report(l->b->diag, DIAG_NO_DATA, &loc,
			    "Locust CSV: none of the %llu rows could be used",
			    (unsigned long long)rows);
		ok = false;
	}
	l->b->skipped += skipped_before;
	l->b->skips_shown = shown_before;
	return ok;
}

/*
 * Locust 2.x rewrites its --csv files every second but flushes them only every 10 s and not at
 * shutdown (locust/stats.py, CSV_STATS_FLUSH_INTERVAL_SEC), while the stats file is written
 * once more at exit: a history whose last Aggregated total is below the stats file's Request
 * Count stopped early (a 10 s run shows none of it). Then the run lasted Request Count /
 * Requests/s seconds (how Locust computes Requests/s) from the first history row, *end_us is
 * moved there, a warning says so, and true is returned.
 */
static bool history_cut_short(struct locust *l, int64_t *end_us)
{
	if (!l->have_stats || l->history_total_us == INT64_MIN)
		return false;
	struct request_totals t = model_run_totals_at(l->run, NULL);
	if (t.requests.kind == VALUE_MISSING || t.rps.kind == VALUE_MISSING ||
	    !(t.rps.number > 0) || !(l->history_total < t.requests.number))
		return false;
	double seconds = t.requests.number / t.rps.number;
	double end = (double)l->first_us + seconds * 1e6;
	struct diag_loc loc = source_file_loc(l->history_name);
	char a[32], c[32], s[32];
	str_format_double(a, l->history_total);
	str_format_double(c, t.requests.number);
	str_format_double(s, str_round_significant(seconds, 4));
	/* (double)TIME_MAX_US rounds up, to 10000-01-01: strictly below it is in range */
	if (!(end >= (double)l->last_us && end < (double)TIME_MAX_US)) {
		/* a duration the history itself contradicts, or past year 9999: not taken */
		diag_report(l->b->diag, DIAG_HISTORY_CUT_SHORT, &loc,
			    "the stats history of run '%s' stops at %s of its %s requests, but "
			    "Request Count / Requests/s = %s s does not fit its times: the run's end "
			    "stays at its last history row", l->run->label, a, c, s);
		return false;
	}
	*end_us = (int64_t)llround(end);
	diag_report(l->b->diag, DIAG_HISTORY_CUT_SHORT, &loc,
		    "the stats history of run '%s' stops at %s of its %s requests (Locust flushes "
		    "its CSV files every 10 s and not at exit): the run lasted Request Count / "
		    "Requests/s = %s s%s", l->run->label, a, c, s,
		    !(l->max_users > 0) ? "; its users are unknown" : "");
	return true;
}

bool locust_end(struct locust *l)
{
	struct builder *b = l->b;
	struct run *run = l->run;
	if (!l->have_stats && l->have_history_totals)
		totals_from_history(l);
	else if (!l->have_stats && l->have_failures)
		builder_count(b, run, "errors", NULL, NULL, 0, l->failure_sum);
	int64_t end_us = l->last_us;
	bool cut = history_cut_short(l, &end_us);
	/* users seen in a history cut short before any request: not the run's, unknown */
	if (!isnan(l->max_users) && !(cut && !(l->max_users > 0)))
		builder_run_concurrency(b, run, l->max_users, "users");
	if (l->first_us <= l->last_us)
		builder_run_span(b, run, l->first_us, end_us);
	bool ok = l->any_data;
	if (!ok) {
		struct diag_loc loc = source_file_loc(b->path);
		diag_report(b->diag, DIAG_NO_DATA, &loc, "Locust CSV: no rows with data");
	}
	buf_fini(&l->scratch);
	buf_fini(&l->text);
	memo_clear(l);
	for (size_t i = 0; i < l->table_size; i++)
		history_free(&l->table[i]);
	free(l->table);
	free(l);
	return ok;
}

bool locust_parse(struct source *src, struct builder *b)
{
	struct locust *l = locust_begin(b);
	bool ok = locust_read(l, src);
	/* a file that failed already said why; do not add "no rows" to it */
	if (!ok)
		l->any_data = true;
	return locust_end(l) && ok;
}
