/*
 * usage.h: a usage error, said the way GNU tools say it (usage.c): the
 * program's name and the problem, then where help is, on stderr, and exit
 * status 2. subrepl and subrepl check both say it so.
 */
#ifndef SUBREPL_USAGE_H
#define SUBREPL_USAGE_H

#define EXIT_USAGE 2

/* "WHO: PROBLEM" and "Try 'HELP' for more information.", then exit 2. */
void usage_error(const char *who, const char *help, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));

#endif
