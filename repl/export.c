/*
 * export.c: the journal as a standalone reproduction (%export): a Python
 * script using CPython's own low-level interpreter module
 * (_xxsubinterpreters up to 3.12, _interpreters from 3.13), or a C program
 * against the C API.
 *
 * The journal is walked like a session: each step is parsed again with the
 * command table, and the interpreters it creates get variables (i1, i2, ...)
 * in creation order, so ids and names of the session map onto them. Python
 * steps run as typed at that interpreter's prompt ('single' mode: values of
 * expressions are printed, exceptions print a traceback and the script goes
 * on). Commands that only look (%list, %share, ...) become comments.
 */
#include "config.h"

#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "cmd-parse.h"
#include "cmd.h"
#include "xmalloc.h"

#define EXPORT_INTERPS_MAX 256

struct var {
	int index;        /* i<index>; 0 is main */
	char name[INTERP_NAME_MAX + 1];
	char preset[12];  /* as subrepl labels it */
	bool alive;
};

struct exporter {
	FILE *f;
	bool c;                       /* C, else Python */
	struct var vars[EXPORT_INTERPS_MAX];
	int nvars;                    /* main is vars[0] */
	int current;                  /* index into vars */
	int steps;                    /* C: steps written (for labels) */
};

/* A Python string literal of s. */
static void
py_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('\'', f);
	for (; *p != '\0'; p++) {
		if (*p == '\\' || *p == '\'')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

/* A C string literal of s (UTF-8 bytes kept, escapes for the rest). */
static void
c_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n\"\n\t    \"", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == '?')
			fprintf(f, "\\%03o", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void
comment(struct exporter *x, const char *text)
{
	const char *p;

	fputs(x->c ? "\t/* " : "# ", x->f);
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			fputs(x->c ? " | " : " | ", x->f);
		else if (x->c && *p == '*' && p[1] == '/')
			fputs("* /", x->f), p++;
		else
			fputc(*p, x->f);
	}
	fputs(x->c ? " */\n" : "\n", x->f);
}

/* The variable of an interpreter named by id or name at this point. */
static int
lookup(struct exporter *x, const char *ref)
{
	int i;
	char *end;
	long id = strtol(ref, &end, 10);

	for (i = 0; i < x->nvars; i++) {
		if (!x->vars[i].alive)
			continue;
		if (*end == '\0' && end != ref ? x->vars[i].index == id :
		    strcmp(x->vars[i].name, ref) == 0)
			return i;
	}
	return -1;
}

static void
py_step(struct exporter *x, int var, const char *source)
{
	if (x->c) {
		fprintf(x->f, "\tstep(%d, ", x->vars[var].index);
		c_str(x->f, source);
		fputs(");\n", x->f);
		return;
	}
	if (var == 0)
		fputs("_step(None, ", x->f);
	else
		fprintf(x->f, "_step(i%d, ", x->vars[var].index);
	py_str(x->f, source);
	fputs(")\n", x->f);
}

static void
new_interp(struct exporter *x, const struct cmd_args *args)
{
	struct var *v;
	bool isolated = cmd_args_flag(args, "--isolated");
	bool custom = false;
	int i;

	if (x->nvars >= EXPORT_INTERPS_MAX)
		return;
	for (i = 0; i < args->nflags; i++) {
		if (strcmp(args->flags[i], "--isolated") != 0 &&
		    strcmp(args->flags[i], "--legacy") != 0)
			custom = true;
	}
	v = &x->vars[x->nvars];
	v->index = x->nvars;
	v->alive = true;
	snprintf(v->name, sizeof v->name, "%s", args->npos > 0 ? args->pos[0] : "");
	snprintf(v->preset, sizeof v->preset, "%s", custom ? "custom" :
	    isolated ? "isolated" : "legacy");
	x->current = x->nvars++;
	if (x->c) {
		fprintf(x->f, "\tnew_interp(%d, %s", v->index,
		    isolated ? "1" : "0");
		fprintf(x->f, ", %d, %d, %d);\n",
		    cmd_args_flag(args, "--own-gil") ? 1 :
		    cmd_args_flag(args, "--shared-gil") ? 0 : -1,
		    cmd_args_flag(args, "--own-obmalloc") ? 1 :
		    cmd_args_flag(args, "--shared-obmalloc") ? 0 : -1,
		    cmd_args_flag(args, "--check-ext") ? 1 :
		    cmd_args_flag(args, "--no-check-ext") ? 0 : -1);
		return;
	}
	if (custom)
		comment(x, "a custom config: _xxsubinterpreters takes only the "
		    "preset; the flags are in the C export");
	fprintf(x->f, "i%d = _new(%s)\n", v->index,
	    isolated ? "'isolated'" : "'legacy'");
}

