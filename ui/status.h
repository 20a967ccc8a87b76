/*
 * status.h: the bottom line (status.c), drawn from the facts struct tui
 * keeps after each step, never from the session.
 */
#ifndef SUBREPL_UI_STATUS_H
#define SUBREPL_UI_STATUS_H

struct tui;

/* Draw the status line into t->status and send it (wnoutrefresh). */
void status_draw(struct tui *t);

#endif
