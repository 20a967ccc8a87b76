/*
 * cmd-modules.c: %modules [ID|NAME]: an interpreter's sys.modules, one
 * module a line, with how each was made: Python source, frozen, builtin or
 * extension, single- or multi-phase, its m_size and multi-interpreter
 * slots, its PyModuleDef and file.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char *
multi_interp_name(int v)
{
	switch (v) {
	case 0:
		return "not-supported";
	case 1:
		return "supported";
	case 2:
		return "per-interp-GIL";
	}
	return NULL;
}

/* "multi-interp=supported gil=not-used", "-" when the def declares none. */
static void
slots(const struct snap_module *m, char *buf, size_t size)
{
	const char *mi = multi_interp_name(m->multi_interp);
	int w = 0;

	buf[0] = '\0';
	if (mi != NULL)
		w = snprintf(buf, size, "multi-interp=%s", mi);
	if (m->gil >= 0 && w >= 0 && (size_t)w < size)
		snprintf(buf + w, size - (size_t)w, "%sgil=%s", w > 0 ? " " : "",
		    m->gil == 1 ? "not-used" : "used");
	if (buf[0] == '\0')
		snprintf(buf, size, "-");
}

static const char *const modules_options[] = { "--all", NULL };

static enum cmd_status
cmd_modules_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct snap_filter filter = { .only = INTERP_NONE };
	struct snapshot *snap;
	char label[INTERP_LABEL_MAX], slot[64], def[24], size[24], *cause = NULL;
	bool all = cmd_args_flag(args, "--all");
	int namew = 6;
	size_t i, own = 0;

	filter.only = session_current(ctx->session);
	if (args->npos > 0 && cmd_resolve_interp(ctx, args->pos[0], &filter.only) != 0)
		return CMD_ERROR;
	if (session_snapshot(ctx->session, &filter, &snap, &cause) != 0)
		return cmd_fail(ctx, cause);
	cmd_interp_label(ctx, filter.only, label, sizeof label);
	for (i = 0; i < snap->nmodules; i++)
		own += session_own_module(filter.only, snap->modules[i].name);
	if (all || own == 0)
		fprintf(ctx->out, "%s: %zu modules\n", label, snap->nmodules);
	else
		fprintf(ctx->out, "%s: %zu modules, and %zu of subrepl's own "
		    "(%%modules --all lists %s)\n", label, snap->nmodules - own, own,
		    own == 1 ? "it" : "them");
	for (i = 0; i < snap->nmodules; i++) {
		if ((int)strlen(snap->modules[i].name) > namew)
			namew = (int)strlen(snap->modules[i].name);
	}
	if (namew > 32)
		namew = 32;
	fprintf(ctx->out, "  %-*s  %-20s  %6s  %-32s  %-14s  %s\n", namew,
	    "MODULE", "KIND", "M_SIZE", "SLOTS", "DEF", "FILE");
	for (i = 0; i < snap->nmodules; i++) {
		const struct snap_module *m = &snap->modules[i];

		if (!all && session_own_module(filter.only, m->name))
			continue;
		slots(m, slot, sizeof slot);
		if (m->has_def)
			snprintf(size, sizeof size, "%ld", m->m_size);
		else
			snprintf(size, sizeof size, "-");
		fprintf(ctx->out, "  %-*s  %-20s  %6s  %-32s  %-14s  %s\n", namew,
		    m->name, module_kind_name(m->kind), size, slot,
		    cmd_addr(m->instances[0].def, def),
		    m->file != NULL ? m->file : "-");
	}
	snapshot_free(snap);
	return CMD_NORMAL;
}

const struct cmd_entry cmd_modules_entry = {
	.name = "modules",
	.usage = "%modules [ID|NAME] [--all]",
	.summary = "list an interpreter's modules and how each was made",
	.help =
	    "Lists sys.modules of the current (or the named) interpreter: each\n"
	    "module's kind (python, frozen, namespace, builtin-single-phase,\n"
	    "builtin-multi-phase, single-phase or multi-phase extension), the\n"
	    "m_size of its PyModuleDef, the Py_mod_multiple_interpreters and\n"
	    "Py_mod_gil slots it declares (3.12+, 3.13+), the address of the\n"
	    "PyModuleDef, and its file. What subrepl itself put there\n"
	    "(faulthandler in main, for crash reports) is counted, and listed\n"
	    "with --all.",
	.options = modules_options,
	.min_args = 0,
	.max_args = 1,
	.arg_kind = ARG_INTERP,
	.exec = cmd_modules_exec,
};
