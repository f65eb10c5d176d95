#!/bin/sh
# Runs the exit-path benchmark guest under Partita with QEMU -icount shift=0
# (one virtual nanosecond per instruction) and prints instructions per round
# trip. The count is exact and repeatable: no timing is involved.
set -eu
BUILD=${BUILD:-build}
out=$(timeout 120 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
	-cpu cortex-a57 -smp 1 -m 1G -icount shift=0 -display none -monitor none \
	-serial stdio -nic none -kernel "$BUILD/partita.bin" \
	-initrd "$BUILD/guests/bench.vmimg" </dev/null) || {
	echo "bench: QEMU failed; its output:" >&2
	echo "$out" >&2
	exit 1
}
value() { echo "$out" | sed -n "s/^\[test0\] bench $1 \([0-9.]*\).*/\1/p" | tr -d '\r'; }
loop=$(value loop)
[ -n "$loop" ] || { echo "bench: no results; output:" >&2; echo "$out" >&2; exit 1; }
printf '%s\n' "Partita exit paths, QEMU $(qemu-system-aarch64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') -icount shift=0, cortex-a57, 10000 round trips"
printf '%-34s %12s %8s\n' "round trip" "instructions" "target"
printf '%-34s %12s %8s\n' "HVC, null hypercall" "$(value hvc)" "< 100"
printf '%-34s %12s %8s\n' "trapped sysreg (MRS ACTLR_EL1)" "$(value sysreg)" "-"
printf '%-34s %12s %8s\n' "emulated MMIO read (LDR W)" "$(value mmio-read)" "< 120"
printf '%-34s %12s %8s\n' "emulated MMIO write (STR WZR)" "$(value mmio-write)" "-"
printf '%-34s %12s %8s\n' "(guest loop alone, included above)" "$loop" ""

