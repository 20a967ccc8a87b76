/*
 * state-dir.h: where subrepl keeps what outlives a session (history,
 * journals): $XDG_STATE_HOME/subrepl, by default ~/.local/state/subrepl.
 */
#ifndef SUBREPL_STATE_DIR_H
#define SUBREPL_STATE_DIR_H

/* The directory state-dir/SUB (SUB may be NULL), created with mode 0700 if
 * missing and refused when it is not ours alone (another owner, writable
 * by group or others, a symbolic link); malloc'd, or NULL with *cause. */
char *state_dir(const char *sub, char **cause);

/* Open a state file for appending (created 0600), never through a
 * symbolic link; the descriptor, or -1 with *cause. */
int state_file_open(const char *path, char **cause);

#endif
