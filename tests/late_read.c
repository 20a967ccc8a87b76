/*
 * late_read.c: a test module with a blocking call that begins late, for
 * the tests of Ctrl-C in the main interpreter.
 *
 * CPython releases the GIL, then blocks in a system call. A SIGINT that
 * lands between the two only marks KeyboardInterrupt as pending, and the
 * call blocks without looking. The window is a few instructions in
 * CPython; late_read.read(fd, delay) widens it to `delay` seconds (a wait
 * that signals do not end, as code that has not reached its system call
 * yet), then reads one byte as CPython's own reads do (PEP 475: on EINTR,
 * run the signal handlers, then read again).
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <time.h>
#include <unistd.h>

/* Sleep `seconds`, whatever signals come meanwhile. */
static void
wait_through_signals(double seconds)
{
	struct timespec left;

	left.tv_sec = (time_t)seconds;
	left.tv_nsec = (long)((seconds - (double)left.tv_sec) * 1e9);
	while (nanosleep(&left, &left) != 0 && errno == EINTR)
		;
}

static PyObject *
late_read(PyObject *mod, PyObject *args)
{
	double delay;
	ssize_t n;
	int fd, err;
	char c;

	(void)mod;
	if (!PyArg_ParseTuple(args, "id", &fd, &delay))
		return NULL;
	for (;;) {
		Py_BEGIN_ALLOW_THREADS
		if (delay > 0)
			wait_through_signals(delay);
		n = read(fd, &c, 1);
		err = errno;
		Py_END_ALLOW_THREADS
		delay = 0;
		if (n >= 0)
			break;
		if (err != EINTR) {
			errno = err;
			return PyErr_SetFromErrno(PyExc_OSError);
		}
		if (PyErr_CheckSignals() != 0)
			return NULL;
	}
	return PyBytes_FromStringAndSize(&c, n);
}

static PyMethodDef methods[] = {
	{ "read", late_read, METH_VARARGS,
	  "read(fd, delay): one byte from fd, the read begun delay seconds "
	  "after the GIL was released." },
	{ NULL, NULL, 0, NULL },
};

static PyModuleDef_Slot slots[] = {
#if PY_VERSION_HEX >= 0x030C0000
	{ Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED },
#endif
	{ 0, NULL },
};

static struct PyModuleDef late_read_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "late_read",
	.m_doc = "A blocking read that begins late (tests of Ctrl-C).",
	.m_size = 0,
	.m_methods = methods,
	.m_slots = slots,
};

PyMODINIT_FUNC PyInit_late_read(void);

PyMODINIT_FUNC
PyInit_late_read(void)
{
	return PyModuleDef_Init(&late_read_module);
}
