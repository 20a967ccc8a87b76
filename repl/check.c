/*
 * check.c: `subrepl check [OPTION]... TARGET...` (see check.h). Every
 * (target, scenario) pair is a job: a process of its own, forked from
 * here, that starts its own host, runs the scenario and sends its struct
 * check_result back through a pipe. Jobs run side by side, as many as
 * there are processors; one that outlives its bound is killed with its
 * whole process group (its host too), so nothing is left behind. Then the
 * verdicts, the reports and the exit status.
 */
#include "config.h"

#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check-report.h"
#include "check-result.h"
#include "check-scenario.h"
#include "check-verdict.h"
#include "clock.h"
#include "session.h"
#include "usage.h"
#include "xmalloc.h"


_Static_assert(sizeof ((struct check_report *)0)->results /
    sizeof ((struct check_report *)0)->results[0] >= 9,
    "a report has room for every scenario");

/* A job may take this many step bounds, plus a minute, before it is
 * killed as a whole (the churn scenario has sixty steps). */
#define JOB_STEPS 70

struct job {
	size_t target;
	size_t scenario;
	pid_t pid;               /* 0: not started; -1: finished */
	int fd;                  /* the result's pipe */
	double deadline;
	struct check_result res;
	size_t got;              /* bytes of res read */
};

struct options {
	const char *json;
	const char *junit;
	const char *python;
	bool want[16];           /* scenarios asked for (all by default) */
	double timeout;
	int jobs;
	bool quiet;
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "Usage: subrepl check [OPTION]... MODULE|PATH[:INITNAME]...\n"
	    "Run extension modules through sub-interpreter scenarios, each in a "
	    "fresh host,\n"
	    "and give a verdict per use: main only, legacy sub-interpreters, "
	    "isolated,\n"
	    "own GIL.\n"
	    "\n"
	    "      --json FILE     write the findings as JSON (- for standard "
	    "output)\n"
	    "      --junit FILE    write them as JUnit XML, one test case per "
	    "scenario\n"
	    "                      and per verdict\n"
	    "      --scenario ID,...  run only these scenarios\n"
	    "      --timeout S     bound every step (default 60 s)\n"
	    "      --jobs N        scenarios run at once (default: the "
	    "processors)\n"
	    "      --python PY     check that PY is the Python this subrepl "
	    "embeds\n"
	    "  -q, --quiet         no progress lines\n"
	    "  -h, --help          display this help and exit\n"
	    "\n"
	    "Scenarios:\n");
	for (i = 0; i < check_nscenarios; i++)
		fprintf(f, "  %-16s %s%s\n", check_scenarios[i].id,
		    check_scenarios[i].title, check_scenarios[i].needs_config ?
		    " (3.12+)" : "");
	fprintf(f,
	    "\n"
	    "Exit status: 0 if nothing is unsafe, 1 if a use is unsafe, the "
	    "module does\n"
	    "not import, or a scenario crashed or hung; 2 for bad usage.\n"
	    "See subrepl(1) and docs/check.md.\n");
}

#define bad_usage(...) \
	usage_error("subrepl check", "subrepl check --help", __VA_ARGS__)

/* MODULE, or PATH[:INITNAME] (a path has a '/' or ends in .so). */
static void
parse_target(const char *arg, struct check_target *t)
{
	const char *slash = strrchr(arg, '/'), *colon, *base;
	size_t n;

	memset(t, 0, sizeof *t);
	t->arg = arg;
	if (arg[0] == '\0')
		bad_usage("an empty target");
	if (slash == NULL && strstr(arg, ".so") == NULL) {
		if (strlen(arg) >= sizeof t->name)
			bad_usage("module name too long: '%.40s...'", arg);
		snprintf(t->name, sizeof t->name, "%s", arg);
		return;
	}
	colon = strrchr(slash != NULL ? slash : arg, ':');
	n = colon != NULL ? (size_t)(colon - arg) : strlen(arg);
	if (n >= sizeof t->path)
		bad_usage("path too long: '%.40s...'", arg);
	memcpy(t->path, arg, n);
	t->path[n] = '\0';
	if (access(t->path, R_OK) != 0)
		bad_usage("cannot read '%s': %s", t->path, strerror(errno));
	if (colon != NULL && colon[1] != '\0') {
		snprintf(t->name, sizeof t->name, "%s", colon + 1);
		return;
	}
	/* the init name is the file's name up to its first dot */
	base = strrchr(t->path, '/');
	base = base != NULL ? base + 1 : t->path;
	n = strcspn(base, ".");
	if (n == 0 || n >= sizeof t->name)
		bad_usage("cannot tell the init name of '%s': give PATH:INITNAME",
		    t->path);
	memcpy(t->name, base, n);
	t->name[n] = '\0';
}

