/*
 * pipeline.c - inputs to model (see pipeline.h).
 *
 * Every input gets a model of its own first and is merged afterwards: a front end never sees
 * other inputs, an input with errors is dropped whole (never half-merged), and the merge rules
 * (exact histogram merge, counters added, percentiles never averaged) live in model_merge only.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "budget/budget.h"
#include "pipeline.h"
#include "util/io.h"
#include "util/num.h"

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

/* A model of its own for one input (or one set of files), and its builder. */
static struct model *input_model(const struct model *m, struct builder *b, const char *path,
				 const char *label, const struct endpoint_rules *rules,
				 struct diag *d)
{
	struct model *one = model_new();
	one->significant_digits = m->significant_digits;
	builder_init(b, one, path, label, d);
	b->rules = rules;
	return one;
}

/*
 * Ends an input's model: merged into m only when the front end succeeded and no error was
 * reported since errors_before (a bad input is left out whole, never half-merged); freed.
 */
static bool merge_input(struct model *m, struct model *one, struct builder *b, bool ok,
			unsigned long errors_before, struct diag *d)
{
	ok = ok && d->errors == errors_before;
	builder_finish(b);
	if (ok)
		ok = model_merge(m, one, d);
	model_free(one);
	return ok;
}

/* Reads a whole-document input into text; reports and returns false when it cannot. */
static bool read_document(struct io_reader *reader, const char *name, struct buf *text,
			  struct diag *d)
{
	if (io_reader_read_all(reader, text, PIPELINE_MAX_DOCUMENT))
		return true;
	struct diag_loc loc = source_file_loc(name);
	diag_report(d, DIAG_INPUT_READ, &loc, "cannot read input: %s", reader->error);
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
	struct builder b;
	struct model *one = input_model(m, &b, name, in->label, rules, d);
	unsigned long errors_before = d->errors;
	bool ok;
	struct buf text;
	buf_init(&text);
	if (frontend->parse_stream) {
		ok = frontend->parse_stream(&reader, name, &b);
	} else if (!read_document(&reader, name, &text, d)) {
		ok = false;
	} else {
		struct source src;
		source_init(&src, name, text.data, text.len);
		ok = frontend->parse(&src, &b);
		source_fini(&src);
	}
	ok = merge_input(m, one, &b, ok, errors_before, d);
	buf_fini(&text);
	io_reader_close(&reader);
	return ok;
}

/*
 * Locust --csv PREFIX writes these files side by side (0.x: _requests and _distribution);
 * they are read as one run.
 */
static const char *const locust_suffixes[] = {
	"_stats.csv", "_requests.csv", "_distribution.csv", "_stats_history.csv",
	"_failures.csv", "_exceptions.csv",
};
enum { LOCUST_FILES = PG_ARRAY_LEN(locust_suffixes) };
_Static_assert((int)LOCUST_FILES <= (int)PIPELINE_SET_MAX, "PIPELINE_SET_MAX too small");

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The Locust file set an input names: the PREFIX itself (which is no file), or one of the
 * files when a sibling exists. Fills files (existing paths, heap; NULL for absent ones) and
 * returns the prefix (heap), or NULL when the input is not such a set.
 */
static char *locust_group(const char *path, char *files[LOCUST_FILES])
{
	if (strcmp(path, "-") == 0)
		return NULL;
	char *prefix = NULL;
	if (!is_file(path)) {
		prefix = xstrdup(path);
	} else {
		for (size_t i = 0; i < LOCUST_FILES && !prefix; i++)
			if (str_ends_with(path, locust_suffixes[i]))
				prefix = xstrndup(path, strlen(path) - strlen(locust_suffixes[i]));
	}
	if (!prefix)
		return NULL;
	size_t found = 0;
	for (size_t i = 0; i < LOCUST_FILES; i++) {
		files[i] = xasprintf("%s%s", prefix, locust_suffixes[i]);
		if (is_file(files[i])) {
			found++;
		} else {
			free(files[i]);
			files[i] = NULL;
		}
	}
	/* a lone file is an ordinary input */
	if (found >= (is_file(path) ? 2u : 1u))
		return prefix;
	for (size_t i = 0; i < LOCUST_FILES; i++)
		free(files[i]);
	free(prefix);
	return NULL;
}

size_t pipeline_input_set(const char *path, char *members[PIPELINE_SET_MAX])
{
	char *files[LOCUST_FILES];
	char *prefix = locust_group(path, files);
	if (!prefix)
		return 0;
	free(prefix);
	size_t n = 0;
	for (size_t i = 0; i < LOCUST_FILES; i++)
		if (files[i])
			members[n++] = files[i];
	return n;
}

