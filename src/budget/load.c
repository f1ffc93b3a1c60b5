/*
 * load.c - budget files: JSON or YAML -> compiled rules (formats/budget.md,
 * budget.schema.json).
 *
 * Jansson (or, for a .yaml / .yml file, yaml.c on libyaml) decides what the document means;
 * every complaint is placed with json.c's locator (a JSON Pointer -> file:line:col, from the
 * JSON bytes or from the positions yaml.c kept), and an assertion's own errors point inside its string
 * (text.c maps decoded offsets back through escapes). The loader reports every problem of
 * the file in one go and returns no budget when there was any, so `check` never gates a build
 * on half a budget. Unknown keys are errors with a did-you-mean: a typo such as "asert" must
 * not silently drop a rule's assertions.
 *
 * Two shapes are accepted: a perfgate budget ({"version": 1, "rules": [...], ...}, strict)
 * and a k6 options object ({"stages": ..., "thresholds": {...}}), whose other keys (stages,
 * scenarios, vus, ...) are k6's business and ignored; "thresholds" may also sit beside
 * "rules" in a perfgate budget.
 *
 * Memory: everything lives in the budget's arena, except compiled regexes (freed by
 * budget_free) and the file's bytes (b->bytes, which b->src borrows).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "../util/io.h"
#include "../util/json.h"
#include "../util/timefmt.h"
#include "../util/yaml.h"
#include "budget_test.h"

/* Largest budget file read (a budget is a few KiB; this only stops a wrong file early). */
enum { BUDGET_MAX_BYTES = 16 << 20 };

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
	json_positions_free(&b->positions);
	buf_fini(&b->bytes);
	arena_free(&b->arena);
	free(b);
}

/* ---- reporting ---- */

struct loader {
	struct budget *b;
	struct diag *d;
	bool ok;
};

/* DIAG_BUDGET_METRIC at the rule's metric name: "unknown metric 'x' (did you mean 'y'?)". */
static void misspelled_metric(struct budget *b, const struct selector *sel, const char *near,
			      struct diag *d)
{
	struct diag_loc loc;
	json_locate(&b->src, sel->metric_pointer, &loc);
	diag_report(d, DIAG_BUDGET_METRIC, &loc, "unknown metric '%s' (did you mean '%s'?)",
		    sel->metric, near);
}

bool budget_check_metrics(struct budget *b, const struct model *m, struct diag *d)
{
	/* every metric name of the inputs, once */
	const char **names = NULL;
	size_t count = 0, cap = 0;
	for (size_t i = 0; i < m->run_count; i++) {
		const struct run *run = m->runs[i];
		for (size_t k = 0; k < run->series_count; k++) {
			const char *name = run->series[k]->metric;
			size_t j = 0;
			while (j < count && strcmp(names[j], name) != 0)
				j++;
			if (j == count) {
				names = xgrow(names, &cap, count + 1, sizeof *names);
				names[count++] = name;
			}
		}
	}
	bool ok = true;
	for (size_t i = 0; i < b->rule_count; i++) {
		const struct selector *sel = &b->rules[i].selector;
		if (!sel->metric_pointer || b->rules[i].k6)
			continue; /* the default latency, or a k6 key (whose names k6 checked) */
		bool present = false;
		for (size_t j = 0; j < count && !present; j++)
			present = strcmp(names[j], sel->metric) == 0;
		const char *near = present ? NULL : str_closest(sel->metric, names, count);
		if (near) {
			misspelled_metric(b, sel, near, d);
			ok = false;
		}
	}
	free(names);
	return ok;
}

static void file_error(struct loader *l, const char *pointer, const char *fmt, ...)
	PG_PRINTF(3, 4);
