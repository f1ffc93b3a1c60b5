/*
 * compare_out.c - what `perfgate compare` prints and writes (emit.h): the terminal table
 * and the comparison JSON (formats/compare.md). The Markdown report reads the same JSON
 * document as its Mustache context, so the numbers cannot differ between the two; JUnit
 * is written by junit.c, which owns the XML writer.
 *
 * Numbers for people are rounded to four significant digits with their unit; the JSON
 * keeps every digit. Endpoint names come from inputs: cut and made visible for the table,
 * escaped by jsonw for JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/io.h"
#include "../util/jsonw.h"
#include "emit.h"

/* A value of a row with its unit, to 4 significant digits: "19.98 ms", "0.12 %". */
static void value_text(char out[48], enum unit unit, double v)
{
	char number[32];
	if (!isfinite(v)) {
		snprintf(out, 48, isinf(v) && v > 0 ? "+Inf" : "-");
		return;
	}
	if (unit == UNIT_RATIO) {
		str_format_double(number, str_round_significant(v * 100, 4));
		snprintf(out, 48, "%s %%", number);
		return;
	}
	str_format_double(number, str_round_significant(v, 4));
	snprintf(out, 48, "%s %s", number, model_unit_name(unit));
}

static void change_text(char out[48], const struct compare_row *row, double x)
{
	char number[32];
	if (!isfinite(x)) {
		snprintf(out, 48, "-");
		return;
	}
	double shown = str_round_significant(x * 100, 3);
	str_format_double(number, shown);
	if (row->metric == CMP_ERROR_RATE)
		snprintf(out, 48, "%s%s pt", shown > 0 ? "+" : "", number);
	else
		snprintf(out, 48, "%s%s %%", shown > 0 ? "+" : "", number);
}

/* The interval cell of a side: "[19.8 ms, 20.2 ms]", "runs 19.8 ms .. 20.2 ms", or why not. */
static void side_interval_text(struct buf *out, const struct compare_row *row,
			       const struct compare_side *s)
{
	char a[48], b[48];
	if (!s->has_value)
		return;
	switch (s->interval.why) {
	case INTERVAL_OK:
		value_text(a, row->unit, s->interval.lo);
		value_text(b, row->unit, s->interval.hi);
		buf_printf(out, s->interval_is_spread ? "runs %s .. %s" : "[%s, %s]", a, b);
		break;
	case INTERVAL_REPORTED:
		buf_puts(out, "reported");
		break;
	case INTERVAL_TOO_FEW:
		buf_printf(out, "n=%lld < %lld", (long long)s->interval.samples,
			   (long long)s->interval.need);
		break;
	case INTERVAL_NO_DATA:
		buf_puts(out, "-");
		break;
	}
}

static const char *endpoint_name(const char *endpoint)
{
	return endpoint ? endpoint : "*";
}

static void set_cell(struct text_table *t, size_t row, size_t column, struct buf *b)
{
	text_table_set(t, row, column, b->data ? b->data : "");
	buf_clear(b);
}

const char *compare_outcome_name(int exit_code)
{
	return exit_code == 1 ? "regression" : exit_code == 3 ? "inconclusive" : "pass";
}

static void write_runs_line(struct buf *out, const char *side, const struct model *m)
{
	buf_printf(out, "%s: %zu run%s (", side, m->run_count, m->run_count == 1 ? "" : "s");
	for (size_t i = 0; i < m->run_count; i++) {
		if (i)
			buf_puts(out, ", ");
		str_put_visible_cut(out, m->runs[i]->label, 80);
		const struct run *r = m->runs[i];
		if (!isnan(r->concurrency)) { /* the load it ran at: a comparison needs the same */
			char n[32];
			str_format_double(n, r->concurrency);
			buf_printf(out, " at %s%s%s", n, r->concurrency_unit ? " " : "",
				   r->concurrency_unit ? r->concurrency_unit : "");
		}
	}
	buf_puts(out, ")\n");
}

