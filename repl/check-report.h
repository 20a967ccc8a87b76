/*
 * check-report.h: what `subrepl check` found, as text for people, as JSON
 * (docs/check.md) and as JUnit XML for CI systems (check-report.c).
 */
#ifndef SUBREPL_CHECK_REPORT_H
#define SUBREPL_CHECK_REPORT_H

#include <stdio.h>

#include "check-result.h"
#include "check-scenario.h"
#include "check-verdict.h"

/* One target with its results and verdicts. */
struct check_report {
	const struct check_target *target;
	const struct check_result *results[16]; /* by check_scenarios index;
	                                  * NULL: not run (--scenario) */
	struct check_use_verdict verdicts[USE_COUNT];
	bool unsafe;                     /* it makes the exit status 1 */
};

void check_report_text(FILE *f, const struct check_report *r,
    const char *python);
int check_report_json(FILE *f, const struct check_report *r, size_t n,
    const char *python, int status);
int check_report_junit(FILE *f, const struct check_report *r, size_t n,
    const char *python);

#endif
