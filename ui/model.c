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

/* A cell's digest is mixed from 64-bit words: the attribute's name and
 * preview texts are hashed once each, not once per cell (perf: hashing
 * them byte by byte in every cell was most of a model at 64 x 300). */
static uint64_t
mix(uint64_t h, uint64_t word)
{
	h ^= word;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static uint64_t
text_hash(const char *s)
{
	uint64_t h = 0x84222325cbf29ce4ULL;
	size_t len = strlen(s), i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, sizeof w);
		h = mix(h, w);
	}
	if (i < len) {
		uint64_t w = 0;

		memcpy(&w, s + i, len - i);
		h = mix(h, w);
	}
	return mix(h, len);
}

static int
addr_compare(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return (x > y) - (x < y);
}

/* For each object of a shared attribute, whether another interpreter
 * holds the very same object (one sort of the addresses, not one look
 * at all the others per object). */
static void
held_twice(const struct snap_attr *a, bool *twice, uintptr_t *scratch)
{
	size_t i;

	for (i = 0; i < a->nobjects; i++)
		scratch[i] = a->objects[i].addr;
	qsort(scratch, a->nobjects, sizeof *scratch, addr_compare);
	for (i = 0; i < a->nobjects; i++) {
		uintptr_t key = a->objects[i].addr;
		const uintptr_t *p = bsearch(&key, scratch, a->nobjects,
		    sizeof *scratch, addr_compare);
		size_t at = (size_t)(p - scratch);

		twice[i] = (at > 0 && scratch[at - 1] == key) ||
		    (at + 1 < a->nobjects && scratch[at + 1] == key);
	}
}

/* Shared, total and holds-shared attributes of a module in every
 * interpreter that has it in `full` (the others keep -1), and their
 * digests. Objects are sorted by interpreter like the columns, so each
 * attribute is one walk along the row. */
static void
count_attrs(struct ui_model *m, struct ui_row *r, const struct snap_module *full)
{
	uint64_t *h = xcalloc(m->ninterps + 1, sizeof *h);
	size_t i, j, k, most = 0;
	bool *twice;
	uintptr_t *scratch;

	for (i = 0; i < full->nattrs; i++) {
		if (full->attrs[i].nobjects > most)
			most = full->attrs[i].nobjects;
	}
	twice = xcalloc(most + 1, sizeof *twice);
	scratch = xcalloc(most + 1, sizeof *scratch);

	for (j = k = 0; j < m->ninterps && k < full->ninstances;) {
		interp_id id = m->interps[j].info.id;

		if (full->instances[k].interp < id)
			k++;
		else if (full->instances[k].interp > id)
			j++;
		else {
			r->cells[j].shared = r->cells[j].total = 0;
			r->cells[j].holds = 0;
			h[j] = 0xcbf29ce484222325ULL;
			j++;
			k++;
		}
	}
	for (i = 0; i < full->nattrs; i++) {
		const struct snap_attr *a = &full->attrs[i];
		bool shared = a->sharing == SHARING_SHARED;
		uint64_t name = text_hash(a->name);

		if (shared)
			held_twice(a, twice, scratch);
		for (j = k = 0; j < m->ninterps && k < a->nobjects;) {
			const struct snap_object *o = &a->objects[k];
			struct ui_cell *c = &r->cells[j];

			if (o->interp < m->interps[j].info.id) {
				k++;
				continue;
			}
			if (o->interp > m->interps[j].info.id) {
				j++;
				continue;
			}
			if (c->total >= 0) {
				c->total++;
				c->shared += shared && twice[k];
				c->holds += a->holds_shared;
				h[j] = mix(mix(mix(h[j], name), a->holds_shared),
				    o->addr);
				if (o->preview != NULL)
					h[j] = mix(h[j], text_hash(o->preview));
			}
			j++;
			k++;
		}
	}
	for (j = 0; j < m->ninterps; j++)
		r->cells[j].digest = h[j];
	free(h);
	free(twice);
	free(scratch);
}

/* How each interpreter has the row's module. Instances are sorted by
 * interpreter like the columns: one walk along the row. */
