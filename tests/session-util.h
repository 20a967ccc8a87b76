/*
 * session-util.h: what the engine tests share: one in-process session,
 * creating and destroying interpreters, importing, snapshots, and running a
 * step while reading back what it printed.
 */
#ifndef SUBREPL_TEST_SESSION_UTIL_H
#define SUBREPL_TEST_SESSION_UTIL_H

#include <stdbool.h>

#include "session.h"
#include "snapshot.h"

extern struct session *S;

/* cmocka group setup/teardown opening and closing S. */
int util_setup(void **state);
int util_teardown(void **state);

/* The linked Python's minor version (11, 12, 13), known before any session. */
int python_minor(void);

interp_id util_make(const char *name, enum interp_preset preset);
void util_destroy(interp_id id);

/* Import, failing the test if the request itself is refused. */
void util_import(const char *name, const char *path, const interp_id *ids,
    size_t n, struct import_report *r);

/* A snapshot of these modules (attributes included). */
struct snapshot *util_snapshot(const char *module);

/* The attribute of a module, failing the test when it is missing. */
const struct snap_attr *util_attr(const struct snap_module *m, const char *name);

/* Run code and return what it printed on stdout and stderr (malloc'd). */
char *util_capture(interp_id id, const char *code, enum run_outcome *outcome);

/* Run code and return its printed output as a number (e.g. a count). */
long util_number(interp_id id, const char *code);

/* Run statements, failing the test unless they ran to their end. */
void util_run(interp_id id, const char *code);

/* The snapshot as %json writes it (malloc'd). */
char *util_json(const struct snapshot *snap);

/* Whether one of the n strings of v is s. */
bool util_has_string(char **v, size_t n, const char *s);

#endif
