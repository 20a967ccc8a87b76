/*
 * prompt.c: readline inside curses (tig's prompt.c, NOTES.md): the
 * callback interface fed one byte at a time from wgetch, and a redisplay
 * hook that draws rl_display_prompt and rl_line_buffer on the console's
 * last row. Readline never touches the terminal itself: no signal or
 * SIGWINCH handling, no prep/deprep of the terminal, its output stream is
 * /dev/null, and lists of completions go into the console as lines. The
 * same completion (complete.c) and history (history.c) as line mode.
 */
#include "config.h"

#include "prompt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "complete.h"
#include "console.h"
#include "draw.h"
#include "history.h"
#include "pane.h"
#include "repl.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"

static struct tui *tui;
static int pending_key = -1;   /* the byte readline asks for next */
static FILE *devnull;
static FILE *saved_out;        /* readline's stream before the TUI */
static bool installed;

static int
getc_hook(FILE *f)
{
	int c;

	(void)f;
	if (pending_key >= 0) {
		c = pending_key;
		pending_key = -1;
		return c;
	}
	/* readline wants more of a sequence (ESC ...): wait for it */
	c = wgetch(stdscr);
	return c == ERR ? EOF : c;
}

static void
redisplay_hook(void)
{
	if (tui != NULL)
		prompt_draw(tui);
}

static void
prep_hook(int meta)
{
	(void)meta;
}

static void
deprep_hook(void)
{
}

/* Ambiguous completions: a few columns of them in the console. */
static void
matches_hook(char **matches, int num, int max_len)
{
	int width = tui->panes[PANE_CONSOLE].w, per = width / (max_len + 2), i;
	char *line = xmalloc((size_t)width + 2);
	size_t used = 0;

	if (per < 1)
		per = 1;
	for (i = 1; i <= num; i++) {
		used += (size_t)snprintf(line + used, (size_t)width + 2 - used,
		    "%-*s", max_len + 2, matches[i]);
		if (i % per == 0 || i == num) {
			console_line(&tui->console, STREAM_INFO, line);
			used = 0;
		}
	}
	free(line);
	tui->panes[PANE_CONSOLE].dirty = true;
}

static void on_line(char *line);

static void
install(void)
{
	char prompt[INTERP_PROMPT_MAX];

	rl_readline_name = "subrepl";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_getc_function = getc_hook;
	rl_redisplay_function = redisplay_hook;
	rl_prep_term_function = prep_hook;
	rl_deprep_term_function = deprep_hook;
	rl_outstream = devnull;
	rl_completion_display_matches_hook = matches_hook;
	complete_install(tui->repl);
	repl_prompt(tui->repl, prompt, sizeof prompt);
	rl_callback_handler_install(prompt, on_line);
	installed = true;
}

static void
on_line(char *line)
{
	rl_callback_handler_remove();
	installed = false;
	if (line == NULL) {
		tui_note(tui, false, "Ctrl-D: q or F10 leaves the TUI, %%quit ends "
		    "the session");
		install();
		return;
	}
	if (line[0] != '\0')
		history_add(line);
	tui_run_line(tui, line);
	free(line);
	if (!tui->leave && tui->repl->switch_to == FRONT_TUI && !tui->repl->quit)
		install();
}

void
prompt_start(struct tui *t)
{
	tui = t;
	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	saved_out = rl_outstream;
	install();
}

void
prompt_stop(void)
{
	if (installed)
		rl_callback_handler_remove();
	installed = false;
	rl_getc_function = rl_getc;
	rl_redisplay_function = rl_redisplay;
	rl_prep_term_function = rl_prep_terminal;
	rl_deprep_term_function = rl_deprep_terminal;
	rl_outstream = saved_out;
	rl_completion_display_matches_hook = NULL;
	tui = NULL;
}

void
prompt_update(struct tui *t)
{
	char prompt[INTERP_PROMPT_MAX];

	if (!installed)
		return;
	repl_prompt(t->repl, prompt, sizeof prompt);
	rl_set_prompt(prompt);
}

bool
prompt_has_text(void)
{
	return rl_line_buffer != NULL && rl_end > 0;
}

static void
feed(int byte)
{
	pending_key = byte;
	rl_callback_read_char();
}

void
prompt_key(struct tui *t, int key)
{
	if (!installed)
		return;
	pane_console_follow(t);
	switch (key) {
	case KEY_UP:
		rl_get_previous_history(1, 0);
		break;
	case KEY_DOWN:
		rl_get_next_history(1, 0);
		break;
	case KEY_LEFT:
		rl_backward_char(1, 0);
		break;
	case KEY_RIGHT:
		rl_forward_char(1, 0);
		break;
	case KEY_HOME:
		rl_beg_of_line(1, 0);
		break;
	case KEY_END:
		rl_end_of_line(1, 0);
		break;
	case KEY_DC:
		rl_delete(1, 0);
		break;
	case KEY_BACKSPACE:
		feed(0x7f);
		return;
	case KEY_ENTER:
		feed('\r');
		return;
	default:
		if (key >= 0 && key < 256)
			feed(key);
		return;
	}
	prompt_draw(t);
}

void
prompt_interrupted(struct tui *t)
{
	if (!installed)
		return;
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_callback_handler_remove();
	installed = false;
	if (repl_has_pending(t->repl))
		console_line(&t->console, STREAM_INFO, "KeyboardInterrupt");
	repl_discard(t->repl);
	install();
	t->panes[PANE_CONSOLE].dirty = true;
}

void
prompt_draw(struct tui *t)
{
	struct pane *p = &t->panes[PANE_CONSOLE];
	const char *prompt = rl_display_prompt != NULL ? rl_display_prompt : "";
	int y, pw, before, width, skip = 0, x;
	char *head;

	if (p->win == NULL || !installed)
		return;
	y = p->h - 1;
	draw_fill(p->win, y, 0, p->w, theme_attr(ROLE_NORMAL));
	pw = draw_text(p->win, y, 0, p->w / 2, theme_attr(ROLE_PROMPT), prompt);
	width = p->w - pw - 1;
	head = xstrndup(rl_line_buffer, (size_t)rl_point);
	before = text_cols(head);
	free(head);
	if (before > width)
		skip = before - width;
	draw_text_from(p->win, y, pw, width, theme_attr(ROLE_NORMAL),
	    rl_line_buffer, skip);
	x = pw + before - skip;
	wmove(p->win, y, x < p->w ? x : p->w - 1);
	wnoutrefresh(p->win);
}
