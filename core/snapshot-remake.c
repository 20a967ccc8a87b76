/*
 * snapshot-remake.c: a snapshot made from the last one of its kind, with
 * only the modules that changed read again.
 *
 * After every step the TUI asks for the same kinds of snapshot, and of 64
 * interpreters' 300 modules a step changes a few. For each kind this keeps
 * the snapshot it made last and, for every interpreter, a mark per module
 * it read: the module and dict objects, the dict's version, m_copy, and
 * what the volatile values said (snapshot-collect.h). A snapshot first
 * holds every interpreter's marks against what is there, reading a few
 * fields per module and running no code; a name whose mark differs in any
 * interpreter, or that came or went, is read again in every interpreter
 * that has it and merged into a row that replaces the old one. The other
 * rows are the last snapshot's, copied with their stamps.
 *
 * The marks hold no references: a module is looked at through its mark
 * only while the sys.modules that holds it has the version it had, a
 * volatile value only while its module's dict has. Everything kept is
 * forgotten at %reinit (snapshot_kept_forget), when ids, addresses and
 * dict versions start again. %json's kind, every attribute of every
 * module, is kept too: its rows' text is kept by stamp as well
 * (snapshot-json.c), so a %json of a session that changed little writes
 * most of itself from there.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "interp.h"
#include "interrupt.h"
#include "session-impl.h"
#include "snapshot-collect.h"
#include "snapshot-delta.h"
#include "snapshot-kept.h"
#include "strpool.h"

#define KINDS 4

/* One module of one interpreter, as the last snapshot of the kind read
 * it. */
struct mark {
	const char *name;     /* pooled in the kind's names */
	uintptr_t mod, dict, def, m_copy;
	uint64_t version;     /* the dict's; 0: read again */
	long m_copy_size;
	struct volatiles vol; /* empty unless attributes were read */
	uint64_t digest;      /* of vol */
};

struct interp_marks {
	interp_id interp;
	uintptr_t sysmodules; /* the dict the marks were made from */
	uint64_t version;     /* its version; 0: make them again */
	struct mark *v;       /* the wanted modules, in sys.modules order */
	size_t n;
	bool seen;            /* by this snapshot */
};

struct kind {
	bool used;
	struct snap_filter filter;    /* names left out */
	const char **wanted;          /* the names, pooled, by address */
	size_t nwanted;
	struct strpool *names;        /* module names */
	struct interp_marks *interps;
	size_t ninterps;
	struct snapshot *last;        /* the rows made last, stamped */
	unsigned long used_at;
};

static struct kind kinds[KINDS];
static unsigned long uses;

/* A row made now gets a stamp no other row had. */
static unsigned long
next_stamp(void)
{
	static unsigned long last;

	return ++last;
}

static void
marks_clear(struct interp_marks *im)
{
	size_t i;

	for (i = 0; i < im->n; i++)
		free(im->v[i].vol.v);
	free(im->v);
	im->v = NULL;
	im->n = 0;
}

static void
kind_forget(struct kind *k)
{
	size_t i;

	for (i = 0; i < k->ninterps; i++)
		marks_clear(&k->interps[i]);
	free(k->interps);
	free(k->wanted);
	strpool_free(k->names);
	snapshot_free(k->last);
	memset(k, 0, sizeof *k);
}

void
snapshot_remake_forget(void)
{
	size_t i;

	for (i = 0; i < KINDS; i++)
		kind_forget(&kinds[i]);
}

static int
address_compare(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const char *const *)a;
	uintptr_t y = (uintptr_t)*(const char *const *)b;

	return (x > y) - (x < y);
}

/* The kind's slot: its own, a free one or the least used lately. */
static struct kind *
kind_of(const struct snap_filter *f)
{
	struct kind *k = NULL;
	size_t i;

	for (i = 0; i < KINDS; i++) {
		if (kinds[i].used && snap_filter_same_kind(&kinds[i].filter, f))
			k = &kinds[i];
	}
	for (i = 0; k == NULL && i < KINDS; i++) {
		if (!kinds[i].used)
			k = &kinds[i];
	}
	if (k == NULL) {
		k = &kinds[0];
		for (i = 1; i < KINDS; i++) {
			if (kinds[i].used_at < k->used_at)
				k = &kinds[i];
		}
	}
	if (!k->used) {
		kind_forget(k);
		k->names = strpool_new();
		if (k->names == NULL)
			return NULL;
		k->used = true;
		k->filter = *f;
		k->filter.names = NULL;
		k->filter.nnames = 0;
	}
	k->used_at = ++uses;
	return k;
}

