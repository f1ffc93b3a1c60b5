/*
 * registry.c - the table of front ends and content sniffing.
 *
 * Formats are recognised by content, never by file name: each front end scores the first
 * REGISTRY_SNIFF_BYTES bytes (after a UTF-8 BOM) and the highest score wins; ties go to the
 * earlier row, so more specific formats come first. `--format NAME` bypasses sniffing.
 *
 * Checklist when adding a row: the front end's file, formats/<name>.md, tests/e2e/<name>/,
 * the format list in docs/cli.md.
 */
#include <string.h>

#include "ingest.h"

static const struct frontend frontends[] = {
	{"perfgate-model", "perfgate model JSON (--save-model output)", model_input_sniff,
	 model_input_parse, NULL},
	{"autocannon", "autocannon --json result (all key generations), or an array of them",
	 autocannon_sniff, autocannon_parse, NULL},
	{"k6-summary", "k6 --summary-export or handleSummary JSON (legacy and machine-readable)",
	 k6_summary_sniff, k6_summary_parse, NULL},
	{"k6-ndjson", "k6 --out json samples, one JSON object per line (streamed)",
	 k6_ndjson_sniff, NULL, k6_ndjson_parse},
	{"k6-csv", "k6 --out csv samples, every header generation (streamed)", k6_csv_sniff, NULL,
	 k6_csv_parse},
	{"locust", "Locust --csv files: _stats, _stats_history, _failures, _exceptions (0.x to 2.x)",
	 locust_sniff, locust_parse, NULL},
	{"wrk", "wrk / wrk2 text output (with or without --latency, HdrHistogram spectrum)",
	 wrk_sniff, wrk_parse, NULL},
};

size_t registry_count(void)
{
	return PG_ARRAY_LEN(frontends);
}

const struct frontend *registry_at(size_t index)
{
	return index < PG_ARRAY_LEN(frontends) ? &frontends[index] : NULL;
}

const struct frontend *registry_find(const char *name)
{
	for (size_t i = 0; i < PG_ARRAY_LEN(frontends); i++)
		if (strcmp(frontends[i].name, name) == 0)
			return &frontends[i];
	return NULL;
}

const struct frontend *registry_sniff(const char *prefix, size_t len)
{
	size_t bom = str_bom_length(prefix, len);
	prefix += bom;
	len -= bom;
	const struct frontend *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < PG_ARRAY_LEN(frontends); i++) {
		int score = frontends[i].sniff(prefix, len);
		if (score > best_score) {
			best = &frontends[i];
			best_score = score;
		}
	}
	return best;
}

bool sniff_contains(const char *prefix, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0 || n > len)
		return n == 0;
	for (size_t i = 0; i + n <= len; i++)
		if (prefix[i] == needle[0] && memcmp(prefix + i, needle, n) == 0)
			return true;
	return false;
}

char sniff_first_char(const char *prefix, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", prefix[i]))
			return prefix[i];
	return 0;
}
