/*
 * color.h: terminal colors for command output: only on a terminal, never
 * when NO_COLOR is set (https://no-color.org), with plain text meaning the
 * same thing without them.
 */
#ifndef SUBREPL_COLOR_H
#define SUBREPL_COLOR_H

#include <stdbool.h>
#include <stdio.h>

enum color {
	COLOR_NONE,
	COLOR_ALARM,   /* shared heap objects: the dangerous case */
	COLOR_STATIC,  /* static and immortal objects */
	COLOR_CALM,    /* distinct objects */
	COLOR_DIM,     /* addresses and other detail */
};

/* Whether f should get colors. */
bool color_enabled(FILE *f);

/* The escape sequence that starts a color ("" when colors are off) and the
 * one that ends it. */
const char *color_on(FILE *f, enum color c);
const char *color_off(FILE *f);

#endif
