/*
 * test-batch.c: the built subrepl in batch mode, as a user runs it: -c
 * TEXT, FILE, a non-terminal stdin; exit statuses; --help and --version;
 * and every kind of bad input, each of which must give exactly one line on
 * stderr and lose nothing that follows.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "runner.h"

static void
run_c(const char *text, struct batch_result *r)
{
	const char *args[] = { "--no-journal", "-c", text, NULL };

	batch_run(args, NULL, 0, 60, r);
}

static void
run_stdin(const char *input, size_t len, struct batch_result *r)
{
	const char *args[] = { "--no-journal", NULL };

	batch_run(args, input, len, 60, r);
}

/* Session text is never written where others could redirect it: a state
 * directory others may write to is refused, and so is a journal that is a
 * symbolic link; either way the session runs, without a journal. */
static void
test_state_files_are_guarded(void **state)
{
	char dir[] = "/tmp/subrepl-state-XXXXXX", sub[256], link[256], victim[256];
	const char *old = getenv("XDG_STATE_HOME");
	char *saved = old != NULL ? strdup(old) : NULL;
	const char *args[] = { "-c", "print(1)", NULL };
	const char *linked[] = { "--journal", link, "-c", "print(2)", NULL };
	struct batch_result r;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/subrepl", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(chmod(sub, 0777), 0);
	setenv("XDG_STATE_HOME", dir, 1);
	batch_run(args, NULL, 0, 60, &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "1\n");
	assert_non_null(strstr(r.err, "others may write to it (mode 0777)"));
	assert_int_equal(count_lines(r.err), 1);
	batch_free(&r);

	snprintf(link, sizeof link, "%s/link.sr", dir);
	snprintf(victim, sizeof victim, "%s/victim", dir);
	assert_int_equal(symlink(victim, link), 0);
	batch_run(linked, NULL, 0, 60, &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "2\n");
	assert_non_null(strstr(r.err, "it is a symbolic link"));
	assert_int_equal(stat(victim, &st), -1);
	batch_free(&r);

	if (saved != NULL)
		setenv("XDG_STATE_HOME", saved, 1);
	free(saved);
	unlink(link);
	rmdir(sub);
	rmdir(dir);
}

/* None, True and int live in libpython's data, and are named so, not
 * "static in subrepl" (copy relocations would put them in the program). */
static void
test_static_objects_name_libpython(void **state)
{
	struct batch_result r;
	const char *p;
	int found = 0;

	(void)state;
	run_c("import sys, types\nm = types.ModuleType('m')\nm.n = None\n"
	    "m.t = True\nm.i = int\nsys.modules['m'] = m\n%share m", &r);
	assert_string_equal(r.err, "");
	for (p = r.out; (p = strstr(p, "static in ")) != NULL; p++) {
		assert_int_equal(strncmp(p, "static in libpython", 19), 0);
		found++;
	}
	assert_true(found >= 3);
	batch_free(&r);
}

/* An extension built for another machine: glibc says "No such file or
 * directory" for a file that is there; subrepl says what is wrong with it.
 * The file is a demo module with its ELF e_machine made aarch64's (or
 * x86_64's, on aarch64). */
static void
test_foreign_extension_is_named(void **state)
{
	char src[4096], path[] = "/tmp/subrepl-foreign-XXXXXX.so", cmd[4200];
	unsigned char head[20];
	struct batch_result r;
	FILE *in, *out;
	size_t n;
	int fd, c;

	(void)state;
	snprintf(src, sizeof src, "%s/demo_single.so", getenv("SUBREPL_DEMO_DIR"));
	in = fopen(src, "rb");
	assert_non_null(in);
	fd = mkstemps(path, 3);
	assert_true(fd >= 0);
	out = fdopen(fd, "wb");
	n = fread(head, 1, sizeof head, in);
	assert_int_equal(n, sizeof head);
	/* e_machine (little-endian): EM_AARCH64 183, or EM_X86_64 62 */
	head[18] = head[18] == 183 ? 62 : 183;
	head[19] = 0;
	fwrite(head, 1, n, out);
	while ((c = fgetc(in)) != EOF)
		fputc(c, out);
	fclose(in);
	fclose(out);
	snprintf(cmd, sizeof cmd, "%%load %s demo_single", path);
	run_c(cmd, &r);
	assert_non_null(strstr(r.out, "was built for "));
	assert_non_null(strstr(r.out, ", and this is "));
	batch_free(&r);
	unlink(path);
}

