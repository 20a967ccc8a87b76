/*
 * cmd.c: the command table, lookup by name, alias or unique prefix, and the
 * checks every command gets before its handler runs (known options, how
 * many words). Handlers live in cmd-<name>.c, one file a command.
 */
#include "config.h"

#include "cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"
#include "xmalloc.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_new_entry,
	&cmd_list_entry,
	&cmd_use_entry,
	&cmd_del_entry,
	&cmd_exec_entry,
	&cmd_all_entry,
	&cmd_import_entry,
	&cmd_load_entry,
	&cmd_modules_entry,
	&cmd_share_entry,
	&cmd_diff_entry,
	&cmd_statics_entry,
	&cmd_audit_entry,
	&cmd_why_entry,
	&cmd_json_entry,
	&cmd_dot_entry,
	&cmd_reinit_entry,
	&cmd_save_entry,
	&cmd_replay_entry,
	&cmd_export_entry,
	&cmd_bugs_entry,
	&cmd_tour_entry,
	&cmd_pid_entry,
	&cmd_status_entry,
	&cmd_timeout_entry,
	&cmd_restart_entry,
	&cmd_tui_entry,
	&cmd_line_entry,
	&cmd_help_entry,
	&cmd_quit_entry,
	NULL,
};

/* Edit distance, for "did you mean" (names are short). */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[32], prev, tmp;

	if (lb >= sizeof row / sizeof row[0] || la >= 32)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	return cmd_find_in(cmd_table, name, cause);
}

const struct cmd_entry *
cmd_find_in(const struct cmd_entry *const *table, const char *name,
    char **cause)
{
	const struct cmd_entry *const *e, *found = NULL, *near = NULL;
	size_t len = strlen(name), best = 3;
	char list[256] = "";
	int matches = 0;

	if (len == 0) {
		*cause = xstrdup("a command name must follow '%' "
		    "(type %help for the list)");
		return NULL;
	}
	for (e = table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0 ||
		    ((*e)->alias != NULL && strcmp((*e)->alias, name) == 0))
			return *e;
	}
	for (e = table; *e != NULL; e++) {
		if (strncmp((*e)->name, name, len) == 0) {
			found = *e;
			matches++;
			if (strlen(list) + strlen((*e)->name) + 4 < sizeof list) {
				strcat(list, matches > 1 ? ", %" : "%");
				strcat(list, (*e)->name);
			}
		}
	}
	if (matches == 1)
		return found;
	if (matches > 1) {
		*cause = xasprintf("ambiguous command '%%%.64s', could be: %s",
		    name, list);
		return NULL;
	}
	for (e = table; *e != NULL; e++) {
		size_t d = distance(name, (*e)->name);

		if (d < best) {
			best = d;
			near = *e;
		}
	}
	if (near != NULL)
		*cause = xasprintf("unknown command '%%%.64s': did you mean %%%s? "
		    "(type %%help for the list)", name, near->name);
	else
		*cause = xasprintf("unknown command '%%%.64s' (type %%help for "
		    "the list)", name);
	return NULL;
}

void
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fflush(ctx->out);
	fputs(ctx->where != NULL ? ctx->where : "", ctx->err);
	if (ctx->entry != NULL)
		fprintf(ctx->err, "%%%s: ", ctx->entry->name);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	repl_error_tail(ctx->session, ctx->err);
}

enum cmd_status
cmd_modules_missing(struct cmd_ctx *ctx, const struct snapshot *snap,
    const char *const *names, size_t n)
{
	enum cmd_status st = CMD_NORMAL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (snapshot_module(snap, names[i]) == NULL) {
			cmd_error(ctx, "no interpreter has a module named '%s' "
			    "(%%import %s first)", names[i], names[i]);
			st = CMD_ERROR;
		}
	}
	return st;
}

enum cmd_status
cmd_modules_loaded(struct cmd_ctx *ctx, const char *const *names, size_t n)
{
	struct snap_filter filter = {
		.names = names,
		.nnames = n,
		.only = INTERP_NONE,
	};
	enum cmd_status st;
	struct snapshot *snap;
	char *cause = NULL;

	if (n == 0)
		return CMD_NORMAL;
	if (session_snapshot(ctx->session, &filter, &snap, &cause) != 0)
		return cmd_fail(ctx, cause);
	st = cmd_modules_missing(ctx, snap, names, n);
	snapshot_free(snap);
	return st;
}

bool
cmd_args_flag(const struct cmd_args *args, const char *flag)
{
	int i;

	for (i = 0; i < args->nflags; i++) {
		if (strcmp(args->flags[i], flag) == 0)
			return true;
	}
	return false;
}

const char *
cmd_args_value(const struct cmd_args *args, const char *option)
{
	size_t len = strlen(option);
	int i;

	for (i = 0; i < args->nflags; i++) {
		if (strncmp(args->flags[i], option, len) == 0 &&
		    args->flags[i][len] == '=')
			return args->values[i];
	}
	return NULL;
}

