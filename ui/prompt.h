/*
 * prompt.h: the console's input line (prompt.c): readline's callback
 * interface drawn in curses, with line mode's completion and history.
 * Readline keeps one input line per process, so this module keeps the TUI
 * it feeds between prompt_start and prompt_stop.
 */
#ifndef SUBREPL_UI_PROMPT_H
#define SUBREPL_UI_PROMPT_H

#include <stdbool.h>

struct tui;

/* Take readline over for the TUI t; prompt_stop gives it back as line
 * mode wants it. */
void prompt_start(struct tui *t);
void prompt_stop(void);

/* A key for the input line: text, editing, history, completion; Enter
 * runs the line (tui_run_line). */
void prompt_key(struct tui *t, int key);

/* Draw the input line on the console's last row, the cursor in it. */
void prompt_draw(struct tui *t);

/* Ctrl-C at the prompt: drop the line and any open statement. */
void prompt_interrupted(struct tui *t);

/* The prompt again, after a step changed the current interpreter. */
void prompt_update(struct tui *t);

/* Whether the input line holds text. */
bool prompt_has_text(void);

#endif
