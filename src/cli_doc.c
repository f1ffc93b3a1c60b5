/*
 * cli_doc.c - perfgate(1) and the bash completion, written from the tables that parsing and
 * --help use (cli.h): the command table, each command's help and option table, the format
 * registry and the program's own texts. The build runs `perfgate --manual` and `perfgate
 * --completion bash` into the files it installs, so neither can drift from the binary.
 *
 * The manual is one page with a section per command, as curl's and git's overview pages are:
 * man(7) macros only (.TH .SH .SS .PP .TP .nf .fi .RS .RE), checked by groff -ww and
 * `man --warnings` in tests/docs. Help texts are lines joined by '\n': consecutive lines fill a
 * paragraph, an empty line starts another, and a line that starts with two spaces is shown as
 * it is. Every '-' is written "\-" (a minus that copies as one), a backslash "\e", a line that
 * would start with '.' or '\'' is guarded with "\&", and a character beyond ASCII as "\[uXXXX]".
 */
#include <string.h>

#include "cli.h"
#include "ingest/ingest.h"

/* ---- the manual ---- */

/* Writes text[0..len) as roff text (no request): escapes as the header says. */
static void roff_span(FILE *out, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\\') {
			fputs("\\e", out);
		} else if (c == '-') {
			fputs("\\-", out);
		} else if (c < 0x80) {
			fputc(c, out);
		} else {
			size_t n = str_utf8_sequence(text + i, len - i);
			uint32_t cp = 0;
			if (n >= 2) {
				cp = c & (0xFF >> (n + 1));
				for (size_t k = 1; k < n; k++)
					cp = cp << 6 | ((unsigned char)text[i + k] & 0x3F);
				i += n - 1;
			} else {
				cp = 0xFFFD;
			}
			fprintf(out, "\\[u%04X]", (unsigned)cp);
		}
	}
}

/* Writes one line of text as a roff text line. */
static void roff_line(FILE *out, const char *text, size_t len)
{
	if (len && (text[0] == '.' || text[0] == '\''))
		fputs("\\&", out);
	roff_span(out, text, len);
	fputc('\n', out);
}

static void roff_string(FILE *out, const char *text)
{
	roff_span(out, text, strlen(text));
}

/* Writes a help text: paragraphs filled, lines that start with two spaces as they are. */
static void roff_text(FILE *out, const char *text)
{
	bool verbatim = false;
	fputs(".PP\n", out);
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool as_is = len >= 2 && p[0] == ' ' && p[1] == ' ';
		if (len == 0) {
			if (verbatim)
				fputs(".fi\n", out);
			verbatim = false;
			fputs(".PP\n", out);
		} else {
			if (as_is != verbatim)
				fputs(as_is ? ".nf\n" : ".fi\n", out);
			verbatim = as_is;
			roff_line(out, p, len);
		}
		p += len + (end != NULL);
	}
	if (verbatim)
		fputs(".fi\n", out);
}

/* "-f, --format NAME" as bold names and an italic argument. */
static void roff_option_tag(FILE *out, const struct cli_option *o)
{
	if (o->short_name)
		fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
	fputs("\\fB\\-\\-", out);
	roff_string(out, o->name);
	fputs("\\fR", out);
	if (o->arg) {
		fputs(" \\fI", out);
		roff_string(out, o->arg);
		fputs("\\fR", out);
	}
	fputc('\n', out);
}

