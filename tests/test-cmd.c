/*
 * test-cmd.c: the command language without a terminal: the tokenizer, the
 * command table and its lookup, argument checking with the exact one-line
 * errors users see, input checks, how lines become steps, and completion
 * candidates. Commands run against a real in-process session.
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

#include "cmd-parse.h"
#include "cmd.h"
#include "complete.h"
#include "input.h"
#include "repl.h"
#include "session-util.h"
#include "xmalloc.h"

/* ---------------------------------------------------------------- words */

static void
test_words_plain(void **state)
{
	struct cmd_words w;
	char *cause = NULL;

	(void)state;
	assert_int_equal(cmd_words_split("  a  bb\tccc ", -1, &w, &cause), 0);
	assert_int_equal(w.argc, 3);
	assert_string_equal(w.argv[0], "a");
	assert_string_equal(w.argv[1], "bb");
	assert_string_equal(w.argv[2], "ccc");
	assert_null(w.argv[3]);
	assert_null(w.raw);
	cmd_words_free(&w);
	assert_int_equal(cmd_words_split("", -1, &w, &cause), 0);
	assert_int_equal(w.argc, 0);
	cmd_words_free(&w);
}

static void
test_words_quoting(void **state)
{
	struct cmd_words w;
	char *cause = NULL;

	(void)state;
	assert_int_equal(cmd_words_split("'a b' \"c \\\"d\\\"\" e\\ f 'x\\y' \"\"",
	    -1, &w, &cause), 0);
	assert_int_equal(w.argc, 5);
	assert_string_equal(w.argv[0], "a b");
	assert_string_equal(w.argv[1], "c \"d\"");
	assert_string_equal(w.argv[2], "e f");
	assert_string_equal(w.argv[3], "x\\y");
	assert_string_equal(w.argv[4], "");
	cmd_words_free(&w);

	assert_int_equal(cmd_words_split("a 'open", -1, &w, &cause), -1);
	assert_string_equal(cause, "unterminated single quote: close it with '");
	free(cause);
	assert_int_equal(cmd_words_split("\"open", -1, &w, &cause), -1);
	assert_string_equal(cause, "unterminated double quote: close it with \"");
	free(cause);
}

static void
test_words_raw_tail(void **state)
{
	struct cmd_words w;
	char *cause = NULL;

	(void)state;
	assert_int_equal(cmd_words_split("worker   print('a  b'); x = \"q\"", 1,
	    &w, &cause), 0);
	assert_int_equal(w.argc, 1);
	assert_string_equal(w.argv[0], "worker");
	assert_string_equal(w.raw, "print('a  b'); x = \"q\"");
	cmd_words_free(&w);
	assert_int_equal(cmd_words_split("  1 + 1", 0, &w, &cause), 0);
	assert_int_equal(w.argc, 0);
	assert_string_equal(w.raw, "1 + 1");
	cmd_words_free(&w);
}

static void
test_split_name(void **state)
{
	const char *rest;
	char *name;

	(void)state;
	assert_true(cmd_is_command("%new"));
	assert_true(cmd_is_command("   %new"));
	assert_false(cmd_is_command("x % 2"));
	assert_false(cmd_is_command(""));
	cmd_split_name("  %use   worker ", &name, &rest);
	assert_string_equal(name, "use");
	assert_string_equal(rest, "worker ");
	free(name);
	cmd_split_name("%", &name, &rest);
	assert_string_equal(name, "");
	assert_string_equal(rest, "");
	free(name);
}

/* ---------------------------------------------------------------- table */

static enum cmd_status
noop(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	(void)ctx;
	(void)args;
	return CMD_NORMAL;
}

static const struct cmd_entry fake_del = { .name = "del", .exec = noop };
static const struct cmd_entry fake_diff = { .name = "diff", .exec = noop };
static const struct cmd_entry fake_dot = { .name = "dot", .alias = "d", .exec = noop };
static const struct cmd_entry *const fake_table[] = {
	&fake_del, &fake_diff, &fake_dot, NULL,
};

