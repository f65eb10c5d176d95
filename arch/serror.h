/*
 * Physical SErrors at EL2: the error synchronization barrier, the deferred
 * error record (FEAT_RAS) and a way to take a pending SError on purpose
 * without FEAT_RAS, so that Partita can tell its own errors from a guest's.
 */
#ifndef ARCH_SERROR_H
#define ARCH_SERROR_H

#include "arch/sysreg.h"

#define DISR_EL1 s3_0_c12_c1_1
#define DISR_EL1_A BIT(31) /* a deferred SError is recorded */
#define ISR_EL1_A BIT(8) /* a physical SError is pending */

/**
 * Error Synchronization Barrier (HINT #16, a NOP without FEAT_RAS): with
 * SErrors masked, as always at EL2, a pending one is deferred into DISR_EL1.
 */
static inline void esb(void)
{
	__asm__ volatile("hint #16" ::: "memory");
}

/**
 * Unmasks SErrors at EL2 for a few instructions, so that a pending one is
 * taken (and recognised by the EL2 vectors) instead of reaching the next
 * guest. Returns its ESR_EL2, or 0 if none was taken. For CPUs without
 * FEAT_RAS, where it cannot be deferred.
 */
u64 arch_serror_take(void);

#endif
