/*
 * test_chart_plan.c - which charts the inputs allow and the numbers in them (chart_plan.c and
 * the kinds, chart_<kind>.c), on models read from the real tool outputs in fixtures/ through
 * ingest_load, as `perfgate` reads them. Nothing is drawn here (chart.c has its own tests).
 *
 * Every expected number is computed outside the chart code from the model itself
 * (model_series_value_at, timeline_value_at, model_totals_of), so the tests say "the chart
 * shows what every other output says", not "the chart shows what it showed last time". The k6
 * raw stream (fixtures/k6/mixed-stages/out.json, 12 MB) is read once for the whole file.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit/chart_kinds.h"
#include "emit/chart_plan.h"
#include "ingest/ingest.h"
#include "test_support.h"

#ifndef TEST_FIXTURES_DIR
#error "TEST_FIXTURES_DIR must name the fixtures folder"
#endif

/* An input: a run label and a path under fixtures/. */
struct input_row {
	const char *label;
	const char *path;
};
enum { MAX_INPUTS = 4 };

/* Reads inputs into a new sorted model (fails the test on any error diagnostic). */
static struct model *load(const struct input_row *rows, size_t count,
			  const struct endpoint_rules *rules)
{
	char *args[MAX_INPUTS];
	assert_true(count <= MAX_INPUTS);
	for (size_t i = 0; i < count; i++)
		args[i] = xasprintf("%s=%s/%s", rows[i].label, TEST_FIXTURES_DIR, rows[i].path);
	struct model *m = NULL;
	struct diag d;
	char *text = NULL;
	size_t len = 0;
	FILE *f = memory_diag(&d, &text, &len);
	struct ingest_options o = {.rules = rules};
	bool ok = ingest_load(args, count, &o, &m, &d);
	unsigned long errors = d.errors;
	fclose(f);
	if (!ok || errors)
		fprintf(stderr, "%s", text);
	assert_true(ok);
	assert_int_equal(errors, 0);
	free(text);
	for (size_t i = 0; i < count; i++)
		free(args[i]);
	return m;
}

/* Loads fixtures/budgets/NAME and evaluates it over m into *v; returns the budget. */
static struct budget *judge(const char *name, const struct model *m, struct verdict *v)
{
	char *path = xasprintf("%s/budgets/%s", TEST_FIXTURES_DIR, name);
	struct diag d;
	char *text = NULL;
	size_t len = 0;
	FILE *f = memory_diag(&d, &text, &len);
	struct budget *b = budget_load(path, &d);
	struct eval_options o = {0};
	bool ok = b && eval_budget(b, m, &o, v, &d);
	fclose(f);
	if (!ok)
		fprintf(stderr, "%s", text);
	assert_true(ok);
	free(text);
	free(path);
	return b;
}

static const struct chart_spec *find_spec(const struct chart_spec *specs, size_t count,
					  const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(specs[i].name, name) == 0)
			return &specs[i];
	return NULL;
}

/* ---- the k6 raw stream, read once ---- */

static struct model *mixed;            /* k6 mixed-stages out.json as run "mixed" */
static struct budget *release;         /* fixtures/budgets/release.json */
static struct verdict release_verdict; /* release.json over mixed */

static int setup_mixed(void **state)
{
	(void)state;
	struct diag d;
	char *text = NULL;
	size_t len = 0;
	FILE *f = memory_diag(&d, &text, &len);
	char *path = xasprintf("%s/budgets/release.json", TEST_FIXTURES_DIR);
	struct budget *groups = budget_load(path, &d);
	free(path);
	assert_non_null(groups);
	/* the budget's "group" rules shape the endpoint names, as `check` applies them */
	struct endpoint_rules *rules = endpoint_rules_new();
	for (size_t i = 0; i < groups->group_count; i++)
		assert_true(endpoint_rules_add(rules, groups->group[i], &d));
	budget_free(groups);
	fclose(f);
	free(text);
	static const struct input_row row = {"mixed", "k6/mixed-stages/out.json"};
	mixed = load(&row, 1, rules);
	endpoint_rules_free(rules);
	release = judge("release.json", mixed, &release_verdict);
	return 0;
}

static int teardown_mixed(void **state)
{
	(void)state;
	verdict_fini(&release_verdict);
	budget_free(release);
	model_free(mixed);
	return 0;
}

