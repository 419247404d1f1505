# SPDX-License-Identifier: Apache-2.0
# Runs a command inside a small KVM guest that boots Debian's kernel (linux-image-amd64,
# which has vhost_net, unlike the kernel some hosts and CI runners have), so tests can
# reach kernel features the host lacks. The guest's userspace is the host's: the host's
# root filesystem is shared read-only over virtio-9p, so the guest runs this build's
# ligd/ligctl and the host's ip, iperf3, python3. /run, /tmp, /var/tmp are tmpfs in the
# guest; /run/vm is a writable host directory. The guest has no network device: only the namespaces it creates itself.
# Usage (after lib.sh): vm_run <timeout-s> <command...>; the command runs as root in the
# guest with the host's current directory; its output comes back over the serial
# console; vm_run returns its exit status (124 on timeout, 125 if the guest did not
# start). vm_check_host returns 1 (and says why, loudly) when no guest can run here.
# Needs: qemu-system-x86, linux-image-amd64, busybox-static (scripts/packages/vm.txt).
VM_PID=""
VM_MEM=${VM_MEM:-1024}
VM_CPUS=${VM_CPUS:-2}
# Modules the guest loads (their dependencies come from the kernel's modules.dep).
VM_MODULES="virtio_pci 9pnet_virtio 9p tun vhost_net veth bridge vxlan"

vm_kernel_version() {
	local k
	for k in /boot/vmlinuz-*; do
		[ -e "$k" ] || continue
		k=${k#/boot/vmlinuz-}
		[ -e "/lib/modules/$k/kernel/drivers/vhost/vhost_net.ko" ] ||
			[ -e "/lib/modules/$k/kernel/drivers/vhost/vhost_net.ko.xz" ] || continue
		echo "$k"
	done | sort -V | tail -n 1
}

# vm_accel: qemu's accelerator options. KVM where /dev/kvm is hardware virtualisation;
# where it is PVM (kvm_pvm: pagetable-based nesting, e.g. inside a Firecracker VM), KVM only
# runs PVM-enabled guest kernels and Debian's hangs before its first message, so the guest
# runs under TCG (emulation: boots in seconds, traffic an order of magnitude slower).
# VM_ACCEL=kvm|tcg overrides.
vm_accel() {
	local a=${VM_ACCEL:-}
	if [ -z "$a" ]; then
		a=kvm
		[ -d /sys/module/kvm_pvm ] && a=tcg
	fi
	case $a in
	kvm) echo "-enable-kvm -cpu host,-arch-capabilities" ;;
	*) echo "-accel tcg,thread=multi -cpu max" ;;
	esac
}

vm_check_host() {
	local what=""
	[ -e /dev/kvm ] || what="/dev/kvm is absent (no KVM on this host)"
	if [ -z "$what" ]; then
		command -v qemu-system-x86_64 >/dev/null || what="qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
		[ -x /bin/busybox ] || what="/bin/busybox missing (apt-get install busybox-static)"
		[ -n "$(vm_kernel_version)" ] || what="no /boot/vmlinuz-* with vhost_net.ko (apt-get install linux-image-amd64)"
	fi
	[ -z "$what" ] && return 0
	echo "################################################################"
	echo "### SKIPPED: no KVM guest can run here: $what"
	echo "### The vhost-net backend is NOT tested by this run."
	echo "################################################################"
	return 1
}

# vm_initramfs <dir> <kver>: writes <dir>/initrd.cpio: busybox, the modules with their
# dependencies in load order, and /init.
vm_initramfs() {
	local dir=$1 kver=$2 root=$1/initrd m dep f
	local mdir=/lib/modules/$kver
	mkdir -p "$root"/{bin,dev,proc,sys,host,mod}
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	: >"$root/mod/order"
	for m in $VM_MODULES; do
		dep=$(awk -v m="/$m.ko" 'index($1, m ":") || index($1, m ".xz:") { sub(":", "", $1); for (i = NF; i >= 1; i--) print $i }' \
			"$mdir/modules.dep" | head -n 20)
		[ -n "$dep" ] || { echo "vm: module $m not in $mdir/modules.dep" >&2; return 1; }
		for f in $dep; do
			grep -qx "$(basename "$f")" "$root/mod/order" && continue
			case $f in
			*.xz) xz -dc "$mdir/$f" >"$root/mod/$(basename "$f" .xz)"; f=${f%.xz} ;;
			*) cp "$mdir/$f" "$root/mod/" ;;
			esac
			basename "$f" >>"$root/mod/order"
		done
	done
	cat >"$root/init" <<'EOF'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