static void roff_options(FILE *out, const struct cli_option *options, size_t count)
{
	fputs(".PP\nOptions:\n", out);
	for (size_t i = 0; i < count; i++) {
		fputs(".TP\n", out);
		roff_option_tag(out, &options[i]);
		for (const char *p = options[i].help; *p;) {
			const char *end = strchr(p, '\n');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			roff_line(out, p, len);
			p += len + (end != NULL);
		}
	}
	fputs(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nshow this help and exit\n", out);
}

/*
 * A list written "  KEY  what it is", a continuation line indented further, as tagged
 * paragraphs: the exit codes and the environment variables.
 */
static void roff_tagged_list(FILE *out, const char *text)
{
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t lead = 0;
		while (lead < len && p[lead] == ' ')
			lead++;
		const char *gap = lead <= 2 ? strstr(p + lead, "  ") : NULL;
		if (gap && gap < p + len) {
			const char *what = gap;
			while (*what == ' ')
				what++;
			fputs(".TP\n.B ", out);
			roff_line(out, p + lead, (size_t)(gap - p - lead));
			roff_line(out, what, len - (size_t)(what - p));
		} else {
			roff_line(out, p + lead, len - lead);
		}
		p += len + (end != NULL);
	}
}

static void roff_formats(FILE *out)
{
	for (size_t i = 0; i < registry_count(); i++) {
		fputs(".TP\n.B ", out);
		roff_line(out, registry_at(i)->name, strlen(registry_at(i)->name));
		roff_line(out, registry_at(i)->description, strlen(registry_at(i)->description));
	}
}

void cli_write_manual(FILE *out)
{
	size_t count;
	const struct cli_command *commands = cli_commands(&count);
	fputs(".\\\" perfgate(1), written by `perfgate --manual` from its option tables.\n", out);
	fputs(".TH PERFGATE 1 \"\" \"perfgate ", out);
	roff_string(out, PERFGATE_VERSION);
	fputs("\" \"perfgate manual\"\n"
	      ".nh\n"
	      ".ad l\n"
	      ".SH NAME\n"
	      "perfgate \\- load\\-test results against performance budgets: checks, "
	      "comparisons and reports\n"
	      ".SH SYNOPSIS\n"
	      ".B perfgate\n"
	      ".I COMMAND\n"
	      "[\\fIOPTIONS\\fR] \\fIINPUT\\fR...\n"
	      ".br\n"
	      ".B perfgate\n"
	      "\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR | \\fB\\-\\-manual\\fR | "
	      "\\fB\\-\\-completion bash\\fR\n"
	      ".SH DESCRIPTION\n", out);
	roff_text(out, cli_program_help.about);
	fputs(".PP\nCommands:\n", out);
	for (size_t i = 0; i < count; i++) {
		fputs(".TP\n.B ", out);
		roff_line(out, commands[i].name, strlen(commands[i].name));
		roff_line(out, commands[i].summary, strlen(commands[i].summary));
	}
	fputs(".PP\n\\fBperfgate \\-\\-manual\\fR writes this page and \\fBperfgate "
	      "\\-\\-completion bash\\fR a bash completion script, both from the tables that "
	      "parse the options.\n"
	      ".SH COMMANDS\n", out);
	for (size_t i = 0; i < count; i++) {
		const struct cli_command_help *h = commands[i].help;
		fputs(".SS ", out);
		roff_line(out, commands[i].name, strlen(commands[i].name));
		fputs(".nf\n", out);
		roff_line(out, h->usage, strlen(h->usage));
		fputs(".fi\n", out);
		roff_text(out, h->about);
		roff_options(out, h->options, h->option_count);
		if (h->inputs != CLI_INPUTS_NONE)
			fputs(".PP\nINPUT arguments: see INPUTS below.\n", out);
		if (h->exit_codes)
			roff_text(out, h->exit_codes);
		if (h->notes)
			roff_text(out, h->notes);
	}
	fputs(".SH INPUTS\n", out);
	roff_text(out, cli_inputs_text);
	fputs(".PP\nFormats:\n", out);
	roff_formats(out);
	fputs(".SH EXIT STATUS\n", out);
	roff_tagged_list(out, cli_program_help.exit_codes);
	fputs(".SH ENVIRONMENT\n", out);
	roff_tagged_list(out, cli_program_help.environment);
	fputs(".SH FILES\n"
	      ".TP\n"
	      ".I PREFIX/share/perfgate/templates\n"
	      "the built\\-in Mustache templates of the report and the summary, as installed; "
	      "a copy is compiled into the binary, used when they are missing\n"
	      ".SH SEE ALSO\n"
	      "The documentation installed in \\fIPREFIX/share/doc/perfgate\\fR: cli.md, "
	      "budgets.md, reports.md, statistics.md, capacity.md, diagnostics.md, ci.md (pipelines "
	      "for GitHub Actions, GitLab CI and Jenkins), scale\\-out.md (merge); formats/ for "
	      "every input and output format.\n", out);
}

