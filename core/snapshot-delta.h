/*
 * snapshot-delta.h: what changed between two snapshots, by module row, and
 * a snapshot rebuilt from the one before and the rows that changed.
 *
 * The host sends the TUI's snapshots after every step; most rows are what
 * they were. The host compares the new snapshot with the one it sent last
 * (snapshot-memory.c) and sends the rows that differ and the names of the
 * rows that are gone; the front end patches its copy (session-host.c).
 * A row is compared whole (every instance, attribute, object and preview)
 * unless both carry the same stamp (copies of one row the engine did not
 * read again), so a delta is exact: the patched snapshot equals the
 * host's.
 */
#ifndef SUBREPL_SNAPSHOT_DELTA_H
#define SUBREPL_SNAPSHOT_DELTA_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

/* Whether two module rows say the same, field by field (strings by text:
 * the rows may come from different pools). */
bool snap_module_equal(const struct snap_module *a,
    const struct snap_module *b);

/* Whether two snapshots list the same interpreters, alike. */
bool snapshot_interps_equal(const struct snapshot *a,
    const struct snapshot *b);

/* Which rows of `now` differ from `before` (changed[i] for now->modules[i],
 * new rows included), and the names of before's rows now has not, into
 * *removed (malloc'd array of pointers into before). -1 out of memory. */
int snapshot_changes(const struct snapshot *before, const struct snapshot *now,
    bool *changed, const char ***removed, size_t *nremoved);

/* A copy of snap that shares its rows (snap_module_own) and holds its
 * pools. NULL when out of memory. */
struct snapshot *snapshot_copy(struct snapshot *snap);

/* `base` with the rows of `delta` put in (replacing rows of the same name)
 * and the rows named in removed taken out; the interpreters (unless the
 * delta has none: NULL) and the version are delta's. Takes both over (their rows move: nothing is
 * copied), also on error. NULL when out of memory. */
struct snapshot *snapshot_patch(struct snapshot *base,
    struct snapshot *delta, char *const *removed, size_t nremoved);

#endif
