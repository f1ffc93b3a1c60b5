/*
 * endpoint_rules.c - `--group 'REGEX=NAME'`: fold endpoint names with PCRE2 (ingest.h).
 *
 * Each rule is compiled once (UTF mode, so a caret lands on a character, not a byte) and
 * applied with pcre2_substitute, every match replaced. A match context caps the work per
 * subject (match limit, depth limit, heap limit): a catastrophic pattern such as (a+)+$ on a
 * long name stops with PCRE2_ERROR_MATCHLIMIT, which we report once per rule and treat as "no
 * match", so the tool never hangs on a bad pattern.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

enum {
	MATCH_LIMIT = 100000, /* backtracking steps per subject */
	DEPTH_LIMIT = 1000,   /* nested backtracking frames */
	HEAP_LIMIT_KIB = 4096,
};

struct rule {
	char *text;            /* the whole rule as given */
	pcre2_code *code;
	char *replacement;     /* NAME */
	bool limit_reported;   /* DIAG_GROUP_MATCH_LIMIT already said for this rule */
};

struct endpoint_rules {
	struct rule *rules;
	size_t count, cap;
	pcre2_match_context *context;
};

struct endpoint_rules *endpoint_rules_new(void)
{
	struct endpoint_rules *r = xcalloc(1, sizeof *r);
	r->context = pcre2_match_context_create(NULL);
	if (!r->context)
		xalloc_die();
	pcre2_set_match_limit(r->context, MATCH_LIMIT);
	pcre2_set_depth_limit(r->context, DEPTH_LIMIT);
	pcre2_set_heap_limit(r->context, HEAP_LIMIT_KIB);
	return r;
}

size_t endpoint_rules_count(const struct endpoint_rules *r)
{
	return r ? r->count : 0;
}

/* A diagnostic pointing into the rule text (the argument of --group) at byte offset. */
static void report_at(struct diag *d, enum diag_id id, const char *rule, size_t offset,
		      const char *fmt, const char *detail)
{
	struct source src;
	source_init(&src, "--group", rule, strlen(rule));
	struct diag_loc loc;
	source_locate(&src, offset, 1, &loc);
	diag_report(d, id, &loc, fmt, detail);
	source_fini(&src);
}

/*
 * The first `$N`, `${N}`, `$name` or `${name}` in a replacement that names no group of code
 * (PCRE2 would fail on it at every match, so the rule could never apply), or NULL. `$$` is a
 * dollar, `$*MARK` is left to PCRE2.
 */
static const char *bad_reference(const pcre2_code *code, const char *name)
{
	uint32_t groups = 0;
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
	for (const char *p = name; *p; p++) {
		if (*p != '$')
			continue;
		const char *at = p++;
		if (*p == '$')
			continue;
		if (*p == '*')
			continue; /* $*MARK */
		bool braced = *p == '{';
		const char *start = p + braced, *end = start;
		bool digits = *start >= '0' && *start <= '9';
		while (*end && (braced ? *end != '}'
				: digits ? (*end >= '0' && *end <= '9')
				: (*end == '_' || (*end >= 'a' && *end <= 'z') ||
				   (*end >= 'A' && *end <= 'Z') || (end > start && *end >= '0' &&
								   *end <= '9'))))
			end++;
		if (end == start || (braced && !*end))
			return at;
		char text[256]; /* PCRE2 group names have at most 128 code units */
		size_t len = (size_t)(end - start) < sizeof text - 1 ? (size_t)(end - start) : 0;
		if (!len)
			return at;
		memcpy(text, start, len);
		text[len] = '\0';
		if (text[0] >= '0' && text[0] <= '9') {
			if (strspn(text, "0123456789") != len || strtoul(text, NULL, 10) > groups)
				return at;
		} else if (pcre2_substring_number_from_name(code, (PCRE2_SPTR)text) < 0) {
			return at;
		}
		p = braced ? end : end - 1;
	}
	return NULL;
}

