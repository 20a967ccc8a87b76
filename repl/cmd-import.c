/*
 * cmd-import.c: %import MOD [--in ID,NAME,...|--all]: import a module into
 * interpreters and say, for each, how CPython made the module: by running
 * init, from the single-phase copy (m_copy) without running init, or not at
 * all (refused, with the ImportError verbatim).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "export.h"
#include "repl.h"
#include "xmalloc.h"

static const char *const import_options[] = { "--in=", "--all", NULL };

/* Why a reader should care, in a few words. */
static void
detail(const struct import_report *r, char *buf, size_t size)
{
	switch (r->result) {
	case IMPORT_FROM_COPY:
		snprintf(buf, size, "init did not run: dict filled from m_copy "
		    "%#lx", (unsigned long)r->m_copy_after);
		return;
	case IMPORT_RAN_INIT:
		if (r->kind == KIND_SINGLE && r->m_size == -1 && r->m_copy_after != 0)
			snprintf(buf, size, "m_copy %#lx %s",
			    (unsigned long)r->m_copy_after,
			    r->m_copy_before == 0 ? "saved" : "replaced");
		else if (r->kind == KIND_SINGLE)
			snprintf(buf, size, "m_size %ld: re-initialized per "
			    "interpreter", r->m_size);
		else if (r->kind == KIND_MULTI)
			snprintf(buf, size, "a new module from the def (exec slots ran)");
		else
			buf[0] = '\0';
		return;
	case IMPORT_ALREADY:
		snprintf(buf, size, "in sys.modules already: nothing ran");
		return;
	case IMPORT_INIT_ELSEWHERE:
		snprintf(buf, size, "init ran into a module no interpreter holds "
		    "(3.13: in main); this one filled from its m_copy %#lx",
		    (unsigned long)r->m_copy_after);
		return;
	case IMPORT_REFUSED:
	case IMPORT_FAILED:
		snprintf(buf, size, "%s", r->error);
		return;
	}
	buf[0] = '\0';
}

enum cmd_status
cmd_report_imports(struct cmd_ctx *ctx, const char *module,
    const struct import_report *reports, size_t n)
{
	char label[INTERP_LABEL_MAX], why[1200], kind[48];
	enum cmd_status st = CMD_NORMAL;
	int width = 0;
	size_t i;

	if (ctx->repl != NULL && ctx->repl->on_import != NULL)
		ctx->repl->on_import(ctx->repl->on_import_arg, module, reports, n);
	for (i = 0; i < n; i++) {
		cmd_interp_label(ctx, reports[i].interp, label, sizeof label);
		if ((int)strlen(label) > width)
			width = (int)strlen(label);
	}
	for (i = 0; i < n; i++) {
		const struct import_report *r = &reports[i];
		bool failed = r->result == IMPORT_REFUSED || r->result == IMPORT_FAILED;

		cmd_interp_label(ctx, r->interp, label, sizeof label);
		detail(r, why, sizeof why);
		if (failed)
			kind[0] = '\0';
		else if (r->kind == KIND_SINGLE || r->kind == KIND_BUILTIN_SINGLE)
			snprintf(kind, sizeof kind, "%s (m_size %ld)",
			    module_kind_name(r->kind), r->m_size);
		else
			snprintf(kind, sizeof kind, "%s", module_kind_name(r->kind));
		fprintf(ctx->out, "  %-*s  %-18s  %-26s  %s\n", width, label,
		    import_result_name(r->result), kind, why);
		if (failed)
			st = CMD_ERROR;
	}
	return st;
}

static enum cmd_status
cmd_import_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct import_report *reports;
	enum cmd_status st = CMD_NORMAL;
	interp_id *ids;
	char *cause = NULL;
	size_t n;
	int m;

	if (cmd_targets(ctx, args, &ids, &n) != 0)
		return CMD_ERROR;
	reports = xcalloc(n, sizeof *reports);
	for (m = 0; m < args->npos; m++) {
		if (session_import(ctx->session, args->pos[m], NULL, ids, n,
		    reports, &cause) != 0) {
			st = cmd_fail(ctx, cause);
			break;
		}
		fprintf(ctx->out, "import %s\n", args->pos[m]);
		if (cmd_report_imports(ctx, args->pos[m], reports, n) != CMD_NORMAL)
			st = CMD_ERROR;
	}
	free(reports);
	free(ids);
	return st;
}

static void
cmd_import_export(struct export *x, const struct cmd_args *args)
{
	int slots[EXPORT_INTERPS_MAX], m;
	size_t n = export_targets(x, args, slots);

	for (m = 0; m < args->npos; m++)
		export_import(x, args->pos[m], NULL, slots, n);
}

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "%import MOD... [--in ID,NAME,...|--all]",
	.summary = "import a module into interpreters and say how it was made",
	.help =
	    "Imports each MOD into the current interpreter, the listed ones (--in) or\n"
	    "every one (--all), and reports for each how CPython made the module:\n"
	    "'ran init' (single-phase init ran, or a multi-phase module's exec\n"
	    "slots), 'filled from m_copy' (a single-phase module with m_size -1\n"
	    "whose dict was copied from the copy CPython kept after the first\n"
	    "init: its objects are now shared), 'already imported', or\n"
	    "'refused' with the ImportError verbatim (for instance from\n"
	    "check_multi_interp_extensions in an isolated interpreter). Like the\n"
	    "import statement, it binds the name in each interpreter's __main__.",
	.options = import_options,
	.min_args = 1,
	.max_args = -1,
	.exec = cmd_import_exec,
	.export = cmd_import_export,
};
