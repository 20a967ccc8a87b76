# core/demo/: the demo extension modules, built with libtool as plain
# loadable modules (never linked against libpython) and installed under
# $(pkglibdir)/demo, where subrepl appends them to every sys.path.
demodir = $(pkglibdir)/demo
demo_LTLIBRARIES = \
	core/demo/demo_single.la \
	core/demo/demo_single_state.la \
	core/demo/demo_multi.la \
	core/demo/demo_multi_counter.la \
	core/demo/demo_static_type.la \
	core/demo/demo_crash.la \
	core/demo/demo_leaky.la \
	core/demo/demo_isolated.la \
	core/demo/demo_one_interp.la \
	core/demo/demo_first_owner.la

DEMO_CFLAGS = $(AM_CFLAGS) $(PYTHON_CFLAGS)
DEMO_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared

core_demo_demo_single_la_SOURCES = core/demo/demo_single.c
core_demo_demo_single_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_single_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_single_state_la_SOURCES = core/demo/demo_single_state.c
core_demo_demo_single_state_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_single_state_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_multi_la_SOURCES = core/demo/demo_multi.c
core_demo_demo_multi_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_multi_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_multi_counter_la_SOURCES = core/demo/demo_multi_counter.c
core_demo_demo_multi_counter_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_multi_counter_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_static_type_la_SOURCES = core/demo/demo_static_type.c
core_demo_demo_static_type_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_static_type_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_crash_la_SOURCES = core/demo/demo_crash.c
core_demo_demo_crash_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_crash_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_leaky_la_SOURCES = core/demo/demo_leaky.c
core_demo_demo_leaky_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_leaky_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_isolated_la_SOURCES = core/demo/demo_isolated.c
core_demo_demo_isolated_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_isolated_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_one_interp_la_SOURCES = core/demo/demo_one_interp.c
core_demo_demo_one_interp_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_one_interp_la_LDFLAGS = $(DEMO_LDFLAGS)
core_demo_demo_first_owner_la_SOURCES = core/demo/demo_first_owner.c
core_demo_demo_first_owner_la_CFLAGS = $(DEMO_CFLAGS)
core_demo_demo_first_owner_la_LDFLAGS = $(DEMO_LDFLAGS)

# Python imports the .so files; libtool's .la files are of no use there.
# Without them libtool's uninstall cannot find the .so files, so the
# uninstall hook removes those itself.
install-data-hook:
	for m in $(demo_LTLIBRARIES); do \
	  rm -f "$(DESTDIR)$(demodir)/`basename $$m`"; \
	done

uninstall-hook:
	for m in $(demo_LTLIBRARIES); do \
	  rm -f "$(DESTDIR)$(demodir)/`basename $$m .la`.so"; \
	done
