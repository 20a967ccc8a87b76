/*
 * spin.c: whether another CPU is ours, and starting a thread on it (see
 * spin.h).
 */
#include "config.h"

#include "spin.h"

#include <sched.h>
#include <signal.h>

#include "session.h"

static bool shared;

void
session_share_cpus(bool share)
{
	shared = share;
}

bool
cpu_to_spare(void)
{
	static int cpus; /* 0: not looked at yet */

	if (shared)
		return false;
	if (cpus == 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		cpus = sched_getaffinity(0, sizeof set, &set) == 0 ?
		    CPU_COUNT(&set) : 1;
	}
	return cpus > 1;
}

int
helper_start(pthread_t *thread, void *(*run)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	/* the thread inherits the mask it is created with */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGABRT);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(thread, NULL, run, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
