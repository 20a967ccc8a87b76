/*
 * pause.c: the host reads the next %json's snapshot ahead while the user
 * pauses at the prompt (pause.h).
 */
#include "config.h"

#include "pause.h"

#include <stdlib.h>

#include "clock.h"
#include "cmd.h"
#include "sigint.h"

int
pause_wait_ms(const struct repl *r)
{
	if (!r->read_ahead_due || session_host_pid(r->session) <= 0)
		return -1;
	return PAUSE_MS;
}

bool
pause_read_ahead(struct repl *r, int terminal_fd)
{
	int stop[2] = { terminal_fd, sigint_fd() };
	char *cause = NULL;
	double t0 = monotonic_seconds();
	int rc = cmd_json_read_ahead(r->session, stop, stop[1] >= 0 ? 2 : 1,
	    &cause);

	free(cause);
	r->read_ahead_ms = (monotonic_seconds() - t0) * 1000;
	r->read_ahead_last = rc == 0 ? READ_AHEAD_DONE : rc == 1 ?
	    READ_AHEAD_STOPPED : READ_AHEAD_FAILED;
	/* stopped: the next pause reads again. Refused (out of memory in
	 * the host, an older host that has no such request): not again
	 * until a step has run. */
	if (rc != 1)
		r->read_ahead_due = false;
	return rc < 0 && session_host_death(r->session) != NULL;
}
