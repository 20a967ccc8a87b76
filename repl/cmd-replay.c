/*
 * cmd-replay.c: %replay FILE: run a subrepl script (a file %save wrote, a
 * journal, or any script) in this session, step by step.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "journal.h"
#include "replay.h"
#include "xmalloc.h"

static enum cmd_status
cmd_replay_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct journal_steps steps;
	char *cause = NULL;
	int failed;

	/* with no host no step would run: the first would be reported as
	 * the one that killed it */
	if (session_host_death(ctx->session) != NULL) {
		cause = xasprintf("no host to replay in (%s); %%restart "
		    "starts a new host", session_host_death(ctx->session));
		return cmd_fail(ctx, cause);
	}
	if (journal_read(args->pos[0], &steps, &cause) != 0)
		return cmd_fail(ctx, cause);
	failed = replay_steps(ctx, &steps, 0, steps.n, args->pos[0]);
	journal_steps_free(&steps);
	return failed > 0 ? CMD_ERROR : CMD_NORMAL;
}

const struct cmd_entry cmd_replay_entry = {
	.name = "replay",
	.usage = "%replay FILE",
	.summary = "run a saved session or script in this session",
	.help = "Runs FILE, a script written by %save, a journal, or any subrepl\n"
	    "script, in this session as if its lines were typed (batch rules:\n"
	    "a line at column 0 closes an open block). Steps the journal marks\n"
	    "as discarded are skipped, and so are the commands that act on the\n"
	    "session or the terminal, however abbreviated: %restart, %replay,\n"
	    "%save, %export, %timeout, %tui, %line and %quit. Ctrl-C stops the\n"
	    "whole replay, not only its step. It fails if any replayed step\n"
	    "failed or it was stopped, and runs nothing while there is no host\n"
	    "(%restart first).",
	.min_args = 1,
	.max_args = 1,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_replay_exec,
};
