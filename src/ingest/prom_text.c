/*
 * prom_text.c - front end for Prometheus text exposition 0.0.4 and OpenMetrics 1.0 (FORMATS.md
 * §5.1 and §5.2): the whole input in a struct source, handed on one sample at a time to a
 * struct prom_sink (prom.h).
 *
 * One parser reads both syntaxes: they share the line shape and differ in a few rules. The
 * mode is decided before the first sample is handed over, because it changes what a timestamp
 * means (milliseconds in 0.0.4, seconds in OpenMetrics): an input whose last non-empty line is
 * `# EOF` is OpenMetrics; otherwise one quick pass over the lines looks for what only
 * OpenMetrics writes (`# UNIT`, the types gaugehistogram, stateset, info and unknown, an
 * exemplar ` # {` after a value, a `# EOF` further up). One of those without the final `# EOF`
 * is an OpenMetrics file cut short, an error, and nothing of it is read (Prometheus rejects such
 * a scrape too); none of them means 0.0.4.
 *
 * Lines are then read one at a time, each by the grammar-named functions below (the rule sits
 * above each). Names and label values are decoded: \\ \" \n, and any other escape is kept as
 * written, as Prometheus' own parser does. A string without escapes points into the input; one
 * with escapes is decoded into a scratch buffer that is sized to the line before the line is
 * read, so it never moves while the line's labels point into it. That buffer, the label array
 * and the duplicate-name table are reused from line to line: nothing is allocated per sample,
 * which keeps a node_exporter scrape well above 200 MB/s. Values follow Go's
 * strconv.ParseFloat (num.h, less the signed NaN Go refuses); timestamps become µs exactly,
 * from the decimal digits.
 *
 * A sample's family needs only the family of the last HELP/TYPE/UNIT line, because a family's
 * lines are contiguous: the sample is that family's when its name is the family name plus a
 * suffix the family's type allows (x_bucket of histogram x), else it is its own untyped family.
 * Values are not interpreted here (histograms, le, quantile): that is the sink's business.
 *
 * A syntax error drops its line and reading goes on, so one run shows every problem, up to
 * PROM_MAX_SHOWN per input and a count of the rest. Memory: the parser's buffers are heap,
 * freed before prom_text_read returns; what the sink is given is borrowed for the call only.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/num.h"
#include "../util/util.h"
#include "prom.h"

/* Syntax errors shown per input; the rest are counted in one note. */
enum { PROM_MAX_SHOWN = 10 };
/* Up to this many labels a duplicate name is found by comparing pairs; past it, by hashing. */
enum { PROM_PAIRWISE_LABELS = 16 };
/* Bytes of an offending token quoted in a message. */
enum { PROM_QUOTE_BYTES = 40 };

/* ---- characters and tokens ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* [a-zA-Z_] starts a label name, [a-zA-Z_:] a metric name; both go on with digits too. */
static bool is_label_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_label_char(char c)
{
	return is_label_start(c) || is_digit(c);
}

static bool is_metric_start(char c)
{
	return is_label_start(c) || c == ':';
}

static bool is_metric_char(char c)
{
	return is_label_char(c) || c == ':';
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/* The end of the token at p: the next blank, or end. */
static const char *token_end(const char *p, const char *end)
{
	while (p < end && !is_blank(*p))
		p++;
	return p;
}

static bool token_is(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(end - p) == n && memcmp(p, word, n) == 0;
}

/* ASCII case-insensitive: p[0..len) is the lower-case word. */
static bool token_is_folded(const char *p, size_t len, const char *word)
{
	if (len != strlen(word))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return true;
}

/*
 * quoted = '"' { byte other than '"' and '\' | '\' byte } '"'
 * p is at the opening quote. Returns the byte after the closing quote, or NULL when the line
 * ends first. *escaped: a backslash occurred; *high: a byte >= 0x80 occurred (UTF-8 to check).
 */
static const char *scan_quoted(const char *p, const char *end, bool *escaped, bool *high)
{
	unsigned char seen = 0;
	bool backslash = false;
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		seen |= c;
		if (c == '"') {
			*escaped = backslash;
			*high = seen >= 0x80;
			return p + 1;
		}
		if (c == '\\') {
			backslash = true;
			if (++p == end)
				break;
			seen |= (unsigned char)*p;
		}
	}
	return NULL;
}

/*
 * Copies what is between the quotes of [open, after) into dst with \\ \" \n decoded; any other
 * escape is kept as written (Prometheus does the same). Returns the bytes written, never more
 * than after - open.
 */
static size_t decode_quoted(const char *open, const char *after, char *dst)
{
	size_t n = 0;
	const char *close = after - 1;
	for (const char *p = open + 1; p < close; p++) {
		if (*p == '\\' && p + 1 < close) {
			char c = p[1];
			if (c == '\\' || c == '"' || c == 'n') {
				dst[n++] = c == 'n' ? '\n' : c;
				p++;
				continue;
			}
		}
		dst[n++] = *p;
	}
	return n;
}

/* ---- types and families ---- */

struct type_word {
	const char *word;
	enum prom_type type;
	bool in_text;        /* a 0.0.4 type */
	bool in_openmetrics; /* an OpenMetrics type */
};

static const struct type_word type_words[] = {
	{"counter", PROM_COUNTER, true, true},
	{"gauge", PROM_GAUGE, true, true},
	{"histogram", PROM_HISTOGRAM, true, true},
	{"summary", PROM_SUMMARY, true, true},
	{"untyped", PROM_UNTYPED, true, false},
	{"gaugehistogram", PROM_GAUGEHISTOGRAM, false, true},
	{"stateset", PROM_STATESET, false, true},
	{"info", PROM_INFO, false, true},
	{"unknown", PROM_UNTYPED, false, true},
};

