/*
 * statics.h: the writable C data of loaded files (core-internal; the plain
 * data is in session.h): collecting it in this process (statics.c), and
 * carrying it as JSON (statics-json.c, docs/snapshot.md).
 */
#ifndef SUBREPL_STATICS_H
#define SUBREPL_STATICS_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdio.h>

#include "session.h"

/* What session_statics returns, read in this process; -1 with *cause. */
int statics_collect(const char *const *names, size_t n, struct statics **out,
    char **cause);

/* The same for every extension file any interpreter loaded (the audit's
 * roots); the values seen are not remembered. */
int statics_collect_all(struct statics **out, char **cause);

/* The statics as JSON text to f; -1 when writing failed. */
int statics_write_json(const struct statics *st, FILE *f);

/* Statics from that text, every member checked; NULL with *cause. */
struct statics *statics_parse(const char *text, size_t len, char **cause);

#endif
