/*
 * parse.c - tokens of an assertion -> expression tree, by recursive descent (budget.h grammar).
 *
 * One function per grammar rule, the rule in a comment above it (chibicc's parse.c). Every
 * function takes the parser state and returns a node allocated in the budget's arena, or NULL
 * after reporting a syntax error; NULL propagates up, so an assertion gets one syntax error
 * (the first), while the budget file goes on to its next assertion. Names are resolved here
 * against funcs.def, so an unknown aggregation is reported with a did-you-mean at its span;
 * dimensions and the placement of `baseline` are check.c's business.
 */
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "../util/num.h"

static const struct {
	const char *name;
	enum agg agg;
	enum agg_arg arg;
} aggs[] = {
#define AGG(id, name, argument, summary) {name, id, argument},
#include "funcs.def"
#undef AGG
};

/* Canonical name of an aggregation ("p", "avg", ...: the first row of funcs.def for it). */
static const char *agg_name(enum agg agg)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(aggs); i++)
		if (aggs[i].agg == agg)
			return aggs[i].name;
	return "?";
}

/* Nesting of '(' and unary '-' allowed: recursion depth stays bounded on hostile input. */
enum { PARSE_MAX_DEPTH = 64 };
/*
 * Tokens allowed in one assertion: long and/or or +/- chains make left-deep trees that the
 * checker and evaluator walk recursively, so their length bounds the recursion too.
 */
enum { PARSE_MAX_TOKENS = 512 };

struct parser {
	const struct budget_text *text;
	struct token *tok;       /* the next token */
	struct arena *arena;
	struct diag *d;
	int depth;               /* open '(' and '-' being parsed */
};

/* Enters one level of nesting; false (reported) beyond PARSE_MAX_DEPTH. */
static bool nest(struct parser *p)
{
	if (++p->depth <= PARSE_MAX_DEPTH)
		return true;
	budget_text_report(p->d, DIAG_BUDGET_SYNTAX, p->text, p->tok->offset, p->tok->len,
			   "the assertion nests deeper than %d levels", PARSE_MAX_DEPTH);
	return false;
}

static struct expr *or_expr(struct parser *p);
static struct expr *sum(struct parser *p);

static struct expr *new_node(struct parser *p, enum expr_kind kind, size_t offset, size_t len)
{
	struct expr *e = arena_alloc(p->arena, sizeof *e);
	e->kind = kind;
	e->offset = offset;
	e->len = len;
	e->dim = DIM_BARE;
	return e;
}

/* A node spanning from lhs to rhs. */
static struct expr *new_binary(struct parser *p, enum expr_kind kind, struct expr *lhs,
			       struct expr *rhs)
{
	struct expr *e = new_node(p, kind, lhs->offset, rhs->offset + rhs->len - lhs->offset);
	e->lhs = lhs;
	e->rhs = rhs;
	return e;
}

static bool is_word(const struct parser *p, const struct token *t, const char *word)
{
	return t->kind == TK_IDENT && strlen(word) == t->len &&
	       memcmp(p->text->text + t->offset, word, t->len) == 0;
}

static struct expr *syntax_error(struct parser *p, const struct token *t, const char *expected)
{
	if (t->kind == TK_EOF)
		budget_text_report(p->d, DIAG_BUDGET_SYNTAX, p->text, t->offset, 1,
				   "expected %s, found the end of the assertion", expected);
	else
		budget_text_report(p->d, DIAG_BUDGET_SYNTAX, p->text, t->offset, t->len,
				   "expected %s, found '%.*s'", expected, (int)t->len,
				   p->text->text + t->offset);
	return NULL;
}

static enum cmp_op comparison_op(enum token_kind kind, bool *is_cmp)
{
	*is_cmp = true;
	switch (kind) {
	case TK_LT: return CMP_LT;
	case TK_LE: return CMP_LE;
	case TK_GT: return CMP_GT;
	case TK_GE: return CMP_GE;
	case TK_EQ: return CMP_EQ;
	case TK_NE: return CMP_NE;
	default: *is_cmp = false; return CMP_LT;
	}
}

/* or := and ('or' and)* */
static struct expr *and_expr(struct parser *p);
static struct expr *or_expr(struct parser *p)
{
	struct expr *e = and_expr(p);
	while (e && is_word(p, p->tok, "or")) {
		p->tok++;
		struct expr *rhs = and_expr(p);
		e = rhs ? new_binary(p, EXPR_OR, e, rhs) : NULL;
	}
	return e;
}

