/*
 * repl.c: lines into steps (see repl.h).
 *
 * Python lines accumulate in `pending` until the current interpreter's
 * codeop compiler accepts them: every line is offered as it comes, exactly
 * as code.InteractiveConsole does, so "needs more" is Python's own verdict.
 * Batch input adds one rule a file needs and a terminal does not: a line
 * that starts at column 0 first closes an open block (as the blank line
 * would at a prompt), so ordinary scripts without blank lines after their
 * blocks run.
 */
#include "config.h"

#include "repl.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-parse.h"
#include "cmd.h"
#include "input.h"
#include "journal.h"
#include "xmalloc.h"

void
repl_init(struct repl *r, struct session *s)
{
	memset(r, 0, sizeof *r);
	r->session = s;
	r->out = stdout;
	r->err = stderr;
}

void
repl_free(struct repl *r)
{
	free(r->pending);
	r->pending = NULL;
}

static void
where_update(struct repl *r)
{
	if (r->source != NULL)
		snprintf(r->where, sizeof r->where, "%s:%ld: ", r->source, r->lineno);
	else
		r->where[0] = '\0';
}

void
repl_error_tail(struct session *s, FILE *err)
{
	char *last = s != NULL ? session_host_last_words(s) : NULL;

	if (last != NULL) {
		fputs(last, err);
		free(last);
	}
	fflush(err);
}

static void __attribute__((format(printf, 2, 3)))
report(struct repl *r, const char *fmt, ...)
{
	va_list ap;

	fflush(r->out);
	fputs(r->where, r->err);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
	repl_error_tail(r->session, r->err);
}

/* Account for how a step that ran ended. */
static enum step_result
step_outcome(struct repl *r, const struct run_result *res)
{
	switch (res->outcome) {
	case RUN_OK:
		return STEP_OK;
	case RUN_INCOMPLETE:
		return STEP_MORE;
	case RUN_INTERRUPTED:
		r->interrupted = true;
		/* FALLTHROUGH */
	case RUN_SYNTAX_ERROR:
	case RUN_EXCEPTION:
		r->failures++;
		return STEP_FAILED;
	case RUN_EXIT:
		if (res->interp == 0) {
			/* The main interpreter's sys.exit() ends the program, as in
			 * python3; a sub-interpreter's does not. */
			r->quit = true;
			r->exit_status = res->exit_code;
			return STEP_QUIT;
		}
		report(r, "interpreter %lld raised SystemExit(%d): a "
		    "sub-interpreter does not end the session (use %%del %lld "
		    "to destroy it, %%quit to end)", (long long)res->interp,
		    res->exit_code, (long long)res->interp);
		if (res->exit_code != 0) {
			r->failures++;
			return STEP_FAILED;
		}
		return STEP_OK;
	}
	return STEP_OK;
}

/* Offer source to the interpreter; *ran says whether it was complete. */
static enum step_result
offer(struct repl *r, interp_id id, const char *source, bool *complete)
{
	struct run_result res;
	char *cause = NULL;

	fflush(r->out);
	fflush(r->err);
	if (session_run(r->session, id, source, RUN_INTERACTIVE, &res, &cause) != 0) {
		report(r, "%s", cause != NULL ? cause : "out of memory");
		free(cause);
		*complete = true;
		r->failures++;
		return STEP_FAILED;
	}
	*complete = res.outcome != RUN_INCOMPLETE;
	return step_outcome(r, &res);
}

static void
pending_set(struct repl *r, const char *line, size_t len)
{
	free(r->pending);
	r->pending = xstrndup(line, len);
	r->pending_len = len;
	r->pending_line = r->lineno;
}

static void
pending_append(struct repl *r, const char *line, size_t len)
{
	r->pending = xrealloc(r->pending, r->pending_len + len + 2);
	r->pending[r->pending_len++] = '\n';
	memcpy(r->pending + r->pending_len, line, len);
	r->pending_len += len;
	r->pending[r->pending_len] = '\0';
}

/* Write how a step ended after its lines in the journal: the outcomes
 * replay and export read (journal.h). Only the step during which the host
 * died is written as its death; one found dead before it was sent is
 * "not run: host died while idle: ...", one typed while there was none
 * "not run: no host". */
static enum step_result
conclude(struct repl *r, enum step_result res)
{
	const char *death;
	char buf[1100];

	if (res == STEP_MORE)
		return res;
	r->read_ahead_due = true;
	death = session_host_death(r->session);
	if (r->journal == NULL)
		;
	else if (res == STEP_FAILED && death != NULL && r->no_host)
		journal_outcome(r->journal, "not run: no host");
	else if (res == STEP_FAILED && death != NULL) {
		snprintf(buf, sizeof buf, "%s%s",
		    session_host_died_in_step(r->session) ? "" : "not run: ",
		    death);
		journal_outcome(r->journal, buf);
	} else {
		snprintf(buf, sizeof buf, "%s in %lld", res == STEP_OK ? "ok" :
		    res == STEP_QUIT ? "quit" : r->interrupted ? "interrupted" :
		    "failed", (long long)session_current(r->session));
		journal_outcome(r->journal, buf);
	}
	r->interrupted = false;
	return res;
}

/* A step is about to run (or its statement to be offered): whether the
 * host is already gone, so that a death is journaled with the step that
 * met it, and only there. */
static void
step_begin(struct repl *r)
{
	r->no_host = session_host_death(r->session) != NULL;
	r->interrupted = false;
}

void
repl_discard(struct repl *r)
{
	if (r->pending != NULL)
		journal_outcome(r->journal, "discarded");
	free(r->pending);
	r->pending = NULL;
	r->pending_len = 0;
}

bool
repl_has_pending(const struct repl *r)
{
	return r->pending != NULL;
}

