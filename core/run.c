/*
 * run.c: running source in an interpreter the way the interactive
 * interpreter does, and completing names there.
 *
 * Incomplete input is decided as codeop.CommandCompiler decides it (the
 * object code.InteractiveConsole uses), but from C, so that a step imports
 * nothing into the user's interpreter (codeop would bring codeop,
 * __future__ and warnings into its sys.modules): compile with
 * PyCF_ALLOW_INCOMPLETE_INPUT and PyCF_DONT_IMPLY_DEDENT; if that fails,
 * the source with one more newline compiling, or failing as "incomplete
 * input", means "needs more"; otherwise compile it plainly, which gives
 * the code or the real SyntaxError. Compiler warnings are silenced during
 * the trial compiles, as codeop does, so they are reported once, and each
 * interpreter remembers the `from __future__` features its steps turned
 * on. The code object runs in that interpreter's __main__; in "single"
 * mode expression values go through sys.displayhook, so `_` and the
 * printing are Python's own.
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

#ifndef PyCF_ALLOW_INCOMPLETE_INPUT
#define PyCF_ALLOW_INCOMPLETE_INPUT 0x4000
#endif

static PyObject *take_raised(void);

/* The warnings filter list the warn machinery reads: the `warnings`
 * module's when it is imported (it may have been rebound), else
 * _warnings'. Borrowed; NULL when it is not a list. */
static PyObject *
warning_filters(void)
{
	PyObject *mods = PySys_GetObject("modules"), *w, *filters;

	w = mods != NULL ? PyDict_GetItemString(mods, "warnings") : NULL;
	if (w == NULL)
		w = mods != NULL ? PyDict_GetItemString(mods, "_warnings") : NULL;
	if (w == NULL)
		return NULL;
	filters = PyObject_GetAttrString(w, "filters");
	if (filters == NULL) {
		PyErr_Clear();
		return NULL;
	}
	Py_DECREF(filters);   /* the module keeps it */
	return PyList_Check(filters) ? filters : NULL;
}

/* Put ("ignore", None, SyntaxWarning or DeprecationWarning, None, 0) in
 * front of the filters for the trial compiles, as codeop's
 * catch_warnings does, and take them out again; an "ignore" filter leaves
 * no trace in any __warningregistry__. */
static int
warnings_quiet(PyObject *filters, PyObject *quiet[2])
{
	PyObject *cats[2] = { PyExc_SyntaxWarning, PyExc_DeprecationWarning };
	int i;

	quiet[0] = quiet[1] = NULL;
	if (filters == NULL)
		return 0;
	for (i = 0; i < 2; i++) {
		quiet[i] = Py_BuildValue("(sOOOi)", "ignore", Py_None, cats[i],
		    Py_None, 0);
		if (quiet[i] == NULL || PyList_Insert(filters, 0, quiet[i]) != 0) {
			PyErr_Clear();
			Py_CLEAR(quiet[i]);
			return -1;
		}
	}
	return 0;
}

static void
warnings_restore(PyObject *filters, PyObject *quiet[2])
{
	Py_ssize_t k;
	int i;

	for (i = 0; i < 2 && filters != NULL; i++) {
		if (quiet[i] == NULL)
			continue;
		for (k = 0; k < PyList_GET_SIZE(filters); k++) {
			if (PyList_GET_ITEM(filters, k) == quiet[i]) {
				PySequence_DelItem(filters, k);
				break;
			}
		}
		Py_DECREF(quiet[i]);
	}
	PyErr_Clear();
}

/* The same, with the error being raised kept for the caller. */
static void
warnings_restore_keeping_error(PyObject *filters, PyObject *quiet[2])
{
	PyObject *exc = take_raised();

	warnings_restore(filters, quiet);
	if (exc != NULL)
		PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc,
		    PyException_GetTraceback(exc));
}

static PyObject *
compile_as(struct interp *it, const char *source, int start, int flags)
{
	PyCompilerFlags cf = _PyCompilerFlags_INIT;

	cf.cf_flags = it->future_flags | flags;
	return Py_CompileStringExFlags(source, "<stdin>", start, &cf, -1);
}

