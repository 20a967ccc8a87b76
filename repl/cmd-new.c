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

/* Set *flag from a pair of options; -1 if both were given. */
static int
pair(struct cmd_ctx *ctx, const struct cmd_args *args, const char *on,
    const char *off, enum config_flag *flag)
{
	bool has_on = cmd_args_flag(args, on), has_off = cmd_args_flag(args, off);

	if (has_on && has_off) {
		cmd_error(ctx, "%s and %s contradict each other: choose one", on, off);
		return -1;
	}
	*flag = has_on ? FLAG_ON : has_off ? FLAG_OFF : FLAG_UNSET;
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
	struct interp_request req = { 0 };
	struct interp_info info;
	enum config_flag isolated;
	char label[INTERP_LABEL_MAX], config[160];
	char *cause = NULL;

	if (pair(ctx, args, "--isolated", "--legacy", &isolated) != 0 ||
	    pair(ctx, args, "--own-gil", "--shared-gil", &req.own_gil) != 0 ||
	    pair(ctx, args, "--own-obmalloc", "--shared-obmalloc", &req.own_obmalloc) != 0 ||
	    pair(ctx, args, "--check-ext", "--no-check-ext", &req.check_ext) != 0 ||
	    pair(ctx, args, "--fork", "--no-fork", &req.allow_fork) != 0 ||
	    pair(ctx, args, "--exec", "--no-exec", &req.allow_exec) != 0 ||
	    pair(ctx, args, "--threads", "--no-threads", &req.allow_threads) != 0 ||
	    pair(ctx, args, "--daemon-threads", "--no-daemon-threads",
	    &req.allow_daemon_threads) != 0)
		return CMD_ERROR;
	req.preset = isolated == FLAG_ON ? PRESET_ISOLATED : PRESET_LEGACY;
	req.name = args->npos > 0 ? args->pos[0] : NULL;

	if (session_new(ctx->session, &req, &info, &cause) != 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause : "out of memory");
		free(cause);
		return CMD_ERROR;
	}
	if (ctx->verbose) {
		interp_info_label(&info, label, sizeof label);
		describe(&info.config, config, sizeof config);
		fprintf(ctx->out, "created %s (%s); now current\n", label, config);
	}
	return CMD_NORMAL;
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
	.raw_after = -1,
	.arg_kind = ARG_NONE,
	.exec = cmd_new_exec,
};
