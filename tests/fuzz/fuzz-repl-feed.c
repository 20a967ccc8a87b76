/*
 * fuzz-repl-feed.c: libFuzzer harness for how input lines become steps
 * (repl/repl.c: input checks, commands against Python, pending statements,
 * the batch rule that a column-0 line closes a block), with the real
 * command handlers and a session without Python (fuzz-session.c).
 *
 * The input is a script: its lines are fed twice, once as a file is (batch
 * rules, error locations) and once as typed at the prompt (interactive,
 * with completion asked at the end of each line). Each line is handed over
 * in a buffer of exactly its length, as batch.c hands over getline's
 * buffer without a NUL where the newline was, so a read past the line is
 * caught. Steps are journaled to a file of a fresh /tmp directory, which
 * %save and %export read,
 * and which must give back every line the REPL journaled.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "complete.h"
#include "fuzz-check.h"
#include "fuzz-session.h"
#include "journal.h"
#include "repl.h"
#include "session.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static int journal_fd = -1;
static char journal_dir[] = "/tmp/fuzz-repl-feed-XXXXXX";
static char journal_name[64];

static void
journal_remove(void)
{
	unlink(journal_name);
	rmdir(journal_dir);
}

/* Completion of the last word of a line, as readline would ask for it. */
static void
complete_end(struct repl *r, const char *line, size_t len)
{
	char *text = xstrndup(line, len), **v;
	int end = (int)strlen(text), start = end;
	size_t n, i;

	while (start > 0 && text[start - 1] != ' ' && text[start - 1] != '\t')
		start--;
	v = complete_candidates(r, text, start, end, &n);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(v[i] != NULL);
		free(v[i]);
	}
	free(v);
	free(text);
}

/* The next non-empty line of *p (advanced past it), or NULL. */
static const char *
next_line(const char **p, size_t *len)
{
	const char *line, *nl;

	while (**p == '\n')
		(*p)++;
	if (**p == '\0')
		return NULL;
	line = *p;
	nl = strchr(line, '\n');
	*len = nl != NULL ? (size_t)(nl - line) : strlen(line);
	*p = line + *len;
	return line;
}

/* Read back, the journal's steps hold every line the REPL journaled, in
 * order: %replay and %restart --replay run them again. Empty lines do not
 * count (the reader drops those that closed a block and adds its own), nor
 * the journal's heading, which without a host marker after it begins the
 * first step. */
static void
check_journal(void)
{
	const char *want = fuzz_session_journaled(), *w, *g, *wl, *gl;
	struct journal_steps steps;
	char *text = NULL, *cause = NULL;
	size_t i, len = 0, wn, gn;
	FILE *mem = open_memstream(&text, &len);

	FUZZ_CHECK(mem != NULL);
	FUZZ_CHECK(journal_read(journal_name, &steps, &cause) == 0);
	for (i = 0; i < steps.n; i++) {
		if (steps.v[i].text != NULL)
			fprintf(mem, "%s\n", steps.v[i].text);
	}
	FUZZ_CHECK(fclose(mem) == 0);
	journal_steps_free(&steps);
	g = text;
	if (strncmp(g, "# subrepl journal, ", 19) == 0)
		g += strcspn(g, "\n");
	w = want;
	for (;;) {
		wl = next_line(&w, &wn);
		gl = next_line(&g, &gn);
		if (wl == NULL && gl == NULL)
			break;
		if (wl == NULL || gl == NULL || wn != gn || memcmp(wl, gl, wn) != 0) {
			fprintf(stderr, "journaled:\n%s\nread back:\n%s\n", want, text);
			FUZZ_CHECK(!"the journal gives back what it was given");
		}
	}
	free(text);
}

static void
run(const uint8_t *data, size_t size, bool batch)
{
	struct session *s = fuzz_session_open();
	const char *p = (const char *)data, *end = p + size, *nl;
	struct repl r;
	char *cause = NULL;

	FUZZ_CHECK(ftruncate(journal_fd, 0) == 0);
	fuzz_session_journaled();
	repl_init(&r, s);
	r.out = r.err = devnull;
	r.journal = journal_open(journal_name, "3.12.1", &cause);
	FUZZ_CHECK(r.journal != NULL);
	if (batch) {
		r.batch_rules = true;
		r.source = "fuzz.sr";
	} else
		repl_front_begin(&r, FRONT_LINE);
	while (p < end && !r.quit) {
		size_t len;
		char *line;

		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		line = xmalloc(len > 0 ? len : 1);
		memcpy(line, p, len);
		repl_feed(&r, line, len);
		if (!batch && !r.quit)
			complete_end(&r, line, len);
		free(line);
		p += len + (nl != NULL ? 1 : 0);
	}
	if (!r.quit) {
		repl_finish(&r);
		FUZZ_CHECK(!repl_has_pending(&r));
	}
	repl_free(&r);
	journal_close(r.journal);
	check_journal();
	session_close(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (devnull == NULL) {
		/* a plain file: journal_open refuses a symbolic link such as
		 * /proc/self/fd/N (a planted link must not redirect it) */
		devnull = fopen("/dev/null", "w");
		FUZZ_CHECK(devnull != NULL && mkdtemp(journal_dir) != NULL);
		snprintf(journal_name, sizeof journal_name, "%s/journal.sr",
		    journal_dir);
		journal_fd = open(journal_name, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		FUZZ_CHECK(journal_fd >= 0);
		atexit(journal_remove);
		fuzz_session_allow_read(journal_name);
	}
	run(data, size, true);
	run(data, size, false);
	return 0;
}
