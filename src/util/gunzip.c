/*
 * gunzip.c - gzip input inflated on a thread of its own, ahead of the parser (gunzip.h).
 *
 * Why a thread: the heavy inputs (GBs of k6 NDJSON) are parsed on one core, and inflating on
 * that core added half the parse time again; the machine has a second core. The thread reads
 * the descriptor READ_CHUNK bytes at a time, inflates into a ring of RING_SLOTS slots of
 * SLOT_SIZE bytes and publishes each full slot; the reader copies out of the oldest slot and
 * hands it back once used up. One mutex guards the ring's counters and the end state. A slot's
 * bytes belong to one side at a time (the thread fills slot tail % N while tail - head < N;
 * the reader holds slot head % N), so they are written and read without the lock.
 *
 * Which inflater: ISA-L's isal_inflate when built with it (PERFGATE_HAVE_ISAL), over three
 * times zlib's speed (docs/architecture.md, Dependencies), else zlib's inflate. Both sit
 * behind inflater_*, and their failures are sorted into four kinds worded here, so a message
 * does not depend on the library. Members and trailing bytes are handled as zlib's gzread
 * does: after a member, a new one starts only at gzip's two magic bytes; anything else there
 * is ignored. Data that does not start with the magic is passed through (stdin, pipes).
 *
 * Ending: gunzip_free sets `stop`, wakes the thread (the condition variable, and for a
 * descriptor that can block, such as a pipe, the wake pipe its poll() also watches) and joins
 * it. The thread blocks all signals, so the driver's SIGINT handler runs on the main thread.
 * Ownership: the struct owns the descriptor, the slots, the input buffer and the inflater;
 * gunzip_free releases them after the join.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef PERFGATE_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "gunzip.h"
#include "util.h"
#include "util_test.h"

/* 4 MiB of slots: enough to keep the thread ahead; the inflated bytes are read from L3. */
enum { RING_SLOTS = 4, SLOT_SIZE = 1024 * 1024, READ_CHUNK = 256 * 1024 };

/* Test hooks (util_test.h), read by gunzip_new only, before the thread starts. */
static size_t test_read_size, test_slot_size;
static bool test_zlib_only;

/* The ways gzip data can be wrong, worded the same whichever library found it. */
enum failure { FAIL_NONE, FAIL_TRUNCATED, FAIL_HEADER, FAIL_CHECK, FAIL_DATA };
static const char *const failure_text[] = {
    [FAIL_NONE] = "",
    [FAIL_TRUNCATED] = "unexpected end of file", /* zlib's words, as perfgate always said */
    [FAIL_HEADER] = "invalid gzip header",
    [FAIL_CHECK] = "incorrect data check", /* the trailer's CRC-32 or length */
    [FAIL_DATA] = "invalid compressed data",
};

/* One inflater of either library. */
struct inflater {
#ifdef PERFGATE_HAVE_ISAL
	struct inflate_state *isal;          /* owned; NULL when zlib inflates */
	struct isal_gzip_header isal_header; /* kept across calls while in_header */
	bool in_header;                      /* ISA-L is still reading the member's header */
#endif
	z_stream zlib;    /* valid when zlib_ready */
	gz_header header; /* zlib sets header.done once a member's header is read */
	bool zlib_ready;  /* inflateInit2 succeeded: inflateEnd is owed */
};

enum step { STEP_MORE, STEP_MEMBER_END, STEP_FAILED };

struct gunzip {
	int fd;      /* owned */
	int wake[2]; /* pipe gunzip_free writes to stop a blocked read; -1, -1
	                for a regular file, whose reads do not block */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled;  /* a slot was published, or done was set */
	pthread_cond_t emptied; /* the reader returned a slot, or stop was set */
	char *slot[RING_SLOTS]; /* slot_size bytes each, owned; the pointers never change */
	size_t slot_size;       /* capacity of each slot */

	/* guarded by lock */
	size_t slot_len[RING_SLOTS]; /* bytes valid in each published slot */
	size_t head;                 /* slots returned by the reader */
	size_t tail;                 /* slots published by the thread; tail - head <= N */
	bool done;                   /* the thread has published its last slot */
	bool stop;                   /* gunzip_free asks the thread to end */

