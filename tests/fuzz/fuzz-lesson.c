/*
 * fuzz-lesson.c: libFuzzer harness for the lesson and bug file parser
 * (repl/lesson-file.c): a teacher's file is bytes subrepl did not write.
 * What parses must hold what the format promises (docs/lessons.md): a
 * Title, items of known kinds with their text, checks with the number of
 * interpreters their kind needs, every '!' under a check or a line; what
 * does not
 * parse gives one line naming the file.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-check.h"
#include "lesson-file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_file(const struct lesson_file *f)
{
	size_t i, j;

	FUZZ_CHECK(lesson_field(f, "title") != NULL);
	FUZZ_CHECK(f->name != NULL && f->path != NULL);
	for (i = 0; i < f->nfields; i++)
		FUZZ_CHECK(f->fields[i].key[0] != '\0' &&
		    strchr(f->fields[i].key, ':') == NULL &&
		    f->fields[i].value != NULL);
	for (i = 0; i < f->nitems; i++) {
		const struct lesson_item *it = &f->items[i];

		FUZZ_CHECK(it->line >= 1);
		FUZZ_CHECK(i == 0 || it->line > f->items[i - 1].line);
		switch (it->kind) {
		case ITEM_PAUSE:
			FUZZ_CHECK(it->text == NULL);
			break;
		case ITEM_CHECK:
			FUZZ_CHECK(it->text != NULL && it->text[0] != '\0');
			FUZZ_CHECK(strchr(it->text, '\n') == NULL);
			if (it->check == CHECK_SAME || it->check == CHECK_DIFFER)
				FUZZ_CHECK(it->ninterps >= 2);
			else
				FUZZ_CHECK(it->ninterps <= 1);
			for (j = 0; j < it->ninterps; j++)
				FUZZ_CHECK(it->interps[j][0] != '\0' &&
				    strpbrk(it->interps[j], " ,") == NULL);
			FUZZ_CHECK(lesson_check_name(it->check)[0] == '?');
			break;
		case ITEM_OTHERWISE:
			FUZZ_CHECK(i > 0 && (f->items[i - 1].kind == ITEM_CHECK ||
			    f->items[i - 1].kind == ITEM_INPUT ||
			    f->items[i - 1].kind == ITEM_OTHERWISE));
			/* fall through */
		case ITEM_INPUT:
		case ITEM_NARRATION:
			FUZZ_CHECK(it->text != NULL && strchr(it->text, '\n') == NULL);
			break;
		default:
			FUZZ_CHECK(!"an item of no known kind");
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lesson_file f;
	char *cause = NULL;

	if (lesson_file_parse("fuzz.tour", (const char *)data, size, &f,
	    &cause) == 0) {
		FUZZ_CHECK(cause == NULL);
		check_file(&f);
	} else {
		FUZZ_CHECK(cause != NULL && strchr(cause, '\n') == NULL);
		FUZZ_CHECK(strncmp(cause, "fuzz.tour", 9) == 0);
		free(cause);
	}
	lesson_file_free(&f);
	return 0;
}
