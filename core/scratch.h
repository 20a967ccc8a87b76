/*
 * scratch.h: memory for a collection's short-lived records (the values of
 * its parts, which live until they are merged), handed out in order and
 * given back all at once, with its pages made ready by a second thread.
 *
 * The first time a fresh page is written the kernel must find and clear
 * it: about 3.6 us a page on these virtual machines. A first %json of 33
 * interpreters wrote 19 MB of parts into fresh pages (8,300 page faults in
 * all for that %json, a fifth of its time). Here the pages come in chunks
 * that a helper thread maps and fills ahead (MADV_POPULATE_WRITE) while
 * the collection reads values, where another CPU is ours (cpu_to_spare);
 * the first chunk is kept for the next collection, so a small one (the
 * TUI's after a step) reuses pages that are there already.
 */
#ifndef SUBREPL_SCRATCH_H
#define SUBREPL_SCRATCH_H

#include <stdbool.h>
#include <stddef.h>

/* The size of a chunk. An allocation larger than a quarter of it is not
 * scratch's (scratch_alloc returns NULL). */
#define SCRATCH_CHUNK ((size_t)2 << 20)

struct scratch;

/* A new scratch, or NULL (out of memory). */
struct scratch *scratch_new(void);

/* n bytes, aligned for any record, valid until scratch_free; NULL when n
 * is too large for scratch or out of memory (use malloc then). */
void *scratch_alloc(struct scratch *s, size_t n);

/* Everything scratch_alloc handed out is gone; the helper stops. */
void scratch_free(struct scratch *s);

/* Chunks handed out (for tests: 0 until the first allocation). */
size_t scratch_chunks(const struct scratch *s);

/* Whether a helper thread made chunks ready (for tests). */
bool scratch_helped(const struct scratch *s);

/* Whether a helper thread was started (for tests). */
bool scratch_helper_started(const struct scratch *s);

#endif
