/*
 * cmd-parse.c: the tokenizer of command lines. Words are built into a
 * growing buffer one character at a time; quoting follows the POSIX shell
 * closely enough that paths with spaces and names with quotes can be typed.
 */
#include "config.h"

#include "cmd-parse.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool
cmd_is_command(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return *line == '%';
}

void
cmd_split_name(const char *line, char **name, const char **rest)
{
	const char *p, *start;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '%')
		line++;
	start = p = line;
	while (*p != '\0' && !is_blank(*p))
		p++;
	*name = xstrndup(start, (size_t)(p - start));
	while (is_blank(*p))
		p++;
	*rest = p;
}

static void
words_push(struct cmd_words *w, char *word)
{
	w->argv = xrealloc(w->argv, (size_t)(w->argc + 2) * sizeof *w->argv);
	w->argv[w->argc++] = word;
	w->argv[w->argc] = NULL;
}

int
cmd_words_split(const char *rest, int max_words, struct cmd_words *w,
    char **cause)
{
	const char *p = rest;
	size_t len = strlen(rest);
	char *buf = xmalloc(len + 1);

	memset(w, 0, sizeof *w);
	w->argv = xcalloc(1, sizeof *w->argv);
	for (;;) {
		size_t n = 0;
		char quote = 0;

		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if (max_words >= 0 && w->argc >= max_words) {
			w->raw = xstrdup(p);
			break;
		}
		while (*p != '\0' && (quote != 0 || !is_blank(*p))) {
			if (quote == '\'') {
				if (*p == '\'')
					quote = 0;
				else
					buf[n++] = *p;
				p++;
			} else if (*p == '\\' && p[1] != '\0') {
				buf[n++] = p[1];
				p += 2;
			} else if (quote == '"' && *p == '"') {
				quote = 0;
				p++;
			} else if (quote == 0 && (*p == '\'' || *p == '"')) {
				quote = *p++;
			} else
				buf[n++] = *p++;
		}
		if (quote != 0) {
			*cause = xasprintf("unterminated %s quote: close it with %c",
			    quote == '\'' ? "single" : "double", quote);
			free(buf);
			cmd_words_free(w);
			return -1;
		}
		words_push(w, xstrndup(buf, n));
	}
	free(buf);
	return 0;
}

void
cmd_words_free(struct cmd_words *w)
{
	int i;

	if (w->argv != NULL) {
		for (i = 0; i < w->argc; i++)
			free(w->argv[i]);
		free(w->argv);
	}
	free(w->raw);
	memset(w, 0, sizeof *w);
}
