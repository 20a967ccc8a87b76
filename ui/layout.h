/*
 * layout.h: where the panes go for the terminal's size, and what shows
 * instead when the terminal is smaller than the TUI needs (layout.c).
 */
#ifndef SUBREPL_UI_LAYOUT_H
#define SUBREPL_UI_LAYOUT_H

struct tui;

/* Make the panes' windows and the status line for the terminal's size
 * (LINES x COLS); below the minimum, set t->too_small and make no panes. */
void layout_apply(struct tui *t);

/* The too-small screen: the terminal's size, the size needed, and how to
 * leave. */
void layout_draw_too_small(void);

#endif