/* and := compare ('and' compare)* */
static struct expr *compare(struct parser *p);
static struct expr *and_expr(struct parser *p)
{
	struct expr *e = compare(p);
	while (e && is_word(p, p->tok, "and")) {
		p->tok++;
		struct expr *rhs = compare(p);
		e = rhs ? new_binary(p, EXPR_AND, e, rhs) : NULL;
	}
	return e;
}

/* compare := sum (OP sum ('for' NUMBER)?)? */
static struct expr *compare(struct parser *p)
{
	struct expr *lhs = sum(p);
	if (!lhs)
		return NULL;
	bool is_cmp;
	enum cmp_op op = comparison_op(p->tok->kind, &is_cmp);
	if (!is_cmp)
		return lhs;
	p->tok++;
	struct expr *rhs = sum(p);
	if (!rhs)
		return NULL;
	struct expr *e = new_binary(p, EXPR_CMP, lhs, rhs);
	e->op = op;
	if (is_word(p, p->tok, "for")) {
		struct token *word = p->tok++;
		if (p->tok->kind != TK_NUMBER)
			return syntax_error(p, p->tok, "a duration after 'for' (e.g. 30s)");
		struct token *n = p->tok++;
		e->window_ms = n->number;
		e->window_offset = word->offset;
		e->window_len = n->offset + n->len - word->offset;
		/* the dimension of the window is checked in check.c (a time, above zero) */
		e->window_dim = n->dim;
	}
	comparison_op(p->tok->kind, &is_cmp);
	if (is_cmp) {
		budget_text_report(p->d, DIAG_BUDGET_SYNTAX, p->text, p->tok->offset, p->tok->len,
				   "comparisons cannot be chained");
		diag_report(p->d, DIAG_NOTE, NULL, "join two comparisons with 'and'");
		return NULL;
	}
	return e;
}

/* sum := product (('+' | '-') product)* */
static struct expr *product(struct parser *p);
static struct expr *sum(struct parser *p)
{
	struct expr *e = product(p);
	while (e && (p->tok->kind == TK_PLUS || p->tok->kind == TK_MINUS)) {
		enum expr_kind kind = p->tok->kind == TK_PLUS ? EXPR_ADD : EXPR_SUB;
		p->tok++;
		struct expr *rhs = product(p);
		e = rhs ? new_binary(p, kind, e, rhs) : NULL;
	}
	return e;
}

/* product := unary (('*' | '/') unary)* */
static struct expr *unary(struct parser *p);
static struct expr *product(struct parser *p)
{
	struct expr *e = unary(p);
	while (e && (p->tok->kind == TK_STAR || p->tok->kind == TK_SLASH)) {
		enum expr_kind kind = p->tok->kind == TK_STAR ? EXPR_MUL : EXPR_DIV;
		p->tok++;
		struct expr *rhs = unary(p);
		e = rhs ? new_binary(p, kind, e, rhs) : NULL;
	}
	return e;
}

/* unary := '-' unary | primary */
static struct expr *primary(struct parser *p);
static struct expr *unary(struct parser *p)
{
	if (p->tok->kind != TK_MINUS)
		return primary(p);
	struct token *minus = p->tok++;
	if (!nest(p))
		return NULL;
	struct expr *operand = unary(p);
	p->depth--;
	if (!operand)
		return NULL;
	struct expr *e = new_node(p, EXPR_NEG, minus->offset,
				  operand->offset + operand->len - minus->offset);
	e->lhs = operand;
	return e;
}

/* Reports an unknown name with the closest aggregation (or p(N) for "p95.5x"). */
static struct expr *unknown_name(struct parser *p, const struct token *t)
{
	const char *text = p->text->text + t->offset;
	char *word = xstrndup(text, t->len);
	budget_text_report(p->d, DIAG_BUDGET_UNKNOWN_AGGREGATION, p->text, t->offset, t->len,
			   "unknown aggregation '%s'", word);
	size_t digits = 0;
	if (word[0] == 'p' || word[0] == 'P')
		while (word[1 + digits] && (word[1 + digits] == '.' ||
					    (word[1 + digits] >= '0' && word[1 + digits] <= '9')))
			digits++;
	while (digits > 0 && word[digits] == '.')
		digits--;
	if (digits > 0) {
		diag_report(p->d, DIAG_NOTE, NULL, "did you mean 'p(%.*s)'?", (int)digits, word + 1);
	} else {
		const char *names[PG_ARRAY_LEN(aggs) + 1];
		for (size_t i = 0; i < PG_ARRAY_LEN(aggs); i++)
			names[i] = aggs[i].name;
		names[PG_ARRAY_LEN(aggs)] = "baseline";
		const char *close = str_closest(word, names, PG_ARRAY_LEN(names));
		if (close)
			diag_report(p->d, DIAG_NOTE, NULL, "did you mean '%s'?", close);
		else
			diag_report(p->d, DIAG_NOTE, NULL,
				    "aggregations: p(N) or pN, avg, med, min, max, stddev, count, "
				    "rate, rps, error_rate, apdex(T), value");
	}
	free(word);
	return NULL;
}