	/* the thread's, until done; read by the reader only after it saw done (or a slot) */
	bool compressed;      /* the data starts with gzip's magic */
	enum failure failure; /* FAIL_TRUNCATED: the data ended early */
	char error[256];      /* why the data ended early, "" when it did not */

	/* the thread's own */
	unsigned char *in;     /* READ_CHUNK bytes, owned */
	size_t in_pos, in_len; /* input not used yet: in[in_pos..in_len) */
	bool in_eof;           /* read() returned 0 */
	size_t read_size;      /* most bytes asked of one read() */
	size_t fill;           /* bytes written to slot[tail % N] */
	bool own_slot;         /* slot[tail % N] is free for the thread to fill */
	struct inflater inflater;

	/* the reader's own */
	size_t pos, have;     /* bytes copied out of / valid in slot[head % N] */
	bool holding;         /* the reader holds slot head % N */
	bool ended;           /* the reader saw done with no slot left */
	bool seen_compressed; /* compressed, copied under the lock */
};

/* ---- the two inflaters ---- */

static void inflater_init(struct inflater *f, bool zlib_only)
{
	memset(f, 0, sizeof *f);
#ifdef PERFGATE_HAVE_ISAL
	if (!zlib_only) {
		f->isal = xmalloc(sizeof *f->isal);
		isal_inflate_init(f->isal);
		return;
	}
#endif
	(void)zlib_only;
	/* 15 + 16: a 32 KiB window, gzip's wrapper only; failing here means no memory */
	if (inflateInit2(&f->zlib, 15 + 16) != Z_OK)
		xalloc_die();
	f->zlib_ready = true;
}

static void inflater_fini(struct inflater *f)
{
#ifdef PERFGATE_HAVE_ISAL
	free(f->isal);
	f->isal = NULL;
#endif
	if (f->zlib_ready)
		inflateEnd(&f->zlib);
	f->zlib_ready = false;
}

/* Gets ready for a gzip member (header, deflate data, trailer). */
static void inflater_start_member(struct inflater *f)
{
#ifdef PERFGATE_HAVE_ISAL
	if (f->isal) {
		/*
		 * The header is read by isal_read_gzip_header, then isal_inflate checks the
		 * trailer's CRC-32 and length (as ISA-L's igzip does): with ISAL_GZIP,
		 * isal_inflate restarts the header's CRC-16 on every call, so a header with
		 * FHCRC that arrives in two reads would be rejected (ISA-L 2.30).
		 */
		isal_inflate_reset(f->isal);
		f->isal->crc_flag = ISAL_GZIP_NO_HDR_VER;
		isal_gzip_header_init(&f->isal_header);
		f->in_header = true;
		return;
	}
#endif
	inflateReset(&f->zlib);
	inflateGetHeader(&f->zlib, &f->header);
}

#ifdef PERFGATE_HAVE_ISAL
static enum step isal_step(struct inflater *f, unsigned char *in, size_t *in_len,
                           unsigned char *out, size_t *out_len, enum failure *failure)
{
	struct inflate_state *s = f->isal;
	s->next_in = in;
	s->avail_in = (uint32_t)*in_len;
	s->next_out = out;
	s->avail_out = (uint32_t)*out_len;
	int ret = ISAL_DECOMP_OK;
	if (f->in_header) {
		ret = isal_read_gzip_header(s, &f->isal_header);
		if (ret == ISAL_DECOMP_OK)
			f->in_header = false;
		else if (ret == ISAL_END_INPUT) /* the rest of the header is still to come */
			ret = ISAL_DECOMP_OK;
	}
	if (!f->in_header && ret == ISAL_DECOMP_OK)
		ret = isal_inflate(s);
	*in_len -= s->avail_in;
	*out_len -= s->avail_out;
	if (ret == ISAL_DECOMP_OK)
		return s->block_state == ISAL_BLOCK_FINISH ? STEP_MEMBER_END : STEP_MORE;
	/* in the header: a bad magic, method or header CRC-16; after it, the trailer's */
	*failure = f->in_header                     ? FAIL_HEADER
	           : ret == ISAL_INCORRECT_CHECKSUM ? FAIL_CHECK
	                                            : FAIL_DATA;
	return STEP_FAILED;
}
#endif

