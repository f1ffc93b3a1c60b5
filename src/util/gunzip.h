/*
 * gunzip.h - a decompressor thread that inflates gzip data (or passes anything else through)
 * ahead of its reader.
 *
 * Audience: io.c only (and, through util_test.h, the tests). Everything else reads through
 * io.h, which hides whether an input was compressed.
 *
 * Contract: gunzip_new takes a file descriptor and starts one thread that reads it, inflates
 * into a small ring of large buffers and waits when the ring is full; gunzip_read copies the
 * bytes out in order, on the caller's thread. The data is gzip when its first two bytes are
 * gzip's magic (several concatenated members too; bytes after a member that do not start
 * another are ignored, as zlib's gzread does); anything else is passed through unchanged.
 * gunzip_read and gunzip_free are called by one thread at a time (any thread, as long as the
 * calls are ordered, e.g. by the mutex of par_lines.c's workers).
 */
#ifndef PERFGATE_GUNZIP_H
#define PERFGATE_GUNZIP_H

#include <stdbool.h>
#include <stddef.h>

struct gunzip;

/*
 * Starts the decompressor thread on fd. Takes ownership of fd (closed by gunzip_free, or here
 * on failure). Returns a new decompressor owned by the caller, or NULL with the reason in
 * error when no thread could be started.
 */
struct gunzip *gunzip_new(int fd, char error[256]);

/*
 * Copies up to len bytes of the (decompressed) data to dst, waiting for the thread as needed.
 * Returns the number copied: fewer than len only at the end of the data or at an error,
 * which gunzip_error then describes.
 */
size_t gunzip_read(struct gunzip *g, void *dst, size_t len);

/*
 * After a short gunzip_read: NULL at the clean end of the data, else the reason it ended
 * ("unexpected end of file (gzip data)", an I/O error's strerror text, ...), valid until
 * gunzip_free. *truncated is set to whether the gzip data merely ended early.
 */
const char *gunzip_error(const struct gunzip *g, bool *truncated);

/* Whether the data is gzip (false: passed through). Known once gunzip_read has returned. */
bool gunzip_compressed(const struct gunzip *g);

/* Stops the thread (whether or not the data was read to the end), closes fd, frees g. NULL ok. */
void gunzip_free(struct gunzip *g);
/* How far the thread has read the compressed input (its file offset), or -1 (a pipe). */
long long gunzip_input_offset(const struct gunzip *g);

#endif
