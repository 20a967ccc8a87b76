/*
 * cmd-json.c: %json [FILE|-] [MOD...]: the whole snapshot as JSON, in the
 * contract of docs/snapshot.md. Without modules named it covers every
 * module loaded anywhere.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"

/* What %json asks the engine for: every attribute of the modules named,
 * or of all. */
static struct snap_filter
json_filter(const char *const *names, size_t n)
{
	struct snap_filter filter = {
		.names = names,
		.nnames = n,
		.with_attrs = true,
		.only = INTERP_NONE,
	};

	return filter;
}

int
cmd_json_read_ahead(struct session *s, const int *stop_fds, size_t nstop,
    char **cause)
{
	struct snap_filter filter = json_filter(NULL, 0);

	return session_read_ahead(s, &filter, stop_fds, nstop, cause);
}

static enum cmd_status
cmd_json_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *path = args->npos > 0 ? args->pos[0] : "-";
	struct snap_filter filter = json_filter(args->npos > 1 ?
	    (const char *const *)args->pos + 1 : NULL,
	    args->npos > 1 ? (size_t)args->npos - 1 : 0);
	char *cause = NULL;
	FILE *f;
	int rc;

	/* with a descriptor: the host writes into it (docs/protocol.md) */
	f = output_open_now(ctx, path);
	if (f == NULL)
		return CMD_ERROR;
	if (session_snapshot_json(ctx->session, &filter, f, &cause) != 0) {
		/* one line: a failed write is output_close's to say, with why */
		if (ferror(f))
			free(cause);
		else
			cmd_fail(ctx, cause);
		output_close(ctx, f, path);
		return CMD_ERROR;
	}
	rc = output_close(ctx, f, path);
	if (rc == 0 && f != ctx->out && ctx->verbose)
		fprintf(ctx->out, "wrote %s\n", path);
	if (rc == 0 && filter.nnames > 0)
		return cmd_modules_loaded(ctx, filter.names, filter.nnames);
	return rc == 0 ? CMD_NORMAL : CMD_ERROR;
}

const struct cmd_entry cmd_json_entry = {
	.name = "json",
	.usage = "%json [FILE|-] [MOD...]",
	.summary = "write the snapshot (interpreters, modules, sharing) as JSON",
	.help =
	    "Writes the snapshot as JSON to FILE, or to the output with '-' or\n"
	    "no FILE: the Python version, every interpreter with its config, and\n"
	    "every module loaded anywhere (or only the MODs named) with its\n"
	    "instances and each attribute's objects and verdict. A MOD no\n"
	    "interpreter has is an error; the rest is written all the same.\n"
	    "At the interactive prompt the host reads it ahead when you pause\n"
	    "(%status says how that went), so a %json typed later writes at\n"
	    "once. The format is described in docs/snapshot.md.",
	.min_args = 0,
	.max_args = -1,
	.exec = cmd_json_exec,
};
