/*
 * state-dir.c: finding, creating and checking subrepl's state directory.
 *
 * What is kept there (history, journals) is the user's session text, so,
 * as ssh does with ~/.ssh, a directory others may write to is refused (they
 * could plant a link that makes subrepl append to a file of their choice),
 * and the files are opened without following symbolic links.
 */
#include "config.h"

#include "state-dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* A directory of ours that only we may change; else *cause says why. */
static int
dir_check(const char *dir, char **cause)
{
	struct stat st;

	if (lstat(dir, &st) != 0) {
		*cause = xasprintf("cannot use '%s': %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		*cause = xasprintf("refusing '%s': it is not a directory%s", dir,
		    S_ISLNK(st.st_mode) ? " but a symbolic link" : "");
		return -1;
	}
	if (st.st_uid != geteuid()) {
		*cause = xasprintf("refusing '%s': it belongs to another user "
		    "(uid %ld)", dir, (long)st.st_uid);
		return -1;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		*cause = xasprintf("refusing '%s': others may write to it (mode "
		    "%04o): chmod go-w '%s'", dir, (unsigned)(st.st_mode & 07777),
		    dir);
		return -1;
	}
	return 0;
}

char *
state_dir(const char *sub, char **cause)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *top, *dir;

	if (state != NULL && state[0] == '/')
		top = xasprintf("%s/subrepl", state);
	else if (home != NULL && home[0] != '\0')
		top = xasprintf("%s/.local/state/subrepl", home);
	else {
		*cause = xstrdup("neither XDG_STATE_HOME nor HOME is set");
		return NULL;
	}
	dir = sub != NULL ? xasprintf("%s/%s", top, sub) : xstrdup(top);
	if (make_dirs(dir) != 0) {
		*cause = xasprintf("cannot create '%s': %s", dir, strerror(errno));
		free(top);
		free(dir);
		return NULL;
	}
	if (dir_check(top, cause) != 0 ||
	    (sub != NULL && dir_check(dir, cause) != 0)) {
		free(top);
		free(dir);
		return NULL;
	}
	free(top);
	return dir;
}

int
state_file_open(const char *path, char **cause)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW, 0600);

	if (fd < 0 && errno == ELOOP)
		*cause = xasprintf("refusing '%s': it is a symbolic link", path);
	else if (fd < 0)
		*cause = xasprintf("cannot write '%s': %s", path, strerror(errno));
	return fd;
}