/* "p95", "p99.9": the percentile of a pN name; false when the name is not of that form. */
static bool percentile_name(const char *text, size_t len, double *percent)
{
	if (len < 2 || text[0] != 'p' || text[1] < '0' || text[1] > '9')
		return false;
	return num_parse_double(text + 1, len - 1, percent, NULL) == NUM_OK;
}

/*
 * aggregation := NAME | NAME '(' NUMBER ')' | 'p' DIGITS ('.' DIGITS)?
 * (the argument of p and apdex is a literal: a percentile, a time)
 */
static struct expr *aggregation(struct parser *p)
{
	struct token *name = p->tok++;
	const char *text = p->text->text + name->offset;
	struct expr *e = new_node(p, EXPR_AGG, name->offset, name->len);
	if (percentile_name(text, name->len, &e->number)) {
		e->agg = AGG_P;
		return e;
	}
	size_t row = 0;
	while (row < PG_ARRAY_LEN(aggs) && !(strlen(aggs[row].name) == name->len &&
					       memcmp(aggs[row].name, text, name->len) == 0))
		row++;
	if (row == PG_ARRAY_LEN(aggs))
		return unknown_name(p, name);
	e->agg = aggs[row].agg;
	if (aggs[row].arg == AGG_ARG_NONE) {
		if (p->tok->kind == TK_LPAREN) {
			budget_text_report(p->d, DIAG_BUDGET_SYNTAX, p->text, p->tok->offset, 1,
					   "'%s' takes no argument", aggs[row].name);
			return NULL;
		}
		return e;
	}
	const char *what = aggs[row].arg == AGG_ARG_PERCENT ? "a percentile, e.g. p(95)"
							    : "a target time, e.g. apdex(300ms)";
	if (p->tok->kind != TK_LPAREN)
		return syntax_error(p, p->tok, what);
	p->tok++;
	if (p->tok->kind != TK_NUMBER)
		return syntax_error(p, p->tok, what);
	struct token *arg = p->tok++;
	if (p->tok->kind != TK_RPAREN)
		return syntax_error(p, p->tok, token_kind_name(TK_RPAREN));
	e->number = arg->number;
	e->dim = arg->dim; /* the argument's; check.c validates and then sets the result's */
	e->len = p->tok->offset + 1 - name->offset;
	p->tok++;
	return e;
}

/* primary := NUMBER | 'baseline' | aggregation | '(' or ')' */
static struct expr *primary(struct parser *p)
{
	struct token *t = p->tok;
	if (t->kind == TK_NUMBER) {
		p->tok++;
		struct expr *e = new_node(p, EXPR_NUMBER, t->offset, t->len);
		e->number = t->number;
		e->dim = t->dim;
		e->percent = t->percent;
		if (p->tok->kind == TK_IDENT && !is_word(p, p->tok, "and") &&
		    !is_word(p, p->tok, "or") && !is_word(p, p->tok, "for")) {
			budget_text_report(p->d, DIAG_BUDGET_SYNTAX, p->text, p->tok->offset,
					   p->tok->len, "unexpected '%.*s' after a number",
					   (int)p->tok->len, p->text->text + p->tok->offset);
			diag_report(p->d, DIAG_NOTE, NULL,
				    "write the unit right after the number, without a space: 300ms");
			return NULL;
		}
		return e;
	}
	if (t->kind == TK_LPAREN) {
		p->tok++;
		if (!nest(p))
			return NULL;
		struct expr *e = or_expr(p);
		p->depth--;
		if (!e)
			return NULL;
		if (p->tok->kind != TK_RPAREN)
			return syntax_error(p, p->tok, token_kind_name(TK_RPAREN));
		e->offset = t->offset;
		e->len = p->tok->offset + 1 - t->offset;
		p->tok++;
		return e;
	}
	if (t->kind == TK_IDENT) {
		if (is_word(p, t, "baseline")) {
			p->tok++;
			return new_node(p, EXPR_BASELINE, t->offset, t->len);
		}
		if (is_word(p, t, "and") || is_word(p, t, "or") || is_word(p, t, "for"))
			return syntax_error(p, t, "a value");
		return aggregation(p);
	}
	return syntax_error(p, t, "a value (an aggregation such as p95, or a number)");
}

