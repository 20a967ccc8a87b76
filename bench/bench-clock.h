/*
 * bench-clock.h: what every benchmark program times with and sorts its
 * runs by (bench/stats.sh does the same for the shell scripts).
 */
#ifndef SUBREPL_BENCH_CLOCK_H
#define SUBREPL_BENCH_CLOCK_H

#include <time.h>

/* Milliseconds on the monotonic clock. */
static inline double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort order of doubles, for medians. */
static inline int
double_compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif
