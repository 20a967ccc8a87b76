/*
 * test-snapshot.c: merging and classifying the sharing map, on records
 * made by hand (no Python): the verdict rules themselves.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "snapshot-json.h"
#include "snapshot.h"
#include "strpool.h"

/* One attribute value as collection would record it. */
struct fake_value {
	const char *name;
	uintptr_t addr;
	bool immortal;
	const char *static_in;
	uintptr_t self;
};

static struct strpool *pool;

static const char *
pooled(const char *text)
{
	return text != NULL ? strpool_intern(pool, text, strlen(text)) : NULL;
}

/* A per-interpreter part of module `name` with the given values. */
static void
part(struct snap_part *p, const char *name, interp_id id, uintptr_t module,
    enum module_kind kind, const struct fake_value *v, size_t n)
{
	struct snap_module *m = &p->module;
	size_t i;

	memset(p, 0, sizeof *p);
	p->name = pooled(name);
	m->kind = kind;
	m->multi_interp = m->gil = -1;
	m->instances = calloc(1, sizeof *m->instances);
	m->ninstances = 1;
	m->instances[0].interp = id;
	m->instances[0].module = module;
	m->instances[0].m_copy_size = -1;
	p->values = calloc(n > 0 ? n : 1, sizeof *p->values);
	p->nvalues = n;
	for (i = 0; i < n; i++) {
		struct snap_value *sv = &p->values[i];

		sv->name = pooled(v[i].name);
		sv->type = pooled("object");
		sv->object.interp = id;
		sv->object.addr = v[i].addr;
		sv->object.immortal = v[i].immortal;
		sv->object.static_in = pooled(v[i].static_in);
		sv->object.self = v[i].self;
	}
}

static struct snapshot *
merge(struct snap_part *parts, size_t n)
{
	struct snapshot *snap = snapshot_merge(parts, n, pool);

	pool = strpool_new(); /* the snapshot took the old one */
	return snap;
}

static const struct snap_attr *
attr(const struct snap_module *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nattrs; i++) {
		if (strcmp(m->attrs[i].name, name) == 0)
			return &m->attrs[i];
	}
	fail_msg("no attribute %s", name);
	return NULL;
}

static struct snapshot *
two_interpreters(void)
{
	const struct fake_value in0[] = {
		{ "shared_list", 0x1000, false, NULL, 0 },
		{ "own_list", 0x2000, false, NULL, 0 },
		{ "static_type", 0x3000, false, "demo_static_type.so", 0 },
		{ "immortal_str", 0x4000, true, NULL, 0 },
		{ "only_main", 0x5000, false, NULL, 0 },
		{ "func", 0x6000, false, NULL, 0xa000 },
		{ "small_int", 0x7000, false, "libpython3.12.so.1.0", 0 },
	};
	const struct fake_value in1[] = {
		{ "shared_list", 0x1000, false, NULL, 0 },
		{ "own_list", 0x2100, false, NULL, 0 },
		{ "static_type", 0x3000, false, "demo_static_type.so", 0 },
		{ "immortal_str", 0x4000, true, NULL, 0 },
		{ "func", 0x6000, false, NULL, 0xa000 },
		{ "small_int", 0x7100, false, "libpython3.12.so.1.0", 0 },
	};
	struct snap_part *parts = calloc(3, sizeof *parts);

	/* given out of order: merging sorts */
	part(&parts[0], "mod", 1, 0xb000, KIND_SINGLE, in1, 6);
	part(&parts[1], "mod", 0, 0xa000, KIND_SINGLE, in0, 7);
	part(&parts[2], "other", 0, 0xc000, KIND_MULTI, NULL, 0);
	return merge(parts, 3);
}