static void file_error(struct loader *l, const char *pointer, const char *fmt, ...)
{
	struct diag_loc loc;
	json_locate(&l->b->src, pointer, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(l->d, DIAG_BUDGET_FILE, &loc, fmt, ap);
	va_end(ap);
	l->ok = false;
}

static char *member(struct loader *l, const char *parent, const char *key)
{
	char *p = json_pointer_member(parent, key);
	char *copy = arena_strdup(&l->b->arena, p);
	free(p);
	return copy;
}

/* The text of a JSON string at pointer, placed in the file, for diagnostics inside it. */
static struct budget_text text_of(struct loader *l, json_t *string, const char *pointer)
{
	struct budget_text t = {0};
	t.len = json_string_length(string);
	t.text = arena_strndup(&l->b->arena, json_string_value(string), t.len);
	t.src = &l->b->src;
	if (!json_locate_text(&l->b->src, pointer, false, &t.raw_offset, &t.style))
		t.raw_offset = l->b->src.len;
	return t;
}

/* Checks object's keys against the allowed ones; reports each other key with a did-you-mean. */
static void known_keys(struct loader *l, json_t *object, const char *pointer,
		       const char *const *allowed, size_t count, const char *what)
{
	const char *key;
	json_t *value;
	json_object_foreach(object, key, value) {
		bool known = false;
		for (size_t i = 0; i < count && !known; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (known)
			continue;
		char *p = member(l, pointer, key);
		const char *close = str_closest(key, allowed, count);
		/* at the key itself, the word that is wrong, not at its value */
		struct diag_loc loc;
		size_t offset;
		if (json_locate_key_offset(&l->b->src, p, &offset))
			source_locate(&l->b->src, offset, json_locate_key_span(&l->b->src, p, key),
				      &loc);
		else
			json_locate(&l->b->src, p, &loc);
		if (close)
			diag_report(l->d, DIAG_BUDGET_FILE, &loc,
				    "unknown key '%s' in %s (did you mean '%s'?)", key, what, close);
		else
			diag_report(l->d, DIAG_BUDGET_FILE, &loc, "unknown key '%s' in %s", key, what);
		l->ok = false;
	}
}

/* object[key] as a non-empty string (arena copy); NULL when absent or wrong (reported). */
static const char *string_member(struct loader *l, json_t *object, const char *pointer,
				 const char *key)
{
	json_t *v = json_object_get(object, key);
	if (!v)
		return NULL;
	char *p = member(l, pointer, key);
	if (!json_is_string(v)) {
		file_error(l, p, "'%s' must be a string", key);
		return NULL;
	}
	if (json_string_length(v) == 0 || strlen(json_string_value(v)) != json_string_length(v)) {
		file_error(l, p, "'%s' must be a non-empty string without NUL characters", key);
		return NULL;
	}
	return arena_strdup(&l->b->arena, json_string_value(v));
}

static bool policy_member(struct loader *l, json_t *object, const char *pointer,
			  enum no_data_policy *out)
{
	const char *name = string_member(l, object, pointer, "no_data");
	if (!name)
		return false;
	if (no_data_policy_from_name(name, out))
		return true;
	file_error(l, member(l, pointer, "no_data"),
		   "no_data is 'fail', 'warn' or 'pass', not '%s'", name);
	return false;
}

/* ---- dates ---- */

/* Reads "YYYY-MM-DD" (a valid Gregorian date) as days since 1970-01-01; false otherwise. */
static bool budget_parse_date(const char *text, int64_t *day)
{
	int y, m, d;
	char tail;
	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
	    sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1)
		return false;
	if (y < 1 || d > time_days_in_month(y, m))
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
			return false;
	*day = time_days_from_civil(y, m, d);
	return true;
}

/* ---- regexes ---- */

/* Compiles pattern (a string at pointer); reports PCRE2's error at its offset in the string. */
static pcre2_code *compile_regex(struct loader *l, json_t *string, const char *pointer)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)json_string_value(string),
				       json_string_length(string), PCRE2_UTF, &code, &offset, NULL);
	if (re)
		return re;
	PCRE2_UCHAR message[256];
	pcre2_get_error_message(code, message, sizeof message);
	struct budget_text t = text_of(l, string, pointer);
	budget_text_report(l->d, DIAG_BUDGET_SELECTOR, &t, offset, 1,
			   "regular expression does not compile: %s", (const char *)message);
	l->ok = false;
	return NULL;
}

/* ---- rules ---- */

