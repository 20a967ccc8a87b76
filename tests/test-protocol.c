/*
 * test-protocol.c: the host protocol's table (core/protocol.c) against its
 * documentation and against bad bytes. docs/protocol.md names every
 * operation and member the table has, and nothing else; every member of
 * every message survives a round trip, and its absence or a wrong type is
 * a refusal that names it; a real host ($SUBREPL --host=3) answers
 * malformed requests with a cause and keeps serving.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "protocol.h"
#include "wire-codec.h"
#include "child-signals.h"
#include "runner.h"
#include "wire.h"

/* ------------------------------------------------------------- the docs */

static char *doc;

/* The table row of docs/protocol.md whose first cell names op, or NULL;
 * *end is where the row ends. */
static const char *
doc_row(const char *op, const char **end)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof want, "`%s`", op);
	for (p = doc; (p = strstr(p, "\n| ")) != NULL; p++) {
		const char *cell_end = strchr(p + 3, '|');
		const char *hit = strstr(p + 3, want);

		if (cell_end != NULL && hit != NULL && hit < cell_end) {
			*end = strchr(p + 1, '\n');
			return p + 1;
		}
	}
	return NULL;
}

/* The n-th cell (0: the first) of a row, as [*from, *to). */
static void
doc_cell(const char *row, const char *end, int n, const char **from,
    const char **to)
{
	const char *p = row + 1;
	int i;

	for (i = 0; i < n && p < end; i++)
		p = strchr(p, '|') + 1;
	*from = p;
	*to = strchr(p, '|');
	if (*to == NULL || *to > end)
		*to = end;
}

static bool
cell_names(const char *from, const char *to, const char *key)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof want, "`%s`", key);
	p = strstr(from, want);
	return p != NULL && p < to;
}

static void
test_docs_name_every_operation_and_member(void **state)
{
	const struct proto_field *f;
	const char *row, *end = NULL, *from, *to, *p;
	char want[64];
	int i;

	(void)state;
	for (i = 0; i < OP_COUNT; i++) {
		const struct proto_op *op = &proto_ops[i];

		if (i == OP_HELLO) {
			for (f = op->results; f->key != NULL; f++) {
				snprintf(want, sizeof want, "\"%s\":", f->key);
				if (strstr(doc, want) == NULL)
					fail_msg("docs/protocol.md's hello has no '%s'",
					    f->key);
			}
			continue;
		}
		row = doc_row(op->name, &end);
		if (row == NULL)
			fail_msg("docs/protocol.md has no row for '%s'", op->name);
		doc_cell(row, end, 1, &from, &to);
		for (f = op->args; f->key != NULL; f++) {
			if (!cell_names(from, to, f->key))
				fail_msg("docs/protocol.md: '%s' requests carry '%s'",
				    op->name, f->key);
		}
		doc_cell(row, end, 2, &from, &to);
		for (f = op->results; f->key != NULL; f++) {
			if (!cell_names(from, to, f->key))
				fail_msg("docs/protocol.md: '%s' replies carry '%s'",
				    op->name, f->key);
		}
	}
	/* and every operation the page lists is in the table */
	p = strstr(doc, "| op |");
	assert_non_null(p);
	for (p = strchr(p, '\n'); p != NULL && p[1] == '|'; p = strchr(p + 1, '\n')) {
		const char *cell_end = strchr(p + 2, '|'), *q;

		for (q = p + 2; (q = strchr(q, '`')) != NULL && q < cell_end; q++) {
			const char *close = strchr(q + 1, '`');
			char name[32];

			snprintf(name, sizeof name, "%.*s", (int)(close - q - 1), q + 1);
			q = close;
			if (strcmp(name, "---") != 0 && strspn(name, "-") == 0 &&
			    proto_find(name) == NULL)
				fail_msg("docs/protocol.md lists '%s', which the table "
				    "does not have", name);
		}
	}
}

/* -------------------------------------------------------- the decoders */

static interp_id sample_ids[] = { 0, 3 };
static const char *sample_names[] = { "json", "_csv" };
static struct interp_info sample_infos[2];
static char *sample_strings[] = { "print", "property" };
static struct import_report sample_reports[2];
static struct reinit_map sample_map[] = { { 1, 4 }, { 2, INTERP_NONE } };

