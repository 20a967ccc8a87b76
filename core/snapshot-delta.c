/*
 * snapshot-delta.c: comparing snapshots by row, copying them, patching
 * them from a delta (see snapshot-delta.h).
 *
 * A patched snapshot takes the rows it did not get anew from the one it
 * patches, with their strings in the pools they came in: it holds those
 * pools (more_pools) instead of copying every attribute's strings, which
 * would cost about what parsing them did. After POOLS_MAX patches the
 * strings are put into one pool, so a long session does not keep every
 * delta's pool.
 */
#include "config.h"

#include "snapshot-delta.h"

#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "strpool.h"

#define POOLS_MAX 8

static bool
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a == b || strcmp(a, b) == 0;
}

static bool
instance_equal(const struct snap_instance *a, const struct snap_instance *b)
{
	return a->interp == b->interp && a->module == b->module &&
	    a->dict == b->dict && a->def == b->def && a->m_copy == b->m_copy &&
	    a->m_copy_size == b->m_copy_size && a->copied == b->copied;
}

static bool
object_equal(const struct snap_object *a, const struct snap_object *b)
{
	return a->interp == b->interp && a->addr == b->addr &&
	    a->immortal == b->immortal && a->self == b->self &&
	    a->self_module == b->self_module &&
	    same_text(a->static_in, b->static_in) &&
	    same_text(a->preview, b->preview);
}

static bool
attr_equal(const struct snap_attr *a, const struct snap_attr *b)
{
	size_t i;

	if (a->nobjects != b->nobjects || a->sharing != b->sharing ||
	    a->holds_shared != b->holds_shared || a->owner != b->owner ||
	    !same_text(a->name, b->name) || !same_text(a->type, b->type) ||
	    !same_text(a->static_in, b->static_in))
		return false;
	for (i = 0; i < a->nobjects; i++) {
		if (!object_equal(&a->objects[i], &b->objects[i]))
			return false;
	}
	return true;
}

bool
snap_module_equal(const struct snap_module *a, const struct snap_module *b)
{
	size_t i;

	if (a->stamp != 0 && a->stamp == b->stamp)
		return true; /* copies of one row */
	if (a->kind != b->kind || a->has_def != b->has_def ||
	    (a->has_def && a->m_size != b->m_size) ||
	    a->multi_interp != b->multi_interp || a->gil != b->gil ||
	    a->ninstances != b->ninstances || a->nattrs != b->nattrs ||
	    !same_text(a->name, b->name) || !same_text(a->file, b->file))
		return false;
	for (i = 0; i < a->ninstances; i++) {
		if (!instance_equal(&a->instances[i], &b->instances[i]))
			return false;
	}
	for (i = 0; i < a->nattrs; i++) {
		if (!attr_equal(&a->attrs[i], &b->attrs[i]))
			return false;
	}
	return true;
}

static bool
info_equal(const struct interp_info *a, const struct interp_info *b)
{
	const struct interp_config *x = &a->config, *y = &b->config;

	return a->id == b->id && a->current == b->current &&
	    a->modules == b->modules && strcmp(a->name, b->name) == 0 &&
	    strcmp(x->preset, y->preset) == 0 && x->own_gil == y->own_gil &&
	    x->own_obmalloc == y->own_obmalloc && x->check_ext == y->check_ext &&
	    x->allow_fork == y->allow_fork && x->allow_exec == y->allow_exec &&
	    x->allow_threads == y->allow_threads &&
	    x->allow_daemon_threads == y->allow_daemon_threads;
}

bool
snapshot_interps_equal(const struct snapshot *a, const struct snapshot *b)
{
	size_t i;

	if (a->ninterps != b->ninterps)
		return false;
	for (i = 0; i < a->ninterps; i++) {
		if (!info_equal(&a->interps[i], &b->interps[i]))
			return false;
	}
	return true;
}

int
snapshot_changes(const struct snapshot *before, const struct snapshot *now,
    bool *changed, const char ***removed, size_t *nremoved)
{
	size_t i = 0, j = 0;

	*nremoved = 0;
	*removed = malloc((before->nmodules + 1) * sizeof **removed);
	if (*removed == NULL)
		return -1;
	/* both are sorted by name: one walk over the two */
	while (i < before->nmodules || j < now->nmodules) {
		int c = i == before->nmodules ? 1 : j == now->nmodules ? -1 :
		    strcmp(before->modules[i].name, now->modules[j].name);

		if (c < 0)
			(*removed)[(*nremoved)++] = before->modules[i++].name;
		else if (c > 0)
			changed[j++] = true;
		else {
			changed[j] = !snap_module_equal(&before->modules[i],
			    &now->modules[j]);
			i++;
			j++;
		}
	}
	return 0;
}

