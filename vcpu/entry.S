/*
 * Entering and leaving a guest.
 *
 * While a guest runs, SP_EL2 points at its vCPU's register frame, so an
 * exit stores the guest's registers straight into it. The exit path saves
 * x0-x30 only: ELR_EL2, SPSR_EL2 and SP_EL0 stay live in the CPU (the
 * hypervisor never changes them behind the guest's back) and go to the
 * frame when the vCPU stops. Its EL1 context is switched only then too, and
 * its FP/SIMD state is never touched (see vcpu/context.c). On the way back,
 * x19-x29 are reloaded only if a handler wrote one of them: the C handlers
 * preserve them, as AAPCS64 requires.
 */
#include "asm-offsets.h"
#include "vcpu/frame.inc"

#define ENTER_FRAME 112 /* x29, x30, x19-x28, the vCPU pointer */
#define ENTER_VCPU 96

/* Stores x2-x30 of the guest into the frame at sp (x0 and x1 are already there). */
.macro save_guest_regs
	store_x2_to_x29
	str	x30, [sp, #VCPU_X30]
.endm

/* From the guest's frame (x0 = sp) back to the hypervisor stack. */
.macro to_host_stack
	mov	x0, sp
	ldr	x2, [x0, #VCPU_HOST_SP]
	mov	sp, x2
.endm

	.text

/*
 * enum vcpu_stop vcpu_enter(struct vcpu *v): runs the guest until an exit
 * handler says it must stop. The hypervisor's callee-saved registers wait
 * on its stack meanwhile; exits are handled on the stack below them.
 */
	.globl	vcpu_enter
vcpu_enter:
	sub	sp, sp, #ENTER_FRAME
	stp	x29, x30, [sp]
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	str	x0, [sp, #ENTER_VCPU]
	mov	x1, sp
	str	x1, [x0, #VCPU_HOST_SP]
	ldp	x2, x3, [x0, #VCPU_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldr	x2, [x0, #VCPU_SP_EL0]
	msr	sp_el0, x2
	mov	sp, x0
	b	restore_all

/* x1 = exit kind (IRQ, FIQ or SError). */
	.globl	guest_exit_async
guest_exit_async:
	save_guest_regs
	to_host_stack
	bl	vcpu_handle_async
	b	guest_return

	/* Falls through into guest_return: the synchronous exits are the hotter ones. */
	.globl	guest_exit_sync
guest_exit_sync:
	save_guest_regs
	to_host_stack
	/* Dispatch on ESR_EL2.EC through exit_handlers[], handler(v, esr). */
	mrs	x1, esr_el2
	ubfx	x2, x1, #26, #6		/* EC; ISS2 may fill bits 32 and up */
	adr	x3, exit_handlers	/* the image is far smaller than adr's 1 MiB reach */
	ldr	x3, [x3, x2, lsl #3]
	blr	x3

/* x0 = VCPU_RUNS (0) to resume the guest, or why it stops. */
guest_return:
	cbnz	x0, guest_stopped
	ldr	x0, [sp, #ENTER_VCPU]
	mov	sp, x0
	/*
	 * One load checks the requests word (low half: work posted by
	 * another CPU or an interrupt handler, to be seen before the guest
	 * runs), high_dirty (byte 4) and vgic_resample (byte 5).
	 */
	ldr	x1, [sp, #VCPU_REQUESTS]
	cbnz	x1, guest_return_slow
restore_low:
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldr	x18, [sp, #16 * 9]
	ldr	x30, [sp, #VCPU_X30]
	ldp	x0, x1, [sp]
	eret
	/* Nothing executes past an eret, not even speculatively. */
	dsb	nsh
	isb

/*
 * sp = x0 = the vCPU frame; x1 = its requests (low half), high_dirty (byte
 * 4) and vgic_resample (byte 5).
 */
guest_return_slow:
	cbz	w1, 1f
	/* Requests: handled on the hypervisor stack, then the return starts over. */
	ldr	x2, [x0, #VCPU_HOST_SP]
	mov	sp, x2
	bl	vcpu_handle_requests
	b	guest_return
1:	ubfx	x2, x1, #40, #8
	cbz	x2, restore_all
	cmp	x2, #VGIC_RESAMPLE_LATER_ASM
	b.ne	2f
	/*
	 * An LR was just filled from a source seen high: look at it from the
	 * next return on, not now (cheaper here than in vgic_resample()).
	 */
	mov	w2, #VGIC_RESAMPLE_NOW_ASM
	strb	w2, [x0, #VCPU_VGIC_RESAMPLE]
	tst	x1, #(0xff << 32)
	b.ne	restore_all
	b	restore_low
2:	/*
	 * A HW interrupt waits in an LR: look at its source once, then return
	 * (the flag may stay set for the next exit: no loop back).
	 */
	ldr	x2, [x0, #VCPU_HOST_SP]
	mov	sp, x2
	bl	vgic_resample
	ldr	x0, [sp, #ENTER_VCPU]
	mov	sp, x0
	b	restore_all

/* sp = the vCPU frame: everything, x19-x29 included. */
restore_all:
	strb	wzr, [sp, #VCPU_HIGH_DIRTY]
	ldr	x19, [sp, #16 * 9 + 8]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	b	restore_low

/* x0 = why the vCPU stopped: its live state goes to the frame; return it from vcpu_enter. */
guest_stopped:
	ldr	x1, [sp, #ENTER_VCPU]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x1, #VCPU_ELR]
	mrs	x2, sp_el0
	str	x2, [x1, #VCPU_SP_EL0]
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp]
	add	sp, sp, #ENTER_FRAME
	ret
