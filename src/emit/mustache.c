/*
 * mustache.c - the Mustache engine: a template is parsed once into a flat array of nodes, then
 * rendered over a Jansson value with an explicit context stack.
 *
 * Parsing is one left-to-right scan that finds each tag with memmem under the delimiters in
 * force, so delimiter changes are lexical and never reach into partials. Standalone tags (a
 * line holding only whitespace and one section, inverted, closing, comment, partial or
 * set-delimiter tag) drop their whole line as they are found. A section's children are the
 * nodes after it up to its `end` index, so no tree is allocated and the parser keeps an
 * explicit stack of open sections instead of recursing.
 *
 * Partial indentation: the spec indents every line of a standalone partial's text before it is
 * rendered. Here the text is never rewritten (diagnostics keep the partial's own line:col):
 * text nodes are split after each newline, those starting a line are marked, and rendering
 * writes the current indentation before each marked node. That gives the same bytes.
 *
 * Rendering recurses once per section entered and per partial, both bounded (mustache.h).
 * Partials are loaded and parsed once per render and kept in a list owned by the render.
 * The first syntax error of a template stops its parse; there is no recovery.
 */
#define _GNU_SOURCE /* memmem, memrchr */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/io.h"
#include "../util/path.h"
#include "mustache.h"
#include "emit_test.h"

enum node_kind {
	NODE_TEXT,     /* literal bytes of the template */
	NODE_ESCAPED,  /* {{name}} */
	NODE_RAW,      /* {{{name}}} and {{&name}} */
	NODE_SECTION,  /* {{#name}} */
	NODE_INVERTED, /* {{^name}} */
	NODE_PARTIAL,  /* {{>name}} */
};

struct node {
	enum node_kind kind;
	bool line_start;   /* TEXT: begins a line, so a partial's indentation goes before it */
	size_t start;      /* TEXT: offset of the bytes; other kinds: offset of the tag */
	size_t len;        /* TEXT: bytes; other kinds: bytes of the tag (the caret's span) */
	size_t name;       /* offset of the name ("a.b.c", or "." for the top of the stack) */
	size_t name_len;   /* its bytes */
	size_t indent;     /* PARTIAL: offset of the whitespace before a standalone tag */
	size_t indent_len; /* PARTIAL: its bytes; 0 for an inline tag */
	size_t end;        /* SECTION, INVERTED: index of the first node after the section */
};

struct template {
	const char *text;     /* borrowed: the caller's text or a partial's buffer */
	size_t len;           /* bytes in text */
	struct source source; /* over text, for the positions of diagnostics */
	struct node *nodes;   /* owned */
	size_t count;         /* nodes used */
	size_t cap;           /* nodes allocated */
};

static void template_init(struct template *t, const char *name, const char *text, size_t len)
{
	t->text = text;
	t->len = len;
	source_init(&t->source, name, text, len);
	t->nodes = NULL;
	t->count = 0;
	t->cap = 0;
}

static void template_fini(struct template *t)
{
	source_fini(&t->source);
	free(t->nodes);
}

static void report_at(struct template *t, struct diag *d, enum diag_id id, size_t offset,
		      size_t span, const char *fmt, ...) PG_PRINTF(6, 7);

static void report_at(struct template *t, struct diag *d, enum diag_id id, size_t offset,
		      size_t span, const char *fmt, ...)
{
	struct diag_loc loc;
	source_locate(&t->source, offset, span, &loc);
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, id, &loc, fmt, ap);
	va_end(ap);
}

/* ---- parsing ---- */

