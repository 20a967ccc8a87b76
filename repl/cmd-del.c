/*
 * cmd-del.c: %del ID|NAME...: destroy sub-interpreters with
 * Py_EndInterpreter. Every word is resolved before anything is destroyed,
 * so a typo in the third name destroys nothing.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "export.h"
#include "xmalloc.h"

static enum cmd_status
cmd_del_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	interp_id *ids = xcalloc((size_t)args->npos, sizeof *ids), was;
	char label[INTERP_LABEL_MAX];
	char *cause = NULL;
	enum cmd_status st = CMD_NORMAL;
	int i, j;

	for (i = 0; i < args->npos; i++) {
		if (cmd_resolve_interp(ctx, args->pos[i], &ids[i]) != 0) {
			free(ids);
			return CMD_ERROR;
		}
		if (ids[i] == 0) {
			cmd_error(ctx, "the main interpreter cannot be destroyed "
			    "(%%quit ends the session)");
			free(ids);
			return CMD_ERROR;
		}
		for (j = 0; j < i; j++) {
			if (ids[j] == ids[i]) {
				cmd_error(ctx, "'%s' names interpreter %lld twice",
				    args->pos[i], (long long)ids[i]);
				free(ids);
				return CMD_ERROR;
			}
		}
	}
	for (i = 0; i < args->npos; i++) {
		was = session_current(ctx->session);
		/* a label costs the host a round trip: only for what is
		 * printed (a quiet %del of N ids made N of them) */
		if (ctx->verbose)
			cmd_interp_label(ctx, ids[i], label, sizeof label);
		if (session_del(ctx->session, ids[i], &cause) != 0) {
			st = cmd_fail(ctx, cause);
			cause = NULL;
			continue;
		}
		if (ctx->verbose)
			fprintf(ctx->out, "destroyed %s\n", label);
		if (was == ids[i] && ctx->verbose) {
			cmd_interp_label(ctx, session_current(ctx->session), label,
			    sizeof label);
			fprintf(ctx->out, "now in %s\n", label);
		}
	}
	free(ids);
	return st;
}

static void
cmd_del_export(struct export *x, const struct cmd_args *args)
{
	int i;

	for (i = 0; i < args->npos; i++)
		export_destroy(x, export_interp(x, args->pos[i]));
}

const struct cmd_entry cmd_del_entry = {
	.name = "del",
	.usage = "%del ID|NAME...",
	.summary = "destroy interpreters",
	.help =
	    "Destroys each named sub-interpreter with Py_EndInterpreter: its\n"
	    "modules are finalized and its objects freed. Destroying the current\n"
	    "interpreter makes main current. The main interpreter cannot be\n"
	    "destroyed, nor an interpreter that still runs other threads.",
	.min_args = 1,
	.max_args = -1,
	.arg_kind = ARG_INTERP,
	.exec = cmd_del_exec,
	.export = cmd_del_export,
};
