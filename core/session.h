/*
 * session.h: the only door from the front ends (repl/, ui/) into the engine,
 * and the one header of core/ they may include (the others refuse to
 * compile outside core/).
 *
 * A session is a conversation with one embedded CPython runtime: requests go
 * in (create, switch, destroy an interpreter; run some source; import;
 * take a snapshot of what is shared), plain-data results come out. No type
 * here holds a Python object, so the same API is served in-process
 * (session_open_inprocess) or by a supervised host process over a socket
 * (session_open_supervised), without the front ends noticing.
 *
 * Conventions: functions that can fail return 0 on success and -1 on failure
 * with *cause set to a malloc'd one-line message (no trailing newline, no
 * command prefix) that the caller frees. Output written by Python and by C
 * code in the embedded runtime goes to the process's stdout and stderr in the
 * in-process implementation, flushed at the end of every step.
 */
#ifndef SUBREPL_SESSION_H
#define SUBREPL_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* CPython's own interpreter id (PyInterpreterState_GetID): main is 0. */
typedef int64_t interp_id;

#define INTERP_NONE ((interp_id)-1)
#define INTERP_NAME_MAX 32
/* Room for interp_info_label ("[2 worker isolated]") with its NUL. */
#define INTERP_LABEL_MAX (INTERP_NAME_MAX + 64)
/* Room for a prompt: a label and ">>> ". */
#define INTERP_PROMPT_MAX (INTERP_LABEL_MAX + 16)

/* A tri-state flag of an interpreter config: unset takes the preset's value. */
enum config_flag {
	FLAG_UNSET = -1,
	FLAG_OFF = 0,
	FLAG_ON = 1,
};

enum interp_preset {
	PRESET_LEGACY,   /* Py_NewInterpreter(): shared GIL, shared obmalloc */
	PRESET_ISOLATED, /* 3.12+: own GIL, own obmalloc, check_multi_interp_extensions */
};

/* What the user asked for when creating an interpreter. */
struct interp_request {
	const char *name;            /* unique name, or NULL for none */
	enum interp_preset preset;   /* starting point for the flags below */
	enum config_flag own_gil;    /* PyInterpreterConfig_OWN_GIL */
	enum config_flag own_obmalloc; /* !use_main_obmalloc */
	enum config_flag check_ext;  /* check_multi_interp_extensions */
	enum config_flag allow_fork;
	enum config_flag allow_exec;
	enum config_flag allow_threads;
	enum config_flag allow_daemon_threads;
};

/* The config an interpreter really has (resolved, as CPython was told). */
struct interp_config {
	char preset[12];             /* "legacy" (main's too), "isolated" or "custom" */
	bool own_gil;
	bool own_obmalloc;
	bool check_ext;
	bool allow_fork;
	bool allow_exec;
	bool allow_threads;
	bool allow_daemon_threads;
};

/* One row of the interpreter registry. */
struct interp_info {
	interp_id id;                    /* CPython's id */
	char name[INTERP_NAME_MAX + 1];  /* "" when unnamed; main is "main" */
	struct interp_config config;
	bool current;                    /* the one plain Python lines run in */
	long modules;                    /* len(sys.modules), -1 if unknown */
};

/* How running one piece of source ended. */
enum run_outcome {
	RUN_OK,           /* compiled and ran (or was empty) */
	RUN_INCOMPLETE,   /* needs more lines; nothing ran */
	RUN_SYNTAX_ERROR, /* did not compile; the error was printed */
	RUN_EXCEPTION,    /* raised; the traceback was printed */
	RUN_INTERRUPTED,  /* KeyboardInterrupt; the traceback was printed */
	RUN_EXIT,         /* SystemExit: exit_code says with what */
};

struct run_result {
	enum run_outcome outcome;
	interp_id interp;  /* where it ran */
	int exit_code;     /* for RUN_EXIT: the status sys.exit() asked for */
};

/* Modes of running source, as the interactive interpreter has them. */
enum run_mode {
	RUN_INTERACTIVE, /* "single": expression values are printed */
	RUN_STATEMENTS,  /* "exec": nothing is printed by itself */
};

struct session;

/* Start the embedded runtime in this process. NULL on failure, with *cause. */
struct session *session_open_inprocess(char **cause);

