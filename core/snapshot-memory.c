/*
 * snapshot-memory.c: the last snapshot of each kind, at both ends of the
 * host link (see snapshot-memory.h).
 */
#include "config.h"

#include "snapshot-memory.h"

#include <stdlib.h>
#include <unistd.h>

#include "cause.h"
#include "snapshot-delta.h"
#include "snapshot-json.h"
#include "snapshot.h"
#include "wire-codec.h"

static struct snap_kept *
kept_of(struct snap_memory *m, const struct snap_filter *f)
{
	size_t i;

	for (i = 0; i < SNAP_KINDS; i++) {
		if (m->kept[i].used &&
		    snap_filter_same_kind(&m->kept[i].kind, f))
			return &m->kept[i];
	}
	return NULL;
}

long
snap_memory_since(const struct snap_memory *m, const struct snap_filter *f)
{
	const struct snap_kept *k = kept_of((struct snap_memory *)m, f);

	return k != NULL ? k->generation : 0;
}

/* Keep snap (taken over) as the filter's kind: in its slot, a free one,
 * or the oldest. */
static void
keep(struct snap_memory *m, const struct snap_filter *f, long generation,
    struct snapshot *snap)
{
	struct snap_kept *k = kept_of(m, f);
	size_t i;

	for (i = 0; k == NULL && i < SNAP_KINDS; i++) {
		if (!m->kept[i].used)
			k = &m->kept[i];
	}
	if (k == NULL) {
		k = &m->kept[0];
		for (i = 1; i < SNAP_KINDS; i++) {
			if (m->kept[i].generation < k->generation)
				k = &m->kept[i];
		}
	}
	snapshot_free(k->snap);
	k->used = true;
	k->kind = *f;
	k->kind.names = NULL;
	k->kind.nnames = 0;
	k->generation = generation;
	k->snap = snap;
}

static void
forget(struct snap_kept *k)
{
	snapshot_free(k->snap);
	k->snap = NULL;
	k->used = false;
}

void
snap_memory_forget(struct snap_memory *m)
{
	size_t i;

	for (i = 0; i < SNAP_KINDS; i++)
		forget(&m->kept[i]);
}

static long
next_generation(void)
{
	static long last;

	/* Numbers from different hosts differ: a front end that kept one
	 * across a restart cannot meet it again by chance. */
	if (last == 0)
		last = ((long)getpid() & 0xffffff) << 24;
	return ++last;
}

int
snapshot_send(struct snap_memory *m, const struct snap_filter *filter,
    long since, struct snapshot *snap, FILE *out, long *generation,
    long *base)
{
	struct snap_kept *k = kept_of(m, filter);
	const char **removed = NULL;
	size_t nremoved = 0;
	bool *changed = NULL;
	int rc;

	*base = 0;
	if (since < 0) {
		/* whole, and not kept (%json: a snapshot of every attribute
		 * of every module is large, and no delta follows it) */
		rc = snapshot_write_json(snap, out);
		snapshot_free(snap);
		*generation = 0;
		return rc;
	}
	if (k != NULL && since != 0 && since == k->generation) {
		changed = calloc(snap->nmodules + 1, sizeof *changed);
		if (changed != NULL && snapshot_changes(k->snap, snap, changed,
		    &removed, &nremoved) == 0)
			*base = since;
	}
	if (*base != 0)
		rc = snapshot_write_json_rows(snap, changed, removed, nremoved,
		    !snapshot_interps_equal(k->snap, snap), out);
	else
		rc = snapshot_write_json(snap, out);
	free(changed);
	free(removed); /* its names point into the kept snapshot */
	*generation = next_generation();
	keep(m, filter, *generation, snap);
	return rc;
}

int
snapshot_receive(struct snap_memory *m, const struct snap_filter *filter,
    const char *text, size_t len, long generation, long base,
    struct snapshot **out, char **cause)
{
	struct snap_kept *k = kept_of(m, filter);
	struct snapshot *snap;
	char **removed = NULL;
	size_t nremoved = 0;

	if (base != 0 && (k == NULL || k->generation != base)) {
		if (k != NULL)
			forget(k);
		cause_set(cause, "the host sent changes to a snapshot this "
		    "side does not have");
		return -1;
	}
	snap = codec_snapshot_parse_delta(text, len, &removed, &nremoved, cause);
	if (snap == NULL) {
		if (k != NULL)
			forget(k);
		return -1;
	}
	if (base != 0) {
		struct snapshot *was = k->snap;

		k->snap = NULL; /* the patch takes its rows */
		snap = snapshot_patch(was, snap, removed, nremoved);
		session_free_strings(removed, nremoved);
		if (snap == NULL) {
			forget(k);
			cause_set(cause, "out of memory");
			return -1;
		}
	} else
		session_free_strings(removed, nremoved);
	*out = snapshot_copy(snap);
	if (*out == NULL) {
		snapshot_free(snap);
		if (k != NULL)
			forget(k);
		cause_set(cause, "out of memory");
		return -1;
	}
	keep(m, filter, generation, snap);
	return 0;
}
