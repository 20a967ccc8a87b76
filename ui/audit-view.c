/*
 * audit-view.c: the audit as a screen (see audit-view.h). The list is in
 * %audit's order: dangerous objects first, then those where the crossing
 * starts (the rest are reached through them), then the rest; a row says
 * the object's type, value or address, verdict, which interpreters reach
 * it and its owner. Under the list, the selected object: its owner and
 * how that is told, what is dangerous about it, each interpreter's path
 * to it and the C static that holds it. Paths are spelled only for the
 * entries and dangerous objects unless p asks for every one (as
 * %audit --all), since spelling them all costs a second walk.
 */
#include "config.h"

#include "audit-view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditview.h"
#include "draw.h"
#include "model.h"
#include "session.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"

#define DANGER (AUDIT_OWNER_DESTROYED | AUDIT_FOREIGN_GLOBALS | \
	AUDIT_FOREIGN_TYPE)

/* Columns of a list row: narrower under 110 columns, so the owner shows
 * on 80. */
#define MARK_COLS 2
struct columns {
	int type, object, verdict;
};

static struct columns
columns_for(int width)
{
	struct columns c = { 14, 18, 16 };

	if (width >= 110) {
		c.type = 18;
		c.object = 30;
		c.verdict = 22;
	}
	return c;
}

/* Columns Left and Right scroll the paths. */
#define SCROLL_COLS 16

struct audit_view {
	struct audit *audit;
	char *module;          /* walked from; NULL: every module */
	bool every_path;       /* p: paths of every object */
	size_t *order;         /* object indices as listed */
	size_t entries;        /* where the crossing starts */
	size_t dangerous;      /* flagged in DANGER */
	int cursor, top;       /* in the list */
	int left;              /* columns the paths are scrolled */
};

/* The class of an object in the list's order: dangerous entries, other
 * dangerous ones, entries, the rest. */
static int
rank(const struct audit_object *o)
{
	bool danger = (o->flags & DANGER) != 0, entry = (o->flags & AUDIT_ENTRY);

	return danger ? (entry ? 0 : 1) : entry ? 2 : 3;
}

static void
sort_objects(struct audit_view *v)
{
	const struct audit *a = v->audit;
	size_t i, k = 0;
	int r;

	free(v->order);
	v->order = xcalloc(a->nobjects + 1, sizeof *v->order);
	v->entries = v->dangerous = 0;
	/* stable: within a class, the audit's own order (type, address) */
	for (r = 0; r < 4; r++) {
		for (i = 0; i < a->nobjects; i++) {
			if (rank(&a->objects[i]) == r)
				v->order[k++] = i;
		}
	}
	for (i = 0; i < a->nobjects; i++) {
		v->entries += (a->objects[i].flags & AUDIT_ENTRY) != 0;
		v->dangerous += (a->objects[i].flags & DANGER) != 0;
	}
}

/* Walk again (after p, r, or to open); the cursor stays on the object it
 * was on when that object still crosses. */