/* Reads the files of one Locust --csv PREFIX into one run (label: LABEL, else the prefix). */
static bool load_locust_group(struct model *m, const struct input *in, const char *prefix,
			      char *const files[LOCUST_FILES], const struct endpoint_rules *rules,
			      struct diag *d)
{
	struct builder b;
	struct model *one = input_model(m, &b, NULL, in->label ? in->label : prefix, rules, d);
	/* series keep their input's name (provenance): it must live as long as the model */
	const char *names[LOCUST_FILES] = {0};
	for (size_t i = 0; i < LOCUST_FILES; i++)
		if (files[i])
			names[i] = arena_strdup(&one->arena, files[i]);
	for (size_t i = 0; i < LOCUST_FILES && !b.path; i++)
		b.path = names[i];
	unsigned long errors_before = d->errors;
	struct locust *l = locust_begin(&b);
	bool ok = true;
	for (size_t i = 0; i < LOCUST_FILES; i++) {
		if (!files[i])
			continue;
		struct input member = {files[i], NULL};
		struct io_reader reader;
		const struct frontend *frontend = NULL;
		if (!pipeline_open(&member, NULL, &reader, &frontend, d)) {
			ok = false;
			continue;
		}
		struct diag_loc loc = source_file_loc(files[i]);
		struct buf text;
		buf_init(&text);
		if (strcmp(frontend->name, "locust") != 0) {
			diag_report(d, DIAG_UNKNOWN_FORMAT, &loc,
				    "'%s' is named like a file of Locust's --csv %s but holds %s data",
				    files[i], prefix, frontend->name);
			ok = false;
		} else if (!read_document(&reader, files[i], &text, d)) {
			ok = false;
		} else {
			struct source src;
			source_init(&src, names[i], text.data, text.len);
			ok = locust_read(l, &src) && ok;
			source_fini(&src);
		}
		buf_fini(&text);
		io_reader_close(&reader);
	}
	ok = locust_end(l) && ok;
	return merge_input(m, one, &b, ok, errors_before, d);
}

bool pipeline_load(struct model *m, const struct input *inputs, size_t count,
		   const struct frontend *forced, const struct endpoint_rules *rules, struct diag *d)
{
	bool ok = true;
	char **groups = xcalloc(count ? count : 1, sizeof *groups); /* prefixes loaded so far */
	for (size_t i = 0; i < count; i++) {
		char *files[LOCUST_FILES];
		char *prefix = forced ? NULL : locust_group(inputs[i].path, files);
		char *display = prefix ? xstrdup(prefix) : NULL; /* the prefix as given: the label */
		if (!prefix) {
			if (!load_one(m, &inputs[i], forced, rules, d))
				ok = false;
			continue;
		}
		/* several files of one set on the command line, however spelt: read it once */
		char *key = NULL;
		for (size_t k = 0; k < LOCUST_FILES && !key; k++)
			if (files[k])
				key = realpath(files[k], NULL);
		if (!key)
			key = xstrdup(prefix);
		free(prefix);
		prefix = key;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = groups[k] && strcmp(groups[k], prefix) == 0 &&
			       !inputs[k].label == !inputs[i].label &&
			       (!inputs[k].label || strcmp(inputs[k].label, inputs[i].label) == 0);
		if (!seen && !load_locust_group(m, &inputs[i], display, files, rules, d))
			ok = false;
		for (size_t k = 0; k < LOCUST_FILES; k++)
			free(files[k]);
		free(display);
		groups[i] = prefix;
	}
	for (size_t i = 0; i < count; i++)
		free(groups[i]);
	free(groups);
	model_sort(m);
	return ok;
}

/* ---- options and outputs shared by the commands ---- */

bool pipeline_option_format(const char *name, const struct frontend **out, struct diag *d)
{
	*out = registry_find(name);
	if (!*out) {
		diag_report(d, DIAG_FORMAT_NAME, NULL, "unknown format '%s'", name);
		diag_report(d, DIAG_NOTE, NULL, "`perfgate show --help` lists the formats");
	}
	return *out != NULL;
}

bool pipeline_option_digits(const char *arg, int *out, struct diag *d)
{
	int64_t digits;
	if (num_parse_int(arg, strlen(arg), &digits, NULL) != NUM_OK || digits < HIST_DIGITS_MIN ||
	    digits > HIST_DIGITS_MAX) {
		diag_report(d, DIAG_USAGE, NULL, "--digits: '%s' is not a number 1..5", arg);
		return false;
	}
	*out = (int)digits;
	return true;
}

bool pipeline_write_output(const char *path, const struct buf *bytes, const char *what,
			   struct diag *d)
{
	char error[256];
	if (io_write_atomic(path, bytes->data ? bytes->data : "", bytes->len, error))
		return true;
	struct diag_loc loc = source_file_loc(path);
	diag_report(d, DIAG_OUTPUT_WRITE, &loc, "cannot write %s: %s", what, error);
	return false;
}

bool pipeline_save_model(const struct model *m, const char *path, struct diag *d)
{
	struct buf json;
	buf_init(&json);
	model_json_write(m, &json);
	bool ok = pipeline_write_output(path, &json, "the model", d);
	buf_fini(&json);
	return ok;
}

/* ---- judging: the options and steps `check` and `report` share ---- */

