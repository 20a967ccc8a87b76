/*
 * lesson-run.h: running a lesson or bug file (lesson-file.h) against a
 * session: input lines are shown after the prompt they would be typed at
 * and fed to a REPL of the run's own, narration is shown, checks ask the
 * running CPython (nothing in a file is a result), pauses ask the front
 * end. The tour runs in the user's session, a bug in a throwaway one.
 */
#ifndef SUBREPL_LESSON_RUN_H
#define SUBREPL_LESSON_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "lesson-file.h"
#include "repl.h"

/* What a pause answers. */
enum lesson_key {
	LESSON_NEXT,      /* Enter or Space */
	LESSON_BACK,      /* b: the lesson again from its start */
	LESSON_LEAVE,     /* q */
};

enum lesson_end {
	LESSON_DONE,      /* every item ran (or the host died: see below) */
	LESSON_AGAIN,     /* b at a pause */
	LESSON_LEFT,      /* q at a pause */
	LESSON_QUIT,      /* an input line ended the session */
};

struct lesson_run {
	struct repl *repl;        /* whose session, output, journal and import
	                           * observer the run uses */
	bool bail;                /* stop at the first step that fails */
	bool clean_up;            /* destroy the interpreters the file made,
	                           * and go back to the one current before */
	/* Called at each pause; NULL: no pauses (batch, bugs). */
	enum lesson_key (*pause)(void *arg);
	void *pause_arg;

	/* What happened, for the caller's verdict. */
	int checks;               /* checks evaluated */
	int held;                 /* ... that held */
	int unexplained;          /* ... that did not, with no '!' line */
	int steps_failed;         /* input lines whose step failed */
	char *death;              /* the host died: how, or NULL */
	char *died_at;            /* the input line it died at ("" when it
	                           * was idle or finalizing), or NULL */
	bool death_foreseen;      /* the file had '!' lines for that line */
	bool interrupted;         /* Ctrl-C stopped it */
	char *command_failed;     /* the first '%' line that failed, or NULL */
	char *step_failed;        /* the first line whose step failed (a
	                           * command or Python), or NULL */
};

/* Run the items of f from the first. Free the results with
 * lesson_run_clear. */
enum lesson_end lesson_run(struct lesson_run *r, const struct lesson_file *f);

void lesson_run_clear(struct lesson_run *r);

#endif
