/*
 * emit_test.h - back-end functions public only for the tests and fuzzers (HdrHistogram's
 * hdr_tests.h idea).
 *
 * Audience: tests/ and the emit files that define these. The program writes JUnit with
 * junit_write (emit.h) and escapes through mustache_render's MUSTACHE_ESCAPE_MARKDOWN
 * (mustache.h); these are the steps inside, for tests that check them on their own.
 */
#ifndef PERFGATE_EMIT_TEST_H
#define PERFGATE_EMIT_TEST_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct model;
struct verdict;

/* ---- junit.c ---- */

/*
 * Appends junit_write's document for v to out (see emit.h). Returns false only when libxml2's
 * writer failed (out is then unchanged).
 */
bool junit_render(const struct verdict *v, const struct model *m, struct buf *out);

/* ---- mustache.c ---- */

/*
 * Appends s[0..len) made safe for GitHub-flavoured Markdown: a backslash before each of
 * \ ` * _ [ ] < > | & ~ # (so a '|' cannot end a table cell, a backtick cannot open code, a '<'
 * cannot open HTML, a '[' cannot start a link); CR, LF, tab and other control characters become
 * one space each (a newline cannot end a table row). Invalid UTF-8 bytes become U+FFFD.
 */
void mustache_escape_markdown(const char *s, size_t len, struct buf *out);

#endif
