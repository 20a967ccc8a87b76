/*
 * snapshot-memory.h: both ends of the host link remember the last snapshot
 * of each kind, so the next one of that kind travels as a delta
 * (snapshot-delta.h; docs/protocol.md, "Snapshots").
 *
 * A kind is a filter without its names and without `deep` (a deep
 * walk's snapshot is the same with its holds-shared marks): the TUI asks
 * for every module without attributes, and for the attributes of some,
 * deep or not; %share and %modules ask for others. Each snapshot the host sends gets a generation,
 * a number this host never gives twice. A request names the generation
 * the front end holds for its kind (`since`, 0 for none); when the host
 * sent that one last for the kind, it sends the rows that changed since
 * and the names of the rows that are gone, otherwise the whole snapshot.
 * Names may differ between two requests of a kind (the TUI's detail
 * module): rows in one and not the other travel like any change.
 */
#ifndef SUBREPL_SNAPSHOT_MEMORY_H
#define SUBREPL_SNAPSHOT_MEMORY_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>
#include <stdio.h>

#include "session.h"

#define SNAP_KINDS 4

struct snap_memory {
	struct snap_kept {
		bool used;
		struct snap_filter kind;  /* names left out */
		long generation;
		struct snapshot *snap;
	} kept[SNAP_KINDS];
};

/* The generation kept for the filter's kind, 0 for none. */
long snap_memory_since(const struct snap_memory *m,
    const struct snap_filter *filter);

/* Forget every kind. */
void snap_memory_forget(struct snap_memory *m);

/* Host side: write snap (taken over) to out as the answer to a request
 * with filter and since, in full or as a delta, and remember it in m;
 * since -1: in full, and not remembered (%json).
 * *generation is snap's, *base the one the delta is against (0: in full).
 * -1 if writing failed. */
int snapshot_send(struct snap_memory *m, const struct snap_filter *filter,
    long since, struct snapshot *snap, FILE *out, long *generation,
    long *base);

/* Front-end side: the snapshot the host sent as text (generation, base),
 * patched onto the one kept when it is a delta, remembered in m; *out is
 * a copy for the caller. A delta against a generation not kept is an
 * error (the kind is forgotten, so the next request asks in full). */
int snapshot_receive(struct snap_memory *m, const struct snap_filter *filter,
    const char *text, size_t len, long generation, long base,
    struct snapshot **out, char **cause);

#endif