static void
test_done_means(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("%new a\nx = 1\n%new b\nprint(\"x\" in globals())\n%use a\n"
	    "print(x)\n%list", &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(strncmp(r.out, "False\n1\n", 8), 0);
	/* a header and three interpreters, the current one marked */
	assert_int_equal(count_lines(r.out + 8), 4);
	assert_non_null(strstr(r.out, "     0  main"));
	assert_non_null(strstr(r.out, " *   1  a "));
	assert_non_null(strstr(r.out, "     2  b "));
	batch_free(&r);
}

/* The host is a fork of the front end that does not exec (host-link.c):
 * it must hold none of the front end's descriptors (an inherited one
 * here, the journal's), only fd 0-2 and, above 100, its socket and what
 * it opens itself (docs/protocol.md). */
static void
test_host_inherits_no_descriptors(void **state)
{
	char journal[] = "/tmp/subrepl-test-journal-XXXXXX";
	const char *args[] = { "--journal", journal, "-c",
	    "import os\n"
	    "fds = [int(f) for f in os.listdir('/proc/self/fd')]\n"
	    "print('FDS', sorted(f for f in fds if f < 100 and os.path.exists("
	    "'/proc/self/fd/%d' % f)))", NULL };
	struct batch_result r;
	int stray = open("/dev/null", O_RDONLY), jfd = mkstemp(journal);

	(void)state;
	assert_true(stray > 2);
	assert_true(jfd >= 0);
	close(jfd);
	batch_run(args, NULL, 0, 60, &r);
	assert_int_equal(r.status, 0);
	/* listdir's own descriptor is gone by the time it is looked at */
	if (strstr(r.out, "FDS [0, 1, 2]\n") == NULL)
		fail_msg("the host holds descriptors of the front end: %s", r.out);
	batch_free(&r);
	close(stray);
	unlink(journal);
}

static void
test_file_and_stdin(void **state)
{
	char path[] = "/tmp/subrepl-batch-XXXXXX";
	const char script[] =
	    "def f():\n"
	    "    return 41\n"
	    "print(f() + 1)\n"
	    "for i in range(2):\n"
	    "    print(i)\n"
	    "else:\n"
	    "    print('done')\n"
	    "class C:\n"
	    "    x = 1\n"
	    "\n"
	    "    def m(self):\n"
	    "        return self.x\n"
	    "print(C().m())\n";
	const char *args[] = { "--no-journal", path, NULL };
	struct batch_result r;
	int fd = mkstemp(path);

	(void)state;
	assert_true(write(fd, script, sizeof script - 1) == (ssize_t)(sizeof script - 1));
	close(fd);
	batch_run(args, NULL, 0, 60, &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "42\n0\n1\ndone\n1\n");
	assert_string_equal(r.err, "");
	batch_free(&r);
	/* the same on a non-terminal stdin */
	run_stdin(script, sizeof script - 1, &r);
	assert_string_equal(r.out, "42\n0\n1\ndone\n1\n");
	batch_free(&r);
	unlink(path);
}

static void
test_batch_exit_statuses(void **state)
{
	struct batch_result r;
	const char *missing[] = { "/no/such/script.sr", NULL };
	const char *bail[] = { "--no-journal", "--bail", "-c", "1/0\nprint('not reached')", NULL };

	(void)state;
	run_c("1/0\nprint('goes on')", &r);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "goes on\n");
	assert_non_null(strstr(r.err, "ZeroDivisionError"));
	batch_free(&r);

	batch_run(bail, NULL, 0, 60, &r);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	batch_free(&r);

	run_c("import sys; sys.exit(5)\nprint('not reached')", &r);
	assert_int_equal(r.status, 5);
	assert_string_equal(r.out, "");
	batch_free(&r);

	/* a sub-interpreter's sys.exit() is reported; the session goes on */
	run_c("%new s\nimport sys; sys.exit(3)\nprint('still here')", &r);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "still here\n");
	assert_non_null(strstr(r.err, "interpreter 1 raised SystemExit(3)"));
	assert_int_equal(count_lines(r.err), 1);
	batch_free(&r);

	run_c("%quit 7", &r);
	assert_int_equal(r.status, 7);
	batch_free(&r);

	batch_run(missing, NULL, 0, 30, &r);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "subrepl: cannot open '/no/such/script.sr': "
	    "No such file or directory\n");
	batch_free(&r);
}