static void
pending_clear(struct repl *r)
{
	free(r->pending);
	r->pending = NULL;
	r->pending_len = 0;
}

/* Run the pending statement if it is complete. */
static enum step_result
pending_try(struct repl *r)
{
	bool complete;
	enum step_result res = offer(r, INTERP_NONE, r->pending, &complete);

	if (complete)
		pending_clear(r);
	return conclude(r, res);
}

static bool
starts_word(const char *line, size_t len, const char *word)
{
	size_t n = strlen(word);
	char next;

	if (len < n || memcmp(line, word, n) != 0)
		return false;
	next = len > n ? line[n] : '\0';
	return !(next == '_' || (next >= 'a' && next <= 'z') ||
	    (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9'));
}

/* Batch rule: does this line end the open block before it? */
static bool
closes_block(const char *line, size_t len)
{
	if (len == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == '#')
		return false;
	return !(starts_word(line, len, "else") || starts_word(line, len, "elif") ||
	    starts_word(line, len, "except") || starts_word(line, len, "finally"));
}

static enum step_result
command(struct repl *r, const char *line, size_t len)
{
	struct cmd_ctx ctx = {
		.repl = r,
		.session = r->session,
		.out = r->out,
		.err = r->err,
		.verbose = r->interactive,
		.where = r->where,
	};
	char *copy = xstrndup(line, len);
	enum cmd_status st = cmd_execute(&ctx, copy);

	free(copy);
	fflush(r->out);
	if (r->quit)
		return STEP_QUIT;
	switch (st) {
	case CMD_ERROR:
		r->failures++;
		return STEP_FAILED;
	case CMD_STOP:
		r->quit = true;
		return STEP_QUIT;
	case CMD_NORMAL:
		break;
	}
	return STEP_OK;
}

/* Blank, or only a comment: nothing to run (between statements). */
static bool
blank(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (line[i] == '#')
			return true;
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return false;
	}
	return true;
}

static enum step_result
feed_fresh(struct repl *r, const char *line, size_t len)
{
	if (blank(line, len))
		return STEP_OK;
	step_begin(r);
	journal_line(r->journal, line, len);
	if (cmd_is_command(line))
		return conclude(r, command(r, line, len));
	pending_set(r, line, len);
	return pending_try(r);
}

enum step_result
repl_feed(struct repl *r, const char *line, size_t len)
{
	char *cause = NULL;

	r->lineno++;
	where_update(r);
	if (len > 0 && line[len - 1] == '\r')
		len--; /* CRLF files */
	if (input_check(line, len, &cause) != 0) {
		report(r, "%s", cause);
		free(cause);
		r->failures++;
		return STEP_FAILED;
	}
	if (r->pending == NULL)
		return feed_fresh(r, line, len);
	/* In a file a blank line does not end a block (a class's methods are
	 * separated by them); the next line at column 0, or the end, does. */
	if (r->batch_rules && blank(line, len)) {
		journal_line(r->journal, line, len);
		pending_append(r, line, len);
		return STEP_MORE;
	}

	/* A command at column 0 ends an open block, as a blank line would, at
	 * a prompt too; where the statement cannot end there (an open bracket,
	 * an unfinished string) the line is Python, as in a file. */
	if ((r->batch_rules && closes_block(line, len)) ||
	    (len > 0 && line[0] == '%')) {
		enum step_result res;
		bool complete;
		char *closed = xasprintf("%s\n", r->pending);

		step_begin(r);
		res = offer(r, INTERP_NONE, closed, &complete);
		free(closed);
		if (complete) {
			pending_clear(r);
			conclude(r, res);
			if (res == STEP_QUIT)
				return res;
			enum step_result next = feed_fresh(r, line, len);
			return res == STEP_FAILED && next != STEP_QUIT ? STEP_FAILED : next;
		}
	}
	journal_line(r->journal, line, len);
	pending_append(r, line, len);
	step_begin(r);
	return pending_try(r);
}

enum step_result
repl_finish(struct repl *r)
{
	enum step_result res;
	bool complete;
	char *closed;

	if (r->pending == NULL)
		return STEP_OK;
	step_begin(r);
	closed = xasprintf("%s\n", r->pending);
	res = offer(r, INTERP_NONE, closed, &complete);
	free(closed);
	if (!complete) {
		report(r, "unexpected end of input: the statement begun at line "
		    "%ld is not complete", r->pending_line);
		r->failures++;
		res = STEP_FAILED;
	}
	pending_clear(r);
	return conclude(r, res);
}

void
repl_front_begin(struct repl *r, enum front_end front)
{
	r->interactive = true;
	r->front = r->switch_to = front;
	r->batch_rules = false;
	r->source = NULL;
	r->where[0] = '\0';
	r->read_ahead_due = true;
}

void
repl_prompt(struct repl *r, char *buf, size_t size)
{
	struct interp_info info;
	char label[INTERP_LABEL_MAX];
	char *cause = NULL;

	if (session_host_death(r->session) != NULL)
		snprintf(label, sizeof label, "[no host: %%restart]");
	else if (session_info(r->session, session_current(r->session), &info,
	    &cause) == 0)
		interp_info_label(&info, label, sizeof label);
	else {
		free(cause);
		snprintf(label, sizeof label, "[?]");
	}
	snprintf(buf, size, "%s%s ", label, r->pending != NULL ? "..." : ">>>");
}

enum step_result
repl_run_code(struct repl *r, interp_id id, const char *code)
{
	enum step_result res;
	bool complete;

	res = offer(r, id, code, &complete);
	return complete ? res : STEP_MORE;
}

int
repl_exit_status(const struct repl *r)
{
	if (r->quit)
		return r->exit_status;
	return r->failures > 0 ? 1 : 0;
}
