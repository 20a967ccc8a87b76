/*
 * strpool.h: interned strings for a snapshot. A snapshot repeats the same
 * few thousand attribute names, type names and file names hundreds of
 * thousands of times; the pool keeps one copy of each, allocated in large
 * blocks, and frees them all at once with the snapshot.
 */
#ifndef SUBREPL_STRPOOL_H
#define SUBREPL_STRPOOL_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stddef.h>

struct strpool;

struct strpool *strpool_new(void);
void strpool_free(struct strpool *pool);

/* The pool's copy of s (len bytes, no NUL needed), or NULL when out of
 * memory. Equal strings give the same pointer. */
const char *strpool_intern(struct strpool *pool, const char *s, size_t len);

#endif
