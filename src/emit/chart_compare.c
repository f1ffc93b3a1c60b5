/*
 * chart_compare.c - a candidate run's latency spectrum over its baseline's, one chart per
 * candidate run when a baseline model is given.
 *
 * The baseline run is model_baseline_run's, as the report's table and the budget rules pick
 * it: the one with the candidate's label, else the baseline's only run (a baseline of one run
 * compares against every candidate, whatever its label); else there is no chart. Both series
 * are drawn as the spectrum chart draws a run (chart_spectrum_add_series); without data on
 * either side there is nothing to compare and no chart.
 */
#include <stdio.h>
#include <string.h>

#include "chart_kinds.h"

/* Adds "ROLE 'LABEL'" (the run's latency); false when it has nothing to draw. */
static bool add_run(struct chart_spec *spec, const char *role, const struct run *run,
		    const struct series *latency)
{
	struct buf label;
	buf_init(&label);
	buf_printf(&label, "%s '", role);
	chart_kinds_append_label(&label, run->label);
	buf_putc(&label, '\'');
	bool ok = chart_spectrum_add_series(spec, label.data, latency);
	buf_fini(&label);
	return ok;
}

bool chart_compare_build(const struct model *m, size_t run_index, const struct model *baseline,
			 struct chart_spec *spec)
{
	const struct run *run = m->runs[run_index];
	memset(spec, 0, sizeof *spec);
	const struct run *base = model_baseline_run(baseline, run);
	if (!base)
		return false;
	const struct series *base_latency = chart_kinds_run_latency(base);
	const struct series *latency = chart_kinds_run_latency(run);
	if (!base_latency || !latency)
		return false;

	char name[40];
	snprintf(name, sizeof name, "compare-%zu", run_index + 1);
	chart_spectrum_init(spec, CHART_COMPARE, name, "Baseline vs candidate");
	chart_kinds_run_subtitle(spec, run, NULL);
	if (!add_run(spec, "baseline", base, base_latency) ||
	    !add_run(spec, "candidate", run, latency)) {
		chart_spec_fini(spec);
		return false;
	}
	return true;
}
