/*
 * cmd-reinit.c: %reinit: finalize the runtime and initialize it again, the
 * case in which CPython's documentation says a single-phase init function
 * does run again. Interpreters are recreated by name and config; modules
 * are not imported again, so the next %import shows what init does now.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "export.h"

static enum cmd_status
cmd_reinit_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct reinit_map *map = NULL;
	char label[INTERP_LABEL_MAX], *cause = NULL;
	enum cmd_status st = CMD_NORMAL;
	size_t n = 0, i;

	(void)args;
	fflush(ctx->out);
	if (session_reinit(ctx->session, &map, &n, &cause) != 0)
		return cmd_fail(ctx, cause);
	fprintf(ctx->out, "runtime finalized (Py_FinalizeEx) and initialized "
	    "again: Python %s\n", session_python_version(ctx->session));
	for (i = 0; i < n; i++) {
		if (map[i].new_id == INTERP_NONE) {
			cmd_error(ctx, "interpreter %lld could not be recreated",
			    (long long)map[i].old_id);
			st = CMD_ERROR;
			continue;
		}
		cmd_interp_label(ctx, map[i].new_id, label, sizeof label);
		fprintf(ctx->out, "  interpreter %lld is now %s\n",
		    (long long)map[i].old_id, label);
	}
	fprintf(ctx->out, "no module was imported again: %%import MOD shows "
	    "whether its init runs now\n");
	free(map);
	return st;
}

static void
cmd_reinit_export(struct export *x, const struct cmd_args *args)
{
	(void)args;
	export_reinit(x);
}

const struct cmd_entry cmd_reinit_entry = {
	.name = "reinit",
	.usage = "%reinit",
	.summary = "finalize the runtime and start it again",
	.help =
	    "Destroys every sub-interpreter, finalizes the runtime\n"
	    "(Py_FinalizeEx), initializes it again and recreates the\n"
	    "sub-interpreters with their names and configs (CPython gives them\n"
	    "new ids). Every Python object is gone, but extension files stay\n"
	    "loaded: importing a single-phase module now runs its init function\n"
	    "again, as the documentation says. Some Python versions crash doing\n"
	    "this with some modules (3.12.1 re-importing _testsinglephase): that\n"
	    "is a finding about that version.",
	.max_args = 0,
	.exec = cmd_reinit_exec,
	.export = cmd_reinit_export,
};
