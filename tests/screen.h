/*
 * screen.h: a program in a pseudo-terminal, its screen read back through
 * libvterm, for end-to-end tests of the TUI: type keys, wait for text, look
 * at cells (text, bold, reverse, colour), resize, check the terminal modes
 * the program leaves behind.
 *
 * The terminal is xterm-like, with an alternate screen: what a full-screen
 * program drew is gone after it exits, and the screen before it is back.
 *
 * The helpers never fail a test themselves: they return what they saw, and
 * the test asserts (screen_text() gives the screen for a failure message).
 * A test that fails between screen_spawn() and screen_finish() leaves the
 * program running until the test binary exits and its terminal hangs up.
 * All timeouts are in milliseconds. Rows and columns count from 0, in cells.
 */
#ifndef SUBREPL_TEST_SCREEN_H
#define SUBREPL_TEST_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

struct screen;

/* Keys, as xterm sends them. screen_type() sends the cursor keys and
 * Home/End in the form the program asked for, as xterm does: "\033OA"
 * instead of "\033[A" once the program has switched on application cursor
 * keys (ncurses' keypad() does, and then knows only that form: terminfo's
 * kcuu1). Everything else goes as it is. */
#define SCREEN_KEY_UP        "\033[A"
#define SCREEN_KEY_DOWN      "\033[B"
#define SCREEN_KEY_RIGHT     "\033[C"
#define SCREEN_KEY_LEFT      "\033[D"
#define SCREEN_KEY_HOME      "\033[H"
#define SCREEN_KEY_END       "\033[F"
#define SCREEN_KEY_PGUP      "\033[5~"
#define SCREEN_KEY_PGDN      "\033[6~"
#define SCREEN_KEY_TAB       "\t"
#define SCREEN_KEY_BTAB      "\033[Z"
#define SCREEN_KEY_ENTER     "\r"
#define SCREEN_KEY_ESC       "\033"
#define SCREEN_KEY_F10       "\033[21~"
#define SCREEN_KEY_BACKSPACE "\177"
#define SCREEN_KEY_CTRL_C    "\003"
#define SCREEN_KEY_CTRL_D    "\004"

/* One cell as the terminal shows it. */
struct screen_cell {
	char text[16];          /* UTF-8; "" for the right half of a wide
				 * character, " " for an empty cell */
	bool bold;
	bool reverse;           /* an attribute: the colours stay as set */
	bool underline;         /* any kind: single, double, curly */
	bool fg_default;        /* no foreground colour: the terminal's own */
	bool bg_default;        /* no background colour */
};

/* Start argv[0] (a path) with argv (NULL-terminated) in a rows x cols
 * pseudo-terminal. env_extra (NULL or NULL-terminated) lists "NAME=VALUE"
 * to set ("NAME=" sets it empty) and "NAME" to unset; TERM is
 * xterm-256color unless env_extra says otherwise. NULL if no terminal
 * could be made; a program that cannot be run exits with 127. */
struct screen *screen_spawn(const char *const *argv, int rows, int cols,
    const char *const *env_extra);

/* Type bytes (see the keys above). */
void screen_type(struct screen *s, const char *bytes);

/* Read the program's output until text appears within one row of the
 * screen; false if it has not after timeout_ms (or the program closed the
 * terminal without showing it). */
bool screen_wait_text(struct screen *s, const char *text, int timeout_ms);

/* The same, until text is nowhere on the screen. */
bool screen_wait_gone(struct screen *s, const char *text, int timeout_ms);

/* Read output until none arrives for quiet_ms, or timeout_ms passed. */
void screen_settle(struct screen *s, int quiet_ms, int timeout_ms);

/* One row's text, trailing blanks removed (malloc'd; "" if out of range). */
char *screen_row(struct screen *s, int row);

/* All rows, each trimmed, joined with '\n' (malloc'd). */
char *screen_text(struct screen *s);

/* Where text first appears (row by row, left to right); the column is
 * in cells. row and col may be NULL. */
bool screen_find(struct screen *s, const char *text, int *row, int *col);

/* One cell (a blank default cell if out of range). */
void screen_cell(struct screen *s, int row, int col, struct screen_cell *out);

/* Whether any cell has a foreground or background colour set. */
bool screen_has_color(struct screen *s);

/* Resize the terminal: the kernel sends the program SIGWINCH. */
void screen_resize(struct screen *s, int rows, int cols);

/* The number of bytes read from the program so far. */
size_t screen_bytes(const struct screen *s);

/* Everything read so far, escape sequences and all (NUL-terminated;
 * valid until the next call that reads). len may be NULL. */
const char *screen_raw(const struct screen *s, size_t *len);

/* Read output until the program has exited, that is until no process
 * holds the terminal any more (a child left running in the background
 * keeps it open); false after timeout_ms. The program stays unreaped and s
 * stays usable, to look at the last screen and the terminal's modes. */
bool screen_wait_exit(struct screen *s, int timeout_ms);

/* Whether the terminal is in cooked mode (ICANON and ECHO set), as a
 * program must leave it. Also valid after the program has exited, until
 * screen_finish(). */
bool screen_tty_sane(struct screen *s);

/* Read output until the program exits; its exit status, or 128 + the
 * signal that killed it, or -1 if it did not exit within timeout_ms (it is
 * then killed). Frees s. */
int screen_finish(struct screen *s, int timeout_ms);

#endif
