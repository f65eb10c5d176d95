/* FP/SIMD register state, which otherwise belongs to the guest (vcpu/context.c). */
#ifndef ARCH_FPSIMD_H
#define ARCH_FPSIMD_H

#include <stdbool.h>

/**
 * Zeroes V0-V31 (and with them any SVE Z registers, whose upper bits a
 * write to V clears), FPCR and FPSR. With sme true it first leaves SME
 * streaming mode and turns ZA off: a guest may leave PSTATE.SM set, and
 * FP/SIMD instructions are illegal at EL2 in streaming mode. CPTR_EL2 must
 * not trap FP/SIMD (or SME when sme is true).
 */
void fpsimd_zero(bool sme);

/**
 * Zeroes SVE's P0-P15 and FFR. Only on a CPU with SVE, out of streaming
 * mode (after fpsimd_zero()), with CPTR_EL2 not trapping SVE.
 */
void sve_zero_predicates(void);

#endif
