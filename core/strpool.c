/*
 * strpool.c: an open-addressing hash set of strings stored in a chain of
 * blocks (see strpool.h). Lookups hash with FNV-1a; the table doubles when
 * it is half full.
 */
#include "config.h"

#include "strpool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)

struct block {
	struct block *next;   /* older blocks */
	size_t used;          /* bytes of data[] in use */
	size_t size;          /* bytes of data[] */
	char data[];
};

struct strpool {
	const char **slots;   /* interned strings, NULL where empty */
	size_t nslots;        /* a power of two */
	size_t count;         /* strings interned */
	struct block *blocks; /* where the strings live, newest first */
	size_t holders;       /* strpool_ref'd, plus the creator */
};

static uint64_t
hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct strpool *
strpool_new(void)
{
	struct strpool *pool = calloc(1, sizeof *pool);

	if (pool == NULL)
		return NULL;
	pool->holders = 1;
	pool->nslots = 1024;
	pool->slots = calloc(pool->nslots, sizeof *pool->slots);
	if (pool->slots == NULL) {
		free(pool);
		return NULL;
	}
	return pool;
}

struct strpool *
strpool_ref(struct strpool *pool)
{
	pool->holders++;
	return pool;
}

void
strpool_free(struct strpool *pool)
{
	struct block *b, *next;

	if (pool == NULL || --pool->holders > 0)
		return;
	for (b = pool->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(pool->slots);
	free(pool);
}

static char *
store(struct strpool *pool, const char *s, size_t len)
{
	struct block *b = pool->blocks;
	char *p;

	if (b == NULL || b->size - b->used < len + 1) {
		size_t size = len + 1 > BLOCK_SIZE ? len + 1 : BLOCK_SIZE;

		b = malloc(sizeof *b + size);
		if (b == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = pool->blocks;
		pool->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static int
grow(struct strpool *pool)
{
	size_t n = pool->nslots * 2, i;
	const char **slots = calloc(n, sizeof *slots);

	if (slots == NULL)
		return -1;
	for (i = 0; i < pool->nslots; i++) {
		const char *s = pool->slots[i];
		size_t j;

		if (s == NULL)
			continue;
		j = (size_t)hash(s, strlen(s)) & (n - 1);
		while (slots[j] != NULL)
			j = (j + 1) & (n - 1);
		slots[j] = s;
	}
	free(pool->slots);
	pool->slots = slots;
	pool->nslots = n;
	return 0;
}

const char *
strpool_intern(struct strpool *pool, const char *s, size_t len)
{
	size_t j;
	char *copy;

	if (pool->count * 2 >= pool->nslots && grow(pool) != 0)
		return NULL;
	j = (size_t)hash(s, len) & (pool->nslots - 1);
	while (pool->slots[j] != NULL) {
		if (strncmp(pool->slots[j], s, len) == 0 &&
		    pool->slots[j][len] == '\0')
			return pool->slots[j];
		j = (j + 1) & (pool->nslots - 1);
	}
	copy = store(pool, s, len);
	if (copy == NULL)
		return NULL;
	pool->slots[j] = copy;
	pool->count++;
	return copy;
}
