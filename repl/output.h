/*
 * output.h: where commands that write documents (%json, %dot) send them:
 * "-" is the command's own output, anything else a file.
 */
#ifndef SUBREPL_OUTPUT_H
#define SUBREPL_OUTPUT_H

#include <stdio.h>

#include "cmd.h"

/* Open path for writing (reporting failure); NULL on failure. */
FILE *output_open(struct cmd_ctx *ctx, const char *path);

/* Close what output_open gave; -1 (reported) if writing failed. */
int output_close(struct cmd_ctx *ctx, FILE *f, const char *path);

#endif
