/*
 * capture.h: while the TUI owns the terminal, everything written to fd 1
 * and fd 2 (command results, Python's output in-process, the host's output
 * that the session copies, C code's printf) goes into pipes instead, and a
 * thread reads them as they fill, so a step that prints megabytes never
 * blocks on a pipe nobody reads. The TUI takes the text into its console
 * when the wake fd is readable.
 */
#ifndef SUBREPL_UI_CAPTURE_H
#define SUBREPL_UI_CAPTURE_H

#include <stdbool.h>

#include "console.h"

struct capture;

/* Redirect fd 1 and 2; *tty_fd gets a descriptor of the terminal they had
 * (for curses). NULL if pipes or the thread cannot be had. */
struct capture *capture_start(int *tty_fd);

/* Readable when output has arrived since the last capture_take. */
int capture_wake_fd(const struct capture *cap);

/* Move what arrived into the console; whether anything did. */
bool capture_take(struct capture *cap, struct console *c);

/* Give fd 1 and 2 back, stop the thread, and move the rest into c. */
void capture_stop(struct capture *cap, struct console *c);

/* Wait (at most 100 ms) until the reader thread has everything written
 * to the pipes so far: call before taking what a finished step printed. */
void capture_settle(struct capture *cap);

#endif
