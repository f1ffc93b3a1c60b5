/*
 * wrk.c - front end for wrk and wrk2 text output (FORMATS.md §4, formats/wrk.md).
 *
 * wrk prints a human summary, and people save it wrapped in other text: shell prompts, the
 * command line, notes, Lua print() output, several runs one after another. So the document is
 * scanned for `Running <duration> test @ <url>` lines; each opens a block that runs to the next
 * such line or to the end, and everything outside blocks is ignored. A block becomes one run
 * (tool "wrk2" when it has Thread calibration lines or an HdrHistogram section). Inside a block
 * each line is recognised by its words, never by its position, so notes between blocks and Lua
 * output after `Transfer/sec:` are skipped. A block is read in two steps: read_block collects
 * what it printed into a struct block, emit_block turns that into series, so the precision of
 * a series (a wrk2 spectrum gives a histogram) is known before it is created.
 *
 * Numbers carry wrk's units (us, ms, s, m = minutes, h; k, M, G, T; B, KB .. TB) and are
 * converted with num_parse_scaled, one rounding from the exact decimal, so a value here is the
 * double nearest what wrk printed. -nan and inf (printed for empty statistics) are left out.
 * Problems inside a block are warnings with their position; a block without its
 * `N requests in T, X read` line cannot be used and is an error; a block cut short after it is
 * kept with a warning. Nothing here allocates outside the builder's model except the list of
 * block starts and each block's spectrum rows (heap, freed before wrk_parse returns).
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/num.h"
#include "ingest.h"

/* At most this many DIAG_VALUE_SKIPPED warnings per input are shown; the rest are counted. */
enum { WRK_MAX_SHOWN = 10 };

/* ---- lines and words ---- */

/* A word of a line: bytes [p, p + len) of the source. */
struct word {
	const char *p;
	size_t len;
};

enum { MAX_WORDS = 12 };

