/*
 * A guard, not CPython's header: the build puts this directory first on the
 * include path of repl/ and ui/, so including Python.h there stops the
 * build. Only core/ talks to CPython; front ends use core/session.h.
 */
#error "Python.h belongs to core/: front ends (repl/, ui/) use core/session.h"
