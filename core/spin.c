/*
 * spin.c: whether waiting on the CPU can pay (see spin.h).
 */
#include "config.h"

#include "spin.h"

#include <sched.h>

#include "session.h"

static bool forbidden;

void
session_set_spinning(bool allowed)
{
	forbidden = !allowed;
}

bool
spin_pays(void)
{
	static int cpus; /* 0: not looked at yet */

	if (forbidden)
		return false;
	if (cpus == 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		cpus = sched_getaffinity(0, sizeof set, &set) == 0 ?
		    CPU_COUNT(&set) : 1;
	}
	return cpus > 1;
}