static void
test_find(void **state)
{
	char *cause = NULL;

	(void)state;
	assert_ptr_equal(cmd_find("new", &cause), &cmd_new_entry);
	assert_ptr_equal(cmd_find("ls", &cause), &cmd_list_entry);
	assert_ptr_equal(cmd_find("exit", &cause), &cmd_quit_entry);
	assert_ptr_equal(cmd_find("q", &cause), &cmd_quit_entry);
	assert_ptr_equal(cmd_find("he", &cause), &cmd_help_entry);

	assert_null(cmd_find("frobnicate", &cause));
	assert_string_equal(cause, "unknown command '%frobnicate' (type %help for the list)");
	free(cause);
	assert_null(cmd_find("lst", &cause));
	assert_string_equal(cause, "unknown command '%lst': did you mean %list? (type %help for the list)");
	free(cause);
	assert_null(cmd_find("", &cause));
	assert_non_null(strstr(cause, "a command name must follow '%'"));
	free(cause);

	/* unique prefixes, and an alias beats an ambiguous prefix */
	assert_ptr_equal(cmd_find_in(fake_table, "de", &cause), &fake_del);
	assert_ptr_equal(cmd_find_in(fake_table, "di", &cause), &fake_diff);
	assert_ptr_equal(cmd_find_in(fake_table, "do", &cause), &fake_dot);
	assert_ptr_equal(cmd_find_in(fake_table, "d", &cause), &fake_dot);
	assert_null(cmd_find_in(fake_table, "dx", &cause));
	free(cause);
}

static void
test_find_ambiguous_lists_all(void **state)
{
	static const struct cmd_entry a = { .name = "dump", .exec = noop };
	static const struct cmd_entry b = { .name = "del", .exec = noop };
	static const struct cmd_entry c = { .name = "diff", .exec = noop };
	static const struct cmd_entry *const t[] = { &a, &b, &c, NULL };
	char *cause = NULL;

	(void)state;
	assert_null(cmd_find_in(t, "d", &cause));
	assert_string_equal(cause, "ambiguous command '%d', could be: %dump, %del, %diff");
	free(cause);
}

static void
test_table_is_consistent(void **state)
{
	const struct cmd_entry *const *e, *const *f;
	const char *const *o;
	char want[32];

	(void)state;
	for (e = cmd_table; *e != NULL; e++) {
		assert_non_null((*e)->name);
		assert_non_null((*e)->exec);
		assert_non_null((*e)->summary);
		assert_non_null((*e)->help);
		snprintf(want, sizeof want, "%%%s", (*e)->name);
		assert_int_equal(strncmp((*e)->usage, want, strlen(want)), 0);
		for (o = (*e)->options; o != NULL && *o != NULL; o++)
			assert_int_equal(strncmp(*o, "--", 2), 0);
		for (f = e + 1; *f != NULL; f++) {
			assert_string_not_equal((*e)->name, (*f)->name);
			if ((*e)->alias != NULL)
				assert_string_not_equal((*e)->alias, (*f)->name);
		}
	}
}

/* ------------------------------------------------------------ execution */

struct run {
	struct repl repl;
	char *out, *err;
	size_t outlen, errlen;
};

/* Feed lines (separated by '\n') to a fresh REPL on the shared session,
 * collecting its output and errors. */
static void
run_lines(struct run *r, const char *text)
{
	const char *p = text, *nl;

	memset(r, 0, sizeof *r);
	repl_init(&r->repl, S);
	r->repl.out = open_memstream(&r->out, &r->outlen);
	r->repl.err = open_memstream(&r->err, &r->errlen);
	r->repl.batch_rules = true;
	while (*p != '\0' && !r->repl.quit) {
		nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		repl_feed(&r->repl, p, len);
		p += len + (nl != NULL ? 1 : 0);
	}
	repl_finish(&r->repl);
	fclose(r->repl.out);
	fclose(r->repl.err);
}

static void
run_free(struct run *r)
{
	repl_free(&r->repl);
	free(r->out);
	free(r->err);
}

/* The error one command line gives, which must be exactly one line. */
static void
expect_error(const char *line, const char *want)
{
	struct run r;

	run_lines(&r, line);
	if (strcmp(r.err, want) != 0)
		fail_msg("%s: want error '%s', got '%s'", line, want, r.err);
	assert_int_equal(r.repl.failures > 0, 1);
	run_free(&r);
}

