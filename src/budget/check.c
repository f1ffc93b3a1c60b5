/*
 * check.c - the semantic pass over a parsed assertion (budget.h, docs/budgets.md).
 *
 * It checks what the grammar cannot: the top of an assertion is a comparison (or and/or of
 * comparisons); `baseline` stands only on the right of a comparison, where it means the left
 * side evaluated on the baseline run; both sides of a comparison and of + and - measure the
 * same thing (a bare number takes the other side's dimension, which is how k6 reads
 * `p(95)<300` as 300 ms); an aggregation suits the metric's kind (`rate` of a latency has no
 * meaning); p(N) has 0 <= N <= 100; apdex takes a time; a `for` window is a positive time.
 * `X + 30%` where X is not a share becomes EXPR_RELATIVE (X * 1.3).
 *
 * The metric's kind and unit are known here for the core metrics only; for others (a k6
 * custom Trend) the dimension stays DIM_UNKNOWN and eval.c checks it against the series it
 * finds. Every problem is reported at its span; checking goes on to report them all.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "budget.h"

struct checker {
	const struct budget_text *text;
	const struct check_context *context;
	struct diag *d;
	bool ok;
};

struct check_context check_context_of_metric(const char *metric)
{
	struct check_context c = {metric, false, SERIES_TREND, DIM_UNKNOWN, false};
	enum metric_id id = model_metric_lookup(metric);
	if (id != METRIC_CUSTOM) {
		c.known = true;
		c.kind = model_metric_kind(id);
		c.metric_dim = dim_of_unit(model_metric_unit(id));
	}
	return c;
}

enum dim agg_result_dim(enum agg agg, const struct check_context *c, const char **why)
{
	*why = NULL;
	switch (agg) {
	case AGG_COUNT:
		/* a counter's total is in its unit (bytes_in: bytes); samples are counted */
		if (!c->known)
			return DIM_UNKNOWN;
		return c->kind == SERIES_COUNTER ? c->metric_dim : DIM_SCALAR;
	case AGG_RPS: return DIM_PER_S;
	case AGG_ERROR_RATE: return DIM_RATIO;
	case AGG_APDEX:
		if (c->known && (c->kind != SERIES_TREND || c->metric_dim != DIM_TIME))
			*why = "apdex needs a distribution of times (a latency)";
		return DIM_RATIO;
	case AGG_RATE:
		if (!c->known)
			return DIM_UNKNOWN;
		if (c->kind == SERIES_COUNTER)
			return c->metric_dim == DIM_BYTES ? DIM_BYTES_PER_S : DIM_PER_S;
		if (c->kind == SERIES_RATE)
			return DIM_RATIO;
		*why = "rate is defined for a counter (per second) or a rate metric (a share); "
		       "for requests per second write rps, for failed requests error_rate";
		return DIM_UNKNOWN;
	case AGG_VALUE:
		if (c->known && c->kind != SERIES_GAUGE)
			*why = "value is a gauge's latest value";
		return c->known ? c->metric_dim : DIM_UNKNOWN;
	case AGG_MIN:
	case AGG_MAX:
		if (c->known && c->kind != SERIES_TREND && c->kind != SERIES_GAUGE)
			*why = "min and max are defined for a distribution or a gauge";
		return c->known ? c->metric_dim : DIM_UNKNOWN;
	case AGG_AVG:
	case AGG_P:
	case AGG_MED:
		/* a server gauge keeps its mean and its samples over time; a load generator's not */
		if (c->known && c->kind != SERIES_TREND && !(c->kind == SERIES_GAUGE && c->server))
			*why = "percentiles, avg and med are defined for a distribution, or a server "
			       "gauge's samples over time";
		return c->known ? c->metric_dim : DIM_UNKNOWN;
	case AGG_STDDEV:
		if (c->known && c->kind != SERIES_TREND)
			*why = "stddev is defined for a distribution";
		return c->known ? c->metric_dim : DIM_UNKNOWN;
	case AGG__COUNT:
		break;
	}
	return DIM_UNKNOWN;
}

static bool is_boolean(const struct expr *e)
{
	return e->kind == EXPR_CMP || e->kind == EXPR_AND || e->kind == EXPR_OR;
}