void compare_write_text(const struct comparison *c, const struct model *base,
			const struct model *cand, int exit_code, struct buf *out)
{
	const struct compare_options *o = &c->options;
	write_runs_line(out, "baseline", base);
	write_runs_line(out, "candidate", cand);
	buf_printf(out, "confidence %g %%, noise threshold %g %% (error rate %g points)\n\n",
		   o->confidence * 100, o->threshold[CMP_P50] * 100,
		   o->threshold[CMP_ERROR_RATE] * 100);
	struct text_table t;
	text_table_init(&t, 9, 2);
	static const char *const heads[] = {"endpoint", "metric", "baseline", "interval",
					    "candidate", "interval", "change", "interval",
					    "verdict"};
	size_t r = text_table_add_row(&t);
	for (size_t i = 0; i < PG_ARRAY_LEN(heads); i++)
		text_table_set(&t, r, i, heads[i]);
	struct buf cell;
	buf_init(&cell);
	char a[48], b[48];
	for (size_t i = 0; i < c->count; i++) {
		const struct compare_row *row = &c->rows[i];
		r = text_table_add_row(&t);
		str_put_visible_cut(&cell, endpoint_name(row->endpoint), 60);
		set_cell(&t, r, 0, &cell);
		buf_printf(&cell, "%s%s", compare_metric_name(row->metric), row->gated ? "" : " (not gated)");
		set_cell(&t, r, 1, &cell);
		for (int side = 0; side < 2; side++) {
			const struct compare_side *s = side ? &row->cand : &row->base;
			if (s->has_value) {
				value_text(a, row->unit, s->value);
				buf_printf(&cell, "%s%s", s->estimate ? "~" : "", a);
			} else {
				buf_puts(&cell, "-");
			}
			set_cell(&t, r, 2 + 2 * (size_t)side, &cell);
			side_interval_text(&cell, row, s);
			set_cell(&t, r, 3 + 2 * (size_t)side, &cell);
		}
		change_text(a, row, row->change);
		text_table_set(&t, r, 6, a);
		if (isfinite(row->change_lo)) {
			change_text(a, row, row->change_lo);
			change_text(b, row, row->change_hi);
			buf_printf(&cell, "[%s, %s]", a, b);
		}
		set_cell(&t, r, 7, &cell);
		text_table_set(&t, r, 8, change_verdict_name(row->verdict));
	}
	text_table_print(&t, out);
	text_table_fini(&t);
	/* why, for every gated row that is not a plain "no change" (--verdict has them all) */
	bool first = true;
	for (size_t i = 0; i < c->count; i++) {
		const struct compare_row *row = &c->rows[i];
		if (row->verdict == CHANGE_NONE || !row->gated)
			continue;
		buf_puts(out, first ? "\n" : "");
		first = false;
		buf_printf(out, "%s: %s at ", change_verdict_name(row->verdict),
			   compare_metric_name(row->metric));
		str_put_visible_cut(out, endpoint_name(row->endpoint), 120);
		buf_printf(out, ": %s\n", row->reason ? row->reason : "");
	}
	if (c->note_count)
		buf_puts(out, "\n");
	for (size_t i = 0; i < c->note_count; i++) {
		buf_puts(out, "note: ");
		str_put_visible_cut(out, c->notes[i], 400);
		buf_puts(out, "\n");
	}
	buf_printf(out,
		   "\n%s: %zu regression%s, %zu improvement%s, %zu inconclusive, %zu no change "
		   "(gated metrics)\n",
		   compare_outcome_name(exit_code), c->regressions, c->regressions == 1 ? "" : "s",
		   c->improvements, c->improvements == 1 ? "" : "s", c->inconclusive, c->unchanged);
	buf_fini(&cell);
}

/* ---- JSON ---- */

static void write_side_runs(struct jsonw *w, const char *key, const struct model *m)
{
	jsonw_key(w, key);
	jsonw_array(w);
	for (size_t i = 0; i < m->run_count; i++) {
		jsonw_object(w);
		model_json_write_run_header(w, m->runs[i]);
		jsonw_end(w);
	}
	jsonw_end(w);
}

