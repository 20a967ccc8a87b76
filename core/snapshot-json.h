/*
 * snapshot-json.h: the snapshot as JSON (the contract is docs/snapshot.md).
 */
#ifndef SUBREPL_SNAPSHOT_JSON_H
#define SUBREPL_SNAPSHOT_JSON_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdio.h>

#include "snapshot.h"

/* Write the snapshot to f; -1 if writing failed. */
int snapshot_write_json(const struct snapshot *snap, FILE *f);

#endif
