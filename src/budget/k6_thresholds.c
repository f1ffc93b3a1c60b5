/*
 * k6_thresholds.c - a k6 `thresholds` object, verbatim, as budget rules (FORMATS.md §1.5).
 *
 * "A k6 options file is a valid budget" holds only if perfgate accepts and rejects the strings
 * k6 v0.37+ does, so this follows k6's Go code step by step rather than the budget grammar
 * (metrics/thresholds_parser.go for expressions, ParseMetricName and AddSubmetric in
 * metrics/metric.go for keys, supportedAggregationMethods for types). Each threshold becomes
 * one rule whose one assertion is EXPR_CMP(EXPR_AGG, EXPR_NUMBER), built in the budget's arena
 * with spans into the string, so diagnostics and results quote what was written.
 *
 * Built-in metrics have a known k6 type (src/model/k6_names.c), so an aggregation k6 refuses on
 * it is reported here. A custom metric's type is known only from the model: eval.c checks it.
 * Not checked: a delayAbortEval's duration syntax (perfgate never aborts a finished run).
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/json.h"
#include "../util/num.h"
#include "budget.h"
#include "budget_test.h"

/* ---- Go's text primitives, as k6 calls them ---- */

/* Go's unicode.IsSpace, as UTF-8: what strings.TrimSpace removes from both ends. */
static const char *const go_spaces[] = {
	"\t", "\n", "\v", "\f", "\r", " ", "\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80",
	"\xe2\x80\x80", "\xe2\x80\x81", "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84",
	"\xe2\x80\x85", "\xe2\x80\x86", "\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89",
	"\xe2\x80\x8a", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f",
	"\xe3\x80\x80",
};

/* Bytes of the white space character that s[start..end) starts (at_end: ends) with; 0 if none. */
static size_t space_at(const char *s, size_t start, size_t end, bool at_end)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(go_spaces); i++) {
		size_t n = strlen(go_spaces[i]);
		if (end - start >= n && memcmp(s + (at_end ? end - n : start), go_spaces[i], n) == 0)
			return n;
	}
	return 0;
}

/* strings.TrimSpace on the span s[*start..*end). */
static void trim_space(const char *s, size_t *start, size_t *end)
{
	size_t n;
	while (*start < *end && (n = space_at(s, *start, *end, false)))
		*start += n;
	while (*start < *end && (n = space_at(s, *start, *end, true)))
		*end -= n;
}

/* strings.Trim(span, `"'`). */
static void trim_quotes(const char *s, size_t *start, size_t *end)
{
	while (*start < *end && (s[*start] == '"' || s[*start] == '\''))
		(*start)++;
	while (*start < *end && (s[*end - 1] == '"' || s[*end - 1] == '\''))
		(*end)--;
}

