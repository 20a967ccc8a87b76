/*
 * export.h: a session (its journal) as a standalone reproduction.
 */
#ifndef SUBREPL_EXPORT_H
#define SUBREPL_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "journal.h"

/* Write steps [from, to) as a Python script (c false) or a C program. */
int export_write(FILE *f, bool c, const struct journal_steps *steps,
    size_t from, size_t to, const char *python_version,
    const char *source_path);

#endif