static void
test_merge_and_classify(void **state)
{
	struct snapshot *snap = two_interpreters();
	const struct snap_module *m;

	(void)state;
	assert_int_equal(snap->nmodules, 2);
	m = snapshot_module(snap, "mod");
	assert_non_null(m);
	assert_int_equal(m->ninstances, 2);
	assert_int_equal(m->instances[0].interp, 0);
	assert_int_equal(m->instances[1].interp, 1);
	assert_int_equal(m->nattrs, 7);
	/* attributes come sorted by name */
	assert_string_equal(m->attrs[0].name, "func");

	assert_int_equal(attr(m, "shared_list")->sharing, SHARING_SHARED);
	assert_int_equal(attr(m, "shared_list")->owner, INTERP_NONE);
	assert_int_equal(attr(m, "own_list")->sharing, SHARING_DISTINCT);
	assert_int_equal(attr(m, "static_type")->sharing, SHARING_STATIC);
	assert_string_equal(attr(m, "static_type")->static_in, "demo_static_type.so");
	assert_int_equal(attr(m, "immortal_str")->sharing, SHARING_IMMORTAL);
	/* one interpreter only: nothing is shared */
	assert_int_equal(attr(m, "only_main")->sharing, SHARING_DISTINCT);
	assert_int_equal(attr(m, "only_main")->nobjects, 1);
	/* a builtin function is owned by the interpreter whose module is its
	 * __self__ */
	assert_int_equal(attr(m, "func")->sharing, SHARING_SHARED);
	assert_int_equal(attr(m, "func")->owner, 0);
	/* two different static objects are still two objects */
	assert_int_equal(attr(m, "small_int")->sharing, SHARING_DISTINCT);

	assert_non_null(snap_module_instance(m, 1));
	assert_null(snap_module_instance(m, 7));
	assert_int_equal(snap_attr_object(attr(m, "own_list"), 1)->addr, 0x2100);
	snapshot_free(snap);
}

static void
test_partial_sharing_and_restrict(void **state)
{
	const struct fake_value a[] = { { "x", 0x10, false, NULL, 0 } };
	const struct fake_value b[] = { { "x", 0x20, false, NULL, 0 } };
	struct snap_part *parts = calloc(3, sizeof *parts);
	const interp_id pair[] = { 1, 2 };
	struct snapshot *snap;
	const struct snap_module *m;

	(void)state;
	part(&parts[0], "m", 0, 0x100, KIND_SINGLE, a, 1);
	part(&parts[1], "m", 1, 0x200, KIND_SINGLE, a, 1);
	part(&parts[2], "m", 2, 0x300, KIND_SINGLE, b, 1);
	snap = merge(parts, 3);
	m = snapshot_module(snap, "m");
	assert_int_equal(attr(m, "x")->sharing, SHARING_SHARED);
	/* between interpreters 1 and 2 alone, x is not shared */
	snapshot_restrict(snap, pair, 2);
	m = snapshot_module(snap, "m");
	assert_int_equal(m->ninstances, 2);
	assert_int_equal(attr(m, "x")->nobjects, 2);
	assert_int_equal(attr(m, "x")->sharing, SHARING_DISTINCT);
	snapshot_free(snap);
}

static void
test_filter(void **state)
{
	struct snapshot *snap = two_interpreters();
	struct snap_filter f = { .shared_extensions = true, .only = INTERP_NONE };
	const char *names[] = { "other" };

	(void)state;
	snapshot_filter(snap, &f);
	assert_int_equal(snap->nmodules, 1);
	assert_string_equal(snap->modules[0].name, "mod");
	snapshot_free(snap);

	snap = two_interpreters();
	f.names = names;
	f.nnames = 1;
	snapshot_filter(snap, &f);
	assert_int_equal(snap->nmodules, 1);
	assert_string_equal(snap->modules[0].name, "other");
	snapshot_free(snap);
}

