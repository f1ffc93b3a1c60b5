/*
 * progress.h - a progress line for long inputs, on the terminal only.
 *
 * Audience: main/cli (whether to draw), the input loader (start, end), io.c (advance), diag.c
 * (erase before a diagnostic). See progress.c for what is drawn and when.
 */
#ifndef PERFGATE_PROGRESS_H
#define PERFGATE_PROGRESS_H

#include <stdbool.h>

/* Whether a progress line may be drawn: standard error is a terminal, TERM is not "dumb",
 * NO_COLOR is unset or empty, and not quiet (--quiet). */
bool progress_wanted(bool quiet);
/* Draw (on) or never draw (off) from now on; reads PERFGATE_PROGRESS_DELAY_MS. */
void progress_enable(bool on);
/* An input starts: name (shown, its end when long) and its size in bytes, -1 when unknown. */
void progress_start(const char *name, long long total);
/* done bytes of the input are read (of the compressed file, for gzip). */
void progress_advance(long long done);
/* The input ended: the line is erased. */
void progress_end(void);
/* Erases the line, if drawn, before something else is printed on standard error. */
void progress_erase(void);

#endif