static void
test_usage(void **state)
{
	const char *help[] = { "--help", NULL };
	const char *version[] = { "--version", NULL };
	const char *bad[] = { "--frobnicate", NULL };
	const char *noarg[] = { "-c", NULL };
	struct batch_result r;
	char want[64];

	(void)state;
	batch_run(help, NULL, 0, 30, &r);
	assert_int_equal(r.status, 0);
	assert_int_equal(strncmp(r.out, "Usage: subrepl [OPTION]... [FILE]\n", 34), 0);
	assert_non_null(strstr(r.out, "--in-process"));
	batch_free(&r);

	batch_run(version, NULL, 0, 30, &r);
	assert_int_equal(r.status, 0);
	assert_int_equal(strncmp(r.out, "subrepl ", 8), 0);
	snprintf(want, sizeof want, "embedded Python %s", getenv("PYTHON_VERSION"));
	assert_non_null(strstr(r.out, want));
	batch_free(&r);

	batch_run(bad, NULL, 0, 30, &r);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "subrepl: unrecognized option '--frobnicate'\n"
	    "Try 'subrepl --help' for more information.\n");
	batch_free(&r);

	batch_run(noarg, NULL, 0, 30, &r);
	assert_int_equal(r.status, 2);
	batch_free(&r);
}

/* One bad line: exactly one line on stderr, and the next line still runs. */
static void
expect_one_error(const char *bad, size_t len, const char *part)
{
	struct batch_result r;
	char *input = malloc(len + 64);

	memcpy(input, bad, len);
	memcpy(input + len, "\nprint('after')\n", 16);
	run_stdin(input, len + 16, &r);
	free(input);
	if (count_lines(r.err) != 1 || strstr(r.err, part) == NULL)
		fail_msg("want one line with '%s', got '%s'", part, r.err);
	assert_string_equal(r.out, "after\n");
	assert_int_equal(r.status, 1);
	batch_free(&r);
}

static void
test_bad_input(void **state)
{
	char *big;

	(void)state;
	expect_one_error("%frobnicate", 11, "unknown command '%frobnicate'");
	expect_one_error("%lst", 4, "did you mean %list?");
	expect_one_error("%use", 4, "%use: missing argument (usage: %use ID|NAME)");
	expect_one_error("%use a b", 8, "too many arguments");
	expect_one_error("%new --bogus", 12, "unknown option '--bogus'");
	expect_one_error("%use 42", 7, "%use: no interpreter with id 42 (have: 0)");
	expect_one_error("%use wrker", 10, "%use: no interpreter named 'wrker' (have: main)");
	expect_one_error("%new 9", 6, "a name cannot be all digits");
	expect_one_error("%del 0", 6, "the main interpreter cannot be destroyed");
	expect_one_error("%use 'x", 7, "unterminated single quote");
	expect_one_error("%exec 0 if True:", 16, "incomplete input");
	expect_one_error("x = '\xff\xfe'", 8, "invalid UTF-8 (byte 0xff at column 6)");
	expect_one_error("x = 1\0 + 2", 10, "NUL byte at column 6");
	big = malloc(1024 * 1024);
	memset(big, 'x', 1024 * 1024);
	expect_one_error(big, 1024 * 1024, "line too long (1048576 bytes");
	free(big);
}

static void
test_duplicate_name_names_its_line(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("%new worker\n%new worker\n%use wrker\n%list", &r);
	assert_int_equal(count_lines(r.err), 2);
	assert_non_null(strstr(r.err, "-c:2: %new: an interpreter named 'worker' "
	    "already exists (id 1)\n"));
	assert_non_null(strstr(r.err, "-c:3: %use: no interpreter named 'wrker' "
	    "(have: main, worker)\n"));
	assert_non_null(strstr(r.out, "worker"));
	batch_free(&r);
}

/* A `from __future__` import holds for the later steps of its own
 * interpreter only, as in python3's REPL; a SyntaxWarning of a step comes
 * once, not once per trial compile. */