bool pipeline_judge_option(struct judge_options *o, const char *name, const char *arg,
			   struct diag *d)
{
	if (strcmp(name, "budget") == 0) {
		o->budget = arg;
	} else if (strcmp(name, "baseline") == 0) {
		o->baseline = xrealloc(o->baseline, (o->baseline_count + 1) * sizeof *o->baseline);
		o->baseline[o->baseline_count++] = (char *)arg;
	} else if (strcmp(name, "format") == 0) {
		return pipeline_option_format(arg, &o->format, d);
	} else if (strcmp(name, "digits") == 0) {
		return pipeline_option_digits(arg, &o->digits, d);
	} else if (strcmp(name, "group") == 0) {
		if (!o->rules)
			o->rules = endpoint_rules_new();
		return endpoint_rules_add(o->rules, arg, d);
	} else if (strcmp(name, "no-data") == 0) {
		o->has_no_data = no_data_policy_from_name(arg, &o->no_data);
		if (!o->has_no_data)
			diag_report(d, DIAG_USAGE, NULL,
				    "--no-data: '%s' is not fail, warn or pass", arg);
		return o->has_no_data;
	}
	return true;
}

/*
 * -b FILE: loads the budget; when it has "group" rules, *rules is rebuilt with them first and
 * the command line's --group rules after. NULL when the budget had errors (reported).
 */
static struct budget *load_budget(const char *path, struct endpoint_rules **rules,
				  struct diag *d)
{
	struct budget *b = budget_load(path, d);
	if (!b || b->group_count == 0)
		return b;
	struct endpoint_rules *merged = endpoint_rules_new();
	for (size_t i = 0; i < b->group_count; i++)
		endpoint_rules_add(merged, b->group[i], d);
	for (size_t i = 0; *rules && i < endpoint_rules_count(*rules); i++)
		endpoint_rules_add(merged, endpoint_rules_text(*rules, i), d);
	endpoint_rules_free(*rules);
	*rules = merged;
	return b;
}

/* A rule that reads the baseline when none was given is a budget error (reported; false). */
static bool baseline_needed(const struct budget *b, bool have, struct diag *d)
{
	if (have)
		return true;
	bool ok = true;
	for (size_t i = 0; i < b->rule_count; i++)
		for (size_t a = 0; a < b->rules[i].assertion_count; a++) {
			const struct assertion *as = &b->rules[i].assertions[a];
			if (!expr_uses_baseline(as->expr))
				continue;
			budget_text_report(d, DIAG_BUDGET_BASELINE, &as->text, 0, as->text.len,
					   "rule '%s' compares with the baseline, but no --baseline "
					   "was given", b->rules[i].name);
			ok = false;
		}
	return ok;
}

/* Today in days since 1970-01-01 UTC, or the day of SOURCE_DATE_EPOCH when it is set. */
static int64_t today_day(void)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	int64_t seconds;
	if (epoch && num_parse_int(epoch, strlen(epoch), &seconds, NULL) == NUM_OK)
		return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
	return (int64_t)time(NULL) / 86400;
}

enum judgement pipeline_judge(struct judge_options *o, char **args, size_t count,
			      struct judged *j, struct diag *d)
{
	memset(j, 0, sizeof *j);
	if (o->budget && !(j->budget = load_budget(o->budget, &o->rules, d)))
		return JUDGE_LOAD_FAILED;
	j->model = model_new();
	j->baseline = model_new();
	j->model->significant_digits = j->baseline->significant_digits = o->digits;
	unsigned long errors = d->errors;
	struct input *inputs = pipeline_inputs(args, count);
	bool ok = pipeline_load(j->model, inputs, count, o->format, o->rules, d);
	pipeline_inputs_free(inputs, count);
	if (o->baseline_count > 0) {
		struct input *bi = pipeline_inputs(o->baseline, o->baseline_count);
		ok = pipeline_load(j->baseline, bi, o->baseline_count, o->format, o->rules, d) && ok;
		pipeline_inputs_free(bi, o->baseline_count);
	}
	model_sort(j->model);
	model_sort(j->baseline);
	if (j->budget && !baseline_needed(j->budget, o->baseline_count > 0, d))
		ok = false;
	if (!ok || d->errors > errors)
		return JUDGE_LOAD_FAILED; /* a verdict over half the inputs would mislead */
	if (!j->budget)
		return JUDGE_DONE;
	struct eval_options eo = {o->baseline_count > 0 ? j->baseline : NULL, o->has_no_data,
				  o->no_data, today_day()};
	return eval_budget(j->budget, j->model, &eo, &j->verdict, d) ? JUDGE_DONE : JUDGE_MISFIT;
}

void pipeline_judged_fini(struct judged *j)
{
	verdict_fini(&j->verdict);
	budget_free(j->budget);
	model_free(j->model);
	model_free(j->baseline);
	memset(j, 0, sizeof *j);
}

void pipeline_judge_options_fini(struct judge_options *o)
{
	endpoint_rules_free(o->rules);
	free(o->baseline);
	o->rules = NULL;
	o->baseline = NULL;
}
