/*
 * cmd-tui.c: %tui and %line: hand the same session (interpreters, journal,
 * history) to the other interactive front end, as gdb's TUI mode does. The
 * handlers only ask; the loop in main.c switches once the line is done.
 */
#include "config.h"

#include "cmd.h"
#include "repl.h"

static enum cmd_status
ask_front(struct cmd_ctx *ctx, enum front_end want)
{
	struct repl *r = ctx->repl;

	if (r == NULL || r->front == FRONT_BATCH) {
		cmd_error(ctx, "needs an interactive terminal (start subrepl%s on "
		    "one)", want == FRONT_TUI ? " --tui" : "");
		return CMD_ERROR;
	}
	if (r->front == want) {
		cmd_error(ctx, "already in %s", want == FRONT_TUI ? "the TUI" :
		    "line mode");
		return CMD_ERROR;
	}
	r->switch_to = want;
	return CMD_NORMAL;
}

static enum cmd_status
cmd_tui_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	(void)args;
	return ask_front(ctx, FRONT_TUI);
}

static enum cmd_status
cmd_line_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	(void)args;
	return ask_front(ctx, FRONT_LINE);
}

const struct cmd_entry cmd_tui_entry = {
	.name = "tui",
	.usage = "%tui",
	.summary = "switch to the full-screen TUI (same session)",
	.help =
	    "Switches the terminal to the curses TUI: panes for the interpreters,\n"
	    "the sharing map, the detail of one module and a console that takes\n"
	    "the same lines as this prompt. Interpreters, history and journal\n"
	    "stay; %line, q or F10 come back. Press ? in the TUI for its keys.",
	.max_args = 0,
	.raw_after = -1,
	.exec = cmd_tui_exec,
};

const struct cmd_entry cmd_line_entry = {
	.name = "line",
	.usage = "%line",
	.summary = "leave the TUI for the line REPL (same session)",
	.help =
	    "Leaves the TUI and goes on at the line prompt with the same\n"
	    "interpreters, history and journal (F10 or q in the TUI does the\n"
	    "same when it was entered with %tui).",
	.max_args = 0,
	.raw_after = -1,
	.exec = cmd_line_exec,
};
