/*
 * check-scenario.c: the scenarios of `subrepl check` (see
 * check-scenario.h). Each runs against a host of its own, so a crash, an
 * abort or a hang ends that scenario only, as a result. Every step goes
 * through the session API, as the REPL's commands do; the first step that
 * does not succeed decides the outcome and is named in it.
 *
 * Two things are asked of Python itself, by running a few lines in the
 * host: which imports were under way when an import failed (the chain,
 * read from the ImportError's traceback: importlib's _find_and_load
 * frames hold the names), and two own-GIL interpreters importing at the
 * same moment from two threads (CPython's private _interpreters module,
 * _xxsubinterpreters on 3.12). Their answers come back as marker lines in
 * what the host prints.
 */
#include "config.h"

#include "check-scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "xmalloc.h"

/* Rounds of the churn scenario, and the one its memory is measured from
 * (the first rounds fill caches that are not leaks). */
#define CHURN_ROUNDS 20
#define CHURN_WARM 5

/* The start of a line a scenario's Python prints for the checker. */
#define MARK "\036subrepl-check "

struct check_run {
	struct session *s;
	const struct check_target *t;
	struct check_result *res;
	int capture_fd;
	bool done;               /* the outcome is decided */
};

const char *
check_outcome_name(enum check_outcome o)
{
	switch (o) {
	case CHECK_OK:
		return "ok";
	case CHECK_REFUSED:
		return "refused";
	case CHECK_FAILED:
		return "failed";
	case CHECK_CRASHED:
		return "crashed";
	case CHECK_TIMED_OUT:
		return "timed out";
	case CHECK_SKIPPED:
		return "skipped";
	}
	return "?";
}

/* The outcome, once: the first step that fails decides it. */
static void __attribute__((format(printf, 3, 4)))
decide(struct check_run *r, enum check_outcome o, const char *fmt, ...)
{
	va_list ap;

	if (r->done)
		return;
	r->done = true;
	r->res->outcome = o;
	va_start(ap, fmt);
	vsnprintf(r->res->detail, sizeof r->res->detail, fmt, ap);
	va_end(ap);
}

/* Name the step about to run (what a failure is blamed on). */
static void __attribute__((format(printf, 2, 3)))
step(struct check_run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->res->step, sizeof r->res->step, fmt, ap);
	va_end(ap);
}

static char *captured_since(struct check_run *r, off_t from);

/* A crash's report: what the session held back of the host's last words,
 * else what the host printed from its fatal error report on (the link
 * passes stderr on as it comes, and holds back only what follows a
 * report's first line once it sees one). */
static void
keep_stack(struct check_run *r)
{
	char *words = session_host_last_words(r->s), *all, *from = NULL, *p;

	if (words == NULL && r->capture_fd >= 0) {
		all = captured_since(r, 0);
		for (p = all; (p = strstr(p, "Python traceback of the step that "
		    "crashed:")) != NULL; p++)
			from = p;
		for (p = from != NULL ? from : all; from == NULL &&
		    (p = strstr(p, "Fatal Python error:")) != NULL; p++)
			from = p;
		words = from != NULL ? xstrdup(from) : NULL;
		free(all);
	}
	if (words != NULL)
		snprintf(r->res->stack, sizeof r->res->stack, "%s", words);
	free(words);
}

/* A session call failed with cause: a dead host is a crash (or a step
 * killed at the timeout), anything else a failed step. */
static void
failed_call(struct check_run *r, char *cause)
{
	const char *death = session_host_death(r->s);

	if (death != NULL) {
		keep_stack(r);
		decide(r, strstr(death, "ran past %timeout") != NULL ?
		    CHECK_TIMED_OUT : CHECK_CRASHED, "%s", death);
	} else
		decide(r, CHECK_FAILED, "%s", cause != NULL ? cause :
		    "out of memory");
	free(cause);
}

