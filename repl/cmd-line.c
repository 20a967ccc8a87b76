/*
 * cmd-line.c: %line: leave the TUI for the line REPL with the same session
 * (interpreters, journal, history). The handler only asks; the loop in
 * main.c switches once the line is done.
 */
#include "config.h"

#include "cmd.h"
#include "repl.h"
#include "xmalloc.h"

static enum cmd_status
cmd_line_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	char *cause = NULL;

	(void)args;
	if (ctx->repl == NULL)
		cause = xstrdup("needs an interactive terminal");
	if (cause != NULL || repl_switch_front(ctx->repl, FRONT_LINE, &cause) != 0)
		return cmd_fail(ctx, cause);
	return CMD_NORMAL;
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
