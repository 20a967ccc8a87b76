/*
 * cmd-restart.c: %restart: a fresh host process after a crash (or to start
 * over). Nothing of the old host survives: interpreters, modules, objects.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"

static enum cmd_status
cmd_restart_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	char *cause = NULL;

	(void)args;
	if (session_restart(ctx->session, &cause) != 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause : "out of memory");
		free(cause);
		return CMD_ERROR;
	}
	fprintf(ctx->out, "new host: pid %ld, Python %s\n",
	    (long)session_host_pid(ctx->session),
	    session_python_version(ctx->session));
	return CMD_NORMAL;
}

const struct cmd_entry cmd_restart_entry = {
	.name = "restart",
	.usage = "%restart",
	.summary = "start a fresh host process (after a crash)",
	.help = "Stops the host process if it still runs and starts a new one with\n"
	    "only the main interpreter. Use it after the host died: the report\n"
	    "said which step killed it.",
	.max_args = 0,
	.raw_after = -1,
	.exec = cmd_restart_exec,
};
