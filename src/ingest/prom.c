/*
 * prom.c - the small pieces both Prometheus parsers share (prom.h): type names and turning a
 * struct prom_where into a diagnostic position.
 */
#include "prom.h"

const char *prom_type_name(enum prom_type type)
{
	switch (type) {
	case PROM_UNTYPED: return "untyped";
	case PROM_COUNTER: return "counter";
	case PROM_GAUGE: return "gauge";
	case PROM_HISTOGRAM: return "histogram";
	case PROM_GAUGEHISTOGRAM: return "gaugehistogram";
	case PROM_SUMMARY: return "summary";
	case PROM_STATESET: return "stateset";
	case PROM_INFO: return "info";
	}
	return "untyped";
}

void prom_where_locate(const struct prom_where *w, struct diag_loc *loc)
{
	if (w->src) {
		source_locate(w->src, w->offset, w->span ? w->span : 1, loc);
		return;
	}
	*loc = source_file_loc(w->file);
	loc->line = w->line;
	loc->column = w->column;
}
