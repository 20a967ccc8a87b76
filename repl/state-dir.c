/*
 * state-dir.c: finding and creating subrepl's state directory.
 */
#include "config.h"

#include "state-dir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xmalloc.h"

/* mkdir -p, with mode 0700 for what it creates. */
static int
make_dirs(const char *dir)
{
	char *copy = xstrdup(dir), *p;

	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

char *
state_dir(const char *sub)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;

	if (state != NULL && state[0] == '/')
		dir = xasprintf("%s/subrepl%s%s", state, sub ? "/" : "", sub ? sub : "");
	else if (home != NULL && home[0] != '\0')
		dir = xasprintf("%s/.local/state/subrepl%s%s", home, sub ? "/" : "",
		    sub ? sub : "");
	else
		return NULL;
	if (make_dirs(dir) != 0) {
		free(dir);
		return NULL;
	}
	return dir;
}
