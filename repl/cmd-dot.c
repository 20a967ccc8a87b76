/*
 * cmd-dot.c: %dot [FILE|-] [MOD...]: the sharing map as a Graphviz graph a
 * teacher can render (`dot -Tsvg`).
 *
 * Layout: one cluster per interpreter holding its module objects; each
 * module node names its dict and def. An object that several interpreters
 * reach is ONE node outside the clusters, with a "contains" edge (labelled
 * with the attribute name) from every module that holds it: shared heap
 * objects are red, static and immortal ones blue, so the picture says which
 * arrows cross an interpreter boundary dangerously. Distinct values are
 * only counted in their module's label; drawing them would bury the point.
 * A single-phase module's m_copy is a node too, with a "same object" edge to
 * every module made from it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"

static const char *const dot_options[] = { "--audit", NULL };

/* Graphviz string contents: escape quotes and backslashes. */
static void
quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
write_interps(struct cmd_ctx *ctx, FILE *f, const struct snapshot *snap)
{
	char label[INTERP_LABEL_MAX], text[512], a1[24], a2[24];
	size_t i, j, k;

	for (i = 0; i < snap->ninterps; i++) {
		const struct interp_info *in = &snap->interps[i];

		interp_info_label(in, label, sizeof label);
		fprintf(f, "  subgraph cluster_i%lld {\n    label=", (long long)in->id);
		quoted(f, label);
		fprintf(f, ";\n    style=rounded; color=gray40;\n");
		for (j = 0; j < snap->nmodules; j++) {
			const struct snap_module *m = &snap->modules[j];
			const struct snap_instance *inst = snap_module_instance(m, in->id);
			size_t distinct = 0;

			if (inst == NULL)
				continue;
			for (k = 0; k < m->nattrs; k++) {
				if (snap_attr_object(&m->attrs[k], in->id) != NULL &&
				    m->attrs[k].sharing == SHARING_DISTINCT)
					distinct++;
			}
			snprintf(text, sizeof text, "%s\nmodule %s\ndict %s%s\n%zu distinct values",
			    m->name, cmd_addr(inst->module, a1), cmd_addr(inst->dict, a2),
			    inst->copied ? "\n(made from m_copy)" : "", distinct);
			fprintf(f, "    m%zu_i%lld [shape=box, label=", j, (long long)in->id);
			quoted(f, text);
			fprintf(f, "];\n");
		}
		fprintf(f, "  }\n");
	}
	(void)ctx;
}

static void
write_objects(FILE *f, const struct snapshot *snap)
{
	char text[512], a[24];
	size_t j, k, o;

	for (j = 0; j < snap->nmodules; j++) {
		const struct snap_module *m = &snap->modules[j];
		uintptr_t copy = 0;

		for (k = 0; k < m->ninstances; k++) {
			if (m->instances[k].m_copy != 0)
				copy = m->instances[k].m_copy;
		}
		if (copy != 0) {
			snprintf(text, sizeof text, "m_copy of %s\n%s", m->name,
			    cmd_addr(copy, a));
			fprintf(f, "  c%zu [shape=folder, style=filled, fillcolor=lightyellow, label=", j);
			quoted(f, text);
			fprintf(f, "];\n");
			for (k = 0; k < m->ninstances; k++) {
				if (m->instances[k].copied || m->instances[k].m_copy == copy)
					fprintf(f, "  c%zu -> m%zu_i%lld [style=dashed, label=\"%s\"];\n",
					    j, j, (long long)m->instances[k].interp,
					    m->instances[k].copied ? "filled from" : "saved from");
			}
		}
		for (k = 0; k < m->nattrs; k++) {
			const struct snap_attr *at = &m->attrs[k];
			const char *fill = at->sharing == SHARING_SHARED ? "tomato" : "lightblue";

			if (at->sharing == SHARING_DISTINCT || at->nobjects < 2)
				continue;
			if (at->sharing == SHARING_SHARED)
				snprintf(text, sizeof text, "SHARED %s\n%s.%s\n%s", at->type,
				    m->name, at->name, cmd_addr(at->objects[0].addr, a));
			else if (at->sharing == SHARING_STATIC)
				snprintf(text, sizeof text, "static %s in %s\n%s.%s",
				    at->type, at->static_in, m->name, at->name);
			else
				snprintf(text, sizeof text, "immortal %s\n%s.%s", at->type,
				    m->name, at->name);
			fprintf(f, "  o%zu_%zu [shape=ellipse, style=filled, fillcolor=%s, label=",
			    j, k, fill);
			quoted(f, text);
			fprintf(f, "];\n");
			for (o = 0; o < at->nobjects; o++)
				fprintf(f, "  m%zu_i%lld -> o%zu_%zu [label=\"contains\", color=%s];\n",
				    j, (long long)at->objects[o].interp, j, k,
				    at->sharing == SHARING_SHARED ? "red" : "blue");
		}
	}
}

