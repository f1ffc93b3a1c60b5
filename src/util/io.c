/*
 * io.c - reading inputs (plain or gzip, file or stdin) and atomic writes (io.h).
 *
 * A regular file without gzip's magic bytes is read with read() straight into the caller's
 * buffer: the fast path, with no thread and no extra copy. Anything else (a gzip file,
 * standard input, a pipe) goes through gunzip.c, whose thread inflates gzip data (several
 * concatenated members too) and passes anything else through unchanged, so one code path
 * serves both; gunzip_compressed tells afterwards which it was. Standard input is dup()ed
 * first, so closing the reader closes the copy and never fd 0.
 * A truncated gzip stream ends with the bytes that could be inflated and then an error
 * ("unexpected end of file (gzip data)", r->truncated set), so a cut .gz never looks like a
 * complete, shorter input. Bytes after the last gzip member that are not another member are
 * ignored, as zlib's gzread does; we accept that.
 *
 * Ownership: the reader owns its name copy, the plain descriptor or the decompressor, and the
 * peek buffer; io_reader_close releases them all (the decompressor's thread is stopped and
 * joined, whether or not the input was read to the end). Peeked bytes are handed out again,
 * first, by io_reader_read. io_write_atomic owns its temporary file until the rename and
 * unlinks it on any failure. The io_open / io_read_* / io_write_output wrappers add the
 * diagnostics, so every file the program reads or writes fails with the same words.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "gunzip.h"
#include "io.h"
#include "path.h"
#include "progress.h"
#include "util_test.h"
#include "util.h"

enum { READ_CHUNK = 256 * 1024 };

/*
 * Whether fd is a regular file that does not start with gzip's magic bytes (1f 8b): then it is
 * read with read() directly. pread leaves the offset alone, so the decompressor still sees
 * every byte of anything else (gzip data, pipes, standard input).
 */
static bool plain_regular_file(int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	unsigned char magic[2];
	ssize_t n = pread(fd, magic, 2, 0);
	return n >= 0 && !(n == 2 && magic[0] == 0x1f && magic[1] == 0x8b);
}

bool io_reader_open(struct io_reader *r, const char *path)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->name = xstrdup(path);
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(r->error, sizeof r->error, "%s", strerror(errno));
		return false;
	}
	if (plain_regular_file(fd)) {
		r->fd = fd;
		return true;
	}
	r->gunzip = gunzip_new(fd, r->error); /* closes fd when it fails */
	return r->gunzip != NULL;
}

/* read() until len bytes or the end of the file: short only at the end, as gunzip_read. */
static long plain_read(struct io_reader *r, void *dst, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(r->fd, (char *)dst + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(r->error, sizeof r->error, "%s", strerror(errno));
			r->failed = true;
			return got ? (long)got : -1; /* what was read goes first; the next read fails */
		}
		if (n == 0) {
			r->eof = true;
			break;
		}
		got += (size_t)n;
	}
	return (long)got;
}

/* How far r's input has been read, in the bytes its size counts (compressed for gzip). */
static long long input_position(const struct io_reader *r)
{
	long long at = r->gunzip ? gunzip_input_offset(r->gunzip) : -1;
	return at >= 0 ? at : r->consumed;
}

void io_reader_track(struct io_reader *r)
{
	struct stat st;
	int fd = r->fd >= 0 ? r->fd : -1;
	long long size = -1;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		size = (long long)st.st_size;
	else if (r->gunzip && strcmp(r->name, "-") != 0 && stat(r->name, &st) == 0 &&
		 S_ISREG(st.st_mode))
		size = (long long)st.st_size;
	r->progress = true;
	progress_start(r->name, size);
}

static long raw_read_input(struct io_reader *r, void *dst, size_t len);

/* raw_read_input, and the bytes it returned counted, and shown when r is tracked */
static long raw_read(struct io_reader *r, void *dst, size_t len)
{
	long n = raw_read_input(r, dst, len);
	if (n > 0)
		r->consumed += n;
	if (r->progress)
		progress_advance(input_position(r));
	return n;
}

