/*
 * builder.c - the narrow API front ends push observations through (ingest.h).
 *
 * It keeps format code away from model internals and puts the checks every front end needs in
 * one place: labels (LABEL=PATH, titles, paths), provenance on every series, rejection of
 * negative and non-finite samples, scaling into histogram units, and the end-of-input report of
 * values clamped to the histogram range. All memory lives in the builder's model.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"

void builder_init(struct builder *b, struct model *model, const char *path, const char *label,
		  struct diag *diag)
{
	b->model = model;
	/* series and runs keep the path as provenance: a copy the model owns, not the caller's */
	b->path = path ? arena_strdup(&model->arena, path) : NULL;
	b->label = label;
	b->label_is_path = false;
	b->diag = diag;
	b->rules = NULL;
	b->skipped = 0;
	b->skips_shown = 0;
	b->result_count = 0;
	b->label_warned = false;
	b->server = NULL;
	b->jobs = 1;
	b->endpoint_memory = SIZE_MAX;
	b->keep_endpoint = NULL;
	b->keep_ctx = NULL;
}

/*
 * The index-th name of a comma-separated LABEL list, copied into the arena, when the list has
 * exactly b->result_count non-empty names; else NULL (reported once per input).
 */
static const char *listed_label(struct builder *b, size_t index)
{
	size_t names = 1;
	bool empty = false;
	const char *start = b->label;
	for (const char *p = b->label;; p++) {
		if (*p != ',' && *p != '\0')
			continue;
		empty |= p == start;
		start = p + 1;
		if (*p == '\0')
			break;
		names++;
	}
	if (names == b->result_count && !empty && index < names) {
		const char *p = b->label;
		for (size_t i = 0; i < index; i++)
			p = strchr(p, ',') + 1;
		return arena_strndup(&b->model->arena, p, strcspn(p, ","));
	}
	if (!b->label_warned) {
		b->label_warned = true;
		struct diag_loc loc = source_file_loc(b->path);
		diag_report(b->diag, DIAG_LABEL_COUNT, &loc,
			    "the label list '%s' names %zu run(s)%s, but this input holds %zu "
			    "results; they are labelled as by a LABEL without commas ('%s#N', "
			    "'%s/title')",
			    b->label, names, empty ? " with an empty name" : "", b->result_count,
			    b->label, b->label);
	}
	return NULL;
}

struct run *builder_run(struct builder *b, const char *tool, const char *title, size_t index,
			bool multiple)
{
	struct arena *a = &b->model->arena;
	const char *label = NULL;
	size_t path_len = 0; /* the label starts with a path of this length */
	if (b->label && !b->label_is_path && multiple && b->result_count > 0 &&
	    strchr(b->label, ','))
		label = listed_label(b, index);
	if (!label) {
		if (b->label && multiple)
			label = title ? arena_printf(a, "%s/%s", b->label, title)
				      : arena_printf(a, "%s#%zu", b->label, index + 1);
		else if (b->label)
			label = b->label;
		else if (title)
			label = title;
		else if (multiple)
			label = arena_printf(a, "%s#%zu", b->path, index + 1);
		else
			label = b->path;
		if (b->label && b->label_is_path)
			path_len = strlen(b->label);
		else if (!b->label && !title)
			path_len = strlen(b->path);
	}
	struct run *run = model_get_run(b->model, label, tool);
	if (run->source_count == 0)
		run->label_path_len = path_len;
	model_run_add_source(b->model, run, b->path);
	return run;
}

void builder_run_concurrency(struct builder *b, struct run *run, double value, const char *unit)
{
	(void)b;
	run->concurrency = value;
	run->concurrency_unit = unit;
}

void builder_run_duration(struct builder *b, struct run *run, double seconds)
{
	(void)b;
	run->duration_s = seconds;
}

void builder_run_start(struct builder *b, struct run *run, int64_t us)
{
	(void)b;
	run->start_us = us;
	run->has_start = true;
}

void builder_run_end(struct builder *b, struct run *run, int64_t us)
{
	(void)b;
	run->end_us = us;
	run->has_end = true;
}

void builder_run_span(struct builder *b, struct run *run, int64_t start_us, int64_t end_us)
{
	builder_run_start(b, run, start_us);
	builder_run_end(b, run, end_us);
	builder_run_duration(b, run, (double)(end_us - start_us) / 1e6);
}

void builder_run_label(struct builder *b, struct run *run, const char *label)
{
	run->label = arena_strdup(&b->model->arena, label);
}

void builder_run_source(struct builder *b, struct run *run, const char *path)
{
	model_run_add_source(b->model, run, path);
}

void builder_run_threshold(struct builder *b, struct run *run, const char *metric,
			   const char *source, enum threshold_result result, bool abort_on_fail)
{
	model_run_add_threshold(b->model, run, metric, source, result, abort_on_fail);
}

