/*
 * interp.c: the registry of interpreters: create, find, enter, leave,
 * destroy.
 *
 * The registry is a singly linked list sorted by CPython's interpreter id,
 * main first. Names are optional and unique; main is always "main". Ids are
 * never reused by CPython, so an id found in the registry names one
 * interpreter for the whole life of the runtime.
 *
 * Thread-state discipline (see interp.h): between calls nothing is held.
 * Creating an interpreter is done from main (its GIL held); CPython returns
 * with the new interpreter's GIL held and its thread state current, and we
 * release it at once. Py_EndInterpreter leaves the thread with no thread
 * state; for an interpreter that shared the main GIL that GIL is still held
 * (we re-attach main's thread state and release it), an own GIL is gone with
 * its interpreter.
 */
#include "config.h"

#include "interp.h"

#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "audit.h"
#include "import.h"
#include "interrupt.h"

static struct interp *registry;   /* sorted by id, main first */
static struct interp *current;    /* where plain Python lines run */
static char *demo_dir;            /* appended to every sys.path, or NULL */

void
interp_set_demo_dir(const char *dir)
{
	free(demo_dir);
	demo_dir = dir != NULL ? strdup(dir) : NULL;
}

/* Make the demo modules importable in the interpreter whose GIL we hold.
 * Appended, so a user's module of the same name wins. */
static void
path_add_demo(void)
{
	PyObject *path, *dir;

	if (demo_dir == NULL)
		return;
	path = PySys_GetObject("path"); /* borrowed */
	dir = PyUnicode_DecodeFSDefault(demo_dir);
	if (path == NULL || dir == NULL || !PyList_Check(path) ||
	    PyList_Append(path, dir) != 0)
		PyErr_Clear();
	Py_XDECREF(dir);
}

static void
registry_insert(struct interp *it)
{
	struct interp **pp = &registry;

	while (*pp != NULL && (*pp)->id < it->id)
		pp = &(*pp)->next;
	it->next = *pp;
	*pp = it;
}

static void
registry_remove(struct interp *it)
{
	struct interp **pp = &registry;

	while (*pp != NULL && *pp != it)
		pp = &(*pp)->next;
	if (*pp != NULL)
		*pp = it->next;
}

static void
config_main(struct interp_config *c)
{
	/* The main interpreter owns the main GIL and allocator, which legacy
	 * sub-interpreters share (CPython creates it with the legacy config
	 * and PyInterpreterConfig_OWN_GIL, and get_interp_settings() says so);
	 * no extension checks. */
	memset(c, 0, sizeof *c);
	strcpy(c->preset, "legacy");
	c->own_gil = true;
	c->own_obmalloc = true;
	c->allow_fork = c->allow_exec = true;
	c->allow_threads = c->allow_daemon_threads = true;
}

void
interp_registry_init(void)
{
	struct interp *it = calloc(1, sizeof *it);

	if (it == NULL)
		abort(); /* at start-up, before anything is worth saving */
	it->tstate = PyThreadState_Get();
	it->id = PyInterpreterState_GetID(it->tstate->interp);
	strcpy(it->name, "main");
	config_main(&it->config);
	registry_insert(it);
	current = it;
	path_add_demo();
	PyEval_SaveThread();
}

struct interp *
interp_first(void)
{
	return registry;
}

struct interp *
interp_main(void)
{
	return registry; /* id 0 sorts first */
}

struct interp *
interp_current(void)
{
	return current;
}

void
interp_set_current(struct interp *it)
{
	current = it;
}

struct interp *
interp_by_id(interp_id id)
{
	struct interp *it;

	for (it = registry; it != NULL; it = it->next) {
		if (it->id == id)
			return it;
	}
	return NULL;
}

struct interp *
interp_by_name(const char *name)
{
	struct interp *it;

	for (it = registry; it != NULL; it = it->next) {
		if (it->name[0] != '\0' && strcmp(it->name, name) == 0)
			return it;
	}
	return NULL;
}

void
interp_enter(struct interp *it)
{
	PyEval_RestoreThread(it->tstate);
}

