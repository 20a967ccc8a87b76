/*
 * host-link.h: the front end's link to its host process (core-internal):
 * the process, its channels, and what we know of it.
 */
#ifndef SUBREPL_HOST_LINK_H
#define SUBREPL_HOST_LINK_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <jansson.h>

#include "protocol.h"
#include "session.h"

#define HOST_FD 3
#define STEP_TEXT_MAX 200
/* Descriptors that can stop one request (host_link.stop_fds). */
#define LINK_STOP_MAX 2

struct host_link {
	char *exe;                 /* the binary to run as host (when it is
	                            * this one, a fork serves without exec) */
	volatile pid_t pid;        /* the host, 0 when none */
	int sock;                  /* requests and replies */
	int out;                   /* the host's fd 1 */
	int err;                   /* the host's fd 2 */
	volatile json_int_t next_id; /* request ids (the last one sent) */
	char version[32];          /* "3.12.1" */
	char build[256];           /* Py_GetVersion() */
	bool has_config;
	char *death;               /* one line on how the host died, or NULL */
	bool died_in_step;         /* ... while a request ran (else: idle) */
	char step[STEP_TEXT_MAX + 1]; /* what the running request does */
	char last_step[STEP_TEXT_MAX + 1]; /* ... the user's last, for %status
	                            * (not the prompt's own requests) */
	interp_id step_interp;     /* where it runs */
	interp_id current;         /* the host's current interpreter, cached */
	volatile sig_atomic_t interrupts; /* Ctrl-C during the current request */
	double timeout;            /* %timeout: seconds a step may take, 0: none */
	char *killed_why;          /* why we killed the host, for its death line */
	bool line_open;            /* the host's last output ended mid-line */
	char *held;                /* fatal-error text held back, or NULL */
	size_t held_len;
	bool reaped;               /* waited for: `status` says how it ended */
	int status;                /* its wait status, once reaped */
	time_t started;            /* when the host started */
	void (*idle)(void *arg);   /* called while a reply is awaited, or NULL */
	void *idle_arg;
	/* For one request (a read ahead): what stops it when readable, and
	 * the host's output left in its pipes, for the prompt to show. */
	const int *stop_fds;
	size_t nstop;
	bool leave_output;
};

/* Async-signal-safe: ask the host to interrupt the request in flight
 * (SIGUSR1, naming the request: it reaches no other, however late).
 * terminal: the terminal's Ctrl-C, whose SIGINT the host had too. */
void link_interrupt(struct host_link *h, bool terminal);

/* Whether one of the n (at most LINK_STOP_MAX) descriptors that stop a
 * request is readable now. */
bool link_stop_waiting(const int *fds, size_t n);

/* Start the host (h->exe) and read its hello. */
int link_start(struct host_link *h, char **cause);

/* Ask it to quit, kill it if it does not within 3 s, close the channels.
 * A host that dies doing so (a crash while Python finalizes, or the kill)
 * or was found dead is reported when `when` names the moment ("at the end
 * of the session"): -1, with h->death "host died while finishing: ...
 * (when)" and its last words held back. NULL: nothing is reported. */
int link_stop(struct host_link *h, const char *when);

/* One operation of the table: c's arguments go out, its results come back
 * into c (free them with proto_call_free). -1 with *cause: a refusal, a
 * malformed reply, or the host's death line. */
int link_call(struct host_link *h, enum proto_op_id id, struct proto_call *c,
    char **cause);

/* What the next request does, for the death line and %status's last
 * step. */
void link_step(struct host_link *h, interp_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same for a request the front end makes for itself (the prompt's
 * label, a completion, a read ahead): a death names it, %status does not. */
void link_aside(struct host_link *h, interp_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The host is gone: reap it and set h->death, which says whether it died
 * while running a request (in_step) or before one was sent. */
void link_died(struct host_link *h, bool in_step);

/* The output pipes still open (up to 2 into fds), to watch between
 * requests, and copying what is readable on them now: whether what it
 * copied ended a line (true when it copied nothing). */
int link_output_fds(struct host_link *h, int fds[2]);
bool link_output_copy(struct host_link *h);

/* The text held back from a dying host, malloc'd, or NULL; taken once. */
char *link_last_words(struct host_link *h);

#endif
