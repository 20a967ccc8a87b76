/*
 * audit-json.c: an audit as JSON and back (docs/snapshot.md, "Audit"): how
 * it crosses the host's socket and what %audit --json writes. Every member
 * is checked when reading, as the wire's codecs do.
 */
#include "config.h"

#include "audit.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cause.h"
#include "strpool.h"
#include "wire-codec.h"

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
	{ AUDIT_OWNER_DESTROYED, "owner_destroyed" },
	{ AUDIT_FOREIGN_GLOBALS, "foreign_globals" },
	{ AUDIT_FOREIGN_TYPE, "foreign_type" },
	{ AUDIT_STATIC_ROOT, "static_root" },
	{ AUDIT_ENTRY, "entry" },
};
#define NFLAGS (sizeof flag_names / sizeof flag_names[0])

void
audit_free(struct audit *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nobjects; i++) {
		free(a->objects[i].reachable_from);
		free(a->objects[i].paths);
	}
	free(a->objects);
	strpool_free(a->pool);
	free(a);
}

/* ------------------------------------------------------------- writing */

static json_t *
str_json(const char *s)
{
	json_t *j = s != NULL ? json_string(s) : NULL;

	return j != NULL ? j : json_null();
}

static json_t *
object_json(const struct audit_object *o)
{
	json_t *j = json_object(), *from = json_array(), *paths = json_object(),
	    *flags = json_array();
	char buf[24];
	size_t i;

	if (j == NULL || from == NULL || paths == NULL || flags == NULL) {
		json_decref(j);
		json_decref(from);
		json_decref(paths);
		json_decref(flags);
		return NULL;
	}
	snprintf(buf, sizeof buf, "%#lx", (unsigned long)o->addr);
	json_object_set_new(j, "addr", json_string(buf));
	json_object_set_new(j, "type", str_json(o->type));
	json_object_set_new(j, "preview", str_json(o->preview));
	json_object_set_new(j, "owner", o->owner != INTERP_NONE ?
	    json_integer(o->owner) : json_null());
	json_object_set_new(j, "owner_how", str_json(o->owner_how));
	json_object_set_new(j, "classification", str_json(o->classification));
	for (i = 0; i < o->nreachable; i++)
		json_array_append_new(from, json_integer(o->reachable_from[i]));
	json_object_set_new(j, "reachable_from", from);
	for (i = 0; i < o->npaths; i++) {
		snprintf(buf, sizeof buf, "%lld", (long long)o->paths[i].interp);
		json_object_set_new(paths, buf, str_json(o->paths[i].path));
	}
	json_object_set_new(j, "paths", paths);
	json_object_set_new(j, "static_root", str_json(o->static_root));
	for (i = 0; i < NFLAGS; i++) {
		if (o->flags & flag_names[i].flag)
			json_array_append_new(flags, json_string(flag_names[i].name));
	}
	json_object_set_new(j, "flags", flags);
	return j;
}

int
audit_write_json(const struct audit *a, FILE *f)
{
	json_t *root = json_object(), *objs = json_array();
	size_t i;
	int rc;

	if (root == NULL || objs == NULL) {
		json_decref(root);
		json_decref(objs);
		return -1;
	}
	for (i = 0; i < a->nobjects; i++)
		json_array_append_new(objs, object_json(&a->objects[i]));
	json_object_set_new(root, "objects", objs);
	json_object_set_new(root, "harmless", json_integer((json_int_t)a->harmless));
	json_object_set_new(root, "visited", json_integer((json_int_t)a->visited));
	json_object_set_new(root, "seconds", json_real(a->seconds));
	json_object_set_new(root, "budget_reached", json_boolean(a->budget_reached));
	json_object_set_new(root, "note", str_json(a->note));
	rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0 && fputc('\n', f) == EOF)
		rc = -1;
	return rc == 0 && !ferror(f) ? 0 : -1;
}

/* ------------------------------------------------------------- reading */

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