static long raw_read_input(struct io_reader *r, void *dst, size_t len)
{
	if (r->failed)
		return -1;
	if (len > LONG_MAX)
		len = LONG_MAX;
	if (r->fd >= 0 && !r->eof && len > 0)
		return plain_read(r, dst, len);
	if (!r->gunzip || r->eof || len == 0)
		return 0;
	size_t n = gunzip_read(r->gunzip, dst, len);
	r->compressed = gunzip_compressed(r->gunzip);
	if (n < len) { /* short: the end of the data, or an error */
		const char *error = gunzip_error(r->gunzip, &r->truncated);
		if (error) {
			snprintf(r->error, sizeof r->error, "%s", error);
			r->failed = true;
			/* what was inflated before the cut goes first; the next read fails */
			return n > 0 ? (long)n : -1;
		}
		r->eof = true;
	}
	return (long)n;
}

long io_reader_peek(struct io_reader *r, size_t want, const char **out)
{
	size_t have = r->peek_len - r->peek_pos;
	if (have < want && !r->eof) {
		/* move the unreturned bytes to the front, then fill up to want */
		if (have)
			memmove(r->peek, r->peek + r->peek_pos, have);
		r->peek_len = have;
		r->peek_pos = 0;
		r->peek = xrealloc(r->peek, want);
		long n = raw_read(r, r->peek + have, want - have);
		if (n < 0)
			return -1;
		r->peek_len += (size_t)n;
		have = r->peek_len;
	}
	*out = r->peek ? r->peek + r->peek_pos : "";
	return (long)(have < want ? have : want);
}

long io_reader_read(struct io_reader *r, void *dst, size_t len)
{
	if (len > LONG_MAX)
		len = LONG_MAX;
	size_t have = r->peek_len - r->peek_pos;
	size_t from_peek = have < len ? have : len;
	if (from_peek) {
		memcpy(dst, r->peek + r->peek_pos, from_peek);
		r->peek_pos += from_peek;
	}
	/* the rest comes from the input, so a read is short only at its end, peek or not */
	long n = raw_read(r, (char *)dst + from_peek, len - from_peek);
	if (n < 0) /* the peeked bytes go first; the error stays for the next read */
		return from_peek ? (long)from_peek : -1;
	return (long)from_peek + n;
}

long long io_reader_left(const struct io_reader *r)
{
	struct stat st;
	off_t at;
	if (r->fd < 0 || r->failed || fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (at = lseek(r->fd, 0, SEEK_CUR)) < 0)
		return -1;
	long long left = (long long)st.st_size - (long long)at;
	return (left > 0 ? left : 0) + (long long)(r->peek_len - r->peek_pos);
}

bool io_reader_read_all(struct io_reader *r, struct buf *out, size_t max_bytes)
{
	size_t start_len = out->len;
	size_t total = 0;
	for (;;) {
		/* never hold more than max_bytes + 1: the extra byte proves the input too large */
		size_t want = max_bytes - total < READ_CHUNK ? max_bytes - total + 1 : READ_CHUNK;
		out->data = xgrow(out->data, &out->cap, out->len + want + 1, 1);
		long n = io_reader_read(r, out->data + out->len, want);
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		out->len += (size_t)n;
		total += (size_t)n;
		if (total > max_bytes) {
			if (max_bytes >= 1024 * 1024)
				snprintf(r->error, sizeof r->error,
				         "input is larger than %zu MiB, the most read into "
				         "memory for one document",
				         max_bytes >> 20);
			else
				snprintf(r->error, sizeof r->error,
				         "input is larger than %zu bytes, the most read into "
				         "memory for one document",
				         max_bytes);
			goto fail;
		}
	}
	out->data[out->len] = '\0';
	return true;
fail:
	out->len = start_len;
	out->data[out->len] = '\0';
	return false;
}

