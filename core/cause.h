/*
 * cause.h: the engine's error text. A failing function fills a caller's
 * `char **cause` with a malloc'd one-line message instead of printing from
 * deep inside a helper (the way tmux's cmd.c passes `cause` around).
 */
#ifndef SUBREPL_CAUSE_H
#define SUBREPL_CAUSE_H

/* Set *cause (if cause is not NULL) to a formatted message. On allocation
 * failure *cause becomes NULL, which callers print as "out of memory". */
void cause_set(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
