/*
 * output.h: where commands that write documents (%json, %dot, %statics
 * --json...) send them: "-" is the command's own output, anything else a
 * file.
 */
#ifndef SUBREPL_OUTPUT_H
#define SUBREPL_OUTPUT_H

#include <stdio.h>

#include "cmd.h"

/* Open path for writing (reporting failure); NULL on failure. A file
 * that is there is emptied only when the first byte is written, and one
 * made here is removed again if none is: a command refused before it
 * writes loses nothing. The stream has no descriptor (fileno is -1). */
FILE *output_open(struct cmd_ctx *ctx, const char *path);

/* The same, emptied at once, with a descriptor another process can write
 * through (%json: the host writes the document itself). */
FILE *output_open_now(struct cmd_ctx *ctx, const char *path);

/* Close what output_open gave; -1 (reported) if writing failed. */
int output_close(struct cmd_ctx *ctx, FILE *f, const char *path);

#endif