void io_reader_close(struct io_reader *r)
{
	if (r->progress)
		progress_end();
	r->progress = false;
	gunzip_free(r->gunzip);
	r->gunzip = NULL;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->peek);
	r->peek = NULL;
	r->peek_len = r->peek_pos = 0;
	free(r->name);
	r->name = NULL;
}

static bool write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Creates the temporary file. O_EXCL keeps us from writing through a symlink or a file someone
 * else made; a leftover of an earlier run that had our pid is removed once and created again.
 */
static int create_temp(const char *tmp)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
	return fd;
}

/*
 * The temporary file being written, if any, for io_remove_temp: the signal handlers of the
 * driver remove it when SIGINT or SIGTERM ends the process mid-write, so no `*.tmp.*` file
 * is left behind. Set and cleared around the write; a plain pointer the handler only reads.
 */
static char *volatile current_temp;

void io_remove_temp(void)
{
	char *tmp = current_temp;
	if (tmp)
		unlink(tmp); /* async-signal-safe */
}

/* Writes data through to an existing file that is not a regular one (a device, a FIFO). */
static bool write_through(const char *path, const void *data, size_t len, char error[256])
{
	int fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || !write_all(fd, data, len)) {
		snprintf(error, 256, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (close(fd) != 0) {
		snprintf(error, 256, "%s", strerror(errno));
		return false;
	}
	return true;
}

/* Whether a file with this status is the one standard output or error writes to. */
static bool is_std_output(const struct stat *st)
{
	for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++) {
		struct stat out;
		if (fstat(fd, &out) == 0 && out.st_dev == st->st_dev && out.st_ino == st->st_ino)
			return true;
	}
	return false;
}

/* Whether path names one of the process's descriptors, or a file under /proc/. */
static bool names_descriptor(const char *path)
{
	return strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/stderr") == 0 ||
	       strncmp(path, "/dev/fd/", 8) == 0 || strncmp(path, "/proc/", 6) == 0;
}

/*
 * The file a symlink leads to (heap), or NULL with errno set. A chain of links whose last
 * target does not exist yet leads to that target (each link read relative to its own folder),
 * so it is created and the links stay; more than 40 links is ELOOP, as for the kernel.
 */
static char *link_target(const char *path)
{
	char *resolved = realpath(path, NULL);
	if (resolved || errno != ENOENT)
		return resolved;
	char *at = xstrdup(path);
	for (int hops = 0; hops < 40; hops++) {
		struct stat st;
		if (lstat(at, &st) != 0 || !S_ISLNK(st.st_mode))
			return at; /* the missing end of the chain (lstat failed with ENOENT) */
		char text[PATH_MAX];
		ssize_t n = readlink(at, text, sizeof text - 1);
		if (n < 0) {
			free(at);
			return NULL;
		}
		text[n] = '\0';
		const char *slash = strrchr(at, '/');
		char *next = text[0] == '/' || !slash ? xstrdup(text)
						      : xasprintf("%.*s/%s", (int)(slash - at), at, text);
		free(at);
		at = next;
	}
	free(at);
	errno = ELOOP;
	return NULL;
}

/* --fsync: flush each output to the disk before its rename (off: the rename alone). */
static bool sync_outputs;

void io_set_fsync(bool on)
{
	sync_outputs = on;
}

