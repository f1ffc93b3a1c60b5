/*
 * k6_thresholds.c - placeholder until k6 thresholds land: reports that they are not read yet.
 */
#include "budget.h"
#include "../util/json.h"

bool k6_thresholds_load(struct budget *b, const char *pointer, struct json_t *thresholds,
			struct diag *d)
{
	(void)thresholds;
	json_report(d, DIAG_BUDGET_FILE, &b->src, pointer, "k6 thresholds are not read yet");
	return false;
}
