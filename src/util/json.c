/*
 * json.c - Jansson glue and the JSON Pointer locator (see json.h).
 *
 * The locator walks the raw bytes with a tiny scanner (whitespace, strings with escapes,
 * nested containers) and never builds a tree; it only has to be right on documents Jansson
 * already accepted, so it trusts their syntax and simply stops (not found) on anything odd.
 * Keys are compared after decoding their escapes, \u ones (and surrogate pairs) to UTF-8 as
 * Jansson decodes them, so a pointer built from Jansson's key finds it, through
 * json_decode_escape (json.h): the one JSON escape decoder of the program, which the k6 NDJSON
 * reader and the budget text map use too, each deciding what to do with a malformed escape.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Jansson over the source's body (after a BOM), with the decoding flags every reader uses. */
static json_t *load(const struct source *src, size_t flags, json_error_t *error)
{
	return json_loadb(src->bytes + src->body, src->len - src->body,
			  JSON_DECODE_ANY | JSON_ALLOW_NUL | flags, error);
}

/* Where the duplicate member name Jansson refused is: the whole name, quotes included. */
static void locate_duplicate(struct source *src, const json_error_t *error, struct diag_loc *loc)
{
	size_t body = src->body;
	/* Jansson stops on the name's closing quote */
	size_t end = body + (error->position > 0 ? (size_t)error->position - 1 : 0);
	end = end < src->len ? end : src->len;
	size_t start = end;
	while (start > body && !(src->bytes[start - 1] == '"' && start - 1 < end &&
				 (start < 2 || src->bytes[start - 2] != '\\')))
		start--;
	start = start > body ? start - 1 : body;
	source_locate(src, start, end - start + 1, loc);
}

/* Reports a duplicate member name Jansson refused, at the whole name. */
static void report_duplicate(struct source *src, const json_error_t *error, struct diag *d)
{
	struct diag_loc loc;
	locate_duplicate(src, error, &loc);
	diag_report(d, DIAG_DUPLICATE_KEY, &loc,
		    "%s: the last value is the one read (later duplicates are not said)",
		    error->text);
}

/*
 * Inputs: a duplicate member name is legal JSON to Jansson, which keeps the last value; the
 * first read refuses duplicates, so when an input has one, it is said (a warning at the key,
 * with which value counts) and the input is read again the lenient way. A document without
 * duplicates is read once.
 */
json_t *json_parse_source(struct source *src, struct diag *d)
{
	json_error_t error;
	json_t *root = load(src, JSON_REJECT_DUPLICATES, &error);
	if (root)
		return root;
	if (json_error_code(&error) == json_error_duplicate_key)
		report_duplicate(src, &error, d);
	return json_parse_source_flags(src, 0, d);
}

json_t *json_parse_source_flags(struct source *src, size_t flags, struct diag *d)
{
	json_error_t error;
	size_t body = src->body;
	json_t *root = load(src, flags, &error);
	if (root)
		return root;
	struct diag_loc loc;
	size_t offset = body + (error.position > 0 ? (size_t)error.position : 0);
	/*
	 * Jansson's position is just past the offending token: step back onto it. Not when the
	 * input ended first (the position is then the end, where something was missing), nor
	 * where Jansson reports at the byte itself: a byte that is not UTF-8, or a control
	 * character in a string, which it puts back before it reports.
	 */
	enum json_error_code code = json_error_code(&error);
	bool at_end = code == json_error_premature_end_of_input ||
		      strstr(error.text, "near end of file") != NULL;
	bool at_byte = code == json_error_invalid_utf8 ||
		       strncmp(error.text, "control character", 17) == 0 ||
		       strncmp(error.text, "unexpected newline", 18) == 0;
	if (offset > body && !at_end && !at_byte)
		offset--;
	if (offset > src->len)
		offset = src->len;
	if (src->len == body) {
		loc = source_file_loc(src->name);
		diag_report(d, DIAG_JSON_SYNTAX, &loc, "not valid JSON: the input is empty");
		return NULL;
	}
	if (json_error_code(&error) == json_error_duplicate_key)
		locate_duplicate(src, &error, &loc); /* at the second name, not its closing quote */
	else
		source_locate(src, offset, 1, &loc);
	diag_report(d, DIAG_JSON_SYNTAX, &loc, "not valid JSON: %s", error.text);
	return NULL;
}

void json_scan_ws(struct json_scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/*
 * At '"': decodes the string into out (NULL: skips it) and moves past it. A malformed escape
 * decodes to its stand-in (json_escape.cp, one byte), so the scan goes on.
 */
bool json_scan_string(struct json_scan *s, struct buf *out)
{
	if (s->p >= s->end || *s->p != '"')
		return false;
	s->p++;
	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\' && s->end - s->p >= 2) {
			struct json_escape e = json_decode_escape(s->p, s->end);
			s->p += e.raw;
			if (out && e.width == 1)
				buf_putc(out, (char)e.cp); /* a stand-in byte may be >= 0x80 */
			else if (out)
				buf_put_utf8(out, e.cp);
			continue;
		}
		if (out)
			buf_putc(out, *s->p);
		s->p++;
	}
	if (s->p >= s->end)
		return false;
	s->p++;
	return true;
}

