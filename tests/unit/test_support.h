/*
 * test_support.h - helpers shared by the unit tests (not part of perfgate_core).
 */
#ifndef PERFGATE_TEST_SUPPORT_H
#define PERFGATE_TEST_SUPPORT_H

#include <stdio.h>

#include "util/diag.h"

/*
 * Points a diagnostics sink at memory, without colour or GitHub lines. After fclose of the
 * returned stream, *out holds everything reported (free it).
 */
static inline FILE *memory_diag(struct diag *d, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	diag_init(d, f);
	d->color = false;
	d->github = false;
	return f;
}

#endif
