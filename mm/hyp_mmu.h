/*
 * The hypervisor's own EL2 stage-1 map: an identity map (VA == PA) of its
 * image, of RAM and of the devices it drives. Identity keeps the guest
 * loader and the allocator free of address conversions.
 */
#ifndef MM_HYP_MMU_H
#define MM_HYP_MMU_H

#include "arch/types.h"

/** The kinds of memory in the EL2 map, each with its permissions and attributes. */
enum hyp_mem {
	HYP_MEM_TEXT, /* read-only, executable */
	HYP_MEM_RODATA, /* read-only */
	HYP_MEM_RW, /* read-write, never executable */
	HYP_MEM_DEVICE, /* Device-nGnRE, read-write, never executable */
};

/** Builds the map of the image itself. Runs with the MMU off. Returns 0 or -E_NOMEM. */
int hyp_mmu_init(void);

/** Adds [pa, pa+size), widened to whole pages. Returns 0 or a negative error. */
int hyp_map(paddr_t pa, u64 size, enum hyp_mem kind);

/** EL2 MMU register values, for CPUs that load them before their first store. */
struct hyp_mmu_regs {
	u64 mair;
	u64 tcr;
	u64 ttbr;
	u64 sctlr;
};

/** Fills out with the values the boot CPU's EL2 MMU runs with: MAIR, TCR, TTBR0, SCTLR. */
void hyp_mmu_regs(struct hyp_mmu_regs *out);

/**
 * Turns on the boot CPU's EL2 MMU and caches. Invalidates the image from
 * the caches first: only for the boot CPU, before any other CPU runs.
 */
void hyp_mmu_enable_boot(void);

/** Lets table pages come from the page allocator once it is ready. */
void hyp_mmu_use_palloc(void);

#endif
