/*
 * check-report.c: the three forms of a check's findings (see
 * check-report.h). The text is for a terminal or a CI log: per target its
 * facts, one line per scenario, then one per use with its verdict, the
 * finding that decides it and what to do. JSON and JUnit carry the same
 * data; docs/check.md describes the JSON.
 */
#include "config.h"

#include "check-report.h"

#include <string.h>

static const char *
kind_text(const struct check_facts *f)
{
	return f != NULL ? module_kind_name(f->kind) : "not loaded";
}

/* Under a crashed scenario: the fatal error's line and the Python frames
 * of its report (the innermost few), indented. */
static void
stack_excerpt(FILE *f, const char *stack)
{
	const char *line = stack, *nl;
	int frames = 0;

	for (; *line != '\0' && frames < 4; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		if (strncmp(line, "Fatal Python error:", 19) == 0 ||
		    strncmp(line, "  File ", 7) == 0) {
			fprintf(f, "      %.*s\n", (int)(nl - line), line);
			frames += line[0] == ' ';
		}
		if (*nl == '\0')
			break;
	}
}

void
check_report_text(FILE *f, const struct check_report *r, const char *python)
{
	const struct check_facts *fa = check_facts_of(r->results);
	char slots[2][200];
	size_t i;
	int u, width = 0;

	fprintf(f, "%s: %s", r->target->arg, kind_text(fa));
	if (fa != NULL && fa->has_def && (fa->kind == KIND_SINGLE ||
	    fa->kind == KIND_MULTI || fa->kind == KIND_BUILTIN_SINGLE ||
	    fa->kind == KIND_BUILTIN_MULTI))
		fprintf(f, ", m_size %ld", fa->m_size);
	if (fa != NULL && fa->file[0] != '\0')
		fprintf(f, ", %s", fa->file);
	fputc('\n', f);
	if (fa != NULL && fa->kind != KIND_PYTHON && fa->kind != KIND_FROZEN &&
	    fa->kind != KIND_NAMESPACE && fa->kind != KIND_OTHER) {
		check_slot_text(fa, true, python, slots[0], sizeof slots[0]);
		check_slot_text(fa, false, python, slots[1], sizeof slots[1]);
		fprintf(f, "  %s; %s\n", slots[0], slots[1]);
	}
	for (i = 0; i < check_nscenarios; i++) {
		if (r->results[i] != NULL &&
		    (int)strlen(check_scenarios[i].title) > width)
			width = (int)strlen(check_scenarios[i].title);
	}
	for (i = 0; i < check_nscenarios; i++) {
		const struct check_result *res = r->results[i];

		if (res == NULL)
			continue;
		fprintf(f, "  %-*s  %-9s %5.1f s", width, check_scenarios[i].title,
		    check_outcome_name(res->outcome), res->seconds);
		if (res->outcome != CHECK_OK)
			fprintf(f, "  %s%s%s", res->outcome == CHECK_SKIPPED ? "" :
			    res->step, res->outcome == CHECK_SKIPPED ? "" : ": ",
			    res->detail);
		if (res->chain[0] != '\0' && strchr(res->chain, '>') != NULL)
			fprintf(f, " (importing %s)", res->chain);
		fputc('\n', f);
		if (res->outcome == CHECK_CRASHED)
			stack_excerpt(f, res->stack);
	}
	fprintf(f, "  verdicts:\n");
	for (u = 0; u < USE_COUNT; u++) {
		const struct check_use_verdict *v = &r->verdicts[u];

		fprintf(f, "    %-24s %-16s %s\n", check_use_name(u),
		    check_verdict_name(v->verdict), v->why);
		if (v->advice != NULL && v->verdict != VERDICT_SAFE)
			fprintf(f, "    %-24s %-16s what to do: %s\n", "", "",
			    v->advice);
	}
}

/* ------------------------------------------------------------------ JSON */

static void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* "key": "text" or null for an empty text. */
static void
json_field(FILE *f, const char *key, const char *text, bool comma)
{
	fprintf(f, "\"%s\": ", key);
	if (text == NULL || text[0] == '\0')
		fputs("null", f);
	else
		json_string(f, text);
	if (comma)
		fputs(", ", f);
}

static const char *const use_keys[USE_COUNT] = { "main", "reinit",
	"legacy", "isolated", "own_gil" };

static const char *
verdict_key(enum check_verdict v)
{
	switch (v) {
	case VERDICT_SAFE:
		return "safe";
	case VERDICT_REFUSED:
		return "refused";
	case VERDICT_UNSAFE:
		return "unsafe";
	case VERDICT_BROKEN:
		return "broken";
	case VERDICT_UNKNOWN:
		break;
	}
	return "unknown";
}

