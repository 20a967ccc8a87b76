/*
 * sharemap.c: printing the sharing map (see sharemap.h). The verdicts are
 * the snapshot's; this file only lays them out, with the dangerous case
 * (a heap object shared by interpreters) marked by a '!' in the margin and
 * upper case, so it stands out without colors too.
 */
#include "config.h"

#include "sharemap.h"

#include <string.h>

#include "color.h"

int
sharemap_color(const struct snap_attr *a)
{
	switch (a->sharing) {
	case SHARING_SHARED:
		return COLOR_ALARM;
	case SHARING_STATIC:
	case SHARING_IMMORTAL:
		return COLOR_STATIC;
	case SHARING_DISTINCT:
		break;
	}
	return COLOR_CALM;
}

/* "0, 1, 2": the interpreters holding the object at addr. */
static void
holders(const struct snap_attr *a, uintptr_t addr, char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < a->nobjects && used < size; i++) {
		int w;

		if (a->objects[i].addr != addr)
			continue;
		w = snprintf(buf + used, size - used, "%s%lld", used > 0 ? ", " : "",
		    (long long)a->objects[i].interp);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

/* The address most interpreters agree on. */
static uintptr_t
common_addr(const struct snap_attr *a, size_t *count)
{
	uintptr_t best = 0;
	size_t i, j, most = 0;

	for (i = 0; i < a->nobjects; i++) {
		size_t same = 0;

		for (j = 0; j < a->nobjects; j++)
			same += a->objects[j].addr == a->objects[i].addr;
		if (same > most) {
			most = same;
			best = a->objects[i].addr;
		}
	}
	*count = most;
	return best;
}

void
sharemap_verdict(struct cmd_ctx *ctx, const struct snap_attr *a, char *buf,
    size_t size)
{
	char who[256], owner[INTERP_LABEL_MAX];
	size_t same;
	uintptr_t addr = common_addr(a, &same);

	holders(a, addr, who, sizeof who);
	switch (a->sharing) {
	case SHARING_SHARED:
		if (a->owner == INTERP_HIDDEN)
			snprintf(buf, size, "SHARED by %s%s, owned by a module no "
			    "interpreter holds in sys.modules", who,
			    same < a->nobjects ? " (others have their own)" : "");
		else if (a->owner != INTERP_NONE) {
			cmd_interp_label(ctx, a->owner, owner, sizeof owner);
			snprintf(buf, size, "SHARED by %s%s, owned by %s", who,
			    same < a->nobjects ? " (others have their own)" : "",
			    owner);
		} else
			snprintf(buf, size, "SHARED by %s%s", who,
			    same < a->nobjects ? " (others have their own)" : "");
		return;
	case SHARING_STATIC:
		snprintf(buf, size, "static in %s%s%s", a->static_in,
		    a->nobjects > 1 ? ", same in " : "", a->nobjects > 1 ? who : "");
		return;
	case SHARING_IMMORTAL:
		snprintf(buf, size, "immortal%s%s",
		    a->nobjects > 1 ? ", same in " : "", a->nobjects > 1 ? who : "");
		return;
	case SHARING_DISTINCT:
		break;
	}
	if (a->holds_shared)
		snprintf(buf, size, "distinct, holds shared (%%audit shows what)");
	else
		snprintf(buf, size, a->nobjects > 1 ? "distinct" :
		    "distinct (only here)");
}

void
sharemap_print_module(struct cmd_ctx *ctx, const struct snapshot *snap,
    const struct snap_module *m)
{
	char label[INTERP_LABEL_MAX], a1[24], a2[24], a3[24], a4[24];
	char verdict[512];
	size_t i, counts[4] = { 0, 0, 0, 0 }, holders = 0;
	int labelw = 11, namew = 9, typew = 4;
	FILE *out = ctx->out;

	(void)snap;
	fprintf(out, "%s  %s", m->name, module_kind_name(m->kind));
	if (m->has_def)
		fprintf(out, ", m_size %ld", m->m_size);
	fprintf(out, "%s%s\n", m->file != NULL ? ", " : "",
	    m->file != NULL ? m->file : "");
	for (i = 0; i < m->ninstances; i++) {
		cmd_interp_label(ctx, m->instances[i].interp, label, sizeof label);
		if ((int)strlen(label) > labelw)
			labelw = (int)strlen(label);
	}
	fprintf(out, "  %-*s  %-14s  %-14s  %-14s  %s\n", labelw, "INTERPRETER",
	    "MODULE", "DICT", "DEF", "M_COPY");
	for (i = 0; i < m->ninstances; i++) {
		const struct snap_instance *in = &m->instances[i];

		cmd_interp_label(ctx, in->interp, label, sizeof label);
		fprintf(out, "  %-*s  %-14s  %-14s  %-14s  %s", labelw, label,
		    cmd_addr(in->module, a1), cmd_addr(in->dict, a2),
		    cmd_addr(in->def, a3), cmd_addr(in->m_copy, a4));
		if (in->m_copy_size >= 0)
			fprintf(out, " (%ld entries)", in->m_copy_size);
		if (in->copied) {
			uintptr_t from = 0;
			size_t k;

			for (k = 0; k < m->ninstances; k++) {
				if (m->instances[k].m_copy != 0)
					from = m->instances[k].m_copy;
			}
			if (from != 0)
				fprintf(out, "  (no def: made from m_copy %s)",
				    cmd_addr(from, a4));
			else
				fprintf(out, "  (no def: made from m_copy)");
		}
		fputc('\n', out);
	}
	if (m->nattrs == 0)
		return;
	for (i = 0; i < m->nattrs; i++) {
		if ((int)strlen(m->attrs[i].name) > namew)
			namew = (int)strlen(m->attrs[i].name);
		if ((int)strlen(m->attrs[i].type) > typew)
			typew = (int)strlen(m->attrs[i].type);
		counts[m->attrs[i].sharing]++;
	}
	if (namew > 28)
		namew = 28;
	if (typew > 28)
		typew = 28;
	fprintf(out, "  %-*s  %-*s  %s\n", namew, "ATTRIBUTE", typew, "TYPE",
	    "OBJECTS");
	for (i = 0; i < m->nattrs; i++) {
		const struct snap_attr *a = &m->attrs[i];

		sharemap_verdict(ctx, a, verdict, sizeof verdict);
		fprintf(out, "%c %-*s  %-*s  %s%s%s\n",
		    a->sharing == SHARING_SHARED || a->holds_shared ? '!' : ' ',
		    namew, a->name,
		    typew, a->type, color_on(out, sharemap_color(a)), verdict,
		    color_off(out));
	}
	for (i = 0; i < m->nattrs; i++)
		holders += m->attrs[i].holds_shared;
	fprintf(out, "  %zu attributes: %zu shared, %zu static, %zu immortal, "
	    "%zu distinct", m->nattrs, counts[SHARING_SHARED],
	    counts[SHARING_STATIC], counts[SHARING_IMMORTAL],
	    counts[SHARING_DISTINCT]);
	if (holders > 0)
		fprintf(out, " (%zu of them holding shared objects)", holders);
	fputc('\n', out);
}
