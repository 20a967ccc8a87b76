/*
 * probe.h: is there a live Python object at this address? (core-internal)
 *
 * Answered without any risk of crashing the host and without running Python
 * code: memory is read with process_vm_readv on our own process, which
 * fails with EFAULT where a plain load would fault, and an address counts
 * as an object only when what is there looks as a live object must: a
 * reference count, and an ob_type that is a ready type object the runtime
 * knows (a static type in a loaded file's data, or a heap type that is
 * itself such an object), with a readable name. The caller holds a GIL.
 */
#ifndef SUBREPL_PROBE_H
#define SUBREPL_PROBE_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "segments.h"

/* Copy len bytes at addr into buf; -1 when any of them is not readable. */
int probe_read(uintptr_t addr, void *buf, size_t len);

/* The name of a type object at addr, copied into buf (cut to fit), when
 * it can be read; false otherwise. */
bool probe_type_name(uintptr_t addr, char *buf, size_t size);

/* Whether a live object is at addr; its type then in *type. */
bool probe_object(const struct segments *segs, uintptr_t addr,
    PyTypeObject **type);

#endif
