/*
 * program-file.h: which file this program was run from, for starting hosts
 * (this very binary run again with --host) and for telling whether it runs
 * from its build tree.
 */
#ifndef SUBREPL_PROGRAM_FILE_H
#define SUBREPL_PROGRAM_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Its path into exe (size bytes); false when /proc cannot say. */
bool program_file(char *exe, size_t size);

#endif
