# The project's own documentation, shipped in the distribution.
EXTRA_DIST += \
	Documentation/design.rst
