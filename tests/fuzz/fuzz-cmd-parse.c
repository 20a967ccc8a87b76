/*
 * fuzz-cmd-parse.c: libFuzzer harness for the command language's parser
 * (repl/cmd-parse.c, repl/cmd.c), after tmux's fuzz/cmd-parse-fuzzer.c.
 * The input is one line as a user would type it: it is split into a name
 * and words with every word limit a command uses, looked up in the real
 * command table, and parsed into arguments; what the parsers promise
 * (NULL-terminated words, counts within the entry's bounds, options found
 * again by the accessors) is checked, so a wrong answer is a crash too.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-parse.h"
#include "cmd.h"
#include "fuzz-check.h"
#include "input.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Words split with at most max words: the counts and the tail agree. */
static void
check_words(const char *rest, int max)
{
	struct cmd_words w;
	char *cause = NULL;
	int i;

	if (cmd_words_split(rest, max, &w, &cause) != 0) {
		FUZZ_CHECK(cause != NULL && w.argv == NULL && w.argc == 0);
		free(cause);
		return;
	}
	FUZZ_CHECK(w.argc >= 0 && (max < 0 || w.argc <= max));
	FUZZ_CHECK(w.raw == NULL || (max >= 0 && w.argc == max));
	for (i = 0; i < w.argc; i++)
		FUZZ_CHECK(w.argv[i] != NULL);
	FUZZ_CHECK(w.argv[w.argc] == NULL);
	cmd_words_free(&w);
}

/* A parsed line holds what its entry allows, and the accessors find it. */
static void
check_line(const char *text)
{
	struct cmd_line line;
	char *cause = NULL;
	const struct cmd_entry *e;
	int i;

	if (cmd_parse(text, &line, &cause) != 0) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		cmd_line_free(&line);
		return;
	}
	e = line.entry;
	FUZZ_CHECK(e != NULL && cause == NULL);
	FUZZ_CHECK(line.args.npos >= e->min_args);
	FUZZ_CHECK(e->max_args < 0 || line.args.npos <= e->max_args);
	for (i = 0; i < line.args.npos; i++)
		FUZZ_CHECK(line.args.pos[i] != NULL);
	for (i = 0; i < line.args.nflags; i++) {
		const char *f = line.args.flags[i];
		size_t len = strlen(f);

		FUZZ_CHECK(cmd_args_flag(&line.args, f));
		if (len > 0 && f[len - 1] == '=') {
			char *opt = xstrndup(f, len - 1);

			FUZZ_CHECK(line.args.values[i] != NULL);
			FUZZ_CHECK(cmd_args_value(&line.args, opt) != NULL);
			free(opt);
		}
	}
	if (cmd_code_after(e) >= 0)
		FUZZ_CHECK(line.args.raw != NULL && line.args.raw[0] != '\0');
	cmd_line_free(&line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *name, *cause = NULL;
	const struct cmd_entry *e;
	const char *rest;
	bool skipped;
	int max;

	/* The REPL checks a line before parsing it, but a script or a
	 * journal reaches the parser unchecked (%replay, %export): both. */
	if (input_check(text, strlen(text), &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	cmd_split_name(text, &name, &rest);
	FUZZ_CHECK(rest >= text && rest <= text + strlen(text));
	e = cmd_find(name, &cause);
	FUZZ_CHECK((e == NULL) == (cause != NULL));
	free(cause);
	for (max = -1; max <= 2; max++)
		check_words(rest, max);
	if (cmd_is_command(text))
		check_line(text);
	skipped = cmd_line_skipped_by_replay(text);
	FUZZ_CHECK(skipped == (cmd_is_command(text) && e != NULL &&
	    (e->traits & CMD_NO_REPLAY) != 0));
	free(name);
	free(text);
	return 0;
}
