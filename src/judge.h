/*
 * judge.h - the judge step of `check` and `report`: the budget, the baseline check and the
 * evaluation, and the exit code a verdict maps to.
 *
 * Audience: cmd_check.c and cmd_report.c.
 *
 * judge_load reads what is judged: the budget first (its "group" rules fold endpoint names
 * while the inputs are read, so they must be known before), then the inputs and the baseline
 * through ingest_load. judge_run checks that a rule reading the baseline has one, then
 * evaluates the budget (budget/eval.c). A verdict over part of the inputs would mislead, so
 * nothing is evaluated when anything failed to load.
 */
#ifndef PERFGATE_JUDGE_H
#define PERFGATE_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "budget/budget.h"
#include "model/model.h"
#include "options.h"
#include "util/diag.h"

/* What the judge step made; judge_fini releases it. */
struct judged {
	struct budget *budget;   /* NULL without -b, or when it had errors */
	struct model *model;     /* the inputs, sorted; NULL until loaded */
	struct model *baseline;  /* the --baseline inputs, sorted; NULL without --baseline */
	struct verdict verdict;  /* empty without a budget */
	/* for rules with their own "window": the inputs as read (before --window), and the
	   copies cut to each window a rule names (judge.c); NULL/0 when no rule has one */
	struct model *as_read, *baseline_as_read;
	struct judged_cut *cuts;
	size_t cut_count, cut_cap;
	struct diag *diag;       /* for the warnings of cutting (borrowed) */
};

/*
 * Loads the budget (when o->budget; its group rules are put before --group's in o), the
 * inputs and the baseline into *j (zeroed first). Every input is tried, so every problem is
 * reported. Returns false when anything had an error; when the budget did, nothing else is
 * read and j->model stays NULL.
 */
bool judge_load(struct options *o, char **args, size_t count, struct judged *j,
		struct diag *d);

/* The outcome of judge_run. */
enum judgement {
	JUDGE_LOAD_FAILED,  /* something failed to load, or a rule needs a missing baseline */
	JUDGE_MISFIT,       /* the budget does not fit the inputs (a unit, a window): reported */
	JUDGE_DONE,         /* judged (or nothing to judge without a budget) */
};

/*
 * Judges what judge_load read (loaded: what it returned): a rule that reads the baseline when
 * none was given is a budget error (reported whatever else failed), then, when everything
 * loaded, the evaluation into j->verdict. Waivers are judged against today's UTC date, or the
 * day of SOURCE_DATE_EPOCH when it is set.
 */
enum judgement judge_run(const struct options *o, bool loaded, struct judged *j,
			 struct diag *d);

/*
 * The exit code `check` gives for a verdict: EXIT_BUDGET_FAILED when a rule failed, else
 * EXIT_INCONCLUSIVE when an error-level rule against the baseline was inconclusive.
 */
int judge_exit_code(const struct verdict *v);

void judge_fini(struct judged *j);

#endif
