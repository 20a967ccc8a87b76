/*
 * scratch.c: chunks handed out in order, made ready ahead (see scratch.h).
 */
#include "config.h"

#include "scratch.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "spin.h"

struct scratch {
	char *chunk;            /* the chunk being handed out, or NULL */
	size_t used;            /* ... bytes of it handed out */
	char **chunks;          /* every chunk taken, to give back */
	size_t nchunks, cap;
	/* the helper: it maps and fills one chunk, which waits in `ready`
	 * until it is taken, then the next */
	pthread_t helper;
	bool helper_started;
	bool helped;            /* a chunk of the helper's was taken */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	char *ready;
	bool stop;
};

/* The first chunk of the last scratch, whose pages are there already. */
static _Atomic(char *) kept_chunk;

/* Every page of a fresh chunk written once, in one call where the kernel
 * can (5.14+): a fault a page costs more. */
static void
populate(char *p, size_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t i;

#ifdef MADV_POPULATE_WRITE
	if (madvise(p, n, MADV_POPULATE_WRITE) == 0)
		return;
#endif
	for (i = 0; i < n; i += page > 0 ? (size_t)page : 4096)
		((volatile char *)p)[i] = 0;
}

static char *
chunk_map(void)
{
	void *p = mmap(NULL, SCRATCH_CHUNK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p != MAP_FAILED ? p : NULL;
}

static void *
helper_run(void *arg)
{
	struct scratch *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		char *p;

		if (s->ready != NULL) {
			pthread_cond_wait(&s->wake, &s->lock);
			continue;
		}
		pthread_mutex_unlock(&s->lock);
		p = chunk_map();
		if (p != NULL)
			populate(p, SCRATCH_CHUNK);
		pthread_mutex_lock(&s->lock);
		if (p == NULL)
			break; /* out of memory: the collection maps its own */
		s->ready = p;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

struct scratch *
scratch_new(void)
{
	struct scratch *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	return s;
}

/* The next chunk: the kept one first, then the helper's, else one mapped
 * here (its pages fault as they are written). */
static char *
next_chunk(struct scratch *s)
{
	char *p = NULL;

	if (s->nchunks == 0)
		p = atomic_exchange(&kept_chunk, NULL);
	if (p == NULL && s->helper_started) {
		pthread_mutex_lock(&s->lock);
		p = s->ready;
		s->ready = NULL;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
		s->helped = s->helped || p != NULL;
	}
	return p != NULL ? p : chunk_map();
}

/* A large collection: from half its first chunk on, the helper makes the
 * next ready (a small one never starts it, nor pays for a chunk filled in
 * vain). */
static void
maybe_start_helper(struct scratch *s)
{
	if (s->helper_started || s->used < SCRATCH_CHUNK / 2 || !cpu_to_spare())
		return;
	s->helper_started = helper_start(&s->helper, helper_run, s) == 0;
}

void *
scratch_alloc(struct scratch *s, size_t n)
{
	const size_t align = alignof(max_align_t);
	void *p;

	n = (n + align - 1) & ~(align - 1);
	if (n == 0 || n > SCRATCH_CHUNK / 4)
		return NULL;
	if (s->chunk == NULL || SCRATCH_CHUNK - s->used < n) {
		char *c;

		if (s->nchunks == s->cap) {
			size_t cap = s->cap == 0 ? 16 : s->cap * 2;
			char **v = realloc(s->chunks, cap * sizeof *v);

			if (v == NULL)
				return NULL;
			s->chunks = v;
			s->cap = cap;
		}
		if ((c = next_chunk(s)) == NULL)
			return NULL;
		s->chunks[s->nchunks++] = c;
		s->chunk = c;
		s->used = 0;
	}
	p = s->chunk + s->used;
	s->used += n;
	maybe_start_helper(s);
	return p;
}

void
scratch_free(struct scratch *s)
{
	char *keep = NULL;
	size_t i;

	if (s == NULL)
		return;
	if (s->helper_started) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->helper, NULL);
		if (s->ready != NULL)
			munmap(s->ready, SCRATCH_CHUNK);
	}
	for (i = 0; i < s->nchunks; i++) {
		if (keep == NULL)
			keep = s->chunks[i];
		else
			munmap(s->chunks[i], SCRATCH_CHUNK);
	}
	if (keep != NULL && (keep = atomic_exchange(&kept_chunk, keep)) != NULL)
		munmap(keep, SCRATCH_CHUNK); /* another scratch kept one */
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	free(s->chunks);
	free(s);
}

size_t
scratch_chunks(const struct scratch *s)
{
	return s->nchunks;
}

bool
scratch_helped(const struct scratch *s)
{
	return s->helped;
}

bool
scratch_helper_started(const struct scratch *s)
{
	return s->helper_started;
}
