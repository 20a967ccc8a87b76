/*
 * layout.c: where the panes go for the terminal's size. Up to 159 columns:
 * Interpreters and the map side by side on top, Detail below them, the
 * console under that, the status line last. From 160 columns two columns:
 * Interpreters over the console on the left, the map over Detail on the
 * right, so the map and Detail get rows and Detail room for several
 * interpreters side by side. Windows are made anew on every change of size
 * (cheap, and no leftovers of the old geometry). Below LAYOUT_MIN_COLS x
 * LAYOUT_MIN_ROWS there are no panes, only a message.
 */
#include "config.h"

#include "layout.h"

#include <stdio.h>

#include "draw.h"
#include "pane.h"
#include "provide-curses.h"
#include "tui-state.h"

/* The smallest terminal the panes are drawn in. */
#define LAYOUT_MIN_COLS 60
#define LAYOUT_MIN_ROWS 16

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
	t->too_small = cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS;
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

void
layout_draw_too_small(void)
{
	char msg[2][64];
	int y = LINES / 2 - 2 > 0 ? LINES / 2 - 2 : 0;

	/* short lines: the sizes must show on the smallest screen */
	werase(stdscr);
	snprintf(msg[0], sizeof msg[0], "Terminal %dx%d:", COLS, LINES);
	snprintf(msg[1], sizeof msg[1], "needs %dx%d.", LAYOUT_MIN_COLS,
	    LAYOUT_MIN_ROWS);
	draw_text(stdscr, y, 1, COLS - 2, A_BOLD, msg[0]);
	draw_text(stdscr, y + 1, 1, COLS - 2, A_BOLD, msg[1]);
	draw_text(stdscr, y + 2, 1, COLS - 2, A_NORMAL, "Make it larger,");
	draw_text(stdscr, y + 3, 1, COLS - 2, A_NORMAL, "or q or F10 to leave.");
	wnoutrefresh(stdscr);
}
