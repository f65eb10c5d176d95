/*
 * Structure offsets for the assembly files, generated at build time so that
 * no offset is ever written by hand. The Makefile compiles this to assembly
 * and turns each "->NAME value" marker into a #define.
 */
#include <stddef.h>

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "core/hyp_frame.h"
#include "core/percpu.h"
#include "vcpu/vcpu.h"
#include "vcpu/vgic/glue.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

/* vcpu/entry.S stores these pairs with single stp instructions. */
_Static_assert(offsetof(struct vcpu, regs.spsr) == offsetof(struct vcpu, regs.elr) + 8,
	       "spsr must follow elr");
_Static_assert(offsetof(struct vcpu, regs) == 0, "the registers come first");
_Static_assert(offsetof(struct vcpu, requests) % 8 == 0 &&
		       offsetof(struct vcpu, high_dirty) == offsetof(struct vcpu, requests) + 4 &&
		       offsetof(struct vcpu, vgic_resample) == offsetof(struct vcpu, requests) + 5,
	       "vcpu/entry.S loads requests, high_dirty and vgic_resample as one 64-bit word");
_Static_assert(_Alignof(struct vcpu) >= 16 && sizeof(struct vcpu) % 16 == 0,
	       "SP_EL2 points at a vCPU while its guest runs: 16-byte alignment");

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(HYP_FRAME_SIZE, sizeof(struct hyp_frame));
	DEFINE(HYP_FRAME_SP, offsetof(struct hyp_frame, sp));
	DEFINE(HYP_FRAME_ELR, offsetof(struct hyp_frame, elr));
	DEFINE(HYP_FRAME_SPSR, offsetof(struct hyp_frame, spsr));
	DEFINE(HYP_FRAME_ESR, offsetof(struct hyp_frame, esr));
	DEFINE(HYP_FRAME_FAR, offsetof(struct hyp_frame, far));
	DEFINE(PERCPU_VCPU, offsetof(struct percpu, vcpu));
	DEFINE(VCPU_X30, offsetof(struct vcpu, regs.x[30]));
	DEFINE(VCPU_SP_EL0, offsetof(struct vcpu, regs.sp_el0));
	DEFINE(VCPU_ELR, offsetof(struct vcpu, regs.elr));
	DEFINE(VCPU_SPSR, offsetof(struct vcpu, regs.spsr));
	DEFINE(VCPU_HOST_SP, offsetof(struct vcpu, host_sp));
	DEFINE(VCPU_HIGH_DIRTY, offsetof(struct vcpu, high_dirty));
	DEFINE(VCPU_REQUESTS, offsetof(struct vcpu, requests));
	DEFINE(VCPU_VGIC_RESAMPLE, offsetof(struct vcpu, vgic_resample));
	DEFINE(VGIC_RESAMPLE_NOW_ASM, VGIC_RESAMPLE_NOW);
	DEFINE(VGIC_RESAMPLE_LATER_ASM, VGIC_RESAMPLE_LATER);
	/* Architectural constants the fault-catching probe and its fixup use. */
	DEFINE(ESR_ELx_EC_SHIFT, ESR_ELx_EC_SHIFT);
	DEFINE(ESR_ELx_EC_DABT_CUR, ESR_ELx_EC_DABT_CUR);
	DEFINE(HCR_EL2_AMO, HCR_EL2_AMO);
	DEFINE(SPSR_A, SPSR_A);
}
