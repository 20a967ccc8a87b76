/*
 * refresh.c: taking the model from the session after a step, and the deep
 * walk that waits for a quiet moment.
 *
 * The picture a step changed must be on the screen at once, exactly: the
 * modules and the attributes of the modules the map reads (their previews
 * too) are taken after every step, and travel as deltas from the host
 * (docs/protocol.md). The deep walk behind the holds-shared marks ('+',
 * "distinct, holds shared") follows every object those attributes reach in
 * every interpreter, which at tens of interpreters takes tens or hundreds
 * of milliseconds: it runs when no key waits, and a key typed while it
 * runs stops it (the host's walk watches for interrupts) and goes first.
 * Until it has run, the marks it made last stand, and the status line says
 * it is looking deeper.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "pane.h"
#include "tui-state.h"
#include "xmalloc.h"

void
tui_filter_rows(struct tui *t)
{
	size_t i;

	free(t->shown);
	t->shown = NULL;
	t->nshown = 0;
	if (t->model == NULL)
		return;
	t->nown = 0;
	t->shown = xcalloc(t->model->nrows + 1, sizeof *t->shown);
	for (i = 0; i < t->model->nrows; i++) {
		const struct snap_module *m = t->model->rows[i].module;

		if (t->filter[0] != '\0' && strstr(m->name, t->filter) == NULL)
			continue;
		/* what subrepl itself loaded, and only there, is not the
		 * user's picture: left out unless a filter asks for it */
		if (t->filter[0] == '\0' && m->ninstances == 1 &&
		    session_own_module(m->instances[0].interp, m->name)) {
			t->nown++;
			continue;
		}
		t->shown[t->nshown++] = (int)i;
	}
	t->panes[PANE_MAP].dirty = true;
}

/* Forget marks and refusals of interpreters that are gone. */
static void
prune(struct tui *t)
{
	size_t i = 0;

	pane_interps_prune(t);
	while (i < t->refused.n) {
		if (ui_model_interp_index(t->model, t->refused.v[i].interp) < 0)
			ui_refusals_forget_interp(&t->refused, t->refused.v[i].interp);
		else
			i++;
	}
}

static void
host_facts(struct tui *t)
{
	snprintf(t->python, sizeof t->python, "%s",
	    session_python_version(t->session));
	t->host_pid = (long)session_host_pid(t->session);
	t->host_dead = session_host_death(t->session) != NULL;
}

/* When a step makes another interpreter current (%new, %use), the
 * Interpreters cursor goes to it: the next key acts where the user is. */
static void
follow_current(struct tui *t, const struct ui_model *next)
{
	interp_id was = INTERP_NONE, is = INTERP_NONE;
	size_t i;

	for (i = 0; t->before != NULL && i < t->before->ninterps; i++) {
		if (t->before->interps[i].info.current)
			was = t->before->interps[i].info.id;
	}
	for (i = 0; i < next->ninterps; i++) {
		if (next->interps[i].info.current) {
			is = next->interps[i].info.id;
			if (is != was)
				t->panes[PANE_INTERPS].cursor = (int)i;
		}
	}
}

/* A new model from the session: every module, and the attributes of the
 * extension modules two or more interpreters have (and Detail's), walked
 * deep or not. `step`: one just ran (the old model becomes the one changes
 * are marked against). -1 with *cause when the attributes could not be
 * had (the model is taken without them); the panes keep their picture
 * when not even the modules could. */
static int
take_model(struct tui *t, bool step, bool deep, char **cause)
{
	struct snap_filter all = { .only = INTERP_NONE };
	struct snap_filter some = { .with_attrs = true, .only = INTERP_NONE,
	    .deep = deep };
	struct snapshot *modules = NULL, *attrs = NULL;
	struct ui_model *next;
	const char **names;
	char *why = NULL;
	size_t n;
	int rc = 0;

	host_facts(t);
	if (session_snapshot(t->session, &all, &modules, &why) != 0) {
		/* without a host, the panes keep its last picture; the status
		 * line says there is none */
		if (!t->host_dead)
			tui_note(t, true, "no snapshot: %s", why != NULL ? why :
			    "out of memory");
		free(why);
		tui_dirty_all(t);
		t->deep_due = false;
		return 0;
	}
	names = ui_model_attr_names(modules, &n);
	if (t->detail != NULL)
		names[n++] = t->detail;
	some.names = names;
	some.nnames = n;
	if (n > 0 && session_snapshot(t->session, &some, &attrs, cause) != 0) {
		attrs = NULL;
		rc = -1;
	}
	free(names);
	if (rc != 0 && deep) {
		/* a walk stopped (or failed): the model stays as it is */
		snapshot_free(modules);
		return rc;
	}
	/* until the deep walk has run, the marks it made last stand */
	if (!deep && attrs != NULL && t->model != NULL)
		ui_model_carry_holds(attrs, t->model->attrs);
	next = ui_model_build_from(modules, attrs, t->detail, &t->refused,
	    t->model);
	/* changes are always those of the last step: against the model from
	 * before it, so opening a module or a fresh snapshot keeps them */
	if (step) {
		ui_model_free(t->before);
		t->before = t->model;
	} else
		ui_model_free(t->model);
	ui_model_mark_changes(next, t->before);
	if (step)
		follow_current(t, next);
	t->model = next;
	t->deep_due = !deep && n > 0;
	prune(t);
	tui_filter_rows(t);
	tui_dirty_all(t);
	return rc;
}

void
tui_refresh(struct tui *t, bool step)
{
	char *cause = NULL;

	if (take_model(t, step, false, &cause) != 0) {
		tui_note(t, true, "no attributes: %s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
	}
}

void
tui_deepen(struct tui *t)
{
	char *cause = NULL;
	int rc;

	if (t->host_dead)
		t->deep_due = false; /* nothing to walk until %restart */
	if (!t->deep_due)
		return;
	t->deepening = true;
	t->deep_stopping = false;
	rc = take_model(t, false, true, &cause);
	t->deepening = false;
	if (rc == 0)
		return;
	if (t->deep_stopping) {
		/* a key came: it goes first, the walk runs again when none
		 * waits */
		t->deep_due = true;
	} else {
		tui_note(t, true, "no deep walk: %s", cause != NULL ? cause :
		    "out of memory");
		t->deep_due = false;
	}
	free(cause);
}

bool
tui_key_waiting(struct tui *t)
{
	struct pollfd p = { .fd = fileno(t->tty_in), .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

void
tui_deepen_idle(struct tui *t)
{
	if (t->deepening && !t->deep_stopping && tui_key_waiting(t)) {
		t->deep_stopping = true;
		session_interrupt(t->session);
	}
}

void
tui_open_detail(struct tui *t, const char *module)
{
	free(t->detail);
	t->detail = xstrdup(module);
	t->panes[PANE_DETAIL].cursor = t->panes[PANE_DETAIL].top = 0;
	t->panes[PANE_DETAIL].left = 0;
	tui_refresh(t, false);
	t->focus = PANE_DETAIL;
}

