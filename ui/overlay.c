/*
 * overlay.c: what opens over the panes: the help (every key, from the
 * key table of keys.h, and the map's glyphs), the preset chooser of 'n',
 * the y/n of 'd', a one-line text field for 'i' and '/', and the audit
 * view of 'A' (audit-view.c). Each ends by running a command of the
 * command table (so it is echoed and journaled) or by changing a view
 * setting; Esc closes any of them.
 */
#include "config.h"

#include "overlay.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-view.h"
#include "draw.h"
#include "keys.h"
#include "model.h"
#include "pane.h"
#include "session.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"

enum overlay_kind {
	OVERLAY_HELP,     /* every key */
	OVERLAY_NEW,      /* choose a preset for %new */
	OVERLAY_CONFIRM,  /* y/n before %del */
	OVERLAY_INPUT,    /* one line of text: module to import, filter */
	OVERLAY_AUDIT,    /* what crosses interpreters, over every pane */
};

/* What is open: t->overlay, from open to close. */
struct overlay {
	enum overlay_kind kind;
	WINDOW *win;                /* drawn after the panes, on top */
	int choice;                 /* the highlighted preset */
	enum input_purpose input_for;
	char input[256];            /* the text line */
	size_t input_len;
	char confirm_cmd[128];      /* what y runs */
	char confirm_text[64 + INTERP_LABEL_MAX]; /* the question */
	struct audit_view *audit;   /* the audit view's own state */
};

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

static struct overlay *
open_kind(struct tui *t, enum overlay_kind kind)
{
	overlay_close(t);
	t->overlay = xcalloc(1, sizeof *t->overlay);
	t->overlay->kind = kind;
	return t->overlay;
}

void
overlay_open_help(struct tui *t)
{
	open_kind(t, OVERLAY_HELP);
}

void
overlay_open_new(struct tui *t)
{
	open_kind(t, OVERLAY_NEW);
}

void
overlay_open_confirm(struct tui *t, const char *command, const char *question)
{
	struct overlay *o = open_kind(t, OVERLAY_CONFIRM);

	snprintf(o->confirm_cmd, sizeof o->confirm_cmd, "%s", command);
	snprintf(o->confirm_text, sizeof o->confirm_text, "%s", question);
}

void
overlay_open_input(struct tui *t, enum input_purpose purpose)
{
	struct overlay *o = open_kind(t, OVERLAY_INPUT);

	o->input_for = purpose;
	if (purpose == INPUT_FILTER) {
		snprintf(o->input, sizeof o->input, "%s", t->filter);
		o->input_len = strlen(o->input);
	}
}

void
overlay_open_audit(struct tui *t, const char *module)
{
	struct audit_view *v = audit_view_open(t, module);

	if (v != NULL)
		open_kind(t, OVERLAY_AUDIT)->audit = v;
}

void
overlay_close(struct tui *t)
{
	if (t->overlay == NULL)
		return;
	if (t->overlay->win != NULL)
		delwin(t->overlay->win);
	audit_view_free(t->overlay->audit);
	free(t->overlay);
	t->overlay = NULL;
	tui_dirty_all(t);
}

/* A boxed window of h x w in the middle of the screen. */
static WINDOW *
box_window(struct overlay *o, int h, int w, const char *title)
{
	if (w > COLS - 2)
		w = COLS - 2;
	if (h > LINES - 2)
		h = LINES - 2;
	if (o->win != NULL)
		delwin(o->win);
	o->win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	werase(o->win);
	wattrset(o->win, theme_attr(ROLE_TITLE_FOCUS));
	box(o->win, 0, 0);
	draw_text(o->win, 0, 2, w - 4, theme_attr(ROLE_TITLE_FOCUS), title);
	wattrset(o->win, A_NORMAL);
	return o->win;
}

/* One row per help row of the key table (keys.h), then the map's glyphs. */
static void
draw_help(struct overlay *o)
{
	int rows = 0, w = 78, i = 0, kw = 16;
	WINDOW *win;
	char legend[200];
	size_t k;

	for (k = 0; k < keys_count; k++)
		rows += keys_table[k].help != NULL;
	win = box_window(o, rows + 4, w, " Keys (Esc or ? closes) ");
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
	snprintf(legend, sizeof legend, "     %s Python  %s refused "
	    "(ImportError)  %s not loaded  + shares deeper: A",
	    theme_cell_glyph(CELL_PYTHON),
	    theme_cell_glyph(CELL_REFUSED), theme_cell_glyph(CELL_ABSENT));
	draw_text(win, i + 2, 2, w - 4, theme_attr(ROLE_DIM), legend);
}

static void
draw_new(struct overlay *o, struct tui *t)
{
	WINDOW *win = box_window(o, (int)NPRESETS + 4, 64,
	    " New interpreter (Enter creates, Esc cancels) ");
	bool config = session_has_config(t->session);
	int i;

	for (i = 0; i < (int)NPRESETS; i++) {
		bool off = presets[i].needs_config && !config;
		int attr = i == o->choice ? theme_attr(ROLE_SELECTED) :
		    theme_attr(off ? ROLE_DIM : ROLE_NORMAL);

		draw_fill(win, i + 1, 1, getmaxx(win) - 2, attr);
		draw_text(win, i + 1, 2, getmaxx(win) - 4, attr, presets[i].label);
	}
	draw_text(win, i + 2, 2, getmaxx(win) - 4, theme_attr(ROLE_DIM),
	    config ? "Options beyond these: %new in the console" :
	    "This Python has no interpreter configs (3.12+): legacy only");
}

