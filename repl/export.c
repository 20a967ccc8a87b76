/*
 * export.c: the journal as a standalone reproduction (%export): a Python
 * script using CPython's own low-level interpreter module
 * (_xxsubinterpreters up to 3.12, _interpreters from 3.13), or a C program
 * against the C API.
 *
 * The journal is walked like a session: each command step is parsed again
 * with the REPL's own parser (cmd_parse) and rendered by its entry's
 * `export` slot, which calls the functions below; commands without one
 * only look, and become comments. The interpreters a session creates get
 * variables (i1, i2, ...) in creation order, so ids and names of the
 * session map onto them. Python steps run as typed at that interpreter's
 * prompt ('single' mode: values of expressions are printed, exceptions
 * print a traceback and the script goes on).
 */
#include "config.h"

#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "replay.h"
#include "xmalloc.h"

struct var {
	int index;        /* i<index>; 0 is main */
	char name[INTERP_NAME_MAX + 1];
	char preset[12];  /* as subrepl labels it */
	bool alive;
};

struct export {
	FILE *f;
	bool c;                       /* C, else Python */
	struct var vars[EXPORT_INTERPS_MAX];
	int nvars;                    /* main is vars[0] */
	int current;                  /* index into vars */
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
		else if (*p < 0x20 || *p == 0x7f)
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
		else if (*p < 0x20 || *p == 0x7f || *p == '?')
			fprintf(f, "\\%03o", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A comment holding text: no character of it may end the comment or
 * start a line of code, so line breaks become " | ", other control
 * characters (a carriage return would make a terminal or an editor show
 * what follows it as code) are written as \xNN, and C's end of comment is
 * broken up. */
void
export_comment(struct export *x, const char *text)
{
	const unsigned char *p;

	fputs(x->c ? "\t/* " : "# ", x->f);
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '\n')
			fputs(" | ", x->f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(x->f, "\\x%02x", *p);
		else if (x->c && *p == '*' && p[1] == '/')
			fputs("* /", x->f), p++;
		else
			fputc(*p, x->f);
	}
	fputs(x->c ? " */\n" : "\n", x->f);
}

int
export_interp(struct export *x, const char *ref)
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

void
export_use(struct export *x, int slot)
{
	if (slot >= 0 && slot < x->nvars && x->vars[slot].alive)
		x->current = slot;
}

void
export_step(struct export *x, int slot, const char *source)
{
	if (x->c) {
		fprintf(x->f, "\tstep(%d, ", x->vars[slot].index);
		c_str(x->f, source);
		fputs(");\n", x->f);
		return;
	}
	if (slot == 0)
		fputs("_step(None, ", x->f);
	else
		fprintf(x->f, "_step(i%d, ", x->vars[slot].index);
	py_str(x->f, source);
	fputs(")\n", x->f);
}

/* -1 (the preset decides), 0 or 1, as the C export's new_interp takes. */
static int
flag_arg(enum config_flag f)
{
	return f == FLAG_UNSET ? -1 : f == FLAG_ON;
}

void
export_new(struct export *x, const struct interp_request *req)
{
	bool isolated = req->preset == PRESET_ISOLATED;
	bool custom = req->own_gil != FLAG_UNSET ||
	    req->own_obmalloc != FLAG_UNSET || req->check_ext != FLAG_UNSET ||
	    req->allow_fork != FLAG_UNSET || req->allow_exec != FLAG_UNSET ||
	    req->allow_threads != FLAG_UNSET ||
	    req->allow_daemon_threads != FLAG_UNSET;
	struct var *v;

	if (x->nvars >= EXPORT_INTERPS_MAX) {
		export_comment(x, "(more interpreters than an export holds: "
		    "left out)");
		return;
	}
	v = &x->vars[x->nvars];
	v->index = x->nvars;
	v->alive = true;
	snprintf(v->name, sizeof v->name, "%s", req->name != NULL ? req->name : "");
	snprintf(v->preset, sizeof v->preset, "%s", custom ? "custom" :
	    isolated ? "isolated" : "legacy");
	x->current = x->nvars++;
	if (x->c) {
		fprintf(x->f, "\tnew_interp(%d, %d, %d, %d, %d);\n", v->index,
		    isolated, flag_arg(req->own_gil), flag_arg(req->own_obmalloc),
		    flag_arg(req->check_ext));
		return;
	}
	if (custom)
		export_comment(x, "a custom config: _xxsubinterpreters takes only "
		    "the preset; the flags are in the C export");
	fprintf(x->f, "i%d = _new(%s)\n", v->index,
	    isolated ? "'isolated'" : "'legacy'");
}

void
export_destroy(struct export *x, int slot)
{
	if (slot <= 0 || slot >= x->nvars || !x->vars[slot].alive)
		return;
	if (x->c)
		fprintf(x->f, "\tend_interp(%d);\n", x->vars[slot].index);
	else
		fprintf(x->f, "_subint.destroy(i%d)\n", x->vars[slot].index);
	x->vars[slot].alive = false;
	if (x->current == slot)
		x->current = 0;
}

void
export_all(struct export *x, const char *source)
{
	char label[INTERP_LABEL_MAX];
	int i;

	for (i = 0; i < x->nvars; i++) {
		const struct var *v = &x->vars[i];

		if (!v->alive)
			continue;
		/* the label %all prints before each interpreter's run */
		if (i == 0)
			snprintf(label, sizeof label, "[0 main]");
		else
			snprintf(label, sizeof label, "[%d%s%s %s]", v->index,
			    v->name[0] != '\0' ? " " : "", v->name, v->preset);
		if (x->c) {
			fputs("\tprintf(\"%s\\n\", ", x->f);
			c_str(x->f, label);
			fputs(");\n", x->f);
		} else {
			fputs("print(", x->f);
			py_str(x->f, label);
			fputs(", flush=True)\n", x->f);
		}
		export_step(x, i, source);
	}
}

void
export_import(struct export *x, const char *module, const char *path,
    const int *slots, size_t n)
{
	char *code = NULL;
	size_t len = 0, i;
	FILE *mem = open_memstream(&code, &len);

	if (mem == NULL)
		return;
	if (path == NULL)
		fprintf(mem, "import %s", module);
	else {
		/* name and path as literals, whatever characters they hold */
		fputs("import importlib.util, sys; _s = importlib.util."
		    "spec_from_file_location(", mem);
		py_str(mem, module);
		fputs(", ", mem);
		py_str(mem, path);
		fprintf(mem, "); %s = importlib.util.module_from_spec(_s); "
		    "sys.modules[_s.name] = %s; _s.loader.exec_module(%s)",
		    module, module, module);
	}
	fclose(mem);
	for (i = 0; i < n; i++)
		export_step(x, slots[i], code);
	free(code);
}

void
export_reinit(struct export *x)
{
	if (x->c)
		fputs("\treinit();\n", x->f);
	else
		export_comment(x, "%reinit needs Py_FinalizeEx and Py_Initialize: "
		    "the C export does it; from Python it cannot be done");
}

size_t
export_targets(struct export *x, const struct cmd_args *args, int *slots)
{
	const char *in = cmd_args_value(args, "--in");
	char *list, *w, *save = NULL;
	size_t n = 0;
	int i, v;

	if (cmd_args_flag(args, "--all")) {
		for (i = 0; i < x->nvars; i++) {
			if (x->vars[i].alive)
				slots[n++] = i;
		}
		return n;
	}
	if (in == NULL) {
		slots[0] = x->current;
		return 1;
	}
	list = xstrdup(in);
	for (w = strtok_r(list, ",", &save); w != NULL && n < EXPORT_INTERPS_MAX;
	    w = strtok_r(NULL, ",", &save)) {
		if ((v = export_interp(x, w)) >= 0)
			slots[n++] = v;
	}
	free(list);
	return n;
}

int
export_current(struct export *x)
{
	return x->current;
}

/* One command step: its entry's export slot, after the line itself as a
 * comment. */
static void
command(struct export *x, const char *text)
{
	struct cmd_line line;
	char *cause = NULL;

	export_comment(x, text);
	if (cmd_parse(text, &line, &cause) == 0 && line.entry->export != NULL)
		line.entry->export(x, &line.args);
	free(cause);
	cmd_line_free(&line);
}

static const char py_head[] =
    "import os, sys, traceback\n"
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
    "# A step that fails writes a byte to this pipe (descriptors are\n"
    "# process-wide: the sub-interpreters reach it too), so the script's exit\n"
    "# status says whether every step succeeded, as subrepl's does.\n"
    "_failed_r, _failed_w = os.pipe()\n"
    "os.set_blocking(_failed_r, False)\n"
    "\n"
    "# One step as typed at that interpreter's prompt: values of expressions\n"
    "# are printed, an exception prints its traceback and the script goes on.\n"
    "# Every interpreter's sys.path gets subrepl's demo modules, as in the\n"
    "# session.\n"
    "_STEP = '''import sys, traceback, __main__, os\n"
    "if {demo!r} not in sys.path:\n"
    "    sys.path.append({demo!r})\n"
    "try:\n"
    "    exec(compile({source!r}, '<stdin>', 'single'), __main__.__dict__)\n"
    "except SystemExit as e:\n"
    "    print('SystemExit:', e.code, file=sys.stderr)\n"
    "except BaseException:\n"
    "    _t, _v, _tb = sys.exc_info()\n"
    "    traceback.print_exception(_t, _v, _tb.tb_next)  # from the step on\n"
    "    os.write({failed}, b'x')\n"
    "sys.stdout.flush(); sys.stderr.flush()\n"
    "'''\n"
    "\n"
    "def _step(interp, source):\n"
    "    sys.stdout.flush(); sys.stderr.flush()\n"
    "    code = _STEP.format(demo=_DEMO, source=source, failed=_failed_w)\n"
    "    if interp is None:\n"
    "        exec(code, {'__name__': '_subrepl_step'})\n"
    "    else:\n"
    "        _subint.run_string(interp, code)\n"
    "\n";

static const char py_tail[] =
    "\n"
    "try:\n"
    "    _failed = os.read(_failed_r, 1) != b''\n"
    "except BlockingIOError:\n"
    "    _failed = False\n"
    "sys.exit(1 if _failed else 0)\n";

static const char c_includes[] =
    "#define PY_SSIZE_T_CLEAN\n"
    "#include <Python.h>\n"
    "#include <stdio.h>\n"
    "\n";

static const char c_head[] =
    "static int failures;                 /* steps that failed */\n"
    "static PyThreadState *interps[%d];   /* [0] is main */\n"
    "static int isolated_flags[%d][3];\n"
    "\n"
    "/* Every interpreter's sys.path gets subrepl's demo modules, as in the\n"
    " * session. */\n"
    "static void\n"
    "demo_on_path(void)\n"
    "{\n"
    "\tPyObject *path = PySys_GetObject(\"path\");\n"
    "\tPyObject *dir = PyUnicode_FromString(demo_dir);\n"
    "\n"
    "\tif (path != NULL && dir != NULL && PySequence_Contains(path, dir) == 0)\n"
    "\t\tPyList_Append(path, dir);\n"
    "\tPy_XDECREF(dir);\n"
    "\tPyErr_Clear();\n"
    "}\n"
    "\n"
    "/* One step as typed at that interpreter's prompt. */\n"
    "static void\n"
    "step(int i, const char *source)\n"
    "{\n"
    "\tPyObject *main, *d, *r;\n"
    "\n"
    "\tfflush(stdout);\n"
    "\tPyEval_RestoreThread(interps[i]);\n"
    "\tdemo_on_path();\n"
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
    "\t\t} else {\n"
    "\t\t\tPyErr_Print();\n"
    "\t\t\tfailures++;\n"
    "\t\t}\n"
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
    size_t to, const char *python_version, const char *source_path,
    const char *demo_dir)
{
	struct export x;
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
		fputs(c_includes, f);
		fputs("/* subrepl's demo modules */\nstatic const char demo_dir[] = ", f);
		c_str(f, demo_dir != NULL ? demo_dir : "");
		fputs(";\n", f);
		fprintf(f, c_head, EXPORT_INTERPS_MAX, EXPORT_INTERPS_MAX);
	} else {
		fprintf(f, "#!/usr/bin/env python%s\n# A reproduction of a subrepl "
		    "session on Python %s, exported from\n# %s. Run it with python%s "
		    "(the module of interpreters differs\n# between versions).\n",
		    mm, python_version, source_path, mm);
		fputs("\n# subrepl's demo modules\n_DEMO = ", f);
		py_str(f, demo_dir != NULL ? demo_dir : "");
		fputs("\n\n", f);
		fputs(py_head, f);
	}
	for (i = from; i < to; i++) {
		const struct journal_step *st = &steps->v[i];

		if (!replay_takes(st))
			continue;
		if (cmd_is_command(st->text) && strncmp(st->outcome, "failed", 6) == 0) {
			char *note = xasprintf("%s   (failed in the session)", st->text);

			export_comment(&x, note);
			free(note);
		} else if (cmd_is_command(st->text))
			command(&x, st->text);
		else
			export_step(&x, x.current, st->text);
	}
	if (c)
		fputs("\n\t/* 3.11 refuses to finalize with sub-interpreters left */\n"
		    "\tfor (i = (int)(sizeof interps / sizeof interps[0]) - 1; i > 0; i--) {\n"
		    "\t\tif (interps[i] != NULL)\n"
		    "\t\t\tend_interp(i);\n"
		    "\t}\n"
		    "\tPyEval_RestoreThread(interps[0]);\n"
		    "\tif (Py_FinalizeEx() < 0)\n"
		    "\t\treturn 120;\n"
		    "\treturn failures > 0 ? 1 : 0;\n}\n", f);
	else
		fputs(py_tail, f);
	return ferror(f) ? -1 : 0;
}

