/*
 * cmd-bugs.c: %bugs: the gallery of known CPython sub-interpreter bugs,
 * one bug file each (docs/lessons.md). A reproduction runs in a throwaway
 * host of its own, so the crash it may cause is a result, not the end of
 * the user's session; whether this Python is affected is decided from
 * what that run did, never from a table of versions.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"
#include "export.h"
#include "host-open.h"
#include "journal.h"
#include "lesson-file.h"
#include "lesson-run.h"
#include "output.h"
#include "sigint.h"
#include "xmalloc.h"

static const char *const bugs_options[] = { "--timeout=", NULL };

/* A reproduction's step that takes longer than this is a hang. */
#define BUG_STEP_TIMEOUT 10.0

struct gallery {
	char *dir;
	char **paths;
	size_t n;
};

static int
gallery_open(struct cmd_ctx *ctx, struct gallery *g)
{
	char *cause = NULL;

	g->dir = lesson_data_dir("bugs");
	if (lesson_dir_list(g->dir, ".bug", &g->paths, &g->n, &cause) != 0) {
		cmd_error(ctx, "no bug gallery: %s", cause);
		free(cause);
		free(g->dir);
		return -1;
	}
	return 0;
}

static void
gallery_close(struct gallery *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->paths[i]);
	free(g->paths);
	free(g->dir);
}

/* The bug named id: its file name exactly, its number ("116510" for
 * gh-116510), or a unique prefix. Reported when none or several match. */
static int
gallery_find(struct cmd_ctx *ctx, const struct gallery *g, const char *id,
    struct lesson_file *f)
{
	const char *found = NULL;
	char *cause = NULL;
	size_t i, hits = 0, len = strlen(id);
	int pass;

	for (pass = 0; pass < 3 && hits == 0; pass++) {
		for (i = 0; i < g->n; i++) {
			char *base = lesson_file_name(g->paths[i]);
			size_t blen = strlen(base);
			bool hit;

			if (pass == 0)
				hit = blen == len && strncmp(base, id, len) == 0;
			else if (pass == 1)
				hit = blen > len && base[blen - len - 1] == '-' &&
				    strncmp(base + blen - len, id, len) == 0;
			else
				hit = blen > len && strncmp(base, id, len) == 0;
			if (hit) {
				hits++;
				found = g->paths[i];
			}
			free(base);
		}
	}
	if (hits > 1) {
		cmd_error(ctx, "'%s' names several bugs: say more of it (%%bugs "
		    "lists them)", id);
		return -1;
	}
	if (found == NULL) {
		cmd_error(ctx, "no bug '%s' in the gallery (%%bugs lists them)", id);
		return -1;
	}
	if (lesson_file_read(found, f, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		lesson_file_free(f);
		return -1;
	}
	return 0;
}

static const char *
field_or(const struct lesson_file *f, const char *key, const char *dflt)
{
	const char *v = lesson_field(f, key);

	return v != NULL ? v : dflt;
}

static enum cmd_status
bugs_list(struct cmd_ctx *ctx, const struct gallery *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		struct lesson_file f;
		char *cause = NULL;

		if (lesson_file_read(g->paths[i], &f, &cause) != 0) {
			fprintf(ctx->out, "%-11s (cannot read: %s)\n", f.name != NULL ?
			    f.name : "?", cause);
			free(cause);
		} else
			fprintf(ctx->out, "%-11s %-6s %s\n", f.name,
			    field_or(&f, "Affected-if", "?"), lesson_field(&f, "Title"));
		lesson_file_free(&f);
	}
	if (ctx->verbose)
		fprintf(ctx->out, "%zu bugs in %s; %%bugs run ID reproduces one in a "
		    "throwaway host\n", g->n, g->dir);
	return CMD_NORMAL;
}

static enum cmd_status
bugs_show(struct cmd_ctx *ctx, const struct lesson_file *f)
{
	size_t i, j;

	fprintf(ctx->out, "%s: %s\n", f->name, lesson_field(f, "Title"));
	for (i = 0; i < f->nfields; i++) {
		if (strcasecmp(f->fields[i].key, "Title") != 0)
			fprintf(ctx->out, "  %s: %s\n", f->fields[i].key,
			    f->fields[i].value);
	}
	fprintf(ctx->out, "reproduction (%s):\n", f->path);
	for (i = 0; i < f->nitems; i++) {
		const struct lesson_item *it = &f->items[i];

		switch (it->kind) {
		case ITEM_INPUT:
			fprintf(ctx->out, "  %s\n", it->text);
			break;
		case ITEM_NARRATION:
			fprintf(ctx->out, "  | %s\n", it->text);
			break;
		case ITEM_CHECK:
			fprintf(ctx->out, "  %s", lesson_check_name(it->check));
			for (j = 0; j < it->ninterps; j++)
				fprintf(ctx->out, "%c%s", j == 0 ? ' ' : ',',
				    it->interps[j]);
			fprintf(ctx->out, ": %s\n", it->text);
			break;
		case ITEM_OTHERWISE:
			fprintf(ctx->out, "  ! %s\n", it->text);
			break;
		case ITEM_PAUSE:
			break;
		}
	}
	return CMD_NORMAL;
}

