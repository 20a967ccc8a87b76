/*
 * input.c: rejecting lines no step should see: NUL bytes (C strings and
 * Python's compiler both stop there), invalid UTF-8 (Python source is
 * UTF-8), and lines so long they are surely a mistake.
 */
#include "config.h"

#include "input.h"

#include <stdbool.h>
#include <string.h>

#include "xmalloc.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t
utf8_sequence(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

int
input_check(const char *line, size_t len, char **cause)
{
	const unsigned char *s = (const unsigned char *)line;
	const char *nul;
	size_t i, step;

	if (len > INPUT_LINE_MAX) {
		*cause = xasprintf("line too long (%zu bytes; the limit is %d): "
		    "put long code in a file and run it with "
		    "exec(open('FILE').read())", len, INPUT_LINE_MAX);
		return -1;
	}
	nul = memchr(line, '\0', len);
	if (nul != NULL) {
		*cause = xasprintf("NUL byte at column %zu: remove it (Python "
		    "source cannot contain NUL; write '\\0' in a string)",
		    (size_t)(nul - line) + 1);
		return -1;
	}
	for (i = 0; i < len; i += step) {
		step = utf8_sequence(s + i, len - i);
		if (step == 0) {
			*cause = xasprintf("invalid UTF-8 (byte 0x%02x at column "
			    "%zu): input must be UTF-8; write other bytes as "
			    "escapes such as b'\\x%02x'", s[i], i + 1, s[i]);
			return -1;
		}
	}
	return 0;
}
