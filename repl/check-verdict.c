/*
 * check-verdict.c: verdicts per use (see check-verdict.h). The rules:
 *
 * - a crash or a hang in any scenario of a use makes it unsafe;
 * - an ImportError, and nothing worse, is a clean refusal;
 * - any other exception while importing is unsafe (a refusal that leaves
 *   things half done);
 * - a module that loads is unsafe where objects cross interpreters
 *   through it (the audit after main and a legacy interpreter imported
 *   it: the same objects reached from both, or C statics holding them),
 *   and safe otherwise.
 *
 * Each verdict names the scenario and step that decided it.
 */
#include "config.h"

#include "check-verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char advice_single[] =
    "single-phase init copies the module's dict into every interpreter: "
    "port it to multi-phase init (PEP 489) with per-module state "
    "(isolating-extensions HOWTO: \"Multi-Phase Initialization\")";
static const char advice_statics[] =
    "C statics hold Python objects every interpreter reaches: keep them in "
    "module state (PyModule_GetState) and make heap types "
    "(isolating-extensions HOWTO: \"Module State\", \"Heap Types\")";
static const char advice_shared[] =
    "objects of one interpreter reach another through the module: keep "
    "state per module object, never process-wide (isolating-extensions "
    "HOWTO: \"Module State\")";
static const char advice_owner[] =
    "process-wide state goes with the first importer: keep state per "
    "module, or count the users of what must be process-wide "
    "(isolating-extensions HOWTO: \"Module State\")";
static const char advice_refused[] =
    "refusing is safe; to support sub-interpreters, isolate the module's "
    "state first, then declare Py_mod_multiple_interpreters "
    "(isolating-extensions HOWTO: \"Opt-Out: Limiting to One Module Object "
    "per Process\")";
static const char advice_gil[] =
    "objects shared under two GILs are a data race: isolate the state "
    "before declaring Py_MOD_PER_INTERPRETER_GIL_SUPPORTED "
    "(isolating-extensions HOWTO: \"Module State\")";
static const char advice_reinit[] =
    "state that outlives Py_FinalizeEx: set C statics up in the exec slot "
    "and clear them in m_free (isolating-extensions HOWTO: \"Module "
    "State\")";
static const char advice_churn[] =
    "state that outlives the interpreter that made it: keep it per module "
    "and let m_clear and m_free release it (isolating-extensions HOWTO: "
    "\"Module State\")";
static const char advice_crash[] =
    "reproduce it by hand (subrepl: %new, %import, %del), then %export it "
    "as a C program for a debugger";

const char *
check_use_name(enum check_use u)
{
	switch (u) {
	case USE_MAIN:
		return "main only";
	case USE_REINIT:
		return "re-initialized runtime";
	case USE_LEGACY:
		return "legacy sub-interpreters";
	case USE_ISOLATED:
		return "isolated";
	case USE_OWN_GIL:
		return "own GIL";
	case USE_COUNT:
		break;
	}
	return "?";
}

const char *
check_verdict_name(enum check_verdict v)
{
	switch (v) {
	case VERDICT_SAFE:
		return "safe";
	case VERDICT_REFUSED:
		return "refused cleanly";
	case VERDICT_UNSAFE:
		return "UNSAFE";
	case VERDICT_BROKEN:
		return "does not import";
	case VERDICT_UNKNOWN:
		return "not checked";
	}
	return "?";
}

static const struct check_result *
result(const struct check_result *const *results, const char *id)
{
	size_t i;

	for (i = 0; i < check_nscenarios; i++) {
		if (strcmp(check_scenarios[i].id, id) == 0)
			return results[i];
	}
	return NULL;
}

static const char *
title(const char *id)
{
	const struct check_scenario *sc = check_scenario_find(id);

	return sc != NULL ? sc->title : id;
}

const struct check_facts *
check_facts_of(const struct check_result *const *results)
{
	size_t i;

	for (i = 0; i < check_nscenarios; i++) {
		if (results[i] != NULL && results[i]->facts.known)
			return &results[i]->facts;
	}
	return NULL;
}

