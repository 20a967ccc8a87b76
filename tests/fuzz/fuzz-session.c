/*
 * fuzz-session.c: a session without Python (see fuzz-session.h), served
 * through the same vtable as the in-process and host sessions
 * (core/session-impl.h), so everything above session.h runs as it does
 * for a user. What it answers only has to be plausible and deterministic:
 * the harnesses look for crashes, leaks and undefined behaviour in the
 * front end, not for Python's verdicts.
 */
#include "config.h"

#include "fuzz-session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "journal.h"
#include "output.h"
#include "session-impl.h"
#include "snapshot.h"
#include "strpool.h"
#include "xmalloc.h"

/* Enough for every path through %new, %del and %reinit; more is refused
 * like a failed Py_NewInterpreter. */
#define FUZZ_INTERPS_MAX 64

struct fuzz_session {
	struct session base;                    /* first: what callers hold */
	struct interp_info v[FUZZ_INTERPS_MAX]; /* the registry, by id */
	size_t n;
	interp_id current;
	interp_id next_id;                      /* ids are never reused */
};

static struct fuzz_session *
fs(struct session *s)
{
	return (struct fuzz_session *)s;
}

static struct interp_info *
row(struct session *s, interp_id id)
{
	size_t i;

	for (i = 0; i < fs(s)->n; i++) {
		if (fs(s)->v[i].id == id)
			return &fs(s)->v[i];
	}
	return NULL;
}

static void
fuzz_close(struct session *s)
{
	free(s);
}

static const char *
fuzz_python_version(struct session *s)
{
	return "3.12.1";
}

static const char *
fuzz_python_build(struct session *s)
{
	return "3.12.1 (fuzz, no Python) [clang]";
}

static bool
fuzz_has_config(struct session *s)
{
	return true;
}

static int
fuzz_list(struct session *s, struct interp_info **out, size_t *n,
    char **cause)
{
	size_t i;

	*out = xcalloc(fs(s)->n + 1, sizeof **out);
	for (i = 0; i < fs(s)->n; i++) {
		(*out)[i] = fs(s)->v[i];
		(*out)[i].current = fs(s)->v[i].id == fs(s)->current;
	}
	*n = fs(s)->n;
	return 0;
}

static int
fuzz_resolve(struct session *s, const char *ref, interp_id *id, char **cause)
{
	return session_resolve_in(fs(s)->v, fs(s)->n, ref, id, cause);
}

static int
fuzz_info(struct session *s, interp_id id, struct interp_info *info,
    char **cause)
{
	struct interp_info *r = row(s, id);

	if (r == NULL) {
		cause_set(cause, "no interpreter with id %lld", (long long)id);
		return -1;
	}
	*info = *r;
	info->current = id == fs(s)->current;
	return 0;
}

/* The rules of interp_name_check (core/interp.c, which needs Python). */
static int
name_check(const char *name, char **cause)
{
	size_t i, len = strlen(name);
	bool digits = true;

	if (len == 0 || len > INTERP_NAME_MAX) {
		cause_set(cause, "bad name length");
		return -1;
	}
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c >= '0' && c <= '9')
			continue;
		digits = false;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (i > 0 && (c == '-' || c == '.')))
			continue;
		cause_set(cause, "invalid name '%s'", name);
		return -1;
	}
	if (digits) {
		cause_set(cause, "invalid name '%s': all digits", name);
		return -1;
	}
	return 0;
}

static bool
flag(enum config_flag f, bool preset)
{
	return f == FLAG_UNSET ? preset : f == FLAG_ON;
}

static int
fuzz_create(struct session *s, const struct interp_request *req,
    struct interp_info *info, char **cause)
{
	bool iso = req->preset == PRESET_ISOLATED;
	struct interp_info *r;
	size_t i;

