/* SMC Calling Convention (Arm DEN 0028) calls from EL2 to firmware. */
#ifndef ARCH_SMCCC_H
#define ARCH_SMCCC_H

#include "arch/types.h"

/**
 * Calls the firmware with SMC #0: function fid, arguments a1..a3. Returns
 * what the firmware left in x0 (a negative SMCCC or PSCI code on failure).
 * x4-x17 are taken as clobbered: SMCCC 1.0 firmware may change them.
 */
static inline u64 smccc_smc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fid;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return x0;
}

#endif
