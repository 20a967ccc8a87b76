/*
 * lesson-run.c: running a lesson or bug file (lesson-run.h). Input goes
 * through a REPL of the run's own that shares the caller's session,
 * output, journal and import observer (as %replay's does), so what a
 * lesson types is journaled, exported and drawn like anything typed.
 * Checks go to the engine directly: %why's evaluation for identities and
 * values (in C, nothing printed, compared by address), a step for ?raises.
 */
#include "config.h"

#include "lesson-run.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "sigint.h"
#include "xmalloc.h"

/* One interpreter's answer to a check's expression. */
struct answer {
	interp_id id;
	char label[INTERP_LABEL_MAX];
	uintptr_t addr;           /* 0: could not evaluate */
	char *type;
	char *preview;
	char *error;              /* why it could not, or NULL */
};

static void
answer_clear(struct answer *a)
{
	free(a->type);
	free(a->preview);
	free(a->error);
}

static void
label_of(struct session *s, interp_id id, char *buf, size_t size)
{
	struct interp_info info;
	char *cause = NULL;

	if (session_info(s, id, &info, &cause) == 0)
		interp_info_label(&info, buf, size);
	else {
		snprintf(buf, size, "[%lld]", (long long)id);
		free(cause);
	}
}

/* Evaluate expr in the interpreter ref names (NULL: the current one). */
static void
evaluate(struct session *s, const char *ref, const char *expr,
    struct answer *a)
{
	struct audit *au = NULL;
	char *cause = NULL;

	memset(a, 0, sizeof *a);
	a->id = session_current(s);
	if (ref != NULL && session_resolve(s, ref, &a->id, &cause) != 0) {
		snprintf(a->label, sizeof a->label, "%s", ref);
		a->error = cause != NULL ? cause : xstrdup("out of memory");
		return;
	}
	label_of(s, a->id, a->label, sizeof a->label);
	if (session_why(s, a->id, expr, &au, &cause) != 0) {
		a->error = cause != NULL ? cause : xstrdup("out of memory");
		return;
	}
	if (au->nobjects >= 1) {
		const struct audit_object *o = &au->objects[0];

		a->addr = o->addr;
		a->type = xstrdup(o->type != NULL ? o->type : "?");
		a->preview = o->preview != NULL ? xstrdup(o->preview) : NULL;
	} else
		a->error = xstrdup("it gave no object to look at");
	audit_free(au);
}

