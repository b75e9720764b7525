# Debian packaging, shipped in the release tarball.
EXTRA_DIST += \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/librdmaovl-dev.install \
	debian/librdmaovl-preload.install \
	debian/librdmaovl0.install \
	debian/librdmaovl0.symbols \
	debian/ovs-rdma-client.install \
	debian/ovs-rdma.default \
	debian/ovs-rdma.install \
	debian/ovs-rdma.lintian-overrides \
	debian/ovs-rdma.ovs-rdmad.service \
	debian/ovs-rdma.postrm \
	debian/rules \
	debian/source/format \
	debian/tests/control \
	debian/tests/librdmaovl-pkgconfig \
	debian/tests/sandbox

# "make deb": binary packages built from the release tarball, in
# _packages/ (so that the package build's own configure and clean never
# touch this tree).  DEB_BUILD_OPTIONS passes through (e.g. nocheck).
PACKAGES_DIR = $(abs_builddir)/_packages
deb: dist
	rm -rf $(PACKAGES_DIR)/deb
	mkdir -p $(PACKAGES_DIR)/deb
	tar xzf $(distdir).tar.gz -C $(PACKAGES_DIR)/deb
	cd $(PACKAGES_DIR)/deb/$(distdir) \
		&& env -u MAKEFLAGS -u MAKELEVEL dpkg-buildpackage -b -us -uc
	@echo "packages in $(PACKAGES_DIR)/deb:"; ls $(PACKAGES_DIR)/deb/*.deb
.PHONY: deb

# The version in debian/changelog and the spec must be AC_INIT's.
check-version:
	@v=`sed -n '1s/^[^(]*(\([^)-]*\).*/\1/p' $(srcdir)/debian/changelog`; \
	if test "$$v" != "$(VERSION)"; then \
	  echo "debian/changelog's version is $$v but configure.ac's AC_INIT says $(VERSION): add a debian/changelog entry (dch -v $(VERSION))" >&2; \
	  exit 1; \
	fi
	@v=`sed -n 's/^Version: *//p' rhel/ovs-rdma.spec`; \
	if test "$$v" != "$(VERSION)"; then \
	  echo "rhel/ovs-rdma.spec says version $$v, AC_INIT $(VERSION): re-run configure" >&2; \
	  exit 1; \
	fi
.PHONY: check-version
dist-hook: check-version

clean-local: clean-packages
clean-packages:
	rm -rf _packages
.PHONY: clean-packages
