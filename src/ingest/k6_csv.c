/*
 * k6_csv.c - k6 `--out csv`, streamed (formats/k6.md).
 *
 * Header: metric_name,timestamp,metric_value, then the enabled system tags (sorted), then
 * extra_tags, then (k6 >= v0.41) metadata. Columns are found by name, never by position, since
 * --system-tags changes them. Timestamps are whole Unix seconds by default; timeFormat may make
 * them unix_milli / unix_micro / unix_nano (told apart by their number of digits) or RFC 3339.
 * The file does not say a metric's type: built-in metrics are known, custom ones are read as
 * unitless trends with a warning (DIAG_METRIC_TYPE_GUESSED).
 *
 * Rows: Go's encoding/csv quotes a field only when it holds a comma, a quote or a newline (a
 * record then spans lines, which are joined); the fast path splits an unquoted row with memchr. The leaf cache is keyed by the row's tag bytes
 * (without the per-row metadata column), so repeated tag sets are not re-parsed.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/csv.h"
#include "../util/io.h"
#include "../util/lines.h"
#include "../util/num.h"
#include "../util/par_lines.h"
#include "../util/timefmt.h"
#include "k6.h"

enum { MAX_COLUMNS = 128, MAX_RECORD = 1 << 20, MAX_RECORD_LINES = 64 };

int k6_csv_sniff(const char *prefix, size_t len)
{
	static const char head[] = "metric_name,timestamp,metric_value";
	return len >= sizeof head - 1 && memcmp(prefix, head, sizeof head - 1) == 0 ? 100 : 0;
}

struct fast_layout {
	bool known;         /* the header has been read (the rest is meaningless before) */
	bool usable;        /* k6's column order: metric and time first, value third, >= 4 */
	bool metric_first;  /* metric_name is column 0 (else timestamp is) */
	bool trim_metadata; /* the last column is metadata, which row() leaves out of the key */
};

struct csv {
	struct builder *b;
	struct k6_stream *stream;
	const char *name;
	const struct line *line;
	uint64_t lines;
	char *header[MAX_COLUMNS];   /* column names; owned */
	size_t columns;
	size_t metric_col, time_col, value_col, extra_col, metadata_col; /* SIZE_MAX: none */
	/*
	 * What fast_fields needs of the header, set once before any worker runs. Workers read it
	 * for every row, so it has a cache line of its own: sharing one with `line` and `lines`,
	 * which change every row, made two threads slower than one.
	 */
	_Alignas(64) struct fast_layout fast;
	char fast_pad[64 - sizeof(struct fast_layout)];
	struct buf unquoted;         /* fields of a quoted row */
	struct buf tag_text;
	struct tag *tags;
	size_t tag_cap;
};

#define skip_line(c, column, ...) k6_skip_line((c)->stream, (c)->line, (column), __VA_ARGS__)

/*
 * Splits a row into fields (quoted ones unquoted into c->unquoted, valid until the next row).
 * Returns the number of fields, or -1 for an unterminated quote (*bad_at: its offset).
 */
static long split(struct csv *c, const char *text, size_t len, struct csv_field *out, size_t *bad_at)
{
	return csv_split(text, len, out, MAX_COLUMNS, &c->unquoted, bad_at);
}

static bool read_header(struct csv *c, const struct line *l)
{
	struct csv_field f[MAX_COLUMNS];
	size_t bad;
	long n = split(c, l->text, l->len, f, &bad);
	c->metric_col = c->time_col = c->value_col = c->extra_col = c->metadata_col = SIZE_MAX;
	if (n < 0 || n > MAX_COLUMNS)
		return false;
	c->columns = (size_t)n;
	for (size_t i = 0; i < c->columns; i++) {
		c->header[i] = xstrndup(f[i].p, f[i].len);
		const char *h = c->header[i];
		if (strcmp(h, "metric_name") == 0)
			c->metric_col = i;
		else if (strcmp(h, "timestamp") == 0)
			c->time_col = i;
		else if (strcmp(h, "metric_value") == 0)
			c->value_col = i;
		else if (strcmp(h, "extra_tags") == 0)
			c->extra_col = i;
		else if (strcmp(h, "metadata") == 0)
			c->metadata_col = i;
	}
	bool ok = c->metric_col != SIZE_MAX && c->time_col != SIZE_MAX && c->value_col != SIZE_MAX;
	c->fast.known = true;
	c->fast.usable = ok && c->value_col == 2 && c->metric_col <= 1 && c->time_col <= 1 &&
			 c->columns >= 4;
	c->fast.metric_first = c->metric_col == 0;
	c->fast.trim_metadata = c->metadata_col == c->columns - 1;
	return ok;
}