struct expr *parse_assertion(const struct budget_text *t, struct arena *arena, struct diag *d)
{
	struct token *tokens = lex_tokens(t, d);
	if (!tokens)
		return NULL;
	size_t count = 0;
	while (tokens[count].kind != TK_EOF)
		count++;
	if (count > PARSE_MAX_TOKENS) {
		budget_text_report(d, DIAG_BUDGET_SYNTAX, t, tokens[PARSE_MAX_TOKENS].offset, 1,
				   "the assertion is longer than %d tokens; split it into several",
				   PARSE_MAX_TOKENS);
		free(tokens);
		return NULL;
	}
	struct parser p = {t, tokens, arena, d, 0};
	struct expr *e = or_expr(&p);
	if (e && p.tok->kind != TK_EOF) {
		if (p.tok->kind == TK_RPAREN)
			syntax_error(&p, p.tok, "the end of the assertion (unbalanced ')')");
		else
			syntax_error(&p, p.tok, "'and', 'or', or the end of the assertion");
		e = NULL;
	}
	free(tokens);
	return e;
}

/* ---- dump, for tests ---- */

static void dump_number(struct buf *out, double value, enum dim dim)
{
	char n[32];
	switch (dim) {
	case DIM_TIME: str_format_double(n, value); buf_printf(out, "%sms", n); return;
	case DIM_RATIO: str_format_double(n, value * 100); buf_printf(out, "%s%%", n); return;
	case DIM_PER_S: str_format_double(n, value); buf_printf(out, "%srps", n); return;
	case DIM_BYTES: str_format_double(n, value); buf_printf(out, "%sB", n); return;
	case DIM_BYTES_PER_S: str_format_double(n, value); buf_printf(out, "%sB/s", n); return;
	case DIM_BARE:
	case DIM_SCALAR:
	case DIM_UNKNOWN: str_format_double(n, value); buf_puts(out, n); return;
	}
}

void expr_dump(const struct expr *e, struct buf *out)
{
	static const char *const ops[] = {
		[EXPR_ADD] = "+", [EXPR_SUB] = "-", [EXPR_MUL] = "*", [EXPR_DIV] = "/",
		[EXPR_RELATIVE] = "+%", [EXPR_AND] = "and", [EXPR_OR] = "or",
	};
	switch (e->kind) {
	case EXPR_NUMBER:
		dump_number(out, e->number, e->dim);
		return;
	case EXPR_BASELINE:
		buf_puts(out, "baseline");
		return;
	case EXPR_AGG:
		if (e->agg == AGG_P) {
			char n[32];
			str_format_double(n, e->number);
			buf_printf(out, "(p %s)", n);
		} else if (e->agg == AGG_APDEX) {
			buf_puts(out, "(apdex ");
			dump_number(out, e->number, DIM_TIME);
			buf_putc(out, ')');
		} else {
			buf_puts(out, agg_name(e->agg));
		}
		return;
	case EXPR_NEG:
		buf_puts(out, "(- ");
		expr_dump(e->lhs, out);
		buf_putc(out, ')');
		return;
	case EXPR_CMP:
		buf_printf(out, "(%s ", cmp_op_name(e->op));
		expr_dump(e->lhs, out);
		buf_putc(out, ' ');
		expr_dump(e->rhs, out);
		if (e->window_ms > 0) {
			buf_puts(out, " for ");
			dump_number(out, e->window_ms, DIM_TIME);
		}
		buf_putc(out, ')');
		return;
	case EXPR_ADD:
	case EXPR_SUB:
	case EXPR_MUL:
	case EXPR_DIV:
	case EXPR_RELATIVE:
	case EXPR_AND:
	case EXPR_OR:
		buf_printf(out, "(%s ", ops[e->kind]);
		expr_dump(e->lhs, out);
		buf_putc(out, ' ');
		expr_dump(e->rhs, out);
		buf_putc(out, ')');
		return;
	}
}
