/*
 * sigint.c: the SIGINT handler. It only touches sig_atomic_t flags and
 * session_interrupt, which is async-signal-safe by contract.
 */
#include "config.h"

#include "sigint.h"

#include <signal.h>
#include <string.h>

static struct session *target;
static volatile sig_atomic_t busy;
static volatile sig_atomic_t arrived;

static void
on_sigint(int sig)
{
	(void)sig;
	arrived = 1;
	if (busy && target != NULL)
		session_interrupt(target);
}

void
sigint_install(struct session *s)
{
	struct sigaction sa;

	target = s;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
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

	arrived = 0;
	return was;
}
