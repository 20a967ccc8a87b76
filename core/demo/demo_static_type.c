/*
 * demo_static_type.c: a multi-phase module exposing a *static* type,
 * StaticThing, a PyTypeObject in this file's data segment. Every
 * interpreter's module is its own, but StaticThing is one object for all of
 * them: subrepl shows it as "static in demo_static_type.so". Static types
 * are readied once and immutable, which is what makes sharing them safe
 * with a shared GIL; we declare support for several interpreters but not
 * for a per-interpreter GIL, since a static type's reference count and
 * caches would be touched from several GILs at once.
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int init_runs;

static PyTypeObject StaticThing = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "demo_static_type.StaticThing",
	.tp_basicsize = sizeof(PyObject),
	.tp_flags = Py_TPFLAGS_DEFAULT
#ifdef Py_TPFLAGS_IMMUTABLETYPE
	    | Py_TPFLAGS_IMMUTABLETYPE
#endif
	    ,
	.tp_doc = "A static type: the same object in every interpreter.",
	.tp_new = PyType_GenericNew,
};

static PyObject *
init_count(PyObject *self, PyObject *unused)
{
	(void)self;
	(void)unused;
	return PyLong_FromLong(init_runs);
}

static int
demo_exec(PyObject *m)
{
	if (PyType_Ready(&StaticThing) != 0)
		return -1;
	Py_INCREF(&StaticThing);
	if (PyModule_AddObject(m, "StaticThing", (PyObject *)&StaticThing) != 0) {
		Py_DECREF(&StaticThing);
		return -1;
	}
	return 0;
}

static PyMethodDef methods[] = {
	{ "init_count", init_count, METH_NOARGS, "How many times PyInit ran." },
	{ NULL, NULL, 0, NULL },
};

static PyModuleDef_Slot slots[] = {
	{ Py_mod_exec, demo_exec },
#if PY_VERSION_HEX >= 0x030C0000
	{ Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED },
#endif
	{ 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "demo_static_type",
	.m_doc = "Multi-phase init exposing a static type shared by every "
	    "interpreter.",
	.m_size = 0,
	.m_methods = methods,
	.m_slots = slots,
};

PyMODINIT_FUNC PyInit_demo_static_type(void);

PyMODINIT_FUNC
PyInit_demo_static_type(void)
{
	init_runs++;
	return PyModuleDef_Init(&def);
}