static void load_endpoint(struct loader *l, struct rule *r, json_t *value, const char *pointer)
{
	struct selector *sel = &r->selector;
	sel->endpoint_pointer = pointer;
	if (json_is_string(value)) {
		if (json_string_length(value) == 0) {
			file_error(l, pointer, "'endpoint' must not be empty");
			return;
		}
		sel->endpoint_kind = ENDPOINT_EXACT;
		sel->endpoint = arena_strdup(&l->b->arena, json_string_value(value));
		return;
	}
	static const char *const kinds[] = {"glob", "regex"};
	if (!json_is_object(value) || json_object_size(value) != 1) {
		file_error(l, pointer,
			   "'endpoint' is a name, {\"glob\": PATTERN} or {\"regex\": PCRE2}");
		return;
	}
	known_keys(l, value, pointer, kinds, PG_ARRAY_LEN(kinds), "an endpoint selector");
	for (size_t i = 0; i < PG_ARRAY_LEN(kinds); i++) {
		json_t *pattern = json_object_get(value, kinds[i]);
		if (!pattern)
			continue;
		char *p = member(l, pointer, kinds[i]);
		if (!json_is_string(pattern) || json_string_length(pattern) == 0) {
			file_error(l, p, "'%s' must be a non-empty string", kinds[i]);
			return;
		}
		sel->endpoint = arena_strdup(&l->b->arena, json_string_value(pattern));
		sel->endpoint_kind = i == 0 ? ENDPOINT_GLOB : ENDPOINT_REGEX;
		if (i == 1)
			sel->regex = compile_regex(l, pattern, p);
	}
}

static int compare_tags(const void *a, const void *b)
{
	return strcmp(((const struct tag *)a)->key, ((const struct tag *)b)->key);
}

static void load_tags(struct loader *l, struct rule *r, json_t *value, const char *pointer)
{
	if (!json_is_object(value)) {
		file_error(l, pointer, "'tags' must be an object of strings: {\"status\": \"200\"}");
		return;
	}
	size_t n = json_object_size(value);
	struct tag *tags = arena_alloc(&l->b->arena, (n ? n : 1) * sizeof *tags);
	size_t i = 0;
	const char *key;
	json_t *v;
	json_object_foreach(value, key, v) {
		if (!json_is_string(v)) {
			file_error(l, member(l, pointer, key), "tag '%s' must be a string", key);
			continue;
		}
		tags[i++] = (struct tag){arena_strdup(&l->b->arena, key),
					 arena_strdup(&l->b->arena, json_string_value(v))};
	}
	qsort(tags, i, sizeof *tags, compare_tags);
	r->selector.tags = tags;
	r->selector.tag_count = i;
}

static void load_waiver(struct loader *l, struct rule *r, json_t *value, const char *pointer)
{
	static const char *const keys[] = {"until", "reason"};
	if (!json_is_object(value)) {
		file_error(l, pointer,
			   "'waiver' is {\"until\": \"YYYY-MM-DD\", \"reason\": \"...\"}");
		return;
	}
	known_keys(l, value, pointer, keys, PG_ARRAY_LEN(keys), "a waiver");
	const char *until = string_member(l, value, pointer, "until");
	const char *reason = string_member(l, value, pointer, "reason");
	if (!until || !reason) {
		if (l->ok)
			file_error(l, pointer, "a waiver needs 'until' (YYYY-MM-DD) and 'reason'");
		return;
	}
	if (!budget_parse_date(until, &r->waiver_until_day)) {
		file_error(l, member(l, pointer, "until"),
			   "'until' is a date written YYYY-MM-DD, not '%s'", until);
		return;
	}
	r->has_waiver = true;
	r->waiver_until = until;
	r->waiver_reason = reason;
}

/*
 * "capacity": {"at": N} (the assertion at load N of the series the runs make) or
 * {"peak": true} (the assertion on the level where its left side is highest: peak
 * throughput). docs/budgets.md.
 */