static bool
is_single(const struct check_facts *f)
{
	return f != NULL && (f->kind == KIND_SINGLE ||
	    f->kind == KIND_BUILTIN_SINGLE);
}

static void
set(struct check_use_verdict *v, enum check_verdict verdict,
    const char *advice, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
set(struct check_use_verdict *v, enum check_verdict verdict,
    const char *advice, const char *fmt, ...)
{
	va_list ap;

	v->verdict = verdict;
	v->advice = advice;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof v->why, fmt, ap);
	va_end(ap);
}

/* "the refusal (in: pkg > pkg._ext)" */
static const char *
chain_note(const struct check_result *r, char *buf, size_t size)
{
	if (r->chain[0] == '\0' || strchr(r->chain, '>') == NULL) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, size, " (importing %s)", r->chain);
	return buf;
}

/* A crash, hang or failure among the scenarios ids decides the use. */
static bool
bad_outcome(const struct check_result *const *results,
    const char *const *ids, struct check_use_verdict *v,
    const struct check_facts *f)
{
	char chain[600];
	size_t i;

	for (i = 0; ids[i] != NULL; i++) {
		const struct check_result *r = result(results, ids[i]);

		if (r == NULL || (r->outcome != CHECK_CRASHED &&
		    r->outcome != CHECK_TIMED_OUT && r->outcome != CHECK_FAILED))
			continue;
		set(v, VERDICT_UNSAFE, strcmp(ids[i], "first-destroyed") == 0 ?
		    advice_owner : strcmp(ids[i], "reinit") == 0 ? advice_reinit :
		    strcmp(ids[i], "churn") == 0 ? advice_churn :
		    r->outcome != CHECK_FAILED ? advice_crash : is_single(f) ?
		    advice_single : advice_shared,
		    "%s: %s at \"%s\": %s%s", title(ids[i]),
		    check_outcome_name(r->outcome), r->step, r->detail,
		    chain_note(r, chain, sizeof chain));
		return true;
	}
	return false;
}

static bool
refusal(const struct check_result *const *results, const char *const *ids,
    struct check_use_verdict *v, const char *advice)
{
	char chain[600];
	size_t i;

	for (i = 0; ids[i] != NULL; i++) {
		const struct check_result *r = result(results, ids[i]);

		if (r == NULL || r->outcome != CHECK_REFUSED)
			continue;
		set(v, VERDICT_REFUSED, advice, "%s: %s%s", r->step,
		    r->detail, chain_note(r, chain, sizeof chain));
		return true;
	}
	return false;
}

/* What crosses through the module: the walk of the use's own scenario,
 * else the one after main and a legacy interpreter imported it. */
static bool
crossing(const struct check_result *const *results, const char *id,
    const struct check_facts *f, const char *under,
    struct check_use_verdict *v, const char *advice)
{
	const struct check_result *r = result(results, id);
	const struct check_findings *fi;
	char example[600] = "";

	if (r == NULL || !r->findings.walked)
		r = result(results, "main-legacy");
	if (r == NULL || !r->findings.walked)
		return false;
	fi = &r->findings;
	if (fi->crossing == 0 && fi->statics == 0)
		return false;
	if (fi->entries > 0)
		snprintf(example, sizeof example, "; where it starts: %s%s",
		    fi->examples[0], fi->entries > 1 ? ", ..." : "");
	else if (fi->statics > 0)
		snprintf(example, sizeof example, "; e.g. the C static %s",
		    fi->static_examples[0]);
	set(v, VERDICT_UNSAFE, advice != NULL ? advice : is_single(f) ?
	    advice_single : fi->statics > 0 ? advice_statics : advice_shared,
	    "%d object%s reached from main and %s through it%s, %d held by "
	    "its C statics%s%s", fi->crossing, fi->crossing == 1 ? "" : "s",
	    r == result(results, "main-legacy") ? "a legacy interpreter" :
	    "another interpreter", fi->dangerous > 0 ?
	    " (some flagged dangerous)" : "", fi->statics, example, under);
	return true;
}

