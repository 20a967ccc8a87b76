/*
 * wire-codec.c: the session API's plain data as JSON and back, for the
 * host protocol (docs/protocol.md). Each encoder has its decoder next to
 * it; decoders accept missing fields as zero, so a newer side can add
 * fields without breaking an older one.
 */
#include "config.h"

#include "wire-codec.h"

#include <stdlib.h>
#include <string.h>

#include "strpool.h"

static void
copy_str(char *dst, size_t size, json_t *v)
{
	const char *s = json_string_value(v);

	snprintf(dst, size, "%s", s != NULL ? s : "");
}

static bool
get_bool(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

static long long
get_int(json_t *o, const char *key, long long dflt)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : dflt;
}

json_t *
codec_info(const struct interp_info *i)
{
	const struct interp_config *c = &i->config;

	return json_pack("{s:I, s:s, s:b, s:I, s:{s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b}}",
	    "id", (json_int_t)i->id, "name", i->name, "current", i->current,
	    "modules", (json_int_t)i->modules, "config",
	    "preset", c->preset, "own_gil", c->own_gil,
	    "own_obmalloc", c->own_obmalloc,
	    "check_multi_interp_extensions", c->check_ext,
	    "allow_fork", c->allow_fork, "allow_exec", c->allow_exec,
	    "allow_threads", c->allow_threads,
	    "allow_daemon_threads", c->allow_daemon_threads);
}

void
codec_info_from(json_t *o, struct interp_info *i)
{
	json_t *c = json_object_get(o, "config");

	memset(i, 0, sizeof *i);
	i->id = get_int(o, "id", INTERP_NONE);
	copy_str(i->name, sizeof i->name, json_object_get(o, "name"));
	i->current = get_bool(o, "current");
	i->modules = (long)get_int(o, "modules", -1);
	copy_str(i->config.preset, sizeof i->config.preset,
	    json_object_get(c, "preset"));
	i->config.own_gil = get_bool(c, "own_gil");
	i->config.own_obmalloc = get_bool(c, "own_obmalloc");
	i->config.check_ext = get_bool(c, "check_multi_interp_extensions");
	i->config.allow_fork = get_bool(c, "allow_fork");
	i->config.allow_exec = get_bool(c, "allow_exec");
	i->config.allow_threads = get_bool(c, "allow_threads");
	i->config.allow_daemon_threads = get_bool(c, "allow_daemon_threads");
}

json_t *
codec_request(const struct interp_request *r)
{
	return json_pack("{s:s?, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
	    "name", r->name, "preset", (int)r->preset,
	    "own_gil", (int)r->own_gil, "own_obmalloc", (int)r->own_obmalloc,
	    "check_ext", (int)r->check_ext, "allow_fork", (int)r->allow_fork,
	    "allow_exec", (int)r->allow_exec, "allow_threads", (int)r->allow_threads,
	    "allow_daemon_threads", (int)r->allow_daemon_threads);
}

void
codec_request_from(json_t *o, struct interp_request *r)
{
	memset(r, 0, sizeof *r);
	r->name = json_string_value(json_object_get(o, "name"));
	r->preset = (enum interp_preset)get_int(o, "preset", PRESET_LEGACY);
	r->own_gil = (enum config_flag)get_int(o, "own_gil", FLAG_UNSET);
	r->own_obmalloc = (enum config_flag)get_int(o, "own_obmalloc", FLAG_UNSET);
	r->check_ext = (enum config_flag)get_int(o, "check_ext", FLAG_UNSET);
	r->allow_fork = (enum config_flag)get_int(o, "allow_fork", FLAG_UNSET);
	r->allow_exec = (enum config_flag)get_int(o, "allow_exec", FLAG_UNSET);
	r->allow_threads = (enum config_flag)get_int(o, "allow_threads", FLAG_UNSET);
	r->allow_daemon_threads = (enum config_flag)get_int(o,
	    "allow_daemon_threads", FLAG_UNSET);
}

