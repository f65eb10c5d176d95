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