struct parser {
	struct template *t;
	struct diag *d;
	const char *open;     /* the opening delimiter in force; borrowed */
	size_t open_len;
	const char *close;    /* the closing delimiter in force; borrowed */
	size_t close_len;
	size_t line_start;    /* offset of the first byte of the line the scan is on */
	size_t last_tag_end;  /* offset just after the last tag (standalone: after its line) */
	bool fresh_line;      /* nothing has been emitted yet on the line at the scan position */
	size_t *sections;     /* node index of each open section, innermost last; owned */
	size_t depth;         /* open sections */
	size_t sections_cap;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static struct node *add_node(struct template *t, enum node_kind kind, size_t start, size_t len)
{
	t->nodes = xgrow(t->nodes, &t->cap, t->count + 1, sizeof *t->nodes);
	struct node *n = &t->nodes[t->count++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->start = start;
	n->len = len;
	return n;
}

/* Literal text[from..to), one node per line so that line starts can be indented. */
static void add_text(struct parser *p, size_t from, size_t to)
{
	while (from < to) {
		const char *nl = memchr(p->t->text + from, '\n', to - from);
		size_t stop = nl ? (size_t)(nl - p->t->text) + 1 : to;
		add_node(p->t, NODE_TEXT, from, stop - from)->line_start = p->fresh_line;
		p->fresh_line = nl != NULL;
		from = stop;
	}
}

/*
 * The first needle in text[from..len) that is preceded by `before` (when not 0) at an offset
 * >= from; len when there is none.
 */
static size_t find(const char *text, size_t len, size_t from, const char *needle, size_t n,
		   char before)
{
	size_t at = before ? from + 1 : from;
	while (at <= len) {
		const char *hit = memmem(text + at, len - at, needle, n);
		if (!hit)
			return len;
		size_t i = (size_t)(hit - text);
		if (!before || text[i - 1] == before)
			return i;
		at = i + 1;
	}
	return len;
}

/* A name is not empty and holds no whitespace or control characters. */
static bool valid_name(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f)
			return false;
	}
	return true;
}

/* set-delimiter = "=" blank* OPEN blank+ CLOSE blank* "=", both without whitespace */
static bool set_delimiters(struct parser *p, size_t from, size_t to, size_t tag, size_t tag_len)
{
	const char *s = p->t->text;
	size_t i = from, open, open_len, close, close_len;
	while (i < to && is_space(s[i]))
		i++;
	for (open = i; i < to && !is_space(s[i]); i++)
		;
	open_len = i - open;
	while (i < to && is_space(s[i]))
		i++;
	for (close = i; i < to && !is_space(s[i]); i++)
		;
	close_len = i - close;
	while (i < to && is_space(s[i]))
		i++;
	if (open_len == 0 || close_len == 0 || i != to) {
		report_at(p->t, p->d, DIAG_TEMPLATE_SYNTAX, tag, tag_len,
			  "a set-delimiter tag needs two delimiters without whitespace, as in "
			  "'{{=<%% %%>=}}'");
		return false;
	}
	p->open = s + open;
	p->open_len = open_len;
	p->close = s + close;
	p->close_len = close_len;
	return true;
}

/* The closing tag named text[name..name+len) at tag: ends the innermost open section. */
static bool close_section(struct parser *p, size_t name, size_t len, size_t tag, size_t tag_len)
{
	struct template *t = p->t;
	if (p->depth == 0) {
		report_at(t, p->d, DIAG_TEMPLATE_SYNTAX, tag, tag_len,
			  "closing tag '%.*s' has no open section", (int)len, t->text + name);
		return false;
	}
	struct node *open = &t->nodes[p->sections[p->depth - 1]];
	if (open->name_len != len || memcmp(t->text + open->name, t->text + name, len) != 0) {
		report_at(t, p->d, DIAG_TEMPLATE_SYNTAX, tag, tag_len,
			  "closing tag '%.*s' does not match the open section '%.*s'", (int)len,
			  t->text + name, (int)open->name_len, t->text + open->name);
		report_at(t, p->d, DIAG_NOTE, open->start, open->len, "section '%.*s' opened here",
			  (int)open->name_len, t->text + open->name);
		return false;
	}
	open->end = t->count;
	p->depth--;
	return true;
}