/* A call with every member set to something other than zero. */
static void
sample(struct proto_call *c)
{
	size_t i;

	memset(c, 0, sizeof *c);
	c->interp = 2;
	c->text = "x = 1";
	c->path = "/tmp/m.so";
	c->mode = RUN_STATEMENTS;
	c->request = (struct interp_request){ .name = "w",
	    .preset = PRESET_ISOLATED, .own_gil = FLAG_OFF,
	    .own_obmalloc = FLAG_ON, .check_ext = FLAG_UNSET,
	    .allow_fork = FLAG_OFF, .allow_exec = FLAG_ON,
	    .allow_threads = FLAG_UNSET, .allow_daemon_threads = FLAG_OFF };
	c->ids = sample_ids;
	c->nids = 2;
	c->filter = (struct snap_filter){ .names = sample_names, .nnames = 2,
	    .with_attrs = true, .only = 3 };
	c->found = 5;
	for (i = 0; i < 2; i++) {
		sample_infos[i].id = (interp_id)i * 7;
		snprintf(sample_infos[i].name, sizeof sample_infos[i].name, "n%zu", i);
		snprintf(sample_infos[i].config.preset,
		    sizeof sample_infos[i].config.preset, "isolated");
		sample_infos[i].config.own_gil = true;
		sample_infos[i].modules = 40 + (long)i;
		sample_reports[i].interp = (interp_id)i;
		sample_reports[i].result = IMPORT_FROM_COPY;
		sample_reports[i].kind = KIND_SINGLE;
		sample_reports[i].m_size = -1;
		sample_reports[i].module = 0x7f0000001000u + i;
		snprintf(sample_reports[i].error, sizeof sample_reports[i].error,
		    "e%zu", i);
	}
	c->info = sample_infos[1];
	c->infos = sample_infos;
	c->ninfos = 2;
	c->outcome = RUN_EXCEPTION;
	c->ran_in = 2;
	c->exit_code = -3;
	c->strings = sample_strings;
	c->nstrings = 2;
	c->reports = sample_reports;
	c->nreports = 2;
	c->map = sample_map;
	c->nmap = 2;
	c->trailer_len = 1234;
	c->version = WIRE_VERSION;
	c->pid = 4242;
	snprintf(c->python, sizeof c->python, "3.12.1");
	snprintf(c->build, sizeof c->build, "3.12.1 (main)");
	c->has_config = true;
}

static json_t *
encoded(const struct proto_field *fields)
{
	struct proto_call c;
	json_t *o = json_object();

	sample(&c);
	assert_int_equal(proto_encode(fields, &c, o), 0);
	return o;
}

static void
test_round_trip(void **state)
{
	const struct proto_field *lists[2];
	struct proto_call want, got;
	char *cause = NULL;
	json_t *o;
	int i, l;

	(void)state;
	sample(&want);
	for (i = 0; i < OP_COUNT; i++) {
		lists[0] = proto_ops[i].args;
		lists[1] = proto_ops[i].results;
		for (l = 0; l < 2; l++) {
			o = encoded(lists[l]);
			memset(&got, 0, sizeof got);
			if (proto_decode(lists[l], o, &got, &cause) != 0)
				fail_msg("%s: %s", proto_ops[i].name, cause);
			json_decref(o);
			proto_call_free(&got);
		}
	}
	/* the values themselves, for the members that carry the most */
	o = encoded(proto_ops[OP_IMPORT].results);
	memset(&got, 0, sizeof got);
	assert_int_equal(proto_decode(proto_ops[OP_IMPORT].results, o, &got,
	    &cause), 0);
	assert_int_equal(got.nreports, 2);
	assert_int_equal(got.reports[1].module, want.reports[1].module);
	assert_int_equal(got.reports[1].result, IMPORT_FROM_COPY);
	assert_int_equal(got.reports[1].m_size, -1);
	assert_string_equal(got.reports[1].error, "e1");
	proto_call_free(&got);
	json_decref(o);

	o = encoded(proto_ops[OP_CREATE].args);
	memset(&got, 0, sizeof got);
	assert_int_equal(proto_decode(proto_ops[OP_CREATE].args, o, &got,
	    &cause), 0);
	assert_memory_equal(&got.request.preset, &want.request.preset,
	    sizeof got.request.preset);
	assert_int_equal(got.request.own_obmalloc, FLAG_ON);
	assert_int_equal(got.request.allow_threads, FLAG_UNSET);
	assert_string_equal(got.request.name, "w");
	proto_call_free(&got);
	json_decref(o);

	o = encoded(proto_ops[OP_REINIT].results);
	memset(&got, 0, sizeof got);
	assert_int_equal(proto_decode(proto_ops[OP_REINIT].results, o, &got,
	    &cause), 0);
	assert_int_equal(got.nmap, 2);
	assert_int_equal(got.map[1].new_id, INTERP_NONE);
	proto_call_free(&got);
	json_decref(o);
}

