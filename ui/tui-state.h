/*
 * tui-state.h: the TUI's state, shared by tui.c and its panes and
 * overlays (ui-internal).
 */
#ifndef SUBREPL_UI_TUI_STATE_H
#define SUBREPL_UI_TUI_STATE_H

#include <stdbool.h>
#include <stdio.h>

#include "console.h"
#include "model.h"
#include "pane.h"
#include "provide-curses.h"
#include "repl.h"

struct capture;

enum overlay_kind {
	OVERLAY_NONE,
	OVERLAY_HELP,     /* every key */
	OVERLAY_NEW,      /* choose a preset for %new */
	OVERLAY_CONFIRM,  /* y/n before %del */
	OVERLAY_INPUT,    /* one line of text: module to import, filter */
};

/* What a line typed in an OVERLAY_INPUT is for. */
enum input_purpose {
	INPUT_IMPORT,
	INPUT_FILTER,
};

struct tui {
	struct repl *repl;              /* the REPL lines and actions go to */
	struct session *session;
	bool from_line;                 /* entered with %tui: q goes back */
	bool leave;                     /* q or F10 was pressed */

	struct ui_model *model;         /* what the panes show, or NULL */
	struct ui_model *before;        /* the model before the last step:
	                                 * what changes are measured against */
	struct ui_refusals refused;     /* imports refused, per interpreter */
	char *detail;                   /* the module opened in Detail */
	char filter[64];                /* the map shows modules containing it */
	int *shown;                     /* map rows passing the filter */
	int nshown;

	struct pane panes[PANE_COUNT];
	enum pane_id focus;
	struct console console;         /* the scrollback */
	size_t console_seen;            /* console.added when last drawn */
	int console_back;               /* lines scrolled back from the end */
	interp_id *marked;              /* interpreters marked with Space */
	size_t nmarked;

	WINDOW *status;                 /* the bottom line */
	char python[32];                /* the status line's facts, read from */
	long host_pid;                  /* the session after each step (so */
	bool host_dead;                 /* drawing never asks the session) */
	char note[256];                 /* its message until the next key */
	bool note_error;
	bool busy;                      /* a step runs */
	double busy_since;              /* when it started (monotonic s) */
	char busy_what[128];            /* what it is */
	int spin;                       /* progress spinner frame */

	enum overlay_kind overlay;
	WINDOW *overlay_win;            /* drawn after the panes, on top */
	int overlay_choice;             /* the highlighted choice */
	enum input_purpose input_for;
	char input[256];                /* the overlay's text line */
	size_t input_len;
	char confirm_cmd[128];          /* what y runs */
	char confirm_text[160];         /* the question */

	bool too_small;                 /* below the minimum size */
	struct capture *capture;        /* fd 1 and 2 into the console */
	SCREEN *screen;
	FILE *tty_out;                  /* the terminal, for curses */
	FILE *tty_in;
};

/* Minimum size drawn; smaller terminals get a message. */
#define TUI_MIN_COLS 60
#define TUI_MIN_ROWS 16

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

/* Mark every pane for redrawing. */
void tui_dirty_all(struct tui *t);

/* The keys go `step` panes on (back when negative), over panes the layout
 * has no room for. */
void tui_focus_move(struct tui *t, int step);

/* The interpreters a key acts on: the marked ones, else the cursor's. */
size_t tui_targets(struct tui *t, interp_id *ids, size_t max);

bool tui_is_marked(const struct tui *t, interp_id id);

/* Recompute t->shown from the filter. */
void tui_filter_rows(struct tui *t);

/* Overlays (overlay.c). */
void overlay_open(struct tui *t, enum overlay_kind kind);
void overlay_close(struct tui *t);
void overlay_draw(struct tui *t);
void overlay_key(struct tui *t, int key);

/* The console's input line (prompt.c): readline drawn in curses. */
void prompt_start(struct tui *t);
void prompt_stop(void);
void prompt_key(struct tui *t, int key);
void prompt_draw(struct tui *t);
void prompt_interrupted(struct tui *t);
/* The prompt again, after a step changed the current interpreter. */
void prompt_update(struct tui *t);
/* Whether the input line holds text. */
bool prompt_has_text(void);

/* The status line (status.c). */
void status_draw(struct tui *t);

/* Monotonic seconds (how long a step has run). */
double tui_now(void);

/* Draw what is dirty, the status line and any overlay; one doupdate. */
void tui_draw(struct tui *t);

/* Lay the panes out for the terminal's size (layout.c). */
void layout_apply(struct tui *t);

#endif
