/*
 * import.c: %import and %load in the engine (see import.h).
 *
 * To tell "init ran" from "filled from m_copy" we must know the module's
 * PyModuleDef *before* importing, which only a module already made from it
 * can tell us. So the engine remembers, by module name, every definition it
 * has seen: in any interpreter's sys.modules when an import starts, after
 * each import, and in an interpreter about to be destroyed. Definitions
 * live in the extension's data segment and extension files are never
 * unloaded, so a remembered pointer stays valid for the life of the
 * runtime.
 */
#include "config.h"

#include "import.h"

#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "interp.h"
#include "run.h"
#include "snapshot-collect.h"
#include "wire-codec.h"

struct known_def {
	char *name;                /* module name it was imported under */
	PyModuleDef *def;
	struct known_def *next;
};

static struct known_def *known;

static PyModuleDef *
known_find(const char *name)
{
	struct known_def *k;

	for (k = known; k != NULL; k = k->next) {
		if (strcmp(k->name, name) == 0)
			return k->def;
	}
	return NULL;
}

static void
known_add(const char *name, PyModuleDef *def)
{
	struct known_def *k;

	if (def == NULL)
		return;
	for (k = known; k != NULL; k = k->next) {
		if (strcmp(k->name, name) == 0) {
			k->def = def;
			return;
		}
	}
	k = calloc(1, sizeof *k);
	if (k == NULL || (k->name = strdup(name)) == NULL) {
		free(k);
		return;
	}
	k->def = def;
	k->next = known;
	known = k;
}

/* A single-phase module made from m_copy has no def of its own (3.13), but
 * its builtin functions still name, as __self__, the module whose init
 * made them, which has it. */
static PyModuleDef *
def_from_functions(PyObject *mod)
{
	PyObject *dict = PyModule_GetDict(mod), *key, *value;
	Py_ssize_t pos = 0;

	while (dict != NULL && PyDict_Next(dict, &pos, &key, &value)) {
		PyObject *self;
		PyModuleDef *def;

		if (!PyCFunction_Check(value))
			continue;
		self = PyCFunction_GET_SELF(value);
		if (self == NULL || self == mod || !PyModule_Check(self))
			continue;
		def = PyModule_GetDef(self);
		if (def != NULL && def->m_slots == NULL)
			return def;
	}
	PyErr_Clear();
	return NULL;
}

/* Learn the definition of sys.modules[name] in the entered interpreter. */
static void
learn(const char *name)
{
	PyObject *modules = PySys_GetObject("modules"), *mod;

	if (modules == NULL || !PyDict_Check(modules))
		return;
	mod = PyDict_GetItemString(modules, name); /* borrowed */
	if (mod != NULL && PyModule_Check(mod))
		known_add(name, PyModule_GetDef(mod));
	PyErr_Clear();
}

void
import_remember_defs(struct interp *it)
{
	PyObject *modules = PySys_GetObject("modules");
	PyObject *key, *value;
	Py_ssize_t pos = 0;

	(void)it;
	if (modules == NULL || !PyDict_Check(modules))
		return;
	while (PyDict_Next(modules, &pos, &key, &value)) {
		const char *name;

		if (!PyUnicode_Check(key) || !PyModule_Check(value))
			continue;
		name = PyUnicode_AsUTF8(key);
		if (name != NULL)
			known_add(name, PyModule_GetDef(value));
		PyErr_Clear();
	}
}

const char *
import_result_name(enum import_result r)
{
	switch (r) {
	case IMPORT_RAN_INIT:
		return "ran init";
	case IMPORT_FROM_COPY:
		return "filled from m_copy";
	case IMPORT_ALREADY:
		return "already imported";
	case IMPORT_REFUSED:
		return "refused";
	case IMPORT_INIT_ELSEWHERE:
		return "init ran elsewhere";
	case IMPORT_FAILED:
		break;
	}
	return "failed";
}

/* A machine's name from its ELF e_machine. */
static const char *
machine_name(unsigned m)
{
	switch (m) {
	case EM_386:
		return "i386";
	case EM_X86_64:
		return "x86_64";
	case EM_ARM:
		return "arm";
	case EM_AARCH64:
		return "aarch64";
	case EM_PPC64:
		return "ppc64";
	case EM_S390:
		return "s390x";
	case EM_RISCV:
		return "riscv";
	default:
		return "another machine";
	}
}

/* Why the dynamic loader cannot load an extension file, read from its ELF
 * header, when glibc's own answer ("cannot open shared object file: No such
 * file or directory" for a file that is there) says nothing useful; false
 * when the header looks loadable here. */