static void
import_code(char *buf, size_t size, const char *mod, const char *path)
{
	if (path == NULL)
		snprintf(buf, size, "import %s", mod);
	else
		snprintf(buf, size, "import importlib.util, sys; "
		    "_s = importlib.util.spec_from_file_location('%s', '%s'); "
		    "%s = importlib.util.module_from_spec(_s); "
		    "sys.modules['%s'] = %s; _s.loader.exec_module(%s)",
		    mod, path, mod, mod, mod, mod);
}

/* The interpreters a command's --in/--all names, as variable slots. */
static int
targets(struct exporter *x, const struct cmd_args *args, int *out)
{
	const char *in = cmd_args_value(args, "--in");
	int n = 0, i;

	if (cmd_args_flag(args, "--all")) {
		for (i = 0; i < x->nvars; i++) {
			if (x->vars[i].alive)
				out[n++] = i;
		}
		return n;
	}
	if (in == NULL) {
		out[0] = x->current;
		return 1;
	}
	{
		char *list = xstrdup(in), *w, *save = NULL;

		for (w = strtok_r(list, ",", &save); w != NULL;
		    w = strtok_r(NULL, ",", &save)) {
			int v = lookup(x, w);

			if (v >= 0)
				out[n++] = v;
		}
		free(list);
	}
	return n;
}

