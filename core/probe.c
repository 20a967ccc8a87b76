/*
 * probe.c: telling live objects from other words of memory (see probe.h).
 */
#include "config.h"

#include "probe.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* The largest reference count believed: no process holds 2^40 references
 * to an object, and addresses (which a pointer misread as a count would
 * be) are above it. */
#define REFCNT_MAX ((Py_ssize_t)1 << 40)

int
probe_read(uintptr_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)addr, len };
	ssize_t n;

	if (addr == 0 || addr + len < addr)
		return -1;
	n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? 0 : -1;
}

/* A NUL-terminated, printable name within 128 bytes at addr. */
static bool
readable_name(uintptr_t addr)
{
	char buf[128];
	size_t i, len = sizeof buf;

	/* the name may end close to the end of a mapping: shorten the read */
	while (len >= 8 && probe_read(addr, buf, len) != 0)
		len /= 2;
	if (len < 8)
		return false;
	for (i = 0; i < len; i++) {
		if (buf[i] == '\0')
			return i > 0;
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] == 0x7f)
			return false;
	}
	return false;
}

/* Whether t is a ready type object the runtime knows; depth bounds the
 * metatype chain (type, or a metaclass that is a subclass of type). */
static bool
is_type(const struct segments *segs, uintptr_t t, int depth)
{
	PyTypeObject copy;
	uintptr_t meta;

	if (t == 0 || (t & (sizeof(void *) - 1)) != 0 || depth > 4)
		return false;
	if (t == (uintptr_t)&PyType_Type)
		return true;
	if (probe_read(t, &copy, sizeof copy) != 0)
		return false;
	if (Py_REFCNT((PyObject *)&copy) <= 0 ||
	    Py_REFCNT((PyObject *)&copy) > REFCNT_MAX ||
	    (copy.tp_flags & Py_TPFLAGS_READY) == 0 ||
	    copy.tp_basicsize <= 0 || copy.tp_basicsize > (1 << 20) ||
	    !readable_name((uintptr_t)copy.tp_name))
		return false;
	/* a static type lives in a loaded file; a heap type is an object */
	if ((copy.tp_flags & Py_TPFLAGS_HEAPTYPE) == 0 &&
	    segments_find(segs, t) == NULL)
		return false;
	meta = (uintptr_t)Py_TYPE((PyObject *)&copy);
	if (meta == (uintptr_t)&PyType_Type)
		return true;
	/* a metaclass: itself a type whose instances are types */
	{
		PyTypeObject m;

		if (probe_read(meta, &m, sizeof m) != 0 ||
		    (m.tp_flags & Py_TPFLAGS_TYPE_SUBCLASS) == 0)
			return false;
	}
	return is_type(segs, meta, depth + 1);
}

bool
probe_type_name(uintptr_t addr, char *buf, size_t size)
{
	PyTypeObject copy;
	size_t len;

	if (size == 0 || probe_read(addr, &copy, sizeof copy) != 0 ||
	    !readable_name((uintptr_t)copy.tp_name))
		return false;
	/* readable_name saw a NUL within 128 bytes: copy up to it */
	for (len = 0; len + 1 < size; len++) {
		if (probe_read((uintptr_t)copy.tp_name + len, buf + len, 1) != 0 ||
		    buf[len] == '\0')
			break;
	}
	buf[len] = '\0';
	return true;
}

bool
probe_object(const struct segments *segs, uintptr_t addr, PyTypeObject **type)
{
	PyObject head;

	if (addr == 0 || (addr & (sizeof(void *) - 1)) != 0 ||
	    probe_read(addr, &head, sizeof head) != 0)
		return false;
	/* a count no program reaches: what is there is a pointer, not a
	 * reference count (arrays of pointers look like objects otherwise;
	 * an immortal object's count is 2^32 - 1 or so) */
	if (Py_REFCNT(&head) <= 0 || Py_REFCNT(&head) > REFCNT_MAX ||
	    !is_type(segs, (uintptr_t)Py_TYPE(&head), 0))
		return false;
	/* the whole fixed part must be readable too */
	{
		char tail[64];
		Py_ssize_t size = Py_TYPE(&head)->tp_basicsize;

		if (size > (Py_ssize_t)sizeof tail)
			size = sizeof tail;
		if (probe_read(addr, tail, (size_t)size) != 0)
			return false;
	}
	*type = Py_TYPE(&head);
	return true;
}