static void
test_future_imports_per_interpreter(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("from __future__ import annotations\n"
	    "def g(x: Undefined): pass\n"
	    "print(g.__annotations__)\n"
	    "%new other\n"
	    "def h(x: 'quoted'): pass\n"
	    "try:\n"
	    "    exec('def k(x: Undefined): pass')\n"
	    "except NameError:\n"
	    "    print('evaluated here')\n"
	    "s = '\\d'\n", &r);
	assert_non_null(strstr(r.out, "{'x': 'Undefined'}\n"));
	assert_non_null(strstr(r.out, "evaluated here\n"));
	if (python_312()) {
		const char *w = strstr(r.err, "SyntaxWarning");

		assert_non_null(w);
		assert_null(strstr(w + 1, "SyntaxWarning"));
	}
	batch_free(&r);
}

static void
test_exec_all_help(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("%new w\nv = 'in w'\n%use main\n%exec w print(v)\n%exec w v\n"
	    "%all print(__name__)\n%help\n%help new", &r);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "in w\n'in w'\n[0 main]\n__main__\n"
	    "[1 w legacy]\n__main__\n"));
	assert_non_null(strstr(r.out, "  %new      create an interpreter"));
	assert_non_null(strstr(r.out, "usage: %new [NAME]"));
	batch_free(&r);
}

static void
test_isolated_by_version(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("%new x --isolated\n%list", &r);
	if (python_312()) {
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, " *   1  x     isolated  own     own       yes"));
	} else {
		assert_int_equal(r.status, 1);
		assert_int_equal(strncmp(r.err, "-c:1: %new: interpreter configs "
		    "need Python 3.12 or newer (this is ", 60), 0);
		assert_int_equal(count_lines(r.err), 1);
	}
	batch_free(&r);
}

/* The sharing map through the host (the snapshot crosses the wire). */
static void
test_sharing_map_through_the_host(void **state)
{
	struct batch_result r;
	const char *line;

	(void)state;
	run_c("%new a\n%new b\n%import demo_single demo_static_type --all\n"
	    "%exec a demo_single.items.append('from a')\n"
	    "%exec b print(demo_single.items)\n"
	    "%share demo_single\n%diff demo_static_type a b", &r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "['from a']\n"));
	line = strstr(r.out, "! items ");
	assert_non_null(line);
	assert_non_null(strstr(line, "SHARED by 0, 1, 2"));
	assert_non_null(strstr(r.out, "(no def: made from m_copy 0x"));
	line = strstr(r.out, "  StaticThing ");
	assert_non_null(line);
	assert_int_equal(strncmp(strstr(line, "static in "),
	    "static in demo_static_type.so, same in 1, 2", 43), 0);
	batch_free(&r);
}

/* All of a file from its descriptor, NUL-terminated. */
static char *
read_all_of(int fd)
{
	char *all = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;

	do {
		if (len + 4096 > cap) {
			cap = cap * 2 + 8192;
			all = realloc(all, cap);
			assert_non_null(all);
		}
		n = read(fd, all + len, cap - len - 1);
		if (n > 0)
			len += (size_t)n;
	} while (n > 0);
	all[len] = '\0';
	return all;
}

/* A refused request through the host is one error line, and the session
 * goes on with the same host: no frame after the refusal (a refused
 * %statics wrote its empty trailer, and the front end killed the host it
 * then found readable). Every operation with a trailer, refused. */
static void
test_refusal_then_the_same_host(void **state)
{
	struct batch_result r;

	(void)state;
	run_c("import os; pid = os.getpid()\n"
	    "%statics no_such_module\n"
	    "%audit no_such_module\n"
	    "%why no_such_module.x\n"
	    "print('same host', os.getpid() == pid)", &r);
	assert_int_equal(r.status, 1);
	if (strstr(r.out, "same host True\n") == NULL)
		fail_msg("the session lost its host: out '%s', err '%s'", r.out,
		    r.err);
	assert_null(strstr(r.err, "host died"));
	assert_non_null(strstr(r.err,
	    "-c:2: %statics: no loaded module or file named 'no_such_module'"));
	batch_free(&r);
}

/* %json through the host: the host writes into the front end's own
 * file, pipe or terminal (the descriptor rides on the request), says why
 * when it cannot, keeps no descriptor afterwards, and the session goes on. */
