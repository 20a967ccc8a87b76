/*
 * statics-json.c: statics as JSON and back (docs/snapshot.md, "Statics"),
 * the form they cross the host's socket in and %statics --json writes.
 * Small documents (a few hundred symbols), so jansson builds them; every
 * member is checked when reading, as the wire's codecs do.
 */
#include "config.h"

#include "statics.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cause.h"
#include "strpool.h"
#include "wire-codec.h"

const char *
static_kind_name(enum static_kind kind)
{
	switch (kind) {
	case STATIC_OBJECT:
		return "object";
	case STATIC_TYPE:
		return "type";
	case STATIC_DATA:
		break;
	}
	return "data";
}

void
statics_free(struct statics *st)
{
	size_t i, j, k;

	if (st == NULL)
		return;
	for (i = 0; i < st->nfiles; i++) {
		struct static_file *f = &st->files[i];

		for (j = 0; j < f->nsymbols; j++) {
			for (k = 0; k < f->symbols[j].nrefs; k++)
				free(f->symbols[j].refs[k].reachable_from);
			free(f->symbols[j].refs);
		}
		free(f->symbols);
		free(f->modules);
		free(f->interps);
	}
	free(st->files);
	strpool_free(st->pool);
	free(st);
}

/* ------------------------------------------------------------- writing */

static json_t *
addr_json(uintptr_t a)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%#lx", (unsigned long)a);
	return json_string(buf);
}

/* A string jansson takes (UTF-8), or null. */
static json_t *
str_json(const char *s)
{
	json_t *j = s != NULL ? json_string(s) : NULL;

	return j != NULL ? j : json_null();
}

static json_t *
symbol_json(const struct static_symbol *s)
{
	json_t *o = json_object(), *refs;
	size_t i;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "name", str_json(s->name));
	json_object_set_new(o, "section", str_json(s->section));
	json_object_set_new(o, "addr", addr_json(s->addr));
	json_object_set_new(o, "size", json_integer((json_int_t)s->size));
	json_object_set_new(o, "scope", json_string(s->local ? "local" :
	    "global"));
	json_object_set_new(o, "kind", json_string(static_kind_name(s->kind)));
	if (s->kind == STATIC_TYPE)
		json_object_set_new(o, "type_name", str_json(s->type_name));
	if (s->has_value) {
		json_object_set_new(o, "value", json_integer(s->value));
		if (s->changed)
			json_object_set_new(o, "was", json_integer(s->was));
	}
	if (s->kind == STATIC_OBJECT) {
		refs = json_array();
		for (i = 0; refs != NULL && i < s->nrefs; i++) {
			const struct static_ref *r = &s->refs[i];
			json_t *from = json_array();
			size_t k;

			for (k = 0; from != NULL && k < r->nreachable; k++)
				json_array_append_new(from,
				    json_integer(r->reachable_from[k]));
			json_array_append_new(refs, json_pack("{s:I, s:o, s:o, s:o, "
			    "s:o, s:b, s:o}", "offset", (json_int_t)r->offset,
			    "addr", addr_json(r->addr), "type", str_json(r->type),
			    "preview", str_json(r->preview), "owner",
			    r->owner != INTERP_NONE ? json_integer(r->owner) :
			    json_null(), "owner_destroyed", r->owner_destroyed,
			    "reachable_from", from != NULL ? from : json_array()));
		}
		json_object_set_new(o, "objects", refs);
	}
	return o;
}

static json_t *
file_json(const struct static_file *f)
{
	json_t *o = json_object(), *mods = json_array(), *ids = json_array(),
	    *syms = json_array();
	size_t i;

	if (o == NULL || mods == NULL || ids == NULL || syms == NULL) {
		json_decref(o);
		json_decref(mods);
		json_decref(ids);
		json_decref(syms);
		return NULL;
	}
	for (i = 0; i < f->nmodules; i++)
		json_array_append_new(mods, str_json(f->modules[i]));
	for (i = 0; i < f->ninterps; i++)
		json_array_append_new(ids, json_integer(f->interps[i]));
	for (i = 0; i < f->nsymbols; i++)
		json_array_append_new(syms, symbol_json(&f->symbols[i]));
	json_object_set_new(o, "path", str_json(f->path));
	json_object_set_new(o, "symtab", str_json(f->symtab));
	json_object_set_new(o, "modules", mods);
	json_object_set_new(o, "interps", ids);
	json_object_set_new(o, "symbols", syms);
	return o;
}

