/*
 * tui-bench.c: the TUI's drawing cost, off-screen: a model of NI
 * interpreters x NM modules (made as snapshots from plain data, the way the
 * host's would arrive) drawn by the real panes into a curses screen whose
 * output goes to a byte counter instead of a terminal.
 *
 * It prints the median time of a full frame (every pane redrawn, curses
 * told the screen is garbage so it repaints all of it), the time to build
 * and compare a model, and the bytes curses writes for a step that changes
 * one cell of the map (the cell and its highlight; nothing else moved).
 * curses writes with write(2) on the output's descriptor, so the output is
 * a temporary file and bytes are its growth.
 *
 * usage: bench/tui-bench [INTERPRETERS [MODULES [FRAMES]]]
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "snapshot.h"
#include "strpool.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"
#include "bench-clock.h"

/* Bytes curses has written so far. */
static size_t
written(FILE *out)
{
	fflush(out);
	return (size_t)lseek(fileno(out), 0, SEEK_END);
}

/* Every fifth module is single-phase (copied into all but interpreter 0,
 * 10 attributes of which 7 shared), every fifth multi-phase, the rest
 * Python. `variant` flips one cell: module 5 in interpreter 3 becomes
 * absent. */
static struct snapshot *
make_snapshot(int ni, int nm, bool attrs, int variant)
{
	struct strpool *pool = strpool_new();
	struct snap_part *parts = xcalloc((size_t)ni * (size_t)nm, sizeof *parts);
	struct snapshot *snap;
	size_t n = 0;
	int i, m, a;

	for (m = 0; m < nm; m++) {
		char name[32];
		enum module_kind kind = m % 5 == 0 ? KIND_SINGLE :
		    m % 5 == 1 ? KIND_MULTI : KIND_PYTHON;

		if (attrs && kind != KIND_SINGLE)
			continue;
		snprintf(name, sizeof name, "module_%03d", m);
		for (i = 0; i < ni; i++) {
			struct snap_part *p = &parts[n];

			if (variant && m == 5 && i == 3)
				continue;
			n++;
			p->name = strpool_intern(pool, name, strlen(name));
			p->module.kind = kind;
			p->module.has_def = kind != KIND_PYTHON && i == 0;
			p->module.m_size = -1;
			p->module.multi_interp = p->module.gil = -1;
			p->module.instances = xcalloc(1, sizeof *p->module.instances);
			p->module.ninstances = 1;
			p->module.instances[0].interp = i;
			p->module.instances[0].module = 0x10000 + (uintptr_t)(m * 1000 + i);
			p->module.instances[0].copied = kind == KIND_SINGLE && i > 0;
			p->module.instances[0].m_copy_size = -1;
			if (!attrs)
				continue;
			p->values = xcalloc(10, sizeof *p->values);
			p->nvalues = 10;
			for (a = 0; a < 10; a++) {
				char an[16];
				struct snap_value *v = &p->values[a];

				snprintf(an, sizeof an, "attr_%d", a);
				v->name = strpool_intern(pool, an, strlen(an));
				v->type = strpool_intern(pool, "list", 4);
				v->object.interp = i;
				v->object.addr = a < 7 ? 0x200000 + (uintptr_t)(m * 16 + a) :
				    0x300000 + (uintptr_t)(m * 10000 + i * 16 + a);
				v->object.preview = a == 0 ?
				    strpool_intern(pool, "['x']", 5) : NULL;
			}
		}
	}
	snap = snapshot_merge(parts, n, pool);
	snap->python_version = xstrdup("bench");
	snap->ninterps = (size_t)ni;
	snap->interps = xcalloc((size_t)ni, sizeof *snap->interps);
	for (i = 0; i < ni; i++) {
		snap->interps[i].id = i;
		snprintf(snap->interps[i].name, sizeof snap->interps[i].name,
		    i == 0 ? "main" : "w%d", i);
		snprintf(snap->interps[i].config.preset,
		    sizeof snap->interps[i].config.preset, "legacy");
		snap->interps[i].current = i == 0;
		snap->interps[i].modules = nm;
	}
	return snap;
}


int
main(int argc, char **argv)
{
	int ni = argc > 1 ? atoi(argv[1]) : 64;
	int nm = argc > 2 ? atoi(argv[2]) : 300;
	int frames = argc > 3 ? atoi(argv[3]) : 50, i, p;
	static const struct pane_class *const classes[PANE_COUNT] = {
		&pane_interps_class, &pane_map_class, &pane_detail_class,
		&pane_console_class,
	};
	FILE *out = tmpfile(), *in = fopen("/dev/null", "r");
	struct tui t;
	struct ui_model *other;
	struct snapshot *snaps[4];
	double *ms = xcalloc((size_t)frames, sizeof *ms), t0, build_ms;
	size_t before, frame_bytes;
	SCREEN *screen;

	setlocale(LC_ALL, "");
	setenv("LINES", "60", 1);
	setenv("COLUMNS", "200", 1);
	screen = newterm("xterm-256color", out, in);
	if (screen == NULL) {
		fprintf(stderr, "tui-bench: no xterm-256color terminfo\n");
		return 1;
	}
	set_term(screen);
	theme_init();

	memset(&t, 0, sizeof t);
	for (p = 0; p < PANE_COUNT; p++)
		t.panes[p].cls = classes[p];
	console_init(&t.console);
	for (i = 0; i < 200; i++)
		console_line(&t.console, STREAM_OUT, "some output of a step");
	snprintf(t.python, sizeof t.python, "bench");
	t.detail = xstrdup("module_000");
	t.focus = PANE_MAP;
	for (i = 0; i < 4; i++)
		snaps[i] = make_snapshot(ni, nm, i % 2 == 1, i / 2);
	t0 = now_ms();
	t.model = ui_model_build(snaps[0], snaps[1], "module_000", NULL);
	other = ui_model_build(snaps[2], snaps[3], "module_000", NULL);
	ui_model_mark_changes(other, t.model);
	build_ms = now_ms() - t0;
	tui_filter_rows(&t);
	layout_apply(&t);

	before = written(out);
	for (i = 0; i < frames; i++) {
		tui_dirty_all(&t);
		clearok(curscr, TRUE);
		t0 = now_ms();
		tui_draw(&t);
		ms[i] = now_ms() - t0;
	}
	frame_bytes = (written(out) - before) / (size_t)frames;
	qsort(ms, (size_t)frames, sizeof *ms, double_compare);

	/* one step that changes one cell (module_005 leaves interpreter 3):
	 * the panes are drawn again, curses sends what differs */
	t.panes[PANE_MAP].cursor = 10;
	tui_dirty_all(&t);
	tui_draw(&t);
	before = written(out);
	ui_model_free(t.model);
	t.model = other;
	tui_filter_rows(&t);
	tui_dirty_all(&t);
	tui_draw(&t);
	before = written(out) - before;

	endwin();
	delscreen(screen);
	printf("TUI, %d interpreters x %d modules, 200x60 terminal\n", ni, nm);
	printf("  full frame (median of %d)   %8.2f ms   goal < 8 ms: %s\n",
	    frames, ms[frames / 2], ms[frames / 2] < 8 ? "met" : "NOT met");
	printf("  bytes of a full frame       %8zu B\n", frame_bytes);
	printf("  two models built, compared  %8.2f ms\n", build_ms);
	printf("  bytes for a one-cell step   %8zu B    goal < 2 KB: %s\n",
	    before, before < 2048 ? "met" : "NOT met");
	free(ms);
	return 0;
}
