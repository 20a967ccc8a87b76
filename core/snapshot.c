/*
 * snapshot.c: merging per-interpreter module records into the sharing map
 * and classifying every attribute (plain C; see snapshot.h).
 *
 * Classification looks at the addresses one attribute has in the
 * interpreters that hold the module. Objects at the same address in two or
 * more interpreters are one object: it is "static" if it lives in a loaded
 * file's data segment (a static type, a small int, None), "immortal" if
 * CPython made it immortal (3.12+), and otherwise "shared" — a heap object
 * reachable from several interpreters, the case the documentation warns
 * about. Everything else is "distinct". A value seen in one interpreter
 * only is still called static or immortal when it is, so a reader learns
 * what kind of object it is.
 */
#include "config.h"

#include "snapshot.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spin.h"
#include "strpool.h"

const char *
module_kind_name(enum module_kind kind)
{
	switch (kind) {
	case KIND_PYTHON:
		return "python";
	case KIND_FROZEN:
		return "frozen";
	case KIND_NAMESPACE:
		return "namespace";
	case KIND_BUILTIN_SINGLE:
		return "builtin-single-phase";
	case KIND_BUILTIN_MULTI:
		return "builtin-multi-phase";
	case KIND_SINGLE:
		return "single-phase";
	case KIND_MULTI:
		return "multi-phase";
	case KIND_OTHER:
		break;
	}
	return "other";
}

const char *
sharing_name(enum sharing sharing)
{
	switch (sharing) {
	case SHARING_SHARED:
		return "shared";
	case SHARING_STATIC:
		return "static";
	case SHARING_IMMORTAL:
		return "immortal";
	case SHARING_DISTINCT:
		break;
	}
	return "distinct";
}

void
snapshot_row_free(struct snap_module *m)
{
	if (m->holders != NULL && --*m->holders > 0)
		return; /* another snapshot holds it still */
	free(m->holders);
	free(m->name);
	free(m->file);
	free(m->instances);
	free(m->attrs);
	free(m->values);
}

void
snapshot_free(struct snapshot *snap)
{
	size_t i;

	if (snap == NULL)
		return;
	for (i = 0; i < snap->nmodules; i++)
		snapshot_row_free(&snap->modules[i]);
	free(snap->modules);
	free(snap->interps);
	free(snap->python_version);
	strpool_free(snap->pool);
	for (i = 0; i < snap->nmore_pools; i++)
		strpool_free(snap->more_pools[i]);
	free(snap->more_pools);
	free(snap);
}

/* Parts group by their pooled names' addresses, then sort by
 * interpreter; the rows are sorted by name text afterwards (a few hundred
 * rows instead of every interpreter's parts, and no strcmp within a
 * group). */
static int
part_compare(const void *a, const void *b)
{
	const struct snap_part *x = a, *y = b;
	uintptr_t p = (uintptr_t)x->name, q = (uintptr_t)y->name;

	if (p != q)
		return (p > q) - (p < q);
	return (x->module.instances[0].interp > y->module.instances[0].interp) -
	    (x->module.instances[0].interp < y->module.instances[0].interp);
}

