/*
 * cmd-save.c: %save FILE: the session so far as a subrepl script, from the
 * journal: every step that ran, in order, with how it ended as a comment.
 * `subrepl FILE` or %replay FILE runs it again.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "journal.h"
#include "output.h"
#include "repl.h"
#include "replay.h"

static enum cmd_status
cmd_save_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *path = journal_path(ctx->repl->journal);
	struct journal_steps steps;
	char *cause = NULL;
	size_t i, kept = 0, hosts = 0;
	FILE *f;

	if (path == NULL) {
		cmd_error(ctx, "this session keeps no journal (it was started with "
		    "--no-journal)");
		return CMD_ERROR;
	}
	if (journal_read(path, &steps, &cause) != 0)
		return cmd_fail(ctx, cause);
	f = output_open(ctx, args->pos[0]);
	if (f == NULL) {
		journal_steps_free(&steps);
		return CMD_ERROR;
	}
	fprintf(f, "# subrepl session, Python %s: run it with subrepl FILE\n",
	    session_python_version(ctx->session));
	for (i = 0; i < steps.n; i++) {
		const struct journal_step *st = &steps.v[i];

		/* a later host: the session restarted there */
		if (st->text == NULL && hosts++ > 0)
			fprintf(f, "%%restart\n");
		if (!replay_takes(st) || cmd_line_skipped_by_replay(st->text))
			continue;
		journal_write_text(f, st->text);
		fprintf(f, "%s#-> %s\n", st->multiline ? "\n" : "", st->outcome);
		kept++;
	}
	journal_steps_free(&steps);
	if (output_close(ctx, f, args->pos[0]) != 0)
		return CMD_ERROR;
	if (ctx->verbose)
		fprintf(ctx->out, "saved %zu steps to %s\n", kept, args->pos[0]);
	return CMD_NORMAL;
}

const struct cmd_entry cmd_save_entry = {
	.name = "save",
	.usage = "%save FILE",
	.summary = "save the session so far as a script",
	.help = "Writes every step of the session so far (from the journal) to\n"
	    "FILE as a subrepl script, each followed by a comment saying how it\n"
	    "ended. subrepl FILE or %replay FILE runs it again.",
	.min_args = 1,
	.max_args = 1,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_save_exec,
};
