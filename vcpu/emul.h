/*
 * What completing an emulated instruction does to the guest's PSTATE, and
 * how its data is laid out: the architecture's rules as pure functions of
 * the saved SPSR, ESR and SCTLR values, so the host unit tests run them.
 */
#ifndef VCPU_EMUL_H
#define VCPU_EMUL_H

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "arch/types.h"

/**
 * The SPSR bits that make completing an instruction more than "PC += 4":
 * AArch32 (instruction size, IT state), PSTATE.SS (software step) and
 * PSTATE.BTYPE. One test of these keeps the AArch64 fast path short.
 */
#define EMUL_PSTATE_SLOW (SPSR_M_AARCH32 | SPSR_BTYPE_MASK | SPSR_SS)

/**
 * The SPSR after the instruction completes, as the CPU would leave it:
 * PSTATE.SS cleared (the step is then active-pending, so a guest stepping
 * this instruction takes its Software Step exception right after it, Arm ARM
 * D2.12), BTYPE cleared for AArch64, and for T32 the IT state advanced as
 * ITAdvance() does.
 */
u64 emul_pstate_after(u64 spsr);

/** The IT[7:0] state of an AArch32 guest, gathered from SPSR bits 15:10 and 26:25. */
u64 emul_itstate(u64 spsr);

/** Whether condition code cond (0-15) holds for the flags nzcv (N in bit 3). */
bool emul_condition_holds(unsigned int cond, unsigned int nzcv);

/**
 * Whether a trapped instruction passes its condition, so it must be
 * emulated; when false it is skipped as a NOP (a trap of an instruction
 * that fails its condition is IMPLEMENTATION DEFINED, Arm ARM D1.11). AArch64
 * instructions and classes without a condition field always pass; for
 * AArch32 the condition comes from ESR.COND when ESR.CV is set, otherwise
 * from the IT state (T32 in an IT block).
 */
bool emul_condition_passed(u64 esr, u64 spsr);

/**
 * Whether the guest's data accesses are big-endian: PSTATE.E for AArch32
 * (EL0), SCTLR_EL1.E0E at EL0 in AArch64, SCTLR_EL1.EE at EL1.
 */
bool emul_big_endian(u64 spsr, u64 sctlr_el1);

/** The low size bytes (1, 2, 4 or 8) of val in the reverse order. */
static inline u64 emul_bswap(u64 val, unsigned int size)
{
	return __builtin_bswap64(val) >> (64 - 8 * size);
}

#endif
