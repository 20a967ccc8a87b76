/*
 * world.h: stopping every Python thread of the process for a walk of the
 * object graph (core-internal).
 *
 * The main interpreter's GIL, which every legacy interpreter shares, is
 * taken by the caller's thread; an interpreter with a GIL of its own and
 * threads besides ours has that GIL taken by a parked thread of ours, so
 * nothing can run there either. Then objects of any interpreter can be read
 * without racing a thread that changes them. An interpreter whose GIL
 * cannot be had within a bound (a thread holding it and waiting for
 * something of ours) is left running, and named, so the walk can skip it.
 */
#ifndef SUBREPL_WORLD_H
#define SUBREPL_WORLD_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

struct world;

/* Stop the world; the caller's thread then holds the main GIL with main's
 * thread state. NULL when out of memory (nothing is held then). */
struct world *world_stop(void);

/* Whether an interpreter's threads are stopped (false: skip its objects). */
bool world_stopped(const struct world *w, interp_id id);

/* "3 threads of 2 own-GIL interpreters were parked", or NULL. */
const char *world_note(const struct world *w);

/* Let everything run again and leave the main interpreter. */
void world_resume(struct world *w);

#endif
