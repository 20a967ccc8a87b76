/*
 * batch.c: lines from a file or a string, fed to the REPL with batch rules
 * (a column-0 line closes an open block) and no prompts. getline() keeps
 * arbitrarily long lines whole, so the REPL can reject them by their real
 * length and NUL bytes are seen rather than silently cutting a line short.
 */
#include "config.h"

#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "sigint.h"

/* One line into the REPL (NULL: the end of input); *stop says whether the
 * batch ends here. */
static enum batch_end
feed(struct repl *r, const char *line, size_t len, bool bail, bool *stop)
{
	enum step_result res;
	bool interrupted;

	res = sigint_run_step(r, line, len, &interrupted);
	*stop = true;
	if (res == STEP_QUIT)
		return BATCH_QUIT;
	if (interrupted)
		return BATCH_INTERRUPTED;
	if (res == STEP_FAILED && bail)
		return BATCH_BAILED;
	*stop = false;
	return BATCH_DONE;
}

enum batch_end
batch_run_stream(struct repl *r, FILE *f, const char *source, bool bail)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	enum batch_end end = BATCH_DONE;
	bool stop = false;

	r->source = source;
	r->lineno = 0;
	r->batch_rules = true;
	while (!stop && (n = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)n;

		if (len > 0 && line[len - 1] == '\n')
			len--;
		end = feed(r, line, len, bail, &stop);
	}
	free(line);
	if (!stop && sigint_take())
		return BATCH_INTERRUPTED;
	if (!stop)
		end = feed(r, NULL, 0, bail, &stop);
	return end;
}

enum batch_end
batch_run_text(struct repl *r, const char *text, const char *source, bool bail)
{
	const char *p = text, *nl;
	enum batch_end end = BATCH_DONE;
	bool stop = false;

	r->source = source;
	r->lineno = 0;
	r->batch_rules = true;
	while (!stop && *p != '\0') {
		nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		end = feed(r, p, len, bail, &stop);
		p += len + (nl != NULL ? 1 : 0);
	}
	if (!stop)
		end = feed(r, NULL, 0, bail, &stop);
	return end;
}
