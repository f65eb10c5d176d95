/*
 * Two VMs at once, on different CPUs (run with partita.vms=2): each fills
 * its whole RAM with its own pattern, waits for the other to have done the
 * same, and must find only its own. Nothing outside its RAM is reachable:
 * not the hypervisor, not the other VM, not the host's devices.
 */
#include "rt.h"

#define SETTLE_TICKS 50000000UL /* long enough for the other VM to fill its RAM */

static u64 pattern(u64 vm, u64 addr)
{
	return (vm << 56) ^ (addr * 0x9e3779b97f4a7c15UL);
}

static void unreachable(u64 addr)
{
	struct exc_record *r = exc_last();
	u64 before = r->count, v = 0;

	expect_exception(0);
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	check(r->count == before + 1, "isolation-outside", "read 0x%lx: no abort (read 0x%lx)",
	      addr, v);
}

void guest_main(void *dtb)
{
	u64 vm = hvc(HC_VM_INFO, 0, 0, 0).a1, base = 0, size = 0, a, bad = 0;
	u64 start = ((u64)__guest_end + 0xfff) & ~0xfffUL;

	check(fdt_reg(dtb, "memory", &base, &size), "isolation-fill", "no memory node");
	print("vm%lu: filling 0x%lx-0x%lx", vm, start, base + size - 1);
	for (a = start; a < base + size; a += 8)
		*(volatile u64 *)a = pattern(vm, a);
	delay_ticks(SETTLE_TICKS);
	for (a = start; a < base + size; a += 8) {
		if (*(volatile u64 *)a != pattern(vm, a) && !bad++)
			check(false, "isolation-fill", "0x%lx holds 0x%lx", a, *(volatile u64 *)a);
	}
	check(!bad, "isolation-fill", "%lu words were not this VM's", bad);
	verdict("isolation-fill");

	unreachable(base + size);
	unreachable(base - 0x1000);
	unreachable(0x0);
	unreachable(0x08000000UL); /* GIC distributor */
	unreachable(0x09030000UL); /* the host's GPIO (its UART is emulated) */
	unreachable(0x48000000UL); /* where QEMU put the host's DTB */
	unreachable(base + 0x40000000UL);
	verdict("isolation-outside");
}
