/*
 * replay.h: running recorded steps again (%replay FILE, %restart --replay).
 */
#ifndef SUBREPL_REPLAY_H
#define SUBREPL_REPLAY_H

#include "cmd.h"
#include "journal.h"

/* Run the steps [from, to) of a journal or script as batch input in the
 * session of ctx, as if typed; source names them in errors. Returns the
 * number of steps that failed. */
int replay_steps(struct cmd_ctx *ctx, const struct journal_steps *steps,
    size_t from, size_t to, const char *source);

/* Whether a recorded step is run again (replay.c states the rule): not
 * when it was discarded, interrupted, or not run for want of a host. */
bool replay_takes(const struct journal_step *st);

#endif
