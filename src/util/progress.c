/*
 * progress.c - the progress line of a long input on the terminal (progress.h).
 *
 * One line on standard error, redrawn at most ten times a second once an input has been read
 * for PROGRESS_DELAY_MS (1 s): "perfgate: reading NAME: 45.2 of 500.0 MB (9 %), 612 MB/s,
 * about 1 s left", rewritten in place with a carriage return and erased to the end of the
 * line (ESC [K), and erased when the input ends or before any diagnostic is printed, so no
 * other output ever lands beside it. It is drawn only when progress_enable said so: standard
 * error is a terminal whose TERM is not "dumb", NO_COLOR is unset or empty, and the command
 * has no --quiet. The state is the process's: inputs are read one after another (the threads
 * of par_lines take turns under its read lock), and a mutex keeps a redraw and an erase apart.
 * PERFGATE_PROGRESS_DELAY_MS replaces the delay (the tests set 0, so that they need no input
 * long enough to take a second).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "util.h"

enum { PROGRESS_DELAY_MS = 1000, PROGRESS_EVERY_MS = 100, PROGRESS_NAME_MAX = 40 };

static struct {
	pthread_mutex_t lock;
	bool enabled;
	long delay_ms;
	bool reading;           /* between progress_start and progress_end */
	bool shown;             /* the line is on the terminal */
	char name[PROGRESS_NAME_MAX + 4];
	long long total;        /* bytes, or -1 when unknown */
	long long done;
	double started_ms, drawn_ms;
} state = {.lock = PTHREAD_MUTEX_INITIALIZER, .total = -1};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

bool progress_wanted(bool quiet)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	return !quiet && isatty(STDERR_FILENO) && !(no_color && no_color[0]) &&
	       !(term && strcmp(term, "dumb") == 0);
}

void progress_enable(bool on)
{
	pthread_mutex_lock(&state.lock);
	state.enabled = on;
	const char *delay = getenv("PERFGATE_PROGRESS_DELAY_MS");
	char *end = NULL;
	long ms = delay ? strtol(delay, &end, 10) : -1;
	state.delay_ms = delay && *delay && end && !*end && ms >= 0 ? ms : PROGRESS_DELAY_MS;
	pthread_mutex_unlock(&state.lock);
}

/* Erases the line; the lock is held. */
static void erase_locked(void)
{
	if (!state.shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	state.shown = false;
}

void progress_start(const char *name, long long total)
{
	pthread_mutex_lock(&state.lock);
	erase_locked();
	state.reading = state.enabled;
	size_t len = strlen(name);
	if (len > PROGRESS_NAME_MAX) /* the end of a long path tells more than its start */
		snprintf(state.name, sizeof state.name, "...%s", name + len - PROGRESS_NAME_MAX);
	else
		snprintf(state.name, sizeof state.name, "%s", name);
	state.total = total;
	state.done = 0;
	state.started_ms = state.reading ? now_ms() : 0;
	state.drawn_ms = 0;
	pthread_mutex_unlock(&state.lock);
}

/* "45.2 MB": bytes in decimal megabytes, one decimal. */
static void megabytes(char *out, size_t size, double bytes)
{
	snprintf(out, size, "%.1f MB", bytes / 1e6);
}

/* Draws the line; the lock is held. */
static void draw_locked(double now)
{
	double seconds = (now - state.started_ms) / 1e3;
	double rate = seconds > 0 ? (double)state.done / seconds : 0;
	char done[32], total[32], speed[32], line[256];
	megabytes(done, sizeof done, (double)state.done);
	megabytes(speed, sizeof speed, rate);
	if (state.total > 0) {
		megabytes(total, sizeof total, (double)state.total);
		double share = 100.0 * (double)state.done / (double)state.total;
		long long left = state.total - state.done;
		double eta = rate > 0 && left > 0 ? (double)left / rate : 0;
		snprintf(line, sizeof line,
			 "perfgate: reading %s: %.1f of %s (%.0f %%), %s/s, about %.0f s left",
			 state.name, (double)state.done / 1e6, total, share > 100 ? 100 : share,
			 speed, eta + 0.5);
	} else {
		snprintf(line, sizeof line, "perfgate: reading %s: %s, %s/s", state.name, done,
			 speed);
	}
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	state.shown = true;
	state.drawn_ms = now;
}

void progress_advance(long long done)
{
	pthread_mutex_lock(&state.lock); /* once a read of 128 KiB or more: cheap */
	if (state.reading) {
		state.done = done;
		double now = now_ms();
		if (now - state.started_ms >= (double)state.delay_ms &&
		    (!state.shown || now - state.drawn_ms >= PROGRESS_EVERY_MS))
			draw_locked(now);
	}
	pthread_mutex_unlock(&state.lock);
}

void progress_end(void)
{
	pthread_mutex_lock(&state.lock);
	erase_locked();
	state.reading = false;
	pthread_mutex_unlock(&state.lock);
}

void progress_erase(void)
{
	pthread_mutex_lock(&state.lock);
	erase_locked();
	pthread_mutex_unlock(&state.lock);
}
