/*
 * preview.h: a short text of a value read straight from its C structure
 * (core-internal), so a snapshot can show what a shared list holds without
 * running any Python code: repr() could call a user's __repr__, import
 * something, or touch another interpreter's state.
 */
#ifndef SUBREPL_PREVIEW_H
#define SUBREPL_PREVIEW_H

#ifndef SUBREPL_CORE
#error "a core-internal header: front ends include session.h only"
#endif

#include <Python.h>

#include <stdbool.h>
#include <stddef.h>

#define PREVIEW_MAX 64

/* Write a repr-like preview of o into buf (at most PREVIEW_MAX bytes with
 * the NUL); false when o's type is not one we can read without code
 * (exact None, bool, int, float, str, bytes, list, tuple, dict, set and
 * frozenset only). Too long a text ends in "...". */
bool preview_value(PyObject *o, char *buf);

#endif
