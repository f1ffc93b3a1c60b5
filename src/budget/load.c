/*
 * load.c - budget files: JSON -> rules (formats/budget.md).
 *
 * Work in progress: the budget's lifetime (budget_new / budget_add_rule / budget_free).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"

struct budget *budget_new(const char *name)
{
	struct budget *b = xcalloc(1, sizeof *b);
	arena_init(&b->arena);
	buf_init(&b->bytes);
	source_init(&b->src, arena_strdup(&b->arena, name), "", 0);
	b->no_data = NO_DATA_FAIL;
	return b;
}

struct rule *budget_add_rule(struct budget *b)
{
	b->rules = xgrow(b->rules, &b->rule_cap, b->rule_count + 1, sizeof *b->rules);
	struct rule *r = &b->rules[b->rule_count];
	*r = (struct rule){0};
	r->index = b->rule_count++;
	r->level = LEVEL_ERROR;
	r->no_data = b->no_data;
	return r;
}

void budget_free(struct budget *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->rule_count; i++)
		pcre2_code_free(b->rules[i].selector.regex);
	free(b->rules);
	source_fini(&b->src);
	buf_fini(&b->bytes);
	arena_free(&b->arena);
	free(b);
}
