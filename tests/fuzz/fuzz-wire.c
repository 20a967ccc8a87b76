/*
 * fuzz-wire.c: libFuzzer harness for the framing of the host protocol
 * (core/wire.c): the input is the byte stream one side of the socketpair
 * would read, served from a memfd. Frames are read until the stream ends
 * or breaks, and each one that is a JSON object goes through every
 * decoder of the protocol (fuzz-message.c).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "fuzz-check.h"
#include "fuzz-message.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cause = NULL, *frame;
	json_t *msg;
	size_t len;
	int rc;

	if (fd < 0) {
		fd = memfd_create("fuzz-wire", MFD_CLOEXEC);
		FUZZ_CHECK(fd >= 0);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	FUZZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);
	FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	/* the raw frames first, as link_call reads a snapshot's trailer */
	while ((rc = wire_read(fd, &frame, &len, &cause)) == 0) {
		FUZZ_CHECK(frame[len] == '\0');
		free(frame);
	}
	FUZZ_CHECK(rc == 1 || cause != NULL);
	free(cause);
	cause = NULL;
	/* then as messages */
	FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	while ((rc = wire_recv(fd, &msg, &cause)) == 0) {
		FUZZ_CHECK(json_is_object(msg));
		fuzz_message(msg);
		json_decref(msg);
	}
	FUZZ_CHECK(rc == 1 || cause != NULL);
	free(cause);
	return 0;
}