/* Offset of the first needle in s[0..len) (strings.Cut), or SIZE_MAX. */
static size_t find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return i;
	return SIZE_MAX;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool equals_ignoring_case(const char *s, size_t len, const char *word)
{
	size_t i = 0;
	for (; i < len && word[i]; i++)
		if (lower(s[i]) != word[i])
			return false;
	return i == len && !word[i];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Go's underscoreOK: '_' only between digits, or between a base prefix and a digit. */
static bool underscore_ok(const char *s, size_t len)
{
	char saw = '^'; /* '^' start, '0' digit or prefix, '_' underscore, '!' anything else */
	size_t i = 0;
	if (len && (s[0] == '-' || s[0] == '+'))
		s++, len--;
	bool hex = false;
	if (len >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' ||
					lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < len; i++) {
		if (is_digit(s[i]) || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
			saw = '0';
		} else if (s[i] == '_') {
			if (saw != '0')
				return false;
			saw = '_';
		} else {
			if (saw == '_')
				return false;
			saw = '!';
		}
	}
	return saw != '_';
}

/*
 * Go's strconv.ParseFloat(s, 64), which k6 reads threshold numbers and percentiles with:
 *   [+-] (digits with '_' between them, one '.') [e [+-] digits]      decimal
 *   [+-] 0x (hex digits, '_', one '.') p [+-] digits                  hexadecimal
 *   [+-] inf | [+-] infinity | nan                                    any case; no "+nan"
 * NUM_OK, NUM_INF, NUM_NAN, NUM_OVERFLOW (Go's ErrRange: k6 rejects it) or NUM_INVALID (Go's
 * ErrSyntax). Underflow is NUM_OK (0 or a subnormal), as in Go. No blanks are trimmed.
 */
static enum num_status go_parse_float(const char *s, size_t len, double *out)
{
	size_t sign = len && (s[0] == '+' || s[0] == '-');
	if (equals_ignoring_case(s + sign, len - sign, "inf") ||
	    equals_ignoring_case(s + sign, len - sign, "infinity")) {
		*out = s[0] == '-' ? -INFINITY : INFINITY;
		return NUM_INF;
	}
	if (equals_ignoring_case(s, len, "nan")) {
		*out = NAN;
		return NUM_NAN;
	}
	size_t i = sign;
	bool hex = i + 2 < len && s[i] == '0' && lower(s[i + 1]) == 'x';
	bool underscores = false, dot = false, digits = false;
	if (hex)
		i += 2;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '_')
			underscores = true;
		else if (c == '.' && !dot)
			dot = true;
		else if (is_digit(c) || (hex && lower(c) >= 'a' && lower(c) <= 'f'))
			digits = true;
		else
			break;
	}
	if (!digits)
		return NUM_INVALID;
	if (i < len && lower(s[i]) == (hex ? 'p' : 'e')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !is_digit(s[i]))
			return NUM_INVALID;
		for (; i < len && (is_digit(s[i]) || s[i] == '_'); i++)
			underscores |= s[i] == '_';
	} else if (hex) {
		return NUM_INVALID; /* a hexadecimal float needs its p exponent */
	}
	if (i != len || (underscores && !underscore_ok(s, len)))
		return NUM_INVALID;

	/* the syntax is Go's: convert what is left without the underscores */
	const char *point = localeconv()->decimal_point;
	struct buf copy;
	buf_init(&copy);
	for (i = 0; i < len; i++) {
		if (s[i] == '.' && hex)
			buf_puts(&copy, point); /* strtod reads hex floats with the locale's point */
		else if (s[i] != '_')
			buf_putc(&copy, s[i]);
	}
	enum num_status status;
	if (hex) {
		char *end;
		errno = 0;
		*out = strtod(copy.data, &end);
		status = errno == ERANGE && isinf(*out) ? NUM_OVERFLOW : NUM_OK;
	} else {
		status = num_parse_double(copy.data, copy.len, out, NULL);
	}
	buf_fini(&copy);
	return status;
}

/* ---- the k6 model: aggregations and which metric type allows which ---- */

/* k6's aggregationMethodTokens; `p` alone is a token too (k6 reads it as p(0)). */
static const struct {
	const char *name;
	enum agg agg;
} k6_aggs[] = {
	{"value", AGG_VALUE}, {"count", AGG_COUNT}, {"rate", AGG_RATE}, {"avg", AGG_AVG},
	{"min", AGG_MIN}, {"med", AGG_MED}, {"max", AGG_MAX}, {"p", AGG_P},
};

#define BIT(agg) (1u << (agg))

/* k6's supportedAggregationMethods, in k6's order. */
static const struct {
	enum k6_type type;
	enum k6_metric_type budget_type;
	const char *name;   /* as k6 prints a type */
	unsigned allowed;   /* BIT(agg) of each aggregation k6 allows */
	const char *list;   /* the same, as the message lists them */
} k6_types[] = {
	{K6_COUNTER, K6_TYPE_COUNTER, "counter", BIT(AGG_COUNT) | BIT(AGG_RATE), "count, rate"},
	{K6_GAUGE, K6_TYPE_GAUGE, "gauge", BIT(AGG_VALUE), "value"},
	{K6_RATE, K6_TYPE_RATE, "rate", BIT(AGG_RATE), "rate"},
	{K6_TREND, K6_TYPE_TREND, "trend",
	 BIT(AGG_AVG) | BIT(AGG_MIN) | BIT(AGG_MAX) | BIT(AGG_MED) | BIT(AGG_P),
	 "avg, min, max, med, p(N)"},
};

/* The budget language's aggregation names (funcs.def), to tell what a k6 spelling missed. */
static const struct {
	const char *name;
	enum agg agg;
} perfgate_aggs[] = {
#define AGG(id, name, argument, summary) {name, id},
#include "funcs.def"
#undef AGG
};

/* What an aggregation of a built-in metric measures, in the budget's dimensions. */
static enum dim builtin_dim(enum k6_type type, enum k6_contains contains, enum agg agg)
{
	switch (type) {
	case K6_TREND: return contains == K6_TIME ? DIM_TIME : DIM_SCALAR;
	case K6_RATE: return DIM_RATIO;
	case K6_GAUGE:
		return contains == K6_TIME ? DIM_TIME : contains == K6_DATA ? DIM_BYTES : DIM_SCALAR;
	case K6_COUNTER:
		if (agg == AGG_RATE)
			return contains == K6_DATA ? DIM_BYTES_PER_S : DIM_PER_S;
		return contains == K6_DATA ? DIM_BYTES : DIM_SCALAR;
	case K6_UNKNOWN: break;
	}
	return DIM_UNKNOWN;
}