static bool all_digits(const struct csv_field *f)
{
	if (f->len == 0)
		return false;
	for (size_t i = 0; i < f->len; i++)
		if (f->p[i] < '0' || f->p[i] > '9')
			return false;
	return true;
}

/* unix (s), unix_milli, unix_micro, unix_nano by digit count; rfc3339 otherwise */
static bool parse_timestamp(const struct csv_field *f, int64_t *out)
{
	if (all_digits(f) && f->len <= 19) {
		int64_t v = 0;
		for (size_t i = 0; i < f->len; i++) {
			int d = f->p[i] - '0';
			if (v > (INT64_MAX - d) / 10)
				return false; /* beyond int64: not a time k6 writes */
			v = v * 10 + d;
		}
		if (f->len <= 11)
			*out = v * 1000000;
		else if (f->len <= 14)
			*out = v * 1000;
		else if (f->len <= 17)
			*out = v;
		else
			*out = v / 1000;
		return time_in_range(*out);
	}
	char text[64];
	if (f->len == 0 || f->len >= sizeof text)
		return false;
	memcpy(text, f->p, f->len);
	text[f->len] = '\0';
	return time_parse_rfc3339(text, out) && time_in_range(*out);
}

/* Tags of a row: every non-empty tag column, plus extra_tags "k=v&k2=v2". */
static size_t row_tags(struct csv *c, const struct csv_field *f, size_t n)
{
	buf_clear(&c->tag_text);
	size_t offsets[MAX_COLUMNS * 2][2];
	size_t k = 0;
	for (size_t i = 0; i < n && i < c->columns; i++) {
		if (i == c->metric_col || i == c->time_col || i == c->value_col ||
		    i == c->metadata_col || f[i].len == 0)
			continue;
		if (i != c->extra_col) {
			if (k == PG_ARRAY_LEN(offsets))
				break;
			offsets[k][0] = c->tag_text.len;
			buf_puts(&c->tag_text, c->header[i]);
			buf_putc(&c->tag_text, '\0');
			offsets[k][1] = c->tag_text.len;
			buf_append(&c->tag_text, f[i].p, f[i].len);
			buf_putc(&c->tag_text, '\0');
			k++;
			continue;
		}
		const char *p = f[i].p, *end = f[i].p + f[i].len;
		while (p < end && k < PG_ARRAY_LEN(offsets)) {
			const char *amp = memchr(p, '&', (size_t)(end - p));
			const char *stop = amp ? amp : end;
			const char *eq = memchr(p, '=', (size_t)(stop - p));
			if (eq && eq > p) {
				offsets[k][0] = c->tag_text.len;
				buf_append(&c->tag_text, p, (size_t)(eq - p));
				buf_putc(&c->tag_text, '\0');
				offsets[k][1] = c->tag_text.len;
				buf_append(&c->tag_text, eq + 1, (size_t)(stop - eq - 1));
				buf_putc(&c->tag_text, '\0');
				k++;
			}
			p = amp ? amp + 1 : end;
		}
	}
	c->tags = xgrow(c->tags, &c->tag_cap, k ? k : 1, sizeof *c->tags);
	for (size_t i = 0; i < k; i++)
		c->tags[i] = (struct tag){c->tag_text.data + offsets[i][0],
					  c->tag_text.data + offsets[i][1]};
	return k;
}

/*
 * The common row, read without splitting every field: no quote in it, k6's own column order
 * (metric_name and timestamp first, then metric_value). Its series is found by the row's bytes
 * after metric_value, less a last metadata column, as row() keys it; a row whose key bytes
 * equal a cached key has the cached row's number of fields, so the field count holds too.
 * Pure (the header's columns and the line's bytes only), so it also runs on par_lines'
 * workers; anything else, or a value or time that does not parse, returns false for row() to
 * read and word.
 */
struct fast_fields {
	const char *metric;
	size_t metric_len;
	const char *key;
	size_t key_len;
	int64_t at;
	double value;
};

