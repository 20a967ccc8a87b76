/*
 * demo_multi_counter.c: multi-phase init with a C static counter. The
 * module objects are per interpreter, but "only C-level static and global
 * variables are shared": bump() in one interpreter is seen by count() in
 * every other. The counter is atomic, so own-GIL interpreters may bump it
 * at the same time.
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdatomic.h>

static atomic_long counter;   /* one for the whole process */
static int init_runs;

static PyObject *
bump(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(atomic_fetch_add(&counter, 1) + 1);
}

static PyObject *
count(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(atomic_load(&counter));
}

static PyObject *
init_count(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(init_runs);
}

static PyMethodDef methods[] = {
	{ "bump", bump, METH_NOARGS, "Increment the process-wide C counter." },
	{ "count", count, METH_NOARGS, "The process-wide C counter." },
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
	.m_name = "demo_multi_counter",
	.m_doc = "Multi-phase init sharing one C static counter between "
	    "interpreters.",
	.m_size = 0,
	.m_methods = methods,
	.m_slots = slots,
};

PyMODINIT_FUNC PyInit_demo_multi_counter(void);

PyMODINIT_FUNC
PyInit_demo_multi_counter(void)
{
	init_runs++;
	return PyModuleDef_Init(&def);
}
