/*
 * addrmap.h: a map from addresses to words (core-internal), open
 * addressing with linear probing: the audit's visited sets and parent
 * links for millions of objects, in memory proportional to them and with
 * no allocation per entry.
 */
#ifndef SUBREPL_ADDRMAP_H
#define SUBREPL_ADDRMAP_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addrmap {
	uintptr_t *keys;   /* 0: an empty slot (no object lives at 0) */
	uintptr_t *vals;
	size_t cap;        /* a power of two */
	size_t n;
};

void addrmap_init(struct addrmap *m);
void addrmap_free(struct addrmap *m);

/* Room for n keys without growing (a walk that knows about how many it
 * will meet saves the rehashing on the way); -1 when out of memory. */
int addrmap_reserve(struct addrmap *m, size_t n);

/* Set key's value; -1 when out of memory. key must not be 0. */
int addrmap_put(struct addrmap *m, uintptr_t key, uintptr_t val);

/* Add key (not 0) with val unless it is there: 1 added, 0 there already, -1 out
 * of memory (one probe sequence, where get and put would take two). */
int addrmap_add(struct addrmap *m, uintptr_t key, uintptr_t val);

/* Set bits in key's value (0 when new); -1 when out of memory. */
int addrmap_or(struct addrmap *m, uintptr_t key, uintptr_t bits);

/* Whether key is there; its value in *val (val may be NULL). */
bool addrmap_get(const struct addrmap *m, uintptr_t key, uintptr_t *val);

#endif
