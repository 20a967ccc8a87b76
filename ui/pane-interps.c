/*
 * pane-interps.c: the Interpreters pane: one row per interpreter (id,
 * name, preset, GIL, whether it checks extensions, modules loaded), the
 * current one marked, marked ones ticked, changed ones highlighted.
 */
#include "config.h"

#include <stdio.h>

#include "draw.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"

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

	snprintf(title, sizeof title, "Interpreters (%d)", n);
	draw_title(p->win, title, t->nmarked > 0 ? "marked: i imports" : NULL,
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
		    tui_is_marked(t, in->id) ? (theme_unicode() ? "✓" : "+") : " ");
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

	if (in == NULL)
		return false;
	if (in->id == 0) {
		tui_note(t, true, "the main interpreter cannot be destroyed");
		return true;
	}
	snprintf(t->confirm_cmd, sizeof t->confirm_cmd, "%%del %lld",
	    (long long)in->id);
	snprintf(t->confirm_text, sizeof t->confirm_text,
	    "Destroy interpreter %lld%s%s? (y/n)", (long long)in->id,
	    in->name[0] != '\0' ? " " : "", in->name);
	overlay_open(t, OVERLAY_CONFIRM);
	return true;
}

/* Space: a mark on, or off; on moves to the next row, so Space Space
 * marks two. */
bool
pane_interps_mark(struct pane *p, struct tui *t)
{
	const struct interp_info *in = under_cursor(p, t);
	size_t i;

	if (in == NULL)
		return false;
	for (i = 0; i < t->nmarked; i++) {
		if (t->marked[i] == in->id) {
			t->marked[i] = t->marked[--t->nmarked];
			p->dirty = true;
			return true;
		}
	}
	t->marked = xrealloc(t->marked, (t->nmarked + 1) * sizeof *t->marked);
	t->marked[t->nmarked++] = in->id;
	pane_cursor_down(p, t);
	return true;
}

/* a, from any list pane: marks are the Interpreters pane's. */
bool
pane_interps_mark_all(struct pane *p, struct tui *t)
{
	size_t i;

	(void)p;
	if (t->model == NULL)
		return true;
	if (t->nmarked == t->model->ninterps) {
		t->nmarked = 0;
	} else {
		t->marked = xrealloc(t->marked, (t->model->ninterps + 1) *
		    sizeof *t->marked);
		for (i = 0; i < t->model->ninterps; i++)
			t->marked[i] = t->model->interps[i].info.id;
		t->nmarked = t->model->ninterps;
	}
	t->panes[PANE_INTERPS].dirty = true;
	return true;
}

const struct pane_class pane_interps_class = {
	.draw = interps_draw,
	.count = interps_count,
};
