/*
 * audit.c: which heap objects more than one interpreter reaches, and how
 * (%audit, %why).
 *
 * Roots: each interpreter's sys.modules (which holds __main__, builtins and
 * sys), or only the modules named; and, as a root set of their own, the
 * objects C statics of loaded extension files hold (statics.c). From each
 * root set a breadth-first walk follows the types' own tp_traverse, in C:
 * no Python code runs and nothing is allocated in any interpreter, so the
 * walk sees the graph as it is. Every object a walk reaches gets its parent
 * in that walk, so the shortest path from the roots can be spelled out
 * afterwards as a Python expression.
 *
 * Safety: the world is stopped for the walk (world.c): the main GIL is ours
 * and every own-GIL interpreter with threads of its own is parked, so no
 * thread changes what is read. Static type objects and objects in a loaded
 * file's data are not traversed (their contents are per interpreter or
 * immutable). A budget of objects and time bounds the walk; reaching it is
 * reported.
 *
 * Owners: a module and its dict belong to the interpreter whose sys.modules
 * holds the module; a function to the owner of its __globals__; a builtin
 * function to its __self__'s; a class to its methods'; an instance to its
 * class's. Module dicts of destroyed interpreters are remembered, so an
 * object left behind by one is told.
 */
#include "config.h"

#include "audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addrmap.h"
#include "cause.h"
#include "clock.h"
#include "interp.h"
#include "interrupt.h"
#include "preview.h"
#include "probe.h"
#include "segments.h"
#include "statics.h"
#include "strpool.h"
#include "world.h"

#define AUDIT_MAX_OBJECTS 4000000
#define AUDIT_MAX_SECONDS 30.0
#define AUDIT_MAX_WALKS 64       /* a bit each in a 64-bit mask */
#define PATH_MAX_DEPTH 256
#define ROOTS_MAX 4096           /* parents below this are root indexes */

/* A walk's parent links carry the depth in the bits no address uses
 * (user space is 47 bits on x86-64 and arm64), so the depth of an object
 * is one lookup. */
#define LINK_SHIFT 48
#define LINK_ADDR(v) ((v) & (((uintptr_t)1 << LINK_SHIFT) - 1))
#define LINK_DEPTH(v) ((size_t)((v) >> LINK_SHIFT))
#define LINK(parent, depth) ((parent) | ((uintptr_t)(depth) << LINK_SHIFT))

/* ------------------------------------------- destroyed interpreters */

/* Modules, module dicts and the classes defined in them, of interpreters
 * that are gone, by address (a later object at a freed address loses to
 * a living owner: owner_lookup asks the living first). */
static struct addrmap destroyed;

/* Note a module, its dict and the classes in it as owned by value - 1. */
static int
note_module(struct addrmap *m, PyObject *mod, uintptr_t value)
{
	PyObject *dict = PyModule_GetDict(mod), *key, *v;
	Py_ssize_t pos = 0;

	if (addrmap_put(m, (uintptr_t)mod, value) != 0 ||
	    (dict != NULL && addrmap_put(m, (uintptr_t)dict, value) != 0))
		return -1;
	while (dict != NULL && PyDict_Next(dict, &pos, &key, &v)) {
		if (PyType_Check(v) &&
		    (((PyTypeObject *)v)->tp_flags & Py_TPFLAGS_HEAPTYPE) != 0 &&
		    addrmap_put(m, (uintptr_t)v, value) != 0)
			return -1;
	}
	return 0;
}

void
audit_remember_destroyed(struct interp *it)
{
	PyObject *modules = PySys_GetObject("modules"), *key, *value;
	Py_ssize_t pos = 0;

	if (modules == NULL || !PyDict_Check(modules))
		return;
	while (PyDict_Next(modules, &pos, &key, &value)) {
		if (PyModule_Check(value))
			note_module(&destroyed, value, (uintptr_t)it->id + 1);
	}
}

/* ------------------------------------------------------------- a walk */

struct root {
	PyObject *obj;
	char *label;          /* "sys.modules", "sys.modules['m']" */
};

struct walk {
	interp_id interp;     /* INTERP_NONE: the C statics */
	struct interp *it;    /* whose roots (NULL for statics) */
	struct root *roots;
	size_t nroots;
	struct addrmap parent; /* object -> LINK(parent or root index, depth) */
	struct addrmap paths; /* object -> its path (pooled), once spelled */
	bool skipped;         /* its threads could not be stopped */
};

/* Which key of a dict holds a value: the dicts on reported paths are
 * indexed once, instead of scanned for every edge. */
struct dict_edge {
	uintptr_t dict;
	PyObject *key;        /* NULL: the value is a key of the dict */
	size_t next;          /* the next edge to the same value, + 1 */
};

struct auditor {
	struct walk *walks;
	size_t nwalks;
	struct addrmap seen;  /* object -> bit mask of walks */
	struct addrmap owners; /* modules, module dicts and the classes in
	                        * them -> interp id + 1 */
	struct addrmap classes; /* class -> its owner id + 2 (1: none), high
	                        * bit: destroyed; a cache */
	struct addrmap modules; /* every live module and its dict -> its
	                        * interpreter's id + 1: where paths end */
	bool scoped;          /* walked from named modules, not sys.modules */
	struct segments segs;
	struct strpool *pool;
	uintptr_t *queue;
	uint16_t *qdepth;     /* the depth of each queued object */
	size_t qhead, qtail, qcap;
	size_t from_depth;    /* depth of a->from */
	struct addrmap indexed; /* dicts whose edges are in `edges` */
	struct addrmap edge_of; /* value -> first edge to it, + 1 */
	struct dict_edge *edges;
	size_t nedges, cedges;
	int current;          /* the walk running */
	uintptr_t from;       /* the object whose referents are visited */
	size_t visited;
	bool every_path;      /* spell every reported object's paths */
	bool trusted;         /* the targets are objects for sure (%why's) */
	struct addrmap homes; /* object -> its home mask, once computed */
	bool partial;         /* some interpreters were not walked (--in, a
	                       * skipped one, too many) */
	bool over;            /* the budget ran out */
	bool interrupted;     /* ... or an interrupt was asked for */
	unsigned long interrupts; /* interrupt_requests() when it began */
	bool failed;          /* out of memory */
	double started;
};

