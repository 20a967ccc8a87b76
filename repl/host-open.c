/*
 * host-open.c: a supervised host from this program's own file (host-open.h).
 */
#include "config.h"

#include "host-open.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct session *
host_open(char **cause)
{
	char exe[PATH_MAX];

	if (!program_file(exe, sizeof exe)) {
		*cause = strdup("cannot find this program's file (/proc/self/exe) "
		    "to start the host: try --in-process");
		return NULL;
	}
	return session_open_supervised(exe, cause);
}
