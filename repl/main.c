/*
 * main.c: subrepl's command line: choose batch or interactive input, open
 * the session, run, and turn the outcome into an exit status
 * (0 every step succeeded, 1 a step failed or the host crashed at the end,
 * 2 bad usage, 130 Ctrl-C).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "host-open.h"
#include "check.h"
#include "journal.h"
#include "line.h"
#include "tui.h"
#include "repl.h"
#include "session.h"
#include "usage.h"
#include "sigint.h"
#include "xmalloc.h"

#define EXIT_INTERRUPTED 130

static void
usage(FILE *f)
{
	fprintf(f,
	    "Usage: subrepl [OPTION]... [FILE]\n"
	    "  or:  subrepl check [OPTION]... MODULE|PATH[:INITNAME]...\n"
	    "Create, switch and destroy CPython sub-interpreters and run Python in "
	    "each.\n"
	    "\n"
	    "With no FILE and a terminal on standard input, start the interactive "
	    "REPL.\n"
	    "With FILE (- for standard input), -c, or a standard input that is not "
	    "a\n"
	    "terminal, run the lines in batch mode, without prompts.\n"
	    "\n"
	    "  -c TEXT        run TEXT (one or more lines) in batch mode\n"
	    "  -i             stay interactive after FILE or -c TEXT has run\n"
	    "      --bail     stop at the first step that fails\n"
	    "      --journal FILE  write the session's journal to FILE (default:\n"
	    "                 $XDG_STATE_HOME/subrepl/journal/DATE-PID.sr)\n"
	    "      --no-journal  keep no journal\n"
	    "      --in-process  run Python in this process instead of a "
	    "supervised host\n"
	    "                 (handy under gdb; a crash then ends subrepl)\n"
	    "  -q, --quiet    do not print the banner at the interactive start\n"
	    "      --tour[=NAME]  give the guided tour first (from lesson NAME), "
	    "then\n"
	    "                 stay in the REPL\n"
	    "      --tui      start in the full-screen TUI (%%line leaves it for "
	    "the\n"
	    "                 line REPL, %%tui comes back; press ? in it for "
	    "keys)\n"
	    "  -h, --help     display this help and exit\n"
	    "  -V, --version  output version information and exit\n"
	    "\n"
	    "Lines starting with %% are commands (%%help lists them); every other "
	    "line is\n"
	    "Python, run in the current interpreter with the interactive "
	    "interpreter's rules.\n"
	    "\n"
	    "Exit status: 0 if every step succeeded, 1 if any failed, 2 for bad "
	    "usage,\n"
	    "130 after Ctrl-C in batch mode; sys.exit(N) in the main interpreter "
	    "or\n%%quit N exits with N; leaving an interactive session exits with "
	    "0.\n"
	    "A host that crashes while Python finalizes at the end turns 0 into "
	    "1.\n"
	    "\n"
	    "History: $XDG_STATE_HOME/subrepl/history "
	    "(default ~/.local/state/subrepl/history).\n"
	    "'subrepl check --help' describes the checker for extension modules.\n"
	    "See subrepl(1) for the commands.\n");
}

static void
version(void)
{
	printf("subrepl %s\n", PACKAGE_VERSION);
	printf("embedded Python %s\n", session_linked_python());
	printf("This is free software: you are free to change and redistribute "
	    "it.\nThere is NO WARRANTY, to the extent permitted by law.\n");
}

#define bad_usage(...) \
	usage_error("subrepl", "subrepl --help", __VA_ARGS__)

/* The interactive front ends, in turn as %tui and %line ask. */
static int
interactive(struct repl *r, enum front_end front, bool banner)
{
	bool tui_first = front == FRONT_TUI;
	int status;

	for (;;) {
		if (front == FRONT_TUI) {
			status = tui_run(r, !tui_first);
			if (status < 0) {
				/* no TUI on this terminal: carry on in line mode */
				r->switch_to = FRONT_LINE;
				status = 0;
			}
		} else
			status = line_run(r, banner);
		banner = false;
		if (r->quit || r->switch_to == front)
			return status;
		front = r->switch_to;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bail", no_argument, NULL, 'b' },
		{ "in-process", no_argument, NULL, 'P' },
		{ "journal", required_argument, NULL, 'J' },
		{ "no-journal", no_argument, NULL, 'N' },
		{ "host", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "tour", optional_argument, NULL, 'R' },
		{ "tui", no_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = NULL, *file = NULL;
	bool interactive_after = false, bail = false, quiet = false;
	bool in_process = false, no_journal = false, tui = false, tour = false;
	const char *tour_name = NULL;
	const char *journal_file = NULL;
	char *journal_default = NULL;
	struct session *session;
	struct repl repl;
	enum batch_end end = BATCH_DONE;
	bool ran_batch = false;
	char *cause = NULL;
	FILE *in = NULL;
	int c, status;

	setlocale(LC_CTYPE, "");
	if (argc > 1 && strcmp(argv[1], "check") == 0) {
		char exe[PATH_MAX];

		if (!program_file(exe, sizeof exe)) {
			fputs("subrepl check: cannot find this program's file "
			    "(/proc/self/exe) to start hosts\n", stderr);
			return 1;
		}
		return check_main(argc - 1, argv + 1, exe);
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+c:ihqV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			text = optarg;
			break;
		case 'i':
			interactive_after = true;
			break;
		case 'b':
			bail = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'P':
			in_process = true;
			break;
		case 'T':
			tui = true;
			break;
		case 'R':
			tour = true;
			tour_name = optarg;
			break;
		case 'J':
			journal_file = optarg;
			break;
		case 'N':
			no_journal = true;
			break;
		case 'H':
			/* Internal: this process is the host of a front end. */
			return session_host_serve(atoi(optarg));
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			version();
			return 0;
		case '?':
			if (optopt == 'c')
				bad_usage("option '-c' needs TEXT to run");
			if (optopt != 0)
				bad_usage("invalid option '-%c'", optopt);
			bad_usage("unrecognized option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		file = argv[optind++];
	if (optind < argc)
		bad_usage("unexpected argument '%s' (give one FILE)", argv[optind]);
	if (text != NULL && file != NULL)
		bad_usage("give -c TEXT or FILE, not both (FILE was '%s')", file);

	if (file != NULL) {
		in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
		if (in == NULL) {
			fprintf(stderr, "subrepl: cannot open '%s': %s\n", file,
			    strerror(errno));
			return EXIT_USAGE;
		}
	}

	signal(SIGPIPE, SIG_IGN); /* as python3 does: EPIPE becomes an error */
	if (in_process)
		session = session_open_inprocess(&cause);
	else
		session = host_open(&cause);
	if (session == NULL) {
		fprintf(stderr, "subrepl: %s\n", cause != NULL ? cause : "out of memory");
		free(cause);
		return 1;
	}
	sigint_install(session);
	repl_init(&repl, session);
	if (!no_journal) {
		if (journal_file == NULL)
			journal_file = journal_default = journal_default_path(&cause);
		if (journal_file != NULL)
			repl.journal = journal_open(journal_file,
			    session_python_version(session), &cause);
		if (repl.journal == NULL) {
			fprintf(stderr, "subrepl: no journal: %s (going on without "
			    "one)\n", cause != NULL ? cause : "out of memory");
			free(cause);
			cause = NULL;
		}
		free(journal_default);
		journal_host(repl.journal, (long)session_host_pid(session));
	}

	if (tour) {
		/* the tour first, in the line REPL when there is a terminal (it
		 * waits for keys there), then whatever else was asked */
		char *line = xasprintf("%%tour%s%s", tour_name != NULL ? " " : "",
		    tour_name != NULL ? tour_name : "");

		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			repl_front_begin(&repl, FRONT_LINE);
		if (repl_feed(&repl, line, strlen(line)) == STEP_QUIT)
			end = BATCH_QUIT;
		free(line);
		ran_batch = !isatty(STDIN_FILENO);
		quiet = true;
	}
	if (end == BATCH_QUIT)
		;
	else if (text != NULL) {
		end = batch_run_text(&repl, text, "-c", bail);
		ran_batch = true;
	} else if (in != NULL) {
		end = batch_run_stream(&repl, in, in == stdin ? "<stdin>" : file, bail);
		if (in != stdin)
			fclose(in);
		ran_batch = true;
	} else if (!isatty(STDIN_FILENO)) {
		end = batch_run_stream(&repl, stdin, "<stdin>", bail);
		ran_batch = true;
	}

	if (end == BATCH_INTERRUPTED) {
		fputs("subrepl: interrupted\n", stderr);
		status = EXIT_INTERRUPTED;
	} else if (end == BATCH_QUIT || end == BATCH_BAILED ||
	    (ran_batch && !interactive_after)) {
		status = repl_exit_status(&repl);
	} else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && tui) {
		status = interactive(&repl, FRONT_TUI, false);
	} else if (isatty(STDIN_FILENO)) {
		status = interactive(&repl, FRONT_LINE, !quiet && !ran_batch);
	} else {
		/* -i without a terminal: keep reading standard input. */
		end = batch_run_stream(&repl, stdin, "<stdin>", bail);
		status = end == BATCH_INTERRUPTED ? EXIT_INTERRUPTED :
		    repl_exit_status(&repl);
	}
	fflush(stdout);
	if (session_stop(session, &cause) != 0) {
		/* Python crashed finalizing: said, journaled, and no success */
		fprintf(stderr, "%s\n", cause);
		repl_error_tail(session, stderr);
		journal_note(repl.journal, cause);
		free(cause);
		if (status == 0)
			status = 1;
	}
	repl_free(&repl);
	journal_close(repl.journal);
	session_close(session);
	return status;
}
