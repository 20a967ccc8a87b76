/*
 * demo_single_state.c: single-phase init with m_size >= 0 (a per-module
 * state). CPython does not keep m_copy for such modules: it runs init again
 * in every interpreter that imports it, so each gets its own objects.
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

struct state {
	long counter;   /* this module object's own counter */
};

static int init_runs;

static PyObject *
init_count(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(init_runs);
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

static PyMethodDef methods[] = {
	{ "init_count", init_count, METH_NOARGS, "How many times init ran." },
	{ "bump", bump, METH_NOARGS, "Increment this module's state counter." },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "demo_single_state",
	.m_doc = "Single-phase init with m_size >= 0: init runs again in every "
	    "interpreter.",
	.m_size = sizeof(struct state),
	.m_methods = methods,
};

PyMODINIT_FUNC PyInit_demo_single_state(void);

PyMODINIT_FUNC
PyInit_demo_single_state(void)
{
	PyObject *m = PyModule_Create(&def), *items;

	if (m == NULL)
		return NULL;
	init_runs++;
	items = PyList_New(0);
	if (items == NULL || PyModule_AddObject(m, "items", items) != 0) {
		Py_XDECREF(items);
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