static const struct type_word *find_type_word(const char *p, const char *end)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(type_words); i++)
		if (token_is(p, end, type_words[i].word))
			return &type_words[i];
	return NULL;
}

/*
 * The sample names a family of each type owns: the family name followed by one of these ("" =
 * the name itself). In OpenMetrics a counter `x` has samples x_total and x_created; the name
 * itself is allowed too, because a 0.0.4 exposition with `# EOF` appended (Prometheus' own test
 * data) declares its counters with the _total in the family name.
 */
static const char *const counter_text_suffixes[] = {"", NULL};
static const char *const counter_om_suffixes[] = {"", "_total", "_created", NULL};
static const char *const histogram_suffixes[] = {"_bucket", "_count", "_sum", "_created", NULL};
static const char *const gaugehistogram_suffixes[] = {"_bucket", "_gcount", "_gsum", NULL};
static const char *const summary_suffixes[] = {"", "_count", "_sum", "_created", NULL};
static const char *const info_suffixes[] = {"_info", NULL};
static const char *const itself_suffixes[] = {"", NULL};

static const char *const *family_suffixes(enum prom_type type, bool openmetrics)
{
	switch (type) {
	case PROM_COUNTER: return openmetrics ? counter_om_suffixes : counter_text_suffixes;
	case PROM_HISTOGRAM: return histogram_suffixes;
	case PROM_GAUGEHISTOGRAM: return gaugehistogram_suffixes;
	case PROM_SUMMARY: return summary_suffixes;
	case PROM_INFO: return info_suffixes;
	case PROM_UNTYPED:
	case PROM_GAUGE:
	case PROM_STATESET: return itself_suffixes;
	}
	return itself_suffixes;
}

/* The family the last HELP, TYPE or UNIT line named (families are contiguous: one is enough). */
struct family {
	bool named;          /* a metadata line has named one */
	char *name;          /* decoded; owned */
	size_t len, cap;
	enum prom_type type; /* PROM_UNTYPED until a TYPE line says otherwise */
	bool has_unit;       /* a UNIT line was read */
	char *unit;          /* owned */
	size_t unit_len, unit_cap;
};

/* ---- the parser ---- */

struct parser {
	struct source *src;
	struct diag *d;              /* NULL while scoring: nothing is reported */
	const struct prom_sink *sink; /* NULL while scoring: nothing is handed over */
	bool openmetrics;
	bool sniffing;               /* prom_text_score: either format's type words */
	unsigned long shown;         /* syntax errors reported */
	unsigned long hidden;        /* syntax errors past PROM_MAX_SHOWN, only counted */
	bool warned_utf8;            /* DIAG_NOT_UTF8 is given once per input */
	bool warned_cr;              /* so is OpenMetrics' carriage-return error */
	struct family family;
	const char *line_end;        /* end of the line being read (before "\r\n" / "\n") */
	/* the sample being read */
	const char *name;            /* NULL until found */
	size_t name_len;
	struct prom_label *labels;   /* heap, reused */
	size_t label_count, label_cap;
	size_t *slots;               /* duplicate-name hash table: label index + 1, 0 = empty */
	size_t slot_cap;             /* entries allocated */
	size_t slot_mask;            /* entries in use - 1 (a power of two) */
	char *scratch;               /* decoded strings of the line; at least the line's length */
	size_t scratch_cap, scratch_len;
	char **escaped;              /* this line's strings that were not UTF-8, \xNN-escaped;
					owned, freed with the scratch (escaped_free) */
	size_t escaped_count, escaped_cap;
	struct buf token;            /* an offending token, cleaned for a message */
};

static void parser_init(struct parser *p, struct source *src, struct diag *d,
			const struct prom_sink *sink, bool openmetrics)
{
	memset(p, 0, sizeof *p);
	p->src = src;
	p->d = d;
	p->sink = sink;
	p->openmetrics = openmetrics;
	buf_init(&p->token);
}

/* Frees the escaped strings of the line before. */
static void escaped_free(struct parser *p)
{
	for (size_t i = 0; i < p->escaped_count; i++)
		free(p->escaped[i]);
	p->escaped_count = 0;
}

static void parser_fini(struct parser *p)
{
	free(p->family.name);
	free(p->family.unit);
	free(p->labels);
	free(p->slots);
	escaped_free(p);
	free(p->escaped);
	free(p->scratch);
	buf_fini(&p->token);
}

/* A token for a message: its first PROM_QUOTE_BYTES bytes, made printable, "..." when cut. */
static const char *show(struct parser *p, const char *s, size_t len)
{
	size_t cut = len;
	if (cut > PROM_QUOTE_BYTES) {
		cut = PROM_QUOTE_BYTES;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--; /* not inside a UTF-8 sequence */
	}
	buf_clear(&p->token);
	str_utf8_clean(&p->token, s, cut, STR_CLEAN_CONTROL_HEX | STR_CLEAN_C1_SPACE, SIZE_MAX);
	if (cut < len)
		buf_puts(&p->token, "...");
	return p->token.data;
}

/* Same, for the token starting at s on the current line. */
static const char *show_token(struct parser *p, const char *s)
{
	return show(p, s, (size_t)(token_end(s, p->line_end) - s));
}

/*
 * Reports a syntax error at [at, at + span) (at most PROM_MAX_SHOWN per input; past that it is
 * only counted). Always returns false, so a parse function can `return syntax(...)`.
 */
static bool syntax(struct parser *p, const char *at, size_t span, const char *fmt, ...)
	PG_PRINTF(4, 5);
