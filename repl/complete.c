/*
 * complete.c: what Tab offers. A line that is a command completes word by
 * word from the command table (names, options, interpreters); Python text,
 * including the code part of %exec and %all, completes from rlcompleter in
 * the interpreter that will run it. Word boundaries differ between the two,
 * so readline asks complete_word_breaks before every completion.
 */
#include "config.h"

#include "complete.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "cmd-parse.h"
#include "cmd.h"
#include "xmalloc.h"

/* Python's readline module uses these; '.' is absent so "os.pa" is a word. */
static const char python_breaks[] = " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?";
static const char command_breaks[] = " \t";

static struct repl *active;

struct words {
	char **v;
	size_t n;
};

static void
words_add(struct words *w, const char *s)
{
	w->v = xrealloc(w->v, (w->n + 1) * sizeof *w->v);
	w->v[w->n++] = xstrdup(s);
}

static int
compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort, drop duplicates and what does not start with prefix. */
static void
words_finish(struct words *w, const char *prefix)
{
	size_t i, kept = 0, plen = strlen(prefix);

	if (w->n == 0)
		return;
	qsort(w->v, w->n, sizeof *w->v, compare);
	for (i = 0; i < w->n; i++) {
		if (strncmp(w->v[i], prefix, plen) != 0 ||
		    (kept > 0 && strcmp(w->v[kept - 1], w->v[i]) == 0)) {
			free(w->v[i]);
			continue;
		}
		w->v[kept++] = w->v[i];
	}
	w->n = kept;
}

/* Where the command's words are: how many whole words precede point, and
 * where the first one (the command) is. */
static size_t
word_index(const char *line, int point)
{
	size_t index = 0;
	int i = 0;

	while (i < point && (line[i] == ' ' || line[i] == '\t'))
		i++;
	while (i < point) {
		if (line[i] == ' ' || line[i] == '\t') {
			while (i < point && (line[i] == ' ' || line[i] == '\t'))
				i++;
			if (i <= point)
				index++;
			continue;
		}
		i++;
	}
	return index;
}

static const struct cmd_entry *
command_of(const char *line)
{
	const struct cmd_entry *e;
	const char *rest;
	char *name, *cause = NULL;

	cmd_split_name(line, &name, &rest);
	e = cmd_find(name, &cause);
	free(name);
	free(cause);
	return e;
}

/* Is point inside the Python part of the line? */
static bool
in_python(struct repl *r, const char *line, int point, const struct cmd_entry **e)
{
	*e = NULL;
	if (repl_has_pending(r) || !cmd_is_command(line))
		return true;
	if (word_index(line, point) == 0)
		return false;
	*e = command_of(line);
	return *e != NULL && cmd_code_after(*e) >= 0 &&
	    (int)word_index(line, point) > cmd_code_after(*e);
}

const char *
complete_word_breaks(struct repl *r, const char *line, int point)
{
	const struct cmd_entry *e;

	return in_python(r, line, point, &e) ? python_breaks : command_breaks;
}

static void
add_interps(struct repl *r, struct words *w)
{
	struct interp_info *v;
	size_t n, i;
	char *cause = NULL, id[32];

	if (session_list(r->session, &v, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		words_add(w, id);
		if (v[i].name[0] != '\0')
			words_add(w, v[i].name);
	}
	free(v);
}

static void
add_python(struct repl *r, struct words *w, const char *line, const char *text,
    const struct cmd_entry *e)
{
	interp_id id = INTERP_NONE;
	char **v, *cause = NULL;
	size_t n, i;

	if (e != NULL && e->arg_kind == ARG_INTERP && cmd_code_after(e) == 1) {
		struct cmd_words cw;
		const char *rest;
		char *name;

		cmd_split_name(line, &name, &rest);
		free(name);
		if (cmd_words_split(rest, 1, &cw, &cause) != 0) {
			free(cause);
			return;
		}
		if (cw.argc < 1 ||
		    session_resolve(r->session, cw.argv[0], &id, &cause) != 0) {
			free(cause);
			cmd_words_free(&cw);
			return;
		}
		cmd_words_free(&cw);
	}
	if (session_complete(r->session, id, text, &v, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < n; i++)
		words_add(w, v[i]);
	session_free_strings(v, n);
}

char **
complete_candidates(struct repl *r, const char *line, int start, int end,
    size_t *n)
{
	const struct cmd_entry *e, *const *t;
	const char *const *o;
	struct words w = { NULL, 0 };
	char *text = xstrndup(line + start, (size_t)(end - start));
	char buf[64];

	if (in_python(r, line, start, &e)) {
		add_python(r, &w, line, text, e);
	} else if (word_index(line, start) == 0) {
		for (t = cmd_table; *t != NULL; t++) {
			snprintf(buf, sizeof buf, "%%%s", (*t)->name);
			words_add(&w, buf);
		}
	} else if ((e = command_of(line)) != NULL) {
		if (text[0] == '-') {
			for (o = e->options; o != NULL && *o != NULL; o++) {
				char *opt = xstrdup(*o);

				if (opt[strlen(opt) - 1] == '=')
					opt[strlen(opt) - 1] = '\0';
				words_add(&w, opt);
				free(opt);
			}
		} else if (e->arg_kind == ARG_INTERP) {
			add_interps(r, &w);
		} else if (e->arg_kind == ARG_COMMAND) {
			for (t = cmd_table; *t != NULL; t++)
				words_add(&w, (*t)->name);
		}
	}
	words_finish(&w, text);
	free(text);
	*n = w.n;
	return w.v;
}

static char *
word_breaks_hook(void)
{
	return (char *)complete_word_breaks(active, rl_line_buffer, rl_point);
}

/* readline wants [common prefix, match..., NULL], all malloc'd. */
static char **
attempt(const char *text, int start, int end)
{
	const struct cmd_entry *e;
	char **cands, **out;
	size_t n, i, common;

	(void)text;
	rl_attempted_completion_over = 1; /* never fall back to file names */
	cands = complete_candidates(active, rl_line_buffer, start, end, &n);
	if (n == 0) {
		free(cands);
		return NULL;
	}
	rl_completion_suppress_append = in_python(active, rl_line_buffer, start, &e);
	out = xcalloc(n + 2, sizeof *out);
	common = strlen(cands[0]);
	for (i = 1; i < n; i++) {
		size_t j = 0;

		while (j < common && cands[i][j] == cands[0][j])
			j++;
		common = j;
	}
	if (n == 1) {
		out[0] = cands[0];
	} else {
		out[0] = xstrndup(cands[0], common);
		for (i = 0; i < n; i++)
			out[i + 1] = cands[i];
	}
	free(cands);
	return out;
}

void
complete_install(struct repl *r)
{
	active = r;
	rl_attempted_completion_function = attempt;
	rl_completion_word_break_hook = word_breaks_hook;
	rl_basic_word_break_characters = (char *)python_breaks;
}
