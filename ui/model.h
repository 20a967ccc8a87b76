/*
 * model.h: what the TUI shows, as plain data derived from snapshots: the
 * interpreters, one row per module with one cell per interpreter saying how
 * that interpreter got the module, and the attributes of one module. The
 * model never draws; the panes never compute (STYLE.md).
 *
 * A model is built after every step and compared with the one before, so
 * what a step changed can be highlighted (like `watch -d`): a cell changes
 * when its class, its count of shared attributes, or any attribute's object
 * or preview in that interpreter changes (appending to a shared list changes
 * the cell in every interpreter that sees the list).
 */
#ifndef SUBREPL_UI_MODEL_H
#define SUBREPL_UI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"

/* How one interpreter has one module: the map's cell. */
enum cell_class {
	CELL_ABSENT,   /* not in its sys.modules */
	CELL_PYTHON,   /* a Python module (source, frozen, namespace) */
	CELL_OWN,      /* its own module: init or exec slots ran here; what
	                * it holds should be its own, so shared or holds > 0
	                * is a leak (a C static handed out) */
	CELL_SOURCE,   /* init ran here, and other interpreters were filled
	                * from the copy of this dict: N of M shared */
	CELL_COPIED,   /* filled from m_copy without running init: N of M
	                * attributes are heap objects shared with others */
	CELL_REFUSED,  /* the last %import or %load here raised ImportError */
	CELL_OTHER,    /* sys.modules holds something that is not a module */
};

struct ui_cell {
	enum cell_class cls;
	int shared;        /* attributes holding a heap object another
	                    * interpreter holds too; -1 when not read */
	int total;         /* attributes read in this interpreter, -1: none */
	int holds;         /* distinct attributes whose objects reach shared
	                    * ones deeper (a deep snapshot, as %audit walks);
	                    * -1 when not read */
	uint64_t digest;   /* of the attributes' addresses and previews */
	bool changed;      /* differs from the previous step */
};

struct ui_row {
	const struct snap_module *module; /* name, kind, m_size, file */
	struct ui_cell *cells;            /* one per interpreter, model order */
	bool changed;                     /* any cell changed */
};

struct ui_interp {
	struct interp_info info;  /* the registry's row */
	bool changed;             /* new, or its row differs from before */
};

/* An import that was refused, remembered until the module loads there
 * (a refused import leaves nothing in sys.modules to see). */
struct ui_refusal {
	char *module;
	interp_id interp;
	char *error;       /* "ImportError: ..." */
};

struct ui_refusals {
	struct ui_refusal *v;
	size_t n;
};

struct ui_model {
	struct ui_interp *interps;    /* sorted by id */
	size_t ninterps;
	struct ui_row *rows;          /* extensions first, then builtins, then
	                               * Python modules; by name within each */
	size_t nrows;
	size_t *row_of;               /* row index of modules->modules[i] */
	const struct snap_module *detail; /* the opened module with its
	                               * attributes, or NULL */
	bool *detail_changed;         /* [attr * ninterps + interp]: the object
	                               * differs from the previous step */
	struct snapshot *modules;     /* owned: every module, no attributes */
	struct snapshot *attrs;       /* owned: attributes, walked deep, of
	                               * extension modules loaded in two or
	                               * more interpreters and of the detail
	                               * module */
	uint64_t refusals;            /* digest of the refusals it shows */
};

/* Build a model from two snapshots it takes over: `modules` (all modules,
 * no attributes) and `attrs` (attributes of some modules; may be NULL).
 * detail names the module whose attributes the detail pane shows, or
 * NULL. */
struct ui_model *ui_model_build(struct snapshot *modules,
    struct snapshot *attrs, const char *detail,
    const struct ui_refusals *refused);

/* The same, taking the cells of rows that are the very rows `was` (a
 * model still held) was built from: after a step most rows are, and
 * working them out again was most of a model's time. */
struct ui_model *ui_model_build_from(struct snapshot *modules,
    struct snapshot *attrs, const char *detail,
    const struct ui_refusals *refused, const struct ui_model *was);

/* Carry the holds-shared marks of `before` (a deep snapshot's, or marks
 * carried into one) over to `attrs`, taken without the deep walk: the
 * same module's attribute of the same name, still distinct. */
void ui_model_carry_holds(struct snapshot *attrs, const struct snapshot *before);

/* Mark what differs from `before` (NULL: nothing is marked). */
void ui_model_mark_changes(struct ui_model *now, const struct ui_model *before);

void ui_model_free(struct ui_model *m);

/* Index of an interpreter in m->interps, or -1. */
int ui_model_interp_index(const struct ui_model *m, interp_id id);

/* The names of modules whose attributes the map needs (extension modules
 * loaded in two or more interpreters: single-phase ones share through
 * m_copy, and any may share deeper, through C statics), from a snapshot
 * without attributes; malloc'd array of pointers into snap, with room for
 * one more name. */
const char **ui_model_attr_names(const struct snapshot *modules, size_t *n);

/* Remember or forget refusals from one import's reports. */
struct import_report;
void ui_refusals_note(struct ui_refusals *r, const char *module,
    const struct import_report *reports, size_t n);
void ui_refusals_forget_interp(struct ui_refusals *r, interp_id id);
void ui_refusals_free(struct ui_refusals *r);

/* The refusal of a module in an interpreter, or NULL. */
const struct ui_refusal *ui_refusals_find(const struct ui_refusals *r,
    const char *module, interp_id id);

#endif
