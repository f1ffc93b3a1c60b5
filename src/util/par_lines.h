/*
 * par_lines.h - the lines of an input, prepared ahead on worker threads and handed over in
 * input order: the line-oriented front ends' parallel reader.
 *
 * Audience: the k6 NDJSON and CSV front ends (ingest/k6_ndjson.c, ingest/k6_csv.c) and tests.
 *
 * A front end splits its work per line in two: a pure `prepare` step (read the fields of a
 * line whose shape it knows, parse numbers and times, hash the series key) that depends on the
 * line's bytes alone, and an `apply` step (find or create the series, record, report problems)
 * that changes the model and must see lines in input order. Workers read the input in blocks
 * of whole lines (lines_take: each block is the buffer its chunk was read into, not a copy,
 * and line ends, a BOM, long lines and numbering are exactly lines_next's), prepare every line
 * of a block into a record, and the calling thread
 * takes the lines back strictly in input order, each with its record, and applies them. So
 * the model, every floating-point sum, every diagnostic and its line number are the same as
 * for one thread: only the pure step runs in parallel, and the output does not depend on the
 * number of workers.
 *
 * The first block is read and prepared on the calling thread, and the workers start only
 * once its lines are handed over: so an input that fits in one block never starts a thread,
 * and applying the first block's lines may still set up ctx (a CSV header). With jobs <= 1 no
 * thread is started at all: the calling thread reads and prepares each block itself (the same
 * code, in the same order).
 *
 * Memory: a fixed pool of blocks (jobs + 2, each about PAR_LINES_BLOCK bytes of text and
 * the records of its lines; without workers one block of an eighth of that) whatever the input
 * size; a line longer than a block makes its block as large as the line (at most the max_line
 * of lines.h).
 *
 * Threads: the io_reader is read by one thread at a time (a mutex); prepare runs concurrently
 * with itself on different lines, so it must only read ctx and write its record and its own
 * scratch (one per worker, zeroed, scratch_size bytes).
 */
#ifndef PERFGATE_PAR_LINES_H
#define PERFGATE_PAR_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "lines.h"

/* Bytes of line text per block: large enough that handing a block over is rare. */
#define PAR_LINES_BLOCK ((size_t)1 << 20)

/*
 * Prepares one line into rec (rec_size bytes, zeroed before the call). ctx is shared and
 * read-only; scratch is this thread's own. Truncated lines are passed too (line->truncated).
 */
typedef void (*par_prepare_fn)(const void *ctx, void *scratch, const struct line *line,
			       void *rec);

struct par_lines;

/*
 * Starts reading `reader` (borrowed; lines_init's max_line, 0 = default) with `jobs` workers;
 * 0: one per processor (par_lines_default_jobs), but none when the reader is a plain file with
 * less than 24 MiB left after the first block.
 * ctx must stay valid until par_lines_free, and unchanged once the first block's lines are
 * handed over.
 */
struct par_lines *par_lines_new(struct io_reader *reader, size_t max_line, int jobs,
				par_prepare_fn prepare, const void *ctx, size_t rec_size,
				size_t scratch_size);

/*
 * The next line in input order and its record (valid until the next call); false at the end
 * of the input or after a read error (par_lines_error).
 */
bool par_lines_next(struct par_lines *p, struct line *out, const void **rec);

/* After the last line: a read error ended the input (the reader's error says which). */
bool par_lines_error(const struct par_lines *p);
/* max_line in effect (for "line longer than N bytes"). */
size_t par_lines_max_line(const struct par_lines *p);

/* How many worker threads were started (0 until the first block is handed over). */
int par_lines_workers(const struct par_lines *p);

/* Stops the workers (also before the end of the input) and frees everything. NULL is fine. */
void par_lines_free(struct par_lines *p);

/* The number of processors online: the default for --jobs (1 when it cannot be told). */
int par_lines_default_jobs(void);

#endif
