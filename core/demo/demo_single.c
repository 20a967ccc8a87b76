/*
 * demo_single.c: single-phase init with m_size == -1, the case the
 * documentation warns about. The first import runs PyInit_demo_single and
 * CPython keeps a shallow copy of the module's dict (m_copy); an import in
 * another interpreter makes a new module filled from that copy without
 * running init, so `items` is the SAME list object in every interpreter:
 * append to it in one and the others see it.
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int init_runs;          /* how often PyInit_demo_single ran */
static PyObject *items;        /* the list made by the first init */

static PyObject *
init_count(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(init_runs);
}

/* Append to the list made at init, whichever interpreter calls. */
static PyObject *
append(PyObject *self, PyObject *x)
{
	(void)self;
	if (PyList_Append(items, x) != 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *
items_id(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromVoidPtr(items);
}

static PyMethodDef methods[] = {
	{ "init_count", init_count, METH_NOARGS, "How many times init ran." },
	{ "append", append, METH_O, "Append to the list made at init." },
	{ "items_id", items_id, METH_NOARGS, "id() of the list made at init." },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "demo_single",
	.m_doc = "Single-phase init, m_size -1: a later import in another "
	    "interpreter is filled from m_copy and shares `items`.",
	.m_size = -1,
	.m_methods = methods,
};

PyMODINIT_FUNC PyInit_demo_single(void);

PyMODINIT_FUNC
PyInit_demo_single(void)
{
	PyObject *m = PyModule_Create(&def);

	if (m == NULL)
		return NULL;
	init_runs++;
	/* Each run makes a new list (after Py_FinalizeEx the old one is gone). */
	items = PyList_New(0);
	if (items == NULL || PyModule_AddObjectRef(m, "items", items) != 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
