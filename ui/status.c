/*
 * status.c: the bottom line: Python's version and the host's state on the
 * left; in the middle a step's progress (a spinner, what runs, for how
 * long, how to stop it) or the last message; key hints on the right.
 */
#include "config.h"

#include "status.h"

#include <stdio.h>

#include "clock.h"
#include "draw.h"
#include "theme.h"
#include "tui-state.h"

void
status_draw(struct tui *t)
{
	static const char *const spin_utf8[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴",
	    "⠦", "⠧", "⠇", "⠏" };
	static const char *const spin_ascii[] = { "|", "/", "-", "\\" };
	WINDOW *w = t->status;
	int width = getmaxx(w), attr = theme_attr(ROLE_STATUS), x;
	const char *hints = " Tab pane  ? keys  q leave ";
	char left[160], mid[320];

	if (w == NULL)
		return;
	if (t->host_dead)
		snprintf(left, sizeof left, " Python %s  NO HOST: %%restart ",
		    t->python);
	else if (t->host_pid > 0)
		snprintf(left, sizeof left, " Python %s  host %ld ", t->python,
		    t->host_pid);
	else
		snprintf(left, sizeof left, " Python %s  in-process ", t->python);
	if (t->paused != NULL) {
		snprintf(mid, sizeof mid, "%s", t->paused);
	} else if (t->busy) {
		double secs = monotonic_seconds() - t->busy_since;
		const char *s = theme_unicode() ? spin_utf8[t->spin % 10] :
		    spin_ascii[t->spin % 4];

		snprintf(mid, sizeof mid, "%s %.1f s  Ctrl-C interrupts: %s", s,
		    secs, t->busy_what);
	} else if (t->deepening && t->note[0] == '\0')
		snprintf(mid, sizeof mid, "looking deeper for held shared objects "
		    "(a key stops it)");
	else
		snprintf(mid, sizeof mid, "%s", t->note);
	draw_fill(w, 0, 0, width, attr);
	x = draw_text(w, 0, 0, width, t->host_dead ? theme_attr(ROLE_ERROR) |
	    (int)A_REVERSE : attr, left);
	/* a message or a running step gets the hints' room */
	if (t->paused == NULL && (t->busy || t->note[0] == '\0') &&
	    text_cols(hints) + x + 10 < width)
		draw_text(w, 0, width - text_cols(hints), text_cols(hints), attr,
		    hints);
	else
		hints = "";
	draw_text(w, 0, x + 1, width - x - 1 - text_cols(hints),
	    t->note_error && !t->busy ? theme_attr(ROLE_ERROR) | (int)A_REVERSE : attr,
	    mid);
	wnoutrefresh(w);
}