struct line {
	const char *p;      /* first byte of the line */
	size_t len;         /* bytes without the line end ("\n", "\r\n") */
	struct word words[MAX_WORDS]; /* blank-separated words; the rest of a longer line is in
					 the last one */
	size_t word_count;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits line->p into words (blanks separate; at most MAX_WORDS, the last takes the rest). */
static void split_words(struct line *line)
{
	const char *p = line->p, *end = line->p + line->len;
	line->word_count = 0;
	while (p < end) {
		while (p < end && is_blank(*p))
			p++;
		if (p == end)
			break;
		struct word *w = &line->words[line->word_count++];
		w->p = p;
		if (line->word_count == MAX_WORDS) {
			const char *e = end;
			while (e > p && is_blank(e[-1]))
				e--;
			w->len = (size_t)(e - p);
			return;
		}
		while (p < end && !is_blank(*p))
			p++;
		w->len = (size_t)(p - w->p);
	}
}

/* True when text occurs in the line. */
static bool line_contains(const struct line *line, const char *text)
{
	size_t n = strlen(text);
	for (size_t i = 0; i + n <= line->len; i++)
		if (memcmp(line->p + i, text, n) == 0)
			return true;
	return false;
}

static bool word_is(const struct word *w, const char *text)
{
	return w->len == strlen(text) && memcmp(w->p, text, w->len) == 0;
}

/* True when the line's words start with the given words (a NULL-terminated list). */
static bool words_start(const struct line *line, const char *const *texts)
{
	size_t i = 0;
	for (; texts[i]; i++)
		if (i >= line->word_count || !word_is(&line->words[i], texts[i]))
			return false;
	return true;
}

#define STARTS(line, ...) words_start(line, (const char *const[]){__VA_ARGS__, NULL})

/* The next line at *offset (advanced past its end), or false at the end of the input. */
static bool next_line(const struct source *src, size_t *offset, struct line *line)
{
	if (*offset >= src->len)
		return false;
	const char *start = src->bytes + *offset;
	const char *nl = memchr(start, '\n', src->len - *offset);
	size_t len = nl ? (size_t)(nl - start) : src->len - *offset;
	*offset += len + (nl != NULL);
	if (len && start[len - 1] == '\r')
		len--;
	line->p = start;
	line->len = len;
	split_words(line);
	return true;
}

/*
 * `Running <duration> test @ <url>`: the line that opens a block (leading blanks allowed).
 * On success, *duration and *url are its duration word and the URL (rest of the line).
 */
static bool is_running_line(const struct line *line, struct word *duration, struct word *url)
{
	if (line->word_count < 5 || !word_is(&line->words[0], "Running") ||
	    !word_is(&line->words[2], "test") || !word_is(&line->words[3], "@"))
		return false;
	*duration = line->words[1];
	*url = line->words[4];
	url->len = (size_t)(line->p + line->len - url->p);
	while (url->len && is_blank(url->p[url->len - 1]))
		url->len--;
	return true;
}

int wrk_sniff(const char *prefix, size_t len)
{
	struct source src = {.bytes = prefix, .len = len};
	size_t offset = 0;
	struct line line;
	struct word duration, url;
	while (next_line(&src, &offset, &line))
		if (is_running_line(&line, &duration, &url))
			return 80;
	return 0;
}

/* ---- units ---- */

/* A unit suffix and what one of it is: value = number * multiplier * 10^exp10. */
struct unit_suffix {
	const char *suffix;
	uint64_t multiplier;
	int exp10;
};

/* Times, in ms. format_time_us switches us -> ms -> s -> m (minutes); h is never printed. */
static const struct unit_suffix time_units[] = {
	{"us", 1, -3}, {"ms", 1, 0}, {"s", 1, 3}, {"m", 6, 4}, {"h", 36, 5}, {NULL, 0, 0},
};
/* Durations, in s: the header's `Running 30s test` and the run time `requests in 10.01s`. */
static const struct unit_suffix second_units[] = {
	{"us", 1, -6}, {"ms", 1, -3}, {"s", 1, 0}, {"m", 6, 1}, {"h", 36, 2}, {NULL, 0, 0},
};
/* Per-second counts (format_metric): none, k, M, G, T, powers of 1000. */
static const struct unit_suffix metric_units[] = {
	{"k", 1, 3}, {"M", 1, 6}, {"G", 1, 9}, {"T", 1, 12}, {"", 1, 0}, {NULL, 0, 0},
};
/* Bytes (format_binary + "B"): B, KB, MB, GB, TB, powers of 1024. */
static const struct unit_suffix byte_units[] = {
	{"KB", UINT64_C(1) << 10, 0}, {"MB", UINT64_C(1) << 20, 0}, {"GB", UINT64_C(1) << 30, 0},
	{"TB", UINT64_C(1) << 40, 0}, {"B", 1, 0}, {NULL, 0, 0},
};

enum value_status { VALUE_OK, VALUE_NONE, VALUE_BAD };

/*
 * Reads a word like "1.90ms" with one of the units: VALUE_OK and *out, VALUE_NONE for a NaN or
 * infinite value (wrk prints -nan for an empty statistic), VALUE_BAD otherwise. Suffixes are
 * tried in table order, longest spelling first ("ms" before "m" and "s").
 */
static enum value_status read_value(const struct word *w, const struct unit_suffix *units,
				    double *out)
{
	for (const struct unit_suffix *u = units; u->suffix; u++) {
		size_t n = strlen(u->suffix);
		if (w->len <= n || memcmp(w->p + w->len - n, u->suffix, n) != 0)
			continue;
		enum num_status status = num_parse_scaled(w->p, w->len - n, u->multiplier, u->exp10,
							  out, NULL);
		if (status == NUM_OK)
			return *out >= 0 ? VALUE_OK : VALUE_BAD;
		if (status == NUM_NAN || status == NUM_INF)
			return VALUE_NONE;
	}
	return VALUE_BAD;
}

/* ---- one block ---- */

/* A value as printed: set when read, with the word it came from (for messages). */
struct printed {
	double value;
	bool set;
};

/* One row of a wrk2 `Detailed Percentile spectrum`. */
struct spectrum_row {
	double value_ms;    /* Value: the highest value of the row's bucket, in ms */
	int64_t total;      /* TotalCount: samples at or below that bucket */
};

/* One HdrHistogram section of wrk2: Recorded (corrected) or Uncorrected latency. */
struct hdr_section {
	bool present;                 /* its `Latency Distribution (HdrHistogram - ...)` line */
	double percents[16];          /* the distribution lines: percentile and value (ms) */
	double values[16];
	size_t point_count;
	struct spectrum_row *rows;    /* heap (xgrow); freed by block_fini */
	size_t row_count, row_cap;
	struct printed mean, stddev, max, total; /* the #[...] footer */
	struct word total_word;       /* where the footer's Total count is */
};

enum section {
	IN_NONE,          /* anywhere else */
	IN_DISTRIBUTION,  /* after wrk's `Latency Distribution` */
	IN_HDR,           /* after wrk2's `Latency Distribution (HdrHistogram - ...)` */
	IN_SPECTRUM,      /* after `Detailed Percentile spectrum:` */
};

struct block {
	size_t index;             /* 0-based position among the blocks of the input */
	size_t running_offset;    /* where its `Running` line starts */
	size_t end;               /* offset past its last byte (next `Running` line or end) */
	struct word duration_word;
	bool wrk2;                /* calibration lines or an HdrHistogram section */
	struct printed threads, connections; /* threads are read (and checked), not kept */
	struct printed latency[3]; /* the Latency row: mean, stddev, max (ms) */
	double latency_resolution[3]; /* ms of each one's last printed digit (0.01 of its unit) */
	bool latency_empty;       /* the Latency row printed placeholders: no samples */
	struct printed rate[3];   /* Req/Sec (per-thread rps): mean, stddev, max */
	double percents[8];       /* wrk's Latency Distribution */
	double values[8];
	size_t point_count;
	struct hdr_section hdr[2]; /* [0] Recorded -> latency, [1] Uncorrected */
	struct printed requests, runtime_s, bytes_read;
	bool have_requests_line;
	struct printed socket[4]; /* connect, read, write, timeout */
	struct printed non2xx;
	struct printed requests_per_s, transfer_per_s;
	bool done;                /* `Transfer/sec:` seen: the block is complete */
	bool errors_known;        /* past the lines that report errors (Requests/sec seen) */
	bool errors_unreadable;   /* a Socket errors or Non-2xx line could not be read whole */
	size_t last_line;         /* offset of the first word of its last non-blank line */
};

static const char *const socket_names[] = {"connect", "read", "write", "timeout"};

/* Parsing state of one input. */
struct wrk {
	struct source *src;
	struct builder *b;
	unsigned long skipped;     /* DIAG_VALUE_SKIPPED warnings, shown or not */
	bool ok;
};

static void block_fini(struct block *k)
{
	for (size_t i = 0; i < 2; i++)
		free(k->hdr[i].rows);
}

/* A warning at a word of the input, the first WRK_MAX_SHOWN per input (then only counted). */
static void skip_value(struct wrk *w, const struct word *at, const char *fmt, ...) PG_PRINTF(3, 4);
static void skip_value(struct wrk *w, const struct word *at, const char *fmt, ...)
{
	if (w->skipped++ >= WRK_MAX_SHOWN)
		return;
	struct diag_loc loc;
	source_locate(w->src, (size_t)(at->p - w->src->bytes), at->len ? at->len : 1, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(w->b->diag, DIAG_VALUE_SKIPPED, &loc, fmt, ap);
	va_end(ap);
}

/* Reads a value word into *p, or warns (a NaN or infinite value is simply absent). */
static void read_into(struct wrk *w, const struct word *word, const struct unit_suffix *units,
		      const char *what, struct printed *p)
{
	double v;
	enum value_status status = read_value(word, units, &v);
	if (status == VALUE_OK)
		*p = (struct printed){v, true};
	else if (status == VALUE_BAD)
		skip_value(w, word, "%s '%.*s' is not a number with a wrk unit; left out", what,
			   (int)word->len, word->p);
	else
		skip_value(w, word, "%s '%.*s' is not a value (wrk prints nan or inf for a "
			   "statistic it could not compute); left out", what, (int)word->len,
			   word->p);
}

/*
 * Reads a count ("88124"). wrk keeps its error counters in uint32_t and prints them with %d
 * (wrk.c main), so for those (wraps32) a negative count is the counter above 2^31: -1 means
 * 4294967295.
 */
static void read_count(struct wrk *w, const struct word *word, const char *what, bool wraps32,
		       struct printed *p)
{
	int64_t v;
	if (num_parse_int(word->p, word->len, &v, NULL) != NUM_OK ||
	    v < (wraps32 ? INT32_MIN : 0)) {
		skip_value(w, word, "%s '%.*s' is not a count; left out", what, (int)word->len,
			   word->p);
		return;
	}
	*p = (struct printed){v < 0 ? (double)v + 4294967296.0 : (double)v, true};
}

/* The ms of the last printed digit of a time word: 0.01 of its unit ("355.73us": 1e-5). */
static double time_resolution(const struct word *w)
{
	for (const struct unit_suffix *u = time_units; u->suffix; u++) {
		size_t n = strlen(u->suffix);
		if (w->len > n && memcmp(w->p + w->len - n, u->suffix, n) == 0)
			return 0.01 * (double)u->multiplier * pow(10, u->exp10);
	}
	return INFINITY;
}

/*
 * `Latency 1.90ms 2.36ms 64.56ms 99.10%` or `Req/Sec 12.22k 3.10k 19.04k 71.57%`. A statistic
 * without samples prints placeholders: wrk `0.00us 0.00us 0.00us -nan%` (the share within one
 * stddev is 0/0), wrk2 `-nan -nan 0.00 0.00%` (the mean is 0/0). Such a row says nothing and
 * is left out whole (returns false); so is a row with fewer than three values.
 */
static bool read_stats_row(struct wrk *w, const struct line *line,
			   const struct unit_suffix *units, struct printed *stats)
{
	const char *name = units == time_units ? "latency" : "Req/Sec";
	if (line->word_count < 4) {
		skip_value(w, &line->words[0], "the %s row has %zu value(s), not 3 and a percentage; "
			   "left out", name, line->word_count - 1);
		return false;
	}
	double v;
	if (read_value(&line->words[1], units, &v) == VALUE_NONE) {
		skip_value(w, &line->words[1], "the %s row's mean '%.*s' is not a value (no samples, "
			   "or wrk could not compute it); the row is left out", name,
			   (int)line->words[1].len, line->words[1].p);
		return false;
	}
	const struct word *share = &line->words[4];
	if (line->word_count > 4 && share->len > 1 && share->p[share->len - 1] == '%' &&
	    num_parse_double(share->p, share->len - 1, &v, NULL) == NUM_NAN) {
		skip_value(w, share, "the %s row's '+/- Stdev' is '%.*s' (no samples): the row says "
			   "nothing and is left out", name, (int)share->len, share->p);
		return false;
	}
	for (size_t i = 0; i < 3; i++)
		read_into(w, &line->words[i + 1], units, name, &stats[i]);
	/* the fourth column, "+/- Stdev" (share of samples within one stddev), has no home */
	return true;
}

/* `50%  2.07ms` / ` 99.999%    2.50ms`: a percentile and a time, into the arrays. */
static void read_percentile_line(struct wrk *w, const struct line *line, double *percents,
				 double *values, size_t *count, size_t cap)
{
	const struct word *pw = &line->words[0], *vw = &line->words[1];
	double percent, value;
	if (num_parse_double(pw->p, pw->len - 1, &percent, NULL) != NUM_OK || percent < 0 ||
	    percent > 100) {
		skip_value(w, pw, "'%.*s' is not a percentile; line left out", (int)pw->len, pw->p);
		return;
	}
	enum value_status status = read_value(vw, time_units, &value);
	if (status == VALUE_BAD)
		skip_value(w, vw, "latency '%.*s' is not a number with a wrk unit; left out",
			   (int)vw->len, vw->p);
	else if (status == VALUE_NONE)
		skip_value(w, vw, "latency '%.*s' of the %.*s percentile is not a value; left out",
			   (int)vw->len, vw->p, (int)pw->len, pw->p);
	if (status != VALUE_OK)
		return;
	if (*count == cap) {
		skip_value(w, pw, "more than %zu percentile lines in one distribution; left out",
			   cap);
		return;
	}
	percents[*count] = percent;
	values[*count] = value;
	(*count)++;
}

/* `0.212     0.000000            1         1.00`: Value (ms), Percentile, TotalCount, 1/(1-P) */
static void read_spectrum_row(struct wrk *w, const struct line *line, struct hdr_section *h)
{
	const struct word *vw = &line->words[0], *pw = &line->words[1], *cw = &line->words[2];
	double value, percentile;
	int64_t total;
	if (num_parse_double(vw->p, vw->len, &value, NULL) != NUM_OK || value < 0) {
		skip_value(w, vw, "spectrum value '%.*s' is not a number of ms; row left out",
			   (int)vw->len, vw->p);
		return;
	}
	if (num_parse_double(pw->p, pw->len, &percentile, NULL) != NUM_OK || percentile < 0 ||
	    percentile > 1) {
		skip_value(w, pw, "spectrum percentile '%.*s' is not in 0..1; row left out",
			   (int)pw->len, pw->p);
		return;
	}
	if (num_parse_int(cw->p, cw->len, &total, NULL) != NUM_OK || total < 1) {
		skip_value(w, cw, "spectrum TotalCount '%.*s' is not a positive count; row left out",
			   (int)cw->len, cw->p);
		return;
	}
	if (h->row_count) {
		const struct spectrum_row *last = &h->rows[h->row_count - 1];
		if (total < last->total || value < last->value_ms) {
			skip_value(w, vw, "spectrum row goes back (value or TotalCount below the row "
				   "before); row left out");
			return;
		}
	}
	h->rows = xgrow(h->rows, &h->row_cap, h->row_count + 1, sizeof *h->rows);
	h->rows[h->row_count++] = (struct spectrum_row){value, total};
}

/* `#[Mean    =        1.138, StdDeviation   =        0.356]` and `#[Max = .., Total count = ..]` */
static void read_footer(struct wrk *w, const struct line *line, struct hdr_section *h)
{
	/* words: "#[Mean" "=" "1.138," "StdDeviation" "=" "0.356]" */
	if (line->word_count < 6 || !word_is(&line->words[1], "="))
		return;
	struct word a = line->words[2], b = line->words[line->word_count - 1];
	if (a.len && a.p[a.len - 1] == ',')
		a.len--;
	if (b.len && b.p[b.len - 1] == ']')
		b.len--;
	static const struct unit_suffix ms[] = {{"", 1, 0}, {NULL, 0, 0}};
	if (word_is(&line->words[0], "#[Mean")) {
		read_into(w, &a, ms, "spectrum mean", &h->mean);
		read_into(w, &b, ms, "spectrum stddev", &h->stddev);
	} else if (word_is(&line->words[0], "#[Max")) {
		read_into(w, &a, ms, "spectrum max", &h->max);
		read_count(w, &b, "spectrum total count", false, &h->total);
		h->total_word = b;
	}
}

/* `487328 requests in 10.01s, 58.16MB read` */
static void read_requests_line(struct wrk *w, const struct line *line, struct block *k)
{
	k->have_requests_line = true;
	read_count(w, &line->words[0], "request count", false, &k->requests);
	struct word t = line->words[3];
	if (t.len && t.p[t.len - 1] == ',')
		t.len--;
	read_into(w, &t, second_units, "run time", &k->runtime_s);
	read_into(w, &line->words[4], byte_units, "bytes read", &k->bytes_read);
}

/* `Socket errors: connect 0, read 88124, write 0, timeout 80`; false unless all four read. */
static bool read_socket_errors(struct wrk *w, const struct line *line, struct block *k)
{
	for (size_t i = 2; i + 1 < line->word_count; i += 2) {
		struct word name = line->words[i], count = line->words[i + 1];
		if (count.len && count.p[count.len - 1] == ',')
			count.len--;
		size_t j = 0;
		while (j < PG_ARRAY_LEN(socket_names) && !word_is(&name, socket_names[j]))
			j++;
		if (j == PG_ARRAY_LEN(socket_names)) {
			skip_value(w, &name, "unknown socket error kind '%.*s'; left out",
				   (int)name.len, name.p);
			continue;
		}
		read_count(w, &count, socket_names[j], true, &k->socket[j]);
	}
	bool all = true;
	for (size_t j = 0; j < PG_ARRAY_LEN(socket_names); j++)
		all = all && k->socket[j].set;
	return all;
}

/*
 * Reads one line of a block into k. Lines that are none of wrk's are ignored: notes between
 * runs, Lua output, commands.
 */
static void read_line(struct wrk *w, const struct line *line, struct block *k,
		      enum section *section, int *hdr)
{
	if (line->word_count == 0)
		return;
	if (k->done)
		return; /* after Transfer/sec: Lua done() output, notes before the next run */
	const struct word *first = &line->words[0];
	k->last_line = (size_t)(first->p - w->src->bytes);
	size_t n = line->word_count;

	if (*section == IN_SPECTRUM) {
		if (n == 4 && first->p[0] != '#' && !STARTS(line, "Value")) {
			read_spectrum_row(w, line, &k->hdr[*hdr]);
			return;
		}
		if (first->p[0] == '#') {
			read_footer(w, line, &k->hdr[*hdr]);
			return;
		}
		if (STARTS(line, "Value"))
			return;
		*section = IN_NONE; /* "-----" or anything else ends the spectrum */
	}
	if ((*section == IN_DISTRIBUTION || *section == IN_HDR) && n == 2 &&
	    first->len > 1 && first->p[first->len - 1] == '%') {
		if (*section == IN_DISTRIBUTION)
			read_percentile_line(w, line, k->percents, k->values, &k->point_count,
					     PG_ARRAY_LEN(k->percents));
		else
			read_percentile_line(w, line, k->hdr[*hdr].percents, k->hdr[*hdr].values,
					     &k->hdr[*hdr].point_count,
					     PG_ARRAY_LEN(k->hdr[*hdr].percents));
		return;
	}
	*section = IN_NONE;

	if (n >= 4 && word_is(&line->words[1], "threads") && word_is(&line->words[2], "and")) {
		read_count(w, first, "thread count", false, &k->threads);
		read_count(w, &line->words[3], "connection count", false, &k->connections);
	} else if (STARTS(line, "Thread", "calibration:")) {
		k->wrk2 = true;
	} else if (STARTS(line, "Latency", "Distribution") && n == 2) {
		*section = IN_DISTRIBUTION;
	} else if (STARTS(line, "Latency", "Distribution", "(HdrHistogram")) {
		k->wrk2 = true;
		*hdr = line_contains(line, "Uncorrected") ? 1 : 0;
		k->hdr[*hdr].present = true;
		*section = IN_HDR;
	} else if (STARTS(line, "Latency") && n >= 2) {
		k->latency_empty = !read_stats_row(w, line, time_units, k->latency);
		for (size_t i = 0; i < 3 && i + 1 < n; i++)
			k->latency_resolution[i] = time_resolution(&line->words[i + 1]);
	} else if (STARTS(line, "Req/Sec") && n >= 2) {
		read_stats_row(w, line, metric_units, k->rate);
	} else if (STARTS(line, "Detailed", "Percentile", "spectrum:")) {
		if (k->hdr[*hdr].present)
			*section = IN_SPECTRUM;
	} else if (n == 6 && word_is(&line->words[1], "requests") &&
		   word_is(&line->words[2], "in") && word_is(&line->words[5], "read")) {
		if (k->have_requests_line)
			skip_value(w, first, "a second requests line in one wrk result; left out");
		else
			read_requests_line(w, line, k);
	} else if (STARTS(line, "Socket", "errors:")) {
		if (!read_socket_errors(w, line, k))
			k->errors_unreadable = true;
	} else if (STARTS(line, "Non-2xx", "or", "3xx", "responses:") && n == 5) {
		read_count(w, &line->words[4], "non-2xx count", true, &k->non2xx);
		k->errors_unreadable |= !k->non2xx.set;
	} else if (STARTS(line, "Requests/sec:") && n == 2) {
		static const struct unit_suffix plain[] = {{"", 1, 0}, {NULL, 0, 0}};
		read_into(w, &line->words[1], plain, "Requests/sec", &k->requests_per_s);
		k->errors_known = true;
	} else if (STARTS(line, "Transfer/sec:") && n == 2) {
		read_into(w, &line->words[1], byte_units, "Transfer/sec", &k->transfer_per_s);
		k->errors_known = true;
		k->done = true;
	}
}

/* ---- from a block to the model ---- */

static void stat_if(struct builder *b, struct series *s, enum stat_kind stat,
		    const struct printed *p)
{
	if (p->set)
		builder_stat(b, s, stat, p->value);
}

/*
 * A wrk2 HdrHistogram section with a spectrum -> a bucketed histogram: each row's new samples
 * (TotalCount minus the row before) are recorded at the row's Value, the highest value of the
 * bucket the row stands for. A percentile of the result is then the Value wrk2 printed for it
 * (formats/wrk.md, "spectrum"). The footer's mean, stddev, max and count are kept as reported.
 */
static struct series *emit_spectrum(struct wrk *w, struct run *run, const char *metric,
				    const struct hdr_section *h)
{
	struct series *s = builder_trend(w->b, run, metric, NULL, PREC_BUCKETED, UNIT_MS);
	int64_t previous = 0;
	for (size_t i = 0; i < h->row_count; i++) {
		int64_t delta = h->rows[i].total - previous;
		if (delta > 0)
			builder_record(w->b, s, h->rows[i].value_ms, delta);
		previous = h->rows[i].total;
	}
	if (h->total.set && h->total.value != (double)previous)
		skip_value(w, &h->total_word, "the spectrum of '%s' ends at TotalCount %lld but "
			   "its footer says Total count %.0f; the rows are kept", metric,
			   (long long)previous, h->total.value);
	return s;
}

/* The distribution lines of a section without spectrum -> reported quantiles. */
static struct series *emit_points(struct wrk *w, struct run *run, const char *metric,
				  const double *percents, const double *values, size_t count)
{
	struct series *s = builder_trend(w->b, run, metric, NULL, PREC_QUANTILES, UNIT_MS);
	for (size_t i = 0; i < count; i++)
		builder_quantile(w->b, s, model_quantile_of_percent(percents[i]), values[i]);
	return s;
}

/*
 * A latency statistic of a spectrum: the footer's (1 µs digits), unless the Thread Stats row,
 * printed from the same histogram, has finer digits (a value in us: 0.01 µs) or the footer is
 * missing.
 */
static void pick_stat(struct builder *b, struct series *s, enum stat_kind stat,
		      const struct printed *footer, const struct printed *row, double row_resolution)
{
	if (row->set && (!footer->set || row_resolution < 0.001))
		builder_stat(b, s, stat, row->value);
	else
		stat_if(b, s, stat, footer);
}

/* The URL of the target has no place in the model (a run has no target field): not kept. */
static void emit_block(struct wrk *w, const struct block *k, size_t count)
{
	struct builder *b = w->b;
	struct run *run = builder_run(b, k->wrk2 ? "wrk2" : "wrk", NULL, k->index, count > 1);
	if (k->connections.set)
		builder_run_concurrency(b, run, k->connections.value, "connections");
	if (k->runtime_s.set) {
		builder_run_duration(b, run, k->runtime_s.value);
	} else {
		double seconds;
		if (read_value(&k->duration_word, second_units, &seconds) == VALUE_OK)
			builder_run_duration(b, run, seconds);
	}

	/* latency: wrk2 spectrum -> histogram; else the printed stats and percentiles */
	const struct hdr_section *recorded = &k->hdr[0];
	struct series *latency;
	static const enum stat_kind row_stats[] = {STAT_MEAN, STAT_STDDEV, STAT_MAX};
	if (recorded->row_count) {
		latency = emit_spectrum(w, run, "latency", recorded);
		const struct printed *footer[] = {&recorded->mean, &recorded->stddev,
						  &recorded->max};
		for (size_t i = 0; i < 3; i++)
			pick_stat(b, latency, row_stats[i], footer[i], &k->latency[i],
				  k->latency_resolution[i]);
	} else if (k->latency_empty) {
		/* no samples: the distribution lines are placeholders (0.00us) as well */
		latency = builder_trend(b, run, "latency", NULL, PREC_QUANTILES, UNIT_MS);
		if (!k->wrk2)
			stat_if(b, latency, STAT_COUNT, &k->requests);
	} else {
		latency = recorded->point_count
			? emit_points(w, run, "latency", recorded->percents, recorded->values,
				      recorded->point_count)
			: emit_points(w, run, "latency", k->percents, k->values, k->point_count);
		for (size_t i = 0; i < 3; i++)
			stat_if(b, latency, row_stats[i], &k->latency[i]);
		/* wrk2's histogram leaves out the calibration period: its count is not printed */
		if (!k->wrk2)
			stat_if(b, latency, STAT_COUNT, &k->requests);
	}
	const struct hdr_section *uncorrected = &k->hdr[1];
	if (uncorrected->row_count) {
		struct series *s = emit_spectrum(w, run, "latency_uncorrected", uncorrected);
		stat_if(b, s, STAT_MEAN, &uncorrected->mean);
		stat_if(b, s, STAT_STDDEV, &uncorrected->stddev);
		stat_if(b, s, STAT_MAX, &uncorrected->max);
	}
	else if (uncorrected->point_count)
		emit_points(w, run, "latency_uncorrected", uncorrected->percents,
			    uncorrected->values, uncorrected->point_count);

	if (k->rate[0].set || k->rate[1].set || k->rate[2].set) {
		struct series *s = builder_trend(b, run, "thread_rps", NULL, PREC_QUANTILES,
						 UNIT_PER_S);
		for (size_t i = 0; i < 3; i++)
			stat_if(b, s, row_stats[i], &k->rate[i]);
	}
	if (k->requests_per_s.set)
		stat_if(b, builder_trend(b, run, "rps", NULL, PREC_QUANTILES, UNIT_PER_S), STAT_MEAN,
			&k->requests_per_s);
	if (k->transfer_per_s.set)
		stat_if(b, builder_trend(b, run, "throughput", NULL, PREC_QUANTILES,
					 UNIT_BYTES_PER_S),
			STAT_MEAN, &k->transfer_per_s);

	if (k->requests.set)
		builder_count(b, run, "requests", NULL, NULL, 0, k->requests.value);
	if (k->bytes_read.set)
		builder_count(b, run, "bytes_in", NULL, NULL, 0, k->bytes_read.value);
	for (size_t i = 0; i < PG_ARRAY_LEN(socket_names); i++) {
		if (!k->socket[i].set)
			continue;
		struct tag tag = {"type", socket_names[i]};
		builder_count(b, run, "socket_errors", NULL, &tag, 1, k->socket[i].value);
	}
	if (k->non2xx.set)
		builder_count(b, run, "non2xx", NULL, NULL, 0, k->non2xx.value);

	/*
	 * errors and unanswered (formats/wrk.md, "Errors"; wrk.c of wrk 4.2.0 and wrk2):
	 * response_complete() counts every response in `complete` (N requests) and one with
	 * status > 399 also in errors.status (Non-2xx); a connect, read or write error ends a
	 * connection attempt or a request without its response, outside `complete`. Timeouts are
	 * not requests: wrk 4.x counts responses later than --timeout (inside `complete`), wrk2
	 * and wrk 3.x count connections seen with an old request at each 2 s check (the same
	 * request again at every check, idle connections too). They stay in socket_errors only.
	 */
	if (!k->errors_known || k->errors_unreadable)
		return; /* cut short before the error lines, or unreadable: unknown, not zero */
	double unanswered = 0;
	for (size_t i = 0; i < 3; i++) /* connect, read, write */
		if (k->socket[i].set)
			unanswered += k->socket[i].value;
	builder_count(b, run, "errors", NULL, NULL, 0,
		      unanswered + (k->non2xx.set ? k->non2xx.value : 0));
	builder_count(b, run, "unanswered", NULL, NULL, 0, unanswered);
}

/* Reads the block starting at k->running_offset and ending at k->end into k. */
static void read_block(struct wrk *w, struct block *k)
{
	size_t offset = k->running_offset;
	struct line line;
	struct word url;
	next_line(w->src, &offset, &line);
	is_running_line(&line, &k->duration_word, &url);
	k->last_line = k->running_offset;
	enum section section = IN_NONE;
	int hdr = 0;
	while (offset < k->end && next_line(w->src, &offset, &line))
		read_line(w, &line, k, &section, &hdr);
}

/* Finds every block: the offsets of the `Running` lines. Returns the count; *starts is heap. */
static size_t find_blocks(const struct source *src, size_t **starts)
{
	size_t count = 0, cap = 0, offset = src->body;
	*starts = NULL;
	struct line line;
	struct word duration, url;
	for (size_t at = offset; next_line(src, &offset, &line); at = offset) {
		if (!is_running_line(&line, &duration, &url))
			continue;
		*starts = xgrow(*starts, &cap, count + 1, sizeof **starts);
		(*starts)[count++] = at;
	}
	return count;
}

bool wrk_parse(struct source *src, struct builder *b)
{
	struct wrk w = {src, b, 0, true};
	size_t *starts;
	size_t count = find_blocks(src, &starts);
	if (count == 0) {
		struct diag_loc loc = source_file_loc(src->name);
		diag_report(b->diag, DIAG_NO_DATA, &loc,
			    "no wrk result in this input: no line 'Running <time> test @ <url>'");
		return false;
	}
	b->result_count = count;
	for (size_t i = 0; i < count; i++) {
		struct block k = {.index = i, .running_offset = starts[i],
				  .end = i + 1 < count ? starts[i + 1] : src->len,
				  .latency_resolution = {INFINITY, INFINITY, INFINITY}};
		read_block(&w, &k);
		struct diag_loc loc;
		if (!k.have_requests_line) {
			source_locate(src, k.running_offset, 7, &loc);
			diag_report(b->diag, DIAG_MISSING_FIELD, &loc,
				    "this wrk result has no 'N requests in T, X read' line%s; it "
				    "cannot be used",
				    k.last_line == k.running_offset ? " (nothing follows its first "
								      "line)" : "");
			w.ok = false;
		} else {
			if (!k.done) {
				source_locate(src, k.last_line, 1, &loc);
				diag_report(b->diag, DIAG_RESULT_CUT_SHORT, &loc,
					    "wrk result %zu is cut short after this line (no "
					    "'Transfer/sec:'); what it printed is kept%s", i + 1,
					    k.errors_known ? "" : ", its error counts are unknown");
			}
			emit_block(&w, &k, count);
		}
		block_fini(&k);
	}
	free(starts);
	if (w.skipped > WRK_MAX_SHOWN) {
		struct diag_loc loc = source_file_loc(src->name);
		diag_report(b->diag, DIAG_VALUE_SKIPPED, &loc,
			    "%lu more value(s) of this input could not be read and were left out",
			    w.skipped - WRK_MAX_SHOWN);
	}
	return w.ok;
}
