/*
 * Host stand-in for arch/spinlock.h: the unit tests are single-threaded, so
 * the lock only has to exist and compile. It shadows the real header, whose
 * AArch64 inline assembly cannot build on the host, because the unit build
 * puts tests/unit/fake ahead of the repository root on the include path.
 */
#ifndef ARCH_SPINLOCK_H
#define ARCH_SPINLOCK_H

#include "arch/types.h"

struct spinlock {
	u16 owner;
	u16 next;
};

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

static inline void spin_lock(struct spinlock *l)
{
	(void)l;
}

static inline void spin_unlock(struct spinlock *l)
{
	(void)l;
}

#endif
