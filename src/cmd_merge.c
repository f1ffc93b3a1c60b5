/*
 * cmd_merge.c - `perfgate merge [--time-slices] -o OUT INPUT...`: load generated on several
 * machines (k6-operator pods, Locust processes, a CI matrix), or one run cut in time, reduced
 * into one model JSON.
 *
 * Each input (a model JSON saved where its files were, or the raw files themselves) is read
 * into a model of its own; inputs without a LABEL= that hold a single run are relabelled to
 * the merged run's label (--label, else the label they all share, else "merged"); then the
 * models are merged one after another by model_merge_mode: histogram by histogram, counters
 * added, percentiles never averaged (a series known only by its percentiles cannot be merged,
 * DIAG_MERGE_CONFLICT). By default the inputs are parallel generators of one run (their
 * concurrency and gauge levels add); with --time-slices they are consecutive slices of one run
 * (concurrency is the largest, a gauge keeps its latest level). Either way the run's span is
 * the union of the inputs'. The result is written atomically, sorted, so the inputs' order
 * changes nothing but the list of sources. Exit 0, or 2 when an input, a merge or the command
 * line had an error (nothing is written then).
 */
#include <stdlib.h>
#include <string.h>

#include "exit_code.h"
#include "options.h"

struct merge_options {
	struct options common; /* --format, --digits, --group, --jobs, --endpoint-memory, --fsync */
	const char *output;
	const char *label;
	bool time_slices;
};

enum { OPT_DIGITS, OPT_ENDPOINT_MEMORY, OPT_FORMAT, OPT_FSYNC, OPT_GROUP, OPT_JOBS, OPT_LABEL,
       OPT_OUTPUT, OPT_QUIET, OPT_TIME_SLICES };
static const struct cli_option merge_options_table[] = {
	[OPT_DIGITS] = OPTIONS_DIGITS,
	[OPT_ENDPOINT_MEMORY] = OPTIONS_ENDPOINT_MEMORY,
	[OPT_FORMAT] = OPTIONS_FORMAT,
	[OPT_FSYNC] = OPTIONS_FSYNC,
	[OPT_GROUP] = {"group", 'g', "REGEX=NAME",
		       "fold endpoint names of raw inputs before merging (repeatable)"},
	[OPT_JOBS] = OPTIONS_JOBS,
	[OPT_LABEL] = {"label", 'l', "NAME",
		       "the merged run's label (default: the label the inputs share, else\n"
		       "'merged'); inputs given as LABEL=PATH keep their own"},
	[OPT_OUTPUT] = {"output", 'o', "FILE", "write the merged model JSON to FILE ('-': standard\n"
						 "output); required"},
	[OPT_QUIET] = OPTIONS_QUIET,
	[OPT_TIME_SLICES] = {"time-slices", 0, NULL,
			     "the inputs are consecutive slices of one run, not generators side\n"
			     "by side: concurrency is the largest, not the sum, and a gauge keeps\n"
			     "its latest level"},
};

const struct cli_command_help cli_help_merge = {
	.usage = "perfgate merge [--time-slices] -o OUT [OPTIONS] INPUT...",
	.about = "Reduces load generated on several machines into one model JSON, exactly:\n"
		 "histograms merge bucket by bucket, counters add, and percentiles are never\n"
		 "averaged. Each INPUT is a model JSON (--save-model) or raw files. By default\n"
		 "the inputs are generators running side by side in one run (k6-operator pods,\n"
		 "Locust processes, a CI matrix): their concurrency adds. With --time-slices\n"
		 "they are consecutive parts of one run. docs/scale-out.md shows both.",
	.options = merge_options_table,
	.option_count = PG_ARRAY_LEN(merge_options_table),
	.inputs = CLI_INPUTS_FORMAT,
	.exit_codes = "Exit codes: 0 merged and written, 2 a usage or input error, or series that\n"
		      "cannot be merged (nothing is written then).",
};

static bool handle_option(void *context, size_t index, const char *arg, struct diag *d)
{
	struct merge_options *o = context;
	if (index == OPT_OUTPUT) {
		o->output = arg; /* never "": cli_parse refuses empty FILE arguments */
	} else if (index == OPT_LABEL) {
		if (!*arg) {
			diag_report(d, DIAG_USAGE, NULL, "--label needs a name");
			return false;
		}
		o->label = arg;
	} else if (index == OPT_TIME_SLICES) {
		o->time_slices = true;
	} else {
		return options_take(&o->common, merge_options_table[index].name, arg, d);
	}
	return true;
}

static void print_merge_help(void)
{
	cli_print_command_help(stdout, &cli_help_merge);
}

/* The label of the single run of every input that has no LABEL=, if they all agree. */
static const char *shared_label(struct model **models, const struct input *inputs,
				size_t count)
{
	const char *shared = NULL;
	for (size_t i = 0; i < count; i++) {
		if (inputs[i].label || models[i]->run_count != 1)
			continue;
		const char *label = models[i]->runs[0]->label;
		if (shared && strcmp(shared, label) != 0)
			return NULL;
		shared = label;
	}
	return shared;
}

int cmd_merge(int argc, char **argv, struct diag *d)
{
	struct merge_options o = {0};
	options_init(&o.common);
	char **args = NULL;
	size_t count = 0;
	int code = EXIT_USAGE;
	struct model **models = NULL, *merged = NULL;
	struct input *inputs = NULL;
	enum cli_parsed parsed = cli_parse_command(merge_options_table,
						   PG_ARRAY_LEN(merge_options_table), argc, argv,
						   handle_option, &o, &args, &count, print_merge_help,
						   "merge needs at least one INPUT", d);
	if (parsed != CLI_PARSED_RUN) {
		code = parsed == CLI_PARSED_HELP ? EXIT_PASS : EXIT_USAGE;
		goto out;
	}
	if (!o.output) {
		diag_report(d, DIAG_USAGE, NULL, "merge needs --output FILE (-o FILE)");
		goto out;
	}
	/* each input into a model of its own, so that its run can take the merged label */
	inputs = ingest_inputs(args, count);
	models = xcalloc(count, sizeof *models);
	bool ok = true;
	o.common.input.path_labels = true; /* shortened over all the inputs together */
	for (size_t i = 0; i < count; i++)
		ok = ingest_load(&args[i], 1, &o.common.input, &models[i], d) && ok;
	if (!ok)
		goto out;
	ingest_short_labels(models, count, true);
	const char *label = o.label ? o.label : shared_label(models, inputs, count);
	if (!label)
		label = "merged";
	merged = model_new();
	merged->significant_digits = models[0]->significant_digits;
	for (size_t i = 0; i < count; i++) {
		struct model *one = models[i];
		if (!inputs[i].label && one->run_count == 1)
			one->runs[0]->label = arena_strdup(&one->arena, label);
		ok = model_merge_mode(merged, one, o.time_slices ? MERGE_TIME_SLICES : MERGE_PARALLEL,
				      d) && ok;
	}
	model_sort(merged);
	if (ok && outputs_save_model(merged, o.output, d))
		code = EXIT_PASS;
out:
	if (models)
		for (size_t i = 0; i < count; i++)
			model_free(models[i]);
	free(models);
	if (inputs)
		ingest_inputs_free(inputs, count);
	model_free(merged);
	options_fini(&o.common);
	free(args);
	return code;
}
