/*
 * main.c - process entry: C locale, signals, the diagnostics sink, dispatch, exit code.
 *
 * Everything else lives in perfgate_core (so tests link the same code); this file only sets
 * the process up. LC_ALL is forced to "C" so number parsing and printing never depend on the
 * user's locale (a German locale would otherwise print 12,5 and read "12.5" as 12).
 *
 * Standard output is an output like any other: a write that fails (a full disk, `>/dev/full`,
 * a reader that went away) is an error with exit code 2, never a silent success. SIGPIPE is
 * ignored so a closed pipe shows as EPIPE on the write, and SIGINT/SIGTERM remove the temporary
 * file of an output being written before the process ends as the signal would end it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exit_code.h"
#include "util/io.h"

_Static_assert((int)EXIT_INTERNAL == (int)XALLOC_EXIT_STATUS, "util's out-of-memory exit is EXIT_INTERNAL");

/* SIGINT/SIGTERM: no half-written `*.tmp.*` output is left; then the default action. */
static void on_stop(int sig)
{
	io_remove_temp();
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "C");
	signal(SIGPIPE, SIG_IGN);
	struct sigaction stop;
	memset(&stop, 0, sizeof stop);
	stop.sa_handler = on_stop;
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	struct diag d;
	diag_init(&d, stderr);
	int code = cli_main(argc, argv, &d);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_report(&d, DIAG_OUTPUT_WRITE, NULL, "cannot write standard output: %s",
			    errno ? strerror(errno)
				  : "a write failed (a full disk, or the reader closed the pipe)");
		if (code == EXIT_PASS || code == EXIT_BUDGET_FAILED || code == EXIT_INCONCLUSIVE)
			code = EXIT_USAGE;
	}
	diag_summary(&d);
	return code;
}
