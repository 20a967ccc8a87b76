/*
 * test-scratch.c: the collection's scratch (core/scratch.h). What it hands
 * out is aligned and never overlaps, across chunks too; what is too large
 * is refused; the first chunk is kept for the next scratch; and where
 * another CPU is ours, a helper makes chunks ready with every page there
 * (mincore), while on one CPU, or with the CPUs shared, none is started.
 * Cases that ask about CPUs run in a child each: the count is looked at
 * once per process.
 */
#include "config.h"

#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpu-util.h"
#include "scratch.h"
#include "session.h"

static void
pause_ms(long ms)
{
	struct timespec t = { 0, ms * 1000000L };

	nanosleep(&t, NULL);
}

/* Whether every page of [p, p + n) is in memory. */
static bool
resident(void *p, size_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = (n + (size_t)page - 1) / (size_t)page, i;
	unsigned char *v = malloc(pages);
	bool all = v != NULL && mincore(p, n, v) == 0;

	for (i = 0; all && i < pages; i++)
		all = (v[i] & 1) != 0;
	free(v);
	return all;
}

#define PIECES 4000

/* 0 when every piece is aligned and kept what was written into it */
static int
pieces_apart(void)
{
	static unsigned char *p[PIECES];
	static size_t n[PIECES];
	struct scratch *s = scratch_new();
	size_t i, j;

	if (s == NULL)
		return 2;
	for (i = 0; i < PIECES; i++) {
		/* 1 byte to 4 KB, 8 MB in all: chunks four or more */
		n[i] = 1 + (i * 2654435761u) % 4096;
		p[i] = scratch_alloc(s, n[i]);
		if (p[i] == NULL ||
		    (uintptr_t)p[i] % alignof(max_align_t) != 0)
			return 1;
		memset(p[i], (int)(i & 0xff), n[i]);
	}
	if (scratch_chunks(s) < 4)
		return 1;
	for (i = 0; i < PIECES; i++) {
		for (j = 0; j < n[i]; j++) {
			if (p[i][j] != (i & 0xff))
				return 1;
		}
	}
	scratch_free(s);
	return 0;
}

/* in a child: it asks about CPUs, which the children below must ask
 * afresh */
static void
test_pieces_aligned_and_apart(void **state)
{
	(void)state;
	assert_int_equal(in_child(pieces_apart), 0);
}

static void
test_too_large_refused(void **state)
{
	struct scratch *s = scratch_new();

	(void)state;
	assert_null(scratch_alloc(s, 0));
	assert_null(scratch_alloc(s, SCRATCH_CHUNK / 4 + 1));
	assert_int_equal(scratch_chunks(s), 0);
	assert_non_null(scratch_alloc(s, SCRATCH_CHUNK / 4));
	assert_int_equal(scratch_chunks(s), 1);
	scratch_free(s);
}

static void
test_first_chunk_kept(void **state)
{
	struct scratch *a = scratch_new(), *b = scratch_new();
	void *first, *again;

	(void)state;
	first = scratch_alloc(a, 64);
	assert_non_null(first);
	memset(first, 1, 64);
	scratch_free(a);
	again = scratch_alloc(b, 64);
	assert_ptr_equal(again, first);
	assert_true(resident(again, 64));
	scratch_free(b);
}

/* Hand out `chunks` chunks in 64 KB pieces, pausing at each new chunk so
 * a helper has time to make the next one ready; 1 if a chunk came from
 * it with all its pages there, 0 if none did, 2 on a failure. */
static int
fill_chunks(size_t chunks)
{
	struct scratch *s = scratch_new();
	const size_t piece = 64 * 1024;
	size_t seen = 0;
	bool whole = true;

	if (s == NULL)
		return 2;
	while (scratch_chunks(s) <= chunks) {
		unsigned char *p;

		if (scratch_chunks(s) != seen) {
			seen = scratch_chunks(s);
			pause_ms(50);
		}
		p = scratch_alloc(s, piece);
		if (p == NULL)
			return 2;
		/* a chunk of the helper's is resident before it is written */
		if (scratch_helped(s) && scratch_chunks(s) > seen)
			whole = whole && resident(p, piece);
		memset(p, 1, piece);
	}
	if (!scratch_helped(s)) {
		scratch_free(s);
		return 0;
	}
	scratch_free(s);
	return whole ? 1 : 2;
}

static int
helped_on_cpus(void)
{
	return fill_chunks(4);
}

static int
helped_on_one_cpu(void)
{
	if (!bind_to_one_cpu())
		return 2;
	return fill_chunks(4);
}

static int
helped_cpus_shared(void)
{
	session_share_cpus(true);
	return fill_chunks(4);
}

static int
small_never_helped(void)
{
	struct scratch *s = scratch_new();
	size_t i;

	/* less than half a chunk: no helper, however many CPUs */
	for (i = 0; i < 100; i++)
		memset(scratch_alloc(s, 1024), 0, 1024);
	i = scratch_helper_started(s) ? 1 : 0;
	scratch_free(s);
	return (int)i;
}

static void
test_helper_on_second_cpu(void **state)
{
	(void)state;
	if (cpus_allowed() < 2)
		skip();
	assert_int_equal(in_child(helped_on_cpus), 1);
}

static void
test_no_helper_on_one_cpu(void **state)
{
	(void)state;
	assert_int_equal(in_child(helped_on_one_cpu), 0);
}

static void
test_no_helper_when_shared(void **state)
{
	(void)state;
	assert_int_equal(in_child(helped_cpus_shared), 0);
}

static void
test_small_never_helped(void **state)
{
	(void)state;
	assert_int_equal(in_child(small_never_helped), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pieces_aligned_and_apart),
		cmocka_unit_test(test_too_large_refused),
		cmocka_unit_test(test_first_chunk_kept),
		cmocka_unit_test(test_helper_on_second_cpu),
		cmocka_unit_test(test_no_helper_on_one_cpu),
		cmocka_unit_test(test_no_helper_when_shared),
		cmocka_unit_test(test_small_never_helped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