static void
json_facts(FILE *f, const struct check_facts *fa, const char *python)
{
	char text[200];

	fputs("\"kind\": ", f);
	json_string(f, kind_text(fa));
	if (fa == NULL) {
		fputs(", \"m_size\": null, \"file\": null, \"multi_interp\": null, "
		    "\"gil\": null", f);
		return;
	}
	if (fa->has_def)
		fprintf(f, ", \"m_size\": %ld, ", fa->m_size);
	else
		fputs(", \"m_size\": null, ", f);
	json_field(f, "file", fa->file, true);
	check_slot_text(fa, true, python, text, sizeof text);
	fputs("\"multi_interp\": {\"value\": ", f);
	if (fa->multi_interp >= 0)
		fprintf(f, "%d", fa->multi_interp);
	else
		fputs("null", f);
	fputs(", \"means\": ", f);
	json_string(f, text);
	check_slot_text(fa, false, python, text, sizeof text);
	fputs("}, \"gil\": {\"value\": ", f);
	if (fa->gil >= 0)
		fprintf(f, "%d", fa->gil);
	else
		fputs("null", f);
	fputs(", \"means\": ", f);
	json_string(f, text);
	fputc('}', f);
}

static void
json_findings(FILE *f, const struct check_report *r)
{
	const struct check_findings *fi = NULL;
	size_t i;
	int k;

	for (i = 0; i < check_nscenarios; i++) {
		if (r->results[i] != NULL && r->results[i]->findings.walked)
			fi = &r->results[i]->findings;
	}
	if (fi == NULL) {
		fputs("\"findings\": null", f);
		return;
	}
	fprintf(f, "\"findings\": {\"crossing\": %d, \"dangerous\": %d, "
	    "\"entries\": %d, \"examples\": [", fi->crossing, fi->dangerous,
	    fi->entries);
	for (k = 0; k < fi->entries && k < CHECK_EXAMPLES; k++) {
		if (k > 0)
			fputs(", ", f);
		json_string(f, fi->examples[k]);
	}
	fprintf(f, "], \"statics\": %d, \"static_examples\": [", fi->statics);
	for (k = 0; k < fi->statics && k < CHECK_EXAMPLES; k++) {
		if (k > 0)
			fputs(", ", f);
		json_string(f, fi->static_examples[k]);
	}
	fprintf(f, "], \"static_types\": %d}", fi->static_types);
}

int
check_report_json(FILE *f, const struct check_report *r, size_t n,
    const char *python, int status)
{
	size_t t, i;
	int u;

	fputs("{\"python\": ", f);
	json_string(f, python);
	fputs(", \"targets\": [", f);
	for (t = 0; t < n; t++) {
		const struct check_report *rep = &r[t];
		bool first = true;

		fputs(t > 0 ? ",\n  {" : "\n  {", f);
		json_field(f, "target", rep->target->arg, true);
		json_field(f, "module", rep->target->name, true);
		json_facts(f, check_facts_of(rep->results), python);
		fputs(", \"scenarios\": [", f);
		for (i = 0; i < check_nscenarios; i++) {
			const struct check_result *res = rep->results[i];

			if (res == NULL)
				continue;
			fputs(first ? "\n    {" : ",\n    {", f);
			first = false;
			json_field(f, "id", check_scenarios[i].id, true);
			json_field(f, "title", check_scenarios[i].title, true);
			json_field(f, "outcome", check_outcome_name(res->outcome), true);
			json_field(f, "step", res->outcome == CHECK_OK ||
			    res->outcome == CHECK_SKIPPED ? NULL : res->step, true);
			json_field(f, "detail", res->detail, true);
			json_field(f, "stack", res->stack, true);
			json_field(f, "chain", res->chain, true);
			fprintf(f, "\"seconds\": %.3f", res->seconds);
			if (strcmp(check_scenarios[i].id, "churn") == 0)
				fprintf(f, ", \"rounds\": %d, \"rss_growth_kb\": %ld",
				    res->rounds, res->rss_growth_kb);
			fputc('}', f);
		}
		fputs("], ", f);
		json_findings(f, rep);
		fputs(", \"verdicts\": {", f);
		for (u = 0; u < USE_COUNT; u++) {
			const struct check_use_verdict *v = &rep->verdicts[u];

			fprintf(f, "%s\"%s\": {\"verdict\": \"%s\", ", u > 0 ? ", " :
			    "", use_keys[u], verdict_key(v->verdict));
			json_field(f, "why", v->why, true);
			json_field(f, "advice", v->advice, false);
			fputc('}', f);
		}
		fprintf(f, "}, \"unsafe\": %s}", rep->unsafe ? "true" : "false");
	}
	fprintf(f, "\n], \"status\": %d}\n", status);
	return ferror(f) ? -1 : 0;
}

