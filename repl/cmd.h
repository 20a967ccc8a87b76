/*
 * cmd.h: the command language's table. A command is a descriptor (name,
 * alias, usage, help, options, argument counts) plus a handler, the way
 * tmux's cmd-*.c files each export one `struct cmd_entry`. The line REPL,
 * batch mode and the TUI run commands only through cmd_execute; %help,
 * completion, the man page, %replay and %export read the same descriptors,
 * so what the program knows about a command is written once, in its entry.
 */
#ifndef SUBREPL_CMD_H
#define SUBREPL_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd-parse.h"
#include "repl.h"
#include "session.h"

struct repl;
struct export;

enum cmd_status {
	CMD_ERROR = -1,  /* failed; the reason was reported */
	CMD_NORMAL = 0,  /* done */
	CMD_STOP = 1,    /* end the session (%quit) */
};

/* What the positional words of a command name (for completion). */
enum cmd_arg_kind {
	ARG_NONE,
	ARG_INTERP,   /* interpreter ids and names */
	ARG_COMMAND,  /* command names */
};

/* Everything a handler may use. */
struct cmd_ctx {
	struct repl *repl;          /* the REPL running the command */
	struct session *session;    /* the engine */
	FILE *out;                  /* results */
	FILE *err;                  /* one-line errors */
	bool verbose;               /* interactive: confirm what was done */
	const char *where;          /* "FILE:LINE: " before errors in batch, or "" */
	const struct cmd_entry *entry; /* the command being run */
};

/* The parsed arguments of one command line. */
struct cmd_args {
	char **pos;                 /* positional words */
	int npos;
	const char **flags;         /* options given, as spelled in the entry */
	const char **values;        /* the value of each option that takes one
	                             * ("--in=" in the entry), else NULL */
	int nflags;
	const char *raw;            /* verbatim code, for CMD_TAKES_CODE */
};

/* Traits of a command (cmd_entry.traits), as tmux keeps CMD_READONLY in its
 * entries. A command with none only looks at the session: it is journaled,
 * replayed (its output is part of the session) and exported as a comment. */
enum cmd_trait {
	CMD_TAKES_CODE = 1 << 0, /* after `code_after` words the rest of the
	                          * line is Python, kept verbatim */
	CMD_NO_REPLAY = 1 << 1,  /* acts on the session or the front end, not
	                          * on the interpreters (%restart, %save,
	                          * %quit): journaled as a record, but
	                          * %replay, %restart --replay and %export
	                          * pass over it */
};

struct cmd_entry {
	const char *name;           /* what follows '%' */
	const char *alias;          /* another accepted name, or NULL */
	const char *usage;          /* "%use ID|NAME" */
	const char *summary;        /* one line for the %help list */
	const char *help;           /* the paragraph %help CMD prints */
	const char *const *options; /* accepted --options, NULL-terminated, or NULL;
	                             * "--in=" takes a value (--in X or --in=X) */
	int min_args;               /* positional words required */
	int max_args;               /* positional words allowed, -1: any */
	unsigned traits;            /* enum cmd_trait bits */
	int code_after;             /* CMD_TAKES_CODE: words before the code */
	enum cmd_arg_kind arg_kind; /* what positional words complete to */
	enum cmd_status (*exec)(struct cmd_ctx *ctx, const struct cmd_args *args);
	/* How %export reproduces the command, for those that change the
	 * interpreters (create, switch, destroy, import, run code); NULL:
	 * it only looks, and the export shows it as a comment. */
	void (*export)(struct export *x, const struct cmd_args *args);
};

/* One command line, parsed: its entry and its sorted arguments. */
struct cmd_line {
	const struct cmd_entry *entry; /* NULL when the name is unknown */
	struct cmd_words words;     /* the words and code, owned */
	struct cmd_args args;       /* sorted; they point into `words` */
};

/* Every command, NULL-terminated, in %help order. */
extern const struct cmd_entry *const cmd_table[];

/* Exact name or alias, then a unique prefix. NULL with *cause otherwise. */
const struct cmd_entry *cmd_find(const char *name, char **cause);

/* The same in another table (tests). */
const struct cmd_entry *cmd_find_in(const struct cmd_entry *const *table,
    const char *name, char **cause);

/* Words before the code of a command that takes code, else -1. */
int cmd_code_after(const struct cmd_entry *e);

/* Whether %replay and %export pass over a command line: CMD_NO_REPLAY of
 * the command it names (by name, alias or unique prefix, as typed). */
