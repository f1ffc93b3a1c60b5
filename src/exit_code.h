/*
 * exit_code.h - perfgate's process exit codes (DESIGN §7), in one place.
 *
 * Audience: the driver only (main.c, cli.c, judge.c, the cmd_*.c commands): the layers below
 * report through the diagnostics sink and return what happened, and the driver maps that to an
 * exit code (a verdict: judge_exit_code). util/xalloc.c exits XALLOC_EXIT_STATUS on out of
 * memory, which main.c checks equals EXIT_INTERNAL. The same numbers are listed in
 * `perfgate --help`, docs/cli.md and checked by tests/docs/check_docs.sh; keep all three in
 * step when adding one.
 */
#ifndef PERFGATE_EXIT_CODE_H
#define PERFGATE_EXIT_CODE_H

enum exit_code {
	EXIT_PASS = 0,          /* every rule passed (warnings allowed); show/detect succeeded */
	EXIT_BUDGET_FAILED = 1, /* at least one budget rule failed */
	EXIT_USAGE = 2,         /* usage error, unreadable/unknown/malformed input, bad budget file */
	EXIT_INCONCLUSIVE = 3,  /* regression not distinguishable from noise */
	EXIT_INTERNAL = 4,      /* out of memory or a broken invariant (a perfgate bug) */
};

#endif
