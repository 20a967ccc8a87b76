/*
 * addrmap.c: the address map (see addrmap.h).
 */
#include "config.h"

#include "addrmap.h"

#include <stdlib.h>
#include <string.h>

/* Objects are 16-byte aligned: mix the bits that vary. */
static size_t
slot_of(uintptr_t key, size_t cap)
{
	uint64_t h = (uint64_t)key >> 4;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

void
addrmap_init(struct addrmap *m)
{
	memset(m, 0, sizeof *m);
}

void
addrmap_free(struct addrmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static int
grow_to(struct addrmap *m, size_t cap)
{
	struct addrmap bigger;
	size_t i;

	bigger.cap = cap;
	bigger.n = 0;
	bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
	bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
	if (bigger.keys == NULL || bigger.vals == NULL) {
		free(bigger.keys);
		free(bigger.vals);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] != 0)
			addrmap_put(&bigger, m->keys[i], m->vals[i]);
	}
	addrmap_free(m);
	*m = bigger;
	return 0;
}

static int
grow(struct addrmap *m)
{
	return grow_to(m, m->cap == 0 ? 1024 : m->cap * 2);
}

int
addrmap_reserve(struct addrmap *m, size_t n)
{
	size_t cap = m->cap == 0 ? 1024 : m->cap;

	while (cap < n * 2)
		cap *= 2;
	return cap > m->cap ? grow_to(m, cap) : 0;
}

int
addrmap_put(struct addrmap *m, uintptr_t key, uintptr_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
		return -1;
	for (i = slot_of(key, m->cap); m->keys[i] != 0 && m->keys[i] != key;
	    i = (i + 1) & (m->cap - 1))
		;
	if (m->keys[i] == 0)
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
	return 0;
}

bool
addrmap_get(const struct addrmap *m, uintptr_t key, uintptr_t *val)
{
	size_t i;

	if (m->cap == 0)
		return false;
	for (i = slot_of(key, m->cap); m->keys[i] != 0;
	    i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			if (val != NULL)
				*val = m->vals[i];
			return true;
		}
	}
	return false;
}

int
addrmap_add(struct addrmap *m, uintptr_t key, uintptr_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
		return -1;
	for (i = slot_of(key, m->cap); m->keys[i] != 0;
	    i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key)
			return 0;
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return 1;
}

int
addrmap_or(struct addrmap *m, uintptr_t key, uintptr_t bits)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
		return -1;
	for (i = slot_of(key, m->cap); m->keys[i] != 0 && m->keys[i] != key;
	    i = (i + 1) & (m->cap - 1))
		;
	if (m->keys[i] == 0) {
		m->keys[i] = key;
		m->vals[i] = 0;
		m->n++;
	}
	m->vals[i] |= bits;
	return 0;
}