static enum step zlib_step(struct inflater *f, unsigned char *in, size_t *in_len,
                           unsigned char *out, size_t *out_len, enum failure *failure)
{
	z_stream *z = &f->zlib;
	z->next_in = in;
	z->avail_in = (uInt)*in_len;
	z->next_out = out;
	z->avail_out = (uInt)*out_len;
	int ret = inflate(z, Z_NO_FLUSH);
	*in_len -= z->avail_in;
	*out_len -= z->avail_out;
	if (ret == Z_STREAM_END)
		return STEP_MEMBER_END;
	if (ret == Z_OK || ret == Z_BUF_ERROR) /* Z_BUF_ERROR: no progress possible yet */
		return STEP_MORE;
	if (ret == Z_MEM_ERROR)
		xalloc_die();
	/* zlib tells its failures apart only by message; these two are the trailer's */
	bool trailer = z->msg && (strcmp(z->msg, "incorrect data check") == 0 ||
	                          strcmp(z->msg, "incorrect length check") == 0);
	*failure = !f->header.done ? FAIL_HEADER : trailer ? FAIL_CHECK : FAIL_DATA;
	return STEP_FAILED;
}

/*
 * Inflates from in (*in_len bytes) to out (*out_len bytes of room); on return both hold what
 * was used and made. Stops when the input is used up, the output is full, the member ends
 * or the data is wrong (*failure says how).
 */
static enum step inflater_step(struct inflater *f, unsigned char *in, size_t *in_len,
                               unsigned char *out, size_t *out_len, enum failure *failure)
{
#ifdef PERFGATE_HAVE_ISAL
	if (f->isal)
		return isal_step(f, in, in_len, out, out_len, failure);
#endif
	return zlib_step(f, in, in_len, out, out_len, failure);
}

/* ---- the thread ---- */

/* Ends the data early for a reason of kind failure; returns false, for the caller to return. */
static bool fail(struct gunzip *g, enum failure failure)
{
	g->failure = failure;
	snprintf(g->error, sizeof g->error, "%s (gzip data)", failure_text[failure]);
	return false;
}

/* Waits until fd can be read without blocking; false when gunzip_free woke us instead. */
static bool wait_readable(struct gunzip *g)
{
	struct pollfd fds[2] = {{.fd = g->fd, .events = POLLIN},
	                        {.fd = g->wake[0], .events = POLLIN}};
	while (poll(fds, 2, -1) < 0)
		if (errno != EINTR)
			return true; /* let read() report (or block, as without poll) */
	return !(fds[1].revents & (POLLIN | POLLHUP));
}

/*
 * Reads more input behind the bytes not used yet (moved to the front first). Returns false
 * when the thread must end: an I/O error (g->error says which) or stop. At the end of the
 * file it returns true with in_eof set.
 */
static bool read_input(struct gunzip *g)
{
	size_t left = g->in_len - g->in_pos;
	memmove(g->in, g->in + g->in_pos, left);
	g->in_pos = 0;
	g->in_len = left;
	size_t room = READ_CHUNK - left < g->read_size ? READ_CHUNK - left : g->read_size;
	if (room == 0) /* an inflater that holds back a whole buffer: not gzip as we know it */
		return fail(g, FAIL_DATA);
	for (;;) {
		if (g->wake[0] >= 0 && !wait_readable(g))
			return false;
		ssize_t n = read(g->fd, g->in + left, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int code = errno;
			char text[200];
			if (strerror_r(code, text, sizeof text) != 0)
				snprintf(text, sizeof text, "read error %d", code);
			snprintf(g->error, sizeof g->error, "%s", text);
			return false;
		}
		g->in_eof = n == 0;
		g->in_len += (size_t)n;
		return true;
	}
}

/* Reads until `want` unused input bytes are there or the file ends; false as read_input. */
static bool read_at_least(struct gunzip *g, size_t want)
{
	while (g->in_len - g->in_pos < want && !g->in_eof)
		if (!read_input(g))
			return false;
	return true;
}

