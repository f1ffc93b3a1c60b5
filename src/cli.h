/*
 * cli.h - command line: the subcommand table, option tables, parsing and generated help.
 *
 * Audience: main.c and the cmd_*.c drivers.
 *
 * Each subcommand has one table of options; the same table drives parsing and its --help
 * (curl's aliases[] idea), so help and behaviour cannot drift. Parsing reports usage errors
 * through the diagnostics sink; the caller maps any error to EXIT_USAGE.
 */
#ifndef PERFGATE_CLI_H
#define PERFGATE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/diag.h"

struct cli_option {
	const char *name;   /* long name without "--" */
	char short_name;    /* 0 when none */
	const char *arg;    /* argument name for help ("LIST"); NULL for a flag */
	const char *help;   /* one line (may contain '\n' for more) */
};

/*
 * Called for each option found: index into the table, and its argument (NULL for flags).
 * Returns false after reporting a usage error about the argument.
 */
typedef bool (*cli_handler)(void *context, size_t index, const char *arg, struct diag *d);

/*
 * Parses argv[0..argc) (argv[0] is the first argument after the subcommand name). Options may
 * come anywhere; "--" ends them; "-" alone is a positional argument (standard input).
 * Positional arguments are collected into *positional (a new array owned by the caller, free).
 * "--help"/"-h" sets *help. Returns false when a usage error was reported.
 */
bool cli_parse(const struct cli_option *options, size_t option_count, int argc, char **argv,
	       cli_handler handler, void *context, char ***positional, size_t *positional_count,
	       bool *help, struct diag *d);

/* What cli_parse_command found. */
enum cli_parsed {
	CLI_PARSED_RUN,    /* run the command on the positional arguments */
	CLI_PARSED_HELP,   /* --help was printed: exit 0 */
	CLI_PARSED_ERROR,  /* a usage error was reported: exit 2 */
};
/*
 * cli_parse, then what every command does next: --help prints help(); with `need` set, no
 * positional argument is the usage error `need` ("show needs at least one INPUT").
 */
enum cli_parsed cli_parse_command(const struct cli_option *options, size_t option_count,
				  int argc, char **argv, cli_handler handler, void *context,
				  char ***positional, size_t *positional_count, void (*help)(void),
				  const char *need, struct diag *d);

/* Prints the option list of a table, aligned, to out. */
void cli_print_options(FILE *out, const struct cli_option *options, size_t option_count);

/* The whole program: dispatches argv to a subcommand; returns the exit code. */
int cli_main(int argc, char **argv, struct diag *d);

/* ---- the subcommands (cmd_*.c): each gets the arguments after its name ---- */
int cmd_detect(int argc, char **argv, struct diag *d);
int cmd_show(int argc, char **argv, struct diag *d);
int cmd_check(int argc, char **argv, struct diag *d);
int cmd_compare(int argc, char **argv, struct diag *d);
int cmd_capacity(int argc, char **argv, struct diag *d);
int cmd_report(int argc, char **argv, struct diag *d);
int cmd_lint(int argc, char **argv, struct diag *d);

/* Shared text for subcommand help; format_option: the command has --format, which it names. */
void cli_print_inputs_help(FILE *out, bool format_option);

#endif