	if (req->name != NULL && name_check(req->name, cause) != 0)
		return -1;
	for (i = 0; req->name != NULL && i < fs(s)->n; i++) {
		if (strcmp(fs(s)->v[i].name, req->name) == 0) {
			cause_set(cause, "an interpreter named '%s' exists", req->name);
			return -1;
		}
	}
	if (fs(s)->n == FUZZ_INTERPS_MAX) {
		cause_set(cause, "Py_NewInterpreter failed (the fuzzer's limit)");
		return -1;
	}
	r = &fs(s)->v[fs(s)->n++];
	memset(r, 0, sizeof *r);
	r->id = fs(s)->next_id++;
	snprintf(r->name, sizeof r->name, "%s", req->name != NULL ? req->name : "");
	r->config.own_gil = flag(req->own_gil, iso);
	r->config.own_obmalloc = flag(req->own_obmalloc, iso);
	r->config.check_ext = flag(req->check_ext, iso);
	r->config.allow_fork = flag(req->allow_fork, !iso);
	r->config.allow_exec = flag(req->allow_exec, !iso);
	r->config.allow_threads = flag(req->allow_threads, true);
	r->config.allow_daemon_threads = flag(req->allow_daemon_threads, !iso);
	snprintf(r->config.preset, sizeof r->config.preset, "%s",
	    iso ? "isolated" : "legacy");
	r->modules = 20;
	fs(s)->current = r->id;
	return fuzz_info(s, r->id, info, cause);
}

static int
fuzz_use(struct session *s, interp_id id, char **cause)
{
	if (row(s, id) == NULL) {
		cause_set(cause, "no interpreter with id %lld", (long long)id);
		return -1;
	}
	fs(s)->current = id;
	return 0;
}

static int
fuzz_destroy(struct session *s, interp_id id, char **cause)
{
	struct interp_info *r = row(s, id);

	if (r == NULL || id == 0) {
		cause_set(cause, "cannot destroy %lld", (long long)id);
		return -1;
	}
	memmove(r, r + 1, (size_t)(&fs(s)->v[fs(s)->n] - (r + 1)) * sizeof *r);
	fs(s)->n--;
	if (fs(s)->current == id)
		fs(s)->current = 0;
	return 0;
}

static interp_id
fuzz_current(struct session *s)
{
	return fs(s)->current;
}

/* Every sub-interpreter comes back under a new id. */
static int
fuzz_reinit(struct session *s, struct reinit_map **map, size_t *n,
    char **cause)
{
	size_t i;

	*map = xcalloc(fs(s)->n, sizeof **map);
	*n = 0;
	for (i = 1; i < fs(s)->n; i++) {
		(*map)[*n].old_id = fs(s)->v[i].id;
		fs(s)->v[i].id = fs(s)->next_id++;
		(*map)[(*n)++].new_id = fs(s)->v[i].id;
	}
	fs(s)->current = 0;
	return 0;
}

/* A rough codeop: source needs more lines while a bracket or a string is
 * open, a line ends in a backslash, or a block (a line ending in ':') has
 * not been closed by the empty line the REPL adds. *unbalanced: a closing
 * bracket with nothing open. */
static bool
incomplete(const char *src, bool *unbalanced)
{
	const char *p;
	char quote = 0, last = 0;
	bool triple = false, block = false;
	int depth = 0;

	*unbalanced = false;
	for (p = src; *p != '\0'; p++) {
		if (quote != 0) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (triple && *p == quote && p[1] == quote &&
			    p[2] == quote) {
				p += 2;
				quote = 0;
			} else if (!triple && (*p == quote || *p == '\n'))
				quote = 0;
			continue;
		}
		if (*p == '#') {
			while (p[1] != '\0' && p[1] != '\n')
				p++;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			triple = p[1] == quote && p[2] == quote;
			if (triple)
				p += 2;
		} else if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if (*p == ')' || *p == ']' || *p == '}') {
			if (depth == 0)
				*unbalanced = true;
			else
				depth--;
		} else if (*p == '\n' && depth == 0 && last == ':')
			block = true;
		if (*p != ' ' && *p != '\t' && *p != '\r')
			last = *p;
	}
	if (quote != 0 || depth > 0 || last == '\\')
		return true;
	if (last == ':')
		return true;
	return block && p > src && p[-1] != '\n';
}

