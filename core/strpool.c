/*
 * strpool.c: an open-addressing hash set of strings stored in a chain of
 * blocks (see strpool.h). Strings hash eight bytes at a time, and each
 * slot keeps its string's hash, so a probe compares text only when the
 * hashes agree and growing does not hash again (perf: a byte-wise FNV
 * hash and a strncmp per probe were a tenth of reading a quarter of a
 * million values). The table doubles when it is half full.
 */
#include "config.h"

#include "strpool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (64 * 1024)
/* Each string is stored after its length (strpool_len), in four bytes:
 * longer strings than 4 GiB say UINT32_MAX. */
#define LEN_BYTES sizeof(uint32_t)

struct block {
	struct block *next;   /* older blocks */
	size_t used;          /* bytes of data[] in use */
	size_t size;          /* bytes of data[] */
	char data[];
};

struct slot {
	const char *s;        /* the interned string, NULL where empty */
	uint64_t hash;
	size_t len;
};

struct strpool {
	struct slot *slots;
	size_t nslots;        /* a power of two */
	size_t count;         /* strings interned */
	struct block *blocks; /* where the strings live, newest first */
	size_t holders;       /* strpool_ref'd, plus the creator */
};

static uint64_t
hash(const char *s, size_t len)
{
	uint64_t h = (uint64_t)len * 0x9e3779b97f4a7c15ULL, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
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
	uint32_t stored_len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	char *p;

	if (b == NULL || b->size - b->used < LEN_BYTES + len + 1) {
		size_t size = LEN_BYTES + len + 1 > BLOCK_SIZE ?
		    LEN_BYTES + len + 1 : BLOCK_SIZE;

		b = malloc(sizeof *b + size);
		if (b == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = pool->blocks;
		pool->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, &stored_len, LEN_BYTES);
	p += LEN_BYTES;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += LEN_BYTES + len + 1;
	return p;
}

static int
grow(struct strpool *pool)
{
	size_t n = pool->nslots * 2, i;
	struct slot *slots = calloc(n, sizeof *slots);

	if (slots == NULL)
		return -1;
	for (i = 0; i < pool->nslots; i++) {
		size_t j;

		if (pool->slots[i].s == NULL)
			continue;
		j = (size_t)pool->slots[i].hash & (n - 1);
		while (slots[j].s != NULL)
			j = (j + 1) & (n - 1);
		slots[j] = pool->slots[i];
	}
	free(pool->slots);
	pool->slots = slots;
	pool->nslots = n;
	return 0;
}

const char *
strpool_intern(struct strpool *pool, const char *s, size_t len)
{
	uint64_t h;
	size_t j;
	char *copy;

	if (pool->count * 2 >= pool->nslots && grow(pool) != 0)
		return NULL;
	h = hash(s, len);
	j = (size_t)h & (pool->nslots - 1);
	while (pool->slots[j].s != NULL) {
		const char *t = pool->slots[j].s;

		if (pool->slots[j].hash == h && pool->slots[j].len == len &&
		    memcmp(t, s, len) == 0)
			return t;
		j = (j + 1) & (pool->nslots - 1);
	}
	copy = store(pool, s, len);
	if (copy == NULL)
		return NULL;
	pool->slots[j].s = copy;
	pool->slots[j].hash = h;
	pool->slots[j].len = len;
	pool->count++;
	return copy;
}

size_t
strpool_len(const char *pooled)
{
	uint32_t len;

	memcpy(&len, pooled - LEN_BYTES, LEN_BYTES);
	return len == UINT32_MAX ? strlen(pooled) : len;
}