static void
test_argument_errors(void **state)
{
	(void)state;
	expect_error("%use", "%use: missing argument (usage: %use ID|NAME)\n");
	expect_error("%use a b", "%use: too many arguments: 'b' is one too many (usage: %use ID|NAME)\n");
	expect_error("%list x", "%list: takes no arguments, got 'x' (usage: %list)\n");
	expect_error("%list --long", "%list: unknown option '--long': this command takes none (usage: %list)\n");
	expect_error("%new --bogus", "%new: unknown option '--bogus' (options: --legacy, --isolated, --own-gil, --shared-gil, --own-obmalloc, --shared-obmalloc, --check-ext, --no-check-ext, --fork, --no-fork, --exec, --no-exec, --threads, --no-threads, --daemon-threads, --no-daemon-threads)\n");
	expect_error("%new --legacy --isolated", "%new: --isolated and --legacy contradict each other: choose one\n");
	expect_error("%use wrker", "%use: no interpreter named 'wrker' (have: main)\n");
	expect_error("%del 0", "%del: the main interpreter cannot be destroyed (%quit ends the session)\n");
	expect_error("%exec 0", "%exec: missing code to run (usage: %exec ID|NAME CODE)\n");
	expect_error("%exec 0 def f():", "%exec: incomplete input: give a whole statement on one line (join statements with ';')\n");
	expect_error("%all", "%all: missing code to run (usage: %all CODE)\n");
	expect_error("%quit 300", "%quit: invalid exit status '300': give a number from 0 to 255\n");
	expect_error("%help nothing", "%help: unknown command '%nothing' (type %help for the list)\n");
	expect_error("%use 'x", "%use: unterminated single quote: close it with '\n");
	expect_error("%new 12", "%new: invalid name '12': a name cannot be all digits (those are interpreter ids)\n");
}

static void
test_duplicate_name_is_one_line(void **state)
{
	struct run r;

	(void)state;
	run_lines(&r, "%new twice\n%new twice\n%del twice");
	assert_int_equal(strncmp(r.err, "%new: an interpreter named 'twice' "
	    "already exists (id ", 52), 0);
	assert_non_null(strstr(r.err, ")\n"));
	assert_int_equal(strchr(r.err, '\n')[1], '\0'); /* one line */
	run_free(&r);
}

/* The line of text that contains needle. */
static char *
line_with(const char *text, const char *needle)
{
	const char *p = strstr(text, needle), *start, *end;

	if (p == NULL)
		fail_msg("'%s' not in '%s'", needle, text);
	start = p;
	while (start > text && start[-1] != '\n')
		start--;
	end = strchr(p, '\n');
	return strndup(start, end != NULL ? (size_t)(end - start) : strlen(start));
}

static void
test_errors_name_the_line_in_batch(void **state)
{
	struct run r;

	(void)state;
	memset(&r, 0, sizeof r);
	run_lines(&r, "x = 1\n%nope");
	assert_string_equal(r.err, "unknown command '%nope' (type %help for the list)\n");
	run_free(&r);
	/* with a source name, errors say where */
	memset(&r, 0, sizeof r);
	repl_init(&r.repl, S);
	r.repl.source = "script";
	r.repl.out = open_memstream(&r.out, &r.outlen);
	r.repl.err = open_memstream(&r.err, &r.errlen);
	repl_feed(&r.repl, "x = 1", 5);
	repl_feed(&r.repl, "%use nobody", 11);
	fclose(r.repl.out);
	fclose(r.repl.err);
	assert_string_equal(r.err, "script:2: %use: no interpreter named 'nobody' (have: main)\n");
	run_free(&r);
}

