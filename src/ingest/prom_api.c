/*
 * prom_api.c - Prometheus HTTP API responses (/api/v1/query, /api/v1/query_range) saved as
 * JSON, streamed (FORMATS.md §5.4; prom.h).
 *
 * A query_range answer can be 100 MB on a single line, so there is no DOM (Jansson would build
 * a tree ten times that size): a pull tokenizer reads the input in CHUNK_BYTES chunks and a
 * recursive-descent parser, one function per rule of the grammar below, pulls one token at a
 * time and hands every [time, "value"] pair to the sink as soon as its series' labels are
 * known. Tokens may straddle chunks: a string that does (or that holds escapes, decoded by
 * json_decode_escape) is copied into one buffer; every other string points into the chunk.
 * Keys may come in any order (`jq -S` writes "result" before "resultType", "status" last):
 * when "result" comes before "resultType" its shape decides (series or one [time, value]) and
 * the type is checked against it afterwards; when a series' "metric" comes after its
 * "values", those values alone wait in memory until the labels are known. Members this file
 * does not know are checked as JSON and dropped without recursion (a bit per nesting level).
 *
 *   response = '{' member* '}' EOF, where member is one of
 *              "status": "success"|"error"   "errorType": string   "error": string
 *              "warnings": notes   "infos": notes   "data": data   string: (any value)
 *   data     = '{' ("resultType": string | "result": result | string: value)* '}'
 *   result   = '[' series,* ']'  (matrix, vector)  |  pair  (scalar, string)
 *   series   = '{' ("metric": labels | "values": '[' pair,* ']' | "value": pair
 *              | "histograms": value | "histogram": value | string: value)* '}'
 *   pair     = '[' number ',' string ']'       seconds since 1970, value as Go writes it
 *
 * Hot path, measured (about 650 MB/s of CPU time on a 124 MB query_range response): a pair
 * as Prometheus writes it, `[1733456789.123,"12.5"]`, is read straight from the chunk by
 * fast_pair, its time converted while scanned and its value by plain_value; any other
 * spelling (blanks, exponents, escapes, a pair cut by the chunk's end) takes the general
 * path, with the same results and the same diagnostics.
 *
 * Problems with a value, a time or a field (Prometheus-level) are counted and reported, the
 * first PROBLEMS_SHOWN with file:line:col (byte columns), and reading goes on; malformed JSON
 * stops the reading at once. Memory: one chunk, one token buffer capped at STRING_MAX, one
 * series' labels (capped), the values of at most one series waiting for its labels (capped):
 * nothing grows with the number of samples. Everything is freed before prom_api_read returns;
 * what the sink gets is borrowed for the call (prom.h). Not read: native histograms (counted,
 * one warning) and string results (a warning).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/io.h"
#include "../util/json.h"
#include "../util/num.h"
#include "ingest.h"
#include "prom.h"

enum {
	CHUNK_BYTES = 64 * 1024,       /* bytes read at a time */
	STRING_MAX = 1024 * 1024,      /* longest string (or number) kept, decoded */
	PROBLEMS_SHOWN = 10,           /* problems reported one by one; the rest are counted */
	NESTING_MAX = 65536,           /* deepest nesting of a skipped value */
	LABELS_MAX = 1024,             /* labels of one series */
	LABEL_BYTES_MAX = 1024 * 1024, /* their names and values together, decoded */
	PENDING_MAX = 1024 * 1024,     /* values of one series waiting for its "metric" */
	QUOTE_MAX = 60,                /* bytes of input text quoted in a message */
};

#define TIME_US_MAX ((uint64_t)TIME_MAX_US)

enum tok_kind {
	TOK_EOF,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_LBRACKET,
	TOK_RBRACKET,
	TOK_COLON,
	TOK_COMMA,
	TOK_STRING,
	TOK_NUMBER, /* checked against the JSON number grammar */
	TOK_TRUE,
	TOK_FALSE,
	TOK_NULL,
	TOK_INVALID, /* a byte or a word that starts no JSON token: the parser says why */
};

struct token {
	enum tok_kind kind;
	const char *text; /* STRING: its decoded contents ("" while skipping); NUMBER, INVALID:
	                     its bytes. Valid until the next token */
	size_t len;       /* bytes in text */
	uint64_t line;    /* 1-based line of its first byte */
	uint64_t column;  /* 1-based byte column of its first byte */
	bool too_long;    /* STRING: longer than STRING_MAX decoded; text is then "" */
};

enum result_type {
	RESULT_NONE, /* no "resultType" yet */
	RESULT_MATRIX,
	RESULT_VECTOR,
	RESULT_SCALAR,
	RESULT_STRING,
	RESULT_OTHER, /* a name Prometheus does not use (reported) */
};

/* One [time, "value"] as read. */
struct pair {
	bool ok; /* time and value both usable */
	int64_t time_us;
	double value;
	uint64_t line, column;             /* the pair's '[' */
	uint64_t value_line, value_column; /* its value string */
};

/* A label of the current series, by offsets into series.text (which may move while growing). */
struct label_offsets {
	size_t name, name_len, value, value_len;
};

/* The series being read. */
struct api_series {
	bool has_metric;               /* its "metric" object was read */
	bool bad_metric;               /* ... and was unusable (reported): its values are dropped */
	bool has_name;                 /* the metric has __name__ */
	size_t name, name_len;         /* __name__'s value in text */
	struct buf text;               /* decoded label names and values */
	struct label_offsets *offsets; /* every label but __name__, in input order */
	size_t label_count, offsets_cap;
	struct prom_label *labels; /* the same as pointers, once the metric is complete */
	size_t labels_cap;
	struct pair *pending; /* values read before "metric" */
	size_t pending_count, pending_cap;
};

struct api {
	/* the input and its position */
	struct io_reader *in;         /* borrowed, positioned at the start */
	const char *name;             /* display name, for diagnostics and prom_where */
	struct diag *d;               /* borrowed */
	const struct prom_sink *sink; /* borrowed */
	char *chunk;                  /* CHUNK_BYTES bytes */
	size_t pos, len;              /* next byte, bytes valid in chunk */
	uint64_t base;                /* input offset of chunk[0] */
	uint64_t line;                /* line of chunk[pos] */
	uint64_t line_start;          /* input offset of that line's first byte */
	bool eof;                     /* the reader has nothing more */
	bool read_failed;             /* ... because of an error (reported) */
	struct buf text;              /* a token that straddles chunks or holds escapes */
	bool discard;                 /* skipping a value: strings are checked, not kept */
	struct token tok;             /* the current token */
	unsigned char nesting[NESTING_MAX / 8]; /* skip_value: bit set = an object at that depth */
	/* the envelope */
	struct token top;                    /* the top-level '{', for "missing" messages */
	bool has_status, status_error;       /* "status" was read; it says "error" */
	bool has_data;                       /* "data" was read */
	uint64_t status_line, status_column; /* where "status" has its value */
	bool has_error_type, has_error_text; /* "errorType", "error" were read ... */
	struct buf error_type, error_text;   /* ... and say this, decoded */
	/* data */
	enum result_type result_type;   /* as "resultType" says */
	bool has_result;                /* "result" was read */
	bool result_series;             /* it held series */
	bool result_pair;               /* result was one [time, value] */
	bool pending_pair;              /* ... read before resultType: decided at the end of data */
	struct pair pair;               /* that pair ... */
	struct buf pair_text;           /* ... and its value string, decoded */
	struct api_series series;       /* the series being read */
	unsigned long histogram_series; /* series holding native histograms */
	uint64_t histogram_line, histogram_column; /* the first of them */
	/* outcome */
	unsigned long errors;     /* error-level problems, reported or not */
	unsigned long problems;   /* problems met while reading on */
	bool stopped;             /* the sink asked to stop */
	struct buf quote, quote2; /* scratch for quoting input text in messages */
	struct buf found;         /* scratch of found() */
};

