/*
 * import.h: importing into chosen interpreters (core-internal; the reports,
 * plain data, and session_import are declared in session.h).
 */
#ifndef SUBREPL_IMPORT_H
#define SUBREPL_IMPORT_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include "session.h"

struct interp;

/* session_import's work in this process (the interpreters are ids). */
int import_run(const char *name, const char *path, const interp_id *ids,
    size_t n, struct import_report *reports, char **cause);

/* Remember the module definitions an interpreter holds before it is
 * destroyed, so later imports still know their m_copy. */
void import_remember_defs(struct interp *it);

#endif
