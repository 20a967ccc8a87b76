/*
 * bench-bare.c: creating and destroying interpreters with the bare C API,
 * the way subrepl's engine does it (same config, same thread-state
 * discipline), as the baseline of `make bench`.
 *
 * usage: bench-bare N legacy|isolated
 * prints: create_ms=<total> destroy_ms=<total> per_interp_us=<both, per one>
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-clock.h"

int
main(int argc, char **argv)
{
	PyThreadState *main_ts, **subs;
	bool isolated;
	double t0, t1, t2;
	int n, i;

	if (argc != 3 || (strcmp(argv[2], "legacy") != 0 &&
	    strcmp(argv[2], "isolated") != 0)) {
		fprintf(stderr, "usage: bench-bare N legacy|isolated\n");
		return 2;
	}
	n = atoi(argv[1]);
	isolated = strcmp(argv[2], "isolated") == 0;
#if PY_VERSION_HEX < 0x030C0000
	if (isolated) {
		fprintf(stderr, "bench-bare: isolated needs Python 3.12+\n");
		return 2;
	}
#endif
	subs = calloc((size_t)n + 1, sizeof *subs);
	Py_InitializeEx(0);
	main_ts = PyEval_SaveThread();

	t0 = now_ms();
	for (i = 0; i < n; i++) {
		PyEval_RestoreThread(main_ts);
#if PY_VERSION_HEX >= 0x030C0000
		{
			PyInterpreterConfig legacy = _PyInterpreterConfig_LEGACY_INIT;
			PyInterpreterConfig iso = _PyInterpreterConfig_INIT;
			PyStatus st = Py_NewInterpreterFromConfig(&subs[i],
			    isolated ? &iso : &legacy);

			if (PyStatus_Exception(st)) {
				fprintf(stderr, "bench-bare: %s\n", st.err_msg);
				return 1;
			}
		}
#else
		subs[i] = Py_NewInterpreter();
#endif
		PyEval_SaveThread();
	}
	t1 = now_ms();
	for (i = n - 1; i >= 0; i--) {
		PyEval_RestoreThread(subs[i]);
		Py_EndInterpreter(subs[i]);
		if (!isolated) {
			PyThreadState_Swap(main_ts);
			PyEval_SaveThread();
		}
	}
	t2 = now_ms();
	printf("create_ms=%.3f destroy_ms=%.3f per_interp_us=%.1f\n", t1 - t0,
	    t2 - t1, n > 0 ? (t2 - t0) * 1000 / n : 0.0);
	PyEval_RestoreThread(main_ts);
	Py_FinalizeEx();
	free(subs);
	return 0;
}
