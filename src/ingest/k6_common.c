/*
 * k6_common.c - k6's metric model mapped onto ours, and endpoint names (k6.h).
 *
 * The built-in table is k6's metrics/builtin.go (types and contains) at v0.46 and later; the
 * CSV output needs it because it writes no type information.
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

static const struct {
	const char *name;
	enum k6_type type;
	enum k6_contains contains;
} builtins[] = {
	{"vus", K6_GAUGE, K6_DEFAULT},
	{"vus_max", K6_GAUGE, K6_DEFAULT},
	{"iterations", K6_COUNTER, K6_DEFAULT},
	{"iteration_duration", K6_TREND, K6_TIME},
	{"dropped_iterations", K6_COUNTER, K6_DEFAULT},
	{"data_received", K6_COUNTER, K6_DATA},
	{"data_sent", K6_COUNTER, K6_DATA},
	{"checks", K6_RATE, K6_DEFAULT},
	{"group_duration", K6_TREND, K6_TIME},
	{"http_reqs", K6_COUNTER, K6_DEFAULT},
	{"http_req_failed", K6_RATE, K6_DEFAULT},
	{"http_req_duration", K6_TREND, K6_TIME},
	{"http_req_blocked", K6_TREND, K6_TIME},
	{"http_req_connecting", K6_TREND, K6_TIME},
	{"http_req_tls_handshaking", K6_TREND, K6_TIME},
	{"http_req_sending", K6_TREND, K6_TIME},
	{"http_req_waiting", K6_TREND, K6_TIME},
	{"http_req_receiving", K6_TREND, K6_TIME},
	{"ws_sessions", K6_COUNTER, K6_DEFAULT},
	{"ws_msgs_sent", K6_COUNTER, K6_DEFAULT},
	{"ws_msgs_received", K6_COUNTER, K6_DEFAULT},
	{"ws_ping", K6_TREND, K6_TIME},
	{"ws_session_duration", K6_TREND, K6_TIME},
	{"ws_connecting", K6_TREND, K6_TIME},
	{"grpc_req_duration", K6_TREND, K6_TIME},
	{"grpc_streams", K6_COUNTER, K6_DEFAULT},
	{"grpc_streams_msgs_sent", K6_COUNTER, K6_DEFAULT},
	{"grpc_streams_msgs_received", K6_COUNTER, K6_DEFAULT},
};

bool k6_builtin(const char *name, size_t len, enum k6_type *type, enum k6_contains *contains)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(builtins); i++) {
		if (name_is(name, len, builtins[i].name)) {
			*type = builtins[i].type;
			*contains = builtins[i].contains;
			return true;
		}
	}
	return false;
}

struct k6_map k6_map_metric(struct builder *b, const char *name, enum k6_type type,
			    enum k6_contains contains)
{
	static const struct {
		const char *k6;
		const char *metric;
		enum series_kind kind;
		enum unit unit;
	} core[] = {
		{"http_req_duration", "latency", SERIES_TREND, UNIT_MS},
		{"http_reqs", "requests", SERIES_COUNTER, UNIT_COUNT},
		/* a Rate whose passes are the failed requests: counted, error_rate = errors/requests */
		{"http_req_failed", "errors", SERIES_COUNTER, UNIT_COUNT},
		{"data_received", "bytes_in", SERIES_COUNTER, UNIT_BYTES},
		{"data_sent", "bytes_out", SERIES_COUNTER, UNIT_BYTES},
	};
	for (size_t i = 0; i < PG_ARRAY_LEN(core); i++)
		if (strcmp(name, core[i].k6) == 0)
			return (struct k6_map){core[i].metric, core[i].kind, core[i].unit};
	/*
	 * A script's own metric named like a core metric (a Rate called `errors` is common) must
	 * not mix with it: it keeps its name under the k6: prefix.
	 */
	struct k6_map m = {name, SERIES_TREND, UNIT_NONE};
	if (metric_lookup(name) != METRIC_CUSTOM || strcmp(name, "error_rate") == 0 ||
	    strcmp(name, "concurrency") == 0)
		m.metric = arena_printf(&b->model->arena, "k6:%s", name);
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

const char *k6_endpoint(struct builder *b, const char *name, const char *url, const char *method)
{
	if (!name || !*name)
		name = url;
	if (!name || !*name)
		return NULL;
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
		     const char **endpoint, struct tag *kept)
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
	*endpoint = k6_endpoint(b, name, url, method);
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

void k6_set_concurrency(struct run *run)
{
	const struct series *vus = model_find_series(run, "vus", NULL, NULL, 0);
	const struct series *vus_max = model_find_series(run, "vus_max", NULL, NULL, 0);
	if (vus && vus->kind == SERIES_GAUGE && vus->gauge.set)
		run->concurrency = vus->gauge.max;
	else if (vus_max && vus_max->kind == SERIES_GAUGE && vus_max->gauge.set)
		run->concurrency = vus_max->gauge.max;
	if (!isnan(run->concurrency))
		run->concurrency_unit = "VUs";
}
