/*
 * snapshot-json.h: the snapshot as JSON (the contract is docs/snapshot.md).
 */
#ifndef SUBREPL_SNAPSHOT_JSON_H
#define SUBREPL_SNAPSHOT_JSON_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>
#include <stdio.h>

#include "snapshot.h"

/* Write the snapshot to f; -1 if writing failed. */
int snapshot_write_json(const struct snapshot *snap, FILE *f);

/* Let go of the rows' texts kept from the last whole snapshot written
 * (snapshot_kept_forget). */
void snapshot_json_forget(void);

/* A delta over the host link (snapshot-delta.h): the same document with
 * only the modules whose send[i] is set, a member "removed" naming the
 * rows that are gone, and without "interpreters" unless `interps` (they
 * are the base's otherwise). */
int snapshot_write_json_rows(const struct snapshot *snap, const bool *send,
    const char *const *removed, size_t nremoved, bool interps, FILE *f);

#endif
