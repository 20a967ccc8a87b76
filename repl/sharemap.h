/*
 * sharemap.h: the sharing map as text, for %share and %diff: one block per
 * module, the module objects, dicts, definitions and m_copy of each
 * interpreter, then every attribute with its verdict.
 */
#ifndef SUBREPL_SHAREMAP_H
#define SUBREPL_SHAREMAP_H

#include <stdio.h>

#include "cmd.h"
#include "session.h"

/* The block of one module, as %share prints it. */
void sharemap_print_module(struct cmd_ctx *ctx, const struct snapshot *snap,
    const struct snap_module *m);

/* "SHARED by 0, 1 (owner [0 main])", "static in libpython3.11.so", ... */
void sharemap_verdict(struct cmd_ctx *ctx, const struct snap_attr *a,
    char *buf, size_t size);

/* The color a verdict is printed in. */
int sharemap_color(const struct snap_attr *a);

#endif
