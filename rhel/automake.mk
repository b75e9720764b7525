# RPM packaging, shipped in the release tarball.  The spec is generated
# by configure (its version is AC_INIT's).
EXTRA_DIST += \
	rhel/ovs-rdma.spec.in \
	rhel/ovs-rdma.sysconfig \
	rhel/ovs-rdmad.service \
	rhel/rpmlint-debian.toml
DISTCLEANFILES += rhel/ovs-rdma.spec
dist-hook: rhel-spec-dist
rhel-spec-dist:
	cp rhel/ovs-rdma.spec $(distdir)/rhel/
.PHONY: rhel-spec-dist

# "make rpm": binary RPMs in _packages/rpm/RPMS.  Source1, the Open
# vSwitch release tarball, is $(OVS_SOURCE_TARBALL): by default Debian's
# openvswitch-source tarball, which holds the same release tree.
# --nodeps: on a Debian host rpm's database knows none of the build
# dependencies, which are installed as Debian packages.
OVS_SOURCE_TARBALL = /usr/src/openvswitch/openvswitch.tar.gz
RPMBUILD_FLAGS = --nodeps
rpm: dist
	rm -rf $(PACKAGES_DIR)/rpm
	mkdir -p $(PACKAGES_DIR)/rpm/SOURCES
	cp $(distdir).tar.gz $(PACKAGES_DIR)/rpm/SOURCES/
	cp $(OVS_SOURCE_TARBALL) \
		$(PACKAGES_DIR)/rpm/SOURCES/openvswitch-$(OVS_VERSION).tar.gz
	env -u MAKEFLAGS -u MAKELEVEL rpmbuild -bb $(RPMBUILD_FLAGS) \
		--define '_topdir $(PACKAGES_DIR)/rpm' rhel/ovs-rdma.spec
	@echo "packages in $(PACKAGES_DIR)/rpm/RPMS:"; \
		find $(PACKAGES_DIR)/rpm/RPMS -name '*.rpm'
.PHONY: rpm
