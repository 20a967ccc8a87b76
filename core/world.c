/*
 * world.c: stopping the world for a walk (see world.h).
 */
#include "config.h"

#include "world.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interp.h"
#include "interrupt.h"

/* How long a GIL may take to come: a thread holding it is at most a
 * switch interval (5 ms) from letting go, unless it is blocked. */
#define PARK_WAIT_MS 2000

struct parker {
	PyInterpreterState *interp;
	interp_id id;
	pthread_t thread;
	bool started;
	bool parked;       /* it holds the interpreter's GIL */
	bool released;     /* the walk is over: let go */
	bool abandoned;    /* the wait timed out: let go as soon as held */
};

struct world {
	struct parker *parkers;
	size_t nparkers;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char note[160];
};

/* Threads of an interpreter besides our own thread state there. */
static size_t
other_threads(struct interp *it)
{
	PyThreadState *t;
	size_t n = 0;

	for (t = PyInterpreterState_ThreadHead(it->tstate->interp); t != NULL;
	    t = PyThreadState_Next(t)) {
		if (t != it->tstate)
			n++;
	}
	return n;
}

struct park_arg {
	struct world *w;
	struct parker *p;
};

static void *
park_main(void *arg)
{
	struct park_arg *pa = arg;
	struct world *w = pa->w;
	struct parker *p = pa->p;
	PyThreadState *ts;

	free(pa);
	ts = PyThreadState_New(p->interp);
	if (ts != NULL)
		PyEval_RestoreThread(ts); /* stops that interpreter */
	pthread_mutex_lock(&w->lock);
	p->parked = ts != NULL;
	pthread_cond_broadcast(&w->cond);
	while (!p->released && !p->abandoned)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	if (ts != NULL) {
		PyThreadState_Clear(ts);
		PyThreadState_DeleteCurrent();
	}
	return NULL;
}

struct world *
world_stop(void)
{
	struct world *w = calloc(1, sizeof *w);
	struct interp *it;
	size_t n = 0, threads = 0, parked = 0;
	struct timespec until;

	if (w == NULL)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	interrupt_block();
	interp_enter(interp_main());
	for (it = interp_first(); it != NULL; it = it->next)
		n++;
	w->parkers = calloc(n + 1, sizeof *w->parkers);
	if (w->parkers == NULL) {
		interp_leave(interp_main());
		interrupt_unblock();
		free(w);
		return NULL;
	}
	for (it = interp_first(); it != NULL; it = it->next) {
		struct parker *p;
		struct park_arg *pa;
		size_t others;

		if (it == interp_main() || !it->config.own_gil)
			continue;
		others = other_threads(it);
		if (others == 0)
			continue; /* only our thread state: nothing runs there */
		p = &w->parkers[w->nparkers++];
		p->interp = it->tstate->interp;
		p->id = it->id;
		threads += others;
		pa = malloc(sizeof *pa);
		if (pa == NULL)
			continue;
		pa->w = w;
		pa->p = p;
		p->started = pthread_create(&p->thread, NULL, park_main, pa) == 0;
		if (!p->started)
			free(pa);
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PARK_WAIT_MS / 1000;
	pthread_mutex_lock(&w->lock);
	for (n = 0; n < w->nparkers; n++) {
		struct parker *p = &w->parkers[n];

		while (p->started && !p->parked &&
		    pthread_cond_timedwait(&w->cond, &w->lock, &until) != ETIMEDOUT)
			;
		if (p->parked)
			parked++;
		else
			p->abandoned = true;
	}
	pthread_mutex_unlock(&w->lock);
	if (w->nparkers > 0)
		snprintf(w->note, sizeof w->note, "%zu thread%s of %zu own-GIL "
		    "interpreter%s stopped for the walk%s", threads,
		    threads == 1 ? "" : "s", w->nparkers,
		    w->nparkers == 1 ? "" : "s",
		    parked < w->nparkers ? "; some could not be stopped: their "
		    "objects were skipped" : "");
	return w;
}

bool
world_stopped(const struct world *w, interp_id id)
{
	size_t i;

	for (i = 0; i < w->nparkers; i++) {
		if (w->parkers[i].id == id)
			return !w->parkers[i].abandoned;
	}
	return true; /* the main GIL's, or no other threads */
}

const char *
world_note(const struct world *w)
{
	return w->note[0] != '\0' ? w->note : NULL;
}

void
world_resume(struct world *w)
{
	size_t i;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	for (i = 0; i < w->nparkers; i++)
		w->parkers[i].released = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->nparkers; i++) {
		if (!w->parkers[i].started)
			continue;
		if (w->parkers[i].parked)
			pthread_join(w->parkers[i].thread, NULL);
		else
			pthread_detach(w->parkers[i].thread);
	}
	interp_leave(interp_main());
	interrupt_unblock();
	/* an abandoned parker still refers to the world: keep it */
	for (i = 0; i < w->nparkers; i++) {
		if (w->parkers[i].started && !w->parkers[i].parked)
			return;
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->parkers);
	free(w);
}