/* ---- keys: METRIC or METRIC{tag:value,...} ---- */

struct loader {
	struct budget *b;
	struct diag *d;
	bool ok;            /* no error reported so far */
};

/* What a thresholds key selects. */
struct k6_key {
	bool ok;             /* the key is well-formed (and metric set) */
	const char *metric;  /* the k6 metric name before '{'; arena */
	const char *name;    /* the `name` tag (else `url`): the endpoint; NULL when none */
	const char *method;  /* the `method` tag; NULL when none */
	struct tag *tags;    /* every other tag, sorted by key; arena */
	size_t tag_count;
};

static int compare_tags(const void *a, const void *b)
{
	return strcmp(((const struct tag *)a)->key, ((const struct tag *)b)->key);
}

/* A text inside the budget file, found by the pointer of its value (or of its member name). */
static struct budget_text text_at(struct budget *b, const char *pointer, const char *text,
				  size_t len, bool member_name)
{
	struct budget_text t = {arena_strndup(&b->arena, text, len), len, &b->src, 0,
				JSON_TEXT_JSON};
	if (!json_locate_text(&b->src, pointer, member_name, &t.raw_offset, &t.style))
		t.src = NULL; /* no file behind it (tests): reported as "<expr>" */
	return t;
}

/*
 * Adds tag k=v (last wins, as k6's TagSet.With) after AddSubmetric's trimming:
 * strings.Trim(strings.TrimSpace(s), `"'`).
 */
static void add_tag(struct loader *l, struct tag *tags, size_t *count, const char *s,
		    size_t ks, size_t ke, size_t vs, size_t ve)
{
	trim_space(s, &ks, &ke);
	trim_quotes(s, &ks, &ke);
	trim_space(s, &vs, &ve);
	trim_quotes(s, &vs, &ve);
	char *key = arena_strndup(&l->b->arena, s + ks, ke - ks);
	char *value = arena_strndup(&l->b->arena, s + vs, ve - vs);
	for (size_t i = 0; i < *count; i++) {
		if (strcmp(tags[i].key, key) == 0) {
			tags[i].value = value;
			return;
		}
	}
	tags[(*count)++] = (struct tag){key, value};
}

/*
 * key := METRIC | METRIC '{' tag (',' tag)* '}'      tag := KEY ':' VALUE (VALUE non-empty)
 * As k6's ParseMetricName: '{' and '}' both or neither, '}' last, every tag with a ':' and
 * something after it. Tags split at the first ':' (`name:GET /users/:id` is one value); a
 * value is literal text (`status:>=500` matches the status ">=500" only).
 */