/* "crash" or "check": how a run tells that this Python is affected. */
static int
affected_if(struct cmd_ctx *ctx, const struct lesson_file *f, bool *by_crash)
{
	const char *how = lesson_field(f, "Affected-if");

	if (how != NULL && strcmp(how, "crash") == 0)
		*by_crash = true;
	else if (how != NULL && strcmp(how, "check") == 0)
		*by_crash = false;
	else {
		cmd_error(ctx, "%s: 'Affected-if:' is crash or check, not '%s'",
		    f->path, how != NULL ? how : "missing");
		return -1;
	}
	return 0;
}

/* What the run did, in one line. */
static void
bugs_verdict(struct cmd_ctx *ctx, const struct lesson_file *f,
    const struct lesson_run *r, bool by_crash, const char *version)
{
	FILE *out = ctx->out;

	if (r->interrupted)
		fprintf(out, "%s: interrupted (Ctrl-C) before its end: no verdict\n",
		    f->name);
	else if (r->death != NULL && by_crash)
		fprintf(out, "%s: AFFECTED on this Python (%s): %s%s%s%s\n", f->name,
		    version, r->death, r->died_at[0] != '\0' ? " at '" : "",
		    r->died_at, r->died_at[0] != '\0' ? "'" : "");
	else if (r->death != NULL)
		fprintf(out, "%s: cannot tell on this Python (%s): it crashed "
		    "instead (%s), which is not the failure this bug describes\n",
		    f->name, version, r->death);
	else if (r->command_failed != NULL || (by_crash && r->step_failed))
		fprintf(out, "%s: cannot tell on this Python (%s): '%s' failed, "
		    "so the reproduction could not run here\n", f->name, version,
		    r->command_failed != NULL ? r->command_failed : r->step_failed);
	else if (!by_crash && r->checks == 0)
		fprintf(out, "%s: cannot tell: its file has no check\n", f->name);
	else if (!by_crash && r->held < r->checks)
		fprintf(out, "%s: AFFECTED on this Python (%s): %d of %d checks did "
		    "not hold\n", f->name, version, r->checks - r->held, r->checks);
	else if (!by_crash)
		fprintf(out, "%s: not affected on this Python (%s): %s held\n",
		    f->name, version, r->checks == 1 ? "its check" :
		    "all its checks");
	else
		fprintf(out, "%s: not affected on this Python (%s): the reproduction "
		    "ran to its end and the host finished cleanly\n", f->name,
		    version);
}

/* A fresh journal file for an export's run, or NULL (reported). */
static struct journal *
scratch_journal(struct cmd_ctx *ctx, struct session *s, char **path)
{
	const char *tmp = getenv("TMPDIR");
	struct journal *j;
	char *cause = NULL;
	int fd;

	*path = xasprintf("%s/subrepl-bug-XXXXXX", tmp != NULL && tmp[0] != '\0' ?
	    tmp : "/tmp");
	fd = mkstemp(*path);
	if (fd < 0) {
		cmd_error(ctx, "cannot make a scratch journal '%s': %s", *path,
		    strerror(errno));
		free(*path);
		return NULL;
	}
	close(fd);
	j = journal_open(*path, session_python_version(s), &cause);
	if (j == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		unlink(*path);
		free(*path);
	}
	return j;
}

/* Run a bug's reproduction in a throwaway host; with export_path, also
 * write what ran as a standalone program. */
