/*
 * runner.c: the end-to-end harness (see runner.h). Batch runs read the
 * child's stdout and stderr from temporary files; pseudo-terminal runs keep
 * a transcript with terminal escape sequences removed, so tests match what
 * a person would read.
 */
#include "config.h"

#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "child-signals.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp_fd(int fd)
{
	char *text;
	off_t len = lseek(fd, 0, SEEK_END);

	lseek(fd, 0, SEEK_SET);
	text = calloc(1, (size_t)len + 1);
	if (len > 0 && read(fd, text, (size_t)len) != len)
		text[0] = '\0';
	return text;
}

static int
temp_fd(void)
{
	char path[] = "/tmp/subrepl-e2e-XXXXXX";
	/* close-on-exec: subrepl gets them as 0, 1 and 2 only, so its
	 * children do not inherit the test's files */
	int fd = mkostemp(path, O_CLOEXEC);

	assert_true(fd >= 0);
	unlink(path);
	return fd;
}

static const char **
full_argv(const char *const *args)
{
	size_t n = 0, i;
	const char **v;

	while (args != NULL && args[n] != NULL)
		n++;
	v = calloc(n + 2, sizeof *v);
	v[0] = "subrepl";
	for (i = 0; i < n; i++)
		v[i + 1] = args[i];
	return v;
}

int
wait_raw(pid_t pid, int timeout)
{
	double end = now() + timeout;
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (now() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("subrepl did not finish within %d s", timeout);
		}
		usleep(2000);
	}
	return status;
}

static int
wait_status(pid_t pid, int timeout)
{
	int status = wait_raw(pid, timeout);

	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void
batch_run(const char *const *args, const char *input, size_t len, int timeout,
    struct batch_result *r)
{
	int in = temp_fd(), out = temp_fd(), err = temp_fd();
	const char **argv = full_argv(args);
	pid_t pid;

	if (input != NULL && write(in, input, len) != (ssize_t)len)
		fail_msg("cannot write the input");
	lseek(in, 0, SEEK_SET);
	pid = fork();
	if (pid == 0) {
		child_signals_default();
		if (input == NULL) {
			int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

			dup2(null, 0);
		} else
			dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execv(getenv("SUBREPL"), (char *const *)argv);
		_exit(127);
	}
	free(argv);
	r->status = wait_status(pid, timeout);
	r->out = slurp_fd(out);
	r->err = slurp_fd(err);
	close(in);
	close(out);
	close(err);
}

void
batch_free(struct batch_result *r)
{
	free(r->out);
	free(r->err);
}

char *
read_text_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *text;

	if (fd < 0)
		return calloc(1, 1);
	text = slurp_fd(fd);
	close(fd);
	return text;
}

int
scratch_dir_make(char *templ)
{
	return mkdtemp(templ) != NULL ? 0 : -1;
}

int
scratch_dir_remove(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

bool
python_312(void)
{
	const char *v = getenv("PYTHON_VERSION");
	int major = 0, minor = 0;

	return v != NULL && sscanf(v, "%d.%d", &major, &minor) == 2 &&
	    (major > 3 || (major == 3 && minor >= 12));
}

int
count_lines(const char *text)
{
	int n = 0;

	for (; *text != '\0'; text++)
		n += *text == '\n';
	return n;
}

void
pty_start(struct pty_session *p, const char *const *args)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	const char **argv = full_argv(args);

	memset(p, 0, sizeof *p);
	p->seen = calloc(1, 1);
	p->pid = forkpty(&p->master, NULL, NULL, &ws);
	assert_true(p->pid >= 0);
	if (p->pid == 0) {
		child_signals_default();
		setenv("TERM", "xterm", 1);
		execv(getenv("SUBREPL"), (char *const *)argv);
		_exit(127);
	}
	free(argv);
}

void
pty_type(struct pty_session *p, const char *keys)
{
	size_t len = strlen(keys);

	while (len > 0) {
		ssize_t n = write(p->master, keys, len);

		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n > 0);
		keys += n;
		len -= (size_t)n;
	}
}

/* Append what was read, dropping escape sequences and carriage returns. */
static void
absorb(struct pty_session *p, const char *buf, size_t n)
{
	size_t i;

	p->seen = realloc(p->seen, p->len + n + 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == 0x1b) {
			/* CSI: ESC [ params final; other ESC x: two bytes */
			if (i + 1 < n && buf[i + 1] == '[') {
				i += 2;
				while (i < n && !((unsigned char)buf[i] >= 0x40 &&
				    (unsigned char)buf[i] <= 0x7e))
					i++;
			} else
				i++;
			continue;
		}
		if (c == '\r' || c == 0x07)
			continue;
		p->seen[p->len++] = (char)c;
	}
	p->seen[p->len] = '\0';
}

void
pty_expect(struct pty_session *p, size_t *from, const char *text, int timeout)
{
	double end = now() + timeout;
	char buf[4096];

	for (;;) {
		char *at = strstr(p->seen + *from, text);
		struct pollfd pf = { .fd = p->master, .events = POLLIN };
		ssize_t n;

		if (at != NULL) {
			*from = (size_t)(at - p->seen) + strlen(text);
			return;
		}
		if (now() > end)
			fail_msg("waited %d s for '%s'; the terminal showed:\n%s",
			    timeout, text, p->seen);
		if (poll(&pf, 1, 50) <= 0)
			continue;
		n = read(p->master, buf, sizeof buf);
		if (n > 0)
			absorb(p, buf, (size_t)n);
		else if (n < 0 && errno != EINTR && errno != EAGAIN)
			fail_msg("the terminal closed while waiting for '%s':\n%s",
			    text, p->seen);
	}
}

int
pty_finish(struct pty_session *p, int timeout)
{
	char buf[4096];
	int status;

	/* drain so the child never blocks writing */
	for (;;) {
		struct pollfd pf = { .fd = p->master, .events = POLLIN };
		ssize_t n;

		if (poll(&pf, 1, 100) <= 0)
			break;
		n = read(p->master, buf, sizeof buf);
		if (n <= 0)
			break;
		absorb(p, buf, (size_t)n);
	}
	status = wait_status(p->pid, timeout);
	close(p->master);
	free(p->seen);
	return status;
}