static void write_side(struct jsonw *w, const char *key, const struct compare_row *row,
		       const struct compare_side *s, double confidence)
{
	jsonw_key(w, key);
	jsonw_object(w);
	jsonw_key(w, "value");
	if (s->has_value)
		jsonw_double(w, s->value);
	else
		jsonw_null(w);
	jsonw_key(w, "runs");
	jsonw_int(w, (int64_t)s->runs);
	jsonw_key(w, "precision");
	jsonw_string(w, s->has_value ? model_precision_name(s->precision) : NULL);
	jsonw_key(w, "estimate");
	jsonw_bool(w, s->estimate);
	char text[48];
	struct buf cell;
	buf_init(&cell);
	if (s->has_value)
		value_text(text, row->unit, s->value);
	jsonw_key(w, "text");
	buf_printf(&cell, "%s%s", s->has_value && s->estimate ? "~" : "",
		   s->has_value ? text : "-");
	jsonw_string(w, cell.data);
	buf_clear(&cell);
	side_interval_text(&cell, row, s);
	jsonw_key(w, "interval_text");
	jsonw_string(w, cell.data ? cell.data : "");
	buf_fini(&cell);
	jsonw_key(w, "interval");
	if (s->has_value && s->interval.why == INTERVAL_OK) {
		jsonw_object_inline(w);
		jsonw_key(w, "kind");
		jsonw_string(w, s->interval_is_spread ? "runs" : "confidence");
		jsonw_key(w, "lo");
		jsonw_double(w, s->interval.lo);
		jsonw_key(w, "hi");
		jsonw_double(w, s->interval.hi); /* +Inf (open-ended) writes null */
		jsonw_key(w, "open");
		jsonw_bool(w, isinf(s->interval.hi));
		jsonw_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "no_interval");
	if (s->has_value && s->interval.why != INTERVAL_OK) {
		struct buf why;
		buf_init(&why);
		double q = row->metric <= CMP_P99 ? (double[]){0.5, 0.9, 0.95, 0.99}[row->metric] : NAN;
		if (row->metric == CMP_MEAN && s->interval.why == INTERVAL_REPORTED)
			buf_puts(&why, "a mean the tool reported: one run gives no interval "
				       "(repeat the run)");
		else if (s->interval.why == INTERVAL_REPORTED || isfinite(q))
			interval_explain(&s->interval, q, confidence, &why);
		else
			buf_puts(&why, "one number per run: no interval from one run");
		jsonw_string(w, why.data ? why.data : "");
		buf_fini(&why);
	} else {
		jsonw_null(w);
	}
	jsonw_end(w);
}

/* A sign for tables that also reads without colour: ✅ ❌ ❔ ➖ ⬆. */
static const char *verdict_mark(enum change_verdict v)
{
	static const char *const marks[] = {"\u2705", "\u274c", "\u2b06\ufe0f", "\u2754",
					    "\u2796"};
	return marks[v];
}

