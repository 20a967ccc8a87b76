/*
 * refresh-bench.c: what the TUI does after every step, timed. A step that
 * changes one module (a name bound in one interpreter's __main__), then
 * the refresh the TUI runs before the screen settles (ui/refresh.c): the
 * host's snapshot of every module, the snapshot of the attributes of the
 * extension modules loaded in two or more interpreters (both as deltas
 * from the host), the model built and compared with the one before.
 * Then, timed apart, what the TUI runs when no key waits: the deep walk
 * behind the holds-shared marks, and the model again. Drawing is
 * tui-bench's part. N interpreters (and main) each import a set of
 * standard modules, about 150 or 300 in sys.modules.
 *
 * It prints the median time of the refresh with its minimum and maximum,
 * the medians of its three parts, and the deep walk's; the goal is 10 ms
 * at 64 interpreters of 300 modules.
 *
 * usage: bench/refresh-bench SUBREPL N SMALL|LARGE [RUNS]
 * IN_PROCESS=1 runs the engine in this process (no host, no link), to
 * profile it alone; NO_DEEP_WALK=1 leaves the deep walk out, to profile
 * the refresh alone.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "session.h"
#include "bench-clock.h"

static const char small_set[] =
    "import json, decimal, datetime, asyncio";

static const char large_set[] =
    "import json, decimal, datetime, asyncio\n"
    "import email.mime.multipart, http.client, xml.etree.ElementTree, "
    "unittest, argparse, logging, sqlite3, csv, zipfile, tarfile, pickle, "
    "pydoc, inspect, difflib, statistics, fractions, uuid, urllib.request, "
    "concurrent.futures, hashlib, configparser, shelve, dbm\n"
    "import xmlrpc.client, http.server, smtplib, imaplib, ftplib, poplib, "
    "mailbox, plistlib, wave, tomllib, cProfile, pstats, timeit, trace, "
    "doctest, code, pdb, shlex, glob, fnmatch, filecmp, gzip, bz2, lzma, "
    "zipapp, secrets, hmac, ipaddress, socketserver, sched, queue, "
    "contextvars, dataclasses, graphlib, pprint, reprlib, textwrap, "
    "unicodedata, stringprep, calendar, heapq, bisect, array, cmath, "
    "random";

static void
die(const char *what, char *cause)
{
	fprintf(stderr, "refresh-bench: %s: %s\n", what, cause != NULL ? cause :
	    "out of memory");
	exit(1);
}

static void
run(struct session *s, interp_id id, const char *code)
{
	struct run_result res;
	char *cause = NULL;

	if (session_run(s, id, code, RUN_STATEMENTS, &res, &cause) != 0)
		die("run", cause);
	if (res.outcome != RUN_OK)
		die("run", (char *)"a step failed (its traceback is above)");
}

/* Where the last refresh's time went: the snapshot of every module, the
 * snapshot of attributes, building and comparing the model. */
static double part_ms[3];

/* The TUI's refresh, as ui/refresh.c's take_model does it, deep or not
 * (then with the marks of `now` carried over); the model. */
static struct ui_model *
refresh(struct session *s, const struct ui_model *now,
    const struct ui_model *before, bool deep)
{
	double t0 = now_ms(), t1, t2;
	struct snap_filter all = { .only = INTERP_NONE };
	struct snap_filter some = { .with_attrs = true, .only = INTERP_NONE,
	    .deep = deep };
	struct snapshot *modules = NULL, *attrs = NULL;
	struct ui_refusals refused = { NULL, 0 };
	struct ui_model *next;
	const char **names;
	char *cause = NULL;
	size_t n;

	if (session_snapshot(s, &all, &modules, &cause) != 0)
		die("snapshot", cause);
	t1 = now_ms();
	names = ui_model_attr_names(modules, &n);
	some.names = names;
	some.nnames = n;
	if (n > 0 && session_snapshot(s, &some, &attrs, &cause) != 0)
		die("attributes", cause);
	free(names);
	t2 = now_ms();
	if (!deep && attrs != NULL && now != NULL)
		ui_model_carry_holds(attrs, now->attrs);
	next = ui_model_build_from(modules, attrs, NULL, &refused, now);
	ui_model_mark_changes(next, before);
	part_ms[0] = t1 - t0;
	part_ms[1] = t2 - t1;
	part_ms[2] = now_ms() - t2;
	return next;
}