for m in $(/bin/busybox cat /mod/order); do /bin/busybox insmod /mod/$m 2>/dev/null; done
if ! /bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /host; then
	echo "VM_RC=125 (cannot mount the host root over 9p)"; /bin/busybox poweroff -f
fi
H=/host
/bin/busybox mount --rbind /dev $H/dev 2>/dev/null || /bin/busybox mount -t devtmpfs dev $H/dev
/bin/busybox mount -t proc proc $H/proc
/bin/busybox mount -t sysfs sys $H/sys
# The guest's /run, /tmp, /var/tmp are its own tmpfs; the host paths the command needs
# (its directory, script, binaries: listed in /run/vm/keep) stay visible where they lie
# below them (a checkout in /tmp, as CI's may be), bound from the host's copy.
/bin/busybox mkdir -p /vmshare
/bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 vmcmd /vmshare
for d in run tmp var/tmp; do
	/bin/busybox mkdir -p /keep/$d
	/bin/busybox mount --bind $H/$d /keep/$d
	/bin/busybox mount -t tmpfs -o mode=1777 tmpfs $H/$d
done
while read -r p; do
	for d in run tmp var/tmp; do
		case "$p" in
		/$d/*) /bin/busybox mkdir -p "$H$p" && /bin/busybox mount --bind "/keep/$d${p#/$d}" "$H$p" ;;
		esac
	done
done </vmshare/keep
/bin/busybox mkdir -p $H/dev/pts $H/dev/shm
/bin/busybox mount -t devpts devpts $H/dev/pts
/bin/busybox mount -t tmpfs tmpfs $H/dev/shm
/bin/busybox mkdir -p $H/run/vm
/bin/busybox mount --bind /vmshare $H/run/vm
/bin/busybox chroot $H /bin/sh -c 'ip link set lo up; cd "$(cat /run/vm/cwd)" && exec bash /run/vm/cmd' </dev/null
echo "VM_RC=$?"
/bin/busybox sync
/bin/busybox poweroff -f
EOF
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$dir/initrd.cpio"
}

vm_run() {
	local timeout=$1 kver vdir rc q
	shift
	kver=$(vm_kernel_version)
	vdir=$(mktemp -d /tmp/ligvm.XXXXXX)
	mkdir -p "$vdir/share"
	pwd >"$vdir/share/cwd"
	{
		pwd
		for a in "$@"; do
			case $a in
			/*) if [ -d "$a" ]; then echo "$a"; else dirname "$a"; fi ;;
			esac
		done
	} >"$vdir/share/keep"
	printf '%q ' "$@" >"$vdir/share/cmd"
	vm_initramfs "$vdir" "$kver" || { rm -rf "$vdir"; return 125; }
	# The guest's /run/vm is a writable host directory (vmcmd) that brings the command in;
	# everything else of the host is read-only.
	q=(qemu-system-x86_64 $(vm_accel) -m "$VM_MEM" -smp "$VM_CPUS" -nodefaults
		-no-reboot -display none -serial "file:$vdir/console" -nic none
		-kernel "/boot/vmlinuz-$kver" -initrd "$vdir/initrd.cpio"
		-append "console=ttyS0 ${VM_KLOG:-quiet loglevel=3} panic=-1 rdinit=/init"
		-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=$vdir/share,mount_tag=vmcmd,security_model=none,multidevs=remap")
	"${q[@]}" >"$vdir/qemu.log" 2>&1 &
	VM_PID=$!
	LIG_PIDS+=("$VM_PID")
	local t0=$SECONDS
	while kill -0 "$VM_PID" 2>/dev/null; do
		if [ $((SECONDS - t0)) -ge "$timeout" ]; then
			kill -KILL "$VM_PID" 2>/dev/null
			echo "vm: guest timed out after ${timeout} s" >&2
			break
		fi
		sleep 0.2
	done
	wait "$VM_PID" 2>/dev/null
	VM_PID=""
	tr -d '\r' <"$vdir/console" | grep -v '^VM_RC='
	rc=$(tr -d '\r' <"$vdir/console" | sed -n 's/^VM_RC=\([0-9]*\).*/\1/p' | tail -n 1)
	if [ -z "$rc" ]; then
		[ $((SECONDS - t0)) -ge "$timeout" ] && rc=124 || rc=125
		[ -s "$vdir/qemu.log" ] && sed 's/^/qemu: /' "$vdir/qemu.log" >&2
	fi
	rm -rf "$vdir"
	return "$rc"
}
