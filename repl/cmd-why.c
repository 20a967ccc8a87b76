/*
 * cmd-why.c: %why EXPR: evaluate EXPR in the current interpreter and say
 * everything the audit knows of that one object: which interpreters reach
 * it and how, who owns it, and whether it is shared, static, immortal or
 * an interpreter's own.
 */
#include "config.h"

#include <stdlib.h>

#include "auditview.h"
#include "cmd.h"

static enum cmd_status
cmd_why_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct audit *a;
	char *cause = NULL;

	if (session_why(ctx->session, INTERP_NONE, args->raw, &a, &cause) != 0)
		return cmd_fail(ctx, cause);
	if (a->nobjects == 1)
		auditview_object(ctx, &a->objects[0]);
	auditview_walk(ctx, a);
	audit_free(a);
	return CMD_NORMAL;
}

const struct cmd_entry cmd_why_entry = {
	.name = "why",
	.usage = "%why EXPR",
	.summary = "every interpreter's path to one object, its owner",
	.help =
	    "Evaluates EXPR in the current interpreter and reports that object:\n"
	    "its classification (shared by several interpreters, static,\n"
	    "immortal, distinct: one interpreter's own, or unreachable from any\n"
	    "interpreter's modules), its owner where that can be told, and each\n"
	    "interpreter's shortest path to it from its sys.modules, as %audit\n"
	    "walks them.",
	.min_args = 0,
	.max_args = 0,
	.traits = CMD_TAKES_CODE,
	.code_after = 0,
	.exec = cmd_why_exec,
};
