/*
 * judge.c - the judge step of check and report (judge.h).
 *
 * The budget's "group" rules come first, the command line's --group rules after them, so a
 * budget written for raw URLs works whatever the CI job adds. A verdict is only made over
 * everything the command named: an input or baseline with an error stops the evaluation (the
 * driver exits 2), and so does a rule that compares with a baseline nobody gave. The mapping
 * from a verdict to the process exit code lives here, in the driver, not in budget/.
 */
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

bool judge_load(struct options *o, char **args, size_t count, struct judged *j,
		struct diag *d)
{
	memset(j, 0, sizeof *j);
	if (o->budget && !(j->budget = load_budget(o, d)))
		return false;
	unsigned long errors = d->errors;
	bool ok = ingest_load(args, count, &o->input, &j->model, d);
	if (o->baseline_count > 0)
		ok = ingest_load(o->baseline, o->baseline_count, &o->input, &j->baseline, d) && ok;
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

enum judgement judge_run(const struct options *o, bool loaded, struct judged *j,
			 struct diag *d)
{
	if (j->budget && !baseline_needed(j->budget, j->baseline != NULL, d))
		loaded = false;
	if (!loaded)
		return JUDGE_LOAD_FAILED;
	if (!j->budget)
		return JUDGE_DONE;
	struct eval_options eo = {j->baseline, o->has_no_data, o->no_data, today_day(), 0.95};
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
	verdict_fini(&j->verdict);
	budget_free(j->budget);
	model_free(j->model);
	model_free(j->baseline);
	memset(j, 0, sizeof *j);
}