static bool fast_fields(const struct fast_layout *fl, const struct line *l,
			struct fast_fields *out)
{
	if (!fl->usable || l->truncated || memchr(l->text, '"', l->len))
		return false;
	const char *p = l->text, *end = p + l->len, *comma[3];
	for (int k = 0; k < 3; k++) {
		while (p < end && *p != ',')
			p++;
		if (p == end)
			return false;
		comma[k] = p++;
	}
	struct csv_field first = {l->text, (size_t)(comma[0] - l->text), 0};
	struct csv_field second = {comma[0] + 1, (size_t)(comma[1] - comma[0] - 1), 0};
	struct csv_field value = {comma[1] + 1, (size_t)(comma[2] - comma[1] - 1), 0};
	const struct csv_field *metric = fl->metric_first ? &first : &second;
	const struct csv_field *stamp = fl->metric_first ? &second : &first;
	const char *key = comma[2] + 1;
	size_t key_len = (size_t)(end - key);
	if (fl->trim_metadata) {
		const char *last = end;
		while (last > key && last[-1] != ',')
			last--;
		if (last == key)
			return false;
		key_len = (size_t)(last - key); /* up to the metadata field, as row() keys it */
	}
	*out = (struct fast_fields){metric->p, metric->len, key, key_len, 0, 0};
	return metric->len > 0 && num_parse_double(value.p, value.len, &out->value, NULL) == NUM_OK &&
	       parse_timestamp(stamp, &out->at);
}

/* A row read ahead (par_lines.h): when `ready`, only finding its series and recording are left. */
struct prepared {
	bool ready;
	bool header_known; /* prepared after the header was read: not ready means not fast */
	struct fast_fields f;
	uint64_t hash;
};

/*
 * par_prepare_fn; ctx: the struct fast_layout, set by the header before any worker runs;
 * scratch: the worker's key cache (NULL: none, for a row read here after the header).
 */
static void prepare_row(const void *ctx, void *scratch, const struct line *l, void *out)
{
	struct prepared *r = out;
	r->header_known = ((const struct fast_layout *)ctx)->known;
	if (!fast_fields(ctx, l, &r->f))
		return;
	r->hash = scratch ? k6_stream_hash_cached(scratch, r->f.metric, r->f.metric_len, r->f.key,
						  r->f.key_len)
			  : k6_stream_hash(r->f.metric, r->f.metric_len, r->f.key, r->f.key_len);
	r->ready = true;
}

/* Records a prepared row whose series exists; false leaves it to row(). */
static bool apply_prepared(struct csv *c, const struct prepared *r)
{
	struct k6_leaf *leaf = k6_stream_find(c->stream, r->hash, r->f.metric, r->f.metric_len,
					      r->f.key, r->f.key_len);
	return leaf && k6_stream_record(c->stream, leaf, r->f.at, r->f.value);
}

static void row(struct csv *c)
{
	const struct line *l = c->line;
	if (l->len == 0)
		return;
	struct csv_field f[MAX_COLUMNS];
	size_t bad = 0;
	long n = split(c, l->text, l->len, f, &bad);
	if (n < 0) {
		skip_line(c, bad, "k6 CSV: a quoted field is not closed on this line");
		return;
	}
	if ((size_t)n != c->columns) {
		skip_line(c, 0, "k6 CSV: %ld fields, the header has %zu", n, c->columns);
		return;
	}
	const struct csv_field *metric = &f[c->metric_col], *value = &f[c->value_col];
	const struct csv_field *stamp = &f[c->time_col];
	bool plain = f[0].p == l->text; /* unquoted fast path: fields point into the line */
	size_t value_col = plain ? (size_t)(value->p - l->text) : 0;
	double v;
	enum num_status st = num_parse_double(value->p, value->len, &v, NULL);
	if (st != NUM_OK) {
		skip_line(c, value_col, "k6 CSV: metric_value '%.*s' is %s", (int)value->len, value->p,
			  st == NUM_NAN ? "NaN" : st == NUM_INF ? "infinite"
			  : st == NUM_OVERFLOW ? "beyond the range of a double" : "not a number");
		return;
	}
	int64_t at;
	if (!parse_timestamp(stamp, &at)) {
		skip_line(c, plain ? (size_t)(stamp->p - l->text) : 0,
			  "k6 CSV: timestamp '%.*s' is not a time in " TIME_RANGE_TEXT
			  " (Unix time or RFC 3339)",
			  (int)stamp->len, stamp->p);
		return;
	}
	if (metric->len == 0) {
		skip_line(c, 0, "k6 CSV: metric_name is empty");
		return;
	}
	/* cache key: the row's bytes minus metric name, time, value and the per-row metadata */
	const char *key = l->text;
	size_t key_len = l->len;
	/*
	 * k6 always starts with metric_name,timestamp,metric_value: then every tag is after them.
	 * The same layout as fast_fields' (c->fast), so both key a row alike.
	 */
	if (plain && c->fast.usable) {
		key = f[c->value_col + 1].p;
		key_len = (size_t)(l->text + l->len - key);
		if (c->fast.trim_metadata)
			key_len = (size_t)(f[c->metadata_col].p - key);
	}
	uint64_t hash = k6_stream_hash(metric->p, metric->len, key, key_len);
	struct k6_leaf *leaf = k6_stream_find(c->stream, hash, metric->p, metric->len, key,
					      key_len);
	if (!leaf) {
		size_t count = row_tags(c, f, (size_t)n);
		const char *why;
		leaf = k6_stream_add(c->stream, hash, metric->p, metric->len, key, key_len, c->tags,
				     count, true, &why);
		if (!leaf) {
			skip_line(c, 0, "k6 CSV: metric '%.*s' %s", (int)metric->len, metric->p, why);
			return;
		}
	}
	if (!k6_stream_record(c->stream, leaf, at, v))
		skip_line(c, value_col, "k6 CSV: value %.*s does not fit metric '%.*s' (a trend "
				       "takes values >= 0)", (int)value->len, value->p,
			  (int)metric->len, metric->p);
}