static void
test_json_through_the_host(void **state)
{
	char path[] = "/tmp/subrepl-test-json-XXXXXX", script[512], *text;
	struct batch_result r;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	snprintf(script, sizeof script,
	    "%%new a\n%%import json --all\n%%json %s json\n%%json /dev/full\n"
	    "print('after')\n%%json - sys\n"
	    "import os\n"
	    "fds = [int(f) for f in os.listdir('/proc/self/fd')]\n"
	    "print('FDS', sorted(f for f in fds if f < 100 and os.path.exists("
	    "'/proc/self/fd/%%d' %% f)))", path);
	run_c(script, &r);
	assert_int_equal(r.status, 1); /* the /dev/full line failed */
	assert_string_equal(r.err,
	    "-c:4: %json: writing failed: No space left on device\n");
	assert_non_null(strstr(r.out, "after\n{\n  \"python\": {\"version\": "));
	assert_non_null(strstr(r.out, "\n    {\"name\": \"sys\", "));
	if (strstr(r.out, "FDS [0, 1, 2]\n") == NULL)
		fail_msg("the host kept a descriptor of %%json's: %s", r.out);
	text = read_all_of(fd);
	assert_int_equal(strncmp(text, "{\n  \"python\": {\"version\": ", 26), 0);
	/* both interpreters, the module asked for, and the end */
	assert_non_null(strstr(text, "{\"id\": 1, \"name\": \"a\""));
	assert_non_null(strstr(text, "\n    {\"name\": \"json\", "));
	assert_string_equal(text + strlen(text) - 4, "]\n}\n");
	free(text);
	close(fd);
	unlink(path);
	batch_free(&r);
}


/* Python starts as the Python subrepl was built against would: its
 * sys.executable is that Python, in main and in a sub-interpreter, so
 * subprocess can start it. */
static void
test_executable_is_the_python(void **state)
{
	const char *python = getenv("PYTHON");
	char want[4200];
	struct batch_result r;

	(void)state;
	assert_non_null(python);
	run_c("import sys; print('EXE', sys.executable)\n%new a\n"
	    "import sys, subprocess; print('EXE', sys.executable)\n"
	    "print(subprocess.run([sys.executable, '-c', 'print(6 * 7)'], "
	    "capture_output=True, text=True).stdout.strip())", &r);
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof want, "EXE %s\nEXE %s\n42\n", python, python);
	assert_string_equal(r.out, want);
	batch_free(&r);
}

/* The modules the same Python imports for the same code run by itself
 * (python3 -c CODE, and a legacy sub-interpreter from its own low-level
 * module): subrepl adds none but faulthandler (crash reports) to main and
 * none at all to a sub-interpreter; 3.13's python3 -c keeps its source in
 * linecache, which subrepl need not. */
static const char modules_code[] =
    "import sys\n"
    "x = [i * i for i in range(3)]\n"
    "def f(a): return a + 1\n"
    "f(2)\n"
    "try:\n"
    "    undefined_name\n"
    "except NameError:\n"
    "    pass\n"
    "print('MODULES', *sorted(sys.modules))\n";

static const char modules_driver[] =
    "import sys\n"
    "code = open(sys.argv[2]).read()\n"
    "if sys.argv[1] == 'main':\n"
    "    exec(compile(code, '<string>', 'exec'))\n"
    "else:\n"
    "    try:\n"
    "        import _interpreters as s\n"
    "        i = s.create('legacy')\n"
    "    except ImportError:\n"
    "        import _xxsubinterpreters as s\n"
    "        i = s.create(isolated=False) if sys.version_info >= (3, 12) "
    "else s.create()\n"
    "    s.run_string(i, code)\n";

/* The words after "MODULES " on the line that has them, space-separated
 * with a space at each end, so " name " finds one. */
static char *
modules_line(const char *out)
{
	const char *p = strstr(out, "MODULES ");
	size_t n;
	char *words;

	assert_non_null(p);
	p += strlen("MODULES");
	n = strcspn(p, "\n");
	words = malloc(n + 2);
	assert_non_null(words);
	memcpy(words, p, n);
	words[n] = ' ';
	words[n + 1] = '\0';
	return words;
}