static const char *const mixed_endpoints[] = {
	/* 962 requests each: the name breaks the tie */
	"GET /flaky", "GET /slow", "GET /users/:id", "POST /posts",
};

static void test_k6_stream_gives_spectrum_timeline_and_endpoints(void **state)
{
	(void)state;
	struct chart_inputs in = {mixed, NULL, &release_verdict, NULL};
	struct chart_spec *specs;
	size_t count = chart_plan(&in, &specs);
	static const struct {
		const char *name;
		enum chart_kind kind;
		size_t series;
	} expected[] = {
		{"spectrum", CHART_SPECTRUM, 1 + 4}, /* the run, then its 4 endpoints */
		{"timeline-1", CHART_TIMELINE, 4},   /* p50, p95, p99, throughput */
		{"endpoints-1", CHART_ENDPOINTS, 1}, /* the p95 bars */
	};
	assert_int_equal(count, PG_ARRAY_LEN(expected));
	for (size_t i = 0; i < count; i++) {
		assert_string_equal(specs[i].name, expected[i].name);
		assert_int_equal(specs[i].kind, expected[i].kind);
		assert_int_equal(specs[i].series_count, expected[i].series);
	}
	assert_string_equal(specs[0].caption, "Latency by percentile \xE2\x80\x94 run 'mixed'");
	assert_string_equal(specs[0].title, "Latency by percentile");
	assert_string_equal(specs[0].subtitle, "run 'mixed'");
	assert_int_equal(specs[0].x_scale, CHART_X_PERCENTILE);
	assert_string_equal(specs[0].series[0].label, "mixed");
	for (size_t i = 0; i < PG_ARRAY_LEN(mixed_endpoints); i++)
		assert_string_equal(specs[0].series[i + 1].label, mixed_endpoints[i]);
	assert_int_equal(specs[1].x_scale, CHART_X_TIME);
	assert_string_equal(specs[1].y2_label, "throughput (req/s)");
	assert_int_equal(specs[2].x_scale, CHART_X_CATEGORY);
	/* release.json judges the whole run's p95 too: its bar comes first */
	assert_int_equal(specs[2].category_count, 1 + PG_ARRAY_LEN(mixed_endpoints));
	assert_string_equal(specs[2].categories[0], "(whole run)");
	for (size_t i = 0; i < PG_ARRAY_LEN(mixed_endpoints); i++)
		assert_string_equal(specs[2].categories[i + 1], mixed_endpoints[i]);
	chart_specs_free(specs, count);
}

static void test_spectrum_of_histograms_is_series_value_at(void **state)
{
	(void)state;
	struct chart_spec spec;
	assert_true(chart_spectrum_build(mixed, &spec));
	const struct run *run = mixed->runs[0];
	for (size_t i = 0; i < spec.series_count; i++) {
		const struct chart_series *s = &spec.series[i];
		const struct series *model = model_find_series(run, "latency",
							       i == 0 ? NULL : s->label, NULL, 0);
		assert_non_null(model);
		assert_true(model->has_hist);
		assert_int_equal(s->mark, CHART_LINE);
		/* densely sampled on the log axis, from min (0) to 99.99, through the usual ones */
		assert_true(s->count > 160);
		assert_true(s->x[0] == 0);
		assert_true(s->x[s->count - 1] == 99.99);
		static const double usual[] = {50, 90, 95, 99, 99.9};
		for (size_t u = 0; u < PG_ARRAY_LEN(usual); u++) {
			bool found = false;
			for (size_t j = 0; j < s->count && !found; j++)
				found = s->x[j] == usual[u];
			assert_true(found);
		}
		for (size_t j = 0; j < s->count; j++) {
			if (j > 0)
				assert_true(s->x[j] > s->x[j - 1]);
			struct value v = model_series_value_at(model, model_quantile_of_percent(s->x[j]));
			assert_int_equal(v.kind, VALUE_EXACT);
			assert_true(s->y[j] == v.number);
		}
		assert_true(s->y[0] == model_series_stat(model, STAT_MIN).number);
	}
	chart_spec_fini(&spec);
}

/* Seconds of the run inside [from, to) µs. */
static double run_seconds(const struct run *run, int64_t from, int64_t to)
{
	if (run->start_us > from)
		from = run->start_us;
	if (run->end_us < to)
		to = run->end_us;
	return (double)(to - from) / 1e6;
}