static void load_capacity(struct loader *l, struct rule *r, json_t *value, const char *pointer)
{
	static const char *const keys[] = {"at", "peak"};
	json_t *at = json_is_object(value) ? json_object_get(value, "at") : NULL;
	json_t *peak = json_is_object(value) ? json_object_get(value, "peak") : NULL;
	if (!json_is_object(value) || (!at == !peak)) {
		file_error(l, pointer, "'capacity' is {\"at\": LOAD} or {\"peak\": true}");
		return;
	}
	known_keys(l, value, pointer, keys, PG_ARRAY_LEN(keys), "a capacity");
	if (at && (!json_is_number(at) || !(json_number_value(at) > 0))) {
		file_error(l, member(l, pointer, "at"), "'at' is a load level above 0 (users, VUs, "
							 "connections)");
		return;
	}
	if (peak && !json_is_true(peak)) {
		file_error(l, member(l, pointer, "peak"), "'peak' is true");
		return;
	}
	r->capacity = true;
	r->capacity_at = at ? json_number_value(at) : NAN;
}

/* "window": "steady" | "whole" | {"from": "30s", "to": "2m"} (either bound may be absent). */
static void load_window(struct loader *l, struct rule *r, json_t *value, const char *pointer)
{
	static const char *const keys[] = {"from", "to"};
	if (json_is_string(value)) {
		const char *text = json_string_value(value);
		if ((strcmp(text, "steady") != 0 && strcmp(text, "whole") != 0) ||
		    !window_spec_parse(text, &r->window)) {
			file_error(l, pointer, "'window' is \"steady\", \"whole\" or {\"from\": "
					       "\"30s\", \"to\": \"2m\"}, not '%s'", text);
			return;
		}
		r->has_window = true;
		return;
	}
	if (!json_is_object(value)) {
		file_error(l, pointer,
			   "'window' is \"steady\", \"whole\" or {\"from\": \"30s\", \"to\": \"2m\"}");
		return;
	}
	known_keys(l, value, pointer, keys, PG_ARRAY_LEN(keys), "a window");
	const char *from = string_member(l, value, pointer, "from");
	const char *to = string_member(l, value, pointer, "to");
	if (!from && !to) {
		file_error(l, pointer, "a window needs 'from' or 'to' (durations: \"30s\", \"2m\")");
		return;
	}
	char *text = xasprintf("%s..%s", from ? from : "", to ? to : "");
	if (!window_spec_parse(text, &r->window))
		file_error(l, pointer,
			   "'from' and 'to' are durations from the run's start (\"30s\", \"2m\", "
			   "\"500ms\"), 'to' after 'from'");
	else
		r->has_window = true;
	free(text);
}

/* Compiles one assertion string of rule r. */
static void load_assertion(struct loader *l, struct rule *r, struct assertion *a, json_t *value,
			   const char *pointer)
{
	a->pointer = pointer;
	if (!json_is_string(value) || json_string_length(value) == 0) {
		file_error(l, pointer, "an assertion is a non-empty string, e.g. \"p95 < 300ms\"");
		return;
	}
	a->text = text_of(l, value, pointer);
	a->expr = parse_assertion(&a->text, &l->b->arena, l->d);
	struct check_context c = check_context_of_metric(r->selector.metric);
	if (a->expr && !check_assertion(a->expr, &a->text, &c, l->d))
		a->expr = NULL;
	if (a->expr && r->capacity && a->expr->kind != EXPR_CMP) {
		/* a series is read at one load for one comparison (evaluate_capacity) */
		budget_text_report(l->d, DIAG_BUDGET_SYNTAX, &a->text, a->expr->offset,
				   a->expr->len,
				   "a capacity rule's assertion is one comparison, without and/or: "
				   "write one rule per comparison");
		a->expr = NULL;
	}
	if (!a->expr)
		l->ok = false;
}

