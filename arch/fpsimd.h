/* FP/SIMD register state, which otherwise belongs to the guest (vcpu/context.c). */
#ifndef ARCH_FPSIMD_H
#define ARCH_FPSIMD_H

/**
 * Zeroes V0-V31 (and with them the low bits of any SVE Z registers, whose
 * upper bits a write to V clears), FPCR and FPSR. CPTR_EL2.TFP must be 0.
 */
void fpsimd_zero(void);

#endif
