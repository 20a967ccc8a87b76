/*
 * console.c: the scrollback ring (see console.h). Tabs become spaces and
 * other control bytes are dropped here, so the pane only lays out text.
 */
#include "config.h"

#include "console.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void
console_init(struct console *c)
{
	memset(c, 0, sizeof *c);
	c->lines = xcalloc(CONSOLE_MAX, sizeof *c->lines);
}

void
console_free(struct console *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->lines[(c->first + i) % CONSOLE_MAX].text);
	free(c->lines);
	free(c->partial[0]);
	free(c->partial[1]);
	memset(c, 0, sizeof *c);
}

/* A printable copy: tabs to the next multiple of 8, no control bytes. */
static char *
clean(const char *s, size_t len)
{
	char *out = xmalloc(len * 8 + 1);
	size_t i, o = 0, col = 0;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\t') {
			do {
				out[o++] = ' ';
				col++;
			} while (col % 8 != 0);
		} else if (ch == '\r' || ch == 0x1b || ch < 0x20 || ch == 0x7f) {
			continue;
		} else {
			out[o++] = (char)ch;
			if ((ch & 0xc0) != 0x80)
				col++;
		}
	}
	out[o] = '\0';
	return out;
}

static void
add(struct console *c, enum console_stream s, char *text)
{
	size_t slot;

	if (c->n == CONSOLE_MAX) {
		free(c->lines[c->first].text);
		c->first = (c->first + 1) % CONSOLE_MAX;
		c->n--;
	}
	slot = (c->first + c->n) % CONSOLE_MAX;
	c->lines[slot].text = text;
	c->lines[slot].stream = s;
	c->n++;
	c->added++;
}

void
console_line(struct console *c, enum console_stream s, const char *text)
{
	add(c, s, clean(text, strlen(text)));
}

void
console_write(struct console *c, enum console_stream s, const char *buf,
    size_t len)
{
	int k = s == STREAM_ERR ? 1 : 0;
	const char *nl;

	if (c->cut[k] && len > 0 && buf[0] == '\n') {
		buf++;
		len--;
	}
	if (len > 0)
		c->cut[k] = false;

	while (len > 0 && (nl = memchr(buf, '\n', len)) != NULL) {
		size_t part = (size_t)(nl - buf);
		char *joined = xmalloc(c->partial_len[k] + part + 1);

		memcpy(joined, c->partial[k] != NULL ? c->partial[k] : "",
		    c->partial_len[k]);
		memcpy(joined + c->partial_len[k], buf, part);
		add(c, s, clean(joined, c->partial_len[k] + part));
		free(joined);
		free(c->partial[k]);
		c->partial[k] = NULL;
		c->partial_len[k] = 0;
		buf = nl + 1;
		len -= part + 1;
	}
	if (len > 0) {
		c->partial[k] = xrealloc(c->partial[k], c->partial_len[k] + len);
		memcpy(c->partial[k] + c->partial_len[k], buf, len);
		c->partial_len[k] += len;
	}
}

void
console_flush(struct console *c)
{
	int k;

	for (k = 0; k < 2; k++) {
		if (c->partial_len[k] == 0)
			continue;
		add(c, k == 1 ? STREAM_ERR : STREAM_OUT,
		    clean(c->partial[k], c->partial_len[k]));
		c->cut[k] = true;
		free(c->partial[k]);
		c->partial[k] = NULL;
		c->partial_len[k] = 0;
	}
}

const struct console_line *
console_get(const struct console *c, size_t i)
{
	if (i >= c->n)
		return NULL;
	return &c->lines[(c->first + i) % CONSOLE_MAX];
}
