/*
 * cause.c: formatting of error messages for `char **cause` out-parameters.
 */
#include "config.h"

#include "cause.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void
cause_set(char **cause, const char *fmt, ...)
{
	va_list ap;
	char *text;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	*cause = text;
}
