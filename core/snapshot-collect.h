/*
 * snapshot-collect.h: reading modules of the live interpreters into the
 * parts a snapshot is merged from (core-internal; the modules and
 * attributes only, the caller adds the interpreter rows and the version).
 * snapshot-remake.c decides which modules to read.
 */
#ifndef SUBREPL_SNAPSHOT_COLLECT_H
#define SUBREPL_SNAPSHOT_COLLECT_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include "segments.h"
#include "snapshot.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Kind, file and PyModuleDef facts of a module object of the interpreter
 * whose GIL is held; m->file is malloc'd. */
void snapshot_describe(PyObject *mod, struct snap_module *m,
    struct snap_instance *in);

/* A string pooled already, by the object it was read from. */
struct pooled_seen {
	const void *obj;      /* a str (an attribute name) or a type */
	const char *str;      /* its text in the pool */
	size_t len;
};

/* Whether a type is PyCFunction_Type or a subtype, as of a generation. */
struct type_fact {
	PyTypeObject *type;
	unsigned long generation;
	bool cfunction;
};

/* The last part collected of a module name (pooled), by that pointer. */
struct last_part {
	const char *name;
	size_t index;       /* into collector.parts */
};

/* One collection: its string pool (the snapshot's), the loaded files'
 * segments (read at the first attribute), the strings pooled by object,
 * the last part of each module name, scratch and the parts so far. */
struct collector {
	struct strpool *pool;
	struct pooled_seen *seen;
	struct last_part *last;
	PyObject **pairs;           /* scratch: a dict's keys and values */
	size_t pairs_cap;           /* ... room for so many pairs */
	struct type_fact *facts;    /* by type, for the part being read */
	unsigned long generation;   /* ... which counts parts */
	struct segments segs;
	bool segs_loaded;
	struct scratch *scratch;    /* the parts' values */
	struct snap_part *parts;
	size_t n, cap;
	/* A read ahead (snapshot_read_ahead) stops at the next module once
	 * an interrupt is asked for: the user wants the host back. */
	bool stoppable;
	unsigned long interrupts;   /* interrupt_requests() when it began */
	bool stopped;
};

/* The values of a module whose type, immortality or preview can change
 * while its dict does not: containers (their contents), instances of heap
 * types and modules (`__class__` can be assigned), strings not yet
 * immortal (interning makes them so on 3.12+). Borrowed: the dict holds
 * them as long as its version stands. */
struct volatiles {
	PyObject **v;
	size_t n, cap;
	uint64_t digest;   /* volatiles_digest of them, made as they are
	                    * collected (collect_part) */
};

bool value_volatile(PyObject *value);
int volatiles_add(struct volatiles *vol, PyObject *value);

/* None yet (before collect_part fills vol). */
void volatiles_clear(struct volatiles *vol);

/* What those values say now (types, immortality, previews), as a number
 * that differs when any of it does (up to hash collisions of 64 bits). */
uint64_t volatiles_digest(PyObject *const *v, size_t n);

/* -1 when out of memory. */
int collector_begin(struct collector *c);

/* Append the part of module object `mod`, named `name` in the sys.modules
 * of the entered interpreter `id`, with its values when the filter wants
 * them; the volatile ones among them are added to vol (may be NULL). -1
 * when out of memory. */
int collect_part(struct collector *c, const struct snap_filter *f,
    interp_id id, const char *name, PyObject *mod, struct volatiles *vol);

/* The rows made of the parts so far (unfiltered); the collector is
 * consumed. NULL when out of memory. */
struct snapshot *collector_merge(struct collector *c);

/* A snapshot for the filter (snapshot-remake.c): of a kind asked for
 * before, the last one's rows with those of the modules that changed read
 * again; rows stamped. */
int snapshot_collect(const struct snap_filter *filter, struct snapshot **out,
    char **cause);

/* Forget the kinds' last snapshots and marks (snapshot_kept_forget). */
void snapshot_remake_forget(void);

#endif
