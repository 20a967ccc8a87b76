/*
 * tui.c: the TUI's life: taking the terminal (curses on a copy of it, fd 1
 * and 2 captured into the console), the loop that waits for keys, output
 * (the host's too, from a thread between steps) and Ctrl-C, running steps
 * through the same REPL as line mode, taking a model after each step and
 * marking what changed, and giving the terminal back as it was, also on
 * fatal signals.
 *
 * Only what changed is drawn: each pane has its own window, redrawn when
 * dirty and sent with wnoutrefresh, then one doupdate per turn, so curses
 * writes just the cells that differ.
 */
#include "config.h"

#include "tui.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "clock.h"
#include "console.h"
#include "history.h"
#include "keys.h"
#include "layout.h"
#include "model.h"
#include "overlay.h"
#include "pane.h"
#include "pause.h"
#include "prompt.h"
#include "sigint.h"
#include "status.h"
#include "theme.h"
#include "tui-state.h"
#include "xmalloc.h"

static const struct pane_class *const classes[PANE_COUNT] = {
	[PANE_INTERPS] = &pane_interps_class,
	[PANE_MAP] = &pane_map_class,
	[PANE_DETAIL] = &pane_detail_class,
	[PANE_CONSOLE] = &pane_console_class,
};

/* The fatal signals after which the terminal must still be restored. */
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT,
	SIGTERM, SIGHUP, SIGQUIT };
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction fatal_old[NFATAL];
static volatile sig_atomic_t curses_on;

/* Put the terminal back, then die of the signal as we would have. */
static void
on_fatal(int sig)
{
	size_t i;

	if (curses_on) {
		curses_on = 0;
		endwin();
	}
	for (i = 0; i < NFATAL; i++) {
		if (fatal_signals[i] == sig)
			sigaction(sig, &fatal_old[i], NULL);
	}
	raise(sig);
}

static void
fatal_handlers(bool install)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < NFATAL; i++) {
		if (install)
			sigaction(fatal_signals[i], &sa, &fatal_old[i]);
		else
			sigaction(fatal_signals[i], &fatal_old[i], NULL);
	}
}

void
tui_dirty_all(struct tui *t)
{
	int i;

	for (i = 0; i < PANE_COUNT; i++)
		t->panes[i].dirty = true;
	touchwin(stdscr);
}

void
tui_note(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->note, sizeof t->note, fmt, ap);
	va_end(ap);
	t->note_error = error;
	/* the status line may be too narrow for it: errors stay readable */
	if (error) {
		console_line(&t->console, STREAM_ERR, t->note);
		t->panes[PANE_CONSOLE].dirty = true;
	}
}

/* The user paused: the host reads ahead for %json, a key or Ctrl-C stops
 * it. A host that died doing so is said as a step's death is. */
static void
paused(struct tui *t, int in_fd)
{
	if (!pause_read_ahead(t->repl, in_fd))
		return;
	tui_note(t, true, "%s; %%restart starts a new host",
	    session_host_death(t->session));
	tui_refresh(t, false);
	prompt_update(t);
}

void
tui_draw(struct tui *t)
{
	int i;

	if (t->too_small) {
		layout_draw_too_small();
		curs_set(0);
		doupdate();
		return;
	}
	/* stdscr lies under the panes, blank. When touched (from newterm on,
	 * and by tui_dirty_all) wgetch(stdscr) would send it by itself,
	 * blanking every pane not drawn again then: send it here, first,
	 * when every pane is drawn again over it */
	if (is_wintouched(stdscr))
		wnoutrefresh(stdscr);
	for (i = 0; i < PANE_COUNT; i++) {
		struct pane *p = &t->panes[i];

		if (p->cls->stale != NULL && p->cls->stale(p, t))
			p->dirty = true;
		if (!p->dirty || p->win == NULL)
			continue;
		werase(p->win);
		p->cls->draw(p, t);
		wnoutrefresh(p->win);
		p->dirty = false;
	}
	status_draw(t);
	if (t->overlay != NULL)
		overlay_draw(t);
	else if (t->focus == PANE_CONSOLE && !t->busy && t->paused == NULL) {
		/* the cursor goes where the input line left it */
		curs_set(1);
		prompt_draw(t);
	} else
		curs_set(0);
	doupdate();
}

