/*
 * path.h - file-system paths: is it a file, its directory, one path relative to another,
 * making a directory with its parents.
 *
 * Audience: whatever names files on disk: the input loader (file sets), the report outputs
 * (chart directory, links relative to the report), the drivers.
 *
 * Paths are plain strings as the user gave them; only path_make_dirs reports (through the
 * diagnostics sink). Functions that return a string return a new one owned by the caller
 * (free).
 */
#ifndef PERFGATE_PATH_H
#define PERFGATE_PATH_H

#include <stdbool.h>

struct diag;

/* True when path names a regular file (after symlinks). */
bool path_is_file(const char *path);

/* The directory part of path: "." when it has none, "/" for a file in the root. */
char *path_dir_of(const char *path);

/*
 * The name of file (inside the existing directory dir) as seen from the existing directory
 * from: both resolved with realpath, then "../" for each component of from below their common
 * prefix ("charts/spectrum.svg", "../charts/spectrum.svg"). NULL when either cannot be resolved.
 */
char *path_relative_to(const char *dir, const char *file, const char *from);

/*
 * Creates dir and its missing parents (mkdir -p). Reports a failure as DIAG_OUTPUT_WRITE and
 * returns false.
 */
bool path_make_dirs(const char *dir, struct diag *d);

/*
 * The installed data file `name` (e.g. "report.md.mustache"): the directory of the running
 * binary (/proc/self/exe, symlinks resolved), then PERFGATE_DATA_FROM_BIN (the data directory
 * relative to the binary's, "../share/perfgate/templates" as CMake installs them), then name.
 * NULL when that is not a regular file: run from the build tree, or the data not installed.
 */
char *path_installed_data(const char *name);

#endif