static void load_rule(struct loader *l, json_t *object, const char *pointer, size_t index)
{
	static const char *const keys[] = {
		"name", "run", "endpoint", "tags", "metric", "assert", "level", "message",
		"waiver", "no_data", "comparison", "window", "capacity",
	};
	if (!json_is_object(object)) {
		file_error(l, pointer, "a rule is an object: {\"assert\": \"p95 < 300ms\"}");
		return;
	}
	known_keys(l, object, pointer, keys, PG_ARRAY_LEN(keys), "a rule");
	struct rule *r = budget_add_rule(l->b);
	r->pointer = pointer;
	r->name = string_member(l, object, pointer, "name");
	if (!r->name)
		r->name = arena_printf(&l->b->arena, "rules[%zu]", index);
	r->selector.run = string_member(l, object, pointer, "run");
	if (r->selector.run)
		r->selector.run_pointer = member(l, pointer, "run");
	r->selector.metric = string_member(l, object, pointer, "metric");
	r->selector.metric_pointer = member(l, pointer, "metric");
	if (!r->selector.metric)
		r->selector.metric = "latency";
	else if (model_metric_near_miss(r->selector.metric))
		misspelled_metric(l->b, &r->selector, model_metric_near_miss(r->selector.metric),
				  l->d), l->ok = false;
	json_t *v;
	if ((v = json_object_get(object, "endpoint")))
		load_endpoint(l, r, v, member(l, pointer, "endpoint"));
	if ((v = json_object_get(object, "tags")))
		load_tags(l, r, v, member(l, pointer, "tags"));
	if ((v = json_object_get(object, "waiver")))
		load_waiver(l, r, v, member(l, pointer, "waiver"));
	r->message = string_member(l, object, pointer, "message");
	const char *level = string_member(l, object, pointer, "level");
	if (level && strcmp(level, "warn") == 0)
		r->level = LEVEL_WARN;
	else if (level && strcmp(level, "error") != 0)
		file_error(l, member(l, pointer, "level"), "level is 'error' or 'warn', not '%s'",
			   level);
	r->has_no_data = policy_member(l, object, pointer, &r->no_data);
	json_t *capacity = json_object_get(object, "capacity");
	if (capacity)
		load_capacity(l, r, capacity, member(l, pointer, "capacity"));
	json_t *window = json_object_get(object, "window");
	if (window)
		load_window(l, r, window, member(l, pointer, "window"));
	const char *comparison = string_member(l, object, pointer, "comparison");
	if (comparison && strcmp(comparison, "point") == 0)
		r->point_comparison = true;
	else if (comparison && strcmp(comparison, "interval") != 0)
		file_error(l, member(l, pointer, "comparison"),
			   "comparison is 'interval' (the default) or 'point', not '%s'", comparison);

	json_t *assert = json_object_get(object, "assert");
	char *ap = member(l, pointer, "assert");
	if (!assert) {
		file_error(l, pointer, "rule '%s' has no 'assert'", r->name);
		return;
	}
	if (json_is_string(assert)) {
		r->assertions = arena_alloc(&l->b->arena, sizeof *r->assertions);
		r->assertion_count = 1;
		load_assertion(l, r, &r->assertions[0], assert, ap);
		return;
	}
	if (!json_is_array(assert) || json_array_size(assert) == 0) {
		file_error(l, ap, "'assert' is a string or a non-empty array of strings");
		return;
	}
	r->assertion_count = json_array_size(assert);
	r->assertions = arena_alloc(&l->b->arena, r->assertion_count * sizeof *r->assertions);
	for (size_t i = 0; i < r->assertion_count; i++) {
		char n[24];
		snprintf(n, sizeof n, "%zu", i);
		load_assertion(l, r, &r->assertions[i], json_array_get(assert, i),
			       member(l, ap, n));
	}
}