/* While a step runs in the host: its output and the spinner. */
static void
idle(void *arg)
{
	struct tui *t = arg;

	if (capture_take(t->capture, &t->console))
		t->panes[PANE_CONSOLE].dirty = true;
	tui_deepen_idle(t);
	/* ten frames a second, however often this is called */
	t->spin = (int)(monotonic_seconds() * 10);
	tui_draw(t);
}

static void
on_import(void *arg, const char *module, const struct import_report *r,
    size_t n)
{
	ui_refusals_note(&((struct tui *)arg)->refused, module, r, n);
}

/* While a step runs, code that reads standard input (input()) gets whole
 * lines: the terminal is canonical, Enter ends a line, Ctrl-C interrupts;
 * echo stays off so typing cannot scribble over the panes. */
static void
step_terminal(struct tui *t, bool step)
{
	static struct termios prog;
	struct termios cooked;
	int fd = fileno(t->tty_in);

	if (step) {
		if (tcgetattr(fd, &prog) != 0)
			return;
		cooked = prog;
		cooked.c_lflag |= ICANON | ISIG;
		cooked.c_iflag |= ICRNL;
		tcsetattr(fd, TCSANOW, &cooked);
	} else
		tcsetattr(fd, TCSANOW, &prog);
}

void
tui_run_line(struct tui *t, const char *line)
{
	char prompt[INTERP_PROMPT_MAX], *echo;
	enum step_result res;
	bool interrupted; /* the step itself said so, if it was */

	repl_prompt(t->repl, prompt, sizeof prompt);
	echo = xasprintf("%s%s", prompt, line);
	capture_take(t->capture, &t->console);
	console_flush(&t->console);
	console_line(&t->console, STREAM_ECHO, echo);
	free(echo);
	pane_console_follow(t);
	t->busy = true;
	t->busy_since = monotonic_seconds();
	snprintf(t->busy_what, sizeof t->busy_what, "%s", line);
	t->note[0] = '\0';
	tui_draw(t);

	sigint_take(); /* a Ctrl-C from before the step is not for it */
	step_terminal(t, true);
	res = sigint_run_step(t->repl, line, strlen(line), &interrupted);
	step_terminal(t, false);
	fflush(stdout);
	fflush(stderr);
	t->busy = false;
	/* what the step printed is in the pipes before its reply came */
	capture_settle(t->capture);
	capture_take(t->capture, &t->console);
	console_flush(&t->console);
	/* the console has the death's line already: the status line too */
	if (res == STEP_FAILED && session_host_death(t->session) != NULL) {
		snprintf(t->note, sizeof t->note, "%s",
		    session_host_death(t->session));
		t->note_error = true;
	}
	if (res != STEP_MORE)
		tui_refresh(t, true);
	prompt_update(t);
	t->panes[PANE_CONSOLE].dirty = true;
}

static void handle_key(struct tui *t, int key);

/* The tour talks about a module (repl.h): the map's cursor goes to its
 * row and Detail opens it, on the attribute when one is named; the keys
 * stay where they were. */
static void
point_at(void *arg, const char *module, const char *attr)
{
	struct tui *t = arg;
	enum pane_id focus = t->focus;
	int i;

	/* the lesson's steps since the command began are not drawn yet */
	tui_refresh(t, true);
	if (t->model == NULL)
		return;
	for (i = 0; i < t->nshown; i++) {
		if (strcmp(t->model->rows[t->shown[i]].module->name, module) == 0)
			break;
	}
	if (i == t->nshown)
		return;
	t->panes[PANE_MAP].cursor = i;
	t->panes[PANE_MAP].dirty = true;
	if (t->detail == NULL || strcmp(t->detail, module) != 0)
		tui_open_detail(t, module);
	t->focus = focus;
	if (attr != NULL)
		pane_detail_point(&t->panes[PANE_DETAIL], t, attr);
	tui_dirty_all(t);
}

/* A command waits for one key (the tour's pauses, repl.h): what it
 * printed and the picture as it left it are drawn, its hint replaces the
 * status line's, and the terminal is as between steps while it waits. */
