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
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "complete.h"
#include "history.h"
#include "sigint.h"
#include "xmalloc.h"

static struct repl *repl;
static bool done;               /* the session ends */
static volatile sig_atomic_t resized;

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

static void
on_line(char *line)
{
	enum step_result res;
	bool interrupted;

	if (line == NULL) {
		/* Ctrl-D: end the session like python3 does. */
		fputc('\n', stdout);
		done = true;
		rl_callback_handler_remove();
		return;
	}
	history_add(line);
	rl_callback_handler_remove();

	/* a Ctrl-C that hit the step has done its job there */
	res = sigint_run_step(repl, line, strlen(line), &interrupted);
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
		int n, i, out[2], nout, maxfd = STDIN_FILENO;

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
		n = select(maxfd + 1, &fds, NULL, NULL, NULL);
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
	history_close();
	/* As python3: leaving a terminal session is not a failure. */
	return r->quit ? r->exit_status : 0;
}
