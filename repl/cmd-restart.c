/*
 * cmd-restart.c: %restart: a fresh host process after a crash (or to start
 * over). Nothing of the old host survives: interpreters, modules, objects.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "journal.h"
#include "repl.h"
#include "replay.h"

static const char *const restart_options[] = { "--replay", NULL };

/* The steps of the host that died last, up to (not including) the step
 * that killed it, or that found it dead ("not run: host died while
 * idle"): [*from, *to), and that step's index in *fatal. */
static int
steps_before_death(const struct journal_steps *s, size_t *from, size_t *to,
    size_t *fatal)
{
	size_t i;

	for (i = s->n; i-- > 0;) {
		const char *o = s->v[i].outcome;

		if (strncmp(o, "not run: ", 9) == 0)
			o += 9;
		if (s->v[i].text != NULL && strncmp(o, "host died", 9) == 0)
			break;
	}
	if (i == (size_t)-1)
		return -1;
	*fatal = *to = i;
	while (i-- > 0) {
		if (s->v[i].text == NULL)
			break; /* "#== host": where that host began */
	}
	*from = i + 1;
	return 0;
}

static enum cmd_status
cmd_restart_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct journal_steps steps = { NULL, 0 };
	const char *path = journal_path(ctx->repl->journal);
	bool replay = cmd_args_flag(args, "--replay");
	size_t from = 0, to = 0, fatal = 0;
	char *cause = NULL;

	if (replay) {
		if (path == NULL) {
			cmd_error(ctx, "--replay needs the journal, and this session "
			    "keeps none (--no-journal)");
			return CMD_ERROR;
		}
		if (journal_read(path, &steps, &cause) != 0)
			return cmd_fail(ctx, cause);
		if (steps_before_death(&steps, &from, &to, &fatal) != 0) {
			cmd_error(ctx, "no host has died in this session: nothing to "
			    "replay up to (plain %%restart starts afresh)");
			journal_steps_free(&steps);
			return CMD_ERROR;
		}
	}
	if (session_restart(ctx->session, &cause) != 0) {
		cmd_fail(ctx, cause);
		journal_steps_free(&steps);
		return CMD_ERROR;
	}
	journal_host(ctx->repl->journal, (long)session_host_pid(ctx->session));
	fprintf(ctx->out, "new host: pid %ld, Python %s\n",
	    (long)session_host_pid(ctx->session),
	    session_python_version(ctx->session));
	if (replay) {
		fflush(ctx->out);
		replay_steps(ctx, &steps, from, to, "replay");
		fprintf(ctx->out, "replayed the steps before the crash; the next "
		    "step was: %s\n", steps.v[fatal].text);
		journal_steps_free(&steps);
	}
	return CMD_NORMAL;
}

const struct cmd_entry cmd_restart_entry = {
	.name = "restart",
	.usage = "%restart [--replay]",
	.summary = "start a fresh host process (after a crash)",
	.help = "Stops the host process if it still runs and starts a new one with\n"
	    "only the main interpreter. With --replay, the steps the last host\n"
	    "that died ran before the step that killed it are run again from the\n"
	    "journal, recreating its interpreters by name and config, so you are\n"
	    "one step before the crash.",
	.options = restart_options,
	.max_args = 0,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_restart_exec,
};
