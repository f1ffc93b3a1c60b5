/*
 * cmd_detect.c - `perfgate detect INPUT...`: print the format sniffed for each input.
 *
 * Output, one line per input: "<path>: <format>" (plus " (gzip)" when the input was
 * compressed). An input that cannot be read or recognised gets a diagnostic instead, and the
 * command exits 2 after trying every input.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exit_code.h"
#include "pipeline.h"
#include "util/io.h"

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
		puts("usage: perfgate detect INPUT...\n\n"
		     "Prints the format detected from each input's content, one line each:\n"
		     "  PATH: FORMAT            or, for gzip-compressed input,\n"
		     "  PATH: FORMAT (gzip)\n"
		     "A Locust --csv set (the PREFIX, or one of its files with siblings beside it)\n"
		     "prints a line for the set, then one indented line per file.\n");
		cli_print_options(stdout, NULL, 0);
		putchar('\n');
		cli_print_inputs_help(stdout);
		free(args);
		return EXIT_PASS;
	}
	if (count == 0) {
		diag_report(d, DIAG_USAGE, NULL, "detect needs at least one INPUT");
		free(args);
		return EXIT_USAGE;
	}
	struct input *inputs = pipeline_inputs(args, count);
	for (size_t i = 0; i < count; i++) {
		char *members[PIPELINE_SET_MAX];
		size_t n = pipeline_input_set(inputs[i].path, members);
		if (n) {
			/* a Locust --csv set: its members, each as detected */
			printf("%s: set of %zu files, read as one run\n", inputs[i].path, n);
			for (size_t k = 0; k < n; k++) {
				struct input member = {members[k], NULL};
				struct io_reader reader;
				const struct frontend *frontend;
				if (pipeline_open(&member, NULL, &reader, &frontend, d)) {
					printf("  %s: %s%s\n", members[k], frontend->name,
					       reader.compressed ? " (gzip)" : "");
					io_reader_close(&reader);
				}
				free(members[k]);
			}
			continue;
		}
		struct io_reader reader;
		const struct frontend *frontend;
		if (pipeline_open(&inputs[i], NULL, &reader, &frontend, d)) {
			printf("%s: %s%s\n", pipeline_input_name(&inputs[i]), frontend->name,
			       reader.compressed ? " (gzip)" : "");
			io_reader_close(&reader);
		}
	}
	fflush(stdout);
	pipeline_inputs_free(inputs, count);
	free(args);
	return d->errors ? EXIT_USAGE : EXIT_PASS;
}
