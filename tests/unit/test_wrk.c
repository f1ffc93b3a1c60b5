/*
 * test_wrk.c - the wrk / wrk2 text front end on small hand-made inputs, each proving one rule
 * of formats/wrk.md: units (m is minutes, next to ms), -nan and inf left out, spectrum columns
 * wider than their width, blocks cut short, several blocks, the errors arithmetic, and a wrk2
 * spectrum rebuilt into a histogram whose percentiles are the printed Values. The real samples
 * are checked number by number by tests/e2e/wrk_reported.py.
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

#include "ingest/ingest.h"
#include "model/model.h"
#include "test_support.h"

/* One parse of text: the model, what was reported, and the parse's result. */
struct parsed {
	struct model *model;
	char *messages;
	unsigned long errors, warnings;
	bool ok;
};

static struct parsed parse(const char *text, const char *label)
{
	struct parsed p;
	struct diag d;
	size_t len;
	FILE *f = memory_diag(&d, &p.messages, &len);
	p.model = model_new();
	struct builder b;
	builder_init(&b, p.model, "in.txt", label, &d);
	struct source src;
	source_init(&src, "in.txt", text, strlen(text));
	p.ok = wrk_parse(&src, &b);
	builder_finish(&b);
	source_fini(&src);
	fclose(f);
	p.errors = d.errors;
	p.warnings = d.warnings;
	if (getenv("TEST_WRK_SHOW"))
		fprintf(stderr, "%s", p.messages);
	return p;
}

static void parsed_free(struct parsed *p)
{
	model_free(p->model);
	free(p->messages);
}

static struct series *find(const struct run *run, const char *metric)
{
	struct series *s = model_find_series(run, metric, NULL, NULL, 0);
	assert_non_null(s);
	return s;
}

static double stat(const struct run *run, const char *metric, enum stat_kind k)
{
	struct value v = model_series_stat(find(run, metric), k);
	assert_int_not_equal(v.kind, VALUE_MISSING);
	return v.number;
}

static double nearest(const char *decimal)
{
	return strtod(decimal, NULL);
}

static const char plain[] =
	"$ wrk -t2 -c10 -d1m http://h/\n"
	"Running 1m test @ http://h/\n"
	"  2 threads and 10 connections\n"
	"  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
	"    Latency     1.52m   355.73us   1.01s    99.10%\n"
	"    Req/Sec    12.22k     3.10k   19.04k    71.57%\n"
	"  Latency Distribution\n"
	"     50%    2.07ms\n"
	"     99%    1.36s \n"
	"  487328 requests in 1.00m, 58.16MB read\n"
	"  Socket errors: connect 1, read 2, write 3, timeout 4\n"
	"  Non-2xx or 3xx responses: 17\n"
	"Requests/sec:  48694.03\n"
	"Transfer/sec:      5.81MB\n"
	"done() from Lua: Latency 1 2 3 4%\n";

static void test_units_minutes_next_to_ms(void **state)
{
	(void)state;
	struct parsed p = parse(plain, NULL);
	assert_true(p.ok);
	assert_int_equal(p.errors + p.warnings, 0);
	assert_int_equal(p.model->run_count, 1);
	const struct run *run = p.model->runs[0];
	assert_string_equal(run->tool, "wrk");
	assert_string_equal(run->label, "in.txt");
	assert_true(run->concurrency == 10);
	assert_true(run->duration_s == 60);
	/* m is minutes: 1.52m = 91200 ms; us -> ms and s -> ms exactly as the decimal */
	assert_true(stat(run, "latency", STAT_MEAN) == 91200);
	assert_true(stat(run, "latency", STAT_STDDEV) == nearest("0.35573"));
	assert_true(stat(run, "latency", STAT_MAX) == 1010);
	assert_true(stat(run, "latency", STAT_COUNT) == 487328);
	assert_true(model_series_value_at(find(run, "latency"), 0.5).number == nearest("2.07"));
	assert_true(model_series_value_at(find(run, "latency"), 0.99).number == 1360);
	assert_true(stat(run, "thread_rps", STAT_MEAN) == 12220);
	assert_true(stat(run, "rps", STAT_MEAN) == nearest("48694.03"));
	assert_true(stat(run, "throughput", STAT_MEAN) == nearest("6092226.56")); /* 5.81 MiB */
	assert_true(find(run, "bytes_in")->total == nearest("60985180.16"));  /* 58.16 MiB */
	assert_true(find(run, "requests")->total == 487328);
	assert_true(find(run, "non2xx")->total == 17);
	/* errors: non-2xx + connect + read + write; timeouts are responses (inside requests) */
	assert_true(find(run, "errors")->total == 17 + 1 + 2 + 3);
	assert_true(find(run, "unanswered")->total == 1 + 2 + 3);
	struct tag timeout = {"type", "timeout"};
	assert_true(model_find_series(run, "socket_errors", NULL, &timeout, 1)->total == 4);
	parsed_free(&p);
}

