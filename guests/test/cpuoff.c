/*
 * Every vCPU of the VM ends with PSCI CPU_OFF, none with SYSTEM_OFF: the VM
 * must stop when the last one is off, and Partita, this being its only VM,
 * must power the machine off. The vCPUs hand over in a chain, each turning
 * off right after its CPU_ON of the next, before that one can have started:
 * a power-on still pending must keep the VM alive.
 */
#include "rt.h"

extern char secondary_entry[];

static void next_and_off(unsigned int me)
{
	unsigned int count = (unsigned int)hvc(HC_VM_INFO, 0, 0, 0).a2;

	print("cpuoff: vcpu%u of %u on", me, count);
	if (me + 1 < count &&
	    hvc0(PSCI_CPU_ON, me + 1, (u64)secondary_entry, me + 1) != RET_SUCCESS)
		print("FAIL cpuoff: CPU_ON(%u)", me + 1);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	print("FAIL cpuoff: CPU_OFF returned on vcpu%u", me);
	for (;;)
		__asm__ volatile("wfi");
}

void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	(void)sctlr;
	(void)daif;
	next_and_off((unsigned int)ctx);
}

void guest_main(void *dtb)
{
	(void)dtb;
	next_and_off(0);
}