const char *builder_endpoint_in(struct builder *b, const char *method, const char *name,
				size_t len, struct buf *out)
{
	char *grouped = endpoint_rules_apply(b->rules, name, len, b->diag);
	if (grouped) {
		name = grouped;
		len = strlen(grouped);
	}
	size_t m = method ? strlen(method) : 0;
	buf_clear(out);
	if (m && !(len > m && strncmp(name, method, m) == 0 && name[m] == ' '))
		buf_printf(out, "%s ", method);
	buf_append(out, name, len);
	free(grouped);
	return out->data;
}

const char *builder_endpoint(struct builder *b, const char *method, const char *name,
			     size_t len)
{
	struct buf out;
	buf_init(&out);
	const char *result = arena_strdup(&b->model->arena,
					  builder_endpoint_in(b, method, name, len, &out));
	buf_fini(&out);
	return result;
}

struct series *builder_series_created(struct builder *b, struct run *run, const char *metric,
				      const char *endpoint, const struct tag *tags,
				      size_t tag_count, enum series_kind kind,
				      enum precision precision, enum unit unit, bool *created)
{
	struct series *s = model_get_series(b->model, run, metric, endpoint, tags, tag_count,
					    kind, precision, unit, created);
	if (!s->source)
		s->source = b->path;
	return s;
}

struct series *builder_series(struct builder *b, struct run *run, const char *metric,
			      const char *endpoint, const struct tag *tags, size_t tag_count,
			      enum series_kind kind, enum precision precision, enum unit unit)
{
	return builder_series_created(b, run, metric, endpoint, tags, tag_count, kind, precision,
				      unit, NULL);
}

struct series *builder_trend(struct builder *b, struct run *run, const char *metric,
			     const char *endpoint, enum precision precision, enum unit unit)
{
	return builder_series(b, run, metric, endpoint, NULL, 0, SERIES_TREND, precision, unit);
}

void builder_timeline(struct builder *b, struct series *s, bool with_hist)
{
	(void)b;
	if (s->timeline)
		return;
	s->timeline = xcalloc(1, sizeof *s->timeline);
	struct hist_layout layout;
	with_hist = with_hist && s->has_hist &&
		    hist_layout(s->hist.layout.highest_trackable_value, TIMELINE_HIST_DIGITS,
				&layout);
	timeline_init(s->timeline, with_hist ? &layout : NULL);
	if (!s->endpoint && s->tag_count == 0)
		timeline_reserve(s->timeline); /* a run total spans the whole run */
}

/* value in histogram units, at or above it (hist_units_of), saturating */
static int64_t scaled_value(const struct series *s, double value)
{
	return hist_units_of(value * s->scale);
}

bool builder_sample(struct builder *b, struct series *s, int64_t time_us, double value)
{
	(void)b;
	if (!isfinite(value))
		return false;
	int64_t scaled = 0;
	switch (s->kind) {
	case SERIES_TREND:
		if (value < 0 || !s->has_hist)
			return false;
		scaled = scaled_value(s, value);
		hist_record(&s->hist, scaled, 1);
		break;
	case SERIES_COUNTER:
		s->total += value;
		break;
	case SERIES_RATE:
		value = value != 0;
		s->total += 1;
		s->passes += value;
		break;
	case SERIES_GAUGE:
		model_gauge_update(&s->gauge, value, time_us);
		break;
	}
	if (s->timeline)
		timeline_add(s->timeline, time_us, value, scaled);
	return true;
}

bool builder_same_trends(struct series *const *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i]->kind != SERIES_TREND || !s[i]->has_hist || s[i]->scale != s[0]->scale ||
		    s[i]->hist.layout.highest_trackable_value !=
			s[0]->hist.layout.highest_trackable_value ||
		    s[i]->hist.layout.significant_digits != s[0]->hist.layout.significant_digits)
			return false;
	return true;
}

bool builder_sample_trends(struct builder *b, struct series *const *s, int n, int64_t time_us,
			   double value, struct hist *into)
{
	(void)b;
	if (!isfinite(value) || value < 0)
		return false;
	int64_t scaled = scaled_value(s[0], value);
	hist_record(into, scaled, 1);
	for (int i = 0; i < n; i++)
		if (s[i]->timeline)
			timeline_add(s[i]->timeline, time_us, value, scaled);
	return true;
}

void builder_timeline_add(struct builder *b, struct series *s, int64_t time_us, double value)
{
	if (!isfinite(value))
		return;
	builder_timeline(b, s, false);
	int64_t scaled = s->kind == SERIES_TREND && value >= 0 ? scaled_value(s, value) : 0;
	timeline_add(s->timeline, time_us, value, scaled);
}

