/*
 * judge.c - the judge step of check and report (judge.h).
 *
 * The budget's "group" rules come first, the command line's --group rules after them, so a
 * budget written for raw URLs works whatever the CI job adds. A verdict is only made over
 * everything the command named: an input or baseline with an error stops the evaluation (the
 * driver exits 2), and so does a rule that compares with a baseline nobody gave. The mapping
 * from a verdict to the process exit code lives here, in the driver, not in budget/.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exit_code.h"
#include "judge.h"
#include "util/num.h"

/*
 * -b FILE: loads the budget; when it has "group" rules, o's rules are rebuilt with them first
 * and the command line's --group rules after. NULL when the budget had errors (reported).
 */
static struct budget *load_budget(struct options *o, struct diag *d)
{
	struct budget *b = budget_load(o->budget, d);
	if (!b || b->group_count == 0)
		return b;
	struct endpoint_rules *merged = endpoint_rules_new();
	for (size_t i = 0; i < b->group_count; i++)
		endpoint_rules_add(merged, b->group[i], d);
	for (size_t i = 0; o->rules && i < endpoint_rules_count(o->rules); i++)
		endpoint_rules_add(merged, endpoint_rules_text(o->rules, i), d);
	endpoint_rules_free(o->rules);
	o->rules = merged;
	o->input.rules = merged;
	return b;
}

/* Whether any rule of b names its own window. */
static bool has_rule_windows(const struct budget *b)
{
	for (size_t i = 0; b && i < b->rule_count; i++)
		if (b->rules[i].has_window)
			return true;
	return false;
}

bool judge_load(struct options *o, char **args, size_t count, struct judged *j,
		struct diag *d)
{
	memset(j, 0, sizeof *j);
	if (o->budget && !(j->budget = load_budget(o, d)))
		return false;
	if (j->budget) { /* what the rules name keeps its series under --endpoint-memory */
		o->input.keep_endpoint = budget_names_endpoint;
		o->input.keep_ctx = j->budget;
	}
	unsigned long errors = d->errors;
	bool ok = ingest_load_pair(args, count, o->baseline, o->baseline_count, &o->input,
				   &j->model, &j->baseline, d);
	if (ok && o->window.kind == WINDOW_STAGES && has_rule_windows(j->budget)) {
		diag_report(d, DIAG_USAGE, NULL,
			    "--window stages makes a run of each stage, and a rule with its own "
			    "\"window\" reads the runs whole: leave out one or the other");
		return false;
	}
	options_mark_open_model(o, j->model); /* before the copies rule windows cut */
	options_mark_open_model(o, j->baseline);
	if (ok && has_rule_windows(j->budget)) { /* rules with their own window cut these */
		j->as_read = model_clone(j->model);
		j->baseline_as_read = j->baseline ? model_clone(j->baseline) : NULL;
	}
	if (ok) { /* the same window on both sides */
		options_apply_window(o, j->model, d);
		options_apply_window(o, j->baseline, d);
	}
	return ok && d->errors == errors;
}

/* A rule that reads the baseline when none was given is a budget error (reported; false). */
static bool baseline_needed(const struct budget *b, bool have, struct diag *d)
{
	if (have)
		return true;
	bool ok = true;
	for (size_t i = 0; i < b->rule_count; i++)
		for (size_t a = 0; a < b->rules[i].assertion_count; a++) {
			const struct assertion *as = &b->rules[i].assertions[a];
			if (!expr_uses_baseline(as->expr))
				continue;
			budget_text_report(d, DIAG_BUDGET_BASELINE, &as->text, 0, as->text.len,
					   "rule '%s' compares with the baseline, but no --baseline "
					   "was given", b->rules[i].name);
			ok = false;
		}
	return ok;
}

/* Today in days since 1970-01-01 UTC, or the day of SOURCE_DATE_EPOCH when it is set. */
static int64_t today_day(void)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	int64_t seconds;
	if (epoch && num_parse_int(epoch, strlen(epoch), &seconds, NULL) == NUM_OK)
		return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
	return (int64_t)time(NULL) / 86400;
}

/* The inputs (or the baseline) cut to one window a rule names. */
struct judged_cut {
	struct window_spec spec;
	struct model *model, *baseline;
};

static bool same_window(const struct window_spec *a, const struct window_spec *b)
{
	bool from = a->from_s == b->from_s || (isnan(a->from_s) && isnan(b->from_s));
	bool to = a->to_s == b->to_s || (isnan(a->to_s) && isnan(b->to_s));
	return a->kind == b->kind && from && to;
}

/* eval_options.windowed: the models cut to w, made once per window (from the inputs as read). */
static const struct model *rule_window(void *context, const struct window_spec *w,
				       bool baseline)
{
	struct judged *j = context;
	struct judged_cut *cut = NULL;
	for (size_t i = 0; i < j->cut_count && !cut; i++)
		if (same_window(&j->cuts[i].spec, w))
			cut = &j->cuts[i];
	if (!cut) {
		j->cuts = xgrow(j->cuts, &j->cut_cap, j->cut_count + 1, sizeof *j->cuts);
		cut = &j->cuts[j->cut_count++];
		cut->spec = *w;
		cut->model = model_clone(j->as_read);
		window_apply(cut->model, w, j->diag);
		cut->baseline = NULL;
		if (j->baseline_as_read) {
			cut->baseline = model_clone(j->baseline_as_read);
			window_apply(cut->baseline, w, j->diag);
		}
	}
	return baseline ? cut->baseline : cut->model;
}

enum judgement judge_run(const struct options *o, bool loaded, struct judged *j,
			 struct diag *d)
{
	if (j->budget && !baseline_needed(j->budget, j->baseline != NULL, d))
		loaded = false;
	if (!loaded)
		return JUDGE_LOAD_FAILED;
	if (!j->budget)
		return JUDGE_DONE;
	if (!budget_check_metrics(j->budget, j->model, d))
		return JUDGE_MISFIT; /* a misspelled metric is a budget error, not a rule without data */
	model_warn_load_differs(j->baseline, j->model, d);
	j->diag = d;
	struct eval_options eo = {j->baseline, o->has_no_data, o->no_data, today_day(), 0.95,
				  rule_window, j};
	return eval_budget(j->budget, j->model, &eo, &j->verdict, d) ? JUDGE_DONE : JUDGE_MISFIT;
}

int judge_exit_code(const struct verdict *v)
{
	if (v->failures > 0)
		return EXIT_BUDGET_FAILED;
	return v->inconclusive > 0 ? EXIT_INCONCLUSIVE : EXIT_PASS;
}

void judge_fini(struct judged *j)
{
	for (size_t i = 0; i < j->cut_count; i++) {
		model_free(j->cuts[i].model);
		model_free(j->cuts[i].baseline);
	}
	free(j->cuts);
	model_free(j->as_read);
	model_free(j->baseline_as_read);
	verdict_fini(&j->verdict);
	budget_free(j->budget);
	model_free(j->model);
	model_free(j->baseline);
	memset(j, 0, sizeof *j);
}
