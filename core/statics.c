/*
 * statics.c: the writable C data of loaded extension files (%statics).
 *
 * Which files: those the modules of any interpreter were loaded from
 * (their __file__, matched by real path to what dl_iterate_phdr lists),
 * chosen by name or, by default, the ones two or more interpreters use.
 * What is in them: the object symbols of their writable sections, read
 * with libelf from the file on disk (.symtab when the file has one, else
 * .dynsym); a file without either gets its writable segments as unnamed
 * ranges. What each holds: every pointer-sized slot is probed for a live
 * Python object (probe.c: no code runs, nothing can fault); a symbol that
 * is itself a type object is a static type; the rest is plain C data, whose
 * value is shown and compared with the last call's, so a counter bumped in
 * another interpreter shows as changed.
 *
 * Objects are only read. The main interpreter is entered for the scan, so
 * legacy interpreters' threads are stopped meanwhile; a thread of an own-GIL
 * interpreter may run, and a preview of a container it is changing may be
 * off (probing itself never dereferences anything unchecked).
 */
#include "config.h"

#include "statics.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "addrmap.h"
#include "cause.h"
#include "interp.h"
#include "preview.h"
#include "probe.h"
#include "segments.h"
#include "strpool.h"

/* A symbol larger than this is scanned only this far (a big table). */
#define SCAN_MAX (1u << 20)

/* ------------------------------------------------- values between calls */

struct remembered {
	uintptr_t addr;
	size_t size;
	long long value;
};

static struct remembered *last;    /* sorted by addr */
static size_t nlast;

