/*
 * journal.c: the session's journal (see journal.h).
 *
 * The file is a subrepl script with comments: every input line is appended
 * (with write(2) on an O_APPEND descriptor, so it is in the kernel before
 * the step runs and survives a crash of the host or a SIGKILL of subrepl
 * itself), and after each step a line "#-> OUTCOME" says how it ended.
 * "#== host" lines mark each host process. Reading it back, a step is the
 * run of input lines before an outcome line. A step gets exactly one
 * outcome; a last line torn by a crash (no newline, no outcome) is read as
 * input that never became a step, and the steps before it stay whole. An
 * input line that would read as a marker (a comment or a line of a string
 * at column 0: "#-> x") is written with one more '#' and read back without
 * it, as mbox quotes "From ".
 */
#include "config.h"

#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state-dir.h"
#include "xmalloc.h"

struct journal {
	int fd;        /* O_APPEND */
	char *path;
	bool open;     /* lines were written since the last outcome: a step
	                * is waiting for its one outcome */
};

static void
put(struct journal *j, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(j->fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* a full disk must not stop the session */
		s += n;
		len -= (size_t)n;
	}
}

char *
journal_default_path(char **cause)
{
	char stamp[32], *dir = state_dir("journal", cause), *path;
	time_t now = time(NULL);
	struct tm tm;

	if (dir == NULL)
		return NULL;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	path = xasprintf("%s/%s-%ld.sr", dir, stamp, (long)getpid());
	free(dir);
	return path;
}

struct journal *
journal_open(const char *path, const char *python, char **cause)
{
	struct journal *j;
	char head[256], stamp[64];
	time_t now = time(NULL);
	struct tm tm;
	int fd;

	fd = state_file_open(path, cause);
	if (fd < 0)
		return NULL;
	j = xcalloc(1, sizeof *j);
	j->fd = fd;
	j->path = xstrdup(path);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(head, sizeof head, "# subrepl journal, Python %s, started %s\n",
	    python, stamp);
	put(j, head, strlen(head));
	return j;
}

const char *
journal_path(const struct journal *j)
{
	return j != NULL ? j->path : NULL;
}

/* Whether a line is '#'s and then what follows the '#' of a marker:
 * "#-> ", "##-> ", "#== host ", ... (see the top of the file). */
static bool
marker_like(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && line[i] == '#')
		i++;
	if (i == 0)
		return false;
	return (len - i >= 3 && memcmp(line + i, "-> ", 3) == 0) ||
	    (len - i >= 8 && memcmp(line + i, "== host ", 8) == 0);
}

void
journal_line(struct journal *j, const char *line, size_t len)
{
	if (j == NULL)
		return;
	if (marker_like(line, len))
		put(j, "#", 1);
	put(j, line, len);
	put(j, "\n", 1);
	j->open = true;
}

void
journal_write_text(FILE *f, const char *text)
{
	const char *p, *nl;
	size_t len;

	for (p = text; ; p = nl + 1) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (marker_like(p, len))
			putc('#', f);
		fwrite(p, 1, len, f);
		putc('\n', f);
		if (nl == NULL)
			break;
	}
}

void
journal_outcome(struct journal *j, const char *outcome)
{
	char buf[1200];

	/* one outcome a step: a second report of the same end is dropped */
	if (j == NULL || !j->open)
		return;
	snprintf(buf, sizeof buf, "#-> %s\n", outcome);
	put(j, buf, strlen(buf));
	j->open = false;
}

void
journal_note(struct journal *j, const char *text)
{
	char buf[1200];

	if (j == NULL)
		return;
	snprintf(buf, sizeof buf, "#!! %s\n", text);
	put(j, buf, strlen(buf));
}

void
journal_host(struct journal *j, long pid)
{
	char buf[64];

	if (j == NULL)
		return;
	snprintf(buf, sizeof buf, "#== host %ld\n", pid);
	put(j, buf, strlen(buf));
	j->open = false;
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	close(j->fd);
	free(j->path);
	free(j);
}

/* ------------------------------------------------------------- reading */

static void
step_add(struct journal_steps *s, char *text, size_t len, long line,
    bool multi, char *outcome)
{
	struct journal_step *st;

	/* the blank line that closed a block is the reader's to add */
	while (text != NULL && len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	st = &s->v[s->n++];
	st->text = text;
	st->len = len;
	st->line = line;
	st->multiline = multi;
	st->outcome = outcome;
}

int
journal_read(const char *path, struct journal_steps *out, char **cause)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *text = NULL;
	size_t cap = 0, tlen = 0;
	ssize_t n;
	long lineno = 0, first = 0;
	bool multi = false, marked = false;
	struct stat st;

	memset(out, 0, sizeof *out);
	if (f == NULL) {
		*cause = xasprintf("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		*cause = xasprintf("'%s' is a directory: give a script or a journal",
		    path);
		fclose(f);
		return -1;
	}
	/* lines are bytes: a NUL in one stays, for the REPL to refuse */
	while ((n = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)n;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strncmp(line, "#-> ", 4) == 0) {
			marked = true;
			if (text != NULL)
				step_add(out, text, tlen, first, multi,
				    xstrdup(line + 4));
			text = NULL;
			tlen = 0;
			multi = false;
			continue;
		}
		if (strncmp(line, "#== host ", 9) == 0) {
			free(text);
			text = NULL;
			tlen = 0;
			step_add(out, NULL, 0, lineno, false, xstrdup(line + 4));
			continue;
		}
		if (line[0] == '#' && marker_like(line + 1, len - 1))
			memmove(line, line + 1, len--); /* an input line, quoted */
		if (line[0] == '#' && text == NULL && marked)
			continue; /* a comment between steps */
		if (text != NULL) {
			multi = true;
			text = xrealloc(text, tlen + len + 2);
			text[tlen++] = '\n';
		} else {
			text = xmalloc(len + 1);
			first = lineno;
		}
		memcpy(text + tlen, line, len + 1);
		tlen += len;
	}
	free(line);
	if (!marked && text != NULL)
		step_add(out, text, tlen, first, true, xstrdup("ok")); /* a plain script */
	else
		free(text); /* input that never became a step */
	fclose(f);
	return 0;
}

void
journal_steps_free(struct journal_steps *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].text);
		free(s->v[i].outcome);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}