/* Text from src's pool as pool has it, or the same pointer without pool. */
static const char *
restring(struct strpool *pool, const char *s, bool *failed)
{
	const char *t;

	if (pool == NULL || s == NULL)
		return s;
	t = strpool_intern(pool, s, strlen(s));
	if (t == NULL)
		*failed = true;
	return t;
}

static void *
copy_of(const void *p, size_t n, size_t size, bool *failed)
{
	void *q;

	if (n == 0 || p == NULL)
		return NULL;
	q = malloc(n * size);
	if (q == NULL) {
		*failed = true;
		return NULL;
	}
	memcpy(q, p, n * size);
	return q;
}

/* Copy a row into dst with arrays of its own; its strings stay in their
 * pools. */
static int
row_copy(struct snap_module *dst, const struct snap_module *src)
{
	bool failed = false;
	size_t i, total = 0, k = 0;

	*dst = *src;
	dst->holders = NULL;
	dst->instances = NULL;
	dst->attrs = NULL;
	dst->values = NULL;
	dst->file = NULL;
	dst->name = strdup(src->name);
	if (src->file != NULL && (dst->file = strdup(src->file)) == NULL)
		failed = true;
	dst->instances = copy_of(src->instances, src->ninstances,
	    sizeof *src->instances, &failed);
	dst->attrs = copy_of(src->attrs, src->nattrs, sizeof *src->attrs,
	    &failed);
	for (i = 0; i < src->nattrs; i++)
		total += src->attrs[i].nobjects;
	if (total > 0 && (dst->values = malloc(total * sizeof *dst->values)) ==
	    NULL)
		failed = true;
	if (failed || dst->name == NULL)
		return -1;
	/* the attributes' slices, packed into the new block */
	for (i = 0; i < src->nattrs; i++) {
		struct snap_attr *a = &dst->attrs[i];

		memcpy(&dst->values[k], src->attrs[i].objects,
		    a->nobjects * sizeof *dst->values);
		a->objects = &dst->values[k];
		k += a->nobjects;
	}
	return 0;
}

static struct snapshot *
shell_of(const struct snapshot *snap, size_t nmodules)
{
	struct snapshot *copy = calloc(1, sizeof *copy);

	if (copy == NULL)
		return NULL;
	copy->modules = calloc(nmodules + 1, sizeof *copy->modules);
	if (copy->modules == NULL) {
		free(copy);
		return NULL;
	}
	if (snap != NULL && snap->python_version != NULL)
		copy->python_version = strdup(snap->python_version);
	if (snap != NULL && snap->ninterps > 0) {
		copy->interps = malloc(snap->ninterps * sizeof *copy->interps);
		if (copy->interps != NULL) {
			memcpy(copy->interps, snap->interps,
			    snap->ninterps * sizeof *copy->interps);
			copy->ninterps = snap->ninterps;
		}
	}
	return copy;
}

/* Hold snap's pools in copy (pool and more_pools). */
static int
hold_pools(struct snapshot *copy, const struct snapshot *snap)
{
	size_t n = copy->nmore_pools + snap->nmore_pools + 1, i;
	struct strpool **v = realloc(copy->more_pools, n * sizeof *v);

	if (v == NULL)
		return -1;
	copy->more_pools = v;
	if (snap->pool != NULL)
		v[copy->nmore_pools++] = strpool_ref(snap->pool);
	for (i = 0; i < snap->nmore_pools; i++)
		v[copy->nmore_pools++] = strpool_ref(snap->more_pools[i]);
	return 0;
}

/* The row with arrays of its own when it shares them: what it says does
 * not change, its stamp stays. */
static int
row_unshare(struct snap_module *m)
{
	struct snap_module mine;

	if (m->holders != NULL && *m->holders > 1) {
		if (row_copy(&mine, m) != 0) {
			snapshot_row_free(&mine);
			return -1;
		}
		--*m->holders;
		*m = mine;
	}
	return 0;
}

int
snap_module_own(struct snap_module *m)
{
	if (row_unshare(m) != 0)
		return -1;
	m->stamp = 0; /* about to change */
	return 0;
}

/* One more holder of a row: dst is src, shared. */
static int
row_share(struct snap_module *dst, struct snap_module *src)
{
	if (src->holders == NULL) {
		src->holders = malloc(sizeof *src->holders);
		if (src->holders == NULL)
			return -1;
		*src->holders = 1;
	}
	++*src->holders;
	*dst = *src;
	return 0;
}

