/*
 * capacity_out.c - what `perfgate capacity` prints: the degradation table and its readings
 * (text), or the same numbers as JSON (formats/capacity.md). Numbers for people are rounded
 * to four significant digits with their unit; the JSON keeps every digit and says why each
 * reading it cannot give is null.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/jsonw.h"
#include "emit.h"

static void number(char out[48], double v, const char *unit)
{
	char n[32];
	if (!isfinite(v)) {
		snprintf(out, 48, "-");
		return;
	}
	str_format_double(n, str_round_significant(v, 4));
	snprintf(out, 48, "%s%s%s", n, *unit ? " " : "", unit);
}

/* "(+12.3 %)"; "(~+12.3 %)" when either value it compares is an estimate. */
static void change(char out[48], double v, bool estimate)
{
	char n[32];
	if (!isfinite(v)) {
		out[0] = 0;
		return;
	}
	double shown = str_round_significant(v * 100, 3);
	str_format_double(n, shown);
	snprintf(out, 48, "(%s%s%s %%)", estimate ? "~" : "", shown > 0 ? "+" : "", n);
}

static void usl_reading_of(struct buf *out, const struct capacity *c)
{
	usl_reading(&c->usl, c->load_unit, out);
}

void capacity_write_text(const struct capacity *c, struct buf *out)
{
	char a[48], b[48], d[48];
	buf_printf(out, "capacity: %zu load levels (%s%s)\n\n", c->count, c->load_unit,
		   c->open_model ? ", an open model: the arrival rates k6 was asked for" : "");
	struct text_table t;
	static const char *const heads[] = {"run", "load", "throughput", "", "p50",
					    "",    "p95",  "",           "p99", "", "error rate",
					    "dropped"};
	size_t columns = PG_ARRAY_LEN(heads) - (c->open_model ? 0 : 1);
	text_table_init(&t, columns, 1);
	size_t r = text_table_add_row(&t);
	for (size_t i = 0; i < columns; i++)
		text_table_set(&t, r, i, heads[i]);
	struct buf cell;
	buf_init(&cell);
	for (size_t i = 0; i < c->count; i++) {
		const struct capacity_level *l = &c->levels[i];
		r = text_table_add_row(&t);
		str_put_visible_cut(&cell, l->run->label, 48);
		text_table_set(&t, r, 0, cell.data);
		buf_clear(&cell);
		number(a, l->load, "");
		text_table_set(&t, r, 1, a);
		number(a, l->throughput, "req/s");
		text_table_set(&t, r, 2, a);
		change(d, i ? l->d_throughput : NAN, false);
		text_table_set(&t, r, 3, d);
		const struct capacity_level *low = &c->levels[0];
		const struct {
			double value, change;
			bool estimate, low_estimate;
		} latency[3] = {{l->p50, l->d_p50, false, false},
				{l->p95, l->d_p95, l->p95_estimate, low->p95_estimate},
				{l->p99, l->d_p99, l->p99_estimate, low->p99_estimate}};
		for (size_t k = 0; k < 3; k++) { /* a percentile and its change: columns 4..9 */
			number(b, latency[k].value, "ms");
			buf_printf(&cell, "%s%s", latency[k].estimate ? "~" : "", b);
			text_table_set(&t, r, 4 + 2 * k, cell.data);
			buf_clear(&cell);
			change(d, i ? latency[k].change : NAN,
			       latency[k].estimate || latency[k].low_estimate);
			text_table_set(&t, r, 5 + 2 * k, d);
		}
		number(a, isfinite(l->error_rate) ? l->error_rate * 100 : NAN, "%");
		text_table_set(&t, r, 10, a);
		if (c->open_model) {
			number(a, isfinite(l->dropped) ? l->dropped * 100 : NAN, "%");
			text_table_set(&t, r, 11, a);
		}
	}
	text_table_print(&t, out);
	text_table_fini(&t);
	buf_fini(&cell);
	buf_printf(out, "\nbreaking point: %s\n", c->breaking_text);
	if (c->has_knee) {
		number(a, c->knee_load, c->load_unit);
		buf_printf(out, "knee: latency bends upward at %s (Kneedle on p95)\n", a);
	} else {
		buf_printf(out, "knee: %s\n", c->knee_why);
	}
	if (c->slo.set)
		buf_printf(out, "SLO: %s\n", c->slo_text);
	const struct usl_fit *f = &c->usl;
	if (!f->ok) {
		if (c->open_model)
			buf_printf(out, "USL: not fitted: %s\n", f->why);
		else
			buf_printf(out, "USL: not fitted: %s (has %zu)\n", f->why, f->points);
	} else {
		buf_printf(out,
			   "USL: λ = %.4g req/s [%.4g, %.4g], σ = %.3g [%.3g, %.3g], κ = %.3g [%.3g, "
			   "%.3g], R² = %.4f (%zu levels)\n     ",
			   f->lambda, f->lambda_lo, f->lambda_hi, f->sigma, f->sigma_lo, f->sigma_hi,
			   f->kappa, f->kappa_lo, f->kappa_hi, f->r2, f->points);
		usl_reading_of(out, c);
		if (!f->amdahl && f->n_star >= 1)
			buf_printf(out, " (N* 95 %% interval %.3g .. %.3g)", f->n_star_lo,
				   f->n_star_hi);
		buf_putc(out, '\n');
	}
	if (c->little_inconsistent)
		buf_printf(out,
			   "Little's law: %zu level%s with fewer clients than throughput x latency "
			   "(N < X R): not a closed loop of N clients\n",
			   c->little_inconsistent, c->little_inconsistent == 1 ? "" : "s");
}

