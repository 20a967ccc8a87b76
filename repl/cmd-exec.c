/*
 * cmd-exec.c: %exec ID|NAME CODE: one statement in another interpreter,
 * without switching to it.
 */
#include "config.h"

#include "cmd.h"
#include "export.h"

static enum cmd_status
cmd_exec_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	interp_id id;

	if (cmd_resolve_interp(ctx, args->pos[0], &id) != 0)
		return CMD_ERROR;
	return cmd_run_code(ctx, id, args->raw);
}

static void
cmd_exec_export(struct export *x, const struct cmd_args *args)
{
	int slot = export_interp(x, args->pos[0]);

	if (slot >= 0)
		export_step(x, slot, args->raw);
}

const struct cmd_entry cmd_exec_entry = {
	.name = "exec",
	.usage = "%exec ID|NAME CODE",
	.summary = "run code in another interpreter without switching",
	.help =
	    "Runs CODE (the rest of the line, one complete statement; join\n"
	    "several with ';') in that interpreter's __main__, as if typed at its\n"
	    "prompt: an expression's value is printed. The current interpreter\n"
	    "does not change.",
	.min_args = 1,
	.max_args = 1,
	.traits = CMD_TAKES_CODE,
	.code_after = 1,
	.arg_kind = ARG_INTERP,
	.exec = cmd_exec_exec,
	.export = cmd_exec_export,
};
