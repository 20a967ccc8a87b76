/*
 * lesson-file.c: parsing lesson and bug files (lesson-file.h). The format
 * is line-based so a teacher can write one in any editor: the header ends
 * at the first empty line, and each body line is one item, told by its
 * first characters; anything not told is input, kept byte for byte.
 */
#include "config.h"

#include "lesson-file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "program-file.h"
#include "xmalloc.h"

/* A lesson is a few dozen lines: more than this is not a lesson file. */
#define LESSON_FILE_MAX (1 << 20)

static const char *const check_names[] = {
	[CHECK_SAME] = "?same",
	[CHECK_DIFFER] = "?differ",
	[CHECK_TRUE] = "?true",
	[CHECK_RAISES] = "?raises",
};

const char *
lesson_check_name(enum lesson_check check)
{
	return check_names[check];
}

/* How many of the first len bytes of s (a line, not NUL-terminated) are
 * in set, or not in it: strspn and strcspn that stop at the line's end. */
static size_t
span(const char *s, size_t len, const char *set, bool in)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((strchr(set, s[i]) != NULL && s[i] != '\0') != in)
			break;
	}
	return i;
}

static char *
trimmed(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

char *
lesson_file_name(const char *path)
{
	const char *base = strrchr(path, '/'), *dot, *p;

	base = base != NULL ? base + 1 : path;
	for (p = base; *p >= '0' && *p <= '9'; p++)
		;
	if (p > base && *p == '-' && p[1] != '\0')
		base = p + 1;
	dot = strrchr(base, '.');
	return xstrndup(base, dot != NULL && dot > base ? (size_t)(dot - base) :
	    strlen(base));
}

static struct lesson_item *
add_item(struct lesson_file *f, enum lesson_item_kind kind, long line)
{
	struct lesson_item *it;

	f->items = xrealloc(f->items, (f->nitems + 1) * sizeof *f->items);
	it = &f->items[f->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->line = line;
	return it;
}

/* "main,a" into words; an empty list is allowed (the current one). */
static void
split_interps(struct lesson_item *it, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start, end;

		while (i < len && (s[i] == ' ' || s[i] == ','))
			i++;
		start = i;
		while (i < len && s[i] != ' ' && s[i] != ',')
			i++;
		end = i;
		if (end > start) {
			it->interps = xrealloc(it->interps,
			    (it->ninterps + 1) * sizeof *it->interps);
			it->interps[it->ninterps++] = xstrndup(s + start, end - start);
		}
	}
}

/* "?same main,a: EXPR" */
static int
parse_check(struct lesson_file *f, const char *s, size_t len, long line,
    char **cause)
{
	const char *colon = memchr(s, ':', len);
	size_t word = span(s, len, " :", false);
	struct lesson_item *it;
	size_t i, nnames = sizeof check_names / sizeof check_names[0];

	for (i = 0; i < nnames; i++) {
		if (strlen(check_names[i]) == word &&
		    strncmp(s, check_names[i], word) == 0)
			break;
	}
	if (i == nnames) {
		*cause = xasprintf("%s:%ld: unknown check '%.*s' (know ?same, ?differ, "
		    "?true, ?raises)", f->path, line, (int)word, s);
		return -1;
	}
	if (colon == NULL || colon < s + word) {
		*cause = xasprintf("%s:%ld: %s needs ': EXPR' after its interpreters",
		    f->path, line, check_names[i]);
		return -1;
	}
	it = add_item(f, ITEM_CHECK, line);
	it->check = (enum lesson_check)i;
	split_interps(it, s + word, (size_t)(colon - s - word));
	it->text = trimmed(colon + 1, len - (size_t)(colon + 1 - s));
	if (it->text[0] == '\0') {
		*cause = xasprintf("%s:%ld: %s has nothing after ':' to evaluate",
		    f->path, line, check_names[i]);
		return -1;
	}
	if ((it->check == CHECK_SAME || it->check == CHECK_DIFFER) &&
	    it->ninterps < 2) {
		*cause = xasprintf("%s:%ld: %s compares two interpreters or more "
		    "(%s main,a: EXPR)", f->path, line, check_names[i],
		    check_names[i]);
		return -1;
	}
	if ((it->check == CHECK_TRUE || it->check == CHECK_RAISES) &&
	    it->ninterps > 1) {
		*cause = xasprintf("%s:%ld: %s looks in one interpreter", f->path,
		    line, check_names[i]);
		return -1;
	}
	return 0;
}

static int
parse_body_line(struct lesson_file *f, const char *s, size_t len, long line,
    char **cause)
{
	struct lesson_item *it;

	if (len >= 1 && s[0] == '|') {
		it = add_item(f, ITEM_NARRATION, line);
		it->text = xstrndup(len > 1 && s[1] == ' ' ? s + 2 : s + 1,
		    len > 1 && s[1] == ' ' ? len - 2 : len - 1);
	} else if (len >= 3 && span(s, len, "-", true) == len) {
		add_item(f, ITEM_PAUSE, line);
	} else if (len >= 1 && s[0] == '?') {
		return parse_check(f, s, len, line, cause);
	} else if (len >= 1 && s[0] == '!') {
		if (f->nitems == 0 || (f->items[f->nitems - 1].kind != ITEM_CHECK &&
		    f->items[f->nitems - 1].kind != ITEM_INPUT &&
		    f->items[f->nitems - 1].kind != ITEM_OTHERWISE)) {
			*cause = xasprintf("%s:%ld: '!' says what a check or a line "
			    "found: put it under one", f->path, line);
			return -1;
		}
		it = add_item(f, ITEM_OTHERWISE, line);
		it->text = trimmed(s + 1, len - 1);
	} else {
		it = add_item(f, ITEM_INPUT, line);
		it->text = xstrndup(s, len);
	}
	return 0;
}

static int
parse_header_line(struct lesson_file *f, const char *s, size_t len, long line,
    char **cause)
{
	const char *colon = memchr(s, ':', len);
	size_t klen = colon != NULL ? (size_t)(colon - s) : 0;
	struct lesson_field *fld;
	size_t i;

	for (i = 0; i < klen; i++) {
		if (!(s[i] == '-' || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z')))
			break;
	}
	if (colon == NULL || klen == 0 || i < klen) {
		*cause = xasprintf("%s:%ld: the header holds 'Key: value' lines, up to "
		    "an empty line", f->path, line);
		return -1;
	}
	f->fields = xrealloc(f->fields, (f->nfields + 1) * sizeof *f->fields);
	fld = &f->fields[f->nfields++];
	fld->key = xstrndup(s, klen);
	fld->value = trimmed(colon + 1, len - klen - 1);
	return 0;
}

int
lesson_file_parse(const char *path, const char *text, size_t len,
    struct lesson_file *out, char **cause)
{
	const char *p = text, *end = text + len;
	bool in_header = true;
	long line = 0;

	memset(out, 0, sizeof *out);
	out->path = xstrdup(path);
	out->name = lesson_file_name(path);
	if (memchr(text, '\0', len) != NULL) {
		*cause = xasprintf("%s: holds a NUL byte: not a lesson file", path);
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		line++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0 && p[0] == '#') {
			/* a comment */
		} else if (in_header && n == 0) {
			in_header = false;
		} else if (in_header) {
			if (parse_header_line(out, p, n, line, cause) != 0)
				return -1;
		} else if (parse_body_line(out, p, n, line, cause) != 0) {
			return -1;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	if (lesson_field(out, "Title") == NULL) {
		*cause = xasprintf("%s: no 'Title:' line in its header", path);
		return -1;
	}
	return 0;
}

int
lesson_file_read(const char *path, struct lesson_file *out, char **cause)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t len;
	int rc;

	if (f == NULL) {
		memset(out, 0, sizeof *out);
		*cause = xasprintf("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	text = xmalloc(LESSON_FILE_MAX + 1);
	len = fread(text, 1, LESSON_FILE_MAX + 1, f);
	if (ferror(f) || len > LESSON_FILE_MAX) {
		memset(out, 0, sizeof *out);
		*cause = ferror(f) ? xasprintf("cannot read '%s': %s", path,
		    strerror(errno)) :
		    xasprintf("'%s' is larger than a lesson file can be (1 MiB)",
		    path);
		fclose(f);
		free(text);
		return -1;
	}
	fclose(f);
	rc = lesson_file_parse(path, text, len, out, cause);
	free(text);
	return rc;
}

void
lesson_file_free(struct lesson_file *f)
{
	size_t i, j;

	for (i = 0; i < f->nfields; i++) {
		free(f->fields[i].key);
		free(f->fields[i].value);
	}
	for (i = 0; i < f->nitems; i++) {
		free(f->items[i].text);
		for (j = 0; j < f->items[i].ninterps; j++)
			free(f->items[i].interps[j]);
		free(f->items[i].interps);
	}
	free(f->fields);
	free(f->items);
	free(f->path);
	free(f->name);
	memset(f, 0, sizeof *f);
}

const char *
lesson_field(const struct lesson_file *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->nfields; i++) {
		if (strcasecmp(f->fields[i].key, key) == 0)
			return f->fields[i].value;
	}
	return NULL;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
lesson_dir_list(const char *dir, const char *ext, char ***paths, size_t *n,
    char **cause)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t elen = strlen(ext);

	*paths = NULL;
	*n = 0;
	if (d == NULL) {
		*cause = xasprintf("cannot read the directory '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || len <= elen ||
		    strcmp(e->d_name + len - elen, ext) != 0)
			continue;
		*paths = xrealloc(*paths, (*n + 1) * sizeof **paths);
		(*paths)[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(*paths, *n, sizeof **paths, by_name);
	return 0;
}

char *
lesson_data_dir(const char *sub)
{
	const char *env = getenv("SUBREPL_DATA_DIR");
	char exe[4096], *slash, *marker;
	struct stat st;

	if (env != NULL && env[0] != '\0')
		return xasprintf("%s/%s", env, sub);
	/* Run from its build tree (config.status beside it): the files are
	 * in the source tree, under docs/. */
	if (program_file(exe, sizeof exe) && (slash = strrchr(exe, '/')) != NULL) {
		*slash = '\0';
		marker = xasprintf("%s/config.status", exe);
		if (stat(marker, &st) == 0) {
			free(marker);
			return xasprintf("%s/docs/%s", SUBREPL_SRCDIR, sub);
		}
		free(marker);
	}
	return xasprintf("%s/%s", SUBREPL_DATADIR, sub);
}
