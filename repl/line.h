/*
 * line.h: the interactive line REPL (readline on a terminal).
 */
#ifndef SUBREPL_LINE_H
#define SUBREPL_LINE_H

#include <stdbool.h>

#include "repl.h"

/* Read and run lines until %quit, Ctrl-D or %tui (then r->switch_to says
 * so); returns the exit status. */
int line_run(struct repl *r, bool banner);

#endif
