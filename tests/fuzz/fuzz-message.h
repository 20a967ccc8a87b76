/*
 * fuzz-message.h: one message of the host protocol through every decoder
 * that could meet it (fuzz-wire.c and fuzz-proto.c share it).
 */
#ifndef SUBREPL_FUZZ_MESSAGE_H
#define SUBREPL_FUZZ_MESSAGE_H

#include <jansson.h>

/* Decode msg as the arguments and as the results of every operation, as
 * the host's request and the front end's reply and hello; what decodes is
 * encoded and decoded again. */
void fuzz_message(json_t *msg);

#endif
