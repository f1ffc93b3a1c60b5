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
 * then fails). at is the position of the {{> name}} tag, for the loader's diagnostics. The name
 * diagnostics inside the partial show goes to *display (NULL = name); it need only stay valid
 * until the next call of load (the renderer copies it).
 *
 * A render loads each partial name at most once and keeps it, so a partial in a section over a
 * long list is read once, and a missing one is reported once.
 */
struct mustache_partials {
	bool (*load)(void *context, const char *name, const struct diag_loc *at, struct buf *text,
		     const char **display, bool *failed, struct diag *d);
	void *context;
};

/*
 * Limits, each an error (DIAG_TEMPLATE_LIMIT) when passed, so no template stack-overflows or
 * runs forever: partials nested deeper than MUSTACHE_MAX_DEPTH (a partial including itself
 * renders until this depth); sections nested deeper than MUSTACHE_MAX_SECTIONS, in one template
 * or through partials; more than MUSTACHE_MAX_STEPS rendering steps (a tag or line of text
 * rendered, one list element entered), which stops a partial that includes itself twice from
 * growing exponentially; more than MUSTACHE_MAX_OUTPUT bytes written. A report over ten
 * thousand endpoints takes well under a tenth of the step limit.
 */
enum {
	MUSTACHE_MAX_DEPTH = 64,
	MUSTACHE_MAX_SECTIONS = 256,
	MUSTACHE_MAX_STEPS = 1 << 24,
	MUSTACHE_MAX_OUTPUT = 256 << 20,
};

/*
 * Renders the template text[0..len) (named name in diagnostics, e.g.
 * "templates/report.md.mustache") with data, escaping {{name}} values with escape, and appends
 * the result to out. partials may be NULL (then every {{> x}} renders as nothing). Returns false
 * when an error was reported; out is then left with unspecified partial content (callers render
 * into a scratch buffer). A UTF-8 byte order mark at the start of a template is not copied.
 *
 * Values: a string as is, an integer in decimal, a real as the shortest decimal that reads back
 * to it (1.210 -> "1.21"), true and false as "true" and "false"; null, objects and lists
 * interpolate as nothing. A tag name may not be empty or contain whitespace or control
 * characters.
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
	char *dir;          /* the template directory (realpath); owned; NULL when unresolved */
	char *shown;        /* the directory as given ("." when none), for display names; owned */
	int error;          /* errno of the failed realpath when dir is NULL */
	struct buf scratch; /* the display name of the last partial loaded */
};
/* Sets up a loader for the directory containing template_path ("." when it has no '/'). */
void mustache_dir_init(struct mustache_dir *dir, const char *template_path);
void mustache_dir_fini(struct mustache_dir *dir);
/* The loader for mustache_partials.load, with a struct mustache_dir as context. */
bool mustache_dir_load(void *context, const char *name, const struct diag_loc *at,
		       struct buf *text, const char **display, bool *failed, struct diag *d);


#endif
