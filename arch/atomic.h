/*
 * Atomic read-modify-write of a 32-bit word, with exclusive load/store
 * pairs (Armv8.0: no LSE needed, and no out-of-line helper from libgcc).
 */
#ifndef ARCH_ATOMIC_H
#define ARCH_ATOMIC_H

#include "arch/types.h"

/** Sets the bits of mask in *p atomically, with release semantics. */
static inline void atomic_or32_release(u32 *p, u32 mask)
{
	u32 tmp, fail;

	__asm__ volatile("1:	ldxr	%w[tmp], %[p]\n"
			 "	orr	%w[tmp], %w[tmp], %w[mask]\n"
			 "	stlxr	%w[fail], %w[tmp], %[p]\n"
			 "	cbnz	%w[fail], 1b\n"
			 : [tmp] "=&r"(tmp), [fail] "=&r"(fail), [p] "+Q"(*p)
			 : [mask] "r"(mask)
			 : "memory");
}

/** Replaces *p with 0 atomically and returns what it held, with acquire semantics. */
static inline u32 atomic_take32_acquire(u32 *p)
{
	u32 old, fail;

	__asm__ volatile("1:	ldaxr	%w[old], %[p]\n"
			 "	stxr	%w[fail], wzr, %[p]\n"
			 "	cbnz	%w[fail], 1b\n"
			 : [old] "=&r"(old), [fail] "=&r"(fail), [p] "+Q"(*p)
			 :
			 : "memory");
	return old;
}

#endif
