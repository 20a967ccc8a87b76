/*
 * lesson-file.h: the format the tour's lessons and the bug gallery's
 * reproductions are written in (docs/lessons.md): a header of "Key: value"
 * lines, then a body of items — input run as typed, narration, pauses and
 * checks of what CPython just did. Parsing only: lesson-run.c runs them.
 */
#ifndef SUBREPL_LESSON_FILE_H
#define SUBREPL_LESSON_FILE_H

#include <stdbool.h>
#include <stddef.h>

enum lesson_item_kind {
	ITEM_INPUT,       /* a line as typed at the prompt */
	ITEM_NARRATION,   /* "| text" */
	ITEM_PAUSE,       /* "---" */
	ITEM_CHECK,       /* "?same IDS: EXPR" and the others */
	ITEM_OTHERWISE,   /* "! text": said when the check before does not
	                   * hold, or the host died at the input line before */
};

enum lesson_check {
	CHECK_SAME,       /* one object in every interpreter named */
	CHECK_DIFFER,     /* a different object in each */
	CHECK_TRUE,       /* the expression is True */
	CHECK_RAISES,     /* the code, run as a step, raises */
};

struct lesson_item {
	enum lesson_item_kind kind;
	long line;              /* where it is in the file (1 is the first) */
	char *text;             /* the input line, narration, expression or
	                         * code, or the "!" text */
	enum lesson_check check; /* ITEM_CHECK: which */
	char **interps;         /* ITEM_CHECK: the ids or names it names */
	size_t ninterps;        /* 0: the current interpreter */
};

struct lesson_field {
	char *key;              /* "Title", as written */
	char *value;            /* the rest of the line, trimmed */
};

struct lesson_file {
	char *path;             /* as given */
	char *name;             /* the file name without "NN-" and extension:
	                         * what %tour NAME and %bugs run ID match */
	struct lesson_field *fields;
	size_t nfields;
	struct lesson_item *items;
	size_t nitems;
};

/* Read and parse a file; -1 with *cause ("FILE:LINE: what is wrong"). A
 * file without a Title is refused. */
int lesson_file_read(const char *path, struct lesson_file *out, char **cause);

/* The same from text in memory (tests, fuzzing); path names it. */
int lesson_file_parse(const char *path, const char *text, size_t len,
    struct lesson_file *out, char **cause);

void lesson_file_free(struct lesson_file *f);

/* A file's name as %tour NAME and %bugs run ID match it: "gh-116510"
 * from ".../gh-116510.bug", "single-phase" from ".../01-single-phase.tour";
 * malloc'd. */
char *lesson_file_name(const char *path);

/* The first value of a header key (case-insensitive), or NULL. */
const char *lesson_field(const struct lesson_file *f, const char *key);

/* "?same" ... for messages. */
const char *lesson_check_name(enum lesson_check check);

/* The files of a directory ending in ext (".tour"), sorted by name, as
 * malloc'd paths; 0 or -1 with *cause. */
int lesson_dir_list(const char *dir, const char *ext, char ***paths,
    size_t *n, char **cause);

/* Where the installed lessons (sub "tour") or bugs ("bugs") are: the
 * environment's SUBREPL_DATA_DIR, the source tree when this program runs
 * from its build tree, else the installed data directory. Malloc'd. */
char *lesson_data_dir(const char *sub);

#endif