static void
verdict(FILE *out, bool held, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
verdict(FILE *out, bool held, const char *fmt, ...)
{
	va_list ap;

	fprintf(out, "  %s%s%s", color_on(out, held ? COLOR_CALM : COLOR_ALARM),
	    held ? "yes" : "NO", color_off(out));
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

static char *
interps_text(const struct lesson_item *it)
{
	size_t i, len = 0;
	char *s;

	for (i = 0; i < it->ninterps; i++)
		len += strlen(it->interps[i]) + 2;
	s = xmalloc(len + 1);
	s[0] = '\0';
	for (i = 0; i < it->ninterps; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, it->interps[i]);
	}
	return s;
}

/* ?same and ?differ: one object, or a different one in each. */
static bool
check_identity(struct lesson_run *r, const struct lesson_item *it)
{
	struct session *s = r->repl->session;
	FILE *out = r->repl->out;
	struct answer *ans = xcalloc(it->ninterps, sizeof *ans);
	bool held = true, same = it->check == CHECK_SAME;
	char *names = interps_text(it);
	size_t i, j;

	fprintf(out, "check: %s is %s in %s\n", it->text,
	    same ? "one object" : "a different object", names);
	free(names);
	for (i = 0; i < it->ninterps; i++) {
		evaluate(s, it->interps[i], it->text, &ans[i]);
		if (ans[i].error != NULL)
			held = false;
	}
	for (i = 0; held && i < it->ninterps; i++) {
		for (j = i + 1; j < it->ninterps; j++) {
			if ((ans[i].addr == ans[j].addr) != same)
				held = false;
		}
	}
	if (held && same)
		verdict(out, true, ": %s 0x%lx in each", ans[0].type,
		    (unsigned long)ans[0].addr);
	else {
		verdict(out, held, ":");
		for (i = 0; i < it->ninterps; i++) {
			if (ans[i].error != NULL)
				fprintf(out, "    %s cannot tell: %s\n", ans[i].label,
				    ans[i].error);
			else
				fprintf(out, "    %s %s 0x%lx\n", ans[i].label, ans[i].type,
				    (unsigned long)ans[i].addr);
		}
	}
	for (i = 0; i < it->ninterps; i++)
		answer_clear(&ans[i]);
	free(ans);
	return held;
}

/* ?true: the expression's value is the True object. */
static bool
check_true(struct lesson_run *r, const struct lesson_item *it)
{
	FILE *out = r->repl->out;
	const char *ref = it->ninterps > 0 ? it->interps[0] : NULL;
	struct answer a;
	bool held;

	evaluate(r->repl->session, ref, it->text, &a);
	fprintf(out, "check: %s is True in %s\n", it->text, a.label);
	held = a.error == NULL && strcmp(a.type, "bool") == 0 &&
	    a.preview != NULL && strcmp(a.preview, "True") == 0;
	if (held)
		verdict(out, true, "%s", "");
	else if (a.error != NULL)
		verdict(out, false, ": cannot tell: %s", a.error);
	else
		verdict(out, false, ": it is %s (%s)", a.preview != NULL ?
		    a.preview : "an object", a.type);
	answer_clear(&a);
	return held;
}

/* ?raises: the code, run as a step where it says, fails. */
static bool
check_raises(struct lesson_run *r, const struct lesson_item *it)
{
	struct session *s = r->repl->session;
	FILE *out = r->repl->out;
	struct run_result res;
	char label[INTERP_LABEL_MAX], *cause = NULL;
	interp_id id = session_current(s);
	bool held = false;

	if (it->ninterps > 0 && session_resolve(s, it->interps[0], &id,
	    &cause) != 0) {
		fprintf(out, "check: %s raises in %s\n", it->text, it->interps[0]);
		verdict(out, false, ": cannot tell: %s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return false;
	}
	label_of(s, id, label, sizeof label);
	fprintf(out, "check: %s raises in %s\n", it->text, label);
	fflush(out);
	if (session_run(s, id, it->text, RUN_STATEMENTS, &res, &cause) != 0) {
		verdict(out, false, ": cannot tell: %s", cause != NULL ? cause :
		    "out of memory");
		free(cause);
		return false;
	}
	held = res.outcome == RUN_EXCEPTION || res.outcome == RUN_SYNTAX_ERROR;
	if (held)
		verdict(out, true, ": it raised");
	else
		verdict(out, false, ": it ran without an error");
	return held;
}

/* A check about "module.attr..." or "module.__dict__[...]": show that
 * module (and attribute) where the front end draws the picture. */
static void
point_at(struct lesson_run *r, const char *expr)
{
	size_t n = strspn(expr, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"), m;
	char module[128], attr[128];

	if (r->repl->point_at == NULL || n == 0 || n >= sizeof module ||
	    (expr[0] >= '0' && expr[0] <= '9'))
		return;
	memcpy(module, expr, n);
	module[n] = '\0';
	attr[0] = '\0';
	if (expr[n] == '.') {
		m = strspn(expr + n + 1, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
		if (m > 0 && m < sizeof attr) {
			memcpy(attr, expr + n + 1, m);
			attr[m] = '\0';
		}
		if (strcmp(attr, "__dict__") == 0)
			attr[0] = '\0';
	}
	r->repl->point_at(r->repl->point_at_arg, module,
	    attr[0] != '\0' ? attr : NULL);
}

static bool
check(struct lesson_run *r, const struct lesson_item *it)
{
	bool held;

	point_at(r, it->text);

	switch (it->check) {
	case CHECK_SAME:
	case CHECK_DIFFER:
		held = check_identity(r, it);
		break;
	case CHECK_TRUE:
		held = check_true(r, it);
		break;
	case CHECK_RAISES:
	default:
		held = check_raises(r, it);
		break;
	}
	r->checks++;
	if (held)
		r->held++;
	return held;
}

/* The host died during the run: remember how, once. */
static bool
host_gone(struct lesson_run *r, const char *line)
{
	const char *death = session_host_death(r->repl->session);

	if (death == NULL || r->death != NULL)
		return death != NULL;
	r->death = xstrdup(death);
	r->died_at = xstrdup(line != NULL ? line : "");
	return true;
}

static enum step_result
feed(struct lesson_run *r, struct repl *sub, const char *line)
{
	char prompt[INTERP_PROMPT_MAX];
	enum step_result res;

	repl_prompt(sub, prompt, sizeof prompt);
	fprintf(sub->out, "%s%s\n", prompt, line);
	fflush(sub->out);
	res = repl_feed(sub, line, strlen(line));
	if (res == STEP_FAILED) {
		r->steps_failed++;
		if (r->step_failed == NULL)
			r->step_failed = xstrdup(line);
		if (line[0] == '%' && r->command_failed == NULL &&
		    !repl_has_pending(sub))
			r->command_failed = xstrdup(line);
	}
	return res;
}

/* Close a block still open before something that is not input. */
static void
close_block(struct lesson_run *r, struct repl *sub)
{
	if (repl_has_pending(sub)) {
		if (repl_finish(sub) == STEP_FAILED)
			r->steps_failed++;
	}
}

/* The interpreters now, or none (n 0) when the session cannot say. */
static struct interp_info *
interps_now(struct session *s, size_t *n)
{
	struct interp_info *list = NULL;
	char *cause = NULL;

	if (session_list(s, &list, n, &cause) != 0) {
		free(cause);
		*n = 0;
		return NULL;
	}
	return list;
}

/* Whether an interpreter was there before the lesson: the same id, or
 * the same name (%reinit gives the ones it recreates new ids). */
static bool
was_there(const struct interp_info *before, size_t n,
    const struct interp_info *it)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (before[i].id == it->id || (it->name[0] != '\0' &&
		    strcmp(before[i].name, it->name) == 0))
			return true;
	}
	return false;
}

/* Destroy what the file created, newest first, shown as typed, and go
 * back to the interpreter that was current. */
static void
clean_up(struct lesson_run *r, struct repl *sub,
    const struct interp_info *before, size_t nbefore, interp_id was_current)
{
	struct session *s = sub->session;
	struct interp_info *after;
	size_t nafter, i;
	char line[64];
	bool back = false;

	if (session_host_death(s) != NULL)
		return;
	after = interps_now(s, &nafter);
	for (i = 0; i < nafter; i++)
		back |= after[i].id == was_current;
	if (back && session_current(s) != was_current) {
		snprintf(line, sizeof line, "%%use %lld", (long long)was_current);
		feed(r, sub, line);
	} else if (!back && session_current(s) != 0)
		feed(r, sub, "%use main");
	for (i = nafter; i-- > 0;) {
		if (after[i].id == 0 || was_there(before, nbefore, &after[i]) ||
		    session_host_death(s) != NULL)
			continue;
		snprintf(line, sizeof line, "%%del %lld", (long long)after[i].id);
		feed(r, sub, line);
	}
	free(after);
}

enum lesson_end
lesson_run(struct lesson_run *r, const struct lesson_file *f)
{
	struct repl sub;
	struct session *s = r->repl->session;
	enum lesson_end end = LESSON_DONE;
	struct interp_info *before = NULL;
	interp_id was_current = session_current(s);
	size_t nbefore = 0, i;
	bool last_held = true;

	repl_init(&sub, s);
	sub.out = r->repl->out;
	sub.err = r->repl->err;
	sub.journal = r->repl->journal;
	sub.on_import = r->repl->on_import;
	sub.on_import_arg = r->repl->on_import_arg;
	sub.front = r->repl->front;
	sub.batch_rules = true;
	if (r->clean_up)
		before = interps_now(s, &nbefore);
	for (i = 0; i < f->nitems && end == LESSON_DONE; i++) {
		const struct lesson_item *it = &f->items[i];

		if (it->kind != ITEM_INPUT)
			close_block(r, &sub);
		/* dead: what the file says of the line that killed it, then
		 * nothing more runs */
		if (host_gone(r, NULL) && !(it->kind == ITEM_OTHERWISE &&
		    !last_held))
			break;
		switch (it->kind) {
		case ITEM_INPUT:
			if (feed(r, &sub, it->text) == STEP_QUIT)
				end = LESSON_QUIT;
			else if (sigint_arrived()) {
				/* Ctrl-C stops the file, not only its step; the
				 * mark stays for the front end, as after a step */
				r->interrupted = true;
				end = LESSON_LEFT;
			}
			else if (r->bail && r->step_failed != NULL)
				end = LESSON_LEFT;
			/* a '!' under a line is said when the host died there */
			last_held = !host_gone(r, it->text);
			if (!last_held && i + 1 < f->nitems &&
			    f->items[i + 1].kind == ITEM_OTHERWISE)
				r->death_foreseen = true;
			break;
		case ITEM_NARRATION:
			/* not dim: it has to read on a projector */
			fprintf(sub.out, "%s%s%s\n", color_on(sub.out, COLOR_STATIC),
			    it->text, color_off(sub.out));
			break;
		case ITEM_PAUSE:
			fflush(sub.out);
			if (r->pause == NULL)
				break;
			switch (r->pause(r->pause_arg)) {
			case LESSON_BACK:
				end = LESSON_AGAIN;
				break;
			case LESSON_LEAVE:
				end = LESSON_LEFT;
				break;
			case LESSON_NEXT:
			default:
				break;
			}
			break;
		case ITEM_CHECK:
			last_held = check(r, it);
			if (sigint_arrived()) {
				r->interrupted = true;
				end = LESSON_LEFT;
			}
			if (!last_held && (i + 1 == f->nitems ||
			    f->items[i + 1].kind != ITEM_OTHERWISE))
				r->unexplained++;
			host_gone(r, NULL);
			break;
		case ITEM_OTHERWISE:
			if (!last_held)
				fprintf(sub.out, "  ! %s\n", it->text);
			break;
		}
	}
	if (end != LESSON_QUIT)
		close_block(r, &sub);
	host_gone(r, NULL);
	if (r->clean_up && end != LESSON_QUIT)
		clean_up(r, &sub, before, nbefore, was_current);
	fflush(sub.out);
	free(before);
	repl_free(&sub);
	return end;
}

void
lesson_run_clear(struct lesson_run *r)
{
	free(r->death);
	free(r->died_at);
	free(r->command_failed);
	free(r->step_failed);
	r->death = r->died_at = r->command_failed = r->step_failed = NULL;
	r->death_foreseen = false;
	r->interrupted = false;
	r->checks = r->held = r->unexplained = r->steps_failed = 0;
}
