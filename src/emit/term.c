/*
 * term.c - what `check` and `lint` print on the terminal: one diagnostic per rule that did not
 * pass and the summary table; a budget's line (and its compiled trees) for lint.
 *
 * A failed or warned rule becomes a diagnostic (DIAG_RULE_FAILED / DIAG_RULE_WARNING) whose
 * caret points at the comparison that decided it inside the budget file (or at the selector
 * that matched nothing), worded by result_describe like JUnit and the verdict JSON: observed,
 * limit, delta, samples, precision, input; then the waiver and the rule's message as notes.
 * The table groups results by run in model order, then what matched no run, one line each with
 * its mark (pass, warn, waived, FAIL, UNSURE (inconclusive), no-data, NO-DATA); an estimate is
 * marked '~'. Columns
 * fit the widest cell up to 60 bytes; longer names are cut.
 */
#include <stdio.h>
#include <string.h>

#include "../util/json.h"
#include "emit.h"

/* Where a result's diagnostic points: the deciding comparison, else the rule's selector. */
static void result_location(struct budget *b, const struct result *r, struct diag_loc *loc)
{
	const struct rule *rule = r->rule;
	const struct assertion *a = &rule->assertions[r->assertion];
	if (r->unmatched && (rule->selector.endpoint_pointer || rule->selector.run_pointer)) {
		json_locate(&b->src, rule->selector.endpoint_pointer ? rule->selector.endpoint_pointer
								      : rule->selector.run_pointer,
			    loc);
		return;
	}
	const struct expr *e = r->decider ? r->decider : a->expr;
	budget_text_locate(&a->text, e->offset, e->len, loc);
}

/* One diagnostic per result whose effect is not ok. */
void term_report_results(struct budget *b, const struct verdict *v, struct diag *d)
{
	for (size_t i = 0; i < v->count; i++) {
		const struct result *r = &v->results[i];
		if (r->effect == EFFECT_OK)
			continue;
		struct buf text;
		buf_init(&text);
		if (r->run && !r->unmatched) {
			result_describe_target(r, &text);
			buf_puts(&text, ": ");
			result_describe(r, &text);
		} else {
			buf_puts(&text, r->note ? r->note : "the selector matches nothing");
		}
		struct diag_loc loc;
		result_location(b, r, &loc);
		const char *what = r->status == STATUS_NO_DATA        ? "found no data"
				   : r->status == STATUS_INCONCLUSIVE ? "is inconclusive"
								      : "failed";
		enum diag_id id = r->effect == EFFECT_FAILURE        ? DIAG_RULE_FAILED
				  : r->effect == EFFECT_INCONCLUSIVE ? DIAG_RULE_INCONCLUSIVE
								     : DIAG_RULE_WARNING;
		diag_report(d, id,
			    &loc, "rule '%s' %s%s: %s", r->rule->name, what,
			    r->rule->level == LEVEL_WARN ? " (level warn)" : "", text.data);
		if (r->waived)
			diag_report(d, DIAG_NOTE, NULL, "waived until %s: %s", r->rule->waiver_until,
				    r->rule->waiver_reason);
		if (r->rule->message)
			diag_report(d, DIAG_NOTE, NULL, "%s", r->rule->message);
		buf_fini(&text);
	}
}

/* The target column of a result: the endpoint, the whole run, or what matched nothing. */
static const char *target_name(const struct result *r)
{
	if (r->endpoint)
		return r->endpoint;
	if (!r->run && r->rule->selector.endpoint)
		return r->rule->selector.endpoint;
	return "whole run";
}

/* "30.45 ms", "~105.3 ms" (an estimate), "-" (no data); and "< 250 ms for 30000 ms". */
static void value_cells(const struct result *r, char observed[80], char limit[160])
{
	char a[64], b[64];
	if (r->status == STATUS_NO_DATA || !r->decider) {
		snprintf(observed, 80, "-");
		snprintf(limit, 160, "-");
		return;
	}
	snprintf(observed, 80, "%s%s", r->observed.kind == VALUE_ESTIMATE ? "~" : "",
		 result_format(a, r, r->observed.number));
	snprintf(limit, 160, "%s %s%s%s%s", cmp_op_name(r->decider->op),
		 r->limit.kind == VALUE_ESTIMATE ? "~" : "", result_format(a, r, r->limit.number), r->window_ms > 0 ? " for " : "",
		 r->window_ms > 0 ? dim_format(b, r->window_ms, DIM_TIME) : "");
}

static size_t widest(size_t width, size_t len)
{
	return len > width ? len : width;
}

/* A name from a budget or an input as a table cell: escaped, at most CELL_MAX bytes. */
enum { CELL_MAX = 60 };
static char *cell(const char *text)
{
	struct buf b;
	buf_init(&b);
	str_put_visible_cut(&b, text, CELL_MAX);
	return buf_take(&b);
}

/*
 * The assertion of a result as written, so that the rows of a rule with several assertions
 * are told apart; when it joins comparisons with `and` / `or`, the one whose numbers the row
 * shows (the decider) is in brackets: "[p90 < 15ms] and max < 100ms". Heap.
 */
