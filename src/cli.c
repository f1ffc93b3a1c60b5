/*
 * cli.c - argv to subcommand, option parsing, and the top-level --help (the manual page and
 * the completion script are written from the same tables by cli_doc.c).
 *
 * The subcommand table is the single list of what perfgate can do: dispatch, the command list
 * in --help, the note after an unknown command, the manual page, the completion and
 * docs/cli.md (checked by tests/docs/check_docs.sh) all follow it. Each command returns its
 * exit code.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exit_code.h"
#include "ingest/ingest.h"
#include "util/progress.h"

static const struct cli_command commands[] = {
	{"capacity", "read runs at several load levels: breaking point, knee, SLO, USL fit",
	 cmd_capacity, &cli_help_capacity},
	{"check", "check the inputs against a budget file; exit 1 when a rule fails", cmd_check,
	 &cli_help_check},
	{"compare", "compare candidate runs with baseline runs, beyond noise; exit 1 or 3",
	 cmd_compare, &cli_help_compare},
	{"detect", "print the format detected for each input", cmd_detect, &cli_help_detect},
	{"lint", "check budget files alone (syntax, selectors, assertions)", cmd_lint,
	 &cli_help_lint},
	{"merge", "merge models or inputs of one run from several machines into one model",
	 cmd_merge, &cli_help_merge},
	{"report", "write the release-readiness report: Markdown and charts (no gating)",
	 cmd_report, &cli_help_report},
	{"show", "print the runs and series read from the inputs (text or --json)", cmd_show,
	 &cli_help_show},
};

const struct cli_command *cli_commands(size_t *count)
{
	*count = PG_ARRAY_LEN(commands);
	return commands;
}

const struct cli_program_help cli_program_help = {
	.about = "Reads load-test results (k6, Locust, autocannon, wrk, wrk2) and the server's metrics\n"
		 "(Prometheus, OpenMetrics) into one model, judges it and reports on it.",
	.exit_codes = "  0  success: every rule passed (warnings allowed)\n"
		      "  1  a budget rule failed\n"
		      "  2  usage error, or an input that is missing, unreadable, unknown or malformed\n"
		      "  3  inconclusive: a regression cannot be told apart from noise\n"
		      "  4  internal error (out of memory, a perfgate bug)",
	.environment = "  NO_COLOR        when set and not empty, diagnostics are never coloured and\n"
		       "                  no progress line is drawn (nor with TERM=dumb, or -q)\n"
		       "  GITHUB_ACTIONS  when 'true', errors and warnings are also printed as GitHub\n"
		       "                  annotation lines (::error file=...,line=...::message)",
};

enum cli_parsed cli_parse_command(const struct cli_option *options, size_t option_count,
				  int argc, char **argv, cli_handler handler, void *context,
				  char ***positional, size_t *positional_count, void (*help)(void),
				  const char *need, struct diag *d)
{
	bool asked = false;
	if (!cli_parse(options, option_count, argc, argv, handler, context, positional,
		       positional_count, &asked, d))
		return CLI_PARSED_ERROR;
	if (asked) {
		help();
		return CLI_PARSED_HELP;
	}
	if (need && *positional_count == 0) {
		diag_report(d, DIAG_USAGE, NULL, "%s", need);
		return CLI_PARSED_ERROR;
	}
	return CLI_PARSED_RUN;
}

const char cli_inputs_text[] =
	"PATH or LABEL=PATH. PATH '-' reads standard input. Plain or gzip, detected from\n"
	"the content, as is the format (force one with --format). Inputs given the same\n"
	"LABEL merge into one run; otherwise a run is labelled by its title or path.";

void cli_print_inputs_help(FILE *out, bool format_option)
{
	static const char forced[] = " (force one with --format)";
	fputs("Inputs:\n  ", out);
	for (const char *p = cli_inputs_text; *p; p++) {
		if (!format_option && strncmp(p, forced, sizeof forced - 1) == 0)
			p += sizeof forced - 1; /* a command without --format: not a word of it */
		fputc(*p, out);
		if (*p == '\n')
			fputs("  ", out);
	}
	fputs("\nFormats:\n", out);
	for (size_t i = 0; i < registry_count(); i++)
		fprintf(out, "  %-16s %s\n", registry_at(i)->name, registry_at(i)->description);
}

static void print_help(FILE *out)
{
	fprintf(out, "usage: perfgate [--help] [--version] COMMAND [OPTIONS] INPUT...\n\n%s\n\n"
		     "Commands:\n", cli_program_help.about);
	for (size_t i = 0; i < PG_ARRAY_LEN(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n`perfgate COMMAND --help` describes a command's options. `perfgate --manual`\n"
	      "writes the manual page (roff, as `man perfgate` shows it) and `perfgate\n"
	      "--completion bash` a bash completion script, both from the same option tables.\n\n",
	      out);
	cli_print_inputs_help(out, true);
	fprintf(out, "\nExit codes:\n%s\n\nEnvironment:\n%s\n\n", cli_program_help.exit_codes,
		cli_program_help.environment);
	fputs("Documentation: man perfgate; docs/cli.md, docs/diagnostics.md, formats/ in the\n"
	      "source tree.\n", out);
}

static const struct cli_option *find_long(const struct cli_option *options, size_t count,
					  const char *name, size_t len, size_t *index)
{
	for (size_t i = 0; i < count; i++) {
		if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0) {
			*index = i;
			return &options[i];
		}
	}
	return NULL;
}

