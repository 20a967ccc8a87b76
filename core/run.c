/*
 * run.c: running source in an interpreter the way the interactive
 * interpreter does, and completing names there.
 *
 * Incomplete input is decided by each interpreter's own
 * codeop.CommandCompiler (the object code.InteractiveConsole uses): it
 * returns None for "needs more", raises SyntaxError for invalid input, and
 * remembers `from __future__` imports across steps. The code object runs in
 * that interpreter's __main__; in "single" mode expression values go through
 * sys.displayhook, so `_` and the printing are Python's own.
 *
 * SystemExit never reaches PyErr_Print (which would exit the whole process):
 * it becomes a RUN_EXIT outcome and the front end decides.
 *
 * Memory: a step that runs out of it little by little leaves none to
 * report the MemoryError with. The host holds a reserve back
 * (run_reserve_hold) that such a step gives up before its traceback is
 * printed; with no room even then, the report is one fixed line, because
 * CPython's own fallback when printing fails (_PyObject_Dump) takes the
 * GIL through PyGILState_Ensure, which waits forever in a legacy
 * sub-interpreter: the GIL it waits for is the one this thread holds.
 */
#include "config.h"

#include "run.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cause.h"
#include "interrupt.h"

/* What the reserve holds back, and the room a MemoryError's report needs. */
#define RESERVE_SIZE (8u << 20)
#define REPORT_ROOM (4u << 20)

static PyThreadState *volatile active;
static void *reserve;        /* memory held back for a MemoryError, or NULL */

void
run_reserve_hold(void)
{
	void *p;

	if (reserve != NULL)
		return;
	p = mmap(NULL, RESERVE_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		reserve = p;
}

/* Whether size bytes of address space could be had now. */
static bool
memory_room(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return false;
	munmap(p, size);
	return true;
}

PyThreadState *
run_active_tstate(void)
{
	return active;
}

void
run_set_active(PyThreadState *ts)
{
	active = ts;
}

/* Run `text` as a module-level script in a fresh namespace of the current
 * interpreter and return the value it left in `result` (a new reference). */
static PyObject *
eval_helper(const char *text)
{
	PyObject *ns, *builtins, *res, *value = NULL;

	ns = PyDict_New();
	if (ns == NULL)
		return NULL;
	builtins = PyEval_GetBuiltins(); /* borrowed */
	if (builtins == NULL || PyDict_SetItemString(ns, "__builtins__", builtins) != 0)
		goto out;
	res = PyRun_String(text, Py_file_input, ns, ns);
	if (res == NULL)
		goto out;
	Py_DECREF(res);
	value = PyDict_GetItemString(ns, "result"); /* borrowed */
	Py_XINCREF(value);
out:
	Py_DECREF(ns);
	return value;
}

static PyObject *
compiler_get(struct interp *it)
{
	if (it->compiler == NULL)
		it->compiler = eval_helper(
		    "import codeop\n"
		    "result = codeop.CommandCompiler()\n");
	return it->compiler;
}

static PyObject *
main_dict(void)
{
	PyObject *m = PyImport_AddModule("__main__"); /* borrowed */

	return m == NULL ? NULL : PyModule_GetDict(m);
}

static void
flush_stream(const char *name)
{
	PyObject *f = PySys_GetObject(name); /* borrowed */
	PyObject *r;

	if (f == NULL || f == Py_None)
		return;
	r = PyObject_CallMethod(f, "flush", NULL);
	if (r == NULL)
		PyErr_Clear();
	Py_XDECREF(r);
}

/* The exit status SystemExit asks for, printing a non-integer code to
 * sys.stderr as the interpreter does. Clears the exception. */
static PyObject *
take_raised(void)
{
#if PY_VERSION_HEX >= 0x030C0000
	return PyErr_GetRaisedException();
#else
	PyObject *type, *value, *tb;

	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (value != NULL && tb != NULL)
		PyException_SetTraceback(value, tb);
	Py_XDECREF(type);
	Py_XDECREF(tb);
	return value;
#endif
}

static int
system_exit_code(void)
{
	PyObject *exc = take_raised();
	PyObject *code = exc == NULL ? NULL : PyObject_GetAttrString(exc, "code");
	int status = 0;

	if (code == NULL) {
		PyErr_Clear();
		status = 1;
	} else if (code == Py_None) {
		status = 0;
	} else if (PyLong_Check(code)) {
		status = (int)PyLong_AsLong(code);
		if (PyErr_Occurred()) {
			PyErr_Clear();
			status = 1;
		}
	} else {
		PyObject *err = PySys_GetObject("stderr"); /* borrowed */

		if (err != NULL && err != Py_None &&
		    PyFile_WriteObject(code, err, Py_PRINT_RAW) == 0)
			PyFile_WriteString("\n", err);
		PyErr_Clear();
		status = 1;
	}
	Py_XDECREF(code);
	Py_XDECREF(exc);
	return status;
}

/* Turn the raised exception into an outcome, printing what Python would. */
static enum run_outcome
report_exception(struct run_result *r, bool compiling)
{
	if (PyErr_ExceptionMatches(PyExc_SystemExit)) {
		r->exit_code = system_exit_code();
		return RUN_EXIT;
	}
	if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
		PyErr_Print();
		return RUN_INTERRUPTED;
	}
	if (PyErr_ExceptionMatches(PyExc_MemoryError)) {
		if (reserve != NULL) {
			munmap(reserve, RESERVE_SIZE);
			reserve = NULL;
		}
		if (!memory_room(REPORT_ROOM)) {
			static const char line[] = "MemoryError (no memory left to "
			    "print its traceback)\n";
			ssize_t n;

			Py_XDECREF(take_raised());
			n = write(STDERR_FILENO, line, sizeof line - 1);
			(void)n;
			return compiling ? RUN_SYNTAX_ERROR : RUN_EXCEPTION;
		}
	}
	if (compiling) {
		/* Like code.InteractiveConsole.showsyntaxerror: the frames of
		 * codeop are noise, the error's own location is the message. */
		PyObject *exc = take_raised();

		if (exc != NULL) {
			PyException_SetTraceback(exc, Py_None);
			PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, NULL);
		}
		PyErr_Print();
		return RUN_SYNTAX_ERROR;
	}
	PyErr_Print();
	return RUN_EXCEPTION;
}

