/*
 * theme.c: roles to curses attributes, and the glyphs (see theme.h).
 * Colors use the terminal's default background (use_default_colors and
 * pair background -1), so a light or dark terminal keeps its look.
 */
#include "config.h"

#include "theme.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "provide-curses.h"

static int attrs[ROLE_COUNT];
static bool colored;
static bool unicode;

/* A role's color and the attributes it has with or without color. */
struct role_look {
	short fg;        /* COLOR_*, or -1 for the default */
	short bg;
	int with_color;  /* extra attributes with the color */
	int mono;        /* the attributes without color */
};

static const struct role_look looks[ROLE_COUNT] = {
	[ROLE_NORMAL] = { -1, -1, 0, 0 },
	[ROLE_TITLE] = { COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
	[ROLE_TITLE_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[ROLE_SELECTED_DIM] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[ROLE_SHARED] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	/* not blue: that is the title bars' background */
	[ROLE_STATIC] = { COLOR_MAGENTA, -1, 0, 0 },
	[ROLE_DISTINCT] = { COLOR_GREEN, -1, 0, 0 },
	[ROLE_DIM] = { -1, -1, A_DIM, A_DIM },
	[ROLE_CHANGED] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_STANDOUT | A_BOLD },
	[ROLE_ERROR] = { COLOR_RED, -1, 0, A_BOLD },
	[ROLE_PROMPT] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[ROLE_STATUS] = { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
	[ROLE_CURRENT] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
};

void
theme_init(void)
{
	const char *no_color = getenv("NO_COLOR");
	const char *codeset = nl_langinfo(CODESET);
	int i;

	unicode = codeset != NULL && strcmp(codeset, "UTF-8") == 0;
	colored = (no_color == NULL || no_color[0] == '\0') && has_colors() &&
	    start_color() == OK && COLORS >= 8;
	if (colored)
		colored = use_default_colors() == OK;
	for (i = 0; i < ROLE_COUNT; i++) {
		const struct role_look *l = &looks[i];

		if (!colored || (l->fg == -1 && l->bg == -1)) {
			attrs[i] = colored ? l->with_color : l->mono;
			continue;
		}
		init_pair((short)(i + 1), l->fg, l->bg);
		attrs[i] = (int)COLOR_PAIR(i + 1) | l->with_color;
	}
}

bool
theme_colored(void)
{
	return colored;
}

bool
theme_unicode(void)
{
	return unicode;
}

int
theme_attr(enum theme_role role)
{
	return attrs[role];
}

const char *
theme_cell_glyph(enum cell_class cls)
{
	static const char *const utf8[] = {
		[CELL_ABSENT] = "·", [CELL_PYTHON] = "○", [CELL_OWN] = "●",
		[CELL_SOURCE] = "◆", [CELL_COPIED] = "◐", [CELL_REFUSED] = "✗",
		[CELL_OTHER] = "?",
	};
	static const char *const ascii[] = {
		[CELL_ABSENT] = ".", [CELL_PYTHON] = "p", [CELL_OWN] = "o",
		[CELL_SOURCE] = "S", [CELL_COPIED] = "C", [CELL_REFUSED] = "x",
		[CELL_OTHER] = "?",
	};

	return unicode ? utf8[cls] : ascii[cls];
}

enum theme_role
theme_cell_role(enum cell_class cls)
{
	switch (cls) {
	case CELL_SOURCE:
	case CELL_COPIED:
		return ROLE_SHARED;
	case CELL_REFUSED:
		return ROLE_ERROR;
	case CELL_OWN:
		return ROLE_DISTINCT;
	case CELL_ABSENT:
	case CELL_PYTHON:
		return ROLE_DIM;
	case CELL_OTHER:
		break;
	}
	return ROLE_NORMAL;
}

enum theme_role
theme_sharing_role(enum sharing s)
{
	switch (s) {
	case SHARING_SHARED:
		return ROLE_SHARED;
	case SHARING_STATIC:
	case SHARING_IMMORTAL:
		return ROLE_STATIC;
	case SHARING_DISTINCT:
		break;
	}
	return ROLE_DISTINCT;
}

const char *
theme_current_mark(void)
{
	return unicode ? "▶" : ">";
}

const char *
theme_ellipsis(void)
{
	return unicode ? "…" : "~";
}
