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
#include <jansson.h>

#include "journal.h"
#include "protocol.h"
#include "wire-codec.h"

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

/* fuzz-repl-feed, whose journal must give back every line it was given
 * (input tests/fuzz/corpus/repl-feed/crash-journal-marker): a line of a
 * statement that looks like a marker ("#-> ..." or "#== host ..." at
 * column 0: a comment in a block, a line of a string) was read back as
 * one, so %replay, %save, %restart --replay and %export cut the statement
 * short or dropped it. */
static const char *const marker_lines[] = {
	"s = '''",
	"#-> not an outcome",
	"#== host not a host",
	"##-> two hashes",
	"#->no space: never a marker",
	"'''",
};

static void
test_marker_lines_come_back(void **state)
{
	struct journal_steps steps, again;
	struct journal *j;
	char path[256], saved[256], want[256] = "", *cause = NULL;
	size_t i, n = sizeof marker_lines / sizeof marker_lines[0];
	FILE *f;

	(void)state;
	for (i = 0; i < n; i++) {
		strcat(want, marker_lines[i]);
		if (i + 1 < n)
			strcat(want, "\n");
	}
	/* as the REPL journals it */
	path_of(path, sizeof path, "marker.sr");
	j = journal_open(path, "3.12.1", &cause);
	assert_non_null(j);
	journal_host(j, 7);
	for (i = 0; i < n; i++)
		journal_line(j, marker_lines[i], strlen(marker_lines[i]));
	journal_outcome(j, "ok in 0");
	journal_line(j, "print(len(s))", 13);
	journal_outcome(j, "ok in 0");
	journal_close(j);
	assert_int_equal(journal_read(path, &steps, &cause), 0);
	assert_int_equal(steps.n, 3);
	assert_string_equal(steps.v[0].outcome, "host 7");
	assert_string_equal(steps.v[1].text, want);
	assert_string_equal(steps.v[1].outcome, "ok in 0");
	assert_string_equal(steps.v[2].text, "print(len(s))");

	/* as %save writes it, read by %replay */
	f = fopen(path_of(saved, sizeof saved, "saved.sr"), "w");
	assert_non_null(f);
	journal_write_text(f, steps.v[1].text);
	fputs("#-> ok in 0\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(journal_read(saved, &again, &cause), 0);
	assert_int_equal(again.n, 1);
	assert_string_equal(again.v[0].text, want);
	journal_steps_free(&again);
	journal_steps_free(&steps);
}

/* fuzz-proto and fuzz-snapshot, whose decoded messages must encode again
 * (inputs tests/fuzz/corpus/{proto,wire,snapshot}/crash-*-cut-in-utf8):
 * text longer than its buffer (a hello's version, an interpreter's name)
 * was cut at a byte count, splitting a character, and what the decoder
 * gave back was no longer UTF-8. The cut now falls before the character. */
static void
test_text_cut_at_a_character(void **state)
{
	char hello[128], snap[512], want[64], *cause = NULL;
	struct proto_call c;
	struct snapshot *s;
	json_t *msg, *o;
	int i;

	(void)state;
	/* "3." and 16 times U+00E9: 34 bytes for a 32-byte buffer */
	snprintf(hello, sizeof hello, "{\"ok\": true, \"v\": 1, \"pid\": 1, "
	    "\"version\": \"3.%s\", \"build\": \"b\", \"has_config\": true}",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	msg = json_loads(hello, 0, NULL);
	assert_non_null(msg);
	memset(&c, 0, sizeof c);
	assert_int_equal(proto_decode(proto_ops[OP_HELLO].results, msg, &c,
	    &cause), 0);
	strcpy(want, "3.");
	for (i = 0; i < 14; i++)
		strcat(want, "\xc3\xa9");
	assert_string_equal(c.python, want);
	o = json_object();
	assert_int_equal(proto_encode(proto_ops[OP_HELLO].results, &c, o), 0);
	json_decref(o);
	json_decref(msg);

	/* "a" and 16 times U+00E9: 33 bytes for 32 and a NUL */
	snprintf(snap, sizeof snap, "{\"python\": {\"version\": \"3.12.1\"}, "
	    "\"interpreters\": [{\"id\": 0, \"name\": \"a%s\", "
	    "\"current\": true, \"modules\": 1, \"config\": {\"preset\": \"legacy\", "
	    "\"own_gil\": false, \"own_obmalloc\": false, "
	    "\"check_multi_interp_extensions\": false, \"allow_fork\": true, "
	    "\"allow_exec\": true, \"allow_threads\": true, "
	    "\"allow_daemon_threads\": true}}], \"modules\": []}",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	s = codec_snapshot_parse(snap, strlen(snap), &cause);
	assert_non_null(s);
	strcpy(want, "a");
	for (i = 0; i < 15; i++)
		strcat(want, "\xc3\xa9");
	assert_string_equal(s->interps[0].name, want);
	snapshot_free(s);
}

/* Found by the snapshot target once lookups searched by halves: a
 * snapshot whose JSON lists modules and instances out of order (no host
 * writes one) is put in order as it is parsed, so every row, instance
 * and object is found. */
static void
test_unsorted_snapshot_is_put_in_order(void **state)
{
	static const char text[] = "{\"python\": {\"version\": \"3.12.1\"}, "
	    "\"interpreters\": [], \"modules\": ["
	    "{\"name\": \"zeta\", \"kind\": \"python\", \"m_size\": null, "
	    "\"file\": null, \"multiple_interpreters\": null, \"gil\": null, \"instances\": ["
	    "{\"interp\": 7, \"module\": \"0x10\", \"dict\": \"0x20\", "
	    "\"def\": null, \"m_copy\": null, \"m_copy_size\": null, "
	    "\"from_m_copy\": false}, "
	    "{\"interp\": 2, \"module\": \"0x30\", \"dict\": \"0x40\", "
	    "\"def\": null, \"m_copy\": null, \"m_copy_size\": null, "
	    "\"from_m_copy\": false}], \"attributes\": ["
	    "{\"name\": \"x\", \"type\": \"int\", \"sharing\": \"distinct\", "
	    "\"static_in\": null, \"owner\": null, \"objects\": ["
	    "{\"interp\": 7, \"addr\": \"0x50\"}, "
	    "{\"interp\": 2, \"addr\": \"0x60\"}]}]}, "
	    "{\"name\": \"alpha\", \"kind\": \"python\", \"m_size\": null, "
	    "\"file\": null, \"multiple_interpreters\": null, \"gil\": null, \"instances\": [], \"attributes\": []}]}";
	struct snapshot *s;
	const struct snap_module *m;
	char *cause = NULL;

	(void)state;
	s = codec_snapshot_parse(text, strlen(text), &cause);
	if (s == NULL)
		fail_msg("%s", cause);
	assert_string_equal(s->modules[0].name, "alpha");
	m = snapshot_module(s, "zeta");
	assert_non_null(m);
	assert_non_null(snapshot_module(s, "alpha"));
	assert_int_equal(snap_module_instance(m, 7)->module, 0x10);
	assert_int_equal(snap_module_instance(m, 2)->module, 0x30);
	assert_int_equal(snap_attr_object(&m->attrs[0], 2)->addr, 0x60);
	assert_int_equal(snap_attr_object(&m->attrs[0], 7)->addr, 0x50);
	snapshot_free(s);
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
	unlink(path_of(path, sizeof path, "marker.sr"));
	unlink(path_of(path, sizeof path, "saved.sr"));
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_marker_outcome),
		cmocka_unit_test(test_marker_lines_come_back),
		cmocka_unit_test(test_text_cut_at_a_character),
		cmocka_unit_test(test_unsorted_snapshot_is_put_in_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
