/*
 * pane.h: a pane is a window with a title bar and a class, htop's
 * Panel/Object style: the class's slots draw it and take its keys. The TUI
 * (tui.c) owns the panes, the model and the console; panes read them and
 * ask for actions through tui-actions.h.
 */
#ifndef SUBREPL_UI_PANE_H
#define SUBREPL_UI_PANE_H

#include <stdbool.h>

#include "provide-curses.h"

struct tui;
struct pane;

struct pane_class {
	/* Draw the content below the title bar (row 0 is the title). */
	void (*draw)(struct pane *p, struct tui *t);
	/* A key while the pane has focus; false if the pane does not use it
	 * (then the TUI's global keys get it). */
	bool (*key)(struct pane *p, struct tui *t, int key);
	/* Items the cursor moves over (rows), for the shared cursor keys. */
	int (*count)(struct pane *p, struct tui *t);
};

struct pane {
	const struct pane_class *cls;
	WINDOW *win;      /* the pane's area, title bar included; NULL when
	                   * the layout has no room for it */
	int y, x, h, w;   /* where it is on screen */
	int cursor;       /* the selected item */
	int top;          /* the first item shown */
	int left;         /* columns scrolled right */
	bool dirty;       /* draw again before the next doupdate */
};

enum pane_id {
	PANE_INTERPS,
	PANE_MAP,
	PANE_DETAIL,
	PANE_CONSOLE,
	PANE_COUNT,
};

extern const struct pane_class pane_interps_class;
extern const struct pane_class pane_map_class;
extern const struct pane_class pane_detail_class;
extern const struct pane_class pane_console_class;

/* Cursor movement common to list panes (arrows, j/k, PgUp/PgDn, Home,
 * End); true if the key was one of them. */
bool pane_move(struct pane *p, struct tui *t, int key);

/* Keep the cursor in [0, count) and visible in `rows` rows. */
void pane_clamp(struct pane *p, int count, int rows);

#endif
