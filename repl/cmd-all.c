/*
 * cmd-all.c: %all CODE: the same statement in every interpreter, in id
 * order, each run headed by the interpreter's label so the outputs can be
 * told apart.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "export.h"
#include "repl.h"

static enum cmd_status
cmd_all_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct interp_info *v;
	char label[INTERP_LABEL_MAX];
	char *cause = NULL;
	enum cmd_status st = CMD_NORMAL;
	enum step_result res;
	size_t n, i;

	if (session_list(ctx->session, &v, &n, &cause) != 0)
		return cmd_fail(ctx, cause);
	for (i = 0; i < n; i++) {
		interp_info_label(&v[i], label, sizeof label);
		fprintf(ctx->out, "%s\n", label);
		fflush(ctx->out);
		res = repl_run_code(ctx->repl, v[i].id, args->raw);
		if (res == STEP_MORE) {
			/* It would be just as incomplete everywhere. */
			cmd_error(ctx, "incomplete input: give a whole statement "
			    "on one line (join statements with ';')");
			st = CMD_ERROR;
			break;
		}
		if (res == STEP_QUIT) {
			st = CMD_STOP;
			break;
		}
		if (res == STEP_FAILED)
			st = CMD_ERROR;
	}
	free(v);
	return st;
}

static void
cmd_all_export(struct export *x, const struct cmd_args *args)
{
	export_all(x, args->raw);
}

const struct cmd_entry cmd_all_entry = {
	.name = "all",
	.usage = "%all CODE",
	.summary = "run code in every interpreter",
	.help =
	    "Runs CODE (one complete statement) in every interpreter in id order,\n"
	    "printing each interpreter's label before its output. It fails if it\n"
	    "failed in any of them.",
	.min_args = 0,
	.max_args = 0,
	.traits = CMD_TAKES_CODE,
	.code_after = 0,
	.exec = cmd_all_exec,
	.export = cmd_all_export,
};