/*
 * Makes room in the slot being filled: publishes it when full, then waits while the reader
 * holds every slot. False when gunzip_free asked the thread to stop.
 */
static bool reserve(struct gunzip *g)
{
	if (g->own_slot && g->fill < g->slot_size)
		return true;
	pthread_mutex_lock(&g->lock);
	if (g->own_slot) {
		g->slot_len[g->tail % RING_SLOTS] = g->fill;
		g->tail++;
		g->fill = 0;
		pthread_cond_signal(&g->filled);
	}
	while (g->tail - g->head == RING_SLOTS && !g->stop)
		pthread_cond_wait(&g->emptied, &g->lock);
	g->own_slot = !g->stop;
	pthread_mutex_unlock(&g->lock);
	return g->own_slot;
}

/* Publishes the last, partly filled slot and tells the reader that nothing follows. */
static void finish(struct gunzip *g)
{
	pthread_mutex_lock(&g->lock);
	if (g->own_slot && g->fill > 0) {
		g->slot_len[g->tail % RING_SLOTS] = g->fill;
		g->tail++;
	}
	g->done = true;
	pthread_cond_signal(&g->filled);
	pthread_mutex_unlock(&g->lock);
}

/* Data that is not gzip goes to the reader unchanged (zlib's "transparent" mode). */
static bool pass_through(struct gunzip *g)
{
	for (;;) {
		if (g->in_pos == g->in_len) {
			if (g->in_eof)
				return true;
			if (!read_input(g))
				return false;
			continue;
		}
		if (!reserve(g))
			return false;
		size_t n = g->in_len - g->in_pos;
		if (n > g->slot_size - g->fill)
			n = g->slot_size - g->fill;
		memcpy(g->slot[g->tail % RING_SLOTS] + g->fill, g->in + g->in_pos, n);
		g->fill += n;
		g->in_pos += n;
	}
}

/* Inflates one member, from its header to its trailer. */
static bool inflate_member(struct gunzip *g)
{
	/* RFC 1952 2.3.1: the reserved FLG bits must be zero; zlib checks it, ISA-L does not */
	if (!read_at_least(g, 4))
		return false;
	if (g->in_len - g->in_pos >= 4 && (g->in[g->in_pos + 3] & 0xe0))
		return fail(g, FAIL_HEADER);
	inflater_start_member(&g->inflater);
	for (;;) {
		if (!reserve(g))
			return false;
		size_t used = g->in_len - g->in_pos, made = g->slot_size - g->fill;
		enum failure failure = FAIL_NONE;
		enum step step = inflater_step(
		    &g->inflater, g->in + g->in_pos, &used,
		    (unsigned char *)g->slot[g->tail % RING_SLOTS] + g->fill, &made, &failure);
		g->in_pos += used;
		g->fill += made;
		if (step == STEP_FAILED)
			return fail(g, failure);
		if (step == STEP_MEMBER_END)
			return true;
		if (g->fill == g->slot_size || (g->in_pos < g->in_len && (used || made)))
			continue; /* room to make, or input left that it can go on with */
		/* the inflater needs more input than there is */
		if (g->in_eof)
			return fail(g, FAIL_TRUNCATED);
		if (!read_input(g))
			return false;
	}
}

static bool starts_with_magic(const struct gunzip *g)
{
	return g->in_len - g->in_pos >= 2 && g->in[g->in_pos] == 0x1f &&
	       g->in[g->in_pos + 1] == 0x8b;
}

/* Inflates members while the bytes after one start another (zlib's gzread does the same). */
static bool inflate_members(struct gunzip *g)
{
	do {
		if (!inflate_member(g))
			return false;
		if (!read_at_least(g, 2))
			return false;
	} while (starts_with_magic(g));
	return true;
}

static void *run(void *arg)
{
	struct gunzip *g = arg;
	if (read_at_least(g, 2)) {
		/* one byte 1f alone is data, as for zlib: a gzip header is written whole */
		g->compressed = starts_with_magic(g);
		if (g->compressed)
			inflate_members(g);
		else
			pass_through(g);
	}
	finish(g);
	return NULL;
}

/* ---- the reader's side ---- */

