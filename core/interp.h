/*
 * interp.h: the engine's registry of interpreters (core-internal).
 *
 * Every interpreter the engine knows has one entry holding the thread state
 * of our (main) thread in it. Between two engine calls no GIL is held and no
 * thread state is current: a call enters exactly one interpreter with
 * interp_enter() (PyEval_RestoreThread: takes that interpreter's GIL, which
 * for an own-GIL interpreter is its own) and leaves it with interp_leave().
 * That is what keeps switching correct across several GILs.
 */
#ifndef SUBREPL_INTERP_H
#define SUBREPL_INTERP_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "session.h"

struct interp {
	interp_id id;                     /* PyInterpreterState_GetID */
	char name[INTERP_NAME_MAX + 1];   /* "" when unnamed */
	struct interp_config config;      /* as CPython was asked to build it */
	PyThreadState *tstate;            /* our thread's state in it */
	int future_flags;                 /* `from __future__` features its
	                                   * steps turned on (PyCF_MASK bits) */
	PyObject *completer;              /* rlcompleter.Completer on __main__, lazily */
	struct interp *next;              /* the registry is sorted by id */
};

/* Where the demo extension modules are, appended to every interpreter's
 * sys.path so they import by name; NULL for none. Set before the first
 * interpreter is registered. */
void interp_set_demo_dir(const char *dir);

/* Register the main interpreter; the caller holds the GIL with main's thread
 * state current. On return nothing is held. */
void interp_registry_init(void);

/* Whether the runtime can be finalized now without waiting or aborting:
 * -1 with *cause naming a sub-interpreter that runs other threads
 * (Py_EndInterpreter would abort), or main running non-daemon threads
 * (Py_FinalizeEx would join them). Nothing held on entry or return. */
int interp_registry_check_fini(char **cause);

/* Destroy every sub-interpreter and enter main, ready for Py_FinalizeEx. */
void interp_registry_fini(void);

struct interp *interp_first(void);
struct interp *interp_main(void);
struct interp *interp_current(void);
void interp_set_current(struct interp *it);
struct interp *interp_by_id(interp_id id);
struct interp *interp_by_name(const char *name);

/* Take the interpreter's GIL and make our thread state in it current. */
void interp_enter(struct interp *it);

/* Release it again. */
void interp_leave(struct interp *it);

/* Check a name for an interpreter: *cause says what is wrong with it. */
int interp_name_check(const char *name, char **cause);

/* Create an interpreter (not made current here). */
struct interp *interp_create(const struct interp_request *req, char **cause);

/* Destroy a sub-interpreter with Py_EndInterpreter. */
int interp_destroy(struct interp *it, char **cause);

/* len(sys.modules) of an interpreter; the caller has entered it. */
long interp_module_count(struct interp *it);

/* Fill a plain-data row; enters the interpreter to count its modules. */
void interp_describe(struct interp *it, struct interp_info *info);

#endif
