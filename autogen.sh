#!/bin/sh
# Regenerate configure and the Makefile templates from configure.ac and Makefile.am.
exec autoreconf -fi "$(dirname "$0")"
