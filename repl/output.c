/*
 * output.c: opening and closing a command's document output, with write
 * errors (a full disk, a closed pipe) reported rather than lost, and a
 * file that is there left as it was by a command that writes nothing.
 */
#include "config.h"

#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file opened but emptied only at the first byte written: a command
 * refused before it writes (%statics --json FILE of a name not loaded)
 * leaves what the file held, and removes it if it made it. */
struct lazy {
	int fd;
	bool written;
	bool created;
	char *path;
};

static ssize_t
lazy_write(void *cookie, const char *buf, size_t n)
{
	struct lazy *l = cookie;
	size_t done = 0;

	if (!l->written) {
		struct stat st;

		/* a device or a pipe has nothing to empty */
		if (fstat(l->fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    ftruncate(l->fd, 0) != 0)
			return -1;
		l->written = true;
	}
	while (done < n) {
		ssize_t w = write(l->fd, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return done > 0 ? (ssize_t)done : -1;
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static int
lazy_close(void *cookie)
{
	struct lazy *l = cookie;
	int rc = close(l->fd);

	if (!l->written && l->created)
		unlink(l->path);
	free(l->path);
	free(l);
	return rc;
}

FILE *
output_open(struct cmd_ctx *ctx, const char *path)
{
	static const cookie_io_functions_t io = {
		.write = lazy_write, .close = lazy_close,
	};
	struct lazy *l;
	FILE *f;

	if (strcmp(path, "-") == 0)
		return ctx->out;
	l = calloc(1, sizeof *l);
	if (l == NULL || (l->path = strdup(path)) == NULL) {
		free(l);
		cmd_error(ctx, "cannot write '%s': out of memory", path);
		return NULL;
	}
	/* opened now, so that a path that cannot be written is said at once */
	l->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	l->created = l->fd >= 0;
	if (l->fd < 0 && errno == EEXIST)
		l->fd = open(path, O_WRONLY | O_CLOEXEC);
	if (l->fd < 0) {
		cmd_error(ctx, "cannot write '%s': %s", path, strerror(errno));
		free(l->path);
		free(l);
		return NULL;
	}
	f = fopencookie(l, "w", io);
	if (f == NULL) {
		cmd_error(ctx, "cannot write '%s': %s", path, strerror(errno));
		lazy_close(l);
	}
	return f;
}

FILE *
output_open_now(struct cmd_ctx *ctx, const char *path)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return ctx->out;
	f = fopen(path, "we");
	if (f == NULL)
		cmd_error(ctx, "cannot write '%s': %s", path, strerror(errno));
	return f;
}

int
output_close(struct cmd_ctx *ctx, FILE *f, const char *path)
{
	int failed = ferror(f);

	if (f == ctx->out) {
		if (fflush(f) != 0 || failed) {
			cmd_error(ctx, "writing failed: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (fclose(f) != 0 || failed) {
		cmd_error(ctx, "writing '%s' failed: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
