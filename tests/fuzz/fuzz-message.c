/*
 * fuzz-message.c: a message through the protocol's decoders (see
 * fuzz-message.h). Both ends decode with the same field lists
 * (core/protocol.c), so trying every list of every operation on each
 * message covers what the host accepts as a request and what the front end
 * accepts as a reply. A decoded call must encode again into a message that
 * decodes: a decoder that lets through what its own encoder cannot write
 * would hand the other side something it never tested.
 */
#include "config.h"

#include "fuzz-message.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "protocol.h"

static void
decode(const struct proto_field *fields, json_t *msg)
{
	struct proto_call c, again;
	char *cause = NULL;
	json_t *o;

	memset(&c, 0, sizeof c);
	if (proto_decode(fields, msg, &c, &cause) != 0) {
		free(cause);
		proto_call_free(&c);
		return;
	}
	FUZZ_CHECK(cause == NULL);
	o = json_object();
	FUZZ_CHECK(o != NULL);
	/* what came as JSON (UTF-8, no NUL) can always go back */
	FUZZ_CHECK(proto_encode(fields, &c, o) == 0);
	memset(&again, 0, sizeof again);
	if (proto_decode(fields, o, &again, &cause) != 0) {
		fprintf(stderr, "re-decoding failed: %s\n",
		    cause != NULL ? cause : "(no cause)");
		FUZZ_CHECK(!"what was decoded decodes again");
	}
	proto_call_free(&again);
	json_decref(o);
	proto_call_free(&c);
}

void
fuzz_message(json_t *msg)
{
	const struct proto_op *op;
	int i;

	for (i = 0; i < OP_COUNT; i++) {
		decode(proto_ops[i].args, msg);
		decode(proto_ops[i].results, msg);
	}
	/* the host's way in: the operation the request names */
	op = proto_find(json_string_value(json_object_get(msg, "op")));
	if (op != NULL)
		FUZZ_CHECK(op->serve != NULL);
}