/* Values of another type than any member has. */
static json_t *
wrong_value(int n)
{
	switch (n) {
	case 0:
		return json_string("wrong");
	case 1:
		return json_pack("{s:i}", "x", 1);
	case 2:
		return json_integer(-99);
	default:
		return json_pack("[s]", "wrong");
	}
}

static void
test_every_member_is_checked(void **state)
{
	const struct proto_field *lists[2], *f;
	struct proto_call got;
	char *cause = NULL;
	json_t *o;
	int i, l, w, checked = 0;

	(void)state;
	for (i = 0; i < OP_COUNT; i++) {
		lists[0] = proto_ops[i].args;
		lists[1] = proto_ops[i].results;
		for (l = 0; l < 2; l++) {
			for (f = lists[l]; f->key != NULL; f++) {
				/* missing (a nullable string may be: it is null) */
				if (f->type == PT_STR_NULL)
					goto wrong_type;
				o = encoded(lists[l]);
				json_object_del(o, f->key);
				memset(&got, 0, sizeof got);
				if (proto_decode(lists[l], o, &got, &cause) == 0)
					fail_msg("%s: a message without '%s' was taken",
					    proto_ops[i].name, f->key);
				if (f->type != PT_STR_NULL && strstr(cause, f->key) == NULL)
					fail_msg("%s: the cause '%s' does not name '%s'",
					    proto_ops[i].name, cause, f->key);
				free(cause);
				cause = NULL;
				proto_call_free(&got);
				json_decref(o);
wrong_type:
				/* of the wrong type: at least one of these must be
				 * refused, and none may be taken silently as another
				 * type's value (each is decoded; ASan watches) */
				for (w = 0; w < 4; w++) {
					bool refused;

					o = encoded(lists[l]);
					json_object_set_new(o, f->key, wrong_value(w));
					memset(&got, 0, sizeof got);
					refused = proto_decode(lists[l], o, &got, &cause) != 0;
					free(cause);
					cause = NULL;
					proto_call_free(&got);
					json_decref(o);
					if (w == 1 && !refused)
						fail_msg("%s: an object as '%s' was taken",
						    proto_ops[i].name, f->key);
				}
				checked++;
			}
		}
	}
	assert_true(checked > 30);
}

/* ------------------------------------------------ the snapshot's text */

/* Every member of every object in the tree, deleted one at a time: the
 * parser refuses or copes, and never reads what is not there. */
static void
mutate_each(json_t *root, json_t *node, size_t *tried, size_t *refused)
{
	const char *key;
	char **keys;
	json_t *v;
	size_t i, n = 0;

	if (json_is_array(node)) {
		json_array_foreach(node, i, v)
			mutate_each(root, v, tried, refused);
		return;
	}
	if (!json_is_object(node))
		return;
	/* the keys first: putting a member back moves it to the end */
	keys = calloc(json_object_size(node) + 1, sizeof *keys);
	json_object_foreach(node, key, v)
		keys[n++] = strdup(key);
	for (i = 0; i < n; i++) {
		struct snapshot *snap;
		char *text, *cause = NULL;
		json_t *saved = json_incref(json_object_get(node, keys[i]));

		json_object_del(node, keys[i]);
		text = json_dumps(root, JSON_COMPACT);
		snap = codec_snapshot_parse(text, strlen(text), &cause);
		(*tried)++;
		if (snap == NULL) {
			(*refused)++;
			assert_non_null(cause);
		}
		snapshot_free(snap);
		free(cause);
		free(text);
		json_object_set_new(node, keys[i], saved);
		mutate_each(root, saved, tried, refused);
		free(keys[i]);
	}
	free(keys);
}

