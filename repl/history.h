/*
 * history.h: the line REPL's history file,
 * $XDG_STATE_HOME/subrepl/history (default ~/.local/state/subrepl/history),
 * created with mode 0600 and appended to line by line so a crash loses
 * nothing.
 */
#ifndef SUBREPL_HISTORY_H
#define SUBREPL_HISTORY_H

/* Load the history; a missing or unwritable file only disables saving. */
void history_open(void);

/* Remember a line that was entered. */
void history_add(const char *line);

/* Trim the file to its last HISTORY_MAX lines. */
void history_close(void);

/* The file's path, or NULL when history is not saved. */
const char *history_path(void);

#endif
