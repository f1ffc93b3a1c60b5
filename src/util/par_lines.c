/*
 * par_lines.c - lines prepared on worker threads, handed over in input order (par_lines.h).
 *
 * Blocks cycle FREE -> BUSY (a worker fills it under read_mu, then prepares it) -> DONE -> (the
 * consumer takes the one whose number is next) -> FREE. Numbers are given out under read_mu
 * in reading order, so block n holds the lines after those of block n - 1. One mutex guards
 * the states and counters and one condition variable signals every change; a block carries
 * thousands of lines, so the locking is rare next to the work.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT, _SC_NPROCESSORS_ONLN */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "par_lines.h"
#include "util.h"

enum { BLOCK_LINES_MAX = 16384 };

/*
 * With the default number of workers, a plain file with less than this left after its first
 * block is read on the calling thread alone: on so little, starting workers and touching their
 * blocks cost about as much CPU as they save time (docs/performance.md, "A small CI job").
 */
#define PAR_LINES_SMALL_REST (24LL << 20)

enum block_state { BLOCK_FREE, BLOCK_BUSY, BLOCK_DONE };

struct block {
	char *text;            /* the buffer the lines were read into (lines_take); owned */
	size_t text_cap;
	struct line *lines;    /* each points into `text`, NUL-terminated; owned */
	size_t count, cap;
	unsigned char *recs;   /* count records of rec_size bytes; owned */
	size_t recs_cap;       /* bytes allocated */
	uint64_t number;       /* position in reading order */
	enum block_state state;
};

struct worker {
	struct par_lines *p;
	void *scratch;         /* owned */
	pthread_t thread;
};

struct par_lines {
	struct lines ls;              /* read under read_mu only */
	pthread_mutex_t read_mu;
	pthread_mutex_t mu;           /* everything below that workers change */
	pthread_cond_t changed;
	struct block *blocks;
	int block_count;
	uint64_t next_number;         /* number of the next block to fill */
	uint64_t want_number;         /* number of the block the consumer takes next */
	bool input_done;              /* lines_next returned false */
	bool stop;                    /* par_lines_free: workers leave */
	struct worker *workers;
	int jobs;                     /* workers to start once the first block is handed over */
	int started;                  /* workers running; 0: the consumer reads inline */
	par_prepare_fn prepare;
	const void *ctx;
	size_t rec_size;
	size_t scratch_size;
	void *scratch;                /* the consumer's own, for inline blocks; owned */
	struct block *current;        /* the block being handed over; NULL between blocks */
	size_t current_i;             /* its next line */
};

/*
 * A zeroed scratch on cache lines of its own: workers write theirs while others run, and must
 * not share a line with each other or with the consumer.
 */
static void *new_scratch(const struct par_lines *p)
{
	size_t size = (p->scratch_size + 63) / 64 * 64;
	void *s = aligned_alloc(64, size ? size : 64);
	if (!s)
		xalloc_die();
	memset(s, 0, size ? size : 64);
	return s;
}

/*
 * Reads the next chunk of whole lines into b, in the buffer they were read into (lines_take:
 * no copy); false when the input ended (or failed) with them.
 */
static bool fill(struct par_lines *p, struct block *b)
{
	if (b->text_cap > 4 * PAR_LINES_BLOCK) { /* a very long line is gone: so is its room */
		free(b->text);
		b->text = NULL;
		b->text_cap = 0;
	}
	b->count = lines_take(&p->ls, &b->lines, &b->cap, BLOCK_LINES_MAX, &b->text,
			      &b->text_cap);
	return b->count > 0 && !lines_ended(&p->ls);
}

static void prepare(const struct par_lines *p, struct block *b, void *scratch)
{
	size_t bytes = b->count * p->rec_size;
	if (bytes > b->recs_cap) {
		free(b->recs);
		b->recs = xmalloc(bytes);
		b->recs_cap = bytes;
	}
	if (bytes)
		memset(b->recs, 0, bytes);
	for (size_t i = 0; i < b->count; i++)
		p->prepare(p->ctx, scratch, &b->lines[i], b->recs + i * p->rec_size);
}

static struct block *block_in(struct par_lines *p, enum block_state state, uint64_t number,
			      bool any_number)
{
	for (int i = 0; i < p->block_count; i++)
		if (p->blocks[i].state == state && (any_number || p->blocks[i].number == number))
			return &p->blocks[i];
	return NULL;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct par_lines *p = w->p;
	for (;;) {
		pthread_mutex_lock(&p->read_mu);
		pthread_mutex_lock(&p->mu);
		struct block *b = NULL;
		while (!p->stop && !p->input_done && !(b = block_in(p, BLOCK_FREE, 0, true)))
			pthread_cond_wait(&p->changed, &p->mu);
		if (!b || p->stop || p->input_done) {
			pthread_mutex_unlock(&p->mu);
			pthread_mutex_unlock(&p->read_mu);
			return NULL;
		}
		b->state = BLOCK_BUSY;
		b->number = p->next_number++;
		pthread_mutex_unlock(&p->mu);
		bool more = fill(p, b);
		if (!more) {
			pthread_mutex_lock(&p->mu);
			p->input_done = true;
			pthread_cond_broadcast(&p->changed);
			pthread_mutex_unlock(&p->mu);
		}
		pthread_mutex_unlock(&p->read_mu);
		prepare(p, b, w->scratch);
		pthread_mutex_lock(&p->mu);
		b->state = BLOCK_DONE;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->mu);
	}
}