static void
command(struct exporter *x, const char *text)
{
	const struct cmd_entry *e;
	struct cmd_words w;
	struct cmd_args args;
	const char *rest;
	char *name, *cause = NULL, code[4096];
	int t[EXPORT_INTERPS_MAX], n, i, v;

	cmd_split_name(text, &name, &rest);
	e = cmd_find(name, &cause);
	free(name);
	free(cause);
	cause = NULL;
	if (e == NULL || cmd_words_split(rest, e->raw_after, &w, &cause) != 0) {
		free(cause);
		comment(x, text);
		return;
	}
	memset(&args, 0, sizeof args);
	args.pos = xcalloc((size_t)w.argc + 1, sizeof *args.pos);
	args.flags = xcalloc((size_t)w.argc + 1, sizeof *args.flags);
	args.values = xcalloc((size_t)w.argc + 1, sizeof *args.values);
	for (i = 0; i < w.argc; i++) {
		if (strncmp(w.argv[i], "--", 2) == 0) {
			if (strcmp(w.argv[i], "--in") == 0 && i + 1 < w.argc) {
				args.flags[args.nflags] = "--in=";
				args.values[args.nflags++] = w.argv[++i];
			} else if (strncmp(w.argv[i], "--in=", 5) == 0) {
				args.flags[args.nflags] = "--in=";
				args.values[args.nflags++] = w.argv[i] + 5;
			} else
				args.flags[args.nflags++] = w.argv[i];
		} else
			args.pos[args.npos++] = w.argv[i];
	}
	args.raw = w.raw;

	comment(x, text);
	if (e == &cmd_new_entry) {
		new_interp(x, &args);
	} else if (e == &cmd_use_entry && args.npos == 1) {
		if ((v = lookup(x, args.pos[0])) >= 0)
			x->current = v;
	} else if (e == &cmd_del_entry) {
		for (i = 0; i < args.npos; i++) {
			if ((v = lookup(x, args.pos[i])) <= 0)
				continue;
			if (x->c)
				fprintf(x->f, "\tend_interp(%d);\n", x->vars[v].index);
			else
				fprintf(x->f, "_subint.destroy(i%d)\n", x->vars[v].index);
			x->vars[v].alive = false;
			if (x->current == v)
				x->current = 0;
		}
	} else if (e == &cmd_exec_entry && args.npos == 1 && args.raw != NULL) {
		if ((v = lookup(x, args.pos[0])) >= 0)
			py_step(x, v, args.raw);
	} else if (e == &cmd_all_entry && args.raw != NULL) {
		for (i = 0; i < x->nvars; i++) {
			char label[INTERP_LABEL_MAX];

			if (!x->vars[i].alive)
				continue;
			/* the label %all prints before each interpreter's run */
			if (i == 0)
				snprintf(label, sizeof label, "[0 main]");
			else
				snprintf(label, sizeof label, "[%d%s%s %s]", x->vars[i].index,
				    x->vars[i].name[0] != '\0' ? " " : "", x->vars[i].name,
				    x->vars[i].preset);
			if (x->c)
				fprintf(x->f, "\tprintf(\"%%s\\n\", \"%s\");\n", label);
			else
				fprintf(x->f, "print('%s', flush=True)\n", label);
			py_step(x, i, args.raw);
		}
	} else if ((e == &cmd_import_entry || e == &cmd_load_entry) &&
	    args.npos >= 1) {
		const char *mod = args.pos[0], *path = NULL;
		char *base = NULL;

		if (e == &cmd_load_entry) {
			const char *b = strrchr(args.pos[0], '/');

			path = args.pos[0];
			b = b != NULL ? b + 1 : path;
			base = xstrndup(b, strcspn(b, "."));
			mod = args.npos > 1 ? args.pos[1] : base;
		}
		import_code(code, sizeof code, mod, path);
		n = targets(x, &args, t);
		for (i = 0; i < n; i++)
			py_step(x, t[i], code);
		free(base);
	} else if (e == &cmd_reinit_entry) {
		if (x->c)
			fputs("\treinit();\n", x->f);
		else
			comment(x, "%reinit needs Py_FinalizeEx and Py_Initialize: the "
			    "C export does it; from Python it cannot be done");
	}
	free(args.pos);
	free(args.flags);
	free(args.values);
	cmd_words_free(&w);
}

static const char py_head[] =
    "import sys, traceback\n"
    "try:\n"
    "    import _interpreters as _subint        # 3.13+\n"
    "except ImportError:\n"
    "    import _xxsubinterpreters as _subint   # 3.11, 3.12\n"
    "\n"
    "def _new(preset):\n"
    "    if sys.version_info >= (3, 13):\n"
    "        return _subint.create(preset)\n"
    "    if sys.version_info >= (3, 12):\n"
    "        return _subint.create(isolated=(preset == 'isolated'))\n"
    "    return _subint.create()\n"
    "\n"
    "# One step as typed at that interpreter's prompt: values of expressions\n"
    "# are printed, an exception prints its traceback and the script goes on.\n"
    "_STEP = '''import sys, traceback, __main__\n"
    "try:\n"
    "    exec(compile(%r, '<stdin>', 'single'), __main__.__dict__)\n"
    "except SystemExit as e:\n"
    "    print('SystemExit:', e.code, file=sys.stderr)\n"
    "except BaseException:\n"
    "    _t, _v, _tb = sys.exc_info()\n"
    "    traceback.print_exception(_t, _v, _tb.tb_next)  # from the step on\n"
    "sys.stdout.flush(); sys.stderr.flush()\n"
    "'''\n"
    "\n"
    "def _step(interp, source):\n"
    "    sys.stdout.flush(); sys.stderr.flush()\n"
    "    if interp is None:\n"
    "        exec(_STEP % (source,), {'__name__': '_subrepl_step'})\n"
    "    else:\n"
    "        _subint.run_string(interp, _STEP % (source,))\n"
    "\n";

