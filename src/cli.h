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
	const char *values; /* the words the argument takes, "png svg both", for the shell
			       completion; NULL when any (the parser checks them) */
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

/* Which input paragraph a command's help ends with. */
enum cli_inputs {
	CLI_INPUTS_NONE,      /* the command reads no load-test inputs (lint) */
	CLI_INPUTS,           /* INPUT arguments, without --format (detect) */
	CLI_INPUTS_FORMAT,    /* INPUT arguments, and --format to force one */
};

/*
 * A command's help as data: --help prints it (cli_print_command_help), and the manual page and
 * the shell completion are generated from the same (cli_doc.c), so none of them can drift
 * from the option table that parsing uses. Texts are lines of at most 80 columns joined by
 * '\n'; an empty line separates paragraphs, and a line that starts with two spaces is shown as
 * it is (an example, a list).
 */
struct cli_command_help {
	const char *usage;                /* "perfgate show [OPTIONS] INPUT..." */
	const char *about;                /* what the command does */
	const struct cli_option *options; /* its table (NULL, 0: none but --help) */
	size_t option_count;
	enum cli_inputs inputs;
	const char *exit_codes;           /* "Exit codes: 0 ..., 2 ...", or NULL */
	const char *notes;                /* printed last, or NULL */
};

/* Prints h as `perfgate COMMAND --help` shows it. */
void cli_print_command_help(FILE *out, const struct cli_command_help *h);

/* Each command's help (cmd_*.c). */
extern const struct cli_command_help cli_help_capacity, cli_help_check, cli_help_compare,
	cli_help_detect, cli_help_lint, cli_help_merge, cli_help_report, cli_help_show;

/* One entry of the command table: the single list of what perfgate can do. */
struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv, struct diag *d);
	const struct cli_command_help *help;
};
/* The program's own texts, shared by `perfgate --help` and the manual page. */
struct cli_program_help {
	const char *about;       /* what perfgate does */
	const char *exit_codes;  /* "  0  success: ..." one line a code */
	const char *environment; /* "  NO_COLOR  ..." one variable a line or more */
};
extern const struct cli_program_help cli_program_help;

/* The command table, in the order --help lists it; *count receives its length. */
const struct cli_command *cli_commands(size_t *count);

/* ---- cli_doc.c: the manual page and the shell completion, from the tables ---- */

/* Writes perfgate(1) in man(7) roff: every command with its options, inputs, exit codes. */
void cli_write_manual(FILE *out);
/* Writes a bash completion script for perfgate: commands, options, formats, files. */
void cli_write_bash_completion(FILE *out);

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
int cmd_merge(int argc, char **argv, struct diag *d);

/* Shared text for subcommand help; format_option: the command has --format, which it names. */
void cli_print_inputs_help(FILE *out, bool format_option);
/* What an INPUT argument is, as the manual says it (the help says it with its --format). */
extern const char cli_inputs_text[];

#endif