static int
module_compare(const void *a, const void *b)
{
	const struct snap_module *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int
attr_compare(const void *a, const void *b)
{
	const struct snap_attr *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* The owner of a builtin function: the interpreter whose instance of the
 * module is the function's __self__; INTERP_HIDDEN when that is a module
 * none of them holds. */
static interp_id
owner_of(const struct snap_module *m, const struct snap_object *o)
{
	size_t i;

	if (o->self == 0)
		return INTERP_NONE;
	for (i = 0; i < m->ninstances; i++) {
		if (m->instances[i].module == o->self)
			return m->instances[i].interp;
	}
	return o->self_module ? INTERP_HIDDEN : INTERP_NONE;
}

static int
addr_compare(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return (x > y) - (x < y);
}

/* Few (one per interpreter), and mostly in order already (the
 * interpreters' objects were made one interpreter after another):
 * insertion sort, inline, unless there are many. */
static void
sort_addrs(uintptr_t *v, size_t n)
{
	size_t i, j;

	if (n > 64) {
		qsort(v, n, sizeof *v, addr_compare);
		return;
	}
	for (i = 1; i < n; i++) {
		uintptr_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* How many of the n sorted addresses are a. */
static size_t
count_of(const uintptr_t *sorted, size_t n, uintptr_t a)
{
	size_t lo = 0, hi = n, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < n && sorted[lo] == a)
		lo++;
	return lo - first;
}

/* How many objects of the attribute are object i, by looking at each. */
static size_t
count_equal(const struct snap_attr *a, size_t i)
{
	size_t j, k = 0;

	for (j = 0; j < a->nobjects; j++)
		k += a->objects[j].addr == a->objects[i].addr;
	return k;
}

/* How many objects of the attribute are each object: one sort of the
 * addresses instead of comparing every object with every other (perf: a
 * fifth of merging 33 interpreters was that). */
static void
count_same(const struct snap_attr *a, size_t *same)
{
	uintptr_t local[64], *sorted = local;
	size_t i, n = a->nobjects;
	bool one = true;

	for (i = 1; i < n && one; i++)
		one = a->objects[i].addr == a->objects[0].addr;
	if (one) {
		for (i = 0; i < n; i++)
			same[i] = n;
		return;
	}
	if (n > 64 && (sorted = malloc(n * sizeof *sorted)) == NULL) {
		for (i = 0; i < n; i++) /* out of memory: the slow way */
			same[i] = count_equal(a, i);
		return;
	}
	for (i = 0; i < n; i++)
		sorted[i] = a->objects[i].addr;
	sort_addrs(sorted, n);
	for (i = 0; i < n; i++)
		same[i] = count_of(sorted, n, a->objects[i].addr);
	if (sorted != local)
		free(sorted);
}

static void
classify(const struct snap_module *m, struct snap_attr *a)
{
	enum sharing best = SHARING_DISTINCT;
	const struct snap_object *verdict = NULL;
	size_t local[64], *same = local, i;

	/* out of memory, same is NULL and each count is made by looking */
	if (a->nobjects > 64)
		same = malloc(a->nobjects * sizeof *same);
	if (same != NULL)
		count_same(a, same);
	for (i = 0; i < a->nobjects; i++) {
		const struct snap_object *o = &a->objects[i];
		size_t equal = same != NULL ? same[i] : count_equal(a, i);
		enum sharing s;

		if (o->static_in != NULL)
			s = SHARING_STATIC;
		else if (o->immortal)
			s = SHARING_IMMORTAL;
		else if (equal >= 2)
			s = SHARING_SHARED;
		else
			s = SHARING_DISTINCT;
		/* Static or immortal objects that differ per interpreter are
		 * still distinct objects; they only tell their kind when one
		 * interpreter has the module, or when it is one object. */
		if ((s == SHARING_STATIC || s == SHARING_IMMORTAL) && equal < 2 &&
		    a->nobjects > 1)
			s = SHARING_DISTINCT;
		/* The loudest verdict wins: shared, then static, immortal. */
		if (verdict == NULL || (s == SHARING_SHARED && best != SHARING_SHARED) ||
		    (best == SHARING_DISTINCT && s != SHARING_DISTINCT)) {
			best = s;
			verdict = o;
		}
	}
	a->sharing = best;
	a->owner = INTERP_NONE;
	a->static_in = NULL;
	if (best == SHARING_STATIC && verdict != NULL)
		a->static_in = verdict->static_in;
	if (best == SHARING_SHARED && verdict != NULL)
		a->owner = owner_of(m, verdict);
	if (same != local)
		free(same);
}

/* A module's values grouped by attribute name. Names are pooled, so one
 * name is one pointer: a hash of pointers gives each name its group in
 * order of first sight, and the values are placed by counting, in the
 * order of the parts (by interpreter), with no sort and no copy of the
 * values (perf: sorting a copy of every value was most of merging). */
struct groups {
	const char **slot_name; /* the table: name, NULL where empty */
	uint32_t *slot_group;   /* ... and its group */
	size_t cap;             /* slots, a power of two */
	const char **name;      /* per group: the name */
	const char **type;      /* the type of its first value */
	size_t *count;          /* values; then where the next one goes */
	size_t *start;          /* where its objects begin */
	size_t n, room;         /* groups, and room for them */
};

static size_t
name_slot(const char *name, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)name;

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return (size_t)h & (cap - 1);
}

static void
groups_free(struct groups *g)
{
	free(g->slot_name);
	free(g->slot_group);
	free(g->name);
	free(g->type);
	free(g->count);
	free(g->start);
}

static int
groups_table(struct groups *g, size_t cap)
{
	const char **names = calloc(cap, sizeof *names);
	uint32_t *groups = malloc(cap * sizeof *groups);
	size_t i;

	if (names == NULL || groups == NULL) {
		free(names);
		free(groups);
		return -1;
	}
	for (i = 0; i < g->n; i++) {
		size_t j = name_slot(g->name[i], cap);

		while (names[j] != NULL)
			j = (j + 1) & (cap - 1);
		names[j] = g->name[i];
		groups[j] = (uint32_t)i;
	}
	free(g->slot_name);
	free(g->slot_group);
	g->slot_name = names;
	g->slot_group = groups;
	g->cap = cap;
	return 0;
}

static int
groups_room(struct groups *g, size_t room)
{
	const char **name = realloc(g->name, room * sizeof *name);
	const char **type = name == NULL ? NULL :
	    realloc(g->type, room * sizeof *type);
	size_t *count = type == NULL ? NULL :
	    realloc(g->count, room * sizeof *count);

	if (name != NULL)
		g->name = name;
	if (type != NULL)
		g->type = type;
	if (count == NULL)
		return -1;
	g->count = count;
	g->room = room;
	return 0;
}

/* The group of a name, made if new; -1 when out of memory. */
static long
group_of(struct groups *g, const char *name, const char *type)
{
	size_t j;

	if (g->n * 2 >= g->cap && (groups_table(g, g->cap * 2) != 0 ||
	    groups_room(g, g->cap / 2) != 0))
		return -1;
	j = name_slot(name, g->cap);
	while (g->slot_name[j] != NULL) {
		if (g->slot_name[j] == name)
			return g->slot_group[j];
		j = (j + 1) & (g->cap - 1);
	}
	g->slot_name[j] = name;
	g->slot_group[j] = (uint32_t)g->n;
	g->name[g->n] = name;
	g->type[g->n] = type;
	g->count[g->n] = 0;
	return (long)g->n++;
}

/* Build the attributes of a module from the values of its n parts (sorted
 * by interpreter): one block of objects, one array of attributes. */
static int
merge_values(struct snap_module *into, struct snap_part *parts, size_t n)
{
	struct groups g = { 0 };
	uint32_t *of = NULL;
	size_t total = 0, most = 0, cap = 16, i, j, k = 0, at = 0;
	int rc = -1;

	for (i = 0; i < n; i++) {
		total += parts[i].nvalues;
		if (parts[i].nvalues > most)
			most = parts[i].nvalues;
	}
	if (total == 0)
		return 0;
	while (cap < most * 2 + 2)
		cap *= 2;
	if (groups_table(&g, cap) != 0 || groups_room(&g, cap / 2) != 0 ||
	    (of = malloc(total * sizeof *of)) == NULL ||
	    (into->values = malloc(total * sizeof *into->values)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		for (j = 0; j < parts[i].nvalues; j++) {
			const struct snap_value *v = &parts[i].values[j];
			long grp = group_of(&g, v->name, v->type);

			if (grp < 0)
				goto out;
			of[k++] = (uint32_t)grp;
			g.count[grp]++;
		}
	}
	into->attrs = calloc(g.n, sizeof *into->attrs);
	g.start = malloc(g.n * sizeof *g.start);
	if (into->attrs == NULL || g.start == NULL)
		goto out;
	for (i = 0; i < g.n; i++) {
		g.start[i] = at;
		at += g.count[i];
		g.count[i] = g.start[i];
	}
	for (i = 0, k = 0; i < n; i++) {
		interp_id id = parts[i].module.instances[0].interp;

		for (j = 0; j < parts[i].nvalues; j++) {
			struct snap_object *o = &into->values[g.count[of[k++]]++];

			*o = parts[i].values[j].object;
			o->interp = id;
		}
	}
	for (i = 0; i < g.n; i++) {
		struct snap_attr *a = &into->attrs[into->nattrs++];

		a->name = g.name[i];
		a->type = g.type[i];
		a->objects = &into->values[g.start[i]];
		a->nobjects = g.count[i] - g.start[i];
		classify(into, a);
	}
	qsort(into->attrs, into->nattrs, sizeof *into->attrs, attr_compare);
	rc = 0;
out:
	groups_free(&g);
	free(of);
	return rc;
}

/* What n parts hold, freed (parts not merged: out of memory). */
static void
parts_clear(struct snap_part *parts, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		free(parts[k].module.file);
		free(parts[k].module.instances);
		if (!parts[k].values_borrowed)
			free(parts[k].values);
	}
}

/* A module's parts, to be merged into its row, and the parts freed. */
struct merge_job {
	struct snap_module *m;
	struct snap_part *parts;
	size_t n;
};

/* The jobs of one snapshot; each thread takes the next one not taken. */
struct merge_work {
	struct merge_job *jobs;
	size_t njobs;
	size_t values;          /* in all the jobs' parts */
	atomic_size_t next;
};

/* A snapshot with fewer values is merged by one thread: a helper's start
 * would cost more than it saves. */
#define MERGE_HELPER_MIN 20000

static void
merge_job_run(const struct merge_job *j)
{
	size_t k;

	merge_values(j->m, j->parts, j->n);
	for (k = 0; k < j->n; k++) {
		free(j->parts[k].module.instances);
		if (!j->parts[k].values_borrowed)
			free(j->parts[k].values);
	}
}

static void *
merge_jobs(void *arg)
{
	struct merge_work *w = arg;
	size_t i;

	while ((i = atomic_fetch_add(&w->next, 1)) < w->njobs)
		merge_job_run(&w->jobs[i]);
	return NULL;
}

/* The jobs, by this thread and, for a large snapshot where another CPU
 * is ours (cpu_to_spare), a helper (perf: merging was a sixth of a first
 * %json). Merging reads and writes the parts and rows only, never a
 * Python object. */
static void
merge_work_run(struct merge_work *w)
{
	pthread_t helper;
	bool helped = w->values >= MERGE_HELPER_MIN && cpu_to_spare() &&
	    helper_start(&helper, merge_jobs, w) == 0;

	merge_jobs(w);
	if (helped)
		pthread_join(helper, NULL);
}

struct snapshot *
snapshot_merge(struct snap_part *parts, size_t nparts, struct strpool *pool)
{
	struct snapshot *snap = calloc(1, sizeof *snap);
	struct merge_work w = { NULL, 0, 0, 0 };
	size_t i, j, k;

	if (snap == NULL) {
		strpool_free(pool);
		parts_clear(parts, nparts);
		free(parts);
		return NULL;
	}
	snap->pool = pool;
	if (nparts > 0)
		qsort(parts, nparts, sizeof *parts, part_compare);
	snap->modules = calloc(nparts > 0 ? nparts : 1, sizeof *snap->modules);
	if (snap->modules == NULL) {
		parts_clear(parts, nparts);
		free(parts);
		snapshot_free(snap);
		return NULL;
	}
	/* out of memory for the list, each row is merged as it is made */
	w.jobs = malloc((nparts > 0 ? nparts : 1) * sizeof *w.jobs);
	for (i = 0; i < nparts; i = j) {
		struct snap_module *m = &snap->modules[snap->nmodules++];

		for (j = i; j < nparts && parts[j].name == parts[i].name; j++)
			;
		*m = parts[i].module;          /* kind, def facts, file */
		m->name = strdup(parts[i].name);
		m->instances = calloc(j - i, sizeof *m->instances);
		if (m->name == NULL || m->instances == NULL) {
			/* out of memory: the row is left out */
			free(m->name);
			free(m->instances);
			snap->nmodules--;
			parts_clear(parts + i, j - i);
			continue;
		}
		m->ninstances = 0;
		for (k = i; k < j && !m->has_def; k++) {
			/* def facts from an instance that has the def */
			if (parts[k].module.has_def) {
				m->has_def = true;
				m->m_size = parts[k].module.m_size;
				m->multi_interp = parts[k].module.multi_interp;
				m->gil = parts[k].module.gil;
			}
		}
		for (k = i; k < j; k++) {
			m->instances[m->ninstances++] = parts[k].module.instances[0];
			if (k > i) {
				if (m->file == NULL) {
					m->file = parts[k].module.file;
					parts[k].module.file = NULL;
				}
				free(parts[k].module.file);
			}
		}
		if (w.jobs != NULL) {
			w.jobs[w.njobs++] = (struct merge_job){ m, parts + i, j - i };
			for (k = i; k < j; k++)
				w.values += parts[k].nvalues;
		} else
			merge_job_run(&(struct merge_job){ m, parts + i, j - i });
	}
	merge_work_run(&w);
	free(w.jobs);
	free(parts);
	if (snap->nmodules > 1)
		qsort(snap->modules, snap->nmodules, sizeof *snap->modules,
		    module_compare);
	return snap;
}

bool
snap_filter_same_kind(const struct snap_filter *a,
    const struct snap_filter *b)
{
	return a->shared_extensions == b->shared_extensions &&
	    a->with_attrs == b->with_attrs && a->only == b->only;
}

static bool
wanted(const struct snap_module *m, const struct snap_filter *f)
{
	size_t i;

	if (f->nnames > 0) {
		for (i = 0; i < f->nnames; i++) {
			if (strcmp(f->names[i], m->name) == 0)
				return true;
		}
		return false;
	}
	if (f->shared_extensions)
		return (m->kind == KIND_SINGLE || m->kind == KIND_MULTI) &&
		    m->ninstances >= 2;
	return true;
}

void
snapshot_filter(struct snapshot *snap, const struct snap_filter *filter)
{
	size_t i, kept = 0;

	for (i = 0; i < snap->nmodules; i++) {
		if (wanted(&snap->modules[i], filter))
			snap->modules[kept++] = snap->modules[i];
		else
			snapshot_row_free(&snap->modules[i]);
	}
	snap->nmodules = kept;
}

void
snapshot_restrict(struct snapshot *snap, const interp_id *ids, size_t n)
{
	size_t i, j, k, kept;

	for (i = 0; i < snap->nmodules; i++) {
		struct snap_module *m = &snap->modules[i];

		if (snap_module_own(m) != 0)
			continue; /* out of memory: this row stays whole */
		for (j = kept = 0; j < m->ninstances; j++) {
			for (k = 0; k < n && ids[k] != m->instances[j].interp; k++)
				;
			if (k < n)
				m->instances[kept++] = m->instances[j];
		}
		m->ninstances = kept;
		for (j = 0; j < m->nattrs; j++) {
			struct snap_attr *a = &m->attrs[j];
			size_t o;

			for (o = kept = 0; o < a->nobjects; o++) {
				for (k = 0; k < n && ids[k] != a->objects[o].interp; k++)
					;
				if (k < n)
					a->objects[kept++] = a->objects[o];
			}
			a->nobjects = kept;
			classify(m, a);
		}
		/* drop the attributes neither interpreter has */
		for (j = kept = 0; j < m->nattrs; j++) {
			if (m->attrs[j].nobjects > 0)
				m->attrs[kept++] = m->attrs[j];
		}
		m->nattrs = kept;
	}
}

static int
instance_compare(const void *a, const void *b)
{
	const struct snap_instance *x = a, *y = b;

	return (x->interp > y->interp) - (x->interp < y->interp);
}

static int
object_compare(const void *a, const void *b)
{
	const struct snap_object *x = a, *y = b;

	return (x->interp > y->interp) - (x->interp < y->interp);
}

/* Whether n elements of size at base are in order by cmp already. */
static bool
in_order(const void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	const char *p = base;
	size_t i;

	for (i = 1; i < n; i++) {
		if (cmp(p + (i - 1) * size, p + i * size) > 0)
			return false;
	}
	return true;
}

static void
sort_if_needed(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1 && !in_order(base, n, size, cmp))
		qsort(base, n, size, cmp);
}

void
snapshot_sort(struct snapshot *snap)
{
	size_t i, j;

	sort_if_needed(snap->modules, snap->nmodules, sizeof *snap->modules,
	    module_compare);
	for (i = 0; i < snap->nmodules; i++) {
		struct snap_module *m = &snap->modules[i];

		if (m->holders != NULL)
			continue; /* shared rows are in order: snapshots are
			           * shared after they were sorted */
		sort_if_needed(m->instances, m->ninstances, sizeof *m->instances,
		    instance_compare);
		for (j = 0; j < m->nattrs; j++)
			sort_if_needed(m->attrs[j].objects, m->attrs[j].nobjects,
			    sizeof *m->attrs[j].objects, object_compare);
	}
}

/* The three lookups below search by halves: rows are sorted by name,
 * instances and each attribute's objects by interpreter (the model asks
 * them for every cell of the map). */
const struct snap_module *
snapshot_module(const struct snapshot *snap, const char *name)
{
	size_t lo = 0, hi = snap->nmodules;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(snap->modules[mid].name, name);

		if (c == 0)
			return &snap->modules[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Instances and objects are found with the comparisons that sorted them
 * (snapshot_sort), by a key holding only the interpreter. */
const struct snap_instance *
snap_module_instance(const struct snap_module *m, interp_id id)
{
	struct snap_instance key = { .interp = id };

	if (m->ninstances == 0)
		return NULL;
	return bsearch(&key, m->instances, m->ninstances, sizeof *m->instances,
	    instance_compare);
}

const struct snap_object *
snap_attr_object(const struct snap_attr *a, interp_id id)
{
	struct snap_object key = { .interp = id };

	if (a->nobjects == 0)
		return NULL;
	return bsearch(&key, a->objects, a->nobjects, sizeof *a->objects,
	    object_compare);
}