# Interrupt paths (bench/irqbench.c): the same guest natively (QEMU's GIC, no
# hypervisor) and under Partita, on GICv3 and on GICv2.
irqv() { echo "$2" | sed -n "s/^\(\[test0\] \)\{0,1\}bench $1 \([0-9.]*\).*/\2/p" | tr -d '\r'; }
irq_table() {
	gic=$1
	irq_native=$(timeout 120 qemu-system-aarch64 -M virt,virtualization=off,gic-version=$gic \
		-cpu cortex-a57 -smp 2 -m 1G -icount shift=0 -display none -monitor none \
		-serial stdio -nic none -no-reboot -kernel "$BUILD/guests/native/irqbench.bin" </dev/null) || {
		echo "bench: QEMU failed on the native interrupt bench (GICv$gic); its output:" >&2
		echo "$irq_native" >&2
		exit 1
	}
	irq_partita=$(timeout 120 qemu-system-aarch64 -M virt,virtualization=on,gic-version=$gic \
		-cpu cortex-a57 -smp 2 -m 1G -icount shift=0 -display none -monitor none \
		-serial stdio -nic none -no-reboot -kernel "$BUILD/partita.bin" \
		-initrd "$BUILD/guests/irqbench.vmimg" </dev/null) || {
		echo "bench: QEMU failed on the interrupt bench under Partita (GICv$gic); its output:" >&2
		echo "$irq_partita" >&2
		exit 1
	}
	printf '\n%s\n' "Interrupt paths, GICv$gic, 2 vCPUs, 200 events each (native: the guest alone at EL1)"
	printf '%-34s %12s %8s %8s\n' "path" "instructions" "native" "target"
	for row in "irq-timer|virtual timer deadline to handler|<= 400" \
		"irq-sgi-self|SGI to self, send to handler|<= 400" \
		"irq-sgi-rtt|SGI round trip, vCPU 0 - 1|-"; do
		key=${row%%|*}
		rest=${row#*|}
		label=${rest%%|*}
		target=${rest#*|}
		p=$(irqv "$key" "$irq_partita")
		printf '%-34s %12s %8s %8s\n' "$label" "${p:--}" "$(irqv "$key" "$irq_native")" "$target"
	done
}
irq_table 3
irq_table 2

# Linux boot (guests/linux-bench.dts): Debian's kernel and the busybox
# initramfs with the same bootargs, natively and under Partita, -smp 2 (all
# CPUs share QEMU's one icount clock, so the figure is the sum of what every
# CPU executed). /init prints CNTVCT_EL0 after its banner and powers off
# (partita.bench in the bootargs). Natively the virtual counter counts from
# machine reset; under Partita from the VM's start, at the physical count
# Partita prints as "started at counter N": their sum counts from reset too.
# sleep=off: when every CPU waits (WFI), QEMU moves virtual time straight to
# the next timer deadline instead of letting it run with the host's clock,
# so a boot's figure does not depend on how busy the host is (the waits
# still count, as the virtual time they take).
#
# Like for like: the native boot that the target holds gets the very device
# tree Partita gave the VM (so Linux probes the same devices in both), read
# back from the VM's RAM once the guest has powered off: QEMU then pauses
# (-action shutdown=pause) instead of exiting, and its monitor saves the
# DTB from where partita-config says the layout puts it. QEMU puts the
# bootargs and initrd into /chosen of a -dtb itself, as for its own tree.
LINUX_KERNEL=${LINUX_KERNEL:-build/linux/Image}
LINUX_INITRD=${LINUX_INITRD:-build/linux/initrd.cpio.gz}
linux_cfg="$BUILD/configs/linux-bench.vmimg"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The blob is a 16-byte "partita,config" header and a DTB.
tail -c +17 "$linux_cfg" >"$tmp/config.dtb"
bootargs=$(fdtget "$tmp/config.dtb" /linux0 bootargs)
dtb_offset=$("$BUILD/partita-config" show "$linux_cfg" | sed -n 's/^  dtb .* at RAM + \(0x[0-9a-f]*\)$/\1/p')
lflags="-cpu cortex-a57 -smp 2 -icount shift=0,sleep=off -display none -nic none -no-reboot"
native_machine="virt,virtualization=off,gic-version=3,dtb-randomness=off"
linux_run() { # what, qemu arguments...
	what=$1
	shift
	# shellcheck disable=SC2086 # $lflags is a list of options
	timeout 600 qemu-system-aarch64 $lflags -monitor none -serial stdio "$@" </dev/null || {
		echo "bench: QEMU failed booting Linux $what (status $?)" >&2
		return 1
	}
}
ticks() { echo "$2" | sed -n "s/^\(\[linux0\] \)\{0,1\}Partita guest: counter \([0-9]*\) at \([0-9]*\) Hz.*/\\$1/p" | tr -d '\r'; }

# Under Partita, keeping the guest's DTB. The monitor's few lines of output
# fit in its pipe, which nobody needs to read.
mkfifo "$tmp/mon.in" "$tmp/mon.out"
# shellcheck disable=SC2086 # $lflags is a list of options
timeout 600 qemu-system-aarch64 $lflags -M virt,virtualization=on,gic-version=3 -m 1G \
	-kernel "$BUILD/partita.bin" -initrd "$linux_cfg" -action shutdown=pause \
	-monitor "pipe:$tmp/mon" -serial "file:$tmp/partita.out" </dev/null &
qemu_pid=$!
while kill -0 "$qemu_pid" 2>/dev/null && ! grep -q "^partita: every VM has stopped" "$tmp/partita.out" 2>/dev/null; do
	sleep 0.2
done
ram_pa=$(sed -n 's/^partita: vm0 linux0: .*(PA \(0x[0-9a-f]*\)).*/\1/p' "$tmp/partita.out" | tr -d '\r')
if kill -0 "$qemu_pid" 2>/dev/null && [ -n "$ram_pa" ] && [ -n "$dtb_offset" ]; then
	# Quoted: the monitor would read an unquoted /path as a division.
	# shellcheck disable=SC2016 # the inner shell expands $1 to $3
	timeout 10 sh -c 'printf "pmemsave %s 0x10000 \"%s\"\nquit\n" "$1" "$2" >"$3"' - \
		"$((ram_pa + dtb_offset))" "$tmp/guest.dtb" "$tmp/mon.in"
fi
wait "$qemu_pid" || echo "bench: QEMU failed booting Linux under Partita (status $?)" >&2
out_partita=$(cat "$tmp/partita.out")
[ -s "$tmp/guest.dtb" ] || {
	echo "bench: the guest's device tree could not be read back; Partita's output:" >&2
	echo "$out_partita" >&2
	exit 1
}
# Natively, with QEMU's own device tree (RAM 256 MiB, as the VM has).
out_native=$(linux_run natively -M "$native_machine" -m 256M -kernel "$LINUX_KERNEL" \
	-initrd "$LINUX_INITRD" -append "$bootargs") || { echo "$out_native" >&2; exit 1; }
# Natively with the VM's own device tree: like for like.
out_same=$(linux_run "natively (the VM's device tree)" -M "$native_machine" -m 256M \
	-dtb "$tmp/guest.dtb" -kernel "$LINUX_KERNEL" -initrd "$LINUX_INITRD" -append "$bootargs") || {
	echo "$out_same" >&2
	exit 1
}
start=$(echo "$out_partita" | sed -n 's/^partita: vm0 linux0: started at counter \([0-9]*\).*/\1/p' | tr -d '\r')
freq=$(ticks 3 "$out_native")
for v in "$(ticks 2 "$out_native")" "$(ticks 2 "$out_same")" "$(ticks 2 "$out_partita")" "$start"; do
	[ -n "$v" ] || {
		echo "bench: a Linux boot printed no counter; outputs:" >&2
		printf '%s\n' "$out_native" "$out_same" "$out_partita" >&2
		exit 1
	}
done
awk -v n="$(ticks 2 "$out_native")" -v t="$(ticks 2 "$out_same")" -v g="$(ticks 2 "$out_partita")" \
	-v s="$start" -v f="$freq" -v rel="$(head -n 1 build/linux/version 2>/dev/null)" 'BEGIN {
	k = 1e9 / f   # instructions per counter tick: one per ns under -icount shift=0
	N = n * k; T = t * k; S = s * k; G = g * k; P = S + G
	printf "\nLinux boot to the init banner, GICv3, cortex-a57, -smp 2, 256 MiB RAM (%s)\n", rel
	printf "%-44s %12s %8s %8s\n", "boot", "instructions", "ratio", "target"
	printf "%-44s %12.0f %8s %8s\n", "natively, the VM'\''s device tree", T, "1", "-"
	printf "%-44s %12.0f %8.4f %8s\n", "under Partita, from reset", P, P / T, "<= 1.03"
	printf "%-44s %12.0f %8s %8s\n", "  Partita entry to the VM'\''s start", S, "", "< 10M"
	printf "%-44s %12.0f %8.4f %8s\n", "  the guest, from its start", G, G / T, ""
	printf "%-44s %12.0f %8.4f %8s\n", "natively, QEMU'\''s device tree", N, N / T, "-"
	printf "%-44s %12.0f %8.4f %8s\n", "  under Partita, to this one", P, P / N, "<= 1.02"
}'
