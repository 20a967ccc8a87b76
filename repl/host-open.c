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
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0) {
		*cause = strdup("cannot find this program's file (/proc/self/exe) "
		    "to start the host: try --in-process");
		return NULL;
	}
	exe[n] = '\0';
	return session_open_supervised(exe, cause);
}
