/*
 * batch.h: running a script, -c text or a non-terminal stdin through the
 * REPL without prompts.
 */
#ifndef SUBREPL_BATCH_H
#define SUBREPL_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "repl.h"

enum batch_end {
	BATCH_DONE,         /* the input ended */
	BATCH_QUIT,         /* a step ended the session */
	BATCH_BAILED,       /* --bail and a step failed */
	BATCH_INTERRUPTED,  /* Ctrl-C */
};

/* Every line of f; source names it in error messages. */
enum batch_end batch_run_stream(struct repl *r, FILE *f, const char *source,
    bool bail);

/* Every line of text (several lines allowed), as for -c. */
enum batch_end batch_run_text(struct repl *r, const char *text,
    const char *source, bool bail);

#endif
