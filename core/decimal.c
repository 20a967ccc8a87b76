/*
 * decimal.c: see decimal.h.
 */
#include "config.h"

#include "decimal.h"

#include <string.h>

size_t
decimal_write(char *out, long long v)
{
	char digits[DECIMAL_MAX];
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;
	size_t n = sizeof digits;

	do {
		digits[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		digits[--n] = '-';
	memcpy(out, digits + n, sizeof digits - n);
	return sizeof digits - n;
}