/* What the host printed since offset, NUL-ended (malloc'd). */
static char *
captured_since(struct check_run *r, off_t from)
{
	off_t end = lseek(r->capture_fd, 0, SEEK_END);
	char *text;
	ssize_t n;

	if (end < from)
		end = from;
	text = xmalloc((size_t)(end - from) + 1);
	n = pread(r->capture_fd, text, (size_t)(end - from), from);
	text[n > 0 ? n : 0] = '\0';
	return text;
}

/* Run Python in an interpreter; the text of its marker line, if it
 * printed one (malloc'd), else NULL. False when the step failed. */
static bool
run_python(struct check_run *r, interp_id id, const char *code,
    char **marked)
{
	off_t from = lseek(r->capture_fd, 0, SEEK_END);
	struct run_result rr;
	char *cause = NULL, *out, *m;

	fflush(stdout);
	*marked = NULL;
	if (session_run(r->s, id, code, RUN_STATEMENTS, &rr, &cause) != 0) {
		failed_call(r, cause);
		return false;
	}
	out = captured_since(r, from);
	m = strstr(out, MARK);
	if (m != NULL) {
		m += strlen(MARK);
		m[strcspn(m, "\n")] = '\0';
		*marked = xstrdup(m);
	}
	free(out);
	if (rr.outcome != RUN_OK) {
		decide(r, CHECK_FAILED, "the checker's own Python raised in "
		    "interpreter %lld", (long long)id);
		free(*marked);
		*marked = NULL;
		return false;
	}
	return true;
}

/* A Python string literal of s (s holds no quote or backslash of its own
 * in a module name; a path may: escaped). */
