/*
 * provide-curses.h: the one place that chooses the curses headers (htop's
 * ProvideCurses.h). Only ui/ includes it; ncursesw's wide-character calls
 * need _XOPEN_SOURCE_EXTENDED before the header.
 */
#ifndef SUBREPL_PROVIDE_CURSES_H
#define SUBREPL_PROVIDE_CURSES_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <curses.h>
#include <panel.h>

#endif
