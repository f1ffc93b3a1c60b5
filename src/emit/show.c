/*
 * show.c - the model as `perfgate show` prints it: a text dump and the JSON interface.
 *
 * Text is a stable, line-oriented dump for people and golden tests: per run a header, the run
 * totals, a table of trend series and a line of counters. Every number carries its unit; a
 * value interpolated from reported percentiles is prefixed with '~' and a legend says so. JSON
 * is the machine interface, documented in formats/show-json.md; it shares the run and series
 * members with model JSON (model_json_write_run_header and friends), so the two cannot drift.
 *
 * Run totals: requests and errors are the counters of those names; rps is the mean of the
 * run's `rps` trend when the tool reported one (as the tool printed it), else requests over
 * the duration; error_rate is errors / (requests + unanswered) (model_run_totals_at, one rule for
 * show, budgets and the report).
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/jsonw.h"
#include "../util/timefmt.h"
#include "emit.h"

/* "p50", "p99.9", "p99.99", "p0.001" */
static void percentile_key(double percent, char out[40])
{
	char number[32];
	str_format_double(number, percent);
	snprintf(out, 40, "p%s", number);
}

/* ---- JSON ---- */

static void json_value(struct jsonw *w, struct value v)
{
	if (v.kind == VALUE_MISSING)
		jsonw_null(w);
	else
		jsonw_double(w, v.number);
}

/* The confidence of the intervals show --json gives each percentile. */
#define SHOW_CONFIDENCE 0.95

/*
 * "intervals": each percentile's 95 % confidence interval from this run's samples
 * ({"lo", "hi"}, hi null when open above a +Inf bucket), or null with the reason in
 * "no_interval" (analysis/interval.c, docs/statistics.md §1).
 */