static void
test_commands_work(void **state)
{
	struct run r;
	const char *last;
	char *line;

	(void)state;
	run_lines(&r, "%new a\nx = 1\n%new b\nassert 'x' not in globals()\n%use a\n"
	    "%list\n%exec b y = 2\n%exec b assert y == 2\n%del a b\n%list");
	assert_string_equal(r.err, "");
	assert_int_equal(r.repl.failures, 0);
	/* the output of Python went to fd 1, the tables to the memstream */
	assert_non_null(strstr(r.out, "NAME"));
	line = line_with(r.out, "  a  ");
	assert_int_equal(strncmp(line, " * ", 3), 0);
	assert_non_null(strstr(line, "legacy"));
	free(line);
	line = line_with(r.out, "  b  ");
	assert_int_equal(strncmp(line, "   ", 3), 0);
	free(line);
	/* after %del, only main is left, and it is current */
	for (last = r.out; strstr(last + 1, "ID  NAME") != NULL;)
		last = strstr(last + 1, "ID  NAME");
	line = line_with(last, " 0  main");
	assert_int_equal(strncmp(line, " *   0  main", 12), 0);
	free(line);
	assert_int_equal(session_current(S), 0);
	run_free(&r);
}

static void
test_help_reads_the_table(void **state)
{
	struct run r;
	const struct cmd_entry *const *e;
	char want[64];

	(void)state;
	run_lines(&r, "%help");
	for (e = cmd_table; *e != NULL; e++) {
		snprintf(want, sizeof want, "%%%-8s %s", (*e)->name, (*e)->summary);
		assert_non_null(strstr(r.out, want));
	}
	run_free(&r);
	run_lines(&r, "%help %new");
	assert_non_null(strstr(r.out, cmd_new_entry.usage));
	assert_non_null(strstr(r.out, "--own-obmalloc"));
	run_free(&r);
}

static void
test_quit(void **state)
{
	struct run r;

	(void)state;
	run_lines(&r, "%quit 3\nprint('not reached')");
	assert_true(r.repl.quit);
	assert_int_equal(repl_exit_status(&r.repl), 3);
	run_free(&r);
	run_lines(&r, "%nope\n%quit");
	assert_int_equal(repl_exit_status(&r.repl), 1);
	run_free(&r);
}

/* Every spelling that finds a command: its name, its alias, and each
 * prefix of its name that is unique in the table. */
static size_t
spellings(const struct cmd_entry *e, char out[][32], size_t max)
{
	const struct cmd_entry *found;
	size_t n = 0, len;
	char *cause = NULL;

	for (len = 1; len <= strlen(e->name) && n < max; len++) {
		snprintf(out[n], 32, "%.*s", (int)len, e->name);
		found = cmd_find(out[n], &cause);
		free(cause);
		cause = NULL;
		if (found == e)
			n++;
	}
	if (e->alias != NULL && n < max)
		snprintf(out[n++], 32, "%s", e->alias);
	return n;
}

/* What a replay does with a command line is the table's CMD_NO_REPLAY,
 * however the command is spelled: "%q" is %quit, and is passed over. */
static void
test_replay_follows_the_table(void **state)
{
	const struct cmd_entry *const *e;
	char spelled[16][32], script[] = "/tmp/subrepl-replay-XXXXXX";
	char line[128], *text;
	size_t n, i;
	int fd, skipped = 0;
	struct run r;

	(void)state;
	fd = mkstemp(script);
	assert_true(fd >= 0);
	close(fd);
	for (e = cmd_table; *e != NULL; e++) {
		n = spellings(*e, spelled, 16);
		assert_true(n >= 1);
		for (i = 0; i < n; i++) {
			bool skips = ((*e)->traits & CMD_NO_REPLAY) != 0;
			FILE *f;

			snprintf(line, sizeof line, "  %%%s /nonexistent/x", spelled[i]);
			assert_int_equal(cmd_line_skipped_by_replay(line), skips);
			if (!skips)
				continue;
			/* run it for real: a skipped line must leave no trace */
			f = fopen(script, "w");
			assert_non_null(f);
			/* as a journal, and as a plain script */
			if (i % 2 == 0)
				fprintf(f, "x = 1\n#-> ok in 0\n%s\n#-> ok in 0\n"
				    "x = 2\n#-> ok in 0\n", line);
			else
				fprintf(f, "x = 1\n%s\nx = 2\n", line);
			fclose(f);
			text = xasprintf("%%replay %s\nassert x == 2", script);
			run_lines(&r, text);
			free(text);
			if (r.repl.quit || r.repl.failures != 0 || r.err[0] != '\0')
				fail_msg("replaying '%s' ran it: quit %d, failures %d, "
				    "errors '%s'", line, r.repl.quit, r.repl.failures,
				    r.err);
			run_free(&r);
			skipped++;
		}
	}
	unlink(script);
	/* %quit, %restart, %replay, %save and their prefixes at least */
	assert_true(skipped >= 4);
	assert_true(cmd_line_skipped_by_replay("%q"));
	assert_true(cmd_line_skipped_by_replay("%exit 3"));
	assert_true(cmd_line_skipped_by_replay("%resta"));
	assert_true(cmd_line_skipped_by_replay("%repl x"));
	assert_true(cmd_line_skipped_by_replay("%sa f"));
	assert_false(cmd_line_skipped_by_replay("%li"));
	assert_false(cmd_line_skipped_by_replay("%re"));  /* ambiguous */
	assert_false(cmd_line_skipped_by_replay("q = 1"));
}

