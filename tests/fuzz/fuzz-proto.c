/*
 * fuzz-proto.c: libFuzzer harness for the protocol's decoders
 * (core/protocol.c, core/wire-codec.c) without the framing: the input is
 * the JSON text of one message, so the fuzzer spends its time in the
 * members rather than in keeping frame lengths right (fuzz-wire.c does
 * the frames).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "fuzz-message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *msg = json_loadb((const char *)data, size, 0, &err);

	/* wire_recv takes objects only; a reply of another kind is refused
	 * before decoding, but the decoders must refuse it too */
	if (msg != NULL) {
		fuzz_message(msg);
		json_decref(msg);
	}
	return 0;
}
