/*
 * input.h: checks every input line passes before anything runs it.
 */
#ifndef SUBREPL_INPUT_H
#define SUBREPL_INPUT_H

#include <stddef.h>

/* The longest line accepted; longer code belongs in a file. */
#define INPUT_LINE_MAX (256 * 1024)

/* 0 if the line (len bytes, without its newline) can be run; otherwise -1
 * and a malloc'd message naming the problem and the fix. */
int input_check(const char *line, size_t len, char **cause);

#endif