void
interp_leave(struct interp *it)
{
	PyThreadState *ts = PyEval_SaveThread();

	(void)ts;
	(void)it;
}

int
interp_name_check(const char *name, char **cause)
{
	size_t i, len = strlen(name);
	bool digits = true;

	if (len == 0) {
		cause_set(cause, "an interpreter name cannot be empty");
		return -1;
	}
	if (len > INTERP_NAME_MAX) {
		cause_set(cause, "name '%.40s...' is too long (at most %d characters)",
		    name, INTERP_NAME_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c >= '0' && c <= '9')
			continue;
		digits = false;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (i > 0 && (c == '-' || c == '.')))
			continue;
		cause_set(cause, "invalid name '%s': use letters, digits, '_', "
		    "'-' and '.', starting with a letter or '_'", name);
		return -1;
	}
	if (digits) {
		cause_set(cause, "invalid name '%s': a name cannot be all digits "
		    "(those are interpreter ids)", name);
		return -1;
	}
	if (name[0] >= '0' && name[0] <= '9') {
		cause_set(cause, "invalid name '%s': start it with a letter or '_'",
		    name);
		return -1;
	}
	if (interp_by_name(name) != NULL) {
		cause_set(cause, "an interpreter named '%s' already exists (id %lld)",
		    name, (long long)interp_by_name(name)->id);
		return -1;
	}
	return 0;
}

#if PY_VERSION_HEX >= 0x030C0000
static bool
flag_value(enum config_flag f, bool preset_value)
{
	return f == FLAG_UNSET ? preset_value : f == FLAG_ON;
}
#endif

/* Resolve the request into the config CPython gets, or refuse what this
 * Python cannot do. */
static int
config_resolve(const struct interp_request *req, struct interp_config *c,
    char **cause)
{
	bool isolated = req->preset == PRESET_ISOLATED;
	bool custom = false;

	memset(c, 0, sizeof *c);
#if PY_VERSION_HEX >= 0x030C0000
	c->own_gil = flag_value(req->own_gil, isolated);
	c->own_obmalloc = flag_value(req->own_obmalloc, isolated);
	c->check_ext = flag_value(req->check_ext, isolated);
	c->allow_fork = flag_value(req->allow_fork, !isolated);
	c->allow_exec = flag_value(req->allow_exec, !isolated);
	c->allow_threads = flag_value(req->allow_threads, true);
	c->allow_daemon_threads = flag_value(req->allow_daemon_threads, !isolated);
	custom = c->own_gil != isolated || c->own_obmalloc != isolated ||
	    c->check_ext != isolated || c->allow_fork == isolated ||
	    c->allow_exec == isolated || !c->allow_threads ||
	    c->allow_daemon_threads == isolated;
	/* Documented constraints of PyInterpreterConfig. We check them first
	 * because 3.12.1 does not check the first at all and aborts the process
	 * ("drop_gil: GIL is not locked") on its way out of refusing the
	 * second. */
	if (c->own_gil && !c->own_obmalloc) {
		cause_set(cause, "an own GIL needs an own allocator: add "
		    "--own-obmalloc or use --shared-gil");
		return -1;
	}
	if (c->own_obmalloc && !c->check_ext) {
		cause_set(cause, "an own allocator needs --check-ext (per-interpreter "
		    "obmalloc does not support single-phase init extension "
		    "modules): add --check-ext or use --shared-obmalloc");
		return -1;
	}
#else
	if (isolated || req->own_gil != FLAG_UNSET ||
	    req->own_obmalloc != FLAG_UNSET || req->check_ext != FLAG_UNSET ||
	    req->allow_fork != FLAG_UNSET || req->allow_exec != FLAG_UNSET ||
	    req->allow_threads != FLAG_UNSET ||
	    req->allow_daemon_threads != FLAG_UNSET) {
		cause_set(cause, "interpreter configs need Python 3.12 or newer "
		    "(this is %s): only legacy interpreters here", PY_VERSION);
		return -1;
	}
	c->allow_fork = c->allow_exec = true;
	c->allow_threads = c->allow_daemon_threads = true;
#endif
	strcpy(c->preset, custom ? "custom" : isolated ? "isolated" : "legacy");
	return 0;
}

