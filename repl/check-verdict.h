/*
 * check-verdict.h: from a target's scenario results to a verdict per use
 * (check-verdict.c): safe, refused cleanly, or unsafe, each with the
 * finding that decides it and what the isolating-extensions HOWTO says to
 * do about that kind of finding.
 */
#ifndef SUBREPL_CHECK_VERDICT_H
#define SUBREPL_CHECK_VERDICT_H

#include <stdbool.h>

#include "check-result.h"
#include "check-scenario.h"

enum check_use {
	USE_MAIN,      /* the main interpreter only */
	USE_REINIT,    /* main again after Py_FinalizeEx, Py_Initialize */
	USE_LEGACY,    /* legacy sub-interpreters (Py_NewInterpreter) */
	USE_ISOLATED,  /* check_multi_interp_extensions (3.12+) */
	USE_OWN_GIL,   /* a GIL per interpreter (3.12+) */
	USE_COUNT,
};

enum check_verdict {
	VERDICT_SAFE,
	VERDICT_REFUSED,   /* refused cleanly: an ImportError, nothing else */
	VERDICT_UNSAFE,
	VERDICT_BROKEN,    /* does not import at all (in main) */
	VERDICT_UNKNOWN,   /* not on this Python */
};

struct check_use_verdict {
	enum check_verdict verdict;
	char why[1200];            /* the deciding finding */
	const char *advice;        /* what the HOWTO says, or NULL */
};

/* results[i] is scenario check_scenarios[i]'s, or NULL when not run. */
void check_verdicts(const struct check_result *const *results,
    struct check_use_verdict verdicts[USE_COUNT]);

const char *check_use_name(enum check_use u);
const char *check_verdict_name(enum check_verdict v);

/* The facts of a target, from whichever scenario learned them, or NULL. */
const struct check_facts *check_facts_of(
    const struct check_result *const *results);

/* What a slot's value means, and what its absence implies on this Python
 * ("not set: supported"), into buf. */
void check_slot_text(const struct check_facts *f, bool multi_interp,
    const char *python, char *buf, size_t size);

#endif
