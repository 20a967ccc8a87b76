/*
 * cmd-use.c: %use ID|NAME: switch the interpreter plain Python lines run in.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "export.h"

static enum cmd_status
cmd_use_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	interp_id id;
	char label[INTERP_LABEL_MAX];
	char *cause = NULL;

	if (cmd_resolve_interp(ctx, args->pos[0], &id) != 0)
		return CMD_ERROR;
	if (session_use(ctx->session, id, &cause) != 0)
		return cmd_fail(ctx, cause);
	if (ctx->verbose) {
		cmd_interp_label(ctx, id, label, sizeof label);
		fprintf(ctx->out, "now in %s\n", label);
	}
	return CMD_NORMAL;
}

static void
cmd_use_export(struct export *x, const struct cmd_args *args)
{
	export_use(x, export_interp(x, args->pos[0]));
}

const struct cmd_entry cmd_use_entry = {
	.name = "use",
	.usage = "%use ID|NAME",
	.summary = "switch the current interpreter",
	.help =
	    "Makes the interpreter with that id (a number) or name current:\n"
	    "plain Python lines run there from now on, and the prompt says so.",
	.min_args = 1,
	.max_args = 1,
	.arg_kind = ARG_INTERP,
	.exec = cmd_use_exec,
	.export = cmd_use_export,
};
