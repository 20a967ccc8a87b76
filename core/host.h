/*
 * host.h: the host process's side of the supervised session. The front end
 * starts `subrepl --host=FD`, whose main() calls host_serve(FD).
 */
#ifndef SUBREPL_HOST_H
#define SUBREPL_HOST_H

/* Serve the session API on the socket fd until the front end leaves;
 * returns the process's exit status. */
int host_serve(int fd);

#endif
