/*
 * cmd-help.c: %help [CMD]: the command list, or one command's usage and
 * help, both read from the command table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static void
print_options(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	const char *const *o;
	int col = 0;

	if (e->options == NULL)
		return;
	fputs("options:", ctx->out);
	col = 8;
	for (o = e->options; *o != NULL; o++) {
		if (col + 1 + (int)strlen(*o) > 76) {
			fputs("\n        ", ctx->out);
			col = 8;
		}
		fprintf(ctx->out, " %s", *o);
		col += 1 + (int)strlen(*o);
	}
	fputc('\n', ctx->out);
}

static enum cmd_status
cmd_help_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const struct cmd_entry *const *e, *one;
	char *cause = NULL;
	const char *name;

	if (args->npos == 0) {
		fputs("Lines starting with % are commands; every other line is "
		    "Python,\nrun in the current interpreter (named in the "
		    "prompt).\n\n", ctx->out);
		for (e = cmd_table; *e != NULL; e++)
			fprintf(ctx->out, "  %%%-8s %s\n", (*e)->name, (*e)->summary);
		fputs("\nCommands may be shortened to a unique prefix. "
		    "%help CMD tells more.\n", ctx->out);
		return CMD_NORMAL;
	}
	name = args->pos[0][0] == '%' ? args->pos[0] + 1 : args->pos[0];
	one = cmd_find(name, &cause);
	if (one == NULL)
		return cmd_fail(ctx, cause);
	fprintf(ctx->out, "usage: %s\n", one->usage);
	if (one->alias != NULL)
		fprintf(ctx->out, "alias: %%%s\n", one->alias);
	print_options(ctx, one);
	fprintf(ctx->out, "\n%s\n", one->help);
	return CMD_NORMAL;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "%help [CMD]",
	.summary = "list the commands, or explain one",
	.help = "Without CMD, lists every command. With CMD (with or without its\n"
	    "'%'), shows its usage, options and what it does.",
	.max_args = 1,
	.arg_kind = ARG_COMMAND,
	.exec = cmd_help_exec,
};