/* Whether a walk ran for the use (else "nothing crosses" is not known). */
static bool
walked(const struct check_result *const *results, const char *id)
{
	const struct check_result *a = result(results, id);
	const struct check_result *b = result(results, "main-legacy");

	return (a != NULL && a->findings.walked) ||
	    (b != NULL && b->findings.walked);
}

/* A module that loads in isolated or own-GIL interpreters is as unsafe
 * there as a crash in legacy ones says: what crashes is the module's
 * state, whatever the interpreter's config. */
static void
inherit_crash(struct check_use_verdict *v,
    const struct check_use_verdict *legacy,
    const struct check_result *const *results)
{
	static const char *const ids[] = { "first-destroyed", "last-destroyed",
	    "main-legacy", "legacy-main", "churn", NULL };
	size_t i;

	if (v->verdict != VERDICT_SAFE || legacy->verdict != VERDICT_UNSAFE)
		return;
	for (i = 0; ids[i] != NULL; i++) {
		const struct check_result *r = result(results, ids[i]);

		if (r != NULL && (r->outcome == CHECK_CRASHED ||
		    r->outcome == CHECK_TIMED_OUT)) {
			set(v, VERDICT_UNSAFE, legacy->advice, "it loads here, and "
			    "with legacy interpreters: %s", legacy->why);
			return;
		}
	}
}

void
check_verdicts(const struct check_result *const *results,
    struct check_use_verdict verdicts[USE_COUNT])
{
	static const char *const main_ids[] = { "main", NULL };
	static const char *const reinit_ids[] = { "reinit", NULL };
	/* the scenario that tells the most about a crash comes first */
	static const char *const legacy_ids[] = { "first-destroyed",
	    "last-destroyed", "main-legacy", "legacy-main", "churn", NULL };
	static const char *const isolated_ids[] = { "isolated", NULL };
	static const char *const gil_ids[] = { "own-gil", NULL };
	const struct check_facts *f = check_facts_of(results);
	const struct check_result *m = result(results, "main");
	const struct check_result *churn = result(results, "churn");
	const struct check_result *r;
	char chain[600];
	int u;

	for (u = 0; u < USE_COUNT; u++)
		set(&verdicts[u], VERDICT_UNKNOWN, NULL, "%s", "not run");

	/* main: it imports, and survives a re-initialization */
	if (m != NULL && (m->outcome == CHECK_REFUSED ||
	    m->outcome == CHECK_FAILED)) {
		set(&verdicts[USE_MAIN], VERDICT_BROKEN, NULL, "%s%s", m->detail,
		    chain_note(m, chain, sizeof chain));
		for (u = USE_REINIT; u < USE_COUNT; u++)
			set(&verdicts[u], VERDICT_UNKNOWN, NULL, "%s",
			    "it does not import in main");
		return;
	}
	if (!bad_outcome(results, main_ids, &verdicts[USE_MAIN], f) &&
	    m != NULL)
		set(&verdicts[USE_MAIN], VERDICT_SAFE, NULL, "%s",
		    "imports in main");
	r = result(results, "reinit");
	if (r != NULL &&
	    !bad_outcome(results, reinit_ids, &verdicts[USE_REINIT], f) &&
	    !refusal(results, reinit_ids, &verdicts[USE_REINIT], advice_reinit))
		set(&verdicts[USE_REINIT], VERDICT_SAFE, NULL, "%s",
		    "imports again after Py_FinalizeEx and Py_Initialize");

	/* legacy sub-interpreters */
	if (!bad_outcome(results, legacy_ids, &verdicts[USE_LEGACY], f) &&
	    !refusal(results, legacy_ids, &verdicts[USE_LEGACY], advice_refused) &&
	    !crossing(results, "main-legacy", f, "", &verdicts[USE_LEGACY],
	    NULL) &&
	    result(results, "main-legacy") != NULL) {
		if (churn != NULL && churn->rounds > 0)
			set(&verdicts[USE_LEGACY], VERDICT_SAFE, NULL, "imports in "
			    "either order and after either importer is destroyed; "
			    "nothing crosses interpreters through it; %d rounds of "
			    "create, import, destroy: the host grew by %ld KiB",
			    churn->rounds, churn->rss_growth_kb);
		else
			set(&verdicts[USE_LEGACY], VERDICT_SAFE, NULL, "%s",
			    "imports in either order and after either importer "
			    "is destroyed; nothing crosses interpreters through it");
	}