/* ----------------------------------------------------------------- JUnit */

/* Text as XML character data or attribute value: the five entities, and
 * control characters XML 1.0 cannot hold shown as '?'. */
static void
xml_text(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&apos;", f);
		else if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
			fputc('?', f);
		else
			fputc(c, f);
	}
}

static bool
scenario_fails(const struct check_result *res)
{
	return res->outcome == CHECK_CRASHED || res->outcome == CHECK_TIMED_OUT ||
	    res->outcome == CHECK_FAILED;
}

static bool
verdict_fails(const struct check_use_verdict *v)
{
	return v->verdict == VERDICT_UNSAFE || v->verdict == VERDICT_BROKEN;
}

static void
junit_suite(FILE *f, const struct check_report *rep)
{
	int tests = USE_COUNT, failures = 0, skipped = 0, u;
	double seconds = 0;
	size_t i;

	for (i = 0; i < check_nscenarios; i++) {
		const struct check_result *res = rep->results[i];

		if (res == NULL)
			continue;
		tests++;
		seconds += res->seconds;
		failures += scenario_fails(res);
		skipped += res->outcome == CHECK_SKIPPED;
	}
	for (u = 0; u < USE_COUNT; u++) {
		failures += verdict_fails(&rep->verdicts[u]);
		skipped += rep->verdicts[u].verdict == VERDICT_UNKNOWN;
	}
	fputs("  <testsuite name=\"", f);
	xml_text(f, rep->target->arg);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
	    "skipped=\"%d\" time=\"%.3f\">\n", tests, failures, skipped, seconds);
	for (i = 0; i < check_nscenarios; i++) {
		const struct check_result *res = rep->results[i];

		if (res == NULL)
			continue;
		fputs("    <testcase classname=\"", f);
		xml_text(f, rep->target->arg);
		fputs(".scenario\" name=\"", f);
		xml_text(f, check_scenarios[i].id);
		fprintf(f, "\" time=\"%.3f\"", res->seconds);
		if (res->outcome == CHECK_OK) {
			fputs("/>\n", f);
			continue;
		}
		fputs(">\n", f);
		if (res->outcome == CHECK_SKIPPED) {
			fputs("      <skipped message=\"", f);
			xml_text(f, res->detail);
			fputs("\"/>\n", f);
		} else if (scenario_fails(res)) {
			fprintf(f, "      <failure type=\"%s\" message=\"",
			    check_outcome_name(res->outcome));
			xml_text(f, res->detail);
			fputs("\">", f);
			xml_text(f, res->step);
			fputc('\n', f);
			xml_text(f, res->stack);
			fputs("</failure>\n", f);
		} else {
			fputs("      <system-out>refused: ", f);
			xml_text(f, res->detail);
			fputs("</system-out>\n", f);
		}
		fputs("    </testcase>\n", f);
	}
	for (u = 0; u < USE_COUNT; u++) {
		const struct check_use_verdict *v = &rep->verdicts[u];

		fputs("    <testcase classname=\"", f);
		xml_text(f, rep->target->arg);
		fprintf(f, ".verdict\" name=\"%s\" time=\"0\">\n", use_keys[u]);
		if (verdict_fails(v)) {
			fprintf(f, "      <failure type=\"%s\" message=\"",
			    verdict_key(v->verdict));
			xml_text(f, v->why);
			fputs("\">", f);
			xml_text(f, v->advice);
			fputs("</failure>\n", f);
		} else if (v->verdict == VERDICT_UNKNOWN) {
			fputs("      <skipped message=\"", f);
			xml_text(f, v->why);
			fputs("\"/>\n", f);
		} else {
			fprintf(f, "      <system-out>%s: ",
			    check_verdict_name(v->verdict));
			xml_text(f, v->why);
			fputs("</system-out>\n", f);
		}
		fputs("    </testcase>\n", f);
	}
	fputs("  </testsuite>\n", f);
}

int
check_report_junit(FILE *f, const struct check_report *r, size_t n,
    const char *python)
{
	size_t t;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fputs("<testsuites name=\"subrepl check (Python ", f);
	xml_text(f, python);
	fputs(")\">\n", f);
	for (t = 0; t < n; t++)
		junit_suite(f, &r[t]);
	fputs("</testsuites>\n", f);
	return ferror(f) ? -1 : 0;
}