static int
remembered_compare(const void *a, const void *b)
{
	const struct remembered *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

static const struct remembered *
remembered_find(uintptr_t addr, size_t size)
{
	struct remembered key = { addr, size, 0 }, *r;

	if (last == NULL)
		return NULL;
	r = bsearch(&key, last, nlast, sizeof *last, remembered_compare);
	return r != NULL && r->size == size ? r : NULL;
}

/* -------------------------------------------------------- loaded files */

/* Resolved paths, kept for the process: realpath walks every component
 * of a path with readlink, and every snapshot the TUI takes deep asks it
 * of every loaded file and module file again (perf: a tenth of a TUI
 * refresh). A loaded file stays where it was loaded from. */
static struct strpool *resolved_pool;
static struct addrmap resolved;

/* realpath(path) (pooled, kept), or NULL when it does not resolve. */
static const char *
resolve(const char *path)
{
	const char *key, *real = NULL;
	uintptr_t v;
	char *r;

	if (resolved_pool == NULL) {
		resolved_pool = strpool_new();
		if (resolved_pool == NULL)
			return NULL;
		addrmap_init(&resolved);
	}
	key = strpool_intern(resolved_pool, path, strlen(path));
	if (key == NULL)
		return NULL;
	if (addrmap_get(&resolved, (uintptr_t)key, &v))
		return (const char *)v;
	r = realpath(path, NULL);
	if (r != NULL)
		real = strpool_intern(resolved_pool, r, strlen(r));
	free(r);
	/* not kept when out of memory: resolved again next time */
	(void)addrmap_put(&resolved, (uintptr_t)key, (uintptr_t)real);
	return real;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* One loaded file and what was loaded from it. */
struct candidate {
	const char *path;          /* as the loader has it (pooled) */
	const char *real;          /* resolved, for matching __file__ */
	const char **modules;
	size_t nmodules;
	interp_id *interps;
	size_t ninterps;
	bool chosen;
};

struct scan {
	struct statics *st;
	struct segments segs;
	struct candidate *files;
	size_t nfiles;
};

static int
candidates_make(struct scan *sc, char **cause)
{
	size_t i, j;

	sc->files = calloc(sc->segs.n + 1, sizeof *sc->files);
	if (sc->files == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	for (i = 0; i < sc->segs.n; i++) {
		for (j = 0; j < sc->nfiles; j++) {
			if (sc->files[j].path == sc->segs.v[i].path)
				break;
		}
		if (j < sc->nfiles)
			continue;
		sc->files[sc->nfiles].path = sc->segs.v[i].path;
		sc->files[sc->nfiles].real = resolve(sc->segs.v[i].path);
		sc->nfiles++;
	}
	return 0;
}

static void
candidates_free(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nfiles; i++) {
		free(sc->files[i].modules);
		free(sc->files[i].interps);
	}
	free(sc->files);
}

static int
note_module(struct scan *sc, struct candidate *c, const char *name,
    interp_id id)
{
	const char *pooled = strpool_intern(sc->st->pool, name, strlen(name));
	const char **mv;
	interp_id *iv;
	size_t i;

	if (pooled == NULL)
		return -1;
	for (i = 0; i < c->nmodules && c->modules[i] != pooled; i++)
		;
	if (i == c->nmodules) {
		mv = realloc(c->modules, (c->nmodules + 1) * sizeof *mv);
		if (mv == NULL)
			return -1;
		c->modules = mv;
		c->modules[c->nmodules++] = pooled;
	}
	for (i = 0; i < c->ninterps && c->interps[i] != id; i++)
		;
	if (i == c->ninterps) {
		iv = realloc(c->interps, (c->ninterps + 1) * sizeof *iv);
		if (iv == NULL)
			return -1;
		c->interps = iv;
		c->interps[c->ninterps++] = id;
	}
	return 0;
}

/* The modules of the entered interpreter, matched to the loaded files. */
static int
modules_of(struct scan *sc, struct interp *it)
{
	PyObject *modules = PySys_GetObject("modules"), *key, *value;
	Py_ssize_t pos = 0;
	int rc = 0;

	if (modules == NULL || !PyDict_Check(modules))
		return 0;
	modules = PyDict_Copy(modules); /* looking may import */
	if (modules == NULL) {
		PyErr_Clear();
		return -1;
	}
	while (rc == 0 && PyDict_Next(modules, &pos, &key, &value)) {
		PyObject *file;
		const char *name, *path, *real = NULL;
		size_t i;

		if (!PyUnicode_Check(key) || !PyModule_Check(value))
			continue;
		file = PyModule_GetFilenameObject(value);
		name = PyUnicode_AsUTF8(key);
		path = file != NULL ? PyUnicode_AsUTF8(file) : NULL;
		PyErr_Clear();
		/* the loader opens the path importlib gives it, __file__: a file
		 * of another name is not this module's (saves resolving every
		 * Python module's path) */
		for (i = 0; path != NULL && name != NULL && i < sc->nfiles; i++) {
			if (strcmp(base_name(sc->files[i].path), base_name(path)) == 0) {
				real = resolve(path);
				break;
			}
		}
		for (i = 0; real != NULL && i < sc->nfiles; i++) {
			if (sc->files[i].real == real) {
				rc = note_module(sc, &sc->files[i], name, it->id);
				break;
			}
		}
		Py_XDECREF(file);
	}
	Py_DECREF(modules);
	return rc;
}

/* Choose the files: named (a module, a path, a basename), or those two or
 * more interpreters use (all: one or more). */
static int
choose(struct scan *sc, const char *const *names, size_t n, bool all,
    char **cause)
{
	size_t i, k, m;

	for (k = 0; k < n; k++) {
		bool found = false;

		for (i = 0; i < sc->nfiles; i++) {
			struct candidate *c = &sc->files[i];
			const char *base = strrchr(c->path, '/');

			base = base != NULL ? base + 1 : c->path;
			for (m = 0; m < c->nmodules && !found; m++)
				found = strcmp(c->modules[m], names[k]) == 0;
			if (!found)
				found = strcmp(c->path, names[k]) == 0 ||
				    strcmp(base, names[k]) == 0 ||
				    (c->real != NULL && strcmp(c->real, names[k]) == 0);
			if (found) {
				c->chosen = true;
				break;
			}
		}
		if (!found) {
			cause_set(cause, "no loaded module or file named '%.64s' (a "
			    "module name, or the path or file name of a loaded "
			    "extension)", names[k]);
			return -1;
		}
	}
	if (n == 0) {
		for (i = 0; i < sc->nfiles; i++)
			sc->files[i].chosen = sc->files[i].ninterps >= (all ? 1 : 2);
	}
	return 0;
}

/* ------------------------------------------------------------ symbols */

static struct static_symbol *
symbol_add(struct static_file *f)
{
	struct static_symbol *v = realloc(f->symbols,
	    (f->nsymbols + 1) * sizeof *v);

	if (v == NULL)
		return NULL;
	f->symbols = v;
	memset(&v[f->nsymbols], 0, sizeof *v);
	return &v[f->nsymbols++];
}

/* Sections whose words are written at run time by the program itself
 * (not the loader's tables, not RELRO). */
static bool
writable_section(const GElf_Shdr *sh, const char *name)
{
	static const char *const skip[] = { ".got", ".got.plt", ".dynamic",
	    ".init_array", ".fini_array", ".data.rel.ro", ".tm_clone_table",
	    NULL };
	const char *const *s;

	if ((sh->sh_flags & (SHF_ALLOC | SHF_WRITE)) != (SHF_ALLOC | SHF_WRITE) ||
	    (sh->sh_flags & SHF_TLS) != 0 || name == NULL)
		return false;
	for (s = skip; *s != NULL; s++) {
		if (strcmp(name, *s) == 0)
			return false;
	}
	return true;
}

/* Symbols the C runtime's start files put in every shared object
 * (crtstuff.c), not the extension's own state. */
static bool
compiler_symbol(const char *name)
{
	return strncmp(name, "completed.", 10) == 0 ||
	    strncmp(name, "dtor_idx.", 9) == 0 ||
	    strcmp(name, "__TMC_END__") == 0 || strcmp(name, "__dso_handle") == 0;
}

/* The object symbols of writable sections, from .symtab or .dynsym. */
static int
symbols_read(struct scan *sc, struct static_file *f, uintptr_t base,
    char **cause)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr sh;
	size_t shstr, i, count;
	Elf_Data *data;
	Elf *elf;
	int fd, pass;

	fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* gone from disk: the ranges will do */
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf == NULL || elf_getshdrstrndx(elf, &shstr) != 0) {
		if (elf != NULL)
			elf_end(elf);
		close(fd);
		return 0;
	}
	for (pass = 0; pass < 2 && symscn == NULL; pass++) {
		scn = NULL;
		while ((scn = elf_nextscn(elf, scn)) != NULL) {
			if (gelf_getshdr(scn, &sh) != NULL &&
			    sh.sh_type == (pass == 0 ? SHT_SYMTAB : SHT_DYNSYM)) {
				symscn = scn;
				f->symtab = pass == 0 ? ".symtab" : ".dynsym";
				break;
			}
		}
	}
	if (symscn != NULL && gelf_getshdr(symscn, &sh) != NULL &&
	    (data = elf_getdata(symscn, NULL)) != NULL && sh.sh_entsize > 0) {
		count = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < count; i++) {
			GElf_Sym sym;
			GElf_Shdr sec;
			Elf_Scn *in;
			const char *name, *secname;
			struct static_symbol *s;

			if (gelf_getsym(data, (int)i, &sym) == NULL ||
			    GELF_ST_TYPE(sym.st_info) != STT_OBJECT ||
			    sym.st_size == 0 || sym.st_shndx == SHN_UNDEF ||
			    sym.st_shndx >= SHN_LORESERVE)
				continue;
			in = elf_getscn(elf, sym.st_shndx);
			if (in == NULL || gelf_getshdr(in, &sec) == NULL)
				continue;
			secname = elf_strptr(elf, shstr, sec.sh_name);
			if (!writable_section(&sec, secname))
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name != NULL && compiler_symbol(name))
				continue;
			s = symbol_add(f);
			if (s == NULL)
				goto oom;
			s->name = name != NULL ? strpool_intern(sc->st->pool, name,
			    strlen(name)) : NULL;
			s->section = strpool_intern(sc->st->pool, secname,
			    strlen(secname));
			s->addr = base + sym.st_value;
			s->size = sym.st_size;
			s->local = GELF_ST_BIND(sym.st_info) == STB_LOCAL;
		}
	}
	elf_end(elf);
	close(fd);
	return 0;
