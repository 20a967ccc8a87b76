/*
 * cmd-diff.c: %diff MOD ID ID: one module in two interpreters, attribute by
 * attribute, with both addresses side by side.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "cmd.h"
#include "sharemap.h"

static enum cmd_status
cmd_diff_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *names[1] = { args->pos[0] };
	struct snap_filter filter = {
		.names = names, .nnames = 1, .with_attrs = true,
		.only = INTERP_NONE,
	};
	const struct snap_module *m;
	struct snapshot *snap;
	interp_id ids[2];
	char l0[INTERP_LABEL_MAX], l1[INTERP_LABEL_MAX];
	char a0[24], a1[24], verdict[512], *cause = NULL;
	int namew = 9, i;
	size_t k;

	if (cmd_resolve_interp(ctx, args->pos[1], &ids[0]) != 0 ||
	    cmd_resolve_interp(ctx, args->pos[2], &ids[1]) != 0)
		return CMD_ERROR;
	if (ids[0] == ids[1]) {
		cmd_error(ctx, "give two different interpreters (both are %lld)",
		    (long long)ids[0]);
		return CMD_ERROR;
	}
	if (session_snapshot(ctx->session, &filter, &snap, &cause) != 0)
		return cmd_fail(ctx, cause);
	snapshot_restrict(snap, ids, 2);
	m = snapshot_module(snap, args->pos[0]);
	for (i = 0; i < 2; i++) {
		if (m == NULL || snap_module_instance(m, ids[i]) == NULL) {
			cmd_interp_label(ctx, ids[i], l0, sizeof l0);
			cmd_error(ctx, "%s has no module named '%s' (%%import %s "
			    "--in %lld first)", l0, args->pos[0], args->pos[0],
			    (long long)ids[i]);
			snapshot_free(snap);
			return CMD_ERROR;
		}
	}
	cmd_interp_label(ctx, ids[0], l0, sizeof l0);
	cmd_interp_label(ctx, ids[1], l1, sizeof l1);
	fprintf(ctx->out, "%s  %s", m->name, module_kind_name(m->kind));
	if (m->has_def)
		fprintf(ctx->out, ", m_size %ld", m->m_size);
	fputc('\n', ctx->out);
	for (k = 0; k < m->nattrs; k++) {
		if ((int)strlen(m->attrs[k].name) > namew)
			namew = (int)strlen(m->attrs[k].name);
	}
	if (namew > 28)
		namew = 28;
	fprintf(ctx->out, "  %-*s  %-16s  %-16s  %s\n", namew, "", l0, l1, "");
	{
		const struct snap_instance *x = snap_module_instance(m, ids[0]);
		const struct snap_instance *y = snap_module_instance(m, ids[1]);
		struct { const char *what; uintptr_t a, b; } rows[] = {
			{ "module", x->module, y->module },
			{ "__dict__", x->dict, y->dict },
			{ "def", x->def, y->def },
			{ "m_copy", x->m_copy, y->m_copy },
		};

		for (i = 0; i < 4; i++)
			fprintf(ctx->out, "  %-*s  %-16s  %-16s  %s\n", namew,
			    rows[i].what, cmd_addr(rows[i].a, a0),
			    cmd_addr(rows[i].b, a1),
			    rows[i].a == 0 && rows[i].b == 0 ? "" :
			    rows[i].a == rows[i].b ? "same" : "different");
	}
	for (k = 0; k < m->nattrs; k++) {
		const struct snap_attr *a = &m->attrs[k];
		const struct snap_object *x = snap_attr_object(a, ids[0]);
		const struct snap_object *y = snap_attr_object(a, ids[1]);

		sharemap_verdict(ctx, a, verdict, sizeof verdict);
		fprintf(ctx->out, "%c %-*s  %-16s  %-16s  %s%s%s\n",
		    a->sharing == SHARING_SHARED ? '!' : ' ', namew, a->name,
		    x != NULL ? cmd_addr(x->addr, a0) : "(absent)",
		    y != NULL ? cmd_addr(y->addr, a1) : "(absent)",
		    color_on(ctx->out, sharemap_color(a)), verdict,
		    color_off(ctx->out));
	}
	snapshot_free(snap);
	return CMD_NORMAL;
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.usage = "%diff MOD ID|NAME ID|NAME",
	.summary = "compare one module in two interpreters, attribute by attribute",
	.help =
	    "Shows MOD as two interpreters have it: the module objects, dicts,\n"
	    "PyModuleDef and m_copy side by side, then one attribute a line with\n"
	    "both addresses and the verdict for these two interpreters (SHARED,\n"
	    "static in FILE, immortal, distinct).",
	.min_args = 3,
	.max_args = 3,
	.arg_kind = ARG_INTERP,
	.exec = cmd_diff_exec,
};
