/*
 * demo_one_interp.c: a module that refuses, on purpose and cleanly, any
 * interpreter but the first that imported it, the way Cython's modules do
 * ("Interpreter change detected"): it remembers the first importer's
 * interpreter in a C static and raises ImportError elsewhere. Refusing is
 * safe; `subrepl check` must say "refused cleanly", not "unsafe".
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int64_t first_interp = -1;   /* the id of the first importer */

static int
exec_module(PyObject *mod)
{
	int64_t here = PyInterpreterState_GetID(PyInterpreterState_Get());

	(void)mod;
	if (first_interp == -1)
		first_interp = here;
	if (here != first_interp) {
		PyErr_Format(PyExc_ImportError, "demo_one_interp can only be "
		    "loaded into one interpreter per process (it was loaded "
		    "into interpreter %lld first)", (long long)first_interp);
		return -1;
	}
	return 0;
}

static PyModuleDef_Slot slots[] = {
	{ Py_mod_exec, exec_module },
	{ 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "demo_one_interp",
	.m_doc = "Refuses every interpreter but the first importer's.",
	.m_size = 0,
	.m_slots = slots,
};

PyMODINIT_FUNC PyInit_demo_one_interp(void);

PyMODINIT_FUNC
PyInit_demo_one_interp(void)
{
	return PyModuleDef_Init(&def);
}
