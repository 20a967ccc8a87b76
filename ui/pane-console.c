/*
 * pane-console.c: the scrollback, bottom-anchored, above the input line
 * that prompt.c draws. Long lines wrap (a traceback or a %share row is
 * read whole); stderr is drawn in the error role, typed lines and the
 * commands keys make in the prompt role. PgUp/PgDn scroll back by lines of
 * output; typing brings the view back to the end. Where the view is, and
 * how much of the console it has drawn, are the pane's own state.
 */
#include "config.h"

#include "pane.h"

#include <stdio.h>
#include <stdlib.h>

#include "console.h"
#include "draw.h"
#include "prompt.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"

struct console_state {
	int back;        /* lines scrolled back from the end */
	size_t seen;     /* t->console.added when last drawn */
};

static int
console_count(struct pane *p, struct tui *t)
{
	(void)p;
	return (int)t->console.n;
}

static int
stream_attr(enum console_stream s)
{
	switch (s) {
	case STREAM_ERR:
		return theme_attr(ROLE_ERROR);
	case STREAM_ECHO:
		return theme_attr(ROLE_PROMPT);
	case STREAM_INFO:
		return theme_attr(ROLE_DIM);
	case STREAM_OUT:
		break;
	}
	return theme_attr(ROLE_NORMAL);
}

static void
console_draw(struct pane *p, struct tui *t)
{
	struct console_state *st = pane_state(p);
	int rows = p->h - 2, i, n = (int)t->console.n, last, y;
	char right[64];

	st->seen = t->console.added;
	if (st->back > n - rows)
		st->back = n - rows > 0 ? n - rows : 0;
	if (st->back > 0)
		snprintf(right, sizeof right, "%d lines back: PgDn", st->back);
	draw_title(p->win, "Console", st->back > 0 ? right :
	    "Python and %commands", t->focus == PANE_CONSOLE);
	/* bottom-up: each line takes as many rows as it wraps to; output
	 * without its newline yet (input()'s prompt) comes last */
	last = n - st->back;
	y = rows;
	for (i = 1; i >= 0 && st->back == 0; i--) {
		if (t->console.partial_len[i] > 0 && y > 0) {
			char *text = xstrndup(t->console.partial[i],
			    t->console.partial_len[i]);

			draw_text(p->win, y--, 0, p->w, stream_attr(i == 1 ?
			    STREAM_ERR : STREAM_OUT), text);
			free(text);
		}
	}
	for (i = last - 1; i >= 0 && y > 0; i--) {
		const struct console_line *l = console_get(&t->console, (size_t)i);
		int cols = text_cols(l->text);
		int need = cols > p->w ? (cols + p->w - 1) / p->w : 1, r;

		for (r = need - 1; r >= 0; r--, y--) {
			if (y <= 0)
				break;
			draw_text_slice(p->win, y, 0, p->w, stream_attr(l->stream),
			    l->text, r * p->w);
		}
	}
	prompt_draw(t);
}

/* PgUp and PgDn go through the scrollback; every other key is the input
 * line's (prompt.c). */
bool
pane_console_back(struct pane *p, struct tui *t)
{
	struct console_state *st = pane_state(p);

	(void)t;
	st->back += pane_page_rows(p);
	p->dirty = true;
	return true;
}

bool
pane_console_forth(struct pane *p, struct tui *t)
{
	struct console_state *st = pane_state(p);

	(void)t;
	st->back -= pane_page_rows(p);
	if (st->back < 0)
		st->back = 0;
	p->dirty = true;
	return true;
}

void
pane_console_follow(struct tui *t)
{
	struct console_state *st = pane_state(&t->panes[PANE_CONSOLE]);

	st->back = 0;
}

/* Lines came (a step's output, a note) since the pane was drawn. */
static bool
console_stale(struct pane *p, struct tui *t)
{
	const struct console_state *st = pane_state(p);

	return st->seen != t->console.added;
}

const struct pane_class pane_console_class = {
	.draw = console_draw,
	.count = console_count,
	.stale = console_stale,
	.state_size = sizeof(struct console_state),
};
