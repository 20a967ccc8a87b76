/*
 * segments.c: the map of loaded files' segments (see segments.h).
 */
#include "config.h"

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "segments.h"

#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strpool.h"

struct walk {
	struct segments *segs;
	int failed;
};

#ifdef PYTHON_LINKED_IN
static bool
holds(const struct dl_phdr_info *info, uintptr_t addr)
{
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && addr >= start &&
		    addr < start + ph->p_memsz)
			return true;
	}
	return false;
}
#endif

static int
add_segments(struct dl_phdr_info *info, size_t size, void *data)
{
	struct walk *w = data;
	struct segments *segs = w->segs;
	const char *name = info->dlpi_name, *base, *path;
	char exe[PATH_MAX];
	int i;

	(void)size;
	if (name == NULL || name[0] == '\0') {
		/* the main program: dladdr names it by /proc/self/exe too */
		ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);

		if (len <= 0)
			return 0;
		exe[len] = '\0';
		name = exe;
	}
	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
#ifdef PYTHON_LINKED_IN
	/* None, True, small ints, static types: libpython's, linked into
	 * subrepl (configure.ac), and named so; the test programs link the
	 * shared libpython */
	if (name == exe && holds(info, (uintptr_t)Py_None))
		base = PYTHON_LINKED_IN;
#endif
	base = strpool_intern(segs->pool, base, strlen(base));
	path = strpool_intern(segs->pool, name, strlen(name));
	if (base == NULL || path == NULL) {
		w->failed = 1;
		return 1;
	}
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		struct segment *s;

		if (ph->p_type != PT_LOAD)
			continue;
		if (segs->n == segs->cap) {
			size_t cap = segs->cap == 0 ? 64 : segs->cap * 2;
			struct segment *v = realloc(segs->v, cap * sizeof *v);

			if (v == NULL) {
				w->failed = 1;
				return 1;
			}
			segs->v = v;
			segs->cap = cap;
		}
		s = &segs->v[segs->n++];
		s->start = info->dlpi_addr + ph->p_vaddr;
		s->end = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		s->file = base;
		s->path = path;
		s->base = info->dlpi_addr;
		s->writable = (ph->p_flags & PF_W) != 0;
	}
	return 0;
}

static int
segment_compare(const void *a, const void *b)
{
	const struct segment *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

int
segments_load(struct segments *segs, struct strpool *pool)
{
	struct walk w = { segs, 0 };

	memset(segs, 0, sizeof *segs);
	segs->pool = pool;
	dl_iterate_phdr(add_segments, &w);
	if (segs->n > 0)
		qsort(segs->v, segs->n, sizeof *segs->v, segment_compare);
	return w.failed ? -1 : 0;
}

void
segments_free(struct segments *segs)
{
	free(segs->v);
	memset(segs, 0, sizeof *segs);
}

const struct segment *
segments_find(const struct segments *segs, uintptr_t addr)
{
	size_t lo = 0, hi = segs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < segs->v[mid].start)
			hi = mid;
		else if (addr >= segs->v[mid].end)
			lo = mid + 1;
		else
			return &segs->v[mid];
	}
	return NULL;
}

const char *
segments_file(const struct segments *segs, const void *p)
{
	const struct segment *s = segments_find(segs, (uintptr_t)p);

	return s != NULL ? s->file : NULL;
}