static void
py_quote(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	buf[n++] = '\'';
	for (; *s != '\0' && n + 5 < size; s++) {
		if (*s == '\\' || *s == '\'')
			buf[n++] = '\\';
		buf[n++] = *s;
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

/* The Python that imports the target (a module name, or a file loaded
 * under its init name, as %load does); malloc'd. */
static char *
import_code(const struct check_target *t)
{
	char name[300], path[2 * PATH_MAX + 4];

	py_quote(t->name, name, sizeof name);
	if (t->path[0] == '\0')
		return xasprintf("__import__(%s)", name);
	py_quote(t->path, path, sizeof path);
	return xasprintf("(lambda u, m: (lambda s: (s.loader.exec_module("
	    "u.module_from_spec(s)) if s.name not in __import__('sys')."
	    "modules else None))(u.spec_from_file_location(%s, %s, loader="
	    "m.ExtensionFileLoader(%s, %s))))(__import__('importlib.util')."
	    "util, __import__('importlib.machinery').machinery)", name, path,
	    name, path);
}

/* After a failed import in id: import again from Python and read, from the
 * exception's traceback, the modules importlib was loading, outermost
 * first ("numpy > numpy.core > numpy.core._multiarray_umath"). */
static void
find_chain(struct check_run *r, interp_id id)
{
	char *imp = import_code(r->t), *code, *chain;

	/* importlib takes its own frames out of tracebacks: the modules
	 * being executed are the traceback's <module> frames, and the one
	 * that raised (an extension has no frame) is the last import an
	 * audit hook saw start that did not end in sys.modules. The hook
	 * stays (hooks cannot be removed), in a host whose scenario is over. */
	code = xasprintf(
	    "def _subrepl_chain():\n"
	    "    import sys\n"
	    "    started = []\n"
	    "    def hook(event, args):\n"
	    "        if event == 'import' and started is not None:\n"
	    "            started.append(args[0])\n"
	    "    sys.addaudithook(hook)\n"
	    "    try:\n"
	    "        %s\n"
	    "    except BaseException as e:\n"
	    "        names, tb = [], e.__traceback__\n"
	    "        while tb is not None:\n"
	    "            g = tb.tb_frame.f_globals\n"
	    "            if tb.tb_frame.f_code.co_name == '<module>' and \\\n"
	    "                    g.get('__name__') not in names:\n"
	    "                names.append(g.get('__name__'))\n"
	    "            tb = tb.tb_next\n"
	    "        gone = [n for n in started if n not in sys.modules]\n"
	    "        if gone and gone[-1] not in names:\n"
	    "            names.append(gone[-1])\n"
	    "        print(%s + ' > '.join(map(str, names)), flush=True)\n"
	    "    started = None\n"
	    "_subrepl_chain()\n"
	    "del _subrepl_chain\n", imp, "'\\036subrepl-check '");
	free(imp);
	if (run_python(r, id, code, &chain) && chain != NULL)
		snprintf(r->res->chain, sizeof r->res->chain, "%s", chain);
	free(chain);
	free(code);
}

static void
learn_facts(struct check_run *r)
{
	const char *names[1] = { r->t->name };
	struct snap_filter f = { .names = names, .nnames = 1,
	    .only = INTERP_NONE };
	struct check_facts *fa = &r->res->facts;
	const struct snap_module *m;
	struct snapshot *snap;
	char *cause = NULL;

	if (session_snapshot(r->s, &f, &snap, &cause) != 0) {
		free(cause);
		return;
	}
	m = snapshot_module(snap, r->t->name);
	if (m != NULL) {
		fa->known = true;
		fa->kind = m->kind;
		fa->m_size = m->m_size;
		fa->has_def = m->has_def;
		fa->multi_interp = m->multi_interp;
		fa->gil = m->gil;
		snprintf(fa->file, sizeof fa->file, "%s", m->file != NULL ?
		    m->file : "");
	}
	snapshot_free(snap);
}

/* Import the target into one interpreter; false when it did not load. */
static bool
import_into(struct check_run *r, interp_id id, const char *where)
{
	struct import_report rep;
	char *cause = NULL;

	if (r->done)
		return false;
	step(r, "import %s in %s", r->t->name, where);
	memset(&rep, 0, sizeof rep);
	if (session_import(r->s, r->t->name, r->t->path[0] != '\0' ?
	    r->t->path : NULL, &id, 1, &rep, &cause) != 0) {
		failed_call(r, cause);
		return false;
	}
	if (id == 0 && rep.result != IMPORT_REFUSED &&
	    rep.result != IMPORT_FAILED && !r->res->facts.known)
		learn_facts(r);
	if (rep.result == IMPORT_REFUSED || rep.result == IMPORT_FAILED) {
		decide(r, rep.result == IMPORT_REFUSED ? CHECK_REFUSED :
		    CHECK_FAILED, "%s", rep.error);
		/* decided: whatever the retry does, the outcome stays */
		find_chain(r, id);
		return false;
	}
	return true;
}

/* A new interpreter; INTERP_NONE when it could not be made. */
static interp_id
new_interp(struct check_run *r, enum interp_preset preset, bool own_gil,
    const char *name)
{
	struct interp_request req = { .name = name, .preset = preset,
	    .own_gil = FLAG_UNSET, .own_obmalloc = FLAG_UNSET,
	    .check_ext = FLAG_UNSET, .allow_fork = FLAG_UNSET,
	    .allow_exec = FLAG_UNSET, .allow_threads = FLAG_UNSET,
	    .allow_daemon_threads = FLAG_UNSET };
	struct interp_info info;
	char *cause = NULL;

	if (r->done)
		return INTERP_NONE;
	if (preset == PRESET_ISOLATED && !own_gil)
		req.own_gil = FLAG_OFF;
	step(r, "create interpreter %s", name);
	if (session_new(r->s, &req, &info, &cause) != 0) {
		failed_call(r, cause);
		return INTERP_NONE;
	}
	return info.id;
}

static bool
del_interp(struct check_run *r, interp_id id, const char *name)
{
	char *cause = NULL;

	if (r->done)
		return false;
	step(r, "destroy interpreter %s", name);
	if (session_del(r->s, id, &cause) != 0) {
		failed_call(r, cause);
		return false;
	}
	return true;
}

/* ------------------------------------------------------ what is learned */

/* Whether a path starts in the target's package: sys.modules['pkg'] or
 * sys.modules['pkg.sub']. */
static bool
path_in_target(const char *path, const char *top, size_t toplen)
{
	const char *p;

	if (strncmp(path, "sys.modules['", 13) != 0)
		return false;
	p = path + 13;
	return strncmp(p, top, toplen) == 0 && (p[toplen] == '\'' ||
	    p[toplen] == '.');
}

/* Whether the audit lists the object at addr (its objects are sorted by
 * type, so a scan: a few hundred at most). */
static bool
crosses(const struct audit *a, uintptr_t addr)
{
	size_t i;

	for (i = 0; i < a->nobjects; i++) {
		if (a->objects[i].addr == addr)
			return true;
	}
	return false;
}

/* What crosses between main and the other interpreter that imported the
 * target, through its modules, and which of its C statics hold such
 * objects. */
static void
learn_findings(struct check_run *r)
{
	struct check_findings *fi = &r->res->findings;
	const char *names[1] = { r->t->name };
	size_t toplen = strcspn(r->t->name, ".");
	struct statics *st;
	struct audit *a;
	char *cause = NULL;
	size_t i, j, k;

	if (session_audit(r->s, NULL, 0, NULL, 0, false, &a, &cause) != 0) {
		free(cause);
		return;
	}
	fi->walked = true;
	if (session_statics(r->s, names, 1, &st, &cause) != 0) {
		free(cause);
		st = NULL;
	}
	for (i = 0; i < a->nobjects; i++) {
		const struct audit_object *o = &a->objects[i];
		const char *mine = NULL;

		for (j = 0; j < o->npaths && mine == NULL; j++) {
			if (path_in_target(o->paths[j].path, r->t->name, toplen))
				mine = o->paths[j].path;
		}
		if (mine == NULL)
			continue;
		fi->crossing++;
		fi->dangerous += (o->flags & (AUDIT_OWNER_DESTROYED |
		    AUDIT_FOREIGN_GLOBALS | AUDIT_FOREIGN_TYPE)) != 0;
		if ((o->flags & AUDIT_ENTRY) == 0)
			continue;
		if (fi->entries < CHECK_EXAMPLES)
			snprintf(fi->examples[fi->entries], sizeof fi->examples[0],
			    "%s at %s", o->type, mine);
		fi->entries++;
	}
	/* a static counts when it holds an object the audit says crosses:
	 * not True or None, which every interpreter shares by design */
	for (i = 0; st != NULL && i < st->nfiles; i++) {
		for (j = 0; j < st->files[i].nsymbols; j++) {
			const struct static_symbol *sym = &st->files[i].symbols[j];

			if (sym->kind == STATIC_TYPE)
				fi->static_types++;
			for (k = 0; k < sym->nrefs; k++) {
				if (!crosses(a, sym->refs[k].addr))
					continue;
				if (fi->statics < CHECK_EXAMPLES)
					snprintf(fi->static_examples[fi->statics],
					    sizeof fi->static_examples[0], "%s+%zu holds %s",
					    sym->name != NULL ? sym->name : "(range)",
					    sym->refs[k].offset, sym->refs[k].type);
				fi->statics++;
			}
		}
	}
	if (st != NULL)
		statics_free(st);
	audit_free(a);
}

/* The host's resident memory, from /proc; -1 when unknown. */
static long
host_rss_kb(struct check_run *r)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status",
	    (long)session_host_pid(r->s));
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	}
	fclose(f);
	return kb;
}

