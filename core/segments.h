/*
 * segments.h: where loaded files are mapped (core-internal), so "which
 * file's data holds this address?" is a binary search instead of a dladdr()
 * call per object (dladdr walks the link map under a lock). Built with
 * dl_iterate_phdr: every PT_LOAD segment of every loaded object, the same
 * ranges dladdr answers from. Heap memory (malloc and obmalloc arenas)
 * belongs to no file.
 */
#ifndef SUBREPL_SEGMENTS_H
#define SUBREPL_SEGMENTS_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strpool;

struct segment {
	uintptr_t start, end;  /* [start, end) */
	const char *file;      /* basename, pooled */
	const char *path;      /* the path the loader opened, pooled */
	uintptr_t base;        /* the file's load address (dlpi_addr) */
	bool writable;         /* PF_W: data and bss */
};

struct segments {
	struct segment *v;     /* sorted by start */
	size_t n, cap;
	struct strpool *pool;  /* the caller's, for the names */
};

/* Every segment of every loaded file, names interned in pool; -1 when out
 * of memory (what was found is kept). */
int segments_load(struct segments *segs, struct strpool *pool);

void segments_free(struct segments *segs);

/* The segment holding addr, or NULL. */
const struct segment *segments_find(const struct segments *segs,
    uintptr_t addr);

/* The basename of the file whose mapping holds addr, or NULL. */
const char *segments_file(const struct segments *segs, const void *p);

#endif