/* The names the filter wants, pooled and in address order. When they
 * differ from the kind's, every interpreter's marks are made again
 * (*changed). -1 when out of memory. */
static int
want(struct kind *k, const struct snap_filter *f, bool *changed)
{
	const char **v = NULL;
	size_t i;

	*changed = false;
	if (f->nnames > 0) {
		v = malloc(f->nnames * sizeof *v);
		if (v == NULL)
			return -1;
		for (i = 0; i < f->nnames; i++) {
			v[i] = strpool_intern(k->names, f->names[i],
			    strlen(f->names[i]));
			if (v[i] == NULL) {
				free(v);
				return -1;
			}
		}
		qsort(v, f->nnames, sizeof *v, address_compare);
	}
	if (f->nnames != k->nwanted || (f->nnames > 0 &&
	    memcmp(v, k->wanted, f->nnames * sizeof *v) != 0)) {
		*changed = true;
		free(k->wanted);
		k->wanted = v;
		k->nwanted = f->nnames;
	} else
		free(v);
	return 0;
}

static bool
wanted(const struct kind *k, const struct snap_filter *f, const char *name)
{
	if (f->nnames == 0)
		return true;
	return bsearch(&name, k->wanted, k->nwanted, sizeof *k->wanted,
	    address_compare) != NULL;
}

/* The names to read again: pooled, deduplicated at the end. */
struct dirty {
	const char **v;
	size_t n, cap;
	bool failed;
};

