/*
 * snapshot-kept.c: module descriptions and sys.modules lists kept between
 * snapshots by dict version (see snapshot-kept.h).
 */
#include "config.h"

#include "snapshot-kept.h"

#include <stdlib.h>
#include <string.h>

#include "addrmap.h"
#include "interp.h"
#include "snapshot-collect.h"
#include "snapshot-json.h"

/* More descriptions than this and all are dropped: modules come and go
 * (%reinit, destroyed interpreters), and their addresses are reused. */
#define DESCRIBED_MAX 65536

uint64_t
dict_version(PyObject *dict)
{
#if PY_VERSION_HEX < 0x030E0000
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	return ((PyDictObject *)dict)->ma_version_tag;
#pragma GCC diagnostic pop
#else
	(void)dict;
	return 0;
#endif
}

/* ------------------------------------------------ module descriptions */

struct described {
	interp_id interp;
	uintptr_t dict;
	uint64_t version;
	struct snap_module facts;   /* kind, file (owned), def facts */
	struct snap_instance in;    /* def, copied */
};

static struct described *described;
static size_t ndescribed, cdescribed;
static struct addrmap described_at;  /* module -> index + 1 */

static void
described_forget(void)
{
	size_t i;

	for (i = 0; i < ndescribed; i++)
		free(described[i].facts.file);
	free(described);
	described = NULL;
	ndescribed = cdescribed = 0;
	addrmap_free(&described_at);
}

/* m_copy can change while the module and its dict stay (another
 * interpreter's import, a destroyed one's): read every time. */
static void
read_m_copy(PyObject *mod, struct snap_instance *in)
{
	PyModuleDef *def = PyModule_GetDef(mod);

	in->m_copy = 0;
	in->m_copy_size = -1;
	PyErr_Clear();
	if (def != NULL && def->m_base.m_copy != NULL) {
		in->m_copy = (uintptr_t)def->m_base.m_copy;
		if (PyDict_Check(def->m_base.m_copy))
			in->m_copy_size = (long)PyDict_GET_SIZE(def->m_base.m_copy);
	}
}

static void
remember(uintptr_t idx, PyObject *mod, interp_id id, uint64_t version,
    const struct snap_module *m, const struct snap_instance *in)
{
	struct described *d;

	if (idx == 0) {
		if (ndescribed >= DESCRIBED_MAX)
			described_forget();
		if (ndescribed == cdescribed) {
			size_t cap = cdescribed == 0 ? 256 : cdescribed * 2;
			struct described *v = realloc(described, cap * sizeof *v);

			if (v == NULL)
				return;
			described = v;
			cdescribed = cap;
		}
		if (addrmap_put(&described_at, (uintptr_t)mod, ndescribed + 1) != 0)
			return;
		d = &described[ndescribed++];
		memset(d, 0, sizeof *d);
	} else
		d = &described[idx - 1];
	free(d->facts.file);
	d->interp = id;
	d->dict = in->dict;
	d->version = version;
	d->facts = *m;
	d->facts.name = NULL;
	d->facts.instances = NULL;
	d->facts.file = m->file != NULL ? strdup(m->file) : NULL;
	d->in = *in;
	if (m->file != NULL && d->facts.file == NULL)
		d->version = 0; /* out of memory: never matches */
}

void
snapshot_describe_kept(PyObject *mod, interp_id id, struct snap_module *m,
    struct snap_instance *in)
{
	PyObject *dict = PyModule_GetDict(mod);
	uint64_t version = dict != NULL ? dict_version(dict) : 0;
	uintptr_t idx = 0;
	const struct described *d;

