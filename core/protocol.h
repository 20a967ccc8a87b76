/*
 * protocol.h: the host protocol's operations, one table entry each, shared
 * by both ends (core-internal; docs/protocol.md describes the wire, and a
 * test checks it against this table).
 *
 * A call of the session API travels as a `struct proto_call`: the front
 * end (session-host.c) fills the arguments, proto_encode turns the
 * entry's argument fields into the request; the host (host.c) decodes them
 * with proto_decode, which checks every member, runs the entry's `serve`
 * on its in-process session and encodes the result fields into the reply,
 * which the front end decodes the same way. Adding an operation is one
 * entry: its name, its fields, its serve function.
 */
#ifndef SUBREPL_PROTOCOL_H
#define SUBREPL_PROTOCOL_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "session.h"

/* One session call as plain data: what goes in, what comes back. An
 * operation uses the members its fields name. */
struct proto_call {
	/* arguments */
	interp_id interp;              /* the interpreter acted on */
	const char *text;              /* resolve: the ref; run: the source;
	                                * complete: the text; import: the name */
	const char *path;              /* import: the file, or NULL */
	long mode;                     /* run: enum run_mode */
	struct interp_request request; /* create */
	interp_id *ids;                /* import: where */
	size_t nids;
	struct snap_filter filter;     /* snapshot */
	long since;                    /* snapshot: the generation the front
	                                * end holds for the filter's kind, 0
	                                * for none (snapshot-memory.h) */
	bool every_path;               /* audit: spell every object's paths */
	/* results */
	interp_id found;               /* resolve, current */
	struct interp_info info;       /* info, create */
	struct interp_info *infos;     /* list */
	size_t ninfos;
	long outcome;                  /* run: enum run_outcome */
	interp_id ran_in;              /* run */
	long exit_code;                /* run */
	char **strings;                /* complete; statics: the names
	                                * asked for (an argument) */
	size_t nstrings;
	struct import_report *reports; /* import */
	size_t nreports;
	struct reinit_map *map;        /* reinit */
	size_t nmap;
	long generation;               /* snapshot: the one sent */
	long base;                     /* snapshot: the generation the text is
	                                * a delta against, 0: in full */
	char *trailer;                 /* snapshot: the JSON text that follows
	                                * the reply as a frame of its own */
	size_t trailer_len;
	bool trailer_kept;             /* trailer is the host's kept buffer
	                                * (protocol.c): not freed with c */
	int fd;                        /* json_to: where the text goes, a
	                                * descriptor that rides on the request
	                                * (the front end's own, lent) */
	bool has_fd;                   /* host side: fd came with the request
	                                * and is closed with c */
	bool stopped;                  /* read_ahead: an interrupt stopped it */
	/* hello (sent by the host unasked) */
	long version;                  /* the protocol's, WIRE_VERSION */
	long pid;
	char python[32];               /* "3.12.1" */
	char build[256];               /* Py_GetVersion() */
	bool has_config;
	/* ownership */
	bool decoded_args;             /* ids and filter.names were allocated
	                                * by proto_decode (host side) */
};

/* How a member is written on the wire. */
enum proto_type {
	PT_ID,       /* interp_id: an integer, -1 (none) or more */
	PT_LONG,     /* long: an integer in [0, max] (enums) or any (max -1) */
	PT_BOOL,     /* bool */
	PT_STR,      /* const char *, borrowed from the message */
	PT_STR_NULL, /* the same, or null */
	PT_TEXT,     /* char[size]: a copy, cut to fit */
	PT_SIZE,     /* size_t */
	PT_REQUEST,  /* struct interp_request (wire-codec.h) */
	PT_INFO,     /* struct interp_info */
	PT_INFOS,    /* struct interp_info[], malloc'd, count in count_at */
	PT_IDS,      /* interp_id[] */
	PT_STRINGS,  /* char *[] of malloc'd copies */
	PT_REPORTS,  /* struct import_report[] */
	PT_MAP,      /* struct reinit_map[], as [old, new] pairs */
	PT_FILTER,   /* struct snap_filter */
};

struct proto_field {
	const char *key;       /* the JSON member; NULL ends a list */
	enum proto_type type;
	size_t at;             /* offsetof(struct proto_call, member) */
	size_t count_at;       /* arrays: offsetof their count */
	long max;              /* PT_LONG: the largest value (-1: any);
	                        * PT_TEXT: the buffer's size */
};

enum proto_op_id {
	OP_HELLO,     /* the host's first message, unasked */
	OP_LIST,
	OP_RESOLVE,
	OP_INFO,
	OP_CREATE,
	OP_USE,
	OP_DESTROY,
	OP_CURRENT,
	OP_RUN,
	OP_COMPLETE,
	OP_IMPORT,
	OP_REINIT,
	OP_SNAPSHOT,
	OP_JSON_TO,
	OP_READ_AHEAD,
	OP_STATICS,
	OP_AUDIT,
	OP_WHY,
	OP_QUIT,
	OP_COUNT,
};

struct proto_op {
	const char *name;                  /* "op" in the request */
	const struct proto_field *args;    /* the request's members */
	const struct proto_field *results; /* the reply's members */
	/* Host side: run the call on the host's own session; -1 with *cause
	 * (sent back as the reply's "cause"). NULL for the hello. */
	int (*serve)(struct session *s, struct proto_call *c, char **cause);
	bool trailer;   /* the reply is followed by one frame holding
	                 * c->trailer (trailer_len bytes, "follows") */
	bool ends;      /* the host exits after replying */
	bool passes_fd; /* the request carries a descriptor (c->fd) */
};

extern const struct proto_op proto_ops[OP_COUNT];

/* The operation a request names, or NULL. */
const struct proto_op *proto_find(const char *name);

/* The members `fields` name, from c, into the object o (the request or the
 * reply); -1 when out of memory. */
int proto_encode(const struct proto_field *fields, const struct proto_call *c,
    json_t *o);

/* The members `fields` name, from o into c, each checked; -1 with *cause
 * naming the member that is missing, mistyped or out of range. */
int proto_decode(const struct proto_field *fields, json_t *o,
    struct proto_call *c, char **cause);

/* Free what decoding or serving allocated in c (results, and decoded
 * arguments), and clear it. */
void proto_call_free(struct proto_call *c);

#endif
