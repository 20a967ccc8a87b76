/*
 * repl.h: one input line at a time into steps. A line is a command ('%...')
 * or Python; Python lines gather until the interpreter's own compiler says
 * the statement is complete, then run as one step in the current
 * interpreter. Line mode, batch mode and the TUI all feed lines
 * here, so the language is the same everywhere.
 */
#ifndef SUBREPL_REPL_H
#define SUBREPL_REPL_H

#include <stdbool.h>
#include <stdio.h>

#include "session.h"

struct journal;
struct import_report;

/* Which front end feeds the lines. */
enum front_end {
	FRONT_BATCH,  /* a file, -c TEXT or a pipe: no terminal to switch */
	FRONT_LINE,   /* the line REPL (line.c) */
	FRONT_TUI,    /* the curses TUI (ui/) */
};

enum step_result {
	STEP_OK,      /* a step ran and succeeded (or the line was empty) */
	STEP_MORE,    /* Python needs more lines */
	STEP_FAILED,  /* a step failed; it was reported */
	STEP_QUIT,    /* the session should end with repl->exit_status */
};

/* How the last reading ahead at a pause went (pause.h). */
enum read_ahead_outcome {
	READ_AHEAD_NONE,      /* none yet */
	READ_AHEAD_DONE,
	READ_AHEAD_STOPPED,   /* a key or Ctrl-C came first */
	READ_AHEAD_FAILED,    /* refused, or the host died */
};

struct repl {
	struct session *session;  /* the engine */
	FILE *out;                /* command results */
	FILE *err;                /* one-line errors */
	bool interactive;         /* prompts and confirmations */
	bool batch_rules;         /* a line at column 0 closes an open block */
	const char *source;       /* "FILE", "-c" or "<stdin>" in error locations; NULL for none */
	long lineno;              /* number of the line being fed */
	char *pending;            /* Python source waiting for more lines, or NULL */
	size_t pending_len;
	long pending_line;        /* where the pending statement began */
	int failures;             /* steps that failed so far */
	bool interrupted;         /* the last step ended in KeyboardInterrupt */
	bool no_host;             /* the step being fed began with the host
	                           * dead: it did not kill it */
	bool read_ahead_due;      /* a step ran since the host last read
	                           * ahead at a pause (pause.h) */
	enum read_ahead_outcome read_ahead_last; /* ... how it went, for %status */
	double read_ahead_ms;     /* ... and how long it took */
	bool quit;                /* a step ended the session */
	int exit_status;          /* ... with this status */
	char where[256];          /* "FILE:LINE: " of the current line, or "" */
	struct journal *journal;  /* where steps are written first, or NULL */
	enum front_end front;     /* the front end feeding lines now */
	enum front_end switch_to; /* %tui/%line asked for this one next, or
	                           * the same as `front` */
	/* Told of every %import and %load (the TUI remembers refusals,
	 * which leave nothing in sys.modules to see), or NULL. */
	void (*on_import)(void *arg, const char *module,
	    const struct import_report *reports, size_t n);
	void *on_import_arg;
	/* A full-screen front end shows what was printed and waits for one
	 * key (the tour's pauses): the key, or -1 when input ended. NULL:
	 * the front end reads no keys in the middle of a command. */
	int (*wait_key)(void *arg, const char *hint);
	void *wait_key_arg;
	/* A front end that draws the sharing picture shows a module, and one
	 * of its attributes (NULL: the module), that the tour is talking
	 * about; NULL: it draws none. */
	void (*point_at)(void *arg, const char *module, const char *attr);
	void *point_at_arg;
};

void repl_init(struct repl *r, struct session *s);
void repl_free(struct repl *r);

/* Feed one line (len bytes, no newline). */
enum step_result repl_feed(struct repl *r, const char *line, size_t len);

/* End of input: run or reject a statement still waiting for lines. */
enum step_result repl_finish(struct repl *r);

/* Forget a statement waiting for lines (Ctrl-C at a '...' prompt). */
void repl_discard(struct repl *r);

bool repl_has_pending(const struct repl *r);

/* An interactive front end (line or TUI) takes over the REPL: prompts,
 * confirmations, the interactive interpreter's block rules, no file
 * location in errors. */
void repl_front_begin(struct repl *r, enum front_end front);

/* "[0 main]>>> " or "[0 main]... ". */
void repl_prompt(struct repl *r, char *buf, size_t size);

/* Run complete code in an interpreter as one step (for %exec and %all);
 * STEP_MORE, with nothing run, when the code is not complete. */
enum step_result repl_run_code(struct repl *r, interp_id id, const char *code);

/* After an error line: what a host that just died wrote while dying
 * (held back so it follows the line), then flush. */
void repl_error_tail(struct session *s, FILE *err);

/* The status the process should exit with after the input ended. */
int repl_exit_status(const struct repl *r);

#endif
