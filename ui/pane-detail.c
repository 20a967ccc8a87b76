/*
 * pane-detail.c: one module attribute by attribute: its type, the verdict
 * (distinct, distinct but holding shared objects deeper, SHARED by which
 * interpreters and owned by whom, static in which file, immortal), then
 * the object in each interpreter, as its value
 * when it is plain data (a shared list shows the same contents everywhere)
 * or as its address ('x' switches to addresses: the pane's own state).
 * Shared objects are drawn in the alarm role and listed first; what the
 * last step changed is highlighted.
 */
#include "config.h"

#include "pane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "model.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"

#define OBJECT_COLS 20   /* an interpreter's column, when there is room */
#define OBJECT_MIN 6     /* ... and the least it gets to show them all */

/* The columns of one drawing. Wide enough, the pane gives each
 * interpreter 20 columns; when that cannot show them all (80 columns and
 * three interpreters or more), it is compact: narrower name, type and
 * verdict, the interpreters' columns shared out, addresses cut to their
 * tails, so every interpreter is side by side up to about six of them. */
struct columns {
	int name, type, verdict;
	int object;       /* one interpreter's column */
	int fit;          /* interpreters shown at once */
	bool compact;
};

static struct columns
columns_for(int width, int ninterps)
{
	struct columns c = { 15, 11, 24, OBJECT_COLS, 1, false };
	int room;

	if (width >= 140) {
		c.name = 18;
		c.type = 16;
		c.verdict = 34;
	}
	room = width - c.name - c.type - c.verdict;
	c.fit = room / OBJECT_COLS;
	if (c.fit >= ninterps || ninterps <= 1) {
		c.fit = c.fit < 1 ? 1 : c.fit;
		return c;
	}
	c.compact = true;
	c.name = 14;
	c.type = 8;
	c.verdict = 18;
	room = width - c.name - c.type - c.verdict;
	c.object = room / ninterps;
	if (c.object > OBJECT_COLS)
		c.object = OBJECT_COLS;
	if (c.object < OBJECT_MIN)
		c.object = OBJECT_MIN;
	c.fit = room / c.object;
	if (c.fit < 1)
		c.fit = 1;
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

/* "0,1,2,3", or "0-3" when that does not fit in room. */
static size_t
id_list(const struct snap_attr *a, char *buf, size_t size, size_t room)
{
	size_t i, used = 0, start;

	for (i = 0; i < a->nobjects && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%lld",
		    i > 0 ? "," : "", (long long)a->objects[i].interp);
	if (used <= room)
		return used;
	used = 0;
	for (i = 0; i < a->nobjects && used < size; i = start + 1) {
		start = i;
		while (start + 1 < a->nobjects && a->objects[start + 1].interp ==
		    a->objects[start].interp + 1)
			start++;
		if (start == i)
			used += (size_t)snprintf(buf + used, size - used, "%s%lld",
			    used > 0 ? "," : "", (long long)a->objects[i].interp);
		else
			used += (size_t)snprintf(buf + used, size - used, "%s%lld-%lld",
			    used > 0 ? "," : "", (long long)a->objects[i].interp,
			    (long long)a->objects[start].interp);
	}
	return used;
}

static void
verdict(const struct snap_attr *a, char *buf, size_t size, size_t room)
{
	size_t used;

	switch (a->sharing) {
	case SHARING_DISTINCT:
		snprintf(buf, size, a->holds_shared ? (room < 22 ? "holds shared" :
		    "distinct, holds shared") : "distinct");
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
	used += id_list(a, buf + used, size - used, room > used ? room - used : 1);
	if (used >= size)
		return;
	if (a->owner == INTERP_HIDDEN)
		snprintf(buf + used, size - used, " owner hidden");
	else if (a->owner != INTERP_NONE)
		snprintf(buf + used, size - used, " owner %lld",
		    (long long)a->owner);
}

/* The order rows are drawn in: shared objects first, then what holds
 * shared objects deeper, then the rest, each by name (the snapshot's
 * order, which the change marks are kept in). */
static int
rank(const struct snap_attr *a)
{
	return a->sharing == SHARING_SHARED ? 0 : a->holds_shared ? 1 : 2;
}

static int *
display_order(const struct snap_module *d)
{
	int *order = xcalloc(d->nattrs + 1, sizeof *order);
	size_t i, n = 0;
	int r;

	for (r = 0; r < 3; r++) {
		for (i = 0; i < d->nattrs; i++) {
			if (rank(&d->attrs[i]) == r)
				order[n++] = (int)i;
		}
	}
	return order;
}

/* An object in w columns: its value, or its address (its tail, after
 * '~', when the whole does not fit). */
static void
object_text(const struct snap_object *o, bool addresses, int w, char *buf,
    size_t size)
{
	char addr[32];
	int len;

	if (o->preview != NULL && !addresses) {
		snprintf(buf, size, "%s", o->preview);
		return;
	}
	len = snprintf(addr, sizeof addr, "%#lx", (unsigned long)o->addr);
	if (len <= w || w < 3)
		snprintf(buf, size, "%s", addr);
	else
		snprintf(buf, size, "~%s", addr + len - (w - 1));
}

static void
detail_draw(struct pane *p, struct tui *t)
{
	const struct ui_model *m = t->model;
	const struct snap_module *d = m != NULL ? m->detail : NULL;
	bool focus = t->focus == PANE_DETAIL;
	int rows = p->h - 2, i, j, n = detail_count(p, t);
	const struct detail_state *st = pane_state(p);
	struct columns c = columns_for(p->w, m != NULL ? (int)m->ninterps : 1);
	int fixed = c.name + c.type + c.verdict, fit = c.fit, *order;
	char title[256], text[160], right[96];

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
	/* interpreters by their CPython ids, as everywhere else */
	if ((size_t)fit < m->ninterps)
		snprintf(right, sizeof right, "interpreters %lld-%lld (%d of %zu)  %s",
		    (long long)m->interps[p->left].info.id,
		    (long long)m->interps[p->left + fit - 1].info.id, fit,
		    m->ninterps, st->addresses ? "x: values" : "x: addresses");
	else
		snprintf(right, sizeof right, "%s%s", !c.compact ? "" :
		    st->addresses ? "shared first  ~: an address's end  " :
		    "shared first  ", st->addresses ? "x: values" : "x: addresses");
	draw_title(p->win, title, right, focus);
	snprintf(text, sizeof text, "%-*s%-*s%-*s", c.name, "ATTRIBUTE",
	    c.type, "TYPE", c.verdict, "VERDICT");
	draw_text(p->win, 1, 0, fixed, theme_attr(ROLE_DIM), text);
	for (j = 0; j < fit && p->left + j < (int)m->ninterps; j++) {
		const struct interp_info *in = &m->interps[p->left + j].info;

		snprintf(text, sizeof text, "%s%lld%s%s", c.compact ? "" : "IN ",
		    (long long)in->id, in->name[0] != '\0' ? " " : "", in->name);
		draw_text(p->win, 1, fixed + j * c.object, c.object - 1,
		    theme_attr(ROLE_DIM), text);
	}
	pane_clamp(p, n, rows);
	order = display_order(d);
	for (i = 0; i < rows && p->top + i < n; i++) {
		int k = order[p->top + i], y = i + 2;
		const struct snap_attr *a = &d->attrs[k];
		bool sel = p->top + i == p->cursor;
		int base = sel ? theme_attr(focus ? ROLE_SELECTED :
		    ROLE_SELECTED_DIM) : theme_attr(ROLE_NORMAL);
		int role = theme_attr(a->holds_shared ? ROLE_SHARED :
		    theme_sharing_role(a->sharing));
		int vattr = sel && focus ? base : sel ? role | (int)A_UNDERLINE : role;

		draw_fill(p->win, y, 0, p->w, base);
		draw_text(p->win, y, 0, c.name - 1, base, a->name);
		draw_text(p->win, y, c.name, c.type - 1, base,
		    a->type != NULL ? a->type : "?");
		verdict(a, text, sizeof text, (size_t)c.verdict - 1);
		draw_text(p->win, y, c.name + c.type, c.verdict - 1, vattr, text);
		for (j = 0; j < fit && p->left + j < (int)m->ninterps; j++) {
			int idx = p->left + j;
			const struct snap_object *o =
			    snap_attr_object(a, m->interps[idx].info.id);
			int oattr = vattr;

			if (o == NULL) {
				draw_text(p->win, y, fixed + j * c.object, 1,
				    theme_attr(ROLE_DIM), "-");
				continue;
			}
			if (m->detail_changed[(size_t)k * m->ninterps + (size_t)idx])
				oattr = theme_attr(ROLE_CHANGED);
			object_text(o, st->addresses, c.object - 1, text, sizeof text);
			draw_text(p->win, y, fixed + j * c.object, c.object - 1, oattr,
			    text);
		}
	}
	free(order);
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

bool
pane_detail_point(struct pane *p, struct tui *t, const char *attr)
{
	const struct snap_module *d = t->model != NULL ? t->model->detail : NULL;
	int *order, row;
	bool found = false;

	if (d == NULL)
		return false;
	order = display_order(d);
	for (row = 0; row < (int)d->nattrs; row++) {
		if (strcmp(d->attrs[order[row]].name, attr) == 0) {
			p->cursor = row;
			p->dirty = true;
			found = true;
			break;
		}
	}
	free(order);
	return found;
}

const struct pane_class pane_detail_class = {
	.draw = detail_draw,
	.count = detail_count,
	.state_size = sizeof(struct detail_state),
};