/* Create the interpreter from main; returns its thread state, current and
 * holding its GIL, or NULL with main's thread state current again. */
static PyThreadState *
create_from_main(const struct interp_config *c, char **cause)
{
	PyThreadState *ts = NULL;

#if PY_VERSION_HEX >= 0x030C0000
	PyInterpreterConfig pc = {
		.use_main_obmalloc = !c->own_obmalloc,
		.allow_fork = c->allow_fork,
		.allow_exec = c->allow_exec,
		.allow_threads = c->allow_threads,
		.allow_daemon_threads = c->allow_daemon_threads,
		.check_multi_interp_extensions = c->check_ext,
		.gil = c->own_gil ? PyInterpreterConfig_OWN_GIL :
		    PyInterpreterConfig_SHARED_GIL,
	};
	PyStatus st = Py_NewInterpreterFromConfig(&ts, &pc);

	if (PyStatus_Exception(st)) {
		cause_set(cause, "CPython refused the interpreter: %s",
		    st.err_msg != NULL ? st.err_msg : "no reason given");
		return NULL;
	}
#else
	(void)c;
	ts = Py_NewInterpreter();
	if (ts == NULL) {
		if (PyErr_Occurred()) {
			PyObject *exc = PyErr_Occurred();
			cause_set(cause, "Py_NewInterpreter failed: %s",
			    ((PyTypeObject *)exc)->tp_name);
			PyErr_Clear();
		} else
			cause_set(cause, "Py_NewInterpreter failed");
		return NULL;
	}
#endif
	return ts;
}

struct interp *
interp_create(const struct interp_request *req, char **cause)
{
	struct interp_config config;
	struct interp *it;
	PyThreadState *ts;

	if (req->name != NULL && interp_name_check(req->name, cause) != 0)
		return NULL;
	if (config_resolve(req, &config, cause) != 0)
		return NULL;
	it = calloc(1, sizeof *it);
	if (it == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}

	interp_enter(interp_main());
	ts = create_from_main(&config, cause);
	if (ts == NULL) {
		interp_leave(interp_main());
		free(it);
		return NULL;
	}
	it->tstate = ts;
	it->id = PyInterpreterState_GetID(ts->interp);
	it->config = config;
	if (req->name != NULL)
		strcpy(it->name, req->name);
	path_add_demo();
	/* Releases the new interpreter's GIL (main's was released by CPython
	 * already if the new one has its own). */
	PyEval_SaveThread();
	registry_insert(it);
	return it;
}

/* Thread states of the interpreter besides ours: Py_EndInterpreter is a
 * fatal error while any exist. The caller has entered the interpreter. */
static long
other_threads(struct interp *it)
{
	PyThreadState *ts;
	long n = 0;

	for (ts = PyInterpreterState_ThreadHead(it->tstate->interp); ts != NULL;
	    ts = PyThreadState_Next(ts)) {
		if (ts != it->tstate)
			n++;
	}
	return n;
}

/* Refuse to end a sub-interpreter that still runs threads; the caller
 * has entered it. */
