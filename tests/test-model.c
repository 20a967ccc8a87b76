/*
 * test-model.c: the TUI's model without a terminal or a Python: snapshots
 * made from plain parts (as the host's would arrive) give the map's cells,
 * counts of shared attributes, the rows' order, and the marks of what a
 * step changed, including a shared list whose contents change in every
 * interpreter that holds it, and refused imports.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "model.h"
#include "snapshot-delta.h"
#include "snapshot.h"
#include "strpool.h"

#define NI 3

/* What one interpreter has of one module, for building a snapshot. */
struct fake {
	const char *module;
	enum module_kind kind;
	interp_id interp;
	bool copied;
	const char *items;    /* preview of the shared list, or NULL: no attrs */
};

static struct snapshot *
snap_of(const struct fake *f, size_t n, bool attrs)
{
	struct strpool *pool = strpool_new();
	struct snap_part *parts = calloc(n + 1, sizeof *parts);
	struct snapshot *snap;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		struct snap_part *p;

		if (attrs && f[i].items == NULL)
			continue;
		p = &parts[k++];
		p->name = strpool_intern(pool, f[i].module, strlen(f[i].module));
		p->module.kind = f[i].kind;
		p->module.m_size = -1;
		p->module.has_def = !f[i].copied;
		p->module.multi_interp = p->module.gil = -1;
		p->module.instances = calloc(1, sizeof *p->module.instances);
		p->module.ninstances = 1;
		p->module.instances[0].interp = f[i].interp;
		p->module.instances[0].module = 0x1000 + i;
		p->module.instances[0].copied = f[i].copied;
		p->module.instances[0].m_copy_size = -1;
		if (!attrs)
			continue;
		/* items: one list everywhere; spec: each its own */
		p->values = calloc(2, sizeof *p->values);
		p->nvalues = 2;
		p->values[0].name = strpool_intern(pool, "items", 5);
		p->values[0].type = strpool_intern(pool, "list", 4);
		p->values[0].object.interp = f[i].interp;
		p->values[0].object.addr = 0xabc0;
		p->values[0].object.preview = strpool_intern(pool, f[i].items,
		    strlen(f[i].items));
		p->values[1].name = strpool_intern(pool, "__spec__", 8);
		p->values[1].type = strpool_intern(pool, "ModuleSpec", 10);
		p->values[1].object.interp = f[i].interp;
		p->values[1].object.addr = 0x5000 + (uintptr_t)f[i].interp;
	}
	snap = snapshot_merge(parts, k, pool);
	snap->python_version = strdup("test");
	snap->ninterps = NI;
	snap->interps = calloc(NI, sizeof *snap->interps);
	for (i = 0; i < NI; i++) {
		snap->interps[i].id = (interp_id)i;
		snap->interps[i].modules = 10;
		snap->interps[i].current = i == 0;
	}
	return snap;
}

static struct ui_model *
model_of(const struct fake *f, size_t n, const struct ui_refusals *r)
{
	return ui_model_build(snap_of(f, n, false), snap_of(f, n, true),
	    "demo_single", r);
}

static const struct ui_row *
row(const struct ui_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nrows; i++) {
		if (strcmp(m->rows[i].module->name, name) == 0)
			return &m->rows[i];
	}
	fail_msg("no row %s", name);
	return NULL;
}

static void
test_cells_and_order(void **state)
{
	const struct fake f[] = {
		{ "json", KIND_PYTHON, 0, false, NULL },
		{ "_json", KIND_MULTI, 0, false, NULL },
		{ "_json", KIND_MULTI, 1, false, NULL },
		{ "demo_single", KIND_SINGLE, 0, false, "[]" },
		{ "demo_single", KIND_SINGLE, 1, true, "[]" },
	};
	struct ui_model *m = model_of(f, 5, NULL);
	const struct ui_row *r;

	(void)state;
	/* what can share first, Python modules last */
	assert_int_equal(m->nrows, 3);
	assert_string_equal(m->rows[0].module->name, "demo_single");
	assert_string_equal(m->rows[1].module->name, "_json");
	assert_string_equal(m->rows[2].module->name, "json");

	r = row(m, "demo_single");
	assert_int_equal(r->cells[0].cls, CELL_SOURCE);
	assert_int_equal(r->cells[1].cls, CELL_COPIED);
	assert_int_equal(r->cells[2].cls, CELL_ABSENT);
	/* items is one object in 0 and 1; __spec__ is not */
	assert_int_equal(r->cells[1].shared, 1);
	assert_int_equal(r->cells[1].total, 2);
	r = row(m, "_json");
	assert_int_equal(r->cells[0].cls, CELL_OWN);
	assert_int_equal(r->cells[1].shared, -1); /* its attributes not read */
	assert_int_equal(row(m, "json")->cells[0].cls, CELL_PYTHON);
	assert_non_null(m->detail);
	assert_string_equal(m->detail->name, "demo_single");

	/* ui_model_attr_names asks for extension modules loaded twice */
	{
		size_t n;
		const char **names = ui_model_attr_names(m->modules, &n);

		assert_int_equal(n, 2);
		assert_string_equal(names[0], "_json");
		assert_string_equal(names[1], "demo_single");
		free(names);
	}
	ui_model_free(m);
}

