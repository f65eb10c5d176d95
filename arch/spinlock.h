/*
 * A ticket spinlock: fair, and waiters sleep in WFE. The unlock is a
 * store-release to the lock word, which clears every waiter's exclusive
 * monitor and so generates the event that wakes them (Arm ARM D1.6.1).
 */
#ifndef ARCH_SPINLOCK_H
#define ARCH_SPINLOCK_H

#include "arch/types.h"

/* Aligned for the 32-bit exclusive access that takes a ticket. */
struct __attribute__((aligned(4))) spinlock {
	u16 owner;
	u16 next;
};

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

/** Takes l, waiting in WFE for its turn; acquire semantics. */
static inline void spin_lock(struct spinlock *l)
{
	u32 tmp, ticket, fail;

	__asm__ volatile(
		/* Take a ticket: atomically increment next, keep the old word. */
		"1:	ldaxr	%w[ticket], %[lock]\n"
		"	add	%w[tmp], %w[ticket], #0x10000\n"
		"	stxr	%w[fail], %w[tmp], %[lock]\n"
		"	cbnz	%w[fail], 1b\n"
		/* Our ticket is the old next; wait until owner equals it. */
		"	lsr	%w[tmp], %w[ticket], #16\n"
		"	and	%w[ticket], %w[ticket], #0xffff\n"
		"	cmp	%w[ticket], %w[tmp]\n"
		"	b.eq	3f\n"
		"	sevl\n"
		"2:	wfe\n"
		"	ldaxrh	%w[ticket], %[owner]\n"
		"	cmp	%w[ticket], %w[tmp]\n"
		"	b.ne	2b\n"
		"3:\n"
		: [ticket] "=&r"(ticket), [tmp] "=&r"(tmp), [fail] "=&r"(fail),
		  [lock] "+Q"(*(u32 *)l), [owner] "+Q"(l->owner)
		:
		: "memory", "cc");
}

/** Releases l to the next waiter; release semantics. */
static inline void spin_unlock(struct spinlock *l)
{
	__asm__ volatile("stlrh %w1, %0" : "=Q"(l->owner) : "r"(l->owner + 1) : "memory");
}

#endif