/* Start a host process (exe run as `exe --host=FD`) and serve the session
 * from it. NULL on failure, with *cause. */
struct session *session_open_supervised(const char *exe, char **cause);

/* The host's pid (0 for in-process sessions or when it is not running). */
pid_t session_host_pid(struct session *s);

/* How the host died ("host died: SIGSEGV ... while running: ...", "host
 * died while idle: ..."), or NULL while it lives (and for in-process
 * sessions). */
const char *session_host_death(struct session *s);

/* Whether the host's death came while it ran a request (a step killed
 * it); false when it was found dead before the request was sent: it died
 * while idle ("host died while idle: SIGKILL (Killed)") and that request
 * never ran. False while the host lives. */
bool session_host_died_in_step(struct session *s);

/* What the host wrote while dying (faulthandler's report), held back so it
 * can follow the one-line report; malloc'd, or NULL. Taken once. */
char *session_host_last_words(struct session *s);

/* What the host was last asked to do ("f()", "%del 2"), or NULL. */
const char *session_host_step(struct session *s);

/* Seconds since the host started, -1 when there is none. */
long session_host_uptime(struct session *s);

/* %timeout: a step running longer is interrupted, and 2 s later the host
 * is killed (reported like any death). 0 for no bound. */
int session_set_timeout(struct session *s, double seconds, char **cause);
double session_timeout(struct session *s);

/* Call idle(arg) about ten times a second while a request waits for the
 * host (a long step), so a front end can show progress and output; NULL
 * for none. In-process sessions never call it. */
void session_set_idle(struct session *s, void (*idle)(void *arg), void *arg);

/* Between steps a thread started in Python may go on printing, into the
 * host's pipes. A front end waiting for input watches these descriptors
 * too (up to 2 into fds; how many: 0 in-process, where such output goes
 * straight to the terminal), and when one is readable has what arrived
 * copied to stdout and stderr; session_output_copy returns whether that
 * output ended a line (true when there was none). */
int session_output_fds(struct session *s, int fds[2]);
bool session_output_copy(struct session *s);

/* Stop the host (if it lives) and start a fresh one. A crash of the old
 * host on its way out (Python finalizing) is reported on stderr, in one
 * line ("host died while finishing: ... (during %restart)") and its last
 * words; the restart goes on. */
int session_restart(struct session *s, char **cause);

/* The end of the session, before session_close: the host is asked to quit
 * (Python finalizes there) and reaped. -1 with *cause ("host died while
 * finishing: SIGSEGV (Segmentation fault) (at the end of the session)")
 * when it crashed or had to be killed doing so, or had died unseen while
 * idle; its last words then come from session_host_last_words. 0 when it
 * ended well, had died already (and said so), or runs in-process (which
 * finalizes in session_close). */
int session_stop(struct session *s, char **cause);

/* Finalize the runtime and free everything. */
void session_close(struct session *s);

/* "3.12.1", the embedded Python's version. */
const char *session_python_version(struct session *s);

/* The full Py_GetVersion() text (version, build, compiler). */
const char *session_python_build(struct session *s);

/* Whether this Python can create interpreters from a config (3.12+). */
bool session_has_config(struct session *s);

/* The interpreters, sorted by id; *out is malloc'd (free it). */
int session_list(struct session *s, struct interp_info **out, size_t *n, char **cause);

/* One interpreter's row. */
int session_info(struct session *s, interp_id id, struct interp_info *info,
    char **cause);

/* Create an interpreter and make it current; *info describes it. */
int session_new(struct session *s, const struct interp_request *req,
    struct interp_info *info, char **cause);

/* Make an interpreter the current one. */
int session_use(struct session *s, interp_id id, char **cause);

/* Destroy a sub-interpreter (Py_EndInterpreter). Destroying the current one
 * makes main current. Main cannot be destroyed. */
int session_del(struct session *s, interp_id id, char **cause);

/* An interpreter recreated by session_reinit: old id, new id. */
struct reinit_map {
	interp_id old_id;
	interp_id new_id;   /* INTERP_NONE if it could not be recreated */
};

/* Finalize the runtime (Py_FinalizeEx) and initialize it again, then
 * recreate every sub-interpreter with its name and config; modules are not
 * re-imported. *map (malloc'd) says what became of each sub-interpreter. */