struct snapshot *
snapshot_copy(struct snapshot *snap)
{
	struct snapshot *copy = shell_of(snap, snap->nmodules);
	size_t i;

	if (copy == NULL)
		return NULL;
	if ((snap->python_version != NULL && copy->python_version == NULL) ||
	    (snap->ninterps > 0 && copy->interps == NULL) ||
	    hold_pools(copy, snap) != 0)
		goto bad;
	for (i = 0; i < snap->nmodules; i++) {
		if (row_share(&copy->modules[i], &snap->modules[i]) != 0)
			goto bad;
		copy->nmodules++;
	}
	return copy;
bad:
	snapshot_free(copy);
	return NULL;
}

static bool
named(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return true;
	}
	return false;
}

/* Put a row's strings into pool, in place. */
static int
row_restring(struct snap_module *m, struct strpool *pool)
{
	bool failed = false;
	size_t i, j;

	for (i = 0; i < m->nattrs; i++) {
		struct snap_attr *a = &m->attrs[i];

		a->name = restring(pool, a->name, &failed);
		a->type = restring(pool, a->type, &failed);
		a->static_in = restring(pool, a->static_in, &failed);
		for (j = 0; j < a->nobjects; j++) {
			a->objects[j].static_in = restring(pool,
			    a->objects[j].static_in, &failed);
			a->objects[j].preview = restring(pool,
			    a->objects[j].preview, &failed);
		}
	}
	return failed ? -1 : 0;
}

/* Move snap's pools (pool and more_pools) into out's more_pools. */
static int
move_pools(struct snapshot *out, struct snapshot *snap)
{
	size_t n = out->nmore_pools + snap->nmore_pools + 1, i;
	struct strpool **v = realloc(out->more_pools, n * sizeof *v);

	if (v == NULL)
		return -1;
	out->more_pools = v;
	if (snap->pool != NULL)
		v[out->nmore_pools++] = snap->pool;
	for (i = 0; i < snap->nmore_pools; i++)
		v[out->nmore_pools++] = snap->more_pools[i];
	snap->pool = NULL;
	snap->nmore_pools = 0;
	return 0;
}

struct snapshot *
snapshot_patch(struct snapshot *base, struct snapshot *delta,
    char *const *removed, size_t nremoved)
{
	struct snapshot *out;
	size_t i = 0, j = 0, k;
	bool compact = base->nmore_pools + 1 >= POOLS_MAX;

	out = shell_of(NULL, base->nmodules + delta->nmodules);
	if (out == NULL || move_pools(out, base) != 0)
		goto bad;
	/* the delta's version, interpreters and pool move over; a delta
	 * without interpreters has the base's */
	if (delta->interps == NULL) {
		delta->interps = base->interps;
		delta->ninterps = base->ninterps;
		base->interps = NULL;
		base->ninterps = 0;
	}
	out->python_version = delta->python_version;
	out->interps = delta->interps;
	out->ninterps = delta->ninterps;
	out->pool = delta->pool;
	delta->python_version = NULL;
	delta->interps = NULL;
	delta->ninterps = 0;
	delta->pool = NULL;
	while (i < base->nmodules || j < delta->nmodules) {
		int c = i == base->nmodules ? 1 : j == delta->nmodules ? -1 :
		    strcmp(base->modules[i].name, delta->modules[j].name);
		struct snap_module *row;

		if (c >= 0) {
			/* a row of the delta */
			row = &delta->modules[j++];
			if (c == 0)
				snapshot_row_free(&base->modules[i++]);
		} else if (named(removed, nremoved, base->modules[i].name)) {
			snapshot_row_free(&base->modules[i++]);
			continue;
		} else
			row = &base->modules[i++];
		out->modules[out->nmodules++] = *row;
		memset(row, 0, sizeof *row);
	}
	base->nmodules = delta->nmodules = 0;
	if (compact) {
		/* every row's strings into the newest pool, the rest let go
		 * (the same text in another pool: the stamps stay) */
		for (k = 0; k < out->nmodules; k++) {
			if (row_unshare(&out->modules[k]) != 0 ||
			    row_restring(&out->modules[k], out->pool) != 0)
				goto bad;
		}
		for (k = 0; k < out->nmore_pools; k++)
			strpool_free(out->more_pools[k]);
		out->nmore_pools = 0;
	}
	snapshot_free(base);
	snapshot_free(delta);
	return out;
bad:
	snapshot_free(base);
	snapshot_free(delta);
	snapshot_free(out);
	return NULL;
}
