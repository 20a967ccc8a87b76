/*
 * pane-interps.c: the Interpreters pane: one row per interpreter (id,
 * name, preset, GIL, whether it checks extensions, modules loaded), the
 * current one marked, marked ones ticked, changed ones highlighted. Its
 * own state is the set of marked interpreters, which say where i imports
 * (pane_interps_targets); it holds ids, not rows, so a mark stays on its
 * interpreter as others come and go.
 */
#include "config.h"

#include "pane.h"

#include <stdio.h>
#include <stdlib.h>

#include "draw.h"
#include "model.h"
#include "overlay.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"

struct interps_state {
	interp_id *marked;   /* interpreters marked with Space or a */
	size_t nmarked;
};

static struct interps_state *
state_of(struct tui *t)
{
	return pane_state(&t->panes[PANE_INTERPS]);
}

static void
interps_state_free(void *state)
{
	free(((struct interps_state *)state)->marked);
}

static bool
is_marked(const struct interps_state *st, interp_id id)
{
	size_t i;

	for (i = 0; i < st->nmarked; i++) {
		if (st->marked[i] == id)
			return true;
	}
	return false;
}

static int
interps_count(struct pane *p, struct tui *t)
{
	(void)p;
	return t->model != NULL ? (int)t->model->ninterps : 0;
}

static void
interps_draw(struct pane *p, struct tui *t)
{
	int rows = p->h - 2, i, n = interps_count(p, t);
	char line[160], title[64];
	bool focus = t->focus == PANE_INTERPS;
	bool wide = p->w >= 38;   /* room for the GIL column */
	const struct interps_state *st = state_of(t);

	snprintf(title, sizeof title, "Interpreters (%d)", n);
	draw_title(p->win, title, st->nmarked > 0 ? "marked: i imports" : NULL,
	    focus);
	draw_text(p->win, 1, 0, p->w, theme_attr(ROLE_DIM), wide ?
	    "   ID NAME      CONFIG   GIL    MODS" :
	    "   ID NAME      CONFIG   MODS");
	pane_clamp(p, n, rows);
	for (i = 0; i < rows && p->top + i < n; i++) {
		const struct ui_interp *it = &t->model->interps[p->top + i];
		const struct interp_info *in = &it->info;
		int y = i + 2, attr = theme_attr(ROLE_NORMAL);
		bool sel = p->top + i == p->cursor;

		/* a change stays visible on the cursor's row, underlined */
		if (it->changed)
			attr = theme_attr(ROLE_CHANGED) | (sel ? (int)A_UNDERLINE : 0);
		else if (sel)
			attr = theme_attr(focus ? ROLE_SELECTED : ROLE_SELECTED_DIM);
		draw_fill(p->win, y, 0, p->w, attr);
		draw_text(p->win, y, 0, 1, in->current ?
		    theme_attr(ROLE_CURRENT) | (sel ? (int)A_UNDERLINE : 0) : attr,
		    in->current ? theme_current_mark() : " ");
		draw_text(p->win, y, 1, 1, attr,
		    is_marked(st, in->id) ? (theme_unicode() ? "✓" : "+") : " ");
		if (wide)
			snprintf(line, sizeof line, "%3lld %-9.9s %-8s %-6s %4ld",
			    (long long)in->id, in->name[0] != '\0' ? in->name : "-",
			    in->config.preset, in->config.own_gil ? "own" : "shared",
			    in->modules);
		else
			snprintf(line, sizeof line, "%3lld %-9.9s %-8s %4ld",
			    (long long)in->id, in->name[0] != '\0' ? in->name : "-",
			    in->config.preset, in->modules);
		draw_text(p->win, y, 2, p->w - 2, attr, line);
	}
}

/* The interpreter under the cursor, or NULL (no model, no rows). */
static const struct interp_info *
under_cursor(const struct pane *p, const struct tui *t)
{
	if (t->model == NULL || p->cursor >= (int)t->model->ninterps)
		return NULL;
	return &t->model->interps[p->cursor].info;
}

bool
pane_interps_use(struct pane *p, struct tui *t)
{
	const struct interp_info *in = under_cursor(p, t);

	if (in == NULL)
		return false;
	tui_command(t, "%%use %lld", (long long)in->id);
	return true;
}

bool
pane_interps_destroy(struct pane *p, struct tui *t)
{
	const struct interp_info *in = under_cursor(p, t);
	char command[64], question[64 + INTERP_LABEL_MAX];

	if (in == NULL)
		return false;
	if (in->id == 0) {
		tui_note(t, true, "the main interpreter cannot be destroyed");
		return true;
	}
	snprintf(command, sizeof command, "%%del %lld", (long long)in->id);
	snprintf(question, sizeof question, "Destroy interpreter %lld%s%s? (y/n)",
	    (long long)in->id, in->name[0] != '\0' ? " " : "", in->name);
	overlay_open_confirm(t, command, question);
	return true;
}

/* Space: a mark on, or off; on moves to the next row, so Space Space
 * marks two. */
bool
pane_interps_mark(struct pane *p, struct tui *t)
{
	const struct interp_info *in = under_cursor(p, t);
	struct interps_state *st = state_of(t);
	size_t i;

	if (in == NULL)
		return false;
	for (i = 0; i < st->nmarked; i++) {
		if (st->marked[i] == in->id) {
			st->marked[i] = st->marked[--st->nmarked];
			p->dirty = true;
			return true;
		}
	}
	st->marked = xrealloc(st->marked, (st->nmarked + 1) * sizeof *st->marked);
	st->marked[st->nmarked++] = in->id;
	pane_cursor_down(p, t);
	return true;
}

/* a, from any list pane: marks are the Interpreters pane's. */
bool
pane_interps_mark_all(struct pane *p, struct tui *t)
{
	struct interps_state *st = state_of(t);
	size_t i;

	(void)p;
	if (t->model == NULL)
		return true;
	if (st->nmarked == t->model->ninterps) {
		st->nmarked = 0;
	} else {
		st->marked = xrealloc(st->marked, (t->model->ninterps + 1) *
		    sizeof *st->marked);
		for (i = 0; i < t->model->ninterps; i++)
			st->marked[i] = t->model->interps[i].info.id;
		st->nmarked = t->model->ninterps;
	}
	t->panes[PANE_INTERPS].dirty = true;
	return true;
}

size_t
pane_interps_targets(struct tui *t, interp_id *ids, size_t max)
{
	const struct interps_state *st = state_of(t);
	const struct pane *p = &t->panes[PANE_INTERPS];
	size_t i, n = 0;

	for (i = 0; i < st->nmarked && n < max; i++)
		ids[n++] = st->marked[i];
	if (n == 0 && t->model != NULL && max > 0) {
		if (p->cursor >= 0 && p->cursor < (int)t->model->ninterps)
			ids[n++] = t->model->interps[p->cursor].info.id;
		else
			ids[n++] = session_current(t->session);
	}
	return n;
}

void
pane_interps_prune(struct tui *t)
{
	struct interps_state *st = state_of(t);
	size_t i = 0;

	while (i < st->nmarked) {
		if (ui_model_interp_index(t->model, st->marked[i]) < 0)
			st->marked[i] = st->marked[--st->nmarked];
		else
			i++;
	}
}

const struct pane_class pane_interps_class = {
	.draw = interps_draw,
	.count = interps_count,
	.state_size = sizeof(struct interps_state),
	.state_free = interps_state_free,
};
