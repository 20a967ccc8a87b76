/*
 * cmd-tui.c: %tui: hand the same session (interpreters, journal, history)
 * to the curses TUI, as gdb's TUI mode does. The handler only asks; the
 * loop in main.c switches once the line is done.
 */
#include "config.h"

#include "cmd.h"

static enum cmd_status
cmd_tui_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	(void)args;
	return cmd_switch_front(ctx, FRONT_TUI);
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
	.traits = CMD_NO_REPLAY,
	.exec = cmd_tui_exec,
};
