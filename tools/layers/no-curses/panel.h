/*
 * A guard, not the curses header: the build puts this directory first on
 * the include path of core/ and repl/, so including curses there stops the
 * build. Only ui/ draws, through ui/provide-curses.h.
 */
#error "curses belongs to ui/ (through ui/provide-curses.h), not to core/ or repl/"