bool json_scan_value(struct json_scan *s)
{
	json_scan_ws(s);
	if (s->p >= s->end)
		return false;
	if (*s->p == '"')
		return json_scan_string(s, NULL);
	if (*s->p == '{' || *s->p == '[') {
		int depth = 0;
		while (s->p < s->end) {
			char c = *s->p;
			if (c == '"') {
				if (!json_scan_string(s, NULL))
					return false;
				continue;
			}
			s->p++;
			if (c == '{' || c == '[')
				depth++;
			else if ((c == '}' || c == ']') && --depth == 0)
				return true;
		}
		return false;
	}
	while (s->p < s->end && !strchr(",]} \t\r\n", *s->p))
		s->p++;
	return true;
}

/* Decodes the next pointer token (RFC 6901 ~0 ~1) from *pointer into out. */
static bool next_token(const char **pointer, struct buf *out)
{
	if (**pointer != '/')
		return false;
	(*pointer)++;
	buf_clear(out);
	buf_puts(out, "");
	while (**pointer && **pointer != '/') {
		if (**pointer == '~' && ((*pointer)[1] == '0' || (*pointer)[1] == '1')) {
			buf_putc(out, (*pointer)[1] == '0' ? '~' : '/');
			*pointer += 2;
		} else {
			buf_putc(out, *(*pointer)++);
		}
	}
	return true;
}

/* After a member or an element: 1 past a ',' (another follows), 0 past close, else -1. */
static int after_item(struct json_scan *s, char close)
{
	json_scan_ws(s);
	if (s->p < s->end && (*s->p == ',' || *s->p == close))
		return *s->p++ == ',';
	return -1;
}

int json_scan_members(struct json_scan *s,
		      int (*member)(struct json_scan *s, const char *key, void *ctx), void *ctx)
{
	json_scan_ws(s);
	if (s->p >= s->end || *s->p != '{')
		return -1;
	s->p++;
	json_scan_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	struct buf key;
	buf_init(&key);
	int result = -1;
	for (;;) {
		json_scan_ws(s);
		buf_clear(&key);
		buf_puts(&key, "");
		s->key = s->p;
		if (!json_scan_string(s, &key))
			break;
		json_scan_ws(s);
		if (s->p >= s->end || *s->p != ':')
			break;
		s->p++;
		json_scan_ws(s);
		int got = s->p < s->end ? member(s, key.data, ctx) : -1;
		if (got != 0) {
			result = got;
			break;
		}
		int after = after_item(s, '}');
		if (after > 0)
			continue;
		result = after;
		break;
	}
	buf_fini(&key);
	return result;
}

int json_scan_elements(struct json_scan *s,
		       int (*element)(struct json_scan *s, size_t i, void *ctx), void *ctx)
{
	json_scan_ws(s);
	if (s->p >= s->end || *s->p != '[')
		return -1;
	s->p++;
	for (size_t i = 0;; i++) {
		json_scan_ws(s);
		if (s->p >= s->end)
			return -1;
		if (*s->p == ']') { /* the end of [], or a ']' after a ',' (not JSON) */
			s->p++;
			return i == 0 ? 0 : -1;
		}
		int got = element(s, i, ctx);
		if (got != 0)
			return got;
		int after = after_item(s, ']');
		if (after <= 0)
			return after;
	}
}

/* descend's element: stops at the one with the index it is given, skips the others. */
static int indexed(struct json_scan *s, size_t i, void *index)
{
	if (i == *(size_t *)index)
		return 1;
	return json_scan_value(s) ? 0 : -1;
}

/* descend's member: stops at the one named token, skips the others. */
static int named(struct json_scan *s, const char *key, void *token)
{
	if (strcmp(key, token) == 0)
		return 1;
	return json_scan_value(s) ? 0 : -1;
}

static bool descend(struct json_scan *s, const char *token)
{
	json_scan_ws(s);
	if (s->p >= s->end)
		return false;
	if (*s->p == '{')
		return json_scan_members(s, named, (void *)token) == 1;
	if (*s->p == '[') {
		char *end;
		long index = strtol(token, &end, 10);
		if (*token == '\0' || *end != '\0' || index < 0)
			return false;
		size_t at = (size_t)index;
		return json_scan_elements(s, indexed, &at) == 1;
	}
	return false;
}

/*
 * Moves s to the value named by pointer, with s->key at its member name when the last token
 * names an object member (NULL for an array element or the root); false when a token of the
 * pointer names nothing.
 */
static bool walk(const struct source *src, const char *pointer, struct json_scan *s)
{
	*s = (struct json_scan){src->bytes + src->body, src->bytes + src->len, NULL};
	struct buf token;
	buf_init(&token);
	bool ok = true;
	while (ok && *pointer) {
		s->key = NULL; /* set again only when this token names an object member */
		ok = next_token(&pointer, &token) && descend(s, token.data);
	}
	buf_fini(&token);
	json_scan_ws(s);
	return ok && s->p < s->end;
}

