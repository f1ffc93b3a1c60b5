/*
 * verdict_json.c - the verdict as JSON, for other tools (formats/verdict.md,
 * formats/verdict.schema.json).
 *
 * One document: the verdict and the exit code it asks for, the budget file, the counts, the
 * runs evaluated (with model JSON's run header, so both formats describe a run alike), and one
 * object per result: which rule and assertion, which series, what was observed against which
 * limit, with every number unrounded in its dimension's base unit (ms, a fraction, per second,
 * bytes) beside the rounded sentence of result_describe that the terminal and JUnit print.
 * Keys come in a fixed order and jsonw writes shortest round-trip numbers and NaN/Inf as null,
 * so the bytes depend only on the verdict, the model and the budget; nothing reads the clock.
 */
#include <assert.h>
#include <math.h>

#include "../util/jsonw.h"
#include "../util/timefmt.h"
#include "emit.h"

/* "unit" of a result's numbers. Checklist: one entry per enum dim (budget.h); formats/verdict.md
 * and formats/verdict.schema.json list them. */
static const char *const dim_units[] = {
	[DIM_BARE] = "none",
	[DIM_TIME] = "ms",
	[DIM_RATIO] = "share",
	[DIM_PER_S] = "req/s",
	[DIM_BYTES] = "B",
	[DIM_BYTES_PER_S] = "B/s",
	[DIM_SCALAR] = "count",
	[DIM_UNKNOWN] = "none",
};

/* "kind" of an observed value or limit; VALUE_MISSING writes null. */
static const char *const value_kinds[] = {
	[VALUE_MISSING] = NULL,
	[VALUE_EXACT] = "exact",
	[VALUE_REPORTED] = "reported",
	[VALUE_ESTIMATE] = "estimate",
};

/*
 * {"value": NUMBER|null, "kind": KIND|null}: an infinite or NaN value (a sum past the largest
 * double) has no JSON number, so it is written as unknown, kind and all.
 */
static void write_value(struct jsonw *w, const char *key, struct value v)
{
	bool known = v.kind != VALUE_MISSING && isfinite(v.number);
	jsonw_key(w, key);
	jsonw_object_inline(w);
	jsonw_key(w, "value");
	if (known)
		jsonw_double(w, v.number);
	else
		jsonw_null(w);
	jsonw_key(w, "kind");
	jsonw_string(w, known ? value_kinds[v.kind] : NULL);
	jsonw_end(w);
}

static void write_waiver(struct jsonw *w, const struct rule *rule)
{
	jsonw_key(w, "waiver");
	if (!rule->has_waiver) {
		jsonw_null(w);
		return;
	}
	jsonw_object_inline(w);
	jsonw_key(w, "until");
	jsonw_string(w, rule->waiver_until);
	jsonw_key(w, "reason");
	jsonw_string(w, rule->waiver_reason);
	jsonw_end(w);
}

/* The `for` window's longest breach: {"start": RFC3339|null, "ms": N}, null without a window. */
static void write_breach(struct jsonw *w, const struct result *r)
{
	jsonw_key(w, "breach");
	if (r->window_ms <= 0) {
		jsonw_null(w);
		return;
	}
	jsonw_object_inline(w);
	jsonw_key(w, "start");
	if (r->breach_ms > 0) {
		char time[40];
		time_format_rfc3339(r->breach_start_us, time);
		jsonw_string(w, time);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "ms");
	jsonw_double(w, r->breach_ms);
	jsonw_end(w);
}

/*
 * A comparison with the baseline: "interval" with the change's interval, or "point" with why
 * not (docs/budgets.md); null for a rule that does not read the baseline.
 */
static void write_interval(struct jsonw *w, const struct result *r)
{
	jsonw_key(w, "interval");
	if (!r->has_interval && !r->point_why) {
		jsonw_null(w);
		return;
	}
	jsonw_object_inline(w);
	jsonw_key(w, "comparison");
	jsonw_string(w, r->has_interval ? "interval" : "point");
	jsonw_key(w, "confidence");
	jsonw_double(w, r->has_interval ? r->confidence : NAN);
	jsonw_key(w, "change");
	jsonw_double(w, r->has_interval ? r->change : NAN);
	jsonw_key(w, "lo");
	jsonw_double(w, r->has_interval ? r->change_lo : NAN);
	jsonw_key(w, "hi");
	jsonw_double(w, r->has_interval ? r->change_hi : NAN);
	jsonw_key(w, "limit");
	jsonw_double(w, r->has_interval ? r->limit_change : NAN);
	jsonw_key(w, "why");
	jsonw_string(w, r->point_why);
	jsonw_end(w);
}