static void
test_snapshot_text_is_checked(void **state)
{
	static const char *const names[] = { "_csv" };
	struct snap_filter f = { .names = names, .nnames = 1, .with_attrs = true,
	    .only = INTERP_NONE };
	struct session *s;
	struct snapshot *snap;
	struct run_result res;
	char *text = NULL, *cause = NULL;
	size_t len = 0, tried = 0, refused = 0;
	json_t *root;
	FILE *mem;

	(void)state;
	s = session_open_inprocess(&cause);
	assert_non_null(s);
	assert_int_equal(session_run(s, INTERP_NONE, "import _csv", RUN_STATEMENTS,
	    &res, &cause), 0);
	mem = open_memstream(&text, &len);
	assert_int_equal(session_snapshot_json(s, &f, mem, &cause), 0);
	fclose(mem);
	session_close(s);
	snap = codec_snapshot_parse(text, len, &cause);
	if (snap == NULL)
		fail_msg("a real snapshot was refused: %s", cause);
	assert_int_equal(snap->nmodules, 1);
	snapshot_free(snap);
	root = json_loadb(text, len, 0, NULL);
	assert_non_null(root);
	mutate_each(root, root, &tried, &refused);
	json_decref(root);
	free(text);
	/* most members are required; the optional ones (owner, preview, ...)
	 * may go */
	assert_true(tried > 100);
	assert_true(refused > tried / 2);
	assert_null(codec_snapshot_parse("[]", 2, &cause));
	assert_non_null(strstr(cause, "malformed snapshot"));
	free(cause);
	assert_null(codec_snapshot_parse("{", 1, &cause));
	free(cause);
}

/* ---------------------------------------------------------- a real host */

struct host {
	pid_t pid;
	int sock;
};