int
statics_write_json(const struct statics *st, FILE *f)
{
	json_t *root = json_object(), *files = json_array();
	size_t i;
	int rc;

	if (root == NULL || files == NULL) {
		json_decref(root);
		json_decref(files);
		return -1;
	}
	for (i = 0; i < st->nfiles; i++)
		json_array_append_new(files, file_json(&st->files[i]));
	json_object_set_new(root, "files", files);
	rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0 && fputc('\n', f) == EOF)
		rc = -1;
	return rc == 0 && !ferror(f) ? 0 : -1;
}

/* ------------------------------------------------------------- reading */

static int
get_hex(json_t *o, const char *key, uintptr_t *v, char **cause)
{
	const char *s;
	char *end;

	if (codec_get_str(o, key, false, &s, cause) != 0)
		return -1;
	*v = (uintptr_t)strtoull(s, &end, 16);
	if (s[0] == '\0' || *end != '\0') {
		cause_set(cause, "'%s' is not an address", key);
		return -1;
	}
	return 0;
}

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
get_array(json_t *o, const char *key, json_t **a, char **cause)
{
	*a = json_object_get(o, key);
	if (!json_is_array(*a)) {
		cause_set(cause, "'%s' is missing or not an array", key);
		return -1;
	}
	return 0;
}

/* An object's owner and the interpreters that reach it. */
static int
ids_from(json_t *o, struct static_ref *r, char **cause)
{
	json_t *owner = json_object_get(o, "owner");
	json_t *from = json_object_get(o, "reachable_from"), *v;
	size_t i;

	if (codec_get_bool(o, "owner_destroyed", &r->owner_destroyed, cause) != 0)
		return -1;
	if (json_is_integer(owner) && json_integer_value(owner) >= 0)
		r->owner = json_integer_value(owner);
	else if (json_is_null(owner))
		r->owner = INTERP_NONE;
	else {
		cause_set(cause, "'owner' is missing or not an id");
		return -1;
	}
	if (!json_is_array(from)) {
		cause_set(cause, "'reachable_from' is missing or not an array");
		return -1;
	}
	r->reachable_from = calloc(json_array_size(from) + 1,
	    sizeof *r->reachable_from);
	if (r->reachable_from == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	json_array_foreach(from, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			cause_set(cause, "'reachable_from' holds something not an id");
			return -1;
		}
		r->reachable_from[r->nreachable++] = json_integer_value(v);
	}
	return 0;
}

static int
ref_from(json_t *o, struct static_ref *r, struct strpool *pool, char **cause)
{
	long long off;

	if (!json_is_object(o) ||
	    codec_get_int(o, "offset", 0, LLONG_MAX, &off, cause) != 0 ||
	    get_hex(o, "addr", &r->addr, cause) != 0 ||
	    get_pooled(o, "type", false, pool, &r->type, cause) != 0 ||
	    get_pooled(o, "preview", true, pool, &r->preview, cause) != 0) {
		if (!json_is_object(o))
			cause_set(cause, "an object is not a JSON object");
		return -1;
	}
	r->offset = (size_t)off;
	return ids_from(o, r, cause);
}

