/*
 * demo_leaky.c: a multi-phase module that claims to support sub-
 * interpreters (even with a GIL of their own) and is not isolated. Each
 * interpreter gets its own module and its own `state` dict, so the sharing
 * map's first level calls them distinct; but every `state` holds the SAME
 * list, kept in a C static made by the first exec. add() puts any object
 * there, so an object of one interpreter becomes reachable from all:
 * the bug %statics and %audit are for. (With own-GIL interpreters this
 * list is also touched under different GILs: a data race.)
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *registry;    /* the one list, for the whole process */
static long adds;             /* how many add() calls, from anywhere */

static PyObject *
add(PyObject *self, PyObject *obj)
{
	(void)self;
	if (PyList_Append(registry, obj) != 0)
		return NULL;
	adds++;
	Py_RETURN_NONE;
}

static PyObject *
items(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return Py_NewRef(registry);
}

static PyMethodDef methods[] = {
	{ "add", add, METH_O, "Append an object to the process-wide list." },
	{ "items", items, METH_NOARGS, "The process-wide list itself." },
	{ NULL, NULL, 0, NULL },
};

static int
exec_module(PyObject *mod)
{
	PyObject *state;
	int rc;

	if (registry == NULL && (registry = PyList_New(0)) == NULL)
		return -1;
	/* a fresh dict per interpreter, holding the shared list */
	state = Py_BuildValue("{s:O}", "items", registry);
	if (state == NULL)
		return -1;
	rc = PyModule_AddObjectRef(mod, "state", state);
	Py_DECREF(state);
	return rc;
}

static PyModuleDef_Slot slots[] = {
	{ Py_mod_exec, exec_module },
#if PY_VERSION_HEX >= 0x030C0000
	/* the claim this module does not live up to */
	{ Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED },
#endif
	{ 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "demo_leaky",
	.m_doc = "Multi-phase, claims isolation, keeps a list in a C static "
	    "that every interpreter's state dict holds.",
	.m_size = 0,
	.m_methods = methods,
	.m_slots = slots,
};

PyMODINIT_FUNC PyInit_demo_leaky(void);

PyMODINIT_FUNC
PyInit_demo_leaky(void)
{
	return PyModuleDef_Init(&def);
}
