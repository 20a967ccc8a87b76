/*
 * program-file.c: this program's file, from /proc (program-file.h).
 */
#include "config.h"

#include "program-file.h"

#include <unistd.h>

bool
program_file(char *exe, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", exe, size - 1);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	return true;
}