int
main(int argc, char **argv)
{
	struct interp_request req = { NULL, PRESET_LEGACY, FLAG_UNSET, FLAG_UNSET,
	    FLAG_UNSET, FLAG_UNSET, FLAG_UNSET, FLAG_UNSET, FLAG_UNSET };
	struct ui_model *model = NULL, *next;
	struct session *s;
	struct interp_info info;
	const char *set;
	char *cause = NULL, code[64];
	double *ms, *parts[3], *deep_ms;
	int n, runs, i;
	size_t nmodules = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: refresh-bench SUBREPL N SMALL|LARGE [RUNS]\n");
		return 2;
	}
	n = atoi(argv[2]);
	set = strcmp(argv[3], "LARGE") == 0 ? large_set : small_set;
	runs = argc > 4 ? atoi(argv[4]) : 7;
	if (n < 1 || runs < 1)
		return 2;
	s = getenv("IN_PROCESS") != NULL ? session_open_inprocess(&cause) :
	    session_open_supervised(argv[1], &cause);
	if (s == NULL)
		die("host", cause);
	run(s, 0, set);
	for (i = 0; i < n; i++) {
		if (session_new(s, &req, &info, &cause) != 0)
			die("new", cause);
		run(s, info.id, set);
	}
	ms = calloc((size_t)runs, sizeof *ms);
	deep_ms = calloc((size_t)runs, sizeof *deep_ms);
	for (i = 0; i < 3; i++)
		parts[i] = calloc((size_t)runs, sizeof *parts[i]);
	model = refresh(s, NULL, NULL, true);
	for (i = 0; i < runs; i++) {
		struct ui_model *deeper;
		double t0;

		snprintf(code, sizeof code, "bench_step = %d", i);
		run(s, info.id, code);
		t0 = now_ms();
		next = refresh(s, model, model, false);
		ms[i] = now_ms() - t0;
		parts[0][i] = part_ms[0];
		parts[1][i] = part_ms[1];
		parts[2][i] = part_ms[2];
		/* the screen has settled: the deep walk, when no key waits */
		t0 = now_ms();
		if (getenv("NO_DEEP_WALK") == NULL) {
			deeper = refresh(s, next, model, true);
			ui_model_free(next);
		} else
			deeper = next;
		deep_ms[i] = now_ms() - t0;
		ui_model_free(model);
		model = deeper;
	}
	if (model->ninterps > 0 && model->interps[0].info.modules > 0)
		nmodules = (size_t)model->interps[0].info.modules;
	qsort(ms, (size_t)runs, sizeof *ms, double_compare);
	qsort(deep_ms, (size_t)runs, sizeof *deep_ms, double_compare);
	for (i = 0; i < 3; i++)
		qsort(parts[i], (size_t)runs, sizeof *parts[i], double_compare);
	printf("TUI refresh after a one-module step, %d interpreters x %zu "
	    "modules: %.2f ms (min %.2f, max %.2f, %d runs)\n"
	    "  of which: every module's snapshot %.2f ms, the attributes' "
	    "snapshot %.2f ms, model %.2f ms\n"
	    "  then, when no key waits, the deep walk for the holds-shared "
	    "marks: %.2f ms (min %.2f, max %.2f)\n", n + 1, nmodules,
	    ms[runs / 2], ms[0], ms[runs - 1], runs, parts[0][runs / 2],
	    parts[1][runs / 2], parts[2][runs / 2], deep_ms[runs / 2],
	    deep_ms[0], deep_ms[runs - 1]);
	if (n + 1 >= 64 && nmodules >= 300)
		printf("  goal: <= 10 ms at 64 x 300                %s\n",
		    ms[runs / 2] <= 10.0 ? "met" : "NOT met");
	ui_model_free(model);
	free(ms);
	free(deep_ms);
	for (i = 0; i < 3; i++)
		free(parts[i]);
	session_stop(s, NULL);
	session_close(s);
	return 0;
}