static int
object_from(json_t *j, struct audit_object *o, struct strpool *pool,
    char **cause)
{
	json_t *from = json_object_get(j, "reachable_from"), *v;
	json_t *paths = json_object_get(j, "paths");
	json_t *flags = json_object_get(j, "flags"), *owner;
	const char *addr, *key;
	char *end;
	size_t i, k;

	if (!json_is_object(j) || !json_is_array(from) || !json_is_object(paths) ||
	    !json_is_array(flags)) {
		cause_set(cause, "an object lacks 'reachable_from', 'paths' or "
		    "'flags'");
		return -1;
	}
	if (codec_get_str(j, "addr", false, &addr, cause) != 0 ||
	    get_pooled(j, "type", false, pool, &o->type, cause) != 0 ||
	    get_pooled(j, "preview", true, pool, &o->preview, cause) != 0 ||
	    get_pooled(j, "owner_how", true, pool, &o->owner_how, cause) != 0 ||
	    get_pooled(j, "classification", false, pool, &o->classification,
	    cause) != 0 ||
	    get_pooled(j, "static_root", true, pool, &o->static_root, cause) != 0)
		return -1;
	o->addr = (uintptr_t)strtoull(addr, &end, 16);
	if (addr[0] == '\0' || *end != '\0') {
		cause_set(cause, "'addr' is not an address");
		return -1;
	}
	owner = json_object_get(j, "owner");
	if (json_is_integer(owner))
		o->owner = json_integer_value(owner);
	else if (owner == NULL || json_is_null(owner))
		o->owner = INTERP_NONE;
	else {
		cause_set(cause, "'owner' is not an id");
		return -1;
	}
	o->reachable_from = calloc(json_array_size(from) + 1,
	    sizeof *o->reachable_from);
	o->paths = calloc(json_object_size(paths) + 1, sizeof *o->paths);
	if (o->reachable_from == NULL || o->paths == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	json_array_foreach(from, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			cause_set(cause, "'reachable_from' holds something not an id");
			return -1;
		}
		o->reachable_from[o->nreachable++] = json_integer_value(v);
	}
	json_object_foreach(paths, key, v) {
		const char *p = json_string_value(v);
		long long id = strtoll(key, &end, 10);

		if (p == NULL || *end != '\0' || id < 0) {
			cause_set(cause, "'paths' maps something other than ids to "
			    "strings");
			return -1;
		}
		o->paths[o->npaths].interp = id;
		o->paths[o->npaths++].path = strpool_intern(pool, p, strlen(p));
	}
	json_array_foreach(flags, i, v) {
		const char *s = json_string_value(v);

		for (k = 0; s != NULL && k < NFLAGS; k++) {
			if (strcmp(s, flag_names[k].name) == 0)
				o->flags |= flag_names[k].flag;
		}
	}
	return 0;
}

struct audit *
audit_parse(const char *text, size_t len, char **cause)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err), *objs, *v;
	struct audit *a;
	long long n;
	bool over;
	size_t i;

	if (root == NULL) {
		cause_set(cause, "the audit is not JSON: %s", err.text);
		return NULL;
	}
	a = calloc(1, sizeof *a);
	if (a == NULL || (a->pool = strpool_new()) == NULL) {
		free(a);
		json_decref(root);
		cause_set(cause, "out of memory");
		return NULL;
	}
	objs = json_object_get(root, "objects");
	if (!json_is_array(objs)) {
		cause_set(cause, "'objects' is missing or not an array");
		goto bad;
	}
	if (codec_get_int(root, "harmless", 0, LLONG_MAX, &n, cause) != 0)
		goto bad;
	a->harmless = (size_t)n;
	if (codec_get_int(root, "visited", 0, LLONG_MAX, &n, cause) != 0)
		goto bad;
	a->visited = (size_t)n;
	if (codec_get_bool(root, "budget_reached", &over, cause) != 0 ||
	    get_pooled(root, "note", true, a->pool, &a->note, cause) != 0)
		goto bad;
	a->budget_reached = over;
	a->seconds = json_number_value(json_object_get(root, "seconds"));
	a->objects = calloc(json_array_size(objs) + 1, sizeof *a->objects);
	if (a->objects == NULL) {
		cause_set(cause, "out of memory");
		goto bad;
	}
	json_array_foreach(objs, i, v) {
		a->nobjects++;
		if (object_from(v, &a->objects[i], a->pool, cause) != 0)
			goto bad;
	}
	json_decref(root);
	return a;
bad:
	cause_prefix(cause, "a malformed audit");
	json_decref(root);
	audit_free(a);
	return NULL;
}