/*
 * tag = OPEN space* [sigil] content CLOSE, where sigil is one of # ^ / ! > = { &, "{" needs
 * "}" before CLOSE and "=" needs "=" before CLOSE. *pos is where the literal text before the
 * tag starts; it is moved past the tag (and past its line when the tag is standalone).
 */
static bool parse_tag(struct parser *p, size_t tag, size_t *pos)
{
	struct template *t = p->t;
	const char *s = t->text;
	size_t i = tag + p->open_len;
	while (i < t->len && is_space(s[i]))
		i++;
	char sigil = i < t->len && strchr("#^/!>={&", s[i]) ? s[i] : 0;
	if (sigil)
		i++;
	char before = sigil == '{' ? '}' : sigil == '=' ? '=' : 0;
	size_t close = find(s, t->len, i, p->close, p->close_len, before);
	if (close == t->len) {
		report_at(t, p->d, DIAG_TEMPLATE_SYNTAX, tag, p->open_len,
			  "unclosed tag: no '%s%.*s' after '%.*s'", before == '}' ? "}" :
			  before == '=' ? "=" : "", (int)p->close_len, p->close, (int)p->open_len,
			  p->open);
		return false;
	}
	size_t tag_end = close + p->close_len;
	size_t tag_len = tag_end - tag;
	size_t name = i, name_end = before ? close - 1 : close;
	while (name < name_end && is_space(s[name]))
		name++;
	while (name_end > name && is_space(s[name_end - 1]))
		name_end--;
	size_t name_len = name_end - name;
	if (sigil != '!' && sigil != '=' && !valid_name(s + name, name_len)) {
		const char *why = name_len == 0 ? "tag has no name"
				  : "tag name contains whitespace or a control character";
		report_at(t, p->d, DIAG_TEMPLATE_SYNTAX, tag, tag_len, "%s", why);
		return false;
	}

	/* standalone: only blanks around the tag on its line, then a line end or the end */
	bool standalone = false;
	size_t next = tag_end;
	if (sigil && strchr("#^/!>=", sigil) && p->last_tag_end <= p->line_start) {
		size_t j = p->line_start;
		while (j < tag && is_blank(s[j]))
			j++;
		size_t k = tag_end;
		while (k < t->len && is_blank(s[k]))
			k++;
		if (j == tag && (k == t->len || s[k] == '\n' ||
				 (s[k] == '\r' && k + 1 < t->len && s[k + 1] == '\n'))) {
			standalone = true;
			next = k == t->len ? k : s[k] == '\n' ? k + 1 : k + 2;
		}
	}
	size_t indent = p->line_start;
	if (standalone) {
		add_text(p, *pos, p->line_start);
		p->fresh_line = true;
		p->line_start = next;
	} else {
		add_text(p, *pos, tag);
		if (p->fresh_line)
			add_node(t, NODE_TEXT, tag, 0)->line_start = true;
		p->fresh_line = false;
	}
	p->last_tag_end = next;
	*pos = next;

	struct node *n;
	switch (sigil) {
	case '!':
		return true;
	case '=':
		return set_delimiters(p, i, close - 1, tag, tag_len);
	case '/':
		return close_section(p, name, name_len, tag, tag_len);
	case '#':
	case '^':
		if (p->depth == MUSTACHE_MAX_SECTIONS) {
			report_at(t, p->d, DIAG_TEMPLATE_LIMIT, tag, tag_len,
				  "sections nested deeper than %d", MUSTACHE_MAX_SECTIONS);
			return false;
		}
		p->sections = xgrow(p->sections, &p->sections_cap, p->depth + 1,
				    sizeof *p->sections);
		p->sections[p->depth++] = t->count;
		n = add_node(t, sigil == '#' ? NODE_SECTION : NODE_INVERTED, tag, tag_len);
		break;
	case '>':
		n = add_node(t, NODE_PARTIAL, tag, tag_len);
		if (standalone) {
			n->indent = indent;
			n->indent_len = tag - indent;
		}
		break;
	case '{':
	case '&':
		n = add_node(t, NODE_RAW, tag, tag_len);
		break;
	default:
		n = add_node(t, NODE_ESCAPED, tag, tag_len);
	}
	n->name = name;
	n->name_len = name_len;
	return true;
}