static void
classify_row(struct ui_model *m, struct ui_row *r,
    const struct snap_module *full, const struct ui_refusals *refused)
{
	const struct snap_module *mod = r->module;
	size_t j, k = 0;

	for (j = 0; j < m->ninterps; j++) {
		struct ui_cell *c = &r->cells[j];

		c->shared = c->total = c->holds = -1;
		c->digest = 0;
		c->changed = false;
	}
	if (full != NULL)
		count_attrs(m, r, full);
	for (j = 0; j < m->ninterps; j++) {
		interp_id id = m->interps[j].info.id;
		struct ui_cell *c = &r->cells[j];
		const struct snap_instance *in;

		while (k < mod->ninstances && mod->instances[k].interp < id)
			k++;
		if (k == mod->ninstances || mod->instances[k].interp != id) {
			c->cls = ui_refusals_find(refused, mod->name, id) != NULL ?
			    CELL_REFUSED : CELL_ABSENT;
			c->shared = c->total = c->holds = -1;
			c->digest = 0;
			continue;
		}
		in = &mod->instances[k];
		switch (mod->kind) {
		case KIND_PYTHON:
		case KIND_FROZEN:
		case KIND_NAMESPACE:
			c->cls = CELL_PYTHON;
			continue;
		case KIND_OTHER:
			c->cls = CELL_OTHER;
			continue;
		default:
			break;
		}
		if (in->copied)
			c->cls = CELL_COPIED;
		else if (c->shared > 0 && (mod->kind == KIND_SINGLE ||
		    mod->kind == KIND_BUILTIN_SINGLE))
			c->cls = CELL_SOURCE;
		else
			c->cls = CELL_OWN;   /* with shared or holds > 0: a leak */
	}
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
		/* both sorted by name: one walk over the two; a row is made
		 * this snapshot's own only when a mark changes (rows are
		 * shared with the session's copy) */
		for (j = k = 0; j < m->nattrs && k < was->nattrs;) {
			int c = strcmp(m->attrs[j].name, was->attrs[k].name);

			if (c == 0 && m->attrs[j].sharing == SHARING_DISTINCT &&
			    m->attrs[j].holds_shared != was->attrs[k].holds_shared &&
			    snap_module_own(m) == 0)
				m->attrs[j].holds_shared = was->attrs[k].holds_shared;
			j += c <= 0;
			k += c >= 0;
		}
	}
}

static const struct ui_row *find_row(const struct ui_model *m,
    const char *name);

static uint64_t
refusals_digest(const struct ui_refusals *refused)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; refused != NULL && i < refused->n; i++)
		h = mix(mix(h, text_hash(refused->v[i].module)),
		    (uint64_t)refused->v[i].interp);
	return h;
}

/* Whether `was` has the same columns, so its cells can be taken over. */
static bool
same_columns(const struct ui_model *m, const struct ui_model *was)
{
	size_t i;

	if (was == NULL || was->ninterps != m->ninterps ||
	    was->refusals != m->refusals)
		return false;
	for (i = 0; i < m->ninterps; i++) {
		if (was->interps[i].info.id != m->interps[i].info.id)
			return false;
	}
	return true;
}

/* Whether two rows are one: rows are shared between the snapshots a
 * session hands out, and a row that changed, or was changed, has arrays
 * of its own. `was` holds its rows, so their addresses are not reused. */
static bool
same_row(const struct snap_module *a, const struct snap_module *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->instances != NULL && a->instances == b->instances &&
	    a->ninstances == b->ninstances && a->attrs == b->attrs &&
	    a->nattrs == b->nattrs;
}

/* The cells of a row from `was` when neither its module's row nor its
 * attributes' row changed; false when they must be worked out. */
static bool
cells_from(struct ui_model *m, struct ui_row *r,
    const struct snap_module *full, const struct ui_model *was)
{
	const struct ui_row *old = find_row(was, r->module->name);

	if (old == NULL || !same_row(old->module, r->module) ||
	    !same_row(was->attrs != NULL ?
	    snapshot_module(was->attrs, r->module->name) : NULL, full))
		return false;
	memcpy(r->cells, old->cells, m->ninterps * sizeof *r->cells);
	return true;
}

struct ui_model *
ui_model_build(struct snapshot *modules, struct snapshot *attrs,
    const char *detail, const struct ui_refusals *refused)
{
	return ui_model_build_from(modules, attrs, detail, refused, NULL);
}

struct ui_model *
ui_model_build_from(struct snapshot *modules, struct snapshot *attrs,
    const char *detail, const struct ui_refusals *refused,
    const struct ui_model *was)
{
	struct ui_model *m = xcalloc(1, sizeof *m);
	size_t i;
	bool reuse;

	m->modules = modules;
	m->attrs = attrs;
	m->ninterps = modules->ninterps;
	m->interps = xcalloc(m->ninterps + 1, sizeof *m->interps);
	for (i = 0; i < m->ninterps; i++)
		m->interps[i].info = modules->interps[i];
	m->refusals = refusals_digest(refused);
	reuse = same_columns(m, was);
	m->nrows = modules->nmodules;
	m->rows = xcalloc(m->nrows + 1, sizeof *m->rows);
	for (i = 0; i < m->nrows; i++) {
		struct ui_row *r = &m->rows[i];
		const struct snap_module *mod = &modules->modules[i];
		const struct snap_module *full = attrs != NULL ?
		    snapshot_module(attrs, mod->name) : NULL;

		r->module = mod;
		r->cells = xcalloc(m->ninterps + 1, sizeof *r->cells);
		if (!reuse || !cells_from(m, r, full, was))
			classify_row(m, r, full, refused);
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