static const char c_head[] =
    "#define PY_SSIZE_T_CLEAN\n"
    "#include <Python.h>\n"
    "#include <stdio.h>\n"
    "\n"
    "static PyThreadState *interps[%d];   /* [0] is main */\n"
    "static int isolated_flags[%d][3];\n"
    "\n"
    "/* One step as typed at that interpreter's prompt. */\n"
    "static void\n"
    "step(int i, const char *source)\n"
    "{\n"
    "\tPyObject *main, *d, *r;\n"
    "\n"
    "\tfflush(stdout);\n"
    "\tPyEval_RestoreThread(interps[i]);\n"
    "\tmain = PyImport_AddModule(\"__main__\");\n"
    "\td = PyModule_GetDict(main);\n"
    "\tr = Py_CompileString(source, \"<stdin>\", Py_single_input);\n"
    "\tif (r != NULL) {\n"
    "\t\tPyObject *code = r;\n"
    "\n"
    "\t\tr = PyEval_EvalCode(code, d, d);\n"
    "\t\tPy_DECREF(code);\n"
    "\t}\n"
    "\tif (r == NULL) {\n"
    "\t\tif (PyErr_ExceptionMatches(PyExc_SystemExit)) {\n"
    "\t\t\tfprintf(stderr, \"SystemExit in interpreter %%d\\n\", i);\n"
    "\t\t\tPyErr_Clear();\n"
    "\t\t} else\n"
    "\t\t\tPyErr_Print();\n"
    "\t}\n"
    "\tPy_XDECREF(r);\n"
    "\tr = PyObject_CallMethod(PySys_GetObject(\"stdout\"), \"flush\", NULL);\n"
    "\tif (r == NULL)\n"
    "\t\tPyErr_Clear();\n"
    "\tPy_XDECREF(r);\n"
    "\tPyEval_SaveThread();\n"
    "}\n"
    "\n"
    "/* isolated: the preset; the rest -1 (preset) or 0/1. */\n"
    "static void\n"
    "new_interp(int i, int isolated, int own_gil, int own_obmalloc, int check_ext)\n"
    "{\n"
    "\tPyEval_RestoreThread(interps[0]);\n"
    "#if PY_VERSION_HEX >= 0x030C0000\n"
    "\t{\n"
    "\t\tPyInterpreterConfig legacy = _PyInterpreterConfig_LEGACY_INIT;\n"
    "\t\tPyInterpreterConfig iso = _PyInterpreterConfig_INIT;\n"
    "\t\tPyInterpreterConfig c = isolated ? iso : legacy;\n"
    "\t\tPyStatus st;\n"
    "\n"
    "\t\tif (own_gil >= 0)\n"
    "\t\t\tc.gil = own_gil ? PyInterpreterConfig_OWN_GIL : PyInterpreterConfig_SHARED_GIL;\n"
    "\t\tif (own_obmalloc >= 0)\n"
    "\t\t\tc.use_main_obmalloc = !own_obmalloc;\n"
    "\t\tif (check_ext >= 0)\n"
    "\t\t\tc.check_multi_interp_extensions = check_ext;\n"
    "\t\tst = Py_NewInterpreterFromConfig(&interps[i], &c);\n"
    "\t\tif (PyStatus_Exception(st)) {\n"
    "\t\t\tfprintf(stderr, \"interpreter refused: %%s\\n\", st.err_msg);\n"
    "\t\t\tPyEval_SaveThread();\n"
    "\t\t\treturn;\n"
    "\t\t}\n"
    "\t}\n"
    "#else\n"
    "\t(void)isolated; (void)own_gil; (void)own_obmalloc; (void)check_ext;\n"
    "\tinterps[i] = Py_NewInterpreter();\n"
    "#endif\n"
    "\tisolated_flags[i][0] = isolated;\n"
    "\tisolated_flags[i][1] = own_gil;\n"
    "\tisolated_flags[i][2] = own_obmalloc;\n"
    "\tPyEval_SaveThread();\n"
    "}\n"
    "\n"
    "static void\n"
    "end_interp(int i)\n"
    "{\n"
    "#if PY_VERSION_HEX >= 0x030C0000\n"
    "\tint shared = !(isolated_flags[i][1] == 1 ||\n"
    "\t    (isolated_flags[i][0] && isolated_flags[i][1] != 0));\n"
    "#else\n"
    "\tint shared = 1; /* one GIL before 3.12 */\n"
    "#endif\n"
    "\n"
    "\tPyEval_RestoreThread(interps[i]);\n"
    "\tPy_EndInterpreter(interps[i]);\n"
    "\tinterps[i] = NULL;\n"
    "\tif (shared) {\n"
    "\t\tPyThreadState_Swap(interps[0]);\n"
    "\t\tPyEval_SaveThread();\n"
    "\t}\n"
    "}\n"
    "\n"
    "static void\n"
    "reinit(void)\n"
    "{\n"
    "\tint i;\n"
    "\n"
    "\tfor (i = (int)(sizeof interps / sizeof interps[0]) - 1; i > 0; i--) {\n"
    "\t\tif (interps[i] != NULL)\n"
    "\t\t\tend_interp(i);\n"
    "\t}\n"
    "\tPyEval_RestoreThread(interps[0]);\n"
    "\tPy_FinalizeEx();\n"
    "\tPy_InitializeEx(0);\n"
    "\tinterps[0] = PyEval_SaveThread();\n"
    "}\n"
    "\n"
    "int\n"
    "main(void)\n"
    "{\n"
    "\tint i;\n"
    "\n"
    "\t(void)reinit;\n"
    "\tsetvbuf(stdout, NULL, _IONBF, 0);\n"
    "\tPy_InitializeEx(0);\n"
    "\tinterps[0] = PyEval_SaveThread();\n"
    "\n";

