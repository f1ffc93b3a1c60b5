/*
 * json.h - Jansson glue: parse a source with positioned syntax errors, find where a value sits
 * in the raw bytes, and typed getters that report a diagnostic on a type mismatch.
 *
 * Audience: front ends that read JSON documents, model_json.c, later the budget loader.
 *
 * Jansson gives positions only for syntax errors. For every other complaint ("latency.p50 is a
 * string") json_locate scans the raw bytes for the value named by a JSON Pointer (RFC 6901,
 * "/latency/p50", "/3/title") and returns its line:col. It is a locator, not a second parser:
 * Jansson decides what the document means (STYLE §4). json_decode_escape decodes one string
 * escape for every reader that walks raw JSON bytes itself.
 *
 * Ownership: json_parse_source returns a new reference owned by the caller (json_decref).
 */
#ifndef PERFGATE_JSON_H
#define PERFGATE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct buf;
#include <stdint.h>

#include "diag.h"
#include "source.h"

/*
 * Parses the source (after a UTF-8 BOM). On a syntax error reports DIAG_JSON_SYNTAX at the
 * position Jansson found and returns NULL. Numbers too large for an integer are reported too.
 */
json_t *json_parse_source(struct source *src, struct diag *d);
/* The same with more Jansson decoding flags (JSON_REJECT_DUPLICATES for budget files). */
json_t *json_parse_source_flags(struct source *src, size_t flags, struct diag *d);

/* How a string's decoded text maps back onto its raw bytes (budget/text.c walks them). */
enum json_text_style {
	JSON_TEXT_JSON,     /* a JSON string: escapes as json_decode_escape */
	JSON_TEXT_PLAIN,    /* a plain YAML scalar: as written, line breaks folded */
	JSON_TEXT_SINGLE,   /* 'single-quoted': '' is one quote, line breaks folded */
	JSON_TEXT_DOUBLE,   /* "double-quoted": YAML's backslash escapes, line breaks folded */
	JSON_TEXT_LITERAL,  /* a | block: its lines, the indentation left out */
	JSON_TEXT_FOLDED,   /* a > block: the same, single line breaks folded */
};

/* Where one value of a document that is not JSON text (YAML) sits in its source. */
struct json_position {
	char *pointer;            /* RFC 6901; heap */
	size_t offset, span;      /* the value's first byte and its length (1 for a container) */
	size_t key_offset, key_span; /* its member name's; key_span 0: an array element or root */
	size_t text_offset;       /* a scalar's first decoded character's first raw byte */
	enum json_text_style style;
	size_t key_text_offset;   /* the same for the member name */
	enum json_text_style key_style;
};

struct json_positions {
	struct json_position *at; /* heap */
	size_t count, cap;
};

void json_positions_free(struct json_positions *p);

/* Fills *loc with the position of the value at pointer; false (and a file-only loc) if absent. */
bool json_locate(struct source *src, const char *pointer, struct diag_loc *loc);
/*
 * The byte offset in src of the first byte of the value at pointer (a string's opening '"',
 * an object's '{'); false when it is not found. For positions inside a value: a string's
 * first character is at *offset + 1.
 */
bool json_locate_offset(const struct source *src, const char *pointer, size_t *offset);
/*
 * The byte offset in src of the opening '"' of the member name pointer ends with (pointer
 * names an object member); false when it is not found or names an array element.
 */
bool json_locate_key_offset(const struct source *src, const char *pointer, size_t *offset);
/* The bytes the member name key at pointer spans in src (quotes included); 0 when unknown. */
size_t json_locate_key_span(const struct source *src, const char *pointer, const char *key);

/*
 * Where the text of the string at pointer (or, with member_name, of the member name pointer
 * ends with) starts: the raw byte of its first decoded character, and how the rest maps back
 * (text.c). False when it is not found or is no string.
 */
bool json_locate_text(const struct source *src, const char *pointer, bool member_name,
		      size_t *offset, enum json_text_style *style);

/* Reports a diagnostic at the value named by pointer (the file alone when it is not found). */
void json_report(struct diag *d, enum diag_id id, struct source *src, const char *pointer,
		 const char *fmt, ...) PG_PRINTF(5, 6);

/*
 * The pointer of member key (or array index, as text) of the value at parent:
 * parent + "/" + key with RFC 6901 escapes. Returns a new string owned by the caller.
 */
char *json_pointer_member(const char *parent, const char *key);

/* What a JSON string escape was (json_decode_escape). */
enum json_escape_status {
	JSON_ESCAPE_OK,             /* \" \\ \/ \b \f \n \r \t, a \uXXXX or a surrogate pair */
	JSON_ESCAPE_UNKNOWN,        /* a backslash before any other byte */
	JSON_ESCAPE_BAD_HEX,        /* "\u" not followed by four hex digits */
	JSON_ESCAPE_LONE_SURROGATE, /* \uD800..\uDFFF that is not half of a pair */
};

