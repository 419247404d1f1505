#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The tap vhost-net backend against a real kernel's vhost_net: boots Debian's kernel in a
# qemu guest (vm_lib.sh; the host kernel may lack CONFIG_VHOST_NET) and runs
# test_tap_vhost.sh there unchanged on this build's ligd, where it finds /dev/vhost-net:
# pods on vhost taps bridged, routed and over VXLAN (to a second ligd and to a Linux
# peer), ping and iperf3 TCP both directions with default offloads, garbage virtio-net
# headers, restart, fd leak. VM_GUEST_TEST=vm_tap_vhost_guest.sh runs the shorter set
# (bridge, routed, garbage, restart, fd leak; every wait bounded) instead.
# Skips (loudly) only when no guest can run here; a guest that hangs is killed at
# VM_TIMEOUT and fails the test.
# Usage: test_tap_vhost_vm.sh <bin-dir>
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vm_lib.sh"
lig_test_init "$1"
HERE=$(cd "$(dirname "$0")" && pwd)

vm_check_host || exit 0
lig_log "guest: Debian kernel $(vm_kernel_version), qemu $(vm_accel)"
T0=$SECONDS
vm_run "${VM_TIMEOUT:-250}" bash "$HERE/${VM_GUEST_TEST:-test_tap_vhost.sh}" "$LIG_BIN" >"$LIG_TMP/guest.out" 2>&1
RC=$?
sed 's/^/  guest| /' "$LIG_TMP/guest.out"
lig_log "guest finished with status $RC after $((SECONDS - T0)) s"
lig_check "the guest's taps were on vhost-net (show hardware-interfaces says so)" \
	grep -q 'PASS: show hardware-interfaces names the.*vhost-net' "$LIG_TMP/guest.out"
lig_check "every check in the guest passed (status 0, no FAIL)" \
	sh -c "test $RC -eq 0 && ! grep -q '] FAIL: ' '$LIG_TMP/guest.out'"
lig_test_done
