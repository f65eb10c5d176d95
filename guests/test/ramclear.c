/*
 * What a VM finds in its RAM when it starts, and again after a PSCI
 * SYSTEM_RESET that follows its filling all of RAM with a pattern: zeroes
 * everywhere but its images, the initrd byte for byte (the test makes one
 * whose end falls inside a cache line and a word), the DTB. The guest runs
 * with its MMU off, so it reads what reached memory (the Point of
 * Coherency), as any guest starting with its caches off does.
 */
#include "rt.h"

#define FILL 0xa5a5a5a5a5a5a5a5UL
#define SZ_2M 0x200000UL

/* The test's initrd: byte i is this. */
static u8 initrd_byte(u64 i)
{
	return (u8)(i * 131 + 7);
}

extern char __guest_end[];

/* The first address in [a, b) that is not zero, or 0. Words where both ends allow. */
static u64 first_nonzero(u64 a, u64 b)
{
	for (; a < b && (a & 7); a++)
		if (*(volatile u8 *)a)
			return a;
	for (; a + 8 <= b && !*(volatile u64 *)a; a += 8)
		;
	/* The byte itself, in the word found (or the tail). */
	for (; a < b; a++)
		if (*(volatile u8 *)a)
			return a;
	return 0;
}

static void fill(u64 a, u64 b)
{
	for (; a < b && (a & 7); a++)
		*(volatile u8 *)a = 0xa5;
	for (; a + 8 <= b; a += 8)
		*(volatile u64 *)a = FILL;
	for (; a < b; a++)
		*(volatile u8 *)a = 0xa5;
}

static u32 be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

void guest_main(void *dtb)
{
	u64 boots = hvc(HC_VM_BOOTS, 0, 0, 0).a1, base = 0, size = 0, is = 0, ie = 0, bad, i, probe,
	    fetch;
	u64 image_end = (u64)__guest_end, d = (u64)dtb, dend;
	/* Checked in address order: the image, the initrd, the DTB at the top of RAM. */
	bool ok = fdt_reg(dtb, "memory", &base, &size) &&
		  fdt_u64(dtb, "chosen", "linux,initrd-start", &is) &&
		  fdt_u64(dtb, "chosen", "linux,initrd-end", &ie);

	print("ramclear: boot %lu", boots);
	if (!check(ok, "ramclear-layout", "no memory node or no initrd in /chosen") ||
	    !check(image_end <= is && is < ie && ie <= d && d < base + size, "ramclear-layout",
		   "image end 0x%lx, initrd 0x%lx-0x%lx, DTB 0x%lx, RAM 0x%lx+0x%lx", image_end, is,
		   ie, d, base, size) ||
	    !check(be32(dtb) == 0xd00dfeed, "ramclear-layout", "no FDT magic at the DTB"))
		return;
	dend = d + be32((const u8 *)dtb + 4);
	verdict("ramclear-layout");
	/*
	 * Partita itself reads a 2 MiB block this boot has not touched yet
	 * (the console hypercall): it must print zeroes, not boot 1's fill,
	 * though the block is not mapped before its first use.
	 */
	probe = (is & ~(SZ_2M - 1)) - SZ_2M;
	if (probe >= image_end) {
		hvc(HC_CONSOLE_WRITE, probe, 4, 0);
		print(" <- ramclear: boot %lu probe", boots);
	}
	/*
	 * An instruction fetch as the first access to such a block: Partita
	 * zeroes and maps it, and the fetch reads 0, a UDF, which the guest
	 * takes itself as an unknown instruction, not as an injected abort.
	 */
	fetch = probe - SZ_2M;
	if (probe >= image_end && fetch >= image_end) {
		struct exc_record *r = exc_last();
		u64 before = r->count;

		expect_exception(RESUME_AT_LR);
		((void (*)(void))fetch)();
		check(r->count == before + 1 && (r->esr >> 26) == 0 && r->elr == fetch,
		      "ramclear-fetch", "boot %lu: %lu exceptions, ESR 0x%lx at 0x%lx", boots,
		      r->count - before, r->esr, r->elr);
		verdict("ramclear-fetch");
	}
	bad = first_nonzero(image_end, is);
	bad = bad ?: first_nonzero(ie, d);
	bad = bad ?: first_nonzero(dend, base + size);
	check(!bad, "ramclear-zero", "boot %lu: RAM at 0x%lx holds 0x%x", boots, bad,
	      bad ? *(volatile u8 *)bad : 0);
	for (i = 0; i < ie - is; i++)
		if (*(volatile u8 *)(is + i) != initrd_byte(i))
			break;
	check(i == ie - is, "ramclear-initrd", "boot %lu: initrd byte %lu of %lu reads 0x%x", boots,
	      i, ie - is, i < ie - is ? *(volatile u8 *)(is + i) : 0);
	if (boots == 1) {
		/* Everything after the image, initrd and DTB included: a reset must restore them. */
		fill(image_end, base + size);
		print("ramclear: RAM filled; resetting");
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		print("FAIL ramclear-reset: SYSTEM_RESET returned");
		return;
	}
	check(boots == 2, "ramclear-reset", "boot count %lu", boots);
	verdict("ramclear-zero");
	verdict("ramclear-initrd");
	verdict("ramclear-reset");
}
