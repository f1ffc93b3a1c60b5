/*
 * main.c - process entry: C locale, the diagnostics sink, dispatch, exit code.
 *
 * Everything else lives in perfgate_core (so tests link the same code); this file only sets
 * the process up. LC_ALL is forced to "C" so number parsing and printing never depend on the
 * user's locale (a German locale would otherwise print 12,5 and read "12.5" as 12).
 */
#include <locale.h>
#include <stdio.h>

#include "cli.h"
#include "exit_code.h"

_Static_assert((int)EXIT_INTERNAL == (int)XALLOC_EXIT_STATUS, "util's out-of-memory exit is EXIT_INTERNAL");

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "C");
	struct diag d;
	diag_init(&d, stderr);
	int code = cli_main(argc, argv, &d);
	diag_summary(&d);
	return code;
}