/* ------------------------------------------------------------ scenarios */

static void
main_only(struct check_run *r)
{
	import_into(r, 0, "main");
}

static void
main_then_legacy(struct check_run *r)
{
	interp_id sub;

	if (!import_into(r, 0, "main"))
		return;
	sub = new_interp(r, PRESET_LEGACY, false, "legacy");
	if (sub == INTERP_NONE || !import_into(r, sub, "a legacy interpreter"))
		return;
	learn_findings(r);
}

static void
legacy_then_main(struct check_run *r)
{
	interp_id sub = new_interp(r, PRESET_LEGACY, false, "legacy");

	if (sub != INTERP_NONE && import_into(r, sub, "a legacy interpreter"))
		import_into(r, 0, "main");
}

/* Two legacy interpreters import it; they are destroyed, the first
 * importer first or last; then main imports it afresh. */
static void
two_destroyed(struct check_run *r, bool first_importer_first)
{
	interp_id a = new_interp(r, PRESET_LEGACY, false, "a");
	interp_id b = new_interp(r, PRESET_LEGACY, false, "b");

	if (!import_into(r, a, "interpreter a (the first importer)") ||
	    !import_into(r, b, "interpreter b"))
		return;
	if (first_importer_first) {
		if (del_interp(r, a, "a (the first importer)"))
			del_interp(r, b, "b");
	} else {
		if (del_interp(r, b, "b"))
			del_interp(r, a, "a (the first importer)");
	}
	import_into(r, 0, "main, after both were destroyed");
}

