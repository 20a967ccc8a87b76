/*
 * snapshot-collect.c: reading every interpreter's sys.modules into plain
 * records (the only part of the snapshot that touches CPython).
 *
 * Each interpreter is entered in turn and only its own objects are read
 * while its GIL is held: addresses, type names and facts about a module's
 * PyModuleDef are copied out as plain data, and nothing read in one
 * interpreter is dereferenced in another. sys.modules is copied before the
 * walk because looking at a module may import something.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "interp.h"
#include "session-impl.h"
#include "snapshot-collect.h"

/* The basename of the loaded file whose mapping holds addr, or NULL: a
 * static type in an extension, a small int in libpython. Heap memory
 * (malloc and obmalloc arenas) belongs to no file. */
static char *
static_file(const void *addr)
{
	Dl_info info;
	const char *slash;

	if (dladdr(addr, &info) == 0 || info.dli_fname == NULL ||
	    info.dli_fname[0] == '\0')
		return NULL;
	slash = strrchr(info.dli_fname, '/');
	return strdup(slash != NULL ? slash + 1 : info.dli_fname);
}

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

static char *
str_or_null(PyObject *o)
{
	const char *s;

	if (o == NULL || !PyUnicode_Check(o))
		return NULL;
	s = PyUnicode_AsUTF8(o);
	if (s == NULL) {
		PyErr_Clear();
		return NULL;
	}
	return strdup(s);
}

/* Whether the module was loaded by importlib's ExtensionFileLoader. */
static bool
extension_loaded(PyObject *dict)
{
	PyObject *loader = PyDict_GetItemString(dict, "__loader__"); /* borrowed */

	return loader != NULL &&
	    strcmp(Py_TYPE(loader)->tp_name, "ExtensionFileLoader") == 0;
}

/* ModuleSpec.origin as text ("built-in", "frozen", a path), or NULL. */
static char *
spec_origin(PyObject *dict)
{
	PyObject *spec = PyDict_GetItemString(dict, "__spec__"); /* borrowed */
	PyObject *origin;
	char *s;

	if (spec == NULL || spec == Py_None)
		return NULL;
	origin = PyObject_GetAttrString(spec, "origin");
	if (origin == NULL) {
		PyErr_Clear();
		return NULL;
	}
	s = str_or_null(origin);
	Py_DECREF(origin);
	return s;
}

static void
def_slots(PyModuleDef *def, struct snap_module *m)
{
	PyModuleDef_Slot *slot;

	m->multi_interp = -1;
	m->gil = -1;
	for (slot = def->m_slots; slot != NULL && slot->slot != 0; slot++) {
#ifdef Py_mod_multiple_interpreters
		if (slot->slot == Py_mod_multiple_interpreters)
			m->multi_interp = (int)(intptr_t)slot->value;
#endif
#ifdef Py_mod_gil
		if (slot->slot == Py_mod_gil)
			m->gil = (int)(intptr_t)slot->value;
#endif
	}
}

void
snapshot_describe(PyObject *mod, struct snap_module *m, struct snap_instance *in)
{
	PyObject *dict = PyModule_GetDict(mod); /* borrowed */
	PyModuleDef *def = PyModule_GetDef(mod);
	char *origin = spec_origin(dict);

	PyErr_Clear();
	in->module = (uintptr_t)mod;
	in->dict = (uintptr_t)dict;
	in->m_copy_size = -1;
	m->multi_interp = m->gil = -1;
	m->file = str_or_null(PyDict_GetItemString(dict, "__file__"));
	if (def == NULL) {
		/* A single-phase module filled from m_copy in another
		 * interpreter is a bare module object: CPython copies the dict
		 * but does not record the def (3.11, 3.12). */
		if (extension_loaded(dict)) {
			m->kind = KIND_SINGLE;
			in->copied = true;
		} else if (origin != NULL && strcmp(origin, "frozen") == 0)
			m->kind = KIND_FROZEN;
		else if (m->file == NULL &&
		    PyDict_GetItemString(dict, "__path__") != NULL)
			m->kind = KIND_NAMESPACE;
		else
			m->kind = KIND_PYTHON;
	} else {
		bool builtin = m->file == NULL ||
		    (origin != NULL && strcmp(origin, "built-in") == 0);

		m->has_def = true;
		m->m_size = (long)def->m_size;
		if (def->m_slots != NULL) {
			m->kind = builtin ? KIND_BUILTIN_MULTI : KIND_MULTI;
			def_slots(def, m);
		} else
			m->kind = builtin ? KIND_BUILTIN_SINGLE : KIND_SINGLE;
		in->def = (uintptr_t)def;
		if (def->m_base.m_copy != NULL) {
			in->m_copy = (uintptr_t)def->m_base.m_copy;
			if (PyDict_Check(def->m_base.m_copy))
				in->m_copy_size = (long)PyDict_GET_SIZE(def->m_base.m_copy);
		}
	}
	free(origin);
}

