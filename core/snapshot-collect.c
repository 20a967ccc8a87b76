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
#include "scratch.h"
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

/* Whether the module's __loader__ (borrowed, or NULL) is an instance of
 * the class named so (ExtensionFileLoader), or that class itself (the
 * importers of built-in and frozen modules are classes). */
static bool
loader_is(PyObject *loader, const char *name, bool is_class)
{
	if (loader == NULL)
		return false;
	if (is_class)
		return PyType_Check(loader) &&
		    strcmp(((PyTypeObject *)loader)->tp_name, name) == 0;
	return strcmp(Py_TYPE(loader)->tp_name, name) == 0;
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

/* Whether FrozenImporter loaded the module. It sets __loader__ to itself
 * with the spec whose origin says "frozen" (3.11 to 3.13 agree on every
 * module), so the spec is asked only without a __loader__: an attribute
 * lookup for each of thousands of modules was most of describing them (a
 * first %json of 33 interpreters: 7-9 ms of 10-13), and the specs are
 * read nowhere else. `origin` keeps what the spec said, for the caller to
 * free. */
static bool
frozen(PyObject *dict, PyObject *loader, char **origin)
{
	if (loader != NULL)
		return loader_is(loader, "FrozenImporter", true);
	*origin = spec_origin(dict);
	return *origin != NULL && strcmp(*origin, "frozen") == 0;
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
	PyObject *loader = PyDict_GetItemString(dict, "__loader__");
	char *origin = NULL;

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
		if (loader_is(loader, "ExtensionFileLoader", false)) {
			m->kind = KIND_SINGLE;
			in->copied = true;
		} else if (frozen(dict, loader, &origin))
			m->kind = KIND_FROZEN;
		else if (m->file == NULL &&
		    PyDict_GetItemString(dict, "__path__") != NULL)
			m->kind = KIND_NAMESPACE;
		else
			m->kind = KIND_PYTHON;
	} else {
		bool builtin = m->file == NULL ||
		    ((origin = spec_origin(dict)) != NULL &&
		    strcmp(origin, "built-in") == 0);

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

/* Whether a value's type, immortality or preview can change while the
 * dict holding it does not (snapshot-collect.h). */
bool
value_volatile(PyObject *value)
{
	PyTypeObject *t = Py_TYPE(value);

	/* the exact checks first: PyModule_Check of anything else asks
	 * PyType_IsSubtype */
	if (PyList_CheckExact(value) || PyDict_CheckExact(value) ||
	    PySet_CheckExact(value) || PyTuple_CheckExact(value) ||
	    (t->tp_flags & Py_TPFLAGS_HEAPTYPE) != 0)
		return true;
	if (PyUnicode_CheckExact(value)) {
#if PY_VERSION_HEX >= 0x030C0000
		/* a string interned later becomes immortal */
		return !is_immortal(value);
#else
		return false;
#endif
	}
	return PyModule_Check(value);
}

/* Room for n more (one realloc for a module's values, where doubling
 * from 8 was a fiftieth of a first snapshot). */
static int
volatiles_reserve(struct volatiles *vol, size_t n)
{
	PyObject **v;

	if (vol->cap - vol->n >= n)
		return 0;
	v = realloc(vol->v, (vol->n + n) * sizeof *v);
	if (v == NULL)
		return -1;
	vol->v = v;
	vol->cap = vol->n + n;
	return 0;
}

int
volatiles_add(struct volatiles *vol, PyObject *value)
{
	if (vol->n == vol->cap) {
		size_t cap = vol->cap == 0 ? 8 : vol->cap * 2;
		PyObject **v = realloc(vol->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		vol->v = v;
		vol->cap = cap;
	}
	vol->v[vol->n++] = value;
	return 0;
}

static uint64_t
mix(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#define DIGEST_SEED 14695981039346656037ULL

/* One value into a digest: its type, immortality and preview (NULL: it
 * has none). */
static uint64_t
digest_step(uint64_t h, PyObject *value, const char *preview)
{
	PyTypeObject *t = Py_TYPE(value);
	bool immortal = is_immortal(value);

	h = mix(h, &t, sizeof t);
	h = mix(h, &immortal, sizeof immortal);
	if (preview != NULL)
		h = mix(h, preview, strlen(preview));
	return h;
}

void
volatiles_clear(struct volatiles *vol)
{
	vol->n = 0;
	vol->digest = DIGEST_SEED;
}

/* Whether a volatile value's preview can change: a str's text cannot
 * (it is volatile for its immortality alone, which interning gives it),
 * so its preview is not read again at every step (3.12+: most strings of
 * a module are not interned, and their previews were most of a step's
 * look at the attributes). */
static bool
preview_can_change(PyObject *value)
{
	return !PyUnicode_CheckExact(value);
}

uint64_t
volatiles_digest(PyObject *const *v, size_t n)
{
	uint64_t h = DIGEST_SEED;
	size_t i;

	for (i = 0; i < n; i++) {
		char text[PREVIEW_MAX];

		/* the values lie all over the heap: ask ahead (see
		 * snapshot-remake.c) */
		if (i + 8 < n)
			__builtin_prefetch(v[i + 8]);
		h = digest_step(h, v[i], preview_can_change(v[i]) &&
		    preview_value(v[i], text) ? text : NULL);
	}
	return h;
}

/* Strings are pooled by their text, which costs a hash and a look into a
 * large table each; the pool is asked once per object instead: an
 * attribute name is one str object in every module and (3.11, legacy)
 * every interpreter that has it, a type name its type's, a preview its
 * value's when the value is one object in several interpreters (perf:
 * pooling was a sixth of reading every value). A hit is checked against
 * the text, so another object made where a freed one was (Python code can
 * run between modules), or a container whose contents changed, is pooled
 * afresh. */
#define SEEN_SLOTS 8192

static struct pooled_seen *
seen_slot(struct collector *c, const void *obj)
{
	uint64_t h = (uint64_t)(uintptr_t)obj >> 4;

	h *= 0x9e3779b97f4a7c15ULL;
	return &c->seen[h >> 51];  /* the top 13 bits: SEEN_SLOTS */
}

static const char *
pooled_seen(struct collector *c, const void *obj, const char *s, size_t len)
{
	struct pooled_seen *e = seen_slot(c, obj);
	const char *p;

	if (e->obj == obj && e->len == len && memcmp(e->str, s, len) == 0)
		return e->str;
	p = strpool_intern(c->pool, s, len);
	if (p != NULL)
		*e = (struct pooled_seen){ obj, p, len };
	return p;
}

/* The same attribute of the module's last part (the interpreter read
 * before this one) mostly has a preview and a type name of the same text,
 * though of other objects: the pool is not asked then (perf: pooling those
 * was a sixth of a first snapshot). */
static const char *
pooled_like(struct collector *c, const void *obj, const char *s, size_t len,
    const char *like)
{
	if (like != NULL && strpool_len(like) == len &&
	    memcmp(like, s, len) == 0)
		return like;
	return pooled_seen(c, obj, s, len);
}

static const char *
pooled_str(struct collector *c, PyObject *o, const char *like)
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
	return pooled_like(c, o, s, (size_t)len, like);
}

static const char *
pooled_type_name(struct collector *c, PyTypeObject *t, const char *like)
{
	/* alike: the hint's text, then the name's end (no strlen) */
	if (like != NULL) {
		size_t len = strpool_len(like);

		if (strncmp(like, t->tp_name, len) == 0 &&
		    t->tp_name[len] == '\0')
			return like;
	}
	return pooled_seen(c, t, t->tp_name, strlen(t->tp_name));
}

/* Whether t is PyCFunction_Type or a subtype, remembered by type for
 * the part being read (PyCFunction_Check asks PyType_IsSubtype of every
 * other value: a fiftieth of a first snapshot). Only while no Python code
 * runs is the type at an address sure to be the same one: the generation
 * changes with every part. */
#define FACT_SLOTS 256

static bool
is_cfunction(struct collector *c, PyTypeObject *t)
{
	uint64_t h = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ULL;
	struct type_fact *f = &c->facts[h >> 56]; /* the top 8 bits */

	if (f->type != t || f->generation != c->generation) {
		f->type = t;
		f->generation = c->generation;
		f->cfunction = t == &PyCFunction_Type ||
		    PyType_IsSubtype(t, &PyCFunction_Type);
	}
	return f->cfunction;
}

/* How far ahead of its turn a key and its value are asked for (their
 * type half as far: by then the value is there to say which it is). */
#define PAIRS_AHEAD 8

/* Room for n pairs of key and value, in the collector's scratch. */
static PyObject **
pairs_room(struct collector *c, size_t n)
{
	if (n > c->pairs_cap) {
		PyObject **v = realloc(c->pairs, 2 * n * sizeof *v);

		if (v == NULL)
			return NULL;
		c->pairs = v;
		c->pairs_cap = n;
	}
	return c->pairs;
}

/* Room for n values of a part: the collector's scratch, or the heap
 * for a module too large for it. */
static bool
part_values_room(struct collector *c, struct snap_part *p, size_t n)
{
	p->values = scratch_alloc(c->scratch, n * sizeof *p->values);
	p->values_borrowed = p->values != NULL;
	if (p->values == NULL)
		p->values = malloc(n * sizeof *p->values);
	return p->values != NULL;
}

static void
part_values_drop(struct snap_part *p)
{
	if (!p->values_borrowed)
		free(p->values);
	p->values = NULL;
	p->nvalues = 0;
	p->values_borrowed = false;
}

/* The values of a module's __dict__. Nothing here runs Python code (no
 * attribute lookups, no comparisons, no repr: previews are read from C
 * structures), so the dict is walked in place. `before` is the module's
 * part read last, in another interpreter (NULL: none). */
static int
collect_values(struct collector *c, PyObject *mod, struct snap_part *p,
    const struct snap_part *before, struct volatiles *vol)
{
	PyObject *dict = PyModule_GetDict(mod), *key, *value, **pairs;
	Py_ssize_t pos = 0, n = PyDict_GET_SIZE(dict);
	size_t k = 0, i, npairs = 0;

	c->generation++;  /* Python code may have run since the last part */
	if (vol != NULL && volatiles_reserve(vol, (size_t)n) != 0)
		return -1;

	if (!part_values_room(c, p, n > 0 ? (size_t)n : 1))
		return -1;
	pairs = pairs_room(c, n > 0 ? (size_t)n : 1);
	if (pairs == NULL) {
		part_values_drop(p);
		return -1;
	}
	/* The keys and values lie all over the heap, and each is a cache
	 * miss when first read (perf: most of reading a value was waiting
	 * for its key, it, and its type): the pairs are taken first, then
	 * each is asked for ahead of its turn. */
	while (PyDict_Next(dict, &pos, &key, &value) && npairs < (size_t)n) {
		pairs[2 * npairs] = key;
		pairs[2 * npairs + 1] = value;
		npairs++;
	}
	for (i = 0; i < npairs; i++) {
		struct snap_value *v = &p->values[k];
		const struct snap_value *like = NULL;
		char text[PREVIEW_MAX];

		if (i + PAIRS_AHEAD < npairs) {
			__builtin_prefetch(pairs[2 * (i + PAIRS_AHEAD)]);
			__builtin_prefetch(pairs[2 * (i + PAIRS_AHEAD) + 1]);
		}
		if (i + PAIRS_AHEAD / 2 < npairs) {
			PyObject *soon = pairs[2 * (i + PAIRS_AHEAD / 2) + 1];

			__builtin_prefetch(Py_TYPE(soon));
		}
		key = pairs[2 * i];
		value = pairs[2 * i + 1];

		/* dicts made by the same code keep the same order */
		if (before != NULL && k < before->nvalues)
			like = &before->values[k];
		v->name = pooled_str(c, key, like != NULL ? like->name : NULL);
		if (v->name == NULL)
			continue; /* non-string keys cannot be attributes */
		if (like != NULL && like->name != v->name)
			like = NULL;
		v->type = pooled_type_name(c, Py_TYPE(value),
		    like != NULL ? like->type : NULL);
		v->object.interp = p->module.instances[0].interp;
		v->object.addr = (uintptr_t)value;
		v->object.immortal = is_immortal(value);
		v->object.static_in = segments_file(&c->segs, value);
		v->object.self = is_cfunction(c, Py_TYPE(value)) ?
		    (uintptr_t)PyCFunction_GET_SELF(value) : 0;
		v->object.self_module = v->object.self != 0 &&
		    PyModule_Check(PyCFunction_GET_SELF(value));
		v->object.preview = preview_value(value, text) ?
		    pooled_like(c, value, text, strlen(text),
		    like != NULL ? like->object.preview : NULL) : NULL;
		if (vol != NULL && value_volatile(value)) {
			if (volatiles_add(vol, value) != 0) {
				part_values_drop(p);
				return -1;
			}
			/* the digest as volatiles_digest would make it, with
			 * the preview read already */
			vol->digest = digest_step(vol->digest, value,
			    v->object.preview != NULL &&
			    preview_can_change(value) ? text : NULL);
		}
		k++;
	}
	p->nvalues = k;
	return 0;
}


/* Module names remembered with their last part: more than a session has
 * modules, mostly; one that loses its slot only loses its hints. */
#define LAST_SLOTS 4096

/* The part of the module named `name` (pooled) collected last, or NULL;
 * `index` becomes it. */
static const struct snap_part *
last_part_swap(struct collector *c, const char *name, size_t index)
{
	uint64_t h = (uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ULL;
	struct last_part *e = &c->last[h >> 52]; /* the top 12 bits */
	const struct snap_part *before = e->name == name ?
	    &c->parts[e->index] : NULL;

	*e = (struct last_part){ name, index };
	return before;
}

int
collector_begin(struct collector *c)
{
	memset(c, 0, sizeof *c);
	c->pool = strpool_new();
	c->seen = calloc(SEEN_SLOTS, sizeof *c->seen);
	c->last = calloc(LAST_SLOTS, sizeof *c->last);
	c->facts = calloc(FACT_SLOTS, sizeof *c->facts);
	c->scratch = scratch_new();
	if (c->pool == NULL || c->seen == NULL || c->last == NULL ||
	    c->facts == NULL || c->scratch == NULL) {
		strpool_free(c->pool);
		free(c->seen);
		free(c->last);
		free(c->facts);
		scratch_free(c->scratch);
		return -1;
	}
	c->generation = 1;
	return 0;
}

static struct snap_part *
new_part(struct collector *c)
{
	struct snap_part *p;

	if (c->n == c->cap) {
		size_t ncap = c->cap == 0 ? 64 : c->cap * 2;
		struct snap_part *np = realloc(c->parts, ncap * sizeof *np);

		if (np == NULL)
			return NULL;
		c->parts = np;
		c->cap = ncap;
	}
	p = &c->parts[c->n];
	memset(p, 0, sizeof *p);
	p->module.instances = calloc(1, sizeof *p->module.instances);
	if (p->module.instances == NULL)
		return NULL;
	c->n++;
	return p;
}

/* Whether the filter wants the values of a module described so. */
static bool
values_wanted(const struct snap_filter *f, const struct snap_module *m)
{
	return f->with_attrs && (!f->shared_extensions || f->nnames > 0 ||
	    m->kind == KIND_SINGLE || m->kind == KIND_MULTI);
}

int
collect_part(struct collector *c, const struct snap_filter *f, interp_id id,
    const char *name, PyObject *mod, struct volatiles *vol)
{
	struct snap_module *m;
	struct snap_part *p;

	name = strpool_intern(c->pool, name, strlen(name));
	if (name == NULL || (p = new_part(c)) == NULL)
		return -1;
	p->name = name;
	m = &p->module;
	m->ninstances = 1;
	m->instances[0].interp = id;
	m->instances[0].m_copy_size = -1;
	m->multi_interp = m->gil = -1;
	if (!PyModule_Check(mod)) {
		m->kind = KIND_OTHER;
		m->instances[0].module = (uintptr_t)mod;
		return 0;
	}
	snapshot_describe_kept(mod, id, m, &m->instances[0]);
	if (values_wanted(f, m)) {
		if (!c->segs_loaded) {
			segments_load(&c->segs, c->pool);
			c->segs_loaded = true;
		}
		if (collect_values(c, mod, p,
		    last_part_swap(c, name, (size_t)(p - c->parts)), vol) != 0)
			PyErr_Clear();
	}
	return 0;
}

struct snapshot *
collector_merge(struct collector *c)
{
	struct snapshot *snap;

	if (c->segs_loaded)
		segments_free(&c->segs);
	free(c->seen);
	c->seen = NULL;
	free(c->last);
	c->last = NULL;
	free(c->pairs);
	c->pairs = NULL;
	c->pairs_cap = 0;
	free(c->facts);
	c->facts = NULL;
	snap = snapshot_merge(c->parts, c->n, c->pool);
	scratch_free(c->scratch); /* the parts' values, merged */
	c->scratch = NULL;
	return snap;
}