static void
test_batch_rule_closes_blocks(void **state)
{
	struct run r;

	(void)state;
	run_lines(&r, "def f():\n    return 41\nv = f() + 1\nif v == 42:\n    w = 1\n"
	    "else:\n    w = 2\n%exec 0 assert w == 1 and v == 42");
	assert_string_equal(r.err, "");
	assert_int_equal(r.repl.failures, 0);
	run_free(&r);
	/* a block still open at the end of input runs, an open bracket fails */
	run_lines(&r, "for i in range(2):\n    z = i");
	assert_int_equal(r.repl.failures, 0);
	run_free(&r);
	run_lines(&r, "q = [1,\n");
	assert_string_equal(r.err, "unexpected end of input: the statement begun at line 1 is not complete\n");
	run_free(&r);
}

static void
test_prompts(void **state)
{
	struct repl r;
	char buf[96], want[96];

	(void)state;
	repl_init(&r, S);
	repl_prompt(&r, buf, sizeof buf);
	assert_string_equal(buf, "[0 main]>>> ");
	repl_feed(&r, "if True:", 8);
	repl_prompt(&r, buf, sizeof buf);
	assert_string_equal(buf, "[0 main]... ");
	repl_discard(&r);
	repl_feed(&r, "%new worker", 11);
	repl_prompt(&r, buf, sizeof buf);
	snprintf(want, sizeof want, "[%lld worker legacy]>>> ",
	    (long long)session_current(S));
	assert_string_equal(buf, want);
	repl_feed(&r, "%del worker", 11);
	repl_free(&r);
}

/* ---------------------------------------------------------------- input */

static void
expect_rejected(const char *line, size_t len, const char *part)
{
	char *cause = NULL;

	assert_int_equal(input_check(line, len, &cause), -1);
	if (strstr(cause, part) == NULL)
		fail_msg("want '%s' in '%s'", part, cause);
	free(cause);
}

static void
test_input_check(void **state)
{
	char *cause = NULL, *big;
	const char *good;

	(void)state;
	good = "print('h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80')";
	assert_int_equal(input_check(good, strlen(good), &cause), 0);
	expect_rejected("a\0b", 3, "NUL byte at column 2");
	expect_rejected("x = '\xff'", 7, "invalid UTF-8 (byte 0xff at column 6)");
	expect_rejected("\xc0\xaf", 2, "invalid UTF-8");         /* overlong */
	expect_rejected("\xed\xa0\x80", 3, "invalid UTF-8");     /* surrogate */
	expect_rejected("\xe2\x82", 2, "invalid UTF-8");         /* truncated */
	expect_rejected("\xf4\x90\x80\x80", 4, "invalid UTF-8"); /* > U+10FFFF */
	big = malloc(1024 * 1024);
	memset(big, 'x', 1024 * 1024);
	expect_rejected(big, 1024 * 1024, "line too long (1048576 bytes");
	assert_int_equal(input_check(big, INPUT_LINE_MAX, &cause), 0);
	free(big);
}

static void
test_bad_lines_lose_nothing(void **state)
{
	struct run r;

	(void)state;
	run_lines(&r, "keep = 7\nx = '\xff'\n%exec 0 assert keep == 7");
	assert_int_equal(r.repl.failures, 1);
	assert_non_null(strstr(r.err, "invalid UTF-8"));
	assert_null(strchr(strchr(r.err, '\n') + 1, '\n'));
	run_free(&r);
}

