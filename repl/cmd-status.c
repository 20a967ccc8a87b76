/*
 * cmd-status.c: %status: the host process and the session at a glance.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "journal.h"
#include "repl.h"

/* What the host did at the last pause at the prompt (pause.h). */
static void
read_ahead_line(struct cmd_ctx *ctx)
{
	const struct repl *r = ctx->repl;

	switch (r->read_ahead_last) {
	case READ_AHEAD_NONE:
		break;
	case READ_AHEAD_DONE:
		fprintf(ctx->out, "read ahead:   %%json's snapshot, at the last "
		    "pause (%.0f ms)\n", r->read_ahead_ms);
		break;
	case READ_AHEAD_STOPPED:
		fprintf(ctx->out, "read ahead:   stopped by a key at the last "
		    "pause (after %.0f ms)\n", r->read_ahead_ms);
		break;
	case READ_AHEAD_FAILED:
		fprintf(ctx->out, "read ahead:   failed at the last pause\n");
		break;
	}
}

static enum cmd_status
cmd_status_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	pid_t pid = session_host_pid(ctx->session);
	const char *death = session_host_death(ctx->session);
	const char *last = session_host_step(ctx->session);
	char *step = last != NULL ? strdup(last) : NULL;
	struct interp_info *v;
	char *cause = NULL;
	long up = session_host_uptime(ctx->session);
	size_t n;

	(void)args;
	if (pid > 0)
		fprintf(ctx->out, "host:         pid %ld, up %ldh%02ldm%02lds\n",
		    (long)pid, up / 3600, up / 60 % 60, up % 60);
	else if (death != NULL)
		fprintf(ctx->out, "host:         not running: %s\n", death);
	else
		fprintf(ctx->out, "host:         none: in-process (pid %ld)\n",
		    (long)getpid());
	fprintf(ctx->out, "python:       %s\n", session_python_build(ctx->session));
	if (death == NULL && session_list(ctx->session, &v, &n, &cause) == 0) {
		fprintf(ctx->out, "interpreters: %zu\n", n);
		free(v);
	} else
		free(cause);
	if (step != NULL)
		fprintf(ctx->out, "last step:    %s\n", step);
	read_ahead_line(ctx);
	if (journal_path(ctx->repl->journal) != NULL)
		fprintf(ctx->out, "journal:      %s\n", journal_path(ctx->repl->journal));
	free(step);
	return CMD_NORMAL;
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "%status",
	.summary = "show the host process, Python and the last step",
	.help = "Shows the host's pid and uptime (or how it died), the embedded\n"
	    "Python's version and build, how many interpreters exist, the\n"
	    "last step the host was asked to run, and what it read ahead for\n"
	    "%json at the last pause at the prompt.",
	.max_args = 0,
	.exec = cmd_status_exec,
};
