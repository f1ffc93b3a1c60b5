/*
 * mustache.h - the Mustache template engine that turns the report context into Markdown.
 *
 * Audience: report.c (and cmd_report.c through it), the unit tests and the fuzz harness.
 *
 * The language is the Mustache specification's core (https://github.com/mustache/spec, the
 * modules interpolation, sections, inverted, comments, partials, delimiters): {{name}} (escaped),
 * {{{name}}} and {{&name}} (raw), dotted names and {{.}}, {{#section}}...{{/section}} over lists,
 * objects and truthy values, {{^inverted}}...{{/inverted}}, {{! comments }}, {{> partial}} with
 * standalone-line indentation, {{=<% %>=}} delimiter changes, and the spec's standalone-tag
 * whitespace rules. Lambdas and the optional modules (~inheritance, ~dynamic-names) are not
 * supported. The data is a Jansson value; false, null, an empty list and an empty string are
 * falsy; a missing name interpolates as the empty string (the spec's rule).
 *
 * Escaping is chosen per output, not per template: MUSTACHE_ESCAPE_HTML is the spec's
 * (& < > " '), MUSTACHE_ESCAPE_MARKDOWN makes untrusted text safe inside GitHub-flavoured
 * Markdown, table cells included (see mustache_escape_markdown), MUSTACHE_ESCAPE_NONE copies.
 *
 * Errors in a template (an unclosed tag or section, a mismatched closing tag, bad delimiters, a
 * partial outside the template directory, partials nested too deep) are reported through the
 * diagnostics sink at name:line:col and rendering fails; nothing is half-written, because the
 * caller writes out's bytes only on success.
 */
#ifndef PERFGATE_MUSTACHE_H
#define PERFGATE_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "../util/diag.h"
#include "../util/util.h"

enum mustache_escape {
	MUSTACHE_ESCAPE_HTML,     /* the spec's: & < > " ' as entities */
	MUSTACHE_ESCAPE_MARKDOWN, /* GitHub-flavoured Markdown, safe in table cells */
	MUSTACHE_ESCAPE_NONE,     /* as is */
};

/*
 * Where {{> name}} finds a partial. load appends the partial's text to *text and returns true;
 * it returns false when there is no such partial (the spec's rule: it renders as nothing),
 * and it reports an error through d and sets *failed when the name is not acceptable (rendering
 * then fails). The name a diagnostic should show goes to *display (static or owned by context).
 */
struct mustache_partials {
	bool (*load)(void *context, const char *name, struct buf *text, const char **display,
		     bool *failed, struct diag *d);
	void *context;
};

/* Deepest partial nesting accepted (a partial including itself renders until this depth). */
enum { MUSTACHE_MAX_DEPTH = 64 };

/*
 * Renders the template text[0..len) (named name in diagnostics, e.g. "templates/report.md.mustache")
 * with data, escaping {{name}} values with escape, and appends the result to out. partials may be
 * NULL (then every {{> x}} renders as nothing). Returns false when an error was reported; out is
 * then left with unspecified partial content (callers render into a scratch buffer).
 */
bool mustache_render(const char *name, const char *text, size_t len, const json_t *data,
		     enum mustache_escape escape, const struct mustache_partials *partials,
		     struct buf *out, struct diag *d);

/*
 * A partial loader confined to one directory: {{> name}} reads DIR/name, then DIR/name.mustache.
 * A name that is empty, absolute, contains a ".." component, a backslash or a control character,
 * or that resolves (symlinks followed) outside DIR is an error (DIAG_TEMPLATE_PARTIAL); a
 * name with no file behind it renders as nothing, with a warning (DIAG_TEMPLATE_PARTIAL_MISSING).
 */
struct mustache_dir {
	char *dir;          /* the template directory (realpath); owned */
	struct buf scratch; /* display names */
};
/* Sets up a loader for the directory containing template_path ("." when it has no '/'). */
void mustache_dir_init(struct mustache_dir *dir, const char *template_path);
void mustache_dir_fini(struct mustache_dir *dir);
/* The loader for mustache_partials.load, with a struct mustache_dir as context. */
bool mustache_dir_load(void *context, const char *name, struct buf *text, const char **display,
		       bool *failed, struct diag *d);

/*
 * Appends s[0..len) made safe for GitHub-flavoured Markdown: a backslash before each of
 * \ ` * _ [ ] < > | & ~ # (so a '|' cannot end a table cell, a backtick cannot open code, a '<'
 * cannot open HTML, a '[' cannot start a link); CR, LF, tab and other control characters become
 * one space each (a newline cannot end a table row). Invalid UTF-8 bytes become U+FFFD.
 */
void mustache_escape_markdown(const char *s, size_t len, struct buf *out);

#endif
