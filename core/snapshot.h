/*
 * snapshot.h: how snapshots are made (core-internal; the snapshot itself,
 * plain data, is declared in session.h).
 *
 * A snapshot is built in two stages: collection (snapshot-collect.c, the
 * only part that touches CPython) fills, for each interpreter in turn, one
 * `snap_module` per module with a single instance and the addresses of its
 * attribute values; merging (snapshot.c, plain C) joins the instances of a
 * module across interpreters by name and classifies every attribute by
 * comparing addresses.
 */
#ifndef SUBREPL_SNAPSHOT_H
#define SUBREPL_SNAPSHOT_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include "session.h"

/* What collection produces per module and interpreter, before merging. */
struct snap_value {
	const char *name;          /* attribute name (pooled) */
	const char *type;          /* type name (pooled) */
	struct snap_object object; /* the value in this interpreter */
};

struct snap_part {
	const char *name;            /* the module's name, pooled: parts are
	                              * grouped by its address */
	struct snap_module module;   /* one instance; no attrs; no name (the
	                              * merged row gets a copy of `name`) */
	struct snap_value *values;   /* its attribute values */
	size_t nvalues;
	bool values_borrowed;        /* `values` is the collector's scratch:
	                              * not freed with the part */
};

/* Join per-interpreter parts by module name and classify; consumes `parts`
 * (and the strings they own) and takes `pool`. Plain C: used by collection
 * and by tests. */
struct snapshot *snapshot_merge(struct snap_part *parts, size_t nparts,
    struct strpool *pool);

/* Put a snapshot from elsewhere (JSON) in the order the lookups and the
 * patches rely on: modules by name, instances and each attribute's objects
 * by interpreter (each within its slice of the module's values). What is
 * in order already is only looked at. */
void snapshot_sort(struct snapshot *snap);

/* Forget what collection keeps between snapshots (snapshot-kept.h): for
 * tests, which compare with a snapshot taken afresh. A destroyed
 * interpreter's lists go when a later snapshot misses it. */
void snapshot_kept_forget(void);

/* Free what a row owns (its name, file and arrays). */
void snapshot_row_free(struct snap_module *m);

/* A snapshot's modules for the filter read whole, nothing kept or used of
 * what was kept (snapshot-remake.c; tests compare the two). */
int snapshot_collect_afresh(const struct snap_filter *filter,
    struct snapshot **out, char **cause);

/* Make the filter's kind of snapshot current, as snapshot_collect does,
 * and keep it, so that the next snapshot of that kind reads only what
 * changes after (a pause at the prompt: the front end asks, the host
 * reads). It stops at the next module once an interrupt is asked for
 * (the user typed): 1, and nothing is kept for the kind. 0 when read,
 * -1 when out of memory. */
int snapshot_read_ahead(const struct snap_filter *filter, char **cause);

/* Whether two filters ask for the same kind of snapshot: the flags, not
 * the names, and not `deep` (a deep walk's snapshot is the plain one with
 * its holds-shared marks): what the engine remakes and both ends of the
 * host link keep, per kind. */
bool snap_filter_same_kind(const struct snap_filter *a,
    const struct snap_filter *b);

/* Keep only the modules the filter wants (names, or shared extensions). */
void snapshot_filter(struct snapshot *snap, const struct snap_filter *filter);

#endif