oom:
	elf_end(elf);
	close(fd);
	cause_set(cause, "out of memory");
	return -1;
}

/* A file with no object symbols: its writable segments, unnamed. */
static int
ranges_add(struct scan *sc, struct static_file *f)
{
	size_t i;

	for (i = 0; i < sc->segs.n; i++) {
		const struct segment *g = &sc->segs.v[i];
		struct static_symbol *s;

		if (g->path != f->path || !g->writable)
			continue;
		s = symbol_add(f);
		if (s == NULL)
			return -1;
		s->addr = g->start;
		s->size = g->end - g->start;
	}
	return 0;
}

/* ---------------------------------------------------------- contents */

static int
ref_add(struct scan *sc, struct static_symbol *s, size_t offset,
    uintptr_t addr, PyTypeObject *type)
{
	struct static_ref *v = realloc(s->refs, (s->nrefs + 1) * sizeof *v);
	char text[PREVIEW_MAX];

	if (v == NULL)
		return -1;
	s->refs = v;
	v = &v[s->nrefs++];
	memset(v, 0, sizeof *v);
	v->owner = INTERP_NONE;
	v->offset = offset;
	v->addr = addr;
	v->type = strpool_intern(sc->st->pool, type->tp_name,
	    strlen(type->tp_name));
	if ((type->tp_flags & Py_TPFLAGS_TYPE_SUBCLASS) != 0)
		v->preview = probe_type_name(addr, text, sizeof text) ?
		    strpool_intern(sc->st->pool, text, strlen(text)) : NULL;
	else
		v->preview = preview_value((PyObject *)addr, text) ?
		    strpool_intern(sc->st->pool, text, strlen(text)) : NULL;
	return 0;
}