bool endpoint_rules_add(struct endpoint_rules *r, const char *rule, struct diag *d)
{
	const char *eq = strrchr(rule, '=');
	if (!eq || eq == rule) {
		report_at(d, DIAG_BAD_REGEX, rule, eq ? 0 : strlen(rule),
			  "--group needs REGEX=NAME, e.g. '/users/\\d+=/users/:id'%s", "");
		return false;
	}
	size_t pattern_len = (size_t)(eq - rule);
	int error;
	PCRE2_SIZE offset;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)rule, pattern_len, PCRE2_UTF, &error,
					 &offset, NULL);
	if (!code) {
		PCRE2_UCHAR message[256];
		pcre2_get_error_message(error, message, sizeof message);
		report_at(d, DIAG_BAD_REGEX, rule, offset, "--group: invalid regular expression: %s",
			  (const char *)message);
		return false;
	}
	const char *bad = bad_reference(code, eq + 1);
	if (bad) {
		report_at(d, DIAG_BAD_REGEX, rule, (size_t)(bad - rule),
			  "--group: NAME refers to a group the regular expression does not have%s", "");
		pcre2_code_free(code);
		return false;
	}
	r->rules = xgrow(r->rules, &r->cap, r->count + 1, sizeof *r->rules);
	r->rules[r->count++] = (struct rule){xstrdup(rule), code, xstrdup(eq + 1), false};
	return true;
}

/* The longest name a --group substitution may make (bytes, with its NUL). */
enum { ENDPOINT_NAME_MAX = 64 * 1024 };

char *endpoint_rules_apply(const struct endpoint_rules *r, const char *name, size_t len,
			   struct diag *d)
{
	if (!r || r->count == 0)
		return NULL;
	char *current = NULL; /* NULL: still the caller's name */
	size_t current_len = len;
	for (size_t i = 0; i < r->count; i++) {
		struct rule *rule = &r->rules[i];
		const char *subject = current ? current : name;
		PCRE2_SIZE out_len = current_len * 2 + strlen(rule->replacement) + 64;
		char *out = xmalloc(out_len);
		int rc;
		bool too_long = false;
		for (;;) {
			PCRE2_SIZE cap = out_len;
			rc = pcre2_substitute(rule->code, (PCRE2_SPTR)subject, current_len, 0,
					      PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
					      NULL, r->context, (PCRE2_SPTR)rule->replacement,
					      PCRE2_ZERO_TERMINATED, (PCRE2_UCHAR *)out, &cap);
			if (rc != PCRE2_ERROR_NOMEMORY)
				break;
			/* a rule such as '(.)=$1$1' doubles a name; a chain of them must not explode */
			if (cap > ENDPOINT_NAME_MAX) {
				too_long = true;
				break;
			}
			out_len = cap; /* the length it needs, with OVERFLOW_LENGTH */
			out = xrealloc(out, out_len);
		}
		too_long = too_long || (rc > 0 && strlen(out) >= ENDPOINT_NAME_MAX);
		if (too_long) {
			free(out);
			if (!rule->limit_reported)
				diag_report(d, DIAG_GROUP_MATCH_LIMIT, NULL,
					    "--group '%s' would make a name longer than %d bytes of "
					    "'%.*s'; the rule is skipped for such names", rule->text,
					    ENDPOINT_NAME_MAX, (int)(len > 80 ? 80 : len), name);
			rule->limit_reported = true;
			continue;
		}
		if (rc > 0) {
			free(current);
			current = out;
			current_len = strlen(out);
			continue;
		}
		free(out);
		if (rc == 0 || rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (!rule->limit_reported) {
			PCRE2_UCHAR message[256];
			pcre2_get_error_message(rc, message, sizeof message);
			diag_report(d, DIAG_GROUP_MATCH_LIMIT, NULL,
				    "--group '%s' gave up on '%.*s': %s; the rule is skipped for "
				    "such names", rule->text, (int)(len > 80 ? 80 : len), name,
				    (const char *)message);
			rule->limit_reported = true;
		}
	}
	return current;
}

void endpoint_rules_free(struct endpoint_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++) {
		free(r->rules[i].text);
		free(r->rules[i].replacement);
		pcre2_code_free(r->rules[i].code);
	}
	free(r->rules);
	pcre2_match_context_free(r->context);
	free(r);
}

const char *endpoint_rules_text(const struct endpoint_rules *r, size_t index)
{
	return r->rules[index].text;
}
