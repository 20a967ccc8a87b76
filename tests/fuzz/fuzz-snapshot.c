/*
 * fuzz-snapshot.c: libFuzzer harness for the snapshot codec
 * (core/wire-codec.c codec_snapshot_parse), the JSON text a host sends
 * after its reply to 'snapshot' and %json writes (docs/snapshot.md).
 * What parses is used as the front end uses it: written as JSON again
 * (which must parse, with the same counts), looked up by module,
 * interpreter and attribute, and restricted to two interpreters as %diff
 * does.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "session.h"
#include "snapshot-json.h"
#include "snapshot.h"
#include "wire-codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every attribute's objects lie in its module's block of values, one
 * after the other as parsed (packed), or anywhere in it after
 * snapshot_restrict dropped some. */
static void
check(const struct snapshot *snap, bool packed)
{
	size_t i, j, total;

	FUZZ_CHECK(snap->python_version != NULL);
	for (i = 0; i < snap->nmodules; i++) {
		const struct snap_module *m = &snap->modules[i];

		FUZZ_CHECK(m->name != NULL);
		FUZZ_CHECK(snapshot_module(snap, m->name) != NULL);
		for (j = 0; j < m->ninstances; j++)
			FUZZ_CHECK(snap_module_instance(m, m->instances[j].interp)
			    != NULL);
		for (j = total = 0; j < m->nattrs; j++) {
			const struct snap_attr *a = &m->attrs[j];

			FUZZ_CHECK(a->name != NULL && a->type != NULL);
			FUZZ_CHECK(packed ? a->objects == m->values + total :
			    a->objects >= m->values);
			total += a->nobjects;
			if (a->nobjects > 0)
				FUZZ_CHECK(snap_attr_object(a, a->objects[0].interp)
				    != NULL);
		}
	}
}

/* Written again, it parses again into as many of everything. */
static void
round_trip(const struct snapshot *snap)
{
	struct snapshot *again;
	char *text = NULL, *cause = NULL;
	size_t len = 0, i;
	FILE *mem = open_memstream(&text, &len);

	FUZZ_CHECK(mem != NULL);
	FUZZ_CHECK(snapshot_write_json(snap, mem) == 0);
	FUZZ_CHECK(fclose(mem) == 0);
	again = codec_snapshot_parse(text, len, &cause);
	if (again == NULL) {
		fprintf(stderr, "written again, the snapshot does not parse: "
		    "%s\n%s\n", cause != NULL ? cause : "(no cause)", text);
		FUZZ_CHECK(!"the snapshot parses again");
	}
	FUZZ_CHECK(again->ninterps == snap->ninterps);
	FUZZ_CHECK(again->nmodules == snap->nmodules);
	for (i = 0; i < snap->nmodules; i++) {
		FUZZ_CHECK(again->modules[i].ninstances ==
		    snap->modules[i].ninstances);
		FUZZ_CHECK(again->modules[i].nattrs == snap->modules[i].nattrs);
	}
	snapshot_free(again);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot *snap;
	char *cause = NULL;
	interp_id ids[2];
	size_t n = 0;

	snap = codec_snapshot_parse((const char *)data, size, &cause);
	if (snap == NULL) {
		free(cause);
		return 0;
	}
	check(snap, true);
	round_trip(snap);
	/* %diff MOD A B: the first two interpreters */
	for (n = 0; n < 2 && n < snap->ninterps; n++)
		ids[n] = snap->interps[n].id;
	snapshot_restrict(snap, ids, n);
	check(snap, false);
	snapshot_free(snap);
	return 0;
}
