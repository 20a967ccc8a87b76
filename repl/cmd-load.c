/*
 * cmd-load.c: %load PATH [NAME] [--in ...|--all]: import a module from a
 * file, under a chosen name. The name selects the PyInit_<name> function,
 * so one extension file can be loaded under each of its init names.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "export.h"
#include "xmalloc.h"

static const char *const load_options[] = { "--in=", "--all", NULL };

/* "demo_single" from ".../demo_single.cpython-311-x86_64-linux-gnu.so". */
static char *
name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	return xstrndup(base, strcspn(base, "."));
}

static enum cmd_status
cmd_load_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct import_report *reports;
	enum cmd_status st;
	interp_id *ids;
	char *cause = NULL, *name, real[PATH_MAX];
	size_t n;

	if (access(args->pos[0], R_OK) != 0 || realpath(args->pos[0], real) == NULL) {
		cmd_error(ctx, "cannot read '%s': %s", args->pos[0], strerror(errno));
		return CMD_ERROR;
	}
	name = args->npos > 1 ? xstrdup(args->pos[1]) : name_from_path(real);
	if (name[0] == '\0') {
		cmd_error(ctx, "cannot tell a module name from '%s': give one "
		    "(usage: %s)", args->pos[0], ctx->entry->usage);
		free(name);
		return CMD_ERROR;
	}
	if (cmd_targets(ctx, args, &ids, &n) != 0) {
		free(name);
		return CMD_ERROR;
	}
	reports = xcalloc(n, sizeof *reports);
	if (session_import(ctx->session, name, real, ids, n, reports, &cause) != 0) {
		st = cmd_fail(ctx, cause);
	} else {
		fprintf(ctx->out, "load %s as %s\n", real, name);
		st = cmd_report_imports(ctx, name, reports, n);
	}
	free(reports);
	free(ids);
	free(name);
	return st;
}

/* The path as typed: the export runs where the session ran. */
static void
cmd_load_export(struct export *x, const struct cmd_args *args)
{
	int slots[EXPORT_INTERPS_MAX];
	size_t n = export_targets(x, args, slots);
	char *name = args->npos > 1 ? xstrdup(args->pos[1]) :
	    name_from_path(args->pos[0]);

	export_import(x, name, args->pos[0], slots, n);
	free(name);
}

const struct cmd_entry cmd_load_entry = {
	.name = "load",
	.usage = "%load PATH [NAME] [--in ID,NAME,...|--all]",
	.summary = "import a module from a file, under a chosen name",
	.help =
	    "Imports the extension (or Python) file PATH as module NAME (by\n"
	    "default the file name up to its first '.') into the current, the\n"
	    "listed or every interpreter, and reports like %import. NAME picks\n"
	    "the init function PyInit_NAME, so a file holding several init\n"
	    "functions (as CPython's _testsinglephase does) can be loaded under\n"
	    "each of them.",
	.options = load_options,
	.min_args = 1,
	.max_args = 2,
	.exec = cmd_load_exec,
	.export = cmd_load_export,
};
