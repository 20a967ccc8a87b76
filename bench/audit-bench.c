/*
 * audit-bench.c: what %audit and %statics cost, in-process.
 *
 * The world: N legacy interpreters and main, each importing the same
 * modules. Then, in interleaved runs, the audit (session_audit: every
 * interpreter's walk, the statics' walk, owners, paths, the report) against
 * its floor: a bare breadth-first tp_traverse walk of the same roots (each
 * interpreter's sys.modules) with a visited set and nothing else, ending
 * paths where the audit does (at another interpreter's module). And the
 * scan of every loaded extension file's statics. Each figure is printed as
 * min / median / max of the runs; the ratio as the median of the per-run
 * ratios with their spread.
 *
 * usage: audit-bench N RUNS MODULE...
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interp.h"
#include "session.h"
#include "statics.h"
#include "bench-clock.h"

/* ------------------------------------------------------- the floor */

struct set {
	uintptr_t *v;
	size_t cap, n;
};

static int
set_add(struct set *s, uintptr_t p)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		struct set b = { calloc(s->cap ? s->cap * 2 : 4096, sizeof *b.v),
		    s->cap ? s->cap * 2 : 4096, 0 };

		for (i = 0; i < s->cap; i++) {
			if (s->v[i] != 0)
				set_add(&b, s->v[i]);
		}
		free(s->v);
		*s = b;
	}
	for (i = (p >> 4) * 0x9e3779b97f4a7c15ULL & (s->cap - 1); s->v[i] != 0;
	    i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == p)
			return 0;
	}
	s->v[i] = p;
	s->n++;
	return 1;
}

struct floor {
	struct set seen;
	uintptr_t *queue;
	size_t head, tail, cap;
};

static int
floor_visit(PyObject *o, void *arg)
{
	struct floor *f = arg;

	if (o == NULL || !set_add(&f->seen, (uintptr_t)o))
		return 0;
	if (f->tail == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4096;
		f->queue = realloc(f->queue, f->cap * sizeof *f->queue);
	}
	f->queue[f->tail++] = (uintptr_t)o;
	return 0;
}

static bool
set_has(const struct set *s, uintptr_t p)
{
	size_t i;

	if (s->cap == 0)
		return false;
	for (i = (p >> 4) * 0x9e3779b97f4a7c15ULL & (s->cap - 1); s->v[i] != 0;
	    i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == p)
			return true;
	}
	return false;
}

/* The modules of the entered interpreter and their dicts, into s. */
static void
modules_into(struct set *s)
{
	PyObject *mods = PySys_GetObject("modules"), *key, *value;
	Py_ssize_t pos = 0;

	while (mods != NULL && PyDict_Next(mods, &pos, &key, &value)) {
		if (!PyModule_Check(value))
			continue;
		set_add(s, (uintptr_t)value);
		set_add(s, (uintptr_t)PyModule_GetDict(value));
	}
}

/* The least any audit does: every interpreter's graph, walked once, with
 * the audit's rule that a path ends at another interpreter's module
 * (docs/snapshot.md); learning which modules those are is part of it. */
static size_t
floor_walk(void)
{
	struct set all = { NULL, 0, 0 };
	struct interp *it;
	size_t total = 0;

	for (it = interp_first(); it != NULL; it = it->next) {
		interp_enter(it);
		modules_into(&all);
		interp_leave(it);
	}
	for (it = interp_first(); it != NULL; it = it->next) {
		struct floor f = { { NULL, 0, 0 }, NULL, 0, 0, 0 };
		struct set own = { NULL, 0, 0 };

		interp_enter(it);
		modules_into(&own);
		floor_visit(PySys_GetObject("modules"), &f);
		while (f.head < f.tail) {
			PyObject *o = (PyObject *)f.queue[f.head++];
			PyTypeObject *t = Py_TYPE(o);

			if (t->tp_traverse == NULL || (PyType_Check(o) &&
			    !(((PyTypeObject *)o)->tp_flags & Py_TPFLAGS_HEAPTYPE)))
				continue;
			if (set_has(&all, (uintptr_t)o) && !set_has(&own, (uintptr_t)o))
				continue;
			t->tp_traverse(o, floor_visit, &f);
		}
		total += f.seen.n;
		interp_leave(it);
		free(f.seen.v);
		free(f.queue);
		free(own.v);
	}
	free(all.v);
	return total;
}