int
export_write(FILE *f, bool c, const struct journal_steps *steps, size_t from,
    size_t to, const char *python_version, const char *source_path)
{
	struct exporter x;
	char mm[16];
	size_t i;
	int major = 3, minor = 0;

	memset(&x, 0, sizeof x);
	x.f = f;
	x.c = c;
	x.nvars = 1;
	x.vars[0].alive = true;
	snprintf(x.vars[0].name, sizeof x.vars[0].name, "main");
	sscanf(python_version, "%d.%d", &major, &minor);
	snprintf(mm, sizeof mm, "%d.%d", major, minor);
	if (c) {
		fprintf(f, "/*\n * A reproduction of a subrepl session on Python %s"
		    ", exported\n * from %s.\n *\n * build: cc THIS.c $(python%s-"
		    "config --cflags --ldflags --embed) -o repro\n */\n",
		    python_version, source_path, mm);
		fprintf(f, c_head, EXPORT_INTERPS_MAX, EXPORT_INTERPS_MAX);
	} else {
		fprintf(f, "#!/usr/bin/env python%s\n# A reproduction of a subrepl "
		    "session on Python %s, exported from\n# %s. Run it with python%s "
		    "(the module of interpreters differs\n# between versions).\n",
		    mm, python_version, source_path, mm);
		fputs(py_head, f);
	}
	for (i = from; i < to; i++) {
		const struct journal_step *st = &steps->v[i];

		if (st->text == NULL || strcmp(st->outcome, "discarded") == 0)
			continue;
		if (cmd_is_command(st->text) && strncmp(st->outcome, "failed", 6) == 0) {
			char *note = xasprintf("%s   (failed in the session)", st->text);

			comment(&x, note);
			free(note);
		} else if (cmd_is_command(st->text))
			command(&x, st->text);
		else
			py_step(&x, x.current, st->text);
	}
	if (c)
		fputs("\n\t/* 3.11 refuses to finalize with sub-interpreters left */\n"
		    "\tfor (i = (int)(sizeof interps / sizeof interps[0]) - 1; i > 0; i--) {\n"
		    "\t\tif (interps[i] != NULL)\n"
		    "\t\t\tend_interp(i);\n"
		    "\t}\n"
		    "\tPyEval_RestoreThread(interps[0]);\n"
		    "\treturn Py_FinalizeEx() < 0 ? 120 : 0;\n}\n", f);
	return ferror(f) ? -1 : 0;
}
