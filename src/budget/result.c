/*
 * result.c - names of the budget layer's enums and the one wording of a rule result.
 *
 * The terminal diagnostics, the JUnit failure messages and the verdict JSON's "message" all
 * describe a result with result_describe, so the three never disagree about what was
 * observed, against which limit, from how many samples of which precision and input.
 * Numbers are shown to 4 significant digits with their unit (dim_format); the verdict JSON
 * also carries them unrounded.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"

const char *dim_name(enum dim dim)
{
	switch (dim) {
	case DIM_BARE: return "plain number";
	case DIM_TIME: return "time";
	case DIM_RATIO: return "share";
	case DIM_PER_S: return "rate per second";
	case DIM_BYTES: return "size";
	case DIM_BYTES_PER_S: return "bytes per second";
	case DIM_SCALAR: return "count";
	case DIM_UNKNOWN: return "unknown";
	}
	return "?";
}

enum dim dim_of_unit(enum unit unit)
{
	switch (unit) {
	case UNIT_MS: return DIM_TIME;
	case UNIT_PER_S: return DIM_PER_S;
	case UNIT_BYTES_PER_S: return DIM_BYTES_PER_S;
	case UNIT_BYTES: return DIM_BYTES;
	case UNIT_COUNT:
	case UNIT_NONE: return DIM_SCALAR;
	case UNIT_RATIO: return DIM_RATIO;
	}
	return DIM_SCALAR;
}

char *dim_format(char out[64], double value, enum dim dim)
{
	char number[32];
	const char *unit = "";
	double v = value;
	switch (dim) {
	case DIM_TIME: unit = " ms"; break;
	case DIM_RATIO: v = value * 100; unit = " %"; break;
	case DIM_PER_S: unit = " req/s"; break;
	case DIM_BYTES: unit = " B"; break;
	case DIM_BYTES_PER_S: unit = " B/s"; break;
	case DIM_BARE:
	case DIM_SCALAR:
	case DIM_UNKNOWN: break;
	}
	str_format_double(number, str_round_significant(v, 4));
	snprintf(out, 64, "%s%s", number, unit);
	return out;
}

const char *status_name(enum status s)
{
	switch (s) {
	case STATUS_PASS: return "pass";
	case STATUS_FAIL: return "fail";
	case STATUS_NO_DATA: return "no-data";
	case STATUS_INCONCLUSIVE: return "inconclusive";
	}
	return "?";
}

const char *effect_name(enum effect e)
{
	switch (e) {
	case EFFECT_OK: return "ok";
	case EFFECT_WARNING: return "warning";
	case EFFECT_FAILURE: return "failure";
	case EFFECT_INCONCLUSIVE: return "inconclusive";
	}
	return "?";
}

const char *level_name(enum level level)
{
	return level == LEVEL_WARN ? "warn" : "error";
}

/* "fail", "warn", "pass" */
static const char *no_data_policy_name(enum no_data_policy p)
{
	switch (p) {
	case NO_DATA_FAIL: return "fail";
	case NO_DATA_WARN: return "warn";
	case NO_DATA_PASS: return "pass";
	}
	return "?";
}

