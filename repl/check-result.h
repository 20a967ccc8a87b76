/*
 * check-result.h: what `subrepl check` learns, as plain data. A scenario
 * runs in a process of its own (check.c forks one per scenario, so they
 * run side by side and a front end that goes wrong takes only its own
 * result down); its struct check_result comes back whole through a pipe,
 * which is why it holds arrays, not pointers.
 */
#ifndef SUBREPL_CHECK_RESULT_H
#define SUBREPL_CHECK_RESULT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "session.h"

/* How one scenario ended. */
enum check_outcome {
	CHECK_OK,        /* every import and step succeeded */
	CHECK_REFUSED,   /* an import raised ImportError (verbatim in detail) */
	CHECK_FAILED,    /* another exception, or a step subrepl could not
	                  * take (no such interpreter config here) */
	CHECK_CRASHED,   /* the host died: signal or status in detail */
	CHECK_TIMED_OUT, /* a step ran past --timeout and was killed */
	CHECK_SKIPPED,   /* not on this Python (3.12+ only) */
};

#define CHECK_TEXT 1024
#define CHECK_EXAMPLES 3

/* A target: a module name, or an extension file with the init name to
 * load it under. */
struct check_target {
	const char *arg;            /* as given */
	char name[256];             /* module name (INITNAME for a file) */
	char path[PATH_MAX];        /* the file, or "" for a module name */
};

/* What the import in main tells of the module itself. */
struct check_facts {
	bool known;                 /* the module was loaded and seen */
	enum module_kind kind;
	long m_size;
	bool has_def;
	int multi_interp;           /* Py_mod_multiple_interpreters, -1 unset */
	int gil;                    /* Py_mod_gil, -1 unset */
	char file[PATH_MAX];
};

/* What the walk found crossing interpreters through the target, after it
 * was imported in main and another interpreter. */
struct check_findings {
	bool walked;
	int crossing;               /* objects two interpreters reach */
	int dangerous;              /* of them flagged (foreign globals, ...) */
	int entries;                /* where the crossing starts */
	char examples[CHECK_EXAMPLES][512]; /* "list at sys.modules[...]..." */
	int statics;                /* C statics holding objects two reach */
	char static_examples[CHECK_EXAMPLES][256]; /* "registry holds list" */
	int static_types;           /* static type objects in its data */
};

struct check_result {
	enum check_outcome outcome;
	char step[256];             /* the step that decided it */
	char detail[CHECK_TEXT];    /* the error verbatim, the death, why
	                             * skipped */
	char stack[4 * CHECK_TEXT]; /* a crash's report, as the host left it */
	char chain[512];            /* "pkg > pkg.sub > _ext": the imports
	                             * under way when it failed */
	double seconds;
	struct check_facts facts;   /* from the first import in main */
	struct check_findings findings; /* after main and another interpreter
	                             * imported it ("main-legacy",
	                             * "isolated", "own-gil") */
	long rss_growth_kb;         /* "churn": host RSS growth over rounds */
	int rounds;
};

const char *check_outcome_name(enum check_outcome o);

#endif
