/*
 * line.c: the interactive line REPL on readline's callback interface.
 *
 * The callback interface (rather than readline()) lets us wait in select()
 * ourselves, so a SIGINT at the prompt interrupts the wait: the line is
 * dropped and "KeyboardInterrupt" printed, as python3 does. The host's
 * output between steps (a thread printing) wakes the wait too and goes
 * above the line being typed. Readline is removed from the terminal while
 * a step runs, so Python code that reads stdin (input()) finds an ordinary
 * cooked terminal.
 */
#include "config.h"

#include "line.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "complete.h"
#include "history.h"
#include "input.h"
#include "pause.h"
#include "sigint.h"
#include "xmalloc.h"

static struct repl *repl;
static bool done;               /* the session ends */
static volatile sig_atomic_t resized;

/* The terminal as it was before readline made it raw, put back by a
 * SIGTERM or SIGHUP that ends the process at the prompt (readline's own
 * cleanup would not run). */
static struct termios cooked;
static bool have_cooked;
static const int ending_signals[] = { SIGTERM, SIGHUP, SIGQUIT };
#define NENDING (sizeof ending_signals / sizeof ending_signals[0])
static struct sigaction ending_old[NENDING];

static void
on_ending(int sig)
{
	static const char paste_off[] = "\033[?2004l";
	ssize_t n;
	size_t i;

	/* async-signal-safe: tcsetattr and write only */
	if (have_cooked) {
		tcsetattr(STDIN_FILENO, TCSANOW, &cooked);
		n = write(STDOUT_FILENO, paste_off, sizeof paste_off - 1);
		(void)n;
	}
	for (i = 0; i < NENDING; i++) {
		if (ending_signals[i] == sig)
			sigaction(sig, &ending_old[i], NULL);
	}
	raise(sig);
}

static void
ending_handlers(bool install)
{
	struct sigaction sa;
	size_t i;

	if (install)
		have_cooked = tcgetattr(STDIN_FILENO, &cooked) == 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_ending;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < NENDING; i++) {
		if (install)
			sigaction(ending_signals[i], &sa, &ending_old[i]);
		else
			sigaction(ending_signals[i], &ending_old[i], NULL);
	}
}

static void
on_sigwinch(int sig)
{
	(void)sig;
	resized = 1;
}

static void on_line(char *line);

/* Our readline settings, made again before every prompt: Python code that
 * imports CPython's readline module (linked to the same libreadline) takes
 * them over, and the session must not lose its completion to that. */
static void
readline_settings(void)
{
	rl_readline_name = "subrepl";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	complete_install(repl);
}

static void
handler_install(void)
{
	char prompt[INTERP_PROMPT_MAX];

	readline_settings();
	repl_prompt(repl, prompt, sizeof prompt);
	rl_callback_handler_install(prompt, on_line);
}

/* Whether a line belongs in the history: not blank, and not one the
 * REPL will refuse (a 50 MB paste must not be saved and loaded again). */
static bool
history_worthy(const char *line, size_t len)
{
	char *cause = NULL;
	size_t i;

	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len)
		return false;
	if (input_check(line, len, &cause) != 0) {
		free(cause);
		return false;
	}
	return true;
}

/* What readline returned, fed as typed: a paste (bracketed paste hands
 * readline the whole text at once, newlines included) runs line by line,
 * as python3 runs it, each line in the history on its own. */
static enum step_result
feed_typed(const char *text)
{
	enum step_result res = STEP_OK;
	const char *p, *nl;
	bool interrupted;

	for (p = text;; p = nl + 1) {
		size_t len;

		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (history_worthy(p, len)) {
			char *one = xstrndup(p, len);

			history_add(one);
			free(one);
		}
		/* a Ctrl-C that hit the step has done its job there */
		res = sigint_run_step(repl, p, len, &interrupted);
		if (nl == NULL || res == STEP_QUIT || interrupted ||
		    repl->switch_to != FRONT_LINE)
			break;
	}
	return res;
}

