/*
 * io.c - reading inputs through zlib (plain or gzip, file or stdin) and atomic writes (io.h).
 *
 * zlib's gzdopen reads gzip data (several members too) and passes anything else through, so
 * one code path serves both. Standard input is dup()ed first so gzclose never closes fd 0.
 * gzread reports a truncated gzip stream as an error ("unexpected end of file") once the
 * data runs out; it is surfaced in reader->error, so a cut .gz never looks complete.
 *
 * Peeking keeps the bytes in r->peek and io_reader_read hands them out first; the peek buffer
 * is owned by the reader and freed by io_reader_close.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "io.h"
#include "util.h"

enum { READ_CHUNK = 256 * 1024 };

bool io_reader_open(struct io_reader *r, const char *path)
{
	memset(r, 0, sizeof *r);
	r->name = xstrdup(path);
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(r->error, sizeof r->error, "%s", strerror(errno));
		return false;
	}
	r->gz = gzdopen(fd, "rb");
	if (!r->gz) {
		close(fd);
		snprintf(r->error, sizeof r->error, "cannot set up decompression");
		return false;
	}
	gzbuffer(r->gz, READ_CHUNK);
	return true;
}

/* zlib prefixes messages with its idea of the path ("<fd:3>: "); the caller names the input. */
static void set_zlib_error(struct io_reader *r, int code, const char *message)
{
	if (code == Z_ERRNO) {
		snprintf(r->error, sizeof r->error, "%s", strerror(errno));
		return;
	}
	const char *colon = strstr(message, ": ");
	if (strncmp(message, "<fd:", 4) == 0 && colon)
		message = colon + 2;
	snprintf(r->error, sizeof r->error, "%s (gzip data)", message);
}

/* Reads straight from zlib; records errors. */
static long raw_read(struct io_reader *r, void *dst, size_t len)
{
	if (!r->gz || r->eof || len == 0)
		return 0;
	if (len > INT32_MAX)
		len = INT32_MAX;
	int n = gzread(r->gz, dst, (unsigned)len);
	if (n < 0) {
		int code;
		const char *message = gzerror(r->gz, &code);
		set_zlib_error(r, code, message);
		return -1;
	}
	r->compressed = !gzdirect(r->gz);
	if ((unsigned)n < len) {
		/* a short read is end of file, or a truncated/corrupt stream */
		int code;
		const char *message = gzerror(r->gz, &code);
		if (code != Z_OK && code != Z_STREAM_END) {
			set_zlib_error(r, code, message);
			return -1;
		}
		if (gzeof(r->gz))
			r->eof = true;
	}
	return n;
}

long io_reader_peek(struct io_reader *r, size_t want, const char **out)
{
	size_t have = r->peek_len - r->peek_pos;
	if (have < want) {
		/* compact, grow, and fill */
		if (have)
			memmove(r->peek, r->peek + r->peek_pos, have);
		r->peek_len = have;
		r->peek_pos = 0;
		r->peek = xrealloc(r->peek, want);
		while (r->peek_len < want && !r->eof) {
			long n = raw_read(r, r->peek + r->peek_len, want - r->peek_len);
			if (n < 0)
				return -1;
			if (n == 0)
				break;
			r->peek_len += (size_t)n;
		}
		have = r->peek_len;
	}
	*out = r->peek ? r->peek + r->peek_pos : "";
	return (long)(have < want ? have : want);
}

long io_reader_read(struct io_reader *r, void *dst, size_t len)
{
	size_t have = r->peek_len - r->peek_pos;
	if (have) {
		size_t n = have < len ? have : len;
		memcpy(dst, r->peek + r->peek_pos, n);
		r->peek_pos += n;
		return (long)n;
	}
	return raw_read(r, dst, len);
}

bool io_reader_read_all(struct io_reader *r, struct buf *out, size_t max_bytes)
{
	char *chunk = xmalloc(READ_CHUNK);
	size_t total = 0;
	bool ok = true;
	for (;;) {
		long n = io_reader_read(r, chunk, READ_CHUNK);
		if (n < 0) {
			ok = false;
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max_bytes) {
			snprintf(r->error, sizeof r->error,
				 "input is larger than %zu MiB, the most read into memory for one "
				 "document", max_bytes >> 20);
			ok = false;
			break;
		}
		buf_append(out, chunk, (size_t)n);
	}
	if (ok && !out->data)
		buf_append(out, "", 0);
	free(chunk);
	return ok;
}

void io_reader_close(struct io_reader *r)
{
	if (r->gz)
		gzclose(r->gz);
	r->gz = NULL;
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

bool io_write_atomic(const char *path, const void *data, size_t len, char error[256])
{
	error[0] = '\0';
	if (strcmp(path, "-") == 0) {
		if (!write_all(STDOUT_FILENO, data, len)) {
			snprintf(error, 256, "%s", strerror(errno));
			return false;
		}
		return true;
	}
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	bool ok = false;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		snprintf(error, 256, "%s", strerror(errno));
		goto out;
	}
	if (!write_all(fd, data, len) || fsync(fd) != 0) {
		snprintf(error, 256, "%s", strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(error, 256, "%s", strerror(errno));
		unlink(tmp);
		goto out;
	}
	ok = true;
out:
	free(tmp);
	return ok;
}