static int
push(struct auditor *a, uintptr_t o, size_t depth)
{
	if (a->qtail == a->qcap) {
		size_t cap = a->qcap == 0 ? 4096 : a->qcap * 2;
		uintptr_t *q = realloc(a->queue, cap * sizeof *q);
		uint16_t *d;

		if (q == NULL)
			return -1;
		a->queue = q;
		d = realloc(a->qdepth, cap * sizeof *d);
		if (d == NULL)
			return -1;
		a->qdepth = d;
		a->qcap = cap;
	}
	a->qdepth[a->qtail] = (uint16_t)(depth < UINT16_MAX ? depth : UINT16_MAX);
	a->queue[a->qtail++] = o;
	return 0;
}

/* Reach o from a->from (or as root r, at depth 0) in the current walk. */
static void
reach(struct auditor *a, uintptr_t o, uintptr_t parent, size_t depth)
{
	struct walk *w = &a->walks[a->current];
	int added;

	if (a->over || a->failed)
		return;
	added = addrmap_add(&w->parent, o, LINK(parent, depth));
	if (added == 0)
		return; /* this walk has it already */
	if (added < 0 ||
	    addrmap_or(&a->seen, o, (uintptr_t)1 << a->current) != 0 ||
	    push(a, o, depth) != 0) {
		a->failed = true;
		return;
	}
	if (++a->visited > AUDIT_MAX_OBJECTS ||
	    ((a->visited & 4095) == 0 &&
	    monotonic_seconds() - a->started > AUDIT_MAX_SECONDS))
		a->over = true;
	if ((a->visited & 4095) == 0 && interrupt_asked_since(a->interrupts))
		a->over = a->interrupted = true;
}

static int
visit(PyObject *o, void *arg)
{
	struct auditor *a = arg;

	if (o != NULL)
		reach(a, (uintptr_t)o, a->from, a->from_depth + 1);
	return 0;
}

/* Whether o is a module (or a module's dict) where a path ends: one of
 * another interpreter, or, walking from named modules, any module but the
 * walk's own roots; for the C statics' walk, any module. Through a module
 * all of its interpreter is reachable (its functions' globals hold sys),
 * so walking on would report everything of that interpreter instead of
 * the object that leads there: the module is reported as reached, and
 * not walked through. */
static bool
path_end(struct auditor *a, const struct walk *w, PyObject *o)
{
	uintptr_t owner;
	size_t i;

	if (!addrmap_get(&a->modules, (uintptr_t)o, &owner))
		return false;
	if (w->it == NULL)
		return true;
	if (!a->scoped)
		return (interp_id)(owner - 1) != w->interp;
	for (i = 0; i < w->nroots; i++) {
		PyObject *r = w->roots[i].obj;

		if (r == o || (PyModule_Check(r) && PyModule_GetDict(r) == o))
			return false;
	}
	return true;
}

/* Whether o's referents are followed: not a static type (its dict is kept
 * per interpreter by CPython), not an object in a file's data. */
static bool
traversable(struct auditor *a, PyObject *o)
{
	PyTypeObject *t = Py_TYPE(o);

	if (t->tp_traverse == NULL)
		return false;
	if (PyType_Check(o) &&
	    (((PyTypeObject *)o)->tp_flags & Py_TPFLAGS_HEAPTYPE) == 0)
		return false;
	return segments_find(&a->segs, (uintptr_t)o) == NULL;
}

static void
walk_run(struct auditor *a, int k)
{
	struct walk *w = &a->walks[k];
	size_t i;

	a->current = k;
	a->qhead = a->qtail = 0;
	for (i = 0; i < w->nroots; i++) {
		if (w->roots[i].obj != NULL) /* a static's object gone meanwhile */
			reach(a, (uintptr_t)w->roots[i].obj, (uintptr_t)i, 0);
	}
	while (a->qhead < a->qtail && !a->over && !a->failed) {
		PyObject *o = (PyObject *)a->queue[a->qhead];

		a->from_depth = a->qdepth[a->qhead++];
		if (!traversable(a, o) || path_end(a, w, o))
			continue;
		a->from = (uintptr_t)o;
		Py_TYPE(o)->tp_traverse(o, visit, a);
	}
}

/* --------------------------------------------------------------- roots */

/* A root; own: take a reference (the caller holds the GIL of o's
 * interpreter), else o is held by someone else (a C static). */
static int
root_add(struct walk *w, PyObject *o, const char *label, bool own)
{
	struct root *v;

	if (w->nroots >= ROOTS_MAX)
		return 0;
	v = realloc(w->roots, (w->nroots + 1) * sizeof *v);
	if (v == NULL)
		return -1;
	w->roots = v;
	v[w->nroots].obj = o;
	v[w->nroots].label = strdup(label);
	if (v[w->nroots].label == NULL)
		return -1;
	if (own)
		Py_INCREF(o);
	w->nroots++;
	return 0;
}

