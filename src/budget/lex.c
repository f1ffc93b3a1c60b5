/*
 * lex.c - an assertion string -> tokens (budget.h, docs/budgets.md "Grammar").
 *
 * Tokens carry their byte span in the assertion, so every later diagnostic can point into the
 * budget file. A number takes the unit written right after it ("300ms", "0.1%", "2000rps",
 * "10MB", "1.5s"), looked up in units.def and converted to its dimension's base; an unknown
 * unit gets a did-you-mean. Names are letters, digits and '_', plus '.' between digits so
 * that "p99.9" is one name. The lexer reports every bad character and unit it meets, then
 * gives up on the assertion (the parser needs a complete token list).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "../util/num.h"

static const struct {
	const char *spelling;
	enum dim dim;
	double factor;
} units[] = {
#define UNIT(spelling, dim, factor) {spelling, dim, factor},
#include "units.def"
#undef UNIT
};

const char *token_kind_name(enum token_kind kind)
{
	static const char *const names[] = {
#define TOKEN(id, spelling) spelling,
#include "tokens.def"
#undef TOKEN
	};
	return (size_t)kind < PG_ARRAY_LEN(names) ? names[kind] : "?";
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c);
}

/* Length of a unit spelled at p: letters, '%', 'µ', and '/' followed by a letter. */
static size_t unit_length(const char *p, const char *end)
{
	const char *q = p;
	while (q < end) {
		if (is_name_start(*q) || *q == '%')
			q++;
		else if (end - q >= 2 && (unsigned char)q[0] == 0xc2 && (unsigned char)q[1] == 0xb5)
			q += 2;
		else if (*q == '/' && q + 1 < end && is_name_start(q[1]))
			q++;
		else
			break;
	}
	return (size_t)(q - p);
}

/* Length of a number at p: digits, one '.', an exponent only when digits follow it. */
static size_t number_length(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && is_digit(*q))
		q++;
	if (q < end && *q == '.') {
		q++;
		while (q < end && is_digit(*q))
			q++;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		const char *e = q + 1;
		if (e < end && (*e == '+' || *e == '-'))
			e++;
		if (e < end && is_digit(*e)) {
			while (e < end && is_digit(*e))
				e++;
			q = e;
		}
	}
	return (size_t)(q - p);
}

static bool lex_unit(const struct budget_text *t, struct token *tok, size_t at, size_t len,
		     struct diag *d)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(units); i++)
		if (strlen(units[i].spelling) == len &&
		    memcmp(units[i].spelling, t->text + at, len) == 0) {
			tok->number *= units[i].factor;
			tok->dim = units[i].dim;
			tok->percent = units[i].dim == DIM_RATIO;
			if (isfinite(tok->number))
				return true;
			budget_text_report(d, DIAG_BUDGET_SYNTAX, t, tok->offset, at + len - tok->offset,
					   "'%.*s' is beyond the range of numbers",
					   (int)(at + len - tok->offset), t->text + tok->offset);
			return false;
		}
	char *word = xstrndup(t->text + at, len);
	const char *names[PG_ARRAY_LEN(units)];
	for (size_t i = 0; i < PG_ARRAY_LEN(units); i++)
		names[i] = units[i].spelling;
	const char *close = str_closest(word, names, PG_ARRAY_LEN(units));
	budget_text_report(d, DIAG_BUDGET_UNKNOWN_UNIT, t, at, len, "unknown unit '%s'", word);
	if (close)
		diag_report(d, DIAG_NOTE, NULL, "did you mean '%s'?", close);
	else
		diag_report(d, DIAG_NOTE, NULL,
			    "units: ms, s, m, h, us, %%, rps, B, kB, MB, GB, MB/s (docs/budgets.md)");
	free(word);
	return false;
}

