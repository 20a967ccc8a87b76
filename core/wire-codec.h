/*
 * wire-codec.h: plain session data as JSON and back, for the host protocol
 * (core-internal).
 */
#ifndef SUBREPL_WIRE_CODEC_H
#define SUBREPL_WIRE_CODEC_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "import.h"
#include "session.h"
#include "snapshot.h"

/* Typed members of an object; -1 with *cause naming the member when it is
 * missing, of another type or (integers) outside [lo, hi]. A nullable
 * string that is null or absent gives NULL; strings point into o. */
int codec_get_int(json_t *o, const char *key, long long lo, long long hi,
    long long *v, char **cause);
int codec_get_bool(json_t *o, const char *key, bool *v, char **cause);
int codec_get_str(json_t *o, const char *key, bool nullable, const char **v,
    char **cause);

/* s copied into dst (size bytes, size > 0), cut to fit before the
 * character that would not fit whole, so a copy of UTF-8 is UTF-8. */
void codec_copy_text(char *dst, size_t size, const char *s);

/* Encoders return NULL when out of memory; decoders return -1 with *cause
 * when a member is missing, mistyped or out of range. */
json_t *codec_info(const struct interp_info *i);
int codec_info_from(json_t *o, struct interp_info *i, char **cause);

json_t *codec_request(const struct interp_request *r);
/* r->name points into o. */
int codec_request_from(json_t *o, struct interp_request *r, char **cause);

json_t *codec_import_report(const struct import_report *r);
int codec_import_report_from(json_t *o, struct import_report *r, char **cause);

json_t *codec_filter(const struct snap_filter *f);
/* f->names is malloc'd (free it); the names point into o. */
int codec_filter_from(json_t *o, struct snap_filter *f, char **cause);

/* A snapshot from the JSON text snapshot_write_json wrote, every member
 * checked (docs/snapshot.md); NULL with *cause. */
struct snapshot *codec_snapshot_parse(const char *text, size_t len, char **cause);

/* The same for a delta (snapshot_write_json_rows): also the names of its
 * "removed" member, malloc'd, into *removed (none when it has none; free
 * them with session_free_strings); without "interpreters", the
 * snapshot's are NULL (the base's). */
struct snapshot *codec_snapshot_parse_delta(const char *text, size_t len,
    char ***removed, size_t *nremoved, char **cause);

#endif
