/*
 * k6_common.c - k6's metric model mapped onto ours, and endpoint names (k6.h).
 *
 * The names themselves (built-in types, the core mapping, clashes) are the model's table,
 * src/model/k6_names.c, which the budget's k6 thresholds read too; the CSV output needs the
 * built-in types because it writes no type information.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k6.h"

static bool name_is(const char *name, size_t len, const char *literal)
{
	return strlen(literal) == len && memcmp(name, literal, len) == 0;
}

bool k6_type_from_name(const char *name, size_t len, enum k6_type *out)
{
	static const char *const names[] = {"", "counter", "gauge", "trend", "rate"};
	for (size_t i = 1; i < PG_ARRAY_LEN(names); i++) {
		if (name_is(name, len, names[i])) {
			*out = (enum k6_type)i;
			return true;
		}
	}
	return false;
}

bool k6_contains_from_name(const char *name, size_t len, enum k6_contains *out)
{
	static const char *const names[] = {"default", "time", "data"};
	for (size_t i = 0; i < PG_ARRAY_LEN(names); i++) {
		if (name_is(name, len, names[i])) {
			*out = (enum k6_contains)i;
			return true;
		}
	}
	return false;
}

struct k6_map k6_map_metric(struct builder *b, const char *name, enum k6_type type,
			    enum k6_contains contains)
{
	const struct k6_names_core *core = k6_names_core(name);
	if (core)
		return (struct k6_map){core->metric, core->kind, core->unit};
	struct k6_map m = {k6_names_model_metric(name, &b->model->arena), SERIES_TREND, UNIT_NONE};
	switch (type) {
	case K6_COUNTER: m.kind = SERIES_COUNTER; break;
	case K6_GAUGE: m.kind = SERIES_GAUGE; break;
	case K6_RATE: m.kind = SERIES_RATE; break;
	case K6_TREND:
	case K6_UNKNOWN: m.kind = SERIES_TREND; break;
	}
	if (contains == K6_TIME)
		m.unit = UNIT_MS;
	else if (contains == K6_DATA)
		m.unit = UNIT_BYTES;
	else if (m.kind == SERIES_COUNTER || m.kind == SERIES_GAUGE)
		m.unit = UNIT_COUNT;
	return m;
}

/*
 * The endpoint for a sample's tags: name (or url when there is no name) after the --group
 * rules, with the method in front unless name already starts with "METHOD ". NULL when the
 * sample has neither name nor url. The result lives in scratch, or in the model's arena when
 * scratch is NULL.
 */
static const char *k6_endpoint(struct builder *b, const char *name, const char *url,
			       const char *method, struct buf *scratch)
{
	if (!name || !*name)
		name = url;
	if (!name || !*name)
		return NULL;
	if (scratch)
		return builder_endpoint_in(b, method, name, strlen(name), scratch);
	return builder_endpoint(b, method, name, strlen(name));
}

/* by key, then value: a total order, so duplicates resolve the same way on every run */
static int compare_tag_keys(const void *a, const void *b)
{
	const struct tag *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

size_t k6_split_tags(struct builder *b, const struct tag *tags, size_t tag_count,
		     const char **endpoint, struct tag *kept, struct buf *scratch)
{
	const char *name = NULL, *url = NULL, *method = NULL;
	size_t n = 0, method_at = SIZE_MAX;
	for (size_t i = 0; i < tag_count; i++) {
		if (!*tags[i].value || !*tags[i].key)
			continue;
		if (strcmp(tags[i].key, "name") == 0) {
			name = tags[i].value;
		} else if (strcmp(tags[i].key, "url") == 0) {
			url = tags[i].value;
		} else if (strcmp(tags[i].key, "method") == 0) {
			method = tags[i].value;
			method_at = n;
			kept[n++] = tags[i];
		} else {
			kept[n++] = tags[i];
		}
	}
	*endpoint = k6_endpoint(b, name, url, method, scratch);
	if (*endpoint && method_at != SIZE_MAX) {
		/* the method is in the endpoint's name: drop the tag */
		memmove(&kept[method_at], &kept[method_at + 1], (n - method_at - 1) * sizeof *kept);
		n--;
	}
	qsort(kept, n, sizeof *kept, compare_tag_keys);
	/* a key given twice (not from k6, but possible in JSON) keeps one value: the smallest */
	size_t unique = 0;
	for (size_t i = 0; i < n; i++)
		if (unique == 0 || strcmp(kept[unique - 1].key, kept[i].key) != 0)
			kept[unique++] = kept[i];
	return unique;
}

void k6_set_concurrency(struct builder *b, struct run *run)
{
	const struct series *vus = model_find_series(run, "vus", NULL, NULL, 0);
	const struct series *vus_max = model_find_series(run, "vus_max", NULL, NULL, 0);
	double most = NAN;
	if (vus && vus->kind == SERIES_GAUGE && vus->gauge.set)
		most = vus->gauge.max;
	else if (vus_max && vus_max->kind == SERIES_GAUGE && vus_max->gauge.set)
		most = vus_max->gauge.max;
	if (!isnan(most))
		builder_run_concurrency(b, run, most, "VUs");
}
