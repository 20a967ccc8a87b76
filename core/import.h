/*
 * import.h: importing a module into chosen interpreters and reporting how
 * each import came about (plain data, part of the session API).
 *
 * What CPython did is read off the module's PyModuleDef around the import:
 * a single-phase module whose m_copy was already there and is still the same
 * dict afterwards was filled from that copy (its init function did not
 * run); any other new module ran its init (single-phase) or its exec slots
 * (multi-phase).
 */
#ifndef SUBREPL_IMPORT_H
#define SUBREPL_IMPORT_H

#include <stdint.h>

#include "session.h"
#include "snapshot.h"

enum import_result {
	IMPORT_RAN_INIT,   /* init (or multi-phase exec) made a new module */
	IMPORT_FROM_COPY,  /* single-phase: filled from m_copy, init did not run */
	IMPORT_ALREADY,    /* it was in sys.modules already: nothing happened */
	IMPORT_REFUSED,    /* ImportError (e.g. check_multi_interp_extensions) */
	IMPORT_FAILED,     /* another exception */
};

struct import_report {
	interp_id interp;
	enum import_result result;
	enum module_kind kind;       /* of the module imported */
	long m_size;                 /* def->m_size when has_def */
	int has_def;
	uintptr_t module;            /* the module object */
	uintptr_t def;               /* its PyModuleDef */
	uintptr_t m_copy_before;     /* def->m_base.m_copy before the import */
	uintptr_t m_copy_after;      /* ... and after */
	char error[1024];            /* "ImportError: ..." verbatim, or "" */
};

/* Import NAME (from the file PATH when not NULL, as %load does) into each of
 * the n interpreters, one report each. -1 only if the request is impossible
 * (unknown interpreter); a failing import is a report. */
int session_import(struct session *s, const char *name, const char *path,
    const interp_id *ids, size_t n, struct import_report *reports,
    char **cause);

const char *import_result_name(enum import_result r);

struct interp;

/* Core-internal: session_import's work (the interpreters are ids). */
int import_run(const char *name, const char *path, const interp_id *ids,
    size_t n, struct import_report *reports, char **cause);

/* Core-internal: remember the module definitions an interpreter holds
 * before it is destroyed, so later imports still know their m_copy. */
void import_remember_defs(struct interp *it);

#endif
