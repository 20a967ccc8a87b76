/*
 * model.c: the TUI's model (see model.h). Cells are classified from the
 * snapshot's facts only: the module kind, whether CPython made the
 * instance from m_copy, and the verdict of each attribute; counts of shared
 * attributes come from the attribute snapshot, which is taken, deep (what
 * the attributes reach, as %audit walks it), only for extension modules
 * loaded twice or more and the detail module, so a step with 300 modules
 * stays cheap.
 */
#include "config.h"

#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

int
ui_model_interp_index(const struct ui_model *m, interp_id id)
{
	size_t lo = 0, hi = m->ninterps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->interps[mid].info.id == id)
			return (int)mid;
		if (m->interps[mid].info.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Which group a module is listed in: what can share comes first. */
static int
kind_rank(enum module_kind k)
{
	switch (k) {
	case KIND_SINGLE:
		return 0;
	case KIND_MULTI:
		return 1;
	case KIND_BUILTIN_SINGLE:
		return 2;
	case KIND_BUILTIN_MULTI:
		return 3;
	case KIND_OTHER:
		return 4;
	case KIND_PYTHON:
	case KIND_FROZEN:
	case KIND_NAMESPACE:
		break;
	}
	return 5;
}

static int
row_compare(const void *a, const void *b)
{
	const struct ui_row *x = a, *y = b;
	int d = kind_rank(x->module->kind) - kind_rank(y->module->kind);

	return d != 0 ? d : strcmp(x->module->name, y->module->name);
}

/* Extension modules in two or more interpreters: single-phase ones share
 * through m_copy, any (multi-phase too) through what its C statics hold.
 * libpython's own multi-phase modules are left out: they are in every
 * interpreter, and walking them after every step would cost the most
 * for the least. */
static bool
can_share(const struct snap_module *m)
{
	return (m->kind == KIND_SINGLE || m->kind == KIND_BUILTIN_SINGLE ||
	    m->kind == KIND_MULTI) && m->ninstances >= 2;
}

const char **
ui_model_attr_names(const struct snapshot *modules, size_t *n)
{
	const char **names = xcalloc(modules->nmodules + 1, sizeof *names);
	size_t i;

	*n = 0;
	for (i = 0; i < modules->nmodules; i++) {
		if (can_share(&modules->modules[i]))
			names[(*n)++] = modules->modules[i].name;
	}
	return names;
}

/* FNV-1a over what an interpreter's attributes are. */
static uint64_t
mix(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* How many interpreters hold the very object o holds. */
static size_t
holders(const struct snap_attr *a, uintptr_t addr)
{
	size_t i, count = 0;

	for (i = 0; i < a->nobjects; i++)
		count += a->objects[i].addr == addr;
	return count;
}

/* Shared and total attributes of a module in one interpreter. */
static void
count_attrs(const struct snap_module *m, interp_id id, struct ui_cell *c)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	c->shared = c->total = c->holds = 0;
	for (i = 0; i < m->nattrs; i++) {
		const struct snap_attr *a = &m->attrs[i];
		const struct snap_object *o = snap_attr_object(a, id);

		if (o == NULL)
			continue;
		c->total++;
		if (a->sharing == SHARING_SHARED && holders(a, o->addr) >= 2)
			c->shared++;
		if (a->holds_shared)
			c->holds++;
		h = mix(h, a->name, strlen(a->name));
		h = mix(h, &a->holds_shared, sizeof a->holds_shared);
		h = mix(h, &o->addr, sizeof o->addr);
		if (o->preview != NULL)
			h = mix(h, o->preview, strlen(o->preview));
	}
	c->digest = h;
}

static void
classify(struct ui_cell *c, const struct snap_module *m,
    const struct snap_module *with_attrs, interp_id id,
    const struct ui_refusals *refused, const char *name)
{
	const struct snap_instance *in = snap_module_instance(m, id);

	c->shared = c->total = c->holds = -1;
	c->digest = 0;
	c->changed = false;
	if (in == NULL) {
		c->cls = ui_refusals_find(refused, name, id) != NULL ?
		    CELL_REFUSED : CELL_ABSENT;
		return;
	}
	if (with_attrs != NULL && snap_module_instance(with_attrs, id) != NULL)
		count_attrs(with_attrs, id, c);
	switch (m->kind) {
	case KIND_PYTHON:
	case KIND_FROZEN:
	case KIND_NAMESPACE:
		c->cls = CELL_PYTHON;
		return;
	case KIND_OTHER:
		c->cls = CELL_OTHER;
		return;
	default:
		break;
	}
	if (in->copied)
		c->cls = CELL_COPIED;
	else if (c->shared > 0 && (m->kind == KIND_SINGLE ||
	    m->kind == KIND_BUILTIN_SINGLE))
		c->cls = CELL_SOURCE;
	else
		c->cls = CELL_OWN;   /* with shared or holds > 0: a leak */
}

void
ui_model_carry_holds(struct snapshot *attrs, const struct snapshot *before)
{
	size_t i, j, k;

	if (attrs == NULL || before == NULL)
		return;
	for (i = 0; i < attrs->nmodules; i++) {
		struct snap_module *m = &attrs->modules[i];
		const struct snap_module *was = snapshot_module(before, m->name);

		if (was == NULL)
			continue;
		/* both sorted by name: one walk over the two */
		for (j = k = 0; j < m->nattrs && k < was->nattrs;) {
			int c = strcmp(m->attrs[j].name, was->attrs[k].name);

			if (c == 0 && m->attrs[j].sharing == SHARING_DISTINCT)
				m->attrs[j].holds_shared = was->attrs[k].holds_shared;
			j += c <= 0;
			k += c >= 0;
		}
	}
}

struct ui_model *
ui_model_build(struct snapshot *modules, struct snapshot *attrs,
    const char *detail, const struct ui_refusals *refused)
{
	struct ui_model *m = xcalloc(1, sizeof *m);
	size_t i, j;

	m->modules = modules;
	m->attrs = attrs;
	m->ninterps = modules->ninterps;
	m->interps = xcalloc(m->ninterps + 1, sizeof *m->interps);
	for (i = 0; i < m->ninterps; i++)
		m->interps[i].info = modules->interps[i];
	m->nrows = modules->nmodules;
	m->rows = xcalloc(m->nrows + 1, sizeof *m->rows);
	for (i = 0; i < m->nrows; i++) {
		struct ui_row *r = &m->rows[i];
		const struct snap_module *mod = &modules->modules[i];
		const struct snap_module *full = attrs != NULL ?
		    snapshot_module(attrs, mod->name) : NULL;

		r->module = mod;
		r->cells = xcalloc(m->ninterps + 1, sizeof *r->cells);
		for (j = 0; j < m->ninterps; j++)
			classify(&r->cells[j], mod, full, m->interps[j].info.id,
			    refused, mod->name);
	}
	qsort(m->rows, m->nrows, sizeof *m->rows, row_compare);
	m->row_of = xcalloc(m->nrows + 1, sizeof *m->row_of);
	for (i = 0; i < m->nrows; i++)
		m->row_of[m->rows[i].module - modules->modules] = i;
	if (detail != NULL && attrs != NULL)
		m->detail = snapshot_module(attrs, detail);
	if (m->detail != NULL)
		m->detail_changed = xcalloc(m->detail->nattrs * m->ninterps + 1,
		    sizeof *m->detail_changed);
	return m;
}

/* The row of a module: found in the snapshot (sorted by name), then
 * through row_of, since rows are grouped by kind. */
static const struct ui_row *
find_row(const struct ui_model *m, const char *name)
{
	const struct snap_module *mod = snapshot_module(m->modules, name);

	return mod != NULL ? &m->rows[m->row_of[mod - m->modules->modules]] :
	    NULL;
}

static bool
info_differs(const struct interp_info *a, const struct interp_info *b)
{
	return a->modules != b->modules || a->current != b->current ||
	    strcmp(a->name, b->name) != 0 ||
	    memcmp(&a->config, &b->config, sizeof a->config) != 0;
}

static void
mark_detail(struct ui_model *now, const struct ui_model *before)
{
	const struct snap_module *d = now->detail, *old = before->detail;
	size_t i, j;

	if (d == NULL || old == NULL || strcmp(d->name, old->name) != 0)
		return;
	for (i = 0; i < d->nattrs; i++) {
		const struct snap_attr *a = &d->attrs[i];
		const struct snap_attr *was = NULL;
		size_t lo = 0, hi = old->nattrs;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(old->attrs[mid].name, a->name);

			if (c == 0) {
				was = &old->attrs[mid];
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (j = 0; j < now->ninterps; j++) {
			interp_id id = now->interps[j].info.id;
			const struct snap_object *o = snap_attr_object(a, id), *p;

			if (o == NULL)
				continue;
			p = was != NULL ? snap_attr_object(was, id) : NULL;
			now->detail_changed[i * now->ninterps + j] = p == NULL ||
			    p->addr != o->addr ||
			    (p->preview == NULL) != (o->preview == NULL) ||
			    (p->preview != NULL && strcmp(p->preview, o->preview) != 0);
		}
	}
}

void
ui_model_mark_changes(struct ui_model *now, const struct ui_model *before)
{
	size_t i, j;

	int *was;

	if (before == NULL)
		return;
	/* each interpreter's column in `before`, once */
	was = xcalloc(now->ninterps + 1, sizeof *was);
	for (i = 0; i < now->ninterps; i++) {
		int k = ui_model_interp_index(before, now->interps[i].info.id);

		was[i] = k;
		now->interps[i].changed = k < 0 ||
		    info_differs(&now->interps[i].info, &before->interps[k].info);
	}
	for (i = 0; i < now->nrows; i++) {
		struct ui_row *r = &now->rows[i];
		const struct ui_row *old = find_row(before, r->module->name);

		r->changed = false;
		for (j = 0; j < now->ninterps; j++) {
			struct ui_cell *c = &r->cells[j];
			int k = was[j];
			const struct ui_cell *o = old != NULL && k >= 0 ?
			    &old->cells[k] : NULL;

			if (o == NULL)
				c->changed = c->cls != CELL_ABSENT;
			else
				c->changed = c->cls != o->cls || c->shared != o->shared ||
				    (c->total >= 0 && o->total >= 0 &&
				    c->digest != o->digest);
			r->changed |= c->changed;
		}
	}
	free(was);
	mark_detail(now, before);
}

void
ui_model_free(struct ui_model *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nrows; i++)
		free(m->rows[i].cells);
	free(m->rows);
	free(m->row_of);
	free(m->interps);
	free(m->detail_changed);
	snapshot_free(m->modules);
	snapshot_free(m->attrs);
	free(m);
}

const struct ui_refusal *
ui_refusals_find(const struct ui_refusals *r, const char *module,
    interp_id id)
{
	size_t i;

	for (i = 0; r != NULL && i < r->n; i++) {
		if (r->v[i].interp == id && strcmp(r->v[i].module, module) == 0)
			return &r->v[i];
	}
	return NULL;
}

static void
refusal_drop(struct ui_refusals *r, size_t i)
{
	free(r->v[i].module);
	free(r->v[i].error);
	r->v[i] = r->v[--r->n];
}

void
ui_refusals_note(struct ui_refusals *r, const char *module,
    const struct import_report *reports, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct import_report *rep = &reports[i];

		for (k = 0; k < r->n; k++) {
			if (r->v[k].interp == rep->interp &&
			    strcmp(r->v[k].module, module) == 0) {
				refusal_drop(r, k);
				break;
			}
		}
		if (rep->result != IMPORT_REFUSED)
			continue;
		r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
		r->v[r->n].module = xstrdup(module);
		r->v[r->n].interp = rep->interp;
		r->v[r->n].error = xstrdup(rep->error);
		r->n++;
	}
}

void
ui_refusals_forget_interp(struct ui_refusals *r, interp_id id)
{
	size_t i = 0;

	while (i < r->n) {
		if (r->v[i].interp == id)
			refusal_drop(r, i);
		else
			i++;
	}
}

void
ui_refusals_free(struct ui_refusals *r)
{
	while (r->n > 0)
		refusal_drop(r, 0);
	free(r->v);
	r->v = NULL;
}