/* Whether source is nothing but blank lines and comments. */
static bool
blank_or_comments(const char *source)
{
	const char *p = source;

	while (*p != '\0') {
		p += strspn(p, " \t\f\r");
		if (*p != '\0' && *p != '\n' && *p != '#')
			return false;
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
	return true;
}

/* Whether the raised SyntaxError says the input ended too soon. */
static bool
incomplete_input_raised(void)
{
	PyObject *exc = take_raised(), *text;
	bool incomplete = false;

	if (exc != NULL && (text = PyObject_Str(exc)) != NULL) {
		const char *t = PyUnicode_AsUTF8(text);

		incomplete = t != NULL && strstr(t, "incomplete input") != NULL;
		Py_DECREF(text);
	}
	Py_XDECREF(exc);
	PyErr_Clear();
	return incomplete;
}

/* codeop's _maybe_compile: the code, Py_None for "needs more", or NULL
 * with the error raised. */
static PyObject *
compile_step(struct interp *it, const char *source, int start)
{
	const int trial = PyCF_DONT_IMPLY_DEDENT | PyCF_ALLOW_INCOMPLETE_INPUT;
	PyObject *filters, *quiet[2], *code;
	char *more;
	size_t len;

	if (blank_or_comments(source))
		source = "pass";
	filters = warning_filters();
	Py_XINCREF(filters);
	warnings_quiet(filters, quiet);
	code = compile_as(it, source, start, trial);
	if (code == NULL && !PyErr_ExceptionMatches(PyExc_SyntaxError)) {
		/* other compile() errors propagate */
		warnings_restore_keeping_error(filters, quiet);
		Py_XDECREF(filters);
		return NULL;
	}
	if (code == NULL) {
		PyErr_Clear();
		len = strlen(source);
		more = PyMem_Malloc(len + 2);
		if (more == NULL) {
			warnings_restore(filters, quiet);
			Py_XDECREF(filters);
			return PyErr_NoMemory();
		}
		memcpy(more, source, len);
		more[len] = '\n';
		more[len + 1] = '\0';
		code = compile_as(it, more, start, trial);
		PyMem_Free(more);
		if (code != NULL || (PyErr_ExceptionMatches(PyExc_SyntaxError) &&
		    incomplete_input_raised())) {
			Py_XDECREF(code);
			warnings_restore(filters, quiet);
			Py_XDECREF(filters);
			Py_RETURN_NONE;
		}
	}
	warnings_restore(filters, quiet);
	Py_XDECREF(filters);
	Py_XDECREF(code);
	code = compile_as(it, source, start, 0);
	if (code != NULL && PyCode_Check(code))
		it->future_flags |= ((PyCodeObject *)code)->co_flags & PyCF_MASK;
	return code;
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
		/* Like code.InteractiveConsole.showsyntaxerror: no frames, the
		 * error's own location is the message. */
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
	PyObject *code, *globals, *value;

	memset(r, 0, sizeof *r);
	r->interp = it->id;
	interp_enter(it);
	interrupt_discard(it);

	code = compile_step(it, source, mode == RUN_INTERACTIVE ?
	    Py_single_input : Py_file_input);
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
	 * for that import only. What the import brings in (rlcompleter and
	 * what it imports) leaves sys.modules again, so completing leaves
	 * the user's interpreter as it was: those modules are put back only
	 * while a completion runs (rlcompleter finds some, such as warnings,
	 * through sys.modules), where the user has not imported their own. */
	if (it->completer == NULL)
		it->completer = eval_helper(
		    "import sys, __main__\n"
		    "_missing = object()\n"
		    "_before = set(sys.modules)\n"
		    "_saved = sys.modules.get('readline', _missing)\n"
		    "sys.modules['readline'] = None\n"
		    "try:\n"
		    "    import rlcompleter\n"
		    "finally:\n"
		    "    if _saved is _missing:\n"
		    "        del sys.modules['readline']\n"
		    "    else:\n"
		    "        sys.modules['readline'] = _saved\n"
		    "_own = {n: sys.modules[n] for n in set(sys.modules) - _before}\n"
		    "for _name in _own:\n"
		    "    del sys.modules[_name]\n"
		    "class _Quiet:\n"
		    "    def __init__(self, completer, own):\n"
		    "        self.completer, self.own = completer, own\n"
		    "    def complete(self, text, state):\n"
		    "        put = [n for n in self.own if n not in sys.modules]\n"
		    "        for n in put:\n"
		    "            sys.modules[n] = self.own[n]\n"
		    "        try:\n"
		    "            return self.completer.complete(text, state)\n"
		    "        finally:\n"
		    "            for n in put:\n"
		    "                if sys.modules.get(n) is self.own[n]:\n"
		    "                    del sys.modules[n]\n"
		    "result = _Quiet(rlcompleter.Completer(__main__.__dict__), _own)\n");
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