static void test_nan_and_empty_statistics_are_left_out(void **state)
{
	(void)state;
	static const char text[] =
		"Running 5s test @ http://h\n"
		"  1 threads and 1 connections\n"
		"    Latency     0.00us    0.00us   0.00us    -nan%\n"
		"    Req/Sec       -nan      -nan   0.00      0.00%\n"
		"  0 requests in 5.04s, 0.00B read\n"
		"  Socket errors: connect 0, read 363, write 0, timeout 0\n"
		"Requests/sec:      0.00\n"
		"Transfer/sec:     -nanB\n";
	struct parsed p = parse(text, NULL);
	assert_true(p.ok);
	/* never a silently blank row: the latency and Req/Sec rows and Transfer/sec say why */
	assert_int_equal(p.errors, 0);
	assert_int_equal(p.warnings, 3);
	const struct run *run = p.model->runs[0];
	/* the placeholders of statistics without samples are not values */
	assert_int_equal(model_series_stat(find(run, "latency"), STAT_MEAN).kind, VALUE_MISSING);
	assert_true(stat(run, "latency", STAT_COUNT) == 0);
	assert_null(model_find_series(run, "thread_rps", NULL, NULL, 0));
	assert_null(model_find_series(run, "throughput", NULL, NULL, 0)); /* -nan: missing */
	assert_true(stat(run, "rps", STAT_MEAN) == 0);
	assert_true(find(run, "errors")->total == 363);
	parsed_free(&p);
}

static void test_bad_values_warn_with_their_position(void **state)
{
	(void)state;
	static const char text[] =
		"Running 10s test @ http://h\n"
		"  1 threads and 2 connections\n"
		"    Latency     1.90xs    2.36ms  64.56ms   99.10%\n"
		"  10 requests in 1.00s, 1.00QB read\n"
		"Requests/sec:  abc\n"
		"Transfer/sec:      5.81MB\n";
	struct parsed p = parse(text, NULL);
	assert_true(p.ok);
	assert_int_equal(p.errors, 0);
	assert_int_equal(p.warnings, 3);
	assert_non_null(strstr(p.messages, "in.txt:3:17: warning: latency '1.90xs'"));
	assert_non_null(strstr(p.messages, "in.txt:4:25: warning: bytes read '1.00QB'"));
	assert_non_null(strstr(p.messages, "in.txt:5:16: warning: Requests/sec 'abc'"));
	const struct run *run = p.model->runs[0];
	assert_int_equal(model_series_stat(find(run, "latency"), STAT_MEAN).kind, VALUE_MISSING);
	assert_true(stat(run, "latency", STAT_MAX) == nearest("64.56"));
	assert_null(model_find_series(run, "bytes_in", NULL, NULL, 0));
	parsed_free(&p);
}

static void test_cut_short_blocks(void **state)
{
	(void)state;
	/* the first block ends after its requests line: kept, errors unknown */
	static const char kept[] =
		"Running 10s test @ http://h\n"
		"  1 threads and 2 connections\n"
		"  10 requests in 1.00s, 1.00KB read\n"
		"Running 10s test @ http://h\n"
		"  1 threads and 2 connections\n"
		"  20 requests in 1.00s, 1.00KB read\n"
		"Requests/sec:     20.00\n"
		"Transfer/sec:      1.00KB\n";
	struct parsed p = parse(kept, NULL);
	assert_true(p.ok);
	assert_int_equal(p.errors, 0);
	assert_int_equal(p.warnings, 1);
	assert_non_null(strstr(p.messages, "in.txt:3:3: warning: wrk result 1 is cut short"));
	assert_int_equal(p.model->run_count, 2);
	assert_string_equal(p.model->runs[0]->label, "in.txt#1");
	assert_string_equal(p.model->runs[1]->label, "in.txt#2");
	assert_null(model_find_series(p.model->runs[0], "errors", NULL, NULL, 0));
	assert_true(find(p.model->runs[1], "errors")->total == 0);
	parsed_free(&p);

	/* a block that ends after Thread Stats has nothing to keep: an error */
	static const char lost[] =
		"Running 10s test @ http://h\n"
		"  1 threads and 2 connections\n"
		"  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
		"    Latency     1.90ms    2.36ms  64.56ms   99.10%\n";
	p = parse(lost, NULL);
	assert_false(p.ok);
	assert_int_equal(p.errors, 1);
	assert_non_null(strstr(p.messages, "in.txt:1:1: error: this wrk result has no"));
	parsed_free(&p);

	p = parse("no wrk here\n", NULL);
	assert_false(p.ok);
	assert_non_null(strstr(p.messages, "error: no wrk result in this input"));
	parsed_free(&p);
}

