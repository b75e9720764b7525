# The project's own documentation, shipped in the distribution.
EXTRA_DIST += \
	Documentation/design.rst \
	Documentation/scale-model.rst \
	Documentation/tc-provider.rst
