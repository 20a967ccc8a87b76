/*
 * demo_crash.c: functions that fail on purpose, for reproducing crashes
 * and testing that subrepl survives them: a segfault, abort(), a fatal
 * Python error, a C loop that never looks at signals, _exit(), and output
 * written to fd 1 behind sys.stdout's back.
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int init_runs;

static PyObject *
segfault(PyObject *self, PyObject *unused)
{
	volatile int *volatile p = NULL;

	(void)self;
	(void)unused;
	*p = 42;   /* volatile: the compiler must keep the write */
	Py_RETURN_NONE;
}

static PyObject *
do_abort(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	abort();
}

static PyObject *
fatal(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	Py_FatalError("demo_crash.fatal() was called");
}

/* Spin in C holding the GIL, never checking for signals; with seconds,
 * stop after that long. */
static PyObject *
hang(PyObject *self, PyObject *args)
{
	PyObject *seconds = Py_None;
	struct timespec t0, t;
	double limit = -1;
	volatile unsigned long spins = 0;

	(void)self;
	if (!PyArg_ParseTuple(args, "|O:hang", &seconds))
		return NULL;
	if (seconds != Py_None) {
		limit = PyFloat_AsDouble(seconds);
		if (limit == -1 && PyErr_Occurred())
			return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		spins++;
		if ((spins & 0xffff) != 0)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (limit >= 0 && (double)(t.tv_sec - t0.tv_sec) +
		    (double)(t.tv_nsec - t0.tv_nsec) / 1e9 >= limit)
			break;
	}
	Py_RETURN_NONE;
}

static PyObject *
do_exit(PyObject *self, PyObject *args)
{
	int code = 0;

	(void)self;
	if (!PyArg_ParseTuple(args, "|i:exit", &code))
		return NULL;
	_exit(code);
}

static PyObject *
write_fd(PyObject *self, PyObject *args)
{
	const char *text;
	Py_ssize_t len;
	ssize_t n;

	(void)self;
	if (!PyArg_ParseTuple(args, "s#:write_fd", &text, &len))
		return NULL;
	n = write(1, text, (size_t)len);
	return PyLong_FromSsize_t(n);
}

static PyObject *
init_count(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(init_runs);
}

static PyMethodDef methods[] = {
	{ "segfault", segfault, METH_NOARGS, "Write through a NULL pointer." },
	{ "abort", do_abort, METH_NOARGS, "Call abort()." },
	{ "fatal", fatal, METH_NOARGS, "Call Py_FatalError()." },
	{ "hang", hang, METH_VARARGS, "hang(seconds=None): spin in C, deaf to "
	    "signals." },
	{ "exit", do_exit, METH_VARARGS, "exit(code=0): call _exit()." },
	{ "write_fd", write_fd, METH_VARARGS, "Write text to fd 1 with write(2)." },
	{ "init_count", init_count, METH_NOARGS, "How many times PyInit ran." },
	{ NULL, NULL, 0, NULL },
};

static PyModuleDef_Slot slots[] = {
#if PY_VERSION_HEX >= 0x030C0000
	{ Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED },
#endif
#if PY_VERSION_HEX >= 0x030D0000
	{ Py_mod_gil, Py_MOD_GIL_NOT_USED },
#endif
	{ 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "demo_crash",
	.m_doc = "Functions that crash, hang or exit on purpose.",
	.m_size = 0,
	.m_methods = methods,
	.m_slots = slots,
};

PyMODINIT_FUNC PyInit_demo_crash(void);

PyMODINIT_FUNC
PyInit_demo_crash(void)
{
	init_runs++;
	return PyModuleDef_Init(&def);
}
