/*
 * SYSTEM_RESET while another vCPU keeps calling CPU_ON: a new boot starts
 * with vCPU 0 alone, and no vCPU may start in it unless this boot asked.
 * vCPU 1 calls CPU_ON(2) in a loop; vCPU 2, when it runs, leaves a mark in
 * RAM (cleared by every reset) and turns itself off. vCPU 0 checks for a
 * mark it did not cause, over BOOTS boots. Needs 3 vCPUs.
 */
#include "rt.h"

#define BOOTS 20
#define MARK_OFFSET (16UL << 20)
#define SETTLE 2000000UL

extern char secondary_entry[];

static volatile u32 *mark(void)
{
	return (volatile u32 *)(0x40000000UL + MARK_OFFSET);
}

void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	(void)sctlr;
	(void)daif;
	if (ctx == 2) {
		*mark() = 1;
		__asm__ volatile("dsb sy" ::: "memory");
		hvc(PSCI_CPU_OFF, 0, 0, 0);
	}
	for (;;)
		hvc(PSCI_CPU_ON, 2, (u64)secondary_entry, 2);
}

void guest_main(void *dtb)
{
	u64 boots = hvc(HC_VM_BOOTS, 0, 0, 0).a1;

	(void)dtb;
	/* Anything a stale vCPU 2 would do, it does in this time. */
	delay_ticks(SETTLE);
	if (!check(*mark() == 0, "reset-no-stale-cpu-on",
		   "boot %lu: vCPU 2 ran without a CPU_ON of this boot", boots) ||
	    boots >= BOOTS) {
		verdict("reset-no-stale-cpu-on");
		return;
	}
	check(hvc0(PSCI_CPU_ON, 1, (u64)secondary_entry, 1) == 0, "reset-no-stale-cpu-on",
	      "CPU_ON(1)");
	delay_ticks(SETTLE / 4);
	hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
}
