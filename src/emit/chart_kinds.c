/*
 * chart_kinds.c - the small helpers every chart kind (chart_<kind>.c) uses: labels from inputs
 * cut to a bounded length on a UTF-8 boundary, run titles, a run's whole-run latency series,
 * and the note on series built from estimated values.
 *
 * They live apart from chart_plan.c so that the dependencies run one way: the plan calls the
 * kinds, the kinds call these helpers and the spec builders (chart_spec.c), and nothing calls
 * back up. The helpers only read the model and append to caller-owned buffers; labels are kept
 * as the inputs wrote them (the drawing code makes them valid UTF-8).
 */
#include <stdarg.h>
#include <string.h>

#include "chart_kinds.h"

/* U+2026 HORIZONTAL ELLIPSIS */
#define ELLIPSIS "\xE2\x80\xA6"

void chart_kinds_append_label(struct buf *out, const char *text)
{
	size_t len = strlen(text);
	if (len <= CHART_LABEL_MAX) {
		buf_append(out, text, len);
		return;
	}
	/* keep room for the ellipsis; back off over continuation bytes (10xxxxxx) */
	size_t cut = CHART_LABEL_MAX - (sizeof ELLIPSIS - 1);
	while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	buf_append(out, text, cut);
	buf_puts(out, ELLIPSIS);
}

void chart_kinds_run_subtitle(struct chart_spec *spec, const struct run *run, const char *more,
			      ...)
{
	struct buf text;
	buf_init(&text);
	buf_puts(&text, "run '");
	chart_kinds_append_label(&text, run->label);
	buf_putc(&text, '\'');
	if (more) {
		va_list ap;
		va_start(ap, more);
		buf_vprintf(&text, more, ap);
		va_end(ap);
	}
	chart_spec_set_subtitle(spec, text.data);
	buf_fini(&text);
}

const struct series *chart_kinds_run_latency(const struct run *run)
{
	const struct series *s = model_find_series(run, "latency", NULL, NULL, 0);
	/* the axis says ms: a latency loaded in another unit (model JSON) is not drawn on it */
	if (!s || s->kind != SERIES_TREND || s->unit != UNIT_MS)
		return NULL;
	return s;
}

const char *chart_kinds_estimate_note(size_t estimates, size_t values)
{
	if (estimates == 0)
		return "";
	return estimates == values ? " (estimate)" : " (some estimated)";
}