/* A Python string literal of s into buf. */
static void
quote(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	if (size < 4)
		return;
	buf[n++] = '\'';
	for (; *s != '\0' && n + 6 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == '\'')
			n += (size_t)snprintf(buf + n, size - n, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

/* The roots of the entered interpreter, and its modules as owners. */
static int
roots_of(struct auditor *a, struct walk *w, const char *const *modules,
    size_t nmod)
{
	PyObject *mods = PySys_GetObject("modules"), *key, *value;
	Py_ssize_t pos = 0;
	char label[512], q[400];
	size_t i;

	if (mods == NULL || !PyDict_Check(mods))
		return 0;
	while (PyDict_Next(mods, &pos, &key, &value)) {
		PyObject *dict;

		if (!PyModule_Check(value))
			continue;
		dict = PyModule_GetDict(value);
		if (note_module(&a->owners, value, (uintptr_t)w->interp + 1) != 0 ||
		    addrmap_put(&a->modules, (uintptr_t)value,
		    (uintptr_t)w->interp + 1) != 0 ||
		    (dict != NULL && addrmap_put(&a->modules, (uintptr_t)dict,
		    (uintptr_t)w->interp + 1) != 0))
			return -1;
	}
	if (nmod == 0)
		return root_add(w, mods, "sys.modules", true);
	for (i = 0; i < nmod; i++) {
		PyObject *m = PyDict_GetItemString(mods, modules[i]);

		if (m == NULL)
			continue;
		quote(modules[i], q, sizeof q);
		snprintf(label, sizeof label, "sys.modules[%s]", q);
		if (root_add(w, m, label, true) != 0)
			return -1;
	}
	return 0;
}

/* The objects C statics hold, as the roots of a walk of their own. */
static int
roots_of_statics(struct auditor *a, struct walk *w, char **cause)
{
	struct statics *st;
	char label[512];
	size_t i, j, k;

	(void)a;
	if (statics_collect_all(&st, cause) != 0)
		return -1;
	for (i = 0; i < st->nfiles; i++) {
		const struct static_file *f = &st->files[i];
		const char *base = strrchr(f->path, '/');

		base = base != NULL ? base + 1 : f->path;
		for (j = 0; j < f->nsymbols; j++) {
			const struct static_symbol *s = &f->symbols[j];

			for (k = 0; k < s->nrefs; k++) {
				if (s->refs[k].addr == s->addr)
					continue; /* the static object itself */
				snprintf(label, sizeof label, "%s:%s%s", base,
				    s->name != NULL ? s->name : "(range)",
				    s->nrefs > 1 ? "+" : "");
				if (s->nrefs > 1)
					snprintf(label + strlen(label),
					    sizeof label - strlen(label), "%zu",
					    s->refs[k].offset);
				/* C statics own them: no reference of ours */
				if (root_add(w, (PyObject *)s->refs[k].addr, label,
				    false) != 0) {
					statics_free(st);
					cause_set(cause, "out of memory");
					return -1;
				}
			}
		}
	}
	statics_free(st);
	return 0;
}

static void
roots_release(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->nroots; i++) {
		if (w->it != NULL)
			Py_XDECREF(w->roots[i].obj);
		free(w->roots[i].label);
	}
	free(w->roots);
	w->roots = NULL;
	w->nroots = 0;
}

/* ------------------------------------------------------------- owners */

static interp_id
owner_lookup(struct auditor *a, PyObject *o, bool *gone)
{
	uintptr_t v;

	*gone = false;
	if (o == NULL)
		return INTERP_NONE;
	if (addrmap_get(&a->owners, (uintptr_t)o, &v))
		return (interp_id)v - 1;
	if (addrmap_get(&destroyed, (uintptr_t)o, &v)) {
		*gone = true;
		return (interp_id)v - 1;
	}
	return INTERP_NONE;
}

static interp_id class_owner_find(struct auditor *a, PyTypeObject *t,
    bool *gone);

#define GONE_BIT ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))

/* The owner of a class, once per class. */
static interp_id
class_owner(struct auditor *a, PyTypeObject *t, bool *gone)
{
	uintptr_t v;
	interp_id id;

	if (addrmap_get(&a->classes, (uintptr_t)t, &v)) {
		*gone = (v & GONE_BIT) != 0;
		return (interp_id)(v & ~GONE_BIT) - 2;
	}
	id = class_owner_find(a, t, gone);
	addrmap_put(&a->classes, (uintptr_t)t,
	    ((uintptr_t)(id + 2)) | (*gone ? GONE_BIT : 0));
	return id;
}

/* The owner of a class: defined in a module (or __main__), else its
 * methods' __globals__, else the module of PyType_FromModuleAndSpec. */
static interp_id
class_owner_find(struct auditor *a, PyTypeObject *t, bool *gone)
{
	PyObject *key, *value;
	Py_ssize_t pos = 0;
	interp_id id;

	*gone = false;
	if ((t->tp_flags & Py_TPFLAGS_HEAPTYPE) == 0)
		return INTERP_NONE;
	/* a class a module (or __main__) defines */
	if ((id = owner_lookup(a, (PyObject *)t, gone)) != INTERP_NONE)
		return id;
	if (t->tp_dict == NULL || !PyDict_Check(t->tp_dict))
		return INTERP_NONE;
	while (PyDict_Next(t->tp_dict, &pos, &key, &value)) {
		if (PyFunction_Check(value)) {
			id = owner_lookup(a, PyFunction_GET_GLOBALS(value), gone);
			if (id != INTERP_NONE)
				return id;
		}
	}
	return owner_lookup(a, ((PyHeapTypeObject *)t)->ht_module, gone);
}

static interp_id
owner_of(struct auditor *a, PyObject *o, const char **how, bool *gone,
    bool *instance)
{
	interp_id id;

	*instance = false;
	if ((id = owner_lookup(a, o, gone)) != INTERP_NONE) {
		*how = PyModule_Check(o) ? "its sys.modules" : "a module's __dict__";
		return id;
	}
	if (PyFunction_Check(o)) {
		*how = "__globals__";
		return owner_lookup(a, PyFunction_GET_GLOBALS(o), gone);
	}
	if (PyMethod_Check(o)) {
		PyObject *f = PyMethod_GET_FUNCTION(o);

		*how = "__func__.__globals__";
		return PyFunction_Check(f) ?
		    owner_lookup(a, PyFunction_GET_GLOBALS(f), gone) : INTERP_NONE;
	}
	if (PyCFunction_Check(o)) {
		*how = "__self__";
		return owner_lookup(a, PyCFunction_GET_SELF(o), gone);
	}
	if (PyType_Check(o)) {
		*how = "its methods' __globals__";
		return class_owner(a, (PyTypeObject *)o, gone);
	}
	id = class_owner(a, Py_TYPE(o), gone);
	if (id != INTERP_NONE) {
		*how = "its class";
		*instance = true;
	}
	return id;
}

/* -------------------------------------------------------------- paths */

/* A str as a Python literal, encoded here: PyUnicode_AsUTF8 would cache
 * the encoding, allocating in the string's interpreter. */
static void
str_text(PyObject *str, char *buf, size_t size)
{
	Py_ssize_t i, len = PyUnicode_GET_LENGTH(str);
	int kind = PyUnicode_KIND(str);
	const void *data = PyUnicode_DATA(str);
	size_t n = 0;

	buf[n++] = '\'';
	for (i = 0; i < len && n + 12 < size; i++) {
		Py_UCS4 c = PyUnicode_READ(kind, data, i);

		if (c == '\\' || c == '\'')
			n += (size_t)snprintf(buf + n, size - n, "\\%c", (int)c);
		else if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", (unsigned)c);
		else if (c < 0x80)
			buf[n++] = (char)c;
		else if (c < 0x800) {
			buf[n++] = (char)(0xc0 | (c >> 6));
			buf[n++] = (char)(0x80 | (c & 0x3f));
		} else if (c >= 0xd800 && c <= 0xdfff)
			n += (size_t)snprintf(buf + n, size - n, "\\u%04x", (unsigned)c);
		else if (c < 0x10000) {
			buf[n++] = (char)(0xe0 | (c >> 12));
			buf[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
			buf[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			buf[n++] = (char)(0xf0 | (c >> 18));
			buf[n++] = (char)(0x80 | ((c >> 12) & 0x3f));
			buf[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
			buf[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

static int
edge_add(struct auditor *a, uintptr_t dict, PyObject *key, uintptr_t value)
{
	uintptr_t first = 0;

	if (a->nedges == a->cedges) {
		size_t cap = a->cedges == 0 ? 1024 : a->cedges * 2;
		struct dict_edge *v = realloc(a->edges, cap * sizeof *v);

		if (v == NULL)
			return -1;
		a->edges = v;
		a->cedges = cap;
	}
	addrmap_get(&a->edge_of, value, &first);
	a->edges[a->nedges].dict = dict;
	a->edges[a->nedges].key = key;
	a->edges[a->nedges].next = first;
	a->nedges++;
	return addrmap_put(&a->edge_of, value, a->nedges);
}

/* The key under which dict holds child (*is_key: child is a key), found
 * in the dict's index, made on first use. */
static bool
dict_key(struct auditor *a, PyObject *dict, PyObject *child, PyObject **key,
    bool *is_key)
{
	uintptr_t e = 0;

	if (!addrmap_get(&a->indexed, (uintptr_t)dict, NULL)) {
		PyObject *k, *v;
		Py_ssize_t pos = 0;

		while (PyDict_Next(dict, &pos, &k, &v)) {
			if (edge_add(a, (uintptr_t)dict, k, (uintptr_t)v) != 0 ||
			    edge_add(a, (uintptr_t)dict, NULL, (uintptr_t)k) != 0)
				return false;
		}
		if (addrmap_put(&a->indexed, (uintptr_t)dict, 1) != 0)
			return false;
	}
	addrmap_get(&a->edge_of, (uintptr_t)child, &e);
	while (e != 0) {
		const struct dict_edge *d = &a->edges[e - 1];

		if (d->dict == (uintptr_t)dict) {
			*key = d->key;
			*is_key = d->key == NULL;
			return true;
		}
		e = d->next;
	}
	return false;
}

/* How parent reaches child, as Python would spell it after the parent. */
static void
edge_label(struct auditor *a, PyObject *parent, PyObject *child, char *buf,
    size_t size)
{
	char q[256];

	if (PyDict_Check(parent)) {
		PyObject *key;
		bool is_key;

		if (dict_key(a, parent, child, &key, &is_key)) {
			if (is_key) {
				snprintf(buf, size, "<a key>");
				return;
			}
			if (PyUnicode_Check(key)) {
				str_text(key, q, sizeof q);
				snprintf(buf, size, "[%s]", q);
			} else if (PyLong_CheckExact(key)) {
				int overflow;
				long v = PyLong_AsLongAndOverflow(key, &overflow);

				if (overflow != 0 || (v == -1 && PyErr_Occurred())) {
					PyErr_Clear();
					snprintf(buf, size, "[<int key>]");
				} else
					snprintf(buf, size, "[%ld]", v);
			} else
				snprintf(buf, size, "[<%s key>]", Py_TYPE(key)->tp_name);
			return;
		}
	} else if (PyList_Check(parent) || PyTuple_Check(parent)) {
		Py_ssize_t i, n = PySequence_Fast_GET_SIZE(parent);
		PyObject **items = PySequence_Fast_ITEMS(parent);

		for (i = 0; i < n; i++) {
			if (items[i] == child) {
				snprintf(buf, size, "[%zd]", i);
				return;
			}
		}
	} else if (PyModule_Check(parent)) {
		if (PyModule_GetDict(parent) == child) {
			snprintf(buf, size, ".__dict__");
			return;
		}
	} else if (PyFunction_Check(parent)) {
		PyFunctionObject *f = (PyFunctionObject *)parent;
		static const char *const names[] = { ".__globals__", ".__code__",
		    ".__defaults__", ".__kwdefaults__", ".__closure__", ".__dict__",
		    ".__module__", ".__name__", ".__qualname__", ".__doc__" };
		PyObject *fields[] = { f->func_globals, f->func_code,
		    f->func_defaults, f->func_kwdefaults, f->func_closure,
		    f->func_dict, f->func_module, f->func_name, f->func_qualname,
		    f->func_doc };
		size_t i;

		for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
			if (fields[i] == child) {
				snprintf(buf, size, "%s", names[i]);
				return;
			}
		}
	} else if (PyMethod_Check(parent)) {
		snprintf(buf, size, "%s", PyMethod_GET_FUNCTION(parent) == child ?
		    ".__func__" : ".__self__");
		return;
	} else if (PyCFunction_Check(parent)) {
		if (PyCFunction_GET_SELF(parent) == child) {
			snprintf(buf, size, ".__self__");
			return;
		}
	} else if (PyCell_Check(parent)) {
		snprintf(buf, size, ".cell_contents");
		return;
	} else if (PyType_Check(parent)) {
		PyTypeObject *t = (PyTypeObject *)parent;

		if (t->tp_dict == child) {
			snprintf(buf, size, ".__dict__");
			return;
		}
		if (t->tp_mro == child || t->tp_bases == child ||
		    (PyObject *)t->tp_base == child) {
			snprintf(buf, size, "%s", t->tp_mro == child ? ".__mro__" :
			    t->tp_bases == child ? ".__bases__" : ".__base__");
			return;
		}
	}
	if (Py_TYPE(parent)->tp_dictoffset > 0) {
		PyObject **dp = (PyObject **)((char *)parent +
		    Py_TYPE(parent)->tp_dictoffset);

		if (*dp == child) {
			snprintf(buf, size, ".__dict__");
			return;
		}
	}
	if ((PyObject *)Py_TYPE(parent) == child) {
		snprintf(buf, size, ".__class__");
		return;
	}
	snprintf(buf, size, " -> <%s>", Py_TYPE(child)->tp_name);
}

/* The shortest path of walk w to o, from its roots (pooled): its
 * parent's path, spelled once and kept, and one more edge. */
static const char *
path_of(struct auditor *a, struct walk *w, uintptr_t o, size_t depth)
{
	uintptr_t link, parent, kept;
	const char *before;
	char label[512], *text;
	const char *out;

	if (addrmap_get(&w->paths, o, &kept))
		return (const char *)kept;
	if (!addrmap_get(&w->parent, o, &link))
		return NULL;
	parent = LINK_ADDR(link);
	if (parent < ROOTS_MAX)
		out = parent < w->nroots ? strpool_intern(a->pool,
		    w->roots[parent].label, strlen(w->roots[parent].label)) : NULL;
	else if (depth >= PATH_MAX_DEPTH)
		out = "(too deep to spell)";
	else {
		before = path_of(a, w, parent, depth + 1);
		if (before == NULL)
			return NULL;
		edge_label(a, (PyObject *)parent, (PyObject *)o, label,
		    sizeof label);
		if (asprintf(&text, "%s%s", before, label) < 0)
			return NULL;
		out = strpool_intern(a->pool, text, strlen(text));
		free(text);
	}
	if (out != NULL)
		addrmap_put(&w->paths, o, (uintptr_t)out);
	return out;
}

/* -------------------------------------------------------------- report */

static bool
is_immortal(PyObject *o)
{
#if PY_VERSION_HEX >= 0x030C0000
	return _Py_IsImmortal(o);
#else
	(void)o;
	return false;
#endif
}

static const char *
pooled(struct strpool *pool, const char *s)
{
	return s != NULL ? strpool_intern(pool, s, strlen(s)) : NULL;
}

/* The report of one object the walks reached (mask: which). */
static int
describe(struct auditor *a, struct audit *out, uintptr_t addr, uintptr_t mask,
    const char *classification)
{
	PyObject *o = (PyObject *)addr;
	struct audit_object *ob;
	const char *how = NULL;
	bool gone = false, instance;
	char text[PREVIEW_MAX];
	size_t k;
	void *v;

	v = realloc(out->objects, (out->nobjects + 1) * sizeof *out->objects);
	if (v == NULL)
		return -1;
	out->objects = v;
	ob = &out->objects[out->nobjects++];
	memset(ob, 0, sizeof *ob);
	ob->addr = addr;
	ob->type = pooled(a->pool, Py_TYPE(o)->tp_name);
	if (PyType_Check(o))
		ob->preview = pooled(a->pool, ((PyTypeObject *)o)->tp_name);
	else
		ob->preview = preview_value(o, text) ? pooled(a->pool, text) : NULL;
	ob->classification = classification;
	ob->owner = owner_of(a, o, &how, &gone, &instance);
	ob->owner_how = ob->owner != INTERP_NONE ? pooled(a->pool, how) : NULL;
	if (gone)
		ob->flags |= AUDIT_OWNER_DESTROYED;
	ob->reachable_from = calloc(a->nwalks + 1, sizeof *ob->reachable_from);
	ob->paths = calloc(a->nwalks + 1, sizeof *ob->paths);
	if (ob->reachable_from == NULL || ob->paths == NULL)
		return -1;
	for (k = 0; k < a->nwalks; k++) {
		struct walk *w = &a->walks[k];

		if ((mask & ((uintptr_t)1 << k)) == 0)
			continue;
		if (w->it == NULL) {
			ob->flags |= AUDIT_STATIC_ROOT;
			continue;
		}
		ob->reachable_from[ob->nreachable++] = w->interp;
		if (ob->owner != INTERP_NONE && w->interp != ob->owner && !gone) {
			if (PyFunction_Check(o) || PyMethod_Check(o))
				ob->flags |= AUDIT_FOREIGN_GLOBALS;
			else if (instance)
				ob->flags |= AUDIT_FOREIGN_TYPE;
		}
	}
	return 0;
}

/* Spell each walk's path to a described object. */
static void
spell_paths(struct auditor *a, struct audit_object *ob)
{
	uintptr_t mask = 0;
	size_t k, n = 0;

	addrmap_get(&a->seen, ob->addr, &mask);
	for (k = 0; k < a->nwalks; k++) {
		struct walk *w = &a->walks[k];
		const char *path;

		if ((mask & ((uintptr_t)1 << k)) == 0)
			continue;
		path = path_of(a, w, ob->addr, 0);
		if (w->it == NULL) {
			ob->static_root = path != NULL ? path : "?";
			continue;
		}
		ob->paths[n].interp = w->interp;
		ob->paths[n++].path = path != NULL ? path : "?";
	}
	ob->npaths = n;
}

static int
object_compare(const void *x, const void *y)
{
	const struct audit_object *a = x, *b = y;
	int c = strcmp(a->type, b->type);

	if (c != 0)
		return c;
	return (a->addr > b->addr) - (a->addr < b->addr);
}

/* Shared by design: in a file's data, immortal (3.12+), or an interned
 * string (3.11 keeps one table of them for every interpreter). */
static bool
harmless(struct auditor *a, PyObject *o)
{
	return segments_find(&a->segs, (uintptr_t)o) != NULL || is_immortal(o) ||
	    (PyUnicode_CheckExact(o) && PyUnicode_CHECK_INTERNED(o));
}

/* The walk index of the lowest bit set. */
static size_t
only_walk(uintptr_t bits)
{
	return (size_t)__builtin_ctzll(bits);
}

/* Whether an object one interpreter reaches is another's (or a destroyed
 * one's): functions, methods, classes and instances of classes, the kinds
 * whose owner can be told. */
static bool
crossing(struct auditor *a, PyObject *o, uintptr_t bits)
{
	interp_id reacher = a->walks[only_walk(bits)].interp, id;
	const char *how;
	bool gone, instance;

	if (!PyFunction_Check(o) && !PyMethod_Check(o) && !PyType_Check(o) &&
	    (Py_TYPE(o)->tp_flags & Py_TPFLAGS_HEAPTYPE) == 0)
		return false;
	id = owner_of(a, o, &how, &gone, &instance);
	return id != INTERP_NONE && (gone || id != reacher);
}

/* Bits of the walks that are interpreters (not the statics'). */
static uintptr_t
interp_bits(const struct auditor *a)
{
	uintptr_t bits = 0;
	size_t k;

	for (k = 0; k < a->nwalks; k++) {
		if (a->walks[k].it != NULL)
			bits |= (uintptr_t)1 << k;
	}
	return bits;
}

/* The report of one object asked about, whatever it is. */
static int
report_target(struct auditor *a, struct audit *out, uintptr_t target)
{
	uintptr_t bits = interp_bits(a), mask = 0;
	PyObject *o = (PyObject *)target;
	int count;

	addrmap_get(&a->seen, target, &mask);
	count = __builtin_popcountll(mask & bits);
	if (mask == 0 && !a->trusted) {
		/* asked about by a C static's word no walk met: perhaps not an
		 * object at all, so nothing of it is read */
		struct audit_object *ob;
		void *v = realloc(out->objects, (out->nobjects + 1) *
		    sizeof *out->objects);

		if (v == NULL)
			return -1;
		out->objects = v;
		ob = &out->objects[out->nobjects++];
		memset(ob, 0, sizeof *ob);
		ob->addr = target;
		ob->type = "?";
		ob->owner = INTERP_NONE;
		ob->classification = "unreachable";
		ob->reachable_from = calloc(1, sizeof *ob->reachable_from);
		ob->paths = calloc(1, sizeof *ob->paths);
		return ob->reachable_from != NULL && ob->paths != NULL ? 0 : -1;
	}
	return describe(a, out, target, mask,
	    segments_find(&a->segs, target) != NULL ? "static" :
	    is_immortal(o) ? "immortal" : count >= 2 ? "shared" :
	    count == 1 && crossing(a, o, mask & bits) ? "foreign" :
	    count == 1 ? "distinct" : "unreachable");
}

/* Edges from walk k's roots to o; SIZE_MAX when k does not reach it. */
static size_t
depth(const struct walk *w, uintptr_t o)
{
	uintptr_t link;

	return addrmap_get(&w->parent, o, &link) ? LINK_DEPTH(link) : SIZE_MAX;
}

/* An object's home: the interpreters that reach it most directly (a tie
 * for an object truly shared, one for an object of one interpreter's
 * that others reach the long way). A bit mask of walks. */
static uintptr_t
home(struct auditor *a, uintptr_t o)
{
	uintptr_t mask = 0, best = 0;
	size_t k, min = SIZE_MAX;

	if (addrmap_get(&a->homes, o, &best))
		return best;
	addrmap_get(&a->seen, o, &mask);
	for (k = 0; k < a->nwalks; k++) {
		size_t d;

		if (a->walks[k].it == NULL || (mask & ((uintptr_t)1 << k)) == 0)
			continue;
		d = depth(&a->walks[k], o);
		if (d < min) {
			min = d;
			best = (uintptr_t)1 << k;
		} else if (d == min)
			best |= (uintptr_t)1 << k;
	}
	addrmap_put(&a->homes, o, best); /* a cache: a failure only costs */
	return best;
}

/* Mark where crossing starts: on interpreter k's path, the first object
 * that is not k's alone, reached from one that is. Everything else the
 * audit reports is reached through those, and says little more: once one
 * shared object holds another interpreter's objects, all of that
 * interpreter becomes reachable. */
static void
mark_entries(struct auditor *a, struct audit *out)
{
	size_t i, k;

	for (i = 0; i < out->nobjects; i++) {
		struct audit_object *o = &out->objects[i];
		uintptr_t own = home(a, o->addr);

		for (k = 0; k < a->nwalks && !(o->flags & AUDIT_ENTRY); k++) {
			uintptr_t parent, bit = (uintptr_t)1 << k;

			if (a->walks[k].it == NULL || own == bit ||
			    !addrmap_get(&a->walks[k].parent, o->addr, &parent))
				continue;
			parent = LINK_ADDR(parent);
			if (parent < ROOTS_MAX || home(a, parent) == bit)
				o->flags |= AUDIT_ENTRY;
		}
	}
}

static int
report(struct auditor *a, struct audit *out, const uintptr_t *targets,
    size_t ntargets)
{
	uintptr_t bits = interp_bits(a), mask;
	size_t i;

	if (ntargets > 0) {
		for (i = 0; i < ntargets; i++) {
			if (report_target(a, out, targets[i]) != 0)
				return -1;
			spell_paths(a, &out->objects[out->nobjects - 1]);
		}
		return 0;
	}
	for (i = 0; i < a->seen.cap; i++) {
		uintptr_t addr = a->seen.keys[i];
		PyObject *o = (PyObject *)addr;

		mask = a->seen.vals[i];
		if (addr == 0)
			continue;
		if (__builtin_popcountll(mask & bits) < 2) {
			/* one interpreter reaches it: report it only when it is
			 * another's, which can only be when its owner is gone or
			 * was not walked (a live owner's walk reaches its own) */
			if (!a->partial && destroyed.n == 0)
				continue;
			if ((mask & bits) != 0 && crossing(a, o, mask & bits) &&
			    describe(a, out, addr, mask, "foreign") != 0)
				return -1;
			continue;
		}
		if (harmless(a, o)) {
			out->harmless++;
			continue;
		}
		if (describe(a, out, addr, mask, "shared") != 0)
			return -1;
	}
	mark_entries(a, out);
	for (i = 0; i < out->nobjects; i++) {
		struct audit_object *ob = &out->objects[i];

		if (a->every_path || (ob->flags & (AUDIT_ENTRY |
		    AUDIT_OWNER_DESTROYED | AUDIT_FOREIGN_GLOBALS |
		    AUDIT_FOREIGN_TYPE)) != 0)
			spell_paths(a, ob);
	}
	if (out->nobjects > 1)
		qsort(out->objects, out->nobjects, sizeof *out->objects,
		    object_compare);
	return 0;
}

/* ---------------------------------------------------------------- run */

static void
auditor_free(struct auditor *a)
{
	size_t k;

	for (k = 0; k < a->nwalks; k++) {
		addrmap_free(&a->walks[k].parent);
		addrmap_free(&a->walks[k].paths);
	}
	addrmap_free(&a->indexed);
	addrmap_free(&a->homes);
	addrmap_free(&a->edge_of);
	free(a->edges);
	free(a->qdepth);
	free(a->walks);
	addrmap_free(&a->seen);
	addrmap_free(&a->owners);
	addrmap_free(&a->modules);
	addrmap_free(&a->classes);
	segments_free(&a->segs);
	free(a->queue);
}

/* Release the roots, each under its own interpreter's GIL. */
static void
roots_release_all(struct auditor *a)
{
	size_t k;

	for (k = 0; k < a->nwalks; k++) {
		struct walk *w = &a->walks[k];

		if (w->it != NULL)
			interp_enter(w->it);
		roots_release(w);
		if (w->it != NULL)
			interp_leave(w->it);
	}
}

/* The sizes of the last audit's maps: all its objects, its largest walk. */
static size_t last_seen, last_walk;

static int
audit_run(const char *const *modules, size_t nmod, const interp_id *ids,
    size_t n, bool every_path, bool trusted, const uintptr_t *targets,
    size_t ntargets, struct audit **out, char **cause)
{
	struct auditor a;
	struct audit *res;
	struct world *world;
	struct interp *it;
	size_t i, count = 0;
	int rc = 0;

	memset(&a, 0, sizeof a);
	res = calloc(1, sizeof *res);
	if (res == NULL || (res->pool = strpool_new()) == NULL) {
		free(res);
		cause_set(cause, "out of memory");
		return -1;
	}
	a.pool = res->pool;
	a.every_path = every_path;
	a.trusted = trusted;
	a.scoped = nmod > 0;
	for (i = 0; i < n; i++) {
		if (interp_by_id(ids[i]) == NULL) {
			cause_set(cause, "no interpreter with id %lld",
			    (long long)ids[i]);
			audit_free(res);
			return -1;
		}
	}
	for (it = interp_first(); it != NULL; it = it->next)
		count++;
	a.walks = calloc(count + 2, sizeof *a.walks);
	if (a.walks == NULL || segments_load(&a.segs, a.pool) != 0) {
		cause_set(cause, "out of memory");
		rc = -1;
		goto out;
	}
	for (it = interp_first(); it != NULL && rc == 0; it = it->next) {
		struct walk *w;

		for (i = 0; i < n && ids[i] != it->id; i++)
			;
		if (n > 0 && i == n) {
			a.partial = true;
			continue;
		}
		if (a.nwalks >= AUDIT_MAX_WALKS - 1) {
			a.partial = true;
			res->note = pooled(a.pool, "more interpreters than one audit "
			    "walks (63): the rest were left out");
			break;
		}
		w = &a.walks[a.nwalks++];
		w->interp = it->id;
		w->it = it;
		addrmap_init(&w->parent);
		interp_enter(it);
		rc = roots_of(&a, w, modules, nmod);
		interp_leave(it);
	}
	if (rc == 0) {
		struct walk *w = &a.walks[a.nwalks++];

		w->interp = INTERP_NONE;
		addrmap_init(&w->parent);
		rc = roots_of_statics(&a, w, cause);
	}
	if (rc != 0) {
		if (cause != NULL && *cause == NULL)
			cause_set(cause, "out of memory");
		goto out;
	}

	world = world_stop();
	if (world == NULL) {
		cause_set(cause, "out of memory");
		rc = -1;
		goto out;
	}
	a.started = monotonic_seconds();
	a.interrupts = interrupt_requests_before();
	/* about as many objects as the last audit met: the maps are made
	 * that big at once (growing them was a sixth of a TUI refresh) */
	if (addrmap_reserve(&a.seen, last_seen) != 0)
		a.failed = true;
	for (i = 0; i < a.nwalks && !a.failed; i++) {
		struct walk *w = &a.walks[i];

		if (addrmap_reserve(&w->parent, last_walk) != 0) {
			a.failed = true;
			break;
		}

		if (w->it != NULL && !world_stopped(world, w->interp)) {
			w->skipped = true;
			a.partial = true;
			continue;
		}
		if (w->it == NULL) {
			/* A word in a C static that looks like an object may not
			 * be one (the probe reads headers, not intentions): the
			 * walk starts only from those an interpreter's walk met,
			 * which are objects for sure. (The statics' walk comes
			 * last.) Traversing a false one would follow garbage. */
			size_t r;

			for (r = 0; r < w->nroots; r++) {
				if (!addrmap_get(&a.seen, (uintptr_t)w->roots[r].obj,
				    NULL))
					w->roots[r].obj = NULL;
			}
		}
		walk_run(&a, (int)i);
	}
	last_seen = a.seen.n;
	for (i = last_walk = 0; i < a.nwalks; i++) {
		if (a.walks[i].parent.n > last_walk)
			last_walk = a.walks[i].parent.n;
	}
	res->visited = a.visited;
	res->budget_reached = a.over;
	if (!a.failed && !a.interrupted &&
	    report(&a, res, targets, ntargets) != 0)
		a.failed = true;
	res->seconds = monotonic_seconds() - a.started;
	if (world_note(world) != NULL && res->note == NULL)
		res->note = pooled(a.pool, world_note(world));
	world_resume(world);
	if (a.failed) {
		cause_set(cause, "out of memory walking the objects");
		rc = -1;
	} else if (a.interrupted) {
		cause_set(cause, "interrupted");
		rc = -1;
	}
out:
	roots_release_all(&a);
	auditor_free(&a);
	if (rc != 0) {
		audit_free(res);
		return -1;
	}
	*out = res;
	return 0;
}

int
audit_collect(const char *const *modules, size_t nmod, const interp_id *ids,
    size_t n, bool every_path, struct audit **out, char **cause)
{
	return audit_run(modules, nmod, ids, n, every_path, false, NULL, 0, out,
	    cause);
}

int
audit_objects(const uintptr_t *addrs, size_t n, struct audit **out,
    char **cause)
{
	return audit_run(NULL, 0, NULL, 0, false, false, addrs, n, out, cause);
}

int
audit_why(struct interp *it, const char *expr, struct audit **out,
    char **cause)
{
	PyObject *main_mod, *globals, *code, *value = NULL;
	int rc;

	interp_enter(it);
	main_mod = PyImport_AddModule("__main__"); /* borrowed */
	globals = main_mod != NULL ? PyModule_GetDict(main_mod) : NULL;
	code = globals != NULL ? Py_CompileString(expr, "<why>", Py_eval_input) :
	    NULL;
	if (code != NULL)
		value = PyEval_EvalCode(code, globals, globals);
	Py_XDECREF(code);
	if (value == NULL) {
		PyObject *type, *val, *tb, *text = NULL;
		const char *msg = NULL;

		PyErr_Fetch(&type, &val, &tb);
		PyErr_NormalizeException(&type, &val, &tb);
		if (val != NULL)
			text = PyObject_Str(val);
		if (text != NULL)
			msg = PyUnicode_AsUTF8(text);
		cause_set(cause, "%s: %s", type != NULL ?
		    ((PyTypeObject *)type)->tp_name : "error",
		    msg != NULL ? msg : "(no message)");
		PyErr_Clear();
		Py_XDECREF(text);
		Py_XDECREF(type);
		Py_XDECREF(val);
		Py_XDECREF(tb);
		interp_leave(it);
		return -1;
	}
	interp_leave(it);
	{
		uintptr_t target = (uintptr_t)value;

		rc = audit_run(NULL, 0, NULL, 0, false, true, &target, 1, out,
		    cause);
	}
	interp_enter(it);
	Py_DECREF(value);
	interp_leave(it);
	return rc;
}
