/*
 * cmd-timeout.c: %timeout [SECONDS]: a bound on every step.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "cmd.h"

static enum cmd_status
cmd_timeout_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	char *end, *cause = NULL;
	double seconds;

	if (args->npos == 0) {
		seconds = session_timeout(ctx->session);
		if (seconds > 0)
			fprintf(ctx->out, "steps are bounded to %g s\n", seconds);
		else
			fprintf(ctx->out, "steps are not bounded (%%timeout SECONDS "
			    "sets a bound, %%timeout 0 removes it)\n");
		return CMD_NORMAL;
	}
	errno = 0;
	seconds = strtod(args->pos[0], &end);
	if (errno != 0 || *end != '\0' || end == args->pos[0] || seconds < 0 ||
	    !isfinite(seconds)) {
		cmd_error(ctx, "invalid number of seconds '%s': give e.g. 5 or 0.5 "
		    "(0 removes the bound)", args->pos[0]);
		return CMD_ERROR;
	}
	if (session_set_timeout(ctx->session, seconds, &cause) != 0)
		return cmd_fail(ctx, cause);
	if (ctx->verbose && seconds > 0)
		fprintf(ctx->out, "steps are bounded to %g s\n", seconds);
	else if (ctx->verbose)
		fprintf(ctx->out, "steps are not bounded\n");
	return CMD_NORMAL;
}

const struct cmd_entry cmd_timeout_entry = {
	.name = "timeout",
	.usage = "%timeout [SECONDS]",
	.summary = "bound every step (interrupt it, then kill the host)",
	.help = "Bounds every step to SECONDS: a step still running then gets a\n"
	    "KeyboardInterrupt, and if it is still running 2 seconds later (C code\n"
	    "that never checks for signals) the host is killed and the death\n"
	    "reported like a crash; %restart --replay goes on from there.\n"
	    "%timeout 0 removes the bound; without SECONDS, shows it.",
	.max_args = 1,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_timeout_exec,
};
