/*
 * runner.h: running the built subrepl ($SUBREPL) the way a user does, for
 * the end-to-end tests: in batch mode with given input, or in a
 * pseudo-terminal with keys typed and the screen text read back.
 */
#ifndef SUBREPL_TEST_RUNNER_H
#define SUBREPL_TEST_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct batch_result {
	int status;     /* exit status, or 128 + signal */
	char *out;      /* stdout */
	char *err;      /* stderr */
};

/* Run subrepl with argv[1..] (NULL-terminated), stdin fed from input
 * (len bytes; NULL for /dev/null). Fails the test after timeout seconds. */
void batch_run(const char *const *args, const char *input, size_t len,
    int timeout, struct batch_result *r);
void batch_free(struct batch_result *r);

/* waitpid(pid) for at most timeout seconds: the raw status. A child still
 * running then is killed and the test fails (instead of hanging). */
int wait_raw(pid_t pid, int timeout);

/* A file's whole text (malloc'd; empty if it cannot be read). */
char *read_text_file(const char *path);

/* A fresh directory under /tmp for one test program, and its removal. */
int scratch_dir_make(char *templ);
int scratch_dir_remove(const char *dir);

/* Whether the Python under test ($PYTHON_VERSION) is 3.12 or newer. */
bool python_312(void);

/* The number of lines of text. */
int count_lines(const char *text);

struct pty_session {
	pid_t pid;        /* subrepl */
	int master;       /* the terminal's other end */
	char *seen;       /* everything read so far, escape sequences removed */
	size_t len;
};

/* Start subrepl in an 80x24 pseudo-terminal with extra args. */
void pty_start(struct pty_session *p, const char *const *args);

/* Type bytes. */
void pty_type(struct pty_session *p, const char *keys);

/* Read until `text` appears after position *from (then *from moves past
 * it); fails the test with the transcript after timeout seconds. */
void pty_expect(struct pty_session *p, size_t *from, const char *text,
    int timeout);

/* Wait for exit; the status. */
int pty_finish(struct pty_session *p, int timeout);

#endif
