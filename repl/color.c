/*
 * color.c: deciding on colors once per stream and handing out SGR escapes.
 */
#include "config.h"

#include "color.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool
color_enabled(FILE *f)
{
	const char *no = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (no != NULL && no[0] != '\0')
		return false;
	if (term != NULL && (term[0] == '\0' || strcmp(term, "dumb") == 0))
		return false;
	return isatty(fileno(f)) == 1;
}

const char *
color_on(FILE *f, enum color c)
{
	if (!color_enabled(f))
		return "";
	switch (c) {
	case COLOR_ALARM:
		return "\033[1;31m";
	case COLOR_STATIC:
		return "\033[36m";
	case COLOR_CALM:
		return "\033[32m";
	case COLOR_DIM:
		return "\033[2m";
	case COLOR_NONE:
		break;
	}
	return "";
}

const char *
color_off(FILE *f)
{
	return color_enabled(f) ? "\033[0m" : "";
}