static bool
elf_unloadable(const char *file, char *why, size_t size)
{
	Elf64_Ehdr want, have;
	bool ok;
	FILE *f;

	f = fopen("/proc/self/exe", "rb");
	ok = f != NULL && fread(&want, sizeof want, 1, f) == 1;
	if (f != NULL)
		fclose(f);
	f = fopen(file, "rb");
	if (!ok || f == NULL) {
		if (f != NULL)
			fclose(f);
		return false;
	}
	ok = fread(&have, 1, sizeof have, f) >= EI_NIDENT + 4;
	fclose(f);
	if (!ok || memcmp(have.e_ident, ELFMAG, SELFMAG) != 0)
		snprintf(why, size, "%s is not an ELF file", file);
	else if (have.e_ident[EI_CLASS] != want.e_ident[EI_CLASS])
		snprintf(why, size, "%s is a %s-bit file, and this Python is "
		    "%s-bit", file, have.e_ident[EI_CLASS] == ELFCLASS32 ? "32" :
		    "64", want.e_ident[EI_CLASS] == ELFCLASS32 ? "32" : "64");
	else if (have.e_ident[EI_DATA] != want.e_ident[EI_DATA])
		snprintf(why, size, "%s has the other byte order", file);
	else if (have.e_machine != want.e_machine)
		snprintf(why, size, "%s was built for %s, and this is %s", file,
		    machine_name(have.e_machine), machine_name(want.e_machine));
	else if (have.e_type != ET_DYN)
		snprintf(why, size, "%s is not a shared object (an object file or "
		    "a program?)", file);
	else
		return false;
	return true;
}

/* "ImportError: text" of the raised exception, then clear it. */
static void
error_text(char *buf, size_t size)
{
	PyObject *type, *value, *tb, *text = NULL;
	const char *msg = NULL;
	char full[4096];

	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (value != NULL)
		text = PyObject_Str(value);
	if (text != NULL)
		msg = PyUnicode_AsUTF8(text);
	snprintf(full, sizeof full, "%s: %s",
	    type != NULL ? ((PyTypeObject *)type)->tp_name : "error",
	    msg != NULL ? msg : "(no message)");
	if (value != NULL && msg != NULL &&
	    strstr(msg, "cannot open shared object file") != NULL) {
		PyObject *path = PyObject_GetAttrString(value, "path");
		const char *file = path != NULL && PyUnicode_Check(path) ?
		    PyUnicode_AsUTF8(path) : NULL;
		char why[512];

		if (file != NULL && elf_unloadable(file, why, sizeof why))
			snprintf(full, sizeof full, "%s: %s (the loader said: %s)",
			    ((PyTypeObject *)type)->tp_name, why, msg);
		Py_XDECREF(path);
	}
	/* cut before a character, not inside one: the report goes to the
	 * front end as JSON, which takes UTF-8 only */
	codec_copy_text(buf, size, full);
	PyErr_Clear();
	Py_XDECREF(text);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
}

/* Import from a file the way importlib does for `%load`: the spec's name
 * picks the PyInit_<name> function, so one file can be loaded under several
 * init names (as CPython's _testsinglephase is). */
static PyObject *
load_from_file(const char *name, const char *path)
{
	PyObject *ns, *builtins, *res, *mod = NULL;
	static const char code[] =
	    "import importlib.util, sys\n"
	    "spec = importlib.util.spec_from_file_location(name, path)\n"
	    "if spec is None or spec.loader is None:\n"
	    "    raise ImportError(f'cannot load {path!r}: not a Python or "
	    "extension module file', name=name, path=path)\n"
	    "mod = importlib.util.module_from_spec(spec)\n"
	    "sys.modules[name] = mod\n"
	    "try:\n"
	    "    spec.loader.exec_module(mod)\n"
	    "except BaseException:\n"
	    "    sys.modules.pop(name, None)\n"
	    "    raise\n"
	    "mod = sys.modules[name]\n";

	PyObject *pyname = PyUnicode_FromString(name);
	PyObject *pypath = PyUnicode_DecodeFSDefault(path);

	ns = PyDict_New();
	builtins = PyEval_GetBuiltins(); /* borrowed */
	if (ns == NULL || pyname == NULL || pypath == NULL || builtins == NULL ||
	    PyDict_SetItemString(ns, "__builtins__", builtins) != 0 ||
	    PyDict_SetItemString(ns, "name", pyname) != 0 ||
	    PyDict_SetItemString(ns, "path", pypath) != 0)
		goto out;
	res = PyRun_String(code, Py_file_input, ns, ns);
	if (res == NULL)
		goto out;
	Py_DECREF(res);
	mod = PyDict_GetItemString(ns, "mod");
	Py_XINCREF(mod);
out:
	Py_XDECREF(ns);
	Py_XDECREF(pyname);
	Py_XDECREF(pypath);
	return mod;
}