/* template = (text | tag)*, with every section closed */
static bool parse(struct template *t, struct diag *d)
{
	size_t pos = str_bom_length(t->text, t->len);
	struct parser p = {
		.t = t, .d = d, .open = "{{", .open_len = 2, .close = "}}", .close_len = 2,
		.line_start = pos, .last_tag_end = pos, .fresh_line = true,
	};
	bool ok = true;
	while (ok) {
		const char *hit = memmem(t->text + pos, t->len - pos, p.open, p.open_len);
		size_t tag = hit ? (size_t)(hit - t->text) : t->len;
		const char *nl = memrchr(t->text + pos, '\n', tag - pos);
		if (nl)
			p.line_start = (size_t)(nl - t->text) + 1;
		if (!hit) {
			add_text(&p, pos, t->len);
			break;
		}
		ok = parse_tag(&p, tag, &pos);
	}
	for (size_t i = 0; ok && i < p.depth; i++) {
		const struct node *open = &t->nodes[p.sections[i]];
		report_at(t, d, DIAG_TEMPLATE_SYNTAX, open->start, open->len,
			  "unclosed section '%.*s'", (int)open->name_len, t->text + open->name);
	}
	ok = ok && p.depth == 0;
	free(p.sections);
	return ok;
}

/* ---- rendering ---- */

/* A partial as loaded in one render. */
struct partial {
	char *name;               /* as written in the tag; owned */
	bool found;               /* false: the loader has none, it renders as nothing */
	char *display;            /* name for diagnostics; owned */
	struct buf text;          /* its template text */
	struct template template; /* parsed from text */
};

struct render {
	enum mustache_escape escape;
	const struct mustache_partials *partials; /* NULL: no partials */
	struct buf *out;
	size_t out_start;         /* out->len when the render began */
	struct diag *d;
	const json_t **stack;     /* the context stack, innermost last; borrowed values */
	size_t depth;             /* values on the stack */
	size_t stack_cap;
	struct partial **loaded;  /* every partial name met so far; owned */
	size_t loaded_count;
	size_t loaded_cap;
	struct buf indent;        /* indentation of the partials being rendered, innermost last */
	size_t indent_from;       /* the one in force: indent.data[indent_from..indent.len) */
	unsigned partial_depth;   /* partials being rendered */
	unsigned section_depth;   /* sections being rendered, through partials */
	unsigned long steps;      /* rendering steps taken (see MUSTACHE_MAX_STEPS) */
};

/*
 * The value of a name: "." is the top of the stack; the first part of a dotted name is looked
 * up from the top of the stack down, and the other parts only inside what the first found.
 */
static const json_t *lookup(const struct render *r, const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return r->stack[r->depth - 1];
	const char *dot = memchr(name, '.', len);
	size_t part = dot ? (size_t)(dot - name) : len;
	const json_t *v = NULL;
	for (size_t i = r->depth; i-- > 0 && !v;)
		v = json_object_getn(r->stack[i], name, part); /* NULL for a non-object */
	while (v && part < len) {
		name += part + 1;
		len -= part + 1;
		dot = memchr(name, '.', len);
		part = dot ? (size_t)(dot - name) : len;
		v = json_object_getn(v, name, part);
	}
	return v;
}

/* Falsy: missing, false, null, an empty list, an empty string. Zero is truthy. */
static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_FALSE:
	case JSON_NULL:
		return false;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return true;
	}
}

