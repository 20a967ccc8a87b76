/*
 * cmd-new.c: %new [NAME] [options]: create an interpreter and switch to it.
 *
 * Options come in opposing pairs over a preset, so "--isolated
 * --shared-gil" means "isolated, except for the GIL"; naming both sides of
 * a pair is an error rather than "last one wins".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "export.h"
#include "xmalloc.h"

static const char *const new_options[] = {
	"--legacy", "--isolated",
	"--own-gil", "--shared-gil",
	"--own-obmalloc", "--shared-obmalloc",
	"--check-ext", "--no-check-ext",
	"--fork", "--no-fork",
	"--exec", "--no-exec",
	"--threads", "--no-threads",
	"--daemon-threads", "--no-daemon-threads",
	NULL,
};

/* Set *flag from a pair of options; -1 with *cause if both were given. */
static int
pair(const struct cmd_args *args, const char *on, const char *off,
    enum config_flag *flag, char **cause)
{
	bool has_on = cmd_args_flag(args, on), has_off = cmd_args_flag(args, off);

	if (has_on && has_off) {
		*cause = xasprintf("%s and %s contradict each other: choose one",
		    on, off);
		return -1;
	}
	*flag = has_on ? FLAG_ON : has_off ? FLAG_OFF : FLAG_UNSET;
	return 0;
}

/* The request the words of %new make (for running it and exporting it). */
static int
request_from(const struct cmd_args *args, struct interp_request *req,
    char **cause)
{
	enum config_flag isolated;

	memset(req, 0, sizeof *req);
	if (pair(args, "--isolated", "--legacy", &isolated, cause) != 0 ||
	    pair(args, "--own-gil", "--shared-gil", &req->own_gil, cause) != 0 ||
	    pair(args, "--own-obmalloc", "--shared-obmalloc", &req->own_obmalloc,
	    cause) != 0 ||
	    pair(args, "--check-ext", "--no-check-ext", &req->check_ext,
	    cause) != 0 ||
	    pair(args, "--fork", "--no-fork", &req->allow_fork, cause) != 0 ||
	    pair(args, "--exec", "--no-exec", &req->allow_exec, cause) != 0 ||
	    pair(args, "--threads", "--no-threads", &req->allow_threads,
	    cause) != 0 ||
	    pair(args, "--daemon-threads", "--no-daemon-threads",
	    &req->allow_daemon_threads, cause) != 0)
		return -1;
	req->preset = isolated == FLAG_ON ? PRESET_ISOLATED : PRESET_LEGACY;
	req->name = args->npos > 0 ? args->pos[0] : NULL;
	return 0;
}

static void
describe(const struct interp_config *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s GIL, %s obmalloc%s%s%s%s%s",
	    c->own_gil ? "own" : "shared", c->own_obmalloc ? "own" : "shared",
	    c->check_ext ? ", checks extensions" : "",
	    c->allow_fork ? "" : ", no fork", c->allow_exec ? "" : ", no exec",
	    c->allow_threads ? "" : ", no threads",
	    c->allow_daemon_threads ? "" : ", no daemon threads");
}

static enum cmd_status
cmd_new_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct interp_request req;
	struct interp_info info;
	char label[INTERP_LABEL_MAX], config[160];
	char *cause = NULL;

	if (request_from(args, &req, &cause) != 0 ||
	    session_new(ctx->session, &req, &info, &cause) != 0)
		return cmd_fail(ctx, cause);
	if (ctx->verbose) {
		interp_info_label(&info, label, sizeof label);
		describe(&info.config, config, sizeof config);
		fprintf(ctx->out, "created %s (%s); now current\n", label, config);
	}
	return CMD_NORMAL;
}

static void
cmd_new_export(struct export *x, const struct cmd_args *args)
{
	struct interp_request req;
	char *cause = NULL;

	if (request_from(args, &req, &cause) == 0)
		export_new(x, &req);
	free(cause);
}

const struct cmd_entry cmd_new_entry = {
	.name = "new",
	.usage = "%new [NAME] [--legacy|--isolated] [--own-gil|--shared-gil] "
	    "[--own-obmalloc|--shared-obmalloc] [--check-ext|--no-check-ext] "
	    "[--[no-]fork] [--[no-]exec] [--[no-]threads] [--[no-]daemon-threads]",
	.summary = "create an interpreter and switch to it",
	.help =
	    "Creates a sub-interpreter, optionally named NAME (letters, digits,\n"
	    "'_', '-', '.'; not all digits), and makes it current. --legacy (the\n"
	    "default) is Py_NewInterpreter(): the main GIL and allocator are\n"
	    "shared and single-phase extensions load freely. On Python 3.12+,\n"
	    "--isolated uses Py_NewInterpreterFromConfig with an own GIL, an own\n"
	    "obmalloc, check_multi_interp_extensions, no fork, no exec and no\n"
	    "daemon threads; the other options change one field of the preset.\n"
	    "An own GIL needs an own obmalloc, and an own obmalloc needs\n"
	    "--check-ext: CPython refuses the rest and the error says why.",
	.options = new_options,
	.min_args = 0,
	.max_args = 1,
	.arg_kind = ARG_NONE,
	.exec = cmd_new_exec,
	.export = cmd_new_export,
};
