/*
 * sigint.c: the SIGINT handler. It only touches sig_atomic_t flags and
 * session_interrupt, which is async-signal-safe by contract.
 */
#include "config.h"

#include "sigint.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>

static struct session *volatile target;
static volatile sig_atomic_t busy;
static volatile sig_atomic_t arrived;
static int wake[2] = { -1, -1 };   /* self-pipe: a waiting select() sees it */

static void
on_sigint(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	ssize_t n;

	(void)sig;
	(void)uc;
	arrived = 1;
	/* the kernel's is the terminal's Ctrl-C, which the host had too */
	if (busy && target != NULL && si != NULL && si->si_code == SI_KERNEL)
		session_interrupt_terminal(target);
	else if (busy && target != NULL)
		session_interrupt(target);
	if (wake[1] >= 0)
		n = write(wake[1], "", 1);
	(void)n;
	errno = saved;
}

int
sigint_fd(void)
{
	return wake[0];
}

void
sigint_install(struct session *s)
{
	struct sigaction sa;

	target = s;
	if (wake[0] < 0 && pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0)
		wake[0] = wake[1] = -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGINT, &sa, NULL);
}

struct session *
sigint_retarget(struct session *s)
{
	struct session *was = target;

	target = s;
	return was;
}

bool
sigint_arrived(void)
{
	return arrived != 0;
}

void
sigint_busy(bool b)
{
	busy = b;
}

bool
sigint_take(void)
{
	bool was = arrived != 0;
	char buf[64];

	arrived = 0;
	if (was && wake[0] >= 0) {
		while (read(wake[0], buf, sizeof buf) > 0)
			;
	}
	return was;
}

enum step_result
sigint_run_step(struct repl *r, const char *line, size_t len,
    bool *interrupted)
{
	enum step_result res;

	sigint_busy(true);
	res = line != NULL ? repl_feed(r, line, len) : repl_finish(r);
	sigint_busy(false);
	*interrupted = sigint_take();
	return res;
}
