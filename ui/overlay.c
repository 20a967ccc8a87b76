/*
 * overlay.c: what opens over the panes: the help (every key, from the
 * key table of keys.h, and the map's glyphs), the preset chooser of 'n',
 * the y/n of 'd', and a one-line text field for 'i' and '/'. Each ends by
 * running a command of the command table (so it is echoed and journaled)
 * or by changing a view setting; Esc closes any of them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "keys.h"
#include "theme.h"
#include "tui-state.h"

/* The presets 'n' offers: label, command, whether it needs 3.12+. */
struct preset_choice {
	const char *label;
	const char *command;
	bool needs_config;
};

static const struct preset_choice presets[] = {
	{ "legacy: Py_NewInterpreter, shared GIL", "%new --legacy", false },
	{ "isolated: own GIL, own obmalloc, checks extensions",
	    "%new --isolated", true },
	{ "isolated, but sharing the main GIL", "%new --isolated --shared-gil",
	    true },
};
#define NPRESETS (sizeof presets / sizeof presets[0])

void
overlay_open(struct tui *t, enum overlay_kind kind)
{
	t->overlay = kind;
	t->overlay_choice = 0;
	t->input[0] = '\0';
	t->input_len = 0;
	if (kind == OVERLAY_INPUT && t->input_for == INPUT_FILTER) {
		snprintf(t->input, sizeof t->input, "%s", t->filter);
		t->input_len = strlen(t->input);
	}
}

void
overlay_close(struct tui *t)
{
	t->overlay = OVERLAY_NONE;
	if (t->overlay_win != NULL)
		delwin(t->overlay_win);
	t->overlay_win = NULL;
	tui_dirty_all(t);
}

/* A boxed window of h x w in the middle of the screen. */
static WINDOW *
box_window(struct tui *t, int h, int w, const char *title)
{
	if (w > COLS - 2)
		w = COLS - 2;
	if (h > LINES - 2)
		h = LINES - 2;
	if (t->overlay_win != NULL)
		delwin(t->overlay_win);
	t->overlay_win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	werase(t->overlay_win);
	wattrset(t->overlay_win, theme_attr(ROLE_TITLE_FOCUS));
	box(t->overlay_win, 0, 0);
	draw_text(t->overlay_win, 0, 2, w - 4, theme_attr(ROLE_TITLE_FOCUS), title);
	wattrset(t->overlay_win, A_NORMAL);
	return t->overlay_win;
}

/* One row per help row of the key table (keys.h), then the map's glyphs. */
static void
draw_help(struct tui *t)
{
	int rows = 0, w = 78, i = 0, kw = 16;
	WINDOW *win;
	char legend[200];
	size_t k;

	for (k = 0; k < keys_count; k++)
		rows += keys_table[k].help != NULL;
	win = box_window(t, rows + 4, w, " Keys (Esc or ? closes) ");
	w = getmaxx(win);
	for (k = 0; k < keys_count && i + 1 < getmaxy(win) - 1; k++) {
		const struct key_binding *b = &keys_table[k];

		if (b->help == NULL)
			continue;
		draw_text(win, i + 1, 2, kw, theme_attr(ROLE_PROMPT), b->label);
		draw_text(win, i + 1, 2 + kw, w - kw - 4, theme_attr(ROLE_NORMAL),
		    b->help);
		i++;
	}
	/* two lines that fit 80 columns: every glyph explained */
	snprintf(legend, sizeof legend, "Map: %s own  %s init ran here, N/M "
	    "shared  %s from m_copy, N/M shared", theme_cell_glyph(CELL_OWN),
	    theme_cell_glyph(CELL_SOURCE), theme_cell_glyph(CELL_COPIED));
	draw_text(win, i + 1, 2, w - 4, theme_attr(ROLE_DIM), legend);
	snprintf(legend, sizeof legend, "     %s Python module  %s refused "
	    "(ImportError)  %s not loaded", theme_cell_glyph(CELL_PYTHON),
	    theme_cell_glyph(CELL_REFUSED), theme_cell_glyph(CELL_ABSENT));
	draw_text(win, i + 2, 2, w - 4, theme_attr(ROLE_DIM), legend);
}

static void
draw_new(struct tui *t)
{
	WINDOW *win = box_window(t, (int)NPRESETS + 4, 64,
	    " New interpreter (Enter creates, Esc cancels) ");
	bool config = session_has_config(t->session);
	int i;

	for (i = 0; i < (int)NPRESETS; i++) {
		bool off = presets[i].needs_config && !config;
		int attr = i == t->overlay_choice ? theme_attr(ROLE_SELECTED) :
		    theme_attr(off ? ROLE_DIM : ROLE_NORMAL);

		draw_fill(win, i + 1, 1, getmaxx(win) - 2, attr);
		draw_text(win, i + 1, 2, getmaxx(win) - 4, attr, presets[i].label);
	}
	draw_text(win, i + 2, 2, getmaxx(win) - 4, theme_attr(ROLE_DIM),
	    config ? "Options beyond these: %new in the console" :
	    "This Python has no interpreter configs (3.12+): legacy only");
}

