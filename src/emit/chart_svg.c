/*
 * chart_svg.c - makes Cairo's SVG documents depend only on the chart drawn.
 *
 * Cairo names the page group (and any surface or image it embeds) after the surface's unique
 * id, a counter global to the process ("<g id=\"surface6\">" for the second chart drawn,
 * "surface1" for the first), so the same spec would give different bytes on each call. This
 * post-pass renumbers the ids that follow such a counter, "surface<N>" and "image<N>", from 1
 * in order of first appearance, wherever they are defined (id="...") or referenced ("#..." in
 * href and url()). Glyph, clip, mask and pattern ids count per document and are left alone.
 * No user text can be mistaken for an id: Cairo writes text as glyph outlines, never as
 * characters.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "chart_draw.h"

/*
 * The next place at or after from where an id may be introduced, a '#' or an `id="`: its
 * offset, and in *start where the id would start; len when there is none.
 */
static size_t next_id_start(const char *svg, size_t len, size_t from, const char **hash,
			    const char **attr, size_t *start)
{
	/* each is searched for again only once passed; memchr and memmem are vectorised */
	if (*hash && *hash < svg + from)
		*hash = memchr(svg + from, '#', len - from);
	if (*attr && *attr < svg + from)
		*attr = memmem(svg + from, len - from, "id=\"", 4);
	if (*hash && (!*attr || *hash < *attr)) {
		*start = (size_t)(*hash - svg) + 1;
		return *start - 1;
	}
	*start = *attr ? (size_t)(*attr - svg) + 4 : len;
	return *attr ? *start - 4 : len;
}

void chart_svg_renumber_ids(const char *svg, size_t len, struct buf *out)
{
	static const char *const prefixes[] = {"surface", "image"};
	unsigned long *seen[PG_ARRAY_LEN(prefixes)] = {NULL};
	size_t counts[PG_ARRAY_LEN(prefixes)] = {0}, caps[PG_ARRAY_LEN(prefixes)] = {0};
	size_t copied = 0;
	const char *hash = memchr(svg, '#', len), *attr = memmem(svg, len, "id=\"", 4);
	size_t start;
	for (size_t at = next_id_start(svg, len, 0, &hash, &attr, &start); at < len;) {
		size_t resume = at + 1;
		for (size_t p = 0; p < PG_ARRAY_LEN(prefixes); p++) {
			size_t plen = strlen(prefixes[p]), end = start + plen;
			if (len - start <= plen || memcmp(svg + start, prefixes[p], plen) != 0)
				continue;
			unsigned long id = 0;
			while (end < len && svg[end] >= '0' && svg[end] <= '9' && id < 100000000)
				id = id * 10 + (unsigned long)(svg[end++] - '0');
			bool digits = end > start + plen;
			if (!digits || end == len || (svg[end] != '"' && svg[end] != ')'))
				continue;
			size_t n = 0;
			while (n < counts[p] && seen[p][n] != id)
				n++;
			if (n == counts[p]) {
				seen[p] = xgrow(seen[p], &caps[p], counts[p] + 1, sizeof *seen[p]);
				seen[p][counts[p]++] = id;
			}
			buf_append(out, svg + copied, start + plen - copied);
			buf_printf(out, "%zu", n + 1);
			copied = end;
			resume = end;
			break;
		}
		at = next_id_start(svg, len, resume, &hash, &attr, &start);
	}
	buf_append(out, svg + copied, len - copied);
	for (size_t p = 0; p < PG_ARRAY_LEN(prefixes); p++)
		free(seen[p]);
}
