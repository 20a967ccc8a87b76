/*
 * pane.c: what every list pane does alike: move the cursor and keep it in
 * view (see pane.h).
 */
#include "config.h"

#include "pane.h"

#include "tui-state.h"

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

bool
pane_move(struct pane *p, struct tui *t, int key)
{
	int count = p->cls->count != NULL ? p->cls->count(p, t) : 0;
	int page = p->h > 4 ? p->h - 3 : 1;

	switch (key) {
	case KEY_UP:
	case 'k':
		p->cursor--;
		break;
	case KEY_DOWN:
	case 'j':
		p->cursor++;
		break;
	case KEY_PPAGE:
		p->cursor -= page;
		break;
	case KEY_NPAGE:
		p->cursor += page;
		break;
	case KEY_HOME:
	case 'g':
		p->cursor = 0;
		break;
	case KEY_END:
	case 'G':
		p->cursor = count - 1;
		break;
	case KEY_LEFT:
	case 'h':
		if (p->left > 0)
			p->left--;
		break;
	case KEY_RIGHT:
	case 'l':
		p->left++;
		break;
	default:
		return false;
	}
	if (p->cursor >= count)
		p->cursor = count - 1;
	if (p->cursor < 0)
		p->cursor = 0;
	p->dirty = true;
	return true;
}
