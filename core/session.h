/*
 * session.h: the only door from the front ends (repl/, ui/) into the engine.
 *
 * A session is a conversation with one embedded CPython runtime: requests go
 * in (create, switch, destroy an interpreter; run some source; complete a
 * name), plain-data results come out. No type here holds a Python object, so
 * the same API can be served in-process (session_open_inprocess) or, later,
 * by a supervised host process over a socket, without the front ends
 * noticing.
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

/* How the host died ("host died: SIGSEGV ... while running: ..."), or NULL
 * while it lives (and for in-process sessions). */
const char *session_host_death(struct session *s);

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

/* Stop the host (if it lives) and start a fresh one. */
int session_restart(struct session *s, char **cause);

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

/* Py_GetVersion() of the libpython this program is linked with; needs no
 * session (for --version). */
const char *session_linked_python(void);

/* "[2 worker isolated]": how prompts and reports name an interpreter. */
void interp_info_label(const struct interp_info *info, char *buf, size_t size);

void session_free_strings(char **v, size_t n);

#endif
