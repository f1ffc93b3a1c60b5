/*
 * xalloc.c - allocation that never returns NULL.
 *
 * Out of memory is the one failure perfgate does not report through the diagnostics sink: there
 * may be no memory left to format a diagnostic. It prints a fixed line and exits with
 * XALLOC_EXIT_STATUS (4, the driver's EXIT_INTERNAL), as cproc's and mandoc's x-allocators do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

_Noreturn void xalloc_die(void)
{
	static const char message[] = "perfgate: out of memory\n";
	fwrite(message, 1, sizeof message - 1, stderr);
	exit(XALLOC_EXIT_STATUS);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		xalloc_die();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		xalloc_die();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		xalloc_die();
	return p;
}

void *xgrow(void *ptr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return ptr;
	size_t new_cap = *cap ? *cap : 8;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2 / size)
			xalloc_die();
		new_cap *= 2;
	}
	ptr = xrealloc(ptr, new_cap * size);
	*cap = new_cap;
	return ptr;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	struct buf b;
	buf_init(&b);
	buf_vprintf(&b, fmt, ap);
	return buf_take(&b);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}
