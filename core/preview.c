/*
 * preview.c: repr-like text of plain values without running Python code
 * (see preview.h). Only exact built-in types are read, through their C
 * accessors; containers show their first elements and, when cut, their
 * length, so that "items: ['a', 'b', ... 3 items]" still counts right.
 */
#include "config.h"

#include "preview.h"

#include <string.h>

#include "decimal.h"

/* An output buffer that remembers it was cut. */
struct out {
	char *buf;
	size_t len;
	bool full;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->full)
		return;
	/* room is kept for the "..." of a cut */
	if (o->len + n >= PREVIEW_MAX - 3) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void
puts_out(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* A piece of text built by hand before it is put whole: snprintf was
 * most of a preview's time (perf: previews are read after every step). */
struct piece {
	char buf[48];
	size_t len;
};

static void
piece_add(struct piece *p, const char *s, size_t n)
{
	if (n > sizeof p->buf - 1 - p->len)
		n = sizeof p->buf - 1 - p->len;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

static void
piece_str(struct piece *p, const char *s)
{
	piece_add(p, s, strlen(s));
}

static void
piece_num(struct piece *p, long long x)
{
	char digits[DECIMAL_MAX];

	piece_add(p, digits, decimal_write(digits, x));
}

static void
put_piece(struct out *o, const struct piece *p)
{
	put(o, p->buf, p->len);
}

static void
put_hex_escape(struct out *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 0xf] };

	put(o, esc, sizeof esc);
}

static bool
readable(PyObject *v)
{
	return v == Py_None || PyBool_Check(v) || PyLong_CheckExact(v) ||
	    PyFloat_CheckExact(v) || PyUnicode_CheckExact(v) ||
	    PyBytes_CheckExact(v) || PyList_CheckExact(v) ||
	    PyTuple_CheckExact(v) || PyDict_CheckExact(v) ||
	    PySet_CheckExact(v) || PyFrozenSet_CheckExact(v);
}

static bool
plain_char(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\'' && c != '\\';
}

/* A run of n plain characters, put as put() would put them one at a
 * time: as many as fit, then full (perf: a call per character was most
 * of a string's preview). */
static void
put_run(struct out *o, const char *s, size_t n)
{
	size_t room = o->len < PREVIEW_MAX - 4 ? PREVIEW_MAX - 4 - o->len : 0;

	if (n <= room) {
		put(o, s, n);
		return;
	}
	put(o, s, room);
	o->full = true;
}

/* A string literal as repr writes the simple cases: quotes, escapes for
 * the quote, backslash and control characters. */
static void
put_str(struct out *o, const char *s, Py_ssize_t n, const char *prefix)
{
	Py_ssize_t i;
	char esc[8];

	puts_out(o, prefix);
	put(o, "'", 1);
	for (i = 0; i < n && !o->full; i++) {
		unsigned char c = (unsigned char)s[i];

		if (plain_char(c)) {
			/* no further than what can fit, of a long string */
			Py_ssize_t end = i + 1;

			while (end < n && end - i < PREVIEW_MAX &&
			    plain_char((unsigned char)s[end]))
				end++;
			put_run(o, s + i, (size_t)(end - i));
			i = end - 1;
		} else if (c == '\'' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(o, esc, 2);
		} else if (c == '\n' || c == '\t' || c == '\r') {
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			put(o, esc, 2);
		} else if (c < 0x20 || c == 0x7f)
			put_hex_escape(o, c);
		else if (c >= 0x80 && prefix[0] != '\0')
			put_hex_escape(o, c); /* bytes: not text */ else {
			/* a whole UTF-8 sequence, so a cut never splits one */
			Py_ssize_t len = 1;

			while (c >= 0x80 && i + len < n &&
			    ((unsigned char)s[i + len] & 0xc0) == 0x80)
				len++;
			put(o, &s[i], (size_t)len);
			i += len - 1;
		}
	}
	put(o, "'", 1);
}

static void value(struct out *o, PyObject *v, int depth);

/* The elements of a list, tuple or dict, cut with a count. Sets show
 * only their size: walking them without code needs an internal API on
 * 3.13. */
