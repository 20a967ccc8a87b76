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

void
cause_prefix(char **cause, const char *fmt, ...)
{
	va_list ap;
	char *head, *text;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&head, fmt, ap) < 0)
		head = NULL;
	va_end(ap);
	if (head == NULL || asprintf(&text, "%s: %s", head,
	    *cause != NULL ? *cause : "out of memory") < 0)
		text = NULL;
	free(head);
	free(*cause);
	*cause = text;
}