void
run_in(struct interp *it, const char *source, enum run_mode mode,
    struct run_result *r)
{
	PyObject *compiler, *code, *globals, *value;

	memset(r, 0, sizeof *r);
	r->interp = it->id;
	interp_enter(it);
	interrupt_discard(it);

	compiler = compiler_get(it);
	if (compiler == NULL) {
		r->outcome = report_exception(r, true);
		goto out;
	}
	code = PyObject_CallFunction(compiler, "sss", source, "<stdin>",
	    mode == RUN_INTERACTIVE ? "single" : "exec");
	if (code == NULL) {
		r->outcome = report_exception(r, true);
		goto out;
	}
	if (code == Py_None) {
		Py_DECREF(code);
		r->outcome = RUN_INCOMPLETE;
		goto out;
	}
	globals = main_dict();
	if (globals == NULL) {
		Py_DECREF(code);
		r->outcome = report_exception(r, false);
		goto out;
	}

	interrupt_set_target(it);
	run_set_active(it->tstate);
	value = PyEval_EvalCode(code, globals, globals);
	run_set_active(NULL);
	interrupt_set_target(NULL);
	Py_DECREF(code);
	if (value == NULL)
		r->outcome = report_exception(r, false);
	else {
		Py_DECREF(value);
		r->outcome = RUN_OK;
	}
out:
	interrupt_discard(it);
	if (PyErr_Occurred()) /* e.g. an interrupt during the traceback */
		PyErr_Clear();
	flush_stream("stdout");
	flush_stream("stderr");
	interp_leave(it);
}

static PyObject *
completer_get(struct interp *it)
{
	/* rlcompleter imports readline, which is linked to the same
	 * libreadline as we are and would take over our completion: hide it
	 * for that import only, leaving sys.modules as it was. */
	if (it->completer == NULL)
		it->completer = eval_helper(
		    "import sys, __main__\n"
		    "_missing = object()\n"
		    "_saved = sys.modules.get('readline', _missing)\n"
		    "sys.modules['readline'] = None\n"
		    "try:\n"
		    "    import rlcompleter\n"
		    "finally:\n"
		    "    if _saved is _missing:\n"
		    "        del sys.modules['readline']\n"
		    "    else:\n"
		    "        sys.modules['readline'] = _saved\n"
		    "result = rlcompleter.Completer(__main__.__dict__)\n");
	return it->completer;
}

#define COMPLETIONS_MAX 4096

int
run_complete(struct interp *it, const char *text, char ***out, size_t *n,
    char **cause)
{
	PyObject *completer, *match;
	char **v = NULL;
	size_t count = 0;
	int state;

	*out = NULL;
	*n = 0;
	interp_enter(it);
	completer = completer_get(it);
	if (completer == NULL) {
		PyErr_Clear();
		interp_leave(it);
		cause_set(cause, "rlcompleter is not available in interpreter %lld",
		    (long long)it->id);
		return -1;
	}
	for (state = 0; state < COMPLETIONS_MAX; state++) {
		const char *s;
		char **nv;

		match = PyObject_CallMethod(completer, "complete", "si", text, state);
		if (match == NULL) {
			PyErr_Clear(); /* completion must never disturb the session */
			break;
		}
		if (match == Py_None || (s = PyUnicode_AsUTF8(match)) == NULL) {
			PyErr_Clear();
			Py_DECREF(match);
			break;
		}
		nv = realloc(v, (count + 1) * sizeof *v);
		if (nv == NULL) {
			Py_DECREF(match);
			break;
		}
		v = nv;
		v[count] = strdup(s);
		Py_DECREF(match);
		if (v[count] == NULL)
			break;
		count++;
	}
	interp_leave(it);
	*out = v;
	*n = count;
	return 0;
}
