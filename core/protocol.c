/*
 * protocol.c: the table of host operations (see protocol.h) and the one
 * encoder and decoder that read it. Members are described by their place
 * in `struct proto_call` and their wire type, so neither end spells a key
 * by hand: the front end and the host read the same field lists, and
 * decoding checks every member a message must have.
 */
#include "config.h"

#include "protocol.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cause.h"
#include "snapshot-json.h"
#include "snapshot-memory.h"
#include "wire-codec.h"
#include "wire.h"

#define AT(member) offsetof(struct proto_call, member)
#define FIELD(key, type, member) { key, type, AT(member), 0, -1 }
#define ENUM(key, member, last) { key, PT_LONG, AT(member), 0, last }
#define TEXT(key, member) { key, PT_TEXT, AT(member), 0, \
	(long)sizeof(((struct proto_call *)0)->member) }
#define ARRAY(key, type, member, count) { key, type, AT(member), AT(count), -1 }
#define END { NULL, PT_ID, 0, 0, 0 }

/* ------------------------------------------------- serving (host side) */

static int
serve_list(struct session *s, struct proto_call *c, char **cause)
{
	return session_list(s, &c->infos, &c->ninfos, cause);
}

static int
serve_resolve(struct session *s, struct proto_call *c, char **cause)
{
	return session_resolve(s, c->text, &c->found, cause);
}

static int
serve_info(struct session *s, struct proto_call *c, char **cause)
{
	return session_info(s, c->interp, &c->info, cause);
}

static int
serve_create(struct session *s, struct proto_call *c, char **cause)
{
	return session_new(s, &c->request, &c->info, cause);
}

static int
serve_use(struct session *s, struct proto_call *c, char **cause)
{
	return session_use(s, c->interp, cause);
}

static int
serve_destroy(struct session *s, struct proto_call *c, char **cause)
{
	return session_del(s, c->interp, cause);
}

static int
serve_current(struct session *s, struct proto_call *c, char **cause)
{
	(void)cause;
	c->found = session_current(s);
	return 0;
}

/* What a step printed reaches the pipes before its reply does. */
static void
flush_output(void)
{
	fflush(stdout);
	fflush(stderr);
}

static int
serve_run(struct session *s, struct proto_call *c, char **cause)
{
	struct run_result res;

	if (session_run(s, c->interp, c->text, (enum run_mode)c->mode, &res,
	    cause) != 0)
		return -1;
	flush_output();
	c->outcome = res.outcome;
	c->ran_in = res.interp;
	c->exit_code = res.exit_code;
	return 0;
}

static int
serve_complete(struct session *s, struct proto_call *c, char **cause)
{
	return session_complete(s, c->interp, c->text, &c->strings, &c->nstrings,
	    cause);
}