static bool syntax(struct parser *p, const char *at, size_t span, const char *fmt, ...)
{
	if (!p->d)
		return false;
	if (p->shown >= PROM_MAX_SHOWN) {
		p->hidden++;
		return false;
	}
	p->shown++;
	struct diag_loc loc;
	source_locate(p->src, (size_t)(at - p->src->bytes), span ? span : 1, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(p->d, DIAG_PROM_SYNTAX, &loc, fmt, ap);
	va_end(ap);
	return false;
}

/*
 * A name or label value at `at` that is not UTF-8 gets its stray bytes as \xNN escapes (the
 * model and every output hold UTF-8 only), with a warning once per input. *s and *len then
 * name the escaped copy (in p->escaped, valid until the next line).
 */
static void check_utf8(struct parser *p, const char **s, size_t *len, const char *at,
		       const char *what)
{
	size_t valid = str_utf8_valid(*s, *len);
	if (valid == *len)
		return;
	if (!p->warned_utf8 && p->d) {
		p->warned_utf8 = true;
		struct diag_loc loc;
		source_locate(p->src, (size_t)(at - p->src->bytes), 1, &loc);
		diag_report(p->d, DIAG_NOT_UTF8, &loc,
			    "%s is not valid UTF-8; the bytes that are not are kept as \\xNN escapes "
			    "(first of its kind here)", what);
	}
	struct buf out;
	buf_init(&out);
	str_utf8_clean(&out, *s, *len, STR_CLEAN_INVALID_HEX, SIZE_MAX);
	*len = out.len;
	p->escaped = xgrow(p->escaped, &p->escaped_cap, p->escaped_count + 1, sizeof *p->escaped);
	p->escaped[p->escaped_count++] = buf_take(&out);
	*s = p->escaped[p->escaped_count - 1];
}

/*
 * string = quoted (see scan_quoted), decoded.
 * *cur is at the opening quote and moves past the closing one. *out points into the input when
 * nothing was escaped, else into the scratch buffer. what names the string in messages.
 */
static bool parse_string(struct parser *p, const char **cur, const char *what, const char **out,
			 size_t *len)
{
	const char *open = *cur;
	bool escaped, high;
	const char *after = scan_quoted(open, p->line_end, &escaped, &high);
	if (!after)
		return syntax(p, open, 1, "%s not closed: the line ends inside its quotes", what);
	/* no name or label value holds a NUL: two that differ after it would become one */
	const char *nul = memchr(open + 1, '\0', (size_t)(after - open) - 2);
	if (nul)
		return syntax(p, nul, 1, "%s holds a NUL byte, which perfgate cannot keep in a name",
			      what);
	if (escaped) {
		char *dst = p->scratch + p->scratch_len;
		*len = decode_quoted(open, after, dst);
		*out = dst;
		p->scratch_len += *len;
	} else {
		*out = open + 1;
		*len = (size_t)(after - open) - 2;
	}
	if (high)
		check_utf8(p, out, len, open, what);
	*cur = after;
	return true;
}

/* The metric name of the sample, given by a quoted name or __name__ inside the braces. */
static bool set_name(struct parser *p, const char *at, size_t span, const char *name,
		     size_t len)
{
	if (p->name)
		return syntax(p, at, span, "the sample's metric name is given twice");
	if (len == 0)
		return syntax(p, at, span, "empty metric name");
	p->name = name;
	p->name_len = len;
	return true;
}

static bool same_label_name(const struct prom_label *a, const struct prom_label *b)
{
	return a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0;
}

static size_t hash_name(const char *s, size_t len)
{
	return (size_t)str_fnv1a(UINT64_C(14695981039346656037), s, len);
}

/* Looks labels[index]'s name up in the hash table; adds it when absent. True when present. */
static bool slot_find_or_add(struct parser *p, size_t index)
{
	const struct prom_label *l = &p->labels[index];
	size_t i = hash_name(l->name, l->name_len) & p->slot_mask;
	for (; p->slots[i]; i = (i + 1) & p->slot_mask)
		if (same_label_name(&p->labels[p->slots[i] - 1], l))
			return true;
	p->slots[i] = index + 1;
	return false;
}

/*
 * Whether labels[n]'s name is among labels[0..n). Few labels are compared pair by pair; past
 * PROM_PAIRWISE_LABELS a hash table takes over, rebuilt (sized to the line, so a huge line
 * does not slow down the later ones) when it starts and whenever it is half full.
 */
static bool label_repeated(struct parser *p, size_t n)
{
	if (n < PROM_PAIRWISE_LABELS) {
		for (size_t i = 0; i < n; i++)
			if (same_label_name(&p->labels[i], &p->labels[n]))
				return true;
		return false;
	}
	if (n == PROM_PAIRWISE_LABELS || 2 * (n + 1) > p->slot_mask + 1) {
		size_t size = 64;
		while (size < 4 * (n + 1))
			size *= 2;
		if (size > p->slot_cap) {
			free(p->slots);
			p->slots = xmalloc(size * sizeof *p->slots);
			p->slot_cap = size;
		}
		p->slot_mask = size - 1;
		memset(p->slots, 0, size * sizeof *p->slots);
		for (size_t i = 0; i < n; i++)
			slot_find_or_add(p, i);
	}
	return slot_find_or_add(p, n);
}

/*
 * label = label_name "=" string | string            (the second: the quoted metric name,
 * label_name = [a-zA-Z_][a-zA-Z0-9_]* | string        first inside the braces only)
 * Blanks are allowed around "=". keep = false (an exemplar's labels) checks and keeps nothing.
 * `__name__` is the metric name, never a label.
 */
static bool parse_label(struct parser *p, const char **cur, bool first, bool keep)
{
	const char *q = *cur, *end = p->line_end;
	const char *name_at = q, *name;
	size_t name_len;
	if (*q == '"') {
		if (!parse_string(p, &q, "quoted name", &name, &name_len))
			return false;
		const char *after = skip_blanks(q, end);
		if (after == end || *after != '=') {
			if (!keep)
				return syntax(p, after, 1, "'=' expected after an exemplar's label name");
			if (!first)
				return syntax(p, name_at, (size_t)(q - name_at),
					      "a quoted metric name must come first inside the braces");
			*cur = q;
			return set_name(p, name_at, (size_t)(q - name_at), name, name_len);
		}
		if (name_len == 0)
			return syntax(p, name_at, (size_t)(q - name_at), "empty label name");
	} else if (is_label_start(*q)) {
		while (q < end && is_label_char(*q))
			q++;
		name = name_at;
		name_len = (size_t)(q - name_at);
	} else {
		return syntax(p, q, (size_t)(token_end(q, end) - q),
			      "label name expected, found '%s'", show_token(p, q));
	}
	size_t name_span = (size_t)(q - name_at);
	q = skip_blanks(q, end);
	if (q == end || *q != '=')
		return syntax(p, q, 1, "'=' expected after label name '%s'",
			      show(p, name_at, name_span));
	q = skip_blanks(q + 1, end);
	if (q == end || *q != '"')
		return syntax(p, q, 1, "label value expected after '%s=': a string in double quotes",
			      show(p, name_at, name_span));
	const char *value;
	size_t value_len;
	if (!parse_string(p, &q, "label value", &value, &value_len))
		return false;
	*cur = q;
	if (!keep)
		return true;
	if (name_len == 8 && memcmp(name, "__name__", 8) == 0)
		return set_name(p, name_at, name_span, value, value_len);
	p->labels = xgrow(p->labels, &p->label_cap, p->label_count + 1, sizeof *p->labels);
	p->labels[p->label_count] = (struct prom_label){name, name_len, value, value_len};
	if (label_repeated(p, p->label_count))
		return syntax(p, name_at, name_span, "label '%s' appears twice in one sample",
			      show(p, name, name_len));
	p->label_count++;
	return true;
}

/*
 * labels = "{" [ label { "," label } [ "," ] ] "}"
 * Blanks are allowed around every part. *cur is at the "{" and moves past the "}".
 */
static bool parse_labels(struct parser *p, const char **cur, bool keep)
{
	const char *open = *cur, *q = open + 1, *end = p->line_end;
	for (bool first = true;; first = false) {
		q = skip_blanks(q, end);
		if (q < end && *q == '}')
			break;
		if (q == end)
			return syntax(p, open, 1, "label list not closed: '}' expected");
		if (!parse_label(p, &q, first, keep))
			return false;
		q = skip_blanks(q, end);
		if (q < end && *q == ',') {
			q++;
			continue;
		}
		if (q < end && *q == '}')
			break;
		if (q == end)
			return syntax(p, open, 1, "label list not closed: '}' expected");
		return syntax(p, q, 1, "',' or '}' expected after a label, found '%s'",
			      show_token(p, q));
	}
	*cur = q + 1;
	return true;
}

/*
 * value = a float as Go's strconv.ParseFloat reads it: [+-] digits [. digits] [e [+-] digits],
 *         NaN, [+-]Inf, [+-]Infinity (letters in any case). what names it in messages.
 */
static bool parse_value(struct parser *p, const char *v, const char *ve, const char *what,
			double *out)
{
	size_t len = (size_t)(ve - v);
	enum num_status status;
	if (len == 4 && (v[0] == '+' || v[0] == '-') && token_is_folded(v + 1, 3, "nan"))
		status = NUM_INVALID; /* Go refuses a signed NaN */
	else
		status = num_parse_double(v, len, out, NULL);
	switch (status) {
	case NUM_OK:
	case NUM_NAN:
	case NUM_INF:
		return true;
	case NUM_OVERFLOW:
		return syntax(p, v, len, "%s '%s' is out of range", what, show(p, v, len));
	case NUM_MISSING:
	case NUM_INVALID:
		break;
	}
	return syntax(p, v, len, "%s '%s' is not a number", what, show(p, v, len));
}

/*
 * seconds = [+-] digits [ "." digits ] [ ("e" | "E") [+-] digits ]   (a digit before the "e")
 * to whole µs, exactly from the digits: value = 0.d1d2...dn * 10^(int_digits + exponent), so
 * the first k = int_digits + exponent + 6 digits are the µs and digit k+1 rounds (half away
 * from zero). Returns false when the text is not such a number or the µs overflow int64.
 */
static bool seconds_to_us(const char *t, size_t len, int64_t *out)
{
	size_t i = 0;
	bool negative = false;
	if (i < len && (t[i] == '+' || t[i] == '-'))
		negative = t[i++] == '-';
	size_t first = i, digits = 0;
	long int_digits = 0;
	bool point = false;
	for (; i < len; i++) {
		if (t[i] == '.' && !point) {
			point = true;
			continue;
		}
		if (!is_digit(t[i]))
			break;
		digits++;
		int_digits += !point;
	}
	size_t last = i;
	if (digits == 0)
		return false;
	long exponent = 0;
	if (i < len && (t[i] == 'e' || t[i] == 'E')) {
		bool exponent_negative = false;
		size_t exponent_digits = 0;
		if (++i < len && (t[i] == '+' || t[i] == '-'))
			exponent_negative = t[i++] == '-';
		/* saturated far past int64's range of µs, so k below cannot overflow */
		for (; i < len && is_digit(t[i]); i++, exponent_digits++)
			if (exponent < 100000)
				exponent = exponent * 10 + (t[i] - '0');
		if (exponent_digits == 0)
			return false;
		if (exponent_negative)
			exponent = -exponent;
	}
	if (i != len || int_digits > 100000)
		return false;
	long k = int_digits + exponent + 6;
	uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	uint64_t us = 0;
	long taken = 0;
	int round = 0;
	for (size_t j = first; j < last && k >= 0; j++) {
		if (t[j] == '.')
			continue;
		unsigned digit = (unsigned)(t[j] - '0');
		if (taken == k) {
			round = (int)digit;
			break;
		}
		if (us > (limit - digit) / 10)
			return false;
		us = us * 10 + digit;
		taken++;
	}
	for (; us != 0 && taken < k; taken++) {
		if (us > limit / 10)
			return false;
		us *= 10;
	}
	if (round >= 5) {
		if (us == limit)
			return false;
		us++;
	}
	*out = negative ? (us ? -(int64_t)(us - 1) - 1 : 0) : (int64_t)us;
	return true;
}

/*
 * timestamp = int64 milliseconds (0.0.4) | seconds (OpenMetrics, see seconds_to_us)
 * Sets *us, the time in µs since the Unix epoch.
 */
static bool parse_timestamp(struct parser *p, const char *t, const char *te, int64_t *us)
{
	size_t len = (size_t)(te - t);
	if (p->openmetrics) {
		/* sniffing reads 0.0.4's milliseconds as seconds too: the range is not checked */
		if (seconds_to_us(t, len, us) &&
		    (p->sniffing || (*us <= TIME_MAX_US && *us >= TIME_MIN_US)))
			return true;
		double ignored;
		enum num_status status = num_parse_double(t, len, &ignored, NULL);
		if (status == NUM_OK || status == NUM_OVERFLOW)
			return syntax(p, t, len, "timestamp '%s' is out of range (" TIME_RANGE_TEXT ")",
				      show(p, t, len));
		return syntax(p, t, len, "timestamp '%s' is not a number of seconds",
			      show(p, t, len));
	}
	int64_t ms;
	enum num_status status = num_parse_int(t, len, &ms, NULL);
	if (status == NUM_OK && ms <= TIME_MAX_US / 1000 && ms >= TIME_MIN_US / 1000) {
		*us = ms * 1000;
		return true;
	}
	if (status == NUM_OK || status == NUM_OVERFLOW)
		return syntax(p, t, len, "timestamp '%s' is out of range (" TIME_RANGE_TEXT ")",
			      show(p, t, len));
	return syntax(p, t, len,
		      "timestamp '%s' is not an integer: text format 0.0.4 writes milliseconds",
		      show(p, t, len));
}

/*
 * exemplar = "#" blanks labels blanks value [ blanks timestamp ] [ blanks ]   (OpenMetrics)
 * Checked, then dropped: perfgate has no use for it. q is at the "#".
 */
static bool parse_exemplar(struct parser *p, const char *q)
{
	const char *end = p->line_end;
	const char *open = skip_blanks(q + 1, end);
	if (open == q + 1 || open == end || *open != '{')
		return syntax(p, q, 1, "an exemplar is '# {labels} value [timestamp]': '{' expected");
	q = open;
	if (!parse_labels(p, &q, false))
		return false;
	const char *v = skip_blanks(q, end);
	if (v == end)
		return syntax(p, open, (size_t)(q - open), "exemplar without a value");
	const char *ve = token_end(v, end);
	double value;
	if (!parse_value(p, v, ve, "exemplar value", &value))
		return false;
	const char *t = skip_blanks(ve, end);
	if (t == end)
		return true;
	const char *te = token_end(t, end);
	int64_t us;
	if (!parse_timestamp(p, t, te, &us))
		return false;
	q = skip_blanks(te, end);
	if (q != end)
		return syntax(p, q, (size_t)(token_end(q, end) - q),
			      "unexpected '%s' after the exemplar's timestamp", show_token(p, q));
	return true;
}

/* Fills the family, type and unit of s from the current family (see family_suffixes). */
static void resolve_family(const struct parser *p, struct prom_sample *s)
{
	const struct family *f = &p->family;
	s->family = s->name;
	s->family_len = s->name_len;
	s->type = PROM_UNTYPED;
	if (!f->named || s->name_len < f->len || memcmp(s->name, f->name, f->len) != 0)
		return;
	const char *suffix = s->name + f->len;
	size_t suffix_len = s->name_len - f->len;
	for (const char *const *a = family_suffixes(f->type, p->openmetrics); *a; a++) {
		if (strlen(*a) == suffix_len && memcmp(*a, suffix, suffix_len) == 0) {
			s->family = f->name;
			s->family_len = f->len;
			s->type = f->type;
			if (f->has_unit) {
				s->unit = f->unit;
				s->unit_len = f->unit_len;
			}
			return;
		}
	}
}

/* What became of a sample line. */
enum line_result { LINE_OK, LINE_BAD, LINE_STOP };

/*
 * sample = ( metric_name [ labels ] | labels ) value [ timestamp ] [ exemplar ]
 * metric_name = [a-zA-Z_:][a-zA-Z0-9_:]*
 * Blanks separate the parts (none is needed after "}"); labels without a metric_name must hold
 * the quoted name. An exemplar is OpenMetrics only. q is the line's first byte that is not a
 * blank; the line ends at p->line_end.
 */
static enum line_result parse_sample(struct parser *p, const char *q)
{
	const char *line = q, *end = p->line_end;
	p->name = NULL;
	p->label_count = 0;
	p->scratch_len = 0;
	escaped_free(p);
	if (is_metric_start(*q)) {
		while (q < end && is_metric_char(*q))
			q++;
		if (q < end && !is_blank(*q) && *q != '{') {
			const char *te = token_end(line, end);
			syntax(p, line, (size_t)(te - line),
			       "'%s' is not a metric name: names other than [a-zA-Z_:][a-zA-Z0-9_:]* "
			       "are written quoted inside the braces",
			       show(p, line, (size_t)(te - line)));
			return LINE_BAD;
		}
		p->name = line;
		p->name_len = (size_t)(q - line);
		q = skip_blanks(q, end);
	} else if (*q != '{') {
		syntax(p, q, (size_t)(token_end(q, end) - q),
		       "a sample starts with a metric name or '{', not '%s'", show_token(p, q));
		return LINE_BAD;
	}
	if (q < end && *q == '{') {
		const char *open = q;
		if (!parse_labels(p, &q, true))
			return LINE_BAD;
		if (!p->name) {
			syntax(p, open, (size_t)(q - open), "sample without a metric name");
			return LINE_BAD;
		}
	}
	const char *v = skip_blanks(q, end);
	if (v == end) {
		syntax(p, line, (size_t)(end - line), "sample '%s' has no value",
		       show(p, p->name, p->name_len));
		return LINE_BAD;
	}
	const char *ve = token_end(v, end);
	struct prom_sample s = {.name = p->name, .name_len = p->name_len};
	if (!parse_value(p, v, ve, "sample value", &s.value))
		return LINE_BAD;
	q = skip_blanks(ve, end);
	if (q < end && !(p->openmetrics && *q == '#')) {
		const char *te = token_end(q, end);
		if (!parse_timestamp(p, q, te, &s.time_us))
			return LINE_BAD;
		s.has_time = true;
		q = skip_blanks(te, end);
	}
	if (q < end) {
		if (!p->openmetrics || *q != '#') {
			syntax(p, q, (size_t)(token_end(q, end) - q),
			       "unexpected '%s' after the sample's %s", show_token(p, q),
			       s.has_time ? "timestamp" : "value");
			return LINE_BAD;
		}
		if (!parse_exemplar(p, q))
			return LINE_BAD;
	}
	if (!p->sink)
		return LINE_OK;
	resolve_family(p, &s);
	s.labels = p->labels;
	s.label_count = p->label_count;
	s.where.src = p->src;
	s.where.offset = (size_t)(line - p->src->bytes);
	s.where.span = (size_t)(end - line);
	return p->sink->sample(p->sink->ctx, &s) ? LINE_OK : LINE_STOP;
}

/* ---- metadata lines ---- */

enum meta_kind { META_COMMENT, META_HELP, META_TYPE, META_UNIT, META_EOF };

/*
 * meta = "#" blanks ( "HELP" | "TYPE" | "UNIT" ) [ blanks ... ] | "#" blanks "EOF" [ blanks ]
 * Anything else starting with "#" is a comment. q is at the "#"; *rest is set to the first
 * byte after the keyword and its blanks.
 */
static enum meta_kind meta_kind_of(const char *q, const char *end, const char **rest)
{
	const char *k = q + 1;
	if (k == end || !is_blank(*k))
		return META_COMMENT;
	k = skip_blanks(k, end);
	const char *ke = token_end(k, end);
	*rest = skip_blanks(ke, end);
	if (token_is(k, ke, "HELP"))
		return META_HELP;
	if (token_is(k, ke, "TYPE"))
		return META_TYPE;
	if (token_is(k, ke, "UNIT"))
		return META_UNIT;
	if (token_is(k, ke, "EOF") && *rest == end)
		return META_EOF;
	return META_COMMENT;
}

/* The end of a metadata line's metric name at q (unquoted or quoted), or NULL when it has none. */
static const char *meta_name_end(const char *q, const char *end)
{
	if (q < end && *q == '"') {
		bool escaped, high;
		return scan_quoted(q, end, &escaped, &high);
	}
	if (q == end || !is_metric_start(*q))
		return NULL;
	while (q < end && is_metric_char(*q))
		q++;
	return q;
}

/* Makes name the current family: kept when it already is, else a new one, untyped, no unit. */
static void family_use(struct family *f, const char *name, size_t len)
{
	if (f->named && f->len == len && memcmp(f->name, name, len) == 0)
		return;
	f->name = xgrow(f->name, &f->cap, len + 1, 1);
	memcpy(f->name, name, len);
	f->name[len] = '\0';
	f->len = len;
	f->named = true;
	f->type = PROM_UNTYPED;
	f->has_unit = false;
}

/* Names both formats' type words in a message. */
static const char *type_list(bool openmetrics)
{
	return openmetrics ? "OpenMetrics has counter, gauge, histogram, gaugehistogram, stateset, "
			     "info, summary and unknown"
			   : "text format 0.0.4 has counter, gauge, histogram, summary and untyped";
}

/*
 * help = "#" blanks "HELP" blanks meta_name [ blanks docstring ]
 * type = "#" blanks "TYPE" blanks meta_name blanks type_word [ blanks ]
 * unit = "#" blanks "UNIT" blanks meta_name [ blanks unit_word ] [ blanks ]   (OpenMetrics)
 * meta_name = metric_name | string
 * Each names the current family; TYPE and UNIT also set its type and unit. The docstring is
 * not kept. hash is at the "#", q after the keyword and its blanks.
 */
static bool parse_meta_line(struct parser *p, enum meta_kind kind, const char *hash,
			    const char *q)
{
	static const char *const keywords[] = {"", "HELP", "TYPE", "UNIT", "EOF"};
	const char *end = p->line_end;
	p->scratch_len = 0;
	escaped_free(p);
	const char *name_end = meta_name_end(q, end);
	if (!name_end || (name_end < end && !is_blank(*name_end))) {
		if (q == end)
			return syntax(p, hash, (size_t)(end - hash), "%s line without a metric name",
				      keywords[kind]);
		if (*q == '"')
			return syntax(p, q, 1, "metric name not closed: the line ends inside its quotes");
		return syntax(p, q, (size_t)(token_end(q, end) - q),
			      "'%s' is not a metric name", show_token(p, q));
	}
	const char *name = q, *name_at = q;
	size_t name_len = (size_t)(name_end - q);
	if (*q == '"' && !parse_string(p, &q, "metric name", &name, &name_len))
		return false;
	if (name_len == 0)
		return syntax(p, name_at, (size_t)(name_end - name_at), "empty metric name");
	const char *w = skip_blanks(name_end, end);
	const char *we = token_end(w, end);
	if (kind == META_TYPE) {
		if (w == end)
			return syntax(p, hash, (size_t)(end - hash), "TYPE line without a type");
		const struct type_word *t = find_type_word(w, we);
		bool known = t && (p->sniffing || (p->openmetrics ? t->in_openmetrics : t->in_text));
		if (!known)
			return syntax(p, w, (size_t)(we - w), "unknown metric type '%s': %s",
				      show(p, w, (size_t)(we - w)), type_list(p->openmetrics));
		const char *extra = skip_blanks(we, end);
		if (extra != end)
			return syntax(p, extra, (size_t)(token_end(extra, end) - extra),
				      "unexpected '%s' after the type", show_token(p, extra));
		family_use(&p->family, name, name_len);
		p->family.type = t->type;
	} else if (kind == META_UNIT) {
		const char *u = w;
		while (u < we && is_metric_char(*u))
			u++;
		if (u != we)
			return syntax(p, w, (size_t)(we - w), "'%s' is not a unit name",
				      show(p, w, (size_t)(we - w)));
		const char *extra = skip_blanks(we, end);
		if (extra != end)
			return syntax(p, extra, (size_t)(token_end(extra, end) - extra),
				      "unexpected '%s' after the unit", show_token(p, extra));
		family_use(&p->family, name, name_len);
		struct family *f = &p->family;
		f->unit = xgrow(f->unit, &f->unit_cap, (size_t)(we - w) + 1, 1);
		memcpy(f->unit, w, (size_t)(we - w));
		f->unit[we - w] = '\0';
		f->unit_len = (size_t)(we - w);
		f->has_unit = true;
	} else {
		family_use(&p->family, name, name_len);
	}
	return true;
}

/* A metadata line (parse_meta_line); one with an error leaves no family current. */
static bool parse_meta(struct parser *p, enum meta_kind kind, const char *hash, const char *q)
{
	if (parse_meta_line(p, kind, hash, q))
		return true;
	p->family.named = false;
	return false;
}

/* ---- the mode ---- */

/* What decided that an input is OpenMetrics. */
struct probe {
	bool eof;            /* it has a `# EOF` line: OpenMetrics */
	const char *marker;  /* else the first thing only OpenMetrics writes, or NULL: 0.0.4 */
	size_t marker_len;
	const char *what;    /* that thing, for the note */
};

/* True when the last line that is not empty is `# EOF`. */
static bool ends_with_eof(const struct source *src)
{
	const char *begin = src->bytes + src->body, *end = src->bytes + src->len;
	while (end > begin && (is_blank(end[-1]) || end[-1] == '\n' || end[-1] == '\r'))
		end--;
	const char *line = end;
	while (line > begin && line[-1] != '\n')
		line--;
	line = skip_blanks(line, end);
	const char *rest;
	return line < end && *line == '#' && meta_kind_of(line, end, &rest) == META_EOF;
}

/*
 * The exemplar of a sample line [q, end) (a "#" outside quotes after a blank, then blanks and
 * "{"), or NULL.
 */
static const char *find_exemplar(const char *q, const char *end)
{
	if (!memchr(q, '#', (size_t)(end - q)))
		return NULL;
	bool quoted = false;
	for (const char *s = q; s < end; s++) {
		if (quoted) {
			if (*s == '\\' && s + 1 < end)
				s++;
			else if (*s == '"')
				quoted = false;
		} else if (*s == '"') {
			quoted = true;
		} else if (*s == '#' && s > q && is_blank(s[-1])) {
			const char *b = skip_blanks(s + 1, end);
			if (b > s + 1 && b < end && *b == '{')
				return s;
		}
	}
	return NULL;
}

/*
 * Whether the sample line at q is named counter + "_total" while counter is the name of a
 * `# TYPE counter counter` line: OpenMetrics names a counter family without the suffix its
 * samples carry (0.0.4 names the family by the sample name). prom-client's OpenMetrics
 * output has no other mark before its `# EOF`, so without this a cut-short one would pass for
 * 0.0.4.
 */
static bool counter_total_sample(const char *q, const char *end, const char *counter,
				 size_t counter_len)
{
	if (!counter || (size_t)(end - q) < counter_len + 6 || memcmp(q, counter, counter_len) != 0 ||
	    memcmp(q + counter_len, "_total", 6) != 0)
		return false;
	const char *after = q + counter_len + 6;
	return after == end || *after == '{' || is_blank(*after);
}

/*
 * One pass over the lines for what only OpenMetrics writes: a `# EOF` line anywhere, a
 * `# UNIT` line, a TYPE gaugehistogram/stateset/info/unknown, an exemplar, a counter family
 * whose samples end in `_total` (counter_total_sample).
 */
static void probe_openmetrics(const struct source *src, struct probe *pr)
{
	memset(pr, 0, sizeof *pr);
	const char *counter = NULL, *counter_type = NULL;
	size_t counter_len = 0, counter_type_len = 0;
	const char *bytes = src->bytes;
	size_t pos = src->body;
	while (pos < src->len) {
		const char *start = bytes + pos;
		const char *nl = memchr(start, '\n', src->len - pos);
		const char *end = nl ? nl : bytes + src->len;
		pos = (size_t)(end - bytes) + 1;
		while (end > start && end[-1] == '\r')
			end--;
		const char *q = skip_blanks(start, end);
		if (q == end)
			continue;
		if (*q != '#') {
			const char *e = pr->marker ? NULL : find_exemplar(q, end);
			if (e) {
				pr->marker = e;
				pr->marker_len = 1;
				pr->what = "the exemplar";
			} else if (!pr->marker &&
				   counter_total_sample(q, end, counter, counter_len)) {
				pr->marker = counter_type;
				pr->marker_len = counter_type_len;
				pr->what = "a counter TYPE line whose samples end in _total";
			}
			counter = NULL;
			continue;
		}
		const char *rest;
		enum meta_kind kind = meta_kind_of(q, end, &rest);
		if (kind == META_EOF) {
			pr->eof = true;
			return;
		}
		if (pr->marker)
			continue;
		if (kind == META_UNIT) {
			pr->marker = q;
			pr->marker_len = (size_t)(end - q);
			pr->what = "the UNIT line";
		} else if (kind == META_TYPE) {
			const char *name_end = meta_name_end(rest, end);
			const char *w = name_end ? skip_blanks(name_end, end) : end;
			const struct type_word *t = find_type_word(w, token_end(w, end));
			if (t && !t->in_text) {
				pr->marker = w;
				pr->marker_len = strlen(t->word);
				pr->what = "this OpenMetrics type";
			} else if (name_end && *rest != '"' && token_is(w, token_end(w, end), "counter")) {
				counter = rest;
				counter_len = (size_t)(name_end - rest);
				counter_type = q;
				counter_type_len = (size_t)(end - q);
			}
		}
	}
}

/* Reports an OpenMetrics input without its `# EOF`, and what showed it is OpenMetrics. */
static void report_cut_short(struct source *src, struct diag *d, const struct probe *pr)
{
	size_t last = src->len;
	while (last > src->body && (is_blank(src->bytes[last - 1]) || src->bytes[last - 1] == '\r' ||
				    src->bytes[last - 1] == '\n'))
		last--;
	struct diag_loc loc;
	source_locate(src, last, 1, &loc);
	diag_report(d, DIAG_PROM_TRUNCATED, &loc,
		    "OpenMetrics input ends at line %llu without `# EOF`: the file is cut short",
		    (unsigned long long)loc.line);
	source_locate(src, (size_t)(pr->marker - src->bytes), pr->marker_len, &loc);
	diag_report(d, DIAG_NOTE, &loc, "read as OpenMetrics because of %s here", pr->what);
}

/* ---- the whole input ---- */

/* Reads every line of src; false when the sink asked to stop. */
static bool read_lines(struct parser *p)
{
	const char *bytes = p->src->bytes;
	size_t pos = p->src->body, len = p->src->len;
	bool after_eof = false;
	while (pos < len) {
		const char *start = bytes + pos;
		const char *nl = memchr(start, '\n', len - pos);
		const char *end = nl ? nl : bytes + len;
		pos = (size_t)(end - bytes) + 1;
		if (end > start && end[-1] == '\r') {
			if (p->openmetrics && !p->warned_cr) {
				p->warned_cr = true;
				syntax(p, end - 1, 1,
				       "carriage return at the end of a line: OpenMetrics lines end "
				       "with '\\n' alone");
			}
			while (end > start && end[-1] == '\r')
				end--;
		}
		const char *q = skip_blanks(start, end);
		if (q == end)
			continue;
		if (after_eof) {
			syntax(p, q, (size_t)(end - q),
			       "content after `# EOF`: an OpenMetrics input ends there");
			return true;
		}
		p->line_end = end;
		p->scratch = xgrow(p->scratch, &p->scratch_cap, (size_t)(end - start) + 1, 1);
		if (*q == '#') {
			const char *rest;
			enum meta_kind kind = meta_kind_of(q, end, &rest);
			if (kind == META_EOF && p->openmetrics)
				after_eof = true;
			else if (kind == META_HELP || kind == META_TYPE || kind == META_UNIT)
				parse_meta(p, kind, q, rest);
			continue;
		}
		if (parse_sample(p, q) == LINE_STOP)
			return false;
	}
	return true;
}

bool prom_text_read(struct source *src, struct diag *d, const struct prom_sink *sink)
{
	bool openmetrics = ends_with_eof(src);
	if (!openmetrics) {
		struct probe pr;
		probe_openmetrics(src, &pr);
		if (pr.eof) {
			openmetrics = true;
		} else if (pr.marker) {
			report_cut_short(src, d, &pr);
			return false;
		}
	}
	struct parser p;
	parser_init(&p, src, d, sink, openmetrics);
	bool ok = read_lines(&p);
	if (p.hidden) {
		struct diag_loc loc = source_file_loc(src->name);
		diag_report(d, DIAG_NOTE, &loc, "%lu more syntax error%s in this input not shown",
			    p.hidden, p.hidden == 1 ? "" : "s");
	}
	ok = ok && p.shown == 0;
	parser_fini(&p);
	return ok;
}

/* ---- sniffing ---- */

/*
 * 90 when the first line that is not blank or a plain comment is a well-formed HELP, TYPE or
 * UNIT line; 70 when it is a well-formed sample line (read by parse_sample itself, quietly,
 * with OpenMetrics' wider timestamps and exemplars); else 0. JSON, CSV headers and wrk's
 * `Running 10s test @` are no sample lines, so they score 0.
 */
int prom_text_score(const char *prefix, size_t len)
{
	struct source src = {.bytes = prefix, .len = len};
	struct parser p;
	parser_init(&p, &src, NULL, NULL, true);
	p.sniffing = true;
	int score = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *start = prefix + pos;
		const char *nl = memchr(start, '\n', len - pos);
		const char *end = nl ? nl : prefix + len;
		pos = (size_t)(end - prefix) + 1;
		while (end > start && end[-1] == '\r')
			end--;
		const char *q = skip_blanks(start, end);
		if (q == end)
			continue;
		p.line_end = end;
		p.scratch = xgrow(p.scratch, &p.scratch_cap, (size_t)(end - start) + 1, 1);
		if (*q == '#') {
			const char *rest;
			enum meta_kind kind = meta_kind_of(q, end, &rest);
			if (kind != META_HELP && kind != META_TYPE && kind != META_UNIT)
				continue;
			score = parse_meta(&p, kind, q, rest) ? 90 : 0;
			break;
		}
		score = parse_sample(&p, q) == LINE_OK ? 70 : 0;
		break;
	}
	parser_fini(&p);
	return score;
}