bool cli_parse(const struct cli_option *options, size_t option_count, int argc, char **argv,
	       cli_handler handler, void *context, char ***positional, size_t *positional_count,
	       bool *help, struct diag *d)
{
	*positional = xcalloc((size_t)argc + 1, sizeof **positional);
	*positional_count = 0;
	*help = false;
	bool ok = true, options_done = false;
	for (int i = 0; i < argc; i++) {
		char *arg = argv[i];
		if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
			(*positional)[(*positional_count)++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			options_done = true;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			*help = true;
			continue;
		}
		size_t index = 0;
		const struct cli_option *opt = NULL;
		const char *value = NULL;
		if (arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			opt = find_long(options, option_count, name, len, &index);
			if (opt && eq)
				value = eq + 1;
			if (opt && eq && !opt->arg) {
				diag_report(d, DIAG_USAGE, NULL, "option '--%s' takes no argument",
					    opt->name);
				ok = false;
				continue;
			}
		} else if (arg[2] == '\0') {
			for (size_t j = 0; j < option_count && !opt; j++)
				if (options[j].short_name == arg[1])
					opt = &options[index = j];
		}
		if (!opt) {
			diag_report(d, DIAG_USAGE, NULL, "unknown option '%s'", arg);
			ok = false;
			continue;
		}
		if (opt->arg && !value) {
			if (i + 1 >= argc) {
				diag_report(d, DIAG_USAGE, NULL, "option '--%s' needs an argument (%s)",
					    opt->name, opt->arg);
				ok = false;
				continue;
			}
			value = argv[++i];
		}
		if (value && !*value && opt->arg &&
		    (strcmp(opt->arg, "FILE") == 0 || strcmp(opt->arg, "DIR") == 0 ||
		     strcmp(opt->arg, "INPUT") == 0)) {
			/* "" would name no file: --junit "$UNSET_VARIABLE" is a mistake to report */
			diag_report(d, DIAG_USAGE, NULL, "option '--%s' needs a %s name, not an empty "
				    "string", opt->name, strcmp(opt->arg, "DIR") == 0 ? "folder" : "file");
			ok = false;
			continue;
		}
		if (!handler(context, index, value, d))
			ok = false;
	}
	return ok;
}

void cli_print_options(FILE *out, const struct cli_option *options, size_t option_count)
{
	fputs("Options:\n", out);
	for (size_t i = 0; i < option_count; i++) {
		char left[64];
		const struct cli_option *o = &options[i];
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(out, "  %-26s ", left);
		for (const char *h = o->help; *h; h++) {
			fputc(*h, out);
			if (*h == '\n')
				fprintf(out, "  %-26s ", "");
		}
		fputc('\n', out);
	}
	fprintf(out, "  %-26s %s\n", "-h, --help", "show this help and exit");
}

void cli_print_command_help(FILE *out, const struct cli_command_help *h)
{
	fprintf(out, "usage: %s\n\n%s\n\n", h->usage, h->about);
	cli_print_options(out, h->options, h->option_count);
	if (h->inputs != CLI_INPUTS_NONE) {
		fputc('\n', out);
		cli_print_inputs_help(out, h->inputs == CLI_INPUTS_FORMAT);
	}
	if (h->exit_codes)
		fprintf(out, "\n%s\n", h->exit_codes);
	if (h->notes)
		fprintf(out, "%s\n", h->notes);
}

int cli_main(int argc, char **argv, struct diag *d)
{
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	const char *first = argv[1];
	if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0 ||
	    strcmp(first, "help") == 0) {
		print_help(stdout);
		return EXIT_PASS;
	}
	if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
		printf("perfgate %s\n", PERFGATE_VERSION);
		return EXIT_PASS;
	}
	if (strcmp(first, "--manual") == 0 && argc == 2) {
		cli_write_manual(stdout);
		return EXIT_PASS;
	}
	if (strcmp(first, "--completion") == 0) {
		if (argc == 3 && strcmp(argv[2], "bash") == 0) {
			cli_write_bash_completion(stdout);
			return EXIT_PASS;
		}
		diag_report(d, DIAG_USAGE, NULL, "--completion needs the shell: bash");
		return EXIT_USAGE;
	}
	progress_enable(progress_wanted(false)); /* --quiet turns it off again */
	for (size_t i = 0; i < PG_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, first) == 0)
			return commands[i].run(argc - 2, argv + 2, d);
	diag_report(d, DIAG_USAGE, NULL, "unknown command '%s'", first);
	struct buf names;
	buf_init(&names);
	for (size_t i = 0; i < PG_ARRAY_LEN(commands); i++)
		buf_printf(&names, "%s%s", i ? ", " : "", commands[i].name);
	diag_report(d, DIAG_NOTE, NULL, "commands: %s; see `perfgate --help`", names.data);
	buf_fini(&names);
	return EXIT_USAGE;
}
