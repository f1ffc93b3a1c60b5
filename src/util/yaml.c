/*
 * yaml.c - YAML documents as Jansson values with their positions (yaml.h).
 *
 * libyaml's parser gives events (mapping start, scalar, alias ...) with marks: line and column
 * counted in characters from 0. The reader keeps a stack of open containers, turns each
 * scalar into the value the core schema says, and records where every value (and member name)
 * sits as byte offsets, found from the marks through a table of line starts. Anchored values
 * are kept by name; an alias is a deep copy of its anchor's value whose positions are the
 * anchor's, filed again under the alias's pointer. Merge keys ("<<") are applied when their
 * mapping ends, so keys written in the mapping win wherever they stand.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yaml.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

struct anchor {
	char *name;
	json_t *value;    /* a reference the reader holds */
	char *pointer;    /* where it was written: its positions are filed under this */
	size_t nodes;     /* values in it */
};

/* An open container: the value, its pointer, and (mappings) the key waiting for its value. */
struct frame {
	json_t *value;
	char *pointer;
	char *anchor;          /* the anchor it is to be filed under when it ends; heap or NULL */
	size_t nodes_at_start; /* r->nodes when it opened */
	char *key;             /* a mapping's pending key; heap */
	struct json_position key_at; /* where it was written: its key_* fields */
	bool merge_pending;    /* the pending key is "<<" */
	json_t *merges;        /* values of "<<" keys, applied at the end; NULL when none */
	char **merge_pointers; /* where each merged mapping was written */
	size_t merge_count;
};

struct reader {
	struct source *src;
	struct json_positions *positions;
	struct diag *d;
	size_t *lines;         /* byte offset of each line's start (from the body) */
	size_t line_count;
	struct frame *stack;
	size_t depth, cap;
	struct anchor *anchors;
	size_t anchor_count;
	size_t nodes;          /* values made so far, aliases expanded */
	json_t *root;
	bool failed;
};

bool yaml_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return false;
	char ext[6] = {0};
	for (size_t i = 0; i < 5 && dot[1 + i]; i++)
		ext[i] = (char)(dot[1 + i] | 0x20);
	return strlen(dot + 1) <= 4 && (strcmp(ext, "yaml") == 0 || strcmp(ext, "yml") == 0);
}

/* ---- positions ---- */

/* The byte offset of a libyaml mark (line, and column in characters, from 0). */
static size_t mark_offset(const struct reader *r, yaml_mark_t m)
{
	if (m.line >= r->line_count)
		return r->src->len;
	const char *p = r->src->bytes + r->lines[m.line], *end = r->src->bytes + r->src->len;
	for (size_t c = 0; c < m.column && p < end && *p != '\n'; c++) {
		p++;
		while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
			p++;
	}
	return (size_t)(p - r->src->bytes);
}

static void index_lines(struct reader *r)
{
	size_t cap = 16;
	r->lines = xmalloc(cap * sizeof *r->lines);
	r->lines[r->line_count++] = r->src->body;
	for (size_t i = r->src->body; i < r->src->len; i++) {
		bool brk = r->src->bytes[i] == '\n' ||
			   (r->src->bytes[i] == '\r' &&
			    (i + 1 == r->src->len || r->src->bytes[i + 1] != '\n'));
		if (!brk)
			continue;
		r->lines = xgrow(r->lines, &cap, r->line_count + 1, sizeof *r->lines);
		r->lines[r->line_count++] = i + 1;
	}
}

static struct json_position *add_position(struct reader *r, const char *pointer)
{
	struct json_positions *p = r->positions;
	p->at = xgrow(p->at, &p->cap, p->count + 1, sizeof *p->at);
	struct json_position *at = &p->at[p->count++];
	*at = (struct json_position){0};
	at->pointer = xstrdup(pointer);
	return at;
}

/* Gives p the member name's position key holds (its key_* fields). */
static void set_key_position(struct json_position *p, const struct json_position *key)
{
	p->key_offset = key->key_offset;
	p->key_span = key->key_span;
	p->key_text_offset = key->key_text_offset;
	p->key_style = key->key_style;
}

/*
 * Files the positions recorded under `from` again under `to` (an alias, or a merged member),
 * the member name of the first (the value itself) taken from key when it is not NULL.
 */
static void copy_positions(struct reader *r, const char *from, const char *to,
			   const struct json_position *key)
{
	size_t n = r->positions->count, len = strlen(from);
	for (size_t i = 0; i < n; i++) {
		struct json_position p = r->positions->at[i];
		if (strncmp(p.pointer, from, len) != 0 || (p.pointer[len] && p.pointer[len] != '/'))
			continue;
		char *pointer = xasprintf("%s%s", to, p.pointer + len);
		struct json_position *at = add_position(r, pointer);
		free(pointer);
		char *keep = at->pointer;
		*at = p;
		at->pointer = keep;
		if (!p.pointer[len] && key)
			set_key_position(at, key);
	}
}