static void test_label_list_names_blocks(void **state)
{
	(void)state;
	static const char two[] =
		"Running 1s test @ http://h\n  1 requests in 1.00s, 1.00B read\n"
		"Requests/sec: 1.00\nTransfer/sec: 1.00B\n"
		"Running 1s test @ http://h\n  2 requests in 1.00s, 1.00B read\n"
		"Requests/sec: 2.00\nTransfer/sec: 1.00B\n";
	struct parsed p = parse(two, "c10,c50");
	assert_int_equal(p.warnings, 0);
	assert_string_equal(p.model->runs[0]->label, "c10");
	assert_string_equal(p.model->runs[1]->label, "c50");
	parsed_free(&p);
	p = parse(two, "c10,c50,c100");
	assert_int_equal(p.warnings, 1);
	assert_non_null(strstr(p.messages, "warning: the label list 'c10,c50,c100' names 3"));
	assert_string_equal(p.model->runs[0]->label, "c10,c50,c100#1");
	parsed_free(&p);
}

/*
 * A wrk2 spectrum (Values of sample 1 of the shared samples, abridged, counts scaled up so
 * TotalCount and 1/(1-Percentile) are wider than their 12-character columns, as the counts
 * of long overloaded runs are).
 */
static const char spectrum[] =
	"Running 1m test @ http://h\n"
	"  1 threads and 10 connections\n"
	"  Thread calibration: mean lat.: 1.089ms, rate sampling interval: 10ms\n"
	"  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"
	"    Latency     1.14ms  355.73us   2.54ms   69.45%\n"
	"    Req/Sec     2.11k   181.65     3.22k    86.58%\n"
	"  Latency Distribution (HdrHistogram - Recorded Latency)\n"
	" 50.000%    1.11ms\n"
	"100.000%    2.54ms\n"
	"\n"
	"  Detailed Percentile spectrum:\n"
	"       Value   Percentile   TotalCount 1/(1-Percentile)\n"
	"\n"
	"       0.212     0.000000            1         1.00\n"
	"       0.703     0.100000 100000000000         1.11\n"
	"       1.111     0.500000 500000000000         2.00\n"
	"       1.609     0.900000 900000000000        10.00\n"
	"       2.151     0.990625 990625000000       106.67\n"
	"  187301.887     0.999999 999999000000 1000000.00000\n"
	"  187301.887     1.000000 1000000000000          inf\n"
	"#[Mean    =        1.138, StdDeviation   =        0.356]\n"
	"#[Max     =   187170.816, Total count    = 1000000000000]\n"
	"#[Buckets =           27, SubBuckets     =         2048]\n"
	"----------------------------------------------------------\n"
	"  119956 requests in 1.00m, 98.26MB read\n"
	"Requests/sec:   1999.21\n"
	"Transfer/sec:      1.64MB\n";

