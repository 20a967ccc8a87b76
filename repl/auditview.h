/*
 * auditview.h: an audit as text, for %audit and %why (as sharemap.h is
 * for %share): one block an object, its owner and flags, then each
 * interpreter's path to it.
 */
#ifndef SUBREPL_AUDITVIEW_H
#define SUBREPL_AUDITVIEW_H

#include "cmd.h"
#include "session.h"

/* What is dangerous about an object, from its flags: "  ! its
 * interpreter was destroyed  ! ..." (each reason after two spaces), or
 * "". The TUI's audit view says it too. */
void auditview_flags(unsigned flags, char *buf, size_t size);

/* One object's block. */
void auditview_object(struct cmd_ctx *ctx, const struct audit_object *o);

/* The walk's facts: how much, how long, a budget reached, a note. */
void auditview_walk(struct cmd_ctx *ctx, const struct audit *a);

#endif