/* A multi-phase module should be its own in every interpreter: one that
 * holds the same list in two (a C static handed out) stays "own" but counts
 * it as shared, and a distinct attribute that reaches shared objects deeper
 * (a deep snapshot's holds_shared) is counted apart. */
static void
test_leaks_of_multi_phase_modules(void **state)
{
	const struct fake f[] = {
		{ "demo_leaky", KIND_MULTI, 0, false, "[]" },
		{ "demo_leaky", KIND_MULTI, 1, false, "[]" },
	};
	struct snapshot *attrs = snap_of(f, 2, true);
	struct snap_module *mod = (struct snap_module *)snapshot_module(attrs,
	    "demo_leaky");
	struct ui_model *m;
	const struct ui_row *r;
	size_t i;

	(void)state;
	assert_non_null(mod);
	for (i = 0; i < mod->nattrs; i++) {
		struct snap_attr *a = (struct snap_attr *)&mod->attrs[i];

		if (strcmp(a->name, "__spec__") == 0) {
			assert_int_equal(a->sharing, SHARING_DISTINCT);
			a->holds_shared = true;
		}
	}
	m = ui_model_build(snap_of(f, 2, false), attrs, NULL, NULL);
	r = row(m, "demo_leaky");
	for (i = 0; i < 2; i++) {
		assert_int_equal(r->cells[i].cls, CELL_OWN);
		assert_int_equal(r->cells[i].shared, 1);
		assert_int_equal(r->cells[i].holds, 1);
		assert_int_equal(r->cells[i].total, 2);
	}
	assert_int_equal(r->cells[2].cls, CELL_ABSENT);
	assert_int_equal(r->cells[2].holds, -1);
	ui_model_free(m);
}

static void
test_changes_of_a_step(void **state)
{
	const struct fake before[] = {
		{ "demo_single", KIND_SINGLE, 0, false, "[]" },
		{ "demo_single", KIND_SINGLE, 1, true, "[]" },
		{ "demo_single", KIND_SINGLE, 2, true, "[]" },
		{ "_json", KIND_MULTI, 0, false, NULL },
	};
	const struct fake after[] = {
		{ "demo_single", KIND_SINGLE, 0, false, "['x']" },
		{ "demo_single", KIND_SINGLE, 1, true, "['x']" },
		{ "demo_single", KIND_SINGLE, 2, true, "['x']" },
		{ "_json", KIND_MULTI, 0, false, NULL },
		{ "_json", KIND_MULTI, 2, false, NULL },
	};
	struct ui_model *a = model_of(before, 4, NULL);
	struct ui_model *b = model_of(after, 5, NULL);
	const struct ui_row *r;
	size_t i, items = 0;

	(void)state;
	ui_model_mark_changes(b, a);
	/* appending to the shared list changed it in all three */
	r = row(b, "demo_single");
	for (i = 0; i < NI; i++)
		assert_true(r->cells[i].changed);
	assert_true(r->changed);
	/* _json arrived in 2 only */
	r = row(b, "_json");
	assert_false(r->cells[0].changed);
	assert_false(r->cells[1].changed);
	assert_true(r->cells[2].changed);
	/* the detail marks items in every interpreter, not __spec__ */
	while (strcmp(b->detail->attrs[items].name, "items") != 0)
		items++;
	for (i = 0; i < NI; i++) {
		assert_true(b->detail_changed[items * NI + i]);
		assert_false(b->detail_changed[(1 - items) * NI + i]);
	}
	/* nothing changed since itself */
	ui_model_free(a);
	a = model_of(after, 5, NULL);
	ui_model_mark_changes(a, b);
	for (i = 0; i < NI; i++)
		assert_false(row(a, "demo_single")->cells[i].changed);
	ui_model_free(a);
	ui_model_free(b);
}

static void
cells_equal(const struct ui_model *a, const struct ui_model *b)
{
	size_t i, j;

	assert_int_equal(a->nrows, b->nrows);
	for (i = 0; i < a->nrows; i++) {
		const struct ui_row *r = row(b, a->rows[i].module->name);

		for (j = 0; j < NI; j++) {
			const struct ui_cell *x = &a->rows[i].cells[j];
			const struct ui_cell *y = &r->cells[j];

			if (x->cls != y->cls || x->shared != y->shared ||
			    x->total != y->total || x->holds != y->holds ||
			    x->digest != y->digest)
				fail_msg("%s in %zu: cells differ",
				    a->rows[i].module->name, j);
		}
	}
}

/* A model built from the one before takes over the cells of rows that
 * are the very rows it was built from, and works out the others: the
 * cells equal those of a model built afresh, after a row changed and
 * after a refusal came. */