static void test_timeline_reads_interval_histograms_and_request_counts(void **state)
{
	(void)state;
	struct chart_spec spec;
	assert_true(chart_timeline_build(mixed, 0, &spec));
	const struct run *run = mixed->runs[0];
	const struct series *latency = model_find_series(run, "latency", NULL, NULL, 0);
	const struct timeline *t = latency->timeline;
	assert_true(run->has_start && run->has_end);
	assert_string_equal(spec.name, "timeline-1");
	assert_string_equal(spec.caption, "Latency over time \xE2\x80\x94 run 'mixed'");
	assert_string_equal(spec.title, "Latency over time");
	assert_string_equal(spec.subtitle, "run 'mixed'");
	static const struct {
		const char *label;
		double q;
	} percentiles[] = {{"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}};
	for (size_t p = 0; p < PG_ARRAY_LEN(percentiles); p++) {
		const struct chart_series *s = &spec.series[p];
		assert_string_equal(s->label, percentiles[p].label);
		assert_false(s->right_axis);
		assert_int_equal(s->count, t->count);
		for (size_t i = 0; i < t->count; i++) {
			const struct interval *iv = timeline_at(t, i);
			assert_true(s->x[i] == (double)(timeline_start_us(t, i) -
							timeline_start_us(t, 0)) / 1e6);
			if (iv->count == 0) {
				assert_true(isnan(s->y[i]));
				continue;
			}
			assert_true(s->y[i] == (double)timeline_value_at(t, iv, percentiles[p].q,
									 latency->scale) /
						       latency->scale);
		}
	}
	/* throughput: the requests counter per interval; rates times the seconds of the run
	 * each interval covers add up to the run's requests */
	const struct chart_series *s = &spec.series[3];
	const struct series *requests = model_run_counter(run, METRIC_REQUESTS);
	const struct timeline *rt = requests->timeline;
	assert_non_null(rt);
	assert_true(s->right_axis);
	assert_int_equal(s->count, rt->count);
	assert_true(rt->count > 2);
	double total = 0;
	for (size_t i = 0; i < rt->count; i++) {
		int64_t from = timeline_start_us(rt, i);
		double seconds = run_seconds(run, from, from + rt->width_us);
		total += s->y[i] * seconds;
		if (i > 0 && i + 1 < rt->count) /* whole intervals: count over width */
			assert_true(s->y[i] == timeline_at(rt, i)->sum / ((double)rt->width_us / 1e6));
	}
	assert_true(fabs(total - requests->total) < 1e-6 * requests->total);
	chart_spec_fini(&spec);
}

/* ---- server-side metrics ---- */

/*
 * The server chart draws every share series (cpu_utilization, memory_utilization) of the run,
 * in percent, one point per timeline interval at its start, on the run's own clock: the
 * interval means the budget's `for` windows read, whose highest is the series' `max` that
 * `show` and the budget report.
 */
static void test_server_chart_draws_shares_on_the_run_clock(void **state)
{
	(void)state;
	static const struct input_row rows[] = {
		{"steady", "prometheus/steady/autocannon-work.json"},
		{"steady", "prometheus/steady/raw-node_cpu_seconds_total.json"},
		{"steady", "prometheus/steady/raw-node_memory_MemAvailable_bytes.json"},
		{"steady", "prometheus/steady/raw-node_memory_MemTotal_bytes.json"},
	};
	struct model *m = load(rows, PG_ARRAY_LEN(rows), NULL);
	const struct run *run = m->runs[0];
	assert_true(run->has_start);
	struct chart_spec spec;
	assert_true(chart_server_build(m, 0, &spec));
	assert_string_equal(spec.name, "server-1");
	assert_int_equal(spec.series_count, 2); /* autocannon keeps no request timeline */
	static const char *const metrics[] = {"cpu_utilization", "memory_utilization"};
	for (size_t k = 0; k < PG_ARRAY_LEN(metrics); k++) {
		const struct series *s = NULL;
		for (size_t i = 0; i < run->series_count && !s; i++)
			if (strcmp(run->series[i]->metric, metrics[k]) == 0)
				s = run->series[i];
		assert_non_null(s);
		const struct chart_series *c = &spec.series[k];
		assert_true(strncmp(c->label, metrics[k], strlen(metrics[k])) == 0);
		const struct timeline *t = s->timeline;
		assert_int_equal(c->count, t->count);
		double top = -INFINITY;
		for (size_t i = 0; i < t->count; i++) {
			assert_true(c->x[i] == (double)(timeline_start_us(t, i) - run->start_us) / 1e6);
			const struct interval *iv = timeline_at(t, i);
			if (iv->count == 0) {
				assert_true(isnan(c->y[i]));
				continue;
			}
			assert_true(c->y[i] == 100 * iv->sum / (double)iv->count);
			assert_true(c->y[i] >= 0 && c->y[i] <= 100);
			top = c->y[i] > top ? c->y[i] : top;
		}
		if (k == 0) /* one value per interval: the highest is the series' max */
			assert_true(fabs(top - 100 * s->gauge.max) < 1e-9);
	}
	chart_spec_fini(&spec);
	model_free(m);
}

/* ---- budget lines ---- */

struct line_row {
	long category;
	double y;
	const char *label;
};

static void test_endpoints_draw_p95_budgets_of_the_verdict(void **state)
{
	(void)state;
	static const struct {
		const char *budget;
		struct line_row lines[8];
		size_t line_count;
	} rows[] = {
		/* "overall latency" p95 < 250ms on the run: over a bar of the whole run, first,
		 * never across the endpoints' bars; "every endpoint" p95 < 100ms on each; p99,
		 * avg, p90 and checkout_latency's p(95) draw nothing */
		{"release.json",
		 {{0, 250, "budget p95 < 250 ms (whole run)"},
		  {1, 100, "budget p95 < 100 ms"},
		  {2, 100, "budget p95 < 100 ms"},
		  {3, 100, "budget p95 < 100 ms"},
		  {4, 100, "budget p95 < 100 ms"}},
		 5},
		/* "p95 < 40ms for 2s" judges intervals, not the whole-run p95 of the bars */
		{"sustained.json", {{0, 0, NULL}}, 0},
		/* strict.json: p95 < 20ms on the run (30.45 ms: over), p95 < 30ms on GET /slow
		 * (43.45 ms: over) */
		{"strict.json",
		 {{0, 20, "budget p95 < 20 ms (whole run)"}, {2, 30, "budget p95 < 30 ms"}},
		 2},
	};
	const struct run *run = mixed->runs[0];
	for (size_t r = 0; r < PG_ARRAY_LEN(rows); r++) {
		struct verdict v;
		struct budget *b = judge(rows[r].budget, mixed, &v);
		struct chart_spec spec;
		assert_true(chart_endpoints_build(mixed, 0, &v, &spec));
		if (spec.line_count != rows[r].line_count)
			fail_msg("%s: %zu lines, expected %zu", rows[r].budget, spec.line_count,
				 rows[r].line_count);
		for (size_t i = 0; i < spec.line_count; i++) {
			assert_int_equal(spec.lines[i].category, rows[r].lines[i].category);
			assert_true(spec.lines[i].y == rows[r].lines[i].y);
			assert_string_equal(spec.lines[i].label, rows[r].lines[i].label);
			assert_false(spec.lines[i].right_axis);
		}
		/* the bars: the whole run's p95 when a line is drawn over it, then each
		 * endpoint's, as every other output reports them, each written over its bar */
		const struct chart_series *bars = &spec.series[0];
		assert_string_equal(bars->label, "p95");
		assert_int_equal(bars->mark, CHART_BARS);
		size_t whole = rows[r].line_count > 0 && rows[r].lines[0].category == 0 &&
			       strstr(rows[r].lines[0].label, "(whole run)");
		assert_int_equal(bars->count, PG_ARRAY_LEN(mixed_endpoints) + whole);
		assert_int_equal(spec.category_count, bars->count);
		if (whole)
			assert_string_equal(spec.categories[0], "(whole run)");
		for (size_t i = 0; i < bars->count; i++) {
			const char *endpoint = i < whole ? NULL : mixed_endpoints[i - whole];
			const struct series *s = model_find_series(run, "latency", endpoint, NULL,
								   0);
			double p95 = model_series_value_at(s, 0.95).number;
			assert_true(bars->x[i] == (double)i);
			assert_true(bars->y[i] == p95);
			if (endpoint)
				assert_string_equal(spec.categories[i], endpoint);
			/* the note reads as the value to 4 significant digits, in ms */
			assert_non_null(bars->notes);
			assert_non_null(bars->notes[i]);
			assert_true(fabs(strtod(bars->notes[i], NULL) - p95) <= p95 * 5e-4);
			assert_non_null(strstr(bars->notes[i], " ms"));
			/* a bar stands out exactly when it is not under a line drawn over it */
			bool over = false;
			for (size_t k = 0; k < spec.line_count; k++)
				over |= spec.lines[k].category == (long)i &&
					!(p95 < spec.lines[k].y);
			assert_int_equal(bars->alert && bars->alert[i], over);
		}
		if (bars->alert)
			assert_string_equal(bars->alert_label, "p95 over its budget");
		chart_spec_fini(&spec);
		verdict_fini(&v);
		budget_free(b);
	}
}

/*
 * Without --group the k6 names are "GET http://127.0.0.1:8081/slow": the bars drop the host all
 * URLs share and the axis title states it once; a name without a URL is left as it is.
 */
static void test_endpoints_drop_the_common_host(void **state)
{
	(void)state;
	static const struct input_row row = {"raw", "k6/mixed-stages/out.json"};
	struct model *m = load(&row, 1, NULL);
	struct chart_spec spec;
	assert_true(chart_endpoints_build(m, 0, NULL, &spec));
	/* 962 requests each: by name, and "GET /users/:id" (a name tag) sorts first */
	static const char *const expected[] = {"GET /users/:id", "GET /flaky", "GET /slow",
					       "POST /posts"};
	assert_int_equal(spec.category_count, PG_ARRAY_LEN(expected));
	for (size_t i = 0; i < PG_ARRAY_LEN(expected); i++)
		assert_string_equal(spec.categories[i], expected[i]);
	assert_string_equal(spec.x_label, "endpoint (at http://127.0.0.1:8081)");
	assert_int_equal(spec.line_count, 0);
	chart_spec_fini(&spec);
	model_free(m);
}

/* ---- reported percentiles ---- */

static void test_reported_percentiles_are_drawn_only_where_reported(void **state)
{
	(void)state;
	static const struct {
		struct input_row input;
		size_t points;   /* what the chart must show: min (when reported) + p <= 99.99 */
		bool min;        /* the first point is min at 0 */
	} rows[] = {
		/* wrk --latency: p50 p75 p90 p99, no min */
		{{"wrk", "wrk/limited-c10.txt"}, 4, false},
		/* autocannon: min, p0.001 .. p99.99 (p99.999 is off the axis) */
		{{"autocannon", "autocannon/limited-c10.json"}, 15, true},
		/* k6 summary: min, med, p(90), p(95) */
		{{"k6", "k6/mixed-stages/summary-export.json"}, 4, true},
	};
	for (size_t r = 0; r < PG_ARRAY_LEN(rows); r++) {
		struct model *m = load(&rows[r].input, 1, NULL);
		const struct series *latency = model_find_series(m->runs[0], "latency", NULL, NULL,
								 0);
		assert_int_equal(latency->precision, PREC_QUANTILES);
		struct chart_spec spec;
		assert_true(chart_spectrum_build(m, &spec));
		const struct chart_series *s = &spec.series[0];
		assert_string_equal(s->label, rows[r].input.label);
		assert_int_equal(s->mark, CHART_LINE_POINTS);
		if (s->count != rows[r].points)
			fail_msg("%s: %zu points, expected %zu", rows[r].input.path, s->count,
				 rows[r].points);
		const struct reported *rep = &latency->reported;
		size_t j = 0;
		if (rows[r].min) {
			assert_true(s->x[0] == 0);
			assert_true(s->y[0] == rep->stats[STAT_MIN]);
			j = 1;
		}
		for (size_t i = 0; j < s->count; i++, j++) {
			assert_true(i < rep->point_count);
			assert_true(fabs(s->x[j] - rep->points[i].q * 100) < 1e-9);
			assert_true(s->y[j] == rep->points[i].value);
			assert_true(s->x[j] <= 99.99);
		}
		chart_spec_fini(&spec);
		model_free(m);
	}
}

/* ---- capacity ---- */

static void test_capacity_follows_concurrency(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		struct input_row inputs[MAX_INPUTS];
		size_t input_count;
		const char *points[MAX_INPUTS]; /* the run of each point, by concurrency */
		double concurrency[MAX_INPUTS];
		size_t point_count;
		const char *x_label;
		const char *latency_label;
	} rows[] = {
		{"wrk, given out of order",
		 {{"c50", "wrk/limited-c50.txt"}, {"c10", "wrk/limited-c10.txt"},
		  {"c100", "wrk/limited-c100.txt"}},
		 3, {"c10", "c50", "c100"}, {10, 50, 100}, 3, "concurrency (connections)",
		 "p95 latency (ms) (estimate)"}, /* wrk prints p90 and p99, not p95 */
		{"k6 summaries",
		 {{"vu60", "k6/limited-vu60/summary-export.json"},
		  {"vu20", "k6/limited-vu20/summary-export.json"},
		  {"vu5", "k6/limited-vu5/summary-export.json"}},
		 3, {"vu5", "vu20", "vu60"}, {5, 20, 60}, 3, "concurrency (VUs)",
		 "p95 latency (ms)"},
		{"one concurrency twice: the first run in model order is kept",
		 {{"wrk10", "wrk/limited-c10.txt"}, {"ac10", "autocannon/limited-c10.json"},
		  {"ac50", "autocannon/limited-c50.json"}},
		 3, {"wrk10", "ac50"}, {10, 50}, 2, "concurrency (connections)",
		 "p95 latency (ms) (estimate)"},
		{"units differ",
		 {{"wrk10", "wrk/limited-c10.txt"}, {"vu5", "k6/limited-vu5/summary-export.json"}},
		 2, {"vu5", "wrk10"}, {5, 10}, 2, "concurrency",
		 "p95 latency (ms) (some estimated)"},
		{"an arrival rate and a number of clients: no chart",
		 {{"open", "k6/arrival-rate-over/summary-export.json"},
		  {"vu5", "k6/limited-vu5/summary-export.json"}},
		 2, {NULL}, {0}, 0, NULL, NULL},
		{"a single concurrency: no chart",
		 {{"wrk10", "wrk/limited-c10.txt"}, {"ac10", "autocannon/limited-c10.json"}},
		 2, {NULL}, {0}, 0, NULL, NULL},
	};
	for (size_t r = 0; r < PG_ARRAY_LEN(rows); r++) {
		struct model *m = load(rows[r].inputs, rows[r].input_count, NULL);
		struct chart_inputs in = {m, NULL, NULL, NULL};
		struct chart_spec *specs;
		size_t count = chart_plan(&in, &specs);
		const struct chart_spec *spec = find_spec(specs, count, "capacity");
		if (rows[r].point_count == 0) {
			if (spec)
				fail_msg("%s: unexpected capacity chart", rows[r].what);
			goto next;
		}
		if (!spec)
			fail_msg("%s: no capacity chart", rows[r].what);
		assert_ptr_equal(spec, &specs[count - 1]); /* last in the plan */
		assert_string_equal(spec->x_label, rows[r].x_label);
		assert_string_equal(spec->y2_label, "throughput (req/s)");
		assert_int_equal(spec->series_count, 2);
		const struct chart_series *throughput = &spec->series[0], *p95 = &spec->series[1];
		assert_string_equal(throughput->label, "throughput (req/s)");
		assert_true(throughput->right_axis);
		assert_string_equal(p95->label, rows[r].latency_label);
		assert_false(p95->right_axis);
		assert_int_equal(throughput->count, rows[r].point_count);
		assert_int_equal(p95->count, rows[r].point_count);
		for (size_t i = 0; i < rows[r].point_count; i++) {
			const struct run *run = model_find_run(m, rows[r].points[i]);
			assert_true(run->concurrency == rows[r].concurrency[i]);
			assert_true(throughput->x[i] == run->concurrency);
			assert_true(p95->x[i] == run->concurrency);
			/* throughput: the run's rps exactly as `show` computes it */
			const struct series *rps = model_find_series(run, "rps", NULL, NULL, 0);
			const struct series *unanswered = model_run_counter(run, METRIC_UNANSWERED);
			struct request_totals t =
				model_totals_of(model_run_counter(run, METRIC_REQUESTS),
						model_run_counter(run, METRIC_ERRORS), unanswered,
						rps, run->duration_s);
			assert_int_not_equal(t.rps.kind, VALUE_MISSING);
			assert_true(throughput->y[i] == t.rps.number);
			const struct series *latency = model_find_series(run, "latency", NULL, NULL,
									 0);
			assert_true(p95->y[i] == model_series_value_at(latency, 0.95).number);
		}
	next:
		chart_specs_free(specs, count);
		model_free(m);
	}
}

/* ---- compare ---- */

static void test_baseline_gives_a_compare_chart_per_candidate_run(void **state)
{
	(void)state;
	static const struct input_row candidate[] = {
		{"mixed", "k6/mixed-stages/summary-export.json"},
		{"solo", "wrk/limited-c10.txt"},
	};
	static const struct input_row baseline[] = {
		{"other", "k6/limited-vu5/summary-export.json"},
		{"mixed", "k6/mixed-stages-gz/summary-export.json"},
	};
	struct model *m = load(candidate, PG_ARRAY_LEN(candidate), NULL);
	struct model *base = load(baseline, PG_ARRAY_LEN(baseline), NULL);
	struct chart_inputs in = {m, base, NULL, NULL};
	struct chart_spec *specs;
	size_t count = chart_plan(&in, &specs);
	static const struct {
		const char *name;
		const char *title;
		const char *baseline;   /* run of the baseline model drawn */
		const char *labels[2];
	} expected[] = {
		/* the baseline run with the candidate's label, though it is not the first */
		{"compare-1", "Baseline vs candidate \xE2\x80\x94 run 'mixed'", "mixed",
		 {"baseline 'mixed'", "candidate 'mixed'"}},
	};
	/*
	 * No baseline run "solo" and two baseline runs: nothing to compare with, as the report's
	 * table and the budget's rules decide (model_baseline_run); only a baseline of a single
	 * run stands in for any label.
	 */
	assert_null(find_spec(specs, count, "compare-2"));
	for (size_t e = 0; e < PG_ARRAY_LEN(expected); e++) {
		const struct chart_spec *spec = find_spec(specs, count, expected[e].name);
		assert_non_null(spec);
		assert_int_equal(spec->kind, CHART_COMPARE);
		assert_int_equal(spec->x_scale, CHART_X_PERCENTILE);
		assert_string_equal(spec->caption, expected[e].title);
		assert_int_equal(spec->series_count, 2);
		for (size_t i = 0; i < 2; i++)
			assert_string_equal(spec->series[i].label, expected[e].labels[i]);
		/* the baseline series carries that run's reported numbers */
		const struct series *latency = model_find_series(
			model_find_run(base, expected[e].baseline), "latency", NULL, NULL, 0);
		const struct chart_series *s = &spec->series[0];
		assert_int_equal(s->count, latency->reported.point_count + 1); /* min first */
		assert_true(s->y[0] == latency->reported.stats[STAT_MIN]);
		for (size_t j = 1; j < s->count; j++)
			assert_true(s->y[j] == latency->reported.points[j - 1].value);
	}
	/* spectrum, then the one compare; both candidates run at 10 (VUs, connections): no
	 * capacity; one endpoint in the k6 summary: no endpoints chart */
	assert_int_equal(count, 2);
	assert_string_equal(specs[0].name, "spectrum");
	assert_string_equal(specs[0].caption, "Latency by percentile");
	assert_null(specs[0].subtitle);
	assert_int_equal(specs[0].series_count, 2); /* one per run, no endpoints */
	chart_specs_free(specs, count);
	model_free(m);
	model_free(base);
}

/* ---- labels, and what has nothing to draw ---- */

#define E_ACUTE "\xC3\xA9"
#define ELLIPSIS "\xE2\x80\xA6"
#define TEN_E E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE
#define TEN "0123456789"

static void test_long_labels_are_cut_on_a_character(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *expected;
	} rows[] = {
		{"GET /users/:id", "GET /users/:id"},
		{TEN TEN TEN TEN TEN TEN, TEN TEN TEN TEN TEN TEN}, /* 60 bytes: kept */
		{TEN TEN TEN TEN TEN TEN "x", TEN TEN TEN TEN TEN "0123456" ELLIPSIS},
		/* 2-byte characters: byte 57 is the second half of one, so the cut is at 56 */
		{TEN_E TEN_E TEN_E TEN_E, TEN_E TEN_E E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE
		 E_ACUTE E_ACUTE E_ACUTE ELLIPSIS},
	};
	for (size_t r = 0; r < PG_ARRAY_LEN(rows); r++) {
		struct buf out;
		buf_init(&out);
		chart_kinds_append_label(&out, rows[r].text);
		assert_string_equal(out.data, rows[r].expected);
		assert_true(out.len <= CHART_LABEL_MAX);
		assert_int_equal(str_utf8_valid(out.data, out.len), out.len);
		buf_fini(&out);
	}
	/* a run label from the command line, through a real input */
	static const struct input_row input = {TEN_E TEN_E TEN_E TEN_E, "wrk/limited-c10.txt"};
	struct model *m = load(&input, 1, NULL);
	struct chart_spec spec;
	assert_true(chart_spectrum_build(m, &spec));
	assert_string_equal(spec.series[0].label, rows[3].expected);
	chart_spec_fini(&spec);
	model_free(m);
}

