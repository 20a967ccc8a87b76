/*
 * cmd-pid.c: %pid: the process Python runs in, for `gdb -p`.
 */
#include "config.h"

#include <unistd.h>

#include "cmd.h"

static enum cmd_status
cmd_pid_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	pid_t pid = session_host_pid(ctx->session);

	(void)args;
	if (pid > 0)
		fprintf(ctx->out, "%ld\n", (long)pid);
	else if (session_host_death(ctx->session) != NULL) {
		cmd_error(ctx, "no host is running (%s); %%restart starts one",
		    session_host_death(ctx->session));
		return CMD_ERROR;
	} else
		fprintf(ctx->out, "%ld (in-process: Python runs in subrepl itself)\n",
		    (long)getpid());
	return CMD_NORMAL;
}

const struct cmd_entry cmd_pid_entry = {
	.name = "pid",
	.usage = "%pid",
	.summary = "print the process id Python runs in (for gdb -p)",
	.help = "Prints the pid of the host process that runs Python, so a\n"
	    "debugger can attach to it (gdb -p PID) while the session goes on.\n"
	    "With --in-process it is subrepl's own pid.",
	.max_args = 0,
	.exec = cmd_pid_exec,
};