static void write_result(struct jsonw *w, const struct result *r, struct buf *scratch)
{
	const struct rule *rule = r->rule;
	const struct assertion *a = &rule->assertions[r->assertion];
	jsonw_object(w);
	jsonw_key(w, "rule");
	jsonw_string(w, rule->name);
	jsonw_key(w, "rule_index");
	jsonw_int(w, (int64_t)rule->index);
	jsonw_key(w, "pointer");
	jsonw_string(w, rule->pointer);
	jsonw_key(w, "assertion");
	jsonw_string(w, a->text.text);
	jsonw_key(w, "assertion_index");
	jsonw_int(w, (int64_t)r->assertion);
	jsonw_key(w, "assertion_pointer");
	jsonw_string(w, a->pointer);
	jsonw_key(w, "level");
	jsonw_string(w, level_name(rule->level));
	jsonw_key(w, "k6");
	jsonw_bool(w, rule->k6);

	jsonw_key(w, "run");
	jsonw_string(w, r->run ? r->run->label : NULL);
	jsonw_key(w, "endpoint");
	jsonw_string(w, r->endpoint);
	jsonw_key(w, "metric");
	jsonw_string(w, r->metric ? r->metric : rule->selector.metric);

	jsonw_key(w, "status");
	jsonw_string(w, status_name(r->status));
	jsonw_key(w, "effect");
	jsonw_string(w, effect_name(r->effect));
	jsonw_key(w, "waived");
	jsonw_bool(w, r->waived);
	write_waiver(w, rule);

	write_value(w, "observed", r->observed);
	write_value(w, "limit", r->limit);
	jsonw_key(w, "unit");
	jsonw_string(w, dim_units[r->dim]);
	jsonw_key(w, "delta");
	jsonw_double(w, result_delta(r));
	jsonw_key(w, "baseline");
	if (r->has_baseline)
		jsonw_double(w, r->baseline);
	else
		jsonw_null(w);
	jsonw_key(w, "samples");
	if (r->samples >= 0)
		jsonw_int(w, r->samples);
	else
		jsonw_null(w);
	jsonw_key(w, "precision");
	jsonw_string(w, r->observed.kind == VALUE_MISSING ? NULL : model_precision_name(r->precision));
	jsonw_key(w, "input");
	jsonw_string(w, r->input);
	jsonw_key(w, "window_ms");
	if (r->window_ms > 0)
		jsonw_double(w, r->window_ms);
	else
		jsonw_null(w);
	write_breach(w, r);
	write_interval(w, r);
	jsonw_key(w, "capacity");
	if (r->has_capacity) { /* a capacity rule: the load it was judged at, and how */
		jsonw_object_inline(w);
		jsonw_key(w, "load");
		jsonw_double(w, r->capacity_load);
		jsonw_key(w, "interpolated");
		jsonw_bool(w, r->interpolated);
		jsonw_key(w, "between");
		if (r->interpolated) {
			jsonw_array_inline(w);
			jsonw_double(w, r->capacity_lo);
			jsonw_double(w, r->capacity_hi);
			jsonw_end(w);
		} else {
			jsonw_null(w);
		}
		jsonw_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "window");
	if (r->has_window) {
		jsonw_object_inline(w);
		jsonw_key(w, "kind");
		jsonw_string(w, r->window_kind);
		jsonw_key(w, "from_s");
		jsonw_double(w, r->window_from_s);
		jsonw_key(w, "to_s");
		jsonw_double(w, r->window_to_s);
		jsonw_end(w);
	} else {
		jsonw_null(w);
	}

	buf_clear(scratch);
	result_describe(r, scratch);
	jsonw_key(w, "message");
	jsonw_string(w, scratch->data ? scratch->data : "");
	jsonw_key(w, "rule_message");
	jsonw_string(w, rule->message);
	jsonw_key(w, "note");
	jsonw_string(w, r->note);
	jsonw_end(w);
}

void verdict_json_write(const struct verdict *v, const struct model *m, const struct budget *b,
			int exit_code, struct buf *out)
{
	/* the counts are eval.c's; every result has exactly one effect */
	assert(v->passed + v->warnings + v->failures + v->inconclusive == v->count);
	struct jsonw w;
	jsonw_init(&w, out);
	jsonw_object(&w);
	jsonw_key(&w, "format");
	jsonw_string(&w, VERDICT_JSON_FORMAT);
	jsonw_key(&w, "version");
	jsonw_int(&w, VERDICT_JSON_VERSION);
	jsonw_key(&w, "verdict");
	jsonw_string(&w, v->failures ? "fail" : v->inconclusive ? "inconclusive" : "pass");
	jsonw_key(&w, "exit_code");
	jsonw_int(&w, exit_code);
	jsonw_key(&w, "budget");
	jsonw_string(&w, b ? b->src.name : NULL);

	jsonw_key(&w, "counts");
	jsonw_object_inline(&w);
	jsonw_key(&w, "results");
	jsonw_int(&w, (int64_t)v->count);
	jsonw_key(&w, "passed");
	jsonw_int(&w, (int64_t)v->passed);
	jsonw_key(&w, "warnings");
	jsonw_int(&w, (int64_t)v->warnings);
	jsonw_key(&w, "failures");
	jsonw_int(&w, (int64_t)v->failures);
	jsonw_key(&w, "inconclusive");
	jsonw_int(&w, (int64_t)v->inconclusive);
	jsonw_key(&w, "no_data");
	jsonw_int(&w, (int64_t)v->no_data);
	jsonw_end(&w);

	jsonw_key(&w, "runs");
	jsonw_array(&w);
	for (size_t i = 0; i < m->run_count; i++) {
		jsonw_object(&w);
		model_json_write_run_header(&w, m->runs[i]);
		jsonw_end(&w);
	}
	jsonw_end(&w);

	struct buf scratch;
	buf_init(&scratch);
	jsonw_key(&w, "results");
	jsonw_array(&w);
	for (size_t i = 0; i < v->count; i++)
		write_result(&w, &v->results[i], &scratch);
	jsonw_end(&w);
	buf_fini(&scratch);

	jsonw_end(&w);
	jsonw_finish(&w);
}
