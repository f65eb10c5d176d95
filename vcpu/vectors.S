/*
 * EL2 exception vectors (Arm ARM D1.10.2): 16 entries of 128 bytes, in four
 * groups: current EL with SP_EL0, current EL with SP_ELx, lower EL in
 * AArch64, lower EL in AArch32. The hypervisor runs on SP_EL2, so an
 * exception in the first two groups is a hypervisor bug and is reported in
 * full. The last two are guest exits (a guest's EL0 may run AArch32 code).
 */
#include "asm-offsets.h"
#include "vcpu/frame.inc"

.macro hyp_unexpected kind, vector
	.balign	0x80
	sub	sp, sp, #HYP_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	mov	x1, #\vector
	b	hyp_save_and_report
.endm

/* A guest exit: SP_EL2 is the vCPU's register frame (vcpu/entry.S). */
.macro guest_exit kind
	.balign	0x80
	stp	x0, x1, [sp]
	.if \kind == 0
	b	guest_exit_sync
	.else
	mov	x1, #\kind
	b	guest_exit_async
	.endif
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.globl	hyp_vectors
hyp_vectors:
	hyp_unexpected 0, 0	/* current EL, SP_EL0 */
	hyp_unexpected 1, 1
	hyp_unexpected 2, 2
	hyp_unexpected 3, 3
	hyp_unexpected 0, 4	/* current EL, SP_EL2 */
	hyp_unexpected 1, 5
	hyp_unexpected 2, 6
	hyp_unexpected 3, 7
	guest_exit 0		/* lower EL, AArch64 */
	guest_exit 1
	guest_exit 2
	guest_exit 3
	guest_exit 0		/* lower EL, AArch32 */
	guest_exit 1
	guest_exit 2
	guest_exit 3

	.text
/* x0 = kind, x1 = vector; the frame holds the interrupted x0 and x1 already. */
hyp_save_and_report:
	store_x2_to_x29
	/*
	 * An SError taken inside arch_serror_take (arch/serror.S) is one
	 * Partita asked for: resume at arch_serror_taken with x0 = ESR_EL2.
	 */
	cmp	x0, #3
	b.ne	4f
	mrs	x2, elr_el2
	adrp	x3, arch_serror_take
	add	x3, x3, :lo12:arch_serror_take
	cmp	x2, x3
	b.lo	4f
	adrp	x3, arch_serror_end
	add	x3, x3, :lo12:arch_serror_end
	cmp	x2, x3
	b.hs	4f
	adrp	x3, arch_serror_taken
	add	x3, x3, :lo12:arch_serror_taken
	msr	elr_el2, x3
	mrs	x0, esr_el2
	ldp	x2, x3, [sp, #16 * 1]
	ldr	x1, [sp, #8]
	add	sp, sp, #HYP_FRAME_SIZE
	eret
4:
	/*
	 * A fault the probing load (arch/probe.S) caused is expected: resume
	 * at its fixup, which returns false, instead of reporting it. That is
	 * a data abort from EL2 (EC 0x25) on the load itself, or an SError
	 * taken at EL2 with SP_EL2 (vector 7) inside the probe's window, where
	 * PSTATE.A is briefly clear; the fixup then runs with it set again.
	 */
	mrs	x2, elr_el2
	cmp	x0, #3
	b.eq	2f
	cbnz	x0, 1f
	mrs	x3, esr_el2
	lsr	x3, x3, #ESR_ELx_EC_SHIFT
	cmp	x3, #ESR_ELx_EC_DABT_CUR
	b.ne	1f
	adrp	x3, arch_probe_load
	add	x3, x3, :lo12:arch_probe_load
	cmp	x2, x3
	b.ne	1f
	b	3f
2:	cmp	x1, #7
	b.ne	1f
	adrp	x3, arch_probe_load
	add	x3, x3, :lo12:arch_probe_load
	cmp	x2, x3
	b.lo	1f
	adrp	x3, arch_probe_window_end
	add	x3, x3, :lo12:arch_probe_window_end
	cmp	x2, x3
	b.hi	1f
	mrs	x3, spsr_el2
	orr	x3, x3, #SPSR_A
	msr	spsr_el2, x3
3:	adrp	x3, arch_probe_fixup
	add	x3, x3, :lo12:arch_probe_fixup
	msr	elr_el2, x3
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x0, x1, [sp]
	add	sp, sp, #HYP_FRAME_SIZE
	eret
1:
	add	x2, sp, #HYP_FRAME_SIZE
	stp	x30, x2, [sp, #16 * 15]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #HYP_FRAME_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #HYP_FRAME_ESR]
	mov	x2, x1
	mov	x1, x0
	mov	x0, sp
	bl	hyp_exception
	b	.
