/*
 * export.h: a session (its journal) as a standalone reproduction, and the
 * functions the commands' export slots (cmd_entry.export) render
 * themselves with. Interpreters are named by slots: 0 is main, the others
 * are numbered in creation order.
 */
#ifndef SUBREPL_EXPORT_H
#define SUBREPL_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "journal.h"
#include "session.h"

#define EXPORT_INTERPS_MAX 256

struct export;
struct cmd_args;

/* Write steps [from, to) as a Python script (c false) or a C program that
 * puts demo_dir on every interpreter's sys.path (as subrepl does) and
 * exits with 1 when a step failed. */
int export_write(FILE *f, bool c, const struct journal_steps *steps,
    size_t from, size_t to, const char *python_version,
    const char *source_path, const char *demo_dir);

/* Which export a file name asks for: FILE.c (*c true) or FILE.py; -1 for
 * any other name. */
int export_language(const char *path, bool *c);

/* The steps of a journal's last host (up to the step that killed it, if
 * one did) through export_write, as malloc'd text of *len bytes;
 * source_path names where they came from in its header. NULL with
 * *cause. */
char *export_journal(bool c, const char *jpath, const char *python_version,
    const char *source_path, size_t *len, char **cause);

/* The slot of an interpreter alive at this point, by "ID" or "NAME" as
 * the session named it; -1 if none. */
int export_interp(struct export *x, const char *ref);

/* The slot plain Python steps run in. */
int export_current(struct export *x);

/* The slots a command's --in ID,... or --all names, else the current one;
 * `slots` holds EXPORT_INTERPS_MAX. */
size_t export_targets(struct export *x, const struct cmd_args *args,
    int *slots);

/* What %new, %use, %del, %reinit do, in the export's language. */
void export_new(struct export *x, const struct interp_request *req);
void export_use(struct export *x, int slot);
void export_destroy(struct export *x, int slot);
void export_reinit(struct export *x);

/* Python source run as typed at a slot's prompt. */
void export_step(struct export *x, int slot, const char *source);

/* The same source in every live slot, each headed by its label (%all). */
void export_all(struct export *x, const char *source);

/* Import a module (from path when not NULL) in each of n slots. */
void export_import(struct export *x, const char *module, const char *path,
    const int *slots, size_t n);

/* A line of text as a comment, whatever bytes it holds. */
void export_comment(struct export *x, const char *text);

#endif
