/*
 * wire.h: the framing of the host protocol (core-internal; docs/protocol.md
 * describes it). A frame is a 4-byte big-endian length and that many bytes
 * of UTF-8 JSON. Both sides read and write whole frames; a short read or
 * write means the other side is gone.
 */
#ifndef SUBREPL_WIRE_H
#define SUBREPL_WIRE_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stddef.h>

#include <jansson.h>

#define WIRE_VERSION 3
#define WIRE_FRAME_MAX (512u * 1024 * 1024)

/* The value of the front end's SIGUSR1 (sigqueue): the interrupted
 * request's id in the low bits, and this bit when the interrupt is the
 * terminal's Ctrl-C, whose SIGINT the host had too (docs/protocol.md). */
#define WIRE_INTERRUPT_ID_MASK 0x3fffffff
#define WIRE_INTERRUPT_TERMINAL 0x40000000

/* Write one frame of len bytes. -1 with *cause on failure. */
int wire_write(int fd, const char *data, size_t len, char **cause);

/* Read one frame into a malloc'd buffer (NUL-terminated). 0 on success,
 * 1 on a clean end of stream before a frame, 2 when the frame was read
 * but there was no memory to keep it (the stream is still in step), -1
 * with *cause on failure. */
int wire_read(int fd, char **data, size_t *len, char **cause);

/* wire_write, with a descriptor riding on the frame (SCM_RIGHTS): the
 * other side's wire_read_fd receives it with the frame, so a frame that
 * should carry one and does not cannot put the stream out of step. */
int wire_write_fd(int sock, const char *data, size_t len, int fd,
    char **cause);

/* wire_read, and the descriptor that came with the frame in *fd (the
 * receiver's to close), or -1. */
int wire_read_fd(int sock, char **data, size_t *len, int *fd, char **cause);

/* A JSON value as one compact frame. */
int wire_send(int fd, json_t *msg, char **cause);

/* One frame parsed as JSON (an object). Same returns as wire_read, but
 * -1 also for a frame that is not a JSON object. */
int wire_recv(int fd, json_t **msg, char **cause);

#endif
