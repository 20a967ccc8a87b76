/*
 * check.h: `subrepl check`, the sub-interpreter compatibility checker for
 * extension authors and their CI (check.c): each target through a fixed
 * set of scenarios, each in a fresh supervised host, then a verdict per
 * use. docs/check.md describes the reports.
 */
#ifndef SUBREPL_CHECK_H
#define SUBREPL_CHECK_H

/* argv[0] is "check"; exe is this program (the hosts run it with --host).
 * The exit status: 0 nothing unsafe, 1 unsafe or crashed, 2 usage. */
int check_main(int argc, char **argv, const char *exe);

#endif
