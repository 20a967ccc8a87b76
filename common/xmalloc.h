/*
 * xmalloc.h: allocators for the front ends that never return NULL (tmux's
 * xmalloc.c): running out of memory in the front end is fatal, and saying
 * so is all that can be done.
 */
#ifndef SUBREPL_XMALLOC_H
#define SUBREPL_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
