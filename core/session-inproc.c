/*
 * session-inproc.c: the session API served in this very process.
 *
 * The embedded runtime lives as long as the session. It is initialized
 * without Python's own signal handlers (the front end owns SIGINT and turns
 * it into session_interrupt; a host installs CPython's SIGINT handler behind
 * a filter, see interrupt.h), with sys.argv == [''] as in an interactive
 * `python3`, and with the user's environment (PYTHONPATH and friends) read
 * as usual. Only one in-process session can exist at a time: CPython's
 * runtime is process-global.
 */
#include "config.h"

#include "session.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cause.h"
#include "import.h"
#include "interp.h"
#include "interrupt.h"
#include "run.h"
#include "session-impl.h"
#include "snapshot-collect.h"
#include "snapshot.h"
#include "snapshot-json.h"
#include "audit.h"
#include "statics.h"

struct session_inproc {
	struct session base;     /* must be first */
	char version[32];        /* "3.12.1" */
};

static bool runtime_up;      /* one runtime per process */
static bool for_host;        /* serving a front end from a host process */

void
session_inproc_for_host(void)
{
	for_host = true;
}

static void
demo_dir_find(void)
{
	char *dir = session_demo_dir();

	interp_set_demo_dir(dir != NULL ? dir : DEMO_DIR);
	free(dir);
}

static int
runtime_start(char **cause)
{
	PyConfig config;
	PyStatus st;

	PyConfig_InitPythonConfig(&config);
	config.install_signal_handlers = 0;
	config.parse_argv = 0;
	config.user_site_directory = 1;
	if (for_host) {
		config.buffered_stdio = 0;  /* output reaches the front end live */
		config.faulthandler = 1;    /* tracebacks of a fatal signal */
	}
	/* The program name is the Python subrepl was built against: Python
	 * finds its prefix from it as that python does, sys.executable
	 * names it (subprocess and multiprocessing can start it), and no
	 * search of $PATH for a "subrepl" happens, which every new
	 * interpreter did again (strace: two dozen failed stat calls per
	 * %new). A relative name stays "subrepl". */
	st = PyConfig_SetBytesString(&config, &config.program_name,
	    PYTHON_EXECUTABLE[0] == '/' ? PYTHON_EXECUTABLE : "subrepl");
	if (!PyStatus_Exception(st)) {
		wchar_t *argv[] = { L"" };

		st = PyConfig_SetArgv(&config, 1, argv);
	}
	if (!PyStatus_Exception(st))
		st = Py_InitializeFromConfig(&config);
	PyConfig_Clear(&config);
	if (PyStatus_Exception(st)) {
		cause_set(cause, "cannot start Python %s: %s", PY_VERSION,
		    st.err_msg != NULL ? st.err_msg : "unknown error");
		return -1;
	}
	/* A host's steps in main get CPython's own Ctrl-C (interrupt.h); in
	 * a front end's own process, SIGINT is the front end's. */
	if (for_host)
		interrupt_sigint_install();
	return 0;
}

static struct interp *
lookup(interp_id id, char **cause)
{
	struct interp *it = id == INTERP_NONE ? interp_current() : interp_by_id(id);

	if (it == NULL)
		cause_set(cause, "no interpreter with id %lld", (long long)id);
	return it;
}

static void
inproc_close(struct session *s)
{
	interrupt_stop();
	interp_registry_fini();   /* leaves main entered */
	if (for_host)
		interrupt_sigint_remove();
	Py_FinalizeEx();
	runtime_up = false;
	interp_set_demo_dir(NULL);
	free(s);
}

/* The request that recreates an interpreter with this config. */
static void
request_of(const struct interp *it, struct interp_request *req)
{
	const struct interp_config *c = &it->config;

	memset(req, 0, sizeof *req);
	req->name = it->name[0] != '\0' ? it->name : NULL;
	req->preset = strcmp(c->preset, "isolated") == 0 ? PRESET_ISOLATED :
	    PRESET_LEGACY;
	if (strcmp(c->preset, "custom") == 0 || strcmp(c->preset, "isolated") == 0) {
		req->own_gil = c->own_gil ? FLAG_ON : FLAG_OFF;
		req->own_obmalloc = c->own_obmalloc ? FLAG_ON : FLAG_OFF;
		req->check_ext = c->check_ext ? FLAG_ON : FLAG_OFF;
		req->allow_fork = c->allow_fork ? FLAG_ON : FLAG_OFF;
		req->allow_exec = c->allow_exec ? FLAG_ON : FLAG_OFF;
		req->allow_threads = c->allow_threads ? FLAG_ON : FLAG_OFF;
		req->allow_daemon_threads = c->allow_daemon_threads ? FLAG_ON : FLAG_OFF;
	} else {
		req->own_gil = req->own_obmalloc = req->check_ext = FLAG_UNSET;
		req->allow_fork = req->allow_exec = FLAG_UNSET;
		req->allow_threads = req->allow_daemon_threads = FLAG_UNSET;
	}
}

