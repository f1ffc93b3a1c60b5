/*
 * yaml.h - a YAML document read into the same Jansson values a JSON document gives, with the
 * position of every value kept, so that whatever reads the values (the budget loader) places
 * its diagnostics in the YAML file exactly as in a JSON one.
 *
 * Audience: the budget loader (budget files may be YAML: formats/budget.md).
 *
 * Reading follows YAML 1.2's core schema: a plain scalar is null (~, null, empty), a boolean
 * (true, false: not yes/no/on/off), an integer (decimal, 0x, 0o), a float, else a string;
 * quoted and block scalars are strings; the tags !!str, !!int, !!float, !!bool and !!null are
 * honoured and any other tag is refused. A mapping key is a scalar, taken as text. Anchors and
 * aliases are allowed, "<<" merge keys too (a mapping, or a sequence of them; keys written in
 * the mapping win), and the document may hold at most YAML_MAX_NODES values once aliases are
 * expanded, so a "billion laughs" file is refused at the alias that passes the bound. A key
 * given twice in one mapping is an error at its second occurrence, as in a JSON budget. The
 * file holds one document. Infinities and NaN have no JSON form and are refused.
 *
 * Positions: every value gets a struct json_position under its JSON Pointer (RFC 6901), which
 * json.c's locators (json_locate, json_locate_text ...) use once src->positions points at
 * them; an alias's or a merge's values are placed where they were written.
 */
#ifndef PERFGATE_YAML_H
#define PERFGATE_YAML_H

#include "json.h"

/* Values a document may expand to (aliases included) before it is refused. */
enum { YAML_MAX_NODES = 100000 };

/*
 * Parses src (after a UTF-8 BOM) into a new reference owned by the caller, filling *positions
 * (json_positions_free). Syntax errors and what a budget cannot hold are reported as
 * DIAG_YAML_SYNTAX at their position; then NULL, with *positions empty.
 */
json_t *yaml_parse_source(struct source *src, struct json_positions *positions,
			  struct diag *d);

/* Whether path names a YAML file by its extension (.yaml or .yml, any case). */
bool yaml_path(const char *path);

#endif
