/*
 * audit-view.h: the TUI's audit view (audit-view.c), what %audit prints as
 * a screen: every object that crosses interpreters through one module (or
 * through all of them), dangerous ones and those where the crossing starts
 * first, and under the list the selected object's owner, flags and each
 * interpreter's path to it. It opens over the panes as an overlay does
 * (overlay.h) and keeps its own state.
 */
#ifndef SUBREPL_UI_AUDIT_VIEW_H
#define SUBREPL_UI_AUDIT_VIEW_H

#include <stdbool.h>

#include "provide-curses.h"

struct tui;
struct audit_view;

/* Walk from `module` (NULL: every module of every interpreter) and make
 * the view; NULL with a note in the status line when the audit fails. */
struct audit_view *audit_view_open(struct tui *t, const char *module);

void audit_view_free(struct audit_view *v);

/* Draw the view into win, which covers the panes. */
void audit_view_draw(struct audit_view *v, struct tui *t, WINDOW *win);

/* A key; false when it closes the view. */
bool audit_view_key(struct audit_view *v, struct tui *t, int key);

#endif