static void test_nothing_to_draw_gives_no_chart(void **state)
{
	(void)state;
	struct model *m = model_new();
	struct chart_inputs in = {m, m, NULL, NULL};
	struct chart_spec unused, *specs = &unused; /* must be overwritten */
	assert_int_equal(chart_plan(&in, &specs), 0);
	assert_null(specs);
	model_free(m);
}

/* ---- determinism ---- */

static void assert_same_series(const struct chart_series *a, const struct chart_series *b)
{
	assert_string_equal(a->label, b->label);
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->mark, b->mark);
	assert_int_equal(a->right_axis, b->right_axis);
	assert_memory_equal(a->x, b->x, a->count * sizeof *a->x);
	assert_memory_equal(a->y, b->y, a->count * sizeof *a->y);
}

static void test_plan_is_deterministic(void **state)
{
	(void)state;
	struct chart_inputs in = {mixed, mixed, &release_verdict, NULL};
	struct chart_spec *a, *b;
	size_t count = chart_plan(&in, &a);
	assert_int_equal(chart_plan(&in, &b), count);
	assert_non_null(find_spec(a, count, "compare-1")); /* the run against itself */
	for (size_t i = 0; i < count; i++) {
		assert_string_equal(a[i].name, b[i].name);
		assert_string_equal(a[i].caption, b[i].caption);
		assert_int_equal(a[i].series_count, b[i].series_count);
		for (size_t j = 0; j < a[i].series_count; j++)
			assert_same_series(&a[i].series[j], &b[i].series[j]);
		assert_int_equal(a[i].line_count, b[i].line_count);
		for (size_t j = 0; j < a[i].line_count; j++) {
			assert_string_equal(a[i].lines[j].label, b[i].lines[j].label);
			assert_true(a[i].lines[j].y == b[i].lines[j].y);
		}
	}
	chart_specs_free(a, count);
	chart_specs_free(b, count);
}

int main(void)
{
	const struct CMUnitTest mixed_tests[] = {
		cmocka_unit_test(test_k6_stream_gives_spectrum_timeline_and_endpoints),
		cmocka_unit_test(test_spectrum_of_histograms_is_series_value_at),
		cmocka_unit_test(test_timeline_reads_interval_histograms_and_request_counts),
		cmocka_unit_test(test_endpoints_draw_p95_budgets_of_the_verdict),
		cmocka_unit_test(test_endpoints_drop_the_common_host),
		cmocka_unit_test(test_plan_is_deterministic),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reported_percentiles_are_drawn_only_where_reported),
		cmocka_unit_test(test_capacity_follows_concurrency),
		cmocka_unit_test(test_baseline_gives_a_compare_chart_per_candidate_run),
		cmocka_unit_test(test_long_labels_are_cut_on_a_character),
		cmocka_unit_test(test_nothing_to_draw_gives_no_chart),
		cmocka_unit_test(test_server_chart_draws_shares_on_the_run_clock),
	};
	int failed = cmocka_run_group_tests_name("k6 raw stream", mixed_tests, setup_mixed,
						 teardown_mixed);
	return failed + cmocka_run_group_tests_name("other inputs", tests, NULL, NULL);
}