static void
first_importer_destroyed(struct check_run *r)
{
	two_destroyed(r, true);
}

static void
last_importer_destroyed(struct check_run *r)
{
	two_destroyed(r, false);
}

/* check_multi_interp_extensions, with main's GIL (3.12+). */
static void
isolated(struct check_run *r)
{
	interp_id sub;

	if (!import_into(r, 0, "main"))
		return;
	sub = new_interp(r, PRESET_ISOLATED, false, "isolated");
	if (sub != INTERP_NONE &&
	    import_into(r, sub, "an isolated interpreter (shared GIL)"))
		learn_findings(r);
}

/* A GIL of its own; then two own-GIL interpreters importing it at the
 * same moment, from two threads of main. */
static void
own_gil(struct check_run *r)
{
	char *imp, *lit, *code, *errors = NULL;
	interp_id sub;

	if (!import_into(r, 0, "main"))
		return;
	sub = new_interp(r, PRESET_ISOLATED, true, "own-gil");
	if (sub == INTERP_NONE ||
	    !import_into(r, sub, "an interpreter with its own GIL"))
		return;
	learn_findings(r);
	imp = import_code(r->t);
	lit = xmalloc(2 * strlen(imp) + 3);
	py_quote(imp, lit, 2 * strlen(imp) + 3);
	code = xasprintf(
	    "def _subrepl_race(code):\n"
	    "    import sys, threading\n"
	    "    code = 'import sys; sys.path[:] = %%r\\n' %% sys.path + code\n"
	    "    try:\n"
	    "        import _interpreters as xi\n"
	    "    except ImportError:\n"
	    "        import _xxsubinterpreters as xi\n"
	    "    ids = [xi.create() for _ in range(2)]\n"
	    "    gate, errors = threading.Barrier(2), []\n"
	    "    def go(i):\n"
	    "        gate.wait()\n"
	    "        try:\n"
	    "            e = xi.run_string(i, code)\n"
	    "            if e is not None:\n"
	    "                errors.append(getattr(e, 'formatted', str(e)))\n"
	    "        except Exception as e:\n"
	    "            errors.append(str(e))\n"
	    "    ts = [threading.Thread(target=go, args=(i,)) for i in ids]\n"
	    "    for t in ts: t.start()\n"
	    "    for t in ts: t.join()\n"
	    "    for i in ids: xi.destroy(i)\n"
	    "    print(%s + ' | '.join(errors), flush=True)\n"
	    "_subrepl_race(%s)\n"
	    "del _subrepl_race\n", "'\\036subrepl-check '", lit);
	free(imp);
	free(lit);
	step(r, "import %s in two own-GIL interpreters at once, from two "
	    "threads", r->t->name);
	if (run_python(r, 0, code, &errors) && errors != NULL &&
	    errors[0] != '\0')
		decide(r, strstr(errors, "ImportError") != NULL ? CHECK_REFUSED :
		    CHECK_FAILED, "%s", errors);
	free(errors);
	free(code);
}