/* --------------------------------------------------------- sharing map */

static void
test_sharing_commands_errors(void **state)
{
	(void)state;
	expect_error("%import", "%import: missing argument (usage: %import MOD... [--in ID,NAME,...|--all])\n");
	expect_error("%import json --in", "%import: option '--in' needs a value (usage: %import MOD... [--in ID,NAME,...|--all])\n");
	expect_error("%import json --in 0 --all", "%import: --in and --all contradict each other: choose one\n");
	expect_error("%import json --in main,nobody", "%import: no interpreter named 'nobody' (have: main)\n");
	expect_error("%load /no/such/file.so", "%load: cannot read '/no/such/file.so': No such file or directory\n");
	expect_error("%share no_such_module", "%share: no interpreter has a module named 'no_such_module' (%import no_such_module first)\n");
	expect_error("%diff sys 0 0", "%diff: give two different interpreters (both are 0)\n");
	expect_error("%diff sys 0", "%diff: missing argument (usage: %diff MOD ID|NAME ID|NAME)\n");
	expect_error("%json /no/such/dir/x.json", "%json: cannot write '/no/such/dir/x.json': No such file or directory\n");
	expect_error("%json /dev/null sys no_such_module", "%json: no interpreter has a module named 'no_such_module' (%import no_such_module first)\n");
	expect_error("%dot /dev/null no_such_module", "%dot: no interpreter has a module named 'no_such_module' (%import no_such_module first)\n");
	expect_error("%audit no_such_module", "%audit: no interpreter has a module named 'no_such_module' (%import no_such_module first)\n");
	expect_error("%modules nobody", "%modules: no interpreter named 'nobody' (have: main)\n");
}

static void
test_import_share_diff(void **state)
{
	struct run r;
	char *line;

	(void)state;
	run_lines(&r, "%share");
	assert_string_equal(r.out, "no extension module is loaded in two or more "
	    "interpreters (try %import MOD --all, or name modules: %share MOD...)\n");
	run_free(&r);

	run_lines(&r, "%new sh\n%import _json --all\n%share\n%diff _json main sh\n"
	    "%modules sh\n%exec sh assert _json.__name__ == '_json'\n%del sh");
	assert_string_equal(r.err, "");
	/* one report line per interpreter, then the map */
	line = line_with(r.out, "[0 main]  ");
	assert_non_null(strstr(line, "ran init"));
	assert_non_null(strstr(line, "multi-phase"));
	free(line);
	assert_non_null(strstr(r.out, "_json  multi-phase, m_size "));
	line = line_with(r.out, "  __package__ ");
	assert_non_null(strstr(line, "static in libpython"));
	free(line);
	line = line_with(r.out, "  scanstring ");
	assert_non_null(strstr(line, "distinct"));
	free(line);
	assert_null(strstr(r.out, "SHARED"));
	/* %diff: the def is one, the modules two */
	line = line_with(r.out, "  def ");
	assert_non_null(strstr(line, "same"));
	free(line);
	line = line_with(r.out, "  module ");
	assert_non_null(strstr(line, "different"));
	free(line);
	/* %modules of the other interpreter knows _json's kind */
	line = line_with(r.out, "  _json ");
	assert_non_null(strstr(line, "multi-phase"));
	free(line);
	run_free(&r);
}

/* A whole file, NUL-terminated (malloc'd). */
static char *
read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return text;
}

/* A command refused before it writes leaves the file it was to write as
 * it was, and makes none. */
static void
test_refused_output_loses_nothing(void **state)
{
	char path[] = "/tmp/subrepl-keep-XXXXXX", fresh[64], cmd[256], *text;
	struct run r;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "precious\n", 9), 9);
	close(fd);
	snprintf(fresh, sizeof fresh, "%s-new", path);
	snprintf(cmd, sizeof cmd, "%%statics --json %s no_such_module\n"
	    "%%statics --json %s no_such_module", path, fresh);
	run_lines(&r, cmd);
	assert_int_equal(r.repl.failures, 2);
	run_free(&r);
	text = read_all(path);
	unlink(path);
	assert_string_equal(text, "precious\n");
	free(text);
	assert_int_equal(access(fresh, F_OK), -1);
}

