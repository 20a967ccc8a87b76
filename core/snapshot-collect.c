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

#include <limits.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "interp.h"
#include "preview.h"
#include "segments.h"
#include "session-impl.h"
#include "snapshot-collect.h"
#include "snapshot-kept.h"
#include "strpool.h"

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

/* Per-collection context: pool, segment table, and the parts so far. */
struct collector {
	struct strpool *pool;
	struct segments segs;
	struct snap_part *parts;
	size_t n, cap;
};

static const char *
pooled_str(struct collector *c, PyObject *o)
{
	Py_ssize_t len;
	const char *s;

	if (!PyUnicode_Check(o))
		return NULL;
	s = PyUnicode_AsUTF8AndSize(o, &len);
	if (s == NULL) {
		PyErr_Clear();
		return NULL;
	}
	return strpool_intern(c->pool, s, (size_t)len);
}

/* The values of a module's __dict__. Nothing here runs Python code (no
 * attribute lookups, no comparisons, no repr: previews are read from C
 * structures), so the dict is walked in place. */
static int
collect_values(struct collector *c, PyObject *mod, struct snap_part *p)
{
	PyObject *dict = PyModule_GetDict(mod), *key, *value;
	Py_ssize_t pos = 0, n = PyDict_GET_SIZE(dict);
	size_t k = 0;

	p->values = malloc((n > 0 ? (size_t)n : 1) * sizeof *p->values);
	if (p->values == NULL)
		return -1;
	while (PyDict_Next(dict, &pos, &key, &value) && k < (size_t)n) {
		struct snap_value *v = &p->values[k];
		const char *tname = Py_TYPE(value)->tp_name;
		char text[PREVIEW_MAX];

		v->name = pooled_str(c, key);
		if (v->name == NULL)
			continue; /* non-string keys cannot be attributes */
		v->type = strpool_intern(c->pool, tname, strlen(tname));
		v->object.interp = p->module.instances[0].interp;
		v->object.addr = (uintptr_t)value;
		v->object.immortal = is_immortal(value);
		v->object.static_in = segments_file(&c->segs, value);
		v->object.self = PyCFunction_Check(value) ?
		    (uintptr_t)PyCFunction_GET_SELF(value) : 0;
		v->object.self_module = v->object.self != 0 &&
		    PyModule_Check(PyCFunction_GET_SELF(value));
		v->object.preview = preview_value(value, text) ?
		    strpool_intern(c->pool, text, strlen(text)) : NULL;
		k++;
	}
	p->nvalues = k;
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

/* Append the modules of the entered interpreter to c->parts. */
static int
collect_interp(struct interp *it, const struct snap_filter *f,
    struct collector *c)
{
	struct kept_module *list;
	size_t i, count;
	int rc = 0;

	/* sys.modules as the last snapshot read it, if it has not changed
	 * (snapshot-kept.h) */
	if (kept_modules(it, &list, &count) != 0) {
		PyErr_Clear();
		return -1;
	}
	for (i = 0; i < count; i++) {
		PyObject *mod = list[i].mod;
		struct snap_module *m;
		struct snap_part *p;
		const char *name;

		if (!name_wanted(f, list[i].name))
			continue;
		name = strpool_intern(c->pool, list[i].name,
		    strlen(list[i].name));
		if (name == NULL) {
			rc = -1;
			break;
		}
		if (c->n == c->cap) {
			size_t ncap = c->cap == 0 ? 64 : c->cap * 2;
			struct snap_part *np = realloc(c->parts, ncap * sizeof *np);

			if (np == NULL) {
				rc = -1;
				break;
			}
			c->parts = np;
			c->cap = ncap;
		}
		p = &c->parts[c->n++];
		memset(p, 0, sizeof *p);
		p->name = name;
		m = &p->module;
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
		snapshot_describe_kept(mod, it->id, m, &m->instances[0]);
		if (f->with_attrs && (!f->shared_extensions || f->nnames > 0 ||
		    m->kind == KIND_SINGLE || m->kind == KIND_MULTI) &&
		    collect_values(c, mod, p) != 0)
			PyErr_Clear();
	}
	kept_modules_done(list, count);
	return rc;
}

int
snapshot_collect(const struct snap_filter *filter, struct snapshot **out,
    char **cause)
{
	struct collector c = { 0 };
	struct interp *it;
	struct snapshot *snap;

	c.pool = strpool_new();
	if (c.pool == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	segments_load(&c.segs, c.pool);
	for (it = interp_first(); it != NULL; it = it->next) {
		int rc;

		if (filter->only != INTERP_NONE && it->id != filter->only)
			continue;
		interp_enter(it);
		rc = collect_interp(it, filter, &c);
		interp_leave(it);
		if (rc != 0) {
			cause_set(cause, "out of memory while reading interpreter %lld",
			    (long long)it->id);
			segments_free(&c.segs);
			snapshot_free(snapshot_merge(c.parts, c.n, c.pool));
			return -1;
		}
	}
	segments_free(&c.segs);
	snap = snapshot_merge(c.parts, c.n, c.pool);
	if (snap == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	snapshot_filter(snap, filter);
	*out = snap;
	return 0;
}
