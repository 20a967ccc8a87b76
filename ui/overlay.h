/*
 * overlay.h: what opens over the panes and takes the keys until it closes
 * (overlay.c): the help, the preset chooser of n, the y/n before %del, a
 * line of text for i and /, the audit view of A. While one is open,
 * t->overlay is not NULL.
 */
#ifndef SUBREPL_UI_OVERLAY_H
#define SUBREPL_UI_OVERLAY_H

struct tui;

/* What a line typed in the text overlay is for. */
enum input_purpose {
	INPUT_IMPORT,   /* a module to %import into the targets */
	INPUT_FILTER,   /* the map's filter (starts with the current one) */
};

/* Every key of the key table and the map's glyphs. */
void overlay_open_help(struct tui *t);

/* The presets of %new. */
void overlay_open_new(struct tui *t);

/* The question, then y runs the command; any other key does not. */
void overlay_open_confirm(struct tui *t, const char *command,
    const char *question);

/* One line of text, for `purpose`. */
void overlay_open_input(struct tui *t, enum input_purpose purpose);

/* What crosses interpreters through module (NULL: every module), over
 * every pane (audit-view.h); nothing opens when the audit fails. */
void overlay_open_audit(struct tui *t, const char *module);

/* Close what is open (nothing if nothing is); the panes are drawn again. */
void overlay_close(struct tui *t);

/* Draw what is open, after the panes, and place the cursor for it. */
void overlay_draw(struct tui *t);

/* A key while something is open. */
void overlay_key(struct tui *t, int key);

#endif
