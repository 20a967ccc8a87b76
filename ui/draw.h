/*
 * draw.h: putting UTF-8 text into a curses window by screen columns:
 * clipped to a width (with an ellipsis when cut), wide characters
 * counted as two, undecodable bytes shown as '?'.
 */
#ifndef SUBREPL_UI_DRAW_H
#define SUBREPL_UI_DRAW_H

#include <stdbool.h>

#include "provide-curses.h"

/* Columns s takes on screen. */
int text_cols(const char *s);

/* Draw s at (y, x) in at most width columns with attr; returns the
 * columns used. Cut text ends in the theme's ellipsis. */
int draw_text(WINDOW *w, int y, int x, int width, int attr, const char *s);

/* The same, skipping the first `skip` columns of s (horizontal scroll). */
int draw_text_from(WINDOW *w, int y, int x, int width, int attr,
    const char *s, int skip);

/* The same without the ellipsis: one row of text that wraps. */
int draw_text_slice(WINDOW *w, int y, int x, int width, int attr,
    const char *s, int skip);

/* Spaces from (y, x) for width columns. */
void draw_fill(WINDOW *w, int y, int x, int width, int attr);

/* A pane's title bar on row 0: the title, then `right` flush right. */
void draw_title(WINDOW *w, const char *title, const char *right, bool focus);

#endif