static int
inproc_reinit(struct session *s, struct reinit_map **map, size_t *n,
    char **cause)
{
	struct interp_request *reqs;
	struct reinit_map *m;
	char (*names)[INTERP_NAME_MAX + 1];
	struct interp *it;
	interp_id was_current = interp_current()->id;
	size_t count = 0, i;

	(void)s;
	/* say what finalizing would wait for, rather than wait */
	if (interp_registry_check_fini(cause) != 0)
		return -1;
	for (it = interp_main()->next; it != NULL; it = it->next)
		count++;
	reqs = calloc(count + 1, sizeof *reqs);
	names = calloc(count + 1, sizeof *names);
	m = calloc(count + 1, sizeof *m);
	if (reqs == NULL || names == NULL || m == NULL) {
		free(reqs);
		free(names);
		free(m);
		cause_set(cause, "out of memory");
		return -1;
	}
	i = 0;
	for (it = interp_main()->next; it != NULL; it = it->next, i++) {
		request_of(it, &reqs[i]);
		memcpy(names[i], it->name, sizeof names[i]);
		reqs[i].name = names[i][0] != '\0' ? names[i] : NULL;
		m[i].old_id = it->id;
		m[i].new_id = INTERP_NONE;
	}

	interrupt_stop();
	interp_registry_fini();   /* leaves main entered */
	if (for_host)
		interrupt_sigint_remove();
	Py_FinalizeEx();
	/* a new runtime reuses ids, addresses and (3.12+) dict versions:
	 * nothing kept from the old one may be taken for the new */
	snapshot_kept_forget();
	if (runtime_start(cause) != 0) {
		/* Nothing can run any more; say so rather than pretend. */
		runtime_up = false;
		free(reqs);
		free(names);
		free(m);
		return -1;
	}
	interp_registry_init();
	if (interrupt_start(cause) != 0) {
		free(reqs);
		free(names);
		free(m);
		return -1;
	}
	for (i = 0; i < count; i++) {
		it = interp_create(&reqs[i], NULL);
		if (it == NULL)
			continue;
		m[i].new_id = it->id;
		if (m[i].old_id == was_current)
			interp_set_current(it);
	}
	free(reqs);
	free(names);
	*map = m;
	*n = count;
	return 0;
}

static const char *
inproc_python_version(struct session *s)
{
	return ((struct session_inproc *)s)->version;
}

static const char *
inproc_python_build(struct session *s)
{
	(void)s;
	return Py_GetVersion();
}

static bool
inproc_has_config(struct session *s)
{
	(void)s;
	return PY_VERSION_HEX >= 0x030C0000;
}

