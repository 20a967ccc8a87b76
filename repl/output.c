/*
 * output.c: opening and closing a command's document output, with write
 * errors (a full disk, a closed pipe) reported rather than lost.
 */
#include "config.h"

#include "output.h"

#include <errno.h>
#include <string.h>

FILE *
output_open(struct cmd_ctx *ctx, const char *path)
{
	FILE *f;

	if (strcmp(path, "-") == 0)
		return ctx->out;
	f = fopen(path, "w");
	if (f == NULL)
		cmd_error(ctx, "cannot write '%s': %s", path, strerror(errno));
	return f;
}

int
output_close(struct cmd_ctx *ctx, FILE *f, const char *path)
{
	int failed = ferror(f);

	if (f == ctx->out) {
		if (fflush(f) != 0 || failed) {
			cmd_error(ctx, "writing failed: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (fclose(f) != 0 || failed) {
		cmd_error(ctx, "writing '%s' failed: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