static void
test_def_facts_from_any_instance(void **state)
{
	struct snap_part *parts = calloc(2, sizeof *parts);
	struct snapshot *snap;

	(void)state;
	part(&parts[0], "s", 0, 0x100, KIND_SINGLE, NULL, 0);
	part(&parts[1], "s", 3, 0x200, KIND_SINGLE, NULL, 0);
	parts[0].module.instances[0].copied = true; /* made from m_copy: no def */
	parts[1].module.has_def = true;
	parts[1].module.m_size = -1;
	snap = merge(parts, 2);
	assert_true(snap->modules[0].has_def);
	assert_int_equal(snap->modules[0].m_size, -1);
	assert_true(snap->modules[0].instances[0].copied);
	snapshot_free(snap);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(module_kind_name(KIND_SINGLE), "single-phase");
	assert_string_equal(module_kind_name(KIND_BUILTIN_MULTI), "builtin-multi-phase");
	assert_string_equal(module_kind_name(KIND_NAMESPACE), "namespace");
	assert_string_equal(sharing_name(SHARING_SHARED), "shared");
	assert_string_equal(sharing_name(SHARING_STATIC), "static");
	assert_string_equal(sharing_name(SHARING_IMMORTAL), "immortal");
	assert_string_equal(sharing_name(SHARING_DISTINCT), "distinct");
}

/* More interpreters than classification counts on the stack, objects
 * given in no order: each object's count of equals decides. */
static void
test_many_interpreters(void **state)
{
	enum { N = 100 };
	struct snap_part *parts = calloc(N, sizeof *parts);
	struct snapshot *snap;
	const struct snap_module *m;
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		/* pair: interpreters 2k and 2k+1 hold one object; own: every
		 * one its own, addresses falling; one: the same everywhere;
		 * last: shared by the last two only */
		const struct fake_value v[] = {
			{ "pair", 0x10000 + (i / 2) * 16, false, NULL, 0 },
			{ "own", 0x90000 - i * 16, false, NULL, 0 },
			{ "one", 0x5000, false, "libpython3.12.so.1.0", 0 },
			{ "last", i >= N - 2 ? 0x7000 : 0x8000 + i * 16, false,
			    NULL, 0 },
		};

		part(&parts[i], "m", (interp_id)(N - 1 - i), 0x100 + i * 16,
		    KIND_SINGLE, v, 4);
	}
	snap = merge(parts, N);
	m = snapshot_module(snap, "m");
	assert_non_null(m);
	assert_int_equal(m->ninstances, N);
	assert_int_equal(attr(m, "pair")->sharing, SHARING_SHARED);
	assert_int_equal(attr(m, "own")->sharing, SHARING_DISTINCT);
	assert_int_equal(attr(m, "one")->sharing, SHARING_STATIC);
	assert_int_equal(attr(m, "last")->sharing, SHARING_SHARED);
	/* objects in interpreter order */
	for (i = 0; i < N; i++)
		assert_int_equal(attr(m, "own")->objects[i].interp, i);
	/* only the last two interpreters, then only the first two */
	{
		const interp_id last[] = { 0, 1 }, first[] = { N - 1, N - 2 };

		snapshot_restrict(snap, last, 2);
		m = snapshot_module(snap, "m");
		assert_int_equal(attr(m, "last")->sharing, SHARING_SHARED);
		assert_int_equal(attr(m, "pair")->sharing, SHARING_SHARED);
		snapshot_restrict(snap, first, 2);
		assert_int_equal(snapshot_module(snap, "m")->ninstances, 0);
	}
	snapshot_free(snap);
}

/* Enough values that two threads merge them where two CPUs are ours
 * (core/snapshot.c; with one, one thread does, to the same end): 64
 * modules in 4 interpreters, 100 values each, every module's verdicts and
 * rows as one thread would make them. */