static int
threads_check(struct interp *it, char **cause)
{
	long n = other_threads(it);

	if (n == 0)
		return 0;
	cause_set(cause, "interpreter %lld still runs %ld other thread%s: "
	    "stop %s first (Py_EndInterpreter would abort the process)",
	    (long long)it->id, n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
	return -1;
}

int
interp_destroy(struct interp *it, char **cause)
{
	bool shared_gil = !it->config.own_gil;

	if (it == interp_main()) {
		cause_set(cause, "the main interpreter cannot be destroyed "
		    "(use %%quit to end the session)");
		return -1;
	}
	/* No interrupt may be delivered into an interpreter being torn down. */
	interrupt_block();
	interp_enter(it);
	if (threads_check(it, cause) != 0) {
		interp_leave(it);
		interrupt_unblock();
		return -1;
	}
	import_remember_defs(it);
	audit_remember_destroyed(it);
	Py_CLEAR(it->completer);
	Py_EndInterpreter(it->tstate);
	if (shared_gil) {
		/* The main GIL is still ours, with no thread state attached. */
		PyThreadState_Swap(interp_main()->tstate);
		PyEval_SaveThread();
	}
	interrupt_unblock();

	registry_remove(it);
	if (current == it)
		current = interp_main();
	free(it);
	return 0;
}

/* The non-daemon threading.Thread objects of main besides ours, which
 * Py_FinalizeEx joins (threading._shutdown); the first one's name into
 * name. The caller has entered main. */
static long
non_daemon_threads(char *name, size_t size)
{
	PyObject *modules = PySys_GetObject("modules"); /* borrowed */
	PyObject *threading, *all = NULL, *main_thread = NULL;
	Py_ssize_t i;
	long n = 0;

	name[0] = '\0';
	threading = modules != NULL && PyDict_Check(modules) ?
	    PyDict_GetItemString(modules, "threading") : NULL; /* borrowed */
	if (threading == NULL)
		return 0; /* no threading, no thread it would join */
	all = PyObject_CallMethod(threading, "enumerate", NULL);
	main_thread = PyObject_CallMethod(threading, "main_thread", NULL);
	for (i = 0; all != NULL && main_thread != NULL && PyList_Check(all) &&
	    i < PyList_GET_SIZE(all); i++) {
		PyObject *t = PyList_GET_ITEM(all, i); /* borrowed */
		PyObject *daemon, *tname;
		const char *text;

		if (t == main_thread)
			continue;
		daemon = PyObject_GetAttrString(t, "daemon");
		if (daemon != NULL && daemon == Py_False && n++ == 0 &&
		    (tname = PyObject_GetAttrString(t, "name")) != NULL) {
			if ((text = PyUnicode_AsUTF8(tname)) != NULL)
				snprintf(name, size, "%s", text);
			Py_DECREF(tname);
		}
		Py_XDECREF(daemon);
		PyErr_Clear();
	}
	PyErr_Clear();
	Py_XDECREF(all);
	Py_XDECREF(main_thread);
	return n;
}

int
interp_registry_check_fini(char **cause)
{
	struct interp *it;
	char name[128];
	long n;
	int rc = 0;

	for (it = interp_main()->next; it != NULL && rc == 0; it = it->next) {
		interp_enter(it);
		rc = threads_check(it, cause);
		interp_leave(it);
	}
	if (rc != 0)
		return -1;
	interp_enter(interp_main());
	n = non_daemon_threads(name, sizeof name);
	interp_leave(interp_main());
	if (n == 1)
		cause_set(cause, "a non-daemon thread is running in interpreter 0 "
		    "(main): join it first, or finalizing would wait for it "
		    "('%s')", name);
	else if (n > 1)
		cause_set(cause, "%ld non-daemon threads are running in "
		    "interpreter 0 (main): join them first, or finalizing would "
		    "wait for them ('%s', ...)", n, name);
	return n > 0 ? -1 : 0;
}

void
interp_registry_fini(void)
{
	struct interp *it, *next;

	/* one that refuses (its threads still run) is left to Py_FinalizeEx
	 * rather than tried again for ever */
	for (it = interp_main()->next; it != NULL; it = next) {
		next = it->next;
		interp_destroy(it, NULL);
	}
	it = interp_main();
	interp_enter(it);
	Py_CLEAR(it->completer);
	registry = NULL;
	current = NULL;
	free(it);
}

long
interp_module_count(struct interp *it)
{
	PyObject *modules = PySys_GetObject("modules"); /* borrowed */

	(void)it;
	if (modules == NULL || !PyDict_Check(modules))
		return -1;
	return (long)PyDict_Size(modules);
}

void
interp_describe(struct interp *it, struct interp_info *info)
{
	memset(info, 0, sizeof *info);
	info->id = it->id;
	memcpy(info->name, it->name, sizeof info->name);
	info->config = it->config;
	info->current = it == current;
	interp_enter(it);
	info->modules = interp_module_count(it);
	interp_leave(it);
}