/* Py_FinalizeEx and Py_Initialize again, then import again. */
static void
reinit(struct check_run *r)
{
	struct reinit_map *map = NULL;
	char *cause = NULL;
	size_t n = 0;

	if (!import_into(r, 0, "main"))
		return;
	step(r, "finalize the runtime and initialize it again");
	if (session_reinit(r->s, &map, &n, &cause) != 0) {
		failed_call(r, cause);
		return;
	}
	free(map);
	import_into(r, 0, "main, after re-initialization");
}

/* Create, import, destroy, over and over: a crash or memory that grows. */
static void
churn(struct check_run *r)
{
	char name[32];
	long warm = -1, rss;
	int i;

	for (i = 0; i < CHURN_ROUNDS && !r->done; i++) {
		interp_id id;

		snprintf(name, sizeof name, "round%d", i + 1);
		id = new_interp(r, PRESET_LEGACY, false, name);
		if (id == INTERP_NONE || !import_into(r, id, name) ||
		    !del_interp(r, id, name))
			break;
		r->res->rounds = i + 1;
		rss = host_rss_kb(r);
		if (i + 1 == CHURN_WARM)
			warm = rss;
		else if (i + 1 > CHURN_WARM && warm >= 0 && rss >= 0)
			r->res->rss_growth_kb = rss - warm;
	}
}

const struct check_scenario check_scenarios[] = {
	{ "main", "import in main only", false, main_only },
	{ "main-legacy", "main, then a legacy sub-interpreter", false,
	    main_then_legacy },
	{ "legacy-main", "a legacy sub-interpreter, then main", false,
	    legacy_then_main },
	{ "first-destroyed", "two legacy importers, the first destroyed "
	    "first", false, first_importer_destroyed },
	{ "last-destroyed", "two legacy importers, the first destroyed last",
	    false, last_importer_destroyed },
	{ "isolated", "an isolated interpreter (check_multi_interp_extensions)",
	    true, isolated },
	{ "own-gil", "own GIL, and two own-GIL importers at once", true,
	    own_gil },
	{ "reinit", "finalize, initialize again, import again", false,
	    reinit },
	{ "churn", "create, import, destroy, 20 times", false, churn },
};
const size_t check_nscenarios = sizeof check_scenarios /
    sizeof check_scenarios[0];

const struct check_scenario *
check_scenario_find(const char *id)
{
	size_t i;

	for (i = 0; i < check_nscenarios; i++) {
		if (strcmp(check_scenarios[i].id, id) == 0)
			return &check_scenarios[i];
	}
	return NULL;
}

void
check_scenario_run(const struct check_scenario *sc,
    const struct check_target *t, const char *exe, double timeout,
    int capture_fd, struct check_result *res)
{
	struct check_run r = { .t = t, .res = res, .capture_fd = capture_fd };
	char *cause = NULL;
	double t0 = monotonic_seconds();

	memset(res, 0, sizeof *res);
	res->facts.multi_interp = res->facts.gil = -1;
	step(&r, "start a host");
	r.s = session_open_supervised(exe, &cause);
	if (r.s == NULL) {
		decide(&r, CHECK_FAILED, "no host: %s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return;
	}
	if (sc->needs_config && !session_has_config(r.s)) {
		decide(&r, CHECK_SKIPPED, "needs Python 3.12 or newer "
		    "(interpreter configs); this is %s",
		    session_python_version(r.s));
	} else if (timeout > 0 && session_set_timeout(r.s, timeout,
	    &cause) != 0) {
		failed_call(&r, cause);
	} else {
		sc->run(&r);
	}
	/* a host that dies finishing (the modules freed at the end) fails
	 * the scenario too */
	if (!r.done)
		step(&r, "finalize the runtime at the end");
	fflush(stdout);
	if (session_stop(r.s, &cause) != 0) {
		if (!r.done)
			keep_stack(&r);
		decide(&r, CHECK_CRASHED, "%s", cause);
		free(cause);
	}
	session_close(r.s);
	decide(&r, CHECK_OK, "%s", "");
	res->seconds = monotonic_seconds() - t0;
}
