/*
 * k6_names.c - k6's metric names as the model knows them: the one table of k6's built-in
 * metrics (type and contains, FORMATS.md §1.0) and of the k6 metrics that become perfgate's
 * core series (http_req_duration -> latency, ...), with the rule for custom names that clash
 * with a core name (model.h, k6_names.c section).
 *
 * It lives in the model layer, not in ingest, because two layers read it: the k6 front ends
 * (which map samples onto series) and the budget's k6 thresholds (which must find the series a
 * k6 metric name became, and know which aggregations k6 allows on a built-in). Keeping one
 * table is what keeps a threshold and the series it reads from drifting apart.
 *
 * The built-ins are k6's metrics/builtin.go (v0.46 and later) plus the gRPC streams counters
 * that k6's grpc module registers. Nothing here allocates except the "k6:NAME" of a clash.
 */
#include <string.h>

#include "model.h"

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

/*
 * The k6 metrics that become core series. Checklist: formats/k6.md (metric mapping);
 * k6_summary.c gives an http_req_failed submetric `requests` too, from passes + fails.
 */
static const struct k6_names_core core[] = {
	{"http_req_duration", "latency", SERIES_TREND, UNIT_MS},
	{"http_reqs", "requests", SERIES_COUNTER, UNIT_COUNT},
	/* a Rate whose passes are the failed requests: counted, error_rate = errors/requests */
	{"http_req_failed", "errors", SERIES_COUNTER, UNIT_COUNT},
	{"data_received", "bytes_in", SERIES_COUNTER, UNIT_BYTES},
	{"data_sent", "bytes_out", SERIES_COUNTER, UNIT_BYTES},
};

bool k6_names_builtin(const char *name, size_t len, enum k6_type *type,
		      enum k6_contains *contains)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(builtins); i++) {
		if (strlen(builtins[i].name) == len && memcmp(name, builtins[i].name, len) == 0) {
			*type = builtins[i].type;
			*contains = builtins[i].contains;
			return true;
		}
	}
	return false;
}

const struct k6_names_core *k6_names_core(const char *name)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(core); i++)
		if (strcmp(name, core[i].k6) == 0)
			return &core[i];
	return NULL;
}

const char *k6_names_model_metric(const char *name, struct arena *arena)
{
	const struct k6_names_core *c = k6_names_core(name);
	if (c)
		return c->metric;
	/*
	 * A script's own metric named like a core metric (a Rate called `errors` is common) must
	 * not mix with it: it keeps its name under the k6: prefix.
	 */
	if (model_metric_lookup(name) != METRIC_CUSTOM || strcmp(name, "error_rate") == 0 ||
	    strcmp(name, "concurrency") == 0)
		return arena_printf(arena, "k6:%s", name);
	return name;
}

const char *k6_names_builtin_name(size_t i)
{
	return i < PG_ARRAY_LEN(builtins) ? builtins[i].name : NULL;
}
