/*
 * wire-codec.c: the session API's plain data as JSON and back, for the
 * host protocol (docs/protocol.md). Each encoder has its decoder next to
 * it. Decoders trust nothing: every member must be there with its type and,
 * for enums, in range, or the decoder fails with a cause naming it, so a
 * malformed frame is an error message on either side, never a crash. (Both
 * ends are the same binary; the hello's protocol version guards the rest.)
 */
#include "config.h"

#include "wire-codec.h"

#include "snapshot.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "strpool.h"

int
codec_get_int(json_t *o, const char *key, long long lo, long long hi,
    long long *v, char **cause)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_integer(j)) {
		cause_set(cause, "'%s' is missing or not an integer", key);
		return -1;
	}
	*v = (long long)json_integer_value(j);
	if (*v < lo || *v > hi) {
		cause_set(cause, "'%s' is out of range (%lld)", key, *v);
		return -1;
	}
	return 0;
}

int
codec_get_bool(json_t *o, const char *key, bool *v, char **cause)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_boolean(j)) {
		cause_set(cause, "'%s' is missing or not a boolean", key);
		return -1;
	}
	*v = json_is_true(j);
	return 0;
}

int
codec_get_str(json_t *o, const char *key, bool nullable, const char **v,
    char **cause)
{
	json_t *j = json_object_get(o, key);

	if (nullable && (j == NULL || json_is_null(j))) {
		*v = NULL;
		return 0;
	}
	if (!json_is_string(j)) {
		cause_set(cause, "'%s' is missing or not a string", key);
		return -1;
	}
	*v = json_string_value(j);
	return 0;
}

