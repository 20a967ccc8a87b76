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

#include "import.h"
#include "session.h"
#include "snapshot.h"

static struct session *S;

static interp_id
make(const char *name, enum interp_preset preset)
{
	struct interp_request req = {
		.name = name, .preset = preset,
		.own_gil = FLAG_UNSET, .own_obmalloc = FLAG_UNSET,
		.check_ext = FLAG_UNSET, .allow_fork = FLAG_UNSET,
		.allow_exec = FLAG_UNSET, .allow_threads = FLAG_UNSET,
		.allow_daemon_threads = FLAG_UNSET,
	};
	struct interp_info info;
	char *cause = NULL;

	if (session_new(S, &req, &info, &cause) != 0)
		fail_msg("creating %s: %s", name, cause);
	return info.id;
}

static void
destroy(interp_id id)
{
	char *cause = NULL;

	if (session_del(S, id, &cause) != 0)
		fail_msg("destroying %lld: %s", (long long)id, cause);
}

static void
import(const char *name, const char *path, const interp_id *ids, size_t n,
    struct import_report *r)
{
	char *cause = NULL;

	if (session_import(S, name, path, ids, n, r, &cause) != 0)
		fail_msg("import %s: %s", name, cause);
}

/* Finalizing and initializing again makes single-phase init run again. A
 * module whose re-import after that does not crash on this version:
 * 3.12.1 double-frees re-importing _testsinglephase (a finding subrepl
 * shows, not one a unit test should die of). */
static const char *
reinit_module(void)
{
	int major = 0, minor = 0;

	sscanf(session_linked_python(), "%d.%d", &major, &minor);
	return minor >= 13 ? "_testsinglephase" : "_testimportmultiple";
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
	keep = make("keep", PRESET_LEGACY);
	import(reinit_module(), NULL, &main_id, 1, r);
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
	import(reinit_module(), NULL, &main_id, 1, r);
	assert_int_equal(r[0].result, IMPORT_RAN_INIT);
	assert_int_equal(r[0].m_copy_before, 0);
	destroy(map[0].new_id);
	free(map);
}


static int
setup(void **state)
{
	char *cause = NULL;

	(void)state;
	S = session_open_inprocess(&cause);
	if (S == NULL) {
		fprintf(stderr, "cannot open a session: %s\n", cause);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	session_close(S);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reinit_runs_init_again),
	};

	return cmocka_run_group_tests_name("reinit", tests, setup, teardown);
}
