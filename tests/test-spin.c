/*
 * test-spin.c: when another CPU is this process's to use (core/spin.h:
 * front end and host wait for each other on it, a large snapshot is merged
 * on it): only where the process may run on more than one CPU, and never
 * once a front end said the CPUs are shared (session_share_cpus, which
 * `subrepl check` uses for jobs side by side). Each case runs in a child
 * of its own: the CPU count is looked at once per process.
 */
#include "config.h"

#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "session.h"
#include "spin.h"

/* How many CPUs this process may run on. */
static int
cpus_allowed(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 1;
	return CPU_COUNT(&set);
}

/* Run fn in a child; its exit status is fn's answer (0 false, 1 true). */
static int
in_child(bool (*fn)(void))
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn() ? 1 : 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static bool
spare(void)
{
	return cpu_to_spare();
}

/* Bound to the first CPU it may use. */
static bool
spare_on_one_cpu(void)
{
	cpu_set_t set, one;
	int i;

	CPU_ZERO(&set);
	CPU_ZERO(&one);
	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return true; /* cannot tell: fail the test */
	for (i = 0; i < CPU_SETSIZE && !CPU_ISSET(i, &set); i++)
		;
	CPU_SET(i, &one);
	if (sched_setaffinity(0, sizeof one, &one) != 0)
		return true;
	return cpu_to_spare();
}

static bool
spare_when_shared(void)
{
	session_share_cpus(true);
	return cpu_to_spare();
}

static bool
spare_when_not_shared_again(void)
{
	session_share_cpus(true);
	(void)cpu_to_spare();
	session_share_cpus(false);
	return cpu_to_spare();
}

static void
test_spare_with_more_than_one_cpu(void **state)
{
	(void)state;
	if (cpus_allowed() < 2)
		skip();
	assert_int_equal(in_child(spare), 1);
}

static void
test_never_on_one_cpu(void **state)
{
	(void)state;
	assert_int_equal(in_child(spare_on_one_cpu), 0);
}

static void
test_never_when_shared(void **state)
{
	(void)state;
	assert_int_equal(in_child(spare_when_shared), 0);
}

static void
test_not_shared_again(void **state)
{
	(void)state;
	if (cpus_allowed() < 2)
		skip();
	assert_int_equal(in_child(spare_when_not_shared_again), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spare_with_more_than_one_cpu),
		cmocka_unit_test(test_never_on_one_cpu),
		cmocka_unit_test(test_never_when_shared),
		cmocka_unit_test(test_not_shared_again),
	};

	return cmocka_run_group_tests_name("spin", tests, NULL, NULL);
}
