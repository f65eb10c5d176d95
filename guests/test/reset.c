/*
 * PSCI SYSTEM_RESET: the VM starts again from a pristine image with its
 * memory cleared; SYSTEM_OFF of the last VM then ends the machine.
 */
#include "rt.h"

#define MARK_OFFSET (32UL << 20)
#define MARK 0x600dbeefcafe0001UL

/* Initialised data lives in the image: a pristine reload brings the first value back. */
static volatile u32 image_word = 0xfeed;

void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	(void)ctx;
	(void)sctlr;
	(void)daif;
}

void guest_main(void *dtb)
{
	u64 boots = hvc(HC_VM_BOOTS, 0, 0, 0).a1, base = 0, size = 0;
	volatile u64 *mark;

	fdt_reg(dtb, "memory", &base, &size);
	mark = (volatile u64 *)(base + MARK_OFFSET);
	print("reset: boot %lu", boots);
	check(*mark == 0, "reset-memory-cleared", "boot %lu found 0x%lx", boots, *mark);
	check(image_word == 0xfeed, "reset-pristine-image",
	      "boot %lu: initialised data reads 0x%x", boots, image_word);
	if (boots == 1) {
		*mark = MARK;
		image_word = 0xdead;
		verdict("reset-first-boot");
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		print("FAIL reset: SYSTEM_RESET returned");
		return;
	}
	check(boots == 2, "reset-memory-cleared", "boot count %lu", boots);
	verdict("reset-memory-cleared");
	verdict("reset-pristine-image");
}
