/*
 * history.c: readline's history, persisted. The file is appended after
 * every line (append_history) instead of written at exit, so a killed
 * session keeps what was typed; it is trimmed when the session ends.
 */
#include "config.h"

#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "xmalloc.h"

#define HISTORY_MAX 2000

static char *path;   /* NULL: not saving */

/* mkdir -p with mode 0700 for the directories we create. */
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
	if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
		free(copy);
		return -1;
	}
	free(copy);
	return 0;
}

void
history_open(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;
	int fd;

	using_history();
	stifle_history(HISTORY_MAX);
	if (state != NULL && state[0] == '/')
		dir = xasprintf("%s/subrepl", state);
	else if (home != NULL && home[0] != '\0')
		dir = xasprintf("%s/.local/state/subrepl", home);
	else
		return;
	if (make_dirs(dir) != 0) {
		free(dir);
		return;
	}
	path = xasprintf("%s/history", dir);
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(path);
		path = NULL;
		return;
	}
	fchmod(fd, 0600); /* an older file may have been more open */
	close(fd);
	read_history(path);
}

void
history_add(const char *line)
{
	HIST_ENTRY *last;

	if (line[0] == '\0')
		return;
	last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
	if (last != NULL && strcmp(last->line, line) == 0)
		return;
	add_history(line);
	if (path != NULL)
		append_history(1, path);
}

void
history_close(void)
{
	if (path != NULL)
		history_truncate_file(path, HISTORY_MAX);
	free(path);
	path = NULL;
	clear_history();
}

const char *
history_path(void)
{
	return path;
}