static void
parse_scenarios(const char *list, struct options *o)
{
	char *copy = xstrdup(list), *save = NULL, *id;
	size_t i;

	memset(o->want, 0, sizeof o->want);
	for (id = strtok_r(copy, ",", &save); id != NULL;
	    id = strtok_r(NULL, ",", &save)) {
		const struct check_scenario *sc = check_scenario_find(id);

		if (sc == NULL)
			bad_usage("no scenario '%s' (subrepl check --help lists "
			    "them)", id);
		i = (size_t)(sc - check_scenarios);
		o->want[i] = true;
	}
	free(copy);
}

/* The embedded Python's version, "3.12.1" (the first word of
 * sys.version). */
static void
short_version(char *buf, size_t size)
{
	const char *v = session_linked_python();

	snprintf(buf, size, "%.*s", (int)strcspn(v, " "), v);
}

/* --python PY: this subrepl embeds one Python; PY must be that one. */
static int
same_python(const char *py)
{
	char cmd[PATH_MAX + 128], got[64] = "", want[64];
	FILE *p;

	if (strchr(py, '\'') != NULL)
		bad_usage("a Python path with a quote: '%s'", py);
	short_version(want, sizeof want);
	snprintf(cmd, sizeof cmd, "'%s' -c 'import sys; print(\"%%d.%%d.%%d\" "
	    "%% sys.version_info[:3])' 2>/dev/null", py);
	p = popen(cmd, "r");
	if (p == NULL || fgets(got, sizeof got, p) == NULL) {
		if (p != NULL)
			pclose(p);
		bad_usage("cannot run '%s'", py);
	}
	pclose(p);
	got[strcspn(got, "\n")] = '\0';
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "subrepl check: '%s' is Python %s; this subrepl "
		    "embeds %s. Build one for it (./configure --with-python=%s) "
		    "and run its check.\n", py, got, want, py);
		return -1;
	}
	return 0;
}

/* ----------------------------------------------------------------- jobs */

/* The job's process: its own process group (so a kill takes its host
 * too), what the host prints into a file of its own, the result down
 * the pipe. */
static void __attribute__((noreturn))
job_child(const struct check_target *t, const struct check_scenario *sc,
    const char *exe, double timeout, int out)
{
	struct check_result res;
	FILE *capture = tmpfile();
	size_t done = 0;

	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	if (capture != NULL) {
		dup2(fileno(capture), STDOUT_FILENO);
		dup2(fileno(capture), STDERR_FILENO);
	}
	check_scenario_run(sc, t, exe, timeout,
	    capture != NULL ? fileno(capture) : -1, &res);
	while (done < sizeof res) {
		ssize_t n = write(out, (char *)&res + done, sizeof res - done);

		if (n <= 0 && errno != EINTR)
			_exit(1);
		if (n > 0)
			done += (size_t)n;
	}
	_exit(0);
}

static int
job_start(struct job *j, const struct check_target *targets,
    const char *exe, double timeout)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	j->pid = fork();
	if (j->pid < 0) {
		close(fds[0]);
		close(fds[1]);
		j->pid = 0;
		return -1;
	}
	if (j->pid == 0) {
		close(fds[0]);
		job_child(&targets[j->target], &check_scenarios[j->scenario], exe,
		    timeout, fds[1]);
	}
	setpgid(j->pid, j->pid);  /* as the child does: no race either way */
	close(fds[1]);
	j->fd = fds[0];
	j->got = 0;
	j->deadline = monotonic_seconds() + timeout * JOB_STEPS + 60;
	return 0;
}

