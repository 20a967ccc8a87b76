/*
 * cmd-line.c: %line: leave the TUI for the line REPL with the same session
 * (interpreters, journal, history). The handler only asks; the loop in
 * main.c switches once the line is done.
 */
#include "config.h"

#include "cmd.h"

static enum cmd_status
cmd_line_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	(void)args;
	return cmd_switch_front(ctx, FRONT_LINE);
}

const struct cmd_entry cmd_line_entry = {
	.name = "line",
	.usage = "%line",
	.summary = "leave the TUI for the line REPL (same session)",
	.help =
	    "Leaves the TUI and goes on at the line prompt with the same\n"
	    "interpreters, history and journal (F10 or q in the TUI does the\n"
	    "same when it was entered with %tui).",
	.max_args = 0,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_line_exec,
};