static int
wait_key(void *arg, const char *hint)
{
	struct tui *t = arg;
	int key;

	fflush(stdout);
	fflush(stderr);
	capture_settle(t->capture);
	capture_take(t->capture, &t->console);
	console_flush(&t->console);
	pane_console_follow(t);
	tui_refresh(t, true);
	t->panes[PANE_CONSOLE].dirty = true;
	t->paused = hint;
	step_terminal(t, false);
	for (;;) {
		tui_draw(t);
		if (t->deep_due && !tui_key_waiting(t)) {
			tui_deepen(t);
			continue;
		}
		key = wgetch(stdscr);
		if (key == KEY_RESIZE) {
			handle_key(t, key);
			continue;
		}
		if (key == ERR) {
			if (!sigint_take())
				continue;
			key = 3; /* Ctrl-C: leave */
		}
		if (key == KEY_ENTER)
			key = '\n';
		break;
	}
	step_terminal(t, true);
	t->paused = NULL;
	return key;
}

void
tui_command(struct tui *t, const char *fmt, ...)
{
	va_list ap;
	char line[1024];

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (repl_has_pending(t->repl)) {
		tui_note(t, true, "finish the Python statement in the console first "
		    "(or Ctrl-C it)");
		return;
	}
	tui_run_line(t, line);
}

void
tui_focus_move(struct tui *t, int step)
{
	int f = (int)t->focus;

	t->panes[f].dirty = true;
	do
		f = (f + step + PANE_COUNT) % PANE_COUNT;
	while (t->panes[f].win == NULL && f != (int)t->focus);
	t->focus = (enum pane_id)f;
	t->panes[f].dirty = true;
}

/* A key: the overlay's when one is open, else what keys.h binds it to
 * where the focus is; the console takes every other key as text. */
static void
handle_key(struct tui *t, int key)
{
	if (key == KEY_RESIZE) {
		layout_apply(t);
		tui_dirty_all(t);
		clearok(curscr, TRUE);
		return;
	}
	if (t->overlay != NULL) {
		overlay_key(t, key);
		return;
	}
	t->note[0] = '\0';
	if (keys_dispatch(t, key) || t->too_small)
		return;
	if (t->focus == PANE_CONSOLE)
		prompt_key(t, key);
	else
		tui_note(t, false, "no action on this key here (? lists the keys)");
}

/* Take the terminal: curses on a copy of it, fd 1 and 2 captured. */
static int
enter(struct tui *t)
{
	int tty_fd, in_fd;

	t->capture = capture_start(&tty_fd);
	if (t->capture == NULL) {
		fprintf(stderr, "subrepl: cannot capture output for the TUI: %s\n",
		    strerror(errno));
		return -1;
	}
	in_fd = dup(STDIN_FILENO);
	t->tty_out = fdopen(tty_fd, "w");
	t->tty_in = in_fd >= 0 ? fdopen(in_fd, "r") : NULL;
	/* ncurses delivers KEY_RESIZE only if SIGWINCH is at SIG_DFL */
	signal(SIGWINCH, SIG_DFL);
	t->screen = t->tty_out != NULL && t->tty_in != NULL ?
	    newterm(NULL, t->tty_out, t->tty_in) : NULL;
	if (t->screen == NULL) {
		console_init(&t->console);
		capture_stop(t->capture, &t->console);
		console_free(&t->console);
		if (t->tty_out != NULL)
			fclose(t->tty_out);
		if (t->tty_in != NULL)
			fclose(t->tty_in);
		fprintf(stderr, "subrepl: this terminal (TERM=%s) cannot run the "
		    "TUI\n", getenv("TERM") != NULL ? getenv("TERM") : "unset");
		return -1;
	}
	set_term(t->screen);
	fatal_handlers(true);
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	theme_init();
	return 0;
}

static void
leave(struct tui *t)
{
	curses_on = 0;
	endwin();
	fatal_handlers(false);
	delscreen(t->screen);
	fclose(t->tty_out);
	fclose(t->tty_in);
	capture_stop(t->capture, &t->console);
}

