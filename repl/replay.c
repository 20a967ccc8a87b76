/*
 * replay.c: feeding recorded steps to a REPL of their own that shares the
 * session, the output and the journal, so a replayed step is journaled
 * again like any other.
 *
 * What is passed over is decided line by line, the way the REPL would take
 * each line: a command line whose entry has CMD_NO_REPLAY (however it is
 * spelled) is skipped wherever it stands in a step or a plain script; at
 * column 0 it first ends an open block, as running it would have.
 */
#include "config.h"

#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "repl.h"
#include "xmalloc.h"

int
replay_steps(struct cmd_ctx *ctx, const struct journal_steps *steps,
    size_t from, size_t to, const char *source)
{
	struct repl sub;
	size_t i;

	repl_init(&sub, ctx->session);
	sub.out = ctx->out;
	sub.err = ctx->err;
	sub.journal = ctx->repl->journal;
	sub.batch_rules = true;
	sub.source = source;
	for (i = from; i < to && !sub.quit; i++) {
		const struct journal_step *st = &steps->v[i];
		const char *p, *nl;

		if (st->text == NULL || strcmp(st->outcome, "discarded") == 0)
			continue;
		for (p = st->text; !sub.quit; p = nl + 1) {
			size_t len;
			char *line;

			nl = strchr(p, '\n');
			len = nl != NULL ? (size_t)(nl - p) : strlen(p);
			line = xstrndup(p, len);
			if (!cmd_line_skipped_by_replay(line) ||
			    (repl_has_pending(&sub) && line[0] != '%'))
				repl_feed(&sub, line, len);
			else if (repl_has_pending(&sub))
				repl_finish(&sub);
			free(line);
			if (nl == NULL)
				break;
		}
		if (st->multiline)
			repl_feed(&sub, "", 0);
		repl_finish(&sub);
	}
	if (sub.quit)
		ctx->repl->quit = true, ctx->repl->exit_status = sub.exit_status;
	repl_free(&sub);
	return sub.failures;
}