static void
on_line(char *line)
{
	enum step_result res;

	if (line == NULL) {
		/* Ctrl-D: end the session like python3 does. */
		fputc('\n', stdout);
		done = true;
		rl_callback_handler_remove();
		return;
	}
	rl_callback_handler_remove();
	res = feed_typed(line);
	free(line);
	fflush(stdout);
	if (res == STEP_QUIT || repl->switch_to != FRONT_LINE) {
		done = true;
		return;
	}
	handler_install();
}

/* What a thread in the host printed while we wait at the prompt goes
 * above the line being typed, which readline then draws again. */
static void
host_output(void)
{
	rl_clear_visible_line();
	fflush(stdout);
	if (!session_output_copy(repl->session))
		fputc('\n', stdout); /* the prompt starts a line of its own */
	fflush(stdout);
	rl_forced_update_display();
}

/* The user paused: the host reads the next %json's snapshot ahead, and
 * a key or Ctrl-C stops it. A host that died doing so is said above the
 * line being typed, under a prompt that now says there is no host. */
static void
paused(void)
{
	char prompt[INTERP_PROMPT_MAX];

	if (!pause_read_ahead(repl, STDIN_FILENO))
		return;
	rl_clear_visible_line();
	fflush(stdout);
	fprintf(stderr, "%s; %%restart starts a new host\n",
	    session_host_death(repl->session));
	repl_error_tail(repl->session, stderr);
	repl_prompt(repl, prompt, sizeof prompt);
	rl_set_prompt(prompt);
	rl_forced_update_display();
}

/* Ctrl-C at the prompt: drop the line and any open statement. */
static void
prompt_interrupted(void)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_cleanup_after_signal();
	rl_callback_handler_remove();
	repl_discard(repl);
	fputs("\nKeyboardInterrupt\n", stdout);
	fflush(stdout);
	handler_install();
}

int
line_run(struct repl *r, bool banner)
{
	struct sigaction sa;
	fd_set fds;

	repl = r;
	done = false;
	repl_front_begin(r, FRONT_LINE);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigwinch;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);

	ending_handlers(true);
	readline_settings();
	history_open();

	if (banner) {
		printf("subrepl %s on Python %s\n", PACKAGE_VERSION,
		    session_python_version(r->session));
		printf("Lines starting with %% are commands (%%help lists them); "
		    "the rest is Python.\n");
		fflush(stdout);
	}
	handler_install();
	while (!done) {
		int n, i, out[2], nout, maxfd = STDIN_FILENO, wait_ms;
		struct timeval pause;

		FD_ZERO(&fds);
		FD_SET(STDIN_FILENO, &fds);
		if (sigint_fd() >= 0)
			FD_SET(sigint_fd(), &fds);
		if (sigint_fd() > maxfd)
			maxfd = sigint_fd();
		/* the host's output between steps (a thread printing) */
		nout = session_output_fds(r->session, out);
		for (i = 0; i < nout; i++) {
			FD_SET(out[i], &fds);
			if (out[i] > maxfd)
				maxfd = out[i];
		}
		wait_ms = pause_wait_ms(repl);
		pause.tv_sec = wait_ms / 1000;
		pause.tv_usec = (wait_ms % 1000) * 1000;
		n = select(maxfd + 1, &fds, NULL, NULL, wait_ms >= 0 ? &pause :
		    NULL);
		if (resized) {
			resized = 0;
			rl_resize_terminal();
		}
		if (sigint_take()) {
			prompt_interrupted();
			continue;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0) {
			paused();
			continue;
		}
		for (i = 0; n > 0 && i < nout; i++) {
			if (FD_ISSET(out[i], &fds)) {
				host_output();
				break;
			}
		}
		if (n > 0 && FD_ISSET(STDIN_FILENO, &fds))
			rl_callback_read_char();
	}
	rl_callback_handler_remove();
	ending_handlers(false);
	history_close();
	/* As python3: leaving a terminal session is not a failure. */
	return r->quit ? r->exit_status : 0;
}