/* A MOD no interpreter has is said on a line of its own, and the document
 * is written all the same, with the modules that are there. */
static void
test_json_names_missing(void **state)
{
	char path[] = "/tmp/subrepl-json-XXXXXX", cmd[128], *text;
	struct run r;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof cmd, "%%json %s sys nosuch_a\n%%list", path);
	run_lines(&r, cmd);
	assert_string_equal(r.err, "%json: no interpreter has a module named "
	    "'nosuch_a' (%import nosuch_a first)\n");
	assert_int_equal(r.repl.failures, 1);
	assert_non_null(strstr(r.out, "main")); /* the next line ran */
	run_free(&r);
	text = read_all(path);
	unlink(path);
	assert_non_null(strstr(text, "\"name\": \"sys\""));
	assert_null(strstr(text, "nosuch_a"));
	free(text);
}

static void
test_json_and_dot_files(void **state)
{
	char json_path[] = "/tmp/subrepl-json-XXXXXX", dot_path[] = "/tmp/subrepl-dot-XXXXXX";
	char *cmd, *text;
	struct run r;
	FILE *f;
	long len;
	int fd;
	const char *dot = getenv("DOT");

	(void)state;
	fd = mkstemp(json_path);
	close(fd);
	fd = mkstemp(dot_path);
	close(fd);
	cmd = malloc(strlen(json_path) + strlen(dot_path) + 128);
	sprintf(cmd, "%%new js\n%%import _json --all\n%%json %s\n%%dot %s\n%%del js",
	    json_path, dot_path);
	run_lines(&r, cmd);
	assert_string_equal(r.err, "");
	run_free(&r);
	free(cmd);

	f = fopen(json_path, "r");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	/* the contract's required fields, with this Python's values */
	assert_non_null(strstr(text, "\"python\": {"));
	assert_non_null(strstr(text, session_python_version(S)));
	assert_non_null(strstr(text, "\"interpreters\": ["));
	assert_non_null(strstr(text, "\"check_multi_interp_extensions\": false"));
	assert_non_null(strstr(text, "\"name\": \"_json\""));
	assert_non_null(strstr(text, "\"kind\": \"multi-phase\""));
	assert_non_null(strstr(text, "\"sharing\": \"static\""));
	assert_non_null(strstr(text, "\"static_in\": \"libpython"));
	assert_non_null(strstr(text, "\"m_copy\": null"));
	free(text);

	/* and it parses, with the contract's structure */
	{
		json_error_t err;
		json_t *root = json_load_file(json_path, 0, &err), *mods, *m;
		size_t i;
		bool found = false;

		if (root == NULL)
			fail_msg("%%json wrote invalid JSON: %s at line %d", err.text,
			    err.line);
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(root, "python"), "version")),
		    session_python_version(S));
		assert_true(json_array_size(json_object_get(root, "interpreters")) >= 2);
		mods = json_object_get(root, "modules");
		json_array_foreach(mods, i, m) {
			if (strcmp(json_string_value(json_object_get(m, "name")), "_json") != 0)
				continue;
			found = true;
			assert_string_equal(json_string_value(json_object_get(m, "kind")),
			    "multi-phase");
			assert_int_equal(json_array_size(json_object_get(m, "instances")), 2);
			assert_true(json_array_size(json_object_get(m, "attributes")) > 5);
		}
		assert_true(found);
		json_decref(root);
	}

	if (dot != NULL && dot[0] != '\0') {
		cmd = malloc(strlen(dot) + strlen(dot_path) + 64);
		sprintf(cmd, "%s -Tsvg %s -o /dev/null", dot, dot_path);
		assert_int_equal(system(cmd), 0);
		free(cmd);
	}

	/* %dot --audit: the paths, with the C static, and it renders */
	cmd = malloc(strlen(dot_path) + 256);
	sprintf(cmd, "%%new dotted\n%%import demo_leaky --all\n%%dot --audit %s\n"
	    "%%del dotted", dot_path);
	run_lines(&r, cmd);
	assert_string_equal(r.err, "");
	run_free(&r);
	free(cmd);
	text = read_all(dot_path);
	assert_non_null(strstr(text, "digraph subrepl_audit"));
	assert_non_null(strstr(text, "sys.modules['demo_leaky'].__dict__['state']"
	    "['items']"));
	assert_non_null(strstr(text, "demo_leaky.so:registry"));
	free(text);
	if (dot != NULL && dot[0] != '\0') {
		cmd = malloc(strlen(dot) + strlen(dot_path) + 64);
		sprintf(cmd, "%s -Tsvg %s -o /dev/null", dot, dot_path);
		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	unlink(json_path);
	unlink(dot_path);
}

