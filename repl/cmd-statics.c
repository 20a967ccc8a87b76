/*
 * cmd-statics.c: %statics [--json FILE|-] [MOD|FILE...]: the writable C
 * data of loaded extension files, one block a file: every static and
 * global variable of its writable sections with what it holds now (live
 * Python objects, a static type, or a plain value marked * when it changed
 * since the last %statics). A multi-phase module shares nothing "except its
 * C static state": this is that state.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"

static const char *const statics_options[] = { "--json=", NULL };

/* Who reaches an object a static holds, and whose it is. */
static void
print_reach(struct cmd_ctx *ctx, const struct static_ref *r)
{
	char label[INTERP_LABEL_MAX];
	size_t i;

	if (r->nreachable > 0) {
		fprintf(ctx->out, "  reached from");
		for (i = 0; i < r->nreachable; i++)
			fprintf(ctx->out, "%s %lld", i > 0 ? "," : "",
			    (long long)r->reachable_from[i]);
	}
	if (r->owner_destroyed)
		fprintf(ctx->out, "  owner [%lld] destroyed", (long long)r->owner);
	else if (r->owner != INTERP_NONE) {
		cmd_interp_label(ctx, r->owner, label, sizeof label);
		fprintf(ctx->out, "  owner %s", label);
	}
	fputc('\n', ctx->out);
}

static void
print_symbol(struct cmd_ctx *ctx, const struct static_symbol *s, int namew)
{
	char name[64], addr[24];
	size_t i;

	if (s->name != NULL)
		snprintf(name, sizeof name, "%s", s->name);
	else
		snprintf(name, sizeof name, "(range %s)", cmd_addr(s->addr, addr));
	fprintf(ctx->out, "%c %-*s  %-9s %8zu  %-6s  ", s->changed ? '*' : ' ',
	    namew, name, s->section != NULL ? s->section : "-", s->size,
	    s->name == NULL ? "-" : s->local ? "local" : "global");
	switch (s->kind) {
	case STATIC_TYPE:
		fprintf(ctx->out, "static type %s\n", s->type_name);
		return;
	case STATIC_DATA:
		if (s->has_value && s->changed)
			fprintf(ctx->out, "= %lld (was %lld)\n", s->value, s->was);
		else if (s->has_value)
			fprintf(ctx->out, "= %lld\n", s->value);
		else
			fprintf(ctx->out, "data\n");
		return;
	case STATIC_OBJECT:
		break;
	}
	for (i = 0; i < s->nrefs; i++) {
		const struct static_ref *r = &s->refs[i];

		if (i > 0)
			fprintf(ctx->out, "  %-*s  %-9s %8s  %-6s  ", namew, "", "",
			    "", "");
		if (r->addr == s->addr)
			fprintf(ctx->out, "is a %s object\n", r->type);
		else {
			fprintf(ctx->out, "%s%.0zu%s%s %s%s%s", r->offset > 0 ? "+" : "",
			    r->offset, r->offset > 0 ? ": " : "", r->type,
			    cmd_addr(r->addr, addr), r->preview != NULL ? "  " : "",
			    r->preview != NULL ? r->preview : "");
			print_reach(ctx, r);
		}
	}
}

static void
print_file(struct cmd_ctx *ctx, const struct static_file *f)
{
	char label[INTERP_LABEL_MAX];
	int namew = 6;
	size_t i;

	fprintf(ctx->out, "%s", f->path);
	for (i = 0; i < f->nmodules; i++)
		fprintf(ctx->out, "%s%s", i == 0 ? "  (" : ", ", f->modules[i]);
	fprintf(ctx->out, "%s", f->nmodules > 0 ? " in" : "  (in");
	for (i = 0; i < f->ninterps; i++) {
		cmd_interp_label(ctx, f->interps[i], label, sizeof label);
		fprintf(ctx->out, "%s %s", i == 0 ? "" : ",", label);
	}
	fprintf(ctx->out, ")\n");
	if (f->nsymbols > 0 && f->symbols[0].name == NULL)
		fprintf(ctx->out, "  stripped: no object symbols%s%s, only the "
		    "writable ranges\n", f->symtab != NULL ? " in " : "",
		    f->symtab != NULL ? f->symtab : "");
	for (i = 0; i < f->nsymbols; i++) {
		int w = f->symbols[i].name != NULL ?
		    (int)strlen(f->symbols[i].name) : 25;

		if (w > namew)
			namew = w < 40 ? w : 40;
	}
	fprintf(ctx->out, "  %-*s  %-9s %8s  %-6s  %s\n", namew, "SYMBOL",
	    "SECTION", "SIZE", "SCOPE", "HOLDS");
	for (i = 0; i < f->nsymbols; i++)
		print_symbol(ctx, &f->symbols[i], namew);
	if (f->nsymbols == 0)
		fprintf(ctx->out, "  (no writable data)\n");
}

static enum cmd_status
cmd_statics_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *json = cmd_args_value(args, "--json");
	const char *const *names = (const char *const *)args->pos;
	struct statics *st;
	char *cause = NULL;
	size_t i;
	FILE *f;

	if (json != NULL) {
		f = output_open(ctx, json);
		if (f == NULL)
			return CMD_ERROR;
		if (session_statics_json(ctx->session, names, (size_t)args->npos,
		    f, &cause) != 0) {
			if (ferror(f))
				free(cause);
			else
				cmd_fail(ctx, cause);
			output_close(ctx, f, json);
			return CMD_ERROR;
		}
		return output_close(ctx, f, json) == 0 ? CMD_NORMAL : CMD_ERROR;
	}
	if (session_statics(ctx->session, names, (size_t)args->npos, &st,
	    &cause) != 0)
		return cmd_fail(ctx, cause);
	if (st->nfiles == 0)
		fprintf(ctx->out, "no extension file is loaded in two or more "
		    "interpreters (name a module or a file: %s)\n",
		    ctx->entry->usage);
	for (i = 0; i < st->nfiles; i++)
		print_file(ctx, &st->files[i]);
	statics_free(st);
	return CMD_NORMAL;
}

const struct cmd_entry cmd_statics_entry = {
	.name = "statics",
	.usage = "%statics [--json FILE|-] [MOD|FILE...]",
	.summary = "the C static data of loaded extension files",
	.help =
	    "Lists the writable C data of extension files: every static and\n"
	    "global variable of their .data and .bss (from the file's symbol\n"
	    "table; a stripped file shows its writable ranges) and what it\n"
	    "holds now, read from the running process without running Python:\n"
	    "live Python objects (type, address, a preview of plain values), a\n"
	    "static type object, or a plain value, marked * when it changed\n"
	    "since the last %statics. Without names: every extension file\n"
	    "loaded in two or more interpreters; MOD names a module, FILE a\n"
	    "loaded file's path or file name. --json writes the statics as\n"
	    "JSON (docs/snapshot.md) to FILE or the output (-).",
	.options = statics_options,
	.min_args = 0,
	.max_args = -1,
	.exec = cmd_statics_exec,
};