int
tui_run(struct repl *r, bool from_line)
{
	struct tui t;
	int i, in_fd, status;

	memset(&t, 0, sizeof t);
	t.repl = r;
	t.session = r->session;
	t.from_line = from_line;
	if (enter(&t) != 0)
		return -1;
	console_init(&t.console);
	repl_front_begin(r, FRONT_TUI);
	r->on_import = on_import;
	r->on_import_arg = &t;
	r->wait_key = wait_key;
	r->wait_key_arg = &t;
	r->point_at = point_at;
	r->point_at_arg = &t;
	session_set_idle(t.session, idle, &t);
	for (i = 0; i < PANE_COUNT; i++)
		t.panes[i].cls = classes[i];
	/* the console has the keys first: what is typed right after start
	 * is Python, never a pane's key by surprise */
	t.focus = PANE_CONSOLE;
	console_line(&t.console, STREAM_INFO, "Type Python or %commands here "
	    "(Tab moves between panes when the line is empty; ? lists the keys).");
	history_open();
	layout_apply(&t);
	tui_refresh(&t, false);
	prompt_start(&t);
	in_fd = fileno(t.tty_in);
	while (!t.leave && !r->quit && r->switch_to == FRONT_TUI) {
		fd_set fds;
		struct timeval pause;
		int n, maxfd = in_fd, key, err, out[2], nout, k, wait_ms;

		tui_draw(&t);
		FD_ZERO(&fds);
		FD_SET(in_fd, &fds);
		FD_SET(capture_wake_fd(t.capture), &fds);
		if (capture_wake_fd(t.capture) > maxfd)
			maxfd = capture_wake_fd(t.capture);
		if (sigint_fd() >= 0) {
			FD_SET(sigint_fd(), &fds);
			if (sigint_fd() > maxfd)
				maxfd = sigint_fd();
		}
		/* the host's output between steps (a thread printing): copied
		 * to fd 1 and 2, so the capture brings it to the console */
		nout = session_output_fds(t.session, out);
		for (k = 0; k < nout; k++) {
			FD_SET(out[k], &fds);
			if (out[k] > maxfd)
				maxfd = out[k];
		}
		/* with the deep walk due, only a look: it runs when nothing
		 * else waits; then, after a pause, the host reads ahead for
		 * %json (pause.h) */
		wait_ms = t.deep_due ? 0 : pause_wait_ms(r);
		pause.tv_sec = wait_ms > 0 ? wait_ms / 1000 : 0;
		pause.tv_usec = wait_ms > 0 ? (wait_ms % 1000) * 1000 : 0;
		n = select(maxfd + 1, &fds, NULL, NULL, wait_ms >= 0 ? &pause :
		    NULL);
		/* kept before sigint_take() and the prompt's cleanup change
		 * errno (sigint_take drains its pipe until EAGAIN): an
		 * interrupted select is no error */
		err = errno;
		if (sigint_take()) {
			prompt_interrupted(&t);
			tui_note(&t, false, "KeyboardInterrupt");
		}
		if (n == 0) {
			if (t.deep_due)
				tui_deepen(&t);
			else
				paused(&t, in_fd);
			continue;
		}
		if (n < 0) {
			if (err == EINTR) {
				/* Ctrl-C, done above; SIGWINCH: ncurses queues
				 * KEY_RESIZE */
				nodelay(stdscr, TRUE);
				while ((key = wgetch(stdscr)) != ERR)
					handle_key(&t, key);
				nodelay(stdscr, FALSE);
				continue;
			}
			break;
		}
		for (k = 0; k < nout; k++) {
			if (FD_ISSET(out[k], &fds)) {
				session_output_copy(t.session);
				break;
			}
		}
		if (FD_ISSET(capture_wake_fd(t.capture), &fds) &&
		    capture_take(t.capture, &t.console))
			t.panes[PANE_CONSOLE].dirty = true;
		if (FD_ISSET(in_fd, &fds)) {
			nodelay(stdscr, TRUE);
			while (!t.leave && r->switch_to == FRONT_TUI && !r->quit &&
			    (key = wgetch(stdscr)) != ERR) {
				nodelay(stdscr, FALSE);
				handle_key(&t, key);
				nodelay(stdscr, TRUE);
			}
			nodelay(stdscr, FALSE);
		}
	}
	prompt_stop();
	history_close();
	session_set_idle(t.session, NULL, NULL);
	r->on_import = NULL;
	r->on_import_arg = NULL;
	r->wait_key = NULL;
	r->wait_key_arg = NULL;
	r->point_at = NULL;
	r->point_at_arg = NULL;
	overlay_close(&t);
	for (i = 0; i < PANE_COUNT; i++)
		pane_free(&t.panes[i]);
	delwin(t.status);
	leave(&t);
	/* q or F10: back to line mode after %tui, else the session ends */
	if (t.leave && from_line)
		r->switch_to = FRONT_LINE;
	status = r->quit ? r->exit_status : 0;
	ui_model_free(t.model);
	ui_model_free(t.before);
	ui_refusals_free(&t.refused);
	console_free(&t.console);
	free(t.detail);
	free(t.shown);
	return status;
}
