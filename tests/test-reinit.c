/*
 * test-reinit.c: %reinit in the engine: after Py_FinalizeEx and a new
 * initialization the interpreters come back by name and config, and a
 * single-phase module's init runs again (its m_copy went with the old
 * runtime). A process of its own, because some Pythons cannot finalize
 * after other test modules were imported (3.12.1 and _testsinglephase).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "session-util.h"

/* Finalizing and initializing again makes single-phase init run again. A
 * module whose re-import after that does not crash on this version:
 * 3.12.1 double-frees re-importing _testsinglephase (a finding subrepl
 * shows, not one a unit test should die of). */
static const char *
reinit_module(void)
{
	return python_minor() >= 13 ? "_testsinglephase" : "_testimportmultiple";
}

static void
test_reinit_runs_init_again(void **state)
{
	struct import_report r[1];
	struct reinit_map *map = NULL;
	struct interp_info *v;
	interp_id main_id = 0, keep;
	char *cause = NULL;
	size_t n = 0, count, i;
	bool found = false;

	(void)state;
	keep = util_make("keep", PRESET_LEGACY);
	util_import(reinit_module(), NULL, &main_id, 1, r);
	assert_true(r[0].result == IMPORT_RAN_INIT || r[0].result == IMPORT_ALREADY);
	assert_int_equal(session_use(S, keep, &cause), 0);

	assert_int_equal(session_reinit(S, &map, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(map[0].old_id, keep);
	assert_true(map[0].new_id != INTERP_NONE);
	/* the interpreter is back, by name, and still current */
	assert_int_equal(session_current(S), map[0].new_id);
	assert_int_equal(session_list(S, &v, &count, &cause), 0);
	assert_int_equal(count, 2);
	for (i = 0; i < count; i++)
		found |= strcmp(v[i].name, "keep") == 0;
	assert_true(found);
	free(v);

	/* m_copy was cleared with the runtime: init runs again */
	util_import(reinit_module(), NULL, &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_RAN_INIT);
	assert_int_equal(r[0].m_copy_before, 0);
	util_destroy(map[0].new_id);
	free(map);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reinit_runs_init_again),
	};

	return cmocka_run_group_tests_name("reinit", tests, util_setup, util_teardown);
}