static int
walk(struct audit_view *v, struct tui *t)
{
	const char *mods[1] = { v->module };
	uintptr_t was = 0;
	struct audit *a;
	char *cause = NULL;
	size_t i;

	if (v->audit != NULL && (size_t)v->cursor < v->audit->nobjects)
		was = v->audit->objects[v->order[v->cursor]].addr;
	tui_note(t, false, "walking the object graph of %s...",
	    v->module != NULL ? v->module : "every module");
	tui_draw(t);
	if (session_audit(t->session, mods, v->module != NULL ? 1 : 0, NULL, 0,
	    v->every_path, &a, &cause) != 0) {
		tui_note(t, true, "audit: %s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return -1;
	}
	if (v->audit != NULL)
		audit_free(v->audit);
	v->audit = a;
	sort_objects(v);
	v->cursor = v->top = 0;
	for (i = 0; was != 0 && i < a->nobjects; i++) {
		if (a->objects[v->order[i]].addr == was)
			v->cursor = (int)i;
	}
	tui_note(t, false, "%zu objects walked in %.3f s", a->visited,
	    a->seconds);
	return 0;
}

struct audit_view *
audit_view_open(struct tui *t, const char *module)
{
	struct audit_view *v = xcalloc(1, sizeof *v);

	v->module = module != NULL ? xstrdup(module) : NULL;
	if (walk(v, t) != 0) {
		audit_view_free(v);
		return NULL;
	}
	return v;
}

void
audit_view_free(struct audit_view *v)
{
	if (v == NULL)
		return;
	if (v->audit != NULL)
		audit_free(v->audit);
	free(v->order);
	free(v->module);
	free(v);
}

/* "[1 victim]" from the model's registry, "[1]" for one it lacks. */
static void
interp_label(const struct tui *t, interp_id id, char *buf, size_t size)
{
	int k = t->model != NULL ? ui_model_interp_index(t->model, id) : -1;
	const char *name = k >= 0 ? t->model->interps[k].info.name : "";

	snprintf(buf, size, "[%lld%s%s]", (long long)id, name[0] != '\0' ?
	    " " : "", name);
}

/* "shared by 0,1" with the interpreters that reach it. */
static void
verdict_text(const struct audit_object *o, char *buf, size_t size)
{
	size_t i, used;

	used = (size_t)snprintf(buf, size, "%s", o->classification);
	for (i = 0; i < o->nreachable && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%lld",
		    i == 0 ? " by " : ",", (long long)o->reachable_from[i]);
}

/* The owner as the list says it ("[0 main] __self__", "-"), or, long, as
 * the selected object's lines do. */
static void
owner_text(const struct tui *t, const struct audit_object *o, bool lng,
    char *buf, size_t size)
{
	char label[INTERP_LABEL_MAX];

	if (o->owner == INTERP_NONE) {
		snprintf(buf, size, "%s", lng ? "owner not known (nothing the "
		    "walk met tells it)" : "-");
		return;
	}
	if (o->flags & AUDIT_OWNER_DESTROYED)
		snprintf(label, sizeof label, "[%lld] (destroyed)",
		    (long long)o->owner);
	else
		interp_label(t, o->owner, label, sizeof label);
	if (lng)
		snprintf(buf, size, "owned by %s (%s)", label,
		    o->owner_how != NULL ? o->owner_how : "?");
	else
		snprintf(buf, size, "%s %s", label, o->owner_how != NULL ?
		    o->owner_how : "");
}

static void
draw_row(struct audit_view *v, struct tui *t, WINDOW *win, int y, int k)
{
	const struct audit_object *o = &v->audit->objects[v->order[k]];
	bool sel = k == v->cursor;
	int w = getmaxx(win), x = 0;
	struct columns c = columns_for(w);
	int base = theme_attr(sel ? ROLE_SELECTED : ROLE_NORMAL);
	int alarm = sel ? base : theme_attr(ROLE_SHARED);
	char text[256], addr[32];

	draw_fill(win, y, 0, w, base);
	draw_text(win, y, x, MARK_COLS, (o->flags & DANGER) ? alarm : base,
	    (o->flags & DANGER) ? "!" : (o->flags & AUDIT_ENTRY) ? ">" : " ");
	x += MARK_COLS;
	draw_text(win, y, x, c.type - 1, base, o->type);
	x += c.type;
	snprintf(addr, sizeof addr, "%#lx", (unsigned long)o->addr);
	if (o->preview != NULL)
		snprintf(text, sizeof text, "%s %s", addr, o->preview);
	else
		snprintf(text, sizeof text, "%s", addr);
	draw_text(win, y, x, c.object - 1, base, text);
	x += c.object;
	verdict_text(o, text, sizeof text);
	draw_text(win, y, x, c.verdict - 1, alarm, text);
	x += c.verdict;
	if (x < w) {
		owner_text(t, o, false, text, sizeof text);
		draw_text(win, y, x, w - x, base, text);
	}
}

/* The selected object, from row y for rows rows: owner, flags, paths. */
static void
draw_selected(struct audit_view *v, struct tui *t, WINDOW *win, int y,
    int rows)
{
	const struct audit_object *o;
	char text[256], label[INTERP_LABEL_MAX];
	int w = getmaxx(win), end = y + rows, lw = 10;
	size_t i;

	if ((size_t)v->cursor >= v->audit->nobjects)
		return;
	o = &v->audit->objects[v->order[v->cursor]];
	owner_text(t, o, true, text, sizeof text);
	draw_text(win, y++, 1, w - 2, theme_attr(ROLE_NORMAL), text);
	auditview_flags(o->flags, text, sizeof text);
	if (text[0] != '\0' && y < end)
		draw_text(win, y++, 1, w - 2, theme_attr(ROLE_SHARED), text + 2);
	for (i = 0; i < o->npaths; i++) {
		interp_label(t, o->paths[i].interp, label, sizeof label);
		if (text_cols(label) + 2 > lw)
			lw = text_cols(label) + 2;
	}
	for (i = 0; i < o->npaths && y < end; i++, y++) {
		interp_label(t, o->paths[i].interp, label, sizeof label);
		draw_text(win, y, 1, lw, theme_attr(ROLE_PROMPT), label);
		draw_text_from(win, y, 1 + lw, w - 2 - lw, theme_attr(ROLE_NORMAL),
		    o->paths[i].path, v->left);
	}
	if (o->static_root != NULL && y < end) {
		draw_text(win, y, 1, lw, theme_attr(ROLE_PROMPT), "C static");
		draw_text_from(win, y++, 1 + lw, w - 2 - lw,
		    theme_attr(ROLE_NORMAL), o->static_root, v->left);
	}
	if (o->npaths == 0 && o->static_root == NULL && y < end)
		draw_text(win, y, 1, w - 2, theme_attr(ROLE_DIM), v->every_path ?
		    "no interpreter reaches it from its modules" :
		    "reached through the objects marked > (p: every object's "
		    "paths)");
}

void
audit_view_draw(struct audit_view *v, struct tui *t, WINDOW *win)
{
	const struct audit *a = v->audit;
	int h = getmaxy(win), w = getmaxx(win), rows, below, i, n;
	char title[256], right[160];

	n = (int)a->nobjects;
	werase(win);
	snprintf(title, sizeof title, "Audit of %s: %zu object%s cross%s "
	    "interpreters (%zu where it starts, %zu dangerous)",
	    v->module != NULL ? v->module : "every module", a->nobjects,
	    a->nobjects == 1 ? "" : "s", a->nobjects == 1 ? "es" : "",
	    v->entries, v->dangerous);
	snprintf(right, sizeof right, "%zu shared by design%s", a->harmless,
	    a->budget_reached ? "; stopped at its budget" : "");
	draw_title(win, title, right, true);
	/* below the list: a separator, the selected object, the key line */
	below = h >= 24 ? h / 3 : 5;
	rows = h - 2 - 1 - below - 1;
	if (rows < 1) {
		rows = 1;
		below = h - 5 > 0 ? h - 5 : 0;
	}
	if (n == 0) {
		snprintf(title, sizeof title, "Nothing crosses interpreters "
		    "through %s: each reaches only its own objects (and the %zu "
		    "static, immortal or interned ones shared by design).",
		    v->module != NULL ? v->module : "their modules", a->harmless);
		draw_text(win, 2, 1, w - 2, theme_attr(ROLE_NORMAL), title);
	} else {
		struct columns c = columns_for(w);

		snprintf(title, sizeof title, "  %-*s%-*s%-*s%s", c.type,
		    "TYPE", c.object, "OBJECT", c.verdict, "REACHED BY", "OWNER");
		draw_text(win, 1, 0, w, theme_attr(ROLE_DIM), title);
		if (v->cursor >= n)
			v->cursor = n - 1;
		if (v->cursor < v->top)
			v->top = v->cursor;
		if (v->cursor >= v->top + rows)
			v->top = v->cursor - rows + 1;
		for (i = 0; i < rows && v->top + i < n; i++)
			draw_row(v, t, win, 2 + i, v->top + i);
		const struct audit_object *o = &a->objects[v->order[v->cursor]];

		snprintf(title, sizeof title, " %d of %d: %s %#lx%s%s", v->cursor + 1,
		    n, o->type, (unsigned long)o->addr, o->preview != NULL ?
		    "  " : "", o->preview != NULL ? o->preview : "");
		draw_fill(win, 2 + rows, 0, w, theme_attr(ROLE_TITLE));
		draw_text(win, 2 + rows, 0, w, theme_attr(ROLE_TITLE), title);
		draw_selected(v, t, win, 3 + rows, below);
	}
	snprintf(title, sizeof title, "Up Down PgUp PgDn: objects  Left Right: "
	    "paths  p: %s  r: walk again  Esc q A: close%s%s",
	    v->every_path ? "entries' paths only" : "every object's paths",
	    a->note != NULL ? "  | " : "", a->note != NULL ? a->note : "");
	draw_text(win, h - 1, 0, w, theme_attr(ROLE_DIM), title);
}

bool
audit_view_key(struct audit_view *v, struct tui *t, int key)
{
	int n = (int)v->audit->nobjects;
	int page = LINES / 2 > 1 ? LINES / 2 : 1;

	switch (key) {
	case 27:
	case 'q':
	case 'A':
		return false;
	case KEY_UP:
	case 'k':
		v->cursor--;
		break;
	case KEY_DOWN:
	case 'j':
		v->cursor++;
		break;
	case KEY_PPAGE:
		v->cursor -= page;
		break;
	case KEY_NPAGE:
		v->cursor += page;
		break;
	case KEY_HOME:
	case 'g':
		v->cursor = 0;
		break;
	case KEY_END:
	case 'G':
		v->cursor = n - 1;
		break;
	case KEY_LEFT:
	case 'h':
		v->left = v->left > SCROLL_COLS ? v->left - SCROLL_COLS : 0;
		break;
	case KEY_RIGHT:
	case 'l':
		v->left += SCROLL_COLS;
		break;
	case 'p':
		v->every_path = !v->every_path;
		if (walk(v, t) != 0)
			v->every_path = !v->every_path;
		break;
	case 'r':
		walk(v, t);
		break;
	default:
		break;
	}
	n = (int)v->audit->nobjects;
	if (v->cursor >= n)
		v->cursor = n - 1;
	if (v->cursor < 0)
		v->cursor = 0;
	return true;
}
