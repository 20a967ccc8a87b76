/*
 * bench-floor.c: the floor a snapshot is measured against. It builds the
 * same world as the %json benchmark (N legacy interpreters, each importing
 * the same modules) and then times the least any snapshot must do: enter
 * every interpreter once and walk its sys.modules and every module's
 * __dict__, touching each value's type. No classification, no copying, no
 * output.
 *
 * usage: bench-floor N REPEAT MODULE...
 * prints: floor_ms=<median of REPEAT walks, in milliseconds> values=<count>
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-clock.h"

/* Walk sys.modules and each module dict of the current interpreter. */
static long
walk(void)
{
	PyObject *modules = PySys_GetObject("modules"), *key, *mod;
	Py_ssize_t pos = 0;
	long values = 0;

	while (PyDict_Next(modules, &pos, &key, &mod)) {
		PyObject *dict, *k, *v;
		Py_ssize_t p = 0;

		if (!PyModule_Check(mod))
			continue;
		dict = PyModule_GetDict(mod);
		while (PyDict_Next(dict, &p, &k, &v)) {
			if (Py_TYPE(v)->tp_name != NULL)
				values++;
		}
	}
	return values;
}

int
main(int argc, char **argv)
{
	PyThreadState **subs, *main_ts;
	const char *demo = getenv("SUBREPL_DEMO_DIR");
	double *times;
	long values = 0;
	int n, repeat, i, r, m;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-floor N REPEAT MODULE...\n");
		return 2;
	}
	n = atoi(argv[1]);
	repeat = atoi(argv[2]);
	if (n < 0 || repeat < 1)
		return 2;
	Py_InitializeEx(0);
	main_ts = PyThreadState_Get();
	subs = calloc((size_t)n + 1, sizeof *subs);
	times = calloc((size_t)repeat, sizeof *times);
	subs[0] = main_ts;
	for (i = 1; i <= n; i++) {
		PyThreadState_Swap(main_ts);
		subs[i] = Py_NewInterpreter();
	}
	for (i = 0; i <= n; i++) {
		PyThreadState_Swap(subs[i]);
		if (demo != NULL) {
			PyObject *path = PySys_GetObject("path");
			PyObject *dir = PyUnicode_FromString(demo);

			PyList_Append(path, dir);
			Py_DECREF(dir);
		}
		for (m = 3; m < argc; m++) {
			PyObject *mod = PyImport_ImportModule(argv[m]);

			if (mod == NULL)
				PyErr_Clear();
			Py_XDECREF(mod);
		}
	}
	for (r = 0; r < repeat; r++) {
		double t0 = now_ms();

		values = 0;
		for (i = 0; i <= n; i++) {
			PyThreadState_Swap(subs[i]);
			values += walk();
		}
		times[r] = now_ms() - t0;
	}
	qsort(times, (size_t)repeat, sizeof *times, double_compare);
	printf("floor_ms=%.3f values=%ld\n", times[repeat / 2], values);
	for (i = n; i >= 1; i--) {
		PyThreadState_Swap(subs[i]);
		Py_EndInterpreter(subs[i]);
	}
	PyThreadState_Swap(main_ts);
	Py_FinalizeEx();
	free(subs);
	free(times);
	return 0;
}
