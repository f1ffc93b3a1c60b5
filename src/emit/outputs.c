/*
 * outputs.c - the report outputs of `check` and `report`: charts, Markdown report, job summary
 * and the report context, from one model (and verdict), written where the options say.
 *
 * Order matters: the charts are drawn and written first, so the context can list the files
 * that exist and the report never links a missing image; then the context is built once and
 * every document is rendered from it. Each file is written atomically (temp + rename); a
 * failure is reported and the other outputs are still written.
 *
 * Chart paths in the context are relative to the Markdown report's directory (so the images
 * show wherever the report and its charts are moved together), or as given on the command
 * line when there is no --markdown file.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/io.h"
#include "../util/path.h"
#include "chart_plan.h"
#include "emit.h"

bool outputs_wanted(const struct outputs *o)
{
	return o->markdown || o->summary || o->charts || o->dump_context;
}

bool outputs_document_to_stdout(const struct outputs *o)
{
	return (o->markdown && strcmp(o->markdown, "-") == 0) ||
	       (o->summary && strcmp(o->summary, "-") == 0);
}

struct written_chart {
	struct report_chart chart;
	char *png, *svg, *path; /* owned copies behind chart's pointers */
};

/* Draws every chart the inputs allow into o->charts; fills charts[] (*count of them). */
static bool draw_charts(const struct outputs *o, struct chart_spec *specs, size_t spec_count,
			struct written_chart *charts, size_t *count, struct buf *told,
			struct diag *d)
{
	bool ok = true;
	char *markdown_dir = o->markdown && strcmp(o->markdown, "-") != 0
				     ? path_dir_of(o->markdown)
				     : NULL;
	for (size_t i = 0; i < spec_count; i++) {
		const struct chart_spec *spec = &specs[i];
		struct written_chart *w = &charts[*count];
		memset(w, 0, sizeof *w);
		size_t drawn = 0;
		bool done = false;
		for (int f = 0; f < 2; f++) {
			bool png = f == 0;
			if (png ? !o->png : !o->svg)
				continue;
			struct buf bytes, name;
			buf_init(&bytes);
			buf_init(&name);
			buf_printf(&name, "%s/%s.%s", o->charts, spec->name, png ? "png" : "svg");
			if (!chart_render(spec, png ? CHART_PNG : CHART_SVG, &bytes, &drawn)) {
				diag_report(d, DIAG_OUTPUT_WRITE, NULL,
					    "cannot draw chart '%s': Cairo failed", name.data);
				ok = false;
			} else if (io_write_output(name.data, &bytes, "the chart", d)) {
				buf_puts(told, "wrote ");
				str_put_visible(told, name.data);
				buf_printf(told, " (%zu series)\n", drawn);
				*(png ? &w->png : &w->svg) = xstrdup(name.data);
				done = true;
			} else {
				ok = false;
			}
			buf_fini(&bytes);
			buf_fini(&name);
		}
		if (!done)
			continue;
		const char *shown = w->svg ? w->svg : w->png;
		if (markdown_dir) {
			const char *base = strrchr(shown, '/') + 1;
			w->path = path_relative_to(o->charts, base, markdown_dir);
		}
		if (!w->path)
			w->path = xstrdup(shown);
		w->chart = (struct report_chart){chart_kind_name(spec->kind), spec->name,
						 spec->caption, w->path, w->png, w->svg, drawn};
		(*count)++;
	}
	free(markdown_dir);
	return ok;
}

/* Renders one document into doc (nothing is written yet). */
static bool render_document(const char *path, const json_t *context, const char *template_path,
			    const char *builtin, struct buf *doc, struct diag *d)
{
	return markdown_render(context, template_path, builtin, markdown_escape_for(path), doc, d);
}

static bool write_document(const char *path, const struct buf *doc, const char *what,
			   struct buf *told, struct diag *d)
{
	bool ok = io_write_output(path, doc, what, d);
	if (ok && strcmp(path, "-") != 0) {
		buf_puts(told, "wrote ");
		str_put_visible(told, path);
		buf_printf(told, " (%s)\n", what);
	}
	return ok;
}

