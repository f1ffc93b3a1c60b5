/*
 * registry.c - the table of front ends, and the one place that decides how an input is read.
 *
 * The decision, in order: `--format NAME` forces a front end (no set, no sniffing); a path that
 * names a file set of a front end that reads sets (Locust's --csv PREFIX: the prefix itself, or
 * one of its files with a sibling beside it) is that set, found by the file-name endings listed
 * in the front end's row, the only use of a file name anywhere; anything else is recognised by
 * content: each front end scores the first REGISTRY_SNIFF_BYTES bytes (after a UTF-8 BOM) and
 * the highest score wins; ties go to the earlier row, so more specific formats come first. The
 * members of a set are still sniffed, and must be the set's format.
 *
 * Checklist when adding a row: the front end's file, formats/<name>.md, tests/e2e/<name>/,
 * the format list in docs/cli.md.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "../util/path.h"
#include "ingest.h"

/*
 * Locust --csv PREFIX writes these files side by side (0.x: _requests and _distribution);
 * they are read as one run.
 */
static const char *const locust_suffixes[] = {
	"_stats.csv", "_requests.csv", "_distribution.csv", "_stats_history.csv",
	"_failures.csv", "_exceptions.csv", NULL,
};
_Static_assert(PG_ARRAY_LEN(locust_suffixes) - 1 <= REGISTRY_SET_MAX, "REGISTRY_SET_MAX");

/* The set hooks, typed for the table (locust.c keeps its own struct). */
static void *locust_set_begin(struct builder *b)
{
	return locust_begin(b);
}

static bool locust_set_read(void *set, struct source *src)
{
	return locust_read(set, src);
}

static bool locust_set_end(void *set)
{
	return locust_end(set);
}

static const struct frontend frontends[] = {
	{.name = "perfgate-model", .description = "perfgate model JSON (--save-model output)",
	 .sniff = model_input_sniff, .parse = model_input_parse},
	{.name = "autocannon",
	 .description = "autocannon --json result (all key generations), or an array of them",
	 .sniff = autocannon_sniff, .parse = autocannon_parse},
	{.name = "autocannon-text",
	 .description = "autocannon's text table (no --json): recognised and refused, with how to get JSON",
	 .sniff = autocannon_text_sniff, .parse = autocannon_text_parse},
	{.name = "k6-summary",
	 .description = "k6 --summary-export or handleSummary JSON (legacy and machine-readable)",
	 .sniff = k6_summary_sniff, .parse = k6_summary_parse},
	{.name = "k6-ndjson", .description = "k6 --out json samples, one JSON object per line (streamed)",
	 .sniff = k6_ndjson_sniff, .parse_stream = k6_ndjson_parse},
	{.name = "k6-csv", .description = "k6 --out csv samples, every header generation (streamed)",
	 .sniff = k6_csv_sniff, .parse_stream = k6_csv_parse},
	{.name = "locust",
	 .description = "Locust --csv files: _stats, _stats_history, _failures, _exceptions (0.x to 2.x)",
	 .sniff = locust_sniff, .parse = locust_parse, .set_suffixes = locust_suffixes,
	 .set_name = "Locust's --csv", .set_begin = locust_set_begin,
	 .set_read = locust_set_read, .set_end = locust_set_end},
	{.name = "locust-json",
	 .description = "Locust --json statistics (2.14 and later): response-time buckets per endpoint",
	 .sniff = locust_json_sniff, .parse = locust_json_parse},
	{.name = "prometheus-api",
	 .description = "Prometheus HTTP API JSON: query_range and query responses (streamed)",
	 .sniff = prom_api_sniff, .parse_stream = prom_api_parse, .server = true},
	{.name = "prometheus-text",
	 .description = "Prometheus text exposition 0.0.4 or OpenMetrics 1.0: a saved /metrics",
	 .sniff = prom_text_sniff, .parse = prom_text_parse, .server = true},
	{.name = "wrk",
	 .description = "wrk / wrk2 text output (with or without --latency, HdrHistogram spectrum)",
	 .sniff = wrk_sniff, .parse = wrk_parse},
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

/* The most confident front end for a prefix, or NULL when none recognises it. */
static const struct frontend *registry_sniff(const char *prefix, size_t len)
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

/*
 * The set of fe that path names: the prefix itself (which is no file), or one of the files
 * when a sibling exists. Fills set and returns true; false (set untouched) when it is none.
 */
static bool find_set(const struct frontend *fe, const char *path, struct registry_set *set)
{
	char *prefix = NULL;
	bool file = path_is_file(path);
	if (!file) {
		prefix = xstrdup(path);
	} else {
		for (size_t i = 0; fe->set_suffixes[i] && !prefix; i++)
			if (str_ends_with(path, fe->set_suffixes[i]))
				prefix = xstrndup(path, strlen(path) - strlen(fe->set_suffixes[i]));
	}
	if (!prefix)
		return false;
	size_t found = 0;
	char *members[REGISTRY_SET_MAX];
	for (size_t i = 0; fe->set_suffixes[i]; i++) {
		char *member = xasprintf("%s%s", prefix, fe->set_suffixes[i]);
		if (path_is_file(member))
			members[found++] = member;
		else
			free(member);
	}
	/* a lone file is an ordinary input */
	if (found < (file ? 2u : 1u)) {
		for (size_t i = 0; i < found; i++)
			free(members[i]);
		free(prefix);
		return false;
	}
	set->frontend = fe;
	set->prefix = prefix;
	set->member_count = found;
	memcpy(set->members, members, found * sizeof *members);
	return true;
}

bool registry_find_set(const char *path, const struct frontend *forced,
		       struct registry_set *set)
{
	memset(set, 0, sizeof *set);
	if (forced || strcmp(path, "-") == 0)
		return false;
	for (size_t i = 0; i < PG_ARRAY_LEN(frontends); i++)
		if (frontends[i].set_suffixes && find_set(&frontends[i], path, set))
			return true;
	return false;
}

void registry_set_fini(struct registry_set *set)
{
	for (size_t i = 0; i < set->member_count; i++)
		free(set->members[i]);
	free(set->prefix);
	memset(set, 0, sizeof *set);
}

const struct frontend *registry_choose(const struct frontend *forced, const char *prefix,
				       size_t len)
{
	return forced ? forced : registry_sniff(prefix, len);
}

bool sniff_contains(const char *prefix, size_t len, const char *needle)
{
	return memmem(prefix, len, needle, strlen(needle)) != NULL;
}

char sniff_first_char(const char *prefix, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", prefix[i]))
			return prefix[i];
	return 0;
}
