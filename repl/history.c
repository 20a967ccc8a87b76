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

#include "state-dir.h"
#include "xmalloc.h"

#define HISTORY_MAX 2000

static char *path;   /* NULL: not saving */

void
history_open(void)
{
	char *dir, *cause = NULL;
	int fd;

	using_history();
	stifle_history(HISTORY_MAX);
	dir = state_dir(NULL, &cause);
	if (dir == NULL) {
		fprintf(stderr, "subrepl: not keeping history: %s\n", cause);
		free(cause);
		return;
	}
	path = xasprintf("%s/history", dir);
	free(dir);
	fd = state_file_open(path, &cause);
	if (fd < 0) {
		fprintf(stderr, "subrepl: not keeping history: %s\n", cause);
		free(cause);
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