static void
host_start(struct host *h)
{
	const char *exe = getenv("SUBREPL");
	int sv[2];
	json_t *hello;

	assert_non_null(exe);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	h->pid = fork();
	assert_true(h->pid >= 0);
	if (h->pid == 0) {
		child_signals_default();
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed test leaves none */
		dup2(sv[1], 3);
		execl(exe, "subrepl", "--host=3", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	h->sock = sv[0];
	assert_int_equal(wire_recv(h->sock, &hello, NULL), 0);
	assert_true(json_is_true(json_object_get(hello, "ok")));
	json_decref(hello);
}

/* Send a frame's text; the reply's cause, or NULL when it was ok. */
static char *
host_ask(struct host *h, const char *text)
{
	json_t *reply;
	const char *c;
	char *cause;

	assert_int_equal(wire_write(h->sock, text, strlen(text), NULL), 0);
	if (wire_recv(h->sock, &reply, NULL) != 0)
		fail_msg("the host died on: %s", text);
	if (json_is_true(json_object_get(reply, "ok"))) {
		json_decref(reply);
		return NULL;
	}
	c = json_string_value(json_object_get(reply, "cause"));
	assert_non_null(c);
	cause = strdup(c);
	json_decref(reply);
	return cause;
}

static void
expect_refusal(struct host *h, const char *text, const char *naming)
{
	char *cause = host_ask(h, text);

	if (cause == NULL)
		fail_msg("the host took: %s", text);
	if (strstr(cause, naming) == NULL)
		fail_msg("refusing %s, the host said '%s' (want '%s' in it)", text,
		    cause, naming);
	free(cause);
}

static void
test_host_refuses_malformed_requests(void **state)
{
	struct host h;
	int status;

	(void)state;
	host_start(&h);
	expect_refusal(&h, "not json", "not a JSON object");
	expect_refusal(&h, "[1, 2]", "not a JSON object");
	expect_refusal(&h, "{\"id\": 1}", "unknown request ''");
	expect_refusal(&h, "{\"op\": \"frobnicate\", \"id\": 2}",
	    "unknown request 'frobnicate'");
	expect_refusal(&h, "{\"op\": \"hello\", \"id\": 2}", "unknown request");
	expect_refusal(&h, "{\"op\": \"resolve\", \"id\": 3}", "'ref'");
	expect_refusal(&h, "{\"op\": \"resolve\", \"ref\": 3, \"id\": 3}", "'ref'");
	expect_refusal(&h, "{\"op\": \"run\", \"interp\": 0, \"source\": \"1\", "
	    "\"mode\": 7}", "'mode'");
	expect_refusal(&h, "{\"op\": \"run\", \"interp\": \"0\", \"source\": "
	    "\"1\", \"mode\": 0}", "'interp'");
	expect_refusal(&h, "{\"op\": \"import\", \"name\": \"json\", \"path\": "
	    "null, \"interps\": \"x\"}", "'interps'");
	expect_refusal(&h, "{\"op\": \"import\", \"name\": \"json\", \"path\": "
	    "null, \"interps\": [-5]}", "'interps'");
	expect_refusal(&h, "{\"op\": \"create\", \"request\": {\"preset\": 9}}",
	    "'request'");
	expect_refusal(&h, "{\"op\": \"snapshot\", \"filter\": {\"names\": [1], "
	    "\"shared_extensions\": false, \"with_attrs\": false, \"only\": -1, "
	    "\"deep\": false}}",
	    "'names'");
	expect_refusal(&h, "{\"op\": \"use\", \"interp\": 99}", "no interpreter");
	/* json_to writes where the descriptor riding on its frame says: none
	 * is refused, one on another request is closed unused */
	expect_refusal(&h, "{\"op\": \"json_to\", \"filter\": {\"names\": "
	    "[\"sys\"], \"shared_extensions\": false, \"with_attrs\": true, "
	    "\"only\": -1, \"deep\": false}}", "without the descriptor");
	{
		static const char ask[] = "{\"op\": \"json_to\", \"filter\": "
		    "{\"names\": [\"sys\"], \"shared_extensions\": false, "
		    "\"with_attrs\": true, \"only\": -1, \"deep\": false}}";
		static const char other[] = "{\"op\": \"current\"}";
		FILE *out = tmpfile();
		char text[64] = "";
		json_t *reply;

		assert_non_null(out);
		assert_int_equal(wire_write_fd(h.sock, ask, strlen(ask),
		    fileno(out), NULL), 0);
		assert_int_equal(wire_recv(h.sock, &reply, NULL), 0);
		assert_true(json_is_true(json_object_get(reply, "ok")));
		json_decref(reply);
		rewind(out);
		assert_non_null(fgets(text, sizeof text, out));
		assert_string_equal(text, "{\n");
		fclose(out);
		assert_int_equal(wire_write_fd(h.sock, other, strlen(other), 0,
		    NULL), 0);
		assert_int_equal(wire_recv(h.sock, &reply, NULL), 0);
		assert_true(json_is_true(json_object_get(reply, "ok")));
		json_decref(reply);
	}
	/* and it goes on serving */
	assert_null(host_ask(&h, "{\"op\": \"run\", \"interp\": 0, \"source\": "
	    "\"x = 1\", \"mode\": 1, \"id\": 9}"));
	assert_null(host_ask(&h, "{\"op\": \"quit\", \"id\": 10}"));
	assert_int_equal(waitpid(h.pid, &status, 0), h.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	close(h.sock);
}

static int
setup(void **state)
{
	const char *src = getenv("SRCDIR");
	char path[4096];

	(void)state;
	if (src == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/docs/protocol.md", src);
	doc = read_text_file(path);
	return doc[0] != '\0' ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	free(doc);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docs_name_every_operation_and_member),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_member_is_checked),
		cmocka_unit_test(test_snapshot_text_is_checked),
		cmocka_unit_test(test_host_refuses_malformed_requests),
	};

	return cmocka_run_group_tests_name("protocol", tests, setup, teardown);
}