static void
dirty_add(struct dirty *d, const char *name)
{
	if (d->n == d->cap) {
		size_t cap = d->cap == 0 ? 16 : d->cap * 2;
		const char **v = realloc(d->v, cap * sizeof *v);

		if (v == NULL) {
			d->failed = true;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = name;
}

static void
dirty_sort(struct dirty *d)
{
	size_t i, kept = 0;

	if (d->n == 0)
		return;
	qsort(d->v, d->n, sizeof *d->v, address_compare);
	for (i = 0; i < d->n; i++) {
		if (kept == 0 || d->v[i] != d->v[kept - 1])
			d->v[kept++] = d->v[i];
	}
	d->n = kept;
}

static bool
is_dirty(const struct dirty *d, const char *name)
{
	return d->n > 0 && bsearch(&name, d->v, d->n, sizeof *d->v,
	    address_compare) != NULL;
}

/* The module's identity as it is now (the GIL of its interpreter held;
 * the module alive). */
static void
mark_read(struct mark *m, PyObject *mod)
{
	PyObject *dict;
	PyModuleDef *def;

	m->mod = (uintptr_t)mod;
	m->dict = m->def = m->m_copy = 0;
	m->version = 0;
	m->m_copy_size = -1;
	if (!PyModule_Check(mod))
		return;
	dict = PyModule_GetDict(mod);
	def = PyModule_GetDef(mod);
	PyErr_Clear();
	m->dict = (uintptr_t)dict;
	m->def = (uintptr_t)def;
	m->version = dict != NULL ? dict_version(dict) : 0;
	if (def != NULL && def->m_base.m_copy != NULL) {
		m->m_copy = (uintptr_t)def->m_base.m_copy;
		if (PyDict_Check(def->m_base.m_copy))
			m->m_copy_size = (long)PyDict_GET_SIZE(def->m_base.m_copy);
	}
}

/* Whether two marks say the module is as it was: the same object with
 * the same dict at the same version and the same m_copy, or the same
 * object that is not a module (its row says no more). */
static bool
mark_same(const struct mark *a, const struct mark *b)
{
	if (a->mod != b->mod || a->dict != b->dict)
		return false;
	if (a->dict == 0)
		return true;
	return a->version != 0 && a->version == b->version &&
	    a->m_copy == b->m_copy && a->m_copy_size == b->m_copy_size;
}

/* Whether the module behind a mark still says what it said, while the
 * sys.modules that held it is as it was: then it is alive and the same
 * object, with the same dict and def (a module's dict and def are fixed
 * when it is made), so only the dict's version and the def's m_copy are
 * read, not the module. The mark is made current when it does not hold.
 * Volatile values are looked at only when the dict is at the same
 * version: then it holds them. */
static bool
mark_holds(struct mark *m)
{
	uintptr_t m_copy = 0;
	long m_copy_size = -1;
	uint64_t version;

	if (m->dict == 0)
		return true; /* the same object, and not a module */
	version = dict_version((PyObject *)m->dict);
	if (m->def != 0) {
		PyObject *copy = ((PyModuleDef *)m->def)->m_base.m_copy;

		if (copy != NULL) {
			m_copy = (uintptr_t)copy;
			if (PyDict_Check(copy))
				m_copy_size = (long)PyDict_GET_SIZE(copy);
		}
	}
	if (version == 0 || version != m->version || m_copy != m->m_copy ||
	    m_copy_size != m->m_copy_size) {
		m->version = version;
		m->m_copy = m_copy;
		m->m_copy_size = m_copy_size;
		volatiles_clear(&m->vol); /* found again when the row is read */
		return false;
	}
	return m->vol.n == 0 ||
	    volatiles_digest(m->vol.v, m->vol.n) == m->digest;
}

static int
mark_compare(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;
	uintptr_t p = (uintptr_t)x->name, q = (uintptr_t)y->name;

	return (p > q) - (p < q);
}

/* Marks made anew from the interpreter's sys.modules list, matched with
 * the old ones by name: what a match says stands (with its volatile
 * values), the rest is dirty. */
static int
marks_remake(struct kind *k, const struct snap_filter *f,
    struct interp_marks *im, struct interp *it, struct dirty *d)
{
	struct kept_module *list;
	struct mark *v, *old = im->v;
	size_t count, i, j, n = 0, nold = im->n;
	PyObject *modules = PySys_GetObject("modules");

	if (kept_modules_peek(it, &list, &count) != 0)
		return -1;
	v = calloc(count + 1, sizeof *v);
	if (v == NULL)
		return -1;
	for (i = 0; i < count; i++) {
		const char *name = strpool_intern(k->names, list[i].name,
		    strlen(list[i].name));

		if (name == NULL) {
			free(v);
			return -1;
		}
		if (!wanted(k, f, name))
			continue;
		v[n].name = name;
		mark_read(&v[n], list[i].mod);
		n++;
	}
	/* both by name for the match (marks are only ever matched by
	 * name or walked whole, so their order need not be the list's) */
	qsort(v, n, sizeof *v, mark_compare);
	if (nold > 1)
		qsort(old, nold, sizeof *old, mark_compare);
	for (i = j = 0; i < n || j < nold;) {
		int c = i == n ? 1 : j == nold ? -1 : mark_compare(&v[i], &old[j]);

		if (c < 0)
			dirty_add(d, v[i++].name);
		else if (c > 0)
			dirty_add(d, old[j++].name);
		else {
			if (mark_same(&v[i], &old[j])) {
				v[i].vol = old[j].vol;
				v[i].digest = old[j].digest;
				memset(&old[j].vol, 0, sizeof old[j].vol);
				if (v[i].vol.n > 0 && volatiles_digest(v[i].vol.v,
				    v[i].vol.n) != v[i].digest)
					dirty_add(d, v[i].name);
			} else
				dirty_add(d, v[i].name);
			i++;
			j++;
		}
	}
	marks_clear(im);
	im->v = v;
	im->n = n;
	im->sysmodules = (uintptr_t)modules;
	im->version = modules != NULL && PyDict_Check(modules) ?
	    dict_version(modules) : 0;
	return 0;
}

static struct interp_marks *
marks_of(struct kind *k, interp_id id)
{
	struct interp_marks *v;
	size_t i;

	for (i = 0; i < k->ninterps; i++) {
		if (k->interps[i].interp == id)
			return &k->interps[i];
	}
	v = realloc(k->interps, (k->ninterps + 1) * sizeof *v);
	if (v == NULL)
		return NULL;
	k->interps = v;
	memset(&v[k->ninterps], 0, sizeof *v);
	v[k->ninterps].interp = id;
	return &v[k->ninterps++];
}

#define AHEAD 8

/* Ask for what mark_holds will read of m's module. A prefetch never
 * faults, so a mark without a dict or def asks for address 0 harmlessly
 * (gcc 12 drops them all when these are made conditional). */
static void
prefetch(const struct mark *m)
{
	size_t i;

	__builtin_prefetch((const void *)m->dict);
	__builtin_prefetch((const void *)(m->def +
	    offsetof(PyModuleDef, m_base.m_copy)));
	for (i = 0; i < m->vol.n; i++)
		__builtin_prefetch(m->vol.v[i]);
}

/* Hold the entered interpreter's marks against its modules: what
 * differs goes to d. */
static int
marks_hold(struct kind *k, const struct snap_filter *f, bool remake,
    struct interp *it, struct dirty *d)
{
	struct interp_marks *im = marks_of(k, it->id);
	PyObject *modules = PySys_GetObject("modules");
	size_t i;

	if (im == NULL)
		return -1;
	im->seen = true;
	if (remake || modules == NULL || !PyDict_Check(modules) ||
	    im->version == 0 || im->sysmodules != (uintptr_t)modules ||
	    im->version != dict_version(modules))
		return marks_remake(k, f, im, it, d);
	/* sys.modules as it was: every module it holds is alive. Their
	 * dicts lie all over the heap: each is asked for a few marks ahead,
	 * so that the reads wait for memory side by side rather than one
	 * after another (perf: the waits were a third of a refresh at
	 * 64 x 300). */
	for (i = 0; i < im->n; i++) {
		if (i + AHEAD < im->n)
			prefetch(&im->v[i + AHEAD]);
		if (!mark_holds(&im->v[i]))
			dirty_add(d, im->v[i].name);
	}
	return 0;
}

/* The marks of interpreters this snapshot did not see (destroyed): their
 * names are dirty. */
static void
marks_drop_unseen(struct kind *k, struct dirty *d)
{
	size_t i, j, kept = 0;

	for (i = 0; i < k->ninterps; i++) {
		struct interp_marks *im = &k->interps[i];

		if (im->seen) {
			im->seen = false;
			k->interps[kept++] = *im;
			continue;
		}
		for (j = 0; j < im->n; j++)
			dirty_add(d, im->v[j].name);
		marks_clear(im);
	}
	k->ninterps = kept;
}

/* Whether a read ahead is to stop before the next module. */
static bool
stop_here(struct collector *c)
{
	if (c->stoppable && interrupt_asked_since(c->interrupts))
		c->stopped = true;
	return c->stopped;
}

/* Read the dirty names (all, without d) in the entered interpreter,
 * making their marks' volatile values current. */
static int
read_dirty(struct kind *k, const struct snap_filter *f,
    struct interp_marks *im, struct interp *it, const struct dirty *d,
    struct collector *c)
{
	PyObject *modules = PySys_GetObject("modules");
	bool as_marked = modules != NULL && im->version != 0 &&
	    im->sysmodules == (uintptr_t)modules &&
	    im->version == dict_version(modules);
	size_t i;
	int rc = 0;

	for (i = 0; i < im->n && rc == 0; i++) {
		struct mark *m = &im->v[i];
		PyObject *mod;

		if (d != NULL && !is_dirty(d, m->name))
			continue;
		if (stop_here(c)) {
			rc = -1;
			break;
		}
		/* describing a module can run code: another module read
		 * before may have changed sys.modules */
		if (as_marked)
			mod = (PyObject *)m->mod;
		else if (modules == NULL || !PyDict_Check(modules) ||
		    (mod = PyDict_GetItemString(modules, m->name)) == NULL) {
			PyErr_Clear();
			continue;
		}
		Py_INCREF(mod);
		volatiles_clear(&m->vol);
		rc = collect_part(c, f, it->id, m->name, mod,
		    f->with_attrs ? &m->vol : NULL);
		Py_DECREF(mod);
		as_marked = as_marked && im->version == dict_version(modules);
		m->digest = m->vol.digest;
	}
	if (!as_marked)
		im->version = 0; /* look again next time */
	return rc;
}

static bool
in_scope(const struct snap_filter *f, const struct interp *it)
{
	return f->only == INTERP_NONE || it->id == f->only;
}

static void
stamp_rows(struct snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->nmodules; i++)
		snap->modules[i].stamp = next_stamp();
}

static bool
wanted_by_text(const struct snap_filter *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nnames; i++) {
		if (strcmp(f->names[i], name) == 0)
			return true;
	}
	return f->nnames == 0;
}

