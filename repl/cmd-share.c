/*
 * cmd-share.c: %share [MOD...]: the sharing map. Without names, every
 * extension module that two or more interpreters have loaded.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "sharemap.h"

static enum cmd_status
cmd_share_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct snap_filter filter = {
		.names = (const char *const *)args->pos,
		.nnames = (size_t)args->npos,
		.shared_extensions = true,
		.with_attrs = true,
		.only = INTERP_NONE,
		.deep = true,
	};
	enum cmd_status st;
	struct snapshot *snap;
	char *cause = NULL;
	size_t i;

	if (session_snapshot(ctx->session, &filter, &snap, &cause) != 0)
		return cmd_fail(ctx, cause);
	st = cmd_modules_missing(ctx, snap, filter.names, filter.nnames);
	if (snap->nmodules == 0 && args->npos == 0)
		fprintf(ctx->out, "no extension module is loaded in two or more "
		    "interpreters (try %%import MOD --all, or name modules: "
		    "%%share MOD...)\n");
	for (i = 0; i < snap->nmodules; i++) {
		if (i > 0)
			fputc('\n', ctx->out);
		sharemap_print_module(ctx, snap, &snap->modules[i]);
	}
	snapshot_free(snap);
	return st;
}

const struct cmd_entry cmd_share_entry = {
	.name = "share",
	.usage = "%share [MOD...]",
	.summary = "show which module objects and values interpreters share",
	.help =
	    "For each module (default: every extension module loaded in two or\n"
	    "more interpreters) and each interpreter that has it: the module\n"
	    "object, its __dict__, its PyModuleDef and m_copy, then attribute by\n"
	    "attribute whether the value is the same object in several\n"
	    "interpreters. Each value is classified: SHARED (one heap object\n"
	    "reachable from several interpreters: the dangerous case, marked\n"
	    "with '!'; a builtin function names the interpreter that owns it),\n"
	    "static (in the data segment of the file named: a static type, a\n"
	    "small int), immortal (3.12+), or distinct; a distinct value whose\n"
	    "objects reach shared ones deeper (a dict holding a shared list) is\n"
	    "'distinct, holds shared', marked '!' too: %audit names them.",
	.min_args = 0,
	.max_args = -1,
	.exec = cmd_share_exec,
};
