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
/* An owner that is a module object no interpreter holds in sys.modules
 * (3.13 runs a single-phase init for a sub-interpreter in main, into a
 * module it keeps to itself). */
#define INTERP_HIDDEN ((interp_id)-2)
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

/* Whether sessions share every CPU with other busy processes (`subrepl
 * check` running jobs side by side on every CPU). Where this process may
 * run on more than one CPU, the second is used unless they do: the front
 * end and its host wait for each other's next message on it for a while
 * before sleeping (a wake-up costs more than a short step), and a large
 * snapshot is merged by two threads (core/spin.h). Set it before the
 * session opens: a host forked from this process inherits it (one exec'd
 * from another binary does not, and spins between requests). */
void session_share_cpus(bool shared);

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

/* The same for the terminal's Ctrl-C (a SIGINT the kernel sent the whole
 * foreground process group, the host included): where Python code in
 * the step installed its own SIGINT handler, that SIGINT reached it
 * already, and it is not called a second time. */
void session_interrupt_terminal(struct session *s);

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
	const char *static_in; /* basename of the file whose data holds it, or NULL */
	uintptr_t self;        /* a builtin function's __self__, else 0 */
	const char *preview;   /* what a plain value holds ("['a', 1]"), read
	                        * without running code (preview.h), or NULL */
	bool immortal;         /* _Py_IsImmortal (3.12+) */
	bool self_module;      /* self is a module object */
	/* (the two flags last: a quarter of a million of these make a first
	 * snapshot, and padding after each flag made them 56 bytes, not 48) */
};

struct snap_attr {
	const char *name;            /* the key in the module's __dict__ */
	const char *type;            /* type name of the first value */
	enum sharing sharing;        /* the verdict */
	bool holds_shared;           /* distinct here, but its objects reach
	                              * heap objects two or more interpreters
	                              * share (a deep snapshot found it) */
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
	unsigned long stamp;              /* rows with the same stamp other than
	                                   * 0 were made by one reading and say
	                                   * the same (the host copies rows of
	                                   * modules that did not change) */
	unsigned *holders;                /* snapshots sharing this row's name,
	                                   * file and arrays (NULL: this one
	                                   * only): copies of a snapshot share
	                                   * their rows, so code that changes a
	                                   * row makes it its own first
	                                   * (snap_module_own) */
};

struct strpool;

struct snapshot {
	char *python_version;         /* "3.12.1" */
	struct interp_info *interps;  /* sorted by id */
	size_t ninterps;
	struct snap_module *modules;  /* sorted by name */
	size_t nmodules;
	struct strpool *pool;         /* the strings of attributes and objects */
	struct strpool **more_pools;  /* a snapshot patched from a delta: the
	                               * pools of the rows it kept (held) */
	size_t nmore_pools;
};

/* Which modules a snapshot keeps. */
struct snap_filter {
	const char *const *names;  /* keep these (NULL: see below) */
	size_t nnames;
	bool shared_extensions;    /* no names: only extension modules loaded in
	                            * two or more interpreters */
	bool with_attrs;           /* collect attributes (else modules only) */
	interp_id only;            /* one interpreter, or INTERP_NONE for all */
	bool deep;                 /* walk below the attributes (as %audit
	                            * does): mark distinct ones that hold
	                            * shared objects */
};

/* Build a snapshot of the sharing map (%share, %modules, the TUI). */
int session_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause);

/* The snapshot as JSON (docs/snapshot.md) straight to out, without building
 * it in the front end: what %json does. */
int session_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause);

/* A pause at the prompt: a host reads the snapshot of the filter's kind
 * now and keeps it, so the next one (a %json) reads only what changed
 * after. It stops soon after one of stop_fds (at most 2: the terminal,
 * the Ctrl-C pipe) is readable; the host's output meanwhile waits in its
 * pipes (session_output_fds). 0 when read; 1 when stopped, or not done
 * here (in-process sessions read nothing ahead: a key would wait for
 * it); -1 with *cause when the host refused or died (a death as any
 * other: session_host_death). */
int session_read_ahead(struct session *s, const struct snap_filter *filter,
    const int *stop_fds, size_t nstop, char **cause);

void snapshot_free(struct snapshot *snap);