json_t *
codec_import_report(const struct import_report *r)
{
	return json_pack("{s:I, s:i, s:i, s:I, s:b, s:I, s:I, s:I, s:I, s:s}",
	    "interp", (json_int_t)r->interp, "result", (int)r->result,
	    "kind", (int)r->kind, "m_size", (json_int_t)r->m_size,
	    "has_def", r->has_def != 0, "module", (json_int_t)r->module,
	    "def", (json_int_t)r->def, "m_copy_before", (json_int_t)r->m_copy_before,
	    "m_copy_after", (json_int_t)r->m_copy_after, "error", r->error);
}

void
codec_import_report_from(json_t *o, struct import_report *r)
{
	memset(r, 0, sizeof *r);
	r->interp = get_int(o, "interp", INTERP_NONE);
	r->result = (enum import_result)get_int(o, "result", IMPORT_FAILED);
	r->kind = (enum module_kind)get_int(o, "kind", KIND_OTHER);
	r->m_size = (long)get_int(o, "m_size", 0);
	r->has_def = get_bool(o, "has_def");
	r->module = (uintptr_t)get_int(o, "module", 0);
	r->def = (uintptr_t)get_int(o, "def", 0);
	r->m_copy_before = (uintptr_t)get_int(o, "m_copy_before", 0);
	r->m_copy_after = (uintptr_t)get_int(o, "m_copy_after", 0);
	copy_str(r->error, sizeof r->error, json_object_get(o, "error"));
}

json_t *
codec_filter(const struct snap_filter *f)
{
	json_t *names = json_array();
	size_t i;

	for (i = 0; i < f->nnames; i++)
		json_array_append_new(names, json_string(f->names[i]));
	return json_pack("{s:o, s:b, s:b, s:I}", "names", names,
	    "shared_extensions", f->shared_extensions, "with_attrs", f->with_attrs,
	    "only", (json_int_t)f->only);
}

/* The names stay owned by `o`: keep it alive while the filter is used. */
void
codec_filter_from(json_t *o, struct snap_filter *f, const char **names,
    size_t max)
{
	json_t *v, *list = json_object_get(o, "names");
	size_t i;

	memset(f, 0, sizeof *f);
	json_array_foreach(list, i, v) {
		if (f->nnames < max && json_is_string(v))
			names[f->nnames++] = json_string_value(v);
	}
	f->names = names;
	f->shared_extensions = get_bool(o, "shared_extensions");
	f->with_attrs = get_bool(o, "with_attrs");
	f->only = get_int(o, "only", INTERP_NONE);
}

/* ------------------------------------------------ snapshot from JSON text */

static uintptr_t
addr_of(json_t *v)
{
	const char *s = json_string_value(v);

	return s != NULL ? (uintptr_t)strtoull(s, NULL, 16) : 0;
}

static int
index_of(const char *s, const char *const *names, int count)
{
	int i;

	for (i = 0; s != NULL && i < count; i++) {
		if (strcmp(s, names[i]) == 0)
			return i;
	}
	return -1;
}

static enum module_kind
kind_of(const char *s)
{
	int k;

	for (k = KIND_PYTHON; k <= KIND_OTHER; k++) {
		if (s != NULL && strcmp(s, module_kind_name((enum module_kind)k)) == 0)
			return (enum module_kind)k;
	}
	return KIND_OTHER;
}

static enum sharing
sharing_of(const char *s)
{
	int k;

	for (k = SHARING_DISTINCT; k <= SHARING_IMMORTAL; k++) {
		if (s != NULL && strcmp(s, sharing_name((enum sharing)k)) == 0)
			return (enum sharing)k;
	}
	return SHARING_DISTINCT;
}

static const char *
pooled(struct strpool *pool, json_t *v)
{
	const char *s = json_string_value(v);

	return s != NULL ? strpool_intern(pool, s, strlen(s)) : NULL;
}

static char *
dup_or_null(json_t *v)
{
	const char *s = json_string_value(v);

	return s != NULL ? strdup(s) : NULL;
}

