/*
 * path.c - paths on disk (path.h).
 *
 * Relative links are computed from realpath() of both directories, so "out/../out/charts" and
 * a symlinked folder give the same answer as the plain spelling. Nothing here knows what the
 * files hold; callers decide what a missing file means.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "path.h"
#include "util.h"

bool path_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *path_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	char *dir = xstrdup(path);
	dir[slash - path] = '\0';
	return dir;
}

char *path_relative_to(const char *dir, const char *file, const char *from)
{
	char a[PATH_MAX], b[PATH_MAX];
	if (!realpath(dir, a) || !realpath(from, b))
		return NULL;
	size_t common = 0, i = 0;
	for (; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			common = i;
	if (!a[i] && (!b[i] || b[i] == '/'))
		common = i; /* a is b or an ancestor of b */
	else if (!b[i] && a[i] == '/')
		common = i; /* b is an ancestor of a */
	struct buf out;
	buf_init(&out);
	for (const char *p = b + common; *p; p++)
		if (*p == '/')
			buf_puts(&out, "../");
	const char *rest = a + common;
	while (*rest == '/')
		rest++;
	if (*rest)
		buf_printf(&out, "%s/", rest);
	buf_puts(&out, file);
	return buf_take(&out);
}

bool path_make_dirs(const char *dir, struct diag *d)
{
	char *path = xstrdup(dir);
	bool ok = true;
	/* from the first component on (a leading '/' is the root, not a directory to make) */
	for (char *p = path + (path[0] == '/'); ok; p++) {
		bool end = *p == '\0';
		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			diag_report(d, DIAG_OUTPUT_WRITE, NULL, "cannot create directory '%s': %s",
				    path, strerror(errno));
			ok = false;
		}
		if (end)
			break;
		*p = '/';
	}
	free(path);
	return ok;
}

#ifndef PERFGATE_DATA_FROM_BIN
#define PERFGATE_DATA_FROM_BIN "../share/perfgate/templates"
#endif

char *path_installed_data(const char *name)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 || (size_t)n >= sizeof exe - 1)
		return NULL;
	exe[n] = '\0';
	char *bin = path_dir_of(exe);
	char *path = xasprintf("%s/%s/%s", bin, PERFGATE_DATA_FROM_BIN, name);
	free(bin);
	char *resolved = path_is_file(path) ? realpath(path, NULL) : NULL;
	free(path);
	return resolved; /* without "bin/..", as diagnostics name it */
}