/* ---- JSON ---- */

static void json_number_or_null(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	jsonw_double(w, v);
}

static void json_usl(struct jsonw *w, const struct capacity *c)
{
	const struct usl_fit *f = &c->usl;
	jsonw_key(w, "usl");
	if (!f->ok) {
		jsonw_null(w);
		jsonw_key(w, "usl_why");
		jsonw_string(w, f->why);
		return;
	}
	jsonw_object(w);
	json_number_or_null(w, "lambda", f->lambda);
	json_number_or_null(w, "sigma", f->sigma);
	json_number_or_null(w, "kappa", f->kappa);
	json_number_or_null(w, "n_star", f->n_star);
	json_number_or_null(w, "peak_throughput", f->peak_throughput);
	json_number_or_null(w, "r2", f->r2);
	jsonw_key(w, "points");
	jsonw_int(w, (int64_t)f->points);
	jsonw_key(w, "amdahl");
	jsonw_bool(w, f->amdahl);
	jsonw_key(w, "intervals");
	jsonw_object(w);
	const struct {
		const char *key;
		double lo, hi, se;
	} iv[] = {{"lambda", f->lambda_lo, f->lambda_hi, f->lambda_se},
		  {"sigma", f->sigma_lo, f->sigma_hi, f->sigma_se},
		  {"kappa", f->kappa_lo, f->kappa_hi, f->kappa_se},
		  {"n_star", f->n_star_lo, f->n_star_hi, f->n_star_se}};
	for (size_t i = 0; i < PG_ARRAY_LEN(iv); i++) {
		jsonw_key(w, iv[i].key);
		jsonw_object_inline(w);
		json_number_or_null(w, "lo", iv[i].lo);
		json_number_or_null(w, "hi", iv[i].hi);
		json_number_or_null(w, "se", iv[i].se);
		jsonw_end(w);
	}
	jsonw_end(w);
	struct buf text;
	buf_init(&text);
	usl_reading_of(&text, c);
	jsonw_key(w, "reading");
	jsonw_string(w, text.data);
	buf_fini(&text);
	jsonw_end(w);
	jsonw_key(w, "usl_why");
	jsonw_null(w);
}

