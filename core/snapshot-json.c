/*
 * snapshot-json.c: a snapshot as JSON, in the documented contract
 * (docs/snapshot.md), streamed straight to a FILE.
 *
 * Why not build it with jansson: a snapshot of 33 interpreters with a
 * realistic set of modules has a quarter of a million attribute values, and
 * building a document tree of that size costs several times the collection
 * itself (measured: 260 ms against 60 ms). Streaming writes each value once.
 * The output is one attribute per line: readable, and two snapshots diff
 * well. The tests parse what this writes with jansson.
 *
 * Addresses are strings ("0x7f..."): JSON numbers lose precision past 2^53
 * in many readers.
 */
#include "config.h"

#include "snapshot-json.h"

#include <stdio.h>

/* A JSON string: quotes, backslashes and control characters escaped; the
 * text is UTF-8 already (it came from PyUnicode_AsUTF8). */
static void
put_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				putc(*p, f);
		}
	}
	putc('"', f);
}

static void
put_addr(FILE *f, uintptr_t a)
{
	if (a == 0)
		fputs("null", f);
	else
		fprintf(f, "\"%#lx\"", (unsigned long)a);
}

static const char *
boolean(bool b)
{
	return b ? "true" : "false";
}

static void
put_interp(FILE *f, const struct interp_info *i)
{
	const struct interp_config *c = &i->config;

	fprintf(f, "    {\"id\": %lld, \"name\": ", (long long)i->id);
	put_str(f, i->name[0] != '\0' ? i->name : NULL);
	fprintf(f, ", \"current\": %s, \"modules\": %ld, \"config\": {\"preset\": ",
	    boolean(i->current), i->modules);
	put_str(f, c->preset);
	fprintf(f, ", \"own_gil\": %s, \"own_obmalloc\": %s, "
	    "\"check_multi_interp_extensions\": %s, \"allow_fork\": %s, "
	    "\"allow_exec\": %s, \"allow_threads\": %s, "
	    "\"allow_daemon_threads\": %s}}",
	    boolean(c->own_gil), boolean(c->own_obmalloc), boolean(c->check_ext),
	    boolean(c->allow_fork), boolean(c->allow_exec),
	    boolean(c->allow_threads), boolean(c->allow_daemon_threads));
}

static void
put_slot(FILE *f, int v, const char *const *names, int count)
{
	if (v < 0)
		fputs("null", f);
	else if (v < count)
		put_str(f, names[v]);
	else
		fprintf(f, "%d", v);
}

static void
put_module(FILE *f, const struct snap_module *m)
{
	static const char *const multi[] = { "not_supported", "supported",
	    "per_interpreter_gil_supported" };
	static const char *const gil[] = { "used", "not_used" };
	size_t i, j;

	fputs("    {\"name\": ", f);
	put_str(f, m->name);
	fputs(", \"kind\": ", f);
	put_str(f, module_kind_name(m->kind));
	if (m->has_def)
		fprintf(f, ", \"m_size\": %ld", m->m_size);
	else
		fputs(", \"m_size\": null", f);
	fputs(", \"file\": ", f);
	put_str(f, m->file);
	fputs(",\n     \"multiple_interpreters\": ", f);
	put_slot(f, m->multi_interp, multi, 3);
	fputs(", \"gil\": ", f);
	put_slot(f, m->gil, gil, 2);
	fputs(",\n     \"instances\": [", f);
	for (i = 0; i < m->ninstances; i++) {
		const struct snap_instance *in = &m->instances[i];

		fprintf(f, "%s\n      {\"interp\": %lld, \"module\": ", i > 0 ? "," : "",
		    (long long)in->interp);
		put_addr(f, in->module);
		fputs(", \"dict\": ", f);
		put_addr(f, in->dict);
		fputs(", \"def\": ", f);
		put_addr(f, in->def);
		fputs(", \"m_copy\": ", f);
		put_addr(f, in->m_copy);
		if (in->m_copy_size >= 0)
			fprintf(f, ", \"m_copy_size\": %ld", in->m_copy_size);
		else
			fputs(", \"m_copy_size\": null", f);
		fprintf(f, ", \"from_m_copy\": %s}", boolean(in->copied));
	}
	fputs("],\n     \"attributes\": [", f);
	for (i = 0; i < m->nattrs; i++) {
		const struct snap_attr *a = &m->attrs[i];

		fprintf(f, "%s\n      {\"name\": ", i > 0 ? "," : "");
		put_str(f, a->name);
		fputs(", \"type\": ", f);
		put_str(f, a->type);
		fputs(", \"sharing\": ", f);
		put_str(f, sharing_name(a->sharing));
		if (a->holds_shared)
			fputs(", \"holds_shared\": true", f);
		fputs(", \"static_in\": ", f);
		put_str(f, a->static_in);
		if (a->owner == INTERP_HIDDEN)
			fputs(", \"owner\": null, \"owner_hidden\": true", f);
		else if (a->owner != INTERP_NONE)
			fprintf(f, ", \"owner\": %lld", (long long)a->owner);
		else
			fputs(", \"owner\": null", f);
		fputs(", \"objects\": [", f);
		for (j = 0; j < a->nobjects; j++) {
			const struct snap_object *o = &a->objects[j];

			fprintf(f, "%s{\"interp\": %lld, \"addr\": ", j > 0 ? ", " : "",
			    (long long)o->interp);
			put_addr(f, o->addr);
			/* what the verdict was made from, so a reader (and the
			 * front end, for %diff) can classify again */
			if (o->static_in != NULL) {
				fputs(", \"static_in\": ", f);
				put_str(f, o->static_in);
			}
			if (o->immortal)
				fputs(", \"immortal\": true", f);
			if (o->self != 0) {
				fputs(", \"self\": ", f);
				put_addr(f, o->self);
			}
			if (o->self_module)
				fputs(", \"self_module\": true", f);
			if (o->preview != NULL) {
				fputs(", \"preview\": ", f);
				put_str(f, o->preview);
			}
			putc('}', f);
		}
		fputs("]}", f);
	}
	fputs("]}", f);
}

int
snapshot_write_json(const struct snapshot *snap, FILE *f)
{
	size_t i;

	fputs("{\n  \"python\": {\"version\": ", f);
	put_str(f, snap->python_version);
	fputs("},\n  \"interpreters\": [", f);
	for (i = 0; i < snap->ninterps; i++) {
		fputs(i > 0 ? ",\n" : "\n", f);
		put_interp(f, &snap->interps[i]);
	}
	fputs("\n  ],\n  \"modules\": [", f);
	for (i = 0; i < snap->nmodules; i++) {
		fputs(i > 0 ? ",\n" : "\n", f);
		put_module(f, &snap->modules[i]);
	}
	fputs("\n  ]\n}\n", f);
	return ferror(f) ? -1 : 0;
}
