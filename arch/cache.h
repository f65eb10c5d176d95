/* Cache and TLB maintenance, by the rules of the Arm ARM (D7 and D8). */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <string.h>

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
 * Zeroes [va, va+size) and cleans and invalidates it to the Point of
 * Coherency, for memory a guest may read with its caches off. DC ZVA zeroes
 * a whole line: with the clean and the address step that is three
 * instructions a line, against eight stores and a clean for a loop of stores,
 * which matters for hundreds of MiB of guest RAM (make bench's Linux boot).
 * The edges that are not whole blocks of eight lines, and all of it where DC
 * ZVA is prohibited at this level (DCZID_EL0.DZP) or its block is not one
 * cache line, are zeroed with stores instead.
 */
static inline void dcache_zero_clean_poc(void *va, u64 size)
{
	u64 dczid = read_sysreg(dczid_el0), line = dcache_line_size(), step = 8 * line;
	u64 p = (u64)va, end = p + size, a = ALIGN_UP(p, step), b = ALIGN_DOWN(end, step);

	if ((dczid & BIT(4)) || (4UL << (dczid & 0xf)) != line || a >= b) {
		memset(va, 0, size);
		dcache_clean_inval_poc(va, size);
		return;
	}
	memset(va, 0, a - p);
	dcache_clean_inval_poc(va, a - p);
	/*
	 * A DC by address is ordered after the earlier DC ZVA of the same line
	 * without a barrier (Arm ARM, ordering of cache maintenance
	 * instructions): each line is zeroed before it is cleaned.
	 */
	p = a;
	for (u64 blocks = (b - a) / step; blocks; blocks--)
		__asm__ volatile(".rept 8\n\t"
				 "dc zva, %0\n\t"
				 "dc civac, %0\n\t"
				 "add %0, %0, %1\n\t"
				 ".endr"
				 : "+r"(p)
				 : "r"(line)
				 : "memory");
	memset((void *)b, 0, end - b);
	dcache_clean_inval_poc((void *)b, end - b);
}

/**
 * Copies [src, src+size) to dst and cleans and invalidates the copy to the
 * Point of Coherency, for a guest that reads it with its caches off: four
 * LDP and four STP move 64 bytes, with writeback instead of address
 * arithmetic, and one DC CIVAC follows their stores (ordered after them by
 * the same line, as above): 20 instructions for 128 bytes, where memcpy()
 * and a separate clean take over 50 (make bench: guest kernels are tens of
 * MiB). src may have any alignment: the MMU is on, and EL2 accesses to
 * Normal memory may be unaligned (SCTLR_EL2.A is 0). Copies whole 128-byte
 * blocks only, and none unless dst is 64-byte aligned and the smallest data
 * cache line at least 64 bytes (so each 64 bytes lie in one line). Returns
 * how many bytes it copied: the caller copies the rest.
 */
static inline u64 dcache_copy_clean_poc(void *dst, const void *src, u64 size)
{
	u64 n = ALIGN_DOWN(size, 128), s = (u64)src;
	/* q is 64 bytes below the line being written: the last STP moves it there. */
	u64 q = (u64)dst - 64, last = q + n;
	u64 a0, a1, a2, a3, a4, a5, a6, a7;

	if (dcache_line_size() < 64 || ((u64)dst & 63))
		return 0;
	while (q != last)
		__asm__ volatile(".rept 2\n\t"
				 "ldp %2, %3, [%1, #16]\n\t"
				 "ldp %4, %5, [%1, #32]\n\t"
				 "ldp %6, %7, [%1, #48]\n\t"
				 "ldp %8, %9, [%1], #64\n\t"
				 "stp %2, %3, [%0, #80]\n\t"
				 "stp %4, %5, [%0, #96]\n\t"
				 "stp %6, %7, [%0, #112]\n\t"
				 "stp %8, %9, [%0, #64]!\n\t"
				 "dc civac, %0\n\t"
				 ".endr"
				 : "+r"(q), "+r"(s), "=&r"(a0), "=&r"(a1), "=&r"(a2), "=&r"(a3),
				   "=&r"(a4), "=&r"(a5), "=&r"(a6), "=&r"(a7)
				 :
				 : "memory");
	dsb(sy);
	return n;
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
