/*
 * bench-startup.c: time from exec to subrepl's first prompt, in a
 * pseudo-terminal as a user sees it, against `PYTHON -c pass` run to its
 * end: R rounds, each running one and then the other.
 *
 * usage: bench-startup SUBREPL PYTHON R
 * prints: one line per round, "<subrepl ms> <python ms>" (bench/run-bench
 * takes the medians, the spread and the ratio round by round)
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

/* ms until ">>> " appears on the terminal of a fresh subrepl. */
static double
to_prompt(const char *subrepl)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	char seen[8192];
	size_t len = 0;
	double t0 = now_ms(), t = -1;
	int master, status;
	pid_t pid = forkpty(&master, NULL, NULL, &ws);

	if (pid == 0) {
		execl(subrepl, "subrepl", "-q", "--no-journal", (char *)NULL);
		_exit(127);
	}
	while (now_ms() - t0 < 20000) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(master, seen + len, sizeof seen - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		seen[len] = '\0';
		if (strstr(seen, ">>> ") != NULL) {
			t = now_ms() - t0;
			break;
		}
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	close(master);
	return t;
}

static double
python_pass(const char *python)
{
	double t0 = now_ms();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(python, python, "-c", "pass", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return now_ms() - t0;
}

int
main(int argc, char **argv)
{
	int r, i;

	if (argc != 4 || (r = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: bench-startup SUBREPL PYTHON R\n");
		return 2;
	}
	for (i = 0; i < r; i++) {
		double a = to_prompt(argv[1]);
		double b = python_pass(argv[2]);

		printf("%.3f %.3f\n", a, b);
	}
	return 0;
}