/* ---- diagnostics ---- */

static void vreport_at(struct api *a, enum diag_id id, uint64_t line, uint64_t column,
                       const char *fmt, va_list ap)
{
	struct prom_where w = {.file = a->name, .line = line, .column = column, .span = 1};
	struct diag_loc loc;
	prom_where_locate(&w, &loc);
	if (diag_level_of(id) == DIAG_ERROR)
		a->errors++;
	diag_vreport(a->d, id, &loc, fmt, ap);
}

static void report_at(struct api *a, enum diag_id id, uint64_t line, uint64_t column,
                      const char *fmt, ...) PG_PRINTF(5, 6);
static void report_at(struct api *a, enum diag_id id, uint64_t line, uint64_t column,
                      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport_at(a, id, line, column, fmt, ap);
	va_end(ap);
}

/* A problem reading goes on after: shown while fewer than PROBLEMS_SHOWN were, always counted. */
static void problem(struct api *a, enum diag_id id, uint64_t line, uint64_t column, const char *fmt,
                    ...) PG_PRINTF(5, 6);
static void problem(struct api *a, enum diag_id id, uint64_t line, uint64_t column, const char *fmt,
                    ...)
{
	a->problems++;
	if (a->problems > PROBLEMS_SHOWN) {
		a->errors++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vreport_at(a, id, line, column, fmt, ap);
	va_end(ap);
}

/* Malformed JSON at the current token: reported, and the reading stops (returns false). */
static bool syntax_error(struct api *a, const char *fmt, ...) PG_PRINTF(2, 3);
static bool syntax_error(struct api *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport_at(a, DIAG_JSON_SYNTAX, a->tok.line, a->tok.column, fmt, ap);
	va_end(ap);
	return false;
}

/* Input text made safe to print (control characters as spaces), cut after QUOTE_MAX bytes. */
static const char *quote(struct buf *out, const char *s, size_t len)
{
	buf_clear(out);
	str_utf8_clean(out, s, len > QUOTE_MAX ? QUOTE_MAX : len,
	               STR_CLEAN_CONTROL_SPACE | STR_CLEAN_C1_SPACE, SIZE_MAX);
	if (len > QUOTE_MAX)
		buf_puts(out, "...");
	return out->data;
}

/* What the current token is, for "expected X, found Y". */
static const char *found(struct api *a)
{
	const struct token *t = &a->tok;
	switch (t->kind) {
	case TOK_EOF: return "the end of the input (file cut short?)";
	case TOK_LBRACE: return "an object";
	case TOK_RBRACE: return "'}'";
	case TOK_LBRACKET: return "an array";
	case TOK_RBRACKET: return "']'";
	case TOK_COLON: return "':'";
	case TOK_COMMA: return "','";
	case TOK_STRING: return "a string";
	case TOK_TRUE: return "true";
	case TOK_FALSE: return "false";
	case TOK_NULL: return "null";
	case TOK_NUMBER:
		buf_clear(&a->found);
		buf_printf(&a->found, "the number %s", quote(&a->quote, t->text, t->len));
		return a->found.data;
	case TOK_INVALID:
		buf_clear(&a->found);
		if (t->len == 1 &&
		    ((unsigned char)t->text[0] < 0x20 || (unsigned char)t->text[0] >= 0x7f))
			buf_printf(&a->found, "the byte 0x%02X", (unsigned char)t->text[0]);
		else
			buf_printf(&a->found, "'%s'", quote(&a->quote, t->text, t->len));
		return a->found.data;
	}
	return "a token";
}

/* ---- the tokenizer ---- */

static uint64_t column_here(const struct api *a)
{
	return a->base + a->pos - a->line_start + 1;
}

static void read_failed(struct api *a)
{
	a->read_failed = true;
	a->eof = true;
	struct prom_where w = {
	    .file = a->name, .line = a->line, .column = column_here(a), .span = 1};
	struct diag_loc loc;
	prom_where_locate(&w, &loc);
	a->errors++;
	io_report_read(a->name, "input", a->in->error, &loc, a->d);
}

/* The next chunk, once chunk[pos..len) is used up; false at the end or on an error (reported). */
static bool refill(struct api *a)
{
	a->base += a->len;
	a->pos = 0;
	a->len = 0;
	if (a->eof)
		return false;
	long got = io_reader_read(a->in, a->chunk, CHUNK_BYTES);
	if (got < 0) {
		read_failed(a);
		return false;
	}
	if (got == 0) {
		a->eof = true;
		return false;
	}
	a->len = (size_t)got;
	return true;
}

/*
 * Makes at least n bytes available from pos (fewer at the end of the input), moving what is
 * left to the start of the chunk: for an escape, which json_decode_escape needs whole.
 */
static bool ensure(struct api *a, size_t n)
{
	if (a->len - a->pos >= n || a->eof)
		return true;
	size_t rest = a->len - a->pos;
	memmove(a->chunk, a->chunk + a->pos, rest);
	a->base += a->pos;
	a->pos = 0;
	a->len = rest;
	while (a->len < n && !a->eof) {
		long got = io_reader_read(a->in, a->chunk + a->len, CHUNK_BYTES - a->len);
		if (got < 0) {
			read_failed(a);
			return false;
		}
		if (got == 0)
			a->eof = true;
		a->len += (size_t)(got > 0 ? got : 0);
	}
	return true;
}

/*
 * Appends chunk[from..pos) to the token text unless skipping or the token is too long; past
 * STRING_MAX the token is marked too long and its text dropped (it may be in a value being
 * skipped: only what uses the text reports it).
 */
static void keep(struct api *a, size_t from)
{
	if (a->discard || a->tok.too_long || a->pos == from)
		return;
	if (a->text.len + (a->pos - from) > STRING_MAX) {
		a->tok.too_long = true;
		buf_clear(&a->text);
		return;
	}
	buf_append(&a->text, a->chunk + from, a->pos - from);
}

/* The current string token when it was too long to keep: reported, true. */
static bool string_too_long(struct api *a)
{
	if (!a->tok.too_long)
		return false;
	problem(a, DIAG_PROM_SYNTAX, a->tok.line, a->tok.column,
	        "a string longer than %d bytes, more than perfgate reads", STRING_MAX);
	return true;
}

static bool unterminated_string(struct api *a)
{
	if (a->read_failed)
		return false;
	return syntax_error(a, "the input ends inside a string (file cut short?)");
}

/* A string that straddles chunks or holds escapes: decoded into a->text. pos is after `from`. */
static bool lex_string_slow(struct api *a, size_t from)
{
	buf_clear(&a->text);
	for (;;) {
		if (a->pos == a->len) {
			keep(a, from);
			if (!refill(a))
				return unterminated_string(a);
			from = 0;
			continue;
		}
		unsigned char c = (unsigned char)a->chunk[a->pos];
		if (c == '"') {
			keep(a, from);
			a->pos++;
			break;
		}
		if (c < 0x20) {
			report_at(
			    a, DIAG_JSON_SYNTAX, a->line, column_here(a),
			    "a control character (0x%02X) inside a string: JSON needs it escaped",
			    c);
			return false;
		}
		if (c != '\\') {
			a->pos++;
			continue;
		}
		keep(a, from);
		if (!ensure(a, 12))
			return false;
		if (a->len - a->pos < 2)
			return unterminated_string(a);
		struct json_escape e = json_decode_escape(a->chunk + a->pos, a->chunk + a->len);
		if (e.status != JSON_ESCAPE_OK) {
			if (e.status == JSON_ESCAPE_UNKNOWN)
				report_at(a, DIAG_JSON_SYNTAX, a->line, column_here(a),
				          "'\\%s' is not a JSON escape",
				          quote(&a->quote, a->chunk + a->pos + 1, 1));
			else if (e.status == JSON_ESCAPE_BAD_HEX)
				report_at(a, DIAG_JSON_SYNTAX, a->line, column_here(a),
				          "'\\u' must be followed by four hex digits");
			else
				report_at(a, DIAG_JSON_SYNTAX, a->line, column_here(a),
				          "'\\u%04X' is half of a UTF-16 surrogate pair, alone",
				          (unsigned)e.cp);
			return false;
		}
		if (e.cp == 0 && !a->discard) {
			/* names and label values are C strings: two that differ after it would be one */
			report_at(a, DIAG_PROM_SYNTAX, a->line, column_here(a),
			          "'\\u0000' (NUL) in a string: perfgate cannot keep it in a name");
			return false;
		}
		if (!a->discard && !a->tok.too_long && a->text.len + e.width > STRING_MAX) {
			a->tok.too_long = true;
			buf_clear(&a->text);
		}
		if (!a->discard && !a->tok.too_long) {
			if (e.width == 1)
				buf_putc(&a->text, (char)e.cp);
			else
				buf_put_utf8(&a->text, e.cp);
		}
		a->pos += e.raw;
		from = a->pos;
	}
	a->tok.kind = TOK_STRING;
	a->tok.text = a->text.data ? a->text.data : "";
	a->tok.len = a->text.len;
	return true;
}

/* string = '"' characters '"'; the common case (no escape, inside the chunk) copies nothing. */
static bool lex_string(struct api *a)
{
	size_t from = ++a->pos;
	const char *p = a->chunk + from, *end = a->chunk + a->len;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c == '"') {
			a->tok.kind = TOK_STRING;
			a->tok.text = a->chunk + from;
			a->tok.len = (size_t)(p - a->tok.text);
			a->pos = (size_t)(p + 1 - a->chunk);
			return true;
		}
		if (c == '\\' || c < 0x20)
			break;
		p++;
	}
	a->pos = (size_t)(p - a->chunk);
	return lex_string_slow(a, from);
}