static int
collect_attrs(PyObject *mod, struct snap_module *m)
{
	PyObject *dict = PyModule_GetDict(mod), *items;
	Py_ssize_t i, n;

	items = PyDict_Items(dict);
	if (items == NULL)
		return -1;
	n = PyList_GET_SIZE(items);
	m->attrs = calloc(n > 0 ? (size_t)n : 1, sizeof *m->attrs);
	if (m->attrs == NULL) {
		Py_DECREF(items);
		return -1;
	}
	for (i = 0; i < n; i++) {
		PyObject *pair = PyList_GET_ITEM(items, i);
		PyObject *key = PyTuple_GET_ITEM(pair, 0);
		PyObject *value = PyTuple_GET_ITEM(pair, 1);
		struct snap_attr *a;
		char *name = str_or_null(key);

		if (name == NULL)
			continue; /* non-string keys cannot be attributes */
		a = &m->attrs[m->nattrs++];
		a->name = name;
		a->type = strdup(Py_TYPE(value)->tp_name);
		a->owner = INTERP_NONE;
		a->objects = calloc(1, sizeof *a->objects);
		a->nobjects = 1;
		a->objects[0].addr = (uintptr_t)value;
		a->objects[0].immortal = is_immortal(value);
		a->objects[0].static_in = static_file(value);
		if (PyCFunction_Check(value))
			a->objects[0].self = (uintptr_t)PyCFunction_GET_SELF(value);
	}
	Py_DECREF(items);
	return 0;
}

static bool
name_wanted(const struct snap_filter *f, const char *name)
{
	size_t i;

	if (f->nnames == 0)
		return true;
	for (i = 0; i < f->nnames; i++) {
		if (strcmp(f->names[i], name) == 0)
			return true;
	}
	return false;
}

/* Append the modules of the entered interpreter to *parts. */
static int
collect_interp(struct interp *it, const struct snap_filter *f,
    struct snap_module **parts, size_t *n, size_t *cap)
{
	PyObject *modules = PySys_GetObject("modules"), *items;
	Py_ssize_t i, count;

	if (modules == NULL || !PyDict_Check(modules))
		return 0;
	items = PyDict_Items(modules);
	if (items == NULL) {
		PyErr_Clear();
		return -1;
	}
	count = PyList_GET_SIZE(items);
	for (i = 0; i < count; i++) {
		PyObject *pair = PyList_GET_ITEM(items, i);
		PyObject *mod = PyTuple_GET_ITEM(pair, 1);
		struct snap_module *m;
		char *name = str_or_null(PyTuple_GET_ITEM(pair, 0));

		if (name == NULL || !name_wanted(f, name)) {
			free(name);
			continue;
		}
		if (*n == *cap) {
			size_t ncap = *cap == 0 ? 64 : *cap * 2;
			struct snap_module *np = realloc(*parts, ncap * sizeof *np);

			if (np == NULL) {
				free(name);
				Py_DECREF(items);
				return -1;
			}
			*parts = np;
			*cap = ncap;
		}
		m = &(*parts)[(*n)++];
		memset(m, 0, sizeof *m);
		m->name = name;
		m->instances = calloc(1, sizeof *m->instances);
		m->ninstances = 1;
		m->instances[0].interp = it->id;
		m->instances[0].m_copy_size = -1;
		m->multi_interp = m->gil = -1;
		if (!PyModule_Check(mod)) {
			m->kind = KIND_OTHER;
			m->instances[0].module = (uintptr_t)mod;
			continue;
		}
		snapshot_describe(mod, m, &m->instances[0]);
		if (f->with_attrs && (!f->shared_extensions || f->nnames > 0 ||
		    m->kind == KIND_SINGLE || m->kind == KIND_MULTI) &&
		    collect_attrs(mod, m) != 0)
			PyErr_Clear();
	}
	Py_DECREF(items);
	return 0;
}

int
snapshot_collect(const struct snap_filter *filter, struct snapshot **out,
    char **cause)
{
	struct snap_module *parts = NULL;
	size_t n = 0, cap = 0;
	struct interp *it;
	struct snapshot *snap;

	for (it = interp_first(); it != NULL; it = it->next) {
		int rc;

		if (filter->only != INTERP_NONE && it->id != filter->only)
			continue;
		interp_enter(it);
		rc = collect_interp(it, filter, &parts, &n, &cap);
		interp_leave(it);
		if (rc != 0) {
			cause_set(cause, "out of memory while reading interpreter %lld",
			    (long long)it->id);
			snap = snapshot_merge(parts, n);
			snapshot_free(snap);
			return -1;
		}
	}
	snap = snapshot_merge(parts, n);
	if (snap == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	snapshot_filter(snap, filter);
	*out = snap;
	return 0;
}
