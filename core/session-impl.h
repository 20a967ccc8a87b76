/*
 * session-impl.h: what an implementation of the session API provides
 * (core-internal). One vtable per implementation; the public functions in
 * session.c check a slot and call it, and answer for an optional slot
 * an implementation leaves out.
 */
#ifndef SUBREPL_SESSION_IMPL_H
#define SUBREPL_SESSION_IMPL_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdio.h>

#include "session.h"

/* The lowest descriptor the engine takes for itself (the host's socket,
 * the interrupt pipe): the small ones are left to Python, whose
 * os.close() acts on the whole process, as the documentation warns. */
#define ENGINE_FD_MIN 100

struct session_ops {
	/* Tear everything down and free the session. */
	void (*close)(struct session *s);
	/* Static strings describing the embedded Python. */
	const char *(*python_version)(struct session *s);
	const char *(*python_build)(struct session *s);
	/* Whether Py_NewInterpreterFromConfig exists (3.12+). */
	bool (*has_config)(struct session *s);
	/* The registry as plain rows, sorted by id. */
	int (*list)(struct session *s, struct interp_info **out, size_t *n, char **cause);
	/* "ID" or "NAME" to an id, cheaply (no module counts), or -1 with
	 * *cause naming what exists. */
	int (*resolve)(struct session *s, const char *ref, interp_id *id,
	    char **cause);
	/* One row. */
	int (*info)(struct session *s, interp_id id, struct interp_info *info,
	    char **cause);
	/* Create, switch, destroy. */
	int (*create)(struct session *s, const struct interp_request *req,
	    struct interp_info *info, char **cause);
	int (*use)(struct session *s, interp_id id, char **cause);
	int (*destroy)(struct session *s, interp_id id, char **cause);
	interp_id (*current)(struct session *s);
	/* Finalize and initialize the runtime again. */
	int (*reinit)(struct session *s, struct reinit_map **map, size_t *n,
	    char **cause);
	/* One step of source. */
	int (*run)(struct session *s, interp_id id, const char *source,
	    enum run_mode mode, struct run_result *result, char **cause);
	/* Name completion in an interpreter. */
	int (*complete)(struct session *s, interp_id id, const char *text,
	    char ***out, size_t *n, char **cause);
	/* Import into interpreters (import.h). */
	int (*import)(struct session *s, const char *name, const char *path,
	    const interp_id *ids, size_t n, struct import_report *reports,
	    char **cause);
	/* The sharing map (snapshot.h). */
	int (*snapshot)(struct session *s, const struct snap_filter *filter,
	    struct snapshot **out, char **cause);
	/* The snapshot's JSON text written to out. */
	int (*snapshot_json)(struct session *s, const struct snap_filter *filter,
	    FILE *out, char **cause);
	/* The writable data of loaded files (statics.h), as data and as
	 * JSON text. */
	int (*statics)(struct session *s, const char *const *names, size_t n,
	    struct statics **out, char **cause);
	int (*statics_json)(struct session *s, const char *const *names,
	    size_t n, FILE *out, char **cause);
	/* Objects several interpreters reach (audit.h), as data and JSON;
	 * one object's paths and owner. */
	int (*audit)(struct session *s, const char *const *modules,
	    size_t nmod, const interp_id *ids, size_t n, bool every_path,
	    struct audit **out, char **cause);
	int (*audit_json)(struct session *s, const char *const *modules,
	    size_t nmod, const interp_id *ids, size_t n, bool every_path,
	    FILE *out, char **cause);
	int (*why)(struct session *s, interp_id id, const char *expr,
	    struct audit **out, char **cause);
	/* Async-signal-safe interrupt of the running step; terminal: it is
	 * the terminal's Ctrl-C (the host's process had its SIGINT too). */
	void (*interrupt)(struct session *s, bool terminal);

	/* Optional slots: only a session served by a host process has them
	 * (session.c answers for the others: no host, no bound). */
	/* %timeout: bound every step. */
	int (*set_timeout)(struct session *s, double seconds, char **cause);
	double (*timeout)(struct session *s);
	/* session_read_ahead: a host reads while the user pauses. */
	int (*read_ahead)(struct session *s, const struct snap_filter *filter,
	    const int *stop_fds, size_t nstop, char **cause);
	/* Called while a request waits for the host. */
	void (*set_idle)(struct session *s, void (*idle)(void *arg), void *arg);
	/* The host's output between requests: what to watch, and copying it. */
	int (*output_fds)(struct session *s, int fds[2]);
	bool (*output_copy)(struct session *s);
	/* The host process: its pid, a fresh one, how it died (and whether
	 * during a request), its last words, what it was doing, how long it
	 * has lived. */
	pid_t (*host_pid)(struct session *s);
	int (*restart)(struct session *s, char **cause);
	/* End the host before close: how it ended (session_stop). */
	int (*stop)(struct session *s, char **cause);
	const char *(*death)(struct session *s);
	bool (*died_in_step)(struct session *s);
	char *(*last_words)(struct session *s);
	const char *(*step)(struct session *s);
	long (*uptime)(struct session *s);
};

/* In-process sessions opened after this serve a host process: Python's
 * stdio unbuffered (fd 1 and 2 are pipes read live) and faulthandler on. */
void session_inproc_for_host(void);

/* Resolve "ID" or "NAME" among rows (for implementations' resolve). */
int session_resolve_in(const struct interp_info *v, size_t n, const char *ref,
    interp_id *id, char **cause);

struct session {
	const struct session_ops *ops;   /* the implementation */
};

#endif