static void
test_cells_taken_over(void **state)
{
	const struct fake f[] = {
		{ "demo_single", KIND_SINGLE, 0, false, "[]" },
		{ "demo_single", KIND_SINGLE, 1, true, "[]" },
		{ "demo_single", KIND_SINGLE, 2, true, "[]" },
		{ "json", KIND_PYTHON, 0, false, NULL },
		{ "json", KIND_PYTHON, 1, false, NULL },
	};
	struct snapshot *modules = snap_of(f, 5, false);
	struct snapshot *attrs = snap_of(f, 5, true);
	struct ui_model *was = ui_model_build(snapshot_copy(modules),
	    snapshot_copy(attrs), NULL, NULL);
	struct ui_model *now, *fresh;
	struct ui_refusals refused = { NULL, 0 };
	struct import_report rep = { .interp = 2, .result = IMPORT_REFUSED };
	struct snap_module *m;
	uint64_t digest;

	(void)state;
	/* the same rows: every cell is taken over */
	now = ui_model_build_from(snapshot_copy(modules), snapshot_copy(attrs),
	    NULL, NULL, was);
	cells_equal(now, was);
	ui_model_free(now);

	/* a list appended to in interpreter 2: its row is the snapshot's
	 * own now, and its cells are worked out again */
	m = (struct snap_module *)snapshot_module(attrs, "demo_single");
	assert_int_equal(snap_module_own(m), 0);
	m->attrs[0].objects[2].preview = "['x']";
	now = ui_model_build_from(snapshot_copy(modules), snapshot_copy(attrs),
	    NULL, NULL, was);
	fresh = ui_model_build(snapshot_copy(modules), snapshot_copy(attrs),
	    NULL, NULL);
	cells_equal(now, fresh);
	digest = row(was, "demo_single")->cells[2].digest;
	assert_true(row(now, "demo_single")->cells[2].digest != digest);
	assert_true(row(now, "demo_single")->cells[0].digest ==
	    row(was, "demo_single")->cells[0].digest);
	ui_model_free(fresh);

	/* a refusal in 2: the same rows, other cells */
	ui_refusals_note(&refused, "json", &rep, 1);
	fresh = ui_model_build_from(snapshot_copy(modules),
	    snapshot_copy(attrs), NULL, &refused, now);
	assert_int_equal(row(fresh, "json")->cells[2].cls, CELL_REFUSED);
	ui_model_free(fresh);
	ui_model_free(now);
	ui_model_free(was);
	ui_refusals_free(&refused);
	snapshot_free(modules);
	snapshot_free(attrs);
}

static void
test_refusals(void **state)
{
	const struct fake f[] = {
		{ "demo_single", KIND_SINGLE, 0, false, "[]" },
	};
	struct import_report reps[2] = {
		{ .interp = 0, .result = IMPORT_RAN_INIT },
		{ .interp = 2, .result = IMPORT_REFUSED,
		    .error = "ImportError: no sub-interpreters" },
	};
	struct ui_refusals r = { NULL, 0 };
	struct ui_model *m;

	(void)state;
	ui_refusals_note(&r, "demo_single", reps, 2);
	assert_int_equal(r.n, 1);
	assert_non_null(ui_refusals_find(&r, "demo_single", 2));
	assert_null(ui_refusals_find(&r, "demo_single", 1));
	m = model_of(f, 1, &r);
	assert_int_equal(row(m, "demo_single")->cells[2].cls, CELL_REFUSED);
	assert_int_equal(row(m, "demo_single")->cells[1].cls, CELL_ABSENT);
	ui_model_free(m);

	/* a later import that works there forgets the refusal */
	reps[1].result = IMPORT_FROM_COPY;
	ui_refusals_note(&r, "demo_single", reps, 2);
	assert_int_equal(r.n, 0);
	/* and so does destroying the interpreter */
	reps[1].result = IMPORT_REFUSED;
	ui_refusals_note(&r, "demo_single", reps, 2);
	ui_refusals_forget_interp(&r, 2);
	assert_int_equal(r.n, 0);
	ui_refusals_free(&r);
}

/* Output arrives in pieces: a line the console ended early (to show a
 * prompt) keeps the newline that comes after, instead of gaining an empty
 * line below it. */
static void
test_console_pieces(void **state)
{
	struct console c;
	const struct console_line *l;

	(void)state;
	console_init(&c);
	console_write(&c, STREAM_ERR, "unknown command", 15);
	console_flush(&c);
	console_write(&c, STREAM_ERR, "\n", 1);
	console_line(&c, STREAM_ECHO, "[0 main]>>> ");
	assert_int_equal(c.n, 2);
	l = console_get(&c, 0);
	assert_string_equal(l->text, "unknown command");
	/* a real empty line still shows */
	console_write(&c, STREAM_OUT, "\n", 1);
	assert_int_equal(c.n, 3);
	console_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_and_order),
		cmocka_unit_test(test_leaks_of_multi_phase_modules),
		cmocka_unit_test(test_changes_of_a_step),
		cmocka_unit_test(test_cells_taken_over),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_console_pieces),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
