/*
 * console.h: the console pane's scrollback: what the session printed
 * (Python's and C's stdout and stderr, command results, host crash
 * reports) and the lines typed, kept as whole lines with their stream, the
 * last CONSOLE_MAX of them. Plain data; pane-console.c draws it.
 */
#ifndef SUBREPL_UI_CONSOLE_H
#define SUBREPL_UI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_MAX 5000

enum console_stream {
	STREAM_OUT,   /* stdout */
	STREAM_ERR,   /* stderr */
	STREAM_ECHO,  /* a line typed or an action's command, with its prompt */
	STREAM_INFO,  /* the TUI's own notes */
};

struct console_line {
	char *text;
	enum console_stream stream;
};

struct console {
	struct console_line *lines;  /* a ring of CONSOLE_MAX */
	size_t first, n;             /* oldest line, count */
	char *partial[2];            /* stdout/stderr text without its newline yet */
	size_t partial_len[2];
	bool cut[2];                 /* console_flush ended the stream's last
	                              * line early: the newline still on its
	                              * way (output arrives in pieces) is that
	                              * line's, not an empty one */
	size_t added;                /* lines added ever (panes see growth) */
};

void console_init(struct console *c);
void console_free(struct console *c);

/* Bytes written to a stream; whole lines are kept, the rest waits. */
void console_write(struct console *c, enum console_stream s,
    const char *buf, size_t len);

/* Make waiting partial lines whole (before a prompt is shown). */
void console_flush(struct console *c);

/* Add one whole line. */
void console_line(struct console *c, enum console_stream s, const char *text);

/* Line i, 0 the oldest kept. */
const struct console_line *console_get(const struct console *c, size_t i);

#endif
