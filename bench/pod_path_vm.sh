#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/pod_path.sh inside the qemu guest of tests/integration/vm_lib.sh (Debian's kernel,
# which has vhost_net), so its "tap" path is a vhost-net tap with gso, against af_packet
# and a Linux bridge in the same guest, interleaved rounds as pod_path.sh does them.
# CAUTION: where /dev/kvm is PVM (kvm_pvm) the guest runs under TCG emulation (vm_lib.sh
# says which): then every figure is emulated and says nothing about real speed; only the
# ratios between paths in the same run mean anything, and little.
# Usage: sudo bench/pod_path_vm.sh [bin-dir (default build/bin)] [seconds (default 5)]
#   ROUNDS=<n> (default 5), VM_TIMEOUT=<s> (default 900) for the whole guest run
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${1:-$HERE/../build/bin}" && pwd) || exit 1
SECS=${2:-5}
LIG_PIDS=()
. "$HERE/../tests/integration/vm_lib.sh"
trap 'for p in "${LIG_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done' EXIT
trap 'exit 130' INT TERM
vm_check_host || exit 1
echo "guest: Debian kernel $(vm_kernel_version), qemu $(vm_accel), ${VM_CPUS} vCPUs, ${VM_MEM} MiB"
echo "host load before: $(cut -d' ' -f1-3 /proc/loadavg)"
vm_run "${VM_TIMEOUT:-900}" env ROUNDS="${ROUNDS:-5}" bash "$HERE/pod_path.sh" "$BIN" "$SECS"
