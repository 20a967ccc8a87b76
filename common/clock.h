/*
 * clock.h: seconds on the monotonic clock, for durations and deadlines
 * (wall-clock time jumps; this one does not).
 */
#ifndef SUBREPL_CLOCK_H
#define SUBREPL_CLOCK_H

#include <time.h>

static inline double
monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
