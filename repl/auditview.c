/*
 * auditview.c: audits as text (see auditview.h).
 */
#include "config.h"

#include "auditview.h"

#include <string.h>

void
auditview_flags(unsigned flags, char *buf, size_t size)
{
	buf[0] = '\0';
	if (flags & AUDIT_OWNER_DESTROYED)
		strncat(buf, "  ! its interpreter was destroyed", size -
		    strlen(buf) - 1);
	if (flags & AUDIT_FOREIGN_GLOBALS)
		strncat(buf, "  ! runs with another interpreter's globals", size -
		    strlen(buf) - 1);
	if (flags & AUDIT_FOREIGN_TYPE)
		strncat(buf, "  ! an instance of another interpreter's class",
		    size - strlen(buf) - 1);
}

void
auditview_object(struct cmd_ctx *ctx, const struct audit_object *o)
{
	char label[INTERP_LABEL_MAX], addr[24], flags[200];
	int width = 0;
	size_t i;

	fprintf(ctx->out, "%s %s%s%s  %s", o->type, cmd_addr(o->addr, addr),
	    o->preview != NULL ? "  " : "", o->preview != NULL ? o->preview : "",
	    o->classification);
	if (o->owner != INTERP_NONE) {
		if (o->flags & AUDIT_OWNER_DESTROYED)
			snprintf(label, sizeof label, "[%lld] (destroyed)",
			    (long long)o->owner);
		else
			cmd_interp_label(ctx, o->owner, label, sizeof label);
		fprintf(ctx->out, ", owned by %s (%s)", label, o->owner_how);
	}
	auditview_flags(o->flags, flags, sizeof flags);
	fprintf(ctx->out, "%s\n", flags);
	for (i = 0; i < o->npaths; i++) {
		cmd_interp_label(ctx, o->paths[i].interp, label, sizeof label);
		if ((int)strlen(label) > width)
			width = (int)strlen(label);
	}
	for (i = 0; i < o->npaths; i++) {
		cmd_interp_label(ctx, o->paths[i].interp, label, sizeof label);
		fprintf(ctx->out, "  %-*s  %s\n", width, label, o->paths[i].path);
	}
	if (o->static_root != NULL) {
		/* a long way round from a static says only which static */
		const char *colon = strchr(o->static_root, ':');
		size_t root = colon == NULL ? strlen(o->static_root) :
		    (size_t)(colon - o->static_root) + 1 + strcspn(colon + 1, "[. ");

		if (strlen(o->static_root) > 100)
			fprintf(ctx->out, "  %-*s  %.*s ... (a long way round)\n",
			    width, "C static", (int)root, o->static_root);
		else
			fprintf(ctx->out, "  %-*s  %s\n", width, "C static",
			    o->static_root);
	}
	if (o->npaths == 0 && o->static_root == NULL)
		fprintf(ctx->out, "  no interpreter reaches it from its modules\n");
}

void
auditview_walk(struct cmd_ctx *ctx, const struct audit *a)
{
	fprintf(ctx->out, "(%zu objects walked in %.3f s%s%s%s)\n", a->visited,
	    a->seconds, a->budget_reached ? "; the walk stopped at its budget: "
	    "what follows covers what was walked" : "",
	    a->note != NULL ? "; " : "", a->note != NULL ? a->note : "");
}