/* ----------------------------------------------------------- completion */

static char **
cands(struct repl *r, const char *line, size_t *n)
{
	int end = (int)strlen(line), start = end;
	const char *breaks = complete_word_breaks(r, line, end);

	while (start > 0 && strchr(breaks, line[start - 1]) == NULL)
		start--;
	return complete_candidates(r, line, start, end, n);
}

static void
free_cands(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
test_completion_candidates(void **state)
{
	struct repl r;
	char **v;
	size_t n;

	(void)state;
	repl_init(&r, S);
	v = cands(&r, "%ne", &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "%new");
	free_cands(v, n);

	v = cands(&r, "%", &n);
	assert_true(util_has_string(v, n, "%list") && util_has_string(v, n, "%quit") && util_has_string(v, n, "%all"));
	free_cands(v, n);

	v = cands(&r, "%new x --sh", &n);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "--shared-gil");
	assert_string_equal(v[1], "--shared-obmalloc");
	free_cands(v, n);

	repl_feed(&r, "%new compl_worker", 17);
	v = cands(&r, "%use ", &n);
	assert_true(util_has_string(v, n, "0") && util_has_string(v, n, "main") && util_has_string(v, n, "compl_worker"));
	free_cands(v, n);
	v = cands(&r, "%use compl", &n);
	assert_int_equal(n, 1);
	free_cands(v, n);

	v = cands(&r, "%help qu", &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "quit");
	free_cands(v, n);

	/* Python names, from the interpreter that will run the code */
	repl_feed(&r, "only_in_worker = 1", 18);
	v = cands(&r, "only_in", &n);
	assert_true(util_has_string(v, n, "only_in_worker"));
	free_cands(v, n);
	v = cands(&r, "%exec main only_in", &n);
	assert_int_equal(n, 0);
	free_cands(v, n);
	v = cands(&r, "%exec compl_worker only_in", &n);
	assert_true(util_has_string(v, n, "only_in_worker"));
	free_cands(v, n);
	v = cands(&r, "print(only_in", &n);
	assert_true(util_has_string(v, n, "only_in_worker"));
	free_cands(v, n);
	repl_feed(&r, "%del compl_worker", 17);
	repl_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_plain),
		cmocka_unit_test(test_words_quoting),
		cmocka_unit_test(test_words_raw_tail),
		cmocka_unit_test(test_split_name),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_ambiguous_lists_all),
		cmocka_unit_test(test_table_is_consistent),
		cmocka_unit_test(test_argument_errors),
		cmocka_unit_test(test_duplicate_name_is_one_line),
		cmocka_unit_test(test_errors_name_the_line_in_batch),
		cmocka_unit_test(test_commands_work),
		cmocka_unit_test(test_help_reads_the_table),
		cmocka_unit_test(test_quit),
		cmocka_unit_test(test_replay_follows_the_table),
		cmocka_unit_test(test_batch_rule_closes_blocks),
		cmocka_unit_test(test_prompts),
		cmocka_unit_test(test_input_check),
		cmocka_unit_test(test_bad_lines_lose_nothing),
		cmocka_unit_test(test_completion_candidates),
		cmocka_unit_test(test_sharing_commands_errors),
		cmocka_unit_test(test_import_share_diff),
		cmocka_unit_test(test_json_and_dot_files),
		cmocka_unit_test(test_json_names_missing),
		cmocka_unit_test(test_refused_output_loses_nothing),
	};

	return cmocka_run_group_tests_name("commands", tests, util_setup, util_teardown);
}
