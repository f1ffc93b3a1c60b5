/*
 * model_input.c - front end for perfgate's own model JSON (formats/model-json.md), so a saved
 * model can be given anywhere an input can: `perfgate show saved.json`, later as a baseline.
 *
 * The runs keep the labels and sources saved in the file. A LABEL=PATH label renames the runs:
 * a single run gets LABEL, several get "LABEL/<saved label>".
 */
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

int model_input_sniff(const char *prefix, size_t len)
{
	if (sniff_first_char(prefix, len) != '{')
		return 0;
	return sniff_contains(prefix, len, "\"" MODEL_JSON_FORMAT "\"") ? 100 : 0;
}

bool model_input_parse(struct source *src, struct builder *b)
{
	bool ok = model_json_read(b->model, src, b->diag);
	if (!b->label)
		return ok;
	struct model *m = b->model;
	for (size_t i = 0; i < m->run_count; i++) {
		struct run *run = m->runs[i];
		char *label = m->run_count == 1 ? xstrdup(b->label)
						: xasprintf("%s/%s", b->label, run->label);
		builder_run_label(b, run, label);
		free(label);
	}
	return ok;
}
