/*
 * load.c - the command line's inputs into one model (ingest_load, ingest.h).
 *
 * Every input gets a model of its own first and is merged afterwards: a front end never sees
 * other inputs, an input with errors is dropped whole (never half-merged), and the merge rules
 * (exact histogram merge, counters added, percentiles never averaged) live in model_merge only.
 * The registry decides how each input is read (a forced format, a file set, or its content);
 * this file only opens, reads and hands the bytes over: whole-document formats as a struct
 * source held in memory (at most INGEST_MAX_DOCUMENT), line formats as the open reader, so
 * their memory does not grow with the file. Front ends never open files (STYLE rule 13).
 *
 * Ownership: each input's text (a struct buf) lives until its model has been merged; the input
 * models are freed right after their merge; the merged model is the caller's.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/io.h"
#include "../util/par_lines.h"
#include "ingest.h"

struct input *ingest_inputs(char **args, size_t count)
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

void ingest_inputs_free(struct input *inputs, size_t count)
{
	for (size_t i = 0; inputs && i < count; i++)
		free((char *)inputs[i].label);
	free(inputs);
}

bool ingest_open(const struct input *in, const struct frontend *forced, struct io_reader *reader,
		 const struct frontend **frontend, struct diag *d)
{
	struct diag_loc loc = source_file_loc(io_display_name(in->path));
	if (!io_open(reader, in->path, "input", NULL, d))
		goto fail;
	io_reader_track(reader);
	const char *prefix;
	long got = io_reader_peek(reader, REGISTRY_SNIFF_BYTES, &prefix);
	if (got < 0) {
		io_report_read(in->path, "input", reader->error, NULL, d);
		goto fail;
	}
	size_t len = (size_t)got, body = str_bom_length(prefix, len);
	bool blank = true;
	for (size_t i = body; i < len && blank; i++)
		blank = strchr(" \t\r\n", prefix[i]) != NULL;
	if (blank && len < REGISTRY_SNIFF_BYTES && !reader->failed) {
		diag_report(d, DIAG_INPUT_EMPTY, &loc, "input is empty");
		goto fail;
	}
	*frontend = blank ? NULL : registry_choose(forced, prefix, len);
	if (!*frontend && reader->failed) {
		/* a stream cut before anything a format is told by: the cut is the news */
		io_report_read(in->path, "input", reader->error, NULL, d);
		goto fail;
	}
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
static struct model *input_model(const struct ingest_options *o, struct builder *b,
				 const char *path, const char *label, struct diag *d)
{
	struct model *one = model_new();
	one->significant_digits = o->digits ? o->digits : HIST_DIGITS_DEFAULT;
	builder_init(b, one, path, label, d);
	b->rules = o->rules;
	b->jobs = o->jobs; /* 0: par_lines decides (one per processor, none on a small file) */
	b->endpoint_memory = o->endpoint_memory ? o->endpoint_memory
						: INGEST_ENDPOINT_MEMORY_DEFAULT;
	b->keep_endpoint = o->keep_endpoint;
	b->keep_ctx = o->keep_ctx;
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

/* Reads one opened input with its front end into the builder's model (or its server). */
static bool read_input(struct io_reader *reader, const struct frontend *frontend,
		       const char *name, struct builder *b, struct diag *d)
{
	if (frontend->parse_stream)
		return frontend->parse_stream(reader, name, b);
	struct buf text;
	buf_init(&text);
	bool ok = io_read_rest(reader, "input", INGEST_MAX_DOCUMENT, NULL, &text, d);
	if (ok) {
		struct source src;
		source_init(&src, name, text.data, text.len);
		ok = frontend->parse(&src, b);
		source_fini(&src);
	}
	buf_fini(&text);
	return ok;
}

/*
 * A server-side input (Prometheus), read after every load generator's input: its series are
 * clipped to the window of the run it joins, which must be known first.
 */
struct server_input {
	const struct input *in;
	const struct frontend *frontend;
	const char *label;   /* the run it joins (resolved in load_servers); NULL until then */
	int64_t time_us;     /* the time in its file name, when has_time */
	bool has_time;
	size_t order;        /* its place on the command line */
};

struct server_inputs {
	struct server_input *at;
	size_t count, cap;
};

static bool load_servers(struct model *m, struct server_input *list, size_t count,
			 const struct ingest_options *o, struct diag *d);
static const char *default_server_label(const struct model *m);
static struct server *server_of_run(const struct model *m, const char *label, struct diag *d);
static bool read_server_input(struct server *server, struct io_reader *reader,
			      const struct frontend *frontend, const char *path,
			      const struct ingest_options *o, struct diag *d);

/* One ordinary input: a whole document from memory, or a stream; server inputs wait. */
static bool load_one(struct model *m, const struct input *in, const struct ingest_options *o,
		     struct server_inputs *servers, size_t order, struct diag *d)
{
	struct io_reader reader;
	const struct frontend *frontend = NULL;
	if (!ingest_open(in, o->format, &reader, &frontend, d))
		return false;
	if (frontend->server) {
		struct server_input si = {in, frontend, in->label, 0, false, order};
		size_t at, len;
		si.has_time = server_name_time(in->path, &si.time_us, &at, &len);
		if (strcmp(in->path, "-") == 0) {
			/* standard input cannot be opened twice: read now, from this reader */
			struct server *server = server_of_run(
				m, in->label ? in->label : default_server_label(m), d);
			bool ok = read_server_input(server, &reader, frontend, in->path, o, d);
			ok = ok && server_finish(server, m);
			server_free(server);
			io_reader_close(&reader);
			return ok;
		}
		io_reader_close(&reader);
		servers->at = xgrow(servers->at, &servers->cap, servers->count + 1,
				    sizeof *servers->at);
		servers->at[servers->count++] = si;
		return true;
	}
	const char *name = io_display_name(in->path);
	struct builder b;
	struct model *one = input_model(o, &b, name, in->label, d);
	unsigned long errors_before = d->errors;
	bool ok = read_input(&reader, frontend, name, &b, d);
	ok = merge_input(m, one, &b, ok, errors_before, d);
	io_reader_close(&reader);
	return ok;
}

/* The files of one set into one run (label: LABEL, else the prefix as given). */
static bool load_set(struct model *m, const struct input *in, const struct registry_set *set,
		     const struct ingest_options *o, struct diag *d)
{
	const struct frontend *fe = set->frontend;
	struct builder b;
	struct model *one = input_model(o, &b, NULL, in->label ? in->label : set->prefix, d);
	b.label_is_path = !in->label;
	/* series keep their input's name (provenance): it must live as long as the model */
	const char *names[REGISTRY_SET_MAX];
	for (size_t i = 0; i < set->member_count; i++)
		names[i] = arena_strdup(&one->arena, set->members[i]);
	b.path = names[0];
	unsigned long errors_before = d->errors;
	void *state = fe->set_begin(&b);
	bool ok = true;
	for (size_t i = 0; i < set->member_count; i++) {
		struct input member = {set->members[i], NULL};
		struct io_reader reader;
		const struct frontend *found = NULL;
		if (!ingest_open(&member, NULL, &reader, &found, d)) {
			ok = false;
			continue;
		}
		struct diag_loc loc = source_file_loc(set->members[i]);
		struct buf text;
		buf_init(&text);
		if (found != fe) {
			diag_report(d, DIAG_UNKNOWN_FORMAT, &loc,
				    "'%s' is named like a file of %s %s but holds %s data",
				    set->members[i], fe->set_name, set->prefix, found->name);
			ok = false;
		} else if (!io_read_rest(&reader, "input", INGEST_MAX_DOCUMENT, NULL, &text, d)) {
			ok = false;
		} else {
			struct source src;
			source_init(&src, names[i], text.data, text.len);
			ok = fe->set_read(state, &src) && ok;
			source_fini(&src);
		}
		buf_fini(&text);
		io_reader_close(&reader);
	}
	ok = fe->set_end(state) && ok;
	return merge_input(m, one, &b, ok, errors_before, d);
}

/*
 * Server inputs in the order they are read: by run, then by the time in their file names when
 * every input of the run has one (snapshots of one target make a time series only in time
 * order), else in command-line order.
 */
static int compare_server_inputs(const void *a, const void *b)
{
	const struct server_input *x = a, *y = b;
	int c = strcmp(x->label, y->label);
	if (c)
		return c;
	if (x->has_time && y->has_time && x->time_us != y->time_us)
		return x->time_us < y->time_us ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The label of the run that unlabelled server inputs join: the only run, else "server". */
static const char *default_server_label(const struct model *m)
{
	return m->run_count == 1 ? m->runs[0]->label : "server";
}

/* A new struct server for the run labelled label, with that run's window when m knows it. */
static struct server *server_of_run(const struct model *m, const char *label, struct diag *d)
{
	struct server *server = server_new(label, d);
	const struct run *run = model_find_run(m, label);
	if (run && run->has_start && run->has_end)
		server_set_window(server, run->start_us, run->end_us);
	return server;
}

/* Feeds one opened server input to server; false when it had an error. */
static bool read_server_input(struct server *server, struct io_reader *reader,
			      const struct frontend *frontend, const char *path,
			      const struct ingest_options *o, struct diag *d)
{
	const char *name = io_display_name(path);
	struct builder b;
	/* the builder needs a model; server.c keeps the samples, so nothing lands in it */
	struct model *one = input_model(o, &b, name, NULL, d);
	b.server = server;
	unsigned long errors_before = d->errors;
	bool ok = read_input(reader, frontend, name, &b, d) && d->errors == errors_before;
	model_free(one);
	return ok;
}

/* Reads server inputs, run by run, into one struct server each, then into the model. */
static bool load_servers(struct model *m, struct server_input *list, size_t count,
			 const struct ingest_options *o, struct diag *d)
{
	const char *fallback = default_server_label(m);
	for (size_t i = 0; i < count; i++)
		if (!list[i].label)
			list[i].label = fallback;
	/* a run's inputs all carry a time, or its order stays the command line's */
	for (size_t i = 0; i < count; i++)
		for (size_t j = 0; j < count; j++)
			if (!list[j].has_time && strcmp(list[i].label, list[j].label) == 0)
				list[i].has_time = false;
	qsort(list, count, sizeof *list, compare_server_inputs);
	bool ok = true;
	for (size_t start = 0, end; start < count; start = end) {
		for (end = start; end < count && strcmp(list[end].label, list[start].label) == 0;
		     end++)
			;
		struct server *server = server_of_run(m, list[start].label, d);
		bool read = false;
		for (size_t i = start; i < end; i++) {
			struct io_reader reader;
			const struct frontend *found = NULL;
			if (!ingest_open(list[i].in, list[i].frontend, &reader, &found, d)) {
				ok = false;
				continue;
			}
			bool this_ok = read_server_input(server, &reader, found, list[i].in->path, o, d);
			read |= this_ok;
			ok = ok && this_ok;
			io_reader_close(&reader);
		}
		if (read)
			ok = server_finish(server, m) && ok;
		server_free(server);
	}
	return ok;
}

/*
 * Whether the set of inputs[i] was already read for an earlier input with the same label:
 * keys[k] identifies input k's set (the real path of its first member), NULL for no set.
 */
static bool set_seen(const struct input *inputs, char *const *keys, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (keys[k] && strcmp(keys[k], keys[i]) == 0 &&
		    !inputs[k].label == !inputs[i].label &&
		    (!inputs[k].label || strcmp(inputs[k].label, inputs[i].label) == 0))
			return true;
	return false;
}

/*
 * Whether a series holds a value that is infinite, or NaN where NaN does not mean missing:
 * finite inputs, each checked where it is read, can still add up (or convert) past the
 * largest double, and an infinity minus an infinity is NaN.
 */
static bool series_not_finite(const struct series *s)
{
	if (!isfinite(s->total) || !isfinite(s->passes) || !isfinite(s->gauge.sum) ||
	    (s->gauge.set && (!isfinite(s->gauge.value) || !isfinite(s->gauge.min) ||
			      !isfinite(s->gauge.max))))
		return true;
	for (int i = 0; i < STAT__COUNT; i++)
		if (isinf(s->reported.stats[i]))
			return true;
	for (size_t i = 0; i < s->reported.point_count; i++)
		if (!isfinite(s->reported.points[i].value))
			return true;
	if (s->has_buckets) {
		if (isinf(s->buckets.sum))
			return true;
		for (size_t i = 0; i < s->buckets.count; i++)
			if (!isfinite(s->buckets.at[i].count))
				return true;
	}
	for (size_t i = 0; s->timeline && i < s->timeline->count; i++)
		if (timeline_at(s->timeline, i)->count > 0 &&
		    !isfinite(timeline_at(s->timeline, i)->sum))
			return true;
	return false;
}

/* Says once per run of the loaded model which of its series hold such values. */
static void check_finite(const struct model *m, struct diag *d)
{
	for (size_t r = 0; r < m->run_count; r++) {
		const struct run *run = m->runs[r];
		size_t n = 0;
		const char *first = NULL;
		for (size_t i = 0; i < run->series_count; i++)
			if (series_not_finite(run->series[i]) && n++ == 0)
				first = run->series[i]->metric;
		if (n == 0 && !isinf(run->concurrency) && !isinf(run->duration_s))
			continue;
		struct diag_loc loc = source_file_loc(run->source_count ? run->sources[0] : NULL);
		if (n == 0)
			diag_report(d, DIAG_NOT_FINITE, &loc,
				    "run '%s': its concurrency or duration is infinite (inputs under one "
				    "label added up past the largest double, 1.8e308)", run->label);
		else
			diag_report(d, DIAG_NOT_FINITE, &loc,
				    "%zu series of run '%s' (the first: '%s') hold values that are "
				    "infinite or not a number: sums or conversions went past the largest "
				    "double (1.8e308)", n, run->label, first);
	}
}

/* Where the suffix of the last k components of path[0..len) starts (all of it when shorter). */
static size_t path_suffix(const char *path, size_t len, size_t k)
{
	size_t end = len;
	while (end > 1 && path[end - 1] == '/') /* "dir/" names dir */
		end--;
	for (size_t i = end; i > 0; i--)
		if (path[i - 1] == '/' && --k == 0)
			return i;
	return 0;
}

/*
 * Whether label is another run's label, as it is now or as it was (old[r] in run order): a
 * run of any of the models when they merge into one, else of the run's own model.
 */
static bool label_taken(struct model **models, size_t count, const char *const *old,
			const struct run *self, const struct model *own, bool merged,
			const char *label)
{
	size_t r = 0;
	for (size_t i = 0; i < count; i++)
		for (size_t j = 0; j < models[i]->run_count; j++, r++) {
			const struct run *run = models[i]->runs[j];
			if (run == self || (!merged && models[i] != own))
				continue;
			if (strcmp(old[r], label) == 0 || strcmp(run->label, label) == 0)
				return true;
		}
	return false;
}

void ingest_short_labels(struct model **models, size_t count, bool merged)
{
	size_t total = 0;
	for (size_t i = 0; i < count; i++)
		total += models[i]->run_count;
	const char **old = xcalloc(total ? total : 1, sizeof *old);
	struct run **runs = xcalloc(total ? total : 1, sizeof *runs);
	struct model **owner = xcalloc(total ? total : 1, sizeof *owner);
	size_t *lens = xcalloc(total ? total : 1, sizeof *lens);
	size_t n = 0;
	for (size_t i = 0; i < count; i++)
		for (size_t j = 0; j < models[i]->run_count; j++, n++) {
			runs[n] = models[i]->runs[j];
			owner[n] = models[i];
			old[n] = runs[n]->label;
			lens[n] = runs[n]->label_path_len;
			runs[n]->label_path_len = 0;
		}
	for (size_t r = 0; r < n; r++) {
		struct run *run = runs[r];
		size_t len = lens[r];
		if (len == 0)
			continue;
		const char *path = old[r];
		/* the fewest components that tell this path from every other path label */
		size_t k = 1, at = path_suffix(path, len, k);
		for (size_t q = 0; q < n && at > 0; q++) {
			size_t qlen = lens[q];
			if (qlen == 0 || (qlen == len && memcmp(old[q], path, len) == 0))
				continue;
			while (at > 0) {
				size_t qat = path_suffix(old[q], qlen, k);
				if (len - at != qlen - qat || memcmp(path + at, old[q] + qat, len - at))
					break;
				at = path_suffix(path, len, ++k);
			}
		}
		for (; at > 0; at = path_suffix(path, len, ++k)) {
			char *label = arena_strdup(&owner[r]->arena, path + at);
			if (!label_taken(models, count, old, run, owner[r], merged, label)) {
				run->label = label;
				break;
			}
		}
	}
	free(lens);
	free(owner);
	free(runs);
	free(old);
}

bool ingest_load_pair(char **first, size_t first_count, char **second, size_t second_count,
		      const struct ingest_options *o, struct model **first_out,
		      struct model **second_out, struct diag *d)
{
	struct ingest_options together = *o;
	together.path_labels = true;
	bool ok = ingest_load(first, first_count, &together, first_out, d);
	*second_out = NULL;
	if (second_count > 0)
		ok = ingest_load(second, second_count, &together, second_out, d) && ok;
	struct model *sides[] = {*first_out, *second_out};
	ingest_short_labels(sides, *second_out ? 2 : 1, false);
	return ok;
}

bool ingest_load(char **args, size_t count, const struct ingest_options *o, struct model **out,
		 struct diag *d)
{
	struct model *m = model_new();
	m->significant_digits = o->digits ? o->digits : HIST_DIGITS_DEFAULT;
	struct input *inputs = ingest_inputs(args, count);
	char **keys = xcalloc(count ? count : 1, sizeof *keys);
	bool ok = true;
	struct server_inputs servers = {NULL, 0, 0};
	for (size_t i = 0; i < count; i++) {
		struct registry_set set;
		if (!registry_find_set(inputs[i].path, o->format, &set)) {
			ok = load_one(m, &inputs[i], o, &servers, i, d) && ok;
			continue;
		}
		/* several files of one set under one label, however spelt: read it once */
		keys[i] = realpath(set.members[0], NULL);
		if (!keys[i])
			keys[i] = xstrdup(set.prefix);
		if (!set_seen(inputs, keys, i))
			ok = load_set(m, &inputs[i], &set, o, d) && ok;
		registry_set_fini(&set);
	}
	if (servers.count)
		ok = load_servers(m, servers.at, servers.count, o, d) && ok;
	free(servers.at);
	for (size_t i = 0; i < count; i++)
		free(keys[i]);
	free(keys);
	ingest_inputs_free(inputs, count);
	if (!o->path_labels)
		ingest_short_labels(&m, 1, false);
	model_sort(m);
	check_finite(m, d);
	*out = m;
	return ok;
}
