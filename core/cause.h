/*
 * cause.h: the engine's error text. A failing function fills a caller's
 * `char **cause` with a malloc'd one-line message instead of printing from
 * deep inside a helper (the way tmux's cmd.c passes `cause` around).
 */
#ifndef SUBREPL_CAUSE_H
#define SUBREPL_CAUSE_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

/* Set *cause (if cause is not NULL) to a formatted message. On allocation
 * failure *cause becomes NULL, which callers print as "out of memory".
 * *cause must not hold a message already: one failure, one cause. */
void cause_set(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Put "PREFIX: " before the message in *cause (a NULL one, out of memory,
 * stays said), freeing the old text. */
void cause_prefix(char **cause, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
