/*
 * wire-codec.h: plain session data as JSON and back, for the host protocol
 * (core-internal).
 */
#ifndef SUBREPL_WIRE_CODEC_H
#define SUBREPL_WIRE_CODEC_H

#include <stdio.h>

#include <jansson.h>

#include "import.h"
#include "session.h"
#include "snapshot.h"

json_t *codec_info(const struct interp_info *i);
void codec_info_from(json_t *o, struct interp_info *i);

json_t *codec_request(const struct interp_request *r);
/* r->name points into o. */
void codec_request_from(json_t *o, struct interp_request *r);

json_t *codec_import_report(const struct import_report *r);
void codec_import_report_from(json_t *o, struct import_report *r);

json_t *codec_filter(const struct snap_filter *f);
/* f->names point into o and into names[max]. */
void codec_filter_from(json_t *o, struct snap_filter *f, const char **names,
    size_t max);

/* A snapshot from the JSON text snapshot_write_json wrote. */
struct snapshot *codec_snapshot_parse(const char *text, size_t len, char **cause);

#endif
