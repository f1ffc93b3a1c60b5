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

bool pipeline_read(const struct input *in, const struct frontend *forced, struct buf *text,
		   const struct frontend **frontend, bool *compressed, struct diag *d)
{
	const char *name = pipeline_input_name(in);
	struct diag_loc loc = source_file_loc(name);
	struct io_reader reader;
	bool ok = false;
	if (!io_reader_open(&reader, in->path)) {
		diag_report(d, DIAG_INPUT_OPEN, &loc, "cannot open input: %s", reader.error);
		goto out;
	}
	if (!io_reader_read_all(&reader, text, PIPELINE_MAX_DOCUMENT)) {
		diag_report(d, DIAG_INPUT_READ, &loc, "cannot read input: %s", reader.error);
		goto out;
	}
	if (compressed)
		*compressed = reader.compressed;
	size_t body = str_bom_length(text->data, text->len);
	bool blank = true;
	for (size_t i = body; i < text->len && blank; i++)
		blank = strchr(" \t\r\n", text->data[i]) != NULL;
	if (blank) {
		diag_report(d, DIAG_INPUT_EMPTY, &loc, "input is empty");
		goto out;
	}
	*frontend = forced;
	if (!forced) {
		size_t n = text->len < REGISTRY_SNIFF_BYTES ? text->len : REGISTRY_SNIFF_BYTES;
		*frontend = registry_sniff(text->data, n);
	}
	if (!*frontend) {
		diag_report(d, DIAG_UNKNOWN_FORMAT, &loc,
			    "cannot tell the format of this input from its content");
		diag_report(d, DIAG_NOTE, NULL,
			    "`perfgate --help` lists the formats; force one with --format NAME");
		goto out;
	}
	ok = true;
out:
	io_reader_close(&reader);
	return ok;
}

static bool load_one(struct model *m, const struct input *in, const struct frontend *forced,
		     struct diag *d)
{
	struct buf text;
	buf_init(&text);
	const struct frontend *frontend = NULL;
	bool ok = pipeline_read(in, forced, &text, &frontend, NULL, d);
	if (ok) {
		const char *name = pipeline_input_name(in);
		struct source src;
		source_init(&src, name, text.data, text.len);
		struct model *one = model_new();
		one->significant_digits = m->significant_digits;
		struct builder b;
		builder_init(&b, one, name, in->label, d);
		unsigned long errors_before = d->errors;
		ok = frontend->parse(&src, &b) && d->errors == errors_before;
		builder_finish(&b);
		if (ok)
			ok = model_merge(m, one, d);
		model_free(one);
		source_fini(&src);
	}
	buf_fini(&text);
	return ok;
}

bool pipeline_load(struct model *m, const struct input *inputs, size_t count,
		   const struct frontend *forced, struct diag *d)
{
	bool ok = true;
	for (size_t i = 0; i < count; i++)
		if (!load_one(m, &inputs[i], forced, d))
			ok = false;
	model_sort(m);
	return ok;
}