static int
fuzz_run(struct session *s, interp_id id, const char *source,
    enum run_mode mode, struct run_result *result, char **cause)
{
	const char *exit_call = strstr(source, "exit(");
	bool unbalanced;

	if (id == INTERP_NONE)
		id = fs(s)->current;
	if (row(s, id) == NULL) {
		cause_set(cause, "no interpreter with id %lld", (long long)id);
		return -1;
	}
	memset(result, 0, sizeof *result);
	result->interp = id;
	if (incomplete(source, &unbalanced) && mode == RUN_INTERACTIVE)
		result->outcome = RUN_INCOMPLETE;
	else if (unbalanced)
		result->outcome = RUN_SYNTAX_ERROR;
	else if (strstr(source, "raise") != NULL)
		result->outcome = RUN_EXCEPTION;
	else if (strstr(source, "KeyboardInterrupt") != NULL)
		result->outcome = RUN_INTERRUPTED;
	else if (exit_call != NULL) {
		result->outcome = RUN_EXIT;
		result->exit_code = atoi(exit_call + 5) & 0xff;
	} else
		result->outcome = RUN_OK;
	return 0;
}

static int
fuzz_complete(struct session *s, interp_id id, const char *text,
    char ***out, size_t *n, char **cause)
{
	*out = xcalloc(2, sizeof **out);
	(*out)[0] = xasprintf("%sx", text);
	*n = 1;
	return 0;
}

/* Init runs in the first interpreter; the others are filled from m_copy,
 * as for a single-phase module; a name with '!' is refused. */
static int
fuzz_import(struct session *s, const char *name, const char *path,
    const interp_id *ids, size_t n, struct import_report *reports,
    char **cause)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (row(s, ids[i]) == NULL) {
			cause_set(cause, "no interpreter with id %lld",
			    (long long)ids[i]);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		struct import_report *r = &reports[i];

		memset(r, 0, sizeof *r);
		r->interp = ids[i];
		r->kind = KIND_SINGLE;
		r->has_def = 1;
		r->m_size = -1;
		r->module = 0x1000 + 0x10 * (uintptr_t)i;
		r->def = 0x2000;
		r->m_copy_before = i > 0 ? 0x3000 : 0;
		r->m_copy_after = 0x3000;
		if (strchr(name, '!') != NULL) {
			r->result = IMPORT_REFUSED;
			snprintf(r->error, sizeof r->error, "ImportError: module %s "
			    "does not support loading in subinterpreters", name);
		} else
			r->result = i > 0 ? IMPORT_FROM_COPY : IMPORT_RAN_INIT;
	}
	return 0;
}

/* One part: a module as one interpreter has it, with two attributes, one
 * the same object everywhere and one of its own. */
static void
part_make(struct snap_part *p, const char *name, interp_id id, size_t k,
    bool with_attrs, struct strpool *pool)
{
	memset(p, 0, sizeof *p);
	p->name = strpool_intern(pool, name, strlen(name));
	p->module.kind = strstr(name, "single") != NULL ? KIND_SINGLE : KIND_PYTHON;
	p->module.has_def = p->module.kind == KIND_SINGLE;
	p->module.m_size = -1;
	p->module.multi_interp = -1;
	p->module.gil = -1;
	p->module.file = xasprintf("/fuzz/%s.so", name);
	p->module.instances = xcalloc(1, sizeof *p->module.instances);
	p->module.ninstances = 1;
	p->module.instances[0].interp = id;
	p->module.instances[0].module = 0x10000 + 0x100 * k;
	p->module.instances[0].dict = 0x20000 + 0x100 * k;
	p->module.instances[0].m_copy_size = -1;
	if (!with_attrs)
		return;
	p->values = xcalloc(2, sizeof *p->values);
	p->nvalues = 2;
	p->values[0].name = strpool_intern(pool, "items", 5);
	p->values[0].type = strpool_intern(pool, "list", 4);
	p->values[0].object.addr = 0x30000;
	p->values[0].object.self = p->module.instances[0].module;
	p->values[1].name = strpool_intern(pool, "__name__", 8);
	p->values[1].type = strpool_intern(pool, "str", 3);
	p->values[1].object.addr = 0x40000 + 0x100 * k;
	p->values[1].object.preview = strpool_intern(pool, name, strlen(name));
}