bool builder_record(struct builder *b, struct series *s, double value, int64_t count)
{
	(void)b;
	if (!isfinite(value) || value < 0 || !s->has_hist)
		return false;
	hist_record(&s->hist, scaled_value(s, value), count);
	return true;
}

void builder_quantile(struct builder *b, struct series *s, double q, double value)
{
	(void)b;
	reported_add_point(&s->reported, q, value);
}

void builder_clear_quantiles(struct builder *b, struct series *s)
{
	(void)b;
	s->reported.point_count = 0;
}

void builder_stat(struct builder *b, struct series *s, enum stat_kind stat, double value)
{
	(void)b;
	reported_set_stat(&s->reported, stat, value);
}

void builder_count(struct builder *b, struct run *run, const char *metric,
		   const char *endpoint, const struct tag *tags, size_t tag_count, double value)
{
	enum unit unit = model_metric_lookup(metric) == METRIC_BYTES_IN ||
				 model_metric_lookup(metric) == METRIC_BYTES_OUT
			 ? UNIT_BYTES : UNIT_COUNT;
	struct series *s = builder_series(b, run, metric, endpoint, tags, tag_count, SERIES_COUNTER,
					  PREC_EXACT, unit);
	s->total += value;
}

void builder_vskip(struct builder *b, const struct diag_loc *loc, const char *fmt, va_list ap)
{
	b->skipped++;
	if (b->skips_shown < BUILDER_SKIPS_SHOWN) {
		b->skips_shown++;
		diag_vreport(b->diag, DIAG_LINE_SKIPPED, loc, fmt, ap);
	}
}

void builder_count_skipped(struct builder *b, uint64_t lines)
{
	b->skipped += lines;
}

void builder_report_skips(struct builder *b, uint64_t lines)
{
	if (!b->skipped)
		return;
	char shown[48] = "";
	if (b->skips_shown == BUILDER_SKIPS_SHOWN && b->skipped > b->skips_shown)
		snprintf(shown, sizeof shown, " (the first %d are shown above)", BUILDER_SKIPS_SHOWN);
	struct diag_loc loc = source_file_loc(b->path);
	diag_report(b->diag, DIAG_LINES_SKIPPED, &loc, "%llu of %llu lines skipped%s",
		    (unsigned long long)b->skipped, (unsigned long long)lines, shown);
}

/* Warns when the percentiles a tool reported for s decrease (DIAG_PERCENTILES_DECREASE). */
static void check_reported_order(struct builder *b, const struct run *run,
				 const struct series *s)
{
	const struct reported *r = &s->reported;
	for (size_t k = 1; k < r->point_count; k++) {
		if (!(r->points[k].value < r->points[k - 1].value))
			continue;
		struct diag_loc loc = source_file_loc(s->source ? s->source : b->path);
		char lo[32], hi[32], a[32], c[32];
		str_format_double(lo, r->points[k - 1].q * 100);
		str_format_double(hi, r->points[k].q * 100);
		str_format_double(a, r->points[k - 1].value);
		str_format_double(c, r->points[k].value);
		const char *u = model_unit_name(s->unit);
		diag_report(b->diag, DIAG_PERCENTILES_DECREASE, &loc,
			    "the percentiles reported for '%s'%s%s of run '%s' decrease: p%s = %s%s%s "
			    "but p%s = %s%s%s; kept as written", s->metric, s->endpoint ? " at " : "",
			    s->endpoint ? s->endpoint : "", run->label, lo, a, *u ? " " : "", u, hi, c,
			    *u ? " " : "", u);
		return;
	}
}

void builder_finish(struct builder *b)
{
	for (size_t i = 0; i < b->model->run_count; i++) {
		const struct run *run = b->model->runs[i];
		for (size_t j = 0; j < run->series_count; j++) {
			const struct series *s = run->series[j];
			if (s->precision == PREC_QUANTILES)
				check_reported_order(b, run, s);
			if (s->timeline)
				timeline_flush(s->timeline);
			/*
			 * every sample also lands in its run total (the series without endpoint
			 * and tags), so clamps are said once, there
			 */
			if (!s->has_hist || (!s->hist.clamped_low && !s->hist.clamped_high) ||
			    s->tag_count > 0 || s->endpoint)
				continue;
			struct diag_loc loc = source_file_loc(b->path);
			char top[32];
			str_format_double(top, (double)s->hist.layout.highest_trackable_value /
						       s->scale);
			diag_report(b->diag, DIAG_VALUES_CLAMPED, &loc,
				    "%lld value(s) of '%s' in run '%s' lay above the histogram's "
				    "range and were recorded as %s %s",
				    (long long)s->hist.clamped_high, s->metric, run->label, top,
				    model_unit_name(s->unit));
		}
	}
}