int session_reinit(struct session *s, struct reinit_map **map, size_t *n,
    char **cause);

/* The current interpreter's id. */
interp_id session_current(struct session *s);

/* Run source in an interpreter (INTERP_NONE: the current one) with the
 * interactive interpreter's rules. Returns -1 only when the request itself is
 * impossible (unknown interpreter); Python errors are outcomes. */
int session_run(struct session *s, interp_id id, const char *source,
    enum run_mode mode, struct run_result *result, char **cause);

/* Completions of a Python name or attribute ("os.pa") in an interpreter's
 * __main__, from that interpreter's rlcompleter. *out is a malloc'd array of
 * malloc'd strings (free with session_free_strings). */
int session_complete(struct session *s, interp_id id, const char *text,
    char ***out, size_t *n, char **cause);

/* Ask the running step to stop with KeyboardInterrupt, in whichever
 * interpreter it runs. Async-signal-safe: call it from a SIGINT handler. */
void session_interrupt(struct session *s);

/* Resolve "ID" or "NAME" to an id, with a message naming what exists when
 * nothing matches. */
int session_resolve(struct session *s, const char *ref, interp_id *id, char **cause);

/* ---------------------------------------------------------- snapshots */

/* What every interpreter has loaded and which objects they share, as plain
 * data, so the same snapshot feeds %modules, %share, %diff, JSON, Graphviz
 * and the TUI, and travels over the host's socket (docs/snapshot.md). */
enum module_kind {
	KIND_PYTHON,          /* source or bytecode module */
	KIND_FROZEN,          /* frozen into libpython */
	KIND_NAMESPACE,       /* a namespace package */
	KIND_BUILTIN_SINGLE,  /* compiled into libpython, single-phase init */
	KIND_BUILTIN_MULTI,   /* compiled into libpython, multi-phase init */
	KIND_SINGLE,          /* extension file, single-phase init */
	KIND_MULTI,           /* extension file, multi-phase init */
	KIND_OTHER,           /* not a module object (anything in sys.modules) */
};

/* How one attribute's values relate across the interpreters that have it. */
enum sharing {
	SHARING_DISTINCT,   /* each interpreter has its own object */
	SHARING_SHARED,     /* one heap object seen by several interpreters */
	SHARING_STATIC,     /* an object in a loaded file's data segment */
	SHARING_IMMORTAL,   /* an immortal heap object (3.12+) */
};

/* One interpreter's value of an attribute. Strings belong to the
 * snapshot's string pool. */
struct snap_object {
	interp_id interp;      /* whose module dict holds it */
	uintptr_t addr;        /* the object's address (its id()) */
	bool immortal;         /* _Py_IsImmortal (3.12+) */
	const char *static_in; /* basename of the file whose data holds it, or NULL */
	uintptr_t self;        /* a builtin function's __self__, else 0 */
	const char *preview;   /* what a plain value holds ("['a', 1]"), read
	                        * without running code (preview.h), or NULL */
};

struct snap_attr {
	const char *name;            /* the key in the module's __dict__ */
	const char *type;            /* type name of the first value */
	enum sharing sharing;        /* the verdict */
	const char *static_in;       /* the file, for SHARING_STATIC */
	interp_id owner;             /* interpreter whose module owns a shared
	                              * builtin function, INTERP_NONE if unknown */
	struct snap_object *objects; /* one per interpreter that has it (a slice
	                              * of the module's `values`) */
	size_t nobjects;
};

/* A module as one interpreter has it. */
struct snap_instance {
	interp_id interp;
	uintptr_t module;     /* the module object */
	uintptr_t dict;       /* its __dict__ */
	uintptr_t def;        /* its PyModuleDef, 0 for none */
	uintptr_t m_copy;     /* def->m_base.m_copy, 0 for none */
	long m_copy_size;     /* entries in m_copy, -1 for none */
	bool copied;          /* an extension module without a def: CPython
	                       * made it from m_copy and did not run init */
};

