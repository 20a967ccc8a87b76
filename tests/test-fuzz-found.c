/*
 * test-fuzz-found.c: what the fuzz harnesses of tests/fuzz/ found, one test
 * a finding, through the same functions the harness called, so every build
 * tries those inputs again (`make check`, and the sanitizer build's
 * check-unit), with clang or without. Each test says which harness found
 * what; the inputs are in tests/fuzz/corpus/ too.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "journal.h"

static char dir[] = "/tmp/subrepl-fuzz-found-XXXXXX";

/* A file of the test's own directory: its path, in buf. */
static const char *
path_of(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* fuzz-journal, on its seed corpus: a host marker's outcome is "host PID"
 * as journal.h says, not " host PID". */
static void
test_host_marker_outcome(void **state)
{
	struct journal_steps steps;
	char path[256], *cause = NULL;

	(void)state;
	write_file(path_of(path, sizeof path, "host.sr"),
	    "#== host 4242\nx = 1\n#-> ok in 0\n");
	assert_int_equal(journal_read(path, &steps, &cause), 0);
	assert_int_equal(steps.n, 2);
	assert_null(steps.v[0].text);
	assert_string_equal(steps.v[0].outcome, "host 4242");
	assert_string_equal(steps.v[1].text, "x = 1");
	journal_steps_free(&steps);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char path[256];

	(void)state;
	unlink(path_of(path, sizeof path, "host.sr"));
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_marker_outcome),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