char *
export_journal(bool c, const char *jpath, const char *python_version,
    const char *source_path, size_t *len, char **cause)
{
	struct journal_steps steps;
	size_t from = 0, to, i;
	char *demo, *text = NULL;
	FILE *f;
	int rc;

	if (journal_read(jpath, &steps, cause) != 0)
		return NULL;
	to = steps.n;
	for (i = 0; i < steps.n; i++) {
		if (steps.v[i].text == NULL)
			from = i + 1; /* a host started: its steps come after */
	}
	for (i = from; i < steps.n; i++) {
		/* a host that died: the export ends with the step that killed
		 * it, whatever was typed at the no-host prompt after it */
		if (steps.v[i].text != NULL &&
		    strncmp(steps.v[i].outcome, "host died", 9) == 0) {
			to = i + 1;
			break;
		}
	}
	f = open_memstream(&text, len);
	if (f == NULL) {
		journal_steps_free(&steps);
		*cause = xstrdup("out of memory");
		return NULL;
	}
	demo = session_demo_dir();
	rc = export_write(f, c, &steps, from, to, python_version, source_path,
	    demo);
	free(demo);
	journal_steps_free(&steps);
	if (fclose(f) != 0 || rc != 0) {
		free(text);
		*cause = xstrdup("out of memory");
		return NULL;
	}
	return text;
}

int
export_language(const char *path, bool *c)
{
	size_t n = strlen(path);

	*c = n > 2 && strcmp(path + n - 2, ".c") == 0;
	return *c || (n > 3 && strcmp(path + n - 3, ".py") == 0) ? 0 : -1;
}