static int
inproc_list(struct session *s, struct interp_info **out, size_t *n, char **cause)
{
	struct interp *it;
	struct interp_info *v;
	size_t count = 0, i = 0;

	(void)s;
	for (it = interp_first(); it != NULL; it = it->next)
		count++;
	v = calloc(count, sizeof *v);
	if (v == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	for (it = interp_first(); it != NULL; it = it->next)
		interp_describe(it, &v[i++]);
	*out = v;
	*n = count;
	return 0;
}

static int
inproc_resolve(struct session *s, const char *ref, interp_id *id, char **cause)
{
	struct interp_info *v;
	struct interp *it;
	size_t n = 0, i = 0;
	int rc;

	(void)s;
	for (it = interp_first(); it != NULL; it = it->next)
		n++;
	v = calloc(n, sizeof *v);
	if (v == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	for (it = interp_first(); it != NULL; it = it->next, i++) {
		v[i].id = it->id;
		memcpy(v[i].name, it->name, sizeof v[i].name);
	}
	rc = session_resolve_in(v, n, ref, id, cause);
	free(v);
	return rc;
}

static int
inproc_info(struct session *s, interp_id id, struct interp_info *info,
    char **cause)
{
	struct interp *it = lookup(id, cause);

	(void)s;
	if (it == NULL)
		return -1;
	interp_describe(it, info);
	return 0;
}

static int
inproc_create(struct session *s, const struct interp_request *req,
    struct interp_info *info, char **cause)
{
	struct interp *it;

	(void)s;
	it = interp_create(req, cause);
	if (it == NULL)
		return -1;
	interp_set_current(it);
	if (info != NULL)
		interp_describe(it, info);
	return 0;
}

static int
inproc_use(struct session *s, interp_id id, char **cause)
{
	struct interp *it = lookup(id, cause);

	(void)s;
	if (it == NULL)
		return -1;
	interp_set_current(it);
	return 0;
}

static int
inproc_destroy(struct session *s, interp_id id, char **cause)
{
	struct interp *it = lookup(id, cause);

	(void)s;
	if (it == NULL)
		return -1;
	return interp_destroy(it, cause);
}

static interp_id
inproc_current(struct session *s)
{
	(void)s;
	return interp_current()->id;
}

static int
inproc_run(struct session *s, interp_id id, const char *source,
    enum run_mode mode, struct run_result *result, char **cause)
{
	struct interp *it = lookup(id, cause);

	(void)s;
	if (it == NULL)
		return -1;
	run_in(it, source, mode, result);
	return 0;
}

static int
inproc_complete(struct session *s, interp_id id, const char *text,
    char ***out, size_t *n, char **cause)
{
	struct interp *it = lookup(id, cause);

	(void)s;
	if (it == NULL)
		return -1;
	return run_complete(it, text, out, n, cause);
}

static int
inproc_import(struct session *s, const char *name, const char *path,
    const interp_id *ids, size_t n, struct import_report *reports,
    char **cause)
{
	(void)s;
	return import_run(name, path, ids, n, reports, cause);
}

/* "sys.modules['M'].__dict__['A']..." into its module and attribute; false
 * for a path that does not start so. */
static bool
path_attr(const char *path, char *mod, size_t msize, char *attr, size_t asize)
{
	const char *p = path;
	size_t n;

	if (strncmp(p, "sys.modules['", 13) != 0)
		return false;
	p += 13;
	n = strcspn(p, "'\\");
	if (p[n] != '\'' || n >= msize)
		return false;
	memcpy(mod, p, n);
	mod[n] = '\0';
	p += n;
	if (strncmp(p, "'].__dict__['", 13) != 0)
		return false;
	p += 13;
	n = strcspn(p, "'\\");
	if (p[n] != '\'' || n >= asize)
		return false;
	memcpy(attr, p, n);
	attr[n] = '\0';
	return true;
}

/* A deep snapshot: the audit of the same modules tells which distinct
 * attributes reach shared objects, by the paths of the objects where
 * crossing starts (AUDIT_ENTRY). Only those: once a copied function leaks
 * main's module, everything of main is reachable from elsewhere, and
 * marking every attribute on the way would blame the victims (sys, os)
 * instead of the module that leaks. A path through a sys.modules dict
 * does not count either: every module reaches every other that way (its
 * __loader__'s class's functions have globals that hold sys). */
static int
mark_holders(struct snapshot *snap, char **cause)
{
	const char **names;
	struct audit *a;
	size_t i, j, k;
	char mod[256], attr[256];

	names = calloc(snap->nmodules + 1, sizeof *names);
	if (names == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	for (i = 0; i < snap->nmodules; i++)
		names[i] = snap->modules[i].name;
	if (snap->nmodules == 0 ||
	    audit_collect(names, snap->nmodules, NULL, 0, false, &a,
	    cause) != 0) {
		free(names);
		return snap->nmodules == 0 ? 0 : -1;
	}
	free(names);
	for (i = 0; i < a->nobjects; i++) {
		if (strcmp(a->objects[i].classification, "shared") != 0 ||
		    (a->objects[i].flags & AUDIT_ENTRY) == 0)
			continue;
		for (j = 0; j < a->objects[i].npaths; j++) {
			struct snap_module *m;

			if (strstr(a->objects[i].paths[j].path,
			    "__dict__['modules'][") != NULL ||
			    !path_attr(a->objects[i].paths[j].path, mod, sizeof mod,
			    attr, sizeof attr) ||
			    (m = (struct snap_module *)snapshot_module(snap,
			    mod)) == NULL)
				continue;
			for (k = 0; k < m->nattrs; k++) {
				if (m->attrs[k].sharing == SHARING_DISTINCT &&
				    !m->attrs[k].holds_shared &&
				    strcmp(m->attrs[k].name, attr) == 0 &&
				    snap_module_own(m) == 0)
					m->attrs[k].holds_shared = true;
			}
		}
	}
	audit_free(a);
	return 0;
}

static int
inproc_snapshot(struct session *s, const struct snap_filter *filter,
    struct snapshot **out, char **cause)
{
	struct snapshot *snap;

	if (snapshot_collect(filter, &snap, cause) != 0)
		return -1;
	/* the rows it marks lose their stamps (snap_module_own): a row with
	 * a stamp is never marked */
	if (filter->deep && filter->with_attrs && mark_holders(snap, cause) != 0) {
		snapshot_free(snap);
		return -1;
	}
	snap->python_version = strdup(inproc_python_version(s));
	if (snap->python_version == NULL ||
	    inproc_list(s, &snap->interps, &snap->ninterps, cause) != 0) {
		snapshot_free(snap);
		cause_set(cause, "out of memory");
		return -1;
	}
	*out = snap;
	return 0;
}

static int
inproc_snapshot_json(struct session *s, const struct snap_filter *filter,
    FILE *out, char **cause)
{
	struct snapshot *snap;
	int rc;

	if (inproc_snapshot(s, filter, &snap, cause) != 0)
		return -1;
	rc = snapshot_write_json(snap, out);
	snapshot_free(snap);
	if (rc != 0)
		cause_set(cause, "writing failed");
	return rc;
}

static void
inproc_interrupt(struct session *s, bool terminal)
{
	(void)s;
	(void)terminal;
	interrupt_request();
}

static int
inproc_statics(struct session *s, const char *const *names, size_t n,
    struct statics **out, char **cause)
{
	(void)s;
	return statics_collect(names, n, out, cause);
}

static int
inproc_statics_json(struct session *s, const char *const *names, size_t n,
    FILE *out, char **cause)
{
	struct statics *st;
	int rc;

	if (inproc_statics(s, names, n, &st, cause) != 0)
		return -1;
	rc = statics_write_json(st, out);
	statics_free(st);
	if (rc != 0)
		cause_set(cause, "writing failed");
	return rc;
}

static int
inproc_audit(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, struct audit **out,
    char **cause)
{
	(void)s;
	return audit_collect(modules, nmod, ids, n, every_path, out, cause);
}

static int
inproc_audit_json(struct session *s, const char *const *modules, size_t nmod,
    const interp_id *ids, size_t n, bool every_path, FILE *out, char **cause)
{
	struct audit *a;
	int rc;

	if (inproc_audit(s, modules, nmod, ids, n, every_path, &a, cause) != 0)
		return -1;
	rc = audit_write_json(a, out);
	audit_free(a);
	if (rc != 0)
		cause_set(cause, "writing failed");
	return rc;
}

static int
inproc_why(struct session *s, interp_id id, const char *expr,
    struct audit **out, char **cause)
{
	struct interp *it = id == INTERP_NONE ? interp_current() :
	    interp_by_id(id);

	(void)s;
	if (it == NULL) {
		cause_set(cause, "no interpreter with id %lld", (long long)id);
		return -1;
	}
	return audit_why(it, expr, out, cause);
}

static const struct session_ops inproc_ops = {
	.close = inproc_close,
	.python_version = inproc_python_version,
	.python_build = inproc_python_build,
	.has_config = inproc_has_config,
	.list = inproc_list,
	.resolve = inproc_resolve,
	.info = inproc_info,
	.create = inproc_create,
	.use = inproc_use,
	.destroy = inproc_destroy,
	.current = inproc_current,
	.reinit = inproc_reinit,
	.run = inproc_run,
	.complete = inproc_complete,
	.import = inproc_import,
	.snapshot = inproc_snapshot,
	.snapshot_json = inproc_snapshot_json,
	.statics = inproc_statics,
	.statics_json = inproc_statics_json,
	.audit = inproc_audit,
	.audit_json = inproc_audit_json,
	.why = inproc_why,
	.interrupt = inproc_interrupt,
};

const char *
session_linked_python(void)
{
	return Py_GetVersion();
}

struct session *
session_open_inprocess(char **cause)
{
	struct session_inproc *s;
	const char *v;
	size_t len;

	if (runtime_up) {
		cause_set(cause, "an in-process session is already open "
		    "(CPython's runtime is one per process)");
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (s == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	s->base.ops = &inproc_ops;
	if (runtime_start(cause) != 0) {
		free(s);
		return NULL;
	}
	runtime_up = true;
	v = Py_GetVersion();
	len = strcspn(v, " ");
	if (len >= sizeof s->version)
		len = sizeof s->version - 1;
	memcpy(s->version, v, len);
	demo_dir_find();
	interp_registry_init();   /* releases the GIL */
	if (interrupt_start(cause) != 0) {
		inproc_close(&s->base);
		return NULL;
	}
	return &s->base;
}
