/*
 * pane-map.c: the sharing map: one row per module, one column per
 * interpreter, each cell the class of that interpreter's module (model.h)
 * with "shared/total" attributes where the dict came from, or went into,
 * m_copy, or where something is shared that should not be, and "+" where
 * a distinct attribute reaches shared objects deeper. Columns scroll
 * sideways when the interpreters do not fit; the last row is the legend
 * when there is room.
 */
#include "config.h"

#include "pane.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "model.h"
#include "theme.h"
#include "tui-state.h"

#define NAME_COLS 18
#define CELL_COLS 8

static int
map_count(struct pane *p, struct tui *t)
{
	(void)p;
	return t->nshown;
}

static bool
has_legend(const struct pane *p)
{
	return p->h >= 8;
}

/* The glyph, "N/M" shared of the attributes read, and "+" when a distinct
 * attribute reaches shared objects deeper (what %audit would list). */
static void
cell_text(const struct ui_cell *c, char *buf, size_t size)
{
	const char *g = theme_cell_glyph(c->cls);
	const char *deeper = c->holds > 0 ? "+" : "";

	if (c->total >= 0 && (c->cls == CELL_COPIED || c->cls == CELL_SOURCE ||
	    c->shared > 0))
		snprintf(buf, size, "%s%d/%d%s", g, c->shared, c->total, deeper);
	else
		snprintf(buf, size, "%s%s", g, deeper);
}

/* A module that should be its own and is not (shared attributes, or ones
 * reaching shared objects) is drawn as a shared object is. */
static enum theme_role
cell_role(const struct ui_cell *c)
{
	if (c->cls == CELL_OWN && (c->shared > 0 || c->holds > 0))
		return ROLE_SHARED;
	return theme_cell_role(c->cls);
}

static void
map_legend(struct pane *p, int y)
{
	char legend[256];

	snprintf(legend, sizeof legend,
	    "%s own  %s init ran  %s from m_copy  (N/M shared, + deeper)  "
	    "%s Python  %s refused  %s absent",
	    theme_cell_glyph(CELL_OWN), theme_cell_glyph(CELL_SOURCE),
	    theme_cell_glyph(CELL_COPIED), theme_cell_glyph(CELL_PYTHON),
	    theme_cell_glyph(CELL_REFUSED), theme_cell_glyph(CELL_ABSENT));
	draw_text(p->win, y, 0, p->w, theme_attr(ROLE_DIM), legend);
}

static void
map_draw(struct pane *p, struct tui *t)
{
	const struct ui_model *m = t->model;
	bool focus = t->focus == PANE_MAP;
	int rows = p->h - 2 - (has_legend(p) ? 1 : 0);
	int fit = (p->w - NAME_COLS) / CELL_COLS, i, j, n = t->nshown;
	char title[128], right[64], text[32];

	if (t->filter[0] != '\0')
		snprintf(title, sizeof title, "Sharing map: %d of %zu modules "
		    "matching '%s'", n, m != NULL ? m->nrows : 0, t->filter);
	else if (t->nown > 0)
		snprintf(title, sizeof title, "Sharing map: %d modules (and %d of "
		    "subrepl's)", n, t->nown);
	else
		snprintf(title, sizeof title, "Sharing map: %d modules", n);
	right[0] = '\0';
	/* interpreters by their CPython ids, as everywhere else */
	if (m != NULL && (size_t)fit < m->ninterps) {
		int last = p->left + fit < (int)m->ninterps ? p->left + fit :
		    (int)m->ninterps;

		snprintf(right, sizeof right, "interpreters %lld-%lld (%d of %zu)",
		    (long long)m->interps[p->left].info.id,
		    (long long)m->interps[last - 1].info.id, last - p->left,
		    m->ninterps);
	}
	draw_title(p->win, title, right[0] != '\0' ? right : NULL, focus);
	if (m == NULL)
		return;
	if (p->left > (int)m->ninterps - fit)
		p->left = (int)m->ninterps - fit > 0 ? (int)m->ninterps - fit : 0;
	draw_text(p->win, 1, 0, NAME_COLS, theme_attr(ROLE_DIM), "MODULE");
	for (j = 0; j < fit && p->left + j < (int)m->ninterps; j++) {
		const struct interp_info *in = &m->interps[p->left + j].info;

		snprintf(text, sizeof text, "%lld%s%.4s", (long long)in->id,
		    in->name[0] != '\0' ? " " : "", in->name);
		draw_text(p->win, 1, NAME_COLS + j * CELL_COLS + 1, CELL_COLS - 2,
		    theme_attr(in->current ? ROLE_CURRENT : ROLE_DIM), text);
	}
	pane_clamp(p, n, rows);
	for (i = 0; i < rows && p->top + i < n; i++) {
		const struct ui_row *r = &m->rows[t->shown[p->top + i]];
		bool sel = p->top + i == p->cursor;
		int y = i + 2, attr = sel ? theme_attr(focus ? ROLE_SELECTED :
		    ROLE_SELECTED_DIM) : theme_attr(ROLE_NORMAL);
		bool opened = t->detail != NULL &&
		    strcmp(t->detail, r->module->name) == 0;

		draw_fill(p->win, y, 0, p->w, attr);
		draw_text(p->win, y, 0, NAME_COLS - 1, opened && !sel ?
		    attr | (int)A_BOLD : attr, r->module->name);
		for (j = 0; j < fit && p->left + j < (int)m->ninterps; j++) {
			const struct ui_cell *c = &r->cells[p->left + j];
			int role = theme_attr(cell_role(c));
			int ca = c->changed ? theme_attr(ROLE_CHANGED) :
			    sel && focus ? attr : sel ? role | (int)A_UNDERLINE : role;

			cell_text(c, text, sizeof text);
			draw_text(p->win, y, NAME_COLS + j * CELL_COLS + 1,
			    CELL_COLS - 2, ca, text);
		}
	}
	if (has_legend(p))
		map_legend(p, p->h - 1);
}

bool
pane_map_open(struct pane *p, struct tui *t)
{
	if (t->model == NULL || p->cursor >= t->nshown)
		return false;
	tui_open_detail(t, t->model->rows[t->shown[p->cursor]].module->name);
	return true;
}

const struct pane_class pane_map_class = {
	.draw = map_draw,
	.count = map_count,
};