static void write_row(struct jsonw *w, const struct comparison *c, const struct compare_row *row)
{
	jsonw_object(w);
	jsonw_key(w, "endpoint");
	jsonw_string(w, row->endpoint);
	jsonw_key(w, "metric");
	jsonw_string(w, compare_metric_name(row->metric));
	jsonw_key(w, "unit");
	jsonw_string(w, model_unit_json_name(row->unit));
	jsonw_key(w, "gated");
	jsonw_bool(w, row->gated);
	jsonw_key(w, "threshold");
	jsonw_double(w, row->threshold);
	write_side(w, "baseline", row, &row->base, c->options.confidence);
	write_side(w, "candidate", row, &row->cand, c->options.confidence);
	jsonw_key(w, "change_kind");
	jsonw_string(w, row->metric == CMP_ERROR_RATE ? "difference" : "relative");
	jsonw_key(w, "change");
	jsonw_double(w, row->change);
	jsonw_key(w, "change_interval");
	if (isfinite(row->change_lo) && isfinite(row->change_hi)) {
		jsonw_array_inline(w);
		jsonw_double(w, row->change_lo);
		jsonw_double(w, row->change_hi);
		jsonw_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_key(w, "p_value");
	jsonw_double(w, row->p_value);
	jsonw_key(w, "per_run");
	jsonw_bool(w, row->per_run);
	jsonw_key(w, "verdict");
	jsonw_string(w, change_verdict_json_name(row->verdict));
	jsonw_key(w, "need_runs");
	if (row->need_runs)
		jsonw_int(w, (int64_t)row->need_runs);
	else
		jsonw_null(w);
	jsonw_key(w, "reason");
	jsonw_string(w, row->reason);
	/* the same for people (the Markdown template's cells) */
	char a[48], b[48], both[100];
	jsonw_key(w, "endpoint_text");
	jsonw_string(w, row->endpoint ? row->endpoint : "whole run");
	change_text(a, row, row->change);
	jsonw_key(w, "change_text");
	jsonw_string(w, a);
	both[0] = 0;
	if (isfinite(row->change_lo)) {
		change_text(a, row, row->change_lo);
		change_text(b, row, row->change_hi);
		snprintf(both, sizeof both, "[%s, %s]", a, b);
	}
	jsonw_key(w, "change_interval_text");
	jsonw_string(w, both);
	jsonw_key(w, "verdict_text");
	jsonw_string(w, change_verdict_name(row->verdict));
	jsonw_key(w, "verdict_mark");
	jsonw_string(w, verdict_mark(row->verdict));
	jsonw_key(w, "explain");
	jsonw_bool(w, row->verdict != CHANGE_NONE);
	jsonw_end(w);
}

static void write_shift(struct jsonw *w, const struct shift_function *f)
{
	jsonw_object(w);
	jsonw_key(w, "endpoint");
	jsonw_string(w, f->endpoint);
	jsonw_key(w, "tail_only");
	jsonw_bool(w, f->tail_only);
	jsonw_key(w, "points");
	jsonw_array(w);
	for (size_t i = 0; i < f->count; i++) {
		const struct shift_point *p = &f->points[i];
		jsonw_object_inline(w);
		jsonw_key(w, "q");
		jsonw_double(w, p->q);
		jsonw_key(w, "baseline");
		jsonw_double(w, p->base);
		jsonw_key(w, "candidate");
		jsonw_double(w, p->cand);
		jsonw_key(w, "change");
		jsonw_double(w, p->change);
		jsonw_key(w, "lo");
		jsonw_double(w, p->lo);
		jsonw_key(w, "hi");
		jsonw_double(w, p->hi);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_end(w);
}

void compare_write_json(const struct comparison *c, const struct model *base,
			const struct model *cand, int exit_code, const struct drawn_chart *charts,
			size_t chart_count, struct buf *out)
{
	struct jsonw w;
	jsonw_init(&w, out);
	jsonw_object(&w);
	jsonw_key(&w, "format");
	jsonw_string(&w, "perfgate-compare");
	jsonw_key(&w, "version");
	jsonw_int(&w, 1);
	jsonw_key(&w, "outcome");
	jsonw_string(&w, compare_outcome_name(exit_code));
	jsonw_key(&w, "exit_code");
	jsonw_int(&w, exit_code);
	jsonw_key(&w, "confidence");
	jsonw_double(&w, c->options.confidence);
	jsonw_key(&w, "resamples");
	jsonw_int(&w, c->options.resamples);
	jsonw_key(&w, "thresholds");
	jsonw_object_inline(&w);
	for (int m = 0; m < CMP__COUNT; m++) {
		jsonw_key(&w, compare_metric_name((enum compare_metric)m));
		jsonw_double(&w, c->options.threshold[m]);
	}
	jsonw_end(&w);
	jsonw_key(&w, "gated");
	jsonw_array_inline(&w);
	for (int m = 0; m < CMP__COUNT; m++)
		if (c->options.gate[m])
			jsonw_string(&w, compare_metric_name((enum compare_metric)m));
	jsonw_end(&w);
	jsonw_key(&w, "summary");
	jsonw_object_inline(&w);
	jsonw_key(&w, "regressions");
	jsonw_int(&w, (int64_t)c->regressions);
	jsonw_key(&w, "improvements");
	jsonw_int(&w, (int64_t)c->improvements);
	jsonw_key(&w, "inconclusive");
	jsonw_int(&w, (int64_t)c->inconclusive);
	jsonw_key(&w, "no_change");
	jsonw_int(&w, (int64_t)c->unchanged);
	jsonw_end(&w);
	write_side_runs(&w, "baseline_runs", base);
	write_side_runs(&w, "candidate_runs", cand);
	/* sentences for people (the Markdown template) */
	struct buf text;
	buf_init(&text);
	jsonw_key(&w, "outcome_text");
	jsonw_string(&w, exit_code == 1 ? "regression" : exit_code == 3 ? "inconclusive"
									 : "no regression");
	for (int side = 0; side < 2; side++) {
		write_runs_line(&text, side ? "candidate" : "baseline", side ? cand : base);
		text.data[--text.len] = 0; /* no final newline */
		jsonw_key(&w, side ? "candidate_text" : "baseline_text");
		jsonw_string(&w, text.data);
		buf_clear(&text);
	}
	buf_printf(&text, "confidence %g %%, noise threshold %g %% (error rate %g points)",
		   c->options.confidence * 100, c->options.threshold[CMP_P50] * 100,
		   c->options.threshold[CMP_ERROR_RATE] * 100);
	jsonw_key(&w, "settings_text");
	jsonw_string(&w, text.data);
	buf_fini(&text);
	bool explain = false;
	for (size_t i = 0; i < c->count; i++)
		explain = explain || c->rows[i].verdict != CHANGE_NONE;
	jsonw_key(&w, "has_reasons");
	jsonw_bool(&w, explain);
	jsonw_key(&w, "has_notes");
	jsonw_bool(&w, c->note_count > 0);
	jsonw_key(&w, "rows");
	jsonw_array(&w);
	for (size_t i = 0; i < c->count; i++)
		write_row(&w, c, &c->rows[i]);
	jsonw_end(&w);
	jsonw_key(&w, "shift");
	jsonw_array(&w);
	for (size_t i = 0; i < c->shift_count; i++)
		write_shift(&w, &c->shifts[i]);
	jsonw_end(&w);
	jsonw_key(&w, "notes");
	jsonw_array(&w);
	for (size_t i = 0; i < c->note_count; i++)
		jsonw_string(&w, c->notes[i]);
	jsonw_end(&w);
	jsonw_key(&w, "has_charts");
	jsonw_bool(&w, chart_count > 0);
	jsonw_key(&w, "charts");
	jsonw_array(&w);
	for (size_t i = 0; i < chart_count; i++) {
		jsonw_object_inline(&w);
		jsonw_key(&w, "name");
		jsonw_string(&w, charts[i].name);
		jsonw_key(&w, "title");
		jsonw_string(&w, charts[i].title);
		jsonw_key(&w, "path");
		jsonw_string(&w, charts[i].path);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_finish(&w);
}

bool compare_write_markdown(const struct buf *json, const char *template_path,
			    const char *path, struct diag *d)
{
	json_error_t error;
	json_t *context = json_loadb(json->data, json->len, 0, &error);
	if (!context) /* our own document: a bug if it does not parse */
		abort();
	struct buf out;
	buf_init(&out);
	bool ok = markdown_render(context, template_path, "compare.md.mustache",
				  markdown_escape_for(path), &out, d) &&
		  io_write_output(path, &out, "the Markdown comparison", d);
	json_decref(context);
	buf_fini(&out);
	return ok;
}
