/*
 * cmd-quit.c: %quit [STATUS]: end the session.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "cmd.h"
#include "repl.h"

static enum cmd_status
cmd_quit_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	char *end;
	long status;

	if (args->npos == 0) {
		ctx->repl->exit_status = !ctx->repl->interactive &&
		    ctx->repl->failures > 0 ? 1 : 0;
		return CMD_STOP;
	}
	errno = 0;
	status = strtol(args->pos[0], &end, 10);
	if (errno != 0 || *end != '\0' || end == args->pos[0] || status < 0 ||
	    status > 255) {
		cmd_error(ctx, "invalid exit status '%s': give a number from 0 "
		    "to 255", args->pos[0]);
		return CMD_ERROR;
	}
	ctx->repl->exit_status = (int)status;
	return CMD_STOP;
}

const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.alias = "exit",
	.usage = "%quit [STATUS]",
	.summary = "end the session",
	.help = "Ends the session, destroying every interpreter. The exit status\n"
	    "is STATUS if given, else 1 if any step failed in batch mode, else 0.\n"
	    "End of input (Ctrl-D) does the same.",
	.max_args = 1,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_quit_exec,
};
