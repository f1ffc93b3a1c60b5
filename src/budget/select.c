/*
 * select.c - which runs and endpoints of a model a rule applies to (budget.h).
 *
 * A selector picks runs by a glob over their labels (every run without one), then endpoints:
 * none (the whole run's series), one exact name, every name a glob or a PCRE2 regex matches
 * (one target per endpoint, so each gets its own result), or k6's `{name:V}`, which is one
 * target whose series gather every endpoint named V or "METHOD V" (a raw k6 stream puts the
 * method in front of a name that lacks it; a summary does not). Endpoint names are those of
 * the model's series, in model order, each listed once. A run the selector picks where no
 * endpoint matches still gets one target (the pattern as its endpoint), so it is judged (no
 * data) rather than skipped. Tags are not looked at here: eval.c gathers the series with the
 * selector's tags inside each target.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <fnmatch.h>
#include <stdio.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"

/* True when label matches the selector's run glob (always, without one). */
static bool select_run_matches(const struct selector *sel, const char *label)
{
	return !sel->run || fnmatch(sel->run, label, 0) == 0;
}

/* "GET " .. "OPTIONS ": an upper-case word and a space in front of name, or 0. */
static size_t method_prefix(const char *name)
{
	size_t n = 0;
	while (name[n] >= 'A' && name[n] <= 'Z')
		n++;
	return n > 0 && name[n] == ' ' ? n + 1 : 0;
}

/* Backtracking bounds of selector regexes (as --group's): a pathological one gives up quickly. */
enum { SELECT_MATCH_LIMIT = 100000, SELECT_DEPTH_LIMIT = 1000 };

void select_regex_error_text(int regex_error, char out[256])
{
	if (pcre2_get_error_message(regex_error, (PCRE2_UCHAR *)out, 256) < 0)
		snprintf(out, 256, "error %d", regex_error);
}

bool select_endpoint_matches(const struct selector *sel, const char *name, int *regex_error)
{
	if (sel->method && (!name || !str_starts_with(name, sel->method) ||
			    name[strlen(sel->method)] != ' '))
		return false;
	switch (sel->endpoint_kind) {
	case ENDPOINT_RUN:
		return !name || sel->method;
	case ENDPOINT_EXACT:
		return name && strcmp(name, sel->endpoint) == 0;
	case ENDPOINT_GLOB:
		return name && fnmatch(sel->endpoint, name, 0) == 0;
	case ENDPOINT_REGEX: {
		if (!name)
			return false;
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(sel->regex, NULL);
		pcre2_match_context *mc = pcre2_match_context_create(NULL);
		if (!md || !mc)
			xalloc_die();
		pcre2_set_match_limit(mc, SELECT_MATCH_LIMIT);
		pcre2_set_depth_limit(mc, SELECT_DEPTH_LIMIT);
		int rc = pcre2_match(sel->regex, (PCRE2_SPTR)name, PCRE2_ZERO_TERMINATED, 0, 0, md,
				     mc);
		pcre2_match_data_free(md);
		pcre2_match_context_free(mc);
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && regex_error && !*regex_error)
			*regex_error = rc;
		return rc >= 0;
	}
	case ENDPOINT_K6_NAME:
		return name && (strcmp(name, sel->endpoint) == 0 ||
				(method_prefix(name) > 0 &&
				 strcmp(name + method_prefix(name), sel->endpoint) == 0));
	}
	return false;
}

bool budget_names_endpoint(const char *name, const void *budget)
{
	const struct budget *b = budget;
	for (size_t i = 0; b && name && i < b->rule_count; i++) {
		const struct selector *sel = &b->rules[i].selector;
		if ((sel->endpoint_kind == ENDPOINT_EXACT || sel->endpoint_kind == ENDPOINT_K6_NAME) &&
		    select_endpoint_matches(sel, name, NULL))
			return true;
	}
	return false;
}

static bool listed(const struct target *targets, size_t count, const struct run *run,
		   const char *endpoint)
{
	for (size_t i = count; i-- > 0;) {
		if (targets[i].run != run)
			return false;
		if (targets[i].endpoint == endpoint ||
		    (targets[i].endpoint && endpoint && strcmp(targets[i].endpoint, endpoint) == 0))
			return true;
	}
	return false;
}

struct target *select_targets(const struct selector *sel, const struct model *m, size_t *count,
			      int *regex_error)
{
	struct target *targets = NULL;
	size_t n = 0, cap = 0;
	/* one target per run: the whole run, a k6 name (gathered), a method filter */
	bool one_per_run = sel->endpoint_kind == ENDPOINT_RUN ||
			   sel->endpoint_kind == ENDPOINT_K6_NAME;
	for (size_t i = 0; i < m->run_count; i++) {
		const struct run *run = m->runs[i];
		if (!select_run_matches(sel, run->label))
			continue;
		size_t before = n;
		for (size_t j = 0; j < run->series_count; j++) {
			const char *endpoint = run->series[j]->endpoint;
			if (one_per_run ? (j > 0 && n > 0 && targets[n - 1].run == run)
					: !select_endpoint_matches(sel, endpoint, regex_error))
				continue;
			if (one_per_run)
				endpoint = sel->endpoint_kind == ENDPOINT_K6_NAME ? sel->endpoint
										 : NULL;
			if (listed(targets, n, run, endpoint))
				continue;
			targets = xgrow(targets, &cap, n + 1, sizeof *targets);
			targets[n++] = (struct target){run, endpoint};
		}
		/* a run the rule names but where no endpoint matches is judged too: no data */
		if (n == before) {
			targets = xgrow(targets, &cap, n + 1, sizeof *targets);
			targets[n++] = (struct target){run, sel->endpoint};
		}
	}
	*count = n;
	return targets;
}
