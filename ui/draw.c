/*
 * draw.c: text by columns (see draw.h). Characters are decoded with
 * mbrtowc in the user's locale and drawn one cchar at a time, which is
 * what lets a cut fall between characters, never inside one.
 */
#include "config.h"

#include "draw.h"

#include <string.h>
#include <wchar.h>

#include "theme.h"

/* Decode one character; *len is its byte count, *cols its width. */
static wchar_t
next_char(const char *s, size_t avail, size_t *len, int *cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, s, avail, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*len = 1;
		*cols = 1;
		return L'?';
	}
	*len = n;
	*cols = wcwidth(wc);
	if (*cols < 0) {
		*cols = 1;
		return L'?';
	}
	return wc;
}

int
text_cols(const char *s)
{
	size_t avail = strlen(s), len;
	int cols, total = 0;

	while (avail > 0) {
		next_char(s, avail, &len, &cols);
		total += cols;
		s += len;
		avail -= len;
	}
	return total;
}

static void
put_wc(WINDOW *w, wchar_t wc, int attr)
{
	cchar_t cc;
	wchar_t str[2] = { wc, L'\0' };

	setcchar(&cc, str, (attr_t)attr, (short)PAIR_NUMBER(attr), NULL);
	wadd_wch(w, &cc);
}

static int
span(WINDOW *w, int y, int x, int width, int attr, const char *s, int skip,
    bool ellipsis)
{
	size_t avail = strlen(s), len;
	int used = 0, cols;
	int total = text_cols(s) - skip;
	const char *ell = theme_ellipsis();
	bool cut = ellipsis && total > width;

	if (width <= 0)
		return 0;
	wmove(w, y, x);
	while (avail > 0) {
		wchar_t wc = next_char(s, avail, &len, &cols);

		s += len;
		avail -= len;
		if (skip > 0) {
			skip -= cols;
			continue;
		}
		if (used + cols > width - (cut ? 1 : 0))
			break;
		put_wc(w, wc, attr);
		used += cols;
	}
	if (cut) {
		wattrset(w, attr);
		waddstr(w, ell);
		used++;
	}
	return used;
}

int
draw_text_from(WINDOW *w, int y, int x, int width, int attr, const char *s,
    int skip)
{
	return span(w, y, x, width, attr, s, skip, true);
}

int
draw_text_slice(WINDOW *w, int y, int x, int width, int attr, const char *s,
    int skip)
{
	return span(w, y, x, width, attr, s, skip, false);
}

int
draw_text(WINDOW *w, int y, int x, int width, int attr, const char *s)
{
	return span(w, y, x, width, attr, s, 0, true);
}

void
draw_fill(WINDOW *w, int y, int x, int width, int attr)
{
	if (width <= 0)
		return;
	wattrset(w, attr);
	mvwhline(w, y, x, ' ', width);
	wattrset(w, A_NORMAL);
}

void
draw_title(WINDOW *w, const char *title, const char *right, bool focus)
{
	int width = getmaxx(w), attr = theme_attr(focus ? ROLE_TITLE_FOCUS :
	    ROLE_TITLE), rw = right != NULL ? text_cols(right) : 0;

	draw_fill(w, 0, 0, width, attr);
	draw_text(w, 0, 1, width - 2, attr, title);
	if (right != NULL && rw + text_cols(title) + 3 < width)
		draw_text(w, 0, width - rw - 1, rw, attr, right);
}