/* ---------------------------------------------------------------- run */

static void
spread(const char *what, double *v, int n, const char *unit)
{
	qsort(v, (size_t)n, sizeof *v, double_compare);
	printf("  %-34s %9.3f %s  (min %.3f, max %.3f, %d runs)\n", what,
	    v[n / 2], unit, v[0], v[n - 1], n);
}

int
main(int argc, char **argv)
{
	struct session *s;
	char *cause = NULL, code[256];
	int n, runs, i, m;
	double *audit_ms, *floor_ms, *ratio, *statics_ms;
	size_t visited = 0, walked = 0, objects = 0;
	struct run_result res;

	if (argc < 3) {
		fprintf(stderr, "usage: audit-bench N RUNS MODULE...\n");
		return 2;
	}
	n = atoi(argv[1]);
	runs = atoi(argv[2]);
	if (n < 1 || runs < 1)
		return 2;
	s = session_open_inprocess(&cause);
	if (s == NULL) {
		fprintf(stderr, "audit-bench: %s\n", cause);
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct interp_request req = { .preset = PRESET_LEGACY,
		    .own_gil = FLAG_UNSET, .own_obmalloc = FLAG_UNSET,
		    .check_ext = FLAG_UNSET, .allow_fork = FLAG_UNSET,
		    .allow_exec = FLAG_UNSET, .allow_threads = FLAG_UNSET,
		    .allow_daemon_threads = FLAG_UNSET };
		struct interp_info info;

		if (session_new(s, &req, &info, &cause) != 0) {
			fprintf(stderr, "audit-bench: %s\n", cause);
			return 1;
		}
	}
	for (m = 3; m < argc; m++) {
		struct interp *it;

		snprintf(code, sizeof code, "import %s", argv[m]);
		for (it = interp_first(); it != NULL; it = it->next)
			session_run(s, it->id, code, RUN_STATEMENTS, &res, &cause);
	}
	audit_ms = calloc((size_t)runs, sizeof *audit_ms);
	floor_ms = calloc((size_t)runs, sizeof *floor_ms);
	ratio = calloc((size_t)runs, sizeof *ratio);
	statics_ms = calloc((size_t)runs, sizeof *statics_ms);
	for (i = 0; i < runs; i++) {
		struct statics *st;
		struct audit *a;
		double t0, t1, t2, t3;

		/* interleaved: audit, floor, statics in every run */
		t0 = now_ms();
		if (session_audit(s, NULL, 0, NULL, 0, false, &a, &cause) != 0) {
			fprintf(stderr, "audit-bench: %s\n", cause);
			return 1;
		}
		t1 = now_ms();
		walked = floor_walk();
		t2 = now_ms();
		if (statics_collect_all(&st, &cause) != 0) {
			fprintf(stderr, "audit-bench: %s\n", cause);
			return 1;
		}
		t3 = now_ms();
		visited = a->visited;
		objects = a->nobjects;
		audit_free(a);
		statics_free(st);
		audit_ms[i] = t1 - t0;
		floor_ms[i] = t2 - t1;
		ratio[i] = audit_ms[i] / floor_ms[i];
		statics_ms[i] = t3 - t2;
	}
	printf("\naudit of %d interpreters + main, each with:", n);
	for (m = 3; m < argc; m++)
		printf(" %s", argv[m]);
	printf("\n  (%zu objects walked by the audit, %zu by the floor; %zu "
	    "cross)\n", visited, walked, objects);
	spread("%audit", audit_ms, runs, "ms");
	spread("floor (bare tp_traverse walk)", floor_ms, runs, "ms");
	spread("ratio", ratio, runs, "x");
	printf("  %-34s %s\n", "goal: ratio <= 3", ratio[runs / 2] <= 3.0 ?
	    "met" : "NOT met");
	spread("statics of every loaded extension", statics_ms, runs, "ms");
	printf("  %-34s %s\n", "goal: under 50 ms", statics_ms[runs / 2] < 50.0 ?
	    "met" : "NOT met");
	free(audit_ms);
	free(floor_ms);
	free(ratio);
	free(statics_ms);
	session_close(s);
	return 0;
}
