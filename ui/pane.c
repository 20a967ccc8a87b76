/*
 * pane.c: what every pane has alike: its own state, made on first use,
 * and for list panes the cursor moved and kept in view (see pane.h). The
 * keys bound to the moves are in keys.h.
 */
#include "config.h"

#include "pane.h"

#include <limits.h>
#include <stdlib.h>

#include "xmalloc.h"

void
pane_clamp(struct pane *p, int count, int rows)
{
	if (p->cursor >= count)
		p->cursor = count - 1;
	if (p->cursor < 0)
		p->cursor = 0;
	if (rows < 1)
		rows = 1;
	if (p->top > p->cursor)
		p->top = p->cursor;
	if (p->cursor >= p->top + rows)
		p->top = p->cursor - rows + 1;
	if (p->top < 0)
		p->top = 0;
}

/* The cursor to `to`, kept on a row; the pane is drawn again. */
static bool
cursor_to(struct pane *p, struct tui *t, int to)
{
	int count = p->cls->count != NULL ? p->cls->count(p, t) : 0;

	p->cursor = to;
	if (p->cursor >= count)
		p->cursor = count - 1;
	if (p->cursor < 0)
		p->cursor = 0;
	p->dirty = true;
	return true;
}

void *
pane_state(struct pane *p)
{
	if (p->state == NULL && p->cls->state_size > 0)
		p->state = xcalloc(1, p->cls->state_size);
	return p->state;
}

void
pane_free(struct pane *p)
{
	if (p->state != NULL && p->cls->state_free != NULL)
		p->cls->state_free(p->state);
	free(p->state);
	p->state = NULL;
	if (p->win != NULL)
		delwin(p->win);
	p->win = NULL;
}

int
pane_page_rows(const struct pane *p)
{
	return p->h > 4 ? p->h - 3 : 1;
}

bool
pane_cursor_up(struct pane *p, struct tui *t)
{
	return cursor_to(p, t, p->cursor - 1);
}

bool
pane_cursor_down(struct pane *p, struct tui *t)
{
	return cursor_to(p, t, p->cursor + 1);
}

bool
pane_page_up(struct pane *p, struct tui *t)
{
	return cursor_to(p, t, p->cursor - pane_page_rows(p));
}

bool
pane_page_down(struct pane *p, struct tui *t)
{
	return cursor_to(p, t, p->cursor + pane_page_rows(p));
}

bool
pane_cursor_first(struct pane *p, struct tui *t)
{
	return cursor_to(p, t, 0);
}

bool
pane_cursor_last(struct pane *p, struct tui *t)
{
	return cursor_to(p, t, INT_MAX);
}

/* Sideways: the draw slot keeps `left` within what there is to show. */
bool
pane_scroll_left(struct pane *p, struct tui *t)
{
	if (p->left > 0)
		p->left--;
	return cursor_to(p, t, p->cursor);
}

bool
pane_scroll_right(struct pane *p, struct tui *t)
{
	p->left++;
	return cursor_to(p, t, p->cursor);
}
