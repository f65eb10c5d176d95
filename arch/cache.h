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
 * Zeroes [va, va+size) with DC ZVA and cleans and invalidates it to the Point
 * of Coherency, for memory a guest may read with its caches off: about four
 * instructions a cache line instead of sixteen for a word loop and a clean,
 * which matters for hundreds of MiB of guest RAM (make bench's Linux boot).
 * Returns false, having done nothing, if DC ZVA is prohibited at this level
 * (DCZID_EL0.DZP), its block is not one cache line, or va and size are not
 * multiples of four lines: the caller then zeroes and cleans another way.
 */
static inline bool dcache_zero_clean_poc(void *va, u64 size)
{
	u64 dczid = read_sysreg(dczid_el0), line = dcache_line_size();
	u64 p = (u64)va, end = p + size;

	if ((dczid & BIT(4)) || (4UL << (dczid & 0xf)) != line || ((p | size) & (4 * line - 1)))
		return false;
	/* Each line is zeroed before it is cleaned: the same address orders them. */
	for (; p < end; p += 4 * line)
		__asm__ volatile("dc zva, %0\n\tdc zva, %1\n\tdc zva, %2\n\tdc zva, %3\n\t"
				 "dc civac, %0\n\tdc civac, %1\n\tdc civac, %2\n\tdc civac, %3"
				 :
				 : "r"(p), "r"(p + line), "r"(p + 2 * line), "r"(p + 3 * line)
				 : "memory");
	dsb(sy);
	return true;
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
