/*
 * cmd-tour.c: %tour: the guided tour of the documented behaviour, one
 * lesson file each (docs/lessons.md), run for real in this session: the
 * audience sees each line typed, its output, and whether what this CPython
 * did agrees with the claim. Between scenes it waits for a key when there
 * is a terminal to read one from; in batch it goes straight through.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "color.h"
#include "lesson-file.h"
#include "lesson-run.h"
#include "xmalloc.h"

static const char *const tour_options[] = { "--list", NULL };

#define PAUSE_HINT "-- Enter: next, b: this lesson again, q: leave the tour --"

/* What a key at a pause means; Ctrl-C, Ctrl-D and end of input leave,
 * other keys mean nothing (-1). */
static int
pause_key(int c)
{
	if (c < 0 || c == 3 || c == 4 || c == 'q' || c == 'Q')
		return LESSON_LEAVE;
	if (c == '\r' || c == '\n' || c == ' ')
		return LESSON_NEXT;
	if (c == 'b' || c == 'B')
		return LESSON_BACK;
	return -1;
}

/* A pause in the TUI: it draws what was printed and reads the key. */
static enum lesson_key
tour_pause_screen(void *arg)
{
	struct repl *r = arg;
	int key;

	do
		key = pause_key(r->wait_key(r->wait_key_arg, PAUSE_HINT));
	while (key < 0);
	return (enum lesson_key)key;
}

/* A pause in the line REPL: a key from the terminal, read raw. */
static enum lesson_key
tour_pause_line(void *arg)
{
	FILE *out = ((struct repl *)arg)->out;
	struct termios saved, raw;
	enum lesson_key key = LESSON_LEAVE;
	unsigned char c;

	fprintf(out, "%s%s%s", color_on(out, COLOR_DIM), PAUSE_HINT,
	    color_off(out));
	fflush(out);
	if (tcgetattr(STDIN_FILENO, &saved) != 0)
		return LESSON_NEXT;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	/* keys typed ahead count: a presenter presses on before the pause */
	tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);
		int k = pause_key(n <= 0 ? -1 : c);

		if (k >= 0) {
			key = (enum lesson_key)k;
			break;
		}
	}
	tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	fputs("\r\033[K", out);
	fflush(out);
	return key;
}

/* The lessons to give: a FILE alone, or from the one NAME starts (all
 * without NAME). Reported and -1 when none. */
static int
tour_lessons(struct cmd_ctx *ctx, const char *which, char ***paths,
    size_t *n, size_t *skipped)
{
	char *dir, *cause = NULL;
	size_t i, first = 0;

	*skipped = 0;
	if (which != NULL && (strchr(which, '/') != NULL ||
	    (strlen(which) > 5 && strcmp(which + strlen(which) - 5, ".tour") == 0))) {
		*paths = xmalloc(sizeof **paths);
		(*paths)[0] = xstrdup(which);
		*n = 1;
		return 0;
	}
	dir = lesson_data_dir("tour");
	if (lesson_dir_list(dir, ".tour", paths, n, &cause) != 0 || *n == 0) {
		cmd_error(ctx, "no lessons: %s", cause != NULL ? cause :
		    "the directory holds no .tour file");
		free(cause);
		free(dir);
		return -1;
	}
	free(dir);
	if (which != NULL) {
		for (first = 0; first < *n; first++) {
			char *name = lesson_file_name((*paths)[first]);
			bool hit = strncmp(name, which, strlen(which)) == 0;

			free(name);
			if (hit)
				break;
		}
		if (first == *n) {
			cmd_error(ctx, "no lesson '%s' (%%tour --list lists them)", which);
			for (i = 0; i < *n; i++)
				free((*paths)[i]);
			free(*paths);
			return -1;
		}
		for (i = 0; i < first; i++)
			free((*paths)[i]);
		memmove(*paths, *paths + first, (*n - first) * sizeof **paths);
		*n -= first;
		*skipped = first;
	}
	return 0;
}

static enum cmd_status
tour_list(struct cmd_ctx *ctx, char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct lesson_file f;
		char *cause = NULL;

		if (lesson_file_read(paths[i], &f, &cause) != 0) {
			fprintf(ctx->out, "%-16s (cannot read: %s)\n", f.name != NULL ?
			    f.name : "?", cause);
			free(cause);
		} else
			fprintf(ctx->out, "%-16s %s\n", f.name, lesson_field(&f, "Title"));
		lesson_file_free(&f);
	}
	return CMD_NORMAL;
}

/* The tour's totals, for the last line. */
struct tour_totals {
	size_t lessons;          /* lessons run to their end */
	int checks, held;
	int unexplained;         /* checks that did not hold, with no '!' */
	int crashes;             /* lessons during which the host died */
	bool interrupted;        /* Ctrl-C stopped it */
};

static void
lesson_head(struct cmd_ctx *ctx, const struct lesson_file *f, size_t i,
    size_t n)
{
	size_t k;

	fprintf(ctx->out, "\n== Lesson %zu/%zu: %s ==\n", i + 1, n,
	    lesson_field(f, "Title"));
	for (k = 0; k < f->nfields; k++) {
		if (strcasecmp(f->fields[k].key, "Claim") == 0)
			fprintf(ctx->out, "claim: %s\n", f->fields[k].value);
	}
}