void
codec_copy_text(char *dst, size_t size, const char *s)
{
	size_t len = strlen(s);

	if (len >= size) {
		/* back to the first byte of a character cut in two (its other
		 * bytes are 10xxxxxx): the encoder refuses what is not UTF-8 */
		len = size - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* A string member copied into a fixed buffer (cut to fit); a nullable one
 * that is null becomes "". */
static int
get_buf(json_t *o, const char *key, bool nullable, char *dst, size_t size,
    char **cause)
{
	const char *v;

	if (codec_get_str(o, key, nullable, &v, cause) != 0)
		return -1;
	codec_copy_text(dst, size, v != NULL ? v : "");
	return 0;
}

static int
get_object(json_t *o, const char *what, char **cause)
{
	if (!json_is_object(o)) {
		cause_set(cause, "%s is missing or not an object", what);
		return -1;
	}
	return 0;
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

int
codec_info_from(json_t *o, struct interp_info *i, char **cause)
{
	json_t *c = json_object_get(o, "config");
	long long id, modules;

	memset(i, 0, sizeof *i);
	if (get_object(o, "an interpreter row", cause) != 0 ||
	    get_object(c, "an interpreter row's 'config'", cause) != 0 ||
	    codec_get_int(o, "id", 0, INT64_MAX, &id, cause) != 0 ||
	    get_buf(o, "name", true, i->name, sizeof i->name, cause) != 0 ||
	    codec_get_bool(o, "current", &i->current, cause) != 0 ||
	    codec_get_int(o, "modules", -1, INT64_MAX, &modules, cause) != 0 ||
	    get_buf(c, "preset", false, i->config.preset, sizeof i->config.preset,
	    cause) != 0 ||
	    codec_get_bool(c, "own_gil", &i->config.own_gil, cause) != 0 ||
	    codec_get_bool(c, "own_obmalloc", &i->config.own_obmalloc, cause) != 0 ||
	    codec_get_bool(c, "check_multi_interp_extensions", &i->config.check_ext,
	    cause) != 0 ||
	    codec_get_bool(c, "allow_fork", &i->config.allow_fork, cause) != 0 ||
	    codec_get_bool(c, "allow_exec", &i->config.allow_exec, cause) != 0 ||
	    codec_get_bool(c, "allow_threads", &i->config.allow_threads,
	    cause) != 0 ||
	    codec_get_bool(c, "allow_daemon_threads",
	    &i->config.allow_daemon_threads, cause) != 0)
		return -1;
	i->id = (interp_id)id;
	i->modules = (long)modules;
	return 0;
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

/* A tri-state flag: -1 (unset), 0 or 1. */
static int
get_flag(json_t *o, const char *key, enum config_flag *f, char **cause)
{
	long long v;

	if (codec_get_int(o, key, FLAG_UNSET, FLAG_ON, &v, cause) != 0)
		return -1;
	*f = (enum config_flag)v;
	return 0;
}

int
codec_request_from(json_t *o, struct interp_request *r, char **cause)
{
	long long preset;

	memset(r, 0, sizeof *r);
	if (get_object(o, "'request'", cause) != 0 ||
	    codec_get_str(o, "name", true, &r->name, cause) != 0 ||
	    codec_get_int(o, "preset", PRESET_LEGACY, PRESET_ISOLATED, &preset,
	    cause) != 0 ||
	    get_flag(o, "own_gil", &r->own_gil, cause) != 0 ||
	    get_flag(o, "own_obmalloc", &r->own_obmalloc, cause) != 0 ||
	    get_flag(o, "check_ext", &r->check_ext, cause) != 0 ||
	    get_flag(o, "allow_fork", &r->allow_fork, cause) != 0 ||
	    get_flag(o, "allow_exec", &r->allow_exec, cause) != 0 ||
	    get_flag(o, "allow_threads", &r->allow_threads, cause) != 0 ||
	    get_flag(o, "allow_daemon_threads", &r->allow_daemon_threads,
	    cause) != 0)
		return -1;
	r->preset = (enum interp_preset)preset;
	return 0;
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

/* An address: the wire carries it as a (signed) JSON integer. */
static int
get_addr(json_t *o, const char *key, uintptr_t *v, char **cause)
{
	long long n;

	if (codec_get_int(o, key, LLONG_MIN, LLONG_MAX, &n, cause) != 0)
		return -1;
	*v = (uintptr_t)n;
	return 0;
}

int
codec_import_report_from(json_t *o, struct import_report *r, char **cause)
{
	long long interp, result, kind, m_size;
	bool has_def;

	memset(r, 0, sizeof *r);
	if (get_object(o, "an import report", cause) != 0 ||
	    codec_get_int(o, "interp", 0, INT64_MAX, &interp, cause) != 0 ||
	    codec_get_int(o, "result", IMPORT_RAN_INIT, IMPORT_INIT_ELSEWHERE, &result,
	    cause) != 0 ||
	    codec_get_int(o, "kind", KIND_PYTHON, KIND_OTHER, &kind, cause) != 0 ||
	    codec_get_int(o, "m_size", LONG_MIN, LONG_MAX, &m_size, cause) != 0 ||
	    codec_get_bool(o, "has_def", &has_def, cause) != 0 ||
	    get_addr(o, "module", &r->module, cause) != 0 ||
	    get_addr(o, "def", &r->def, cause) != 0 ||
	    get_addr(o, "m_copy_before", &r->m_copy_before, cause) != 0 ||
	    get_addr(o, "m_copy_after", &r->m_copy_after, cause) != 0 ||
	    get_buf(o, "error", false, r->error, sizeof r->error, cause) != 0)
		return -1;
	r->interp = (interp_id)interp;
	r->result = (enum import_result)result;
	r->kind = (enum module_kind)kind;
	r->m_size = (long)m_size;
	r->has_def = has_def;
	return 0;
}

json_t *
codec_filter(const struct snap_filter *f)
{
	json_t *names = json_array();
	size_t i;

	for (i = 0; names != NULL && i < f->nnames; i++) {
		if (json_array_append_new(names, json_string(f->names[i])) != 0) {
			json_decref(names);
			return NULL;
		}
	}
	return json_pack("{s:o, s:b, s:b, s:I, s:b}", "names", names,
	    "shared_extensions", f->shared_extensions, "with_attrs", f->with_attrs,
	    "only", (json_int_t)f->only, "deep", f->deep);
}

int
codec_filter_from(json_t *o, struct snap_filter *f, char **cause)
{
	json_t *v, *list = json_object_get(o, "names");
	const char **names;
	long long only;
	size_t i;

	memset(f, 0, sizeof *f);
	if (get_object(o, "'filter'", cause) != 0)
		return -1;
	if (!json_is_array(list)) {
		cause_set(cause, "'names' is missing or not an array");
		return -1;
	}
	if (codec_get_bool(o, "shared_extensions", &f->shared_extensions,
	    cause) != 0 ||
	    codec_get_bool(o, "with_attrs", &f->with_attrs, cause) != 0 ||
	    codec_get_int(o, "only", INTERP_NONE, INT64_MAX, &only, cause) != 0 ||
	    codec_get_bool(o, "deep", &f->deep, cause) != 0)
		return -1;
	f->only = (interp_id)only;
	names = calloc(json_array_size(list) + 1, sizeof *names);
	if (names == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			free(names);
			cause_set(cause, "'names' holds something not a string");
			return -1;
		}
		names[f->nnames++] = json_string_value(v);
	}
	f->names = names;
	return 0;
}

/* ------------------------------------------------ snapshot from JSON text */

/* An address as docs/snapshot.md writes it: "0x7f..." or null (0). */
static int
get_hex(json_t *o, const char *key, uintptr_t *v, char **cause)
{
	json_t *j = json_object_get(o, key);
	const char *s;
	char *end;

	*v = 0;
	if (j == NULL || json_is_null(j))
		return 0;
	s = json_string_value(j);
	if (s == NULL || s[0] == '\0') {
		cause_set(cause, "'%s' is not an address", key);
		return -1;
	}
	*v = (uintptr_t)strtoull(s, &end, 16);
	if (*end != '\0') {
		cause_set(cause, "'%s' is not an address: '%s'", key, s);
		return -1;
	}
	return 0;
}

/* An integer or null (then `none`). */
static int
get_int_or_null(json_t *o, const char *key, long long none, long long *v,
    char **cause)
{
	json_t *j = json_object_get(o, key);

	if (j == NULL || json_is_null(j)) {
		*v = none;
		return 0;
	}
	return codec_get_int(o, key, LLONG_MIN, LLONG_MAX, v, cause);
}

static int
get_array(json_t *o, const char *key, json_t **list, char **cause)
{
	*list = json_object_get(o, key);
	if (!json_is_array(*list)) {
		cause_set(cause, "'%s' is missing or not an array", key);
		return -1;
	}
	return 0;
}

/* One of names[] (its index), or null (-1) when nullable. */
static int
get_name(json_t *o, const char *key, bool nullable, const char *const *names,
    int count, int *v, char **cause)
{
	const char *s;

	if (codec_get_str(o, key, nullable, &s, cause) != 0)
		return -1;
	for (*v = 0; s != NULL && *v < count; (*v)++) {
		if (strcmp(s, names[*v]) == 0)
			return 0;
	}
	if (s == NULL) {
		*v = -1;
		return 0;
	}
	cause_set(cause, "'%s' has an unknown value '%s'", key, s);
	return -1;
}

/* A pooled copy of a string member (NULL for null when nullable). */
static int
get_pooled(json_t *o, const char *key, bool nullable, struct strpool *pool,
    const char **v, char **cause)
{
	const char *s;

	if (codec_get_str(o, key, nullable, &s, cause) != 0)
		return -1;
	*v = s != NULL ? strpool_intern(pool, s, strlen(s)) : NULL;
	if (s != NULL && *v == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	return 0;
}

/* A boolean that may be left out (false). */
static int
get_optional_bool(json_t *o, const char *key, bool *v, char **cause)
{
	json_t *j = json_object_get(o, key);

	*v = false;
	if (j == NULL)
		return 0;
	return codec_get_bool(o, key, v, cause);
}

static int
instance_from(json_t *v, struct snap_instance *in, char **cause)
{
	long long interp, size;

	if (get_object(v, "an instance", cause) != 0 ||
	    codec_get_int(v, "interp", 0, INT64_MAX, &interp, cause) != 0 ||
	    get_hex(v, "module", &in->module, cause) != 0 ||
	    get_hex(v, "dict", &in->dict, cause) != 0 ||
	    get_hex(v, "def", &in->def, cause) != 0 ||
	    get_hex(v, "m_copy", &in->m_copy, cause) != 0 ||
	    get_int_or_null(v, "m_copy_size", -1, &size, cause) != 0 ||
	    codec_get_bool(v, "from_m_copy", &in->copied, cause) != 0)
		return -1;
	in->interp = (interp_id)interp;
	in->m_copy_size = (long)size;
	return 0;
}

static int
object_from(json_t *v, struct snap_object *ob, struct strpool *pool,
    char **cause)
{
	long long interp;

	if (get_object(v, "an object", cause) != 0 ||
	    codec_get_int(v, "interp", 0, INT64_MAX, &interp, cause) != 0 ||
	    get_hex(v, "addr", &ob->addr, cause) != 0 ||
	    get_pooled(v, "static_in", true, pool, &ob->static_in, cause) != 0 ||
	    get_hex(v, "self", &ob->self, cause) != 0 ||
	    get_pooled(v, "preview", true, pool, &ob->preview, cause) != 0)
		return -1;
	if (get_optional_bool(v, "immortal", &ob->immortal, cause) != 0 ||
	    get_optional_bool(v, "self_module", &ob->self_module, cause) != 0)
		return -1;
	ob->interp = (interp_id)interp;
	return 0;
}

static int
attr_from(json_t *v, struct snap_attr *a, struct snap_object *values,
    struct strpool *pool, char **cause)
{
	static const char *const sharing[] = { "distinct", "shared", "static",
	    "immortal" };
	json_t *objs, *ov;
	long long owner;
	bool hidden;
	int sh;
	size_t j;

	if (get_object(v, "an attribute", cause) != 0 ||
	    get_pooled(v, "name", false, pool, &a->name, cause) != 0 ||
	    get_pooled(v, "type", false, pool, &a->type, cause) != 0 ||
	    get_name(v, "sharing", false, sharing, 4, &sh, cause) != 0 ||
	    get_pooled(v, "static_in", true, pool, &a->static_in, cause) != 0 ||
	    get_int_or_null(v, "owner", INTERP_NONE, &owner, cause) != 0 ||
	    get_array(v, "objects", &objs, cause) != 0)
		return -1;
	if (get_optional_bool(v, "owner_hidden", &hidden, cause) != 0 ||
	    get_optional_bool(v, "holds_shared", &a->holds_shared, cause) != 0)
		return -1;
	a->sharing = (enum sharing)sh;
	a->owner = hidden ? INTERP_HIDDEN : (interp_id)owner;
	a->objects = values;
	json_array_foreach(objs, j, ov) {
		if (object_from(ov, &values[j], pool, cause) != 0)
			return -1;
		a->nobjects++;
	}
	return 0;
}

static int
module_from(json_t *o, struct snap_module *m, struct strpool *pool,
    char **cause)
{
	static const char *const multi[] = { "not_supported", "supported",
	    "per_interpreter_gil_supported" };
	static const char *const gil[] = { "used", "not_used" };
	static const char *kinds[KIND_OTHER + 1];
	json_t *instances, *attrs, *v;
	const char *name, *file;
	long long m_size;
	size_t i, total = 0, k = 0;
	int kind;

	for (kind = KIND_PYTHON; kind <= KIND_OTHER; kind++)
		kinds[kind] = module_kind_name((enum module_kind)kind);
	if (get_object(o, "a module", cause) != 0 ||
	    codec_get_str(o, "name", false, &name, cause) != 0 ||
	    get_name(o, "kind", false, kinds, KIND_OTHER + 1, &kind, cause) != 0 ||
	    get_int_or_null(o, "m_size", LLONG_MIN, &m_size, cause) != 0 ||
	    codec_get_str(o, "file", true, &file, cause) != 0 ||
	    get_name(o, "multiple_interpreters", true, multi, 3, &m->multi_interp,
	    cause) != 0 ||
	    get_name(o, "gil", true, gil, 2, &m->gil, cause) != 0 ||
	    get_array(o, "instances", &instances, cause) != 0 ||
	    get_array(o, "attributes", &attrs, cause) != 0)
		return -1;
	m->kind = (enum module_kind)kind;
	m->has_def = m_size != LLONG_MIN;
	m->m_size = m->has_def ? (long)m_size : 0;
	m->name = strdup(name);
	m->file = file != NULL ? strdup(file) : NULL;
	json_array_foreach(attrs, i, v)
		total += json_array_size(json_object_get(v, "objects"));
	m->instances = calloc(json_array_size(instances) + 1, sizeof *m->instances);
	m->attrs = calloc(json_array_size(attrs) + 1, sizeof *m->attrs);
	m->values = calloc(total + 1, sizeof *m->values);
	if (m->name == NULL || (file != NULL && m->file == NULL) ||
	    m->instances == NULL || m->attrs == NULL || m->values == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	json_array_foreach(instances, i, v) {
		if (instance_from(v, &m->instances[i], cause) != 0)
			return -1;
		m->ninstances++;
	}
	json_array_foreach(attrs, i, v) {
		if (attr_from(v, &m->attrs[i], &m->values[k], pool, cause) != 0)
			return -1;
		k += m->attrs[i].nobjects;
		m->nattrs++;
	}
	return 0;
}

/* A delta's "removed": names, malloc'd. */
static int
removed_from(json_t *root, char ***removed, size_t *nremoved, char **cause)
{
	json_t *list = json_object_get(root, "removed"), *v;
	size_t i;

	*removed = NULL;
	*nremoved = 0;
	if (list == NULL)
		return 0;
	if (!json_is_array(list)) {
		cause_set(cause, "'removed' is not an array");
		return -1;
	}
	*removed = calloc(json_array_size(list) + 1, sizeof **removed);
	if (*removed == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			cause_set(cause, "'removed' holds something not a name");
			return -1;
		}
		if (((*removed)[i] = strdup(json_string_value(v))) == NULL) {
			cause_set(cause, "out of memory");
			return -1;
		}
		(*nremoved)++;
	}
	return 0;
}

struct snapshot *
codec_snapshot_parse(const char *text, size_t len, char **cause)
{
	return codec_snapshot_parse_delta(text, len, NULL, NULL, cause);
}

struct snapshot *
codec_snapshot_parse_delta(const char *text, size_t len, char ***removed,
    size_t *nremoved, char **cause)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err), *interps = NULL;
	json_t *modules, *v;
	const char *version;
	struct snapshot *snap;
	size_t i;

	if (root == NULL) {
		cause_set(cause, "the snapshot is not JSON: %s", err.text);
		return NULL;
	}
	snap = calloc(1, sizeof *snap);
	if (snap == NULL || (snap->pool = strpool_new()) == NULL) {
		free(snap);
		json_decref(root);
		cause_set(cause, "out of memory");
		return NULL;
	}
	/* a delta leaves the interpreters out when they are its base's */
	if (get_object(root, "the snapshot", cause) != 0 ||
	    codec_get_str(json_object_get(root, "python"), "version", false,
	    &version, cause) != 0 ||
	    ((removed == NULL || json_object_get(root, "interpreters") != NULL) &&
	    get_array(root, "interpreters", &interps, cause) != 0) ||
	    get_array(root, "modules", &modules, cause) != 0)
		goto bad;
	if (json_object_get(root, "interpreters") == NULL)
		interps = NULL;
	snap->python_version = strdup(version);
	if (interps != NULL)
		snap->interps = calloc(json_array_size(interps) + 1,
		    sizeof *snap->interps);
	snap->modules = calloc(json_array_size(modules) + 1, sizeof *snap->modules);
	if (snap->python_version == NULL ||
	    (interps != NULL && snap->interps == NULL) || snap->modules == NULL) {
		cause_set(cause, "out of memory");
		goto bad;
	}
	/* the same rows as the wire's (docs/snapshot.md names them alike) */
	if (interps != NULL) {
		json_array_foreach(interps, i, v) {
			if (codec_info_from(v, &snap->interps[i], cause) != 0)
				goto bad;
			snap->ninterps++;
		}
	}
	json_array_foreach(modules, i, v) {
		/* counted first, so a half-made module is freed too */
		snap->nmodules++;
		if (module_from(v, &snap->modules[i], snap->pool, cause) != 0)
			goto bad;
	}
	if (removed != NULL &&
	    removed_from(root, removed, nremoved, cause) != 0) {
		session_free_strings(*removed, *nremoved);
		goto bad;
	}
	json_decref(root);
	snapshot_sort(snap);
	return snap;
bad:
	cause_prefix(cause, "a malformed snapshot");
	json_decref(root);
	snapshot_free(snap);
	return NULL;
}