static void parse_key(struct loader *l, const struct budget_text *t, struct k6_key *out)
{
	const char *s = t->text;
	size_t len = t->len;
	*out = (struct k6_key){0};
	size_t open = find(s, len, "{"), close = SIZE_MAX;
	for (size_t i = len; i-- > 0;)
		if (s[i] == '}') {
			close = i;
			break;
		}
	if (open == SIZE_MAX && close == SIZE_MAX) {
		out->metric = t->text;
		out->ok = len > 0;
		if (!out->ok)
			budget_text_report(l->d, DIAG_K6_THRESHOLD_KEY, t, 0, 0,
					   "a k6 thresholds key must name a metric");
		l->ok &= out->ok;
		return;
	}
	bool ok = true;
	if (open == SIZE_MAX || close == SIZE_MAX) {
		size_t at = open == SIZE_MAX ? close : open;
		budget_text_report(l->d, DIAG_K6_THRESHOLD_KEY, t, at, 1,
				   "unmatched '%c' in k6 thresholds key '%s'", s[at], s);
		l->ok = false;
		return;
	}
	if (close < open) {
		budget_text_report(l->d, DIAG_K6_THRESHOLD_KEY, t, close, 1,
				   "'}' before '{' in k6 thresholds key '%s'", s);
		l->ok = false;
		return;
	}
	if (close != len - 1) {
		budget_text_report(l->d, DIAG_K6_THRESHOLD_KEY, t, close + 1, len - close - 1,
				   "k6 thresholds key '%s' must end with its '}'", s);
		ok = false;
	}
	if (open == 0) {
		budget_text_report(l->d, DIAG_K6_THRESHOLD_KEY, t, 0, 1,
				   "no metric name before '{' in k6 thresholds key '%s'", s);
		ok = false;
	}
	/* a tag takes at least two bytes ("k:" and a ',' or the '}'), so this is room enough */
	struct tag *tags = arena_alloc(&l->b->arena, ((close - open) / 2 + 1) * sizeof *tags);
	size_t count = 0;
	for (size_t start = open + 1;;) {
		size_t end = start;
		while (end < close && s[end] != ',')
			end++;
		size_t colon = start;
		while (colon < end && s[colon] != ':')
			colon++;
		if (colon + 1 >= end) {
			size_t at = start < end ? start : start - 1;
			budget_text_report(l->d, DIAG_K6_THRESHOLD_KEY, t, at, end > start ? end - start : 2,
					   "'%.*s' is not a TAG:VALUE pair (k6 thresholds key '%s')",
					   (int)(end - start), s + start, s);
			ok = false;
		} else {
			add_tag(l, tags, &count, s, start, colon, colon + 1, end);
		}
		if (end >= close)
			break;
		start = end + 1;
	}
	if (!ok) {
		l->ok = false;
		return;
	}
	out->metric = arena_strndup(&l->b->arena, s, open);
	size_t kept = 0;
	const char *url = NULL;
	for (size_t i = 0; i < count; i++) {
		/* an empty value stays a tag: no series has one, as in k6 no sample has one */
		if (strcmp(tags[i].key, "name") == 0 && *tags[i].value)
			out->name = tags[i].value;
		else if (strcmp(tags[i].key, "url") == 0 && *tags[i].value)
			url = tags[i].value;
		else if (strcmp(tags[i].key, "method") == 0 && *tags[i].value)
			out->method = tags[i].value;
		else
			tags[kept++] = tags[i];
	}
	/* the front ends make the endpoint from name, else url (k6.h): a url beside a name is
	 * not kept in the model, so it cannot narrow the selection either */
	if (!out->name)
		out->name = url;
	qsort(tags, kept, sizeof *tags, compare_tags);
	out->tags = tags;
	out->tag_count = kept;
	out->ok = true;
}

/* ---- threshold strings: AGGREGATION OPERATOR NUMBER ---- */

/*
 * Pre-v0.37 thresholds were JavaScript ("avg<200 && p(95)<400", "rate=200"): when a string
 * that fails looks like one, say so instead of naming the first token k6 would stumble on.
 */
static bool javascript(struct loader *l, const struct budget_text *t)
{
	const char *s = t->text;
	size_t len = t->len;
	bool js = find(s, len, "&&") != SIZE_MAX || find(s, len, "||") != SIZE_MAX ||
		  find(s, len, "Math.") != SIZE_MAX || find(s, len, ";") != SIZE_MAX;
	for (size_t i = 0; i < len && !js; i++) {
		/* a lone '=' (assignment): not part of <=, >=, ==, ===, != nor a typo like => */
		if (s[i] == '=' && (i == 0 || !strchr("<>=!", s[i - 1])) &&
		    (i + 1 == len || !strchr("<>=", s[i + 1])))
			js = true;
	}
	if (!js)
		return false;
	budget_text_report(l->d, DIAG_K6_THRESHOLD_SYNTAX, t, 0, len,
			   "'%s' is a JavaScript expression, which k6 evaluated before v0.37; "
			   "k6 v0.37 and later reject it too", s);
	diag_report(l->d, DIAG_NOTE, NULL,
		    "a k6 threshold is one comparison, AGGREGATION OPERATOR NUMBER "
		    "('p(95)<400'); write one string per comparison");
	return true;
}

