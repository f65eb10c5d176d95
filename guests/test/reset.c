/*
 * PSCI SYSTEM_RESET: the VM starts again from a pristine image with its
 * memory cleared and only vCPU 0 on; SYSTEM_OFF of the last VM then ends
 * the machine. Both happen while the other vCPUs are busy in guest code, so
 * the hypervisor must pull them out (an SGI to their physical CPUs).
 */
#include "rt.h"

#define MARK_OFFSET (32UL << 20)
#define MARK 0x600dbeefcafe0001UL

/* Initialised data lives in the image: a pristine reload brings the first value back. */
static volatile u32 image_word = 0xfeed;

extern char secondary_entry[];

static volatile u64 spinning[8];

/* Secondary vCPUs stay busy in the guest until the VM goes away under them. */
void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	(void)sctlr;
	(void)daif;
	for (;;) {
		spinning[ctx]++;
		delay_ticks(1000);
	}
}

/*
 * With SME, enter streaming mode and leave it on: the hypervisor must still
 * be able to clear FP/SIMD state when it restarts the VM.
 */
static void leave_sme_streaming_on(void)
{
	u64 pfr1;

	__asm__ volatile("mrs %0, id_aa64pfr1_el1" : "=r"(pfr1));
	if (!((pfr1 >> 24) & 0xf))
		return;
	/* CPACR_EL1: SMEN, FPEN and ZEN all 0b11, no traps at EL1. */
	__asm__ volatile("msr cpacr_el1, %0\n"
			 "isb\n"
			 ".inst 0xd503437f\n" /* SMSTART SM */
			 ::"r"((3UL << 24) | (3UL << 20) | (3UL << 16))
			 : "memory");
	print("reset: SME streaming mode left on");
}

/* Starts every other vCPU and waits until each is running guest code. */
static void start_spinners(unsigned int vcpus, const char *name)
{
	unsigned int i;

	for (i = 1; i < vcpus; i++) {
		u64 end = counter() + 100000000UL;

		check(hvc0(PSCI_CPU_ON, i, (u64)secondary_entry, i) == 0, name, "CPU_ON %u", i);
		while (!spinning[i] && counter() < end)
			delay_ticks(1000);
		check(spinning[i] != 0, name, "vcpu%u never ran", i);
	}
}

void guest_main(void *dtb)
{
	u64 boots = hvc(HC_VM_BOOTS, 0, 0, 0).a1, base = 0, size = 0;
	unsigned int vcpus = (unsigned int)hvc(HC_VM_INFO, 0, 0, 0).a2, i;
	volatile u64 *mark;

	fdt_reg(dtb, "memory", &base, &size);
	mark = (volatile u64 *)(base + MARK_OFFSET);
	print("reset: boot %lu", boots);
	check(*mark == 0, "reset-memory-cleared", "boot %lu found 0x%lx", boots, *mark);
	check(image_word == 0xfeed, "reset-pristine-image", "boot %lu: initialised data reads 0x%x",
	      boots, image_word);
	if (boots == 1) {
		*mark = MARK;
		image_word = 0xdead;
		leave_sme_streaming_on();
		start_spinners(vcpus, "reset-first-boot");
		verdict("reset-first-boot");
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		print("FAIL reset: SYSTEM_RESET returned");
		return;
	}
	check(boots == 2, "reset-memory-cleared", "boot count %lu", boots);
	verdict("reset-memory-cleared");
	verdict("reset-pristine-image");
	for (i = 1; i < vcpus; i++)
		check(hvc0(PSCI_AFFINITY_INFO, i, 0, 0) == 1, "reset-vcpus-off",
		      "vcpu%u is not OFF after the reset", i);
	verdict("reset-vcpus-off");
	/* Power off with every vCPU busy: the machine must still go down. */
	start_spinners(vcpus, "reset-off-while-busy");
	verdict("reset-off-while-busy");
}