static int
fuzz_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause)
{
	static const char *const all[] = { "sys", "demo_single" };
	const char *const *names = filter->nnames > 0 ? filter->names : all;
	size_t nnames = filter->nnames > 0 ? filter->nnames : 2, i, j, k = 0;
	struct strpool *pool = strpool_new();
	struct snap_part *parts;

	if (filter->only != INTERP_NONE && row(s, filter->only) == NULL) {
		strpool_free(pool);
		cause_set(cause, "no interpreter with id %lld",
		    (long long)filter->only);
		return -1;
	}
	parts = xcalloc(nnames * fs(s)->n + 1, sizeof *parts);
	for (i = 0; i < nnames; i++) {
		/* sys.modules has a name once, however often it was asked for */
		for (j = 0; j < i && strcmp(names[j], names[i]) != 0; j++)
			;
		if (j < i)
			continue;
		for (j = 0; j < fs(s)->n; j++) {
			if (filter->only != INTERP_NONE &&
			    fs(s)->v[j].id != filter->only)
				continue;
			part_make(&parts[k], names[i], fs(s)->v[j].id, k,
			    filter->with_attrs, pool);
			k++;
		}
	}
	*out = snapshot_merge(parts, k, pool);
	if (*out == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	(*out)->python_version = xstrdup("3.12.1");
	(*out)->interps = xcalloc(fs(s)->n + 1, sizeof *(*out)->interps);
	memcpy((*out)->interps, fs(s)->v, fs(s)->n * sizeof *fs(s)->v);
	(*out)->ninterps = fs(s)->n;
	return 0;
}

static int
fuzz_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause)
{
	fputs("{\"python\": {\"version\": \"3.12.1\"}, \"interpreters\": [], "
	    "\"modules\": []}\n", out);
	return 0;
}

/* No extension files and no object graph here: the commands' words are
 * parsed, and their error path runs. */
static int
fuzz_statics(struct session *s, const char *const *names, size_t n,
    struct statics **out, char **cause)
{
	*cause = xstrdup("the fuzz session has no loaded files");
	return -1;
}

static int
fuzz_statics_json(struct session *s, const char *const *names, size_t n,
    FILE *out, char **cause)
{
	*cause = xstrdup("the fuzz session has no loaded files");
	return -1;
}

static int
fuzz_audit(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, struct audit **out,
    char **cause)
{
	*cause = xstrdup("the fuzz session has no objects");
	return -1;
}

static int
fuzz_audit_json(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, FILE *out, char **cause)
{
	*cause = xstrdup("the fuzz session has no objects");
	return -1;
}

static int
fuzz_why(struct session *s, interp_id id, const char *expr,
    struct audit **out, char **cause)
{
	*cause = xstrdup("the fuzz session has no objects");
	return -1;
}

static void
fuzz_interrupt(struct session *s, bool terminal)
{
	(void)terminal;
}

