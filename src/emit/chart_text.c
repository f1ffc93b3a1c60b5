/*
 * chart_text.c - text on a chart: making strings safe for Cairo, the font, measuring, fitting
 * a width with an ellipsis, and drawing aligned.
 *
 * Text is "DejaVu Sans", its faces made from the font files (else Cairo's toy API asks
 * fontconfig for the family); the font options that keep hinting settings from moving a glyph
 * are set once per chart, by chart.c's draw. Every string is valid UTF-8 without control
 * characters before Cairo sees it (chart_text_clean), so no input can put Cairo in an error
 * state. Text too wide for its place is cut on a character boundary and ends
 * with an ellipsis; the cut is found by bisection over measured widths. Results go into a
 * struct buf the caller owns (the drawing code passes one scratch buffer around).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-ft.h>
#include <fontconfig/fontconfig.h>

#include "chart_draw.h"

#define FONT_FAMILY "DejaVu Sans"
/* Where Debian's fonts-dejavu-core puts the family's two faces (a build may say elsewhere). */
#ifndef PERFGATE_FONT_DIR
#define PERFGATE_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

/*
 * The regular and bold faces, made once from their files: no fontconfig configuration to
 * load (a few milliseconds of XML and caches per run), and no user rule of fontconfig's can
 * change a glyph. Where the files are not, both are NULL and the toy API asks fontconfig for
 * the family, as it always did.
 */
static cairo_font_face_t *faces[2];
static bool faces_tried;

static cairo_font_face_t *face_from_file(const char *file)
{
	if (access(file, R_OK) != 0)
		return NULL;
	FcPattern *pattern = FcPatternCreate();
	if (!pattern)
		return NULL;
	FcPatternAddString(pattern, FC_FILE, (const FcChar8 *)file);
	FcPatternAddInteger(pattern, FC_INDEX, 0);
	cairo_font_face_t *face = cairo_ft_font_face_create_for_pattern(pattern);
	FcPatternDestroy(pattern);
	if (cairo_font_face_status(face) != CAIRO_STATUS_SUCCESS) {
		cairo_font_face_destroy(face);
		return NULL;
	}
	return face;
}

void chart_text_release_faces(void)
{
	for (size_t i = 0; i < 2; i++) {
		if (faces[i])
			cairo_font_face_destroy(faces[i]);
		faces[i] = NULL;
	}
	faces_tried = false;
}

/* Bytes of a cleaned string; longer text could not fit in the image anyway. */
#define CLEAN_MAX 512

const char *chart_text_clean(const char *s, struct buf *out)
{
	buf_clear(out);
	/* Cairo refuses noncharacters (U+FFFE in a name fails the whole chart) and C1 controls */
	str_utf8_clean(out, s ? s : "", s ? strlen(s) : 0,
		       STR_CLEAN_CONTROL_SPACE | STR_CLEAN_C1_SPACE | STR_CLEAN_NONCHAR, CLEAN_MAX);
	return out->data;
}

void chart_text_set_font(cairo_t *cr, double size, bool bold)
{
	if (!faces_tried) {
		faces[0] = face_from_file(PERFGATE_FONT_DIR "/DejaVuSans.ttf");
		faces[1] = face_from_file(PERFGATE_FONT_DIR "/DejaVuSans-Bold.ttf");
		if (!faces[0] || !faces[1])
			chart_text_release_faces(); /* both from files, or both from fontconfig */
		faces_tried = true;
	}
	if (faces[bold])
		cairo_set_font_face(cr, faces[bold]);
	else
		cairo_select_font_face(cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
				       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

double chart_text_width(cairo_t *cr, const char *s)
{
	cairo_text_extents_t e;
	cairo_text_extents(cr, s, &e);
	return e.x_advance;
}

const char *chart_text_fit(cairo_t *cr, const char *s, double max_width, struct buf *out)
{
	chart_text_clean(s, out);
	if (chart_text_width(cr, out->data) <= max_width)
		return out->data;
	size_t bounds[CLEAN_MAX + 1], count = 0;
	for (size_t i = 0; i < out->len; i++)
		if (((unsigned char)out->data[i] & 0xC0) != 0x80)
			bounds[count++] = i;
	/* the longest prefix bounds[lo] that fits with the ellipsis; prefixes of bounds[hi]
	 * and longer do not */
	size_t lo = 0, hi = count;
	char *trial = xmalloc(out->len + 4);
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		memcpy(trial, out->data, bounds[mid]);
		memcpy(trial + bounds[mid], "\xE2\x80\xA6", 4);
		if (chart_text_width(cr, trial) <= max_width)
			lo = mid;
		else
			hi = mid;
	}
	size_t keep = bounds[lo];
	while (keep > 0 && out->data[keep - 1] == ' ')
		keep--;
	free(trial);
	out->len = keep;
	out->data[keep] = '\0';
	buf_puts(out, "\xE2\x80\xA6");
	if (keep == 0 || chart_text_width(cr, out->data) > max_width)
		buf_clear(out);
	return out->data;
}

void chart_text_show(cairo_t *cr, const char *s, double x, double y, double align)
{
	if (!*s)
		return;
	cairo_move_to(cr, x - chart_text_width(cr, s) * align, y);
	cairo_show_text(cr, s);
}