/* One escape of a JSON string, decoded. */
struct json_escape {
	enum json_escape_status status;
	uint32_t cp;   /* what it stands for: the code point (a lone surrogate's own value); for
			  UNKNOWN the byte after the backslash, for BAD_HEX '?' */
	size_t raw;    /* its bytes in the source, backslash included: 2, 6 (\uXXXX) or 12 (a
			  pair); 2 for UNKNOWN and BAD_HEX, which end after the letter */
	size_t width;  /* its bytes once decoded: cp in UTF-8 (1 to 4, 3 for a lone surrogate),
			  1 for UNKNOWN and BAD_HEX, whose byte is cp itself */
};

/*
 * Decodes the escape at p: p[0] is the backslash and end - p >= 2 (p[1] exists). Never reads
 * at or past end. The one JSON escape decoder: the locator (json.c), the k6 NDJSON reader and
 * the budget text map (budget/text.c) all go through it. The decoding is lenient, as the
 * locator needs (it keeps going on anything); a strict reader refuses any status but
 * JSON_ESCAPE_OK. Jansson refuses every malformed escape, so on a document Jansson accepted,
 * status is always JSON_ESCAPE_OK and width is what Jansson decoded.
 * Inline: the k6 NDJSON reader calls it for every escape of every new tag set (a hot path).
 */
static inline struct json_escape json_decode_escape(const char *p, const char *end)
{
	struct json_escape e = {JSON_ESCAPE_OK, (unsigned char)p[1], 2, 1};
	switch (p[1]) {
	case '"':
	case '\\':
	case '/': return e;
	case 'b': e.cp = '\b'; return e;
	case 'f': e.cp = '\f'; return e;
	case 'n': e.cp = '\n'; return e;
	case 'r': e.cp = '\r'; return e;
	case 't': e.cp = '\t'; return e;
	case 'u': break;
	default: e.status = JSON_ESCAPE_UNKNOWN; return e;
	}
	long cp = end - p >= 6 ? str_hex4(p + 2) : -1;
	if (cp < 0) {
		e.status = JSON_ESCAPE_BAD_HEX;
		e.cp = '?';
		return e;
	}
	e.raw = 6;
	if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 12 && p[6] == '\\' && p[7] == 'u') {
		long low = str_hex4(p + 8);
		if (low >= 0xdc00 && low <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
			e.raw = 12;
		}
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		e.status = JSON_ESCAPE_LONE_SURROGATE;
	e.cp = (uint32_t)cp;
	e.width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	return e;
}

/*
 * A scan over raw JSON bytes, no tree (json_locate's, and model_json.c's split of a large
 * model into pieces): it follows strings and nesting only, so it never judges validity; Jansson
 * does. Each call moves p; false when the bytes end first (or, for a string, p is not at '"').
 */
struct json_scan {
	const char *p;
	const char *end;
	const char *key; /* json_locate: the opening '"' of the last member name it matched */
};
/* Moves past JSON white space. */
void json_scan_ws(struct json_scan *s);
/* At '"': moves past the string, decoding it into out (NULL: skips it). */
bool json_scan_string(struct json_scan *s, struct buf *out);
/* Moves past one value of any kind (white space before it included). */
bool json_scan_value(struct json_scan *s);
/*
 * At '{': calls member(s, its decoded name, ctx) with s at each member's value (s->key at the
 * name's opening '"'); member moves past the value and returns 0, or returns another number
 * to stop there. Returns that number, 0 after the closing '}', -1 when the bytes are not an
 * object as far as the scan can tell.
 */
int json_scan_members(struct json_scan *s,
		      int (*member)(struct json_scan *s, const char *key, void *ctx), void *ctx);
/*
 * At '[': calls element(s, its index, ctx) with s at each element, as json_scan_members does
 * for members. Returns what element returned to stop, 0 after the closing ']', -1 when the
 * bytes are not an array as far as the scan can tell (a ']' right after a ',' among them).
 */
int json_scan_elements(struct json_scan *s,
		       int (*element)(struct json_scan *s, size_t i, void *ctx), void *ctx);

/* "an object", "an array", "a string", "a number", "a boolean", "null": for messages. */
const char *json_type_name(const json_t *v);

/* What a typed getter found. */
enum json_found {
	JSON_FOUND,   /* present with the right type; *out set */
	JSON_ABSENT,  /* key missing, or null */
	JSON_WRONG,   /* present with another type; reported as DIAG_JSON_TYPE */
};

/*
 * Reads object[key] as a finite number (integer or real). `pointer` names the object.
 * A string such as "NaN" or a non-finite value is JSON_WRONG and reported.
 */
enum json_found json_get_number(struct diag *d, struct source *src, const char *pointer,
				json_t *object, const char *key, double *out);
/* Reads object[key] as a string; *out borrows from the json_t. */
enum json_found json_get_string(struct diag *d, struct source *src, const char *pointer,
				json_t *object, const char *key, const char **out);

#endif
