/* TLB maintenance instructions (Arm ARM D8.13). */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include "arch/sysreg.h"

/** Invalidates EL2 stage-1 entries for the page at va, all cores of the domain. */
static inline void tlbi_vae2is(u64 va)
{
	__asm__ volatile("tlbi vae2is, %0" : : "r"(va >> 12) : "memory");
}

/** Invalidates every EL2 stage-1 entry, all cores of the domain. */
static inline void tlbi_alle2is(void)
{
	__asm__ volatile("tlbi alle2is" ::: "memory");
}

/** Invalidates this core's EL2 stage-1 entries only. */
static inline void tlbi_alle2(void)
{
	__asm__ volatile("tlbi alle2" ::: "memory");
}

/** Stage-2 entries for the page at ipa, current VMID, all cores. */
static inline void tlbi_ipas2e1is(u64 ipa)
{
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(ipa >> 12) : "memory");
}

/** Stage-1 and stage-2 entries of the current VMID, all cores. */
static inline void tlbi_vmalls12e1is(void)
{
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
}

/** Stage-1 and stage-2 entries of the current VMID, this core only. */
static inline void tlbi_vmalls12e1(void)
{
	__asm__ volatile("tlbi vmalls12e1" ::: "memory");
}

/** Stage-1 entries of the current VMID, all cores. */
static inline void tlbi_vmalle1is(void)
{
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
}

#endif