bool cmd_line_skipped_by_replay(const char *line);

/* Parse a command line ("%new a --isolated") with the table: the entry,
 * the words, known options, how many words. -1 with *cause (the entry is
 * set when only the arguments were wrong); free with cmd_line_free either
 * way. */
int cmd_parse(const char *text, struct cmd_line *line, char **cause);

void cmd_line_free(struct cmd_line *line);

/* Parse and run one command line ("%new a --isolated"). */
enum cmd_status cmd_execute(struct cmd_ctx *ctx, const char *line);

/* Report a user error: "WHERE%name: message" on one line of ctx->err. */
void cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Report what the engine said went wrong (cause NULL: out of memory) and
 * free it; CMD_ERROR, for `return cmd_fail(ctx, cause);`. */
enum cmd_status cmd_fail(struct cmd_ctx *ctx, char *cause);

/* Each of the n module names that no module of snap has, as an error
 * line of its own ("no interpreter has a module named ..."): a mistyped
 * name must not pass for a module that is there and empty. CMD_ERROR if
 * any. */
enum cmd_status cmd_modules_missing(struct cmd_ctx *ctx,
    const struct snapshot *snap, const char *const *names, size_t n);

/* The same, from a snapshot of the module list alone, for commands that
 * have none of their own (%json, %audit): asked after their output, which
 * covers the modules that are there, so the lines come last. */
enum cmd_status cmd_modules_loaded(struct cmd_ctx *ctx,
    const char *const *names, size_t n);

/* What the next %json will read, read by the host now and kept
 * (session_read_ahead, for a pause at the prompt). */
int cmd_json_read_ahead(struct session *s, const int *stop_fds, size_t nstop,
    char **cause);

bool cmd_args_flag(const struct cmd_args *args, const char *flag);

/* The value given to an option that takes one ("--in"), or NULL. */
const char *cmd_args_value(const struct cmd_args *args, const char *option);

/* The interpreters a command acts on: --all, --in ID,NAME,... or, without
 * either, the current one. *ids is malloc'd; 0 on success, else reported. */
int cmd_targets(struct cmd_ctx *ctx, const struct cmd_args *args,
    interp_id **ids, size_t *n);

/* Resolve an "ID|NAME" word, reporting failure; 0 on success. */
int cmd_resolve_interp(struct cmd_ctx *ctx, const char *ref, interp_id *id);

/* The label "[2 worker isolated]" of an interpreter, or "[ID]" if gone. */
void cmd_interp_label(struct cmd_ctx *ctx, interp_id id, char *buf, size_t size);

/* Run code in one interpreter as a step; CMD_ERROR if it failed. */
enum cmd_status cmd_run_code(struct cmd_ctx *ctx, interp_id id, const char *code);

/* %tui and %line: ask for the other interactive front end, which the
 * loop in main.c switches to once the line is done. */
enum cmd_status cmd_switch_front(struct cmd_ctx *ctx, enum front_end want);

struct import_report;

/* "0x7f3a5c2e1b40", or "-" for 0; buf holds at least 24 bytes. */
const char *cmd_addr(uintptr_t addr, char *buf);

/* Print one line per interpreter of an import of module (and tell the
 * REPL's import observer); CMD_ERROR if any failed. */
enum cmd_status cmd_report_imports(struct cmd_ctx *ctx, const char *module,
    const struct import_report *reports, size_t n);

extern const struct cmd_entry cmd_new_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_use_entry;
extern const struct cmd_entry cmd_del_entry;
extern const struct cmd_entry cmd_exec_entry;
extern const struct cmd_entry cmd_all_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_load_entry;
extern const struct cmd_entry cmd_modules_entry;
extern const struct cmd_entry cmd_share_entry;
extern const struct cmd_entry cmd_diff_entry;
extern const struct cmd_entry cmd_statics_entry;
extern const struct cmd_entry cmd_audit_entry;
extern const struct cmd_entry cmd_why_entry;
extern const struct cmd_entry cmd_json_entry;
extern const struct cmd_entry cmd_dot_entry;
extern const struct cmd_entry cmd_reinit_entry;
extern const struct cmd_entry cmd_pid_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_restart_entry;
extern const struct cmd_entry cmd_save_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_bugs_entry;
extern const struct cmd_entry cmd_tour_entry;
extern const struct cmd_entry cmd_timeout_entry;
extern const struct cmd_entry cmd_replay_entry;
extern const struct cmd_entry cmd_tui_entry;
extern const struct cmd_entry cmd_line_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_quit_entry;

#endif