/* Fills and prepares the next block on the calling thread (no workers running). */
static struct block *read_inline(struct par_lines *p)
{
	if (p->input_done)
		return NULL;
	struct block *b = &p->blocks[0];
	b->state = BLOCK_BUSY;
	b->number = p->next_number++;
	p->input_done = !fill(p, b);
	prepare(p, b, p->scratch);
	return b;
}

struct par_lines *par_lines_new(struct io_reader *reader, size_t max_line, int jobs,
				par_prepare_fn prepare_fn, const void *ctx, size_t rec_size,
				size_t scratch_size)
{
	struct par_lines *p = xcalloc(1, sizeof *p);
	lines_init(&p->ls, reader, max_line);
	pthread_mutex_init(&p->read_mu, NULL);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->changed, NULL);
	p->prepare = prepare_fn;
	p->ctx = ctx;
	p->rec_size = rec_size ? rec_size : 1;
	p->scratch_size = scratch_size;
	p->scratch = new_scratch(p);
	if (jobs == 0) {
		long long left = io_reader_left(reader);
		jobs = left >= 0 && left < (long long)PAR_LINES_BLOCK + PAR_LINES_SMALL_REST
			       ? 1
			       : par_lines_default_jobs();
	}
	if (jobs < 1)
		jobs = 1;
	/*
	 * Without workers a block is read in smaller pieces: the buffers' pages are touched for
	 * the first time once each, and on a small file those faults were a tenth of the CPU.
	 */
	p->ls.chunk = jobs > 1 ? PAR_LINES_BLOCK : PAR_LINES_BLOCK / 8;
	p->block_count = jobs > 1 ? jobs + 2 : 1; /* one per worker, one handed over, one spare */
	p->blocks = xcalloc((size_t)p->block_count, sizeof *p->blocks);
	p->jobs = jobs;
	/* the first block inline: an input that fits in it never starts a thread */
	p->current = read_inline(p);
	return p;
}

/*
 * Starts the workers, once the first block has been handed over (so ctx is final: a header
 * line in it may have set it up) and only when there is more to read.
 */
static void start_workers(struct par_lines *p)
{
	int jobs = p->jobs;
	p->jobs = 0;
	if (jobs <= 1 || p->input_done)
		return;
	p->workers = xcalloc((size_t)jobs, sizeof *p->workers);
	for (int i = 0; i < jobs; i++) {
		struct worker *w = &p->workers[p->started];
		w->p = p;
		w->scratch = new_scratch(p);
		if (pthread_create(&w->thread, NULL, work, w) != 0) {
			free(w->scratch); /* fewer workers; none at all reads inline */
			break;
		}
		p->started++;
	}
}

/* Gives the current block back: its lines are all handed over. */
static void release(struct par_lines *p)
{
	if (p->started)
		pthread_mutex_lock(&p->mu);
	p->current->state = BLOCK_FREE;
	p->want_number++;
	if (p->started) {
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->mu);
	}
	p->current = NULL;
}

bool par_lines_next(struct par_lines *p, struct line *out, const void **rec)
{
	for (;;) {
		struct block *b = p->current;
		if (b && p->current_i < b->count) {
			*out = b->lines[p->current_i];
			*rec = b->recs + p->current_i * p->rec_size;
			p->current_i++;
			return true;
		}
		if (b)
			release(p);
		p->current_i = 0;
		if (p->jobs)
			start_workers(p);
		if (!p->started) {
			if (!(p->current = read_inline(p)))
				return false;
			continue;
		}
		pthread_mutex_lock(&p->mu);
		while (!(b = block_in(p, BLOCK_DONE, p->want_number, false)) &&
		       !(p->input_done && p->want_number == p->next_number))
			pthread_cond_wait(&p->changed, &p->mu);
		pthread_mutex_unlock(&p->mu);
		if (!b)
			return false;
		p->current = b;
	}
}

bool par_lines_error(const struct par_lines *p)
{
	return p->ls.error;
}

size_t par_lines_max_line(const struct par_lines *p)
{
	return p->ls.max_line;
}

void par_lines_free(struct par_lines *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->started; i++) {
		pthread_join(p->workers[i].thread, NULL);
		free(p->workers[i].scratch);
	}
	free(p->workers);
	for (int i = 0; i < p->block_count; i++) {
		free(p->blocks[i].text);
		free(p->blocks[i].lines);
		free(p->blocks[i].recs);
	}
	free(p->blocks);
	free(p->scratch);
	lines_fini(&p->ls);
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->mu);
	pthread_mutex_destroy(&p->read_mu);
	free(p);
}

int par_lines_workers(const struct par_lines *p)
{
	return p->started;
}

int par_lines_default_jobs(void)
{
	/* the processors this process may run on (as nproc counts them), else those online */
	cpu_set_t set;
	long n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
							     : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}
