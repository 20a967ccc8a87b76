/*
 * pause-bench.c: a session at the interactive prompt, as a user types it,
 * with a pause: subrepl runs in a pseudo-terminal; the lines of SETUP are
 * typed one at a time, each after the prompt that follows the last, then
 * nothing for PAUSE_MS (the host reads ahead for %json: repl/pause.h),
 * then the lines of TIMED the same way. What the terminal showed is
 * copied to standard output, for the caller to read the figures the
 * lines print (bench/snapshot-bench).
 *
 * usage: pause-bench SUBREPL SETUP TIMED PAUSE_MS
 */
#include "config.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-clock.h"

#define PATIENCE_MS 120000.0

static int master = -1;

/* Read until ">>> " has come after what was typed last; -1 on time out or
 * end. Everything read is copied to stdout. */
static int
to_prompt(void)
{
	static char tail[8];
	double t0 = now_ms();

	memset(tail, 0, sizeof tail);
	while (now_ms() - t0 < PATIENCE_MS) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		char buf[65536];
		ssize_t n, i;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(master, buf, sizeof buf);
		if (n <= 0)
			return -1;
		fwrite(buf, 1, (size_t)n, stdout);
		for (i = 0; i < n; i++) {
			memmove(tail, tail + 1, 3);
			tail[3] = buf[i];
			if (memcmp(tail, ">>> ", 4) == 0)
				return 0;
		}
	}
	return -1;
}

static int
type_file(const char *path)
{
	char line[4096];
	FILE *f = fopen(path, "r");
	int rc = 0;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
		size_t len = strcspn(line, "\n");

		line[len++] = '\r';
		if (write(master, line, len) != (ssize_t)len)
			rc = -1;
		else
			rc = to_prompt();
	}
	fclose(f);
	return rc;
}

int
main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 200 };
	struct timespec pause;
	int status, rc;
	long ms;
	pid_t pid;

	if (argc != 5 || (ms = atol(argv[4])) < 0) {
		fprintf(stderr, "usage: pause-bench SUBREPL SETUP TIMED PAUSE_MS\n");
		return 2;
	}
	pid = forkpty(&master, NULL, NULL, &ws);
	if (pid == 0) {
		execl(argv[1], "subrepl", "-q", "--no-journal", (char *)NULL);
		_exit(127);
	}
	rc = to_prompt();
	if (rc == 0)
		rc = type_file(argv[2]);
	pause.tv_sec = ms / 1000;
	pause.tv_nsec = ms % 1000 * 1000000L;
	nanosleep(&pause, NULL);
	if (rc == 0)
		rc = type_file(argv[3]);
	if (write(master, "%quit\r", 6) != 6)
		rc = -1;
	while (to_prompt() == 0)
		;
	waitpid(pid, &status, 0);
	close(master);
	fflush(stdout);
	return rc == 0 ? 0 : 1;
}
