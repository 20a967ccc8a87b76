/*
 * check-scenario.h: the scenarios `subrepl check` runs a target through
 * (check-scenario.c), as a table: each is a short sequence of session
 * calls (new interpreters, imports, destroys, a re-initialization) against
 * a fresh supervised host, whose first failing step decides its outcome.
 */
#ifndef SUBREPL_CHECK_SCENARIO_H
#define SUBREPL_CHECK_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "check-result.h"

struct check_run;

struct check_scenario {
	const char *id;          /* for --scenario, JSON and JUnit */
	const char *title;       /* for people */
	bool needs_config;       /* interpreter configs: Python 3.12+ */
	void (*run)(struct check_run *r);
};

extern const struct check_scenario check_scenarios[];
extern const size_t check_nscenarios;

/* The scenario with this id, or NULL. */
const struct check_scenario *check_scenario_find(const char *id);

/* Run one scenario for a target in a host started from exe, each step
 * bounded by timeout seconds; what the host prints goes to this process's
 * fd 1 and 2, which the caller points at capture_fd (a file it can read
 * back: the scenarios look for their own marker lines there). */
void check_scenario_run(const struct check_scenario *sc,
    const struct check_target *t, const char *exe, double timeout,
    int capture_fd, struct check_result *res);

#endif
