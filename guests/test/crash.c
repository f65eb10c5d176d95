/*
 * One VM breaks, the other carries on (run with partita.vms=2). VM 0 points
 * its exception vectors outside its memory and executes UDF: the hypervisor
 * must stop VM 0 with a log line. VM 1 keeps using the hypervisor (faults,
 * hypercalls, MMIO) after that and then powers off, which ends the machine.
 */
#include "rt.h"

#define BREAK_DELAY 20000000UL

static void break_vm(void)
{
	print("vm0: moving the vectors outside memory and executing UDF");
	__asm__ volatile("msr vbar_el1, %0\n"
			 "isb\n"
			 "udf #0\n" ::"r"(0x10000000UL)
			 : "memory");
	print("FAIL crash-stops-vm: still running after the fault");
}

void guest_main(void *dtb)
{
	u64 vm = hvc(HC_VM_INFO, 0, 0, 0).a1, v = 0;
	struct exc_record *r = exc_last();
	unsigned int i;

	(void)dtb;
	if (vm == 0) {
		break_vm();
		return;
	}
	/* Give VM 0 time to break, then use everything that exits. */
	delay_ticks(BREAK_DELAY);
	for (i = 0; i < 100; i++) {
		expect_exception(0);
		__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(0x0UL) : "memory");
		check(hvc0(HC_NULL, 0, 0, 0) == 0, "other-vm-serves", "null hypercall");
		*(volatile u32 *)TESTDEV = i;
		check(*(volatile u32 *)TESTDEV == i, "other-vm-serves", "test device");
	}
	check(r->count == 100, "other-vm-serves", "%lu aborts, not 100", r->count);
	/*
	 * One more abort after the rate limit's window has surely closed makes
	 * Partita say how many of the 100 warnings it held back.
	 */
	delay_ticks(counter_frequency() * 3 / 2);
	expect_exception(0);
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(0x0UL) : "memory");
	check(r->count == 101, "other-vm-serves", "%lu aborts, not 101", r->count);
	verdict("other-vm-serves");
}