static void
draw_line(struct overlay *o, const char *title, const char *label)
{
	WINDOW *win = box_window(o, 3, 64, title);
	int lw = draw_text(win, 1, 2, 30, theme_attr(ROLE_PROMPT), label);

	draw_text(win, 1, 2 + lw, getmaxx(win) - lw - 5, theme_attr(ROLE_NORMAL),
	    o->input);
	wmove(win, 1, 2 + lw + text_cols(o->input));
}

void
overlay_draw(struct tui *t)
{
	struct overlay *o = t->overlay;
	char label[INTERP_LABEL_MAX];
	interp_id ids[8];
	size_t n;

	if (o == NULL)
		return;
	switch (o->kind) {
	case OVERLAY_HELP:
		draw_help(o);
		break;
	case OVERLAY_NEW:
		draw_new(o, t);
		break;
	case OVERLAY_CONFIRM:
		box_window(o, 3, (int)strlen(o->confirm_text) + 6, " Confirm ");
		draw_text(o->win, 1, 2, getmaxx(o->win) - 4, theme_attr(ROLE_NORMAL),
		    o->confirm_text);
		break;
	case OVERLAY_AUDIT:
		/* every row but the status line's */
		if (o->win == NULL || getmaxy(o->win) != LINES - 1 ||
		    getmaxx(o->win) != COLS) {
			if (o->win != NULL)
				delwin(o->win);
			o->win = newwin(LINES - 1, COLS, 0, 0);
		}
		audit_view_draw(o->audit, t, o->win);
		break;
	case OVERLAY_INPUT:
		if (o->input_for == INPUT_FILTER) {
			draw_line(o, " Filter the map (Enter applies, empty shows all) ",
			    "modules containing: ");
			break;
		}
		n = pane_interps_targets(t, ids, 8);
		if (n == 1)
			snprintf(label, sizeof label, "import into %lld: ",
			    (long long)ids[0]);
		else
			snprintf(label, sizeof label, "import into %zu: ", n);
		draw_line(o, " Import (Enter imports, Esc cancels) ", label);
		break;
	}
	wnoutrefresh(o->win);
	/* the cursor shows where text goes, and only there */
	curs_set(o->kind == OVERLAY_INPUT);
}

/* Enter in the text line: the filter applies, or the import runs. */
static void
input_done(struct tui *t)
{
	struct overlay *o = t->overlay;
	interp_id ids[256];
	char list[2048] = "", module[sizeof o->input];
	size_t n, i, used = 0;

	if (o->input_for == INPUT_FILTER) {
		snprintf(t->filter, sizeof t->filter, "%.63s", o->input);
		t->panes[PANE_MAP].cursor = t->panes[PANE_MAP].top = 0;
		tui_filter_rows(t);
		overlay_close(t);
		return;
	}
	snprintf(module, sizeof module, "%s", o->input);
	overlay_close(t);
	if (module[0] == '\0')
		return;
	n = pane_interps_targets(t, ids, 256);
	for (i = 0; i < n && used < sizeof list - 24; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%lld",
		    i > 0 ? "," : "", (long long)ids[i]);
	tui_command(t, "%%import %s --in %s", module, list);
}

static void
input_key(struct overlay *o, int key)
{
	if ((key == KEY_BACKSPACE || key == 127 || key == 8) &&
	    o->input_len > 0) {
		/* a whole UTF-8 character */
		do
			o->input_len--;
		while (o->input_len > 0 &&
		    ((unsigned char)o->input[o->input_len] & 0xc0) == 0x80);
		o->input[o->input_len] = '\0';
	} else if (key >= 32 && key < 256 && key != 127 &&
	    o->input_len + 1 < sizeof o->input) {
		o->input[o->input_len++] = (char)key;
		o->input[o->input_len] = '\0';
	}
}

void
overlay_key(struct tui *t, int key)
{
	struct overlay *o = t->overlay;
	char command[sizeof o->confirm_cmd];

	if (o == NULL)
		return;
	if (o->kind == OVERLAY_AUDIT) {
		if (!audit_view_key(o->audit, t, key))
			overlay_close(t);
		return;
	}
	if (key == 27 || (o->kind == OVERLAY_HELP && (key == '?' ||
	    key == 'q'))) {
		overlay_close(t);
		return;
	}
	switch (o->kind) {
	case OVERLAY_HELP:
	case OVERLAY_AUDIT:
		return;
	case OVERLAY_NEW:
		if ((key == KEY_UP || key == 'k') && o->choice > 0)
			o->choice--;
		else if ((key == KEY_DOWN || key == 'j') &&
		    o->choice < (int)NPRESETS - 1)
			o->choice++;
		else if (key == '\r' || key == '\n' || key == KEY_ENTER) {
			const struct preset_choice *c = &presets[o->choice];

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
		snprintf(command, sizeof command, "%s", o->confirm_cmd);
		overlay_close(t);
		if (key == 'y' || key == 'Y')
			tui_command(t, "%s", command);
		else
			tui_note(t, false, "nothing destroyed");
		return;
	case OVERLAY_INPUT:
		if (key == '\r' || key == '\n' || key == KEY_ENTER)
			input_done(t);
		else
			input_key(o, key);
		return;
	}
}