/* The spec's HTML escaping: & < > " and ' as entities. */
static void escape_html(const char *s, size_t len, struct buf *out)
{
	size_t plain = 0;
	for (size_t i = 0; i < len; i++) {
		const char *entity;
		switch (s[i]) {
		case '&': entity = "&amp;"; break;
		case '<': entity = "&lt;"; break;
		case '>': entity = "&gt;"; break;
		case '"': entity = "&quot;"; break;
		case '\'': entity = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + plain, i - plain);
		buf_puts(out, entity);
		plain = i + 1;
	}
	buf_append(out, s + plain, len - plain);
}

/*
 * The length of the URL at s[i..len) ("http://", "https://" or "www." after a character that
 * is no letter or digit, to the next space), as GitHub would link it; else 0.
 */
static size_t url_at(const char *s, size_t i, size_t len)
{
	if (i > 0) { /* inside a word ("xhttp://") GitHub links nothing */
		char c = s[i - 1], lower = (char)(c | 0x20);
		if ((lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9') || c == '_')
			return 0;
	}
	static const char *const starts[] = {"http://", "https://", "www."};
	for (size_t k = 0; k < PG_ARRAY_LEN(starts); k++) {
		size_t n = strlen(starts[k]), same = 0;
		while (same < n && i + same < len && (s[i + same] | 0x20) == starts[k][same])
			same++;
		if (same == n && i + n < len && s[i + n] != ' ') {
			size_t end = i + n;
			while (end < len && s[end] != ' ')
				end++;
			return end - i;
		}
	}
	return 0;
}

/*
 * A URL as a code span, so GitHub shows it and does not link it: fenced by one backtick more
 * than its longest run of them (padded with spaces when it starts or ends with one), its `|`
 * escaped so that a table cell keeps it (GFM reads "\|" as a pipe in code spans in tables).
 */
static void put_url_span(const char *url, size_t len, struct buf *out)
{
	size_t longest = 0, run = 0;
	for (size_t i = 0; i < len; i++) {
		run = url[i] == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	bool pad = url[0] == '`' || url[len - 1] == '`';
	for (size_t i = 0; i <= longest; i++)
		buf_putc(out, '`');
	if (pad)
		buf_putc(out, ' ');
	for (size_t i = 0; i < len; i++) {
		if (url[i] == '|')
			buf_putc(out, '\\');
		buf_putc(out, url[i]);
	}
	if (pad)
		buf_putc(out, ' ');
	for (size_t i = 0; i <= longest; i++)
		buf_putc(out, '`');
}

void mustache_escape_markdown(const char *s, size_t len, struct buf *out)
{
	/* C0 (NUL too), DEL and C1 (U+0080..U+009F) become spaces: strchr never sees a NUL */
	struct buf clean;
	buf_init(&clean);
	str_utf8_clean(&clean, s, len, STR_CLEAN_CONTROL_SPACE | STR_CLEAN_C1_SPACE, SIZE_MAX);
	size_t plain = 0;
	for (size_t i = 0; i < clean.len; i++) {
		size_t url = strchr("hHwW", clean.data[i]) ? url_at(clean.data, i, clean.len) : 0;
		if (url) {
			buf_append(out, clean.data + plain, i - plain);
			put_url_span(clean.data + i, url, out);
			i += url - 1;
			plain = i + 1;
			continue;
		}
		if (!strchr("\\`*_[]<>|&~#", clean.data[i]))
			continue;
		buf_append(out, clean.data + plain, i - plain);
		buf_putc(out, '\\');
		plain = i; /* the character itself goes out with the next run */
	}
	buf_append(out, clean.data + plain, clean.len - plain);
	buf_fini(&clean);
}

static void put_value(struct render *r, const json_t *v, bool escaped)
{
	char number[32];
	const char *s;
	size_t len;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		s = json_string_value(v);
		len = json_string_length(v);
		break;
	case JSON_INTEGER:
		len = (size_t)snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT,
				       json_integer_value(v));
		s = number;
		break;
	case JSON_REAL:
		len = (size_t)str_format_double(number, json_real_value(v));
		s = number;
		break;
	case JSON_TRUE:
		s = "true";
		len = 4;
		break;
	case JSON_FALSE:
		s = "false";
		len = 5;
		break;
	default:
		return; /* null, objects and lists */
	}
	if (!escaped || r->escape == MUSTACHE_ESCAPE_NONE)
		buf_append(r->out, s, len);
	else if (r->escape == MUSTACHE_ESCAPE_HTML)
		escape_html(s, len, r->out);
	else
		mustache_escape_markdown(s, len, r->out);
}

static void push(struct render *r, const json_t *v)
{
	r->stack = xgrow(r->stack, &r->stack_cap, r->depth + 1, sizeof *r->stack);
	r->stack[r->depth++] = v;
}

static void free_partial(struct partial *pa)
{
	template_fini(&pa->template);
	buf_fini(&pa->text);
	free(pa->display);
	free(pa->name);
	free(pa);
}

/*
 * The partial named by node n of t, loaded and parsed on first use. NULL when rendering must
 * fail (the loader refused the name, or the partial does not parse); the error is reported.
 * Linear search: a template names a handful of partials.
 */
static struct partial *get_partial(struct render *r, struct template *t, const struct node *n)
{
	const char *name = t->text + n->name;
	for (size_t i = 0; i < r->loaded_count; i++) {
		struct partial *pa = r->loaded[i];
		if (strlen(pa->name) == n->name_len && memcmp(pa->name, name, n->name_len) == 0)
			return pa;
	}
	struct partial *pa = xcalloc(1, sizeof *pa);
	pa->name = xstrndup(name, n->name_len);
	buf_init(&pa->text);
	template_init(&pa->template, pa->name, "", 0);
	if (r->partials) {
		struct diag_loc at;
		source_locate(&t->source, n->start, n->len, &at);
		const char *display = NULL;
		bool failed = false;
		unsigned long errors = r->d->errors;
		pa->found = r->partials->load(r->partials->context, pa->name, &at, &pa->text,
					      &display, &failed, r->d);
		if (failed && r->d->errors == errors) /* a loader that failed without saying so */
			diag_report(r->d, DIAG_TEMPLATE_PARTIAL, &at,
				    "partial '%s' cannot be loaded", pa->name);
		if (pa->found && !failed) {
			pa->display = xstrdup(display ? display : pa->name);
			template_fini(&pa->template);
			const char *text = pa->text.data ? pa->text.data : "";
			template_init(&pa->template, pa->display, text, pa->text.len);
			failed = !parse(&pa->template, r->d);
		}
		if (failed) {
			free_partial(pa);
			return NULL;
		}
	}
	r->loaded = xgrow(r->loaded, &r->loaded_cap, r->loaded_count + 1, sizeof *r->loaded);
	r->loaded[r->loaded_count++] = pa;
	return pa;
}

static bool render_nodes(struct render *r, struct template *t, size_t from, size_t to);

/* Children of section node n (at index i), once or once per list element. */
static bool render_section(struct render *r, struct template *t, size_t i)
{
	const struct node *n = &t->nodes[i];
	const json_t *v = lookup(r, t->text + n->name, n->name_len);
	if (truthy(v) == (n->kind == NODE_INVERTED))
		return true;
	if (r->section_depth == MUSTACHE_MAX_SECTIONS) {
		report_at(t, r->d, DIAG_TEMPLATE_LIMIT, n->start, n->len,
			  "sections nested deeper than %d through partials", MUSTACHE_MAX_SECTIONS);
		return false;
	}
	r->section_depth++;
	bool ok = true;
	if (n->kind == NODE_INVERTED) {
		ok = render_nodes(r, t, i + 1, n->end);
	} else if (json_is_array(v)) {
		for (size_t k = 0; ok && k < json_array_size(v); k++) {
			push(r, json_array_get(v, k));
			ok = render_nodes(r, t, i + 1, n->end);
			r->depth--;
		}
	} else {
		push(r, v);
		ok = render_nodes(r, t, i + 1, n->end);
		r->depth--;
	}
	r->section_depth--;
	return ok;
}

static bool render_partial(struct render *r, struct template *t, const struct node *n)
{
	if (r->partial_depth == MUSTACHE_MAX_DEPTH) {
		report_at(t, r->d, DIAG_TEMPLATE_LIMIT, n->start, n->len,
			  "partials nested deeper than %d (does '%.*s' include itself?)",
			  MUSTACHE_MAX_DEPTH, (int)n->name_len, t->text + n->name);
		return false;
	}
	struct partial *pa = get_partial(r, t, n);
	if (!pa)
		return false;
	if (!pa->found)
		return true;
	/*
	 * A standalone partial is indented by the current indentation plus its tag's; an inline
	 * one by nothing. The window moves to the end of the buffer, so outer bytes stay intact.
	 */
	size_t saved_from = r->indent_from, saved_len = r->indent.len;
	if (n->indent_len == 0)
		r->indent_from = r->indent.len;
	else
		buf_append(&r->indent, t->text + n->indent, n->indent_len);
	r->partial_depth++;
	bool ok = render_nodes(r, &pa->template, 0, pa->template.count);
	r->partial_depth--;
	r->indent_from = saved_from;
	r->indent.len = saved_len;
	return ok;
}

static bool render_nodes(struct render *r, struct template *t, size_t from, size_t to)
{
	for (size_t i = from; i < to;) {
		const struct node *n = &t->nodes[i];
		if (++r->steps > MUSTACHE_MAX_STEPS) {
			report_at(t, r->d, DIAG_TEMPLATE_LIMIT, n->start, n->len,
				  "rendering takes more than %d steps (does a partial include "
				  "itself twice?)", MUSTACHE_MAX_STEPS);
			return false;
		}
		if (r->out->len - r->out_start > MUSTACHE_MAX_OUTPUT) {
			report_at(t, r->d, DIAG_TEMPLATE_LIMIT, n->start, n->len,
				  "output larger than %d bytes", MUSTACHE_MAX_OUTPUT);
			return false;
		}
		switch (n->kind) {
		case NODE_TEXT:
			if (n->line_start && r->indent.len > r->indent_from)
				buf_append(r->out, r->indent.data + r->indent_from,
					   r->indent.len - r->indent_from);
			buf_append(r->out, t->text + n->start, n->len);
			break;
		case NODE_ESCAPED:
		case NODE_RAW:
			put_value(r, lookup(r, t->text + n->name, n->name_len),
				  n->kind == NODE_ESCAPED);
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			if (!render_section(r, t, i))
				return false;
			i = n->end;
			continue;
		case NODE_PARTIAL:
			if (!render_partial(r, t, n))
				return false;
			break;
		}
		i++;
	}
	return true;
}

bool mustache_render(const char *name, const char *text, size_t len, const json_t *data,
		     enum mustache_escape escape, const struct mustache_partials *partials,
		     struct buf *out, struct diag *d)
{
	struct template t;
	template_init(&t, name, text ? text : "", len); /* NULL is allowed with len 0 */
	struct render r = {
		.escape = escape, .partials = partials, .out = out, .out_start = out->len, .d = d,
	};
	buf_init(&r.indent);
	json_t *null = json_null();
	push(&r, data ? data : null);
	bool ok = parse(&t, d) && render_nodes(&r, &t, 0, t.count);
	for (size_t i = 0; i < r.loaded_count; i++)
		free_partial(r.loaded[i]);
	free(r.loaded);
	free(r.stack);
	buf_fini(&r.indent);
	template_fini(&t);
	return ok;
}

/* ---- partials from a directory ---- */

enum { PARTIAL_MAX_BYTES = 16 << 20 }; /* a template larger than this is not a template */

void mustache_dir_init(struct mustache_dir *dir, const char *template_path)
{
	const char *slash = strrchr(template_path, '/');
	if (!slash)
		dir->shown = xstrdup(".");
	else if (slash == template_path)
		dir->shown = xstrdup("/");
	else
		dir->shown = xstrndup(template_path, (size_t)(slash - template_path));
	dir->dir = realpath(dir->shown, NULL);
	dir->error = dir->dir ? 0 : errno;
	buf_init(&dir->scratch);
}

void mustache_dir_fini(struct mustache_dir *dir)
{
	free(dir->dir);
	free(dir->shown);
	buf_fini(&dir->scratch);
	dir->dir = NULL;
	dir->shown = NULL;
}

/* Why name may not be used as a path under the template directory; NULL when it may. */
static const char *bad_partial_name(const char *name)
{
	if (!name[0])
		return "partial name is empty";
	if (name[0] == '/')
		return "partial name is an absolute path";
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f)
			return "partial name contains a control character";
		if (c == '\\')
			return "partial name contains a backslash";
		bool component_start = p == name || p[-1] == '/';
		if (component_start && p[0] == '.' && p[1] == '.' && (!p[2] || p[2] == '/'))
			return "partial name has a '..' component";
	}
	return NULL;
}