static long long
value_of(const unsigned char *buf, size_t size)
{
	switch (size) {
	case 1:
		return (signed char)buf[0];
	case 2: {
		int16_t v;

		memcpy(&v, buf, 2);
		return v;
	}
	case 4: {
		int32_t v;

		memcpy(&v, buf, 4);
		return v;
	}
	default: {
		int64_t v;

		memcpy(&v, buf, 8);
		return v;
	}
	}
}

/* What one symbol holds. */
/* Whether addr is inside one of the named symbols (sorted by address). */
static bool
in_named(const struct static_symbol *named, size_t n, uintptr_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < named[mid].addr)
			hi = mid;
		else if (addr >= named[mid].addr + named[mid].size)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* What one symbol holds; an unnamed range skips what named symbols
 * cover (they say it with their names). */
static int
symbol_scan(struct scan *sc, struct static_symbol *s,
    const struct static_symbol *named, size_t nnamed)
{
	size_t len = s->size < SCAN_MAX ? s->size : SCAN_MAX, off;
	PyTypeObject *type;
	unsigned char *buf;
	char name[128];

	if (probe_object(&sc->segs, s->addr, &type) &&
	    (type->tp_flags & Py_TPFLAGS_TYPE_SUBCLASS) != 0 &&
	    s->size >= sizeof(PyTypeObject) / 2 &&
	    probe_type_name(s->addr, name, sizeof name)) {
		s->kind = STATIC_TYPE;
		s->type_name = strpool_intern(sc->st->pool, name, strlen(name));
		return 0;
	}
	buf = malloc(len + 8);
	if (buf == NULL)
		return -1;
	if (probe_read(s->addr, buf, len) != 0) {
		free(buf);
		return 0; /* not mapped as the file says: leave it blank */
	}
	off = (sizeof(void *) - (s->addr & (sizeof(void *) - 1))) &
	    (sizeof(void *) - 1);
	/* a static object (a PyModuleDef is one): itself, at offset 0, and
	 * what it points to past its header */
	if (off == 0 && probe_object(&sc->segs, s->addr, &type)) {
		if (ref_add(sc, s, 0, s->addr, type) != 0) {
			free(buf);
			return -1;
		}
		off = sizeof(PyObject);
	}
	for (; off + sizeof(void *) <= len; off += sizeof(void *)) {
		uintptr_t v;

		if (s->name == NULL && in_named(named, nnamed, s->addr + off))
			continue;
		memcpy(&v, buf + off, sizeof v);
		if (v < 4096 || (v & (sizeof(void *) - 1)) != 0)
			continue;
		if (probe_object(&sc->segs, v, &type) &&
		    ref_add(sc, s, off, v, type) != 0) {
			free(buf);
			return -1;
		}
	}
	if (s->nrefs > 0)
		s->kind = STATIC_OBJECT;
	else if (s->name != NULL && (len == 1 || len == 2 || len == 4 ||
	    len == 8)) {
		const struct remembered *r = remembered_find(s->addr, s->size);

		s->has_value = true;
		s->value = value_of(buf, len);
		if (r != NULL && r->value != s->value) {
			s->changed = true;
			s->was = r->value;
		}
	}
	free(buf);
	return 0;
}