/* ---- errors ---- */

static void fail_at(struct reader *r, size_t offset, size_t span, const char *fmt, ...)
	PG_PRINTF(4, 5);
static void fail_at(struct reader *r, size_t offset, size_t span, const char *fmt, ...)
{
	if (r->failed)
		return; /* one error: what follows the first is often its echo */
	r->failed = true;
	struct diag_loc loc;
	source_locate(r->src, offset, span ? span : 1, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(r->d, DIAG_YAML_SYNTAX, &loc, fmt, ap);
	va_end(ap);
}

/* ---- scalars: the core schema ---- */

static bool all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

static bool is_float_text(const char *s)
{
	const char *p = s + (*s == '-' || *s == '+');
	size_t digits = strspn(p, "0123456789");
	p += digits;
	if (*p == '.') {
		size_t frac = strspn(p + 1, "0123456789");
		if (!digits && !frac)
			return false;
		p += 1 + frac;
	} else if (!digits) {
		return false;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		p += *p == '-' || *p == '+';
		if (!all_of(p, "0123456789"))
			return false;
		p += strlen(p);
	}
	return *p == '\0';
}

/* An integer of the core schema into *out; false when s is no integer or too large. */
static bool int_value(const char *s, json_int_t *out, bool *too_large)
{
	int base = 10;
	const char *digits = s + (*s == '-' || *s == '+');
	if (strncmp(s, "0x", 2) == 0 && all_of(s + 2, "0123456789abcdefABCDEF"))
		base = 16, digits = s + 2;
	else if (strncmp(s, "0o", 2) == 0 && all_of(s + 2, "01234567"))
		base = 8, digits = s + 2;
	else if (!all_of(digits, "0123456789"))
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(base == 10 ? s : digits, &end, base);
	*too_large = errno == ERANGE;
	*out = (json_int_t)v;
	return true;
}

static bool one_of(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

/* The value of a scalar event, as its tag or (plain, untagged) the core schema says. */
static json_t *scalar_value(struct reader *r, const yaml_event_t *e, size_t offset, size_t span)
{
	const char *text = (const char *)e->data.scalar.value;
	size_t len = e->data.scalar.length;
	const char *tag = (const char *)e->data.scalar.tag;
	bool plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
	static const char *const trues[] = {"true", "True", "TRUE"};
	static const char *const falses[] = {"false", "False", "FALSE"};
	static const char *const infinities[] = {".inf", "+.inf", "-.inf", ".Inf", "+.Inf", "-.Inf",
						 ".INF", "+.INF", "-.INF", ".nan", ".NaN", ".NAN"};
	const char *kind = NULL; /* the tag's name after TAG_PREFIX, or NULL: resolve */
	if (tag && strcmp(tag, "!") != 0) {
		if (strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) != 0 ||
		    !one_of(tag + strlen(TAG_PREFIX),
			    (const char *const[]){"str", "int", "float", "bool", "null"}, 5)) {
			fail_at(r, offset, span, "the tag '%s' has no meaning in a budget file (known: "
				"!!str, !!int, !!float, !!bool, !!null)", tag);
			return NULL;
		}
		kind = tag + strlen(TAG_PREFIX);
	} else if (!plain || tag) {
		kind = "str"; /* quoted, block, or "!": a string */
	}
	if (strlen(text) != len) {
		fail_at(r, offset, span, "a NUL character in a scalar");
		return NULL;
	}
	if (kind && strcmp(kind, "str") == 0)
		return json_stringn(text, len);
	if ((!kind || strcmp(kind, "null") == 0) && one_of(text, nulls, 5))
		return json_null();
	if ((!kind || strcmp(kind, "bool") == 0) && one_of(text, trues, 3))
		return json_true();
	if ((!kind || strcmp(kind, "bool") == 0) && one_of(text, falses, 3))
		return json_false();
	json_int_t i;
	bool too_large = false;
	if ((!kind || strcmp(kind, "int") == 0) && int_value(text, &i, &too_large)) {
		if (!too_large)
			return json_integer(i);
		if (strcmp(kind ? kind : "", "int") == 0 || !is_float_text(text)) {
			fail_at(r, offset, span, "the integer %s is too large", text);
			return NULL;
		}
	}
	if ((!kind || strcmp(kind, "float") == 0) && one_of(text, infinities, 12)) {
		fail_at(r, offset, span, "%s has no JSON form: a budget's numbers are finite", text);
		return NULL;
	}
	if ((!kind || strcmp(kind, "float") == 0) && is_float_text(text)) {
		double v = strtod(text, NULL);
		if (!isfinite(v)) {
			fail_at(r, offset, span, "the number %s is too large", text);
			return NULL;
		}
		return json_real(v);
	}
	if (kind) {
		fail_at(r, offset, span, "'%s' is not a value of the tag !!%s", text, kind);
		return NULL;
	}
	return json_stringn(text, len);
}

/* Where a scalar's text starts (the byte of its first character) and how it decodes. */
static void scalar_text(const struct reader *r, const yaml_event_t *e, size_t offset,
			size_t *text_offset, enum json_text_style *style)
{
	*text_offset = offset;
	switch (e->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		*style = JSON_TEXT_SINGLE;
		*text_offset = offset + 1;
		break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		*style = JSON_TEXT_DOUBLE;
		*text_offset = offset + 1;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE: {
		/* the text starts on the line after the indicator's ("|", "|-", ">2" ...) */
		*style = e->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ? JSON_TEXT_LITERAL
									 : JSON_TEXT_FOLDED;
		const char *p = memchr(r->src->bytes + offset, '\n', r->src->len - offset);
		*text_offset = p ? (size_t)(p - r->src->bytes) + 1 : r->src->len;
		break;
	}
	default:
		*style = JSON_TEXT_PLAIN;
		break;
	}
}

/* ---- building ---- */

static struct frame *top(struct reader *r)
{
	return r->depth ? &r->stack[r->depth - 1] : NULL;
}

/* The pointer the next value gets: its parent's plus the pending key or the next index. */
static char *next_pointer(struct reader *r)
{
	struct frame *f = top(r);
	if (!f)
		return xstrdup("");
	if (json_is_array(f->value)) {
		char index[24];
		snprintf(index, sizeof index, "%zu", json_array_size(f->value));
		return json_pointer_member(f->pointer, index);
	}
	return json_pointer_member(f->pointer, f->key);
}

/* Counts n more values; false (reported) past YAML_MAX_NODES. */
static bool count_nodes(struct reader *r, size_t n, size_t offset, size_t span)
{
	if (n > YAML_MAX_NODES - r->nodes) {
		fail_at(r, offset, span,
			"the document expands to more than %d values (aliases included): refused, "
			"as a file that grows by aliases would exhaust memory", YAML_MAX_NODES);
		return false;
	}
	r->nodes += n;
	return true;
}

static void file_anchor(struct reader *r, const char *name, json_t *value, const char *pointer,
			size_t nodes)
{
	for (size_t i = 0; i < r->anchor_count; i++)
		if (strcmp(r->anchors[i].name, name) == 0) { /* redefined: the later one counts */
			json_decref(r->anchors[i].value);
			free(r->anchors[i].pointer);
			r->anchors[i].value = json_incref(value);
			r->anchors[i].pointer = xstrdup(pointer);
			r->anchors[i].nodes = nodes;
			return;
		}
	r->anchors = xrealloc(r->anchors, (r->anchor_count + 1) * sizeof *r->anchors);
	r->anchors[r->anchor_count++] = (struct anchor){xstrdup(name), json_incref(value),
							xstrdup(pointer), nodes};
}

/*
 * Places value (a new reference, taken) in the open container: as the pending key's member,
 * the next element, or the root; a "<<" key's value (written at `from`) waits for the
 * mapping's end.
 */
static void place(struct reader *r, json_t *value, const char *from)
{
	struct frame *f = top(r);
	if (!f) {
		r->root = value;
		return;
	}
	if (json_is_array(f->value)) {
		json_array_append_new(f->value, value);
		return;
	}
	if (f->merge_pending) {
		if (!f->merges)
			f->merges = json_array();
		/* a sequence of mappings merges each; the first one listed wins a key */
		size_t n = json_is_array(value) ? json_array_size(value) : 1;
		for (size_t i = 0; i < n; i++) {
			json_array_append(f->merges, json_is_array(value) ? json_array_get(value, i)
									   : value);
			f->merge_pointers = xrealloc(f->merge_pointers,
						     (f->merge_count + 1) * sizeof *f->merge_pointers);
			f->merge_pointers[f->merge_count++] =
				json_is_array(value) ? xasprintf("%s/%zu", from, i) : xstrdup(from);
		}
		json_decref(value);
	} else {
		json_object_set_new_nocheck(f->value, f->key, value);
	}
	free(f->key);
	f->key = NULL;
	f->merge_pending = false;
}

/* A scalar as a mapping key: duplicates refused, "<<" marked as a merge. */
static void take_key(struct reader *r, struct frame *f, const yaml_event_t *e, size_t offset,
		     size_t span)
{
	const char *key = (const char *)e->data.scalar.value;
	if (strlen(key) != e->data.scalar.length) {
		fail_at(r, offset, span, "a NUL character in a key");
		return;
	}
	bool merge = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strcmp(key, "<<") == 0 &&
		     !e->data.scalar.tag;
	if (!merge && json_object_get(f->value, key)) {
		char *pointer = json_pointer_member(f->pointer, key);
		size_t first = 0;
		json_locate_key_offset(r->src, pointer, &first);
		struct diag_loc at;
		source_locate(r->src, first, 1, &at);
		free(pointer);
		fail_at(r, offset, span,
			"not valid YAML for a budget: duplicate key '%s' (first at line %llu): a key "
			"given twice would silently drop the first value", key,
			(unsigned long long)at.line);
		return;
	}
	f->key = xstrdup(key);
	f->merge_pending = merge;
	f->key_at.key_offset = offset;
	f->key_at.key_span = span;
	scalar_text(r, e, offset, &f->key_at.key_text_offset, &f->key_at.key_style);
}

/* Records the position of a value that was just made at pointer. */
static struct json_position *record(struct reader *r, const char *pointer, size_t offset,
				    size_t span)
{
	struct json_position *p = add_position(r, pointer);
	p->offset = offset;
	p->span = span;
	struct frame *f = top(r);
	if (f && json_is_object(f->value) && f->key)
		set_key_position(p, &f->key_at);
	return p;
}

/* A mapping's merges, applied at its end: members it lacks, the first merge's first. */
static void apply_merges(struct reader *r, struct frame *f)
{
	for (size_t m = 0; m < f->merge_count; m++) {
		json_t *from = json_array_get(f->merges, m);
		if (!json_is_object(from)) {
			size_t offset = 0;
			json_locate_offset(r->src, f->merge_pointers[m], &offset);
			fail_at(r, offset, 1, "a merge key (<<) takes a mapping or a list of mappings");
			return;
		}
		const char *key;
		json_t *value;
		json_object_foreach(from, key, value) {
			if (json_object_get(f->value, key))
				continue;
			json_object_set_nocheck(f->value, key, value);
			char *src_pointer = json_pointer_member(f->merge_pointers[m], key);
			char *dst_pointer = json_pointer_member(f->pointer, key);
			copy_positions(r, src_pointer, dst_pointer, NULL);
			free(src_pointer);
			free(dst_pointer);
		}
	}
}

static void open_container(struct reader *r, json_t *value, const yaml_event_t *e,
			   const char *anchor)
{
	size_t offset = mark_offset(r, e->start_mark);
	struct frame *f = top(r);
	if (f && json_is_object(f->value) && !f->key) {
		fail_at(r, offset, 1, "a %s as a mapping key: keys are scalars",
			json_is_object(value) ? "mapping" : "list");
		json_decref(value);
		return;
	}
	char *pointer = next_pointer(r);
	record(r, pointer, offset, 1);
	if (!count_nodes(r, 1, offset, 1)) {
		json_decref(value);
		free(pointer);
		return;
	}
	r->stack = xgrow(r->stack, &r->cap, r->depth + 1, sizeof *r->stack);
	r->stack[r->depth++] = (struct frame){.value = value, .pointer = pointer,
					      .anchor = anchor ? xstrdup(anchor) : NULL,
					      .nodes_at_start = r->nodes - 1};
}

static void frame_free(struct frame *f)
{
	free(f->pointer);
	free(f->anchor);
	free(f->key);
	json_decref(f->merges);
	for (size_t i = 0; i < f->merge_count; i++)
		free(f->merge_pointers[i]);
	free(f->merge_pointers);
}

static void close_container(struct reader *r)
{
	struct frame f = r->stack[--r->depth];
	if (json_is_object(f.value) && f.merges)
		apply_merges(r, &f);
	if (f.anchor)
		file_anchor(r, f.anchor, f.value, f.pointer, r->nodes - f.nodes_at_start);
	/* the mapping it sits in still holds its key (place clears it) */
	place(r, f.value, f.pointer);
	frame_free(&f);
}

static void alias(struct reader *r, const yaml_event_t *e)
{
	size_t offset = mark_offset(r, e->start_mark);
	size_t span = mark_offset(r, e->end_mark) - offset;
	const char *name = (const char *)e->data.alias.anchor;
	const struct anchor *a = NULL;
	for (size_t i = 0; i < r->anchor_count && !a; i++)
		if (strcmp(r->anchors[i].name, name) == 0)
			a = &r->anchors[i];
	if (!a) {
		fail_at(r, offset, span, "the alias *%s names no anchor defined before it", name);
		return;
	}
	struct frame *f = top(r);
	if (f && json_is_object(f->value) && !f->key) {
		fail_at(r, offset, span, "an alias as a mapping key: keys are written out");
		return;
	}
	if (!count_nodes(r, a->nodes, offset, span))
		return;
	bool member = f && json_is_object(f->value);
	if (!(member && f->merge_pending)) { /* a merge's values are placed at the mapping's end */
		char *pointer = next_pointer(r);
		copy_positions(r, a->pointer, pointer, member ? &f->key_at : NULL);
		free(pointer);
	}
	place(r, json_deep_copy(a->value), a->pointer);
}

static void scalar(struct reader *r, const yaml_event_t *e)
{
	size_t offset = mark_offset(r, e->start_mark);
	size_t end = mark_offset(r, e->end_mark);
	size_t span = end > offset ? end - offset : 1;
	struct frame *f = top(r);
	if (f && json_is_object(f->value) && !f->key) {
		if (e->data.scalar.anchor) {
			fail_at(r, offset, span, "an anchor on a mapping key: anchor values instead");
			return;
		}
		take_key(r, f, e, offset, span);
		return;
	}
	if (!count_nodes(r, 1, offset, span))
		return;
	json_t *value = scalar_value(r, e, offset, span);
	if (!value)
		return;
	char *pointer = next_pointer(r);
	struct json_position *p = record(r, pointer, offset, span);
	scalar_text(r, e, offset, &p->text_offset, &p->style);
	if (e->data.scalar.anchor)
		file_anchor(r, (const char *)e->data.scalar.anchor, value, pointer, 1);
	place(r, value, pointer);
	free(pointer);
}

/* One event; false once the document is read or reading failed. */
static bool handle(struct reader *r, const yaml_event_t *e, size_t *documents)
{
	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*documents > 1) {
			size_t offset = mark_offset(r, e->start_mark);
			fail_at(r, offset, 3, "a budget file holds one YAML document; this is a second");
		}
		break;
	case YAML_MAPPING_START_EVENT:
		open_container(r, json_object(), e, (const char *)e->data.mapping_start.anchor);
		break;
	case YAML_SEQUENCE_START_EVENT:
		open_container(r, json_array(), e, (const char *)e->data.sequence_start.anchor);
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		close_container(r);
		break;
	case YAML_SCALAR_EVENT:
		scalar(r, e);
		break;
	case YAML_ALIAS_EVENT:
		alias(r, e);
		break;
	case YAML_STREAM_END_EVENT:
		return false;
	default:
		break;
	}
	return !r->failed;
}