static char *assertion_cell(const struct result *r)
{
	const struct assertion *a = &r->rule->assertions[r->assertion];
	const struct expr *e = r->decider;
	struct buf b;
	buf_init(&b);
	bool mark = a->expr && (a->expr->kind == EXPR_AND || a->expr->kind == EXPR_OR) && e &&
		    e->offset + e->len <= a->text.len;
	if (!mark) {
		str_put_visible_cut(&b, a->text.text, CELL_MAX);
		return buf_take(&b);
	}
	struct buf text;
	buf_init(&text);
	buf_append(&text, a->text.text, e->offset);
	buf_putc(&text, '[');
	buf_append(&text, a->text.text + e->offset, e->len);
	buf_putc(&text, ']');
	buf_append(&text, a->text.text + e->offset + e->len, a->text.len - e->offset - e->len);
	str_put_visible_cut(&b, text.data, CELL_MAX);
	buf_fini(&text);
	return buf_take(&b);
}

static void print_result(const struct result *r, const char *name, const char *assertion,
			 const char *target, size_t name_width, size_t assertion_width,
			 size_t target_width, size_t observed_width, struct buf *out)
{
	char observed[80], limit[160];
	const char *mark = r->effect == EFFECT_FAILURE        ? "FAIL"
			   : r->effect == EFFECT_INCONCLUSIVE ? "UNSURE"
			   : r->effect == EFFECT_WARNING ? (r->waived ? "waived" : "warn")
							 : "pass";
	if (r->status == STATUS_NO_DATA)
		mark = r->effect == EFFECT_FAILURE ? "NO-DATA" : "no-data";
	value_cells(r, observed, limit);
	buf_printf(out, "  %-7s  %-*s  %-*s  %-*s  %-*s  %s\n", mark, (int)name_width, name,
		   (int)assertion_width, assertion, (int)target_width, target, (int)observed_width,
		   observed, limit);
}

/* The summary table: one line per result, grouped by run. */
void term_write_summary(const struct budget *b, const struct model *m, const struct verdict *v,
			struct buf *out)
{
	size_t name_width = 4, assertion_width = 9, target_width = 6, observed_width = 8;
	char observed[80], limit[160];
	/* rule names and endpoints come from files: escaped and cut before they are measured */
	char **names = xcalloc(v->count ? v->count : 1, sizeof *names);
	char **assertions = xcalloc(v->count ? v->count : 1, sizeof *assertions);
	char **targets = xcalloc(v->count ? v->count : 1, sizeof *targets);
	for (size_t i = 0; i < v->count; i++) {
		const struct result *r = &v->results[i];
		value_cells(r, observed, limit);
		names[i] = cell(r->rule->name);
		assertions[i] = assertion_cell(r);
		targets[i] = cell(target_name(r));
		name_width = widest(name_width, strlen(names[i]));
		assertion_width = widest(assertion_width, strlen(assertions[i]));
		target_width = widest(target_width, strlen(targets[i]));
		observed_width = widest(observed_width, strlen(observed));
	}
	buf_puts(out, "budget ");
	str_put_visible(out, b->src.name);
	buf_printf(out, ": %zu rule%s\n", b->rule_count, b->rule_count == 1 ? "" : "s");
	/* runs in model order, then what matched no run; results in rule order within each */
	for (size_t k = 0; k <= m->run_count; k++) {
		const struct run *run = k < m->run_count ? m->runs[k] : NULL;
		bool header = false;
		for (size_t i = 0; i < v->count; i++) {
			const struct result *r = &v->results[i];
			if (r->run != run)
				continue;
			if (!header) {
				header = true;
				if (run) {
					buf_puts(out, "run '");
					str_put_visible(out, run->label);
					buf_puts(out, "'\n");
				} else
					buf_puts(out, "no run matched\n");
				buf_printf(out, "  %-7s  %-*s  %-*s  %-*s  %-*s  %s\n", "result",
					   (int)name_width, "rule", (int)assertion_width, "assertion",
					   (int)target_width, "target", (int)observed_width, "observed",
					   "limit");
			}
			print_result(r, names[i], assertions[i], targets[i], name_width,
				     assertion_width, target_width, observed_width, out);
		}
	}
	for (size_t i = 0; i < v->count; i++) {
		free(names[i]);
		free(assertions[i]);
		free(targets[i]);
	}
	free(names);
	free(assertions);
	free(targets);
	buf_printf(out, "%zu result%s: %zu passed, %zu warning%s, %zu failed", v->count,
		   v->count == 1 ? "" : "s", v->passed, v->warnings, v->warnings == 1 ? "" : "s",
		   v->failures);
	if (v->inconclusive)
		buf_printf(out, ", %zu inconclusive", v->inconclusive);
	buf_printf(out, " (%zu without data)\n", v->no_data);
}


void term_write_lint(const struct budget *b, bool dump, struct buf *out)
{
	size_t assertions = 0;
	for (size_t i = 0; i < b->rule_count; i++)
		assertions += b->rules[i].assertion_count;
	str_put_visible(out, b->src.name);
	buf_printf(out, ": ok: %zu rule%s, %zu assertion%s\n", b->rule_count,
		   b->rule_count == 1 ? "" : "s", assertions, assertions == 1 ? "" : "s");
	for (size_t i = 0; dump && i < b->rule_count; i++) {
		const struct rule *r = &b->rules[i];
		for (size_t a = 0; a < r->assertion_count; a++) {
			buf_puts(out, "  ");
			str_put_visible(out, r->name);
			buf_puts(out, " [");
			str_put_visible(out, r->selector.metric);
			buf_printf(out, "%s]: ", r->k6 ? ", k6" : "");
			expr_dump(r->assertions[a].expr, out);
			buf_putc(out, '\n');
		}
	}
}