/* The note after an unknown aggregation: how k6 spells what was meant, when that can be told. */
static void hint_aggregation(struct loader *l, const char *word)
{
	size_t len = strlen(word), i = 1;
	/* p95, p99.9, P(95), p 95, p[95]: a percentile */
	if (word[0] == 'p' || word[0] == 'P') {
		while (i < len && strchr(" ([", word[i]))
			i++;
		size_t digits = i;
		while (i < len && (is_digit(word[i]) || word[i] == '.'))
			i++;
		size_t digits_end = i;
		while (i < len && strchr(" )]", word[i]))
			i++;
		if (i == len && digits_end > digits) {
			diag_report(l->d, DIAG_NOTE, NULL, "k6 writes p(%.*s)",
				    (int)(digits_end - digits), word + digits);
			return;
		}
	}
	/* a name of perfgate's own language: mean, median, last, stddev, apdex(...) */
	size_t name_len = strcspn(word, "(");
	for (i = 0; i < PG_ARRAY_LEN(perfgate_aggs); i++) {
		if (strlen(perfgate_aggs[i].name) != name_len ||
		    memcmp(perfgate_aggs[i].name, word, name_len) != 0)
			continue;
		for (size_t k = 0; k < PG_ARRAY_LEN(k6_aggs); k++) {
			if (k6_aggs[k].agg == perfgate_aggs[i].agg) {
				diag_report(l->d, DIAG_NOTE, NULL, "k6 writes %s%s", k6_aggs[k].name,
					    k6_aggs[k].agg == AGG_P ? "(N)" : "");
				return;
			}
		}
		diag_report(l->d, DIAG_NOTE, NULL,
			    "'%s' is an aggregation of perfgate rules, not of k6 thresholds, which "
			    "have value, count, rate, avg, min, med, max and p(N)", perfgate_aggs[i].name);
		return;
	}
	const char *names[PG_ARRAY_LEN(k6_aggs)];
	for (i = 0; i < PG_ARRAY_LEN(k6_aggs); i++)
		names[i] = k6_aggs[i].agg == AGG_P ? NULL : k6_aggs[i].name;
	char *folded = xstrdup(word);
	for (i = 0; folded[i]; i++)
		folded[i] = lower(folded[i]);
	const char *closest = str_closest(folded, names, PG_ARRAY_LEN(names));
	if (!closest) {
		for (i = 0; i < PG_ARRAY_LEN(names); i++)
			if (names[i] && strcmp(names[i], folded) == 0)
				closest = names[i]; /* only the case differs */
	}
	free(folded);
	if (closest)
		diag_report(l->d, DIAG_NOTE, NULL, "did you mean '%s'?", closest);
	else
		diag_report(l->d, DIAG_NOTE, NULL,
			    "k6 thresholds have value, count, rate, avg, min, med, max and p(N)");
}

/*
 * aggregation := 'value' | 'count' | 'rate' | 'avg' | 'min' | 'med' | 'max' | 'p'
 *              | 'p(' FLOAT ')'                       (FLOAT from 0 to 100, no blanks)
 * t->text[start..end) is the trimmed left side. Returns the node, or NULL once reported.
 */
static struct expr *aggregation(struct loader *l, const struct budget_text *t, size_t start,
				size_t end)
{
	const char *s = t->text + start;
	size_t len = end - start;
	struct expr *e = arena_alloc(&l->b->arena, sizeof *e);
	*e = (struct expr){.kind = EXPR_AGG, .offset = start, .len = len, .dim = DIM_UNKNOWN};
	for (size_t i = 0; i < PG_ARRAY_LEN(k6_aggs); i++) {
		if (strlen(k6_aggs[i].name) == len && memcmp(k6_aggs[i].name, s, len) == 0) {
			e->agg = k6_aggs[i].agg;
			if (e->agg == AGG_P)
				budget_text_report(l->d, DIAG_K6_THRESHOLD_BARE_P, t, start, len,
						   "k6 reads a bare 'p' as p(0), the minimum; a "
						   "percentile is written p(N)");
			return e;
		}
	}
	if (len >= 3 && s[0] == 'p' && s[1] == '(' && s[len - 1] == ')') {
		double percent = 0;
		enum num_status status = go_parse_float(s + 2, len - 3, &percent);
		size_t at = len > 3 ? start + 2 : start + 1, span = len > 3 ? len - 3 : 2;
		if (len == 3) {
			budget_text_report(l->d, DIAG_K6_THRESHOLD_PERCENTILE, t, at, span,
					   "no percentile in 'p()': k6 writes p(N), N from 0 to 100");
			return NULL;
		}
		if (status == NUM_INVALID || status == NUM_OVERFLOW) {
			if (javascript(l, t))
				return NULL;
			budget_text_report(l->d, DIAG_K6_THRESHOLD_PERCENTILE, t, at, span,
					   "'%.*s' in '%.*s' is not a number as k6 reads it (Go's "
					   "strconv.ParseFloat; no blanks inside the parentheses)",
					   (int)(len - 3), s + 2, (int)len, s);
			return NULL;
		}
		if (status == NUM_NAN || percent < 0 || percent > 100) {
			budget_text_report(l->d, DIAG_K6_THRESHOLD_PERCENTILE, t, at, span,
					   "percentile '%.*s' is not between 0 and 100",
					   (int)(len - 3), s + 2);
			return NULL;
		}
		e->agg = AGG_P;
		e->number = percent == 0 ? 0 : percent; /* p(-0) is p(0) */
		return e;
	}
	if (javascript(l, t))
		return NULL;
	char *word = xstrndup(s, len);
	budget_text_report(l->d, DIAG_K6_THRESHOLD_AGGREGATION, t, start, len,
			   "unknown k6 aggregation '%s'", word);
	hint_aggregation(l, word);
	free(word);
	return NULL;
}

