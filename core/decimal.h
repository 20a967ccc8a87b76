/*
 * decimal.h: a number in decimal, written by hand: snprintf costs more
 * than the rest of writing a preview or a JSON field (perf).
 */
#ifndef SUBREPL_DECIMAL_H
#define SUBREPL_DECIMAL_H

#include <stddef.h>

/* Room for any long long in decimal, sign included (no NUL). */
#define DECIMAL_MAX 20

/* Write v into out (DECIMAL_MAX bytes, no NUL); returns the length. */
size_t decimal_write(char *out, long long v);

#endif