/* The audit as a graph: each interpreter a node, each object where the
 * crossing starts (and each dangerous one) a node, an edge from every
 * interpreter that reaches it labelled with its path, and the C static
 * that holds it. */
static void
write_audit(struct cmd_ctx *ctx, FILE *f, const struct audit *a)
{
	char label[INTERP_LABEL_MAX], text[640], addr[24];
	size_t i, j;
	interp_id seen[256];
	size_t nseen = 0, k;

	for (i = 0; i < a->nobjects; i++) {
		const struct audit_object *o = &a->objects[i];

		if (o->npaths == 0)
			continue;
		for (j = 0; j < o->npaths; j++) {
			for (k = 0; k < nseen && seen[k] != o->paths[j].interp; k++)
				;
			if (k < nseen || nseen == 256)
				continue;
			seen[nseen++] = o->paths[j].interp;
			cmd_interp_label(ctx, o->paths[j].interp, label, sizeof label);
			fprintf(f, "  i%lld [shape=box, style=rounded, label=",
			    (long long)o->paths[j].interp);
			quoted(f, label);
			fprintf(f, "];\n");
		}
		snprintf(text, sizeof text, "%s %s%s%s%s", o->type,
		    cmd_addr(o->addr, addr), o->preview != NULL ? "\n" : "",
		    o->preview != NULL ? o->preview : "",
		    o->flags & AUDIT_OWNER_DESTROYED ? "\nits interpreter was "
		    "destroyed" : o->flags & AUDIT_FOREIGN_TYPE ? "\nanother "
		    "interpreter's class" : o->flags & AUDIT_FOREIGN_GLOBALS ?
		    "\nanother interpreter's globals" : "");
		fprintf(f, "  a%zu [label=", i);
		quoted(f, text);
		fprintf(f, ", color=%s];\n", strcmp(o->classification, "shared") == 0 ?
		    "red" : "orange");
		for (j = 0; j < o->npaths; j++) {
			fprintf(f, "  i%lld -> a%zu [label=",
			    (long long)o->paths[j].interp, i);
			quoted(f, o->paths[j].path);
			fprintf(f, "];\n");
		}
		if (o->static_root != NULL) {
			const char *colon = strchr(o->static_root, ':');
			size_t root = colon == NULL ? strlen(o->static_root) :
			    (size_t)(colon - o->static_root) + 1 +
			    strcspn(colon + 1, "[. ");

			snprintf(text, sizeof text, "%.*s", (int)root, o->static_root);
			fprintf(f, "  s%zu [shape=note, label=", i);
			quoted(f, text);
			fprintf(f, "];\n  s%zu -> a%zu [style=dashed];\n", i, i);
		}
	}
}