/* The entry's spelling of an option word ("--in" or "--in=1" finds
 * "--in="), or NULL. */
static const char *
option_find(const struct cmd_entry *e, const char *word)
{
	const char *const *o;
	size_t len;

	for (o = e->options; o != NULL && *o != NULL; o++) {
		len = strlen(*o);
		if (strcmp(*o, word) == 0)
			return *o;
		if (len > 0 && (*o)[len - 1] == '=' &&
		    (strncmp(*o, word, len) == 0 ||
		    (strncmp(*o, word, len - 1) == 0 && word[len - 1] == '\0')))
			return *o;
	}
	return NULL;
}

static void
options_list(const struct cmd_entry *e, char *buf, size_t size)
{
	const char *const *o;

	buf[0] = '\0';
	for (o = e->options; o != NULL && *o != NULL; o++) {
		size_t len = strlen(*o);

		if (strlen(buf) + len + 3 >= size)
			break;
		if (buf[0] != '\0')
			strcat(buf, ", ");
		strncat(buf, *o, (*o)[len - 1] == '=' ? len - 1 : len);
	}
}

/* Sort the words into options and positionals, checking both; -1 with
 * *cause naming the word that is wrong. */
static int
args_build(const struct cmd_entry *e, const struct cmd_words *w,
    struct cmd_args *args, char **cause)
{
	bool options_done = false;
	char known[512];
	int i;

	args->pos = xcalloc((size_t)w->argc + 1, sizeof *args->pos);
	args->flags = xcalloc((size_t)w->argc + 1, sizeof *args->flags);
	args->values = xcalloc((size_t)w->argc + 1, sizeof *args->values);
	for (i = 0; i < w->argc; i++) {
		const char *word = w->argv[i], *opt;

		if (!options_done && strcmp(word, "--") == 0) {
			options_done = true;
			continue;
		}
		if (!options_done && word[0] == '-' && word[1] != '\0' &&
		    strspn(word + 1, "0123456789") != strlen(word + 1)) {
			opt = option_find(e, word);
			if (opt == NULL) {
				options_list(e, known, sizeof known);
				if (known[0] == '\0')
					*cause = xasprintf("unknown option '%.64s': this "
					    "command takes none (usage: %s)", word,
					    e->usage);
				else
					*cause = xasprintf("unknown option '%.64s' "
					    "(options: %s)", word, known);
				return -1;
			}
			if (opt[strlen(opt) - 1] == '=') {
				const char *eq = strchr(word, '=');

				if (eq != NULL)
					args->values[args->nflags] = eq + 1;
				else if (i + 1 < w->argc)
					args->values[args->nflags] = w->argv[++i];
				else {
					*cause = xasprintf("option '%.64s' needs a value "
					    "(usage: %s)", word, e->usage);
					return -1;
				}
			}
			args->flags[args->nflags++] = opt;
			continue;
		}
		args->pos[args->npos++] = w->argv[i];
	}
	if (args->npos < e->min_args ||
	    (e->max_args >= 0 && args->npos > e->max_args)) {
		if (e->max_args == 0)
			*cause = xasprintf("takes no arguments, got '%.64s' (usage: "
			    "%s)", args->pos[0], e->usage);
		else if (args->npos < e->min_args)
			*cause = xasprintf("missing argument (usage: %s)",
			    e->usage);
		else
			*cause = xasprintf("too many arguments: '%.64s' is one too "
			    "many (usage: %s)", args->pos[e->max_args], e->usage);
		return -1;
	}
	if (cmd_code_after(e) >= 0) {
		args->raw = w->raw;
		if (args->raw == NULL || args->raw[0] == '\0') {
			*cause = xasprintf("missing code to run (usage: %s)",
			    e->usage);
			return -1;
		}
	}
	return 0;
}

int
cmd_code_after(const struct cmd_entry *e)
{
	return (e->traits & CMD_TAKES_CODE) != 0 ? e->code_after : -1;
}

bool
cmd_line_skipped_by_replay(const char *line)
{
	const struct cmd_entry *e;
	const char *rest;
	char *name, *cause = NULL;

	if (!cmd_is_command(line))
		return false;
	cmd_split_name(line, &name, &rest);
	e = cmd_find(name, &cause);
	free(name);
	free(cause);
	return e != NULL && (e->traits & CMD_NO_REPLAY) != 0;
}

int
cmd_parse(const char *text, struct cmd_line *line, char **cause)
{
	const char *rest;
	char *name;

	memset(line, 0, sizeof *line);
	cmd_split_name(text, &name, &rest);
	line->entry = cmd_find(name, cause);
	free(name);
	if (line->entry == NULL)
		return -1;
	if (cmd_words_split(rest, cmd_code_after(line->entry), &line->words,
	    cause) != 0)
		return -1;
	return args_build(line->entry, &line->words, &line->args, cause);
}

