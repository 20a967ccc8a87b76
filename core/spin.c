/*
 * spin.c: whether another CPU is ours (see spin.h).
 */
#include "config.h"

#include "spin.h"

#include <sched.h>

#include "session.h"

static bool shared;

void
session_share_cpus(bool share)
{
	shared = share;
}

bool
cpu_to_spare(void)
{
	static int cpus; /* 0: not looked at yet */

	if (shared)
		return false;
	if (cpus == 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		cpus = sched_getaffinity(0, sizeof set, &set) == 0 ?
		    CPU_COUNT(&set) : 1;
	}
	return cpus > 1;
}
