/*
 * pane.h: a pane is a window with a title bar and a class, htop's
 * Panel/Object style: the class's slots draw it and count its rows, and
 * the pane carries what only it reads (the Detail's address mode, the
 * console's scrollback position, the interpreters marked) as the class's
 * own state, the way htop's panels carry theirs. The TUI (tui.c) owns the
 * panes, the model and the console; panes read them. What keys do to a
 * pane are the actions below, bound in keys.h.
 */
#ifndef SUBREPL_UI_PANE_H
#define SUBREPL_UI_PANE_H

#include <stdbool.h>
#include <stddef.h>

#include "provide-curses.h"
#include "session.h"

struct tui;
struct pane;

struct pane_class {
	/* Draw the content below the title bar (row 0 is the title). */
	void (*draw)(struct pane *p, struct tui *t);
	/* Items the cursor moves over (rows), for the shared cursor keys. */
	int (*count)(struct pane *p, struct tui *t);
	/* Optional: whether the pane must be drawn again though nothing
	 * marked it dirty (the console: lines arrived while a step ran). */
	bool (*stale)(struct pane *p, struct tui *t);
	/* The size of the class's own state (0: none); it starts zeroed. */
	size_t state_size;
	/* Optional: free what the state points to (not the state itself). */
	void (*state_free)(void *state);
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
	void *state;      /* the class's own state (pane_state), or NULL
	                   * until first used */
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

/* Keep the cursor in [0, count) and visible in `rows` rows. */
void pane_clamp(struct pane *p, int count, int rows);

/* The rows PgUp and PgDn move: the pane's rows less its title and
 * header. */
int pane_page_rows(const struct pane *p);

/* The class's own state, made (zeroed) on first use, so a pane needs no
 * setup beyond its class. */
void *pane_state(struct pane *p);

/* Free the pane's state and window. */
void pane_free(struct pane *p);

/* What the rest of the TUI asks of one pane, by its state. */

/* The interpreters a key acts on (pane-interps.c): the marked ones, else
 * the one under the Interpreters cursor; how many went into ids. */
size_t pane_interps_targets(struct tui *t, interp_id *ids, size_t max);

/* After a new model: forget the marks of interpreters that are gone. */
void pane_interps_prune(struct tui *t);

/* The console's view back at its end (pane-console.c): what is typed and
 * what a step prints are seen. */
void pane_console_follow(struct tui *t);

/*
 * The keys' actions (keys.h binds them): each gets the focused pane and
 * the TUI, and returns false when it does nothing there (no interpreter
 * under the cursor), so the lookup goes on.
 */

/* Every list pane alike (pane.c): the cursor a row, a page, to the first
 * or last row; the columns sideways. */
bool pane_cursor_up(struct pane *p, struct tui *t);
bool pane_cursor_down(struct pane *p, struct tui *t);
bool pane_page_up(struct pane *p, struct tui *t);
bool pane_page_down(struct pane *p, struct tui *t);
bool pane_cursor_first(struct pane *p, struct tui *t);
bool pane_cursor_last(struct pane *p, struct tui *t);
bool pane_scroll_left(struct pane *p, struct tui *t);
bool pane_scroll_right(struct pane *p, struct tui *t);

/* Interpreters (pane-interps.c): %use the one under the cursor; ask
 * before %del of it; mark it (and move on); mark all or, when all are,
 * none. */
bool pane_interps_use(struct pane *p, struct tui *t);
bool pane_interps_destroy(struct pane *p, struct tui *t);
bool pane_interps_mark(struct pane *p, struct tui *t);
bool pane_interps_mark_all(struct pane *p, struct tui *t);

/* Sharing map (pane-map.c): open the module under the cursor in Detail. */
bool pane_map_open(struct pane *p, struct tui *t);

/* Detail (pane-detail.c): addresses instead of values, and back. */
bool pane_detail_addresses(struct pane *p, struct tui *t);

/* Put Detail's cursor on the attribute of that name, wherever the drawing
 * order puts it; false when the module shown has none. */
bool pane_detail_point(struct pane *p, struct tui *t, const char *attr);

/* Console (pane-console.c): a page back into the scrollback, or forth. */
bool pane_console_back(struct pane *p, struct tui *t);
bool pane_console_forth(struct pane *p, struct tui *t);

#endif