struct snap_module {
	char *name;                       /* the key in sys.modules */
	enum module_kind kind;
	long m_size;                      /* def->m_size; meaningless without a def */
	bool has_def;
	int multi_interp;                 /* Py_mod_multiple_interpreters slot, -1 absent */
	int gil;                          /* Py_mod_gil slot, -1 absent */
	char *file;                       /* __file__, or NULL */
	struct snap_instance *instances;  /* one per interpreter that has it, by id */
	size_t ninstances;
	struct snap_attr *attrs;          /* sorted by name */
	size_t nattrs;
	struct snap_object *values;       /* every attribute's objects, in one block */
};

struct strpool;

struct snapshot {
	char *python_version;         /* "3.12.1" */
	struct interp_info *interps;  /* sorted by id */
	size_t ninterps;
	struct snap_module *modules;  /* sorted by name */
	size_t nmodules;
	struct strpool *pool;         /* the strings of attributes and objects */
};

/* Which modules a snapshot keeps. */
struct snap_filter {
	const char *const *names;  /* keep these (NULL: see below) */
	size_t nnames;
	bool shared_extensions;    /* no names: only extension modules loaded in
	                            * two or more interpreters */
	bool with_attrs;           /* collect attributes (else modules only) */
	interp_id only;            /* one interpreter, or INTERP_NONE for all */
};

/* Build a snapshot of the sharing map (%share, %modules, the TUI). */
int session_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause);

/* The snapshot as JSON (docs/snapshot.md) straight to out, without building
 * it in the front end: what %json does. */
int session_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause);

void snapshot_free(struct snapshot *snap);

/* Keep only these interpreters' instances and values, and classify again
 * (for %diff of two interpreters). */
void snapshot_restrict(struct snapshot *snap, const interp_id *ids, size_t n);

const char *module_kind_name(enum module_kind kind);
const char *sharing_name(enum sharing sharing);

/* The module of that name, or NULL. */
const struct snap_module *snapshot_module(const struct snapshot *snap,
    const char *name);

/* The instance of a module in an interpreter, or NULL. */
const struct snap_instance *snap_module_instance(const struct snap_module *m,
    interp_id id);

/* An attribute's object in an interpreter, or NULL. */
const struct snap_object *snap_attr_object(const struct snap_attr *a,
    interp_id id);

/* ------------------------------------------------------------ imports */

/* How one import came about, read off the module's PyModuleDef around it:
 * a single-phase module whose m_copy was already there and is still the
 * same dict afterwards was filled from that copy (its init function did not
 * run); any other new module ran its init (single-phase) or its exec slots
 * (multi-phase). */
enum import_result {
	IMPORT_RAN_INIT,   /* init (or multi-phase exec) made a new module */
	IMPORT_FROM_COPY,  /* single-phase: filled from m_copy, init did not run */
	IMPORT_ALREADY,    /* it was in sys.modules already: nothing happened */
	IMPORT_REFUSED,    /* ImportError (e.g. check_multi_interp_extensions) */
	IMPORT_FAILED,     /* another exception */
};

struct import_report {
	interp_id interp;
	enum import_result result;
	enum module_kind kind;       /* of the module imported */
	long m_size;                 /* def->m_size when has_def */
	int has_def;
	uintptr_t module;            /* the module object */
	uintptr_t def;               /* its PyModuleDef */
	uintptr_t m_copy_before;     /* def->m_base.m_copy before the import */
	uintptr_t m_copy_after;      /* ... and after */
	char error[1024];            /* "ImportError: ..." verbatim, or "" */
};

/* Import NAME (from the file PATH when not NULL, as %load does) into each of
 * the n interpreters, one report each. -1 only if the request is impossible
 * (unknown interpreter); a failing import is a report. */
int session_import(struct session *s, const char *name, const char *path,
    const interp_id *ids, size_t n, struct import_report *reports,
    char **cause);

const char *import_result_name(enum import_result r);

/* ---------------------------------------------------------- processes */

/* This process is the host of a front end (`subrepl --host=FD`): serve
 * the session on the socket fd until the front end leaves; returns the
 * process's exit status. */
int session_host_serve(int fd);

/* Py_GetVersion() of the libpython this program is linked with; needs no
 * session (for --version). */
const char *session_linked_python(void);

/* "[2 worker isolated]": how prompts and reports name an interpreter. */
void interp_info_label(const struct interp_info *info, char *buf, size_t size);

void session_free_strings(char **v, size_t n);

#endif