static void error_at(struct checker *k, enum diag_id id, const struct expr *e, const char *fmt,
		     ...) PG_PRINTF(4, 5);
static void error_at(struct checker *k, enum diag_id id, const struct expr *e, const char *fmt,
		     ...)
{
	struct diag_loc loc;
	budget_text_locate(k->text, e->offset, e->len, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(k->d, id, &loc, fmt, ap);
	va_end(ap);
	k->ok = false;
}

/* Two dimensions that must agree: the common one, or DIM_BARE/UNKNOWN rules; false when not. */
bool dim_unify(enum dim a, enum dim b, enum dim *out)
{
	if (a == DIM_UNKNOWN || b == DIM_UNKNOWN)
		*out = DIM_UNKNOWN;
	else if (a == DIM_BARE)
		*out = b;
	else if (b == DIM_BARE || a == b)
		*out = a;
	else
		return false;
	return true;
}

static enum dim value(struct checker *k, struct expr *e, bool rhs_of_cmp, enum dim lhs_dim);

static enum dim mismatch(struct checker *k, const struct expr *e, const struct expr *l,
			 enum dim ld, enum dim rd, const char *what)
{
	char message[200];
	snprintf(message, sizeof message, "%s a %%s and a %%s", what);
	budget_text_report(k->d, DIAG_BUDGET_DIMENSION, k->text, e->offset, e->len, message,
			   dim_name(ld), dim_name(rd));
	diag_report(k->d, DIAG_NOTE, NULL, "'%.*s' is a %s", (int)l->len, k->text->text + l->offset,
		    dim_name(ld));
	k->ok = false;
	return DIM_UNKNOWN;
}

/* The dimension of a numeric node; reports what does not fit. */
static enum dim value(struct checker *k, struct expr *e, bool rhs_of_cmp, enum dim lhs_dim)
{
	enum dim l, r, out;
	switch (e->kind) {
	case EXPR_NUMBER:
		return e->dim;
	case EXPR_BASELINE:
		if (!rhs_of_cmp) {
			error_at(k, DIAG_BUDGET_BASELINE, e,
				 "'baseline' may stand only on the right of a comparison");
			diag_report(k->d, DIAG_NOTE, NULL,
				    "it means the left side on the baseline run: p95 <= baseline * 1.3");
			return DIM_UNKNOWN;
		}
		return e->dim = lhs_dim;
	case EXPR_AGG: {
		if (e->agg == AGG_P && (e->dim != DIM_BARE || e->number < 0 || e->number > 100))
			error_at(k, DIAG_BUDGET_SYNTAX, e,
				 "a percentile is a plain number from 0 to 100");
		if (e->agg == AGG_APDEX) {
			if (e->dim != DIM_TIME && e->dim != DIM_BARE)
				error_at(k, DIAG_BUDGET_DIMENSION, e,
					 "apdex takes a target time, e.g. apdex(300ms)");
			else if (!(e->number > 0))
				error_at(k, DIAG_BUDGET_SYNTAX, e,
					 "the apdex target must be above zero");
		}
		const char *why;
		e->dim = agg_result_dim(e->agg, k->context, &why);
		if (why) {
			budget_text_report(k->d, DIAG_BUDGET_DIMENSION, k->text, e->offset, e->len,
					   "'%.*s' does not apply to %s", (int)e->len,
					   k->text->text + e->offset, k->context->metric);
			diag_report(k->d, DIAG_NOTE, NULL, "%s", why);
			k->ok = false;
		}
		return e->dim;
	}
	case EXPR_NEG:
		return e->dim = value(k, e->lhs, rhs_of_cmp, lhs_dim);
	case EXPR_ADD:
	case EXPR_SUB:
		l = value(k, e->lhs, rhs_of_cmp, lhs_dim);
		r = value(k, e->rhs, rhs_of_cmp, lhs_dim);
		if (e->rhs->kind == EXPR_NUMBER && e->rhs->percent && l != DIM_RATIO &&
		    l != DIM_BARE) {
			/* X + 30%: thirty percent more than X */
			if (e->kind == EXPR_SUB)
				e->rhs->number = -e->rhs->number;
			e->kind = EXPR_RELATIVE;
			return e->dim = l;
		}
		if (!dim_unify(l, r, &out))
			return mismatch(k, e, e->lhs, l, r, "cannot add or subtract");
		return e->dim = out;
	case EXPR_MUL:
	case EXPR_DIV:
		l = value(k, e->lhs, rhs_of_cmp, lhs_dim);
		r = value(k, e->rhs, rhs_of_cmp, lhs_dim);
		if (r == DIM_BARE || r == DIM_SCALAR)
			return e->dim = l;
		if (e->kind == EXPR_MUL && (l == DIM_BARE || l == DIM_SCALAR))
			return e->dim = r;
		if (e->kind == EXPR_DIV && (l == r || l == DIM_UNKNOWN || r == DIM_UNKNOWN))
			return e->dim = DIM_BARE; /* p99 / p50: a plain ratio */
		if (l == DIM_UNKNOWN || r == DIM_UNKNOWN)
			return e->dim = DIM_UNKNOWN;
		return mismatch(k, e, e->lhs, l, r,
				e->kind == EXPR_MUL ? "cannot multiply" : "cannot divide");
	case EXPR_RELATIVE:
		return e->dim; /* already checked (check_assertion run twice) */
	case EXPR_CMP:
	case EXPR_AND:
	case EXPR_OR:
		error_at(k, DIAG_BUDGET_SYNTAX, e, "a comparison cannot be used as a value");
		return DIM_UNKNOWN;
	}
	return DIM_UNKNOWN;
}

static void condition(struct checker *k, struct expr *e)
{
	if (e->kind == EXPR_AND || e->kind == EXPR_OR) {
		for (struct expr *side = e->lhs; side; side = side == e->lhs ? e->rhs : NULL) {
			if (is_boolean(side))
				condition(k, side);
			else
				error_at(k, DIAG_BUDGET_SYNTAX, side,
					 "'%.*s' is a value, not a comparison", (int)side->len,
					 k->text->text + side->offset);
		}
		return;
	}
	if (e->kind != EXPR_CMP) {
		error_at(k, DIAG_BUDGET_SYNTAX, e, "an assertion must compare");
		diag_report(k->d, DIAG_NOTE, NULL, "e.g. 'p95 < 300ms' or 'error_rate < 0.1%%'");
		return;
	}
	enum dim l = value(k, e->lhs, false, DIM_UNKNOWN);
	if (e->lhs->kind == EXPR_NUMBER)
		error_at(k, DIAG_BUDGET_SYNTAX, e->lhs,
			 "the left side of a comparison must read the data, e.g. 'p95 < 300ms'");
	enum dim r = value(k, e->rhs, true, l);
	enum dim out;
	if (!dim_unify(l, r, &out)) {
		budget_text_report(k->d, DIAG_BUDGET_DIMENSION, k->text, e->rhs->offset, e->rhs->len,
				   "'%.*s' is a %s, but '%.*s' is a %s", (int)e->rhs->len,
				   k->text->text + e->rhs->offset, dim_name(r), (int)e->lhs->len,
				   k->text->text + e->lhs->offset, dim_name(l));
		k->ok = false;
		out = DIM_UNKNOWN;
	}
	e->dim = out;
	if (e->window_len > 0 && (e->window_dim != DIM_TIME || !(e->window_ms > 0))) {
		budget_text_report(k->d, DIAG_BUDGET_WINDOW, k->text, e->window_offset, e->window_len,
				   "a 'for' window is a time above zero, e.g. 'for 30s'");
		k->ok = false;
	}
	const struct expr *l_side = e->lhs;
	if (e->window_len > 0 && (l_side->kind != EXPR_AGG || l_side->agg == AGG_STDDEV ||
				  l_side->agg == AGG_APDEX))
		error_at(k, DIAG_BUDGET_WINDOW, l_side,
			 "a 'for' window needs one aggregation on the left: p(N), med, avg, min, "
			 "max, count, rate, rps, error_rate or value");
}

bool check_assertion(struct expr *e, const struct budget_text *t, const struct check_context *c,
		     struct diag *d)
{
	struct checker k = {t, c, d, true};
	condition(&k, e);
	return k.ok;
}

bool expr_uses_baseline(const struct expr *e)
{
	return e && (e->kind == EXPR_BASELINE || expr_uses_baseline(e->lhs) ||
		     expr_uses_baseline(e->rhs));
}
