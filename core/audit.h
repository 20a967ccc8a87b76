/*
 * audit.h: objects reachable from more than one interpreter (core-internal;
 * the plain data is in session.h): the walk (audit.c) and its JSON
 * (audit-json.c, docs/snapshot.md).
 */
#ifndef SUBREPL_AUDIT_H
#define SUBREPL_AUDIT_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdio.h>

#include "session.h"

struct interp;

/* What session_audit returns, walked in this process. */
int audit_collect(const char *const *modules, size_t nmod, const interp_id *ids,
    size_t n, bool every_path, struct audit **out, char **cause);

/* What the walk knows of each of n objects (C statics' objects, which are
 * held by nobody's reference but a static's): one audit object each, in
 * the order asked. No GIL held by the caller. */
int audit_objects(const uintptr_t *addrs, size_t n, struct audit **out,
    char **cause);

/* What session_why returns: expr evaluated in it, then the walk. */
int audit_why(struct interp *it, const char *expr, struct audit **out,
    char **cause);

/* An interpreter is about to be destroyed (its GIL held): remember its
 * modules and their dicts, so objects it leaves behind can be told. */
void audit_remember_destroyed(struct interp *it);

int audit_write_json(const struct audit *a, FILE *f);
struct audit *audit_parse(const char *text, size_t len, char **cause);

#endif
