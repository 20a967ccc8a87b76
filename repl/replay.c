/*
 * replay.c: feeding recorded steps to a REPL of their own that shares the
 * session, the output and the journal, so a replayed step is journaled
 * again like any other.
 */
#include "config.h"

#include "replay.h"

#include <string.h>

#include "repl.h"

bool
replay_skips(const char *text)
{
	static const char *const skip[] = { "%restart", "%replay", "%save",
	    "%quit", "%exit", NULL };
	const char *const *s;

	while (*text == ' ' || *text == '\t')
		text++;
	for (s = skip; *s != NULL; s++) {
		size_t n = strlen(*s);

		if (strncmp(text, *s, n) == 0 && (text[n] == '\0' || text[n] == ' '))
			return true;
	}
	return false;
}

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

		if (st->text == NULL || strcmp(st->outcome, "discarded") == 0 ||
		    replay_skips(st->text))
			continue;
		for (p = st->text; !sub.quit; p = nl + 1) {
			nl = strchr(p, '\n');
			repl_feed(&sub, p, nl != NULL ? (size_t)(nl - p) : strlen(p));
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