/* An operator at p, longest first; 0 when none. */
static size_t lex_operator(const char *p, const char *end, enum token_kind *kind)
{
	size_t left = (size_t)(end - p);
	if (left >= 3 && memcmp(p, "===", 3) == 0)
		return *kind = TK_EQ, 3;
	if (left >= 2) {
		static const struct {
			const char text[3];
			enum token_kind kind;
		} two[] = {{"<=", TK_LE}, {">=", TK_GE}, {"==", TK_EQ}, {"!=", TK_NE}};
		for (size_t i = 0; i < PG_ARRAY_LEN(two); i++)
			if (memcmp(p, two[i].text, 2) == 0)
				return *kind = two[i].kind, 2;
	}
	switch (*p) {
	case '<': return *kind = TK_LT, 1;
	case '>': return *kind = TK_GT, 1;
	case '+': return *kind = TK_PLUS, 1;
	case '-': return *kind = TK_MINUS, 1;
	case '*': return *kind = TK_STAR, 1;
	case '/': return *kind = TK_SLASH, 1;
	case '(': return *kind = TK_LPAREN, 1;
	case ')': return *kind = TK_RPAREN, 1;
	}
	return 0;
}

/* Diagnoses a character no token starts with, with advice for the usual suspects. */
static size_t bad_character(const struct budget_text *t, size_t at, struct diag *d)
{
	const char *p = t->text + at;
	size_t left = t->len - at;
	size_t len = 1;
	while (len < left && ((unsigned char)p[len] & 0xc0) == 0x80)
		len++;
	const char *advice = NULL;
	if (left >= 2 && memcmp(p, "&&", 2) == 0)
		advice = "write 'and'", len = 2;
	else if (left >= 2 && memcmp(p, "||", 2) == 0)
		advice = "write 'or'", len = 2;
	else if (*p == '=')
		advice = "a comparison is written '=='";
	else if (*p == '!')
		advice = "'not equal' is written '!='";
	budget_text_report(d, DIAG_BUDGET_SYNTAX, t, at, len, "unexpected character '%.*s'",
			   (int)len, p);
	if (advice)
		diag_report(d, DIAG_NOTE, NULL, "%s", advice);
	return len;
}

struct token *lex_tokens(const struct budget_text *t, struct diag *d)
{
	size_t count = 0, cap = 0;
	struct token *tokens = NULL;
	bool ok = true;
	const char *text = t->text, *end = t->text + t->len;
	size_t i = 0;
	for (;;) {
		while (i < t->len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
				      text[i] == '\r'))
			i++;
		tokens = xgrow(tokens, &cap, count + 1, sizeof *tokens);
		struct token *tok = &tokens[count];
		*tok = (struct token){.offset = i, .dim = DIM_BARE};
		if (i == t->len) {
			tok->kind = TK_EOF;
			tok->unit_offset = i;
			count++;
			break;
		}
		const char *p = text + i;
		enum token_kind op;
		size_t len;
		if (is_digit(*p) || (*p == '.' && p + 1 < end && is_digit(p[1]))) {
			len = number_length(p, end);
			tok->kind = TK_NUMBER;
			if (num_parse_double(p, len, &tok->number, NULL) != NUM_OK) {
				budget_text_report(d, DIAG_BUDGET_SYNTAX, t, i, len,
						   "'%.*s' is not a number", (int)len, p);
				ok = false;
			}
			tok->unit_offset = i + len;
			size_t unit = unit_length(p + len, end);
			if (unit > 0 && !lex_unit(t, tok, i + len, unit, d))
				ok = false;
			len += unit;
		} else if (is_name_start(*p)) {
			len = 1;
			while (i + len < t->len &&
			       (is_name_char(p[len]) ||
				(p[len] == '.' && i + len + 1 < t->len && is_digit(p[len + 1]) &&
				 is_digit(p[len - 1]))))
				len++;
			tok->kind = TK_IDENT;
		} else if ((len = lex_operator(p, end, &op)) > 0) {
			tok->kind = op;
		} else {
			i += bad_character(t, i, d);
			ok = false;
			continue;
		}
		tok->len = len;
		i += len;
		count++;
	}
	if (!ok) {
		free(tokens);
		return NULL;
	}
	return tokens;
}
