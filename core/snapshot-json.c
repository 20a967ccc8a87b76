/*
 * snapshot-json.c: a snapshot as JSON, in the documented contract
 * (docs/snapshot.md). Built with jansson from the plain snapshot, so it
 * needs no Python and can serve %json and, later, the host's wire.
 * Addresses are strings ("0x7f..."): JSON numbers lose precision past 2^53
 * in many readers.
 */
#include "config.h"

#include "snapshot-json.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

static json_t *
addr(uintptr_t a)
{
	char buf[24];

	if (a == 0)
		return json_null();
	snprintf(buf, sizeof buf, "%#lx", (unsigned long)a);
	return json_string(buf);
}

static json_t *
string_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
interp_json(const struct interp_info *i)
{
	const struct interp_config *c = &i->config;

	return json_pack("{s:I, s:o, s:b, s:I, s:{s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b}}",
	    "id", (json_int_t)i->id,
	    "name", i->name[0] != '\0' ? json_string(i->name) : json_null(),
	    "current", i->current,
	    "modules", (json_int_t)i->modules,
	    "config",
	    "preset", c->preset,
	    "own_gil", c->own_gil,
	    "own_obmalloc", c->own_obmalloc,
	    "check_multi_interp_extensions", c->check_ext,
	    "allow_fork", c->allow_fork,
	    "allow_exec", c->allow_exec,
	    "allow_threads", c->allow_threads,
	    "allow_daemon_threads", c->allow_daemon_threads);
}

static json_t *
slot_value(int v, const char *const *names, int count)
{
	if (v < 0)
		return json_null();
	if (v < count)
		return json_string(names[v]);
	return json_integer(v);
}

static json_t *
module_json(const struct snap_module *m)
{
	static const char *const multi[] = { "not_supported", "supported",
	    "per_interpreter_gil_supported" };
	static const char *const gil[] = { "used", "not_used" };
	json_t *o, *instances, *attrs;
	size_t i, j;

	instances = json_array();
	for (i = 0; i < m->ninstances; i++) {
		const struct snap_instance *in = &m->instances[i];

		json_array_append_new(instances, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:b}",
		    "interp", (json_int_t)in->interp,
		    "module", addr(in->module),
		    "dict", addr(in->dict),
		    "def", addr(in->def),
		    "m_copy", addr(in->m_copy),
		    "m_copy_size", in->m_copy_size >= 0 ?
		    json_integer(in->m_copy_size) : json_null(),
		    "from_m_copy", in->copied));
	}
	attrs = json_array();
	for (i = 0; i < m->nattrs; i++) {
		const struct snap_attr *a = &m->attrs[i];
		json_t *objects = json_array();

		for (j = 0; j < a->nobjects; j++)
			json_array_append_new(objects, json_pack("{s:I, s:o}",
			    "interp", (json_int_t)a->objects[j].interp,
			    "addr", addr(a->objects[j].addr)));
		json_array_append_new(attrs, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}",
		    "name", a->name,
		    "type", a->type,
		    "sharing", sharing_name(a->sharing),
		    "static_in", string_or_null(a->static_in),
		    "owner", a->owner != INTERP_NONE ?
		    json_integer((json_int_t)a->owner) : json_null(),
		    "objects", objects));
	}
	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "name", m->name,
	    "kind", module_kind_name(m->kind),
	    "m_size", m->has_def ? json_integer(m->m_size) : json_null(),
	    "file", string_or_null(m->file),
	    "multiple_interpreters", slot_value(m->multi_interp, multi, 3),
	    "gil", slot_value(m->gil, gil, 2),
	    "instances", instances,
	    "attributes", attrs);
	return o;
}

char *
snapshot_to_json(const struct snapshot *snap, bool pretty)
{
	json_t *root, *interps, *modules;
	char *text;
	size_t i;

	interps = json_array();
	for (i = 0; i < snap->ninterps; i++)
		json_array_append_new(interps, interp_json(&snap->interps[i]));
	modules = json_array();
	for (i = 0; i < snap->nmodules; i++)
		json_array_append_new(modules, module_json(&snap->modules[i]));
	root = json_pack("{s:{s:s}, s:o, s:o}",
	    "python", "version", snap->python_version,
	    "interpreters", interps,
	    "modules", modules);
	if (root == NULL)
		return NULL;
	text = json_dumps(root, pretty ? JSON_INDENT(2) | JSON_SORT_KEYS |
	    JSON_PRESERVE_ORDER : JSON_COMPACT);
	json_decref(root);
	return text;
}
