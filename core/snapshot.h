/*
 * snapshot.h: what every interpreter has loaded and which objects they
 * share, as plain data (no Python objects), so the same snapshot can feed
 * %modules, %share, %diff, JSON, Graphviz and the TUI, and travel over a
 * socket from a host process.
 *
 * A snapshot is built in two stages: collection (snapshot-collect.c, the
 * only part that touches CPython) fills, for each interpreter in turn, one
 * `snap_module` per module with a single instance and the addresses of its
 * attribute values; merging (snapshot.c, plain C) joins the instances of a
 * module across interpreters by name and classifies every attribute by
 * comparing addresses.
 */
#ifndef SUBREPL_SNAPSHOT_H
#define SUBREPL_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "session.h"

enum module_kind {
	KIND_PYTHON,          /* source or bytecode module */
	KIND_FROZEN,          /* frozen into libpython */
	KIND_NAMESPACE,       /* a namespace package */
	KIND_BUILTIN_SINGLE,  /* compiled into libpython, single-phase init */
	KIND_BUILTIN_MULTI,   /* compiled into libpython, multi-phase init */
	KIND_SINGLE,          /* extension file, single-phase init */
	KIND_MULTI,           /* extension file, multi-phase init */
	KIND_OTHER,           /* not a module object (anything in sys.modules) */
};

/* How one attribute's values relate across the interpreters that have it. */
enum sharing {
	SHARING_DISTINCT,   /* each interpreter has its own object */
	SHARING_SHARED,     /* one heap object seen by several interpreters */
	SHARING_STATIC,     /* an object in a loaded file's data segment */
	SHARING_IMMORTAL,   /* an immortal heap object (3.12+) */
};

/* One interpreter's value of an attribute. Strings belong to the
 * snapshot's string pool. */
struct snap_object {
	interp_id interp;      /* whose module dict holds it */
	uintptr_t addr;        /* the object's address (its id()) */
	bool immortal;         /* _Py_IsImmortal (3.12+) */
	const char *static_in; /* basename of the file whose data holds it, or NULL */
	uintptr_t self;        /* a builtin function's __self__, else 0 */
	const char *preview;   /* what a plain value holds ("['a', 1]"), read
	                        * without running code (preview.h), or NULL */
};

struct snap_attr {
	const char *name;            /* the key in the module's __dict__ */
	const char *type;            /* type name of the first value */
	enum sharing sharing;        /* the verdict */
	const char *static_in;       /* the file, for SHARING_STATIC */
	interp_id owner;             /* interpreter whose module owns a shared
	                              * builtin function, INTERP_NONE if unknown */
	struct snap_object *objects; /* one per interpreter that has it (a slice
	                              * of the module's `values`) */
	size_t nobjects;
};

/* A module as one interpreter has it. */
struct snap_instance {
	interp_id interp;
	uintptr_t module;     /* the module object */
	uintptr_t dict;       /* its __dict__ */
	uintptr_t def;        /* its PyModuleDef, 0 for none */
	uintptr_t m_copy;     /* def->m_base.m_copy, 0 for none */
	long m_copy_size;     /* entries in m_copy, -1 for none */
	bool copied;          /* an extension module without a def: CPython
	                       * made it from m_copy and did not run init */
};

struct snap_module {
	char *name;                       /* the key in sys.modules */
	enum module_kind kind;
	long m_size;                      /* def->m_size; meaningless without a def */
	bool has_def;
	int multi_interp;                 /* Py_mod_multiple_interpreters slot, -1 absent */
	int gil;                          /* Py_mod_gil slot, -1 absent */
	char *file;                       /* __file__, or NULL */
	struct snap_instance *instances;  /* one per interpreter that has it, by id */
	size_t ninstances;
	struct snap_attr *attrs;          /* sorted by name */
	size_t nattrs;
	struct snap_object *values;       /* every attribute's objects, in one block */
};

/* What collection produces per module and interpreter, before merging. */
struct snap_value {
	const char *name;          /* attribute name (pooled) */
	const char *type;          /* type name (pooled) */
	struct snap_object object; /* the value in this interpreter */
};

struct snap_part {
	struct snap_module module;   /* one instance; no attrs */
	struct snap_value *values;   /* its attribute values */
	size_t nvalues;
};

struct strpool;

struct snapshot {
	char *python_version;         /* "3.12.1" */
	struct interp_info *interps;  /* sorted by id */
	size_t ninterps;
	struct snap_module *modules;  /* sorted by name */
	size_t nmodules;
	struct strpool *pool;         /* the strings of attributes and objects */
};

/* Which modules a snapshot keeps. */
struct snap_filter {
	const char *const *names;  /* keep these (NULL: see below) */
	size_t nnames;
	bool shared_extensions;    /* no names: only extension modules loaded in
	                            * two or more interpreters */
	bool with_attrs;           /* collect attributes (else modules only) */
	interp_id only;            /* one interpreter, or INTERP_NONE for all */
};

/* Build a snapshot through the session. */
int session_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause);

void snapshot_free(struct snapshot *snap);

/* The snapshot as JSON (docs/snapshot.md) straight to out, without building
 * it in the front end: what %json does. */
int session_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause);

/* Join per-interpreter parts by module name and classify; consumes `parts`
 * (and the strings they own) and takes `pool`. Plain C: used by collection
 * and by tests. */
struct snapshot *snapshot_merge(struct snap_part *parts, size_t nparts,
    struct strpool *pool);

/* Keep only the modules the filter wants (names, or shared extensions). */
void snapshot_filter(struct snapshot *snap, const struct snap_filter *filter);

/* Keep only these interpreters' instances and values, and classify again
 * (for %diff of two interpreters). */
void snapshot_restrict(struct snapshot *snap, const interp_id *ids, size_t n);

const char *module_kind_name(enum module_kind kind);
const char *sharing_name(enum sharing sharing);

/* The module of that name, or NULL. */
const struct snap_module *snapshot_module(const struct snapshot *snap,
    const char *name);

/* The instance of a module in an interpreter, or NULL. */
const struct snap_instance *snap_module_instance(const struct snap_module *m,
    interp_id id);

/* An attribute's object in an interpreter, or NULL. */
const struct snap_object *snap_attr_object(const struct snap_attr *a,
    interp_id id);

#endif
