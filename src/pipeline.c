/*
 * pipeline.c - inputs to model (see pipeline.h).
 *
 * Every input gets a model of its own first and is merged afterwards: a front end never sees
 * other inputs, an input with errors is dropped whole (never half-merged), and the merge rules
 * (exact histogram merge, counters added, percentiles never averaged) live in model_merge only.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline.h"
#include "util/io.h"

struct input *pipeline_inputs(char **args, size_t count)
{
	struct input *inputs = xcalloc(count ? count : 1, sizeof *inputs);
	for (size_t i = 0; i < count; i++) {
		const char *arg = args[i];
		const char *eq = strchr(arg, '=');
		struct stat st;
		if (eq && eq != arg && eq[1] && stat(arg, &st) != 0) {
			inputs[i].label = xstrndup(arg, (size_t)(eq - arg));
			inputs[i].path = eq + 1;
		} else {
			inputs[i].path = arg;
		}
	}
	return inputs;
}

void pipeline_inputs_free(struct input *inputs, size_t count)
{
	for (size_t i = 0; inputs && i < count; i++)
		free((char *)inputs[i].label);
	free(inputs);
}

const char *pipeline_input_name(const struct input *in)
{
	return strcmp(in->path, "-") == 0 ? "<stdin>" : in->path;
}

bool pipeline_open(const struct input *in, const struct frontend *forced,
		   struct io_reader *reader, const struct frontend **frontend, struct diag *d)
{
	const char *name = pipeline_input_name(in);
	struct diag_loc loc = source_file_loc(name);
	if (!io_reader_open(reader, in->path)) {
		diag_report(d, DIAG_INPUT_OPEN, &loc, "cannot open input: %s", reader->error);
		goto fail;
	}
	const char *prefix;
	long got = io_reader_peek(reader, REGISTRY_SNIFF_BYTES, &prefix);
	if (got < 0) {
		diag_report(d, DIAG_INPUT_READ, &loc, "cannot read input: %s", reader->error);
		goto fail;
	}
	size_t len = (size_t)got, body = str_bom_length(prefix, len);
	bool blank = true;
	for (size_t i = body; i < len && blank; i++)
		blank = strchr(" \t\r\n", prefix[i]) != NULL;
	if (blank && len < REGISTRY_SNIFF_BYTES) {
		diag_report(d, DIAG_INPUT_EMPTY, &loc, "input is empty");
		goto fail;
	}
	*frontend = forced ? forced : registry_sniff(prefix, len);
	if (!*frontend) {
		diag_report(d, DIAG_UNKNOWN_FORMAT, &loc,
			    "cannot tell the format of this input from its content");
		diag_report(d, DIAG_NOTE, NULL,
			    "`perfgate --help` lists the formats; force one with --format NAME");
		goto fail;
	}
	return true;
fail:
	io_reader_close(reader);
	return false;
}

static bool load_one(struct model *m, const struct input *in, const struct frontend *forced,
		     const struct endpoint_rules *rules, struct diag *d)
{
	struct io_reader reader;
	const struct frontend *frontend = NULL;
	if (!pipeline_open(in, forced, &reader, &frontend, d))
		return false;
	const char *name = pipeline_input_name(in);
	struct model *one = model_new();
	one->significant_digits = m->significant_digits;
	struct builder b;
	builder_init(&b, one, name, in->label, d);
	b.rules = rules;
	unsigned long errors_before = d->errors;
	bool ok;
	struct buf text;
	buf_init(&text);
	if (frontend->parse_stream) {
		ok = frontend->parse_stream(&reader, name, &b);
	} else if (!io_reader_read_all(&reader, &text, PIPELINE_MAX_DOCUMENT)) {
		struct diag_loc loc = source_file_loc(name);
		diag_report(d, DIAG_INPUT_READ, &loc, "cannot read input: %s", reader.error);
		ok = false;
	} else {
		struct source src;
		source_init(&src, name, text.data, text.len);
		ok = frontend->parse(&src, &b);
		source_fini(&src);
	}
	ok = ok && d->errors == errors_before;
	builder_finish(&b);
	if (ok)
		ok = model_merge(m, one, d);
	model_free(one);
	buf_fini(&text);
	io_reader_close(&reader);
	return ok;
}

bool pipeline_load(struct model *m, const struct input *inputs, size_t count,
		   const struct frontend *forced, const struct endpoint_rules *rules, struct diag *d)
{
	bool ok = true;
	for (size_t i = 0; i < count; i++)
		if (!load_one(m, &inputs[i], forced, rules, d))
			ok = false;
	model_sort(m);
	return ok;
}
