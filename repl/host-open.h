/*
 * host-open.h: starting a supervised host, which is this very program run
 * again with --host; for the session and for throwaway ones (%bugs run).
 */
#ifndef SUBREPL_HOST_OPEN_H
#define SUBREPL_HOST_OPEN_H

#include "session.h"

#include "program-file.h"

/* A new session in a host started from this program's file, or NULL with
 * *cause (also when /proc cannot say which file that is). */
struct session *host_open(char **cause);

#endif