/* "group": ["REGEX=NAME", ...], as --group takes them; each REGEX must compile. */
static void load_group(struct loader *l, json_t *group, const char *pointer)
{
	if (!json_is_array(group)) {
		file_error(l, pointer, "'group' is an array of \"REGEX=NAME\" strings");
		return;
	}
	l->b->group = arena_alloc(&l->b->arena, (json_array_size(group) + 1) * sizeof(char *));
	size_t i;
	json_t *v;
	json_array_foreach(group, i, v) {
		char n[24];
		snprintf(n, sizeof n, "%zu", i);
		char *p = member(l, pointer, n);
		const char *text = json_is_string(v) ? json_string_value(v) : NULL;
		const char *eq = text ? strrchr(text, '=') : NULL;
		if (!eq || eq == text || strlen(text) != json_string_length(v)) {
			file_error(l, p, "a group rule is \"REGEX=NAME\", e.g. \"/users/\\\\d+=/users/:id\"");
			continue;
		}
		json_t *regex = json_stringn(text, (size_t)(eq - text));
		pcre2_code *re = compile_regex(l, regex, p);
		json_decref(regex);
		pcre2_code_free(re);
		l->b->group[l->b->group_count++] = arena_strdup(&l->b->arena, text);
	}
}

static void load_root(struct loader *l, json_t *root)
{
	static const char *const keys[] = {
		"$schema", "format", "version", "description", "no_data", "group", "rules",
		"thresholds",
	};
	if (!json_is_object(root)) {
		file_error(l, "", "a budget file is a JSON object (formats/budget.md)");
		return;
	}
	json_t *rules = json_object_get(root, "rules");
	json_t *thresholds = json_object_get(root, "thresholds");
	json_t *version = json_object_get(root, "version");
	bool k6_options = !rules && !version;
	if (!rules && !thresholds) {
		file_error(l, "", "a budget has \"rules\" (formats/budget.md) or a k6 "
				  "\"thresholds\" object");
		return;
	}
	if (!k6_options) {
		known_keys(l, root, "", keys, PG_ARRAY_LEN(keys), "a budget");
		const char *format = string_member(l, root, "", "format");
		if (format && strcmp(format, "perfgate-budget") != 0)
			file_error(l, "/format", "format is 'perfgate-budget', not '%s'", format);
		if (!version)
			file_error(l, "", "a budget with \"rules\" says \"version\": 1");
		else if (!json_is_integer(version) || json_integer_value(version) != 1)
			file_error(l, "/version",
				   "this perfgate reads budget version 1 (formats/budget.md)");
	}
	policy_member(l, root, "", &l->b->no_data);
	json_t *group = json_object_get(root, "group");
	if (group)
		load_group(l, group, "/group");
	if (rules && !json_is_array(rules)) {
		file_error(l, "/rules", "'rules' is an array of rule objects");
	} else if (rules) {
		size_t i;
		json_t *rule;
		json_array_foreach(rules, i, rule) {
			char n[24];
			snprintf(n, sizeof n, "%zu", i);
			load_rule(l, rule, member(l, "/rules", n), i);
		}
	}
	if (thresholds && !json_is_object(thresholds))
		file_error(l, "/thresholds", "'thresholds' is a k6 thresholds object");
	else if (thresholds && !k6_thresholds_load(l->b, "/thresholds", thresholds, l->d))
		l->ok = false;
}

struct budget *budget_load_bytes(const char *name, const char *bytes, size_t len,
				 struct diag *d)
{
	struct budget *b = budget_new(name);
	buf_append(&b->bytes, bytes, len);
	source_fini(&b->src);
	source_init(&b->src, b->src.name, b->bytes.data ? b->bytes.data : "", len);
	struct loader l = {b, d, true};
	/* a key given twice would silently drop the first (a whole "rules" array): rejected */
	json_t *root = yaml_path(name) ? yaml_parse_source(&b->src, &b->positions, d)
				       : json_parse_source_flags(&b->src, JSON_REJECT_DUPLICATES, d);
	if (!root) {
		budget_free(b);
		return NULL;
	}
	load_root(&l, root);
	json_decref(root);
	if (!l.ok) {
		budget_free(b);
		return NULL;
	}
	return b;
}

struct budget *budget_load(const char *path, struct diag *d)
{
	struct buf bytes;
	buf_init(&bytes);
	struct budget *b = NULL;
	if (io_read_file(path, "budget file", BUDGET_MAX_BYTES, NULL, &bytes, d))
		b = budget_load_bytes(io_display_name(path), bytes.data ? bytes.data : "", bytes.len,
				      d);
	buf_fini(&bytes);
	return b;
}