/* The job's process ended (or was killed): its result, or what happened. */
static void
job_reap(struct job *j, bool killed, double timeout)
{
	int status = 0;

	close(j->fd);
	kill(-j->pid, SIGKILL);   /* whatever of its group is left: a host */
	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		;
	j->pid = -1;
	if (j->got == sizeof j->res)
		return;
	memset(&j->res, 0, sizeof j->res);
	j->res.facts.multi_interp = j->res.facts.gil = -1;
	if (killed) {
		j->res.outcome = CHECK_TIMED_OUT;
		snprintf(j->res.step, sizeof j->res.step, "the whole scenario");
		snprintf(j->res.detail, sizeof j->res.detail, "it did not end "
		    "within %.0f s and was killed with its host", timeout *
		    JOB_STEPS + 60);
	} else {
		j->res.outcome = CHECK_FAILED;
		snprintf(j->res.step, sizeof j->res.step, "the checker itself");
		snprintf(j->res.detail, sizeof j->res.detail, "the scenario's "
		    "process ended (%s %d) without a result", WIFSIGNALED(status) ?
		    "signal" : "status", WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
	}
}

static void
progress(const struct job *j, const struct check_target *targets,
    size_t done, size_t total)
{
	fprintf(stderr, "[%zu/%zu] %s: %s: %s (%.1f s)\n", done, total,
	    targets[j->target].arg, check_scenarios[j->scenario].title,
	    check_outcome_name(j->res.outcome), j->res.seconds);
}

/* Run every job, at most `parallel` at once. */
static void
run_jobs(struct job *jobs, size_t n, const struct check_target *targets,
    const char *exe, const struct options *o)
{
	struct pollfd *p = xcalloc(n + 1, sizeof *p);
	size_t *which = xcalloc(n + 1, sizeof *which);
	size_t next = 0, done = 0, running = 0, i, k;
	bool show = !o->quiet && isatty(STDERR_FILENO);

	while (done < n) {
		while (next < n && running < (size_t)o->jobs) {
			if (job_start(&jobs[next], targets, exe, o->timeout) != 0) {
				jobs[next].pid = -1;
				jobs[next].res.outcome = CHECK_FAILED;
				snprintf(jobs[next].res.detail,
				    sizeof jobs[next].res.detail, "cannot start the "
				    "scenario's process: %s", strerror(errno));
				done++;
			} else
				running++;
			next++;
		}
		for (i = 0, k = 0; i < next; i++) {
			if (jobs[i].pid > 0) {
				p[k].fd = jobs[i].fd;
				p[k].events = POLLIN;
				which[k++] = i;
			}
		}
		if (k == 0)
			continue;
		if (poll(p, k, 200) < 0 && errno != EINTR)
			break;
		for (i = 0; i < k; i++) {
			struct job *j = &jobs[which[i]];
			bool killed = false;
			ssize_t r = 0;

			if (p[i].revents != 0) {
				r = read(j->fd, (char *)&j->res + j->got,
				    sizeof j->res - j->got);
				if (r > 0) {
					j->got += (size_t)r;
					if (j->got < sizeof j->res)
						continue;
				} else if (r < 0 && errno == EINTR)
					continue;
			} else if (monotonic_seconds() > j->deadline)
				killed = true;
			else
				continue;
			job_reap(j, killed, o->timeout);
			running--;
			done++;
			if (show)
				progress(j, targets, done, n);
		}
	}
	free(p);
	free(which);
}

/* ----------------------------------------------------------------- main */

static bool
report_unsafe(const struct check_report *r)
{
	size_t i;
	int u;

	for (u = 0; u < USE_COUNT; u++) {
		if (r->verdicts[u].verdict == VERDICT_UNSAFE ||
		    r->verdicts[u].verdict == VERDICT_BROKEN)
			return true;
	}
	for (i = 0; i < check_nscenarios; i++) {
		if (r->results[i] != NULL &&
		    (r->results[i]->outcome == CHECK_CRASHED ||
		    r->results[i]->outcome == CHECK_TIMED_OUT))
			return true;
	}
	return false;
}

static int
write_file(const char *path, const struct check_report *reports, size_t n,
    const char *python, int status, bool junit)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int rc;

	if (f == NULL) {
		fprintf(stderr, "subrepl check: cannot write '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	rc = junit ? check_report_junit(f, reports, n, python) :
	    check_report_json(f, reports, n, python, status);
	if ((f != stdout ? fclose(f) : fflush(f)) != 0 || rc != 0) {
		fprintf(stderr, "subrepl check: cannot write '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
check_main(int argc, char **argv, const char *exe)
{
	static const struct option longopts[] = {
		{ "json", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'u' },
		{ "scenario", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "python", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .timeout = 60, .quiet = false };
	char python[64];
	struct check_target *targets;
	struct check_report *reports;
	struct job *jobs;
	size_t ntargets, njobs = 0, i, t;
	char *end;
	int c, status = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	short_version(python, sizeof python);
	for (i = 0; i < check_nscenarios; i++)
		o.want[i] = true;
	o.jobs = cpus > 0 ? (int)cpus : 2;
	if (o.jobs < 2)
		o.jobs = 2;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = optarg;
			break;
		case 'u':
			o.junit = optarg;
			break;
		case 's':
			parse_scenarios(optarg, &o);
			break;
		case 't':
			o.timeout = strtod(optarg, &end);
			if (*end != '\0' || !(o.timeout > 0) || o.timeout > 86400)
				bad_usage("--timeout takes seconds (0 < S <= 86400), "
				    "not '%s'", optarg);
			break;
		case 'J':
			o.jobs = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o.jobs < 1 || o.jobs > 256)
				bad_usage("--jobs takes 1 to 256, not '%s'", optarg);
			break;
		case 'p':
			o.python = optarg;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt != 0 && strchr("jusJtp", optopt) == NULL)
				bad_usage("invalid option '-%c'", optopt);
			bad_usage("'%s' needs a value or is not an option",
			    argv[optind - 1]);
		}
	}
	if (optind >= argc)
		bad_usage("give at least one MODULE or PATH to check");
	if (o.python != NULL && same_python(o.python) != 0)
		return EXIT_USAGE;
	ntargets = (size_t)(argc - optind);
	targets = xcalloc(ntargets, sizeof *targets);
	for (t = 0; t < ntargets; t++)
		parse_target(argv[optind + (int)t], &targets[t]);

	signal(SIGPIPE, SIG_IGN);
	/* jobs side by side, each a front end and a host, on every CPU: a
	 * job waiting for its host on the CPU, or merging on a second thread,
	 * takes it from another job's host (waiting: 7 % slower) */
	if (o.jobs > 1 && 2L * o.jobs > cpus)
		session_share_cpus(true);
	jobs = xcalloc(ntargets * check_nscenarios, sizeof *jobs);
	for (t = 0; t < ntargets; t++) {
		for (i = 0; i < check_nscenarios; i++) {
			if (!o.want[i])
				continue;
			jobs[njobs].target = t;
			jobs[njobs].scenario = i;
			njobs++;
		}
	}
	run_jobs(jobs, njobs, targets, exe, &o);

	reports = xcalloc(ntargets, sizeof *reports);
	for (t = 0; t < ntargets; t++)
		reports[t].target = &targets[t];
	for (i = 0; i < njobs; i++)
		reports[jobs[i].target].results[jobs[i].scenario] = &jobs[i].res;
	for (t = 0; t < ntargets; t++) {
		check_verdicts(reports[t].results, reports[t].verdicts);
		reports[t].unsafe = report_unsafe(&reports[t]);
		if (reports[t].unsafe)
			status = 1;
	}
	/* the text goes to stdout unless the JSON does */
	for (t = 0; t < ntargets; t++) {
		FILE *f = o.json != NULL && strcmp(o.json, "-") == 0 ? stderr :
		    stdout;

		if (t > 0)
			fputc('\n', f);
		check_report_text(f, &reports[t], python);
	}
	if (o.json != NULL && write_file(o.json, reports, ntargets, python,
	    status, false) != 0)
		status = status == 0 ? 1 : status;
	if (o.junit != NULL && write_file(o.junit, reports, ntargets, python,
	    status, true) != 0)
		status = status == 0 ? 1 : status;
	free(reports);
	free(jobs);
	free(targets);
	return status;
}
