/*
 * cmd-audit.c: %audit [MOD...] [--in ID,...] [--all] [--json FILE|-]: every
 * heap object two or more interpreters reach, walked from their modules
 * (and from C statics), with each one's shortest path from each
 * interpreter, its owner and what is dangerous about it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auditview.h"
#include "cmd.h"
#include "output.h"
#include "xmalloc.h"

static const char *const audit_options[] = { "--in=", "--all", "--json=",
	NULL };

/* Objects shown without --all. */
#define SHOWN_MAX 40

/* "str 12, list 1": how many objects of each type. */
static void
by_type(struct cmd_ctx *ctx, const struct audit *a)
{
	size_t i, run = 0;

	fprintf(ctx->out, "  by type:");
	for (i = 0; i < a->nobjects; i++) {
		run++;
		if (i + 1 == a->nobjects ||
		    strcmp(a->objects[i].type, a->objects[i + 1].type) != 0) {
			fprintf(ctx->out, " %s %zu%s", a->objects[i].type, run,
			    i + 1 < a->nobjects ? "," : "");
			run = 0;
		}
	}
	fputc('\n', ctx->out);
}

/* Flags that make an object dangerous: shown first. */
#define DANGER (AUDIT_OWNER_DESTROYED | AUDIT_FOREIGN_GLOBALS | \
	AUDIT_FOREIGN_TYPE)

/* Show up to max objects that are entries (entry: AUDIT_ENTRY) or not
 * (0), and dangerous (danger: DANGER) or not (0); how many were shown. */
static size_t
show(struct cmd_ctx *ctx, const struct audit *a, unsigned entry,
    unsigned danger, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < a->nobjects && n < max; i++) {
		const struct audit_object *o = &a->objects[i];

		if ((o->flags & AUDIT_ENTRY) != entry ||
		    ((o->flags & DANGER) != 0) != (danger != 0))
			continue;
		auditview_object(ctx, o);
		n++;
	}
	return n;
}

static enum cmd_status
cmd_audit_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *json = cmd_args_value(args, "--json");
	const char *const *mods = (const char *const *)args->pos;
	size_t nmod = (size_t)args->npos, n = 0, i, shown, entries = 0;
	size_t flagged = 0;
	bool all = cmd_args_flag(args, "--all");
	interp_id *ids = NULL;
	struct audit *a;
	char *cause = NULL;
	FILE *f;

	if (cmd_args_value(args, "--in") != NULL &&
	    cmd_targets(ctx, args, &ids, &n) != 0)
		return CMD_ERROR;
	if (json != NULL) {
		f = output_open(ctx, json);
		if (f == NULL) {
			free(ids);
			return CMD_ERROR;
		}
		if (session_audit_json(ctx->session, mods, nmod, ids, n, all, f,
		    &cause) != 0) {
			if (ferror(f))
				free(cause);
			else
				cmd_fail(ctx, cause);
			output_close(ctx, f, json);
			free(ids);
			return CMD_ERROR;
		}
		free(ids);
		if (output_close(ctx, f, json) != 0)
			return CMD_ERROR;
		return cmd_modules_loaded(ctx, mods, nmod);
	}
	if (session_audit(ctx->session, mods, nmod, ids, n, all, &a,
	    &cause) != 0) {
		free(ids);
		return cmd_fail(ctx, cause);
	}
	free(ids);
	fprintf(ctx->out, "%zu object%s cross%s interpreters%s: shared by two "
	    "or more, or held by one that does not own %s; and %zu static, "
	    "immortal or interned ones shared by design ", a->nobjects,
	    a->nobjects == 1 ? "" : "s", a->nobjects == 1 ? "es" : "",
	    nmod > 0 ? " through the modules named" : "",
	    a->nobjects == 1 ? "it" : "them", a->harmless);
	auditview_walk(ctx, a);
	if (a->nobjects > 0)
		by_type(ctx, a);
	for (i = 0; i < a->nobjects; i++) {
		entries += (a->objects[i].flags & AUDIT_ENTRY) != 0;
		flagged += (a->objects[i].flags & DANGER) != 0;
	}
	shown = 0;
	if (flagged > 0) {
		fprintf(ctx->out, "dangerous (%zu):\n", flagged);
		shown += show(ctx, a, AUDIT_ENTRY, DANGER, all ? a->nobjects :
		    SHOWN_MAX);
		shown += show(ctx, a, 0, DANGER, all ? a->nobjects :
		    shown < SHOWN_MAX ? SHOWN_MAX - shown : 0);
	}
	if (entries > 0)
		fprintf(ctx->out, "where the crossing starts (%zu object%s: the "
		    "rest are reached through %s):\n", entries,
		    entries == 1 ? "" : "s", entries == 1 ? "it" : "them");
	shown += show(ctx, a, AUDIT_ENTRY, 0, all ? a->nobjects :
	    shown < SHOWN_MAX ? SHOWN_MAX - shown : 0);
	if (all) {
		if (a->nobjects > shown)
			fprintf(ctx->out, "reached through them:\n");
		show(ctx, a, 0, 0, a->nobjects);
	} else if (a->nobjects > shown)
		fprintf(ctx->out, "(%zu more: %%audit --all shows every one)\n",
		    a->nobjects - shown);
	audit_free(a);
	return cmd_modules_loaded(ctx, mods, nmod);
}

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.usage = "%audit [MOD...] [--in ID,NAME,...] [--all] [--json FILE|-]",
	.summary = "objects several interpreters reach, and how",
	.help =
	    "Walks the object graph from each interpreter's sys.modules (or only\n"
	    "the MODs named; --in: only those interpreters) and from the C\n"
	    "statics of loaded extensions, following the types' own tp_traverse\n"
	    "without running Python, with every thread stopped. Lists every heap\n"
	    "object reachable from two or more interpreters, grouped by type,\n"
	    "each with its owner where it can be told and each interpreter's\n"
	    "shortest path to it as a Python expression; static and immortal\n"
	    "objects are counted as harmless. Flags objects whose interpreter\n"
	    "was destroyed, functions that run with another interpreter's\n"
	    "globals and instances of another interpreter's class. --all shows\n"
	    "every object (else the first 40 after the flagged ones); --json\n"
	    "writes the audit as JSON (docs/snapshot.md).",
	.options = audit_options,
	.min_args = 0,
	.max_args = -1,
	.exec = cmd_audit_exec,
};