bool io_write_atomic(const char *path, const void *data, size_t len, char error[256])
{
	error[0] = '\0';
	if (strcmp(path, "-") == 0) {
		/* whatever the program already printed through stdio goes first */
		if (fflush(stdout) != 0 || !write_all(STDOUT_FILENO, data, len)) {
			snprintf(error, 256, "%s", strerror(errno));
			return false;
		}
		return true;
	}
	/*
	 * Atomic replace is for regular files. A device, FIFO or socket (/dev/null, a named pipe a
	 * CI tool reads) is written through: replacing it would swap the node for a file nobody
	 * reads. So is a name of one of the process's descriptors (/dev/stdout, /dev/fd/N: whatever
	 * file the shell made it) and anything under /proc/. Any other symlink is followed: its
	 * target is replaced, the link stays. A regular file under /dev/ (/dev/shm) is a file.
	 */
	struct stat st;
	/* the file standard output or error goes to, however it is named (a link to
	 * /dev/stdout too): a replace would take it from under the shell's redirection */
	bool exists = stat(path, &st) == 0;
	if (names_descriptor(path) ||
	    (exists && (is_std_output(&st) || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))))) {
		/* /dev/stdout may be a file the shell redirected to: what was printed goes first */
		fflush(stdout);
		return write_through(path, data, len, error);
	}
	char *target = NULL;
	struct stat lst;
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		target = link_target(path);
		if (!target) {
			snprintf(error, 256, "%s", strerror(errno));
			return false;
		}
		path = target;
	}
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	bool ok = false;
	current_temp = tmp;
	int fd = create_temp(tmp);
	if (fd < 0) {
		snprintf(error, 256, "%s", strerror(errno));
		goto out;
	}
	if (!write_all(fd, data, len) || (sync_outputs && fsync(fd) != 0)) {
		snprintf(error, 256, "%s", strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	/* close can report a delayed write error (NFS), so it is checked like the writes */
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(error, 256, "%s", strerror(errno));
		unlink(tmp);
		goto out;
	}
	ok = true;
out:
	current_temp = NULL;
	free(tmp);
	free(target);
	return ok;
}

const char *io_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Reports at `at`, or at the file named by path when at is NULL. */
static void report_at(struct diag *d, enum diag_id id, const char *path,
		      const struct diag_loc *at, const char *verb, const char *what,
		      const char *reason)
{
	struct diag_loc file = source_file_loc(io_display_name(path));
	diag_report(d, id, at ? at : &file, "cannot %s %s: %s", verb, what, reason);
}

bool io_open(struct io_reader *r, const char *path, const char *what, const struct diag_loc *at,
	     struct diag *d)
{
	if (io_reader_open(r, path))
		return true;
	report_at(d, DIAG_INPUT_OPEN, path, at, "open", what, r->error);
	return false;
}

void io_report_read(const char *path, const char *what, const char *reason,
		    const struct diag_loc *at, struct diag *d)
{
	report_at(d, DIAG_INPUT_READ, path, at, "read", what, reason);
}

bool io_read_rest(struct io_reader *r, const char *what, size_t max_bytes,
		  const struct diag_loc *at, struct buf *out, struct diag *d)
{
	if (io_reader_read_all(r, out, max_bytes))
		return true;
	io_report_read(r->name, what, r->error, at, d);
	return false;
}

bool io_read_file(const char *path, const char *what, size_t max_bytes, const struct diag_loc *at,
		  struct buf *out, struct diag *d)
{
	struct io_reader r;
	bool ok = io_open(&r, path, what, at, d) && io_read_rest(&r, what, max_bytes, at, out, d);
	io_reader_close(&r);
	return ok;
}

bool io_write_output(const char *path, const struct buf *bytes, const char *what, struct diag *d)
{
	char error[256];
	/* an output into a folder that does not exist yet makes it, as --charts DIR does */
	struct stat st;
	char *dir = strcmp(path, "-") == 0 ? NULL : path_dir_of(path);
	bool made = !dir || stat(dir, &st) == 0 || errno != ENOENT || path_make_dirs(dir, d);
	free(dir);
	if (!made)
		return false;
	if (io_write_atomic(path, bytes->data ? bytes->data : "", bytes->len, error))
		return true;
	struct diag_loc loc = source_file_loc(path);
	diag_report(d, DIAG_OUTPUT_WRITE, &loc, "cannot write %s: %s", what, error);
	return false;
}