bool k6_csv_parse(struct io_reader *in, const char *name, struct builder *b)
{
	struct csv c = {0};
	c.b = b;
	c.name = name;
	buf_init(&c.unquoted);
	buf_init(&c.tag_text);
	struct run *run = builder_run(b, "k6", NULL, 0, false);
	c.stream = k6_stream_new(b, run);
	struct par_lines *ls = par_lines_new(in, 0, b->jobs, prepare_row, &c.fast,
					     sizeof(struct prepared), sizeof(struct k6_key_cache));
	struct line line;
	const void *rec;
	bool ok = true, header = false, pending = false, open = false;
	struct buf record; /* a record spanning lines (a quoted newline) */
	buf_init(&record);
	struct line record_line = {0};
	while (par_lines_next(ls, &line, &rec)) {
		c.lines++;
		c.line = &line;
		const struct prepared *r = rec;
		struct prepared inline_rec = {0};
		if (!r->header_known && header && !pending) {
			/* the first block was read ahead before the header: read it here */
			prepare_row(&c.fast, NULL, &line, &inline_rec);
			r = &inline_rec;
		}
		if (r->ready && !pending && apply_prepared(&c, r))
			continue;
		if (!header) {
			header = true;
			if (!read_header(&c, &line)) {
				struct diag_loc at = {name, line.number, 1, line.text, line.len, 1};
				diag_report(b->diag, DIAG_MISSING_FIELD, &at,
					    "k6 CSV: the header needs the columns metric_name, "
					    "timestamp and metric_value");
				ok = false;
				break;
			}
			continue;
		}
		if (line.truncated) {
			skip_line(&c, line.len, "k6 CSV: line longer than %zu bytes",
				  par_lines_max_line(ls));
			continue;
		}
		/*
		 * A quoted field may hold a newline (Go's csv quotes it): a line with an odd
		 * number of quotes opens a record that the following lines continue until the
		 * quotes pair up again.
		 */
		bool was_open = pending && open;
		bool still_open = csv_quote_open_after(line.text, line.len, was_open);
		if (!pending && !still_open) {
			row(&c);
			continue;
		}
		if (!pending) {
			buf_clear(&record);
			record_line = line;
			pending = true;
			open = false;
		} else {
			buf_putc(&record, '\n');
		}
		buf_append(&record, line.text, line.len);
		open = still_open;
		if (open && record.len < MAX_RECORD && line.number - record_line.number < MAX_RECORD_LINES)
			continue;
		pending = false;
		record_line.text = record.data;
		record_line.len = record.len;
		c.line = &record_line;
		if (open) {
			/* shown with its first line; every line of it counts as skipped */
			record_line.len = strcspn(record.data, "\n");
			skip_line(&c, 0, "k6 CSV: a quoted field is not closed within %d lines",
				  MAX_RECORD_LINES);
			builder_count_skipped(b, line.number - record_line.number);
		} else {
			row(&c);
		}
	}
	if (pending) {
		record_line.text = record.data;
		record_line.len = strcspn(record.data, "\n");
		c.line = &record_line;
		skip_line(&c, 0, "k6 CSV: a quoted field is not closed before the end of the input");
		builder_count_skipped(b, c.lines - record_line.number);
	}
	if (ok)
		ok = k6_stream_end(c.stream, c.lines, par_lines_error(ls) ? in->error : NULL,
				   in->truncated);
	k6_stream_free(c.stream);
	par_lines_free(ls);
	for (size_t i = 0; i < c.columns; i++)
		free(c.header[i]);
	buf_fini(&record);
	buf_fini(&c.unquoted);
	buf_fini(&c.tag_text);
	free(c.tags);
	return ok;
}