/* ---- bash completion ---- */

/* The words an option's argument takes, or NULL when any word goes. */
static void bash_option_words(FILE *out, const struct cli_option *o)
{
	if (strcmp(o->name, "format") == 0) {
		for (size_t i = 0; i < registry_count(); i++)
			fprintf(out, "%s%s", i ? " " : "", registry_at(i)->name);
	} else if (o->values) {
		fputs(o->values, out);
	}
}

/* How the completion of an option's argument goes: words, folders, files, or nothing. */
static const char *bash_argument_kind(const struct cli_option *o)
{
	if (strcmp(o->name, "format") == 0 || o->values)
		return "words";
	if (strcmp(o->arg, "DIR") == 0)
		return "dirs";
	if (strcmp(o->arg, "FILE") == 0 || strcmp(o->arg, "INPUT") == 0)
		return "files";
	return "none";
}

void cli_write_bash_completion(FILE *out)
{
	size_t count;
	const struct cli_command *commands = cli_commands(&count);
	fputs("# bash completion for perfgate, written by `perfgate --completion bash` from its\n"
	      "# option tables: commands, options, formats and the words other options take, and\n"
	      "# files or folders where an argument is one.\n"
	      "_perfgate()\n"
	      "{\n"
	      "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "    local IFS=$' \\t\\n'\n"
	      "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "        COMPREPLY=($(compgen -W '", out);
	for (size_t i = 0; i < count; i++)
		fprintf(out, "%s ", commands[i].name);
	fputs("--help --version --manual --completion' -- \"$cur\"))\n"
	      "        return\n"
	      "    fi\n"
	      "    if [ \"$COMP_CWORD\" -eq 2 ] && [ \"$prev\" = --completion ]; then\n"
	      "        COMPREPLY=($(compgen -W 'bash' -- \"$cur\"))\n"
	      "        return\n"
	      "    fi\n"
	      "    local kind= words= options=\n"
	      "    case ${COMP_WORDS[1]} in\n", out);
	for (size_t i = 0; i < count; i++) {
		const struct cli_command_help *h = commands[i].help;
		fprintf(out, "    %s)\n        options='", commands[i].name);
		for (size_t k = 0; k < h->option_count; k++) {
			const struct cli_option *o = &h->options[k];
			fprintf(out, "--%s ", o->name);
			if (o->short_name)
				fprintf(out, "-%c ", o->short_name);
		}
		fputs("--help'\n        case $prev in\n", out);
		for (size_t k = 0; k < h->option_count; k++) {
			const struct cli_option *o = &h->options[k];
			if (!o->arg)
				continue;
			fprintf(out, "        --%s", o->name);
			if (o->short_name)
				fprintf(out, "|-%c", o->short_name);
			fprintf(out, ") kind=%s words='", bash_argument_kind(o));
			bash_option_words(out, o);
			fputs("' ;;\n", out);
		}
		fputs("        esac\n        ;;\n", out);
	}
	fputs("    *) return ;;\n"
	      "    esac\n"
	      "    case $kind in\n"
	      "    words) COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); return ;;\n"
	      "    dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"));"
	      " return ;;\n"
	      "    files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"));"
	      " return ;;\n"
	      "    none) return ;;\n"
	      "    esac\n"
	      "    if [[ $cur == -* ]]; then\n"
	      "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
	      "        return\n"
	      "    fi\n"
	      "    compopt -o filenames 2>/dev/null\n"
	      "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "}\n"
	      "complete -F _perfgate perfgate\n", out);
}