static int
symbol_from(json_t *o, struct static_symbol *s, struct strpool *pool,
    char **cause)
{
	static const char *const kinds[] = { "data", "object", "type" };
	const char *scope, *kind;
	long long size;
	json_t *refs, *v;
	size_t i;
	int k;

	if (!json_is_object(o)) {
		cause_set(cause, "a symbol is not an object");
		return -1;
	}
	if (get_pooled(o, "name", true, pool, &s->name, cause) != 0 ||
	    get_pooled(o, "section", true, pool, &s->section, cause) != 0 ||
	    get_hex(o, "addr", &s->addr, cause) != 0 ||
	    codec_get_int(o, "size", 0, LLONG_MAX, &size, cause) != 0 ||
	    codec_get_str(o, "scope", false, &scope, cause) != 0 ||
	    codec_get_str(o, "kind", false, &kind, cause) != 0)
		return -1;
	s->size = (size_t)size;
	s->local = strcmp(scope, "local") == 0;
	for (k = 0; k < 3 && strcmp(kinds[k], kind) != 0; k++)
		;
	if (k == 3) {
		cause_set(cause, "'kind' has an unknown value '%.32s'", kind);
		return -1;
	}
	s->kind = (enum static_kind)k;
	if (s->kind == STATIC_TYPE &&
	    get_pooled(o, "type_name", false, pool, &s->type_name, cause) != 0)
		return -1;
	if (json_object_get(o, "value") != NULL) {
		s->has_value = true;
		if (codec_get_int(o, "value", LLONG_MIN, LLONG_MAX, &s->value,
		    cause) != 0)
			return -1;
		if (json_object_get(o, "was") != NULL) {
			s->changed = true;
			if (codec_get_int(o, "was", LLONG_MIN, LLONG_MAX, &s->was,
			    cause) != 0)
				return -1;
		}
	}
	if (s->kind != STATIC_OBJECT)
		return 0;
	if (get_array(o, "objects", &refs, cause) != 0)
		return -1;
	s->refs = calloc(json_array_size(refs) + 1, sizeof *s->refs);
	if (s->refs == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	json_array_foreach(refs, i, v) {
		if (ref_from(v, &s->refs[i], pool, cause) != 0)
			return -1;
		s->nrefs++;
	}
	return 0;
}

static int
file_from(json_t *o, struct static_file *f, struct strpool *pool, char **cause)
{
	json_t *mods, *ids, *syms, *v;
	size_t i;

	if (!json_is_object(o)) {
		cause_set(cause, "a file is not an object");
		return -1;
	}
	if (get_pooled(o, "path", false, pool, &f->path, cause) != 0 ||
	    get_pooled(o, "symtab", true, pool, &f->symtab, cause) != 0 ||
	    get_array(o, "modules", &mods, cause) != 0 ||
	    get_array(o, "interps", &ids, cause) != 0 ||
	    get_array(o, "symbols", &syms, cause) != 0)
		return -1;
	f->modules = calloc(json_array_size(mods) + 1, sizeof *f->modules);
	f->interps = calloc(json_array_size(ids) + 1, sizeof *f->interps);
	f->symbols = calloc(json_array_size(syms) + 1, sizeof *f->symbols);
	if (f->modules == NULL || f->interps == NULL || f->symbols == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	json_array_foreach(mods, i, v) {
		const char *s = json_string_value(v);

		if (s == NULL || (f->modules[i] = strpool_intern(pool, s,
		    strlen(s))) == NULL) {
			cause_set(cause, "'modules' holds something not a string");
			return -1;
		}
		f->nmodules++;
	}
	json_array_foreach(ids, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			cause_set(cause, "'interps' holds something not an id");
			return -1;
		}
		f->interps[i] = json_integer_value(v);
		f->ninterps++;
	}
	json_array_foreach(syms, i, v) {
		/* counted first, so a half-read symbol is freed too */
		f->nsymbols++;
		if (symbol_from(v, &f->symbols[i], pool, cause) != 0)
			return -1;
	}
	return 0;
}

struct statics *
statics_parse(const char *text, size_t len, char **cause)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, 0, &err), *files, *v;
	struct statics *st;
	size_t i;

	if (root == NULL) {
		cause_set(cause, "the statics are not JSON: %s", err.text);
		return NULL;
	}
	st = calloc(1, sizeof *st);
	if (st == NULL || (st->pool = strpool_new()) == NULL) {
		free(st);
		json_decref(root);
		cause_set(cause, "out of memory");
		return NULL;
	}
	if (!json_is_object(root) || get_array(root, "files", &files, cause) != 0)
		goto bad;
	st->files = calloc(json_array_size(files) + 1, sizeof *st->files);
	if (st->files == NULL) {
		cause_set(cause, "out of memory");
		goto bad;
	}
	json_array_foreach(files, i, v) {
		st->nfiles++;
		if (file_from(v, &st->files[i], st->pool, cause) != 0)
			goto bad;
	}
	json_decref(root);
	return st;
bad:
	if (cause != NULL && *cause == NULL)
		cause_set(cause, "not an object with 'files'");
	cause_prefix(cause, "malformed statics");
	json_decref(root);
	statics_free(st);
	return NULL;
}
