/*
 * state-dir.h: where subrepl keeps what outlives a session (history,
 * journals): $XDG_STATE_HOME/subrepl, by default ~/.local/state/subrepl.
 */
#ifndef SUBREPL_STATE_DIR_H
#define SUBREPL_STATE_DIR_H

/* The directory state-dir/SUB (SUB may be NULL), created with mode 0700 if
 * missing; malloc'd, or NULL when there is no home or it cannot be made. */
char *state_dir(const char *sub);

#endif
