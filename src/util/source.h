/*
 * source.h - an input held in memory, with a line map for turning byte offsets into positions.
 *
 * Audience: every layer that parses a whole document (JSON front ends, budget files) and diag.
 *
 * Positions are 1-based. Columns count UTF-8 characters (code points), not bytes, so a caret
 * lands under the right character; a UTF-8 BOM at the start is not part of line 1 (editors do
 * not show it). Line text never includes its "\r\n" / "\n" ending.
 *
 * Memory: the source borrows bytes (owned by the caller, typically a struct buf that outlives
 * it) and owns its line map (source_fini frees it).
 */
#ifndef PERFGATE_SOURCE_H
#define PERFGATE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_positions;

struct source {
	const char *name;     /* display name: the path as given, "<stdin>" for "-"; borrowed */
	const char *bytes;    /* contents; borrowed, need not be NUL-terminated */
	size_t len;           /* bytes in contents */
	size_t body;          /* offset where content starts: 3 after a UTF-8 BOM, else 0 */
	size_t *line_starts;  /* offset of each line's first byte; owned, built on first use */
	size_t line_count;    /* entries in line_starts */
	const struct json_positions *positions; /* where each value of a YAML document sits
						   (yaml.h); NULL: json.c scans the JSON bytes */
};

/* A position for a diagnostic; any part may be unknown. */
struct diag_loc {
	const char *file;       /* NULL when the message is about no file */
	uint64_t line;          /* 1-based; 0 = unknown */
	uint64_t column;        /* 1-based character column; 0 = unknown */
	const char *line_text;  /* the source line for the caret display; NULL = none */
	size_t line_len;        /* bytes in line_text */
	size_t span;            /* characters to underline from column (>= 1 when shown) */
};

void source_init(struct source *s, const char *name, const char *bytes, size_t len);
void source_fini(struct source *s);

/*
 * Fills *loc for the byte offset (clamped to the input) and a span of span_bytes bytes (the
 * underline is cut at the end of the line). The loc points into s, valid while s lives.
 */
void source_locate(struct source *s, size_t offset, size_t span_bytes, struct diag_loc *loc);

/* A location naming only the file. */
struct diag_loc source_file_loc(const char *name);

#endif