void capacity_write_json(const struct capacity *c, struct buf *out)
{
	struct jsonw w;
	jsonw_init(&w, out);
	jsonw_object(&w);
	jsonw_key(&w, "format");
	jsonw_string(&w, "perfgate-capacity");
	jsonw_key(&w, "version");
	jsonw_int(&w, 1);
	jsonw_key(&w, "load_unit");
	jsonw_string(&w, c->load_unit);
	jsonw_key(&w, "open_model");
	jsonw_bool(&w, c->open_model);
	jsonw_key(&w, "levels");
	jsonw_array(&w);
	for (size_t i = 0; i < c->count; i++) {
		const struct capacity_level *l = &c->levels[i];
		jsonw_object_inline(&w);
		jsonw_key(&w, "run");
		jsonw_string(&w, l->run->label);
		jsonw_key(&w, "tool");
		jsonw_string(&w, l->run->tool);
		json_number_or_null(&w, "load", l->load);
		json_number_or_null(&w, "throughput", l->throughput);
		json_number_or_null(&w, "p50", l->p50);
		json_number_or_null(&w, "p95", l->p95);
		jsonw_key(&w, "p95_estimate");
		jsonw_bool(&w, l->p95_estimate);
		json_number_or_null(&w, "p99", l->p99);
		jsonw_key(&w, "p99_estimate");
		jsonw_bool(&w, l->p99_estimate);
		json_number_or_null(&w, "mean", l->mean);
		json_number_or_null(&w, "error_rate", l->error_rate);
		json_number_or_null(&w, "d_throughput", i ? l->d_throughput : NAN);
		json_number_or_null(&w, "d_p50", i ? l->d_p50 : NAN);
		json_number_or_null(&w, "d_p95", i ? l->d_p95 : NAN);
		json_number_or_null(&w, "d_p99", i ? l->d_p99 : NAN);
		json_number_or_null(&w, "think_time_s", l->think_s);
		json_number_or_null(&w, "dropped", l->dropped);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	jsonw_key(&w, "breaking_point");
	if (c->has_breaking) {
		jsonw_object_inline(&w);
		json_number_or_null(&w, "load", c->breaking_load);
		jsonw_key(&w, "text");
		jsonw_string(&w, c->breaking_text);
		jsonw_end(&w);
	} else {
		jsonw_null(&w);
	}
	jsonw_key(&w, "breaking_point_why");
	jsonw_string(&w, c->has_breaking ? NULL : c->breaking_text);
	jsonw_key(&w, "knee");
	if (c->has_knee) {
		jsonw_object_inline(&w);
		json_number_or_null(&w, "load", c->knee_load);
		jsonw_key(&w, "method");
		jsonw_string(&w, "kneedle on p95");
		jsonw_end(&w);
	} else {
		jsonw_null(&w);
	}
	jsonw_key(&w, "knee_why");
	jsonw_string(&w, c->has_knee ? NULL : c->knee_why);
	jsonw_key(&w, "slo_crossing");
	if (c->slo.set && c->has_crossing) {
		jsonw_object_inline(&w);
		jsonw_key(&w, "slo");
		jsonw_string(&w, c->slo.text);
		json_number_or_null(&w, "highest_level_holding", c->slo_highest_ok);
		json_number_or_null(&w, "load", c->slo_crossing);
		jsonw_key(&w, "interpolated");
		jsonw_bool(&w, true);
		jsonw_end(&w);
	} else {
		jsonw_null(&w);
	}
	jsonw_key(&w, "slo_crossing_why");
	jsonw_string(&w, !c->slo.set ? "no --slo given" : c->has_crossing ? NULL : c->slo_text);
	json_usl(&w, c);
	jsonw_key(&w, "little_inconsistent_levels");
	jsonw_int(&w, (int64_t)c->little_inconsistent);
	jsonw_end(&w);
	jsonw_finish(&w);
}
