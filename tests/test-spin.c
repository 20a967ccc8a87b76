/*
 * test-spin.c: when another CPU is this process's to use (core/spin.h:
 * front end and host wait for each other on it, a large snapshot is merged
 * on it): only where the process may run on more than one CPU, and never
 * once a front end said the CPUs are shared (session_share_cpus, which
 * `subrepl check` uses for jobs side by side). Each case runs in a child
 * of its own: the CPU count is looked at once per process.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>

#include <cmocka.h>

#include "cpu-util.h"
#include "session.h"
#include "spin.h"

static int
spare(void)
{
	return cpu_to_spare();
}

/* Bound to the first CPU it may use. */
static int
spare_on_one_cpu(void)
{
	if (!bind_to_one_cpu())
		return 2; /* cannot tell: fail the test */
	return cpu_to_spare();
}

static int
spare_when_shared(void)
{
	session_share_cpus(true);
	return cpu_to_spare();
}

static int
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
