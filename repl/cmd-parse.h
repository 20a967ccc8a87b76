/*
 * cmd-parse.h: splitting a command line ("%new worker --isolated") into
 * its name and words, with shell-like quoting.
 */
#ifndef SUBREPL_CMD_PARSE_H
#define SUBREPL_CMD_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct cmd_words {
	char **argv;   /* the words, unquoted; NULL-terminated */
	int argc;
	char *raw;     /* the rest of the line, verbatim, when asked for; else NULL */
};

/* Whether a line is a command (first non-blank character is '%'). */
bool cmd_is_command(const char *line);

/* Split "%name rest": *name is malloc'd ("" for a bare '%'), *rest points
 * into line at the first non-blank after the name. */
void cmd_split_name(const char *line, char **name, const char **rest);

/* Split rest into words: blanks separate; '...' quotes literally; "..." and
 * unquoted text take backslash escapes. After max_words words (-1: no limit)
 * the remaining text is left verbatim in raw. -1 with *cause on an
 * unterminated quote. */
int cmd_words_split(const char *rest, int max_words, struct cmd_words *w,
    char **cause);

void cmd_words_free(struct cmd_words *w);

#endif