	if (version == 0) {
		snapshot_describe(mod, m, in);
		return;
	}
	if (addrmap_get(&described_at, (uintptr_t)mod, &idx) &&
	    (d = &described[idx - 1])->interp == id &&
	    d->dict == (uintptr_t)dict && d->version == version) {
		char *name = m->name;
		struct snap_instance *instances = m->instances;
		size_t ninstances = m->ninstances;

		*m = d->facts;
		m->name = name;
		m->instances = instances;
		m->ninstances = ninstances;
		m->file = d->facts.file != NULL ? strdup(d->facts.file) : NULL;
		*in = d->in;
		in->interp = id;
		in->module = (uintptr_t)mod;
		read_m_copy(mod, in);
		return;
	}
	snapshot_describe(mod, m, in);
	remember(idx, mod, id, version, m, in);
}

/* ------------------------------------------------- sys.modules lists */

struct kept_list {
	interp_id interp;
	uintptr_t dict;              /* its sys.modules */
	uint64_t version;
	struct kept_module *v;       /* names owned */
	size_t n;
};

static struct kept_list *lists;
static size_t nlists;

static void
list_clear(struct kept_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free((char *)l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->version = 0;
}

static struct kept_list *
list_of(interp_id id)
{
	struct kept_list *v;
	size_t i;

	for (i = 0; i < nlists; i++) {
		if (lists[i].interp == id)
			return &lists[i];
	}
	/* a slot of an interpreter that is gone, or a new one */
	for (i = 0; i < nlists; i++) {
		if (interp_by_id(lists[i].interp) == NULL) {
			list_clear(&lists[i]);
			lists[i].interp = id;
			return &lists[i];
		}
	}
	v = realloc(lists, (nlists + 1) * sizeof *v);
	if (v == NULL)
		return NULL;
	lists = v;
	memset(&lists[nlists], 0, sizeof *lists);
	lists[nlists].interp = id;
	return &lists[nlists++];
}

/* Read sys.modules into l: string keys, in order. */
static int
list_read(struct kept_list *l, PyObject *modules)
{
	Py_ssize_t pos = 0, size = PyDict_GET_SIZE(modules);
	PyObject *key, *value;
	size_t k = 0;

	list_clear(l);
	l->v = calloc((size_t)size + 1, sizeof *l->v);
	if (l->v == NULL)
		return -1;
	while (PyDict_Next(modules, &pos, &key, &value) && k < (size_t)size) {
		const char *name;

		if (!PyUnicode_Check(key))
			continue;
		name = PyUnicode_AsUTF8(key);
		if (name == NULL) {
			PyErr_Clear();
			continue;
		}
		l->v[k].name = strdup(name);
		if (l->v[k].name == NULL) {
			list_clear(l);
			return -1;
		}
		l->v[k++].mod = value;
	}
	l->n = k;
	l->dict = (uintptr_t)modules;
	l->version = dict_version(modules);
	return 0;
}

int
kept_modules_peek(struct interp *it, struct kept_module **out, size_t *n)
{
	PyObject *modules = PySys_GetObject("modules");
	struct kept_list *l;

	*out = NULL;
	*n = 0;
	if (modules == NULL || !PyDict_Check(modules))
		return 0;
	l = list_of(it->id);
	if (l == NULL)
		return -1;
	if (l->version == 0 || l->dict != (uintptr_t)modules ||
	    l->version != dict_version(modules)) {
		if (list_read(l, modules) != 0)
			return -1;
	}
	*out = l->v;
	*n = l->n;
	return 0;
}

int
kept_modules(struct interp *it, struct kept_module **out, size_t *n)
{
	size_t i;

	if (kept_modules_peek(it, out, n) != 0)
		return -1;
	/* references of our own: describing a module may run code that
	 * changes sys.modules under the list */
	for (i = 0; i < *n; i++)
		Py_INCREF((*out)[i].mod);
	return 0;
}

void
kept_modules_done(struct kept_module *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		Py_DECREF(v[i].mod);
}

void
snapshot_kept_forget(void)
{
	size_t i;

	described_forget();
	snapshot_remake_forget();
	snapshot_json_forget();
	for (i = 0; i < nlists; i++)
		list_clear(&lists[i]);
	free(lists);
	lists = NULL;
	nlists = 0;
}