/* Keep only these interpreters' instances and values, and classify again
 * (for %diff of two interpreters). */
void snapshot_restrict(struct snapshot *snap, const interp_id *ids, size_t n);

const char *module_kind_name(enum module_kind kind);
const char *sharing_name(enum sharing sharing);

/* The module of that name, or NULL. These lookups search by halves:
 * snapshots keep their modules sorted by name, instances and each
 * attribute's objects by interpreter id. */
const struct snap_module *snapshot_module(const struct snapshot *snap,
    const char *name);

/* The instance of a module in an interpreter, or NULL. */
const struct snap_instance *snap_module_instance(const struct snap_module *m,
    interp_id id);

/* An attribute's object in an interpreter, or NULL. */
const struct snap_object *snap_attr_object(const struct snap_attr *a,
    interp_id id);

/* Make a row of a snapshot one owns its own before changing it: a row
 * shared with other snapshots is copied (its strings stay where they
 * are, in pools the snapshot holds); its stamp goes. -1 when out of
 * memory (the row is left as it was). */
int snap_module_own(struct snap_module *m);

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
	IMPORT_INIT_ELSEWHERE, /* single-phase, 3.13: init ran during this
	                        * import, but in the main interpreter into a
	                        * module no interpreter holds; this one was
	                        * filled from its m_copy */
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

/* ------------------------------------------------------------ statics */

/* The writable C data of loaded extension files (%statics): what each
 * static or global variable holds, read from the running process
 * (docs/snapshot.md). Strings belong to the statics' pool. */
enum static_kind {
	STATIC_DATA,    /* plain C data (a counter, a flag): its value */
	STATIC_OBJECT,  /* holds pointers to live Python objects */
	STATIC_TYPE,    /* is a static type object */
};

/* One pointer-sized slot of a symbol that holds a live object. */
struct static_ref {
	size_t offset;           /* from the symbol's start */
	uintptr_t addr;          /* the object */
	const char *type;        /* its type's name */
	const char *preview;     /* what a plain value holds, or NULL */
	interp_id owner;         /* the interpreter it belongs to, where that
	                          * can be told (as %audit tells it), or
	                          * INTERP_NONE */
	bool owner_destroyed;    /* ... and that interpreter is gone */
	interp_id *reachable_from; /* the interpreters whose modules reach it */
	size_t nreachable;
};

struct static_symbol {
	const char *name;        /* NULL: an unnamed writable range (a
	                          * stripped file) */
	const char *section;     /* ".bss", ".data", ...; NULL for a range */
	uintptr_t addr;
	size_t size;
	bool local;              /* file-local (static), else global */
	enum static_kind kind;
	const char *type_name;   /* STATIC_TYPE: the type's name */
	bool has_value;          /* STATIC_DATA of 1, 2, 4 or 8 bytes: */
	long long value;         /* its value (as a signed integer) */
	bool changed;            /* it differs from the last %statics ... */
	long long was;           /* ... where it was this */
	struct static_ref *refs; /* STATIC_OBJECT */
	size_t nrefs;
};

struct static_file {
	const char *path;        /* as the loader opened it */
	const char *symtab;      /* ".symtab", ".dynsym", or NULL: stripped */
	const char **modules;    /* the modules loaded from it */
	size_t nmodules;
	interp_id *interps;      /* the interpreters that hold one of them */
	size_t ninterps;
	struct static_symbol *symbols; /* by address */
	size_t nsymbols;
};

struct statics {
	struct static_file *files;
	size_t nfiles;
	struct strpool *pool;
};

/* The writable data of the files named (a module name, or a file's path or
 * basename), or without names of every extension file loaded in two or
 * more interpreters. Values are compared with the last call's. */
int session_statics(struct session *s, const char *const *names, size_t n,
    struct statics **out, char **cause);

/* The same as JSON (docs/snapshot.md), straight to out (%statics --json). */
int session_statics_json(struct session *s, const char *const *names,
    size_t n, FILE *out, char **cause);

void statics_free(struct statics *st);

const char *static_kind_name(enum static_kind kind);

/* -------------------------------------------------------------- audit */

