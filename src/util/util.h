/*
 * util.h - the util layer: allocation, arenas, byte buffers, string views, number formatting.
 *
 * Audience: every layer. Nothing here knows about load tests; these could be reused elsewhere.
 * Sections follow the implementing files: xalloc.c, arena.c, buf.c, str.c.
 *
 * Errors: the x* allocators never return NULL. On out of memory they print
 * "perfgate: out of memory" and exit with XALLOC_EXIT_STATUS (4, the driver's EXIT_INTERNAL:
 * main.c checks that they agree), the one class of failure that is not reported through the
 * diagnostics sink (STYLE rule 11b).
 */
#ifndef PERFGATE_UTIL_H
#define PERFGATE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define PG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PG_PRINTF(fmt, args)
#endif

#define PG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- xalloc.c ---- */

/* The exit status of a process out of memory (exit_code.h's EXIT_INTERNAL). */
enum { XALLOC_EXIT_STATUS = 4 };
/* Reports "out of memory" and exits 4: for other allocators (zlib, PCRE2) that failed. */
_Noreturn void xalloc_die(void);
/* Return new memory owned by the caller; never NULL (out of memory exits 4). */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of `*cap` elements of `size` bytes so that it holds at least `need`. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
/* Return a new formatted string owned by the caller. */
char *xasprintf(const char *fmt, ...) PG_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap);

/* ---- arena.c ---- */

/*
 * Region allocator: memory is handed out from large blocks and released all at once by
 * arena_free. Nothing inside an arena is freed on its own.
 */
struct arena_block;
struct arena {
	struct arena_block *head; /* newest block first; NULL when empty */
	size_t total;             /* bytes handed out, for statistics */
};

void arena_init(struct arena *a);
/* Returns zeroed memory valid until arena_free; aligned for any type. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_printf(struct arena *a, const char *fmt, ...) PG_PRINTF(2, 3);
/* Moves every block of from into into (pointers into from stay valid, now owned by into). */
void arena_adopt(struct arena *into, struct arena *from);
void arena_free(struct arena *a);

/* ---- buf.c ---- */

/* Growable byte buffer, always NUL-terminated after `len` bytes once anything was added. */
struct buf {
	char *data;  /* owned; NULL until the first append */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated */
};

void buf_init(struct buf *b);
void buf_fini(struct buf *b);
void buf_clear(struct buf *b);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) PG_PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Moves the contents out: returns a NUL-terminated string owned by the caller, empties b. */
char *buf_take(struct buf *b);
/* Appends code point cp (at most U+10FFFF) encoded as UTF-8 (1 to 4 bytes). */
void buf_put_utf8(struct buf *b, uint32_t cp);

/* ---- str.c ---- */

/*
 * FNV-1a: the len bytes at p folded into h, a starting value (each hash table and seed keeps
 * its own) or the result of an earlier call. For hash tables and seeds, never for security.
 */
uint64_t str_fnv1a(uint64_t h, const void *p, size_t len);
bool str_starts_with(const char *s, const char *prefix);
/* 3 when bytes[0..len) start with a UTF-8 byte order mark, else 0: the bytes to skip. */
size_t str_bom_length(const char *bytes, size_t len);
bool str_ends_with(const char *s, const char *suffix);
/*
 * Formats a double as the shortest decimal that reads back to the same double ("%.15g" up to
 * "%.17g"), so outputs are stable and free of binary noise: 12.51, not 12.510000000000002.
 * Integers in the exact range print without a fraction. NaN/Inf print as "nan"/"inf"/"-inf"
 * (callers that write JSON must map them to null first). Returns the length written into out,
 * which needs 32 bytes.
 */
int str_format_double(char out[32], double value);
/*
 * Bytes of the one well-formed UTF-8 sequence at text[0..len) (len >= 1): 1 for ASCII (NUL
 * included), 2 to 4 for a multi-byte character, 0 when text starts no valid sequence.
 */
size_t str_utf8_sequence(const char *text, size_t len);
/*
 * Length of the longest prefix of s[0..len) that is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF): len when all of it is.
 */
size_t str_utf8_valid(const char *s, size_t len);
/* What str_utf8_clean does besides replacing invalid UTF-8; combine with '|'. */
enum str_clean_flags {
	STR_CLEAN_CONTROL_SPACE = 1 << 0, /* U+0000..U+001F and U+007F become one space each */
	STR_CLEAN_C1_SPACE = 1 << 1,      /* U+0080..U+009F become one space each */
	STR_CLEAN_CONTROL_HEX = 1 << 2,   /* U+0000..U+001F but tab, LF, CR become the text \xNN
					     (upper-case hex); not with STR_CLEAN_CONTROL_SPACE */
	STR_CLEAN_NONCHAR = 1 << 3,       /* noncharacters (U+FDD0..U+FDEF, U+FFFE, U+FFFF and the
					     last two of every plane) become U+FFFD */
	STR_CLEAN_ESCAPE = 1 << 4,        /* for a terminal or a CI log: every C0 control and DEL
					     become \n \r \t or \xNN, C1 controls \u0080..\u009F,
					     so no name from an input can start a line or an escape
					     sequence; alone */
	STR_CLEAN_INVALID_HEX = 1 << 5,   /* a byte that is not part of valid UTF-8 becomes the text
					     \xNN (upper-case hex), not U+FFFD: input names kept
					     recognisable */
};
/*
 * The one UTF-8 cleaner: appends s[0..len) to out as valid UTF-8 for outputs that must be
 * (JSON, XML, Markdown, Cairo text). Each byte that starts no well-formed sequence becomes
 * U+FFFD and the next byte is tried; valid characters are copied unless flags (enum
 * str_clean_flags) say otherwise. Stops early, on a character boundary, when the next
 * character might take the bytes appended past limit (SIZE_MAX: no limit): it appends at most
 * limit bytes. out->data is NUL-terminated afterwards, even for len 0.
 */
void str_utf8_clean(struct buf *out, const char *s, size_t len, unsigned flags, size_t limit);
/* Appends s for a terminal or a CI log: str_utf8_clean with STR_CLEAN_ESCAPE, no limit. */
void str_put_visible(struct buf *out, const char *s);
/*
 * The same for a table cell: at most max_bytes bytes (max_bytes >= 8), cut on a character
 * boundary and ended with "…" when longer, so a 10 MB name cannot widen every row.
 */
void str_put_visible_cut(struct buf *out, const char *s, size_t max_bytes);
/* value rounded to `digits` significant decimal digits (0, NaN and Inf unchanged). */
double str_round_significant(double value, int digits);
/* The value of the 4 hex digits at p (a JSON \uXXXX escape's), or -1 when they are not. */
long str_hex4(const char *p);
/*
 * For a did-you-mean: the name closest to word among names[0..count) (NULL entries skipped),
 * when it is within a third of word's length in edits (at least 1); NULL when none is that
 * close. Ties go to the earlier name. Returns one of names.
 */
const char *str_closest(const char *word, const char *const *names, size_t count);

#endif
