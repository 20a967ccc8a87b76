/*
 * snapshot-kept.h: what a snapshot keeps from the one before, so that one
 * taken after every step costs what changed, not every module again.
 *
 * CPython numbers every change of a dict: ma_version_tag (3.11 to 3.13;
 * deprecated from 3.12 in favour of dict watchers, and still kept up to
 * date on every insertion, deletion and clear). Two reads of the same
 * dict object with the same tag saw the same contents. Kept by that tag:
 * each interpreter's list of sys.modules, and each module object's
 * description (kind, file, PyModuleDef facts), which only its dict (its
 * __file__, __spec__, __loader__, __path__) and its def decide. What a
 * def says that can change (m_copy) is read every time. Nothing here holds
 * a reference between snapshots: a kept list is used only while the
 * sys.modules that holds its modules has not changed (docs/snapshot.md,
 * "Incremental snapshots").
 */
#ifndef SUBREPL_SNAPSHOT_KEPT_H
#define SUBREPL_SNAPSHOT_KEPT_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdint.h>

#include "snapshot.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

struct interp;

/* The dict's version tag; 0 on a Python without one (nothing is kept). */
uint64_t dict_version(PyObject *dict);

/* snapshot_describe, or what it said last time for the same module
 * object of the same interpreter, when its dict has not changed since. */
void snapshot_describe_kept(PyObject *mod, interp_id id,
    struct snap_module *m, struct snap_instance *in);

struct kept_module {
	const char *name;   /* the key in sys.modules */
	PyObject *mod;      /* a new reference while the list is out */
};

/* The entered interpreter's sys.modules with string keys, in its order:
 * the list kept from the last call when sys.modules is the same dict with
 * the same version, else read anew. -1 when out of memory. Each module is
 * a new reference: give the list back with kept_modules_done. */
int kept_modules(struct interp *it, struct kept_module **out, size_t *n);
void kept_modules_done(struct kept_module *v, size_t n);

/* The same list without references: for a look that runs no code. */
int kept_modules_peek(struct interp *it, struct kept_module **out, size_t *n);

/* snapshot_kept_forget (everything kept) is declared in snapshot.h. */

#endif