/* %dot --audit: the audit's paths instead of the sharing map. */
static enum cmd_status
dot_audit(struct cmd_ctx *ctx, const char *path, const char *const *mods,
    size_t nmod)
{
	struct audit *a;
	char *cause = NULL;
	FILE *f;
	int rc;

	if (session_audit(ctx->session, mods, nmod, NULL, 0, false, &a,
	    &cause) != 0)
		return cmd_fail(ctx, cause);
	f = output_open(ctx, path);
	if (f == NULL) {
		audit_free(a);
		return CMD_ERROR;
	}
	fprintf(f, "digraph subrepl_audit {\n  graph [rankdir=LR, fontname="
	    "\"Helvetica\", label=\"where objects cross interpreters: each "
	    "edge is that interpreter's shortest path (red: shared, orange: "
	    "held by an interpreter that does not own it)\"];\n  node "
	    "[fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", "
	    "fontsize=9];\n");
	write_audit(ctx, f, a);
	fprintf(f, "}\n");
	audit_free(a);
	rc = output_close(ctx, f, path);
	if (rc == 0 && f != ctx->out && ctx->verbose)
		fprintf(ctx->out, "wrote %s (render it with: dot -Tsvg %s -o "
		    "audit.svg)\n", path, path);
	return rc == 0 ? CMD_NORMAL : CMD_ERROR;
}

static enum cmd_status
cmd_dot_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *path = args->npos > 0 ? args->pos[0] : "-";
	struct snap_filter filter = {
		.names = args->npos > 1 ? (const char *const *)args->pos + 1 : NULL,
		.nnames = args->npos > 1 ? (size_t)args->npos - 1 : 0,
		.shared_extensions = true,
		.with_attrs = true,
		.only = INTERP_NONE,
	};
	enum cmd_status st;
	struct snapshot *snap;
	char *cause = NULL;
	FILE *f;
	int rc;

	if (cmd_args_flag(args, "--audit"))
		return dot_audit(ctx, path, filter.names, filter.nnames);
	if (session_snapshot(ctx->session, &filter, &snap, &cause) != 0)
		return cmd_fail(ctx, cause);
	f = output_open(ctx, path);
	if (f == NULL) {
		snapshot_free(snap);
		return CMD_ERROR;
	}
	fprintf(f, "digraph subrepl {\n  graph [rankdir=LR, fontname=\"Helvetica\", "
	    "label=\"Python %s: red = one heap object reached from several "
	    "interpreters\"];\n  node [fontname=\"Helvetica\"];\n  edge "
	    "[fontname=\"Helvetica\", fontsize=10];\n", snap->python_version);
	write_interps(ctx, f, snap);
	write_objects(f, snap);
	fprintf(f, "}\n");
	rc = output_close(ctx, f, path);
	if (rc == 0 && f != ctx->out && ctx->verbose)
		fprintf(ctx->out, "wrote %s (render it with: dot -Tsvg %s -o map.svg)\n",
		    path, path);
	/* after the graph, which is drawn all the same */
	st = rc == 0 ? cmd_modules_missing(ctx, snap, filter.names,
	    filter.nnames) : CMD_ERROR;
	snapshot_free(snap);
	return st;
}

const struct cmd_entry cmd_dot_entry = {
	.name = "dot",
	.usage = "%dot [--audit] [FILE|-] [MOD...]",
	.summary = "write the sharing map as a Graphviz graph",
	.help =
	    "Writes the sharing map (the modules of %share, or the MODs named)\n"
	    "as a Graphviz graph to FILE or the output: one box per module in\n"
	    "each interpreter's cluster, one node per object several\n"
	    "interpreters reach (red: a shared heap object; blue: static or\n"
	    "immortal) with a 'contains' edge from each module holding it, and\n"
	    "each m_copy with edges to the modules made from it. With --audit:\n"
	    "the objects where crossing between interpreters starts (and the\n"
	    "dangerous ones), an edge from each interpreter labelled with its\n"
	    "path, and the C static holding each. Render it with\n"
	    "dot -Tsvg FILE -o map.svg.",
	.options = dot_options,
	.min_args = 0,
	.max_args = -1,
	.exec = cmd_dot_exec,
};