/* Bytes of numbers and of true/false/null (and of the words a careless writer might use). */
static bool is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '+' || c == '.';
}

/* number = '-'? ('0' | [1-9] [0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool json_number_valid(const char *s, size_t len)
{
	size_t i = 0;
	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0') {
		i++;
	} else if (i < len && s[i] >= '1' && s[i] <= '9') {
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return false;
	}
	if (i < len && s[i] == '.') {
		size_t digits = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == digits)
			return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t digits = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == digits)
			return false;
	}
	return i == len;
}

static bool word_is(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(s, word, len) == 0;
}

/* A number or true/false/null: a run of word bytes, which may straddle chunks. */
static bool lex_word(struct api *a)
{
	struct token *t = &a->tok;
	size_t from = a->pos;
	while (a->pos < a->len && is_word_byte((unsigned char)a->chunk[a->pos]))
		a->pos++;
	if (a->pos == from) {
		t->kind = TOK_INVALID;
		t->text = a->chunk + a->pos++;
		t->len = 1;
		return true;
	}
	t->text = a->chunk + from;
	t->len = a->pos - from;
	if (a->pos == a->len) {
		bool discard = a->discard;
		a->discard = false; /* a word's text is needed to tell what it is */
		buf_clear(&a->text);
		keep(a, from);
		while (!t->too_long && refill(a)) {
			while (a->pos < a->len && is_word_byte((unsigned char)a->chunk[a->pos]))
				a->pos++;
			keep(a, 0);
			if (a->pos < a->len)
				break;
		}
		a->discard = discard;
		if (t->too_long)
			return syntax_error(a, "a number longer than %d bytes", STRING_MAX);
		if (a->read_failed)
			return false;
		t->text = a->text.data;
		t->len = a->text.len;
	}
	if (t->text[0] == '-' || (t->text[0] >= '0' && t->text[0] <= '9')) {
		if (!json_number_valid(t->text, t->len))
			return syntax_error(a, "'%s' is not a JSON number",
			                    quote(&a->quote, t->text, t->len));
		t->kind = TOK_NUMBER;
	} else if (word_is(t->text, t->len, "true")) {
		t->kind = TOK_TRUE;
	} else if (word_is(t->text, t->len, "false")) {
		t->kind = TOK_FALSE;
	} else if (word_is(t->text, t->len, "null")) {
		t->kind = TOK_NULL;
	} else {
		t->kind = TOK_INVALID;
	}
	return true;
}

/* Moves to the next token (a->tok); false on malformed JSON or a read error (reported). */
static bool advance(struct api *a)
{
	struct token *t = &a->tok;
	for (;;) {
		while (a->pos < a->len) {
			char c = a->chunk[a->pos];
			if (c == ' ' || c == '\t' || c == '\r') {
				a->pos++;
			} else if (c == '\n') {
				a->pos++;
				a->line++;
				a->line_start = a->base + a->pos;
			} else {
				goto token;
			}
		}
		if (!refill(a)) {
			t->kind = TOK_EOF;
			t->text = "";
			t->len = 0;
			t->too_long = false;
			t->line = a->line;
			t->column = column_here(a);
			return !a->read_failed;
		}
	}
token:
	t->line = a->line;
	t->column = column_here(a);
	t->too_long = false;
	switch (a->chunk[a->pos]) {
	case '{': t->kind = TOK_LBRACE; break;
	case '}': t->kind = TOK_RBRACE; break;
	case '[': t->kind = TOK_LBRACKET; break;
	case ']': t->kind = TOK_RBRACKET; break;
	case ':': t->kind = TOK_COLON; break;
	case ',': t->kind = TOK_COMMA; break;
	case '"': return lex_string(a);
	default: return lex_word(a);
	}
	t->text = a->chunk + a->pos++;
	t->len = 1;
	return true;
}

/* ---- JSON structure, the same for every object and array ---- */

enum step { STEP_FAIL, STEP_MEMBER, STEP_END };

static bool member_key_is(const struct api *a, const char *key)
{
	return word_is(a->tok.text, a->tok.len, key);
}

/*
 * object = '{' (string ':' value (',' string ':' value)*)? '}'
 * One step through an object whose '{' is the current token the first time (*first true):
 * STEP_MEMBER leaves the current token at the next member's key, for the caller to read
 * before calling member_value; STEP_END leaves it after the '}'.
 */
static enum step object_next(struct api *a, bool *first)
{
	if (*first) {
		*first = false;
		if (!advance(a))
			return STEP_FAIL;
		if (a->tok.kind == TOK_RBRACE)
			return advance(a) ? STEP_END : STEP_FAIL;
	} else if (a->tok.kind == TOK_COMMA) {
		if (!advance(a))
			return STEP_FAIL;
	} else if (a->tok.kind == TOK_RBRACE) {
		return advance(a) ? STEP_END : STEP_FAIL;
	} else {
		syntax_error(a, "expected ',' or '}' after an object member, found %s", found(a));
		return STEP_FAIL;
	}
	if (a->tok.kind != TOK_STRING) {
		syntax_error(a, "expected a member name (a string), found %s", found(a));
		return STEP_FAIL;
	}
	return STEP_MEMBER;
}

/* From a member's key past the ':' to its value. */
static bool member_value(struct api *a)
{
	if (!advance(a))
		return false;
	if (a->tok.kind != TOK_COLON)
		return syntax_error(a, "expected ':' after a member name, found %s", found(a));
	return advance(a);
}

/*
 * array = '[' (value (',' value)*)? ']'
 * One step through an array whose '[' is the current token the first time: STEP_MEMBER leaves
 * the current token at the next element, STEP_END after the ']'.
 */