/* Does s[0..len) look like a number with a unit ("300ms", "0.1%", "2s")? */
static bool has_unit(const char *s, size_t len)
{
	if (!len || !(is_digit(s[0]) || s[0] == '.') || (len > 1 && lower(s[1]) == 'x'))
		return false;
	char last = s[len - 1];
	return (lower(last) >= 'a' && lower(last) <= 'z') || last == '%' ||
	       (unsigned char)last >= 0x80;
}

/*
 * number := FLOAT       (Go's strconv.ParseFloat: 300, 1e3, 1_000, 0x1p4, Inf; never NaN)
 * t->text[start..end) is the trimmed right side. Returns the node, or NULL once reported.
 */
static struct expr *number(struct loader *l, const struct budget_text *t, size_t start,
			   size_t end)
{
	const char *s = t->text + start;
	size_t len = end - start;
	double value = 0;
	enum num_status status = go_parse_float(s, len, &value);
	if (status == NUM_OK || status == NUM_INF) {
		struct expr *e = arena_alloc(&l->b->arena, sizeof *e);
		*e = (struct expr){.kind = EXPR_NUMBER, .offset = start, .len = len, .number = value,
				   .dim = DIM_BARE};
		return e;
	}
	if (status != NUM_NAN && javascript(l, t))
		return NULL;
	if (status == NUM_NAN)
		budget_text_report(l->d, DIAG_K6_THRESHOLD_NUMBER, t, start, len,
				   "k6 takes '%.*s' here, but nothing compares true with NaN: the "
				   "threshold could never pass (with '!=', never fail)", (int)len, s);
	else if (status == NUM_OVERFLOW)
		budget_text_report(l->d, DIAG_K6_THRESHOLD_NUMBER, t, start, len,
				   "'%.*s' is beyond the range of a double", (int)len, s);
	else if (has_unit(s, len))
		budget_text_report(l->d, DIAG_K6_THRESHOLD_NUMBER, t, start, len,
				   "'%.*s' has a unit; k6 thresholds take a plain number (times in "
				   "milliseconds, rates as fractions: 300, 0.01)", (int)len, s);
	else
		budget_text_report(l->d, DIAG_K6_THRESHOLD_NUMBER, t, start, len,
				   "'%.*s' is not a number as k6 reads it (Go's strconv.ParseFloat)",
				   (int)len, s);
	return NULL;
}

/*
 * threshold := aggregation operator number, blanks around each (k6's scanThresholdExpression)
 * The first operator of <=, <, >=, >, ===, ==, != (in this order) that occurs with anything
 * after its first occurrence splits the string; both sides are then trimmed.
 */
static struct expr *threshold(struct loader *l, const struct budget_text *t)
{
	static const struct {
		const char *spelling;
		enum cmp_op op;
	} ops[] = {
		{"<=", CMP_LE}, {"<", CMP_LT}, {">=", CMP_GE}, {">", CMP_GT},
		{"===", CMP_EQ}, {"==", CMP_EQ}, {"!=", CMP_NE},
	};
	const char *s = t->text;
	size_t len = t->len, at = SIZE_MAX, op_len = 0, dangling = SIZE_MAX, dangling_len = 0;
	enum cmp_op op = CMP_LT;
	for (size_t i = 0; i < PG_ARRAY_LEN(ops) && at == SIZE_MAX; i++) {
		size_t n = strlen(ops[i].spelling), pos = find(s, len, ops[i].spelling);
		if (pos != SIZE_MAX && pos + n < len) {
			at = pos;
			op_len = n;
			op = ops[i].op;
		} else if (pos != SIZE_MAX && dangling == SIZE_MAX) {
			dangling = pos;
			dangling_len = n;
		}
	}
	if (at == SIZE_MAX) {
		size_t start = 0, end = len;
		trim_space(s, &start, &end);
		if (javascript(l, t))
			return NULL;
		if (start == end)
			budget_text_report(l->d, DIAG_K6_THRESHOLD_SYNTAX, t, 0, len,
					   "empty k6 threshold: write AGGREGATION OPERATOR NUMBER, "
					   "e.g. 'p(95)<500'");
		else if (dangling != SIZE_MAX)
			budget_text_report(l->d, DIAG_K6_THRESHOLD_SYNTAX, t, dangling, dangling_len,
					   "no number after '%.*s' in k6 threshold '%s'",
					   (int)dangling_len, s + dangling, s);
		else
			budget_text_report(l->d, DIAG_K6_THRESHOLD_SYNTAX, t, start, end - start,
					   "no comparison operator (<, <=, >, >=, ==, ===, !=) in k6 "
					   "threshold '%s'", s);
		return NULL;
	}
	size_t ls = 0, le = at, rs = at + op_len, re = len;
	trim_space(s, &ls, &le);
	trim_space(s, &rs, &re);
	struct expr *lhs = NULL, *rhs = NULL;
	if (ls == le) {
		if (!javascript(l, t))
			budget_text_report(l->d, DIAG_K6_THRESHOLD_SYNTAX, t, at, op_len,
					   "no aggregation before '%.*s' in k6 threshold '%s'",
					   (int)op_len, s + at, s);
		return NULL;
	}
	lhs = aggregation(l, t, ls, le);
	if (!lhs)
		return NULL; /* one error per string: the right side is not looked at */
	if (rs == re) {
		budget_text_report(l->d, DIAG_K6_THRESHOLD_SYNTAX, t, at, op_len,
				   "no number after '%.*s' in k6 threshold '%s'", (int)op_len, s + at,
				   s);
		return NULL;
	}
	rhs = number(l, t, rs, re);
	if (!rhs)
		return NULL;
	struct expr *e = arena_alloc(&l->b->arena, sizeof *e);
	*e = (struct expr){.kind = EXPR_CMP, .offset = ls, .len = re - ls, .lhs = lhs, .rhs = rhs,
			   .op = op, .dim = DIM_UNKNOWN};
	return e;
}

