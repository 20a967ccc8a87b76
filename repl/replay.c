/*
 * replay.c: feeding recorded steps to a REPL of their own that shares the
 * session, the output and the journal, so a replayed step is journaled
 * again like any other.
 *
 * The rule, for %replay, %restart --replay and %export alike (the man page
 * says it too):
 * - a recorded step is passed over when the journal says it was discarded
 *   (Ctrl-C at a continuation prompt), interrupted (Ctrl-C or %timeout
 *   stopped it: it would stop the replay again) or not run (typed while
 *   there was no host);
 * - within a step or a plain script, a command line whose entry has
 *   CMD_NO_REPLAY (however it is spelled) is passed over; at column 0 it
 *   first ends an open block, as running it would have;
 * - a replay stops when the host dies: what follows would only fail;
 *   and at a Ctrl-C, which stops the file, not only the step it came in.
 */
#include "config.h"

#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "repl.h"
#include "sigint.h"
#include "xmalloc.h"

bool
replay_takes(const struct journal_step *st)
{
	return st->text != NULL && strcmp(st->outcome, "discarded") != 0 &&
	    strncmp(st->outcome, "interrupted", 11) != 0 &&
	    strncmp(st->outcome, "not run", 7) != 0;
}

int
replay_steps(struct cmd_ctx *ctx, const struct journal_steps *steps,
    size_t from, size_t to, const char *source)
{
	struct repl sub;
	bool stopped = false;
	size_t i;

	repl_init(&sub, ctx->session);
	sub.out = ctx->out;
	sub.err = ctx->err;
	sub.journal = ctx->repl->journal;
	sub.batch_rules = true;
	sub.source = source;
	for (i = from; i < to && !sub.quit && !stopped; i++) {
		const struct journal_step *st = &steps->v[i];
		const char *p, *nl;

		if (!replay_takes(st))
			continue;
		/* errors name the file's own line numbers */
		sub.lineno = st->line - 1;
		for (p = st->text; !sub.quit; p = nl + 1) {
			size_t len;
			char *line;

			nl = memchr(p, '\n', (size_t)(st->text + st->len - p));
			len = nl != NULL ? (size_t)(nl - p) :
			    (size_t)(st->text + st->len - p);
			line = xmalloc(len + 1);
			memcpy(line, p, len);
			line[len] = '\0';
			if (!cmd_line_skipped_by_replay(line) ||
			    (repl_has_pending(&sub) && line[0] != '%'))
				repl_feed(&sub, line, len);
			else {
				sub.lineno++;
				if (repl_has_pending(&sub))
					repl_finish(&sub);
			}
			free(line);
			/* Ctrl-C stops the file, not only its step (a long
			 * block is read line by line: it stops that too, and
			 * runs none of it); the mark stays for the front end */
			if (sigint_arrived()) {
				stopped = true;
				break;
			}
			if (nl == NULL)
				break;
		}
		if (stopped) {
			fflush(ctx->out);
			fprintf(ctx->err, "%s:%ld: the replay stops here: "
			    "Ctrl-C\n", source, sub.lineno);
			sub.failures++;
			break;
		}
		if (st->multiline)
			repl_feed(&sub, "", 0);
		repl_finish(&sub);
		if (session_host_death(ctx->session) != NULL) {
			fflush(ctx->out);
			fprintf(ctx->err, "%s: the replay stops here: the host died "
			    "running: %s\n", source, st->text);
			sub.failures++;
			break;
		}
	}
	if (sub.quit)
		ctx->repl->quit = true, ctx->repl->exit_status = sub.exit_status;
	repl_free(&sub);
	return sub.failures;
}