json_t *yaml_parse_source(struct source *src, struct json_positions *positions,
			  struct diag *d)
{
	*positions = (struct json_positions){0};
	struct reader r = {.src = src, .positions = positions, .d = d};
	src->positions = positions; /* the duplicate-key check looks up the first key */
	index_lines(&r);
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->bytes + src->body,
				     src->len - src->body);
	size_t documents = 0;
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&parser, &e)) {
			size_t offset = mark_offset(&r, parser.problem_mark);
			char started[64] = "";
			if (parser.context)
				snprintf(started, sizeof started, " that starts at line %zu, column %zu",
					 parser.context_mark.line + 1, parser.context_mark.column + 1);
			fail_at(&r, offset, 1, "not valid YAML: %s%s%s%s",
				parser.problem ? parser.problem : "a syntax error",
				parser.context ? " " : "", parser.context ? parser.context : "",
				started);
			break;
		}
		bool more = handle(&r, &e, &documents);
		yaml_event_delete(&e);
		if (!more)
			break;
	}
	yaml_parser_delete(&parser);
	while (r.depth > 0) {
		json_decref(r.stack[r.depth - 1].value);
		frame_free(&r.stack[--r.depth]);
	}
	free(r.stack);
	for (size_t i = 0; i < r.anchor_count; i++) {
		free(r.anchors[i].name);
		free(r.anchors[i].pointer);
		json_decref(r.anchors[i].value);
	}
	free(r.anchors);
	free(r.lines);
	if (r.failed || !r.root) {
		if (!r.failed) /* an empty file: no document at all */
			fail_at(&r, src->body, 1, "the file holds no YAML document");
		json_decref(r.root);
		json_positions_free(positions);
		src->positions = NULL;
		return NULL;
	}
	return r.root;
}
