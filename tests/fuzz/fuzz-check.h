/*
 * fuzz-check.h: what a harness asserts about a parser's answer. A failed
 * check aborts, which libFuzzer reports like any crash (with the input
 * that caused it); unlike assert() it stays on whatever NDEBUG says.
 */
#ifndef SUBREPL_FUZZ_CHECK_H
#define SUBREPL_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

#endif