/*
 * k6's Validate: the aggregation must be one the metric's type supports. Only built-ins have a
 * type before any data is seen; sets the dimension of both nodes for them.
 */
static bool check_type(struct loader *l, const struct budget_text *t, const char *metric,
		       struct expr *e)
{
	enum k6_type type;
	enum k6_contains contains;
	if (!k6_names_builtin(metric, strlen(metric), &type, &contains))
		return true; /* a custom metric: eval.c checks it against the series' kind */
	for (size_t i = 0; i < PG_ARRAY_LEN(k6_types); i++) {
		if (k6_types[i].type != type)
			continue;
		if (!(k6_types[i].allowed & BIT(e->lhs->agg))) {
			budget_text_report(l->d, DIAG_K6_THRESHOLD_METRIC_TYPE, t, e->lhs->offset,
					   e->lhs->len,
					   "unsupported aggregation method '%.*s' on metric %s of type "
					   "%s; supported aggregation methods for this metric are: %s",
					   (int)e->lhs->len, t->text + e->lhs->offset, metric,
					   k6_types[i].name, k6_types[i].list);
			return false;
		}
	}
	e->lhs->dim = e->dim = builtin_dim(type, contains, e->lhs->agg);
	return true;
}

/* The rule of one threshold string of key (its text in t, at pointer; the element at rule_at). */
static void add_rule(struct loader *l, const char *key, const struct k6_key *k,
		     const char *key_pointer, const char *rule_at, const char *pointer,
		     const struct budget_text *t, struct expr *e)
{
	struct budget *b = l->b;
	struct rule *r = budget_add_rule(b);
	r->name = arena_printf(&b->arena, "%s: %s", key, t->text);
	r->pointer = arena_strdup(&b->arena, rule_at);
	r->k6 = true;
	r->k6_metric = k->metric;
	r->k6_key = arena_strdup(&b->arena, key);
	r->level = LEVEL_ERROR;
	struct selector *sel = &r->selector;
	sel->metric = k6_thresholds_model_metric(k->metric, &b->arena);
	sel->metric_pointer = arena_strdup(&b->arena, key_pointer);
	sel->endpoint_kind = k->name ? ENDPOINT_K6_NAME : ENDPOINT_RUN;
	sel->endpoint = k->name;
	sel->endpoint_pointer = k->name ? sel->metric_pointer : NULL;
	sel->method = k->method;
	sel->tags = k->tags;
	sel->tag_count = k->tag_count;
	r->assertions = arena_alloc(&b->arena, sizeof *r->assertions);
	r->assertion_count = 1;
	r->assertions[0] = (struct assertion){*t, arena_strdup(&b->arena, pointer), e};
}

/* One element of a key's array: "EXPR" or {"threshold": "EXPR", "abortOnFail": bool, ...}. */
static void load_element(struct loader *l, const char *key, const struct k6_key *k,
			 const char *key_pointer, json_t *element, size_t index)
{
	struct budget *b = l->b;
	char index_text[24];
	snprintf(index_text, sizeof index_text, "%zu", index);
	char *rule_at = json_pointer_member(key_pointer, index_text);
	char *pointer = NULL;
	json_t *source = NULL;
	bool ok = true;
	if (json_is_string(element)) {
		source = element;
		pointer = xstrdup(rule_at);
	} else if (json_is_object(element)) {
		/*
		 * Go's encoding/json: member names match the fields ignoring case, a later member
		 * overwrites an earlier one, and members it does not know are ignored.
		 */
		const char *name;
		json_t *value;
		json_object_foreach(element, name, value) {
			char *at = json_pointer_member(rule_at, name);
			size_t n = strlen(name);
			if (equals_ignoring_case(name, n, "threshold")) {
				source = value;
				free(pointer);
				pointer = at;
				continue;
			}
			const char *wanted = NULL;
			if (equals_ignoring_case(name, n, "abortonfail") && !json_is_boolean(value) &&
			    !json_is_null(value))
				wanted = "a boolean";
			else if (equals_ignoring_case(name, n, "delayaborteval") &&
				 !json_is_string(value) && !json_is_number(value) &&
				 !json_is_null(value))
				wanted = "a duration (\"10s\", or a number of milliseconds)";
			if (wanted) {
				json_report(l->d, DIAG_JSON_TYPE, &b->src, at, "'%s' must be %s, not %s",
					    name, wanted, json_type_name(value));
				ok = false;
			}
			free(at);
		}
		if (!source || json_is_null(source)) {
			json_report(l->d, DIAG_MISSING_FIELD, &b->src, rule_at,
				    "a k6 threshold object needs \"threshold\": \"AGGREGATION OPERATOR "
				    "NUMBER\"");
			ok = false;
			source = NULL;
		} else if (!json_is_string(source)) {
			json_report(l->d, DIAG_JSON_TYPE, &b->src, pointer,
				    "'threshold' must be a string, not %s", json_type_name(source));
			ok = false;
			source = NULL;
		}
	} else {
		json_report(l->d, DIAG_JSON_TYPE, &b->src, rule_at,
			    "a k6 threshold must be a string or an object {\"threshold\": ...}, "
			    "not %s", json_type_name(element));
		ok = false;
	}
	if (source) {
		struct budget_text t = text_at(b, pointer, json_string_value(source),
					       json_string_length(source), false);
		struct expr *e = threshold(l, &t);
		ok = ok && e && (!k->ok || check_type(l, &t, k->metric, e));
		if (ok && k->ok)
			add_rule(l, key, k, key_pointer, rule_at, pointer, &t, e);
	}
	l->ok &= ok;
	free(pointer);
	free(rule_at);
}

bool k6_thresholds_load(struct budget *b, const char *pointer, struct json_t *thresholds,
			struct diag *d)
{
	struct loader l = {b, d, true};
	if (!json_is_object(thresholds)) {
		json_report(d, DIAG_JSON_TYPE, &b->src, pointer,
			    "'thresholds' must be an object of k6 thresholds, not %s",
			    thresholds ? json_type_name(thresholds) : "absent");
		return false;
	}
	const char *key;
	json_t *list;
	json_object_foreach(thresholds, key, list) {
		char *key_pointer = json_pointer_member(pointer, key);
		struct budget_text kt = text_at(b, key_pointer, key, strlen(key), true);
		struct k6_key k;
		parse_key(&l, &kt, &k);
		if (!json_is_array(list)) {
			json_report(d, DIAG_JSON_TYPE, &b->src, key_pointer,
				    "the k6 thresholds of '%s' must be an array (of strings or "
				    "{\"threshold\": ...} objects), not %s", key, json_type_name(list));
			l.ok = false;
		}
		size_t i;
		json_t *element;
		json_array_foreach(list, i, element) {
			load_element(&l, key, &k, key_pointer, element, i);
		}
		free(key_pointer);
	}
	return l.ok;
}

const char *k6_thresholds_model_metric(const char *k6_name, struct arena *arena)
{
	return k6_names_model_metric(k6_name, arena);
}

enum k6_metric_type k6_thresholds_builtin_type(const char *k6_name)
{
	enum k6_type type;
	enum k6_contains contains;
	if (k6_names_builtin(k6_name, strlen(k6_name), &type, &contains))
		for (size_t i = 0; i < PG_ARRAY_LEN(k6_types); i++)
			if (k6_types[i].type == type)
				return k6_types[i].budget_type;
	return K6_TYPE_UNKNOWN;
}
