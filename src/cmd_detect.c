/*
 * cmd_detect.c - `perfgate detect INPUT...`: print the format sniffed for each input.
 *
 * Output, one line per input: "<path>: <format>" (plus " (gzip)" when the input was
 * compressed). An input that cannot be read or recognised gets a diagnostic instead, and the
 * command exits 2 after trying every input. The registry decides, as for every other command
 * (registry_find_set, then ingest_open's sniffing).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exit_code.h"
#include "ingest/ingest.h"
#include "util/io.h"

/* "PATH: FORMAT[ (gzip)]" for one input (indented as a set's member), or its diagnostic. */
static void print_detected(const struct input *in, const char *indent, struct diag *d)
{
	struct io_reader reader;
	const struct frontend *frontend;
	if (!ingest_open(in, NULL, &reader, &frontend, d))
		return;
	struct buf line;
	buf_init(&line);
	buf_puts(&line, indent);
	str_put_visible(&line, io_display_name(in->path)); /* a file name may hold anything */
	buf_printf(&line, ": %s%s\n", frontend->name, reader.compressed ? " (gzip)" : "");
	fputs(line.data, stdout);
	buf_fini(&line);
	io_reader_close(&reader);
}

const struct cli_command_help cli_help_detect = {
	.usage = "perfgate detect INPUT...",
	.about = "Prints the format detected from each input's content, one line each:\n"
		 "  PATH: FORMAT            or, for gzip-compressed input,\n"
		 "  PATH: FORMAT (gzip)\n"
		 "A Locust --csv set (the PREFIX, or one of its files with siblings beside it)\n"
		 "prints a line for the set, then one indented line per file.",
	.inputs = CLI_INPUTS,
};

static bool no_options(void *context, size_t index, const char *arg, struct diag *d)
{
	(void)context, (void)index, (void)arg, (void)d;
	return true;
}

int cmd_detect(int argc, char **argv, struct diag *d)
{
	char **args;
	size_t count;
	bool help;
	if (!cli_parse(NULL, 0, argc, argv, no_options, NULL, &args, &count, &help, d)) {
		free(args);
		return EXIT_USAGE;
	}
	if (help) {
		cli_print_command_help(stdout, &cli_help_detect);
		free(args);
		return EXIT_PASS;
	}
	if (count == 0) {
		diag_report(d, DIAG_USAGE, NULL, "detect needs at least one INPUT");
		free(args);
		return EXIT_USAGE;
	}
	struct input *inputs = ingest_inputs(args, count);
	for (size_t i = 0; i < count; i++) {
		struct registry_set set;
		if (registry_find_set(inputs[i].path, NULL, &set)) {
			struct buf line;
			buf_init(&line);
			str_put_visible(&line, inputs[i].path);
			printf("%s: set of %zu files, read as one run\n", line.data,
			       set.member_count);
			buf_fini(&line);
			for (size_t k = 0; k < set.member_count; k++) {
				struct input member = {set.members[k], NULL};
				print_detected(&member, "  ", d);
			}
			registry_set_fini(&set);
			continue;
		}
		print_detected(&inputs[i], "", d);
	}
	fflush(stdout);
	ingest_inputs_free(inputs, count);
	free(args);
	return d->errors ? EXIT_USAGE : EXIT_PASS;
}