/* Bind the module in __main__ as the import statement would: "a.b" binds
 * "a", so the user can go on with it at the prompt. */
static void
bind_in_main(const char *name, PyObject *mod)
{
	PyObject *main_mod = PyImport_AddModule("__main__"); /* borrowed */
	PyObject *modules = PySys_GetObject("modules"), *top = mod;
	const char *dot = strchr(name, '.');
	char *first;

	if (main_mod == NULL) {
		PyErr_Clear();
		return;
	}
	if (dot != NULL) {
		first = strndup(name, (size_t)(dot - name));
		top = first != NULL && modules != NULL ?
		    PyDict_GetItemString(modules, first) : NULL;
		if (top != NULL && PyObject_SetAttrString(main_mod, first, top) != 0)
			PyErr_Clear();
		free(first);
		return;
	}
	if (PyObject_SetAttrString(main_mod, name, top) != 0)
		PyErr_Clear();
}

static void
import_into(struct interp *it, const char *name, const char *path,
    struct import_report *r)
{
	PyObject *modules, *mod;
	PyModuleDef *def;

	memset(r, 0, sizeof *r);
	r->interp = it->id;
	interp_enter(it);
	modules = PySys_GetObject("modules");
	if (modules != NULL && PyDict_Check(modules) &&
	    (mod = PyDict_GetItemString(modules, name)) != NULL) {
		r->result = IMPORT_ALREADY;
		Py_INCREF(mod);
	} else {
		def = known_find(name);
		r->m_copy_before = def != NULL ? (uintptr_t)def->m_base.m_copy : 0;
		run_set_active(it->tstate);
		mod = path != NULL ? load_from_file(name, path) :
		    PyImport_ImportModule(name);
		run_set_active(NULL);
		if (mod == NULL) {
			r->result = PyErr_ExceptionMatches(PyExc_ImportError) ?
			    IMPORT_REFUSED : IMPORT_FAILED;
			error_text(r->error, sizeof r->error);
			interp_leave(it);
			return;
		}
		r->result = IMPORT_RAN_INIT;
	}
	bind_in_main(name, mod);
	r->module = (uintptr_t)mod;
	r->kind = KIND_OTHER;
	if (PyModule_Check(mod)) {
		struct snap_module m = { 0 };
		struct snap_instance in = { 0 };

		snapshot_describe(mod, &m, &in);
		r->kind = m.kind;
		free(m.file);
	}
	if (PyModule_Check(mod) && (def = PyModule_GetDef(mod)) != NULL) {
		r->has_def = 1;
		r->def = (uintptr_t)def;
		r->m_size = (long)def->m_size;
		r->m_copy_after = (uintptr_t)def->m_base.m_copy;
		if (r->result == IMPORT_RAN_INIT && def->m_slots == NULL &&
		    r->m_copy_before != 0 && r->m_copy_after == r->m_copy_before)
			r->result = IMPORT_FROM_COPY;
		known_add(name, def);
	} else if (r->kind == KIND_SINGLE) {
		/* No def on the module: CPython made it from m_copy. */
		def = known_find(name);
		if (def == NULL && (def = def_from_functions(mod)) != NULL)
			known_add(name, def);
		if (r->result == IMPORT_RAN_INIT)
			r->result = IMPORT_FROM_COPY;
		/* no copy before this import, yet this module came from one:
		 * the init ran just now, but not into this module (3.13 runs it
		 * in the main interpreter, into a module it keeps) */
		if (r->result == IMPORT_FROM_COPY && r->m_copy_before == 0 &&
		    def != NULL && def->m_base.m_copy != NULL)
			r->result = IMPORT_INIT_ELSEWHERE;
		if (def != NULL) {
			r->def = (uintptr_t)def;
			r->m_size = (long)def->m_size;
			r->m_copy_after = (uintptr_t)def->m_base.m_copy;
		}
	}
	PyErr_Clear();
	Py_DECREF(mod);
	interp_leave(it);
}

int
import_run(const char *name, const char *path, const interp_id *ids,
    size_t n, struct import_report *reports, char **cause)
{
	struct interp *it;
	size_t i;

	if (name[0] == '\0') {
		cause_set(cause, "a module name cannot be empty");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (interp_by_id(ids[i]) == NULL) {
			cause_set(cause, "no interpreter with id %lld",
			    (long long)ids[i]);
			return -1;
		}
	}
	/* Learn the definition from every interpreter that has the module. */
	for (it = interp_first(); it != NULL; it = it->next) {
		interp_enter(it);
		learn(name);
		interp_leave(it);
	}
	for (i = 0; i < n; i++)
		import_into(interp_by_id(ids[i]), name, path, &reports[i]);
	return 0;
}