static enum step array_next(struct api *a, bool *first)
{
	if (*first) {
		*first = false;
		if (!advance(a))
			return STEP_FAIL;
		if (a->tok.kind == TOK_RBRACKET)
			return advance(a) ? STEP_END : STEP_FAIL;
		return STEP_MEMBER;
	}
	if (a->tok.kind == TOK_COMMA)
		return advance(a) ? STEP_MEMBER : STEP_FAIL;
	if (a->tok.kind == TOK_RBRACKET)
		return advance(a) ? STEP_END : STEP_FAIL;
	syntax_error(a, "expected ',' or ']' after an array element, found %s", found(a));
	return STEP_FAIL;
}

static void set_nesting(struct api *a, size_t depth, bool object)
{
	unsigned char bit = (unsigned char)(1u << (depth % 8));
	if (object)
		a->nesting[depth / 8] |= bit;
	else
		a->nesting[depth / 8] &= (unsigned char)~bit;
}

static bool nesting_is_object(const struct api *a, size_t depth)
{
	return a->nesting[depth / 8] & (1u << (depth % 8));
}

/* A member's key at the current token, then its ':'. */
static bool member_key(struct api *a)
{
	if (a->tok.kind != TOK_STRING)
		return syntax_error(a, "expected a member name (a string), found %s", found(a));
	return member_value(a);
}

/*
 * value = object | array | string | number | true | false | null
 * Checked and dropped, without recursion: one bit per open container says which it is.
 */
static bool skip_checked(struct api *a)
{
	size_t depth = 0;
	for (;;) {
		enum tok_kind kind = a->tok.kind;
		if (kind == TOK_LBRACE || kind == TOK_LBRACKET) {
			if (depth == NESTING_MAX)
				return syntax_error(a, "JSON nested more than %d levels deep",
				                    NESTING_MAX);
			set_nesting(a, depth++, kind == TOK_LBRACE);
			if (!advance(a))
				return false;
			if (a->tok.kind != (kind == TOK_LBRACE ? TOK_RBRACE : TOK_RBRACKET)) {
				if (kind == TOK_LBRACE && !member_key(a))
					return false;
				continue; /* the first member's value */
			}
			depth--; /* {} or [] */
		} else if (kind != TOK_STRING && kind != TOK_NUMBER && kind != TOK_TRUE &&
		           kind != TOK_FALSE && kind != TOK_NULL) {
			return syntax_error(a, "expected a JSON value, found %s", found(a));
		}
		/* the current token ends a value: close what it ends, up to the next value */
		if (!advance(a))
			return false;
		for (;;) {
			if (depth == 0)
				return true;
			bool object = nesting_is_object(a, depth - 1);
			if (a->tok.kind == TOK_COMMA) {
				if (!advance(a) || (object && !member_key(a)))
					return false;
				break;
			}
			if (a->tok.kind != (object ? TOK_RBRACE : TOK_RBRACKET))
				return syntax_error(
				    a, "expected ',' or '%c' after %s, found %s",
				    object ? '}' : ']',
				    object ? "an object member" : "an array element", found(a));
			depth--;
			if (!advance(a))
				return false;
		}
	}
}

static bool skip_value(struct api *a)
{
	bool discard = a->discard;
	a->discard = true;
	bool ok = skip_checked(a);
	a->discard = discard;
	return ok;
}

/*
 * A value of the wrong kind at the current token: the problem "WHAT, found ..." (WHAT is fmt
 * formatted), then the value skipped. A token that starts no JSON value is only malformed
 * JSON, which skip_value reports.
 */
static bool wrong_value(struct api *a, const char *fmt, ...) PG_PRINTF(2, 3);
static bool wrong_value(struct api *a, const char *fmt, ...)
{
	enum tok_kind kind = a->tok.kind;
	if (kind == TOK_LBRACE || kind == TOK_LBRACKET || kind == TOK_STRING ||
	    kind == TOK_NUMBER || kind == TOK_TRUE || kind == TOK_FALSE || kind == TOK_NULL) {
		struct buf what;
		buf_init(&what);
		va_list ap;
		va_start(ap, fmt);
		buf_vprintf(&what, fmt, ap);
		va_end(ap);
		problem(a, DIAG_PROM_SYNTAX, a->tok.line, a->tok.column, "%s, found %s", what.data,
		        found(a));
		buf_fini(&what);
	}
	return skip_value(a);
}

/* The rest of an array whose first element is the current token (array_next gave it). */
static bool skip_elements(struct api *a, bool *first)
{
	enum step st = STEP_MEMBER;
	while (st == STEP_MEMBER) {
		if (!skip_value(a))
			return false;
		st = array_next(a, first);
	}
	return st == STEP_END;
}

/* ---- times and values ---- */

enum time_status { TIME_OK, TIME_NEGATIVE, TIME_RANGE };

/*
 * A JSON number of seconds (grammar checked) as µs, exactly from its decimal digits: the
 * digits down to the µs form the integer, the next one rounds it half away from zero, so
 * 1733456789.123 is 1733456789123000 and 1.7334567891235e9 is 1733456789123500.
 */
