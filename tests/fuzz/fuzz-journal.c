/*
 * fuzz-journal.c: libFuzzer harness for the journal reader
 * (repl/journal.c) and what reads a journal back: %replay's choice of the
 * lines it passes over (cmd_line_skipped_by_replay, repl/replay.c), the
 * replay itself against a session without Python (fuzz-session.c), and
 * %export's walk of the steps (repl/export.c) in both languages.
 *
 * The input is a journal or a script, read from a memfd by its
 * /proc/self/fd path as %replay reads a file. A replay must never read a
 * file itself (%replay and %save are passed over): the harness refuses
 * every path while it replays, and a refusal is a failed check.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmd.h"
#include "export.h"
#include "fuzz-check.h"
#include "fuzz-session.h"
#include "journal.h"
#include "repl.h"
#include "replay.h"
#include "session.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static int input_fd = -1;
static char input_name[64];

/* Every line of every step, asked whether a replay passes over it. */
static void
skip_lines(const struct journal_steps *steps)
{
	size_t i;

	for (i = 0; i < steps->n; i++) {
		const struct journal_step *st = &steps->v[i];
		const char *p, *nl;

		FUZZ_CHECK(st->outcome != NULL);
		if (st->text == NULL) {
			FUZZ_CHECK(strncmp(st->outcome, "host ", 5) == 0);
			continue;
		}
		for (p = st->text; ; p = nl + 1) {
			char *line;

			nl = strchr(p, '\n');
			line = xstrndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
			cmd_line_skipped_by_replay(line);
			free(line);
			if (nl == NULL)
				break;
		}
	}
}

static void
replay(const struct journal_steps *steps)
{
	struct session *s = fuzz_session_open();
	struct repl r;
	struct cmd_ctx ctx = {
		.repl = &r,
		.session = s,
		.out = devnull,
		.err = devnull,
		.where = "",
	};

	repl_init(&r, s);
	r.out = r.err = devnull;
	fuzz_session_allow_read(NULL);
	replay_steps(&ctx, steps, 0, steps->n, "fuzz.sr");
	FUZZ_CHECK(!fuzz_session_read_refused());
	repl_free(&r);
	session_close(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_steps steps;
	char *cause = NULL;

	if (devnull == NULL) {
		devnull = fopen("/dev/null", "w");
		input_fd = memfd_create("fuzz-journal", MFD_CLOEXEC);
		FUZZ_CHECK(devnull != NULL && input_fd >= 0);
		snprintf(input_name, sizeof input_name, "/proc/self/fd/%d",
		    input_fd);
	}
	FUZZ_CHECK(ftruncate(input_fd, 0) == 0);
	FUZZ_CHECK(pwrite(input_fd, data, size, 0) == (ssize_t)size);
	fuzz_session_allow_read(input_name);
	if (journal_read(input_name, &steps, &cause) != 0) {
		free(cause);
		return 0;
	}
	skip_lines(&steps);
	FUZZ_CHECK(export_write(devnull, false, &steps, 0, steps.n, "3.12.1",
	    input_name, "/usr/lib/subrepl/demo") == 0);
	FUZZ_CHECK(export_write(devnull, true, &steps, 0, steps.n, "3.12.1",
	    input_name, "/usr/lib/subrepl/demo") == 0);
	replay(&steps);
	journal_steps_free(&steps);
	return 0;
}
