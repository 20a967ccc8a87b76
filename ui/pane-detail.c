/*
 * pane-detail.c: one module attribute by attribute: its type, the verdict
 * (distinct, SHARED by which interpreters and owned by whom, static in
 * which file, immortal), then the object in each interpreter, as its value
 * when it is plain data (a shared list shows the same contents everywhere)
 * or as its address ('x' switches to addresses). Shared objects are drawn
 * in the alarm role; what the last step changed is highlighted.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "theme.h"
#include "tui-state.h"

#define NAME_COLS 15
#define TYPE_COLS 11
#define VERDICT_COLS 24
#define OBJECT_COLS 20

static bool show_addresses;

static int
detail_count(struct pane *p, struct tui *t)
{
	(void)p;
	return t->model != NULL && t->model->detail != NULL ?
	    (int)t->model->detail->nattrs : 0;
}

static void
verdict(const struct snap_attr *a, char *buf, size_t size)
{
	size_t i, used;

	switch (a->sharing) {
	case SHARING_DISTINCT:
		snprintf(buf, size, "distinct");
		return;
	case SHARING_STATIC:
		snprintf(buf, size, "static in %s", a->static_in != NULL ?
		    a->static_in : "?");
		return;
	case SHARING_IMMORTAL:
		snprintf(buf, size, "immortal");
		return;
	case SHARING_SHARED:
		break;
	}
	used = (size_t)snprintf(buf, size, "SHARED by ");
	for (i = 0; i < a->nobjects && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%lld",
		    i > 0 ? "," : "", (long long)a->objects[i].interp);
	if (a->owner != INTERP_NONE && used < size)
		snprintf(buf + used, size - used, " owner %lld",
		    (long long)a->owner);
}

static void
detail_draw(struct pane *p, struct tui *t)
{
	const struct ui_model *m = t->model;
	const struct snap_module *d = m != NULL ? m->detail : NULL;
	bool focus = t->focus == PANE_DETAIL;
	int rows = p->h - 2, i, j, n = detail_count(p, t);
	int fixed = NAME_COLS + TYPE_COLS + VERDICT_COLS;
	int fit = (p->w - fixed) / OBJECT_COLS;
	char title[256], text[160];

	if (fit < 1)
		fit = 1;
	if (d == NULL) {
		draw_title(p->win, t->detail != NULL ? "Detail: not loaded anywhere" :
		    "Detail", NULL, focus);
		draw_text(p->win, 1, 1, p->w - 2, theme_attr(ROLE_DIM),
		    t->detail != NULL ? "(the module is in no interpreter now)" :
		    "Enter on a module in the sharing map shows it here, "
		    "attribute by attribute.");
		return;
	}
	if (d->kind == KIND_SINGLE || d->kind == KIND_BUILTIN_SINGLE)
		snprintf(title, sizeof title, "Detail: %s (%s, m_size %ld)",
		    d->name, module_kind_name(d->kind), d->m_size);
	else
		snprintf(title, sizeof title, "Detail: %s (%s)", d->name,
		    module_kind_name(d->kind));
	draw_title(p->win, title, show_addresses ? "x: values" :
	    "x: addresses", focus);
	if (p->left > (int)m->ninterps - fit)
		p->left = (int)m->ninterps - fit > 0 ? (int)m->ninterps - fit : 0;
	snprintf(text, sizeof text, "%-*s%-*s%-*s", NAME_COLS, "ATTRIBUTE",
	    TYPE_COLS, "TYPE", VERDICT_COLS, "VERDICT");
	draw_text(p->win, 1, 0, fixed, theme_attr(ROLE_DIM), text);
	for (j = 0; j < fit && p->left + j < (int)m->ninterps; j++) {
		const struct interp_info *in = &m->interps[p->left + j].info;

		snprintf(text, sizeof text, "IN %lld%s%s", (long long)in->id,
		    in->name[0] != '\0' ? " " : "", in->name);
		draw_text(p->win, 1, fixed + j * OBJECT_COLS, OBJECT_COLS - 1,
		    theme_attr(ROLE_DIM), text);
	}
	pane_clamp(p, n, rows);
	for (i = 0; i < rows && p->top + i < n; i++) {
		int k = p->top + i, y = i + 2;
		const struct snap_attr *a = &d->attrs[k];
		bool sel = k == p->cursor;
		int base = sel ? theme_attr(focus ? ROLE_SELECTED :
		    ROLE_SELECTED_DIM) : theme_attr(ROLE_NORMAL);
		int vattr = sel ? base : theme_attr(theme_sharing_role(a->sharing));

		draw_fill(p->win, y, 0, p->w, base);
		draw_text(p->win, y, 0, NAME_COLS - 1, base, a->name);
		draw_text(p->win, y, NAME_COLS, TYPE_COLS - 1, base,
		    a->type != NULL ? a->type : "?");
		verdict(a, text, sizeof text);
		draw_text(p->win, y, NAME_COLS + TYPE_COLS, VERDICT_COLS - 1, vattr,
		    text);
		for (j = 0; j < fit && p->left + j < (int)m->ninterps; j++) {
			int idx = p->left + j;
			const struct snap_object *o =
			    snap_attr_object(a, m->interps[idx].info.id);
			int oattr = vattr;

			if (o == NULL) {
				draw_text(p->win, y, fixed + j * OBJECT_COLS, 1,
				    theme_attr(ROLE_DIM), "-");
				continue;
			}
			if (m->detail_changed[(size_t)k * m->ninterps + (size_t)idx])
				oattr = theme_attr(ROLE_CHANGED);
			if (o->preview != NULL && !show_addresses)
				snprintf(text, sizeof text, "%s", o->preview);
			else
				snprintf(text, sizeof text, "%#lx", (unsigned long)o->addr);
			draw_text(p->win, y, fixed + j * OBJECT_COLS, OBJECT_COLS - 1,
			    oattr, text);
		}
	}
}

static bool
detail_key(struct pane *p, struct tui *t, int key)
{
	(void)t;
	if (key != 'x')
		return false;
	show_addresses = !show_addresses;
	p->dirty = true;
	return true;
}

const struct pane_class pane_detail_class = {
	.title = "Detail",
	.draw = detail_draw,
	.key = detail_key,
	.count = detail_count,
};
