/*
 * complete.h: Tab completion for the line REPL: command names, a command's
 * options, interpreter ids and names, and Python names asked of the right
 * interpreter's rlcompleter.
 */
#ifndef SUBREPL_COMPLETE_H
#define SUBREPL_COMPLETE_H

#include <stddef.h>

#include "repl.h"

/* Hook completion into readline for this REPL. */
void complete_install(struct repl *r);

/* The candidates for the word [start, end) of line, as a malloc'd array of
 * malloc'd strings sorted and without duplicates; what readline is given,
 * without readline (for tests). */
char **complete_candidates(struct repl *r, const char *line, int start,
    int end, size_t *n);

/* The characters that end a word at this point of the line. */
const char *complete_word_breaks(struct repl *r, const char *line, int point);

#endif
