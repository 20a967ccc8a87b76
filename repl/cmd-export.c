/*
 * cmd-export.c: %export FILE.py|FILE.c: the session as a reproduction that
 * runs without subrepl. It covers the steps of the current host (or of the
 * host that died last, up to and including the step that killed it).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "export.h"
#include "journal.h"
#include "output.h"
#include "repl.h"

static enum cmd_status
cmd_export_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *path = args->pos[0], *jpath = journal_path(ctx->repl->journal);
	char *cause = NULL, *text;
	size_t len;
	bool c;
	FILE *f;
	int rc;

	if (export_language(path, &c) != 0) {
		cmd_error(ctx, "'%s': name the file .py (a Python script) or .c (a "
		    "C program)", path);
		return CMD_ERROR;
	}
	if (jpath == NULL) {
		cmd_error(ctx, "export reads the journal, and this session keeps "
		    "none (--no-journal)");
		return CMD_ERROR;
	}
	text = export_journal(c, jpath, session_python_version(ctx->session),
	    jpath, &len, &cause);
	if (text == NULL)
		return cmd_fail(ctx, cause);
	f = output_open(ctx, path);
	if (f == NULL) {
		free(text);
		return CMD_ERROR;
	}
	fwrite(text, 1, len, f);
	free(text);
	rc = output_close(ctx, f, path);
	if (rc == 0 && ctx->verbose)
		fprintf(ctx->out, "wrote %s\n", path);
	return rc == 0 ? CMD_NORMAL : CMD_ERROR;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "%export FILE.py|FILE.c",
	.summary = "write the session as a standalone reproduction",
	.help = "Writes the steps of this host's life (or, after a crash, the steps\n"
	    "up to and including the one that killed the host) as a program that\n"
	    "runs without subrepl: FILE.py uses CPython's low-level interpreter\n"
	    "module (_xxsubinterpreters up to 3.12, _interpreters from 3.13);\n"
	    "FILE.c uses the C API, with its build command in its first comment.\n"
	    "Python steps run as typed at that interpreter's prompt; commands\n"
	    "that only show something become comments. The demo modules are on\n"
	    "every sys.path, as here; the program exits with 1 if a step failed.",
	.min_args = 1,
	.max_args = 1,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_export_exec,
};
