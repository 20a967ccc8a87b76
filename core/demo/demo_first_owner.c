/*
 * demo_first_owner.c: a multi-phase module with a process-wide table that
 * the first importing module allocates and, when that module is freed,
 * frees; every module counts itself in and out of the table. The bug:
 * ownership goes with the first importer, not with the last user. Destroy
 * the interpreter that imported it first while another still has it, and
 * the other's module, when freed, writes through the freed table's pointer
 * (set to NULL here, so the crash is certain): SIGSEGV. Destroyed in the
 * other order, nothing happens. `subrepl check` must find the order.
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdlib.h>

struct table {
	long users;       /* modules alive that use the table */
};

static struct table *table;        /* process-wide */

struct module_state {
	int owns_table;                /* this module allocated it */
};

static int
exec_module(PyObject *mod)
{
	struct module_state *st = PyModule_GetState(mod);

	if (table == NULL) {
		table = calloc(1, sizeof *table);
		if (table == NULL) {
			PyErr_NoMemory();
			return -1;
		}
		st->owns_table = 1;
	}
	table->users++;
	return PyModule_AddIntConstant(mod, "owner", st->owns_table);
}

static void
free_module(void *mod)
{
	struct module_state *st = PyModule_GetState((PyObject *)mod);
	volatile struct table *volatile t = table;

	if (st == NULL)
		return;
	t->users--;   /* NULL once the owner is gone: the bug */
	if (st->owns_table) {
		free(table);
		table = NULL;
	}
}

static PyModuleDef_Slot slots[] = {
	{ Py_mod_exec, exec_module },
	{ 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "demo_first_owner",
	.m_doc = "Crashes when the interpreter that imported it first is "
	    "destroyed before another that has it.",
	.m_size = sizeof(struct module_state),
	.m_slots = slots,
	.m_free = free_module,
};

PyMODINIT_FUNC PyInit_demo_first_owner(void);

PyMODINIT_FUNC
PyInit_demo_first_owner(void)
{
	return PyModuleDef_Init(&def);
}