static void test_spectrum_becomes_a_histogram(void **state)
{
	(void)state;
	struct parsed p = parse(spectrum, NULL);
	assert_true(p.ok);
	assert_int_equal(p.errors + p.warnings, 0);
	const struct run *run = p.model->runs[0];
	assert_string_equal(run->tool, "wrk2");
	struct series *latency = find(run, "latency");
	assert_int_equal(latency->precision, PREC_BUCKETED);
	/* every row: the value at its percentile is the Value printed */
	static const struct {
		double q;
		const char *value;
	} rows[] = {
		{0, "0.212"}, {0.1, "0.703"}, {0.5, "1.111"}, {0.9, "1.609"},
		{0.990625, "2.151"}, {0.999999, "187301.887"}, {1, "187301.887"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct value v = model_series_value_at(latency, rows[i].q);
		assert_int_equal(v.kind, VALUE_EXACT);
		if (v.number != nearest(rows[i].value))
			fail_msg("row %zu: %.17g != %s", i, v.number, rows[i].value);
	}
	assert_true(stat(run, "latency", STAT_COUNT) == 1e12);
	/* statistics as wrk2 printed them: footer mean and max, the finer Thread Stats stddev */
	assert_int_equal(model_series_stat(latency, STAT_MEAN).kind, VALUE_REPORTED);
	assert_true(stat(run, "latency", STAT_MEAN) == nearest("1.138"));
	assert_true(stat(run, "latency", STAT_STDDEV) == nearest("0.35573"));
	assert_true(stat(run, "latency", STAT_MAX) == nearest("187170.816"));
	/* min is the histogram's (the first row's Value) */
	assert_true(stat(run, "latency", STAT_MIN) == nearest("0.212"));
	/* wrk2's latency count leaves out the calibration: the spectrum's, not the requests */
	assert_true(find(run, "requests")->total == 119956);
	parsed_free(&p);
}

static void test_uncorrected_spectrum_is_its_own_series(void **state)
{
	(void)state;
	static const char text[] =
		"Running 10s test @ http://h\n"
		"  Latency Distribution (HdrHistogram - Recorded Latency)\n"
		" 50.000%    1.11ms\n"
		"----------------------------------------------------------\n"
		"\n"
		"  Latency Distribution (HdrHistogram - Uncorrected Latency (measured without "
		"taking delayed starts into account))\n"
		" 50.000%  440.00us\n"
		"\n"
		"  Detailed Percentile spectrum:\n"
		"       Value   Percentile   TotalCount 1/(1-Percentile)\n"
		"       0.138     0.000000            1         1.00\n"
		"       0.440     0.750000            2         4.00\n"
		"       0.440     1.000000            2          inf\n"
		"#[Mean    =        0.289, StdDeviation   =        0.151]\n"
		"#[Max     =        0.440, Total count    =            3]\n"
		"----------------------------------------------------------\n"
		"  2 requests in 10.00s, 1.00KB read\n"
		"Requests/sec:      0.20\n"
		"Transfer/sec:      102.40B\n";
	struct parsed p = parse(text, NULL);
	assert_true(p.ok);
	/* the footer's Total count disagrees with the rows: a warning, rows kept */
	assert_int_equal(p.warnings, 1);
	assert_non_null(strstr(p.messages, "in.txt:15:55: warning: the spectrum of "
					   "'latency_uncorrected' ends at TotalCount 2"));
	const struct run *run = p.model->runs[0];
	assert_int_equal(find(run, "latency")->precision, PREC_QUANTILES);
	assert_true(model_series_value_at(find(run, "latency"), 0.5).number == nearest("1.11"));
	struct series *u = find(run, "latency_uncorrected");
	assert_int_equal(u->precision, PREC_BUCKETED);
	assert_true(model_series_value_at(u, 1).number == nearest("0.44"));
	assert_true(model_series_value_at(u, 0).number == nearest("0.138"));
	assert_true(stat(run, "latency_uncorrected", STAT_MEAN) == nearest("0.289"));
	parsed_free(&p);
}

static void test_bad_spectrum_rows_warn(void **state)
{
	(void)state;
	static const char text[] =
		"Running 10s test @ http://h\n"
		"  Latency Distribution (HdrHistogram - Recorded Latency)\n"
		"  Detailed Percentile spectrum:\n"
		"       0.500     0.000000            1         1.00\n"
		"       0.400     0.500000            2         2.00\n"
		"       abc       0.600000            3         2.50\n"
		"       0.900     1.500000            4         2.50\n"
		"       0.900     1.000000            3          inf\n"
		"  3 requests in 10.00s, 1.00KB read\n"
		"Requests/sec:      0.30\n"
		"Transfer/sec:      102.40B\n";
	struct parsed p = parse(text, NULL);
	assert_true(p.ok);
	assert_int_equal(p.warnings, 3);
	assert_non_null(strstr(p.messages, "in.txt:5:8: warning: spectrum row goes back"));
	assert_non_null(strstr(p.messages, "in.txt:6:8: warning: spectrum value 'abc'"));
	assert_non_null(strstr(p.messages, "in.txt:7:18: warning: spectrum percentile '1.500000'"));
	struct series *latency = find(p.model->runs[0], "latency");
	assert_true(model_series_stat(latency, STAT_COUNT).number == 3);
	assert_true(model_series_value_at(latency, 1).number == nearest("0.9"));
	parsed_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_minutes_next_to_ms),
		cmocka_unit_test(test_nan_and_empty_statistics_are_left_out),
		cmocka_unit_test(test_bad_values_warn_with_their_position),
		cmocka_unit_test(test_cut_short_blocks),
		cmocka_unit_test(test_label_list_names_blocks),
		cmocka_unit_test(test_spectrum_becomes_a_histogram),
		cmocka_unit_test(test_uncorrected_spectrum_is_its_own_series),
		cmocka_unit_test(test_bad_spectrum_rows_warn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
