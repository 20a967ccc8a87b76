/*
 * capture.c: fd 1 and 2 into pipes, read by a thread (see capture.h).
 * The thread only reads and appends under a mutex; the console (not
 * thread-safe) is touched only by the TUI's thread in capture_take.
 */
#include "config.h"

#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"

struct capture {
	int saved[2];          /* the original fd 1 and 2 */
	int read_end[2];       /* the pipes' read ends, stdout and stderr */
	int wake[2];           /* self-pipe: output arrived */
	int stop[2];           /* self-pipe: the thread should end */
	pthread_t thread;
	pthread_mutex_t lock;
	char *buf[2];          /* arrived, not yet taken */
	size_t len[2];
};

static void *
reader(void *arg)
{
	struct capture *cap = arg;
	char chunk[16384];
	bool stopping = false;

	/* Not until EOF: a child process (say a subprocess Python started
	 * in-process) may hold the write ends long after we gave fd 1 back. */
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = cap->read_end[0], .events = POLLIN },
			{ .fd = cap->read_end[1], .events = POLLIN },
			{ .fd = stopping ? -1 : cap->stop[0], .events = POLLIN },
		};
		int i, n = poll(p, 3, stopping ? 0 : -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (stopping && n == 0))
			break;
		if (p[2].revents & POLLIN)
			stopping = true;
		for (i = 0; i < 2; i++) {
			ssize_t got;

			if (p[i].fd < 0 || (p[i].revents & (POLLIN | POLLHUP)) == 0)
				continue;
			got = read(p[i].fd, chunk, sizeof chunk);
			if (got <= 0) {
				if (got < 0 && errno == EINTR)
					continue;
				if (got == 0)
					cap->read_end[i] = -1 - cap->read_end[i];
				continue;
			}
			pthread_mutex_lock(&cap->lock);
			cap->buf[i] = xrealloc(cap->buf[i], cap->len[i] + (size_t)got);
			memcpy(cap->buf[i] + cap->len[i], chunk, (size_t)got);
			cap->len[i] += (size_t)got;
			pthread_mutex_unlock(&cap->lock);
			got = write(cap->wake[1], "", 1);
			(void)got;
		}
	}
	return NULL;
}

struct capture *
capture_start(int *tty_fd)
{
	struct capture *cap = xcalloc(1, sizeof *cap);
	int out[2], err[2];

	fflush(stdout);
	fflush(stderr);
	if (pipe2(out, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(err, O_CLOEXEC) != 0) {
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	if (pipe2(cap->wake, O_CLOEXEC | O_NONBLOCK) != 0 ||
	    pipe2(cap->stop, O_CLOEXEC) != 0) {
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		goto fail;
	}
	cap->saved[0] = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	cap->saved[1] = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	*tty_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	dup2(out[1], STDOUT_FILENO);
	dup2(err[1], STDERR_FILENO);
	close(out[1]);
	close(err[1]);
	cap->read_end[0] = out[0];
	cap->read_end[1] = err[0];
	pthread_mutex_init(&cap->lock, NULL);
	if (pthread_create(&cap->thread, NULL, reader, cap) != 0) {
		dup2(cap->saved[0], STDOUT_FILENO);
		dup2(cap->saved[1], STDERR_FILENO);
		close(*tty_fd);
		close(out[0]);
		close(err[0]);
		close(cap->saved[0]);
		close(cap->saved[1]);
		close(cap->wake[0]);
		close(cap->wake[1]);
		goto fail;
	}
	return cap;
fail:
	free(cap);
	return NULL;
}

int
capture_wake_fd(const struct capture *cap)
{
	return cap->wake[0];
}

bool
capture_take(struct capture *cap, struct console *c)
{
	char drain[256];
	bool any = false;
	int i;

	while (read(cap->wake[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&cap->lock);
	for (i = 0; i < 2; i++) {
		if (cap->len[i] > 0) {
			console_write(c, i == 0 ? STREAM_OUT : STREAM_ERR, cap->buf[i],
			    cap->len[i]);
			any = true;
		}
		free(cap->buf[i]);
		cap->buf[i] = NULL;
		cap->len[i] = 0;
	}
	pthread_mutex_unlock(&cap->lock);
	return any;
}

void
capture_settle(struct capture *cap)
{
	struct timespec tick = { 0, 1000 * 1000 };
	int i, waited, pending;

	/* what was written before now is in the pipes: wait (a little) until
	 * the reader has it all, so nothing is cut in two by a flush */
	for (waited = 0; waited < 100; waited++) {
		pending = 0;
		for (i = 0; i < 2; i++) {
			int n = 0;

			if (cap->read_end[i] >= 0 &&
			    ioctl(cap->read_end[i], FIONREAD, &n) == 0)
				pending += n;
		}
		if (pending == 0)
			return;
		nanosleep(&tick, NULL);
	}
}

void
capture_stop(struct capture *cap, struct console *c)
{
	int i;

	fflush(stdout);
	fflush(stderr);
	dup2(cap->saved[0], STDOUT_FILENO);
	dup2(cap->saved[1], STDERR_FILENO);
	i = (int)write(cap->stop[1], "", 1);
	pthread_join(cap->thread, NULL);
	capture_take(cap, c);
	for (i = 0; i < 2; i++) {
		int fd = cap->read_end[i];

		close(cap->saved[i]);
		close(fd < 0 ? -1 - fd : fd);
		close(cap->wake[i]);
		close(cap->stop[i]);
	}
	pthread_mutex_destroy(&cap->lock);
	free(cap);
}