/* Returns the slot used up (if any) and waits for the next; false at the end of the data. */
static bool take_slot(struct gunzip *g)
{
	pthread_mutex_lock(&g->lock);
	if (g->holding) {
		g->head++;
		g->holding = false;
		pthread_cond_signal(&g->emptied);
	}
	while (g->head == g->tail && !g->done)
		pthread_cond_wait(&g->filled, &g->lock);
	g->seen_compressed = g->compressed;
	if (g->head < g->tail) {
		g->holding = true;
		g->have = g->slot_len[g->head % RING_SLOTS];
		g->pos = 0;
	} else {
		g->ended = true;
	}
	pthread_mutex_unlock(&g->lock);
	return g->holding;
}

size_t gunzip_read(struct gunzip *g, void *dst, size_t len)
{
	size_t got = 0;
	while (got < len) {
		if (g->pos == g->have) {
			if (g->ended || !take_slot(g))
				break;
			continue;
		}
		size_t n = g->have - g->pos < len - got ? g->have - g->pos : len - got;
		memcpy((char *)dst + got, g->slot[g->head % RING_SLOTS] + g->pos, n);
		g->pos += n;
		got += n;
	}
	return got;
}

const char *gunzip_error(const struct gunzip *g, bool *truncated)
{
	*truncated = false;
	if (!g->ended || !g->error[0])
		return NULL;
	*truncated = g->failure == FAIL_TRUNCATED;
	return g->error;
}

bool gunzip_compressed(const struct gunzip *g)
{
	return g->seen_compressed;
}

/* Frees what gunzip_new made; the thread is not running. */
static void release(struct gunzip *g)
{
	inflater_fini(&g->inflater);
	for (int i = 0; i < RING_SLOTS; i++)
		free(g->slot[i]);
	free(g->in);
	close(g->fd);
	if (g->wake[0] >= 0) {
		close(g->wake[0]);
		close(g->wake[1]);
	}
	pthread_cond_destroy(&g->emptied);
	pthread_cond_destroy(&g->filled);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

struct gunzip *gunzip_new(int fd, char error[256])
{
	struct gunzip *g = xcalloc(1, sizeof *g);
	g->fd = fd;
	g->wake[0] = g->wake[1] = -1;
	g->read_size = test_read_size ? test_read_size : READ_CHUNK;
	g->slot_size = test_slot_size ? test_slot_size : SLOT_SIZE;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->filled, NULL);
	pthread_cond_init(&g->emptied, NULL);
	for (int i = 0; i < RING_SLOTS; i++)
		g->slot[i] = xmalloc(g->slot_size);
	g->in = xmalloc(READ_CHUNK);
	inflater_init(&g->inflater, test_zlib_only);
	struct stat st;
	int code = 0;
	if ((fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) && pipe(g->wake) != 0) {
		code = errno;
		g->wake[0] = g->wake[1] = -1;
	}
	if (code == 0) {
		/* the thread inherits this mask: every signal stays with the main thread */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		code = pthread_create(&g->thread, NULL, run, g);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (code != 0) {
		char text[200];
		if (strerror_r(code, text, sizeof text) != 0)
			snprintf(text, sizeof text, "error %d", code);
		snprintf(error, 256, "cannot start the thread that decompresses: %s", text);
		release(g);
		return NULL;
	}
	return g;
}

void gunzip_free(struct gunzip *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_cond_signal(&g->emptied);
	pthread_mutex_unlock(&g->lock);
	if (g->wake[1] >= 0) {
		ssize_t n = write(g->wake[1], "", 1); /* a full pipe is already a wake-up */
		(void)n;
	}
	pthread_join(g->thread, NULL);
	release(g);
}

void gunzip_test_sizes(size_t read_size, size_t slot_size)
{
	test_read_size = read_size < READ_CHUNK ? read_size : READ_CHUNK;
	test_slot_size = slot_size;
}

bool gunzip_test_zlib_only(bool on)
{
	test_zlib_only = on;
#ifdef PERFGATE_HAVE_ISAL
	return true;
#else
	return false;
#endif
}

long long gunzip_input_offset(const struct gunzip *g)
{
	/* the offset is the open file's, read atomically beside the thread's read() calls */
	return (long long)lseek(g->fd, 0, SEEK_CUR);
}