/* Names in a that b lacks, other than the allowed ones, fail the test. */
static void
modules_subset(const char *a, const char *b, const char *const *allowed,
    const char *what)
{
	const char *p = a + 1;

	while (*p != '\0') {
		size_t n = strcspn(p, " ");
		char word[256];
		const char *const *ok;
		bool found;

		snprintf(word, sizeof word, " %.*s ", (int)n, p);
		found = strstr(b, word) != NULL;
		for (ok = allowed; !found && *ok != NULL; ok++)
			found = strlen(*ok) == n && strncmp(*ok, p, n) == 0;
		if (!found)
			fail_msg("%s: '%.*s' only in one of\n%s\n%s", what, (int)n, p,
			    a, b);
		p += n + (p[n] == ' ');
	}
}

static void
test_sys_modules_as_python_has_them(void **state)
{
	static const char *const ours[] = { "faulthandler", NULL };
	static const char *const theirs[] = { "linecache", NULL };
	static const char *const none[] = { NULL };
	const char *python = getenv("PYTHON");
	char dir[] = "/tmp/subrepl-modules-XXXXXX", path[256], cmd[1024];
	char text[2048], *mine, *ref, *out;
	struct batch_result r;
	FILE *f;
	int round;

	(void)state;
	if (python == NULL || python[0] == '\0')
		skip();
	assert_int_equal(scratch_dir_make(dir), 0);
	snprintf(path, sizeof path, "%s/code.py", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(modules_code, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/driver.py", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(modules_driver, f);
	fclose(f);
	for (round = 0; round < 2; round++) {
		snprintf(text, sizeof text, "%s%s", round == 0 ? "" : "%new s\n",
		    modules_code);
		run_c(text, &r);
		assert_int_equal(r.status, 0);
		mine = modules_line(r.out);
		batch_free(&r);
		snprintf(cmd, sizeof cmd, "'%s' '%s/driver.py' %s '%s/code.py' "
		    "> '%s/out' 2>&1", python, dir, round == 0 ? "main" : "sub",
		    dir, dir);
		assert_int_equal(system(cmd), 0);
		snprintf(path, sizeof path, "%s/out", dir);
		out = read_text_file(path);
		ref = modules_line(out);
		free(out);
		modules_subset(mine, ref, round == 0 ? ours : none,
		    round == 0 ? "main" : "a sub-interpreter");
		modules_subset(ref, mine, round == 0 ? theirs : none,
		    round == 0 ? "main" : "a sub-interpreter");
		free(mine);
		free(ref);
	}
	scratch_dir_remove(dir);
}

/* %modules leaves out what subrepl itself loaded (and says so); --all
 * lists it; a sub-interpreter has none of it. */
static void
test_modules_own_left_out(void **state)
{
	struct batch_result r;
	const char *all;

	(void)state;
	run_c("%modules\n%modules --all\n%new s\n%modules", &r);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "[0 main]: "));
	assert_non_null(strstr(r.out, " modules, and 1 of subrepl's own "
	    "(%modules --all lists it)\n"));
	all = strstr(r.out, "\n[0 main]: ");
	assert_non_null(all);
	assert_null(strstr(all + 1, "of subrepl's own"));
	assert_true(strstr(r.out, "  faulthandler ") > all);
	assert_null(strstr(strstr(r.out, "[1 s legacy]: "), "faulthandler"));
	batch_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_done_means),
		cmocka_unit_test(test_host_inherits_no_descriptors),
		cmocka_unit_test(test_foreign_extension_is_named),
		cmocka_unit_test(test_static_objects_name_libpython),
		cmocka_unit_test(test_state_files_are_guarded),
		cmocka_unit_test(test_file_and_stdin),
		cmocka_unit_test(test_batch_exit_statuses),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_duplicate_name_names_its_line),
		cmocka_unit_test(test_future_imports_per_interpreter),
		cmocka_unit_test(test_exec_all_help),
		cmocka_unit_test(test_isolated_by_version),
		cmocka_unit_test(test_sharing_map_through_the_host),
		cmocka_unit_test(test_refusal_then_the_same_host),
		cmocka_unit_test(test_json_through_the_host),
		cmocka_unit_test(test_executable_is_the_python),
		cmocka_unit_test(test_sys_modules_as_python_has_them),
		cmocka_unit_test(test_modules_own_left_out),
	};

	return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
