/*
 * strpool.h: interned strings for a snapshot. A snapshot repeats the same
 * few thousand attribute names, type names and file names hundreds of
 * thousands of times; the pool keeps one copy of each, allocated in large
 * blocks, and frees them all at once with the snapshot. Snapshots patched
 * from a delta (snapshot-delta.c) share the pools of the rows they keep,
 * so a pool counts its holders.
 */
#ifndef SUBREPL_STRPOOL_H
#define SUBREPL_STRPOOL_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stddef.h>

struct strpool;

struct strpool *strpool_new(void);

/* One more holder of pool; returns pool. */
struct strpool *strpool_ref(struct strpool *pool);

/* One holder less; the last one frees the pool and its strings. */
void strpool_free(struct strpool *pool);

/* The pool's copy of s (len bytes, no NUL needed), or NULL when out of
 * memory. Equal strings give the same pointer. */
const char *strpool_intern(struct strpool *pool, const char *s, size_t len);

/* The length of a string strpool_intern returned, without looking for its
 * end (it may hold NUL bytes: the length it was interned with). */
size_t strpool_len(const char *pooled);

#endif
