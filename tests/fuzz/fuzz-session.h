/*
 * fuzz-session.h: a session without Python for the fuzz harnesses that
 * feed lines to the REPL (fuzz-repl-feed.c, fuzz-journal.c). It keeps a
 * registry of interpreters so %new, %use and %del behave, judges Python
 * source complete or not by its brackets and colons (a rough codeop), and
 * answers snapshots with the modules a command names, so the handlers and
 * the sharing map's layout run on words the fuzzer chose.
 *
 * The harnesses link with --wrap for output_open, journal_read and
 * journal_line (see Makefile.am): no file a fuzzed command names is ever
 * written or read, and what the REPL journals is kept to compare with what
 * the journal gives back.
 */
#ifndef SUBREPL_FUZZ_SESSION_H
#define SUBREPL_FUZZ_SESSION_H

#include <stdbool.h>

#include "session.h"

/* A fresh session: main only, current. Free with session_close. */
struct session *fuzz_session_open(void);

/* The journal file journal_read may read (NULL: none); any other path is
 * refused. */
void fuzz_session_allow_read(const char *path);

/* Whether a command tried to read a file that was not allowed. */
bool fuzz_session_read_refused(void);

/* Every line written to a journal since the last call, each followed by
 * '\n' (what the REPL asked the journal to keep); NUL-terminated, valid
 * until the next call. */
const char *fuzz_session_journaled(void);

#endif
