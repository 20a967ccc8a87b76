/*
 * pane-detail.c: one module attribute by attribute: its type, the verdict
 * (distinct, distinct but holding shared objects deeper, SHARED by which
 * interpreters and owned by whom, static in which file, immortal), then the object in each interpreter, as its value
 * when it is plain data (a shared list shows the same contents everywhere)
 * or as its address ('x' switches to addresses: the pane's own state).
 * Shared objects are drawn in the alarm role; what the last step changed
 * is highlighted.
 */
#include "config.h"

#include "pane.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "model.h"
#include "theme.h"
#include "tui-state.h"

#define OBJECT_COLS 20

/* Column widths: wider on a wide pane, so verdicts ("static in
 * libpython3.12.so.1.0", "SHARED by 0,1,2 owner 0") read whole. */
struct columns {
	int name, type, verdict;
};

static struct columns
columns_for(int width)
{
	struct columns c = { 15, 11, 24 };

	if (width >= 140) {
		c.name = 18;
		c.type = 16;
		c.verdict = 34;
	}
	return c;
}

struct detail_state {
	bool addresses;   /* objects as addresses even when they have a
	                   * value to show (x) */
};

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
		snprintf(buf, size, a->holds_shared ? "distinct, holds shared" :
		    "distinct");
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
	if (a->owner == INTERP_HIDDEN && used < size)
		snprintf(buf + used, size - used, " owner hidden");
	else if (a->owner != INTERP_NONE && used < size)
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
	const struct detail_state *st = pane_state(p);
	struct columns c = columns_for(p->w);
	int fixed = c.name + c.type + c.verdict;
	int fit = (p->w - fixed) / OBJECT_COLS;
	char title[256], text[160], right[96];

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
	if (p->left > (int)m->ninterps - fit)
		p->left = (int)m->ninterps - fit > 0 ? (int)m->ninterps - fit : 0;
	if ((size_t)fit < m->ninterps)
		snprintf(right, sizeof right, "interpreters %d-%d of %zu  %s",
		    p->left + 1, p->left + fit, m->ninterps,
		    st->addresses ? "x: values" : "x: addresses");
	else
		snprintf(right, sizeof right, "%s", st->addresses ? "x: values" :
		    "x: addresses");
	draw_title(p->win, title, right, focus);
	snprintf(text, sizeof text, "%-*s%-*s%-*s", c.name, "ATTRIBUTE",
	    c.type, "TYPE", c.verdict, "VERDICT");
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
		int role = theme_attr(a->holds_shared ? ROLE_SHARED :
		    theme_sharing_role(a->sharing));
		int vattr = sel && focus ? base : sel ? role | (int)A_UNDERLINE : role;

		draw_fill(p->win, y, 0, p->w, base);
		draw_text(p->win, y, 0, c.name - 1, base, a->name);
		draw_text(p->win, y, c.name, c.type - 1, base,
		    a->type != NULL ? a->type : "?");
		verdict(a, text, sizeof text);
		draw_text(p->win, y, c.name + c.type, c.verdict - 1, vattr, text);
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
			if (o->preview != NULL && !st->addresses)
				snprintf(text, sizeof text, "%s", o->preview);
			else
				snprintf(text, sizeof text, "%#lx", (unsigned long)o->addr);
			draw_text(p->win, y, fixed + j * OBJECT_COLS, OBJECT_COLS - 1,
			    oattr, text);
		}
	}
}

bool
pane_detail_addresses(struct pane *p, struct tui *t)
{
	struct detail_state *st = pane_state(p);

	(void)t;
	st->addresses = !st->addresses;
	p->dirty = true;
	return true;
}

const struct pane_class pane_detail_class = {
	.draw = detail_draw,
	.count = detail_count,
	.state_size = sizeof(struct detail_state),
};