static enum time_status seconds_to_us(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	bool negative = s[0] == '-';
	i += negative;
	size_t int_from = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	size_t int_digits = i - int_from, frac_from = i, frac_digits = 0;
	if (i < len && s[i] == '.') {
		frac_from = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		frac_digits = i - frac_from;
	}
	long exponent = 0;
	if (i < len) { /* e or E */
		bool down = s[++i] == '-';
		i += s[i] == '-' || s[i] == '+';
		for (; i < len; i++)
			if (exponent < 100000000L)
				exponent = exponent * 10 + (s[i] - '0');
		if (down)
			exponent = -exponent;
	}
	/* digit k of int digits ++ fraction digits has weight 10^(whole - 1 - k) µs */
	long whole = (long)int_digits + exponent + 6;
	size_t count = int_digits + frac_digits;
	uint64_t us = 0;
	bool nonzero = false;
	int round = 0;
	for (size_t k = 0; k < count; k++) {
		int digit =
		    (k < int_digits ? s[int_from + k] : s[frac_from + k - int_digits]) - '0';
		nonzero |= digit != 0;
		if ((long)k < whole) {
			if (us > TIME_US_MAX / 10)
				return TIME_RANGE;
			us = us * 10 + (uint64_t)digit;
		} else if ((long)k == whole) {
			round = digit >= 5;
		}
	}
	for (long k = (long)count; k < whole && us != 0; k++) {
		if (us > TIME_US_MAX / 10)
			return TIME_RANGE;
		us *= 10;
	}
	us += (uint64_t)round;
	if (us > TIME_US_MAX)
		return TIME_RANGE;
	if (negative && nonzero)
		return TIME_NEGATIVE;
	*out = (int64_t)us;
	return TIME_OK;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A plain decimal value ("13452.54", "-0.5", "7"), at most 15 digits, exactly: the digits form
 * an integer below 2^53 and 10^fraction digits is exact, so one IEEE division rounds
 * correctly, as num_parse_double's own fast path does (Clinger), so the double is the same.
 * Here because num_parse_double first tries every value against the NaN, Inf and missing
 * spellings, which costs more than the arithmetic on the hot path. False for anything else.
 */
static bool plain_value(const char *s, size_t len, double *out)
{
	static const double powers[] = {1,   1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                                1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	if (len == 0)
		return false;
	size_t i = s[0] == '-', digits = 0, fraction = 0;
	bool point = false;
	uint64_t mantissa = 0;
	for (; i < len; i++) {
		if (is_digit(s[i])) {
			mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
			digits++;
			fraction += point;
		} else if (s[i] == '.' && !point) {
			point = true;
		} else {
			return false;
		}
	}
	if (digits == 0 || digits > 15 || (point && fraction == 0))
		return false;
	double value = (double)mantissa / powers[fraction];
	*out = s[0] == '-' ? -value : value;
	return true;
}

/*
 * A sample value as Prometheus writes it (Go's strconv: "12.5", "1e-07", "NaN", "+Inf",
 * "-Inf"; ParseFloat also takes "Inf" and "infinity"), without blanks; a signed NaN and
 * numbers beyond a double are refused, as ParseFloat refuses them.
 */
static bool parse_value(const char *s, size_t len, double *out)
{
	if (plain_value(s, len, out))
		return true;
	if (len == 0 || s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
		return false;
	switch (num_parse_double(s, len, out, NULL)) {
	case NUM_OK:
	case NUM_INF: return true;
	case NUM_NAN: return s[0] != '+' && s[0] != '-';
	default: return false;
	}
}

/* A pair's time (a JSON number) as µs; false when refused (reported). */
static bool read_time(struct api *a, const char *s, size_t len, uint64_t line, uint64_t column,
                      int64_t *us)
{
	enum time_status ts = seconds_to_us(s, len, us);
	if (ts == TIME_OK)
		return true;
	problem(a, DIAG_PROM_SYNTAX, line, column,
	        ts == TIME_NEGATIVE ? "the time %s is before 1970 (negative Unix seconds)"
	                            : "the time %s is out of range (after the year 9999)",
	        quote(&a->quote, s, len));
	return false;
}

static void bad_value(struct api *a, uint64_t line, uint64_t column, const char *s, size_t len)
{
	problem(a, DIAG_PROM_SYNTAX, line, column,
	        "'%s' is not a sample value (a decimal number, NaN, +Inf or -Inf)",
	        quote(&a->quote, s, len));
}

/*
 * pair = '[' number ',' string ']'
 * The elements of a pair whose first element is the current token (array_next gave it).
 * numeric: read the value as a number (a string result's is text); keep_text: copy the value
 * string there. Problems are reported (one per pair) and leave p->ok false.
 */
static bool pair_elements(struct api *a, bool *first, struct pair *p, bool numeric,
                          struct buf *keep_text)
{
	size_t count = 0;
	bool bad = false;
	enum step st = STEP_MEMBER;
	for (; st == STEP_MEMBER; count++, st = array_next(a, first)) {
		struct token *t = &a->tok;
		if (count == 0 && t->kind == TOK_NUMBER) {
			bad = !read_time(a, t->text, t->len, t->line, t->column, &p->time_us);
		} else if (count == 1 && t->kind == TOK_STRING) {
			bad = bad || string_too_long(a);
			p->value_line = t->line;
			p->value_column = t->column;
			if (keep_text) {
				buf_clear(keep_text);
				buf_append(keep_text, t->text, t->len);
			}
			if (numeric && !bad && !parse_value(t->text, t->len, &p->value)) {
				bad = true;
				bad_value(a, t->line, t->column, t->text, t->len);
			}
		} else {
			const char *what =
			    count == 0   ? "a sample's time must be a JSON number of seconds"
			    : count == 1 ? "a sample's value must be a string such as \"12.5\""
			                 : "a sample is [time, \"value\"] and nothing more";
			bool ok = bad ? skip_value(a) : wrong_value(a, "%s", what);
			bad = true;
			if (!ok)
				return false;
			continue;
		}
		if (!advance(a))
			return false;
	}
	if (st == STEP_FAIL)
		return false;
	if (count < 2 && !bad) {
		problem(a, DIAG_PROM_SYNTAX, p->line, p->column,
		        "a sample is [time, \"value\"]; this one has %zu element%s", count,
		        count == 1 ? "" : "s");
		bad = true;
	}
	p->ok = !bad;
	return true;
}

/*
 * The hot path: a pair as Prometheus writes it, `1733456789.123,"12.5"]` after the '[' that is
 * the current token, read straight from the chunk (digits with at most one '.', then a string
 * without escapes). Anything else, or a pair not whole in the chunk, returns false having
 * consumed nothing, for the general path. True: *p is filled (problems reported) and the
 * current token is the one after the ']' (*ok false when lexing it failed). A time of at most
 * 12 digits and 6 decimals is converted while scanning it (exact in integers); others go
 * through read_time.
 */
static bool fast_pair(struct api *a, struct pair *p, bool *ok)
{
	static const uint64_t scale[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
	const char *start = a->chunk + a->pos, *end = a->chunk + a->len, *q = start;
	if (q < end && *q == '0' && q + 1 < end && is_digit(q[1]))
		return false; /* 01: not JSON, said by the general path */
	uint64_t seconds = 0, fraction = 0;
	while (q < end && is_digit(*q))
		seconds = seconds * 10 + (uint64_t)(*q++ - '0');
	size_t int_digits = (size_t)(q - start), frac_digits = 0;
	if (int_digits == 0)
		return false;
	if (q < end && *q == '.') {
		const char *from = ++q;
		while (q < end && is_digit(*q))
			fraction = fraction * 10 + (uint64_t)(*q++ - '0');
		frac_digits = (size_t)(q - from);
		if (frac_digits == 0)
			return false;
	}
	size_t time_len = (size_t)(q - start);
	if (end - q < 2 || q[0] != ',' || q[1] != '"')
		return false;
	const char *value = q += 2;
	while (q < end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
		q++;
	if (end - q < 2 || q[0] != '"' || q[1] != ']')
		return false;
	size_t value_len = (size_t)(q - value);
	uint64_t line = a->tok.line, column = a->tok.column; /* the '[' just before start */
	*p = (struct pair){.line = line,
	                   .column = column,
	                   .value_line = line,
	                   .value_column = column + (uint64_t)(value - start)};
	uint64_t fast = int_digits <= 12 && frac_digits <= 6
	                        ? seconds * 1000000 + fraction * scale[frac_digits]
	                        : UINT64_MAX;
	if (fast <= TIME_US_MAX) {
		p->time_us = (int64_t)fast;
		p->ok = true;
	} else { /* the general reader, which also says why a time is refused */
		p->ok = read_time(a, start, time_len, line, column + 1, &p->time_us);
	}
	if (p->ok && !parse_value(value, value_len, &p->value)) {
		p->ok = false;
		bad_value(a, line, p->value_column, value, value_len);
	}
	a->pos = (size_t)(q + 2 - a->chunk);
	*ok = advance(a);
	return true;
}

/* pair, at the current token; a problem (reported) leaves p->ok false. */
static bool pair(struct api *a, struct pair *p)
{
	bool ok;
	if (a->tok.kind == TOK_LBRACKET && fast_pair(a, p, &ok))
		return ok;
	*p = (struct pair){.line = a->tok.line, .column = a->tok.column};
	if (a->tok.kind != TOK_LBRACKET)
		return wrong_value(a, "a sample must be [time, \"value\"]");
	bool first = true;
	enum step st = array_next(a, &first);
	if (st == STEP_FAIL)
		return false;
	if (st == STEP_END) {
		problem(a, DIAG_PROM_SYNTAX, p->line, p->column,
		        "a sample is [time, \"value\"]; this one is empty");
		return true;
	}
	return pair_elements(a, &first, p, true, NULL);
}

/* ---- samples ---- */

static bool emit(struct api *a, const char *name, size_t name_len, const struct prom_label *labels,
                 size_t label_count, const struct pair *p)
{
	if (a->status_error)
		return true; /* the response is the server's error: nothing in it is a sample */
	struct prom_sample s = {
	    .name = name,
	    .name_len = name_len,
	    .family = name,
	    .family_len = name_len,
	    .type = PROM_UNTYPED,
	    .labels = labels,
	    .label_count = label_count,
	    .value = p->value,
	    .time_us = p->time_us,
	    .has_time = true,
	    .where = {.file = a->name, .line = p->line, .column = p->column, .span = 1},
	};
	if (!a->sink->sample(a->sink->ctx, &s)) {
		a->stopped = true;
		return false;
	}
	return true;
}

static bool emit_series(struct api *a, const struct pair *p)
{
	const struct api_series *s = &a->series;
	return emit(a, s->has_name ? s->text.data + s->name : NULL, s->has_name ? s->name_len : 0,
	            s->labels, s->label_count, p);
}

/* A pair of the current series: handed over, or kept until its labels are known. */
static bool series_sample(struct api *a, const struct pair *p)
{
	struct api_series *s = &a->series;
	if (s->has_metric)
		return s->bad_metric || emit_series(a, p);
	if (s->pending_count >= PENDING_MAX) {
		if (s->pending_count == PENDING_MAX) /* once */
			problem(
			    a, DIAG_PROM_SYNTAX, p->line, p->column,
			    "more than %d values of one series before its \"metric\", more than "
			    "perfgate keeps",
			    PENDING_MAX);
		s->pending_count = PENDING_MAX + 1;
		return true;
	}
	s->pending = xgrow(s->pending, &s->pending_cap, s->pending_count + 1, sizeof *s->pending);
	s->pending[s->pending_count++] = *p;
	return true;
}

/* ---- the grammar ---- */

/* Copies the current string token into the series' label text; false past the limit. */
static bool label_text(struct api *a, size_t *offset, size_t *len)
{
	struct api_series *s = &a->series;
	if (s->text.len + a->tok.len > LABEL_BYTES_MAX)
		return false;
	*offset = s->text.len;
	*len = a->tok.len;
	buf_append(&s->text, a->tok.text, a->tok.len);
	return true;
}

/* One label (the current token is its name); *bad set when it cannot be used (reported). */
static bool label(struct api *a, bool *bad)
{
	struct api_series *s = &a->series;
	struct label_offsets l;
	struct token key = a->tok;
	if (string_too_long(a)) {
		*bad = true;
		return member_value(a) && skip_value(a);
	}
	bool fits = s->label_count < LABELS_MAX && label_text(a, &l.name, &l.name_len);
	if (!member_value(a))
		return false;
	if (*bad)
		return skip_value(a);
	if (!fits) {
		*bad = true;
		problem(a, DIAG_PROM_SYNTAX, key.line, key.column,
		        "a series with more than %d labels or %d bytes of them, more than perfgate "
		        "reads",
		        LABELS_MAX, LABEL_BYTES_MAX);
		return skip_value(a);
	}
	const char *name = s->text.data + l.name;
	if (a->tok.kind != TOK_STRING) {
		*bad = true;
		return wrong_value(a, "label '%s' must have a string value",
		                   quote(&a->quote2, name, l.name_len));
	}
	if (string_too_long(a)) {
		*bad = true;
		return advance(a);
	}
	if (!label_text(a, &l.value, &l.value_len)) {
		*bad = true;
		problem(a, DIAG_PROM_SYNTAX, key.line, key.column,
		        "a series with more than %d bytes of labels, more than perfgate reads",
		        LABEL_BYTES_MAX);
		return skip_value(a);
	}
	name = s->text.data + l.name;
	const char *value = s->text.data + l.value;
	if (str_utf8_valid(name, l.name_len) != l.name_len ||
	    str_utf8_valid(value, l.value_len) != l.value_len) {
		*bad = true;
		problem(a, DIAG_PROM_SYNTAX, key.line, key.column, "label '%s' is not valid UTF-8",
		        quote(&a->quote2, name, l.name_len));
		return advance(a);
	}
	bool is_name = word_is(name, l.name_len, "__name__");
	bool twice = is_name && s->has_name;
	for (size_t i = 0; i < s->label_count && !twice; i++)
		twice = s->offsets[i].name_len == l.name_len &&
		        memcmp(s->text.data + s->offsets[i].name, name, l.name_len) == 0;
	if (twice) {
		*bad = true;
		problem(a, DIAG_PROM_SYNTAX, key.line, key.column,
		        "label '%s' appears twice in one metric",
		        quote(&a->quote2, name, l.name_len));
	} else if (is_name) {
		s->has_name = true;
		s->name = l.value;
		s->name_len = l.value_len;
	} else {
		s->offsets =
		    xgrow(s->offsets, &s->offsets_cap, s->label_count + 1, sizeof *s->offsets);
		s->offsets[s->label_count++] = l;
	}
	return advance(a);
}

/* labels = '{' (string ':' string (',' string ':' string)*)? '}' */
static bool metric(struct api *a)
{
	struct api_series *s = &a->series;
	if (s->has_metric) {
		problem(a, DIAG_PROM_SYNTAX, a->tok.line, a->tok.column,
		        "a series with two \"metric\" members");
		s->bad_metric = true;
		return skip_value(a);
	}
	s->has_metric = true;
	if (a->tok.kind != TOK_LBRACE) {
		s->bad_metric = true;
		return wrong_value(a, "\"metric\" must be an object of label names and values");
	}
	bool first = true, bad = false;
	enum step st;
	while ((st = object_next(a, &first)) == STEP_MEMBER)
		if (!label(a, &bad))
			return false;
	if (st == STEP_FAIL)
		return false;
	s->bad_metric = bad;
	if (bad)
		return true;
	s->labels = xgrow(s->labels, &s->labels_cap, s->label_count + 1, sizeof *s->labels);
	for (size_t i = 0; i < s->label_count; i++) {
		const struct label_offsets *l = &s->offsets[i];
		s->labels[i] = (struct prom_label){s->text.data + l->name, l->name_len,
		                                   s->text.data + l->value, l->value_len};
	}
	for (size_t i = 0; i < s->pending_count && i < PENDING_MAX; i++)
		if (!emit_series(a, &s->pending[i]))
			return false;
	s->pending_count = 0;
	return true;
}

/* values = '[' (pair (',' pair)*)? ']' */
static bool values(struct api *a)
{
	if (a->tok.kind != TOK_LBRACKET)
		return wrong_value(a, "\"values\" must be an array of [time, \"value\"] pairs");
	bool first = true;
	enum step st;
	while ((st = array_next(a, &first)) == STEP_MEMBER) {
		struct pair p;
		if (!pair(a, &p) || (p.ok && !series_sample(a, &p)))
			return false;
	}
	return st == STEP_END;
}

static void series_clear(struct api_series *s)
{
	s->has_metric = s->bad_metric = s->has_name = false;
	buf_clear(&s->text);
	s->label_count = 0;
	s->pending_count = 0;
}

/*
 * series = '{' ("metric" ':' labels | "values" ':' values | "value" ':' pair
 *          | "histograms" ':' value | "histogram" ':' value | string ':' value)* '}'
 */
static bool series(struct api *a)
{
	struct api_series *s = &a->series;
	struct token open = a->tok;
	if (open.kind != TOK_LBRACE)
		return wrong_value(a, "a series must be an object {\"metric\": ..., "
		                      "\"values\": ...}");
	series_clear(s);
	bool first = true, histograms = false;
	enum step st;
	while ((st = object_next(a, &first)) == STEP_MEMBER) {
		struct token key = a->tok;
		bool ok;
		if (member_key_is(a, "metric")) {
			ok = member_value(a) && metric(a);
		} else if (member_key_is(a, "values")) {
			ok = member_value(a) && values(a);
		} else if (member_key_is(a, "value")) {
			struct pair p;
			ok = member_value(a) && pair(a, &p) && (!p.ok || series_sample(a, &p));
		} else if (member_key_is(a, "histograms") || member_key_is(a, "histogram")) {
			if (!histograms && a->histogram_series++ == 0) {
				a->histogram_line = key.line;
				a->histogram_column = key.column;
			}
			histograms = true;
			ok = member_value(a) && skip_value(a);
		} else {
			ok = member_value(a) && skip_value(a);
		}
		if (!ok)
			return false;
	}
	if (st == STEP_FAIL)
		return false;
	if (!s->has_metric)
		problem(a, DIAG_MISSING_FIELD, open.line, open.column,
		        "a series without \"metric\" (its labels)");
	return true;
}

/* A [time, value] result (scalar or string) whose type is known: the scalar is a sample. */
static bool decide_pair(struct api *a, const char *text, size_t len)
{
	struct pair *p = &a->pair;
	if (a->result_type != RESULT_SCALAR || !p->ok)
		return true;
	if (text && !parse_value(text, len, &p->value)) {
		bad_value(a, p->value_line, p->value_column, text, len);
		return true;
	}
	return emit(a, NULL, 0, NULL, 0, p);
}

/*
 * result = '[' (series (',' series)*)? ']'      matrix, vector
 *        | '[' number ',' string ']'             scalar, string
 * Told apart by the first element, so a result before its resultType is read all the same.
 */
static bool result(struct api *a)
{
	struct token open = a->tok;
	a->has_result = true;
	if (open.kind != TOK_LBRACKET)
		return wrong_value(a, "\"result\" must be an array");
	bool first = true;
	enum step st = array_next(a, &first);
	if (st != STEP_MEMBER)
		return st == STEP_END; /* [] fits every type */
	enum result_type type = a->result_type;
	if (type == RESULT_OTHER)
		return skip_elements(a, &first); /* reported at resultType */
	bool listed = type == RESULT_MATRIX || type == RESULT_VECTOR;
	if (a->tok.kind == TOK_LBRACE || (listed && a->tok.kind != TOK_NUMBER)) {
		a->result_series = true;
		if (type == RESULT_SCALAR || type == RESULT_STRING) {
			problem(a, DIAG_PROM_SYNTAX, open.line, open.column,
			        "a %s result is [time, \"value\"], not a list of series",
			        type == RESULT_SCALAR ? "scalar" : "string");
			return skip_elements(a, &first);
		}
		for (; st == STEP_MEMBER; st = array_next(a, &first))
			if (!series(a))
				return false;
		return st == STEP_END;
	}
	a->result_pair = true;
	if (listed) {
		problem(a, DIAG_PROM_SYNTAX, open.line, open.column,
		        "a %s result is a list of series, not [time, \"value\"]",
		        type == RESULT_MATRIX ? "matrix" : "vector");
		return skip_elements(a, &first);
	}
	a->pair = (struct pair){.line = open.line, .column = open.column};
	if (!pair_elements(a, &first, &a->pair, type == RESULT_SCALAR,
	                   type == RESULT_NONE ? &a->pair_text : NULL))
		return false;
	a->pending_pair = type == RESULT_NONE;
	return a->pending_pair || decide_pair(a, NULL, 0);
}

/* The resultType string at the current token, checked against a result read before it. */
static bool result_type(struct api *a)
{
	const struct token *t = &a->tok;
	if (t->kind != TOK_STRING) {
		a->result_type = RESULT_OTHER;
		return wrong_value(a, "\"resultType\" must be a string");
	}
	static const char *const names[] = {"", "matrix", "vector", "scalar", "string"};
	a->result_type = RESULT_OTHER;
	if (string_too_long(a))
		return advance(a);
	for (size_t i = 1; i < PG_ARRAY_LEN(names); i++)
		if (word_is(t->text, t->len, names[i]))
			a->result_type = (enum result_type)i;
	enum result_type type = a->result_type;
	bool listed = type == RESULT_MATRIX || type == RESULT_VECTOR;
	if (type == RESULT_OTHER)
		problem(a, DIAG_PROM_SYNTAX, t->line, t->column,
		        "unknown resultType '%s' (Prometheus answers matrix, vector, scalar or "
		        "string)",
		        quote(&a->quote, t->text, t->len));
	else if ((a->result_series && !listed) || (a->result_pair && listed))
		problem(a, DIAG_PROM_SYNTAX, t->line, t->column,
		        "resultType '%s' does not match the result before it, which is %s",
		        quote(&a->quote, t->text, t->len),
		        a->result_pair ? "[time, \"value\"]" : "a list of series");
	else if (type == RESULT_STRING)
		report_at(
		    a, DIAG_PROM_UNSUPPORTED, t->line, t->column,
		    "a string result holds no samples; perfgate reads matrix, vector and scalar "
		    "results");
	return advance(a);
}

/* data = '{' ("resultType" ':' string | "result" ':' result | string ':' value)* '}' */
static bool data(struct api *a)
{
	struct token open = a->tok;
	a->has_data = true;
	if (open.kind != TOK_LBRACE)
		return wrong_value(a, "\"data\" must be an object {\"resultType\": ..., "
		                      "\"result\": ...}");
	bool first = true;
	enum step st;
	while ((st = object_next(a, &first)) == STEP_MEMBER) {
		bool ok;
		if (member_key_is(a, "resultType"))
			ok = member_value(a) && result_type(a);
		else if (member_key_is(a, "result"))
			ok = member_value(a) && result(a);
		else
			ok = member_value(a) && skip_value(a);
		if (!ok)
			return false;
	}
	if (st == STEP_FAIL)
		return false;
	if (a->result_type == RESULT_NONE)
		problem(a, DIAG_MISSING_FIELD, open.line, open.column,
		        "\"data\" without \"resultType\"");
	if (!a->has_result)
		problem(a, DIAG_MISSING_FIELD, open.line, open.column,
		        "\"data\" without \"result\"");
	if (a->pending_pair) {
		a->pending_pair = false;
		return decide_pair(a, a->pair_text.data ? a->pair_text.data : "", a->pair_text.len);
	}
	return true;
}

/* "status": "success" | "error" */
static bool status(struct api *a)
{
	const struct token *t = &a->tok;
	a->has_status = true;
	a->status_line = t->line;
	a->status_column = t->column;
	if (t->kind == TOK_STRING && string_too_long(a))
		return advance(a);
	if (t->kind == TOK_STRING && word_is(t->text, t->len, "success")) {
		a->status_error = false;
	} else if (t->kind == TOK_STRING && word_is(t->text, t->len, "error")) {
		a->status_error = true;
	} else if (t->kind == TOK_STRING) {
		problem(a, DIAG_PROM_SYNTAX, t->line, t->column,
		        "\"status\" must be \"success\" or \"error\", not '%s'",
		        quote(&a->quote, t->text, t->len));
	} else {
		return wrong_value(a, "\"status\" must be \"success\" or \"error\"");
	}
	return advance(a);
}

/* "errorType" or "error": a string, kept for the message. */
static bool error_member(struct api *a, struct buf *out, bool *has, const char *key)
{
	if (a->tok.kind != TOK_STRING)
		return wrong_value(a, "\"%s\" must be a string", key);
	if (string_too_long(a))
		return advance(a);
	*has = true;
	buf_clear(out);
	buf_append(out, a->tok.text, a->tok.len);
	return advance(a);
}

/* A warning or info the response carries, at the current (string) token. */
static void pass_note(struct api *a, const char *kind)
{
	const struct token *t = &a->tok;
	if (a->sink->input_note) {
		struct prom_where w = {
		    .file = a->name, .line = t->line, .column = t->column, .span = 1};
		a->sink->input_note(a->sink->ctx, t->text, t->len, &w);
		return;
	}
	buf_clear(&a->quote);
	str_utf8_clean(&a->quote, t->text, t->len, STR_CLEAN_CONTROL_SPACE | STR_CLEAN_C1_SPACE,
	               SIZE_MAX);
	report_at(a, DIAG_NOTE, t->line, t->column, "the response carries a Prometheus %s: %s",
	          kind, a->quote.data);
}

/* notes = '[' (string (',' string)*)? ']' | null */
static bool notes(struct api *a, const char *kind)
{
	if (a->tok.kind == TOK_NULL)
		return advance(a);
	if (a->tok.kind != TOK_LBRACKET)
		return wrong_value(a, "the %ss must be an array of strings", kind);
	bool first = true;
	enum step st;
	while ((st = array_next(a, &first)) == STEP_MEMBER) {
		if (a->tok.kind != TOK_STRING) {
			if (!wrong_value(a, "a %s must be a string", kind))
				return false;
			continue;
		}
		if (!string_too_long(a))
			pass_note(a, kind);
		if (!advance(a))
			return false;
	}
	return st == STEP_END;
}

/*
 * response = '{' ("status" ':' string | "data" ':' data | "errorType" ':' string
 *            | "error" ':' string | "warnings" ':' notes | "infos" ':' notes
 *            | string ':' value)* '}' EOF
 */
static bool response(struct api *a)
{
	if (!advance(a))
		return false;
	a->top = a->tok;
	if (a->tok.kind == TOK_EOF)
		return syntax_error(a, "the input holds no JSON value");
	if (a->tok.kind != TOK_LBRACE) {
		report_at(a, DIAG_PROM_SYNTAX, a->tok.line, a->tok.column,
		          "a Prometheus HTTP API response is a JSON object {\"status\": ..., "
		          "\"data\": ...}; this input starts with %s",
		          found(a));
		return false;
	}
	bool first = true;
	enum step st;
	while ((st = object_next(a, &first)) == STEP_MEMBER) {
		bool ok;
		if (member_key_is(a, "status"))
			ok = member_value(a) && status(a);
		else if (member_key_is(a, "data"))
			/* after status "error", data holds nothing perfgate uses */
			ok = member_value(a) && (a->status_error ? skip_value(a) : data(a));
		else if (member_key_is(a, "errorType"))
			ok = member_value(a) &&
			     error_member(a, &a->error_type, &a->has_error_type, "errorType");
		else if (member_key_is(a, "error"))
			ok = member_value(a) &&
			     error_member(a, &a->error_text, &a->has_error_text, "error");
		else if (member_key_is(a, "warnings"))
			ok = member_value(a) && notes(a, "warning");
		else if (member_key_is(a, "infos"))
			ok = member_value(a) && notes(a, "info");
		else
			ok = member_value(a) && skip_value(a);
		if (!ok)
			return false;
	}
	if (st == STEP_FAIL)
		return false;
	if (a->tok.kind != TOK_EOF)
		return syntax_error(a, "%s after the end of the JSON object", found(a));
	return true;
}

/* The closing diagnostics: the envelope's verdict, what was left out, how many problems. */
static void finish(struct api *a, bool complete)
{
	if (a->has_status && a->status_error) {
		struct buf message;
		buf_init(&message);
		if (a->has_error_type)
			str_utf8_clean(&message, a->error_type.data, a->error_type.len,
			               STR_CLEAN_CONTROL_SPACE | STR_CLEAN_C1_SPACE, 200);
		if (a->has_error_type && a->has_error_text)
			buf_puts(&message, ": ");
		if (a->has_error_text)
			str_utf8_clean(&message, a->error_text.data, a->error_text.len,
			               STR_CLEAN_CONTROL_SPACE | STR_CLEAN_C1_SPACE, 4000);
		if (!message.len)
			buf_puts(&message, "(it gives no errorType or error)");
		report_at(a, DIAG_PROM_API_ERROR, a->status_line, a->status_column,
		          "the saved response is a Prometheus error: %s", message.data);
		buf_fini(&message);
	} else if (complete && !a->has_status) {
		report_at(a, DIAG_MISSING_FIELD, a->top.line, a->top.column,
		          "the response has no \"status\" (\"success\" or \"error\")");
	} else if (complete && !a->has_data) {
		report_at(a, DIAG_MISSING_FIELD, a->top.line, a->top.column,
		          "the response has status \"success\" but no \"data\"");
	}
	if (a->histogram_series)
		report_at(a, DIAG_PROM_UNSUPPORTED, a->histogram_line, a->histogram_column,
		          "%lu series hold%s native histograms, which perfgate does not read",
		          a->histogram_series, a->histogram_series == 1 ? "s" : "");
	if (a->problems > PROBLEMS_SHOWN)
		report_at(a, DIAG_NOTE, 0, 0, "%lu problems in all; the first %d are shown",
		          a->problems, PROBLEMS_SHOWN);
}

bool prom_api_read(struct io_reader *in, const char *name, struct diag *d,
                   const struct prom_sink *sink)
{
	struct api *a = xcalloc(1, sizeof *a);
	a->in = in;
	a->name = name;
	a->d = d;
	a->sink = sink;
	a->chunk = xmalloc(CHUNK_BYTES);
	a->line = 1;
	buf_init(&a->text);
	buf_init(&a->error_type);
	buf_init(&a->error_text);
	buf_init(&a->pair_text);
	buf_init(&a->series.text);
	buf_init(&a->quote);
	buf_init(&a->quote2);
	buf_init(&a->found);
	if (refill(a) && str_bom_length(a->chunk, a->len)) {
		a->pos = a->line_start = str_bom_length(a->chunk, a->len);
	}
	bool complete = !a->read_failed && response(a);
	if (!a->stopped)
		finish(a, complete);
	bool ok = !a->stopped && a->errors == 0;
	buf_fini(&a->text);
	buf_fini(&a->error_type);
	buf_fini(&a->error_text);
	buf_fini(&a->pair_text);
	buf_fini(&a->series.text);
	buf_fini(&a->quote);
	buf_fini(&a->quote2);
	buf_fini(&a->found);
	free(a->series.offsets);
	free(a->series.labels);
	free(a->series.pending);
	free(a->chunk);
	free(a);
	return ok;
}

/* ---- sniffing ---- */

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* The literal at p (after blanks), or NULL: a tiny matcher for the first bytes. */
static const char *literal(const char *p, const char *end, const char *lit)
{
	p = skip_blanks(p, end);
	size_t n = strlen(lit);
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0 ? p + n : NULL;
}

int prom_api_score(const char *prefix, size_t len)
{
	size_t bom = str_bom_length(prefix, len);
	const char *end = prefix + len, *p = literal(prefix + bom, end, "{");
	if (!p)
		return 0;
	/* Prometheus writes status first; `jq -S` writes data first, result before resultType */
	const char *status = literal(p, end, "\"status\"");
	if (status && (status = literal(status, end, ":")) &&
	    (literal(status, end, "\"success\"") || literal(status, end, "\"error\"")))
		return 95;
	const char *data = literal(p, end, "\"data\"");
	if (data && (data = literal(data, end, ":")) && (data = literal(data, end, "{")) &&
	    (literal(data, end, "\"resultType\"") || literal(data, end, "\"result\"")))
		return 95;
	/* other orders: the envelope's own keys first (not a document that quotes responses) */
	static const char *const firsts[] = {"\"data\"",     "\"error\"", "\"errorType\"",
	                                     "\"warnings\"", "\"infos\"", "\"status\""};
	for (size_t i = 0; i < PG_ARRAY_LEN(firsts); i++) {
		const char *after = literal(p, end, firsts[i]);
		if (after && literal(after, end, ":") &&
		    (sniff_contains(prefix, len, "\"resultType\"") ||
		     sniff_contains(prefix, len, "\"errorType\"")))
			return 90;
	}
	return 0;
}
