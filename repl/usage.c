/*
 * usage.c: usage errors (see usage.h).
 */
#include "config.h"

#include "usage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void
usage_error(const char *who, const char *help, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s' for more information.\n", help);
	exit(EXIT_USAGE);
}
