/*
 * keys.c: the table TUI_KEYS (keys.h) describes, the lookup that runs a
 * key's action, and the actions that belong to no pane: moving between
 * panes, opening the overlays, a fresh snapshot, leaving. The panes' own
 * actions live with their panes (pane.h).
 *
 * The table is small (a few dozen entries) and a key is looked up once per
 * keypress, so the lookup is a plain scan in two passes: the entries made
 * for the focused pane alone, then the ones it shares with other panes.
 */
#include "config.h"

#include "keys.h"

#include <assert.h>

#include "overlay.h"
#include "pane.h"
#include "prompt.h"
#include "provide-curses.h"
#include "tui-state.h"

/* The focus moves on from a pane; in the console, Tab on a line with text
 * is readline's completion, so it is left to the console. */
static bool
action_next_pane(struct pane *p, struct tui *t)
{
	(void)p;
	if (t->focus == PANE_CONSOLE && prompt_has_text())
		return false;
	tui_focus_move(t, 1);
	return true;
}

static bool
action_previous_pane(struct pane *p, struct tui *t)
{
	(void)p;
	tui_focus_move(t, -1);
	return true;
}

static bool
action_new(struct pane *p, struct tui *t)
{
	(void)p;
	overlay_open_new(t);
	return true;
}

/* d destroys the interpreter under the Interpreters pane's cursor, from
 * whichever pane; with none there it does nothing, quietly. */
static bool
action_destroy(struct pane *p, struct tui *t)
{
	(void)p;
	pane_interps_destroy(&t->panes[PANE_INTERPS], t);
	return true;
}

static bool
action_import(struct pane *p, struct tui *t)
{
	(void)p;
	overlay_open_input(t, INPUT_IMPORT);
	return true;
}

static bool
action_filter(struct pane *p, struct tui *t)
{
	(void)p;
	overlay_open_input(t, INPUT_FILTER);
	return true;
}

/* The audit of the module the focused pane shows: the one under the map's
 * cursor, Detail's module; from Interpreters, every module. */
static bool
action_audit(struct pane *p, struct tui *t)
{
	const char *module = NULL;

	if (t->focus == PANE_MAP) {
		if (t->model == NULL || p->cursor >= t->nshown)
			return false;
		module = t->model->rows[t->shown[p->cursor]].module->name;
	} else if (t->focus == PANE_DETAIL) {
		if (t->detail == NULL)
			return false;
		module = t->detail;
	}
	overlay_open_audit(t, module);
	return true;
}

/* To the console, with the % of a command already typed. */
static bool
action_command(struct pane *p, struct tui *t)
{
	(void)p;
	tui_focus_move(t, PANE_CONSOLE - (int)t->focus);
	prompt_key(t, '%');
	return true;
}

static bool
action_refresh(struct pane *p, struct tui *t)
{
	(void)p;
	tui_refresh(t, false);
	tui_note(t, false, "fresh snapshot taken");
	return true;
}

static bool
action_help(struct pane *p, struct tui *t)
{
	(void)p;
	overlay_open_help(t);
	return true;
}

static bool
action_leave(struct pane *p, struct tui *t)
{
	(void)p;
	t->leave = true;
	return true;
}

#define KEY_CODES(...) __VA_ARGS__
#define KEY_ENTRY(label_, help_, where_, action_, codes_) \
	{ .label = label_, .help = help_, .where = where_, .action = action_, \
	  .codes = { KEY_CODES codes_ } },

const struct key_binding keys_table[] = { TUI_KEYS(KEY_ENTRY) };
const size_t keys_count = sizeof keys_table / sizeof keys_table[0];

static bool
binds(const struct key_binding *b, int key)
{
	int i;

	for (i = 0; i < KEYS_CODES_MAX && b->codes[i] != 0; i++) {
		if (b->codes[i] == key)
			return true;
	}
	return false;
}

bool
keys_dispatch(struct tui *t, int key)
{
	unsigned here = t->too_small ? KEYS_SMALL : KEYS_IN(t->focus);
	struct pane *p = &t->panes[t->focus];
	size_t i;
	int pass;

	/* pass 0: made for this place alone; pass 1: shared with others */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < keys_count; i++) {
			const struct key_binding *b = &keys_table[i];

			if ((b->where & here) == 0 || (b->where == here) != (pass == 0) ||
			    !binds(b, key))
				continue;
			assert(b->action != NULL);
			if (b->action(p, t))
				return true;
		}
	}
	return false;
}