/* Every module of every interpreter in scope, marks made for all (k may
 * be NULL: nothing kept). */
static int
collect_all(struct kind *k, const struct snap_filter *f,
    struct collector *c)
{
	struct dirty none = { 0 };
	struct interp *it;
	int rc = 0;

	for (it = interp_first(); it != NULL && rc == 0; it = it->next) {
		if (!in_scope(f, it))
			continue;
		interp_enter(it);
		if (k != NULL) {
			struct interp_marks *im = marks_of(k, it->id);

			rc = im == NULL || marks_remake(k, f, im, it, &none) != 0 ?
			    -1 : read_dirty(k, f, im, it, NULL, c);
			if (im != NULL)
				im->seen = true;
		} else {
			struct kept_module *list;
			size_t n, i;

			rc = kept_modules(it, &list, &n);
			for (i = 0; rc == 0 && i < n; i++) {
				if (stop_here(c))
					rc = -1;
				else if (wanted_by_text(f, list[i].name))
					rc = collect_part(c, f, it->id, list[i].name,
					    list[i].mod, NULL);
			}
			if (list != NULL)
				kept_modules_done(list, n);
		}
		interp_leave(it);
	}
	if (k != NULL)
		marks_drop_unseen(k, &none);
	free(none.v);
	return rc;
}