/* No host: the optional slots stay NULL and session.c answers for them. */
static const struct session_ops fuzz_ops = {
	.close = fuzz_close,
	.python_version = fuzz_python_version,
	.python_build = fuzz_python_build,
	.has_config = fuzz_has_config,
	.list = fuzz_list,
	.resolve = fuzz_resolve,
	.info = fuzz_info,
	.create = fuzz_create,
	.use = fuzz_use,
	.destroy = fuzz_destroy,
	.current = fuzz_current,
	.reinit = fuzz_reinit,
	.run = fuzz_run,
	.complete = fuzz_complete,
	.import = fuzz_import,
	.snapshot = fuzz_snapshot,
	.snapshot_json = fuzz_snapshot_json,
	.statics = fuzz_statics,
	.statics_json = fuzz_statics_json,
	.audit = fuzz_audit,
	.audit_json = fuzz_audit_json,
	.why = fuzz_why,
	.interrupt = fuzz_interrupt,
};

struct session *
fuzz_session_open(void)
{
	struct fuzz_session *f = xcalloc(1, sizeof *f);

	f->base.ops = &fuzz_ops;
	f->n = 1;
	f->v[0].id = 0;
	snprintf(f->v[0].name, sizeof f->v[0].name, "main");
	snprintf(f->v[0].config.preset, sizeof f->v[0].config.preset, "legacy");
	f->v[0].config.allow_fork = f->v[0].config.allow_exec = true;
	f->v[0].config.allow_threads = f->v[0].config.allow_daemon_threads = true;
	f->v[0].modules = 40;
	f->next_id = 1;
	return &f->base;
}

/* ------------------------------------------------- the linker's wraps */

static const char *allowed_read;
static bool read_refused;
static char *journaled;     /* lines journal_line was given, one a line */
static size_t journaled_len;
static char *journaled_last;

void
fuzz_session_allow_read(const char *path)
{
	allowed_read = path;
	read_refused = false;
}

bool
fuzz_session_read_refused(void)
{
	return read_refused;
}

const char *
fuzz_session_journaled(void)
{
	free(journaled_last);
	journaled_last = journaled != NULL ? journaled : xstrdup("");
	journaled = NULL;
	journaled_len = 0;
	return journaled_last;
}

/* -Wl,--wrap=NAME sends the program's calls of NAME here; __real_NAME is
 * the original. */
FILE *__real_output_open(struct cmd_ctx *ctx, const char *path);
FILE *__wrap_output_open(struct cmd_ctx *ctx, const char *path);
int __real_journal_read(const char *path, struct journal_steps *out,
    char **cause);
int __wrap_journal_read(const char *path, struct journal_steps *out,
    char **cause);
void __real_journal_line(struct journal *j, const char *line, size_t len);
void __wrap_journal_line(struct journal *j, const char *line, size_t len);

/* What a command writes (%json, %dot, %save, %export) goes to /dev/null
 * through the real function, whatever path the fuzzer made up. */
FILE *
__wrap_output_open(struct cmd_ctx *ctx, const char *path)
{
	return __real_output_open(ctx, strcmp(path, "-") == 0 ? path :
	    "/dev/null");
}

/* Only the journal the harness wrote is read (%save, %export, and the
 * harness itself); a made-up path (%replay /dev/zero) is refused. */
int
__wrap_journal_read(const char *path, struct journal_steps *out,
    char **cause)
{
	if (allowed_read != NULL && strcmp(path, allowed_read) == 0)
		return __real_journal_read(path, out, cause);
	read_refused = true;
	memset(out, 0, sizeof *out);
	*cause = xasprintf("the fuzzer reads no file but its own: '%s'", path);
	return -1;
}

/* A line the REPL journals, kept as it was given. */
void
__wrap_journal_line(struct journal *j, const char *line, size_t len)
{
	if (j != NULL) {
		journaled = xrealloc(journaled, journaled_len + len + 2);
		memcpy(journaled + journaled_len, line, len);
		journaled_len += len;
		journaled[journaled_len++] = '\n';
		journaled[journaled_len] = '\0';
	}
	__real_journal_line(j, line, len);
}