void json_positions_free(struct json_positions *p)
{
	for (size_t i = 0; i < p->count; i++)
		free(p->at[i].pointer);
	free(p->at);
	*p = (struct json_positions){0};
}

/* The position kept for pointer in a YAML document's map, or NULL. */
static const struct json_position *position_of(const struct source *src, const char *pointer)
{
	for (size_t i = 0; i < src->positions->count; i++)
		if (strcmp(src->positions->at[i].pointer, pointer) == 0)
			return &src->positions->at[i];
	return NULL;
}

bool json_locate(struct source *src, const char *pointer, struct diag_loc *loc)
{
	if (src->positions) {
		const struct json_position *p = position_of(src, pointer);
		if (!p) {
			*loc = source_file_loc(src->name);
			return false;
		}
		source_locate(src, p->offset, p->span, loc);
		return true;
	}
	struct json_scan s;
	if (!walk(src, pointer, &s)) {
		*loc = source_file_loc(src->name);
		return false;
	}
	const char *start = s.p;
	size_t span = 1;
	if (*start != '{' && *start != '[' && json_scan_value(&s))
		span = (size_t)(s.p - start);
	source_locate(src, (size_t)(start - src->bytes), span, loc);
	return true;
}

bool json_locate_offset(const struct source *src, const char *pointer, size_t *offset)
{
	if (src->positions) {
		const struct json_position *p = position_of(src, pointer);
		if (p)
			*offset = p->offset;
		return p != NULL;
	}
	struct json_scan s;
	if (!walk(src, pointer, &s))
		return false;
	*offset = (size_t)(s.p - src->bytes);
	return true;
}

bool json_locate_key_offset(const struct source *src, const char *pointer, size_t *offset)
{
	if (src->positions) {
		const struct json_position *p = position_of(src, pointer);
		if (p && p->key_span)
			*offset = p->key_offset;
		return p && p->key_span;
	}
	struct json_scan s;
	if (!walk(src, pointer, &s) || !s.key)
		return false;
	*offset = (size_t)(s.key - src->bytes);
	return true;
}

/* The span of the member name pointer ends with: its bytes, quotes included; 0 when none. */
size_t json_locate_key_span(const struct source *src, const char *pointer, const char *key)
{
	if (src->positions) {
		const struct json_position *p = position_of(src, pointer);
		return p ? p->key_span : 0;
	}
	return strlen(key) + 2;
}

bool json_locate_text(const struct source *src, const char *pointer, bool member_name,
		      size_t *offset, enum json_text_style *style)
{
	if (src->positions) {
		const struct json_position *p = position_of(src, pointer);
		if (!p || (member_name && !p->key_span))
			return false;
		*offset = member_name ? p->key_text_offset : p->text_offset;
		*style = member_name ? p->key_style : p->style;
		return true;
	}
	size_t at;
	bool found = member_name ? json_locate_key_offset(src, pointer, &at)
				 : json_locate_offset(src, pointer, &at);
	if (!found || at >= src->len || src->bytes[at] != '"')
		return false;
	*offset = at + 1;
	*style = JSON_TEXT_JSON;
	return true;
}

void json_report(struct diag *d, enum diag_id id, struct source *src, const char *pointer,
		 const char *fmt, ...)
{
	struct diag_loc loc;
	json_locate(src, pointer, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, id, &loc, fmt, ap);
	va_end(ap);
}

char *json_pointer_member(const char *parent, const char *key)
{
	struct buf pointer;
	buf_init(&pointer);
	buf_puts(&pointer, parent);
	buf_putc(&pointer, '/');
	for (const char *k = key; *k; k++) {
		if (*k == '~')
			buf_puts(&pointer, "~0");
		else if (*k == '/')
			buf_puts(&pointer, "~1");
		else
			buf_putc(&pointer, *k);
	}
	return buf_take(&pointer);
}

const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* The getters' common part: absent/null, right type, or a reported type error. */
static enum json_found check_member(struct diag *d, struct source *src, const char *pointer,
				    const char *key, json_t *v, bool right_type, const char *wanted)
{
	if (!v || json_is_null(v))
		return JSON_ABSENT;
	if (right_type)
		return JSON_FOUND;
	char *member = json_pointer_member(pointer, key);
	json_report(d, DIAG_JSON_TYPE, src, member, "'%s' must be %s, not %s", key, wanted,
		    json_type_name(v));
	free(member);
	return JSON_WRONG;
}

enum json_found json_get_number(struct diag *d, struct source *src, const char *pointer,
				json_t *object, const char *key, double *out)
{
	json_t *v = json_object_get(object, key);
	enum json_found f = check_member(d, src, pointer, key, v, json_is_number(v), "a number");
	if (f == JSON_FOUND)
		*out = json_number_value(v);
	return f;
}

enum json_found json_get_string(struct diag *d, struct source *src, const char *pointer,
				json_t *object, const char *key, const char **out)
{
	json_t *v = json_object_get(object, key);
	enum json_found f = check_member(d, src, pointer, key, v, json_is_string(v), "a string");
	if (f == JSON_FOUND)
		*out = json_string_value(v);
	return f;
}