static void
test_merged_by_two_threads(void **state)
{
	enum { MODS = 64, INTERPS = 4, VALUES = 100 };
	struct snap_part *parts = calloc(MODS * INTERPS, sizeof *parts);
	struct fake_value v[VALUES];
	char names[VALUES][16], mod[16];
	struct snapshot *snap;
	size_t i, k, j;

	(void)state;
	assert_non_null(parts);
	for (j = 0; j < VALUES; j++)
		snprintf(names[j], sizeof names[j], "v%03zu", j);
	for (i = 0; i < MODS * INTERPS; i++) {
		size_t m = i / INTERPS, id = i % INTERPS;

		snprintf(mod, sizeof mod, "mod%02zu", m);
		/* even values one object everywhere, odd ones each its own */
		for (j = 0; j < VALUES; j++)
			v[j] = (struct fake_value){ names[j], j % 2 == 0 ?
			    0x100000 + (m * VALUES + j) * 16 :
			    0x900000 + ((m * INTERPS + id) * VALUES + j) * 16,
			    false, NULL, 0 };
		part(&parts[i], mod, (interp_id)id, 0x1000 + i * 16,
		    KIND_MULTI, v, VALUES);
	}
	snap = merge(parts, MODS * INTERPS);
	assert_int_equal(snap->nmodules, MODS);
	for (i = 0; i < MODS; i++) {
		const struct snap_module *m;

		snprintf(mod, sizeof mod, "mod%02zu", i);
		m = snapshot_module(snap, mod);
		assert_non_null(m);
		assert_int_equal(m->ninstances, INTERPS);
		assert_int_equal(m->nattrs, VALUES);
		for (j = 0; j < VALUES; j++) {
			const struct snap_attr *a = attr(m, names[j]);

			assert_int_equal(a->nobjects, INTERPS);
			assert_int_equal(a->sharing, j % 2 == 0 ?
			    SHARING_SHARED : SHARING_DISTINCT);
			for (k = 0; k < INTERPS; k++)
				assert_int_equal(a->objects[k].interp, k);
		}
	}
	snapshot_free(snap);
}

/* Thousands of names, in a different order in each interpreter, some in
 * one only: every name one attribute with its objects by interpreter. */
static void
test_many_names(void **state)
{
	enum { NAMES = 5000 };
	struct fake_value *a = calloc(NAMES, sizeof *a);
	struct fake_value *b = calloc(NAMES, sizeof *b);
	char (*text)[16] = calloc(NAMES, sizeof *text);
	struct snap_part *parts = calloc(2, sizeof *parts);
	struct snapshot *snap;
	const struct snap_module *m;
	size_t i;

	(void)state;
	for (i = 0; i < NAMES; i++) {
		snprintf(text[i], sizeof text[i], "n%05zu", i);
		a[i] = (struct fake_value){ text[i], 0x100000 + i * 16, false,
		    NULL, 0 };
		b[NAMES - 1 - i] = (struct fake_value){ text[i],
		    i % 3 == 0 ? 0x100000 + i * 16 : 0x900000 + i * 16, false,
		    NULL, 0 };
	}
	part(&parts[0], "m", 0, 0x10, KIND_SINGLE, a, NAMES);
	part(&parts[1], "m", 1, 0x20, KIND_SINGLE, b, NAMES - 1); /* not n00000 */
	snap = merge(parts, 2);
	m = snapshot_module(snap, "m");
	assert_int_equal(m->nattrs, NAMES);
	for (i = 0; i < NAMES; i++) {
		const struct snap_attr *x = &m->attrs[i];

		assert_string_equal(x->name, text[i]);
		assert_int_equal(x->nobjects, i == 0 ? 1 : 2);
		assert_int_equal(x->objects[0].interp, 0);
		assert_int_equal(x->objects[0].addr, 0x100000 + i * 16);
		if (i > 0)
			assert_int_equal(x->objects[1].interp, 1);
		assert_int_equal(x->sharing, i > 0 && i % 3 == 0 ?
		    SHARING_SHARED : SHARING_DISTINCT);
	}
	snapshot_free(snap);
	free(a);
	free(b);
	free(text);
}

/* Two keys of one dict with one text (a str subclass with its own
 * __eq__): one attribute with both objects, not a crash. */
static void
test_one_name_twice(void **state)
{
	const struct fake_value twice[] = {
		{ "x", 0x10, false, NULL, 0 },
		{ "x", 0x20, false, NULL, 0 },
	};
	const struct fake_value once[] = { { "x", 0x10, false, NULL, 0 } };
	struct snap_part *parts = calloc(2, sizeof *parts);
	struct snapshot *snap;
	const struct snap_module *m;

	(void)state;
	part(&parts[0], "m", 0, 0x100, KIND_SINGLE, twice, 2);
	part(&parts[1], "m", 1, 0x200, KIND_SINGLE, once, 1);
	snap = merge(parts, 2);
	m = snapshot_module(snap, "m");
	assert_int_equal(m->nattrs, 1);
	assert_int_equal(attr(m, "x")->nobjects, 3);
	assert_int_equal(attr(m, "x")->sharing, SHARING_SHARED);
	snapshot_free(snap);
}