	/* isolated, and own GIL (3.12+) */
	r = result(results, "isolated");
	if (r != NULL && r->outcome == CHECK_SKIPPED)
		set(&verdicts[USE_ISOLATED], VERDICT_UNKNOWN, NULL, "%s",
		    r->detail);
	else if (r != NULL &&
	    !bad_outcome(results, isolated_ids, &verdicts[USE_ISOLATED], f) &&
	    !refusal(results, isolated_ids, &verdicts[USE_ISOLATED],
	    advice_refused) &&
	    !crossing(results, "isolated", f, "", &verdicts[USE_ISOLATED],
	    NULL))
		set(&verdicts[USE_ISOLATED], VERDICT_SAFE, NULL, "%s",
		    walked(results, "isolated") ? "loads with "
		    "check_multi_interp_extensions; nothing crosses interpreters "
		    "through it" : "loads with check_multi_interp_extensions");
	r = result(results, "own-gil");
	if (r != NULL && r->outcome == CHECK_SKIPPED)
		set(&verdicts[USE_OWN_GIL], VERDICT_UNKNOWN, NULL, "%s",
		    r->detail);
	else if (r != NULL &&
	    !bad_outcome(results, gil_ids, &verdicts[USE_OWN_GIL], f) &&
	    !refusal(results, gil_ids, &verdicts[USE_OWN_GIL], advice_refused) &&
	    !crossing(results, "own-gil", f, ", touched under different GILs",
	    &verdicts[USE_OWN_GIL], advice_gil))
		set(&verdicts[USE_OWN_GIL], VERDICT_SAFE, NULL, "%s",
		    walked(results, "own-gil") ? "loads with a GIL of its own, "
		    "also in two interpreters at once; nothing crosses "
		    "interpreters through it" : "loads with a GIL of its own, "
		    "also in two interpreters at once");
	inherit_crash(&verdicts[USE_ISOLATED], &verdicts[USE_LEGACY], results);
	inherit_crash(&verdicts[USE_OWN_GIL], &verdicts[USE_LEGACY], results);
}

void
check_slot_text(const struct check_facts *f, bool multi_interp,
    const char *python, char *buf, size_t size)
{
	int major = 0, minor = 0;
	bool multi = f->kind == KIND_MULTI || f->kind == KIND_BUILTIN_MULTI;

	sscanf(python, "%d.%d", &major, &minor);
	if (multi_interp) {
		if (major == 3 && minor < 12)
			snprintf(buf, size, "Py_mod_multiple_interpreters: none "
			    "before 3.12");
		else if (!multi)
			snprintf(buf, size, "Py_mod_multiple_interpreters: n/a "
			    "(single-phase: not supported in isolated interpreters)");
		else if (f->multi_interp < 0)
			snprintf(buf, size, "Py_mod_multiple_interpreters: not set, "
			    "which means supported, but not with a GIL per "
			    "interpreter");
		else
			snprintf(buf, size, "Py_mod_multiple_interpreters: %s",
			    f->multi_interp == 0 ? "not supported" :
			    f->multi_interp == 1 ? "supported, but not with a GIL "
			    "per interpreter" : "supported, also with a GIL per "
			    "interpreter");
		return;
	}
	if (major == 3 && minor < 13)
		snprintf(buf, size, "Py_mod_gil: none before 3.13");
	else if (!multi)
		snprintf(buf, size, "Py_mod_gil: n/a (single-phase: the GIL is "
		    "used)");
	else if (f->gil < 0)
		snprintf(buf, size, "Py_mod_gil: not set, which means the GIL is "
		    "used");
	else
		snprintf(buf, size, "Py_mod_gil: %s", f->gil == 0 ?
		    "the GIL is used" : "the GIL is not used");
}