static int
symbol_compare(const void *a, const void *b)
{
	const struct static_symbol *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* Remember this call's values for the next one. */
static void
remember(const struct statics *st)
{
	struct remembered *v;
	size_t i, j, n = 0;

	for (i = 0; i < st->nfiles; i++) {
		for (j = 0; j < st->files[i].nsymbols; j++)
			n += st->files[i].symbols[j].has_value;
	}
	v = calloc(n + 1, sizeof *v);
	if (v == NULL)
		return;
	n = 0;
	for (i = 0; i < st->nfiles; i++) {
		for (j = 0; j < st->files[i].nsymbols; j++) {
			const struct static_symbol *s = &st->files[i].symbols[j];

			if (!s->has_value)
				continue;
			v[n].addr = s->addr;
			v[n].size = s->size;
			v[n].value = s->value;
			n++;
		}
	}
	/* files not scanned this time keep what was known of them */
	for (i = 0; i < nlast; i++) {
		bool seen = false;

		for (j = 0; j < n && !seen; j++)
			seen = v[j].addr == last[i].addr;
		if (!seen) {
			struct remembered *w = realloc(v, (n + 1) * sizeof *w);

			if (w == NULL)
				break;
			v = w;
			v[n++] = last[i];
		}
	}
	qsort(v, n, sizeof *v, remembered_compare);
	free(last);
	last = v;
	nlast = n;
}

static int
file_scan(struct scan *sc, struct candidate *c, char **cause)
{
	struct static_file *f = &sc->st->files[sc->st->nfiles++];
	const struct segment *g;
	size_t i, named;

	f->path = c->path;
	f->modules = c->modules;
	f->nmodules = c->nmodules;
	f->interps = c->interps;
	f->ninterps = c->ninterps;
	c->modules = NULL;
	c->interps = NULL;
	for (i = 0, g = NULL; i < sc->segs.n && g == NULL; i++) {
		if (sc->segs.v[i].path == c->path)
			g = &sc->segs.v[i];
	}
	if (g == NULL)
		return 0;
	if (symbols_read(sc, f, g->base, cause) != 0)
		return -1;
	named = f->nsymbols;
	/* without .symtab (a stripped file: .dynsym has the globals only) the
	 * file-local statics are in the writable ranges, unnamed */
	if ((f->symtab == NULL || strcmp(f->symtab, ".dynsym") == 0) &&
	    ranges_add(sc, f) != 0) {
		cause_set(cause, "out of memory");
		return -1;
	}
	if (named > 1)
		qsort(f->symbols, named, sizeof *f->symbols, symbol_compare);
	for (i = 0; i < f->nsymbols; i++) {
		if (symbol_scan(sc, &f->symbols[i], f->symbols, named) != 0) {
			cause_set(cause, "out of memory");
			return -1;
		}
	}
	if (f->nsymbols > 1)
		qsort(f->symbols, f->nsymbols, sizeof *f->symbols, symbol_compare);
	return 0;
}

static int collect(const char *const *names, size_t n, bool all,
    struct statics **out, char **cause);

/* Who reaches the objects the statics hold, and who owns them: one walk
 * of the audit for all of them. */
static int
annotate(struct statics *st, char **cause)
{
	struct static_ref **refs = NULL;
	uintptr_t *addrs = NULL;
	struct audit *a;
	size_t n = 0, i, j, k;
	int rc = -1;

	for (i = 0; i < st->nfiles; i++) {
		for (j = 0; j < st->files[i].nsymbols; j++)
			n += st->files[i].symbols[j].nrefs;
	}
	if (n == 0)
		return 0;
	refs = calloc(n, sizeof *refs);
	addrs = calloc(n, sizeof *addrs);
	if (refs == NULL || addrs == NULL) {
		cause_set(cause, "out of memory");
		goto out;
	}
	n = 0;
	for (i = 0; i < st->nfiles; i++) {
		for (j = 0; j < st->files[i].nsymbols; j++) {
			struct static_symbol *s = &st->files[i].symbols[j];

			for (k = 0; k < s->nrefs; k++) {
				refs[n] = &s->refs[k];
				addrs[n++] = s->refs[k].addr;
			}
		}
	}
	if (audit_objects(addrs, n, &a, cause) != 0)
		goto out;
	for (i = 0; i < n && i < a->nobjects; i++) {
		const struct audit_object *o = &a->objects[i];

		refs[i]->owner = o->owner;
		refs[i]->owner_destroyed = (o->flags & AUDIT_OWNER_DESTROYED) != 0;
		refs[i]->reachable_from = calloc(o->nreachable + 1,
		    sizeof *refs[i]->reachable_from);
		if (refs[i]->reachable_from == NULL)
			break;
		memcpy(refs[i]->reachable_from, o->reachable_from,
		    o->nreachable * sizeof *o->reachable_from);
		refs[i]->nreachable = o->nreachable;
	}
	audit_free(a);
	rc = 0;
out:
	free(refs);
	free(addrs);
	return rc;
}

int
statics_collect(const char *const *names, size_t n, struct statics **out,
    char **cause)
{
	if (collect(names, n, false, out, cause) != 0)
		return -1;
	if (annotate(*out, cause) != 0) {
		statics_free(*out);
		return -1;
	}
	return 0;
}

int
statics_collect_all(struct statics **out, char **cause)
{
	return collect(NULL, 0, true, out, cause);
}

static int
collect(const char *const *names, size_t n, bool all, struct statics **out,
    char **cause)
{
	struct scan sc;
	struct interp *it;
	size_t i;
	int rc = 0;

	memset(&sc, 0, sizeof sc);
	if (elf_version(EV_CURRENT) == EV_NONE) {
		cause_set(cause, "libelf is too old: %s", elf_errmsg(-1));
		return -1;
	}
	sc.st = calloc(1, sizeof *sc.st);
	if (sc.st == NULL || (sc.st->pool = strpool_new()) == NULL ||
	    segments_load(&sc.segs, sc.st->pool) != 0 ||
	    candidates_make(&sc, cause) != 0) {
		if (cause != NULL && *cause == NULL)
			cause_set(cause, "out of memory");
		rc = -1;
		goto out;
	}
	for (it = interp_first(); it != NULL && rc == 0; it = it->next) {
		interp_enter(it);
		rc = modules_of(&sc, it);
		interp_leave(it);
	}
	if (rc != 0) {
		cause_set(cause, "out of memory");
		goto out;
	}
	if (choose(&sc, names, n, all, cause) != 0) {
		rc = -1;
		goto out;
	}
	sc.st->files = calloc(sc.nfiles + 1, sizeof *sc.st->files);
	if (sc.st->files == NULL) {
		cause_set(cause, "out of memory");
		rc = -1;
		goto out;
	}
	interp_enter(interp_main());
	for (i = 0; i < sc.nfiles && rc == 0; i++) {
		if (sc.files[i].chosen)
			rc = file_scan(&sc, &sc.files[i], cause);
	}
	interp_leave(interp_main());
	if (rc == 0 && !all)
		remember(sc.st); /* an audit's look is not the user's */
out:
	candidates_free(&sc);
	segments_free(&sc.segs);
	if (rc != 0) {
		statics_free(sc.st);
		return -1;
	}
	*out = sc.st;
	return 0;
}
