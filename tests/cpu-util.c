/*
 * cpu-util.c: see cpu-util.h.
 */
#include "config.h"

#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpu-util.h"

int
cpus_allowed(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 1;
	return CPU_COUNT(&set);
}

int
in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

bool
bind_to_one_cpu(void)
{
	cpu_set_t set, one;
	int i;

	CPU_ZERO(&set);
	CPU_ZERO(&one);
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return false;
	for (i = 0; i < CPU_SETSIZE && !CPU_ISSET(i, &set); i++)
		;
	CPU_SET(i, &one);
	return sched_setaffinity(0, sizeof one, &one) == 0;
}
