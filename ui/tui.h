/*
 * tui.h: the full-screen front end (subrepl --tui, %tui). It feeds the same
 * REPL as line mode: lines typed in its console and the commands its keys
 * make are steps of one session, echoed, journaled and replayable.
 */
#ifndef SUBREPL_UI_TUI_H
#define SUBREPL_UI_TUI_H

#include <stdbool.h>

#include "repl.h"

/* Run the TUI on the terminal (fd 0 and 1) until the user leaves it: %quit
 * or, when started as the first front end, q or F10 end the session; after
 * %tui they, like %line, go back to line mode (r->switch_to says which).
 * Returns the exit status, or -1 with a message on stderr when the
 * terminal cannot be used. */
int tui_run(struct repl *r, bool from_line);

#endif