static void
draw_line(struct tui *t, const char *title, const char *label)
{
	WINDOW *win = box_window(t, 3, 64, title);
	int lw = draw_text(win, 1, 2, 30, theme_attr(ROLE_PROMPT), label);

	draw_text(win, 1, 2 + lw, getmaxx(win) - lw - 5, theme_attr(ROLE_NORMAL),
	    t->input);
	curs_set(1);
	wmove(win, 1, 2 + lw + text_cols(t->input));
}

void
overlay_draw(struct tui *t)
{
	char label[INTERP_LABEL_MAX];
	interp_id ids[8];
	size_t n;

	switch (t->overlay) {
	case OVERLAY_NONE:
		return;
	case OVERLAY_HELP:
		draw_help(t);
		break;
	case OVERLAY_NEW:
		draw_new(t);
		break;
	case OVERLAY_CONFIRM:
		box_window(t, 3, (int)strlen(t->confirm_text) + 6, " Confirm ");
		draw_text(t->overlay_win, 1, 2, getmaxx(t->overlay_win) - 4,
		    theme_attr(ROLE_NORMAL), t->confirm_text);
		break;
	case OVERLAY_INPUT:
		if (t->input_for == INPUT_FILTER) {
			draw_line(t, " Filter the map (Enter applies, empty shows all) ",
			    "modules containing: ");
			break;
		}
		n = tui_targets(t, ids, 8);
		if (n == 1)
			snprintf(label, sizeof label, "import into %lld: ",
			    (long long)ids[0]);
		else
			snprintf(label, sizeof label, "import into %zu: ", n);
		draw_line(t, " Import (Enter imports, Esc cancels) ", label);
		break;
	}
	wnoutrefresh(t->overlay_win);
}

static void
input_done(struct tui *t)
{
	interp_id ids[256];
	char list[2048] = "";
	size_t n, i, used = 0;

	if (t->input_for == INPUT_FILTER) {
		snprintf(t->filter, sizeof t->filter, "%.63s", t->input);
		t->panes[PANE_MAP].cursor = t->panes[PANE_MAP].top = 0;
		tui_filter_rows(t);
		overlay_close(t);
		return;
	}
	overlay_close(t);
	if (t->input_len == 0)
		return;
	n = tui_targets(t, ids, 256);
	for (i = 0; i < n && used < sizeof list - 24; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%lld",
		    i > 0 ? "," : "", (long long)ids[i]);
	tui_command(t, "%%import %s --in %s", t->input, list);
}

void
overlay_key(struct tui *t, int key)
{
	if (key == 27 || (t->overlay == OVERLAY_HELP && (key == '?' ||
	    key == 'q'))) {
		overlay_close(t);
		return;
	}
	switch (t->overlay) {
	case OVERLAY_NONE:
	case OVERLAY_HELP:
		return;
	case OVERLAY_NEW:
		if ((key == KEY_UP || key == 'k') && t->overlay_choice > 0)
			t->overlay_choice--;
		else if ((key == KEY_DOWN || key == 'j') &&
		    t->overlay_choice < (int)NPRESETS - 1)
			t->overlay_choice++;
		else if (key == '\r' || key == '\n' || key == KEY_ENTER) {
			const struct preset_choice *c = &presets[t->overlay_choice];

			overlay_close(t);
			if (c->needs_config && !session_has_config(t->session))
				tui_note(t, true, "isolated interpreters need Python 3.12 "
				    "or newer; this is %s",
				    session_python_version(t->session));
			else
				tui_command(t, "%s", c->command);
		}
		return;
	case OVERLAY_CONFIRM:
		overlay_close(t);
		if (key == 'y' || key == 'Y')
			tui_command(t, "%s", t->confirm_cmd);
		else
			tui_note(t, false, "nothing destroyed");
		return;
	case OVERLAY_INPUT:
		if (key == '\r' || key == '\n' || key == KEY_ENTER)
			input_done(t);
		else if ((key == KEY_BACKSPACE || key == 127 || key == 8) &&
		    t->input_len > 0) {
			/* a whole UTF-8 character */
			do
				t->input_len--;
			while (t->input_len > 0 &&
			    ((unsigned char)t->input[t->input_len] & 0xc0) == 0x80);
			t->input[t->input_len] = '\0';
		} else if (key >= 32 && key < 256 && key != 127 &&
		    t->input_len + 1 < sizeof t->input) {
			t->input[t->input_len++] = (char)key;
			t->input[t->input_len] = '\0';
		}
		return;
	}
}