void
cmd_line_free(struct cmd_line *line)
{
	free(line->args.pos);
	free(line->args.flags);
	free(line->args.values);
	cmd_words_free(&line->words);
	memset(line, 0, sizeof *line);
}

enum cmd_status
cmd_execute(struct cmd_ctx *ctx, const char *text)
{
	struct cmd_line line;
	enum cmd_status st;
	char *cause = NULL;

	if (cmd_parse(text, &line, &cause) != 0) {
		ctx->entry = line.entry;
		cmd_error(ctx, "%s", cause);
		free(cause);
		cmd_line_free(&line);
		return CMD_ERROR;
	}
	ctx->entry = line.entry;
	st = line.entry->exec(ctx, &line.args);
	cmd_line_free(&line);
	return st;
}

enum cmd_status
cmd_fail(struct cmd_ctx *ctx, char *cause)
{
	cmd_error(ctx, "%s", cause != NULL ? cause : "out of memory");
	free(cause);
	return CMD_ERROR;
}

int
cmd_resolve_interp(struct cmd_ctx *ctx, const char *ref, interp_id *id)
{
	char *cause = NULL;

	if (session_resolve(ctx->session, ref, id, &cause) != 0) {
		cmd_fail(ctx, cause);
		return -1;
	}
	return 0;
}

void
cmd_interp_label(struct cmd_ctx *ctx, interp_id id, char *buf, size_t size)
{
	struct interp_info info;
	char *cause = NULL;

	if (session_info(ctx->session, id, &info, &cause) == 0)
		interp_info_label(&info, buf, size);
	else {
		free(cause);
		snprintf(buf, size, "[%lld]", (long long)id);
	}
}

const char *
cmd_addr(uintptr_t addr, char *buf)
{
	if (addr == 0)
		return "-";
	snprintf(buf, 24, "%#lx", (unsigned long)addr);
	return buf;
}

int
cmd_targets(struct cmd_ctx *ctx, const struct cmd_args *args, interp_id **ids,
    size_t *n)
{
	const char *in = cmd_args_value(args, "--in");
	struct interp_info *v;
	char *list, *word, *save = NULL, *cause = NULL;
	size_t i, count;

	if (in != NULL && cmd_args_flag(args, "--all")) {
		cmd_error(ctx, "--in and --all contradict each other: choose one");
		return -1;
	}
	if (cmd_args_flag(args, "--all")) {
		if (session_list(ctx->session, &v, &count, &cause) != 0) {
			cmd_fail(ctx, cause);
			return -1;
		}
		*ids = xcalloc(count, sizeof **ids);
		for (i = 0; i < count; i++)
			(*ids)[i] = v[i].id;
		*n = count;
		free(v);
		return 0;
	}
	if (in == NULL) {
		*ids = xcalloc(1, sizeof **ids);
		(*ids)[0] = session_current(ctx->session);
		*n = 1;
		return 0;
	}
	list = xstrdup(in);
	*ids = xcalloc(strlen(in) / 2 + 1, sizeof **ids);
	*n = 0;
	for (word = strtok_r(list, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		if (cmd_resolve_interp(ctx, word, &(*ids)[*n]) != 0) {
			free(list);
			free(*ids);
			return -1;
		}
		for (i = 0; i < *n; i++) {
			if ((*ids)[i] == (*ids)[*n])
				break;
		}
		if (i == *n)
			(*n)++;
	}
	free(list);
	if (*n == 0) {
		cmd_error(ctx, "--in needs interpreters: --in ID,NAME,...");
		free(*ids);
		return -1;
	}
	return 0;
}

enum cmd_status
cmd_run_code(struct cmd_ctx *ctx, interp_id id, const char *code)
{
	switch (repl_run_code(ctx->repl, id, code)) {
	case STEP_OK:
		return CMD_NORMAL;
	case STEP_MORE:
		cmd_error(ctx, "incomplete input: give a whole statement on one "
		    "line (join statements with ';')");
		return CMD_ERROR;
	case STEP_QUIT:
		return CMD_STOP;
	case STEP_FAILED:
		break;
	}
	return CMD_ERROR;
}

enum cmd_status
cmd_switch_front(struct cmd_ctx *ctx, enum front_end want)
{
	struct repl *r = ctx->repl;

	if (r == NULL || r->front == FRONT_BATCH) {
		cmd_error(ctx, "needs an interactive terminal (start subrepl%s on "
		    "one)", want == FRONT_TUI ? " --tui" : "");
		return CMD_ERROR;
	}
	if (r->front == want) {
		cmd_error(ctx, "already in %s", want == FRONT_TUI ? "the TUI" :
		    "line mode");
		return CMD_ERROR;
	}
	r->switch_to = want;
	return CMD_NORMAL;
}
