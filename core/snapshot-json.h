/*
 * snapshot-json.h: the snapshot as JSON (the contract is docs/snapshot.md).
 */
#ifndef SUBREPL_SNAPSHOT_JSON_H
#define SUBREPL_SNAPSHOT_JSON_H

#include <stdbool.h>

#include "snapshot.h"

/* A malloc'd JSON text (pretty: indented, keys sorted, for files), or NULL
 * when out of memory. */
char *snapshot_to_json(const struct snapshot *snap, bool pretty);

#endif