bool outputs_emit(const struct outputs *o, struct report_input *in, struct diag *d)
{
	bool ok = true;
	struct buf told;
	buf_init(&told);
	struct chart_spec *specs = NULL;
	size_t spec_count = 0, chart_count = 0;
	struct written_chart *charts = NULL;
	if (o->charts) {
		in->slo = o->slo.set ? &o->slo : NULL;
		struct chart_inputs ci = {in->model, in->baseline, in->verdict, in->slo};
		spec_count = chart_plan(&ci, &specs);
		charts = xcalloc(spec_count + 1, sizeof *charts);
		struct outputs defaulted = *o;
		if (!defaulted.png && !defaulted.svg)
			defaulted.svg = true;
		ok = path_make_dirs(o->charts, d) &&
		     draw_charts(&defaulted, specs, spec_count, charts, &chart_count, &told, d);
		if (spec_count == 0)
			buf_printf(&told, "no charts: the inputs have nothing to draw\n");
	}
	struct report_chart *list = xcalloc(chart_count + 1, sizeof *list);
	for (size_t i = 0; i < chart_count; i++)
		list[i] = charts[i].chart;
	in->charts = list;
	in->chart_count = chart_count;
	in->slo = o->slo.set ? &o->slo : NULL;
	in->about = o->about;
	in->about_count = o->about_count;
	json_t *context = report_context(in);
	/* both documents render before either is written: a template error writes neither */
	struct buf report, summary;
	buf_init(&report);
	buf_init(&summary);
	bool rendered = (!o->markdown || render_document(o->markdown, context, o->template_path,
							 "report.md.mustache", &report, d)) &&
			(!o->summary || render_document(o->summary, context, o->summary_template,
							"summary.md.mustache", &summary, d));
	if (!rendered)
		ok = false;
	if (rendered && o->markdown)
		ok = write_document(o->markdown, &report, "the report", &told, d) && ok;
	if (rendered && o->summary)
		ok = write_document(o->summary, &summary, "the summary", &told, d) && ok;
	buf_fini(&report);
	buf_fini(&summary);
	if (o->dump_context) {
		struct buf json;
		buf_init(&json);
		report_context_write(context, &json);
		fwrite(json.data, 1, json.len, stdout);
		buf_fini(&json);
	}
	if (!o->dump_context && !outputs_document_to_stdout(o) && told.len)
		fwrite(told.data, 1, told.len, stdout);
	fflush(stdout);
	json_decref(context);
	free(list);
	in->charts = NULL;
	in->chart_count = 0;
	for (size_t i = 0; i < chart_count; i++) {
		free(charts[i].png);
		free(charts[i].svg);
		free(charts[i].path);
	}
	free(charts);
	chart_specs_free(specs, spec_count);
	if (o->charts)
		chart_release_caches();
	buf_fini(&told);
	return ok;
}

bool outputs_draw(const struct outputs *o, struct chart_spec *specs, size_t count,
		  struct drawn_chart **out, size_t *drawn_count, struct diag *d)
{
	struct buf told;
	buf_init(&told);
	struct written_chart *charts = xcalloc(count + 1, sizeof *charts);
	size_t n = 0;
	struct outputs defaulted = *o;
	if (!defaulted.png && !defaulted.svg)
		defaulted.svg = true;
	bool ok = path_make_dirs(o->charts, d) &&
		  draw_charts(&defaulted, specs, count, charts, &n, &told, d);
	*out = xcalloc(n + 1, sizeof **out);
	for (size_t i = 0; i < n; i++) {
		(*out)[i] = (struct drawn_chart){xstrdup(charts[i].chart.name),
						 xstrdup(charts[i].chart.title), charts[i].path};
		charts[i].path = NULL;
		free(charts[i].png);
		free(charts[i].svg);
	}
	*drawn_count = n;
	free(charts);
	if (!outputs_document_to_stdout(o) && told.len)
		fwrite(told.data, 1, told.len, stdout);
	fflush(stdout);
	buf_fini(&told);
	chart_release_caches();
	return ok;
}

void outputs_drawn_free(struct drawn_chart *charts, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(charts[i].name);
		free(charts[i].title);
		free(charts[i].path);
	}
	free(charts);
}

bool outputs_save_model(const struct model *m, const char *path, struct diag *d)
{
	struct buf json;
	buf_init(&json);
	model_json_write(m, &json);
	bool ok = io_write_output(path, &json, "the model", d);
	buf_fini(&json);
	return ok;
}