static void
lesson_tail(struct cmd_ctx *ctx, const struct lesson_file *f,
    const struct lesson_run *r)
{
	if (r->death != NULL)
		fprintf(ctx->out, "-- %s: %s%s%s%s: %s; %d of %d "
		    "checks held before --\n", f->name, r->death,
		    r->died_at[0] != '\0' ? " at '" : "", r->died_at,
		    r->died_at[0] != '\0' ? "'" : "", r->death_foreseen ?
		    "a crash the lesson knows of (above)" :
		    "this Python crashed where the lesson expected it to go on",
		    r->held, r->checks);
	else if (r->checks == r->held)
		fprintf(ctx->out, "-- %s: %d of %d checks held on Python %s --\n",
		    f->name, r->held, r->checks,
		    session_python_version(ctx->session));
	else
		fprintf(ctx->out, "-- %s: %d of %d checks held; the others show how "
		    "Python %s differs --\n", f->name, r->held, r->checks,
		    session_python_version(ctx->session));
}

/* How this front end pauses, or NULL: it cannot. */
static enum lesson_key (*
pauser(struct cmd_ctx *ctx))(void *)
{
	if (ctx->repl->wait_key != NULL)
		return tour_pause_screen;
	if (ctx->repl->front == FRONT_LINE && isatty(STDIN_FILENO))
		return tour_pause_line;
	return NULL;
}

/* One lesson, again while b is pressed; a host it killed is restarted
 * for what follows. LESSON_QUIT when a line of it ended the session. */
static enum lesson_end
give_lesson(struct cmd_ctx *ctx, const struct lesson_file *f, bool pauses,
    struct tour_totals *t)
{
	struct lesson_run r = { 0 };
	enum lesson_end end;

	for (;;) {
		r.repl = ctx->repl;
		r.clean_up = true;
		r.pause = pauses ? pauser(ctx) : NULL;
		r.pause_arg = ctx->repl;
		end = lesson_run(&r, f);
		if (end != LESSON_AGAIN)
			break;
		lesson_run_clear(&r);
		fprintf(ctx->out, "-- %s again --\n", f->name);
	}
	if (end == LESSON_DONE) {
		lesson_tail(ctx, f, &r);
		t->lessons++;
		t->checks += r.checks;
		t->held += r.held;
		t->unexplained += r.unexplained;
	}
	t->interrupted |= r.interrupted;
	if (r.death != NULL) {
		char prompt[INTERP_PROMPT_MAX];

		t->crashes++;
		if (!r.death_foreseen)
			t->unexplained++;
		repl_prompt(ctx->repl, prompt, sizeof prompt);
		fprintf(ctx->out, "%s%%restart\n", prompt);
		cmd_execute(ctx, "%restart");
	}
	lesson_run_clear(&r);
	return end;
}

static enum cmd_status
cmd_tour_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct tour_totals t = { 0 };
	bool pauses = pauser(ctx) != NULL;
	enum lesson_end end = LESSON_DONE;
	enum cmd_status st = CMD_NORMAL;
	char **paths;
	size_t n, i, skipped;

	if (tour_lessons(ctx, args->npos > 0 ? args->pos[0] : NULL, &paths,
	    &n, &skipped) != 0)
		return CMD_ERROR;
	if (cmd_args_flag(args, "--list"))
		st = tour_list(ctx, paths, n);
	for (i = 0; i < n && st == CMD_NORMAL && !cmd_args_flag(args, "--list");
	    i++) {
		struct lesson_file f;
		char *cause = NULL;

		if (lesson_file_read(paths[i], &f, &cause) != 0) {
			cmd_error(ctx, "%s", cause);
			free(cause);
			lesson_file_free(&f);
			st = CMD_ERROR;
			break;
		}
		lesson_head(ctx, &f, skipped + i, skipped + n);
		end = give_lesson(ctx, &f, pauses, &t);
		lesson_file_free(&f);
		if (end == LESSON_QUIT)
			st = CMD_STOP;
		else if (end == LESSON_LEFT)
			break;
		else if (pauses && i + 1 < n) {
			/* between lessons: b gives the one just seen again */
			enum lesson_key key = pauser(ctx)(ctx->repl);

			if (key == LESSON_LEAVE) {
				end = LESSON_LEFT;
				break;
			}
			if (key == LESSON_BACK)
				i--;
		}
	}
	if (!cmd_args_flag(args, "--list") && st == CMD_NORMAL) {
		fprintf(ctx->out, "\ntour: %zu of %zu lessons, %d checks: %d held",
		    t.lessons, n, t.checks, t.held);
		if (t.checks > t.held)
			fprintf(ctx->out, ", %d show how Python %s differs",
			    t.checks - t.held, session_python_version(ctx->session));
		if (t.unexplained > 0)
			fprintf(ctx->out, " (%d with no word from the lesson)",
			    t.unexplained);
		if (t.crashes > 0)
			fprintf(ctx->out, "; the host crashed in %d", t.crashes);
		fprintf(ctx->out, "%s\n", t.interrupted ? "; stopped by Ctrl-C" :
		    end == LESSON_LEFT ? "; left early" : "");
	}
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return st;
}

const struct cmd_entry cmd_tour_entry = {
	.name = "tour",
	.usage = "%tour [NAME|FILE] [--list]",
	.summary = "a guided tour of the documented behaviour",
	.help =
	    "Gives the lessons of the guided tour in this session, one claim of\n"
	    "the documented behaviour each: narration, the lines it runs shown\n"
	    "as typed, and checks of whether this CPython agrees with the claim\n"
	    "(where a version differs, the lesson says so from what it saw).\n"
	    "NAME starts at that lesson; FILE (a path, or a name ending in\n"
	    ".tour) gives a lesson of your own (docs/lessons.md). At a pause,\n"
	    "Enter or Space goes on, b gives the lesson again, q leaves. A\n"
	    "lesson destroys the interpreters it created when it ends.",
	.options = tour_options,
	.min_args = 0,
	.max_args = 1,
	.traits = CMD_NO_REPLAY,
	.exec = cmd_tour_exec,
};
