/*
 * markdown.c - Markdown documents from Mustache templates over the report context.
 *
 * The default templates (templates/report.md.mustache, templates/summary.md.mustache) are
 * read where `cmake --install` puts them, PREFIX/share/perfgate/templates beside the installed
 * binary (path_installed_data), so a site can adapt them; where they are not (the build tree,
 * a binary copied alone), the copy compiled into the binary (cmake/embed_templates.cmake)
 * is used, with its partials from the same table. A user's template (--template) is read
 * from disk, as an installed one, with its partials only from its own directory
 * (mustache_dir_load).
 *
 * Escaping follows the output, not the template: an output named *.html or *.htm gets HTML
 * escaping, anything else (.md, a GITHUB_STEP_SUMMARY file, standard output) Markdown
 * escaping, so an endpoint name can neither break a table nor inject HTML.
 */
#include <assert.h>
#include <string.h>

#include "emit.h"
#include "mustache.h"
#include "../util/io.h"
#include "../util/path.h"

/* The built-in template with that file name, or NULL. */
static const struct builtin_template *builtin_template_find(const char *name)
{
	for (size_t i = 0; i < builtin_template_count; i++)
		if (strcmp(builtin_templates[i].name, name) == 0)
			return &builtin_templates[i];
	return NULL;
}

/* Partials of the built-in templates: NAME, then NAME.mustache, among the built-ins. */
static bool builtin_partial(void *context, const char *name, const struct diag_loc *at,
			    struct buf *text,
			    const char **display, bool *failed, struct diag *d)
{
	(void)context;
	(void)at;
	(void)d;
	*failed = false;
	char with_suffix[256];
	snprintf(with_suffix, sizeof with_suffix, "%s.mustache", name);
	const struct builtin_template *t = builtin_template_find(name);
	if (!t)
		t = builtin_template_find(with_suffix);
	if (!t)
		return false;
	buf_append(text, t->text, t->len);
	*display = t->name;
	return true;
}

enum mustache_escape markdown_escape_for(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (dot && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0))
		return MUSTACHE_ESCAPE_HTML;
	return MUSTACHE_ESCAPE_MARKDOWN;
}

/* Renders the template file at path, its partials from its own directory. */
static bool render_file(const char *path, const json_t *context, enum mustache_escape escape,
			struct buf *out, struct diag *d)
{
	struct buf text;
	buf_init(&text);
	bool ok = io_read_file(path, "template", (size_t)1 << 24, NULL, &text, d);
	if (ok) {
		struct mustache_dir dir;
		mustache_dir_init(&dir, path);
		struct mustache_partials partials = {mustache_dir_load, &dir};
		ok = mustache_render(path, text.data ? text.data : "", text.len, context, escape,
				     &partials, out, d);
		mustache_dir_fini(&dir);
	}
	buf_fini(&text);
	return ok;
}

bool markdown_render(const json_t *context, const char *template_path, const char *builtin,
		     enum mustache_escape escape, struct buf *out, struct diag *d)
{
	struct buf scratch;
	buf_init(&scratch);
	bool ok;
	char *installed = template_path ? NULL : path_installed_data(builtin);
	if (template_path || installed) {
		ok = render_file(template_path ? template_path : installed, context, escape,
				 &scratch, d);
	} else {
		const struct builtin_template *t = builtin_template_find(builtin);
		assert(t); /* the callers name templates that templates/ holds */
		struct mustache_partials partials = {builtin_partial, NULL};
		ok = mustache_render(t->name, t->text, t->len, context, escape, &partials, &scratch,
				     d);
	}
	free(installed);
	if (ok)
		buf_append(out, scratch.data ? scratch.data : "", scratch.len);
	buf_fini(&scratch);
	return ok;
}
