# kernel-lib.sh: guest-side shell functions for the kernel lane's tests.
#
# Sourced (with ". tests/kernel-lib.sh") by each test's script inside the
# guest booted by tests/kernel-vm; runs as root in the test's directory,
# which is shared with the host.  Nothing here runs on the host.

# kl_fail MESSAGE: prints MESSAGE and the test's exit status, then exits 1.
kl_fail () {
    echo "FAILED: $*" >&2
    exit 1
}

# kl_init: per-guest set-up: PATH, the test's directory in $kl_dir.
kl_init () {
    kl_dir=$(pwd)
    PATH=$PATH:/usr/sbin:/sbin
    export PATH
}
