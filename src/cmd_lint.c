/*
 * cmd_lint.c - `perfgate lint [--dump] BUDGET...`: check budget files alone (mandoc -Tlint).
 *
 * Each file is loaded and compiled exactly as `check` does (same loader, same diagnostics,
 * file:line:col inside assertion strings, did-you-mean), without reading any input. What
 * depends on the inputs (an endpoint or a custom metric that no run has, a unit only the
 * series can tell) is left to `check`. --dump prints each assertion's compiled tree, which
 * shows how perfgate read it (k6 bare numbers, X + 30%, operator precedence).
 * Exit 0 when every file compiled, 2 otherwise.
 */
#include <stdlib.h>

#include "budget/budget.h"
#include "cli.h"
#include "emit/emit.h"
#include "exit_code.h"

enum { OPT_DUMP };
static const struct cli_option lint_options_table[] = {
	[OPT_DUMP] = {"dump", 0, NULL,
		      "print each assertion's compiled tree as an S-expression, e.g.\n"
		      "(< (p 95) 300ms) for 'p95 < 300ms'"},
};

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	(void)arg;
	(void)d;
	if (index == OPT_DUMP)
		*(bool *)context = true;
	return true;
}

const struct cli_command_help cli_help_lint = {
	.usage = "perfgate lint [--dump] BUDGET...",
	.about =
		"Checks budget files alone (formats/budget.md, docs/budgets.md): JSON or\n"
		"YAML (.yaml, .yml) shape, selectors, and every assertion, with file:line:col\n"
		"diagnostics.",
	.options = lint_options_table,
	.option_count = PG_ARRAY_LEN(lint_options_table),
	.inputs = CLI_INPUTS_NONE,
	.exit_codes =
		"Exit codes: 0 every file is valid, 2 otherwise.",
};

static void print_lint_help(void)
{
	cli_print_command_help(stdout, &cli_help_lint);
}

int cmd_lint(int argc, char **argv, struct diag *d)
{
	bool dump = false, help;
	char **args = NULL;
	size_t count = 0;
	int code = EXIT_PASS;
	if (!cli_parse(lint_options_table, PG_ARRAY_LEN(lint_options_table), argc, argv,
		       handle_option, &dump, &args, &count, &help, d)) {
		code = EXIT_USAGE;
	} else if (help) {
		print_lint_help();
	} else if (count == 0) {
		diag_report(d, DIAG_USAGE, NULL, "lint needs at least one BUDGET file");
		code = EXIT_USAGE;
	}
	for (size_t i = 0; code == EXIT_PASS && !help && i < count; i++) {
		struct budget *b = budget_load(args[i], d);   /* load (and compile) */
		if (b) {                                      /* emit */
			struct buf text;
			buf_init(&text);
			term_write_lint(b, dump, &text);
			fwrite(text.data, 1, text.len, stdout);
			buf_fini(&text);
		}
		budget_free(b);
	}
	if (d->errors > 0)
		code = EXIT_USAGE;
	free(args);
	return code;
}
