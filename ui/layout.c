/*
 * layout.c: where the panes go for the terminal's size. Up to 159 columns:
 * Interpreters and the map side by side on top, Detail below them, the
 * console under that, the status line last. From 160 columns two columns:
 * Interpreters over the console on the left, the map over Detail on the
 * right, so the map and Detail get rows and Detail room for several
 * interpreters side by side. Windows are made anew on every change of size (cheap, and no
 * leftovers of the old geometry).
 */
#include "config.h"

#include "tui-state.h"

static void
place(struct pane *p, int y, int x, int h, int w)
{
	if (p->win != NULL)
		delwin(p->win);
	p->win = NULL;
	p->y = y;
	p->x = x;
	p->h = h;
	p->w = w;
	if (h >= 2 && w >= 10)
		p->win = newwin(h, w, y, x);
	p->dirty = true;
}

void
layout_apply(struct tui *t)
{
	int rows = LINES, cols = COLS, top, mid, console, left;
	struct pane *ps = t->panes;

	if (t->status != NULL)
		delwin(t->status);
	t->status = newwin(1, cols, rows - 1, 0);
	t->too_small = cols < TUI_MIN_COLS || rows < TUI_MIN_ROWS;
	if (t->too_small) {
		int i;

		for (i = 0; i < PANE_COUNT; i++)
			place(&ps[i], 0, 0, 0, 0);
		return;
	}
	left = cols >= 120 ? 40 : cols >= 100 ? 34 : 30;
	if (cols >= 160) {
		left = cols * 2 / 5;
		top = (rows - 1) / 3;
		mid = (rows - 1) / 2;
		place(&ps[PANE_INTERPS], 0, 0, top, left);
		place(&ps[PANE_CONSOLE], top, 0, rows - 1 - top, left);
		place(&ps[PANE_MAP], 0, left, mid, cols - left);
		place(&ps[PANE_DETAIL], mid, left, rows - 1 - mid, cols - left);
	} else {
		top = (rows - 1) * 9 / 20;
		mid = (rows - 1) / 4;
		console = rows - 1 - top - mid;
		place(&ps[PANE_INTERPS], 0, 0, top, left);
		place(&ps[PANE_MAP], 0, left, top, cols - left);
		place(&ps[PANE_DETAIL], top, 0, mid, cols);
		place(&ps[PANE_CONSOLE], top + mid, 0, console, cols);
	}
}