bool no_data_policy_from_name(const char *name, enum no_data_policy *out)
{
	static const enum no_data_policy all[] = {NO_DATA_FAIL, NO_DATA_WARN, NO_DATA_PASS};
	for (size_t i = 0; i < PG_ARRAY_LEN(all); i++)
		if (strcmp(name, no_data_policy_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	return false;
}

const char *cmp_op_name(enum cmp_op op)
{
	switch (op) {
	case CMP_LT: return "<";
	case CMP_LE: return "<=";
	case CMP_GT: return ">";
	case CMP_GE: return ">=";
	case CMP_EQ: return "==";
	case CMP_NE: return "!=";
	}
	return "?";
}

void verdict_fini(struct verdict *v)
{
	for (size_t i = 0; i < v->count; i++)
		free(v->results[i].note);
	free(v->results);
	*v = (struct verdict){0};
}

const char *result_assertion_text(const struct result *r)
{
	return r->rule->assertions[r->assertion].text.text;
}

double result_delta(const struct result *r)
{
	if (r->observed.kind == VALUE_MISSING || r->limit.kind == VALUE_MISSING ||
	    r->limit.number == 0)
		return NAN;
	return (r->observed.number - r->limit.number) / fabs(r->limit.number);
}

void result_describe_target(const struct result *r, struct buf *out)
{
	buf_puts(out, r->metric ? r->metric : r->rule->selector.metric);
	if (r->endpoint)
		buf_printf(out, " at '%s'", r->endpoint);
	if (r->run)
		buf_printf(out, " of run '%s'", r->run->label);
}

/* The source text of a node of the deciding comparison. */
static void put_span(struct buf *out, const struct result *r, const struct expr *e)
{
	const char *text = result_assertion_text(r);
	buf_append(out, text + e->offset, e->len);
}

char *result_format(char out[64], const struct result *r, double value)
{
	const struct expr *lhs = r->decider ? r->decider->lhs : NULL;
	if (r->dim != DIM_PER_S || !lhs || lhs->kind != EXPR_AGG || lhs->agg != AGG_RATE)
		return dim_format(out, value, r->dim);
	/* a counter's rate counts what the counter counts (CPU seconds, pool events) */
	char number[32];
	str_format_double(number, str_round_significant(value, 4));
	snprintf(out, 64, "%s/s", number);
	return out;
}

/* "+4.1 %" */
static char *percent_text(char out[48], double x)
{
	char number[32];
	double shown = str_round_significant(x * 100, 3);
	str_format_double(number, shown);
	snprintf(out, 48, "%s%s %%", shown > 0 ? "+" : "", number);
	return out;
}

void result_describe_interval(const struct result *r, struct buf *out)
{
	char a[48], b[48], c[48], l[48];
	buf_printf(out, "; change %s, %g %% interval %s to %s, limit %s", percent_text(c, r->change),
		   r->confidence * 100, percent_text(a, r->change_lo), percent_text(b, r->change_hi),
		   percent_text(l, r->limit_change));
	if (r->status == STATUS_INCONCLUSIVE)
		buf_puts(out, ": the interval straddles the limit, so neither a pass nor a failure "
			      "can be told from noise (more or longer runs would decide)");
}

void result_describe(const struct result *r, struct buf *out)
{
	char a[64], b[64];
	if (r->status == STATUS_NO_DATA || !r->decider || r->observed.kind == VALUE_MISSING) {
		buf_puts(out, "no data");
		if (r->note)
			buf_printf(out, ": %s", r->note);
		return;
	}
	const struct expr *c = r->decider;
	put_span(out, r, c->lhs);
	buf_puts(out, r->observed.kind == VALUE_ESTIMATE ? " ~ " : " = ");
	buf_puts(out, result_format(a, r, r->observed.number));
	if (r->observed.kind == VALUE_ESTIMATE)
		buf_puts(out, " (estimate from reported percentiles)");
	else if (r->observed.kind == VALUE_REPORTED)
		buf_puts(out, " (as reported)");
	if (r->window_ms > 0 && r->breach_ms > 0)
		buf_printf(out, " for %s", dim_format(b, r->breach_ms, DIM_TIME));
	buf_printf(out, ", limit %s %s", cmp_op_name(c->op), result_format(b, r, r->limit.number));
	if (r->limit.kind == VALUE_ESTIMATE)
		buf_puts(out, " (estimate)");
	if (r->has_baseline)
		buf_printf(out, " (baseline %s)", result_format(a, r, r->baseline));
	double delta = result_delta(r);
	if (!isnan(delta) && r->status == STATUS_FAIL) {
		char pct[32];
		str_format_double(pct, str_round_significant(delta * 100, 4));
		buf_printf(out, " (%s%s %%)", delta >= 0 ? "+" : "", pct);
	}
	if (r->window_ms > 0)
		buf_printf(out, ", window %s", dim_format(a, r->window_ms, DIM_TIME));
	if (r->has_interval)
		result_describe_interval(r, out);
	else if (r->point_why)
		buf_printf(out, "; compared as points: %s", r->point_why);
	buf_puts(out, ";");
	if (r->has_window) {
		char from[32], to[32];
		str_format_double(from, str_round_significant(r->window_from_s, 4));
		str_format_double(to, str_round_significant(r->window_to_s, 4));
		buf_printf(out, " %s window %s s .. %s s,", r->window_kind, from,
			   isfinite(r->window_to_s) ? to : "end");
	}
	if (r->samples >= 0)
		buf_printf(out, " %lld samples,", (long long)r->samples);
	buf_printf(out, " %s", model_precision_name(r->precision));
	if (r->input)
		buf_printf(out, ", from %s", r->input);
	if (r->note)
		buf_printf(out, "; %s", r->note);
}
