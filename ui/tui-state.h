/*
 * tui-state.h: what the parts of the TUI share (ui-internal): the session
 * and the REPL steps go to, the model every pane draws from, the panes and
 * which has the keys, the console's lines, the status line's facts, and
 * the terminal. What only one pane reads is that pane's own state
 * (pane.h); the overlays keep theirs in overlay.c. Below, what tui.c
 * offers the rest of ui/.
 */
#ifndef SUBREPL_UI_TUI_STATE_H
#define SUBREPL_UI_TUI_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "console.h"
/* bench/tui-bench.c lays the panes out with this header alone */
#include "layout.h"
#include "model.h"
#include "pane.h"
#include "provide-curses.h"

struct capture;
struct overlay;
struct repl;
struct session;

struct tui {
	struct repl *repl;              /* the REPL lines and keys' commands
	                                 * go to, as in line mode */
	struct session *session;        /* the REPL's, for snapshots */
	bool from_line;                 /* entered with %tui: q goes back */
	bool leave;                     /* q or F10 was pressed */

	struct ui_model *model;         /* what the panes show, or NULL */
	struct ui_model *before;        /* the model before the last step:
	                                 * what changes are measured against */
	struct ui_refusals refused;     /* imports refused, per interpreter:
	                                 * the model's refused cells */
	char *detail;                   /* the module opened in Detail: the
	                                 * model fetches its attributes and the
	                                 * map shows it in bold; or NULL */
	char filter[64];                /* the map shows modules containing
	                                 * it; the / overlay edits it */
	int *shown;                     /* the model's rows passing the filter,
	                                 * the map's rows */
	int nshown;                     /* how many */
	int nown;                       /* rows left out as subrepl's own
	                                 * (session_own_module): a filter
	                                 * that matches them shows them */

	struct pane panes[PANE_COUNT];  /* by enum pane_id */
	enum pane_id focus;             /* the pane that has the keys */
	struct console console;         /* every line the session printed */
	struct overlay *overlay;        /* what is open over the panes and
	                                 * takes the keys (overlay.c), or NULL */

	/* The status line's facts are read from the session after each
	 * step (tui_refresh), so drawing never asks the session. */
	WINDOW *status;                 /* the bottom line (status.c) */
	char python[32];                /* Python's version */
	long host_pid;                  /* the host's pid; 0: in-process */
	bool host_dead;                 /* the host died: %restart */
	char note[256];                 /* a message there until the next key */
	bool note_error;                /* ... that is an error */
	bool busy;                      /* a step runs */
	double busy_since;              /* when it started (monotonic_seconds) */
	char busy_what[128];            /* what it is */
	const char *paused;             /* a command waits for a key (the
	                                 * tour): its hint, else NULL */
	int spin;                       /* progress spinner frame */
	bool deep_due;                  /* the holds-shared marks are older
	                                 * than the model: the deep walk runs
	                                 * when no key waits (refresh.c) */
	bool deepening;                 /* it runs */
	bool deep_stopping;             /* ... and a key asked it to stop */

	bool too_small;                 /* below the minimum size: a message
	                                 * instead of panes (layout.c) */
	struct capture *capture;        /* fd 1 and 2 into the console */
	SCREEN *screen;                 /* curses on the terminal's copy */
	FILE *tty_out;                  /* the terminal, for curses */
	FILE *tty_in;                   /* ... and its keys */
};

/* Run one line as the console would (echoed with its prompt, journaled),
 * then refresh the model. */
void tui_run_line(struct tui *t, const char *line);

/* Run a command made by a key ("%use 2"), echoed like typed text. */
void tui_command(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A message in the status line until the next key. */
void tui_note(struct tui *t, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Open the detail of a module and fetch its attributes. */
void tui_open_detail(struct tui *t, const char *module);

/* Take a new model from the session and mark what the last step changed;
 * `step`: one just ran (else the marks stay those of the last step). */
void tui_refresh(struct tui *t, bool step);

/* The deep walk, if due: the model again with the holds-shared marks of
 * now. A key typed meanwhile stops it (it stays due). */
void tui_deepen(struct tui *t);

/* While the deep walk waits for the host: stop it if a key waits. */
void tui_deepen_idle(struct tui *t);

/* Whether a key waits to be read. */
bool tui_key_waiting(struct tui *t);

/* Mark every pane for redrawing. */
void tui_dirty_all(struct tui *t);

/* The keys go `step` panes on (back when negative), over panes the layout
 * has no room for. */
void tui_focus_move(struct tui *t, int step);

/* Recompute t->shown from the filter. */
void tui_filter_rows(struct tui *t);

/* Draw what is dirty, the status line and any overlay; one doupdate. */
void tui_draw(struct tui *t);

#endif
