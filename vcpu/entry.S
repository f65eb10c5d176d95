/*
 * Entering and leaving a guest. The exit path saves only what EL2 itself
 * overwrites (general registers, SP_EL0, ELR_EL2, SPSR_EL2); the guest owns
 * its CPU, so its EL1 and FP/SIMD state stay live in the registers.
 */
#include "asm-offsets.h"

	.text

/*
 * enum vcpu_stop vcpu_enter(struct vcpu *v): runs the guest until an exit
 * handler says it must stop. The callee-saved registers stay on the stack
 * meanwhile; exits are handled on the stack below them.
 */
	.globl	vcpu_enter
vcpu_enter:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	b	guest_restore

	.globl	guest_exit_common
guest_exit_common:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PERCPU_VCPU]
	stp	x2, x3, [x0, #16 * 1]
	stp	x4, x5, [x0, #16 * 2]
	stp	x6, x7, [x0, #16 * 3]
	stp	x8, x9, [x0, #16 * 4]
	stp	x10, x11, [x0, #16 * 5]
	stp	x12, x13, [x0, #16 * 6]
	stp	x14, x15, [x0, #16 * 7]
	stp	x16, x17, [x0, #16 * 8]
	stp	x18, x19, [x0, #16 * 9]
	stp	x20, x21, [x0, #16 * 10]
	stp	x22, x23, [x0, #16 * 11]
	stp	x24, x25, [x0, #16 * 12]
	stp	x26, x27, [x0, #16 * 13]
	stp	x28, x29, [x0, #16 * 14]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x2, sp_el0
	stp	x30, x2, [x0, #VCPU_X30]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #VCPU_ELR]

	bl	vcpu_handle_exit
	cbnz	x0, guest_stopped
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PERCPU_VCPU]

/* x0 = the vCPU to resume. */
guest_restore:
	ldp	x2, x3, [x0, #VCPU_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x30, x2, [x0, #VCPU_X30]
	msr	sp_el0, x2
	ldp	x2, x3, [x0, #16 * 1]
	ldp	x4, x5, [x0, #16 * 2]
	ldp	x6, x7, [x0, #16 * 3]
	ldp	x8, x9, [x0, #16 * 4]
	ldp	x10, x11, [x0, #16 * 5]
	ldp	x12, x13, [x0, #16 * 6]
	ldp	x14, x15, [x0, #16 * 7]
	ldp	x16, x17, [x0, #16 * 8]
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldp	x0, x1, [x0]
	eret
	/* Nothing executes past an eret, not even speculatively. */
	dsb	nsh
	isb

/* x0 = why the vCPU stopped; return it from vcpu_enter. */
guest_stopped:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