/* Every heap object reachable from two or more interpreters (%audit), or
 * everything known of one object (%why): walked from each interpreter's
 * roots with the types' own tp_traverse, nothing run (docs/snapshot.md). */
enum audit_flag {
	AUDIT_OWNER_DESTROYED = 1 << 0, /* its owner interpreter was destroyed */
	AUDIT_FOREIGN_GLOBALS = 1 << 1, /* a function whose __globals__ is
	                                 * another interpreter's module dict */
	AUDIT_FOREIGN_TYPE = 1 << 2,    /* an instance of a class another
	                                 * interpreter owns */
	AUDIT_STATIC_ROOT = 1 << 3,     /* a C static of a loaded file holds a
	                                 * path to it */
	AUDIT_ENTRY = 1 << 4,           /* where crossing starts: on some
	                                 * interpreter's path to it, nothing
	                                 * before it crosses (the rest are
	                                 * reached through such objects) */
};

/* How one interpreter reaches the object: a Python expression from its
 * roots ("sys.modules['m'].__dict__['x'][0]"), the shortest there is. */
struct audit_path {
	interp_id interp;
	const char *path;
};

struct audit_object {
	uintptr_t addr;
	const char *type;          /* its type's name */
	const char *preview;       /* a plain value's text, or NULL */
	interp_id owner;           /* the interpreter it belongs to, where
	                            * that can be told, else INTERP_NONE */
	const char *owner_how;     /* what tells it ("module dict of X",
	                            * "__globals__", "its class"), or NULL */
	unsigned flags;            /* enum audit_flag */
	const char *classification; /* "shared", "static", "immortal",
	                            * "distinct" (one interpreter), "unreachable" */
	interp_id *reachable_from; /* sorted */
	size_t nreachable;
	const char *static_root;   /* "file.so:symbol" for AUDIT_STATIC_ROOT */
	struct audit_path *paths;  /* one per interpreter that reaches it */
	size_t npaths;
};

struct audit {
	struct audit_object *objects; /* by type, then address */
	size_t nobjects;
	size_t harmless;           /* static or immortal objects two or more
	                            * interpreters reach (counted, not listed) */
	size_t visited;            /* objects walked, every interpreter */
	double seconds;            /* how long the walk took */
	bool budget_reached;       /* it stopped at its budget: the report
	                            * covers what was walked */
	const char *note;          /* how the walk was made safe, or NULL */
	struct strpool *pool;
};

/* Objects reachable from two or more of the interpreters (ids, n 0: all),
 * from the roots sys.modules or, with module names, those modules only.
 * Paths are spelled for the entries and dangerous objects, and for every
 * object with every_path (the rest are reached through the entries). */
int session_audit(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, struct audit **out,
    char **cause);

/* The same as JSON (docs/snapshot.md), straight to out. */
int session_audit_json(struct session *s, const char *const *modules,
    size_t nmod, const interp_id *ids, size_t n, bool every_path, FILE *out,
    char **cause);

/* Evaluate expr in an interpreter (INTERP_NONE: the current one) and report
 * that one object: every interpreter's path to it, owner, classification.
 * A Python error in expr is -1 with its text in *cause. */
int session_why(struct session *s, interp_id id, const char *expr,
    struct audit **out, char **cause);

void audit_free(struct audit *a);

/* ---------------------------------------------------------- processes */

/* This process is the host of a front end (`subrepl --host=FD`): serve
 * the session on the socket fd until the front end leaves; returns the
 * process's exit status. */
int session_host_serve(int fd);

/* Where the demo extension modules are (every interpreter's sys.path gets
 * it); malloc'd, or NULL when out of memory. Needs no session. */
char *session_demo_dir(void);

/* Whether a module in an interpreter's sys.modules is there for subrepl's
 * own machinery rather than the user's code: faulthandler in main, which
 * the engine enables for crash reports (python3 -c has no such module).
 * Front ends leave these out of their lists unless asked for all. */
bool session_own_module(interp_id id, const char *name);

/* Py_GetVersion() of the libpython this program is linked with; needs no
 * session (for --version). */
const char *session_linked_python(void);

/* "[2 worker isolated]": how prompts and reports name an interpreter. */
void interp_info_label(const struct interp_info *info, char *buf, size_t size);

void session_free_strings(char **v, size_t n);

#endif
