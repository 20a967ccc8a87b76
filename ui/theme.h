/*
 * theme.h: how each kind of thing on screen looks. One role per meaning
 * (the dangerous shared object, a change since the last step, the focused
 * pane's title), mapped to a color pair with the terminal's own background,
 * or, under NO_COLOR or on a monochrome terminal, to bold, reverse and
 * underline only, so the screen reads the same without color. Glyphs are
 * Unicode on a UTF-8 locale and ASCII elsewhere.
 */
#ifndef SUBREPL_UI_THEME_H
#define SUBREPL_UI_THEME_H

#include <stdbool.h>

#include "model.h"

enum theme_role {
	ROLE_NORMAL,
	ROLE_TITLE,        /* a pane's title bar */
	ROLE_TITLE_FOCUS,  /* ... of the pane that has the keys */
	ROLE_SELECTED,     /* the cursor row of the focused pane */
	ROLE_SELECTED_DIM, /* the cursor row of another pane */
	ROLE_SHARED,       /* a heap object shared by interpreters */
	ROLE_STATIC,       /* static or immortal objects */
	ROLE_DISTINCT,     /* each interpreter has its own */
	ROLE_DIM,          /* addresses, absent cells, hints */
	ROLE_CHANGED,      /* what the last step changed */
	ROLE_ERROR,        /* stderr in the console, refusals */
	ROLE_PROMPT,       /* the console's prompt */
	ROLE_STATUS,       /* the status line */
	ROLE_CURRENT,      /* the current interpreter's marker */
	ROLE_COUNT,
};

/* Decide colors and glyphs; call after initscr/newterm. */
void theme_init(void);

/* Whether colors are in use. */
bool theme_colored(void);

/* Whether glyphs are Unicode (a UTF-8 locale). */
bool theme_unicode(void);

/* The curses attributes of a role. */
int theme_attr(enum theme_role role);

/* The glyph of a map cell class ("●", or "o" in ASCII). */
const char *theme_cell_glyph(enum cell_class cls);

/* The role a map cell is drawn in. */
enum theme_role theme_cell_role(enum cell_class cls);

/* The role of an attribute verdict. */
enum theme_role theme_sharing_role(enum sharing s);

/* The marker of the current interpreter, a vertical separator, "...". */
const char *theme_current_mark(void);
const char *theme_ellipsis(void);

#endif
