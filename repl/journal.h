/*
 * journal.h: every step of the session, written before it runs, so a crash
 * never loses the step that caused it; read back by %save, %replay and
 * %restart --replay.
 */
#ifndef SUBREPL_JOURNAL_H
#define SUBREPL_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct journal;

/* $XDG_STATE_HOME/subrepl/journal/YYYYmmdd-HHMMSS-PID.sr (malloc'd), or
 * NULL with *cause when there is no place for it (state-dir.h). */
char *journal_default_path(char **cause);

/* Open (append to) a journal, never through a symbolic link. */

struct journal *journal_open(const char *path, const char *python, char **cause);
void journal_close(struct journal *j);
const char *journal_path(const struct journal *j);

/* An input line, before it is run (j may be NULL: no journal). */
void journal_line(struct journal *j, const char *line, size_t len);

/* A step's text read back, written to f as a journal holds it, each line
 * ended (%save), so that reading f gives the text back. */
void journal_write_text(FILE *f, const char *text);

/* How the step made of the lines since the last outcome ended; the first
 * outcome of a step counts, a second is dropped. */
void journal_outcome(struct journal *j, const char *outcome);

/* Something that happened between steps (the host dying while it
 * finished), as a comment line "#!! TEXT" readers pass over. */
void journal_note(struct journal *j, const char *text);

/* A host process started. */
void journal_host(struct journal *j, long pid);

/* One step read back. */
struct journal_step {
	char *text;       /* its lines, joined by '\n'; NULL for a host marker
	                   * (NUL-terminated, but a damaged file may hold a
	                   * NUL inside: `len` is the length) */
	size_t len;       /* bytes of text */
	long line;        /* where it begins in the file (1 is the first) */
	bool multiline;   /* needs a blank line after it to close a block */
	char *outcome;    /* "ok in ID", "failed in ID", "interrupted in ID",
	                   * "quit in ID", "discarded", "host died: ...",
	                   * "not run: no host", or "host PID" for a marker */
};

struct journal_steps {
	struct journal_step *v;
	size_t n;
};

int journal_read(const char *path, struct journal_steps *out, char **cause);
void journal_steps_free(struct journal_steps *s);

#endif