bool mustache_dir_load(void *context, const char *name, const struct diag_loc *at,
		       struct buf *text, const char **display, bool *failed, struct diag *d)
{
	struct mustache_dir *dir = context;
	const char *why = bad_partial_name(name);
	if (why) {
		/* the name may hold control characters: it is not echoed */
		diag_report(d, DIAG_TEMPLATE_PARTIAL, at, "%s", why);
		*failed = true;
		return false;
	}
	if (!dir->dir) {
		diag_report(d, DIAG_TEMPLATE_PARTIAL, at,
			    "partial '%s': template directory '%s' cannot be resolved: %s", name,
			    dir->shown, strerror(dir->error));
		*failed = true;
		return false;
	}
	static const char *const suffixes[] = {"", ".mustache"};
	for (size_t i = 0; i < PG_ARRAY_LEN(suffixes); i++) {
		char *path = xasprintf("%s/%s%s", dir->dir, name, suffixes[i]);
		char *real = realpath(path, NULL);
		int error = errno;
		free(path);
		if (!real && (error == ENOENT || error == ENOTDIR))
			continue;
		if (!real) {
			diag_report(d, DIAG_TEMPLATE_PARTIAL, at,
				    "partial '%s%s' cannot be opened: %s", name, suffixes[i],
				    strerror(error));
			*failed = true;
			return false;
		}
		size_t dir_len = strlen(dir->dir);
		bool inside = strncmp(real, dir->dir, dir_len) == 0 &&
			      (real[dir_len] == '/' || (dir_len == 1 && real[1] != '\0'));
		if (!inside) {
			diag_report(d, DIAG_TEMPLATE_PARTIAL, at,
				    "partial '%s%s' resolves to '%s', outside the template "
				    "directory", name, suffixes[i], real);
			free(real);
			*failed = true;
			return false;
		}
		if (!path_is_file(real)) {
			free(real); /* a directory named like the partial: try the next name */
			continue;
		}
		char *what = xasprintf("partial '%s%s'", name, suffixes[i]);
		bool ok = io_read_file(real, what, PARTIAL_MAX_BYTES, at, text, d);
		*failed |= !ok;
		free(what);
		free(real);
		buf_clear(&dir->scratch);
		if (strcmp(dir->shown, ".") != 0)
			buf_printf(&dir->scratch, "%s/", dir->shown);
		buf_printf(&dir->scratch, "%s%s", name, suffixes[i]);
		*display = dir->scratch.data;
		return ok;
	}
	diag_report(d, DIAG_TEMPLATE_PARTIAL_MISSING, at,
		    "partial '%s' not found: no file '%s/%s' or '%s/%s.mustache'", name, dir->shown,
		    name, dir->shown, name);
	return false;
}
