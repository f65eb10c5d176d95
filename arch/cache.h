/* Cache and TLB maintenance, by the rules of the Arm ARM (D7 and D8). */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include "arch/sysreg.h"

/** The smallest data cache line of this CPU, in bytes: the stride of by-address maintenance. */
static inline u64 dcache_line_size(void)
{
	/* CTR_EL0.DminLine is log2 of the number of words in the smallest line. */
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

/** Cleans [va, va+size) to the Point of Coherency, for observers with caches off. */
static inline void dcache_clean_poc(const void *va, u64 size)
{
	u64 line = dcache_line_size();
	u64 p = ALIGN_DOWN((u64)va, line);

	for (; p < (u64)va + size; p += line)
		__asm__ volatile("dc cvac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

/** Cleans and invalidates [va, va+size) to the Point of Coherency. */
static inline void dcache_clean_inval_poc(const void *va, u64 size)
{
	u64 line = dcache_line_size();
	u64 p = ALIGN_DOWN((u64)va, line);

	for (; p < (u64)va + size; p += line)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

/**
 * Invalidates [va, va+size) to the Point of Coherency without writing back.
 * Only for memory whose up-to-date copy is known to be in memory already.
 */
static inline void dcache_inval_poc(const void *va, u64 size)
{
	u64 line = dcache_line_size();
	u64 p = ALIGN_DOWN((u64)va, line);

	for (; p < (u64)va + size; p += line)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

/** Invalidates the whole instruction cache to the Point of Unification, all cores. */
static inline void icache_inval_all(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

#endif