static int
serve_import(struct session *s, struct proto_call *c, char **cause)
{
	c->reports = calloc(c->nids + 1, sizeof *c->reports);
	if (c->reports == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	if (session_import(s, c->text, c->path, c->ids, c->nids, c->reports,
	    cause) != 0)
		return -1;
	flush_output();
	c->nreports = c->nids;
	return 0;
}

static int
serve_reinit(struct session *s, struct proto_call *c, char **cause)
{
	return session_reinit(s, &c->map, &c->nmap, cause);
}

/* What this host sent last of each kind of snapshot. */
static struct snap_memory sent;

/* A snapshot's text is written into a buffer the host keeps: a %json of a
 * few dozen interpreters is some 20 MB, and a fresh buffer for each came
 * back from the kernel as zeroed pages, after being copied at every
 * doubling (perf: most of the time of a %json after another). It grows
 * to the largest text sent and stays. */
static char *sink_buf;
static size_t sink_cap, sink_len;

static ssize_t
sink_write(void *cookie, const char *p, size_t n)
{
	(void)cookie;
	if (n > sink_cap - sink_len) {
		size_t cap = sink_cap == 0 ? (size_t)1 << 16 : sink_cap;
		char *b;

		while (cap - sink_len < n)
			cap *= 2;
		b = realloc(sink_buf, cap);
		if (b == NULL)
			return -1;
		sink_buf = b;
		sink_cap = cap;
	}
	memcpy(sink_buf + sink_len, p, n);
	sink_len += n;
	return (ssize_t)n;
}

static FILE *
sink_open(void)
{
	cookie_io_functions_t io = { .write = sink_write };

	sink_len = 0;
	return fopencookie(NULL, "w", io);
}

/* The snapshot's JSON text travels as a frame after the reply: in full,
 * or the rows that changed since the one the front end holds. */
static int
serve_snapshot(struct session *s, struct proto_call *c, char **cause)
{
	struct snapshot *snap;
	FILE *mem;
	int rc;

	if (session_snapshot(s, &c->filter, &snap, cause) != 0)
		return -1;
	mem = sink_open();
	if (mem == NULL) {
		snapshot_free(snap);
		cause_set(cause, "out of memory");
		return -1;
	}
	rc = snapshot_send(&sent, &c->filter, c->since, snap, mem,
	    &c->generation, &c->base);
	if (fclose(mem) != 0)
		rc = -1;
	c->trailer = sink_buf;
	c->trailer_len = sink_len;
	c->trailer_kept = true;
	if (rc != 0)
		cause_set(cause, "out of memory writing the snapshot");
	return rc;
}

/* %json into the front end's own file or terminal: the descriptor came
 * with the request, so the text (some 20 MB for a few dozen
 * interpreters) neither crosses the socket nor waits whole in a buffer
 * at either end. */
static int
serve_json_to(struct session *s, struct proto_call *c, char **cause)
{
	FILE *f = fdopen(c->fd, "w");
	bool failed;
	int rc, err;

	if (f == NULL) {
		cause_set(cause, "cannot write the JSON: %s", strerror(errno));
		return -1;
	}
	c->has_fd = false; /* f's now */
	rc = session_snapshot_json(s, &c->filter, f, cause);
	/* the write's own reason (a full disk, a closed pipe), as the front
	 * end says it when it writes */
	failed = ferror(f);
	err = errno;
	if (fclose(f) != 0 && !failed) {
		failed = true;
		err = errno;
	}
	if (failed) {
		if (rc != 0 && cause != NULL)
			free(*cause);
		cause_set(cause, "writing failed: %s", strerror(err));
		rc = -1;
	}
	return rc;
}

/* A pause at the prompt: the snapshot of the filter's kind is read and
 * kept here, and nothing travels (snapshot_read_ahead). An interrupt
 * stops it: not refused, since nothing went wrong, but said. */
static int
serve_read_ahead(struct session *s, struct proto_call *c, char **cause)
{
	char *why = NULL;
	int rc;

	(void)s;
	rc = snapshot_read_ahead(&c->filter, &why);
	c->stopped = rc == 1;
	if (rc < 0)
		*cause = why;
	else
		free(why);
	return rc < 0 ? -1 : 0;
}

/* Statics travel as a frame of JSON text after the reply, as snapshots. */
static int
serve_statics(struct session *s, struct proto_call *c, char **cause)
{
	FILE *mem = open_memstream(&c->trailer, &c->trailer_len);
	int rc;

	if (mem == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	rc = session_statics_json(s, (const char *const *)c->strings,
	    c->nstrings, mem, cause);
	if (fclose(mem) != 0 && rc == 0) {
		cause_set(cause, "out of memory writing the statics");
		rc = -1;
	}
	return rc;
}

/* An audit travels as a frame of JSON text after the reply. */
static int
serve_audit(struct session *s, struct proto_call *c, char **cause)
{
	FILE *mem = open_memstream(&c->trailer, &c->trailer_len);
	int rc;

	if (mem == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	rc = session_audit_json(s, (const char *const *)c->strings, c->nstrings,
	    c->ids, c->nids, c->every_path, mem, cause);
	if (fclose(mem) != 0 && rc == 0) {
		cause_set(cause, "out of memory writing the audit");
		rc = -1;
	}
	return rc;
}

static int
serve_why(struct session *s, struct proto_call *c, char **cause)
{
	struct audit *a;
	FILE *mem;
	int rc;

	if (session_why(s, c->interp, c->text, &a, cause) != 0)
		return -1;
	flush_output();
	mem = open_memstream(&c->trailer, &c->trailer_len);
	if (mem == NULL) {
		audit_free(a);
		cause_set(cause, "out of memory");
		return -1;
	}
	rc = audit_write_json(a, mem);
	audit_free(a);
	if (fclose(mem) != 0 || rc != 0) {
		cause_set(cause, "out of memory writing the answer");
		rc = -1;
	}
	return rc;
}

static int
serve_quit(struct session *s, struct proto_call *c, char **cause)
{
	(void)s;
	(void)c;
	(void)cause;
	return 0;
}

/* --------------------------------------------------------------- table */

static const struct proto_field no_fields[] = { END };

static const struct proto_field hello_results[] = {
	FIELD("v", PT_LONG, version),
	FIELD("pid", PT_LONG, pid),
	TEXT("version", python),
	TEXT("build", build),
	FIELD("has_config", PT_BOOL, has_config),
	END,
};

static const struct proto_field interp_arg[] = {
	FIELD("interp", PT_ID, interp),
	END,
};

static const struct proto_field list_results[] = {
	ARRAY("interps", PT_INFOS, infos, ninfos),
	END,
};

static const struct proto_field resolve_args[] = {
	FIELD("ref", PT_STR, text),
	END,
};

static const struct proto_field found_result[] = {
	FIELD("interp", PT_ID, found),
	END,
};

static const struct proto_field info_result[] = {
	FIELD("info", PT_INFO, info),
	END,
};

static const struct proto_field create_args[] = {
	FIELD("request", PT_REQUEST, request),
	END,
};

static const struct proto_field run_args[] = {
	FIELD("interp", PT_ID, interp),
	FIELD("source", PT_STR, text),
	ENUM("mode", mode, RUN_STATEMENTS),
	END,
};

static const struct proto_field run_results[] = {
	ENUM("outcome", outcome, RUN_EXIT),
	FIELD("ran_in", PT_ID, ran_in),
	FIELD("exit_code", PT_LONG, exit_code),
	END,
};

static const struct proto_field complete_args[] = {
	FIELD("interp", PT_ID, interp),
	FIELD("text", PT_STR, text),
	END,
};

static const struct proto_field complete_results[] = {
	ARRAY("matches", PT_STRINGS, strings, nstrings),
	END,
};

static const struct proto_field import_args[] = {
	FIELD("name", PT_STR, text),
	FIELD("path", PT_STR_NULL, path),
	ARRAY("interps", PT_IDS, ids, nids),
	END,
};

static const struct proto_field import_results[] = {
	ARRAY("reports", PT_REPORTS, reports, nreports),
	END,
};

static const struct proto_field reinit_results[] = {
	ARRAY("map", PT_MAP, map, nmap),
	END,
};

static const struct proto_field snapshot_args[] = {
	FIELD("filter", PT_FILTER, filter),
	FIELD("since", PT_LONG, since),
	END,
};

static const struct proto_field snapshot_sent[] = {
	FIELD("follows", PT_SIZE, trailer_len),
	FIELD("generation", PT_LONG, generation),
	FIELD("base", PT_LONG, base),
	END,
};

static const struct proto_field filter_args[] = {
	FIELD("filter", PT_FILTER, filter),
	END,
};

static const struct proto_field read_ahead_results[] = {
	FIELD("stopped", PT_BOOL, stopped),
	END,
};

static const struct proto_field statics_args[] = {
	ARRAY("names", PT_STRINGS, strings, nstrings),
	END,
};

static const struct proto_field audit_args[] = {
	ARRAY("modules", PT_STRINGS, strings, nstrings),
	ARRAY("interps", PT_IDS, ids, nids),
	FIELD("every_path", PT_BOOL, every_path),
	END,
};

static const struct proto_field why_args[] = {
	FIELD("interp", PT_ID, interp),
	FIELD("expr", PT_STR, text),
	END,
};

static const struct proto_field snapshot_results[] = {
	FIELD("follows", PT_SIZE, trailer_len),
	END,
};

const struct proto_op proto_ops[OP_COUNT] = {
	[OP_HELLO] = { "hello", no_fields, hello_results, NULL, false, false,
	    false },
	[OP_LIST] = { "list", no_fields, list_results, serve_list, false, false,
	    false },
	[OP_RESOLVE] = { "resolve", resolve_args, found_result, serve_resolve,
	    false, false, false },
	[OP_INFO] = { "info", interp_arg, info_result, serve_info, false, false,
	    false },
	[OP_CREATE] = { "create", create_args, info_result, serve_create, false,
	    false, false },
	[OP_USE] = { "use", interp_arg, no_fields, serve_use, false, false,
	    false },
	[OP_DESTROY] = { "destroy", interp_arg, no_fields, serve_destroy, false,
	    false, false },
	[OP_CURRENT] = { "current", no_fields, found_result, serve_current, false,
	    false, false },
	[OP_RUN] = { "run", run_args, run_results, serve_run, false, false,
	    false },
	[OP_COMPLETE] = { "complete", complete_args, complete_results,
	    serve_complete, false, false, false },
	[OP_IMPORT] = { "import", import_args, import_results, serve_import,
	    false, false, false },
	[OP_REINIT] = { "reinit", no_fields, reinit_results, serve_reinit, false,
	    false, false },
	[OP_SNAPSHOT] = { "snapshot", snapshot_args, snapshot_sent,
	    serve_snapshot, true, false, false },
	[OP_JSON_TO] = { "json_to", filter_args, no_fields, serve_json_to,
	    false, false, true },
	[OP_READ_AHEAD] = { "read_ahead", filter_args, read_ahead_results,
	    serve_read_ahead, false, false, false },
	[OP_STATICS] = { "statics", statics_args, snapshot_results,
	    serve_statics, true, false, false },
	[OP_AUDIT] = { "audit", audit_args, snapshot_results, serve_audit,
	    true, false, false },
	[OP_WHY] = { "why", why_args, snapshot_results, serve_why, true,
	    false, false },
	[OP_QUIT] = { "quit", no_fields, no_fields, serve_quit, false, true,
	    false },
};

const struct proto_op *
proto_find(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < OP_COUNT; i++) {
		if (proto_ops[i].serve != NULL && strcmp(proto_ops[i].name, name) == 0)
			return &proto_ops[i];
	}
	return NULL;
}

/* ------------------------------------------------------------ encoding */

static json_t *
encode_array(const struct proto_field *f, const void *base, size_t n)
{
	json_t *arr = json_array(), *v;
	size_t i;

	for (i = 0; arr != NULL && i < n; i++) {
		switch (f->type) {
		case PT_INFOS:
			v = codec_info(&((const struct interp_info *)base)[i]);
			break;
		case PT_IDS:
			v = json_integer(((const interp_id *)base)[i]);
			break;
		case PT_STRINGS:
			v = json_string(((char *const *)base)[i]);
			break;
		case PT_REPORTS:
			v = codec_import_report(&((const struct import_report *)base)[i]);
			break;
		case PT_MAP:
			v = json_pack("[I, I]",
			    (json_int_t)((const struct reinit_map *)base)[i].old_id,
			    (json_int_t)((const struct reinit_map *)base)[i].new_id);
			break;
		default:
			v = NULL;
		}
		if (json_array_append_new(arr, v) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *
encode_one(const struct proto_field *f, const struct proto_call *c)
{
	const char *p = (const char *)c + f->at;
	const char *s;

	switch (f->type) {
	case PT_ID:
		return json_integer(*(const interp_id *)p);
	case PT_LONG:
		return json_integer(*(const long *)p);
	case PT_BOOL:
		return json_boolean(*(const bool *)p);
	case PT_STR:
	case PT_STR_NULL:
		s = *(const char *const *)p;
		if (s == NULL)
			return f->type == PT_STR ? json_string("") : json_null();
		return json_string(s);
	case PT_TEXT:
		return json_string(p);
	case PT_SIZE:
		return json_integer((json_int_t)*(const size_t *)p);
	case PT_REQUEST:
		return codec_request((const struct interp_request *)p);
	case PT_INFO:
		return codec_info((const struct interp_info *)p);
	case PT_FILTER:
		return codec_filter((const struct snap_filter *)p);
	case PT_INFOS:
	case PT_IDS:
	case PT_STRINGS:
	case PT_REPORTS:
	case PT_MAP:
		return encode_array(f, *(const void *const *)p,
		    *(const size_t *)((const char *)c + f->count_at));
	}
	return NULL;
}

int
proto_encode(const struct proto_field *fields, const struct proto_call *c,
    json_t *o)
{
	const struct proto_field *f;

	for (f = fields; f->key != NULL; f++) {
		/* NULL (out of memory, or text that is not UTF-8) fails here */
		if (json_object_set_new(o, f->key, encode_one(f, c)) != 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ decoding */

static int
decode_element(const struct proto_field *f, json_t *v, void *base, size_t i,
    char **cause)
{
	json_int_t a, b;

	switch (f->type) {
	case PT_INFOS:
		return codec_info_from(v, &((struct interp_info *)base)[i], cause);
	case PT_IDS:
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			break;
		((interp_id *)base)[i] = json_integer_value(v);
		return 0;
	case PT_STRINGS:
		if (!json_is_string(v))
			break;
		((char **)base)[i] = strdup(json_string_value(v));
		if (((char **)base)[i] == NULL) {
			cause_set(cause, "out of memory");
			return -1;
		}
		return 0;
	case PT_REPORTS:
		return codec_import_report_from(v,
		    &((struct import_report *)base)[i], cause);
	case PT_MAP:
		if (json_unpack(v, "[II]", &a, &b) != 0 || a < 0 || b < -1)
			break;
		((struct reinit_map *)base)[i].old_id = a;
		((struct reinit_map *)base)[i].new_id = b;
		return 0;
	default:
		break;
	}
	cause_set(cause, "element %zu is malformed", i);
	return -1;
}

static size_t
element_size(enum proto_type t)
{
	switch (t) {
	case PT_INFOS:
		return sizeof(struct interp_info);
	case PT_IDS:
		return sizeof(interp_id);
	case PT_STRINGS:
		return sizeof(char *);
	case PT_REPORTS:
		return sizeof(struct import_report);
	case PT_MAP:
		return sizeof(struct reinit_map);
	default:
		return 1;
	}
}

/* An array member into a malloc'd array; the count grows with each element
 * decoded, so proto_call_free frees exactly what was made. */
static int
decode_array(const struct proto_field *f, json_t *arr, struct proto_call *c,
    char **cause)
{
	void **slot = (void **)((char *)c + f->at);
	size_t *count = (size_t *)((char *)c + f->count_at), i;
	json_t *v;

	if (!json_is_array(arr)) {
		cause_set(cause, "'%s' is missing or not an array", f->key);
		return -1;
	}
	*slot = calloc(json_array_size(arr) + 1, element_size(f->type));
	if (*slot == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	*count = 0;
	json_array_foreach(arr, i, v) {
		if (decode_element(f, v, *slot, i, cause) != 0) {
			cause_prefix(cause, "'%s'", f->key);
			return -1;
		}
		(*count)++;
	}
	return 0;
}

static int
decode_one(const struct proto_field *f, json_t *o, struct proto_call *c,
    char **cause)
{
	char *p = (char *)c + f->at;
	const char *s;
	long long v;
	int rc;

	switch (f->type) {
	case PT_ID:
		if (codec_get_int(o, f->key, INTERP_NONE, INT64_MAX, &v, cause) != 0)
			return -1;
		*(interp_id *)p = (interp_id)v;
		return 0;
	case PT_LONG:
		if (codec_get_int(o, f->key, f->max < 0 ? LONG_MIN : 0,
		    f->max < 0 ? LONG_MAX : f->max, &v, cause) != 0)
			return -1;
		*(long *)p = (long)v;
		return 0;
	case PT_SIZE:
		if (codec_get_int(o, f->key, 0, WIRE_FRAME_MAX, &v, cause) != 0)
			return -1;
		*(size_t *)p = (size_t)v;
		return 0;
	case PT_BOOL:
		return codec_get_bool(o, f->key, (bool *)p, cause);
	case PT_STR:
	case PT_STR_NULL:
		return codec_get_str(o, f->key, f->type == PT_STR_NULL,
		    (const char **)p, cause);
	case PT_TEXT:
		if (codec_get_str(o, f->key, false, &s, cause) != 0)
			return -1;
		codec_copy_text(p, (size_t)f->max, s);
		return 0;
	case PT_REQUEST:
		rc = codec_request_from(json_object_get(o, f->key),
		    (struct interp_request *)p, cause);
		break;
	case PT_INFO:
		rc = codec_info_from(json_object_get(o, f->key),
		    (struct interp_info *)p, cause);
		break;
	case PT_FILTER:
		rc = codec_filter_from(json_object_get(o, f->key),
		    (struct snap_filter *)p, cause);
		c->decoded_args = true;
		break;
	case PT_IDS:
		c->decoded_args = true;
		return decode_array(f, json_object_get(o, f->key), c, cause);
	case PT_INFOS:
	case PT_STRINGS:
	case PT_REPORTS:
	case PT_MAP:
		return decode_array(f, json_object_get(o, f->key), c, cause);
	default:
		cause_set(cause, "'%s' has no decoder", f->key);
		return -1;
	}
	if (rc != 0)
		cause_prefix(cause, "'%s'", f->key);
	return rc;
}

int
proto_decode(const struct proto_field *fields, json_t *o,
    struct proto_call *c, char **cause)
{
	const struct proto_field *f;

	if (!json_is_object(o)) {
		cause_set(cause, "not a JSON object");
		return -1;
	}
	for (f = fields; f->key != NULL; f++) {
		if (decode_one(f, o, c, cause) != 0)
			return -1;
	}
	return 0;
}

void
proto_call_free(struct proto_call *c)
{
	size_t i;

	free(c->infos);
	for (i = 0; c->strings != NULL && i < c->nstrings; i++)
		free(c->strings[i]);
	free(c->strings);
	free(c->reports);
	free(c->map);
	if (!c->trailer_kept)
		free(c->trailer);
	if (c->decoded_args) {
		free(c->ids);
		free((void *)c->filter.names);
	}
	if (c->has_fd)
		close(c->fd);
	memset(c, 0, sizeof *c);
}
