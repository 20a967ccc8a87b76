/*
 * cpu-util.h: for tests of what a process does with a second CPU
 * (core/spin.h): how many it may use, a case in a child of its own (the
 * count is looked at once per process), and the child bound to one.
 */
#ifndef SUBREPL_TEST_CPU_UTIL_H
#define SUBREPL_TEST_CPU_UTIL_H

#include <stdbool.h>

/* How many CPUs this process may run on. */
int cpus_allowed(void);

/* Run fn in a child and return its answer (its exit status, 0 to 255);
 * fails the test if the child does not exit. */
int in_child(int (*fn)(void));

/* Bind this process to the first CPU it may use; false if it cannot. */
bool bind_to_one_cpu(void);

#endif