/* Equal text, one copy; different text (lengths around the hash's eight
 * bytes at a time, a prefix, an empty string), different copies. */
static void
test_pool(void **state)
{
	struct strpool *p = strpool_new();
	const char *first[3000];
	char long_text[64];
	char buf[80];
	size_t i;

	(void)state;
	memset(long_text, 'a', sizeof long_text);
	for (i = 0; i < 3000; i++) {
		if (i < 64)
			first[i] = strpool_intern(p, long_text, i);
		else {
			snprintf(buf, sizeof buf, "name_%zu", i);
			first[i] = strpool_intern(p, buf, strlen(buf));
		}
		assert_non_null(first[i]);
	}
	for (i = 0; i < 3000; i++) {
		const char *again;

		if (i < 64) {
			again = strpool_intern(p, long_text, i);
			assert_int_equal(strlen(again), i);
		} else {
			snprintf(buf, sizeof buf, "name_%zu", i);
			again = strpool_intern(p, buf, strlen(buf));
			assert_string_equal(again, buf);
		}
		assert_ptr_equal(again, first[i]);
		if (i > 0)
			assert_ptr_not_equal(first[i], first[i - 1]);
	}
	/* no NUL needed at s[len] */
	assert_ptr_equal(strpool_intern(p, "name_100xyz", 8), first[100]);
	/* every string's length, kept with it: the empty one too, and one
	 * with a NUL inside */
	for (i = 0; i < 3000; i++)
		assert_int_equal(strpool_len(first[i]), i < 64 ? i : strlen(first[i]));
	assert_int_equal(strpool_len(strpool_intern(p, "a\0b", 3)), 3);
	strpool_free(p);
}

/* Addresses as the JSON writes them: hexadecimal without leading zeros,
 * whatever the count of digits; names with what JSON escapes. */
static void
test_json_addresses(void **state)
{
	static const struct {
		uintptr_t addr;
		const char *text;
	} cases[] = {
		{ 0x5, "\"0x5\"" },
		{ 0x10, "\"0x10\"" },
		{ 0x100, "\"0x100\"" },
		{ 0xabcdef, "\"0xabcdef\"" },
		{ 0x7f0123456789, "\"0x7f0123456789\"" },
		{ UINTPTR_MAX, "\"0xffffffffffffffff\"" },
	};
	struct fake_value v[7];
	struct snap_part *parts = calloc(1, sizeof *parts);
	struct snapshot *snap;
	char *text = NULL, name[8];
	size_t len = 0, i;
	FILE *f;

	(void)state;
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "a%zu", i);
		v[i] = (struct fake_value){ pooled(name), cases[i].addr, false,
		    NULL, 0 };
	}
	v[6] = (struct fake_value){ "q\"b\\c\x01" "d\te\xc3\xa9", 0x60, false,
	    NULL, 0 };
	part(&parts[0], "m", 0, 0x100, KIND_SINGLE, v, 7);
	snap = merge(parts, 1);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(snapshot_write_json(snap, f), 0);
	fclose(f);
	for (i = 0; i < 6; i++) {
		char want[64];

		snprintf(want, sizeof want, "\"addr\": %s", cases[i].text);
		if (strstr(text, want) == NULL)
			fail_msg("no %s in the JSON", want);
	}
	assert_non_null(strstr(text,
	    "\"name\": \"q\\\"b\\\\c\\u0001d\\te\xc3\xa9\""));
	free(text);
	snapshot_free(snap);
}

static int
setup(void **state)
{
	(void)state;
	pool = strpool_new();
	return pool != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	strpool_free(pool);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_and_classify),
		cmocka_unit_test(test_partial_sharing_and_restrict),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_def_facts_from_any_instance),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_many_interpreters),
		cmocka_unit_test(test_many_names),
		cmocka_unit_test(test_merged_by_two_threads),
		cmocka_unit_test(test_one_name_twice),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_json_addresses),
	};

	return cmocka_run_group_tests_name("snapshot", tests, setup, teardown);
}
