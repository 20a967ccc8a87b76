/*
 * child-signals.h: what a test does in a child before it execs subrepl.
 * A test run under nohup (or by a harness that ignores or blocks signals)
 * hands that on to every child, and subrepl rightly keeps an ignored
 * SIGHUP ignored; tests that send signals, or count on their defaults,
 * start subrepl as a login shell would instead.
 */
#ifndef SUBREPL_TESTS_CHILD_SIGNALS_H
#define SUBREPL_TESTS_CHILD_SIGNALS_H

#include <signal.h>

static inline void
child_signals_default(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE,
	    SIGCHLD, SIGUSR1, SIGUSR2 };
	sigset_t none;
	size_t i;

	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

#endif
