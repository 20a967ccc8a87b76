/*
 * demo_multi.c: multi-phase init (PEP 489). PyInit returns the definition;
 * CPython makes a new module from it in every interpreter and runs the exec
 * slot there, so every interpreter has its own `items` and its own state.
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

struct state {
	long counter;
};

static int init_runs;     /* PyInit_demo_multi: once per interpreter import */
static int exec_runs;     /* the exec slot: once per module made */

static PyObject *
init_count(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(init_runs);
}

static PyObject *
exec_count(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(exec_runs);
}

static PyObject *
bump(PyObject *self, PyObject *unused)
{
	struct state *st = PyModule_GetState(self);

	(void)unused;
	if (st == NULL)
		return NULL;
	return PyLong_FromLong(++st->counter);
}

static int
demo_exec(PyObject *m)
{
	PyObject *items = PyList_New(0);

	exec_runs++;
	if (items == NULL || PyModule_AddObject(m, "items", items) != 0) {
		Py_XDECREF(items);
		return -1;
	}
	return 0;
}

static PyMethodDef methods[] = {
	{ "init_count", init_count, METH_NOARGS, "How many times PyInit ran." },
	{ "exec_count", exec_count, METH_NOARGS, "How many times exec ran." },
	{ "bump", bump, METH_NOARGS, "Increment this module's state counter." },
	{ NULL, NULL, 0, NULL },
};

static PyModuleDef_Slot slots[] = {
	{ Py_mod_exec, demo_exec },
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
	.m_name = "demo_multi",
	.m_doc = "Multi-phase init: a module of its own in every interpreter.",
	.m_size = sizeof(struct state),
	.m_methods = methods,
	.m_slots = slots,
};

PyMODINIT_FUNC PyInit_demo_multi(void);

PyMODINIT_FUNC
PyInit_demo_multi(void)
{
	init_runs++;
	return PyModuleDef_Init(&def);
}