static enum cmd_status
bugs_run(struct cmd_ctx *ctx, const struct lesson_file *f, double timeout,
    const char *export_path)
{
	struct lesson_run r = { 0 };
	struct session *s, *was_target;
	struct repl sub;
	char *cause = NULL, *jpath = NULL, *version;
	enum cmd_status st = CMD_NORMAL;
	bool by_crash;

	if (affected_if(ctx, f, &by_crash) != 0)
		return CMD_ERROR;
	s = host_open(&cause);
	if (s == NULL)
		return cmd_fail(ctx, cause);
	if (session_set_timeout(s, timeout, &cause) != 0) {
		session_close(s);
		return cmd_fail(ctx, cause);
	}
	version = xstrdup(session_python_version(s));
	repl_init(&sub, s);
	sub.out = ctx->out;
	sub.err = ctx->err;
	if (export_path != NULL &&
	    (sub.journal = scratch_journal(ctx, s, &jpath)) == NULL) {
		session_stop(s, NULL);
		session_close(s);
		free(version);
		return CMD_ERROR;
	}
	journal_host(sub.journal, (long)session_host_pid(s));
	fprintf(ctx->out, "%s: %s\n", f->name, lesson_field(f, "Title"));
	if (lesson_field(f, "Url") != NULL)
		fprintf(ctx->out, "%s\n", lesson_field(f, "Url"));
	fprintf(ctx->out, "-- in a throwaway host (pid %ld, Python %s), each step "
	    "bounded by %g s --\n", (long)session_host_pid(s), version, timeout);
	r.repl = &sub;
	r.bail = by_crash;
	/* Ctrl-C interrupts the reproduction's steps, not the idle session */
	was_target = sigint_retarget(s);
	lesson_run(&r, f);
	sigint_retarget(was_target);
	fflush(ctx->out);
	if (r.death == NULL && session_stop(s, &cause) != 0) {
		/* it crashed while Python finalized */
		r.death = cause != NULL ? cause : xstrdup("host died while finishing");
		r.died_at = xstrdup("");
		repl_error_tail(s, ctx->err);
		journal_note(sub.journal, r.death);
	}
	fprintf(ctx->out, "-- end of the throwaway host --\n");
	bugs_verdict(ctx, f, &r, by_crash, version);
	if (export_path != NULL && r.interrupted)
		fprintf(ctx->out, "nothing exported: the run did not end\n");
	else if (export_path != NULL) {
		size_t len;
		char *source = xasprintf("%s (subrepl's bug gallery, %s)", f->name,
		    f->path);
		char *text;
		FILE *out;
		bool c;

		journal_close(sub.journal);
		sub.journal = NULL;
		export_language(export_path, &c);
		text = export_journal(c, jpath, version, source, &len, &cause);
		free(source);
		if (text == NULL)
			st = cmd_fail(ctx, cause);
		else if ((out = output_open(ctx, export_path)) == NULL)
			st = CMD_ERROR;
		else {
			fwrite(text, 1, len, out);
			st = output_close(ctx, out, export_path) == 0 ? CMD_NORMAL :
			    CMD_ERROR;
			if (st == CMD_NORMAL)
				fprintf(ctx->out, "wrote %s\n", export_path);
		}
		free(text);
		unlink(jpath);
		free(jpath);
	}
	lesson_run_clear(&r);
	repl_free(&sub);
	session_close(s);
	free(version);
	return st;
}

static enum cmd_status
cmd_bugs_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *what = args->npos > 0 ? args->pos[0] : "list";
	const char *tv = cmd_args_value(args, "--timeout");
	struct gallery g;
	struct lesson_file f;
	enum cmd_status st;
	double timeout = BUG_STEP_TIMEOUT;
	bool c;
	int want;
	char *end;

	if (strcmp(what, "list") == 0)
		want = 1;
	else if (strcmp(what, "show") == 0 || strcmp(what, "run") == 0)
		want = 2;
	else if (strcmp(what, "export") == 0)
		want = 3;
	else {
		cmd_error(ctx, "'%s' is not list, show, run or export (usage: %s)",
		    what, ctx->entry->usage);
		return CMD_ERROR;
	}
	if (args->npos != want && !(want == 1 && args->npos == 0)) {
		cmd_error(ctx, "%s takes %s (usage: %s)", what, want == 1 ?
		    "nothing more" : want == 2 ? "a bug's id" :
		    "a bug's id and FILE.py or FILE.c", ctx->entry->usage);
		return CMD_ERROR;
	}
	if (tv != NULL) {
		errno = 0;
		timeout = strtod(tv, &end);
		if (errno != 0 || end == tv || *end != '\0' || !(timeout > 0) ||
		    timeout > 86400) {
			cmd_error(ctx, "--timeout takes seconds, more than 0 and at most "
			    "a day, not '%s'", tv);
			return CMD_ERROR;
		}
	}
	if (want == 3 && export_language(args->pos[2], &c) != 0) {
		cmd_error(ctx, "'%s': name the file .py (a Python script) or .c (a "
		    "C program)", args->pos[2]);
		return CMD_ERROR;
	}
	if (gallery_open(ctx, &g) != 0)
		return CMD_ERROR;
	if (want == 1) {
		st = bugs_list(ctx, &g);
		gallery_close(&g);
		return st;
	}
	if (gallery_find(ctx, &g, args->pos[1], &f) != 0) {
		gallery_close(&g);
		return CMD_ERROR;
	}
	if (strcmp(what, "show") == 0)
		st = bugs_show(ctx, &f);
	else
		st = bugs_run(ctx, &f, timeout, want == 3 ? args->pos[2] : NULL);
	lesson_file_free(&f);
	gallery_close(&g);
	return st;
}

const struct cmd_entry cmd_bugs_entry = {
	.name = "bugs",
	.usage = "%bugs [list | show ID | run ID | export ID FILE.py|FILE.c] "
	    "[--timeout S]",
	.summary = "known CPython sub-interpreter bugs, reproduced on demand",
	.help =
	    "Lists the gallery of known CPython bugs about sub-interpreters and\n"
	    "extension modules (one file each, docs/lessons.md). 'show ID' prints\n"
	    "a bug's reproduction; 'run ID' runs it in a throwaway host (a crash\n"
	    "cannot take this session) and says whether this Python is affected,\n"
	    "from what the run did: the host dying, or a check not holding.\n"
	    "'export ID FILE' runs it and writes what ran as a standalone\n"
	    "program, as %export does. Each step is bounded by --timeout\n"
	    "seconds (10 by default): a hang is a crash.",
	.options = bugs_options,
	.min_args = 0,
	.max_args = 3,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_bugs_exec,
};