static void json_intervals(struct jsonw *w, const struct series *s, const struct show_view *o,
			   char keys[][40])
{
	struct buf why;
	buf_init(&why);
	jsonw_key(w, "intervals");
	jsonw_object(w);
	for (size_t i = 0; i < o->percent_count; i++) {
		double q = model_quantile_of_percent(o->percents[i]);
		struct value_interval iv = interval_of_quantile(s, q, SHOW_CONFIDENCE);
		jsonw_key(w, keys[i]);
		if (iv.why != INTERVAL_OK) {
			jsonw_null(w);
			if (!why.len)
				interval_explain(&iv, q, SHOW_CONFIDENCE, &why);
			continue;
		}
		jsonw_object_inline(w);
		jsonw_key(w, "lo");
		jsonw_double(w, iv.lo);
		jsonw_key(w, "hi");
		jsonw_double(w, iv.hi);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_key(w, "no_interval");
	jsonw_string(w, why.len ? why.data : NULL);
	buf_fini(&why);
}

static void json_trend(struct jsonw *w, const struct series *s, const struct show_view *o)
{
	const char *estimates[SHOW_MAX_PERCENTILES + STAT__COUNT];
	size_t estimate_count = 0;
	char keys[SHOW_MAX_PERCENTILES][40];

	jsonw_object(w);
	model_json_write_series_key(w, s);
	jsonw_key(w, "precision");
	jsonw_string(w, model_precision_name(s->precision));
	jsonw_key(w, "unit");
	jsonw_string(w, model_unit_json_name(s->unit));
	jsonw_key(w, "source");
	jsonw_string(w, s->source);
	jsonw_key(w, "server");
	jsonw_bool(w, s->server);
	for (int i = 0; i < STAT__COUNT; i++) {
		struct value v = model_series_stat(s, (enum stat_kind)i);
		jsonw_key(w, model_stat_name((enum stat_kind)i));
		json_value(w, v);
		if (v.kind == VALUE_ESTIMATE)
			estimates[estimate_count++] = model_stat_name((enum stat_kind)i);
	}
	jsonw_key(w, "percentiles");
	jsonw_object(w);
	for (size_t i = 0; i < o->percent_count; i++) {
		struct value v = model_series_value_at(s, model_quantile_of_percent(o->percents[i]));
		percentile_key(o->percents[i], keys[i]);
		jsonw_key(w, keys[i]);
		json_value(w, v);
		if (v.kind == VALUE_ESTIMATE)
			estimates[estimate_count++] = keys[i];
	}
	jsonw_end(w);
	jsonw_key(w, "estimates");
	jsonw_array_inline(w);
	for (size_t i = 0; i < estimate_count; i++)
		jsonw_string(w, estimates[i]);
	jsonw_end(w);
	json_intervals(w, s, o, keys);
	jsonw_end(w);
}

/* A counter, rate or gauge: key, unit (counters, gauges), values (and a rate's share). */
static void json_scalar(struct jsonw *w, const struct series *s)
{
	jsonw_object_inline(w);
	model_json_write_series_key(w, s);
	if (s->kind != SERIES_RATE) {
		jsonw_key(w, "unit");
		jsonw_string(w, model_unit_json_name(s->unit));
	}
	model_json_write_scalars(w, s);
	if (s->kind == SERIES_RATE) {
		jsonw_key(w, "rate");
		jsonw_double(w, s->total > 0 ? s->passes / s->total : NAN);
	}
	if (s->kind == SERIES_COUNTER && s->server) {
		/* per second of the window the increase covers (null when it has no times) */
		jsonw_key(w, "rate");
		jsonw_double(w, s->span_s > 0 ? s->total / s->span_s : NAN);
	}
	if (s->kind == SERIES_GAUGE && s->server) {
		jsonw_key(w, "mean");
		jsonw_double(w, s->gauge.weight > 0 ? s->gauge.sum / s->gauge.weight : NAN);
	}
	if (s->kind != SERIES_RATE) {
		jsonw_key(w, "server");
		jsonw_bool(w, s->server);
	}
	jsonw_end(w);
}

/* "coordinated_omission": what the run's data says (formats/show-json.md). */
static void write_omission(struct jsonw *w, const struct run *run)
{
	struct omission co;
	omission_assess(run, &co);
	jsonw_key(w, "coordinated_omission");
	jsonw_object_inline(w);
	jsonw_key(w, "closed_loop");
	jsonw_bool(w, co.closed_loop);
	jsonw_key(w, "corrected");
	jsonw_bool(w, co.corrected);
	jsonw_key(w, "dropped_iterations");
	jsonw_double(w, co.dropped);
	jsonw_key(w, "intervals");
	if (co.checked)
		jsonw_int(w, (int64_t)co.intervals);
	else
		jsonw_null(w);
	jsonw_key(w, "stalls");
	jsonw_int(w, (int64_t)co.stalls);
	jsonw_key(w, "spikes");
	jsonw_int(w, (int64_t)co.spikes);
	jsonw_key(w, "flagged");
	jsonw_bool(w, co.flagged);
	struct buf note;
	buf_init(&note);
	omission_describe(&co, &note);
	jsonw_key(w, "note");
	jsonw_string(w, note.len ? note.data : NULL);
	buf_fini(&note);
	jsonw_end(w);
}

void show_write_json(const struct model *m, const struct show_view *o, struct buf *out)
{
	struct jsonw w;
	jsonw_init(&w, out);
	jsonw_object(&w);
	jsonw_key(&w, "runs");
	jsonw_array(&w);
	for (size_t i = 0; i < m->run_count; i++) {
		const struct run *run = m->runs[i];
		struct request_totals t = model_run_totals_at(run, NULL);
		jsonw_object(&w);
		model_json_write_run_header(&w, run);
		if (!run->has_window)
			model_json_write_window(&w, run); /* null: the whole run */
		write_omission(&w, run);
		jsonw_key(&w, "requests");
		json_value(&w, t.requests);
		jsonw_key(&w, "errors");
		json_value(&w, t.errors);
		jsonw_key(&w, "rps");
		json_value(&w, t.rps);
		jsonw_key(&w, "error_rate");
		json_value(&w, t.error_rate);
		jsonw_key(&w, "series");
		jsonw_array(&w);
		for (size_t j = 0; j < run->series_count; j++)
			if (run->series[j]->kind == SERIES_TREND)
				json_trend(&w, run->series[j], o);
		jsonw_end(&w);
		static const struct {
			const char *key;
			enum series_kind kind;
		} groups[] = {{"counters", SERIES_COUNTER}, {"rates", SERIES_RATE},
			      {"gauges", SERIES_GAUGE}};
		for (size_t g = 0; g < PG_ARRAY_LEN(groups); g++) {
			jsonw_key(&w, groups[g].key);
			jsonw_array(&w);
			for (size_t j = 0; j < run->series_count; j++)
				if (run->series[j]->kind == groups[g].kind)
					json_scalar(&w, run->series[j]);
			jsonw_end(&w);
		}
		jsonw_end(&w);
	}
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_finish(&w);
}

/* ---- text ---- */

/*
 * v for a reader: a whole number whole (17499, 24251826176), anything else to TEXT_DIGITS
 * significant digits, or to a whole number when its integer part has more (9.71818711018711 ->
 * 9.718, 348.419562345914 -> 348.4, 12345.6 -> 12346). The last digits of a mean or a rate
 * are noise in a table, and a histogram's percentile holds 3 digits; JSON keeps every digit.
 */
enum { TEXT_DIGITS = 4 };
static void format_readable(char out[32], double v)
{
	if (isfinite(v) && v != floor(v)) {
		int digits = fabs(v) >= 1 ? (int)floor(log10(fabs(v))) + 1 : 0;
		v = digits >= TEXT_DIGITS ? round(v) : str_round_significant(v, TEXT_DIGITS);
	}
	str_format_double(out, v);
}

/* A number with its unit ("12.51 ms", "88674 req/s", "3 B"), '~' when estimated. */
static void format_value(char *out, size_t size, struct value v, enum unit unit)
{
	if (v.kind == VALUE_MISSING) {
		snprintf(out, size, "-");
		return;
	}
	char number[32];
	format_readable(number, v.number);
	const char *u = model_unit_name(unit);
	snprintf(out, size, "%s%s%s%s", v.kind == VALUE_ESTIMATE ? "~" : "", number, *u ? " " : "",
		 u);
}

/* CELL_MAX: the widest text cell (a name from an input), cut with an ellipsis past it */
enum { CELL = 64, CELL_MAX = 200 };

/* "metric{key=value,...}" appended to out. */
static void series_name(struct buf *out, const struct series *s)
{
	str_put_visible_cut(out, s->metric, CELL_MAX);
	for (size_t i = 0; i < s->tag_count; i++) {
		buf_puts(out, i ? "," : "{");
		str_put_visible_cut(out, s->tags[i].key, CELL_MAX);
		buf_putc(out, '=');
		str_put_visible_cut(out, s->tags[i].value, CELL_MAX);
	}
	if (s->tag_count)
		buf_putc(out, '}');
}

/*
 * Text lists the whole-run and per-endpoint series; tag breakdowns only with --breakdown. A
 * server series' job and instance name its target, not a breakdown.
 */
static bool shown(const struct series *s, const struct show_view *o)
{
	if (o->breakdown)
		return true;
	for (size_t i = 0; i < s->tag_count; i++)
		if (!s->server || (strcmp(s->tags[i].key, "job") != 0 &&
				   strcmp(s->tags[i].key, "instance") != 0))
			return false;
	return true;
}

/*
 * A server value for text, to 6 significant digits (JSON keeps every digit): shares as
 * percentages, everything else with its unit.
 */
static void format_server_value(char *out, size_t size, double v, enum unit unit)
{
	if (unit == UNIT_RATIO) {
		char number[32];
		format_readable(number, v * 100);
		snprintf(out, size, "%s %%", number);
		return;
	}
	format_value(out, size, (struct value){v, VALUE_EXACT}, unit);
}

/* One line per server series: what its kind keeps (formats/prometheus.md). */
static void print_server(const struct run *run, const struct show_view *o, struct buf *out)
{
	bool first = true;
	for (size_t j = 0; j < run->series_count; j++) {
		const struct series *s = run->series[j];
		if (!s->server || !shown(s, o))
			continue;
		if (first)
			buf_puts(out, "  server:\n");
		first = false;
		struct buf line;
		buf_init(&line);
		series_name(&line, s);
		char a[64], b[64], c[64], d[64];
		switch (s->kind) {
		case SERIES_COUNTER:
			format_server_value(a, sizeof a, s->total, s->unit);
			buf_printf(&line, "  counter: increase %s", a);
			if (s->span_s > 0) {
				format_readable(b, s->total / s->span_s);
				buf_printf(&line, ", rate %s%s/s", b, s->unit == UNIT_BYTES ? " B" : "");
			}
			break;
		case SERIES_GAUGE:
			format_server_value(a, sizeof a, s->gauge.value, s->unit);
			format_server_value(b, sizeof b, s->gauge.min, s->unit);
			format_server_value(d, sizeof d, s->gauge.max, s->unit);
			buf_printf(&line, "  gauge: last %s, min %s", a, b);
			if (s->gauge.weight > 0) {
				format_server_value(c, sizeof c, s->gauge.sum / s->gauge.weight, s->unit);
				buf_printf(&line, ", avg %s", c);
			}
			buf_printf(&line, ", max %s", d);
			break;
		case SERIES_TREND: {
			struct value n = model_series_stat(s, STAT_COUNT);
			if (n.kind == VALUE_MISSING)
				format_value(a, sizeof a, n, UNIT_COUNT);
			else /* an extrapolated increase, as Prometheus's: not whole */
				format_server_value(a, sizeof a, n.number, UNIT_COUNT);
			buf_printf(&line, "  %s: count %s", s->has_buckets ? "histogram" : "summary", a);
			struct value mean = model_series_stat(s, STAT_MEAN);
			if (mean.kind != VALUE_MISSING) {
				format_server_value(b, sizeof b, mean.number, s->unit);
				buf_printf(&line, ", mean %s", b);
			}
			for (size_t i = 0; i < o->percent_count; i++) {
				struct value v = model_series_value_at(
					s, model_quantile_of_percent(o->percents[i]));
				percentile_key(o->percents[i], c);
				if (v.kind == VALUE_EXACT)
					format_server_value(d, sizeof d, v.number, s->unit);
				else
					format_value(d, sizeof d, v, s->unit);
				buf_printf(&line, ", %s %s", c, d);
			}
			break;
		}
		case SERIES_RATE:
			break;
		}
		buf_printf(out, "    %s\n", line.data);
		buf_fini(&line);
	}
}

/* One line of "name[@endpoint] value" items of one kind, wrapped at 100 columns. */
static void print_scalars(const struct run *run, const struct show_view *o,
			  enum series_kind kind, const char *title, struct buf *out)
{
	bool first = true;
	size_t column = 0, indent = strlen(title) + 4;
	for (size_t j = 0; j < run->series_count; j++) {
		const struct series *s = run->series[j];
		if (s->kind != kind || s->server || !shown(s, o))
			continue;
		char value[128];
		if (kind == SERIES_COUNTER) {
			format_value(value, sizeof value, (struct value){s->total, VALUE_EXACT},
				     s->unit);
		} else if (kind == SERIES_RATE) {
			char p[32] = "-", a[32], b[32];
			if (s->total > 0) /* no samples: no share (JSON: null) */
				snprintf(p, sizeof p, "%.4g %%", 100 * s->passes / s->total);
			format_readable(a, s->passes);
			format_readable(b, s->total);
			snprintf(value, sizeof value, "%s (%s/%s)", p, a, b);
		} else if (s->gauge.set) {
			char v[32], lo[32], hi[32];
			format_readable(v, s->gauge.value);
			format_readable(lo, s->gauge.min);
			format_readable(hi, s->gauge.max);
			snprintf(value, sizeof value, "%s (min %s, max %s)", v, lo, hi);
		} else {
			snprintf(value, sizeof value, "-");
		}
		struct buf item;
		buf_init(&item);
		series_name(&item, s);
		if (s->endpoint) {
			buf_putc(&item, '@');
			str_put_visible_cut(&item, s->endpoint, CELL_MAX);
		}
		buf_printf(&item, " %s", value);
		if (first) {
			buf_printf(out, "  %s: %s", title, item.data);
			column = indent + item.len;
		} else if (column + 2 + item.len > 100) {
			buf_printf(out, ",\n%*s%s", (int)indent, "", item.data);
			column = indent + item.len;
		} else {
			buf_printf(out, ", %s", item.data);
			column += 2 + item.len;
		}
		buf_fini(&item);
		first = false;
	}
	if (!first)
		buf_putc(out, '\n');
}

static bool show_text_run(const struct run *run, const struct show_view *o, struct buf *out)
{
	struct request_totals t = model_run_totals_at(run, NULL);
	char a[64], b[64], c[64];
	buf_puts(out, "run '");
	str_put_visible(out, run->label);
	buf_printf(out, "' (%s)\n", run->tool);
	/* a thousand snapshots make one run: name the first few and the last */
	enum { SOURCES_SHOWN = 8 };
	buf_puts(out, "  sources:");
	for (size_t i = 0; i < run->source_count; i++) {
		if (run->source_count > SOURCES_SHOWN && i == SOURCES_SHOWN - 1) {
			buf_printf(out, " ... (%zu more)", run->source_count - SOURCES_SHOWN);
			i = run->source_count - 1;
		}
		buf_putc(out, ' ');
		str_put_visible(out, run->sources[i]);
	}
	buf_putc(out, '\n');
	if (!isnan(run->concurrency)) {
		format_readable(a, run->concurrency);
		buf_printf(out, "  concurrency: %s %s\n", a,
			   run->concurrency_unit ? run->concurrency_unit : "");
	}
	if (!isnan(run->duration_s)) {
		format_readable(a, run->duration_s);
		buf_printf(out, "  duration: %s s", a);
		if (run->has_start && run->has_end) {
			char s[40], e[40];
			time_format_rfc3339(run->start_us, s);
			time_format_rfc3339(run->end_us, e);
			buf_printf(out, " (%s .. %s)", s, e);
		}
		buf_putc(out, '\n');
	}
	struct omission co;
	struct buf note;
	buf_init(&note);
	if (omission_note(run, &co, &note))
		buf_printf(out, "  coordinated omission: %s\n", note.data);
	buf_fini(&note);
	if (run->has_window) {
		char from[32], to[32];
		format_readable(from, run->window_from_s);
		format_readable(to, run->window_to_s);
		buf_printf(out, "  window: %s, %s s .. %s s from the start%s\n", run->window_kind,
			   from, isfinite(run->window_to_s) ? to : "the end",
			   strcmp(run->window_kind, "steady") == 0  ? " (warm-up left out, MSER-5)"
			   : strcmp(run->window_kind, "stage") == 0 ? " (one stage of constant VUs)"
								    : "");
	}
	format_value(a, sizeof a, t.requests, UNIT_COUNT);
	format_value(b, sizeof b, t.errors, UNIT_COUNT);
	format_value(c, sizeof c, t.rps, UNIT_PER_S);
	buf_printf(out, "  requests: %s, errors: %s", a, b);
	if (t.error_rate.kind != VALUE_MISSING) {
		char rate[32];
		format_readable(rate, t.error_rate.number * 100);
		buf_printf(out, " (%s %%)", rate);
	}
	buf_printf(out, ", rate: %s\n", c);

	struct text_table table;
	text_table_init(&table, 8 + o->percent_count, 3);
	static const char *const heads[] = {"series", "endpoint", "precision", "count",
					    "min", "mean", "max", "stddev"};
	size_t row = text_table_add_row(&table);
	char cell[CELL];
	for (size_t i = 0; i < 8; i++)
		text_table_set(&table, row, i, heads[i]);
	for (size_t i = 0; i < o->percent_count; i++) {
		percentile_key(o->percents[i], cell);
		text_table_set(&table, row, 8 + i, cell);
	}
	bool any_estimate = false;
	for (size_t j = 0; j < run->series_count; j++) {
		const struct series *s = run->series[j];
		if (s->kind != SERIES_TREND || s->server || !shown(s, o))
			continue;
		row = text_table_add_row(&table);
		struct buf name, cut;
		buf_init(&name);
		buf_init(&cut);
		series_name(&name, s);
		/* already escaped: cutting it again escapes nothing more */
		str_put_visible_cut(&cut, name.data, CELL_MAX);
		text_table_set(&table, row, 0, cut.data);
		buf_fini(&name);
		buf_fini(&cut);
		struct buf endpoint;
		buf_init(&endpoint);
		str_put_visible_cut(&endpoint, s->endpoint ? s->endpoint : "*", CELL_MAX);
		text_table_set(&table, row, 1, endpoint.data);
		buf_fini(&endpoint);
		text_table_set(&table, row, 2, model_precision_name(s->precision));
		for (int i = 0; i < STAT__COUNT; i++) {
			struct value v = model_series_stat(s, (enum stat_kind)i);
			any_estimate |= v.kind == VALUE_ESTIMATE;
			format_value(cell, sizeof cell, v, i == STAT_COUNT ? UNIT_COUNT : s->unit);
			text_table_set(&table, row, 3 + (size_t)i, cell);
		}
		for (size_t i = 0; i < o->percent_count; i++) {
			struct value v = model_series_value_at(s, model_quantile_of_percent(o->percents[i]));
			any_estimate |= v.kind == VALUE_ESTIMATE;
			format_value(cell, sizeof cell, v, s->unit);
			text_table_set(&table, row, 8 + i, cell);
		}
	}
	if (table.rows > 1)
		text_table_print(&table, out);
	text_table_fini(&table);

	print_scalars(run, o, SERIES_COUNTER, "counters", out);
	print_scalars(run, o, SERIES_RATE, "rates", out);
	print_scalars(run, o, SERIES_GAUGE, "gauges", out);
	print_server(run, o, out);
	for (size_t i = 0; i < run->threshold_count; i++) {
		const struct threshold *th = &run->thresholds[i];
		buf_puts(out, "  threshold ");
		str_put_visible(out, th->metric);
		buf_puts(out, ": ");
		str_put_visible(out, th->source);
		buf_printf(out, ": %s%s\n",
			   model_threshold_result_name(th->result),
			   th->abort_on_fail ? " (abortOnFail)" : "");
	}
	size_t hidden = 0;
	for (size_t j = 0; j < run->series_count; j++)
		hidden += !shown(run->series[j], o);
	if (hidden)
		buf_printf(out, "  (%zu series broken down by tags not listed: --breakdown lists "
				"them)\n", hidden);
	return any_estimate;
}

void show_write_text(const struct model *m, const struct show_view *o, struct buf *out)
{
	bool any_estimate = false;
	for (size_t i = 0; i < m->run_count; i++) {
		if (i)
			buf_putc(out, '\n');
		any_estimate |= show_text_run(m->runs[i], o, out);
	}
	if (any_estimate)
		buf_puts(out, "\n~ estimated: interpolated between the percentiles the tool "
			      "reported (precision 'quantiles')\n");
}