static void
module_from(json_t *o, struct snap_module *m, struct strpool *pool)
{
	static const char *const multi[] = { "not_supported", "supported",
	    "per_interpreter_gil_supported" };
	static const char *const gil[] = { "used", "not_used" };
	json_t *list, *v, *objs, *ov;
	size_t i, j, total = 0, k = 0;

	m->name = dup_or_null(json_object_get(o, "name"));
	m->kind = kind_of(json_string_value(json_object_get(o, "kind")));
	m->has_def = json_is_integer(json_object_get(o, "m_size"));
	m->m_size = (long)get_int(o, "m_size", 0);
	m->file = dup_or_null(json_object_get(o, "file"));
	m->multi_interp = index_of(json_string_value(json_object_get(o,
	    "multiple_interpreters")), multi, 3);
	m->gil = index_of(json_string_value(json_object_get(o, "gil")), gil, 2);

	list = json_object_get(o, "instances");
	m->instances = calloc(json_array_size(list) + 1, sizeof *m->instances);
	json_array_foreach(list, i, v) {
		struct snap_instance *in = &m->instances[m->ninstances++];

		in->interp = get_int(v, "interp", INTERP_NONE);
		in->module = addr_of(json_object_get(v, "module"));
		in->dict = addr_of(json_object_get(v, "dict"));
		in->def = addr_of(json_object_get(v, "def"));
		in->m_copy = addr_of(json_object_get(v, "m_copy"));
		in->m_copy_size = (long)get_int(v, "m_copy_size", -1);
		in->copied = get_bool(v, "from_m_copy");
	}

	list = json_object_get(o, "attributes");
	json_array_foreach(list, i, v)
		total += json_array_size(json_object_get(v, "objects"));
	m->attrs = calloc(json_array_size(list) + 1, sizeof *m->attrs);
	m->values = calloc(total + 1, sizeof *m->values);
	json_array_foreach(list, i, v) {
		struct snap_attr *a = &m->attrs[m->nattrs++];

		a->name = pooled(pool, json_object_get(v, "name"));
		a->type = pooled(pool, json_object_get(v, "type"));
		a->sharing = sharing_of(json_string_value(json_object_get(v, "sharing")));
		a->static_in = pooled(pool, json_object_get(v, "static_in"));
		a->owner = get_int(v, "owner", INTERP_NONE);
		a->objects = &m->values[k];
		objs = json_object_get(v, "objects");
		json_array_foreach(objs, j, ov) {
			struct snap_object *ob = &m->values[k++];

			ob->interp = get_int(ov, "interp", INTERP_NONE);
			ob->addr = addr_of(json_object_get(ov, "addr"));
			ob->static_in = pooled(pool, json_object_get(ov, "static_in"));
			ob->immortal = get_bool(ov, "immortal");
			ob->self = addr_of(json_object_get(ov, "self"));
			ob->preview = pooled(pool, json_object_get(ov, "preview"));
			a->nobjects++;
		}
	}
}

struct snapshot *
codec_snapshot_parse(const char *text, size_t len, char **cause)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err), *list, *v;
	struct snapshot *snap;
	size_t i;

	if (root == NULL) {
		if (cause != NULL)
			*cause = strdup(err.text);
		return NULL;
	}
	snap = calloc(1, sizeof *snap);
	snap->pool = strpool_new();
	snap->python_version = dup_or_null(json_object_get(json_object_get(root,
	    "python"), "version"));
	list = json_object_get(root, "interpreters");
	snap->interps = calloc(json_array_size(list) + 1, sizeof *snap->interps);
	/* the same rows as the wire's (docs/snapshot.md names them alike) */
	json_array_foreach(list, i, v)
		codec_info_from(v, &snap->interps[snap->ninterps++]);
	list = json_object_get(root, "modules");
	snap->modules = calloc(json_array_size(list) + 1, sizeof *snap->modules);
	json_array_foreach(list, i, v)
		module_from(v, &snap->modules[snap->nmodules++], snap->pool);
	json_decref(root);
	return snap;
}
