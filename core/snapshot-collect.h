/*
 * snapshot-collect.h: building a snapshot from the live interpreters
 * (core-internal; the modules and attributes only, the caller adds the
 * interpreter rows and the version).
 */
#ifndef SUBREPL_SNAPSHOT_COLLECT_H
#define SUBREPL_SNAPSHOT_COLLECT_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include "snapshot.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Kind, file and PyModuleDef facts of a module object of the interpreter
 * whose GIL is held; m->file is malloc'd. */
void snapshot_describe(PyObject *mod, struct snap_module *m,
    struct snap_instance *in);

int snapshot_collect(const struct snap_filter *filter, struct snapshot **out,
    char **cause);

#endif