/* Hold the marks of every interpreter in scope, then read the dirty names
 * where they are. */
static int
collect_changed(struct kind *k, const struct snap_filter *f, bool remake,
    struct collector *c, struct dirty *d)
{
	struct interp *it;
	int rc = 0;

	for (it = interp_first(); it != NULL && rc == 0; it = it->next) {
		if (!in_scope(f, it))
			continue;
		interp_enter(it);
		rc = marks_hold(k, f, remake, it, d);
		interp_leave(it);
	}
	marks_drop_unseen(k, d);
	if (rc != 0 || d->failed)
		return -1;
	dirty_sort(d);
	for (it = interp_first(); it != NULL && rc == 0 && d->n > 0;
	    it = it->next) {
		struct interp_marks *im;
		size_t i;

		if (!in_scope(f, it))
			continue;
		im = marks_of(k, it->id);
		if (im == NULL)
			return -1;
		for (i = 0; i < im->n && !is_dirty(d, im->v[i].name); i++)
			;
		if (i == im->n)
			continue;
		interp_enter(it);
		rc = read_dirty(k, f, im, it, d, c);
		interp_leave(it);
	}
	return rc;
}

/* afresh: read everything, and keep nothing (for tests). stoppable: stop
 * when an interrupt is asked for (1, and nothing kept for the kind). */
static int
collect(const struct snap_filter *filter, bool afresh, bool stoppable,
    struct snapshot **out, char **cause)
{
	struct kind *k = afresh ? NULL : kind_of(filter);
	struct dirty d = { 0 };
	struct collector c;
	struct snapshot *rows, *snap;
	bool remake = false;
	int rc;

	if (collector_begin(&c) != 0) {
		cause_set(cause, "out of memory");
		return -1;
	}
	c.stoppable = stoppable;
	c.interrupts = interrupt_requests_before();
	if (k != NULL && want(k, filter, &remake) != 0) {
		kind_forget(k);
		k = NULL;
	}
	if (k == NULL || k->last == NULL)
		rc = collect_all(k, filter, &c);
	else
		rc = collect_changed(k, filter, remake, &c, &d);
	rows = collector_merge(&c);
	if (rc != 0 || rows == NULL) {
		snapshot_free(rows);
		free(d.v);
		/* what a stopped read left half made is not kept either */
		if (k != NULL)
			kind_forget(k);
		if (c.stopped) {
			cause_set(cause, "stopped by an interrupt");
			return 1;
		}
		cause_set(cause, "out of memory while reading the interpreters");
		return -1;
	}
	snapshot_filter(rows, filter);
	if (k == NULL) {
		free(d.v);
		*out = rows;
		return 0;
	}
	stamp_rows(rows);
	/* the dirty names' rows replace theirs, or go */
	snap = rows;
	if (k->last != NULL)
		snap = snapshot_patch(k->last, rows, (char *const *)d.v, d.n);
	free(d.v);
	k->last = snap;
	*out = snap != NULL ? snapshot_copy(snap) : NULL;
	if (*out == NULL) {
		kind_forget(k);
		cause_set(cause, "out of memory");
		return -1;
	}
	return 0;
}

int
snapshot_collect(const struct snap_filter *filter, struct snapshot **out,
    char **cause)
{
	return collect(filter, false, false, out, cause);
}

int
snapshot_collect_afresh(const struct snap_filter *filter,
    struct snapshot **out, char **cause)
{
	return collect(filter, true, false, out, cause);
}

int
snapshot_read_ahead(const struct snap_filter *filter, char **cause)
{
	struct snapshot *snap;
	int rc = collect(filter, false, true, &snap, cause);

	if (rc == 0)
		snapshot_free(snap);
	return rc;
}
