/*
 * demo_isolated.c: a multi-phase module done as the isolating-extensions
 * HOWTO says: its state lives in the module (m_size, PyModule_GetState), its
 * one class is a heap type made per module (PyType_FromModuleAndSpec), its
 * exception too, and nothing is kept in a C static. It declares that it
 * supports a GIL per interpreter (3.12+) and does not need the GIL (3.13
 * free-threaded builds). `subrepl check` must call it safe everywhere.
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

struct module_state {
	PyObject *counter_type;   /* the heap type Counter, of this module */
	PyObject *error;          /* demo_isolated.Error, of this module */
	long calls;               /* bump() calls in this interpreter */
};

static struct module_state *
state_of(PyObject *mod)
{
	return (struct module_state *)PyModule_GetState(mod);
}

static PyObject *
bump(PyObject *mod, PyObject *unused)
{
	(void)unused;
	return PyLong_FromLong(++state_of(mod)->calls);
}

static PyMethodDef methods[] = {
	{ "bump", bump, METH_NOARGS, "Count a call, in this interpreter." },
	{ NULL, NULL, 0, NULL },
};

static PyType_Slot counter_slots[] = {
	{ Py_tp_doc, (void *)"A class made for each module object." },
	{ 0, NULL },
};

static PyType_Spec counter_spec = {
	.name = "demo_isolated.Counter",
	.basicsize = sizeof(PyObject),
	.flags = Py_TPFLAGS_DEFAULT,
	.slots = counter_slots,
};

static int
exec_module(PyObject *mod)
{
	struct module_state *st = state_of(mod);

	st->counter_type = PyType_FromModuleAndSpec(mod, &counter_spec, NULL);
	if (st->counter_type == NULL ||
	    PyModule_AddObjectRef(mod, "Counter", st->counter_type) != 0)
		return -1;
	st->error = PyErr_NewException("demo_isolated.Error", NULL, NULL);
	if (st->error == NULL ||
	    PyModule_AddObjectRef(mod, "Error", st->error) != 0)
		return -1;
	return 0;
}

static int
traverse(PyObject *mod, visitproc visit, void *arg)
{
	struct module_state *st = state_of(mod);

	Py_VISIT(st->counter_type);
	Py_VISIT(st->error);
	return 0;
}

static int
clear(PyObject *mod)
{
	struct module_state *st = state_of(mod);

	Py_CLEAR(st->counter_type);
	Py_CLEAR(st->error);
	return 0;
}

static void
free_module(void *mod)
{
	clear((PyObject *)mod);
}

static PyModuleDef_Slot slots[] = {
	{ Py_mod_exec, exec_module },
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
	.m_name = "demo_isolated",
	.m_doc = "Multi-phase and isolated: module state, a heap type and an "
	    "exception per module, no C statics holding objects.",
	.m_size = sizeof(struct module_state),
	.m_methods = methods,
	.m_slots = slots,
	.m_traverse = traverse,
	.m_clear = clear,
	.m_free = free_module,
};

PyMODINIT_FUNC PyInit_demo_isolated(void);

PyMODINIT_FUNC
PyInit_demo_isolated(void)
{
	return PyModuleDef_Init(&def);
}