static void
container(struct out *o, PyObject *v, int depth)
{
	Py_ssize_t n, i = 0, pos = 0, shown = 0;
	PyObject *key, *item = NULL;
	const char *open, *close;
	struct piece more = { "", 0 };
	bool dict = PyDict_CheckExact(v);

	if (PyAnySet_CheckExact(v)) {
		piece_str(&more, PyFrozenSet_CheckExact(v) ? "frozenset(" : "set(");
		piece_num(&more, PySet_GET_SIZE(v));
		piece_str(&more, " items)");
		put_piece(o, &more);
		return;
	}
	if (PyList_CheckExact(v)) {
		n = PyList_GET_SIZE(v);
		open = "[";
		close = "]";
	} else if (PyTuple_CheckExact(v)) {
		n = PyTuple_GET_SIZE(v);
		open = "(";
		close = n == 1 ? ",)" : ")";
	} else {
		n = PyDict_GET_SIZE(v);
		open = "{";
		close = "}";
	}
	if (depth > 1 && n > 0) {
		piece_str(&more, open);
		piece_str(&more, "...");
		piece_str(&more, close);
		put_piece(o, &more);
		return;
	}
	puts_out(o, open);
	for (;;) {
		size_t before = o->len;

		if (dict) {
			if (!PyDict_Next(v, &pos, &key, &item))
				break;
		} else {
			if (i >= n)
				break;
			key = PyList_CheckExact(v) ? PyList_GET_ITEM(v, i) :
			    PyTuple_GET_ITEM(v, i);
			i++;
		}
		if (shown > 0)
			puts_out(o, ", ");
		value(o, key, depth + 1);
		if (dict) {
			puts_out(o, ": ");
			value(o, item, depth + 1);
		}
		/* leave room to say how many there are */
		if (o->full || o->len > PREVIEW_MAX - 20) {
			o->full = false;
			o->len = before;
			o->buf[o->len] = '\0';
			piece_str(&more, shown > 0 ? ", ... " : "... ");
			piece_num(&more, n);
			piece_str(&more, " items");
			piece_str(&more, close);
			put_piece(o, &more);
			return;
		}
		shown++;
	}
	puts_out(o, close);
}

static void
value(struct out *o, PyObject *v, int depth)
{
	struct piece num = { "", 0 };

	if (!readable(v)) {
		const char *name = Py_TYPE(v)->tp_name;

		piece_str(&num, "<");
		piece_add(&num, name, strnlen(name, 30));
		piece_str(&num, ">");
		put_piece(o, &num);
	} else if (v == Py_None)
		puts_out(o, "None");
	else if (PyBool_Check(v))
		puts_out(o, v == Py_True ? "True" : "False");
	else if (PyLong_CheckExact(v)) {
		int overflow = 0;
		long long x = PyLong_AsLongLongAndOverflow(v, &overflow);

		if (overflow != 0 || (x == -1 && PyErr_Occurred())) {
			PyErr_Clear();
			puts_out(o, overflow < 0 ? "-<big int>" : "<big int>");
		} else {
			piece_num(&num, x);
			put_piece(o, &num);
		}
	} else if (PyFloat_CheckExact(v)) {
		char *s = PyOS_double_to_string(PyFloat_AS_DOUBLE(v), 'r', 0,
		    Py_DTSF_ADD_DOT_0, NULL);

		if (s != NULL) {
			puts_out(o, s);
			PyMem_Free(s);
		} else {
			PyErr_Clear();
			puts_out(o, "<float>");
		}
	} else if (PyUnicode_CheckExact(v)) {
		Py_ssize_t n;
		const char *s = PyUnicode_AsUTF8AndSize(v, &n);

		if (s == NULL) {
			PyErr_Clear();
			puts_out(o, "<str>");
		} else
			put_str(o, s, n, "");
	} else if (PyBytes_CheckExact(v))
		put_str(o, PyBytes_AS_STRING(v), PyBytes_GET_SIZE(v), "b");
	else
		container(o, v, depth);
}

bool
preview_value(PyObject *v, char *buf)
{
	struct out o = { buf, 0, false };

	buf[0] = '\0';
	if (!readable(v))
		return false;
	value(&o, v, 0);
	if (o.full) {
		/* a long string: cut visibly, after a whole character or
		 * escape (put() never splits one) */
		memcpy(buf + o.len, "...", 4);
	}
	return true;
}
