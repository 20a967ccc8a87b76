/*
 * cmd-list.c: %list: the interpreter registry as a table.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static enum cmd_status
cmd_list_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct interp_info *v;
	size_t n, i;
	int namew = 4;
	char *cause = NULL;

	(void)args;
	if (session_list(ctx->session, &v, &n, &cause) != 0)
		return cmd_fail(ctx, cause);
	for (i = 0; i < n; i++) {
		if ((int)strlen(v[i].name) > namew)
			namew = (int)strlen(v[i].name);
	}
	fprintf(ctx->out, "   %3s  %-*s  %-8s  %-6s  %-8s  %-9s  %s\n", "ID",
	    namew, "NAME", "CONFIG", "GIL", "OBMALLOC", "CHECK-EXT", "MODULES");
	for (i = 0; i < n; i++) {
		const struct interp_config *c = &v[i].config;

		fprintf(ctx->out, " %c %3lld  %-*s  %-8s  %-6s  %-8s  %-9s  %ld\n",
		    v[i].current ? '*' : ' ', (long long)v[i].id, namew,
		    v[i].name[0] != '\0' ? v[i].name : "-", c->preset,
		    c->own_gil ? "own" : "shared",
		    c->own_obmalloc ? "own" : "shared",
		    c->check_ext ? "yes" : "no", v[i].modules);
	}
	free(v);
	return CMD_NORMAL;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.alias = "ls",
	.usage = "%list",
	.summary = "list the interpreters (* marks the current one)",
	.help =
	    "Shows every interpreter: CPython's id, its name, the config it was\n"
	    "created with (legacy, isolated or custom; main counts as legacy),\n"
	    "whether it has its own GIL and allocator, whether it checks\n"
	    "extensions for sub-interpreter support, and how many modules its\n"
	    "sys.modules holds.",
	.max_args = 0,
	.exec = cmd_list_exec,
};
